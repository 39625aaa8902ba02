"""What readers and instructors wait for: executing the book, autograding homework.

* :func:`time_chapters`: each ``book/*.ipynb`` executed and checked by nbval
  (``python -m pytest book/<chapter>.ipynb``, with the project's pytest options, i.e.
  ``--nbval-lax``), one fresh process per chapter, timed from the command's start to its
  end: pytest's start-up and the kernel's are part of what a reader waits for. The CPU
  time of the command and its kernels is recorded too: on a shared machine the wall time
  includes waiting for other programs, the CPU time hardly does.
* :func:`time_autograding`: for each assignment in ``solutions/``, a throw-away copy of the
  course gets one submission (the solution notebook) and is graded with the instructor's
  command ``python -m courseware.grading autograde`` (feedback HTML included); the timed part
  is that command alone, not the copy nor the release that precedes it.
* :func:`time_parallel_grading`: a class of ``students`` submissions of one assignment graded
  with ``--jobs`` 1, 2 and the machine's cores, to see how grading time falls with cores, and
  :func:`class_projection`, what a class of 300 students and every assignment would take.

Both return plain rows for the report; a missing folder or a command that cannot run gives
a row that says so instead of an exception, so the other benchmarks still get written.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHAPTER_GOAL_S = 60.0
BOOK_GOAL_S = 300.0
AUTOGRADE_GOAL_S = 15.0


@dataclass
class CourseTiming:
    """Wall time of one chapter or one autograded submission."""

    name: str
    seconds: float | None  # None: not measured
    goal_s: float
    passed: bool  # the command succeeded (all cells ran / full marks)
    note: str = ""
    cpu_seconds: float | None = None  # user + system time of the command and its kernels

    @property
    def met(self) -> bool | None:
        return None if self.seconds is None else self.seconds <= self.goal_s and self.passed


def _environment() -> dict[str, str]:
    """The variables ``make`` exports for every course command (static figures, fixed hashes);
    each course keeps its own grading cache (in its folder: every timing starts cold)."""
    env = dict(os.environ, DLDEMOS_STATIC="1", PYTHONHASHSEED="0")
    env.pop("COURSEWARE_GRADING_CACHE", None)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return env


@dataclass
class Finished:
    """A command's wall time, CPU time and result (``None`` if it ran past its timeout)."""

    seconds: float
    cpu_seconds: float
    result: subprocess.CompletedProcess | None


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], cwd: Path, timeout: float) -> Finished:
    """Run ``command`` and time it. The CPU time counts every process it waited for (the
    Jupyter kernels included): unlike the wall time, other programs on the machine barely
    change it."""
    start, cpu_start = time.perf_counter(), _children_cpu_seconds()
    try:
        result = subprocess.run(
            command, cwd=cwd, env=_environment(), capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        result = None
    return Finished(time.perf_counter() - start, _children_cpu_seconds() - cpu_start, result)


def _last_line(result: subprocess.CompletedProcess) -> str:
    lines = (result.stdout + result.stderr).strip().splitlines()
    return lines[-1].strip() if lines else f"exit status {result.returncode}"


def chapters(root: Path = ROOT) -> list[Path]:
    return sorted((root / "book").glob("*.ipynb"))


def time_chapters(
    root: Path = ROOT,
    timeout: float = 300.0,
    on_row: Callable[[CourseTiming], None] = lambda row: None,
) -> list[CourseTiming]:
    """Execute every chapter with nbval, one process each; a row per chapter (also passed
    to ``on_row`` as soon as it is measured)."""
    rows = []
    for notebook in chapters(root):
        run = _run(
            [sys.executable, "-m", "pytest", str(notebook.relative_to(root)), "-q"], root, timeout
        )
        passed = run.result is not None and run.result.returncode == 0
        note = _last_line(run.result) if run.result else f"stopped after {timeout:.0f} s"
        rows.append(
            CourseTiming(notebook.name, run.seconds, CHAPTER_GOAL_S, passed, note, run.cpu_seconds)
        )
        on_row(rows[-1])
    return rows


def book_total(rows: list[CourseTiming]) -> CourseTiming:
    """The whole book: the sum of its chapters' times."""
    return CourseTiming(
        f"all {len(rows)} chapters",
        sum(row.seconds for row in rows),
        BOOK_GOAL_S,
        all(row.passed for row in rows),
        cpu_seconds=sum(row.cpu_seconds for row in rows),
    )


def _autograde(
    grading: list[str], course: Path, assignment: str, timeout: float, *options: str
) -> Finished:
    """The instructor's command on ``course/submitted`` for one assignment, timed."""
    command = ["autograde", "--submissions", str(course / "submitted"), "--assignment", assignment]
    return _run(grading + command + list(options), course, timeout)


def _grade_one(root: Path, assignment: str, scratch: Path, timeout: float) -> CourseTiming:
    course = scratch / "course"
    shutil.copytree(root / "solutions" / assignment, course / "solutions" / assignment)
    shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
    grading = [sys.executable, "-m", "courseware.grading", "--course-dir", str(course)]
    released = _run(grading + ["release", assignment], course, timeout).result
    if released is None or released.returncode != 0:
        return CourseTiming(
            assignment,
            None,
            AUTOGRADE_GOAL_S,
            False,
            "not measured: the release failed: "
            + (_last_line(released) if released else "timed out"),
        )
    submission = course / "submitted" / "benchmark" / assignment
    submission.mkdir(parents=True)
    for notebook in (course / "solutions" / assignment).glob("*.ipynb"):
        shutil.copy(notebook, submission / notebook.name)
    grades_csv = scratch / "grades.csv"
    run = _autograde(grading, course, assignment, timeout, "--out", str(grades_csv))
    timing = CourseTiming(
        assignment, run.seconds, AUTOGRADE_GOAL_S, False, cpu_seconds=run.cpu_seconds
    )
    if run.result is None:
        timing.note = f"stopped after {timeout:.0f} s"
    elif run.result.returncode != 0 or not grades_csv.is_file():
        timing.note = _last_line(run.result)
    else:
        with open(grades_csv, newline="") as file:
            row = next(csv.DictReader(file))
        score, max_score = float(row["score"]), float(row["max_score"])
        timing.passed = score == max_score
        timing.note = f"solution scored {score:g} / {max_score:g}"
    return timing


def time_autograding(
    root: Path = ROOT,
    timeout: float = 120.0,
    on_row: Callable[[CourseTiming], None] = lambda row: None,
) -> list[CourseTiming]:
    """Autograde one submission (the solution) of every assignment; a row per assignment
    (also passed to ``on_row`` as soon as it is measured)."""
    solutions = root / "solutions"
    if not solutions.is_dir():
        return [
            CourseTiming(
                "autograding", None, AUTOGRADE_GOAL_S, False, f"not measured: no {solutions}"
            )
        ]
    try:
        import courseware.grading  # noqa: F401  (nbgrader and the grading module must import)
    except ImportError as error:
        return [
            CourseTiming(
                "autograding",
                None,
                AUTOGRADE_GOAL_S,
                False,
                f"not measured: courseware.grading does not import ({error})",
            )
        ]
    rows = []
    for folder in sorted(p for p in solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))):
        with tempfile.TemporaryDirectory(prefix="bench-grading-") as scratch:
            rows.append(_grade_one(root, folder.name, Path(scratch), timeout))
        on_row(rows[-1])
    return rows


PARALLEL_STUDENTS = 8
CLASS_SIZE = 300


def _grade_class(
    root: Path,
    assignment: str,
    students: int,
    jobs: int,
    timeout: float,
    unanswered: bool = False,
    runs: int = 1,
) -> list[Finished]:
    """Grade ``students`` copies of the solution of ``assignment`` (or of its release, every
    answer missing, with ``unanswered``) with ``--jobs``, no feedback pages, ``runs`` times in
    the same course (the later runs with the grading cache the first one filled)."""
    with tempfile.TemporaryDirectory(prefix="bench-class-") as scratch:
        course = Path(scratch) / "course"
        shutil.copytree(root / "solutions" / assignment, course / "solutions" / assignment)
        shutil.copy(root / "nbgrader_config.py", course / "nbgrader_config.py")
        grading = [sys.executable, "-m", "courseware.grading", "--course-dir", str(course)]
        _run(grading + ["release", assignment], course, timeout)
        handed_in = course / ("exercises" if unanswered else "solutions") / assignment
        for student in range(students):
            folder = course / "submitted" / f"student{student:03d}" / assignment
            folder.mkdir(parents=True)
            for notebook in handed_in.glob("*.ipynb"):
                shutil.copy(notebook, folder / notebook.name)
        return [
            _autograde(grading, course, assignment, timeout, "--jobs", str(jobs), "--no-feedback")
            for _ in range(runs)
        ]


def time_parallel_grading(
    root: Path = ROOT,
    assignment: str = "hw03",
    students: int = PARALLEL_STUDENTS,
    timeout: float = 900.0,
    on_row: Callable[[CourseTiming], None] = lambda row: None,
) -> list[CourseTiming]:
    """Grade ``students`` submissions (copies of the solution) of ``assignment`` with ``--jobs``
    1, 2 and ``os.cpu_count()``; a row per setting, its note the speed-up over one job."""
    rows, serial = [], None
    for jobs in sorted({1, 2, os.cpu_count() or 1}):
        (run,) = _grade_class(root, assignment, students, jobs, timeout)
        passed = run.result is not None and run.result.returncode == 0
        serial = serial or (run.seconds if jobs == 1 else None)
        note = f"{run.seconds / students:.1f} s per submission" + (
            f"; {serial / run.seconds:.2f}x the speed of one job" if serial and jobs > 1 else ""
        )
        rows.append(
            CourseTiming(
                f"{students} submissions of {assignment}, --jobs {jobs}",
                run.seconds,
                AUTOGRADE_GOAL_S * students / jobs,
                passed,
                note,
                run.cpu_seconds,
            )
        )
        on_row(rows[-1])
    return rows


DIAGNOSIS_GOAL = 1.5  # a class whose every test fails, against one that passes: per submission


def time_diagnosis_overhead(
    root: Path = ROOT,
    assignment: str = "hw03",
    students: int = PARALLEL_STUDENTS,
    timeout: float = 900.0,
    on_row: Callable[[CourseTiming], None] = lambda row: None,
    class_size: int = CLASS_SIZE,
) -> list[CourseTiming]:
    """What naming mistakes costs: a class of solutions (no test fails, no diagnosis) against
    a class of unanswered releases (every test fails: the listed and generated mistakes of
    every answer run once, and each failed test is compared with them), both with the
    machine's cores; the failing class is graded twice, the second time with the mistakes'
    runs kept from the first (late submissions, a regrade). The first run's extra time over
    the second is the assignment's fixed cost, the second's over the passing class the cost
    per submission; from them, what a class of ``class_size`` costs per submission. The goal:
    that within ``DIAGNOSIS_GOAL`` times the passing class's."""
    jobs = os.cpu_count() or 1
    right, right_again = _grade_class(root, assignment, students, jobs, timeout, runs=2)
    cold, warm = _grade_class(root, assignment, students, jobs, timeout, unanswered=True, runs=2)
    ok = all(
        r.result is not None and r.result.returncode == 0 for r in (right, right_again, cold, warm)
    )
    rows = []
    for name, run in (
        ("every test passes", right),
        ("every test fails (diagnosed)", cold),
        ("every test fails, graded again (the mistakes' runs kept)", warm),
    ):
        rows.append(
            CourseTiming(
                f"{students} submissions of {assignment}, {name}",
                run.seconds,
                right.seconds * DIAGNOSIS_GOAL,
                ok,
                f"{run.seconds / students:.1f} s per submission, "
                f"{run.seconds / right.seconds:.2f}x the passing class",
                run.cpu_seconds,
            )
        )
        on_row(rows[-1])
    fixed = max(0.0, cold.seconds - warm.seconds)
    per_submission = warm.seconds / students
    projected = per_submission * class_size + fixed
    passing = right_again.seconds / students * class_size  # its solution's run kept, likewise
    rows.append(
        CourseTiming(
            f"{class_size} submissions of {assignment}, every test fails (projected)",
            projected,
            passing * DIAGNOSIS_GOAL,
            ok,
            f"{fixed:.0f} s once (the mistakes' runs) + {per_submission:.1f} s per submission: "
            f"{projected / passing:.2f}x the passing class ({passing:.0f} s, projected alike)",
        )
    )
    on_row(rows[-1])
    return rows


def class_projection(
    one_each: list[CourseTiming],
    parallel: list[CourseTiming],
    assignment: str = "hw03",
    submissions: int = PARALLEL_STUDENTS,
    students: int = CLASS_SIZE,
) -> str:
    """What grading ``students`` students on every assignment takes: each assignment's time for
    one submission, scaled by what a submission of ``assignment`` costs in the fastest parallel
    run (``submissions`` of them) against grading it alone (the fixed costs, the release and
    the solution's reference run, are paid once per run, and the cores share the rest)."""
    alone = {row.name: row.seconds for row in one_each if row.seconds is not None}
    timed = [row.seconds for row in parallel if row.seconds is not None]
    if not alone or assignment not in alone or len(timed) < 2:
        return "not projected: the timings above are missing"
    per_submission = min(timed) / submissions
    total = sum(alone.values()) * students * per_submission / alone[assignment]
    return (
        f"{students} students x {len(alone)} assignments: about {total / 3600:.1f} h on this machine "
        f"({per_submission:.1f} s per {assignment} submission in the fastest parallel run against "
        f"{alone[assignment]:.1f} s to grade one alone, the other assignments scaled alike; the best "
        f"speed-up of the cores is {timed[0] / min(timed):.2f}x); with a shard per machine "
        f"(`--shard i/N`) it divides by the number of machines."
    )
