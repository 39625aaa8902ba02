"""Helpers of the grading tests: a temporary course, notebooks and submissions."""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from courseware import grading
from courseware.grading import Course
from courseware.grading.sandbox import why_no_sandbox

ROOT = Path(__file__).resolve().parent.parent
TOTAL_POINTS = 10
CELL_TIMEOUT = 10  # the course's 20 s, lowered to keep the endless-loop submissions cheap
NOTEBOOK_TIMEOUT = 45  # the course's 60 s, likewise

# wrong answers to hw01 that return plausible values
HW01_WRONG = {
    "batch_sizes": "def batch_sizes(m, batch_size):\n    return [batch_size] * (m // batch_size)\n",
    "random_mini_batches": "def random_mini_batches(X, Y, batch_size, rng):\n    return [(X, Y)]\n",
    "train_one_epoch": (
        "def train_one_epoch(model, optimizer, mini_batches):\n"
        "    return [0.0] * len(mini_batches)\n"
    ),
}

needs_sandbox = pytest.mark.skipif(
    why_no_sandbox() is not None,
    reason=f"grading needs bubblewrap: {why_no_sandbox()} "
    "(apt-get install -y bubblewrap; .ci/run installs it)",
)


def make_course(root: Path) -> Course:
    """A copy of the course's nbgrader_config.py and solutions/, released."""
    shutil.copytree(ROOT / "solutions", root / "solutions")
    config = (ROOT / "nbgrader_config.py").read_text()
    config, count = re.subn(
        r"c\.Execute\.timeout = \d+", f"c.Execute.timeout = {CELL_TIMEOUT}", config
    )
    assert count == 1, "nbgrader_config.py no longer sets c.Execute.timeout"
    config, count = re.subn(
        r"c\.Sandbox\.notebook_timeout = \d+",
        f"c.Sandbox.notebook_timeout = {NOTEBOOK_TIMEOUT}",
        config,
    )
    assert count == 1, "nbgrader_config.py no longer sets c.Sandbox.notebook_timeout"
    (root / "nbgrader_config.py").write_text(config)
    course = Course(root)
    grading.release(course)
    return course


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def read(path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def answers_and_tests(notebook) -> list[tuple[str, str, float]]:
    """``(answer grade_id, test grade_id, points)`` for each answer cell, in order."""
    graded = [
        c
        for c in notebook.cells
        if nbgrader_meta(c).get("solution") or nbgrader_meta(c).get("grade")
    ]
    pairs = []
    for answer, test in zip(graded, graded[1:]):
        if nbgrader_meta(answer).get("solution") and nbgrader_meta(test).get("grade"):
            pairs.append(
                (
                    nbgrader_meta(answer)["grade_id"],
                    nbgrader_meta(test)["grade_id"],
                    float(nbgrader_meta(test)["points"]),
                )
            )
    return pairs


def cell_of(notebook, grade_id):
    return next(c for c in notebook.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def with_sources(notebook, **sources):
    """A copy of ``notebook`` with the cells named by grade id given new sources."""
    notebook = copy.deepcopy(notebook)
    for grade_id, source in sources.items():
        cell_of(notebook, grade_id).source = source
    return notebook


def without(notebook, *grade_ids):
    notebook = copy.deepcopy(notebook)
    notebook.cells = [
        c for c in notebook.cells if nbgrader_meta(c).get("grade_id") not in grade_ids
    ]
    return notebook


def submit(
    submitted: Path, student: str, assignment: str, notebook, name: str | None = None
) -> None:
    folder = submitted / student / assignment
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook, (str, bytes)):
        path = folder / f"{name or assignment}.ipynb"
        path.write_bytes(notebook.encode() if isinstance(notebook, str) else notebook)
    elif notebook is not None:
        nbformat.write(notebook, folder / f"{name or assignment}.ipynb")


def gradebook_scores(course) -> dict[tuple[str, str], float]:
    """``(student, assignment) -> score`` straight from nbgrader's gradebook."""
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        for assignment in gradebook.assignments:
            for submission in assignment.submissions:
                scores[(submission.student.id, assignment.name)] = submission.score
    return scores


def tree_digest(*folders: Path) -> dict[str, str]:
    """``path -> sha256`` of every file under ``folders``."""
    return {
        str(p): hashlib.sha256(p.read_bytes()).hexdigest()
        for folder in folders
        for p in sorted(Path(folder).rglob("*"))
        if p.is_file()
    }
