"""Homework grading: releasing exercises, autograding a class in a sandbox, self-checks.

The course's homework lives in two folders at the repository root (see ``nbgrader_config.py``):

* ``solutions/hwNN/hwNN.ipynb``, the nbgrader *source*: full solutions, visible tests and
  hidden tests (between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``);
* ``exercises/hwNN/hwNN.ipynb``, the *release* students work in, generated from it.

Commands, one per reader (``python -m courseware``, or the console script ``courseware``; see
:mod:`courseware.cli`; ``python -m courseware.grading`` takes the same)::

    python -m courseware release [hw01 ...]          # instructor: regenerate exercises/
    python -m courseware grade --submissions submitted [--assignment hw01 ...]
                               [--out grades.csv] [--new-only] [--jobs N] [--shard i/N]
    python -m courseware merge <shard course folders...>   # instructor: after --shard runs
    python -m courseware check hw01 [path/to/hw01.ipynb]  # student: before submitting

How a submission is graded (the student's code can change nothing but its own score, and can
raise it only by computing the right answers):

1. *Assembled* (:mod:`.structure`): the notebook that runs is the source's, locked cells and
   hidden tests included, with the student's answers put in; answers are found by grade_id,
   cell id or the function they define, and every repair is reported.
2. *Run in a sandbox* (:mod:`.sandbox`, :mod:`.runner`): bubblewrap over an allow-list (the
   Python environment, a copy of ``dldemos`` without the code the exercise closes
   (:mod:`.library`), a throwaway folder; no course, no home folder, no other copy of the
   course, no other submission), no network, its own processes, limits on time, memory
   (tmpfs included), disk and output. After the set-up cell a guard (:mod:`.guard`) refuses
   the ``dldemos`` modules the set-up cell did not open. Every check of a test cell records
   what it was given (:mod:`courseware.records`; JSON and ``.npy``, never pickle).
3. *Judged outside* (:mod:`.verdicts`): the same test cells run once on the solution; a test
   cell earns its points when the student's records agree with the solution's. This trusted
   process reads what the sandbox and the submissions folder hold as untrusted files
   (:mod:`.untrusted`: no link followed, no FIFO, size caps, validated records), and alone
   writes the gradebook, ``autograded/``, ``feedback/`` (outputs shown as text or pixels,
   messages escaped) and the CSV (no formulas, no control characters). One submission that
   breaks anything costs that submission its points, with the reason in the summary, never
   the class run.

Without bubblewrap ``autograde`` refuses to run (``--unsandboxed`` overrides, loudly).

Writing or converting a homework (the rules every notebook in ``solutions/`` follows)
-------------------------------------------------------------------------------------
* The first code cell is the locked set-up cell. The ``dldemos`` names it imports are the ones
  answers may use (say so in the notebook's introduction); every other ``dldemos`` module is
  closed in a graded run, and so is every ``dldemos`` function or class named like one the
  answers define, plus the names listed in the notebook metadata ``grading.closed``
  (e.g. ``["dldemos.lr_finder.steepest_descent_lr"]``).
* Each answer cell (nbgrader "solution") is followed by its own test cell (nbgrader "grade",
  locked, with points). Test cells check with ``courseware.checks`` only (imported in the cell).
* Hidden tests hold no expected values and use no reference implementation: they call the
  student's function and pass its result to ``expect_solution(got, what, hint=..., rtol=...,
  atol=...)``; the autograder compares it with what the solution gives at the same point.
  Mechanically: ``expect_close(f(x), reference_f(x), what, rtol=r)`` becomes
  ``expect_solution(f(x), what, rtol=r)``, and the reference's import goes. The same holds for
  comparisons with PyTorch or a formula: a hidden test computes no expected value in the
  student's process at all (no twin model run by ``torch.optim.Adam``, no ``expect_true`` of a
  condition), because everything in that process, the checks included, is the student's to
  replace; a replaced check can then only record wrong values. Visible tests may compare with
  PyTorch (students need them without the solution), as long as the same test cell also has
  hidden ``expect_solution`` checks of the answer.
* Test code must run the same way for a right answer as for the solution (it is compared
  check by check), and may not depend on wall-clock time or unseeded randomness.
"""

from __future__ import annotations

_EXPORTS = {
    "Course": "course",
    "release": "course",
    "LOG_NAME": "course",
    "autograde": "autograde",
    "Grade": "autograde",
    "summary_table": "autograde",
    "write_grades_csv": "autograde",
    "check": "check",
    "check_report": "check",
    "TestResult": "check",
    "main": "cli",
    "ResilientExecute": "runner",
}


def __getattr__(name):  # imported on first use: the kernel loads only the guard
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(f"courseware.grading.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'courseware.grading' has no attribute {name!r}")
