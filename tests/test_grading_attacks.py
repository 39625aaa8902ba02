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
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest
from grading_course import (
    HW01_WRONG,
    ROOT,
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
from courseware.grading.autograde import Grader
from courseware.grading.course import limits as course_limits
from courseware.grading.library import build_library
from courseware.grading.sandbox import Limits, run_notebook

pytestmark = [needs_sandbox, pytest.mark.slow]

MARKER = "dldemos-grading-attack-survivor"
SECRET = "TOP-SECRET-4b1d"
WRONG = HW01_WRONG


def attack(code: str, answers: str = "wrong"):
    """A hw01 submission builder: ``code`` prepended to the batch_sizes answer cell; the
    answers are the wrong ones (``"wrong"``) or the solution's (``"right"``)."""

    def build(solution, release, course):
        notebook = solution if answers == "right" else with_sources(solution, **WRONG)
        first = cell_of(notebook, "batch_sizes")
        return with_sources(notebook, batch_sizes=_fill(code, course) + "\n" + first.source)

    return build


def _fill(code: str, course) -> str:
    return (
        code.replace("{ROOT}", str(course.root))
        .replace("{PLANTED}", str(PLANTED.get("path", "")))
        .replace("{SECRET}", str(PLANTED.get("secret", "")))
    )


PLANTED: dict[str, Path] = {}  # a copy of the solutions outside the course, and a secret file


def replace_answer(grade_id: str, code: str):
    """A hw01 submission builder: the solution with the answer ``grade_id`` replaced by ``code``."""

    def build(solution, release, course):
        return with_sources(solution, **{grade_id: _fill(code, course)})

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
# --- issue 28: a second, more inventive class -------------------------------------------
READS_PLANTED_COPY = """
import glob, json
for pattern in ("/tmp/**/solutions/hw01/hw01.ipynb", "/work/**/solutions/hw01/hw01.ipynb",
                "/root/**/solutions/hw01/hw01.ipynb", "/home/**/solutions/hw01/hw01.ipynb", "{PLANTED}"):
    for path in glob.glob(pattern, recursive=True)[:20]:
        try:
            for cell in json.load(open(path))["cells"]:
                if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
                    exec("".join(cell["source"]))
            print("read", path)
        except Exception as error:
            print(path, error)
"""
AROUND_THE_GUARD = """
import os, dldemos
folder = os.path.dirname(dldemos.__file__)
for attempt in (lambda: exec(compile("from dldemos.data import random_mini_batches", folder + "/x.py", "exec"), globals()),
                lambda: exec(open("/proc/self/root" + folder + "/data.py").read(), globals()),
                lambda: exec(open("/work/main/dldemos/data.py").read(), globals())):
    try:
        attempt()
    except Exception as error:
        print(type(error).__name__, error)
"""
SYMLINKED_EXECUTED = """
import os
os.makedirs("out", exist_ok=True)
for name, target in (("executed.ipynb", "{ROOT}/solutions/hw02/hw02.ipynb"), ("records.jsonl", "/dev/zero"),
                     ("runner.log", "{SECRET}")):
    try:
        os.symlink(target, os.path.join("out", name))
    except Exception as error:
        print(error)
for path in ("runner.log", "../run.log", "/tmp/grading/runner.log"):
    try:
        os.remove(path)
        os.symlink("{SECRET}", path)
    except Exception as error:
        print(error)
os.kill(os.getppid(), 9)
"""
FIFO_OUTPUTS = """
import os
os.makedirs("out", exist_ok=True)
for name in ("executed.ipynb", "records.jsonl"):
    os.mkfifo(os.path.join("out", name))
os.kill(os.getppid(), 9)
"""
ESCAPES_IN_NOTE = """
import os
os.write(2, b"\\x1b[2J\\x1b[H ALL STUDENTS GRADED: 100/100\\x07\\n")
os.kill(os.getppid(), 9)
"""
SCRIPT_IN_OUTPUT = """
from IPython.display import HTML, Javascript, SVG, display
display(HTML("<script>document.title = 'XSS-SCRIPT'</script>"))
display(Javascript("document.title = 'XSS-JS'"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>alert("XSS-SVG")</script></svg>'))
"""
SCRIPT_IN_ERROR = "raise ValueError('<img src=x onerror=alert(\"XSS-ERROR\")>')\n"
FORGED_RECORDS = """
import os
import numpy as np
def batch_sizes(m, batch_size):
    folder = os.environ.get("DLDEMOS_GRADING_RECORDS", ".")
    if not os.path.exists(folder + "/big.npy"):
        np.save(folder + "/big.npy", np.zeros(7 * 2 ** 20))
    lines = ['{"cell": "test_batch_sizes", "kind": "close", "what": 5, "got": 1}',
             '{"cell": "test_batch_sizes", "kind": "solution", "got": {"dict": 5}}',
             '{"cell": "test_batch_sizes", "kind": "equal", "got": {"array": "../../x.npy"}}',
             '{"cell": "test_batch_sizes", "kind": "equal", "rtol": "x", "got": [1, 2]}',
             '"just a string"', '17', '[1, 2, 3]', '{"cell": 5}']
    lines += ['{"cell": "test_batch_sizes", "kind": "solution", "what": "w", "got": {"array": "big.npy"}}'] * 60
    with open(folder + "/records.jsonl", "a") as handle:
        handle.write("\\n".join(lines) + "\\n")
    return [np.array([batch_size])] * (m // batch_size) + [np.array([m % batch_size])]
"""
FILLS_THE_DISK = """
import os
for i in range(12):
    try:
        with open(f"filler-{i}", "wb") as handle:
            handle.write(b"x" * (60 * 2 ** 20))
    except Exception as error:
        print(error)
        break
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
    # issue 28
    "reads-a-planted-copy": (attack(READS_PLANTED_COPY), 0),
    "around-the-guard": (replace_answer("random_mini_batches", AROUND_THE_GUARD), 6),
    "symlinked-executed-and-log": (attack(SYMLINKED_EXECUTED), 0),
    "fifo-outputs": (attack(FIFO_OUTPUTS), 0),
    "escapes-in-note": (attack(ESCAPES_IN_NOTE), 0),
    "script-in-output": (attack(SCRIPT_IN_OUTPUT, answers="right"), 10),
    "script-in-error": (attack(SCRIPT_IN_ERROR, answers="right"), 8),
    "forged-records": (replace_answer("batch_sizes", FORGED_RECORDS), 8),
    "fills-the-disk": (attack(FILLS_THE_DISK, answers="right"), 0),
    # names: valid ones are graded like anyone, the others refused with the reason
    "grading.log": (attack("", answers="right"), 10),
    "José_Müller-2": (attack("", answers="right"), 10),
}
REFUSED_NAMES = ["-rf", "<img src=x onerror=alert(1)>", '=HYPERLINK("evil")', "\x1b[2Jevil"]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return make_course(tmp_path_factory.mktemp("attacked-course"))


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    """A copy of the solutions outside the course folder (another checkout, last year's
    course) and a secret file, both readable by the grader's user."""
    elsewhere = Path(tempfile.mkdtemp(prefix="another-course-copy-"))
    shutil.copytree(ROOT / "solutions", elsewhere / "solutions")
    secret = elsewhere / "secret.txt"
    secret.write_text(SECRET)
    PLANTED.update(path=elsewhere / "solutions" / "hw01" / "hw01.ipynb", secret=secret)
    yield PLANTED
    shutil.rmtree(elsewhere, ignore_errors=True)


@pytest.fixture(scope="module")
def graded(course, planted):
    submitted = course.root / "submitted"
    solution = read(course.solutions / "hw01" / "hw01.ipynb")
    release = read(course.exercises / "hw01" / "hw01.ipynb")
    for student, (build, _) in CASES.items():
        submit(submitted, student, "hw01", build(solution, release, course))
    submit(submitted, "shipped-dldemos", "hw01", with_sources(solution, **WRONG))
    fake = submitted / "shipped-dldemos" / "hw01" / "dldemos"
    fake.mkdir()
    (fake / "__init__.py").write_text("")
    (fake / "checks.py").write_text(
        "def __getattr__(name):\n    return lambda *args, **kwargs: None\n"
    )
    notebook = with_sources(solution, **WRONG)
    for i in range(8):
        notebook.cells.insert(4 + i, nbformat.v4.new_code_cell(NEAR_TIMEOUT.format(s=9)))
    submit(submitted, "near-timeouts", "hw01", notebook)
    submit(submitted, "another-assignment", "hw01", read(course.solutions / "hw02" / "hw02.ipynb"))
    submit(submitted, "invalid-json", "hw01", '{"cells": [{"cell_type": "code", ')
    submit(submitted, "empty-file", "hw01", "")
    # issue 28: links, FIFOs, JSON bombs and names in the submissions folder
    submit(submitted, "deeply-nested", "hw01", '{"cells": [' + "[" * 200_000 + "]" * 200_000 + "]}")
    (submitted / "symlinked-notebook" / "hw01").mkdir(parents=True)
    (submitted / "symlinked-notebook" / "hw01" / "hw01.ipynb").symlink_to(
        course.solutions / "hw01" / "hw01.ipynb"
    )
    (submitted / "symlinked-folder").mkdir()
    (submitted / "symlinked-folder" / "hw01").symlink_to(course.solutions / "hw01")
    (submitted / "fifo-notebook" / "hw01").mkdir(parents=True)
    os.mkfifo(submitted / "fifo-notebook" / "hw01" / "hw01.ipynb")
    for name in REFUSED_NAMES:
        submit(submitted, name, "hw01", solution)
    for student in ("honest-a", "honest-b"):
        submit(submitted, student, "hw01", solution)
        submit(submitted, student, "hw02", read(course.solutions / "hw02" / "hw02.ipynb"))
    # a first grading of the honest students: their rows must survive the attacks untouched
    with contextlib.redirect_stdout(io.StringIO()):
        grading.main(
            [
                "--course-dir",
                str(course.root),
                "autograde",
                "--submissions",
                str(submitted),
                "--assignment",
                "hw02",
                "--out",
                str(course.root / "grades-hw02.csv"),
            ]
        )
    before = {
        "files": tree_digest(
            course.solutions, course.exercises, course.root / "nbgrader_config.py"
        ),
        "scores": gradebook_scores(course),
    }
    printed = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(printed):
        code = grading.main(
            [
                "--course-dir",
                str(course.root),
                "autograde",
                "--submissions",
                str(submitted),
                "--assignment",
                "hw01",
                "--out",
                str(course.root / "grades.csv"),
                "--jobs",
                "2",
            ]
        )
    return {
        "code": code,
        "summary": printed.getvalue(),
        "before": before,
        "seconds": time.perf_counter() - started,
        "rows": {r["student"]: r for r in csv.DictReader(open(course.root / "grades.csv"))},
        "csv": (course.root / "grades.csv").read_text(),
        "students": sorted(p.name for p in submitted.iterdir()),
    }


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
    notebook = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(
                "import subprocess, sys\n"
                f"subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)  # {MARKER}-2'], start_new_session=True)\n"
                "open('/tmp/grading/started', 'w').write('yes')"
            )
        ]
    )
    nbformat.write(notebook, tmp_path / "nb.ipynb")
    (tmp_path / "job.json").write_text(
        json.dumps(
            {
                "notebook": "nb.ipynb",
                "out": "out",
                "assignment": "test",
                "closed": [],
                "record": False,
            }
        )
    )
    library = build_library("", [])
    run_notebook(tmp_path, library.path, Limits(notebook_timeout=30))
    assert (tmp_path / "started").read_text() == "yes"
    time.sleep(1)
    assert not [
        p
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and f"{MARKER}-2".encode() in _cmdline(p)
    ]


def _cmdline(proc: Path) -> bytes:
    try:
        return (proc / "cmdline").read_bytes()
    except OSError:
        return b""


def test_limits_bound_time_and_output(course, graded):
    verdicts = json.loads(
        (course.root / "autograded" / "near-timeouts" / "hw01" / "verdicts.json").read_text()
    )
    assert "time limit" in json.dumps(verdicts)
    assert gradebook_scores(course)[("near-timeouts", "hw01")] == 0
    for student in ("huge-output", "near-timeouts"):
        for folder in ("autograded", "feedback"):
            for path in (course.root / folder / student / "hw01").iterdir():
                assert path.stat().st_size < 2 * 2**20, f"{path} is {path.stat().st_size} bytes"


def test_tampered_or_broken_notebooks_are_reported_with_the_fix(graded):
    rows = graded["rows"]
    assert "the answer cell batch_sizes was found by cell id" in rows["renamed-grade-id"]["note"]
    assert (
        "the test cell test_batch_sizes was turned into markdown; it was restored"
        in rows["tests-as-markdown"]["note"]
    )
    assert "the locked cell setup was deleted" in rows["setup-deleted"]["note"]
    assert (
        "this notebook is the exercise of hw02, not of hw01" in rows["another-assignment"]["note"]
    )
    assert (
        rows["invalid-json"]["status"] == "unreadable"
        and "broken JSON" in rows["invalid-json"]["note"]
    )
    assert (
        rows["empty-file"]["status"] == "unreadable" and "empty file" in rows["empty-file"]["note"]
    )
    assert (
        "imports-the-answer hw01" in graded["summary"] or rows["imports-the-answer"]["lost_points"]
    )
    assert graded["code"] == 0


# --------------------------------------------------------------------------------------
# issue 28: a second, more inventive class
# --------------------------------------------------------------------------------------


def test_every_submission_folder_has_a_row_and_the_run_finishes(graded):
    """All the attacks together in one class run: it finishes, with a grades.csv row for
    every folder of the submissions folder (refused names included, under a printable name)."""
    assert graded["code"] == 0
    assert len(graded["rows"]) == len(graded["students"])
    refused = [r for r in graded["rows"].values() if r["status"] == "refused"]
    assert len(refused) == len(REFUSED_NAMES)
    assert all("not a student identifier" in r["note"] for r in refused)
    assert "Could not be graded" in graded["summary"]


@pytest.mark.parametrize(
    "student", ["symlinked-notebook", "symlinked-folder", "fifo-notebook", "deeply-nested"]
)
def test_links_fifos_and_json_bombs_in_the_submissions_are_refused(graded, student):
    row = graded["rows"][student]
    assert row["score"] == "0" and row["status"] == "unreadable", row
    reason = {
        "symlinked-notebook": "symbolic link",
        "symlinked-folder": "symbolic link",
        "fifo-notebook": "not a regular file",
        "deeply-nested": "nested more than",
    }[student]
    assert reason in row["note"], row


def test_nothing_of_the_host_reaches_the_feedback_grades_or_terminal(course, graded):
    """No secret or solution text followed through a link, no terminal escape, no formula,
    no script: in grades.csv, the summary, autograded/ and feedback/."""
    texts = {"grades.csv": graded["csv"], "summary": graded["summary"]}
    for folder in ("autograded", "feedback"):
        for path in (course.root / folder).rglob("*"):
            if path.is_file() and not path.name.startswith(".grading"):
                texts[str(path)] = path.read_text(errors="replace")
    hidden_test = "expect_solution(list(batch_sizes(m, size))"
    for where, text in texts.items():
        assert SECRET not in text, where
        if not where.endswith(".ipynb"):  # a graded notebook keeps its tracebacks' colours
            assert "\x1b" not in text and "\x07" not in text, where
        if "feedback" in where:
            assert hidden_test not in text, where
            # the payloads as a browser would run them (the answer's source shows them escaped)
            assert not re.search(r"<script[^>]*>[^<]*XSS", text), where
            for payload in ("<img src=x onerror", "<svg xmlns"):
                assert payload not in text, (where, payload)
    for line in graded["csv"].splitlines()[1:]:
        assert not line.startswith(("=", "+", "-", "@")), line
    assert (
        "&lt;img src=x onerror"
        in (course.root / "feedback" / "script-in-error" / "hw01" / "hw01.html").read_text()
    )


def test_a_planted_copy_of_the_solutions_cannot_be_read(tmp_path, planted):
    """The sandbox sees an allow-list: a copy of the solutions elsewhere on the machine, the
    host's /tmp, /work, home folders and the checkout do not exist in it."""
    python = sorted(
        {
            str(Path(sys.prefix).absolute()),
            str(Path(sys.prefix).resolve()),
            str(Path(sys.base_prefix).resolve()),
        }
    )
    probe = (
        "import os, json\n"
        f"paths = [{str(planted['path'])!r}, {str(planted['secret'])!r}, {str(ROOT / 'solutions')!r}, "
        "'/proc/self/root' + " + repr(str(planted["path"])) + "]\n"
        "json.dump({p: os.path.exists(p) for p in paths}, open('seen.json', 'w'))\n"
        "json.dump(sorted(os.listdir('/tmp')), open('tmp.json', 'w'))\n"
        f"python = {python!r}\n"
        "files = []\n"
        "for top in ('/work', '/root', '/home', '/var', '/srv', '/mnt', '/opt', '/tmp'):\n"
        "    for folder, dirs, names in os.walk(top):\n"
        "        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in python\n"
        "                   and os.path.join(folder, d) not in\n"
        "                   ('/opt/dldemos-grading', '/tmp/grading', '/tmp/home')]\n"
        "        if folder == '/tmp':\n"
        "            names = [n for n in names if not n.endswith('.json')]\n"
        "        files += [os.path.join(folder, n) for n in names]\n"
        "json.dump(files, open('files.json', 'w'))"
    )
    seen = _run_in_sandbox(tmp_path, probe)
    assert not any(json.loads((seen / "seen.json").read_text()).values()), (
        seen / "seen.json"
    ).read_text()
    # a Python environment that lives under the host's /tmp (a clone there) is mounted at its
    # own path: its first folder shows in the private /tmp, holding nothing but the environment
    under_tmp = {Path(p).relative_to("/tmp").parts[0] for p in python if p.startswith("/tmp/")}
    in_tmp = set(json.loads((seen / "tmp.json").read_text())) - {"grading", "home"} - under_tmp
    assert all(name.endswith(".json") for name in in_tmp), (
        in_tmp
    )  # its kernel connection files only
    assert json.loads((seen / "files.json").read_text()) == [], (
        "files outside the Python environment are visible"
    )


def test_tmpfs_and_disk_count_against_the_limits(tmp_path):
    limits = Limits(
        notebook_timeout=30, tmp_bytes=64 * 2**20, shm_bytes=16 * 2**20, disk_bytes=96 * 2**20
    )
    probe = (
        "import os\nwritten = {}\n"
        "for folder in ('/tmp', '/dev/shm'):\n"
        "    written[folder] = 0\n"
        "    try:\n"
        "        with open(folder + '/fill', 'wb') as handle:\n"
        "            for _ in range(256):\n"
        "                handle.write(b'x' * 2 ** 20); handle.flush(); written[folder] += 2 ** 20\n"
        "    except OSError:\n"
        "        pass\n"
        "open('written.txt', 'w').write(repr(written))\n"
        "for i in range(20):\n"
        "    open(f'disk-{i}', 'wb').write(b'x' * 2 ** 23)\n"
    )
    folder = _run_in_sandbox(tmp_path, probe, limits, keep=True)
    written = eval((folder / "written.txt").read_text())
    assert written["/tmp"] <= limits.tmp_bytes and written["/dev/shm"] <= limits.shm_bytes, written
    assert limits.address_space == limits.memory_bytes - limits.tmp_bytes - limits.shm_bytes
    assert _LAST_RUN["run"].over_disk


_LAST_RUN = {}


def _run_in_sandbox(tmp_path, code, limits=None, keep=False):
    folder = tmp_path / "run"
    folder.mkdir()
    nbformat.write(
        nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)]), folder / "nb.ipynb"
    )
    (folder / "job.json").write_text(
        json.dumps(
            {
                "notebook": "nb.ipynb",
                "out": "out",
                "assignment": "test",
                "closed": [],
                "record": False,
            }
        )
    )
    library = build_library("", [])
    _LAST_RUN["run"] = run_notebook(folder, library.path, limits or Limits(notebook_timeout=30))
    return folder


HW08_INTROSPECTION = """
import gc, dldemos.quadratic as quadratic
def _unwrap(function):
    for cell in getattr(function, "__closure__", None) or ():
        if callable(cell.cell_contents) and getattr(cell.cell_contents, "__name__", "") == function.__name__:
            return cell.cell_contents
    found = [o for o in gc.get_objects() if callable(o) and getattr(o, "__name__", "") == function.__name__
             and getattr(o, "__module__", "") == "dldemos.quadratic" and o is not function]
    return found[0] if found else function
gd_optimal = _unwrap(quadratic.gd_optimal)
momentum_optimal = _unwrap(quadratic.momentum_optimal)
def momentum_spectral_radius(alpha, beta, lam):
    return _unwrap(quadratic.momentum_rate)(alpha, beta, lam)
measured_rate = _unwrap(quadratic.measured_rate)
"""

HW06_FORGED_CHECKS = """
import courseware.checks as checks
_close = checks.expect_close
_true, _equal = checks.expect_true, checks.expect_equal
checks.expect_close = lambda got, expected, *args, **kwargs: _close(expected, expected, *args, **kwargs)
checks.expect_true = lambda condition, what="", message="", hint="": _true(True, what, message, hint)
checks.expect_equal = lambda got, expected, *args, **kwargs: _equal(expected, expected, *args, **kwargs)
class Adam(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay))

    def step(self, closure=None):
        return None
"""


@pytest.mark.parametrize(
    "assignment, grade_id, code",
    [
        ("hw08", "gd_optimal", HW08_INTROSPECTION),
        ("hw06", "adam", HW06_FORGED_CHECKS),
    ],
)
def test_no_points_from_the_closed_code_or_forged_checks(course, assignment, grade_id, code):
    """hw08: the closed reference functions are not in the sandbox, so no ``__closure__`` or
    ``gc`` walk finds them. hw06: an Adam whose step() does nothing, with expect_close & co.
    replaced in the kernel, earns nothing: every graded value is judged against the
    solution's run by the trusted process."""
    # the course's own limits: the solution's and the mistakes' runs are then the session's
    # cached ones (other limits made them again, about a minute of CPU); a cheat stopped by a
    # time limit would lose its points for the wrong reason, so none may be
    grader = Grader(course, assignment, assignment, course_limits(course), True)
    solution = read(course.solutions / assignment / f"{assignment}.ipynb")
    cheat = with_sources(solution, **{grade_id: code})
    if assignment == "hw08":
        for other in ("momentum_optimal", "momentum_spectral_radius", "measured_rate"):
            cell_of(cheat, other).source = "# answered above"
    folder = course.root / f"cheat-{assignment}"
    submit(folder, "cheat", assignment, cheat)
    result = grader.grade(folder / "cheat" / assignment / f"{assignment}.ipynb", base=folder)
    assert not result.problem, result.problem
    timed_out = [
        v for v in result.verdicts if re.search(r"time ?limit|timed? ?out", v.message, re.I)
    ]
    assert not timed_out, timed_out
    if assignment == "hw06":
        lost = {v.grade_id for v in result.verdicts if v.points < v.max_points}
        assert "test_adam" in lost, result.verdicts
    else:
        assert result.score == 0, result.verdicts


def test_untrusted_reads_refuse_links_fifos_and_bombs(tmp_path):
    from courseware.untrusted import Refused, loads_json, read_regular

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "plain").write_text("ok")
    (tmp_path / "d" / "to-secret").symlink_to(tmp_path / "d" / "plain")
    (tmp_path / "d" / "to-zero").symlink_to("/dev/zero")
    (tmp_path / "linked").symlink_to(tmp_path / "d")
    os.mkfifo(tmp_path / "d" / "fifo")
    (tmp_path / "d" / "big").write_bytes(b"x" * 2000)
    assert read_regular(tmp_path, "d/plain", 100) == b"ok"
    for relative, reason in [
        ("d/to-secret", "symbolic link"),
        ("d/to-zero", "symbolic link"),
        ("linked/plain", "symbolic link"),
        ("d/fifo", "not a regular file"),
        ("d/big", "more than"),
        ("../etc/passwd", "not a plain relative path"),
    ]:
        started = time.perf_counter()
        with pytest.raises(Refused, match=reason):
            read_regular(tmp_path, relative, 1000)
        assert time.perf_counter() - started < 5
    with pytest.raises(Refused, match="nested"):
        loads_json("[" * 100_000 + "]" * 100_000)


def test_records_of_unexpected_shape_cost_only_their_test(tmp_path):
    import numpy as np

    from courseware.grading import verdicts
    from courseware.records import read_records

    np.save(tmp_path / "big.npy", np.zeros(2**20))
    lines = [
        '{"cell": "test_x", "start": true}',
        '{"cell": "test_x", "kind": "close", "what": 5, "got": 1}',
        '{"cell": "test_x", "kind": "solution", "what": "w", "got": {"dict": 5}}',
        '{"cell": "test_x", "kind": "equal", "what": "w", "rtol": "x", "got": [1, 2]}',
        '{"cell": "test_x", "kind": 7, "got": 1}',
        '"a string"',
        "17",
        "[1, 2]",
        '{"cell": 5}',
    ]
    lines += ['{"cell": "test_y", "start": true}']
    lines += [
        '{"cell": "test_y", "kind": "solution", "what": "w", "got": {"array": "big.npy"}}'
    ] * 60
    (tmp_path / "records.jsonl").write_text("\n".join(lines) + "\n")
    records = read_records(tmp_path)
    solution = [{"kind": "solution", "what": "w", "got": 1.0}] * 4
    for cell in ("test_x", "test_y"):
        result = verdicts.verdict(cell, 2, records[cell], solution, "")
        assert result.points == 0 and "\n" not in result.message and result.message, result
    arrays = [r["got"] for r in records["test_y"]]
    assert sum(isinstance(a, np.ndarray) for a in arrays) < 60  # the arrays' budget ran out
    listed = [{"kind": "solution", "what": "w", "got": [np.zeros(2), np.ones(2)]}]
    student = [{"kind": "solution", "what": "w", "got": [np.zeros(3), 1]}]
    assert verdicts.verdict("test_z", 1, student, listed, "").points == 0


def test_csv_cells_and_terminal_text_are_defused(tmp_path):
    from courseware.grading.autograde import Grade, summary_table, write_grades_csv

    grades = [
        Grade(
            "ann", "hw01", 3, 10, note='=HYPERLINK("http://evil")\x1b[2J ALL GRADED: 100/100\x07'
        ),
        Grade("bob", "hw01", 10, 10, status="error", note="+cmd|' /C calc'!A0"),
    ]
    write_grades_csv(grades, tmp_path / "grades.csv")
    rows = list(csv.DictReader(open(tmp_path / "grades.csv")))
    assert rows[0]["note"].startswith("'=") and rows[1]["note"].startswith("'+")
    text = (tmp_path / "grades.csv").read_text() + summary_table(grades)
    assert "\x1b" not in text and "\x07" not in text


def test_closed_names_that_open_code_uses_refuse_answer_cells_however_reached():
    """hw04's steepest_descent_lr stays in the sandbox (lr_range_test uses it): taken out of the
    guard's wrapper, or called from code compiled under a dldemos file name, it still refuses."""
    import subprocess

    from courseware.grading.autograde import closed_names

    source = read(ROOT / "solutions" / "hw04" / "hw04.ipynb")
    setup = next(c.source for c in source.cells if c.cell_type == "code")
    closed = closed_names(source)
    library = build_library(setup, closed)
    assert "dldemos.lr_finder.steepest_descent_lr" in library.kept
    code = (
        setup
        + f"""
import gc, sys, numpy as np
import courseware.grading.guard as guard
guard.install("hw04", {closed!r})
module = sys.modules["dldemos.lr_finder"]
wrapper = module.steepest_descent_lr
found = [c.cell_contents for c in wrapper.__closure__ if callable(c.cell_contents)]
found += [o for o in gc.get_objects() if getattr(o, "__name__", "") == "steepest_descent_lr" and callable(o)]
attempts = [lambda f=f: f(np.ones(30), np.ones(30)) for f in [wrapper, *found]]
attempts.append(lambda: exec(compile("F(np.ones(30), np.ones(30))", module.__file__, "exec"), {{"F": found[0], "np": np}}))
for attempt in attempts:
    try:
        attempt()
        print("RAN")
    except ImportError:
        print("refused")
"""
    )
    ran = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(library.path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        cwd=library.path,
        timeout=120,
    )
    assert ran.stdout.split() and set(ran.stdout.split()) == {"refused"}, (
        ran.stdout + ran.stderr[-2000:]
    )
