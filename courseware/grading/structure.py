"""What gets graded: the source notebook's locked cells with the student's answers in them.

A submission is never run as submitted. The trusted grader builds the notebook to run from
the *source* (``solutions/<hw>/<hw>.ipynb``): every cell of the source in its order (set-up,
text, test cells with their hidden tests, the cells after the answers), in which each answer
cell's code is the student's. A student's answer is found

1. by its nbgrader ``grade_id`` (also when the cell was marked as graded or locked);
2. failing that, by its cell ``id`` (nbgrader metadata renamed or deleted);
3. failing that, as the cell that defines the answer's function or class (a cell pasted
   anew); an answer that is still missing keeps the release's ``raise NotImplementedError()``.

The student's other code cells (helpers) run right after the answer they follow. Cells that
are copies of a source cell (by ``grade_id`` or ``id``) or test cells are replaced by the
source's, so editing, deleting, reordering or turning into markdown a locked cell changes
nothing. Every repair is reported in a note, with the fix. A file that is not a notebook
(empty, invalid JSON, not nbformat 4) is reported with the reason and the fix, and not run.
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from courseware.grading.runner import is_test_cell, nbgrader_meta
from courseware.untrusted import Refused, loads_json, read_regular

MAX_NOTEBOOK_BYTES = 20 * 2**20
RESUBMIT = "open it in JupyterLab, check that it runs, save it (File > Save) and submit it again"


@dataclass
class Assembled:
    notebook: NotebookNode | None  # None: there is nothing to grade
    notes: list[str] = field(default_factory=list)
    problem: str = ""  # why there is nothing to grade, and the fix


def read_notebook(path: Path, base: Path | None = None) -> tuple[NotebookNode | None, str]:
    """The notebook at ``path``, or None and one sentence saying what is wrong and the fix.
    ``path`` is read as an untrusted file (:mod:`.untrusted`): below ``base`` (by default its
    own folder) no link is followed, only a regular file of at most 20 MB is read, and JSON
    nested more than 64 levels deep is refused."""
    path = Path(path)
    base = Path(base) if base is not None else path.parent
    try:
        raw = read_regular(base, path.relative_to(base), MAX_NOTEBOOK_BYTES)
    except Refused as refused:
        if "MB" in str(refused) and "more than" in str(refused):
            return None, (
                f"{path.name} is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB; clear its outputs "
                "(Edit > Clear Outputs of All Cells), save and submit it again"
            )
        return None, f"cannot read {path.name}: {refused}; {RESUBMIT}"
    except OSError as error:
        return None, f"cannot read {path.name} ({error.strerror}); {RESUBMIT}"
    if not raw:
        return None, f"{path.name} is an empty file, not a notebook; {RESUBMIT}"
    text = raw.decode("utf-8", errors="replace")
    try:
        data = loads_json(text)
    except Refused as refused:
        return None, f"{path.name} is not a notebook the grader reads ({refused}); {RESUBMIT}"
    except ValueError as error:
        return None, (
            f"{path.name} is not a valid notebook file (broken JSON at line {error.lineno}, "
            f"column {error.colno}: {error.msg}); {RESUBMIT}"
        )
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("cells"), list)
        or data.get("nbformat") != 4
    ):
        return None, f"{path.name} is JSON but not a Jupyter notebook (nbformat 4); {RESUBMIT}"
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as error:  # noqa: BLE001 (nbformat raises several kinds)
        return None, f"{path.name} is not a readable notebook ({type(error).__name__}); {RESUBMIT}"
    notebook.cells = [
        c
        for c in notebook.cells
        if isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw")
    ]
    for cell in notebook.cells:  # the shapes the grader relies on, whatever the file said
        source = cell.get("source", "")
        if not isinstance(source, str):
            cell["source"] = (
                "".join(source)
                if isinstance(source, list) and all(isinstance(line, str) for line in source)
                else ""
            )
        if not isinstance(cell.get("metadata"), dict):
            cell["metadata"] = nbformat.NotebookNode()
        if not isinstance(cell.metadata.get("nbgrader", {}), dict):
            del cell.metadata["nbgrader"]
        meta = cell.metadata.get("nbgrader", {})
        for key in [k for k in ("grade_id",) if k in meta and not isinstance(meta[k], str)]:
            del meta[key]
        if cell.get("id") is not None and not isinstance(cell.get("id"), str):
            del cell["id"]
    if not isinstance(notebook.get("metadata"), dict):
        notebook["metadata"] = nbformat.NotebookNode()
    return notebook, ""


def _is_answer(cell) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("solution")) and not meta.get("grade")


def defined_names(source: str) -> set[str]:
    """The functions and classes a cell defines at its top level (none if it does not parse)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    return {node.name for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}


ROOTS = ("dldemos", "courseware")  # the packages a graded run closes (see :mod:`.guard`)


def dldemos_imports(source: str) -> tuple[set[str], set[str]]:
    """The dldemos (and courseware) modules a cell imports (``import dldemos.data``) and the names
    it imports from a module (``from dldemos.data import load_moons``: ``dldemos.data.load_moons``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set(), set()
    modules, names = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names if alias.name.split(".")[0] in ROOTS}
        elif (
            isinstance(node, ast.ImportFrom)
            and (node.module or "").split(".")[0] in ROOTS
            and not node.level
        ):
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return modules, names


def closed_imports(answer: str, setup: str, closed=()) -> list[str]:
    """What an answer cell imports from dldemos that the set-up cell does not open (the static
    half of the guard; :mod:`.guard` is the runtime half)."""
    modules, names = dldemos_imports(setup)
    open_modules = (
        {"courseware.checks"} | modules | {n.rpartition(".")[0] for n in names} - set(ROOTS)
    )
    open_modules |= {n for n in names if n.rpartition(".")[0] in ROOTS}  # from dldemos import nn
    wanted_modules, wanted_names = dldemos_imports(answer)
    forbidden = {m for m in wanted_modules if m not in ROOTS and m not in open_modules}
    for name in wanted_names:
        module = name.rpartition(".")[0]
        allowed = (
            name in names
            or name in open_modules
            or (module not in ROOTS and module in open_modules)
        )
        if name in closed or not allowed:
            forbidden.add(name)
    return sorted(forbidden)


def assemble(
    source: NotebookNode,
    submission: NotebookNode,
    assignment: str,
    release: NotebookNode | None = None,
    other_assignments: dict[str, set[str]] | None = None,
    closed=(),
) -> Assembled:
    """The notebook to grade (see the module docstring) and the notes on what was repaired."""
    answers = [c for c in source.cells if _is_answer(c)]
    answer_by_grade_id = {nbgrader_meta(c)["grade_id"]: c for c in answers}
    answer_by_cell_id = {c.get("id"): c for c in answers if c.get("id")}
    answer_by_name = {}
    for cell in answers:
        for name in defined_names(cell.source):
            answer_by_name.setdefault(name, cell)
    source_ids = {nbgrader_meta(c).get("grade_id") for c in source.cells} - {None}
    source_cell_ids = {c.get("id") for c in source.cells} - {None}
    notes: list[str] = []

    found: dict[int, tuple[str, str]] = {}  # id(source answer cell) -> (student code, how)
    extras: dict[
        int, list[NotebookNode]
    ] = {}  # id(source answer cell or 0) -> helper cells after it
    previous = 0
    for cell in submission.cells:
        if cell.get("cell_type") != "code":
            continue
        meta = nbgrader_meta(cell)
        match, how = None, ""
        if meta.get("grade_id") in answer_by_grade_id:
            match, how = answer_by_grade_id[meta["grade_id"]], "grade_id"
        elif cell.get("id") in answer_by_cell_id:
            match, how = answer_by_cell_id[cell.get("id")], "cell id"
        elif (
            meta.get("grade_id") in source_ids
            or cell.get("id") in source_cell_ids
            or is_test_cell(cell)
            or meta.get("locked")
        ):
            continue  # a copy of a locked cell: the source's is used
        else:
            named = [answer_by_name[n] for n in defined_names(cell.source) if n in answer_by_name]
            named = [c for c in named if id(c) not in found]
            if named:
                match, how = named[0], "the function it defines"
        if match is None or id(match) in found:
            extras.setdefault(previous, []).append(_helper(cell))
            continue
        found[id(match)] = (cell.source, how)
        previous = id(match)

    graded = copy.deepcopy(source)
    cells, started = [], False
    setup = next((c.source for c in source.cells if c.get("cell_type") == "code"), "")
    for original, cell in zip(source.cells, graded.cells):
        if _is_answer(original):
            grade_id = nbgrader_meta(original)["grade_id"]
            if id(original) in found:
                code, how = found[id(original)]
                cell.source = code
                forbidden = closed_imports(code, setup, closed)
                if forbidden:
                    message = (
                        f"{', '.join(forbidden)} is closed while {assignment} is graded: write it yourself; "
                        f"use from dldemos only what the first cell imports"
                    )
                    cell.source = f"raise ImportError({message!r})\n" + code
                    notes.append(f"the answer cell {grade_id} imports {message}")
                if how != "grade_id":
                    notes.append(
                        f"the answer cell {grade_id} was found by {how}: its nbgrader metadata "
                        f"was changed. It was graded; keep the cells' metadata next time "
                        f"(copy your code into a fresh exercise notebook)"
                    )
            else:
                cell.source = _blank(original, release)
                notes.append(
                    f"no answer cell for {grade_id} was found (deleted, or its metadata changed "
                    f"and no cell defines {', '.join(sorted(defined_names(original.source))) or 'it'}); "
                    "it was graded as unanswered"
                )
        cells.append(cell)
        if _is_answer(original):
            cells += extras.get(id(original), [])
        elif original.cell_type == "code" and not started:
            cells += extras.get(0, [])  # helpers above the first answer: after set-up
            started = True
    graded.cells = cells
    notes += _locked_cell_notes(source, submission, release)
    graded_ids = {
        nbgrader_meta(c)["grade_id"]
        for c in source.cells
        if nbgrader_meta(c).get("solution") or nbgrader_meta(c).get("grade")
    }
    theirs = set(_grade_ids(submission))
    if other_assignments and not (theirs & graded_ids):
        owners = [
            name
            for name, ids in other_assignments.items()
            if name != assignment and theirs & ids - {"setup"}
        ]
        if owners:
            notes.insert(
                0,
                f"this notebook is the exercise of {owners[0]}, not of {assignment}: submit "
                f"{assignment}.ipynb (the {owners[0]} notebook goes in the {owners[0]} folder)",
            )
    return Assembled(graded, notes)


def _visible(source: str) -> str:
    """A test cell's source without its hidden tests (as the release has it)."""
    return re.sub(
        r"[ \t]*### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS[ \t]*\n?", "", source, flags=re.S
    ).strip()


def _grade_ids(notebook) -> list[str]:
    return [
        nbgrader_meta(c).get("grade_id") for c in notebook.cells if nbgrader_meta(c).get("grade_id")
    ]


def _helper(cell) -> NotebookNode:
    return nbformat.v4.new_code_cell(cell.get("source", ""))


def _blank(answer, release) -> str:
    grade_id = nbgrader_meta(answer)["grade_id"]
    if release is not None:
        for cell in release.cells:
            if nbgrader_meta(cell).get("grade_id") == grade_id:
                return cell.source
    return "raise NotImplementedError()"


def _locked_cell_notes(source, submission, release) -> list[str]:
    """Notes on the locked cells the student changed (all restored from the source)."""
    if release is None:
        return []
    mine = {}
    for cell in submission.cells:
        key = nbgrader_meta(cell).get("grade_id") or cell.get("id")
        mine.setdefault(key, cell)
    notes = []
    for cell in release.cells:
        meta = nbgrader_meta(cell)
        if not meta.get("locked") or _is_answer(cell) or cell.cell_type != "code":
            continue
        grade_id = meta.get("grade_id")
        theirs = mine.get(grade_id) or mine.get(cell.get("id"))
        what = "test cell" if meta.get("grade") else "locked cell"
        if theirs is None:
            notes.append(f"the {what} {grade_id} was deleted; it was restored from the original")
        elif theirs.get("cell_type") != "code":
            notes.append(
                f"the {what} {grade_id} was turned into {theirs.get('cell_type')}; it was restored"
            )
        elif _visible(theirs.get("source", "")) != _visible(cell.source):
            notes.append(f"the {what} {grade_id} was edited; it was restored from the original")
    return notes
