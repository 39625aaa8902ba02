"""The built book and a slide deck, opened from file:// in a real browser (headless Chromium).

The page and the deck must work with no network: MathJax has rendered every formula (no raw
``$...$`` or ``\\(...\\)`` left in the text, ``mjx-container`` elements present) and reveal.js
has laid out the slides; every slide of a chapter's deck fits a 1280x720 screen and its PDF
has a page per slide, with the figures and the maths (``courseware.slides.measure_deck``,
checked here to find the slides of a synthetic deck that do not fit). Skipped, with the
reason, where Chromium is not installed (``.ci/run`` installs it from Debian's packages).
The book is reused from ``book/_build`` when it is newer than the chapter and the
configuration; otherwise a two-page book (the introduction and one chapter, with the book's
own configuration) is built once for the session.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from test_teaching import slide_chapter, synthetic_chapter

from courseware import i18n
from courseware.slides import (
    deck_html,
    dump_dom,
    find_chromium,
    measure_deck,
    pdf_problems,
    print_pdf,
    write_deck,
)
from courseware.teaching import BOOK, executed_chapter

CHAPTER = BOOK / "02_averages.ipynb"  # a short chapter with maths in its prose and figures
CJK = re.compile(r"[\u4e00-\u9fff]")
RAW_MATH = re.compile(r"\$[^$\s][^$]*\$|\\\(|\\\[")
NETWORK = re.compile(r"^(https?:)?//")


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium; .ci/run does it in CI)")
    return path


class _VisibleText(HTMLParser):
    """The text a reader sees as prose: without scripts, styles, code and rendered maths."""

    SKIPPED = {"script", "style", "pre", "code", "textarea", "mjx-container", "head"}

    def __init__(self):
        super().__init__()
        self.depth, self.parts = 0, []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIPPED and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(parser.parts)


def assert_maths_rendered(html: str, where: str) -> None:
    assert html.count("<mjx-container") >= 3, f"{where}: MathJax rendered no formula"
    raw = RAW_MATH.findall(visible_text(html))
    assert not raw, f"{where}: maths left raw (MathJax did not run?): {raw[:5]}"


def _up_to_date(page: Path) -> bool:
    sources = [CHAPTER, BOOK / "_config.yml", BOOK / "_toc.yml", BOOK / "_static" / "outputs.css"]
    return page.is_file() and all(
        page.stat().st_mtime > source.stat().st_mtime for source in sources
    )


@pytest.fixture(scope="module")
def executed():
    return executed_chapter(CHAPTER)


@pytest.fixture(scope="module")
def chapter_page(executed, tmp_path_factory) -> Path:
    """The chapter's page in the built book: book/_build if up to date, else a two-page book."""
    built = BOOK / "_build" / "html" / f"{CHAPTER.stem}.html"
    if _up_to_date(built):
        return built
    root = tmp_path_factory.mktemp("book")
    config = (BOOK / "_config.yml").read_text(encoding="utf-8")
    config = re.sub(
        r"execute_notebooks:\s*\S+", 'execute_notebooks: "off"', config
    )  # executed below
    (root / "_config.yml").write_text(config, encoding="utf-8")
    (root / "_toc.yml").write_text(
        f"format: jb-book\nroot: intro\nchapters:\n- file: {CHAPTER.stem}\n", encoding="utf-8"
    )
    shutil.copy(BOOK / "intro.md", root / "intro.md")
    shutil.copytree(BOOK / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(BOOK / "_static", root / "_static")
    (root / "_vendor").mkdir()
    shutil.copytree(BOOK / "_vendor" / "mathjax", root / "_vendor" / "mathjax")
    nbformat.write(executed, root / CHAPTER.name)
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(root), "--keep-going"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    page = root / "_build" / "html" / f"{CHAPTER.stem}.html"
    assert page.is_file(), result.stdout[-3000:] + result.stderr[-3000:]
    return page


@pytest.fixture(scope="module")
def chinese_intro(tmp_path_factory) -> Path:
    """The Chinese edition's introduction: book/_build's if up to date, else a two-page
    Chinese book (the introduction and the glossary, with their catalogs) built here."""
    built = BOOK / "_build" / "html" / i18n.EDITION_FOLDER / "intro.html"
    sources = [BOOK / "intro.md", BOOK / "_config.yml", i18n.catalog_dir() / "intro.po"]
    if built.is_file() and all(built.stat().st_mtime > s.stat().st_mtime for s in sources):
        return built
    root = tmp_path_factory.mktemp("zhbook") / "book"
    root.mkdir()
    for name in ("_config.yml", "intro.md", "glossary.md"):
        shutil.copy(BOOK / name, root / name)
    shutil.copytree(BOOK / "_ext", root / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(BOOK / "_vendor" / "mathjax", root / "_vendor" / "mathjax")
    for document in ("intro", "glossary"):
        shutil.copy(
            i18n.catalog_dir() / f"{document}.po",
            _mkparent(i18n.catalog_dir(root) / f"{document}.po"),
        )
    (root / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: glossary\n", encoding="utf-8"
    )
    i18n.build(root)
    page = root / "_build" / "html" / i18n.EDITION_FOLDER / "intro.html"
    assert page.is_file()
    return page


def _mkparent(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def deck(executed, tmp_path_factory) -> Path:
    return write_deck(executed, CHAPTER.stem, tmp_path_factory.mktemp("slides"))


def test_deck_of_a_chapter_references_no_network(deck):
    html = deck.read_text(encoding="utf-8")
    references = re.findall(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]*)"', html)
    assert not [url for url in references if NETWORK.match(url)]
    local = [url for url in references if not url.startswith("data:")]
    assert local and all((deck.parent / url).is_file() for url in local), local
    assert html.count("data:image/png;base64,") >= 3, "the chapter's figures are not in the deck"


def test_book_page_renders_its_maths_offline(chromium, chapter_page, tmp_path):
    html = dump_dom(chromium, chapter_page, tmp_path / "profile")
    assert "<img" in html
    assert_maths_rendered(html, chapter_page.name)


# measures, after layout at the reader's width, every code block of the page (cells and their
# outputs) and writes the ones wider than their box into the page for --dump-dom to carry out
MEASURE = """<script>
window.addEventListener("load", () => setTimeout(() => {
  const wide = [...document.querySelectorAll("div.cell_input pre, div.cell_output pre")]
    .filter(pre => pre.scrollWidth > pre.clientWidth + 1)
    .map(pre => pre.textContent.split("\\n").sort((a, b) => b.length - a.length)[0]);
  const report = document.createElement("pre");
  report.id = "wide-code-report";
  report.textContent = JSON.stringify(wide);
  document.body.appendChild(report);
}, 500));
</script>"""


def test_no_code_cell_of_a_chapter_scrolls_sideways(chromium, chapter_page, tmp_path):
    """At 1280x800 every code cell and every printed output fits its box (issue 22: no
    sideways scrolling; outputs wrap, book/_static/outputs.css)."""
    page = chapter_page.with_name(chapter_page.stem + ".measured.html")
    page.write_text(chapter_page.read_text().replace("</body>", MEASURE + "</body>"))
    command_page = dump_dom(chromium, page, tmp_path / "profile", size="1280,800")
    found = re.search(r'<pre id="wide-code-report">(.*?)</pre>', command_page, re.S)
    assert found, "the measuring script did not run"
    wide = json.loads(html.unescape(found.group(1)))
    assert wide == [], f"{chapter_page.name}: code scrolls sideways at 1280 px: {wide[:3]}"


def test_deck_shows_slides_and_maths_offline(chromium, deck, tmp_path):
    html = dump_dom(chromium, deck, tmp_path / "profile")
    assert re.search(r'<div class="reveal [^"]*\bready\b', html), "reveal.js did not start"
    slides = html.split('<div class="slides"', 1)[1]
    assert slides.count("<section") >= 5, "the deck has no slides"
    # the speaker notes keep their TeX as it is: the speaker view has no MathJax
    assert_maths_rendered(re.sub(r"<aside .*?</aside>", "", html, flags=re.S), deck.name)


def test_every_slide_of_a_chapter_fits_the_screen(chromium, deck):
    """Issue 25: no slide overflows 1280x720 or cuts code off, none shows over 60 words,
    every slide that came from prose has speaker notes, every slide is numbered."""
    assert measure_deck(deck, chromium) == []


def test_the_deck_of_a_chapter_prints_with_its_figures_and_maths(chromium, deck):
    assert pdf_problems(print_pdf(deck, chromium), deck) == []


def _synthetic_deck(out: Path, notebook) -> Path:
    """A deck of the synthetic chapter, with the vendored scripts beside it."""
    path = write_deck(notebook, "01_synthetic", out)
    assert path.read_text(encoding="utf-8").count("<section") >= 4
    return path


def test_measuring_finds_the_slides_that_do_not_fit(chromium, tmp_path):
    notebook = slide_chapter()
    long_code = new_code_cell("\n".join(f"step_{i} = {i}" for i in range(40)))
    wide_code = new_code_cell("total = " + " + ".join(f"value_{i}" for i in range(30)))
    wordy = " ".join(["many"] * 70)
    notebook.cells += [
        new_markdown_cell(
            "## Too long", metadata={"slides": {"points": ["x"], "show": long_code.id}}
        ),
        long_code,
        new_markdown_cell(
            "## Too wide", metadata={"slides": {"points": ["x"], "show": wide_code.id}}
        ),
        wide_code,
        new_markdown_cell("## Too wordy", metadata={"slides": {"points": [wordy]}}),
    ]
    problems = measure_deck(_synthetic_deck(tmp_path, notebook), chromium)
    assert [re.split(r" by | \(", problem)[0] for problem in problems] == [
        "slide 5: overflows at the bottom",
        "slide 6: code cut off at the right",
        "slide 7: 71 words of text",
    ], problems


def test_measuring_finds_missing_notes_and_numbers(chromium, tmp_path):
    deck = _synthetic_deck(tmp_path, slide_chapter())
    html = deck.read_text(encoding="utf-8")
    html = re.sub(r'<aside class="notes">.*?</aside>', "", html, flags=re.S)
    deck.write_text(html.replace('"slideNumber": "c/t"', '"slideNumber": false'))
    problems = measure_deck(deck, chromium)
    for number in (1, 2, 3, 4):
        assert any(p.startswith(f"slide {number}: no speaker notes") for p in problems), problems
        assert any(
            p.startswith(f"slide {number}: slide number {number} not shown") for p in problems
        )


def test_a_printed_deck_has_a_page_per_slide(chromium, tmp_path):
    deck = _synthetic_deck(tmp_path, slide_chapter())
    pdf = print_pdf(deck, chromium)
    assert pdf_problems(pdf, deck) == []
    longer = tmp_path / "longer.slides.html"
    longer.write_text(
        deck_html(slide_chapter(), "Averages").replace(
            "</section>", "</section><section></section>", 1
        )
    )
    assert pdf_problems(pdf, longer) == ["4 PDF pages for 5 slides"]


def test_make_slides_names_each_problem_and_fails(chromium, tmp_path, monkeypatch, capsys):
    """``python -m courseware slides`` executes the chapter, writes its deck and PDF, and
    names the slide that does not fit (then exits with an error)."""
    import courseware.teaching as teaching

    monkeypatch.setenv("DLDEMOS_PRECOMPUTED_DIR", str(tmp_path / "precomputed"))
    notebook = synthetic_chapter()
    long_code = new_code_cell("\n".join(f"step_{i} = {i}" for i in range(40)))
    notebook.cells += [
        new_markdown_cell(
            "## Too long", metadata={"slides": {"points": ["x"], "show": long_code.id}}
        ),
        long_code,
    ]
    chapter = tmp_path / "book" / "01_synthetic.ipynb"
    chapter.parent.mkdir()
    nbformat.write(notebook, chapter)
    out = tmp_path / "slides"
    assert teaching.main(["slides", str(chapter), "--out", str(out), "--jobs", "1"]) == 1
    printed = capsys.readouterr().out
    assert "problem: 01_synthetic.slides.html, slide 3: overflows at the bottom by" in printed
    assert "error: problems in the decks (listed above): 1" in printed
    assert "section 'The EWMA from scratch' has no slides.points" in printed  # a warning
    assert (out / "01_synthetic.slides.pdf").is_file()


def test_chinese_page_shows_chinese_prose_and_maths_offline(chromium, chinese_intro, tmp_path):
    """中文版: the introduction in Chinese, its notation table's maths typeset, a CJK font
    installed for the browser (.ci/run installs fonts-noto-cjk), a link to the English page."""
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True).stdout
        assert fonts.strip(), "no Chinese font for Chromium: apt-get install fonts-noto-cjk"
    html = dump_dom(chromium, chinese_intro, tmp_path / "profile")
    assert '<html lang="zh-CN"' in html
    text = visible_text(html)
    assert "训练神经网络是一个优化问题" in text and "记号" in text
    assert len(CJK.findall(text)) > 1000, "the page is not in Chinese"
    assert_maths_rendered(html, f"zh/{chinese_intro.name}")
    assert re.search(r'<a href="\.\./intro\.html" hreflang="en"[^>]*>English</a>', html)


def test_raw_maths_is_noticed():
    assert RAW_MATH.findall(visible_text("<p>the rate $\\alpha$ is</p><pre>cost = $5$</pre>")) == [
        "$\\alpha$"
    ]
    assert RAW_MATH.findall(visible_text("<p>a sum <span>\\(x+y\\)</span></p>"))
