"""Releasing a homework's solutions to the students once its deadline has passed.

``python -m courseware solutions hw03 --deadline 2027-03-01T23:59`` (``make solutions HW=hw03
DEADLINE=2027-03-01T23:59``) refuses while the deadline is ahead, saying how much time is left;
after it, it writes ``released_solutions/hw03/hw03.ipynb`` (git-ignored), the notebook to hand
out: the source notebook of ``solutions/hw03/`` with

- the answers in place, without nbgrader's ``### BEGIN/END SOLUTION`` markers;
- the visible tests, which pass on the answers when the notebook is run;
- the **hidden tests left out** (a comment marks where they were), unless
  ``--with-hidden-tests``. Hidden tests hold no expected values: they check with
  ``expect_solution``, which compares with the solution only in a graded run and passes
  anywhere else, so a student running them on their own code would read a pass that means
  nothing; and a homework reused in a later term keeps the inputs its grader tests unseen.
  A student who wants to know why a hidden test failed asks for the full feedback
  (``c.Feedback.hidden_tests = "full"``, then regrade), which shows the hidden tests with that
  student's own results;
- no outputs and no nbgrader metadata (it is no assignment to submit), and a first cell that
  says what it is and when it was released.

A deadline without a time zone is the grading machine's local time; give one
(``2027-03-01T23:59+01:00``) when the students are elsewhere.  The classic-mistakes file of a
homework (``mistakes.json``) quotes the solutions for the grader and is never released.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat

from courseware.grading.course import Course

RELEASE_FOLDER = "released_solutions"
_SOLUTION = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*$")
_HIDDEN_BEGIN = re.compile(r"^(\s*)### BEGIN HIDDEN TESTS\s*$")
_HIDDEN_END = re.compile(r"^\s*### END HIDDEN TESTS\s*$")
HIDDEN_NOTE = "# (hidden tests of the grader: not released)"


class DeadlineNotPassed(RuntimeError):
    """The solutions of a homework were asked for before its deadline."""


def parse_deadline(text: str) -> datetime:
    """``"2027-03-01T23:59"`` (local time) or with a zone (``...+01:00``, ``...Z``) -> an
    aware datetime."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"--deadline {text!r}: not a date and time like 2027-03-01T23:59 "
            "(ISO 8601, optionally with a zone such as +01:00)"
        ) from None
    return moment if moment.tzinfo else moment.astimezone()


def describe_interval(delta: timedelta) -> str:
    """``timedelta(days=2, hours=3, minutes=4)`` -> ``"2 days 3 h 4 min"``."""
    seconds = int(delta.total_seconds())
    if seconds < 60:
        return f"{max(seconds, 0)} s"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = [f"{days} day{'s' if days != 1 else ''}"] if days else []
    parts += [f"{hours} h"] if hours else []
    parts += [f"{minutes} min"] if minutes or not parts else []
    return " ".join(parts)


def strip_source(source: str, keep_hidden_tests: bool, where: str) -> str:
    """A cell's source without nbgrader's solution markers, and without its hidden tests
    (a comment in their place) unless ``keep_hidden_tests``."""
    lines, hidden = [], None
    for line in source.splitlines():
        begin = _HIDDEN_BEGIN.match(line)
        if begin:
            if hidden is not None:
                raise ValueError(f"{where}: '### BEGIN HIDDEN TESTS' inside hidden tests")
            hidden = begin.group(1)
            if not keep_hidden_tests:
                lines.append(hidden + HIDDEN_NOTE)
            continue
        if _HIDDEN_END.match(line):
            if hidden is None:
                raise ValueError(f"{where}: '### END HIDDEN TESTS' without its BEGIN")
            hidden = None
            continue
        if _SOLUTION.match(line) or (hidden is not None and not keep_hidden_tests):
            continue
        lines.append(line)
    if hidden is not None:
        raise ValueError(f"{where}: '### BEGIN HIDDEN TESTS' without its END")
    return "\n".join(lines)


def solution_notebook(
    source: Path, deadline: datetime, released: datetime, keep_hidden_tests: bool = False
):
    """The notebook handed to students, from the source notebook at ``source``."""
    notebook = nbformat.read(source, as_version=4)
    for index, cell in enumerate(notebook.cells):
        cell.metadata.pop("nbgrader", None)
        if cell.cell_type == "code":
            cell.source = strip_source(
                cell.source, keep_hidden_tests, f"{source.name}, cell {index}"
            )
            cell.outputs, cell.execution_count = [], None
    hidden = (
        "The hidden tests of the grader are included."
        if keep_hidden_tests
        else "The grader's hidden tests are not included: a comment marks where they were."
    )
    note = nbformat.v4.new_markdown_cell(
        f"**Solutions of {source.parent.name}**, released "
        f"{released.astimezone().strftime('%Y-%m-%d %H:%M %Z')} after the deadline "
        f"({deadline.strftime('%Y-%m-%d %H:%M %Z')}). Every answer cell holds a model answer, "
        f"and the visible tests pass on it. {hidden}"
    )
    note.id = "released-solutions-note"
    notebook.cells.insert(0, note)
    nbformat.validate(notebook)
    return notebook


def release_solutions(
    course: Course,
    assignment: str,
    deadline: datetime,
    out: Path | None = None,
    now: datetime | None = None,
    keep_hidden_tests: bool = False,
) -> list[Path]:
    """Write the solution notebooks of ``assignment`` into ``out`` (default:
    ``released_solutions/<hw>/`` of the course), or raise :class:`DeadlineNotPassed`."""
    [assignment] = course.check_assignments([assignment])
    now = now or datetime.now(timezone.utc)
    if now < deadline:
        raise DeadlineNotPassed(
            f"{assignment}: the deadline {deadline.strftime('%Y-%m-%d %H:%M %Z').strip()} has "
            f"not passed yet ({describe_interval(deadline - now)} left); solutions are "
            "released only after it"
        )
    folder = Path(out) if out else course.root / RELEASE_FOLDER / assignment
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in course.notebooks(assignment):
        notebook = solution_notebook(
            course.solutions / assignment / f"{name}.ipynb", deadline, now, keep_hidden_tests
        )
        path = folder / f"{name}.ipynb"
        nbformat.write(notebook, path)
        written.append(path)
    return written


def add_commands(commands) -> None:
    """The ``solutions`` command, added to an argparse subparsers object."""
    p = commands.add_parser(
        "solutions", help="release a homework's solutions to the students, after its deadline"
    )
    p.add_argument("assignment", help="e.g. hw03")
    p.add_argument(
        "--deadline",
        required=True,
        help="the homework's deadline, e.g. 2027-03-01T23:59 (local time) or "
        "2027-03-01T23:59+01:00; before it the command refuses",
    )
    p.add_argument(
        "--out", help=f"folder written (default: {RELEASE_FOLDER}/<assignment>/ in the course)"
    )
    p.add_argument(
        "--with-hidden-tests",
        action="store_true",
        help="keep the grader's hidden tests in the released notebook (left out by default)",
    )
    p.add_argument(
        "--course-dir", help="the course directory (default: found from the working directory)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        course = Course.find(args.course_dir)
        written = release_solutions(
            course,
            args.assignment,
            parse_deadline(args.deadline),
            out=Path(args.out) if args.out else None,
            keep_hidden_tests=args.with_hidden_tests,
        )
    except DeadlineNotPassed as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
        return 1
    except (FileNotFoundError, KeyError, ValueError) as error:
        print(f"error: {error.args[0] if error.args else error}", file=sys.stderr)
        return 2
    for path in written:
        shown = path.relative_to(course.root) if path.is_relative_to(course.root) else path
        print(f"wrote {shown}")
    return 0
