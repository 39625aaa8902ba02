"""Slide decks for a projector, designed from the chapters themselves (``make slides``).

A chapter's ``#`` title becomes a title slide, and each ``##`` section one slide: its heading,
a few points written for the screen, and one figure or one short code cell. Everything the
section says in prose goes to the speaker notes (``s`` opens the speaker view), with the
say/ask/misconception notes of its live cells and their answers. The slides come from cell
metadata on the markdown cell that opens the section::

    "slides": {"points": ["short point", "another, with $\\alpha$"], "show": "<cell id>"}
    "slides": {"skip": true}          # no slide of its own: its notes go to the slide before

and, for a cell whose text opens a second ``##`` section, that section's under
``"slides": {..., "sections": {"<heading text without ##>": {...}}}``. The title cell's
``"slides": {"points": [...]}`` are the lecture's learning objectives written for the screen
(3 to 5 short verb phrases), shown under "After this lecture you can"; the lecture plan's
objectives in full go to the title slide's speaker notes.

- The points: ``points``; a section without them shows the first sentences of its prose, cut
  at about 40 words, and :func:`slide_warnings` says so.
- The figure or code: the cell named by ``show`` (its first image; else the Markdown it
  displays, a table of results; else its code, or the code it displays with ``show_source``), else the section's first image, else its first
  live cell. A live cell is shown as its prompt (``live.prompt``), never its answer.
- Never on a slide: the code of hidden cells (tags ``remove-input``, ``remove-cell``), the
  set-up cells before the first section, printed output. Code that does not fit the room its
  slide leaves shrinks (down to 14 px).

reveal.js and MathJax 3 are vendored into ``book/_vendor`` by the Makefile (``npm pack``) and
copied beside the decks into ``_static/``, so a deck opens from ``file://`` with no network.
:func:`measure_deck` opens a deck in headless Chromium at 1280x720 and lists, slide by
slide, what a projector would show wrong; :func:`print_pdf` prints it to PDF with Chromium (a
page per slide, from the deck's print stylesheet) and :func:`pdf_problems` checks the PDF.
"""

from __future__ import annotations

import base64
import html
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import textwrap
import zlib
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "VENDOR",
    "WIDTH",
    "HEIGHT",
    "MAX_WORDS",
    "Slide",
    "chapter_slides",
    "slide_warnings",
    "deck_html",
    "write_deck",
    "find_chromium",
    "dump_dom",
    "measure_deck",
    "print_pdf",
    "pdf_problems",
]

VENDOR = Path(__file__).resolve().parents[1] / "book" / "_vendor"
WIDTH, HEIGHT = 1280, 720  # the projector's slide, in CSS pixels
MAX_WORDS = 60  # of visible text on a slide, code and maths aside
FALLBACK_WORDS = 40  # a section without points shows about this many words of its prose
CODE_LINES, CODE_COLUMNS = 15, 80  # the most a shown code cell has (about 95 columns fit)
_HEADING = re.compile(r"^(#{1,2})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(`$])")
_LIST_ITEM = re.compile(r"(?:^|\n)\s*(?:[-*+]|\d+\.)\s+")


@dataclass
class Slide:
    """One slide: Markdown for the heading and points, one figure (a data URL) or code,
    and the speaker notes as HTML."""

    heading: str
    points: list[str] = field(default_factory=list)
    figure: str | None = None
    figure_wide: bool = True
    code: str | None = None
    table: str | None = None  # HTML of the Markdown (a table) the shown cell displays
    notes: list[str] = field(default_factory=list)
    title: bool = False
    prose: bool = False  # the section had prose: its notes must not be empty
    lectures: int = 1  # a title slide's: how many lectures the chapter is taught in
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Section:
    heading: str
    level: int
    metadata: dict
    prose: list[str] = field(default_factory=list)
    cells: list = field(default_factory=list)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _split_at_headings(source: str) -> list[tuple[str | None, int, str]]:
    """A markdown cell's text cut before each ``#`` or ``##`` heading (outside code fences):
    ``(heading, level, text after it)``, the first with heading ``None`` for any text before."""
    blocks: list[tuple[str | None, int, list[str]]] = [(None, 0, [])]
    fenced = False
    for line in source.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
        found = None if fenced else _HEADING.match(line)
        if found:
            blocks.append((found.group(2), len(found.group(1)), []))
        else:
            blocks[-1][2].append(line)
    return [(heading, level, "\n".join(lines).strip()) for heading, level, lines in blocks]


def _sections(notebook) -> list[_Section]:
    """The chapter cut into its title (level 1) and ``##`` sections (level 2), each with its
    prose and code cells; what comes before the title is a section with no heading."""
    found = [_Section("", 0, {})]
    for cell in notebook.cells:
        if cell.cell_type == "code":
            if "remove-cell" not in _tags(cell):
                found[-1].cells.append(cell)
            continue
        if cell.cell_type != "markdown":
            continue
        slides = dict(cell.metadata.get("slides", {}))
        named = slides.pop("sections", {})
        first = True  # the cell's first heading (its title or a ``##``) owns ``slides``
        for heading, level, text in _split_at_headings(cell.source):
            if heading is not None:
                metadata = named.get(heading, slides if first else {})
                found.append(_Section(heading, level, metadata))
                first = False
            if text:
                found[-1].prose.append(text)
    return found


def _plain_sentences(prose: list[str]) -> list[str]:
    """The sentences of the prose's paragraphs and list items (not its tables, displayed
    maths, code, admonitions or subheadings)."""
    paragraphs = []
    for text in prose:
        for block in re.split(r"\n\s*\n", text):
            for item in re.split(_LIST_ITEM, block):  # a list item is a paragraph of its own
                paragraph = " ".join(item.split())
                if paragraph and not re.match(r"[#|>`:{<]|\$\$", paragraph):
                    paragraphs.append(paragraph)
    return [sentence for paragraph in paragraphs for sentence in _SENTENCE_END.split(paragraph)]


def _first_words(prose: list[str], limit: int = FALLBACK_WORDS) -> list[str]:
    """The first sentences of the prose, one point each, about ``limit`` words in all: the
    last sentence cut (at a word outside maths) if it runs over."""
    points, count = [], 0
    for sentence in _plain_sentences(prose):
        words = sentence.split()
        if count + len(words) > limit:
            if count:
                break
            words = words[:limit]
            while words and " ".join(words).count("$") % 2:
                words.pop()
            points.append(" ".join(words) + " …")
            break
        points.append(sentence)
        count += len(words)
    return points


def _image(cell) -> tuple[str, bool] | None:
    """The first image a cell shows, as a data URL, and whether it is wide (landscape)."""
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        if "image/png" in data:
            png = base64.b64decode(data["image/png"])
            width, height = struct.unpack(">II", png[16:24])
            return f"data:image/png;base64,{data['image/png'].strip()}", width > 1.4 * height
        if "image/svg+xml" in data:
            svg = base64.b64encode(data["image/svg+xml"].encode()).decode()
            return f"data:image/svg+xml;base64,{svg}", True
    return None


def _displayed_markdown(cell) -> str | None:
    """The Markdown a cell displays (``IPython.display.Markdown``: a table of results), if any."""
    for output in cell.get("outputs", []):
        if "text/markdown" in output.get("data", {}):
            return output["data"]["text/markdown"]
    return None


def _code(cell) -> str:
    """The code a slide shows for a cell: a live cell's prompt (a comment, wrapped to the
    slide's width), the source a ``show_source`` cell displays, else the cell's own code."""
    if "live" in _tags(cell):
        prompt = cell.metadata["live"]["prompt"].strip().lstrip("#").strip()
        return "\n".join(f"# {line}" for line in textwrap.wrap(prompt, CODE_COLUMNS - 2))
    for output in cell.get("outputs", []):
        if 'class="highlight' in output.get("data", {}).get("text/html", ""):
            return output["data"]["text/plain"].strip()
    return cell.source.strip()


def _visual(section: _Section, cells_by_id: dict, slide: Slide) -> None:
    """Put the section's one figure or code cell on the slide (see the module's docstring)."""
    shown = section.metadata.get("show")
    if shown is not None and shown not in cells_by_id:
        slide.warnings.append(f"section {section.heading!r}: slides.show names no cell {shown!r}")
    if shown in cells_by_id:
        candidates = [cells_by_id[shown]]
    else:
        visible = [cell for cell in section.cells if "remove-output" not in _tags(cell)]
        candidates = [cell for cell in visible if _image(cell)] or [
            cell for cell in visible if "live" in _tags(cell)
        ]
    if not candidates:
        return
    cell = candidates[0]
    image = _image(cell) if "remove-output" not in _tags(cell) else None
    if image:
        slide.figure, slide.figure_wide = image
        return
    shown_markdown = _displayed_markdown(cell) if "remove-output" not in _tags(cell) else None
    if shown_markdown and shown in cells_by_id:  # the table it displays, not the code behind it
        slide.table = _markdown(shown_markdown)
        return
    if "remove-input" in _tags(cell):
        slide.warnings.append(f"section {section.heading!r}: slides.show names a hidden cell")
        return
    slide.code = _code(cell)
    lines = slide.code.splitlines()
    widest = max(map(len, lines), default=0)
    if len(lines) > CODE_LINES or widest > CODE_COLUMNS:
        slide.warnings.append(
            f"section {section.heading!r}: the code it shows has {len(lines)} lines, up to "
            f"{widest} characters (a slide fits {CODE_LINES} of {CODE_COLUMNS})"
        )


def _markdown(text: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _inline(text: str) -> str:
    """Markdown for one line (a heading, a point) as HTML without the paragraph around it."""
    rendered = _markdown(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", rendered, flags=re.S)


def _live_notes(cell) -> str:
    notes = cell.metadata["live"]
    say = "".join(f"<li>{_inline(point)}</li>" for point in notes["say"])
    return (
        f"<h4>Live: <code>{html.escape(notes['prompt'].strip())}</code></h4>"
        f"<pre>{html.escape(cell.source.strip())}</pre>"
        f"<p><b>Say:</b></p><ul>{say}</ul>"
        f"<p><b>Ask:</b> {_inline(notes['ask'])}</p>"
        f"<p><b>Misconception:</b> {_inline(notes['misconception'])}</p>"
    )


def _notes(section: _Section) -> list[str]:
    """The section's prose and its live cells' notes, as HTML for the speaker view."""
    notes = [_markdown(text) for text in section.prose]
    notes += [_live_notes(cell) for cell in section.cells if "live" in _tags(cell)]
    return notes


def _objective_notes(objectives: dict[str, list[str]]) -> list[str]:
    """The lecture plan's learning objectives in full, for the title slide's speaker notes
    (``objectives`` maps a lecture's name to its objectives; ``""`` for a single lecture)."""
    notes = ["<h3>Learning objectives (the lecture plan)</h3>"]
    for lecture, items in objectives.items():
        if lecture:
            notes.append(f"<h4>{html.escape(lecture)}</h4>")
        notes.append(f"<ul>{''.join(f'<li>{_inline(item)}</li>' for item in items)}</ul>")
    return notes


def chapter_slides(notebook, objectives: dict[str, list[str]] | None = None) -> list[Slide]:
    """The deck of an executed chapter: its title slide, then one slide per ``##`` section
    that is not skipped (see the module's docstring). The title slide shows the title cell's
    ``slides.points`` (the learning objectives written for the screen); ``objectives``, the
    lecture plan's objectives in full by lecture, go to its speaker notes."""
    cells_by_id = {cell.get("id"): cell for cell in notebook.cells if cell.get("id")}
    slides: list[Slide] = []
    for section in _sections(notebook):
        if section.level == 0:  # before the title: nothing to show or say
            continue
        if section.level == 1:
            slide = Slide(section.heading, list(section.metadata.get("points", [])), title=True)
            if not slide.points:
                slide.warnings.append(
                    f"the title {section.heading!r} has no slides.points: its slide shows no "
                    "learning objectives"
                )
            slide.notes, slide.prose = _notes(section), bool(section.prose)
            if objectives and any(objectives.values()):  # what the instructor reads first
                slide.notes = _objective_notes(objectives) + slide.notes
                slide.lectures = len(objectives)
            slides.append(slide)
            continue
        if section.metadata.get("skip"):
            if slides:
                slides[-1].notes += [f"<h3>{_inline(section.heading)}</h3>", *_notes(section)]
            continue
        slide = Slide(section.heading, list(section.metadata.get("points", [])))
        if not slide.points:
            slide.points = _first_words(section.prose)
            slide.warnings.append(
                f"section {section.heading!r} has no slides.points: its slide shows the "
                "first sentences of its prose"
            )
        _visual(section, cells_by_id, slide)
        slide.notes, slide.prose = _notes(section), bool(section.prose)
        slides.append(slide)
    return slides


def slide_warnings(notebook) -> list[str]:
    """What the chapter's deck had to guess or leave out (sections without points, ...)."""
    return [warning for slide in chapter_slides(notebook) for warning in slide.warnings]


# ---- the deck's HTML ----------------------------------------------------------------------

STYLE = f"""
.reveal {{ font-family: "DejaVu Sans", "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  font-size: 30px; color: #1b1b1b; background: #fff; }}
.reveal .slides {{ text-align: left; }}
.reveal .slides section .frame {{ box-sizing: border-box; width: {WIDTH}px; height: {HEIGHT}px;
  padding: 28px 56px 48px; display: flex; flex-direction: column; gap: 20px; overflow: hidden; }}
.frame h1 {{ font-size: 54px; line-height: 1.15; margin: 120px 0 0; color: #123; }}
.frame h1:not(:only-child) {{ margin-top: 24px; }}  /* the objectives need the room */
.frame h2 {{ font-size: 42px; line-height: 1.2; margin: 0; color: #123; flex: none; }}
.frame h3 {{ font-size: 28px; margin: 8px 0 0; color: #555; font-weight: normal; }}
.frame h3 + ul.points {{ font-size: 26px; }}
.frame .body {{ flex: 1; min-height: 0; display: flex; flex-direction: row; gap: 36px; }}
.frame .body.stacked {{ flex-direction: column; gap: 16px; }}
.frame ul.points {{ margin: 0; padding-left: 1.1em; line-height: 1.35; flex: none; }}
.frame .body.beside ul.points {{ flex: 0 0 38%; }}
.frame ul.points li {{ margin: 0 0 0.35em; }}
.frame figure {{ flex: 1; min-height: 0; min-width: 0; margin: 0; display: flex;
  justify-content: center; align-items: center; }}
.frame figure img {{ width: 100%; height: 100%; object-fit: contain; }}
.frame pre.code {{ flex: none; margin: 0; padding: 14px 20px; background: #f5f6f8;
  border-radius: 6px; font-size: 21px; line-height: 1.4; white-space: pre; overflow: hidden; }}
.frame .output {{ flex: none; font-size: 22px; line-height: 1.35; }}
.frame .output table {{ border-collapse: collapse; }}
.frame .output th, .frame .output td {{ padding: 6px 14px; border-bottom: 1px solid #ccc;
  text-align: left; }}
.frame code {{ font-family: "DejaVu Sans Mono", "Noto Sans Mono", monospace; font-size: 0.9em; }}
.reveal .slide-number {{ font-size: 18px; background: none; color: #777; right: auto;
  left: 16px; bottom: 10px; }}
/* printed (Chromium's --print-to-pdf, see print_pdf): a page per slide, numbered; reveal's own
   ?print-pdf layout (class print-pdf) keeps its rules */
@media print {{
  @page {{ size: {WIDTH}px {HEIGHT}px; margin: 0; }}
  html:not(.print-pdf), html:not(.print-pdf) body, html:not(.print-pdf) .reveal {{
    position: static !important; width: {WIDTH}px !important; height: auto !important;
    overflow: visible !important; }}
  html:not(.print-pdf) .reveal .slides {{ position: static !important; inset: auto !important;
    width: {WIDTH}px !important; height: auto !important; margin: 0 !important;
    transform: none !important; zoom: 1 !important; counter-reset: slide; }}
  html:not(.print-pdf) .reveal .slides > section {{ display: block !important;
    position: relative !important; inset: auto !important; width: {WIDTH}px !important;
    height: {HEIGHT}px !important; padding: 0 !important; transform: none !important;
    opacity: 1 !important; visibility: visible !important; counter-increment: slide; }}
  html:not(.print-pdf) .reveal .slides > section + section {{ break-before: page; }}
  html:not(.print-pdf) .reveal .slides > section::after {{ content: counter(slide);
    position: absolute; right: 28px; bottom: 14px; font-size: 18px; color: #777; }}
  html:not(.print-pdf) body > :not(.reveal), html:not(.print-pdf) .reveal > :not(.slides),
  html:not(.print-pdf) aside.notes {{ display: none !important; }}
}}
"""

MATHJAX_CONFIG = """window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
        processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: 'notes'},  // the speaker view shows the notes' TeX as it is
  chtml: {fontURL: '_static/mathjax/output/chtml/fonts/woff-v2'}
};"""

REVEAL_CONFIG = {
    "width": WIDTH,
    "height": HEIGHT,
    "margin": 0.02,
    "center": False,
    "hash": True,
    "transition": "none",
    "slideNumber": "c/t",
    "showSlideNumber": "all",
    "pdfMaxPagesPerSlide": 1,
    # every slide laid out from the start (reveal leaves far ones undisplayed), so the maths'
    # fonts and the figures have loaded when the deck is printed
    "viewDistance": 1000,
}


# Code too long or too wide for the room its slide leaves it shrinks, down to 14 px (what still
# does not fit, measure_deck reports).
FIT_CODE = """
const fitCode = () => document.querySelectorAll(".frame").forEach(frame => {
  const pre = frame.querySelector("pre.code");
  if (!pre) return;
  const tooBig = () => frame.scrollHeight > frame.clientHeight + 1 || pre.scrollWidth > pre.clientWidth + 1;
  for (let size = parseFloat(getComputedStyle(pre).fontSize); tooBig() && size > 14; size--)
    pre.style.fontSize = `${size - 1}px`;
});"""


def _slide_html(slide: Slide) -> str:
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import PythonLexer

    points = f'<ul class="points">{"".join(f"<li>{_inline(p)}</li>" for p in slide.points)}</ul>'
    if slide.title:
        these = "this lecture" if slide.lectures == 1 else "these lectures"
        objectives = f"<h3>After {these} you can</h3>{points}" if slide.points else ""
        frame = f"<h1>{_inline(slide.heading)}</h1>{objectives}"
    else:
        visual = ""
        if slide.figure:
            visual = f'<figure><img src="{slide.figure}" alt="figure"></figure>'
        elif slide.code:
            code = highlight(slide.code, PythonLexer(), HtmlFormatter(nowrap=True))
            visual = f'<pre class="code highlight"><code>{code}</code></pre>'
        elif slide.table:
            visual = f'<div class="output">{slide.table}</div>'
        layout = "beside" if slide.figure and not slide.figure_wide else "stacked"
        frame = (
            f'<h2>{_inline(slide.heading)}</h2><div class="body {layout}">{points}{visual}</div>'
        )
    notes = "\n".join(slide.notes)
    aside = f'<aside class="notes">{notes}</aside>' if notes.strip() else ""
    return f'<section data-prose="{int(slide.prose)}"><div class="frame">{frame}</div>{aside}</section>'


def deck_html(notebook, title: str, objectives: dict[str, list[str]] | None = None) -> str:
    """The deck's HTML for an executed chapter (reveal.js and MathJax from ``_static/``), with
    the lecture plan's ``objectives`` in the title slide's notes (see :func:`chapter_slides`)."""
    from pygments.formatters import HtmlFormatter

    sections = "\n".join(_slide_html(slide) for slide in chapter_slides(notebook, objectives))
    code_style = HtmlFormatter().get_style_defs(".highlight")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="_static/reveal.js/dist/reveal.css">
<style>{STYLE}{code_style}</style>
<script>{MATHJAX_CONFIG}</script>
<script src="_static/mathjax/tex-chtml.js"></script>
</head>
<body>
<div class="reveal"><div class="slides">
{sections}
</div></div>
<script src="_static/reveal.js/dist/reveal.js"></script>
<script src="_static/reveal.js/plugin/notes/notes.js"></script>
<script>{FIT_CODE}
Reveal.initialize(Object.assign({json.dumps(REVEAL_CONFIG)}, {{plugins: [RevealNotes]}}))
  .then(() => MathJax.startup.promise).then(fitCode);
</script>
</body>
</html>
"""


def _copy_vendored(static: Path) -> None:
    """Copy the parts of the vendored reveal.js and MathJax that a deck loads."""
    needed = {
        "reveal.js/dist": VENDOR / "reveal.js" / "dist",
        "reveal.js/plugin/notes": VENDOR / "reveal.js" / "plugin" / "notes",
        "mathjax/tex-chtml.js": VENDOR / "mathjax" / "tex-chtml.js",
        "mathjax/output/chtml/fonts": VENDOR / "mathjax" / "output" / "chtml" / "fonts",
        "mathjax/input/tex/extensions": VENDOR / "mathjax" / "input" / "tex" / "extensions",
    }
    missing = [str(source) for source in needed.values() if not source.exists()]
    if missing:
        raise FileNotFoundError(
            f"vendored files missing: {', '.join(missing)}; run `make slides` "
            "(it vendors reveal.js and MathJax with npm)"
        )
    for target, source in needed.items():
        destination = static / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination, dirs_exist_ok=True)
        else:
            shutil.copy2(source, destination)


def write_deck(
    notebook, stem: str, out_dir: Path, objectives: dict[str, list[str]] | None = None
) -> Path:
    """Write ``out_dir/<stem>.slides.html`` (and the vendored scripts into ``out_dir/_static``)."""
    _copy_vendored(out_dir / "_static")
    title = next(
        (
            heading
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for heading, level, _ in _split_at_headings(cell.source)
            if level == 1
        ),
        stem,
    )
    path = out_dir / f"{stem}.slides.html"
    path.write_text(deck_html(notebook, title, objectives), encoding="utf-8")
    return path


# ---- measured in a browser ----------------------------------------------------------------


def find_chromium() -> str | None:
    """The Chromium (or Chrome) on this machine, or ``None``."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def _chromium_command(chromium: str, profile: Path, *options: str) -> list[str]:
    command = [chromium, "--headless", "--disable-gpu", "--no-first-run"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    return [*command, f"--user-data-dir={profile}", "--virtual-time-budget=30000", *options]


def dump_dom(chromium: str, page: Path, profile: Path, size: str | None = None) -> str:
    """The page's DOM after its scripts ran (virtual time lets MathJax finish typesetting),
    in a window of ``size`` ("1280,800") if given."""
    window = [f"--window-size={size}"] if size else []
    url = page.resolve().as_uri()
    result = subprocess.run(
        _chromium_command(chromium, profile, *window, "--dump-dom", url),
        capture_output=True,
        text=True,
        timeout=180,
    )
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"Chromium could not open {url}:\n{result.stderr[-2000:]}")
    return result.stdout


# Run in the deck once reveal.js and MathJax are done: goes to every slide, measures it after
# layout and writes what is wrong into the page, for --dump-dom to carry out.
MEASURE = """<script>
(() => {
  const text = frame => {  // what reads as text: no code, no typeset maths
    const copy = frame.cloneNode(true);
    copy.querySelectorAll("pre, code, mjx-container").forEach(e => e.remove());
    return copy.textContent;
  };
  const slideProblems = (section, number) => {
    const frame = section.querySelector(".frame"), problems = [];
    if (frame.scrollHeight > frame.clientHeight + 1)
      problems.push(`overflows at the bottom by ${frame.scrollHeight - frame.clientHeight} px`);
    for (const pre of frame.querySelectorAll("pre"))
      if (pre.scrollWidth > pre.clientWidth + 1)
        problems.push(`code cut off at the right (${pre.scrollWidth} px in a ${pre.clientWidth} px box)`);
    if (frame.scrollWidth > frame.clientWidth + 1)
      problems.push(`wider than the slide by ${frame.scrollWidth - frame.clientWidth} px`);
    const count = text(frame).split(/\\s+/).filter(w => /\\w/.test(w)).length;
    if (count > MAX_WORDS) problems.push(`${count} words of text (at most MAX_WORDS)`);
    for (const img of frame.querySelectorAll("img"))
      if (!img.complete || !img.naturalWidth) problems.push("a figure did not load");
      else if (img.clientHeight < Math.min(img.naturalHeight, 150))
        problems.push(`a figure squeezed to ${img.clientHeight} px high`);
    if (/\\$[^$\\s][^$]*\\$|\\\\\\(/.test(text(frame))) problems.push("maths left untypeset");
    const notes = section.querySelector("aside.notes");
    if (section.dataset.prose === "1" && !(notes && notes.textContent.trim()))
      problems.push("no speaker notes");
    const shown = document.querySelector(".reveal .slide-number");
    const current = shown && shown.offsetParent && shown.querySelector(".slide-number-a");
    if (!current || current.textContent !== String(number))
      problems.push(`slide number ${number} not shown (got ${JSON.stringify(shown && shown.textContent)})`);
    return problems;
  };
  const report = result => {
    const out = document.createElement("pre");
    out.id = "deck-report";
    out.textContent = JSON.stringify(result);
    document.body.appendChild(out);
  };
  const measure = () => {
    const sections = [...document.querySelectorAll(".reveal .slides > section")];
    const result = {slides: sections.length, problems: []};
    sections.forEach((section, index) => {
      Reveal.slide(index);
      for (const problem of slideProblems(section, index + 1))
        result.problems.push([index + 1, problem]);
    });
    report(result);
  };
  const laidOut = new Promise(done => Reveal.isReady() ? done() : Reveal.on("ready", done));
  Promise.all([laidOut, MathJax.startup.promise]).then(() => setTimeout(measure, 500));
})();
</script>""".replace("MAX_WORDS", str(MAX_WORDS))


def _measured_dom(deck: Path, chromium: str) -> dict:
    """Open a copy of the deck with the measuring script in it (beside the deck, so that
    ``_static/`` resolves) at 1280x720 and return the script's report."""
    page = deck.with_name(f".{deck.stem}.measured.html")
    page.write_text(deck.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"))
    try:
        with tempfile.TemporaryDirectory() as profile:
            dom = dump_dom(chromium, page, Path(profile), f"{WIDTH},{HEIGHT}")
    finally:
        page.unlink()
    found = re.search(r'<pre id="deck-report">(.*?)</pre>', dom, re.S)
    if not found:
        raise RuntimeError(
            f"{deck.name}: the measuring script did not report (did reveal.js load?)"
        )
    return json.loads(html.unescape(found.group(1)))


def measure_deck(deck: Path, chromium: str | None = None) -> list[str]:
    """What is wrong with each slide of a deck shown at 1280x720 in headless Chromium: "slide
    N: problem" for a slide that overflows, cuts code off at the right, shows more than
    ``MAX_WORDS`` words, a figure that did not load or maths left raw, has prose but no speaker
    notes, or no slide number; and pages of the ``?print-pdf`` layout that would print blank."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError("measuring a deck needs Chromium (apt-get install chromium)")
    report = _measured_dom(deck, chromium)
    problems = [] if report["slides"] else ["the deck has no slides"]
    return problems + [f"slide {number}: {problem}" for number, problem in report["problems"]]


def print_pdf(deck: Path, chromium: str | None = None) -> Path:
    """Print the deck (reveal's ``?print-pdf`` layout, a page per slide) to ``<deck>.pdf``."""
    chromium = chromium or find_chromium()
    if chromium is None:
        raise RuntimeError("printing a deck needs Chromium (apt-get install chromium)")
    pdf = deck.with_suffix(".pdf")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            _chromium_command(
                chromium,
                Path(profile),
                "--no-pdf-header-footer",
                f"--print-to-pdf={pdf}",
                deck.resolve().as_uri(),
            ),
            capture_output=True,
            text=True,
            timeout=300,
        )
    if result.returncode != 0 or not pdf.is_file():
        raise RuntimeError(f"Chromium could not print {deck.name}:\n{result.stderr[-2000:]}")
    return pdf


def _pdf_pages(pdf: bytes) -> list[bytes]:
    """The drawing operators of each page of a PDF that Chromium printed (uncompressed
    objects, Flate-compressed content streams of a direct /Length)."""
    objects = {
        int(number): body for number, body in re.findall(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)
    }
    pages = []
    for body in objects.values():
        if re.search(rb"/Type\s*/Page\b", body):
            contents = re.search(rb"/Contents\s+(\d+) 0 R", body)
            stream = objects[int(contents.group(1))] if contents else b""
            found = re.search(rb"/Length\s+(\d+).*?stream\r?\n", stream, re.S)
            raw = stream[found.end() : found.end() + int(found.group(1))] if found else b""
            pages.append(zlib.decompress(raw) if raw else b"")
    return pages


def pdf_problems(pdf: Path, deck: Path) -> list[str]:
    """What is wrong with a deck's PDF: not one page per slide, a blank page (one that draws
    no text and no image), fewer pages with an image than the deck has figures, no MathJax
    font where the slides have maths."""
    data, page = pdf.read_bytes(), deck.read_text(encoding="utf-8")
    shown = re.sub(r'<aside class="notes">.*?</aside>', "", page, flags=re.S)
    pages = _pdf_pages(data)
    slides, figures = shown.count("<section"), shown.count("<figure>")
    problems = [] if len(pages) == slides else [f"{len(pages)} PDF pages for {slides} slides"]
    problems += [
        f"PDF page {number} is blank"
        for number, drawn in enumerate(pages, start=1)
        if not re.search(rb"\bT[jJ]\b|\bDo\b", drawn)
    ]
    with_image = sum(1 for drawn in pages if re.search(rb"\bDo\b", drawn))
    if with_image < figures:
        problems.append(f"{with_image} PDF pages show a figure, the deck has {figures}")
    if (
        re.search(r"\$[^$]+\$|\\\(", shown.split('<div class="slides">')[-1])
        and b"MathJax_" not in data
    ):
        problems.append("no typeset maths in the PDF (no MathJax font)")
    return problems
