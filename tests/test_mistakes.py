"""Every classic mistake of ``tests/mistakes.py`` is caught, and most before submitting.

* each mistake still applies to the current solution (a mistake whose text no longer exists
  would silently test nothing);
* the visible tests, which a student runs with ``make check``, catch at least half of them:
  measured in one kernel per assignment that runs the release notebook with every answer
  filled in, then swaps in one wrong answer at a time and runs its visible test cell.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from pathlib import Path

import nbformat
import pytest
from mistakes import MISTAKES
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
MARKERS = re.compile(r"^\s*### (BEGIN|END) SOLUTION\s*\n", re.M)


def nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def solution_sources(assignment: str) -> dict[str, str]:
    """grade_id -> the solution's code of every answer cell, markers removed."""
    notebook = nbformat.read(ROOT / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    return {
        nbgrader(c)["grade_id"]: MARKERS.sub("", c.source)
        for c in notebook.cells
        if nbgrader(c).get("solution") and c.cell_type == "code"
    }


def filled_release(assignment: str) -> nbformat.NotebookNode:
    """The student notebook with every answer cell holding the solution's code."""
    notebook = nbformat.read(ROOT / "exercises" / assignment / f"{assignment}.ipynb", as_version=4)
    sources = solution_sources(assignment)
    for cell in notebook.cells:
        if nbgrader(cell).get("solution") and cell.cell_type == "code":
            cell.source = sources[nbgrader(cell)["grade_id"]]
    return notebook


def test_mistake_ids_are_unique():
    ids = [mistake.id for mistake in MISTAKES]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("mistake", MISTAKES, ids=lambda mistake: mistake.id)
def test_mistake_applies_to_the_solution(mistake):
    sources = solution_sources(mistake.assignment)
    assert mistake.function in sources, (
        f"{mistake.assignment} has no answer cell {mistake.function!r}"
    )
    assert mistake.apply(sources[mistake.function]) != sources[mistake.function]


def test_every_graded_function_has_mistakes():
    covered = {(m.assignment, m.function) for m in MISTAKES}
    assert MISTAKES, "no solutions/<hw>/mistakes.json found"
    for assignment in sorted(
        p.name for p in (ROOT / "solutions").iterdir() if p.name in {m.assignment for m in MISTAKES}
    ):
        for function in solution_sources(assignment):
            assert (assignment, function) in covered, (
                f"no classic mistake collected for {assignment}/{function}"
            )


def cell_error(cell) -> str | None:
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    return f"{errors[0]['ename']}: {errors[0]['evalue']}" if errors else None


def visible_verdicts(assignment: str, tmp_path: Path) -> dict[str, str | None]:
    """mistake id -> the visible test's error (None: the visible tests pass)."""
    notebook = filled_release(assignment)  # nbclient replaces the cells it runs: run a copy
    client = NotebookClient(
        copy.deepcopy(notebook),
        timeout=60,
        kernel_name="python3",
        allow_errors=True,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    by_id = {nbgrader(c).get("grade_id"): (i, c) for i, c in enumerate(notebook.cells)}
    verdicts = {}
    with client.setup_kernel():
        for index, cell in enumerate(copy.deepcopy(notebook.cells)):
            if cell.cell_type == "code":
                client.execute_cell(cell, index)
                assert cell_error(cell) is None, (
                    f"{assignment} cell {index} fails with the solution"
                )
        for mistake in [m for m in MISTAKES if m.assignment == assignment]:
            index, answer = by_id[mistake.function]
            test_index = (
                index
                + 1
                + next(
                    i for i, c in enumerate(notebook.cells[index + 1 :]) if nbgrader(c).get("grade")
                )
            )
            wrong = nbformat.v4.new_code_cell(mistake.apply(answer.source))
            client.execute_cell(wrong, index)
            test = nbformat.v4.new_code_cell(notebook.cells[test_index].source)
            client.execute_cell(test, test_index)
            verdicts[mistake.id] = cell_error(test) or cell_error(wrong)
            client.execute_cell(
                nbformat.v4.new_code_cell(answer.source), index
            )  # back to the solution
    return verdicts


def test_visible_tests_catch_at_least_half_of_the_mistakes(tmp_path):
    caught, report = defaultdict(list), []
    for assignment in sorted({m.assignment for m in MISTAKES}):
        for mistake_id, error in visible_verdicts(assignment, tmp_path).items():
            caught[error is not None].append(mistake_id)
            report.append(f"{'caught' if error else 'MISSED'}  {mistake_id}: {(error or '')[:120]}")
    print("\n".join(report))
    fraction = len(caught[True]) / len(MISTAKES)
    assert fraction >= 0.5, (
        f"the visible tests catch {len(caught[True])} of {len(MISTAKES)} classic mistakes; "
        f"missed: {caught[False]}"
    )
