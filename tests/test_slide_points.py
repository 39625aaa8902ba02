"""Slides made for a projector (issue 25): every ``##`` section of a chapter has its slide content.

The convention (see the README, *For chapter authors*): the markdown cell that opens a ``##``
section carries ``cell.metadata["slides"]``, either ``{"points": [...]}`` (a few short points,
at most 40 words in all as a projector shows them, a ``$...$`` formula counting as one word),
optionally with ``"show": "<cell id>"`` naming the one code cell of that section the slide
shows, or ``{"skip": true}`` for a section with no slide of its own. A cell whose source opens
more than one ``##`` section gives the second and later ones under
``"slides": {"sections": {"<heading text>": {...}}}``. The chapter's ``#`` title cell carries
``"slides": {"points": [...]}``: the learning objectives of its lecture plan written for the
title slide (at most five short verb phrases, at most 40 words in all).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))
MAX_WORDS = 40
MAX_POINTS = 4
MAX_OBJECTIVES = 5  # points of the title slide
SLIDE_KEYS = {"points", "show", "skip", "sections"}

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
_TITLE = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
_MATHS = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
_WORD = re.compile(r"[^\W_]", re.U)


@dataclass
class Section:
    """A ``##`` section: its heading, the cell that opens it, its slide metadata (None where
    there is none) and the code cells that belong to it."""

    heading: str
    cell_id: str
    slide: dict | None
    code_cells: dict = field(default_factory=dict)


def headings(source: str) -> list[str]:
    """The ``##`` headings of a markdown source, in order (not those in fenced code)."""
    unfenced = _FENCE.sub("", source)
    return [match.group(1).strip() for match in _HEADING.finditer(unfenced)]


def sections(notebook) -> list[Section]:
    """The ``##`` sections of a notebook. A section runs from its heading to the next ``##``
    heading; the code cells after a cell belong to the last section that cell opens."""
    found: list[Section] = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            names = headings(cell.source)
            meta = cell.metadata.get("slides")
            for position, name in enumerate(names):
                if position == 0:
                    slide = meta
                else:
                    slide = ((meta or {}).get("sections") or {}).get(name)
                found.append(Section(name, cell.id, slide))
        elif cell.cell_type == "code" and found:
            found[-1].code_cells[cell.id] = cell
    return found


def projected_words(point: str) -> int:
    """The words a projector shows: a formula in ``$...$`` (or ``$$...$$``) counts as one word,
    markdown markup (``**``, backticks) as none."""
    formulas = len(_MATHS.findall(point))
    text = _MATHS.sub(" ", point)
    return formulas + sum(1 for token in text.split() if _WORD.search(token))


def _points_problems(where: str, points, most: int) -> list[str]:
    """What is wrong with a slide's ``points``: not a non-empty list of non-empty strings,
    more than ``most`` of them or more than ``MAX_WORDS`` words in all."""
    if not isinstance(points, list) or not points:
        return [f"{where}: 'points' must be a non-empty list"]
    if not all(isinstance(point, str) and point.strip() for point in points):
        return [f"{where}: every point must be a non-empty string"]
    problems = []
    if len(points) > most:
        problems.append(f"{where}: {len(points)} points, at most {most}")
    words = sum(projected_words(point) for point in points)
    if words > MAX_WORDS:
        problems.append(f"{where}: {words} words on the slide, at most {MAX_WORDS}")
    return problems


def title_problems(notebook, name: str = "notebook") -> list[str]:
    """What is wrong with the slide metadata of the notebook's ``#`` title cell: the title
    slide's learning objectives (``points`` and nothing else)."""
    titles = [
        cell
        for cell in notebook.cells
        if cell.cell_type == "markdown" and _TITLE.search(_FENCE.sub("", cell.source))
    ]
    if len(titles) != 1:
        return [f"{name}: {len(titles)} cells with a # title, one expected"]
    cell = titles[0]
    where = f"{name}, the title (cell {cell.id})"
    slide = cell.metadata.get("slides")
    if not isinstance(slide, dict):
        return [f"{where}: no slides.points (the learning objectives for the title slide)"]
    if headings(cell.source):
        return [f"{where}: the title cell opens a ## section too"]
    unknown = set(slide) - {"points"}
    problems = [f"{where}: unknown slide keys {sorted(unknown)}"] if unknown else []
    return problems + _points_problems(where, slide.get("points"), MAX_OBJECTIVES)


def slide_problems(notebook, name: str = "notebook") -> list[str]:
    """What is wrong with a notebook's slide metadata, one line per problem."""
    problems = title_problems(notebook, name)
    for section in sections(notebook):
        where = f"{name}, section {section.heading!r} (cell {section.cell_id})"
        slide = section.slide
        if not isinstance(slide, dict):
            problems.append(f"{where}: no slide metadata (points, or skip)")
            continue
        unknown = set(slide) - SLIDE_KEYS
        if unknown:
            problems.append(f"{where}: unknown slide keys {sorted(unknown)}")
        if slide.get("skip"):
            if slide.get("points") or slide.get("show"):
                problems.append(f"{where}: a skipped section has no points or show")
            continue
        problems += _points_problems(where, slide.get("points"), MAX_POINTS)
        show = slide.get("show")
        if show is not None:
            cell = section.code_cells.get(show)
            if cell is None:
                problems.append(f"{where}: 'show' names {show!r}, no code cell of this section")
            elif "remove-cell" in cell.metadata.get("tags", []):
                problems.append(f"{where}: 'show' names {show!r}, a cell the deck drops")
    for cell in notebook.cells:
        meta = cell.metadata.get("slides")
        if meta is None:
            continue
        names = headings(cell.source) if cell.cell_type == "markdown" else []
        if cell.cell_type == "markdown" and _TITLE.search(_FENCE.sub("", cell.source)):
            continue  # the title cell: title_problems
        if not names:
            problems.append(f"{name}, cell {cell.id}: slide metadata on a cell with no ## heading")
            continue
        for extra in set((meta.get("sections") or {})) - set(names[1:]):
            problems.append(f"{name}, cell {cell.id}: 'sections' names {extra!r}, no later heading")
    return problems


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_every_section_has_its_slide(chapter):
    notebook = nbformat.read(chapter, as_version=4)
    assert sections(notebook), f"{chapter.name}: no ## section found"
    problems = slide_problems(notebook, chapter.name)
    assert not problems, "\n".join(problems)


def test_every_chapter_is_checked():
    assert len(CHAPTERS) == 9


def test_words_are_counted_as_a_projector_shows_them():
    assert projected_words(r"Spread $\sigma/\sqrt{B}$: **four** times the batch") == 6
    assert projected_words(r"$v_t = \beta v_{t-1} + (1-\beta) z_t$") == 1
    assert projected_words("`zero_grad()` once per step — not per batch") == 7


def _synthetic(points, show="fig", second=None, objectives=("Write Adam", "Derive its bias")):
    title = new_markdown_cell("# A chapter\n\nWhat it is about.")
    if objectives is not None:
        title.metadata["slides"] = {"points": list(objectives)}
    first = new_markdown_cell("Prose of the title.\n\n## One\n\nText.")
    first.metadata["slides"] = {"points": points, "show": show}
    figure = new_code_cell("plot()")
    figure.id = "fig"
    two = new_markdown_cell("## Two\n\nText.\n\n```text\n## not a heading\n```\n\n## Three")
    if second is not None:
        two.metadata["slides"] = second
    other = new_code_cell("print(1)")
    other.id = "other"
    return new_notebook(cells=[title, first, figure, two, other])


def test_a_good_synthetic_notebook_passes():
    second = {"skip": True, "sections": {"Three": {"points": ["a", "b"], "show": "other"}}}
    notebook = _synthetic(["short", "points"], second=second)
    assert [section.heading for section in sections(notebook)] == ["One", "Two", "Three"]
    assert slide_problems(notebook) == []


@pytest.mark.parametrize(
    ("points", "show", "second", "expected"),
    [
        (["short"], "fig", None, "section 'Two' (cell"),
        (["a " * 41], "fig", {"skip": True}, "41 words"),
        (["a", "b", "c", "d", "e"], "fig", {"skip": True}, "5 points"),
        (["short"], "other", {"skip": True}, "'show' names 'other'"),
        ([], "fig", {"skip": True}, "non-empty list"),
        (["short"], "fig", {"skip": True, "sections": {"Three": {"points": []}}}, "'Three'"),
        (["short"], "fig", {"skip": True, "sections": {"Four": {"skip": True}}}, "'Four'"),
        (["short"], "fig", {"skip": True, "points": ["x"]}, "skipped section"),
    ],
)
def test_a_broken_synthetic_notebook_fails(points, show, second, expected):
    notebook = _synthetic(points, show=show, second=second)
    problems = slide_problems(notebook)
    assert any(expected in problem for problem in problems), problems


def test_metadata_left_on_a_cell_without_heading_fails():
    notebook = _synthetic(["short"], second={"skip": True, "sections": {"Three": {"skip": True}}})
    notebook.cells[2].metadata["slides"] = {"skip": True}
    assert any("no ## heading" in problem for problem in slide_problems(notebook))


@pytest.mark.parametrize(
    ("objectives", "expected"),
    [
        (None, "no slides.points"),
        ([], "non-empty list"),
        (["Derive the bias correction of both averages and apply it " * 5], "50 words"),
        (["a", "b", "c", "d", "e", "f"], "6 points, at most 5"),
    ],
)
def test_a_title_without_fitting_objectives_fails(objectives, expected):
    second = {"skip": True, "sections": {"Three": {"skip": True}}}
    notebook = _synthetic(["short"], second=second, objectives=objectives)
    problems = slide_problems(notebook)
    assert any("the title" in p and expected in p for p in problems), problems


def test_a_title_with_a_show_fails():
    second = {"skip": True, "sections": {"Three": {"skip": True}}}
    notebook = _synthetic(["short"], second=second)
    notebook.cells[0].metadata["slides"]["show"] = "fig"
    assert any("unknown slide keys ['show']" in p for p in slide_problems(notebook))
