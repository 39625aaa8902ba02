"""The homework's grading round trips, run exactly as an instructor would.

One temporary course (a copy of ``nbgrader_config.py`` and ``solutions/``) serves the whole
module: its release is generated once (and compared with the committed ``exercises/``), then
one ``autograde`` run grades every submission below at once, for every assignment:

* ``full``: the solutions, which must score full marks;
* ``blank``: the released notebooks untouched, which must score 0;
* ``only-<hw>-<function>``: the release with one answer filled in, which must score exactly the
  points of that function's test cell (so every function is graded independently);

plus, on hw01 (the cheapest notebook), submissions that break the grader by accident, each of
which must get the score it deserves while the autograder finishes, and a renamed and a missing
notebook. Scores are read from nbgrader's gradebook. The student's ``check`` command runs on
the same course. Submissions that attack the grader are in ``test_grading_attacks.py``.

The per-cell timeout is lowered from 20 s to 10 s in the temporary course, to keep the two
endless-loop submissions cheap; the mechanism tested is the same.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import re

import nbformat
import numpy as np
import pytest
from grading_course import (
    HW01_WRONG,
    ROOT,
    TOTAL_POINTS,
    answers_and_tests,
    cell_of,
    gradebook_scores,
    make_course,
    nbgrader_meta,
    needs_sandbox,
    read,
    submit,
    with_sources,
    without,
)

from courseware import checks, grading
from courseware.grading import verdicts
from courseware.records import Recorder, read_records

ASSIGNMENTS = grading.Course(ROOT).assignments()

# hw01 submissions that break the grader by accident -> (notebook builder, expected score)
HW01_CASES = {
    # test cell edited to `pass` with a wrong answer: the test is restored and fails
    "edited-test": (
        lambda sol, rel: with_sources(
            sol, test_batch_sizes="pass", batch_sizes=HW01_WRONG["batch_sizes"]
        ),
        8,
    ),
    # two test cells deleted, one with a right and one with a wrong answer: both restored
    "deleted-tests": (
        lambda sol, rel: without(
            with_sources(sol, random_mini_batches=HW01_WRONG["random_mini_batches"]),
            "test_batch_sizes",
            "test_random_mini_batches",
        ),
        6,
    ),
    # an answer cell deleted with its test cell: the test is restored and fails, nothing else
    "deleted-answer-and-test": (
        lambda sol, rel: without(sol, "batch_sizes", "test_batch_sizes"),
        8,
    ),
    # an endless loop in an answer cell: interrupted at the timeout, the rest is graded
    "endless-loop": (lambda sol, rel: with_sources(sol, batch_sizes="while True:\n    pass"), 8),
    # a loop that ignores the interrupt: the kernel is restarted, the rest is graded
    "ignores-interrupt": (
        lambda sol, rel: with_sources(
            sol,
            random_mini_batches="import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\n"
            "while True:\n    pass",
        ),
        6,
    ),
    # sys.exit() in an answer cell: an error in that cell only
    "sys-exit": (lambda sol, rel: with_sources(sol, batch_sizes="import sys\nsys.exit()"), 8),
    # the kernel dies in the middle: the cells above are replayed, the cells below graded
    "kernel-crash": (
        lambda sol, rel: with_sources(sol, random_mini_batches="import os\nos._exit(1)"),
        6,
    ),
}


# --------------------------------------------------------------------------------------
# the temporary course, graded once
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("course"))


@pytest.fixture(scope="module")
def submissions(course):
    submitted = course.root / "submitted"
    for assignment in ASSIGNMENTS:
        solution = read(course.solutions / assignment / f"{assignment}.ipynb")
        release = read(course.exercises / assignment / f"{assignment}.ipynb")
        submit(submitted, "full", assignment, solution)
        submit(submitted, "blank", assignment, release)
        for answer, _, _ in answers_and_tests(solution):
            submit(
                submitted,
                f"only-{assignment}-{answer}",
                assignment,
                with_sources(release, **{answer: cell_of(solution, answer).source}),
            )
    solution = read(course.solutions / "hw01" / "hw01.ipynb")
    release = read(course.exercises / "hw01" / "hw01.ipynb")
    for student, (build, _) in HW01_CASES.items():
        submit(submitted, student, "hw01", build(solution, release))
    submit(submitted, "renamed", "hw01", solution, name="hw01 (1)")
    submit(submitted, "missing", "hw01", None)
    return submitted


@pytest.fixture(scope="module")
def graded(course, submissions):
    """Run the instructor's command once; returns its exit code and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = grading.main(
            [
                "--course-dir",
                str(course.root),
                "autograde",
                "--submissions",
                str(submissions),
                "--out",
                str(course.root / "grades.csv"),
                "--jobs",
                "2",
            ]
        )
    return code, printed.getvalue()


# --------------------------------------------------------------------------------------
# the checks test cells use, records and verdicts (fast)
# --------------------------------------------------------------------------------------


def test_checks_say_what_differs_where_and_why():
    message = (
        r"^step 3: p: expected 4 at index \(1, 1\), got 4\.1 "
        r"\(largest difference 0\.1; 1 of 4 values wrong\)\. Hint: bias"
    )
    with pytest.raises(AssertionError, match=message):
        checks.expect_close(
            np.array([[1.0, 2.0], [3.0, 4.1]]), [[1, 2], [3, 4]], "step 3: p", "bias"
        )
    with pytest.raises(AssertionError, match="expected shape \\(2,\\), got shape \\(3,\\)"):
        checks.expect_close([1.0, 2.0, 3.0], [1.0, 2.0], "v")
    with pytest.raises(AssertionError, match="got None.*return"):
        checks.expect_close(None, [1.0], "p")
    with pytest.raises(AssertionError, match="expected 1, got nan"):
        checks.expect_close(np.nan, 1.0, "loss")
    with pytest.raises(AssertionError, match="expected dtype float32, got dtype float64"):
        checks.expect_dtype(np.zeros(2), np.float32, "p")
    with pytest.raises(AssertionError, match=r"expected \[4, 4, 2\], got \[4, 4\]"):
        checks.expect_equal([4, 4], [4, 4, 2], "sizes")
    checks.expect_close(np.float32(0.1), 0.1, rtol=1e-6)
    checks.expect_equal(np.int64(3), 3)
    checks.expect_equal(np.arange(3), np.arange(3))
    checks.expect_solution(object(), "outside a graded run there is nothing to compare with")


def test_checks_ignore_replaced_numpy_helpers(monkeypatch):
    always = lambda *args, **kwargs: True  # noqa: E731
    for name in ("allclose", "isclose", "array_equal", "array_equiv"):
        monkeypatch.setattr(np, name, always)
    monkeypatch.setattr(np.testing, "assert_allclose", lambda *args, **kwargs: None)
    monkeypatch.setattr(math, "isclose", always)
    with pytest.raises(AssertionError):
        checks.expect_close([1.0, 2.0], [1.0, 2.5])
    with pytest.raises(AssertionError):
        checks.expect_equal(np.arange(3), np.arange(1, 4))


def _recorded(tmp_path, name, calls):
    """Records of ``calls`` (a function making checks) as the sandbox would write them."""
    folder = tmp_path / name
    folder.mkdir()
    recorder = Recorder(folder)
    recorder.start_cell("test_x")
    for kind, got, details in calls:
        recorder.record(kind, got, **details)
    return read_records(folder)["test_x"]


def test_records_keep_types_and_verdicts_compare_with_the_solution(tmp_path):
    values = [
        np.arange(3, dtype=np.float32),
        (1, "a", None),
        {"k": [1.5, 2]},
        np.float64(2.5),
        True,
        3,
    ]
    solution = _recorded(
        tmp_path, "solution", [("solution", v, {"what": f"v{i}"}) for i, v in enumerate(values)]
    )
    for record, value in zip(solution, values):
        assert type(record["got"]) is type(value)
    assert solution[0]["got"].dtype == np.float32
    same = _recorded(
        tmp_path, "same", [("solution", v, {"what": f"v{i}"}) for i, v in enumerate(values)]
    )
    assert verdicts.verdict("test_x", 2, same, solution, "").points == 2
    wrong = [*values[:3], np.float64(2.6), *values[4:]]
    other = _recorded(
        tmp_path, "other", [("solution", v, {"what": f"v{i}"}) for i, v in enumerate(wrong)]
    )
    result = verdicts.verdict("test_x", 2, other, solution, "")
    assert result.points == 0 and result.message.startswith("v3: expected 2.5, got 2.6")
    float64 = _recorded(
        tmp_path,
        "float64",
        [
            ("solution", np.arange(3, dtype=np.float64), {"what": "v0"}),
            *[("solution", v, {"what": f"v{i}"}) for i, v in enumerate(values) if i],
        ],
    )
    result = verdicts.verdict("test_x", 2, float64, solution, "")
    assert result.points == 0 and "expected dtype float32, got dtype float64" in result.message
    short = verdicts.verdict("test_x", 2, same[:2], solution, "NotImplementedError: ")
    assert short.points == 0 and "NotImplementedError" in short.message
    assert verdicts.verdict("test_x", 2, None, solution, "").points == 0


def test_forged_records_are_data_never_code(tmp_path):
    (tmp_path / "records.jsonl").write_text(
        '{"cell": "test_x", "start": true}\n'
        '{"cell": "test_x", "kind": "equal", "what": "v", "got": {"array": "../../etc/passwd"}}\n'
        "not json\n"
        '{"cell": "test_x", "kind": "equal", "what": "v", "got": {"pickle": "gASV"}}\n'
    )
    records = read_records(tmp_path)["test_x"]
    assert len(records) == 2 and all(isinstance(r["got"], ValueError) for r in records)
    solution = [{"kind": "equal", "what": "v", "got": 1}] * 2
    assert verdicts.verdict("test_x", 1, records, solution, "").points == 0


# --------------------------------------------------------------------------------------
# the source notebooks (fast checks, no grading run)
# --------------------------------------------------------------------------------------


def _setup_modules(notebook) -> set[str]:
    """The dldemos modules the set-up cell (the first code cell) imports."""
    setup = next(c for c in notebook.cells if c.cell_type == "code")
    return set(re.findall(r"^(?:from|import) (dldemos[\w.]*)", setup.source, re.M))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_is_well_formed(assignment):
    notebook = read(ROOT / "solutions" / assignment / f"{assignment}.ipynb")
    pairs = answers_and_tests(notebook)
    tests = [c for c in notebook.cells if nbgrader_meta(c).get("grade")]
    answers = [c for c in notebook.cells if nbgrader_meta(c).get("solution")]
    assert 3 <= len(answers) <= 6, f"{assignment}: {len(answers)} answer cells, expected 3 to 6"
    assert len(pairs) == len(answers) == len(tests), (
        f"{assignment}: every answer cell must be followed by its own test cell"
    )
    assert sum(points for _, _, points in pairs) == TOTAL_POINTS
    assert nbgrader_meta(next(c for c in notebook.cells if c.cell_type == "code")).get("locked"), (
        f"{assignment}: the first code cell must be the locked set-up cell"
    )
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, (
                f"{assignment}: commit the notebook without outputs (cell {cell.id})"
            )
    open_modules = _setup_modules(notebook) | {"courseware.checks", "dldemos"}
    for cell in tests:
        source = cell.source
        assert nbgrader_meta(cell).get("locked"), (
            f"{assignment}: test cell {cell.id} must be locked"
        )
        assert "### BEGIN HIDDEN TESTS" in source and "### END HIDDEN TESTS" in source, (
            f"{assignment}: test cell {cell.id} has no hidden tests"
        )
        assert not re.search(r"np\.(allclose|isclose|array_equal|testing)|math\.isclose", source), (
            f"{assignment}: test cell {cell.id} uses a NumPy comparison helper; use courseware.checks"
        )
        used = sorted(set(re.findall(r"\b(expect_\w+)\(", source)))
        imported = {
            name
            for line in re.findall(r"^from courseware\.checks import (.+)$", source, re.M)
            for name in re.split(r",\s*", line.split("#")[0].strip())
        }
        missing = sorted(set(used) - imported)
        assert not missing, (
            f"{assignment}: test cell {cell.id} must import {', '.join(missing)} from courseware.checks "
            "itself: an answer cell could have redefined the names imported in the setup cell"
        )
        closed = (
            set(re.findall(r"(?:from|import) ((?:dldemos|courseware)[\w.]*)", source))
            - open_modules
        )
        assert not closed, (
            f"{assignment}: test cell {cell.id} imports {', '.join(sorted(closed))}, which the "
            "set-up cell does not: closed in a graded run (see courseware/grading/__init__.py)"
        )
    for cell in answers:
        assert "### BEGIN SOLUTION" in cell.source, (
            f"{assignment}: answer cell {cell.id} has no solution block"
        )


# --------------------------------------------------------------------------------------
# release
# --------------------------------------------------------------------------------------


def comparable(notebook) -> dict:
    """What a student receives: every cell's type, id, source and metadata, and the kernel."""
    return {
        "metadata": {k: notebook.metadata.get(k) for k in ("kernelspec", "language_info")},
        "cells": [
            {
                "cell_type": c.cell_type,
                "id": c.get("id"),
                "source": c.source,
                "metadata": c.metadata,
            }
            for c in notebook.cells
        ],
    }


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_exercises_are_up_to_date(course, assignment):
    committed = ROOT / "exercises" / assignment / f"{assignment}.ipynb"
    assert committed.is_file(), f"{committed} is missing: run `make exercises`"
    generated = course.exercises / assignment / f"{assignment}.ipynb"
    assert comparable(read(committed)) == comparable(read(generated)), (
        f"{committed.relative_to(ROOT)} is out of date with solutions/: run `make exercises`"
    )
    assert sorted(p.name for p in committed.parent.iterdir()) == [f"{assignment}.ipynb"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_hides_solutions_and_hidden_tests(course, assignment):
    release = read(course.exercises / assignment / f"{assignment}.ipynb")
    for cell in release.cells:
        assert "### BEGIN SOLUTION" not in cell.source
        assert "HIDDEN TESTS" not in cell.source and "expect_solution(" not in cell.source
        if nbgrader_meta(cell).get("solution"):
            assert "raise NotImplementedError()" in cell.source


# --------------------------------------------------------------------------------------
# grading round trips
# --------------------------------------------------------------------------------------


@needs_sandbox
@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_scores_full_marks_and_blank_scores_zero(course, graded, assignment):
    scores = gradebook_scores(course)
    assert scores[("full", assignment)] == TOTAL_POINTS
    assert scores[("blank", assignment)] == 0


@needs_sandbox
@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_function_earns_exactly_its_points(course, graded, assignment):
    scores = gradebook_scores(course)
    solution = read(course.solutions / assignment / f"{assignment}.ipynb")
    wrong = {
        answer: (scores[(f"only-{assignment}-{answer}", assignment)], points)
        for answer, _, points in answers_and_tests(solution)
        if scores[(f"only-{assignment}-{answer}", assignment)] != points
    }
    assert not wrong, f"{assignment}: (score, expected) with only that function answered: {wrong}"


@needs_sandbox
@pytest.mark.slow
@pytest.mark.parametrize("student", HW01_CASES)
def test_broken_submission_gets_what_it_deserves(course, graded, student):
    assert gradebook_scores(course)[(student, "hw01")] == HW01_CASES[student][1]


@needs_sandbox
@pytest.mark.slow
def test_renamed_or_missing_notebook_is_reported_and_nothing_else_is_lost(course, graded):
    code, summary = graded
    rows = {
        (r["student"], r["assignment"]): r for r in csv.DictReader(open(course.root / "grades.csv"))
    }
    for student in ("renamed", "missing"):
        row = rows[(student, "hw01")]
        assert (row["score"], row["status"]) == ("0", "missing notebook")
        assert f"{student} hw01: missing notebook" in summary
    assert (
        "found hw01 (1).ipynb instead: rename it to hw01.ipynb" in rows[("renamed", "hw01")]["note"]
    )
    assert rows[("full", "hw01")]["score"] == str(TOTAL_POINTS)  # the others are graded
    assert rows[("renamed", "hw02")]["status"] == "not submitted"
    assert code == 0, "no submission should have failed to grade"


@needs_sandbox
@pytest.mark.slow
def test_csv_summary_and_feedback_match_the_gradebook(course, graded):
    _, summary = graded
    scores = gradebook_scores(course)
    rows = list(csv.DictReader(open(course.root / "grades.csv")))
    for row in rows:
        if row["status"] == "graded":
            assert float(row["score"]) == scores[(row["student"], row["assignment"])]
            assert float(row["max_score"]) == TOTAL_POINTS
    blank = next(r for r in rows if (r["student"], r["assignment"]) == ("blank", "hw01"))
    assert blank["lost_points"].startswith("test_batch_sizes (0/2)")
    assert re.search(r"^full\s+" + r"\s+".join(["10"] * len(ASSIGNMENTS)), summary, re.M)
    for assignment in ASSIGNMENTS:
        html = (course.root / "feedback" / "full" / assignment / f"{assignment}.html").read_text()
        assert (
            "10 / 10 points" in html
            and "HIDDEN TESTS" not in html
            and "expect_solution(" not in html
        )
    edited = (course.root / "feedback" / "edited-test" / "hw01" / "hw01.html").read_text()
    assert (
        "test_batch_sizes: 0 / 2 points.</strong> Looks like a classic mistake: the answer drops the last, "
        "smaller mini-batch. batch_sizes(10, 4): expected [4, 4, 2], got [4, 4]"
    ) in edited


@needs_sandbox
@pytest.mark.slow
def test_autograde_can_run_again(course, graded):
    before = (course.root / "grades.csv").read_text()
    assert (
        grading.main(
            [
                "--course-dir",
                str(course.root),
                "autograde",
                "--submissions",
                str(course.root / "submitted"),
                "--new-only",
                "--no-feedback",
                "--out",
                str(course.root / "grades.csv"),
            ]
        )
        == 0
    )
    assert (course.root / "grades.csv").read_text() == before


@needs_sandbox
def test_the_solutions_run_is_kept_and_a_changed_solution_runs_again(course, graded, monkeypatch):
    """Grading again reuses the solution's run (here from the class run above, through the
    grading cache); a solution edited since then is run again."""
    from courseware.grading.autograde import Grader
    from courseware.grading.course import limits

    runs = []
    run = Grader.run
    monkeypatch.setattr(
        Grader, "run", lambda self, nb, **kw: runs.append(nb) or run(self, nb, **kw)
    )
    grader = Grader(course, "hw01", "hw01", limits(course))
    assert grader.reference()
    assert runs == [], "the solution ran again although nothing changed"
    grader = Grader(course, "hw01", "hw01", limits(course))
    grader.source.cells[-1].source += "\n# edited"
    assert grader.reference()
    assert len(runs) == 1, "an edited solution was not run again"


@needs_sandbox
@pytest.mark.slow
def test_new_only_regrades_a_resubmission_and_keeps_the_other_rows(course, graded):
    before = {
        (r["student"], r["assignment"]): r for r in csv.DictReader(open(course.root / "grades.csv"))
    }
    resubmitted = read(course.solutions / "hw01" / "hw01.ipynb")
    submit(course.root / "submitted", "edited-test", "hw01", resubmitted)  # scored 8 before
    with contextlib.redirect_stdout(io.StringIO()):
        assert (
            grading.main(
                [
                    "--course-dir",
                    str(course.root),
                    "autograde",
                    "--submissions",
                    str(course.root / "submitted"),
                    "--new-only",
                    "--no-feedback",
                    "--assignment",
                    "hw01",
                    "--out",
                    str(course.root / "grades.csv"),
                ]
            )
            == 0
        )
    after = {
        (r["student"], r["assignment"]): r for r in csv.DictReader(open(course.root / "grades.csv"))
    }
    assert after[("edited-test", "hw01")]["score"] == "10"
    assert gradebook_scores(course)[("edited-test", "hw01")] == 10
    assert after.keys() == before.keys()  # hw02..hw06 rows kept
    assert all(after[key] == before[key] for key in after if key != ("edited-test", "hw01"))


# --------------------------------------------------------------------------------------
# the student's check
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_student_check_reports_each_test_cell(course, tmp_path, capsys):
    solution = read(course.solutions / "hw01" / "hw01.ipynb")
    release = read(course.exercises / "hw01" / "hw01.ipynb")
    # a student's notebook: two answers right, one wrong with its test cell edited to `pass`
    # (the check restores the test, as grading will)
    right = {
        name: cell_of(solution, name).source for name in ("random_mini_batches", "train_one_epoch")
    }
    mine = with_sources(
        release, batch_sizes=HW01_WRONG["batch_sizes"], test_batch_sizes="pass", **right
    )
    nbformat.write(mine, tmp_path / "hw01.ipynb")
    code = grading.main(
        ["--course-dir", str(course.root), "check", "hw01", str(tmp_path / "hw01.ipynb")]
    )
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(
        r"test_batch_sizes\s+2 pt\s+FAILED\s+AssertionError: batch_sizes\(10, 4\)", out
    )
    assert "the test cell test_batch_sizes was edited; it was restored from the original" in out
    assert re.search(r"test_random_mini_batches\s+4 pt\s+passed", out)
    assert re.search(r"test_train_one_epoch\s+4 pt\s+passed", out)
    assert "Visible tests pass for 8 of 10 points" in out


def test_student_check_explains_a_misnamed_or_broken_notebook(course, tmp_path, capsys):
    nbformat.write(read(course.exercises / "hw01" / "hw01.ipynb"), tmp_path / "homework1.ipynb")
    assert grading.main(["--course-dir", str(course.root), "check", "hw01", str(tmp_path)]) == 2
    assert (
        "found homework1.ipynb: the notebook must be called hw01.ipynb" in capsys.readouterr().err
    )
    (tmp_path / "my work").mkdir()
    (tmp_path / "my work" / "hw01.ipynb").write_text('{"cells": [')
    assert (
        grading.main(["--course-dir", str(course.root), "check", "hw01", str(tmp_path / "my work")])
        == 2
    )
    err = capsys.readouterr().err
    assert (
        "hw01.ipynb is not a valid notebook file (broken JSON at line 1" in err
        and "Traceback" not in err
    )


def test_grading_refuses_without_a_sandbox_and_says_how_to_get_one(course, monkeypatch, capsys):
    from courseware.grading import sandbox

    monkeypatch.setattr(sandbox, "why_no_sandbox", lambda: "bubblewrap (bwrap) is not installed")
    before = sorted(p.name for p in course.root.iterdir())
    assert (
        grading.main(
            ["--course-dir", str(course.root), "autograde", "--submissions", str(course.root)]
        )
        == 3
    )
    err = capsys.readouterr().err
    assert (
        "cannot grade: bubblewrap (bwrap) is not installed" in err
        and "apt-get install -y bubblewrap" in err
    )
    assert "--unsandboxed" in err
    assert sorted(p.name for p in course.root.iterdir()) == before


# --------------------------------------------------------------------------------------
# reports (fast)
# --------------------------------------------------------------------------------------


def test_reports_count_submitters_flag_copies_and_keep_other_assignments(tmp_path):
    from courseware.grading.autograde import Grade, summary_table, write_grades_csv

    grades = [
        Grade("ann", "hw01", 10, 10, answers="same"),
        Grade("bob", "hw01", 4, 10, answers="same"),
        Grade("cy", "hw01", 0, 10, status="not submitted"),
        Grade("ann", "hw02", 5, 10),
        Grade("bob", "hw02", 0, 10, status="unreadable", note="empty file"),
        Grade("cy", "hw02", 0, 10, status="not submitted"),
    ]
    summary = summary_table(grades)
    assert re.search(r"^mean\s+7\.0\s+2\.5", summary, re.M)  # cy did not submit: not a 0
    assert re.search(r"^submitted\s+2/3\s+2/3", summary, re.M)
    assert "hw01: ann, bob" in summary.split("Identical answers")[1]
    assert "bob hw02: unreadable: empty file" in summary
    write_grades_csv(grades, tmp_path / "grades.csv")
    write_grades_csv(
        [Grade(s, "hw01", 7, 10) for s in ("ann", "bob", "cy")], tmp_path / "grades.csv"
    )  # --assignment hw01
    rows = list(csv.DictReader(open(tmp_path / "grades.csv")))
    assert {(r["student"], r["assignment"], r["score"]) for r in rows} >= {
        ("ann", "hw01", "7"),
        ("ann", "hw02", "5"),
    }
    assert len(rows) == 6
    wide = list(csv.reader(open(tmp_path / "grades-wide.csv")))
    assert wide[0] == ["student", "hw01 (10)", "hw02 (10)", "total (20)"]
    assert wide[1] == ["ann", "7", "5", "12"]
