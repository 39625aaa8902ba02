"""``python -m courseware solutions hw03 --deadline ...``: a homework's solutions for the
students, refused before the deadline, written after it without the hidden tests."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import nbformat
import pytest

from courseware import solutions
from courseware.cli import main, parser
from courseware.grading.course import Course

ROOT = Path(__file__).resolve().parents[1]
COURSE = Course(ROOT)
PAST = "2020-01-01T00:00+00:00"
FUTURE = "2999-01-01T00:00+00:00"


def test_refused_before_the_deadline_with_the_time_left(tmp_path, capsys):
    code = main(["solutions", "hw03", "--deadline", FUTURE, "--out", str(tmp_path)])
    assert code == 1
    message = capsys.readouterr().err
    assert "hw03: the deadline 2999-01-01 00:00 UTC has not passed yet" in message
    assert "days" in message and "left" in message
    assert not list(tmp_path.iterdir()), "nothing is written before the deadline"


def test_the_time_left_is_said_in_days_hours_and_minutes():
    deadline = datetime(2027, 3, 1, 23, 59, tzinfo=timezone.utc)
    now = deadline - timedelta(days=2, hours=3, minutes=4, seconds=30)
    with pytest.raises(solutions.DeadlineNotPassed, match=r"\(2 days 3 h 4 min left\)"):
        solutions.release_solutions(COURSE, "hw03", deadline, out=Path("unused"), now=now)
    assert solutions.describe_interval(timedelta(seconds=42)) == "42 s"
    assert solutions.describe_interval(timedelta(hours=1)) == "1 h"


def test_one_minute_after_the_deadline_it_releases(tmp_path):
    deadline = datetime(2027, 3, 1, 23, 59, tzinfo=timezone.utc)
    written = solutions.release_solutions(
        COURSE, "hw03", deadline, out=tmp_path, now=deadline + timedelta(minutes=1)
    )
    assert written == [tmp_path / "hw03.ipynb"]


def test_a_bad_homework_name_is_a_clear_error(tmp_path, capsys):
    code = main(["solutions", "hw3", "--deadline", PAST, "--out", str(tmp_path)])
    assert code == 2
    err = capsys.readouterr().err
    assert "unknown assignment(s) hw3" in err and "hw03" in err
    # the name is checked before the deadline: a typo is not reported as "too early"
    assert main(["solutions", "hw99", "--deadline", FUTURE]) == 2


def test_a_bad_deadline_is_a_clear_error(capsys):
    assert main(["solutions", "hw03", "--deadline", "2027-13-01"]) == 2
    assert "not a date and time like 2027-03-01T23:59" in capsys.readouterr().err
    with pytest.raises(SystemExit):  # --deadline is required
        parser().parse_args(["solutions", "hw03"])


def test_a_deadline_without_zone_is_local_time():
    deadline = solutions.parse_deadline("2027-03-01T23:59")
    assert deadline.tzinfo is not None
    assert deadline.replace(tzinfo=None) == datetime(2027, 3, 1, 23, 59)
    assert solutions.parse_deadline("2027-03-01T23:59Z").utcoffset() == timedelta(0)


def released(tmp_path: Path, *extra: str) -> nbformat.NotebookNode:
    assert main(["solutions", "hw03", "--deadline", PAST, "--out", str(tmp_path), *extra]) == 0
    return nbformat.read(tmp_path / "hw03.ipynb", as_version=4)


def test_the_release_has_the_answers_and_the_visible_tests_but_no_hidden_tests(tmp_path):
    notebook = released(tmp_path)
    source = nbformat.read(ROOT / "solutions" / "hw03" / "hw03.ipynb", as_version=4)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "Solutions of hw03" in notebook.cells[0].source
    assert "### BEGIN" not in text and "### END" not in text
    assert "v = beta * v + (1 - beta) * g" in text  # an answer
    assert "expect_close(v, [0.05, -0.1]" in text  # a visible test
    hidden = [c for c in source.cells if "### BEGIN HIDDEN TESTS" in c.source]
    assert hidden and text.count(solutions.HIDDEN_NOTE) == len(hidden)
    for cell in hidden:
        body = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
        for line in body.strip().splitlines():
            if len(line.strip()) > 30:
                assert line not in text, f"a hidden test line was released: {line}"
    assert not any("nbgrader" in cell.metadata for cell in notebook.cells)
    assert not any(c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    assert not (tmp_path / "mistakes.json").exists()


def test_hidden_tests_are_kept_when_asked(tmp_path):
    text = "\n".join(c.source for c in released(tmp_path, "--with-hidden-tests").cells)
    assert solutions.HIDDEN_NOTE not in text and "### BEGIN" not in text
    assert "expect_solution(" in text


def test_unbalanced_markers_are_reported():
    with pytest.raises(ValueError, match="without its END"):
        solutions.strip_source("x = 1\n### BEGIN HIDDEN TESTS\ny = 2", False, "cell 3")
    with pytest.raises(ValueError, match="without its BEGIN"):
        solutions.strip_source("### END HIDDEN TESTS", False, "cell 3")
    kept = "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION"
    assert solutions.strip_source(kept, False, "cell") == "def f():\n    return 1"


def test_the_released_notebook_runs_top_to_bottom(tmp_path):
    """What students get runs: every answer in place and every visible test passes."""
    from nbclient import NotebookClient

    notebook = released(tmp_path)
    NotebookClient(
        notebook,
        timeout=60,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    errors = [o for c in notebook.cells for o in c.get("outputs", []) if o.output_type == "error"]
    assert not errors


def test_the_makefile_target_calls_the_command():
    makefile = (ROOT / "Makefile").read_text()
    assert "-m courseware solutions" in makefile and "solutions:" in makefile
    assert "released_solutions/" in (ROOT / ".gitignore").read_text()
