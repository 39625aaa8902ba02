"""中文版 (issue 27): the Chinese catalogs are complete, current and use the glossary's terms.

The English is the source.  Every document with a catalog (book/locales/zh_CN/LC_MESSAGES/)
must have a current translation of every one of its English messages, as Sphinx extracts them
from the book now: a sentence untranslated, fuzzy (its English changed since it was
translated) or missing from the catalog fails here, naming the file and the sentence.  The
chapters get their catalogs when they are translated (``make locales DOC=03_optimizers``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from courseware import i18n

BOOK = i18n.BOOK
TRANSLATED = i18n.translated_documents()


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """The messages of every document of the book, extracted from the English now (no
    notebook is executed: about 10 s of Sphinx)."""
    copy = tmp_path_factory.mktemp("book") / "book"
    shutil.copytree(BOOK, copy, ignore=shutil.ignore_patterns("_build", "_vendor", "*.mo"))
    return i18n.extract(copy)


def test_the_introduction_and_the_glossary_are_translated():
    assert {"intro", "glossary"} <= set(TRANSLATED)
    assert set(TRANSLATED) <= set(i18n.toc_documents()), "a catalog of no document of the book"


@pytest.mark.parametrize("document", TRANSLATED)
def test_catalog_is_complete_and_current(document, templates):
    template = i18n._read(templates / f"{document}.pot")
    stale = i18n.stale_messages(i18n.catalog_dir() / f"{document}.po", template)
    assert not stale, (
        f"{len(stale)} English sentence(s) of {document} without a current Chinese "
        "translation (python -m courseware.i18n update, then translate):\n" + "\n".join(stale)
    )


def test_every_document_of_the_book_has_a_template_and_no_code(templates):
    """One catalog per document, with the prose only: no line of a chapter's code is a message."""
    for document in i18n.toc_documents():
        assert (templates / f"{document}.pot").is_file(), f"no messages extracted from {document}"
    for chapter in sorted(BOOK.glob("[0-9][0-9]_*.ipynb")):
        ids = [m.id for m in i18n._read(templates / f"{chapter.stem}.pot") if m.id]
        assert len(" ".join(ids)) > 1000, f"{chapter.name}: its prose was not extracted"
        # a code cell extracted would give messages whose lines are code lines (prose may quote
        # a line of code inline, in backticks: that is no leak)
        message_lines = {line.strip() for message in ids for line in message.splitlines()}
        code = [
            line.strip()
            for cell in nbformat.read(chapter, as_version=4).cells
            if cell.cell_type == "code"
            for line in cell.source.splitlines()
            if len(line.strip()) > 25 and not line.strip().startswith("#")
        ]
        leaked = [line for line in code if line in message_lines]
        assert not leaked, f"{chapter.name}: code extracted as a message: {leaked[:3]}"


def test_glossary_terms_are_used_consistently():
    """For each glossary term a translated English sentence uses, its translation uses the
    glossary's Chinese term (the first name where the glossary gives two)."""
    problems = i18n.term_problems()
    assert not problems, "\n".join(problems)


def test_the_glossary_has_no_newton_momentum():
    terms = {term.english[0]: term.chinese for term in i18n.glossary_terms()}
    assert terms["Nesterov momentum"] == "Nesterov 动量"
    assert (
        terms["mini-batch gradient descent"] == "小批量梯度下降" and terms["mini-batch"] == "小批量"
    )
    assert terms["step"] == "步" and terms["iteration"] == "迭代"
    assert "牛顿动量" not in (BOOK / "glossary.md").read_text(encoding="utf-8")


def test_term_consistency_is_checked(tmp_path):
    """A translation that names a term otherwise than the glossary is reported."""
    book = _small_book(tmp_path)
    path = i18n.catalog_dir(book) / "intro.po"
    catalog = i18n._read(path)
    message = next(m for m in catalog if m.id.startswith("Training a neural network"))
    message.string = message.string.replace("小批量", "分批")
    i18n._write(catalog, path)
    problems = i18n.term_problems(book)
    assert len(problems) == 1 and "'mini-batch' is '小批量'" in problems[0], problems


def _small_book(tmp_path: Path) -> Path:
    """The introduction and the glossary with their catalogs, as a two-page book."""
    book = tmp_path / "book"
    book.mkdir()
    for name in ("_config.yml", "intro.md", "glossary.md"):
        shutil.copy(BOOK / name, book / name)
    shutil.copytree(BOOK / "_ext", book / "_ext", ignore=shutil.ignore_patterns("__pycache__"))
    for document in ("intro", "glossary"):
        target = i18n.catalog_dir(book) / f"{document}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(i18n.catalog_dir() / f"{document}.po", target)
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nchapters:\n- file: glossary\n", encoding="utf-8"
    )
    return book


def test_editing_an_english_sentence_makes_the_translation_stale_until_updated(tmp_path):
    book = _small_book(tmp_path)
    intro = book / "intro.md"
    old = "One symbol has one meaning in every chapter."
    new = "One symbol has exactly one meaning in every chapter."
    assert old in intro.read_text(encoding="utf-8")
    intro.write_text(intro.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    templates = i18n.extract(book)
    edited = next(m.id for m in i18n._read(templates / "intro.pot") if m.id.startswith(new))

    # before `update`, the edited sentence is missing from the catalog: stale, named
    problems = i18n.problems(book, templates)
    assert len(problems) == 1 and "intro.po" in problems[0] and new in problems[0], problems

    # `update` keeps the old translation, marked fuzzy with the old English beside it: still stale
    i18n.update(book, templates=templates)
    catalog = i18n._read(i18n.catalog_dir(book) / "intro.po")
    message = catalog.get(edited)
    assert message.fuzzy and message.string.startswith("每个符号在所有章节中都只有一种含义")
    problems = i18n.problems(book, templates)
    assert len(problems) == 1 and "fuzzy" in problems[0] and new in problems[0], problems
    text = (i18n.catalog_dir(book) / "intro.po").read_text(encoding="utf-8")
    previous = re.search(r"^#, fuzzy\n((?:#\| .*\n)+)msgid", text, re.M)
    assert previous and old in " ".join(previous.group(1).replace("#|", " ").split())

    # the translator confirms the new meaning: current again, and nothing else changed
    message.string = message.string.replace("都只有一种含义", "都有且只有一种含义")
    message.flags.discard("fuzzy")
    i18n._write(catalog, i18n.catalog_dir(book) / "intro.po")
    assert i18n.problems(book, templates) == []
    counts = i18n.count(i18n._read(i18n.catalog_dir(book) / "intro.po"))
    assert counts.total == len([m for m in i18n._read(templates / "intro.pot") if m.id])


def test_a_new_catalog_starts_with_what_needs_no_translation():
    template = i18n.Catalog()
    for text in (
        "$m$",
        "`m`, `X.shape[1]`",
        "hw01",
        "—",
        "梯度下降",
        "the $t$-th mini-batch",
        "Adam",
    ):
        template.add(text)
    catalog = i18n.merge(template, None, "example")
    assert {m.id for m in catalog if m.id and m.string} == {
        "$m$",
        "`m`, `X.shape[1]`",
        "hw01",
        "—",
        "梯度下降",
    }
    assert not catalog.fuzzy and "example" in catalog.header_comment


def test_language_links_point_to_the_twin_page():
    assert i18n.EDITION_FOLDER == "zh"
    import sys

    sys.path.insert(0, str(BOOK / "_ext"))
    try:
        from language_switch import other_editions
    finally:
        sys.path.remove(str(BOOK / "_ext"))
    assert other_editions("en", "intro") == [("zh_CN", "中文", "zh/intro.html")]
    assert other_editions("en", "lectures/01_mini_batches") == [
        ("zh_CN", "中文", "../zh/lectures/01_mini_batches.html")
    ]
    assert other_editions("zh_CN", "intro") == [("en", "English", "../intro.html")]
    assert other_editions("zh_CN", "lectures/index") == [
        ("en", "English", "../../lectures/index.html")
    ]


def test_book_check_notices_a_missing_or_untranslated_chinese_page(tmp_path, monkeypatch):
    """book/check_build.py (run by make book) checks the Chinese edition beside the English."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_build", BOOK / "check_build.py")
    check_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check_build)
    book = tmp_path / "book"
    (book / "lectures").mkdir(parents=True)
    catalogs = i18n.catalog_dir(book)
    catalogs.mkdir(parents=True)
    (catalogs / "intro.po").write_text("", encoding="utf-8")
    monkeypatch.setattr(check_build, "BOOK", book)
    monkeypatch.setattr(check_build, "CATALOGS", catalogs)
    html = tmp_path / "html"
    (html / "zh" / "_static" / "mathjax").mkdir(parents=True)
    (html / "zh" / "_static" / "mathjax" / "tex-chtml.js").write_text("", encoding="utf-8")
    (html / "zh" / "index.html").write_text("", encoding="utf-8")
    pages = {
        "intro.html": '<a href="zh/intro.html" hreflang="zh-CN">中文</a>',
        "glossary.html": '<a href="zh/glossary.html" hreflang="zh-CN">中文</a>',
        "zh/intro.html": '<html lang="zh-CN"><script src="_static/mathjax/tex-chtml.js">'
        '</script><a href="../intro.html" hreflang="en">English</a>' + "训练神经网络" * 20,
        "zh/glossary.html": '<a href="../glossary.html" hreflang="en">English</a>',
    }
    for name, text in pages.items():
        (html / name).write_text(text, encoding="utf-8")
    docs = ["intro", "glossary"]
    assert check_build.check_chinese_edition(html, docs) == []

    (html / "zh" / "intro.html").write_text(pages["zh/intro.html"][:-120], encoding="utf-8")
    (html / "glossary.html").write_text("", encoding="utf-8")
    (html / "zh" / "glossary.html").unlink()
    assert check_build.check_chinese_edition(html, docs) == [
        "zh/intro.html: has a catalog but hardly any Chinese (was it compiled?)",
        "zh/glossary.html: no Chinese page",
    ]
