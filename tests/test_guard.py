"""The grader's guard (courseware.grading.guard) in a fresh interpreter, without a sandbox: after
the set-up cell it closes what the set-up cell did not import, in dldemos and in courseware
alike, keeps the test cells' checks open, and closes the source files of both packages."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KERNEL = """
import dldemos.data                                   # the set-up cell
from courseware import checks
from courseware.grading import guard

guard.install("hw01", ["dldemos.data.random_mini_batches"])
for name in ("dldemos.data", "courseware.checks", "dldemos.optim", "dldemos.nn",
             "courseware.grading.autograde", "courseware.teaching", "courseware.claims"):
    try:
        __import__(name)
        print("open", name)
    except ImportError:
        print("closed", name)
for module in (dldemos.data, checks):
    try:
        open(module.__file__).read()
        print("readable", module.__name__)
    except PermissionError:
        print("unreadable", module.__name__)
try:
    dldemos.data.random_mini_batches
    dldemos.data.random_mini_batches(None, None, 1)
except ImportError:
    print("closed dldemos.data.random_mini_batches")
checks.expect_equal(1, 1, "a check still runs")
print("checked")
"""


def test_guard_closes_what_the_setup_cell_did_not_import():
    result = subprocess.run(
        [sys.executable, "-c", KERNEL], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == [
        "open dldemos.data",
        "open courseware.checks",
        "closed dldemos.optim",
        "closed dldemos.nn",
        "closed courseware.grading.autograde",
        "closed courseware.teaching",
        "closed courseware.claims",
        "unreadable dldemos.data",
        "unreadable courseware.checks",
        "closed dldemos.data.random_mini_batches",
        "checked",
        "",
    ]
