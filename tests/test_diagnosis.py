"""courseware.grading.diagnosis without a sandbox: the probe notebook it builds, the matching of
records, and a stale list of mistakes that must not stop grading."""

import time

import nbformat

from courseware.grading import runner
from courseware.grading.diagnosis import Diagnosis, Mistake


def cell(source, **nbgrader):
    c = nbformat.v4.new_code_cell(source)
    if nbgrader:
        c.metadata["nbgrader"] = nbgrader
    return c


SOURCE = nbformat.v4.new_notebook(
    cells=[
        cell("import numpy as np", grade_id="setup", locked=True),
        cell("def double(x):\n    return 2 * x", grade_id="double", solution=True),
        cell(
            "expect_solution(double(3), 'double(3)')", grade_id="test_double", grade=True, points=1
        ),
    ]
)
OFF_BY_ONE = Mistake("double", "adds one", (("2 * x", "2 * x + 1"),))
SQUARED = Mistake("double", "squares", (("2 * x", "x * x"),))


class FakeRun:
    """Stands in for the sandboxed run: records what each probe's test 'computed'."""

    def __init__(self, values):
        self.values, self.notebooks = values, []

    def __call__(self, notebook):
        self.notebooks.append(notebook)
        records = {
            f"test_double@{k}": [{"kind": "solution", "what": "double(3)", "got": value}]
            for k, value in enumerate(self.values)
        }
        return notebook, records, 0.0, ""


def test_the_probe_redefines_each_mistake_then_restores_the_answer():
    run = FakeRun([7, 9])
    diagnosis = Diagnosis(SOURCE, [OFF_BY_ONE, SQUARED], run, lambda c: "")
    diagnosis.observe()
    sources = [c.source for c in run.notebooks[0].cells[3:]]
    assert sources == [
        "def double(x):\n    return 2 * x + 1",
        SOURCE.cells[2].source,
        SOURCE.cells[1].source,
        "def double(x):\n    return x * x",
        SOURCE.cells[2].source,
        SOURCE.cells[1].source,
    ]
    assert run.notebooks[0].cells[4].metadata["nbgrader"]["grade_id"] == "test_double@0"


def test_only_records_that_agree_name_a_mistake():
    diagnosis = Diagnosis(SOURCE, [OFF_BY_ONE, SQUARED], FakeRun([7, 9]), lambda c: "")
    record = lambda value: [{"kind": "solution", "what": "double(3)", "got": value}]  # noqa: E731
    assert diagnosis.name("test_double", record(9), "") is SQUARED
    assert diagnosis.name("test_double", record(7), "") is OFF_BY_ONE
    assert diagnosis.name("test_double", record(8), "") is None  # no known mistake: no guess
    assert diagnosis.name("test_double", record(7), "ValueError: x") is None  # ended otherwise
    # a check already recorded the failure: what the cell raised after it is another mistake
    assert diagnosis.name("test_double", record(7), "ValueError: x", record(6)) is OFF_BY_ONE


def test_a_stale_mistake_is_left_out_and_grading_goes_on():
    gone = Mistake("double", "edits code that is gone", (("3 * x", "x"),))
    missing = Mistake("triple", "names an answer cell that is gone", (("x", "y"),))
    run = FakeRun([7])
    diagnosis = Diagnosis(SOURCE, [OFF_BY_ONE, gone, missing], run, lambda c: "")
    assert (
        diagnosis.name("test_double", [{"kind": "solution", "what": "double(3)", "got": 7}], "")
        is OFF_BY_ONE
    )
    assert len(run.notebooks[0].cells) == 3 + 3  # only the mistake that fits


def test_a_graded_test_cell_starts_the_global_generators_from_one_seed(tmp_path, monkeypatch):
    import random

    import numpy as np

    from courseware import checks, records

    monkeypatch.setenv(records.ENVIRONMENT, str(tmp_path))
    monkeypatch.setattr(checks, "_the_recorder", False)
    draws = []
    for _ in range(2):
        np.random.rand(5)  # whatever the answer cells drew before
        checks._start_cell("test_double")
        draws.append((np.random.rand(3).tolist(), random.random()))
    assert draws[0] == draws[1]
    monkeypatch.setattr(checks, "_the_recorder", None)  # outside a graded run: untouched
    state = np.random.get_state()[1].copy()
    checks._start_cell("test_double")
    assert (np.random.get_state()[1] == state).all()


def test_a_failed_check_goes_on_in_a_graded_run_and_raises_everywhere_else(tmp_path, monkeypatch):
    import pytest

    from courseware import checks, records

    monkeypatch.setenv(records.ENVIRONMENT, str(tmp_path))
    monkeypatch.setattr(checks, "_the_recorder", False)
    checks._start_cell("test_double")
    for k in range(checks.MAX_FAILURES):  # recorded, and the cell goes on
        checks.expect_close(k + 1.0, k, what=f"check {k}")
    checks.expect_true(True, what="a later check")
    with pytest.raises(AssertionError, match="one too many"):
        checks.expect_equal(1, 2, what="one too many")
    got = records.read_records(tmp_path)["test_double"]
    assert [r["what"] for r in got] == [
        *(f"check {k}" for k in range(checks.MAX_FAILURES)),
        "a later check",
        "one too many",
    ]
    checks._start_cell("test_double")  # a new cell starts counting again
    checks.expect_shape([1, 2], (3,))
    monkeypatch.setattr(checks, "_the_recorder", None)  # outside a graded run: it stops
    with pytest.raises(AssertionError, match="expected shape"):
        checks.expect_shape([1, 2], (3,))


def test_a_run_that_differs_only_in_conditions_names_no_mistake_among_several():
    from courseware.grading.diagnosis import _differs_only_in_conditions

    solution = [
        {"kind": "true", "what": "shuffled", "got": True},
        {"kind": "close", "what": "loss", "got": 0.5},
    ]
    condition_only = [{**solution[0], "got": False}, solution[1]]
    value_too = [{**solution[0], "got": False}, {**solution[1], "got": 0.7}]
    assert _differs_only_in_conditions(condition_only, solution)
    assert not _differs_only_in_conditions(value_too, solution)
    assert not _differs_only_in_conditions(solution, solution)


def test_a_mistakes_copy_of_a_test_cell_that_loops_for_ever_is_stopped_early(tmp_path):
    """The diagnosis's run gives a copy ``<id>@<k>`` of a test cell at most ten times what the
    test cell took (at least two seconds), not the course's cell limit: a mistake that never
    ends costs seconds. Other cells keep the cell limit."""
    notebook = nbformat.v4.new_notebook(
        cells=[
            cell("x = 1"),
            cell("assert x == 1", grade_id="t", grade=True, points=1),
            cell("while True:\n    pass", grade_id="t@0", grade=True, points=1),
            cell("y = 2", grade_id="t@1", grade=True, points=1),
        ]
    )
    nbformat.write(notebook, tmp_path / "probe.ipynb")
    job = {
        "notebook": str(tmp_path / "probe.ipynb"),
        "out": str(tmp_path / "out"),
        "assignment": "hw",
        "record": False,
        "cell_timeout": 30,
        "notebook_timeout": 60,
        "copy_timeout_factor": 10,
    }
    started = time.monotonic()
    runner.run(job)
    seconds = time.monotonic() - started
    executed = nbformat.read(tmp_path / "out" / runner.EXECUTED, as_version=4)
    looping = [o for o in executed.cells[2].outputs if o.get("output_type") == "error"]
    assert looping and looping[0]["ename"] in ("CellTimeoutError", "KeyboardInterrupt"), looping
    assert not [o for o in executed.cells[3].outputs if o.get("output_type") == "error"]
    assert seconds < 20, f"the copy ran {seconds:.0f} s: it had the cell limit, not ~2 s"


def test_the_cells_after_the_last_test_cell_are_not_run(tmp_path):
    """Nothing after the last test cell can change a grade: the homework's closing figure is
    not drawn in a graded run (it cost about a second of every submission's), and says so."""
    notebook = nbformat.v4.new_notebook(
        cells=[
            cell("x = 1"),
            cell("assert x == 1", grade_id="t", grade=True, points=1),
            cell("raise RuntimeError('a figure')"),
        ]
    )
    nbformat.write(notebook, tmp_path / "graded.ipynb")
    job = {"notebook": str(tmp_path / "graded.ipynb"), "out": str(tmp_path / "out")}
    runner.run({**job, "assignment": "hw", "record": False})
    executed = nbformat.read(tmp_path / "out" / runner.EXECUTED, as_version=4)
    assert executed.cells[1].execution_count is not None, "the test cell ran"
    (note,) = executed.cells[2].outputs
    assert note["output_type"] == "stream" and "not run when grading" in note["text"]


def test_a_mistake_whose_lines_the_student_kept_is_not_named():
    """Two edits that record the same: the one the student's code shows is named, and the
    one whose lines the student kept as the solution has them is not."""
    source = nbformat.v4.new_notebook(
        cells=[
            cell("import numpy as np", grade_id="setup", locked=True),
            cell(
                "def double(x):\n    ### BEGIN SOLUTION\n    y = 2 * x  # twice\n"
                "    return y\n    ### END SOLUTION",
                grade_id="double",
                solution=True,
            ),
            cell("expect_solution(double(3), 'double(3)')", grade_id="test_double", grade=True),
        ]
    )
    plus = Mistake("double", "adds three", (("return y", "return y + 3"),))
    times = Mistake("double", "triples", (("2 * x", "3 * x"),))
    diagnosis = Diagnosis(source, [plus, times], FakeRun([9, 9]), lambda c: "")
    records = [{"kind": "solution", "what": "double(3)", "got": 9}]
    tripled = "def double(x):\n    y = 3*x\n    return y  # done\n"
    assert diagnosis.name("test_double", records, "", answer=tripled) is times
    added = "def double(x):\n    # my answer\n    y = 2 * x\n    return y + 3\n"
    assert diagnosis.name("test_double", records, "", answer=added) is plus
    rewritten = "def double(x):\n    return x + x + 3\n"  # neither: both still agree
    assert diagnosis.name("test_double", records, "", answer=rewritten) is plus


def test_a_line_left_out_is_not_named_where_the_student_changed_that_line():
    source = nbformat.v4.new_notebook(
        cells=[
            cell(
                "def double(x):\n    y = x\n    y = 2 * y\n    return y",
                grade_id="double",
                solution=True,
            ),
            cell("expect_solution(double(3), 'double(3)')", grade_id="test_double", grade=True),
        ]
    )
    dropped = Mistake("double", "leaves out the doubling", (("    y = 2 * y\n", ""),))
    negated = Mistake("double", "negates", (("2 * y", "-y"),))
    diagnosis = Diagnosis(source, [dropped, negated], FakeRun([3, -6]), lambda c: "")
    records = [{"kind": "solution", "what": "double(3)", "got": 3}]
    changed = "def double(x):\n    y = x\n    y = y * 1\n    return y\n"
    assert diagnosis.name("test_double", records, "", answer=changed) is None
    left_out = "def double(x):\n    y = x\n    return y\n"
    assert diagnosis.name("test_double", records, "", answer=left_out) is dropped
    as_pass = Mistake("double", "leaves out the doubling", (("y = 2 * y", "pass"),))
    diagnosis = Diagnosis(source, [as_pass], FakeRun([3]), lambda c: "")
    assert diagnosis.name("test_double", records, "", answer=changed) is None  # `pass`: left out
    assert diagnosis.name("test_double", records, "", answer=left_out) is as_pass


def test_a_mistake_is_not_named_where_the_student_kept_the_word_its_edit_changes():
    """Within a line both changed: ``1 / sqrt(a) * sqrt(b)`` keeps the ``*`` of
    ``1 / sqrt(a * b)``, so the student did not write ``a / b`` for it."""
    source = nbformat.v4.new_notebook(
        cells=[
            cell("def step(a, b):\n    return 1 / np.sqrt(a * b)", grade_id="step", solution=True),
            cell("expect_solution(step(1, 4), 'double(3)')", grade_id="test_double", grade=True),
        ]
    )
    divided = Mistake("step", "divides by b", (("a * b", "a / b"),), generated=True)
    diagnosis = Diagnosis(source, [divided], FakeRun([2.0]), lambda c: "")
    records = [{"kind": "solution", "what": "double(3)", "got": 2.0}]
    regrouped = "def step(a, b):\n    return 1 / np.sqrt(a) * np.sqrt(b)\n"
    assert diagnosis.name("test_double", records, "", answer=regrouped) is None
    typed = "def step(a, b):\n    return 1 / np.sqrt(a / b)\n"
    assert diagnosis.name("test_double", records, "", answer=typed) is divided
    listed = Mistake("step", "divides by b", (("a * b", "a / b"),))  # its sentence: the meaning
    diagnosis = Diagnosis(source, [listed], FakeRun([2.0]), lambda c: "")
    assert diagnosis.name("test_double", records, "", answer=regrouped) is listed


def test_of_generated_mistakes_that_record_the_same_the_one_the_student_wrote_is_named():
    source = nbformat.v4.new_notebook(
        cells=[
            cell("def double(x):\n    return 2 * x", grade_id="double", solution=True),
            cell("expect_solution(double(3), 'double(3)')", grade_id="test_double", grade=True),
        ]
    )
    plus = Mistake("double", "adds `x`", (("2 * x", "x + x + x"),), generated=True)
    three = Mistake("double", "uses `3`", (("2 * x", "3 * x"),), generated=True)
    diagnosis = Diagnosis(source, [plus, three], FakeRun([9, 9]), lambda c: "")
    records = [{"kind": "solution", "what": "double(3)", "got": 9}]
    named = diagnosis.name("test_double", records, "", answer="def double(x):\n    return 3*x\n")
    assert named == three and not named.alternatives
    either = diagnosis.name("test_double", records, "", answer="def double(x):\n    return 9\n")
    assert either.alternatives  # neither written: both told
