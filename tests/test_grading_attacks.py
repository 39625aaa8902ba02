"""Submissions written to cheat or to do harm, graded as an instructor grades them.

Every attack of issue 17 is one hw01 submission (plus honest classmates), all graded in one
``autograde`` run. Each must get the score it deserves (the points of the answers it really
computes), the instructor's files and the gradebook rows of the other students must be
unchanged, and no process it starts may outlive grading. Attacks run with wrong or missing
answers unless said otherwise, so that any point they earn is a point stolen.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import time
from pathlib import Path

import nbformat
import pytest
from grading_course import (
    HW01_WRONG,
    cell_of,
    gradebook_scores,
    make_course,
    nbgrader_meta,
    needs_sandbox,
    read,
    submit,
    tree_digest,
    with_sources,
)

from courseware import grading
from courseware.grading.sandbox import Limits, run_notebook

pytestmark = [needs_sandbox, pytest.mark.slow]

MARKER = "dldemos-grading-attack-survivor"
WRONG = HW01_WRONG


def attack(code: str, answers: str = "wrong"):
    """A hw01 submission builder: ``code`` prepended to the batch_sizes answer cell; the
    answers are the wrong ones (``"wrong"``) or the solution's (``"right"``)."""
    def build(solution, release, course):
        notebook = solution if answers == "right" else with_sources(solution, **WRONG)
        first = cell_of(notebook, "batch_sizes")
        return with_sources(notebook, batch_sizes=code.replace("{ROOT}", str(course.root)) + "\n" + first.source)
    return build


def replace_answer(grade_id: str, code: str):
    """A hw01 submission builder: the solution with the answer ``grade_id`` replaced by ``code``."""
    def build(solution, release, course):
        return with_sources(solution, **{grade_id: code.replace("{ROOT}", str(course.root))})
    return build


def structure(change):
    """A hw01 submission builder: the solution with ``change(notebook)`` applied."""
    def build(solution, release, course):
        notebook = nbformat.from_dict(json.loads(nbformat.writes(solution)))
        change(notebook)
        return notebook
    return build


def _set_meta(target, **values):
    def change(notebook):
        cell_of(notebook, target).metadata["nbgrader"].update(values)
    return change


def _tests_to_markdown(notebook):
    for cell in notebook.cells:
        if nbgrader_meta(cell).get("grade"):
            cell.cell_type = "markdown"
            for key in ("outputs", "execution_count"):
                cell.pop(key, None)


def _reorder_tests(notebook):
    tests = [c for c in notebook.cells if nbgrader_meta(c).get("grade")]
    others = [c for c in notebook.cells if not nbgrader_meta(c).get("grade")]
    notebook.cells = others + tests[::-1]


def _drop_setup(notebook):
    notebook.cells = [c for c in notebook.cells if nbgrader_meta(c).get("grade_id") != "setup"]


def _edit_setup(notebook):
    cell_of(notebook, "setup").source = "import numpy as np\nX_train = np.zeros((2, 400))"


READ_SOLUTIONS = """
try:
    source = open("{ROOT}/solutions/hw01/hw01.ipynb").read()
    exec(compile(__import__("json").loads(source)["cells"][3]["source"], "stolen", "exec"))
except Exception as error:
    print("no solutions:", error)
"""
REWRITE_SOLUTIONS = """
import glob, pathlib
for pattern in ("{ROOT}/solutions/*/*.ipynb", "{ROOT}/exercises/*/*.ipynb", "{ROOT}/nbgrader_config.py"):
    for path in glob.glob(pattern):
        try:
            pathlib.Path(path).write_text("pass")
        except Exception as error:
            print(path, error)
"""
EDIT_GRADEBOOK = """
import sqlite3
try:
    db = sqlite3.connect("{ROOT}/gradebook.db")
    db.execute("UPDATE grade SET auto_score = 0")
    db.execute("UPDATE grade SET manual_score = 100")
    db.commit()
except Exception as error:
    print("no gradebook:", error)
"""
DETACHED = f"""
import os, subprocess, sys
for start in (lambda: subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)  # {MARKER}"],
                                       start_new_session=True),
              lambda: os.fork()):
    try:
        start()
    except Exception as error:
        print("cannot start:", error)
"""
PATCH_IMPORT = """
import builtins, types
fake = types.ModuleType("courseware.checks")
for name in ("expect_close", "expect_equal", "expect_true", "expect_dtype", "expect_shape", "expect_solution"):
    setattr(fake, name, lambda *args, **kwargs: None)
real_import = builtins.__import__
builtins.__import__ = lambda name, *args, **kwargs: fake if name == "courseware.checks" else real_import(name, *args, **kwargs)
"""
REPLACE_MODULE = """
import sys, types
fake = types.ModuleType("courseware.checks")
fake.__getattr__ = lambda name: (lambda *args, **kwargs: None)
sys.modules["courseware.checks"] = fake
"""
NOOP_CHECKS = """
import courseware.checks as checks
for name in dir(checks):
    if not name.startswith("__") and callable(getattr(checks, name)):
        setattr(checks, name, lambda *args, **kwargs: None)
"""
PATCH_REFERENCES = """
import numpy as np, torch
np.nonzero = lambda *args, **kwargs: (np.arange(3),)
np.array_equal = np.allclose = lambda *args, **kwargs: True
torch.optim.Adam = torch.optim.SGD
np.random.default_rng = lambda *args, **kwargs: np.random.Generator(np.random.PCG64(0))
"""
FRAME_READER = """
def batch_sizes(m, batch_size):
    import sys
    frame = sys._getframe(1)
    for name in ("expected", "reference", "solution"):
        if name in frame.f_locals:
            return list(frame.f_locals[name])
    return [m]
"""
HISTORY_READER = """
def batch_sizes(m, batch_size):
    import re
    try:
        history = "\\n".join(get_ipython().user_ns.get("_ih", []))
        found = re.search(r"batch_sizes\\(" + str(m) + ", " + str(batch_size) + r"\\)\\), (\\[[^\\]]*\\])", history)
        if found:
            return eval(found.group(1))
        open("{ROOT}/gradebook.db", "rb").read()
    except Exception:
        pass
    return [m]
"""
IMPORT_ANSWER = """
try:
    from dldemos.data import random_mini_batches
except ImportError as error:
    print(error)
import importlib, sys
for get in (lambda: importlib.import_module("dldemos.data").random_mini_batches,
            lambda: sys.modules["dldemos.data"].random_mini_batches):
    try:
        random_mini_batches = get()
    except Exception as error:
        print(error)
"""
NEAR_TIMEOUT = "import time\ntime.sleep({s})\n"
HUGE_OUTPUT = "print('x' * (50 * 2 ** 20))\n"

# student -> (submission builder, deserved score)
CASES = {
    "rewrites-solutions": (attack(REWRITE_SOLUTIONS), 0),
    "edits-gradebook": (attack(EDIT_GRADEBOOK), 0),
    "detached-process": (attack(DETACHED), 0),
    "reads-solutions": (attack(READ_SOLUTIONS), 0),
    "patches-import": (attack(PATCH_IMPORT), 0),
    "replaces-checks-module": (attack(REPLACE_MODULE), 0),
    "no-op-checks": (attack(NOOP_CHECKS), 0),
    "patches-references": (attack(PATCH_REFERENCES), 0),
    "reads-test-frame": (replace_answer("batch_sizes", FRAME_READER), 8),
    "reads-history-and-gradebook": (replace_answer("batch_sizes", HISTORY_READER), 8),
    "imports-the-answer": (replace_answer("random_mini_batches", IMPORT_ANSWER), 6),
    # tampered structure: correct work keeps its points
    "renamed-grade-id": (structure(_set_meta("batch_sizes", grade_id="my_answer")), 10),
    "answer-marked-graded": (structure(_set_meta("random_mini_batches", grade=True, points=4)), 10),
    "tests-as-markdown": (structure(_tests_to_markdown), 10),
    "tests-reordered": (structure(_reorder_tests), 10),
    "setup-deleted": (structure(_drop_setup), 10),
    "setup-edited": (structure(_edit_setup), 10),
    # limits
    "huge-output": (attack(HUGE_OUTPUT, answers="right"), 10),
}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("attacked-course"))


@pytest.fixture(scope="module")
def graded(course):
    submitted = course.root / "submitted"
    solution = read(course.solutions / "hw01" / "hw01.ipynb")
    release = read(course.exercises / "hw01" / "hw01.ipynb")
    for student, (build, _) in CASES.items():
        submit(submitted, student, "hw01", build(solution, release, course))
    submit(submitted, "shipped-dldemos", "hw01", with_sources(solution, **WRONG))
    fake = submitted / "shipped-dldemos" / "hw01" / "dldemos"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "checks.py").write_text("def __getattr__(name):\n    return lambda *args, **kwargs: None\n")
    notebook = with_sources(solution, **WRONG)
    for i in range(8):
        notebook.cells.insert(4 + i, nbformat.v4.new_code_cell(NEAR_TIMEOUT.format(s=9)))
    submit(submitted, "near-timeouts", "hw01", notebook)
    submit(submitted, "another-assignment", "hw01", read(course.solutions / "hw02" / "hw02.ipynb"))
    submit(submitted, "invalid-json", "hw01", '{"cells": [{"cell_type": "code", ')
    submit(submitted, "empty-file", "hw01", "")
    for student in ("honest-a", "honest-b"):
        submit(submitted, student, "hw01", solution)
        submit(submitted, student, "hw02", read(course.solutions / "hw02" / "hw02.ipynb"))
    # a first grading of the honest students: their rows must survive the attacks untouched
    with contextlib.redirect_stdout(io.StringIO()):
        grading.main(["--course-dir", str(course.root), "autograde", "--submissions", str(submitted),
                      "--assignment", "hw02", "--out", str(course.root / "grades-hw02.csv")])
    before = {"files": tree_digest(course.solutions, course.exercises, course.root / "nbgrader_config.py"),
              "scores": gradebook_scores(course)}
    printed = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        code = grading.main(["--course-dir", str(course.root), "autograde", "--submissions", str(submitted),
                             "--assignment", "hw01", "--out", str(course.root / "grades.csv"), "--jobs", "2"])
    return {"code": code, "summary": printed.getvalue(), "before": before, "seconds": time.perf_counter() - started,
            "rows": {r["student"]: r for r in csv.DictReader(open(course.root / "grades.csv"))}}


@pytest.mark.parametrize("student", CASES)
def test_attack_gets_what_it_deserves(course, graded, student):
    assert gradebook_scores(course)[(student, "hw01")] == CASES[student][1], graded["rows"][student]


def test_a_dldemos_folder_next_to_the_notebook_changes_nothing(course, graded):
    assert gradebook_scores(course)[("shipped-dldemos", "hw01")] == 0


def test_instructor_files_and_other_grades_are_untouched(course, graded):
    after = tree_digest(course.solutions, course.exercises, course.root / "nbgrader_config.py")
    assert after == graded["before"]["files"]
    scores = gradebook_scores(course)
    for student in ("honest-a", "honest-b"):
        assert scores[(student, "hw02")] == graded["before"]["scores"][(student, "hw02")] == 10
        assert scores[(student, "hw01")] == 10


def test_no_process_survives_grading(graded):
    time.sleep(1)
    survivors = []
    for proc in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            if proc.name.isdigit() and MARKER.encode() in (proc / "cmdline").read_bytes():
                survivors.append(proc.name)
    assert not survivors, f"processes started by a submission outlived grading: {survivors}"


def test_the_sandbox_itself_leaves_no_process(tmp_path):
    """Even code the guard lets run (an instructor's own set-up cell) cannot leave a process."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import subprocess, sys\n"
        f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)  # {MARKER}-2'], start_new_session=True)\n"
        "open('/tmp/grading/started', 'w').write('yes')")])
    nbformat.write(notebook, tmp_path / "nb.ipynb")
    (tmp_path / "job.json").write_text(json.dumps({"notebook": "nb.ipynb", "out": "out", "assignment": "test",
                                                   "closed": [], "record": False}))
    run_notebook(tmp_path, tmp_path, Limits(notebook_timeout=30))
    assert (tmp_path / "started").read_text() == "yes"
    time.sleep(1)
    assert not [p for p in Path("/proc").iterdir() if p.name.isdigit()
                and f"{MARKER}-2".encode() in _cmdline(p)]


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def test_limits_bound_time_and_output(course, graded):
    verdicts = json.loads((course.root / "autograded" / "near-timeouts" / "hw01" / "verdicts.json").read_text())
    assert "time limit" in json.dumps(verdicts)
    assert gradebook_scores(course)[("near-timeouts", "hw01")] == 0
    for student in ("huge-output", "near-timeouts"):
        for folder in ("autograded", "feedback"):
            for path in (course.root / folder / student / "hw01").iterdir():
                assert path.stat().st_size < 2 * 2 ** 20, f"{path} is {path.stat().st_size} bytes"


def test_tampered_or_broken_notebooks_are_reported_with_the_fix(graded):
    rows = graded["rows"]
    assert "the answer cell batch_sizes was found by cell id" in rows["renamed-grade-id"]["note"]
    assert "the test cell test_batch_sizes was turned into markdown; it was restored" in rows["tests-as-markdown"]["note"]
    assert "the locked cell setup was deleted" in rows["setup-deleted"]["note"]
    assert "this notebook is the exercise of hw02, not of hw01" in rows["another-assignment"]["note"]
    assert rows["invalid-json"]["status"] == "unreadable" and "broken JSON" in rows["invalid-json"]["note"]
    assert rows["empty-file"]["status"] == "unreadable" and "empty file" in rows["empty-file"]["note"]
    assert "imports-the-answer hw01" in graded["summary"] or rows["imports-the-answer"]["lost_points"]
    assert graded["code"] == 0
