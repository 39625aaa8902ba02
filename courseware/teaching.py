"""Teaching from the book: live-coding notebooks with instructor notes, and slide decks.

``python -m courseware live`` (``make live``) writes, for every chapter
``book/NN_<name>.ipynb``, the notebook ``live/NN_<name>.ipynb`` an instructor types into in
class, and ``live/NN_<name>.notes.md`` beside it. ``python -m courseware slides``
(``make slides``) writes a reveal.js deck per chapter and its PDF (see
:mod:`courseware.slides`), measures every slide in headless Chromium and fails if one does
not fit a 1280x720 screen.

The convention a chapter follows (see :mod:`courseware.live`): a code cell tagged ``live`` is
typed in class; its metadata carries the instructor's notes::

    "live": {"prompt": "# one-line comment the empty cell shows",
             "say": ["point 1", "point 2"], "ask": "a question for the class",
             "misconception": "the usual misconception"}

the cell after it uses the result, and a later cell tagged ``live-check`` (before the next
``live`` cell) compares it with the ``dldemos`` reference through
:func:`courseware.live.check_live`.

A markdown cell that opens a ``##`` section carries that section's slide in its metadata,
``"slides": {"points": ["short point", ...], "show": "<cell id>"}`` (at most 40 words of
points; ``show`` names the one figure or short code cell of the section the slide shows) or
``"slides": {"skip": true}``; a second ``##`` section of the same cell goes under
``"sections": {"<heading text>": {...}}`` inside ``"slides"``. The ``#`` title cell carries
``"slides": {"points": [...]}``, the learning objectives written for the title slide (the
lecture plan's in full go to its notes, see :func:`plan_objectives`). The README's *For
chapter authors* has the details; ``tests/test_slide_points.py`` checks every chapter.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import nbformat

from courseware import lecture_plans
from courseware.live import (
    _code_version,
    claim_warnings,
    claims_warn_cell,
    class_context,
    precomputed_dir,
)
from courseware.questionnaire import ANSWERS_ID, questionnaire
from courseware.slides import (
    find_chromium,
    measure_deck,
    pdf_problems,
    print_pdf,
    slide_warnings,
    write_deck,
)
from dldemos.files import atomic_write

__all__ = [
    "LIVE_TAG",
    "CHECK_TAG",
    "chapters",
    "live_cells",
    "check_cell",
    "live_problems",
    "live_notebook",
    "instructor_notes",
    "executed_chapter",
    "cell_seconds",
    "slow_cells",
    "write_live",
    "plan_objectives",
    "main",
]

LIVE_TAG = "live"
CHECK_TAG = "live-check"
ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
LECTURES = BOOK / "lectures"
MAX_LIVE_LINES = 10
CLASS_CELL_SECONDS = 10.0  # the longest a cell the instructor does not type may run in class


def chapters(book: Path = BOOK) -> list[Path]:
    """The chapter notebooks ``NN_<name>.ipynb`` of the book, in order."""
    return sorted(book.glob("[0-9][0-9]_*.ipynb"))


def _tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def live_cells(notebook) -> list[int]:
    """Indices of the code cells tagged ``live``."""
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and LIVE_TAG in _tags(cell)
    ]


def check_cell(notebook, live_index: int) -> int | None:
    """Index of the ``live-check`` cell that checks the live cell at ``live_index``: the first
    one after it and before the next live cell, or ``None``."""
    for index in range(live_index + 1, len(notebook.cells)):
        tags = _tags(notebook.cells[index])
        if LIVE_TAG in tags:
            return None
        if CHECK_TAG in tags:
            return index
    return None


def live_problems(notebook, name: str) -> list[str]:
    """Where the notebook breaks the live-cell convention, one message per problem naming the
    chapter and the cell (its number counting from 1, and its first line)."""
    problems = []
    for index in live_cells(notebook):
        cell = notebook.cells[index]
        first_line = cell.source.strip().splitlines()[0] if cell.source.strip() else "(empty)"
        where = f"{name}, live cell {index + 1} ({first_line!r})"
        notes = cell.metadata.get("live")
        if not isinstance(notes, dict):
            problems.append(f"{where}: no 'live' metadata with prompt, say, ask, misconception")
            continue
        prompt = notes.get("prompt")
        if not isinstance(prompt, str) or not prompt.startswith("#") or "\n" in prompt.strip():
            problems.append(
                f"{where}: live.prompt must be a one-line '# ...' comment, got {prompt!r}"
            )
        say = notes.get("say")
        if not (isinstance(say, list) and say and all(isinstance(point, str) for point in say)):
            problems.append(f"{where}: live.say must be a list of points to say, got {say!r}")
        for key in ("ask", "misconception"):
            if not isinstance(notes.get(key), str) or not notes[key].strip():
                problems.append(f"{where}: live.{key} must be a sentence, got {notes.get(key)!r}")
        if len(cell.source.strip().splitlines()) > MAX_LIVE_LINES:
            problems.append(
                f"{where}: {len(cell.source.strip().splitlines())} lines, "
                f"more than {MAX_LIVE_LINES} to type in class"
            )
        if check_cell(notebook, index) is None:
            problems.append(
                f"{where}: no cell tagged '{CHECK_TAG}' after it (before the next live cell)"
            )
    for index, cell in enumerate(notebook.cells):
        if CHECK_TAG in _tags(cell) and "check_live(" not in cell.source:
            problems.append(
                f"{name}, cell {index + 1} is tagged '{CHECK_TAG}' but calls no check_live"
            )
    return problems


def _require_convention(notebook, name: str) -> None:
    problems = live_problems(notebook, name)
    if problems:
        raise ValueError(
            "the live cells break the convention of courseware.teaching:\n  "
            + "\n  ".join(problems)
        )


def live_notebook(notebook, name: str = "notebook", executed=None):
    """The notebook for class: every ``live`` cell emptied to its one-line prompt, every
    output and execution count cleared; prose and the other cells' code are kept as they are,
    except the answers of the end-of-chapter questionnaire, which are in the notes only
    (:mod:`courseware.questionnaire`). A hidden first cell makes the chapter's checked claims
    warn instead of stopping the lecture (:func:`courseware.live.claims_warn_cell`), naming
    the book's value (from ``executed``, the chapter as executed, where given) and the live
    cell before the claim."""
    _require_convention(notebook, name)
    live = copy.deepcopy(notebook)
    live.cells = [cell for cell in live.cells if cell.get("id") != ANSWERS_ID]
    for cell in live.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("execution", None)
        if LIVE_TAG in _tags(cell):
            cell.source = cell.metadata["live"]["prompt"].strip()
    positions = live_cells(notebook)
    checks = tuple(check_cell(notebook, index) for index in positions)
    context = class_context(notebook, positions, executed, checks)
    live.cells.insert(0, claims_warn_cell(context))
    return live


def _section_of(notebook, index: int) -> str:
    """The last markdown heading before cell ``index``."""
    for cell in reversed(notebook.cells[:index]):
        if cell.cell_type == "markdown":
            for line in reversed(cell.source.splitlines()):
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def _fenced(code: str, language: str = "python") -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    return f"{fence}{language}\n{code.strip()}\n{fence}"


def instructor_notes(notebook, name: str, plan: Path | None, notes_dir: Path) -> str:
    """The instructor's notes for a chapter (Markdown): for each live cell, in order, the
    prompt, the answer (the cell as the book has it), the points to say, the question to ask,
    the usual misconception and the check that follows it; a link to the lecture plan; and the
    end-of-chapter questions with their answers."""
    _require_convention(notebook, name)
    title = next(
        (
            line.lstrip("# ").strip()
            for cell in notebook.cells
            if cell.cell_type == "markdown"
            for line in cell.source.splitlines()
            if line.startswith("# ")
        ),
        name,
    )
    lines = [f"# Instructor notes: {title}", ""]
    if plan is not None and plan.is_file():
        link = Path(os.path.relpath(plan, notes_dir)).as_posix()
        lines += [f"Lecture plan: [{plan.name}]({link}) (50 minutes, segments and homework).", ""]
    else:
        lines += [f"Lecture plan: none yet (expected in book/lectures/{name}.md).", ""]
    lines += [
        f"Live notebook: `{name}.ipynb` beside this file. Each live cell shows only its "
        "prompt; type the answer below, run the next cell (it uses the result), then the "
        "check cell, which prints `✓ ... matches dldemos` or says what differs.",
        "",
    ]
    for number, index in enumerate(live_cells(notebook), start=1):
        cell, notes = notebook.cells[index], notebook.cells[index].metadata["live"]
        section = _section_of(notebook, index)
        lines += [f"## Live cell {number}: {notes['prompt'].lstrip('# ').strip()}", ""]
        if section:
            lines += [f"Section: {section} (cell {index + 1} of the chapter).", ""]
        lines += ["### Answer", "", _fenced(cell.source), "", "### Say", ""]
        lines += [f"- {point}" for point in notes["say"]]
        lines += [
            "",
            "### Ask the class",
            "",
            notes["ask"],
            "",
            "### The usual misconception",
            "",
            notes["misconception"],
            "",
            "### Check (runs after the cell that uses the result)",
            "",
            _fenced(notebook.cells[check_cell(notebook, index)].source),
            "",
        ]
    lines += _questionnaire_notes(notebook)
    return "\n".join(lines).rstrip() + "\n"


def _questionnaire_notes(notebook) -> list[str]:
    """The notes' section on the chapter's closing questions: each with its answer."""
    found = questionnaire(notebook)
    if found is None:
        return []
    index, questions, answers = found
    lines = [
        "## Check your understanding",
        "",
        f"The questions that end the chapter (cell {index + 1}; the live notebook shows them, "
        "without the answers). A numeric answer is computed and checked when the book builds.",
        "",
    ]
    for number, question in enumerate(questions, start=1):
        text, computed = answers.get(number, ("(no answer yet)", None))
        lines += [f"{number}. {question}", "", f"   *Answer:* {text}", ""]
        if computed is not None:
            lines += [f"   Computed in the hidden answer cell as `{computed}`.", ""]
    return lines


def _chapter_stamp(chapter: Path) -> str:
    """What the executed chapter depends on: the notebook without its slide metadata (which
    changes no output) and the ``dldemos`` code."""
    notebook = nbformat.read(chapter, as_version=4)
    for cell in notebook.cells:
        cell.metadata.pop("slides", None)
    digest = hashlib.sha256(nbformat.writes(notebook).encode())
    digest.update(_code_version().encode())
    return digest.hexdigest()[:16]


def executed_chapter(chapter: Path, timeout: int = 900):
    """The chapter executed as a class would run it: precomputed results (see
    :func:`courseware.live.precomputed`) are loaded where they exist and computed (and stored)
    where they are missing. The executed notebook is kept under the precomputed results'
    folder and reused until the chapter or ``dldemos`` changes, so this is how ``make live``
    makes sure every long experiment of the chapter has its stored result."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    stamp = _chapter_stamp(chapter)
    cached = precomputed_dir() / "executed" / f"{chapter.stem}.{stamp}.ipynb"
    notebook = nbformat.read(chapter, as_version=4)
    if cached.is_file():  # its cells are the chapter's: give them the chapter's slide metadata
        executed = nbformat.read(cached, as_version=4)
        for cell, source in zip(executed.cells, notebook.cells, strict=True):
            cell.metadata.pop("slides", None)
            if "slides" in source.metadata:
                cell.metadata["slides"] = source.metadata["slides"]
        return executed
    environment = {key: value for key, value in os.environ.items() if key != "DLDEMOS_RECOMPUTE"}
    environment.setdefault("DLDEMOS_STATIC", "1")
    environment["DLDEMOS_CLAIMS"] = "warn"  # as in class: a claim that fails warns
    print(
        f"executing {chapter.name} (loading stored results, computing and storing missing ones) ...",
        flush=True,
    )
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(chapter.parent)}},
    )
    try:
        client.execute(env=environment)  # the kernel starts in this environment
    except CellExecutionError as error:
        raise RuntimeError(
            f"{chapter} failed to execute; fix the chapter first:\n{error}"
        ) from error
    for old in cached.parent.glob(f"{chapter.stem}.*.ipynb"):
        old.unlink()
    _write_text(cached, nbformat.writes(notebook))
    return notebook


def cell_seconds(cell) -> float:
    """How long an executed code cell ran (from the timing nbclient records; 0 if none)."""
    timing = cell.get("metadata", {}).get("execution", {})
    start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not (start and end):
        return 0.0
    return (
        datetime.fromisoformat(end.replace("Z", "+00:00"))
        - datetime.fromisoformat(start.replace("Z", "+00:00"))
    ).total_seconds()


def slow_cells(executed, limit: float = CLASS_CELL_SECONDS) -> list[str]:
    """The cells of an executed chapter a class would wait on: not ``live``, running longer
    than ``limit`` seconds, except a cell that has just computed (and stored) a precomputed
    result: in class it loads it."""
    slow = []
    for index, cell in enumerate(executed.cells):
        if cell.cell_type != "code" or LIVE_TAG in _tags(cell) or cell_seconds(cell) <= limit:
            continue
        printed = "".join(output.get("text", "") for output in cell.get("outputs", []))
        if "precomputed(" in cell.source and "loaded the precomputed result" not in printed:
            continue
        first_line = cell.source.strip().splitlines()[0]
        slow.append(f"cell {index + 1} ({first_line!r}): {cell_seconds(cell):.1f} s")
    return slow


def _write_text(path: Path, text: str) -> None:
    with atomic_write(path) as file:
        file.write(text.encode("utf-8"))


def write_live(
    chapter: Path, out_dir: Path, lectures: Path = LECTURES, executed=None
) -> tuple[Path, Path]:
    """Write ``out_dir/NN_<name>.ipynb`` and ``out_dir/NN_<name>.notes.md`` for a chapter
    (``executed``: the chapter as executed, whose claims' values the live notebook quotes)."""
    notebook = nbformat.read(chapter, as_version=4)
    out_dir.mkdir(parents=True, exist_ok=True)
    live_path = out_dir / chapter.name
    notes_path = out_dir / f"{chapter.stem}.notes.md"
    _write_text(live_path, nbformat.writes(live_notebook(notebook, chapter.stem, executed)))
    _write_text(
        notes_path,
        instructor_notes(notebook, chapter.stem, lectures / f"{chapter.stem}.md", out_dir),
    )
    return live_path, notes_path


def main(argv: list[str] | None = None) -> int:
    """``python -m courseware.teaching live|slides``; the same commands as ``python -m courseware``."""
    parser = argparse.ArgumentParser(
        prog="python -m courseware.teaching", description=__doc__.split("\n\n")[0]
    )
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


def add_commands(commands) -> None:
    """The commands ``live`` and ``slides``, added to an argparse subparsers object."""
    live = commands.add_parser("live", help="live/NN_<name>.ipynb and .notes.md for every chapter")
    live.add_argument("--out", type=Path, default=ROOT / "live")
    slides = commands.add_parser(
        "slides", help="a reveal.js deck and its PDF per chapter, measured at 1280x720"
    )
    slides.add_argument("--out", type=Path, default=BOOK / "_build" / "slides")
    for command in (live, slides):
        command.add_argument("chapters", nargs="*", type=Path, help="default: every chapter")
        command.add_argument("--jobs", type=int, default=2, help="chapters executed side by side")


def run(args) -> int:
    """Run the command (``live`` or ``slides``) ``args`` was parsed for."""
    selected = [path.resolve() for path in args.chapters] or chapters()
    for chapter in selected:  # fail before executing anything if a chapter is malformed
        _require_convention(nbformat.read(chapter, as_version=4), chapter.stem)
    executed, failed = _execute_each(selected, args.jobs)
    selected = [chapter for chapter in selected if chapter in executed]
    deck_problems = 0
    if args.command == "live":
        for chapter in selected:
            live_path, notes_path = write_live(chapter, args.out, executed=executed[chapter])
            count = len(live_cells(nbformat.read(chapter, as_version=4)))
            print(f"{live_path}: {count} live cells; notes in {notes_path.name}")
            for slow in slow_cells(executed[chapter]):
                print(f"  warning: {chapter.name}, {slow}: wrap it in courseware.live.precomputed")
            for warning in claim_warnings(executed[chapter]):
                print(f"  warning: {chapter.name}, a checked claim warns in this run: {warning}")
    else:
        deck_problems = _write_decks(
            [(chapter, executed[chapter]) for chapter in selected], args.out
        )
    for chapter, error in failed.items():
        print(
            f"error: {chapter.name} does not execute, so it has no {args.command} output:\n  {error}"
        )
    if deck_problems:
        print(f"error: problems in the decks (listed above): {deck_problems}")
    return 1 if failed or deck_problems else 0


def _write_decks(executed: list, out_dir: Path) -> int:
    """Write, measure and print the deck of every executed chapter (``(path, notebook)``
    pairs): print what each deck had to guess (warnings) and what is wrong with it on a
    1280x720 screen or in its PDF (problems), and return how many problems there are."""
    chromium = find_chromium()
    if chromium is None:
        print("warning: no Chromium (apt-get install chromium): decks not measured, no PDFs")
    problems = 0
    for chapter, notebook in executed:
        deck = write_deck(notebook, chapter.stem, out_dir, objectives=plan_objectives(chapter))
        print(deck)
        for warning in slide_warnings(notebook):
            print(f"  warning: {chapter.name}, {warning}")
        if chromium is None:
            continue
        pdf = print_pdf(deck, chromium)
        print(pdf)
        found = measure_deck(deck, chromium) + pdf_problems(pdf, deck)
        for problem in found:
            print(f"  problem: {deck.name}, {problem}")
        problems += len(found)
    return problems


def plan_objectives(chapter: Path) -> dict[str, list[str]]:
    """The learning objectives of the chapter's lecture plan (``book/lectures/<stem>.md``), by
    lecture ("Lecture 3a": [...]; ``""`` for a chapter taught in one lecture); empty if the
    chapter has no plan. The deck's title slide carries them in its speaker notes."""
    plan = chapter.parent / "lectures" / f"{chapter.stem}.md"
    if not plan.is_file():
        return {}
    names = [lecture.name for lecture in lecture_plans.lectures(plan)]
    if len(names) < 2:
        return {"": lecture_plans.learning_objectives(plan)}
    return {name: lecture_plans.learning_objectives(plan, name) for name in names}


def _execute_each(selected: list[Path], jobs: int) -> tuple[dict, dict]:
    """Execute every chapter (``jobs`` at a time): the executed notebooks of those that run,
    and the error of each that does not (the others are still written)."""

    def attempt(chapter):
        try:
            return executed_chapter(chapter), None
        except RuntimeError as error:
            cause = error.__cause__
            detail = (
                f"{cause.ename}: {cause.evalue}"
                if hasattr(cause, "ename")
                else str(error).strip().splitlines()[-1]
            )
            return None, detail

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        outcomes = dict(zip(selected, pool.map(attempt, selected)))
    executed = {
        chapter: notebook for chapter, (notebook, _) in outcomes.items() if notebook is not None
    }
    failed = {chapter: error for chapter, (_, error) in outcomes.items() if error is not None}
    return executed, failed


if __name__ == "__main__":
    sys.exit(main())
