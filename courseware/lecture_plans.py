"""The lecture plans of ``book/lectures/NN_<name>.md`` read as data, and checked.

A plan is Markdown written for an instructor; a few conventions make it checkable:

- ``## Learning objectives``: bullets saying what a student can *do* after the lecture, each
  opening with a verb that can be observed (write, derive, compute, explain, choose...);
- one timed table per lecture, its first column headed ``minutes`` and each row's minutes
  written as a range ``12–24`` (en dash or hyphen); the ranges follow each other from 0 to the
  lecture's length (50 minutes);
- ``## Board work``: what is derived on the board (a derivation is budgeted: some segment of
  the table mentions the board);
- ``## Questions``: bullets, each a question to the class followed by a line ``Answer: ...``.

A chapter taught in two lectures splits its plan with ``### Lecture 3a`` / ``### Lecture 3b``
subsections: under ``## Learning objectives`` each lists its own objectives, and each has its
own timed table (under a heading of the same name in the segments' section).

:func:`check_plan` lists what a plan lacks; the tests run it on every plan of the book.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LECTURE_MINUTES = 50

# objectives a test or an observer cannot check ("understand Adam"): the verbs to avoid
VAGUE_VERBS = ("understand", "know", "appreciate", "learn", "be aware", "see", "get a feel")

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")
_RANGE = re.compile(r"^\s*(\d+)\s*[–—-]\s*(\d+)\s*$")
_ANSWER = re.compile(r"^\*{0,2}Answer:?\*{0,2}:?\s*(.*)$", re.I)


@dataclass(frozen=True)
class Segment:
    start: int  # minute the segment begins
    end: int  # minute it ends
    text: str  # the rest of the row, its cells joined by " | "

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Lecture:
    name: str  # "Lecture 3a", or the plan's file stem ("01_mini_batches") for a single lecture
    segments: tuple[Segment, ...]

    @property
    def minutes(self) -> int:
        return sum(segment.minutes for segment in self.segments)


def _lines(path: Path | str) -> list[str]:
    return Path(path).read_text(encoding="utf-8").splitlines()


def _sections(lines: list[str], level: int) -> list[tuple[str, list[str]]]:
    """``(heading, lines below it)`` for every heading of ``level``, up to the next heading of
    that level or a higher one (code fences are not headings)."""
    sections: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    fenced = False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if match and len(match.group(1)) <= level:
            current = None
            if len(match.group(1)) == level:
                current = []
                sections.append((match.group(2), current))
            continue
        if current is not None:
            current.append(line)
    return sections


def _section(lines: list[str], title: str) -> list[str] | None:
    """The lines of the ``##`` section titled ``title`` (case-insensitive), None if absent."""
    for heading, body in _sections(lines, 2):
        if heading.strip().lower() == title.lower():
            return body
    return None


def _items(lines: list[str]) -> list[list[str]]:
    """The bullets of ``lines``: each a list of its lines, marker stripped (the bullet's line,
    then its indented lines and the lines that continue it without a blank line between)."""
    items: list[list[str]] = []
    open_item = False  # the next line may continue the last bullet
    blank = False
    for line in lines:
        bullet = _BULLET.match(line)
        if bullet:
            items.append([bullet.group(1).strip()])
            open_item, blank = True, False
        elif not line.strip():
            blank = True
        elif open_item and (line[0].isspace() or not blank) and not _HEADING.match(line):
            items[-1].append(line.strip())
            blank = False
        else:
            open_item = False
    return items


def _join(lines: list[str]) -> str:
    return " ".join(line for line in lines if line)


def _lecture_name(path: Path | str, heading: str | None) -> str:
    return heading if heading else Path(path).stem


def learning_objectives(path: Path | str, lecture: str | None = None) -> list[str]:
    """Every bullet under the plan's ``## Learning objectives``, its ``###`` subsections
    included, in order (only those under ``### <lecture>`` when ``lecture`` is given)."""
    body = _section(_lines(path), "Learning objectives")
    if body is None:
        return []
    if lecture is not None:
        parts = dict(_sections(body, 3))
        body = parts.get(lecture, [])
    return [_join(item) for item in _items(body)]


def _tables(lines: list[str]) -> list[tuple[str | None, list[list[str]]]]:
    """Each Markdown table whose first column is headed ``minutes``: the ``###`` heading above
    it (None if none since the last ``##``) and its body rows as lists of cells."""
    tables = []
    heading: str | None = None
    rows: list[list[str]] | None = None
    for line in lines:
        match = _HEADING.match(line)
        if match:
            heading = match.group(2) if len(match.group(1)) == 3 else None
        if line.startswith("|"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if rows is None:
                if cells and cells[0].lower() == "minutes":
                    rows = []
                    tables.append((heading, rows))
                else:
                    rows = []  # another table: read and dropped
                continue
            if set("".join(cells)) <= set("-: "):
                continue
            if tables and rows is tables[-1][1]:
                rows.append(cells)
        else:
            rows = None
    return tables


def lectures(path: Path | str) -> list[Lecture]:
    """The plan's lectures, each with its timed segments in the table's order.

    A row whose minutes are not a range ``a–b`` becomes a segment of ``-1`` minutes (which
    :func:`check_plan` reports)."""
    found = []
    for heading, rows in _tables(_lines(path)):
        segments = []
        for cells in rows:
            match = _RANGE.match(cells[0])
            start, end = (int(match.group(1)), int(match.group(2))) if match else (-1, -2)
            segments.append(Segment(start, end, " | ".join(cells[1:])))
        found.append(Lecture(_lecture_name(path, heading), tuple(segments)))
    return found


def questions(path: Path | str) -> list[tuple[str, str]]:
    """``(question, answer)`` for every bullet of the plan's ``## Questions`` (its ``###``
    subsections included); the answer is what follows ``Answer:``, "" when there is none."""
    body = _section(_lines(path), "Questions")
    pairs = []
    for item in _items(body or []):
        question, answer = [], []
        for line in item:
            match = _ANSWER.match(line)
            if match and not answer:
                answer.append(match.group(1))
            elif answer:
                answer.append(line)
            else:
                question.append(line)
        pairs.append((_join(question), _join(answer)))
    return pairs


def check_plan(path: Path | str, minutes: int = LECTURE_MINUTES) -> list[str]:
    """What the plan at ``path`` lacks, one line each (empty when it passes): objectives,
    timed tables whose segments run from 0 to ``minutes`` without gap or overlap, board work
    that the timing budgets, and questions with answers."""
    path = Path(path)
    lines = _lines(path)
    name = path.name
    problems = []

    body = _section(lines, "Learning objectives")
    objectives = learning_objectives(path)
    if body is None or not objectives:
        problems.append(f"{name}: no learning objectives (a '## Learning objectives' bullet list)")
    for objective in objectives:
        first = objective.lstrip("*_ ").lower()
        vague = next((verb for verb in VAGUE_VERBS if re.match(rf"{verb}\b", first)), None)
        if vague:
            problems.append(
                f"{name}: objective {objective[:60]!r} opens with {vague!r}: say what a student "
                "can do (write, derive, compute, explain, choose...)"
            )

    found = lectures(path)
    if not found:
        problems.append(f"{name}: no timed table (a table whose first column is 'minutes')")
    subsections = dict(_sections(body or [], 3))
    for lecture in found:
        label = f"{name}: {lecture.name}"
        if any(s.minutes < 0 for s in lecture.segments):
            bad = [s.text[:40] for s in lecture.segments if s.minutes < 0]
            problems.append(f"{label}: minutes not written as a range 'a–b' in {bad}")
            continue
        if lecture.minutes != minutes:
            problems.append(
                f"{label}: its segments add up to {lecture.minutes} minutes, not {minutes}"
            )
        position = 0
        for segment in lecture.segments:
            if segment.start != position:
                problems.append(
                    f"{label}: the segment {segment.start}–{segment.end} should start at minute "
                    f"{position} ({segment.text[:40]!r})"
                )
            position = segment.end
        if position != minutes and lecture.minutes == minutes:
            problems.append(f"{label}: the last segment ends at minute {position}, not {minutes}")
        if lecture.name.startswith("Lecture") and not learning_objectives(path, lecture.name):
            problems.append(f"{label}: no objectives under '### {lecture.name}'")
    if len(found) > 1 and len(subsections) < len(found):
        problems.append(
            f"{name}: {len(found)} lectures but {len(subsections)} '### Lecture ...' "
            "subsections of objectives"
        )

    problems += _ragged_rows(lines, name)

    board = _section(lines, "Board work")
    if board is None or not any(line.strip() for line in board):
        problems.append(f"{name}: no board work (a '## Board work' section)")
    elif not any(
        "board" in segment.text.lower() for lecture in found for segment in lecture.segments
    ):
        problems.append(f"{name}: the board work is budgeted in no segment of the timing")

    asked = questions(path)
    if not asked:
        problems.append(f"{name}: no questions (a '## Questions' bullet list)")
    for question, answer in asked:
        if not answer:
            problems.append(f"{name}: the question {question[:60]!r} has no 'Answer:' line")
    return problems


def _ragged_rows(lines: list[str], name: str) -> list[str]:
    """Table rows with more or fewer cells than their table's header: a ``|`` inside maths
    (``$|x|$``) splits a cell in two, and the row renders shifted."""
    found, width = [], None
    for number, line in enumerate(lines, start=1):
        if not line.startswith("|"):
            width = None
            continue
        cells = len(line.strip().strip("|").split("|"))
        if width is None:
            width = cells
        elif cells != width:
            found.append(
                f"{name}, line {number}: {cells} cells in a table of {width} columns "
                "(a '|' inside maths? write \\lvert ... \\rvert)"
            )
    return found


def plans(folder: Path | None = None) -> list[Path]:
    """The lecture plans of the book (``book/lectures/NN_<name>.md``)."""
    folder = folder or Path(__file__).resolve().parent.parent / "book" / "lectures"
    return sorted(folder.glob("[0-9][0-9]_*.md"))
