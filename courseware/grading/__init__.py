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
2. *Run in a sandbox* (:mod:`.sandbox`, :mod:`.runner`): bubblewrap, a throwaway folder, no
   course files, no gradebook, no network, its own processes, time/memory/output limits.
   After the set-up cell a guard (:mod:`.guard`) closes the ``dldemos`` implementations of
   what the exercise asks for. Every check of a test cell records what it was given
   (:mod:`courseware.records`; JSON and ``.npy``, never pickle).
3. *Judged outside* (:mod:`.verdicts`): the same test cells run once on the solution; a test
   cell earns its points when the student's records agree with the solution's. This trusted
   process alone writes the gradebook, ``autograded/``, ``feedback/`` and the CSV.

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
  ``expect_solution(f(x), what, rtol=r)``, and the reference's import goes. Comparisons
  against PyTorch or hand-written formulas (not the answer itself) may stay as they are: only
  the student's ``got`` values count, compared with the solution's.
* Test code must run the same way for a right answer as for the solution (it is compared
  check by check), and may not depend on wall-clock time or unseeded randomness.
"""

from __future__ import annotations

_EXPORTS = {
    "Course": "course", "release": "course", "LOG_NAME": "course",
    "autograde": "autograde", "Grade": "autograde", "summary_table": "autograde", "write_grades_csv": "autograde",
    "check": "check", "check_report": "check", "TestResult": "check",
    "main": "cli", "ResilientExecute": "runner",
}


def __getattr__(name):                  # imported on first use: the kernel loads only the guard
    if name in _EXPORTS:
        import importlib
        return getattr(importlib.import_module(f"courseware.grading.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'courseware.grading' has no attribute {name!r}")
