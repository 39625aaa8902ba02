"""``check``: a student runs the visible tests the way the autograder runs the notebook.

The notebook is assembled from the release exactly as the autograder assembles a submission
from the source (:mod:`.structure`: locked cells restored, answers found by id or by the
function they define), run by the same runner, in the sandbox when bubblewrap is installed
(the guard that closes the reference implementations included), and every repair the
autograder would make is reported. The hidden tests run only in the autograder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from courseware.grading.autograde import Grader, cell_error
from courseware.grading.course import Course, limits
from courseware.grading.runner import is_test_cell, nbgrader_meta
from courseware.grading.sandbox import why_no_sandbox
from courseware.grading.structure import assemble, read_notebook


@dataclass
class TestResult:
    """One test cell of a checked notebook."""

    grade_id: str
    points: float
    passed: bool
    message: str = ""


@dataclass
class CheckReport:
    results: list[TestResult]
    notes: list[str] = field(default_factory=list)
    sandboxed: bool = True


def check(
    course: Course, assignment: str, notebook_path: str | os.PathLike | None = None
) -> CheckReport:
    """Run a student's notebook with the release's test cells and report each test cell."""
    course.check_assignments([assignment])
    name = course.notebooks(assignment)[0]
    path = Path(notebook_path) if notebook_path else course.exercises / assignment / f"{name}.ipynb"
    if path.is_dir():
        path = path / f"{name}.ipynb"
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb")) if path.parent.is_dir() else []
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        hint = f" (found {shown}: the notebook must be called {name}.ipynb)" if others else ""
        raise FileNotFoundError(f"no notebook {path}{hint}")
    notebook, problem = read_notebook(path)
    if notebook is None:
        raise ValueError(problem)
    sandboxed = why_no_sandbox() is None
    grader = Grader(course, assignment, name, limits(course), sandboxed)
    release = grader.release
    if release is None:
        raise FileNotFoundError(
            f"no release {course.exercises / assignment / name}.ipynb: run `make exercises`"
        )
    assembled = assemble(release, notebook, assignment, release, closed=grader.closed)
    executed, _, _, trouble = grader.run(assembled.notebook, record=False)
    notes = assembled.notes + ([trouble] if trouble else [])
    cells = {nbgrader_meta(c).get("grade_id"): c for c in (executed.cells if executed else [])}
    results = []
    for cell in release.cells:
        if is_test_cell(cell):
            grade_id = nbgrader_meta(cell)["grade_id"]
            ran = cells.get(grade_id)
            message = (
                cell_error(ran) if ran is not None else (trouble or "the test cell did not run")
            )
            results.append(
                TestResult(
                    grade_id, float(nbgrader_meta(cell).get("points", 0)), not message, message
                )
            )
    return CheckReport(results, notes, sandboxed)


def check_report(assignment: str, path: str, report: CheckReport) -> str:
    results = report.results
    width = max(len(r.grade_id) for r in results)
    lines = [f"Checking {path} against the visible tests of {assignment}:"]
    for r in results:
        verdict = "passed" if r.passed else f"FAILED  {r.message}"
        lines.append(f"  {r.grade_id.ljust(width)}  {r.points:g} pt  {verdict}")
    if report.notes:
        lines.append(
            "The autograder will repair your notebook as follows (it is graded all the same):"
        )
        lines += [f"  - {note}" for note in report.notes]
    passed = sum(r.points for r in results if r.passed)
    total = sum(r.points for r in results)
    lines.append(
        f"Visible tests pass for {passed:g} of {total:g} points. The autograder also runs "
        "hidden tests (other shapes, dtypes, seeds, edge cases), so a pass here is "
        "necessary, not sufficient."
    )
    if not report.sandboxed:
        lines.append(
            "(Checked without the grading sandbox, which needs bubblewrap: the autograder also "
            "closes the dldemos implementations of what the exercise asks for.)"
        )
    return "\n".join(lines)
