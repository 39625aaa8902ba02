"""Autograding a class: sandboxed runs, trusted verdicts, the gradebook, feedback and reports.

For each assignment: the source is recorded in nbgrader's gradebook, the source notebook is
run once (in the sandbox, on its own solutions) to record what the solution gives in every
test cell, then each submission is assembled (:mod:`.structure`), run in its own sandbox
(:mod:`.sandbox`, :mod:`.runner`) and judged from its records by this trusted process
(:mod:`.verdicts`), which alone writes the gradebook, ``autograded/``, ``feedback/`` and the CSV.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import dataclasses
import fcntl
import hashlib
import html
import importlib.metadata
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from traitlets.log import get_logger

import dldemos
from courseware.grading import sandbox
from courseware.grading.course import (
    LOG_NAME,
    Course,
    _nbgrader_environment,
    _quiet_nbgrader,
    _run_converter,
    feedback_policy,
    limits,
)
from courseware.grading.diagnosis import Diagnosis, generated_mistakes, load_mistakes
from courseware.grading.library import build_library
from courseware.grading.runner import EXECUTED, is_test_cell, nbgrader_meta
from courseware.grading.sandbox import Limits, run_notebook
from courseware.grading.structure import assemble, defined_names, read_notebook
from courseware.grading.verdicts import Verdict, verdict
from courseware.records import Unreadable, read_records
from courseware.untrusted import Refused, csv_cell, printable, read_regular, student_id_problem

PACKAGE_DIR = Path(dldemos.__file__).resolve().parent
GRADING_CODE = Path(__file__).resolve().parent


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def _cached_run(folder: Path, key: str, run) -> tuple:
    """``run()``'s result, kept in ``folder/<key>.pickle``: read when it is there, else run and
    written atomically (a run that went wrong, or an unwritable folder, is not kept). A lock
    file makes a second process wanting the same run wait for the first's result. The folder
    is the instructor's, as trusted as ``nbgrader_config.py`` (which is Python, run by the
    grader): the pickles are the grader's own."""
    path = folder / f"{key}.pickle"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(folder / f"{key}.lock", "w")
    except OSError as error:
        get_logger().warning("grading cache %s not used: %s", folder, error)
        return run()
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            pass
        result = run()
        executed, _, _, trouble = result
        if executed is not None and not trouble:
            with contextlib.suppress(OSError):
                scratch = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
                scratch.write_bytes(pickle.dumps(result))
                os.replace(scratch, path)
        return result


# in the diagnosis's run, a mistake's copy of a test cell may take this many times what the
# solution's took (at least runner.MIN_COPY_TIMEOUT s), not the course's cell limit
COPY_TIMEOUT_FACTOR = 10


# --------------------------------------------------------------------------------------
# one notebook
# --------------------------------------------------------------------------------------


def closed_names(source: nbformat.NotebookNode) -> list[str]:
    """The dldemos names an answer cell may not use: every function or class of the package
    with the name of one the exercise asks for, and the notebook's ``metadata.grading.closed``."""
    wanted = {
        name
        for cell in source.cells
        if nbgrader_meta(cell).get("solution")
        for name in defined_names(cell.source)
    }
    closed = list(source.metadata.get("grading", {}).get("closed", []))
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if "grading" in parts or path.name == "__init__.py":
            continue
        module = ".".join(parts)
        closed += [f"{module}.{name}" for name in sorted(defined_names(path.read_text()) & wanted)]
    return closed


def cell_error(cell) -> str:
    """The error a cell of an executed notebook ended with, in one line ("" if none)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            ename, evalue = str(output.get("ename", "")), str(output.get("evalue", ""))
            if ename == "NotImplementedError" and not evalue:
                return "not answered yet (the answer cell still raises NotImplementedError)"
            return f"{ename}: {evalue}".strip()[:400]
    return ""


@dataclass
class NotebookResult:
    verdicts: list[Verdict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problem: str = ""  # nothing could be graded: why, and the fix
    executed: nbformat.NotebookNode | None = None
    seconds: float = 0.0
    answers: str = ""  # sha256 of the answers' code (identical submissions)

    @property
    def score(self) -> float:
        return sum(v.points for v in self.verdicts)


class Grader:
    """Grades submissions of one notebook of one assignment."""

    def __init__(
        self,
        course: Course,
        assignment: str,
        name: str,
        limits: Limits,
        sandboxed: bool = True,
        other_assignments: dict[str, set[str]] | None = None,
    ):
        self.course, self.assignment, self.name = course, assignment, name
        self.limits, self.sandboxed = limits, sandboxed
        release = course.exercises / assignment / f"{name}.ipynb"
        self.release = nbformat.read(release, as_version=4) if release.is_file() else None
        source = course.solutions / assignment / f"{name}.ipynb"
        self.source = nbformat.read(source, as_version=4) if source.is_file() else self.release
        self.closed = closed_names(self.source)
        setup = next((c.source for c in self.source.cells if c.get("cell_type") == "code"), "")
        self.library = build_library(setup, self.closed)
        self.tests = [
            (nbgrader_meta(c)["grade_id"], float(nbgrader_meta(c).get("points", 0)))
            for c in self.source.cells
            if is_test_cell(c)
        ]
        # the first line of each test cell's hidden tests: what a student is not shown of them
        # depends on the course's feedback policy (course.feedback_policy)
        self.hidden_from = {
            nbgrader_meta(c)["grade_id"]: hidden_tests_line(c.source)
            for c in self.source.cells
            if is_test_cell(c) and hidden_tests_line(c.source) is not None
        }
        self.show_hidden = feedback_policy(course) == "full"
        self.other_assignments = other_assignments or {}
        self._reference = None
        mistakes = load_mistakes(course.solutions / assignment) + generated_mistakes(self.source)
        probe_limits = dataclasses.replace(
            limits, notebook_timeout=limits.notebook_timeout * (1 + len(mistakes))
        )
        self.diagnosis = Diagnosis(
            self.source,
            mistakes,
            lambda nb: self.trusted_run(
                nb, limits=probe_limits, copy_timeout_factor=COPY_TIMEOUT_FACTOR
            ),
            cell_error,
        )

    def run(
        self,
        notebook: nbformat.NotebookNode,
        record: bool = True,
        limits: Limits | None = None,
        copy_timeout_factor: float = 0,
    ):
        """Run ``notebook`` in a throwaway folder; returns (executed notebook or None, records,
        seconds, what went wrong with the run), under ``limits`` (the grader's by default);
        ``copy_timeout_factor``: see :class:`.runner.ResilientExecute`."""
        limits = limits or self.limits
        with tempfile.TemporaryDirectory(prefix="grading-", ignore_cleanup_errors=True) as scratch:
            base = Path(scratch)  # trusted: the run sees only base/run
            folder = base / "run"
            folder.mkdir()
            nbformat.write(notebook, folder / f"{self.name}.ipynb")
            (folder / "job.json").write_text(
                json.dumps(
                    {
                        "notebook": f"{self.name}.ipynb",
                        "out": "out",
                        "assignment": self.assignment,
                        "closed": self.closed,
                        "record": record,
                        "cell_timeout": limits.cell_timeout,
                        "notebook_timeout": limits.notebook_timeout,
                        "max_output_chars": limits.max_output_chars,
                        "copy_timeout_factor": copy_timeout_factor,
                    }
                )
            )
            run = run_notebook(
                folder, self.library.path, limits, self.sandboxed, log=base / "run.log"
            )
            executed, problem = read_notebook(folder / "out" / EXECUTED, base=base)
            try:
                records = read_records(base, "run/out")
            except Unreadable as error:
                records, problem = {}, str(error)
            trouble = ""
            if run.timed_out:
                trouble = f"the notebook did not finish within its time limit ({limits.notebook_timeout} s)"
            elif run.over_disk:
                trouble = f"the run wrote more than {limits.disk_bytes // 2**20} MB of files and was stopped"
            elif executed is None:
                last = [line for line in run.stderr.splitlines() if line.strip()][-1:] or [
                    "no message"
                ]
                trouble = (
                    f"the run ended without a result (exit status {run.returncode}: "
                    f"{printable(last[0])[:300]})"
                )
            if executed is None and problem and "does not exist" not in problem:
                trouble = f"{trouble}; {problem}" if trouble else problem
            return executed, records, run.seconds, trouble

    def trusted_run(self, notebook: nbformat.NotebookNode, **options):
        """:meth:`run` for the course's own notebooks (the solution, the diagnosis's mistakes).

        Their result depends only on what goes into the run, so it is kept in
        ``course.grading_cache`` under a digest of all of that (the notebook, the library, the
        limits, the grading code, the versions of Python, NumPy and PyTorch): grading an
        assignment again (late submissions, another class, a test suite's many courses) does
        not run them again. A run that went wrong is never kept."""
        key = self._run_key(notebook, options)
        return _cached_run(self.course.grading_cache, key, lambda: self.run(notebook, **options))

    def _run_key(self, notebook: nbformat.NotebookNode, options: dict) -> str:
        digest = hashlib.sha256()
        for path in sorted(self.library.path.rglob("*.py")) + sorted(GRADING_CODE.glob("*.py")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        options = {
            k: (dataclasses.asdict(v) if dataclasses.is_dataclass(v) else v)
            for k, v in options.items()
        }
        settings = [
            dataclasses.asdict(self.limits),
            self.sandboxed,
            self.assignment,
            self.name,
            sorted(self.closed),
            options,
            sys.version,
            [_version(p) for p in ("numpy", "torch", "nbclient", "ipykernel")],
        ]
        digest.update(json.dumps(settings, sort_keys=True).encode())
        digest.update(nbformat.writes(notebook).encode())
        return digest.hexdigest()

    def reference(self) -> dict[str, list[dict]]:
        """What the solution gives in every test cell (run once, trusted code)."""
        if self._reference is None:
            executed, records, _, trouble = self.trusted_run(self.source)
            failing = [
                f"{grade_id}: {cell_error(c)}"
                for c in (executed.cells if executed else [])
                if is_test_cell(c) and cell_error(c)
                for grade_id in [nbgrader_meta(c)["grade_id"]]
            ]
            missing = [grade_id for grade_id, _ in self.tests if grade_id not in records]
            if trouble or failing or missing:
                raise RuntimeError(
                    f"the solution of {self.assignment}/{self.name}.ipynb does not pass its own "
                    f"tests in the sandbox: {trouble or '; '.join(failing) or 'no records for ' + ', '.join(missing)}"
                )
            self._reference = records
        return self._reference

    def grade(self, path: Path, base: Path | None = None) -> NotebookResult:
        """Grade the submitted notebook at ``path``, read as an untrusted file below ``base``
        (the submissions folder: no link on the way is followed). Whatever the submission is,
        this returns a result: a failure of the grader on it costs that submission its points,
        with the reason, never the class run."""
        reference = self.reference()  # the instructor's problem, if any: raised
        started = time.perf_counter()
        try:
            return self._grade(path, base, reference, started)
        except Exception as error:  # noqa: BLE001 (one submission never stops the class)
            problem = printable(
                f"the grader could not grade this submission ({type(error).__name__}: {error})"
            )[:400]
            get_logger().exception("grading %s failed", path)
            return NotebookResult(
                [Verdict(g, 0.0, p, problem) for g, p in self.tests],
                problem=problem,
                seconds=time.perf_counter() - started,
            )

    def _grade(self, path: Path, base: Path | None, reference, started: float) -> NotebookResult:
        submission, problem = read_notebook(path, base)
        if submission is None:
            return NotebookResult(
                [Verdict(g, 0.0, p, problem) for g, p in self.tests], problem=problem
            )
        assembled = assemble(
            self.source,
            submission,
            self.assignment,
            self.release,
            self.other_assignments,
            self.closed,
        )
        executed, records, _, trouble = self.run(assembled.notebook)
        errors = {
            nbgrader_meta(c).get("grade_id"): cell_error(c)
            for c in (executed.cells if executed else [])
            if is_test_cell(c)
        }
        answer_code = {  # the student's code of each answer cell, by its grade id
            nbgrader_meta(c).get("grade_id"): c.source
            for c in assembled.notebook.cells
            if nbgrader_meta(c).get("solution")
        }
        verdicts = []
        for grade_id, points in self.tests:
            error = errors.get(grade_id) or (
                trouble if grade_id not in records or not executed else ""
            )
            hidden_from = None if self.show_hidden else self.hidden_from.get(grade_id)
            shown_error = error
            if (
                hidden_from is not None
                and error
                and error.split(":", 1)[0] not in LIMIT_ERRORS
                and _error_line(executed, grade_id) >= hidden_from
            ):
                shown_error = f"a hidden check raised {error.split(':', 1)[0]}"
            result = verdict(
                grade_id,
                points,
                records.get(grade_id),
                reference[grade_id],
                shown_error,
                hidden_from,
            )
            mistake = result.points < points and self.diagnosis.name(
                grade_id,
                records.get(grade_id),
                error,
                reference[grade_id],
                answer_code.get(self.diagnosis.answer_of.get(grade_id)),
            )
            if mistake:
                result.message = f"{mistake.sentence} {result.message}"
            verdicts.append(result)
        if trouble:
            assembled.notes.append(trouble)
        answers = [
            c.source
            for c in assembled.notebook.cells
            if nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")
        ]
        blank = [
            c.source
            for c in (self.release.cells if self.release else [])
            if nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")
        ]
        digest = (
            ""
            if answers == blank
            else hashlib.sha256(
                "\n".join(" ".join(a.split()) for a in answers).encode()
            ).hexdigest()
        )
        notes = [printable(note)[:600] for note in assembled.notes]
        return NotebookResult(verdicts, notes, "", executed, time.perf_counter() - started, digest)


# --------------------------------------------------------------------------------------
# a class
# --------------------------------------------------------------------------------------


@dataclass
class Grade:
    """One student's result on one assignment."""

    student: str
    assignment: str
    score: float
    max_score: float
    status: str = (
        "graded"  # "graded", "not submitted", "missing notebook", "unreadable", "error", "refused"
    )
    lost: list[str] = field(default_factory=list)  # test cells that did not get full points
    note: str = ""
    answers: str = ""  # sha256 of the answers' code ("" when unanswered)


def submission_problems(
    course: Course, submissions: Path, assignments
) -> dict[tuple[str, str], str]:
    """``(student, assignment) -> message`` for every submission folder that lacks a notebook
    of the assignment, naming the notebooks found instead and the fix."""
    problems = {}
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for assignment in assignments:
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            expected = [f"{name}.ipynb" for name in course.notebooks(assignment)]
            missing = [name for name in expected if not os.path.lexists(folder / name)]
            if missing:
                found = sorted(p.name for p in folder.glob("*.ipynb") if p.name not in expected)
                message = f"{', '.join(missing)} missing from {folder}"
                if found:
                    message += f"; found {', '.join(found)} instead"
                if len(found) == 1 and len(missing) == 1:
                    message += f": rename it to {missing[0]} and grade again"
                problems[(student_dir.name, assignment)] = message
    return problems


def _fingerprint(folder: Path, names) -> str:
    digest = hashlib.sha256()
    for name in names:
        try:
            digest.update(read_regular(folder, f"{name}.ipynb", 64 * 2**20))
        except (Refused, OSError):
            digest.update(b"-")
    return digest.hexdigest()


def autograde(
    course: Course,
    submissions: str | os.PathLike,
    assignments=(),
    out: str | os.PathLike | None = None,
    new_only: bool = False,
    feedback: bool = True,
    sandboxed: bool = True,
    jobs: int = 1,
    shard: tuple[int, int] | None = None,
) -> list[Grade]:
    """Autograde every submission in ``submissions`` and return one :class:`Grade` per
    student and assignment (also written to ``out``, a CSV, when given). ``jobs``
    submissions run at once, each in its own sandbox; this process alone writes the results,
    each as soon as it is graded. ``shard=(i, n)`` grades only the students of shard ``i`` of
    ``n`` (see :func:`merge`)."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import GenerateAssignment

    if sandboxed and sandbox.why_no_sandbox():
        raise sandbox.SandboxUnavailable(f"{sandbox.why_no_sandbox()}; {sandbox.INSTALL_HINT}")
    _nbgrader_environment()
    assignments = course.check_assignments(assignments)
    submissions = Path(submissions).resolve()
    if not submissions.is_dir():
        raise FileNotFoundError(
            f"no submissions folder {submissions}: expected "
            f"<submissions>/<student>/<assignment>/<assignment>.ipynb"
        )
    students, refused = class_list(submissions)
    if shard is not None:
        index, count = shard
        students = [s for s in students if _shard_of(s, count) == index]
        refused = {s: why for s, why in refused.items() if _shard_of(s, count) == index}
    problems = {
        k: v
        for k, v in submission_problems(course, submissions, assignments).items()
        if k[0] in students
    }
    config = course.config()
    settings = limits(course)
    autograded = course.root / "autograded"
    autograded.mkdir(exist_ok=True)
    log_path = autograded / LOG_NAME
    others = {
        a: {
            nbgrader_meta(c).get("grade_id")
            for n in course.notebooks(a)
            for c in nbformat.read(course.solutions / a / f"{n}.ipynb", as_version=4).cells
        }
        - {None}
        for a in course.assignments()
    }
    grades = []
    with _quiet_nbgrader(log_path) as log:
        if not sandboxed:
            log.warning(
                "GRADING WITHOUT A SANDBOX (--unsandboxed): student code runs as %s with access "
                "to this machine",
                os.environ.get("USER", "this user"),
            )
        for assignment in assignments:
            config.CourseDirectory.assignment_id = assignment
            with tempfile.TemporaryDirectory() as scratch:
                config.CourseDirectory.release_directory = scratch
                if not _run_converter(GenerateAssignment, config, force=True):
                    raise RuntimeError(
                        f"could not record {assignment} in the gradebook; see {log_path}"
                    )
            names = course.notebooks(assignment)
            graders = {
                name: Grader(course, assignment, name, settings, sandboxed, others)
                for name in names
            }
            todo = []
            for student in students:
                folder = submissions / student / assignment
                if not folder.is_dir():
                    continue
                stamp = autograded / student / assignment / ".submission-sha256"
                if (
                    new_only
                    and stamp.is_file()
                    and stamp.read_text() == _fingerprint(folder, names)
                ):
                    continue
                todo.append(student)
            started = time.perf_counter()

            def grade_one(student):
                folder = submissions / student / assignment
                return {
                    name: graders[name].grade(folder / f"{name}.ipynb", base=submissions)
                    for name in names
                    if os.path.lexists(folder / f"{name}.ipynb")
                }

            for grader in graders.values():
                grader.reference()
            progress = Progress(assignment, len(todo))
            with (
                concurrent.futures.ThreadPoolExecutor(max(1, jobs)) as pool,
                Gradebook(_db_url(course)) as gradebook,
            ):
                running = {pool.submit(grade_one, student): student for student in todo}
                for done in concurrent.futures.as_completed(running):
                    student, by_name = running[done], done.result()
                    try:
                        _save(
                            course,
                            gradebook,
                            assignment,
                            student,
                            by_name,
                            graders,
                            feedback,
                            submissions / student / assignment,
                        )  # saved at once: an interrupted run keeps it
                    except Exception:  # noqa: BLE001 (reported in the summary as not graded)
                        log.exception("saving the grade of %s %s failed", student, assignment)
                    if not sandboxed:
                        log.warning("%s %s was graded WITHOUT A SANDBOX", student, assignment)
                    progress.update(
                        failed=not by_name or any(r.problem or r.notes for r in by_name.values())
                    )
            progress.finish()
            log.info(
                "=== %s: %d submissions graded in %.1f s",
                assignment,
                len(todo),
                time.perf_counter() - started,
            )
        grades = read_grades(course, students, assignments, submissions, problems)
    grades += [
        Grade(
            student,
            assignment,
            0.0,
            next((g.max_score for g in grades if g.assignment == assignment), 0.0),
            "refused",
            note=why,
        )
        for student, why in sorted(refused.items())
        for assignment in assignments
    ]
    if out:
        write_grades_csv(grades, out)
    return grades


def class_list(submissions: Path) -> tuple[list[str], dict[str, str]]:
    """The students of a submissions folder (its sub-folders, hidden ones aside) and the
    folders refused, with the reason (not a student identifier: see
    :func:`courseware.untrusted.student_id_problem`)."""
    students, refused = [], {}
    for path in submissions.iterdir():
        if path.name.startswith(".") or not path.is_dir():
            continue
        problem = student_id_problem(path.name)
        if problem:
            refused[printable(path.name)[:80]] = problem
        else:
            students.append(path.name)
    return sorted(students), refused


class Progress:
    """``hw01: 12/60 graded, 1 with problems, about 1 min 20 s left`` on stderr."""

    def __init__(self, assignment: str, total: int):
        self.assignment, self.total, self.done, self.failed = assignment, total, 0, 0
        self.started = time.perf_counter()
        self.live = sys.stderr.isatty()

    def update(self, failed: bool) -> None:
        self.done += 1
        self.failed += bool(failed)
        if self.live:
            print(f"\r{self._line()}", end="", file=sys.stderr, flush=True)

    def _line(self) -> str:
        elapsed = time.perf_counter() - self.started
        left = elapsed / max(1, self.done) * (self.total - self.done)
        bar = "#" * int(20 * self.done / max(1, self.total))
        return (
            f"{self.assignment} [{bar:<20}] {self.done}/{self.total} graded, {self.failed} with problems, "
            f"about {int(left // 60)} min {int(left % 60):02d} s left"
        )

    def finish(self) -> None:
        if self.total:
            print(
                ("\r" if self.live else "")
                + self._line().rsplit(", about", 1)[0]
                + f" in {time.perf_counter() - self.started:.0f} s",
                file=sys.stderr,
            )


def _shard_of(student: str, count: int) -> int:
    """The shard (1..count) a student belongs to: stable across machines and runs."""
    return int(hashlib.sha256(student.encode()).hexdigest(), 16) % count + 1


def merge(
    course: Course, shards, submissions: str | os.PathLike, out: str | os.PathLike | None = None
) -> list[Grade]:
    """Bring the results of shard runs (course folders where ``autograde --shard i/n`` ran)
    into this course: their ``autograded/`` and ``feedback/`` folders are copied and the
    gradebook is written from their ``verdicts.json`` files; then the CSV of the whole class."""
    from nbgrader.api import Gradebook
    from nbgrader.converters import GenerateAssignment

    _nbgrader_environment()
    submissions = Path(submissions).resolve()
    students, _ = class_list(submissions)
    assignments = course.assignments()
    config = course.config()
    with _quiet_nbgrader(
        course.root / "autograded" / LOG_NAME if (course.root / "autograded").is_dir() else None
    ):
        for assignment in assignments:
            config.CourseDirectory.assignment_id = assignment
            with tempfile.TemporaryDirectory() as scratch:
                config.CourseDirectory.release_directory = scratch
                _run_converter(GenerateAssignment, config, force=True)
        with Gradebook(_db_url(course)) as gradebook:
            for shard in map(Path, shards):
                for verdicts_path in sorted(shard.glob("autograded/*/*/verdicts.json")):
                    student, assignment = (
                        verdicts_path.parent.parent.name,
                        verdicts_path.parent.name,
                    )
                    for folder in ("autograded", "feedback"):
                        source = shard / folder / student / assignment
                        if source.is_dir():
                            target = course.root / folder / student / assignment
                            shutil.rmtree(target, ignore_errors=True)
                            shutil.copytree(source, target)
                    results = json.loads(verdicts_path.read_text())
                    _write_scores(
                        gradebook,
                        assignment,
                        student,
                        {name: [Verdict(**v) for v in r["tests"]] for name, r in results.items()},
                    )
    grades = read_grades(
        course,
        students,
        assignments,
        submissions,
        submission_problems(course, submissions, assignments),
    )
    if out:
        write_grades_csv(grades, out)
    return grades


def _write_scores(gradebook, assignment, student, verdicts_by_notebook) -> None:
    """The gradebook's auto scores of one submission, from trusted verdicts."""
    from nbgrader.api import MissingEntry

    gradebook.update_or_create_student(student)
    try:
        gradebook.find_submission(assignment, student)
    except MissingEntry:
        gradebook.add_submission(assignment, student)
    for name, verdicts in verdicts_by_notebook.items():
        for v in verdicts:
            grade = gradebook.find_grade(v.grade_id, name, assignment, student)
            grade.auto_score = v.points
            grade.manual_score = None
    gradebook.db.commit()


def _db_url(course: Course) -> str:
    return (
        course.config().CourseDirectory.get("db_url") or f"sqlite:///{course.root / 'gradebook.db'}"
    )


def _save(course, gradebook, assignment, student, by_name, graders, feedback, folder) -> None:
    """Write one submission's verdicts (trusted) to autograded/, feedback/ and the gradebook."""
    target = course.root / "autograded" / student / assignment
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    notes = []
    for name, result in by_name.items():
        notes += result.notes
        if result.executed is not None:
            nbformat.write(result.executed, target / f"{name}.ipynb")
        if feedback:
            write_feedback(
                course.root / "feedback" / student / assignment / f"{name}.html",
                graders[name],
                result,
                student,
            )
    (target / "verdicts.json").write_text(
        json.dumps(
            {
                name: {
                    "score": r.score,
                    "problem": r.problem,
                    "notes": r.notes,
                    "seconds": round(r.seconds, 2),
                    "answers_sha256": r.answers,
                    "tests": [v.__dict__ for v in r.verdicts],
                }
                for name, r in by_name.items()
            },
            indent=1,
        )
    )
    (target / ".submission-sha256").write_text(_fingerprint(folder, list(graders)))
    _write_scores(gradebook, assignment, student, {name: r.verdicts for name, r in by_name.items()})


SAFE_MIME_TYPES = (
    "text/plain",
    "image/png",
    "image/jpeg",
)  # outputs kept in feedback: shown as text or pixels
_BASE64 = re.compile(r"[A-Za-z0-9+/=\s]*")


HIDDEN_MARKER = "### BEGIN HIDDEN TESTS"
# errors of the run's limits, not of a check: they say nothing of a hidden test's contents
LIMIT_ERRORS = ("TimeoutError", "CellTimeoutError", "DeadKernelError", "MemoryError")
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def hidden_tests_line(source: str) -> int | None:
    """The line number (1-based) where a test cell's hidden tests begin; None without any."""
    for number, line in enumerate(source.splitlines(), start=1):
        if line.strip() == HIDDEN_MARKER:
            return number
    return None


def _error_line(executed, grade_id: str) -> int:
    """The line of the test cell at which its run raised (0 when unknown): the line of the
    cell's own frame in the traceback (``Cell In[8], line 12``)."""
    for cell in executed.cells if executed else []:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    text = _ANSI.sub("", "\n".join(map(str, output.get("traceback", []))))
                    found = re.search(r"(?:Cell In\[\d+\]|Input In \[\d+\]), line (\d+)", text)
                    return int(found.group(1)) if found else 1 << 30
    return 0


def hide_hidden_outputs(cell, hidden_from: int) -> None:
    """What a student sees of a test cell with hidden tests: no printed output (hidden tests
    may print their inputs) and, of an error, only its kind and message when it was raised
    above the hidden tests, else only its kind: never a traceback, whose context lines quote
    the cell's source."""
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        text = _ANSI.sub("", "\n".join(map(str, output.get("traceback", []))))
        found = re.search(r"(?:Cell In\[\d+\]|Input In \[\d+\]), line (\d+)", text)
        name = str(output.get("ename", "Error"))
        visible = name in LIMIT_ERRORS or (found is not None and int(found.group(1)) < hidden_from)
        line = f"{name}: {output.get('evalue', '')}" if visible else f"a hidden check raised {name}"
        kept.append(nbformat.v4.new_output("stream", name="stderr", text=line + "\n"))
    cell["outputs"] = kept


def safe_outputs(cell) -> None:
    """Keep only outputs the feedback can show without running anything: streams, errors,
    and of rich outputs only plain text and PNG/JPEG pixels (HTML, JavaScript, SVG, Markdown
    and LaTeX a student's code displays are dropped: they could carry scripts)."""
    kept = []
    for output in cell.get("outputs", []):
        kind = output.get("output_type")
        if kind in ("display_data", "execute_result"):
            data = {
                k: v
                for k, v in output.get("data", {}).items()
                if k in SAFE_MIME_TYPES
                and isinstance(v, str)
                and (k == "text/plain" or _BASE64.fullmatch(v))
            }
            if not data:
                continue
            output["data"] = data
            output["metadata"] = {}
        elif kind == "error":
            output["ename"], output["evalue"] = (
                str(output.get("ename", "")),
                str(output.get("evalue", "")),
            )
            output["traceback"] = [str(line) for line in output.get("traceback", [])]
        elif kind != "stream":
            continue
        kept.append(output)
    cell["outputs"] = kept


def _html_cell(html_text: str):
    """A raw cell the HTML export copies as it is (the text in it is escaped by the caller)."""
    return nbformat.v4.new_raw_cell(html_text, metadata={"raw_mimetype": "text/html"})


def write_feedback(path: Path, grader: Grader, result: NotebookResult, student: str) -> None:
    """The student's feedback (tags the HTML sanitiser keeps: div, strong, ul, li): their notebook as graded, hidden tests left out, with the
    points and the reason after every test cell. Everything a student's code could have
    written (outputs, messages, notes, the student's name) is shown as escaped text."""
    from nbconvert import HTMLExporter

    release = {
        nbgrader_meta(c).get("grade_id"): c.source
        for c in (grader.release.cells if grader.release else [])
    }
    by_id = {v.grade_id: v for v in result.verdicts}
    notebook = result.executed or nbformat.v4.new_notebook()
    escape = html.escape
    header = (
        f"<div><strong>{escape(grader.assignment)} feedback for {escape(printable(student))}: {result.score:g} / "
        f"{sum(v.max_points for v in result.verdicts):g} points</strong></div>"
        + (
            f"<div><strong>Not graded:</strong> {escape(printable(result.problem))}</div>"
            if result.problem
            else ""
        )
        + (
            "<ul>"
            + "".join(f"<li>{escape(printable(note))}</li>" for note in result.notes)
            + "</ul>"
            if result.notes
            else ""
        )
    )
    cells = [_html_cell(header)]
    for cell in notebook.cells:
        if cell.get("cell_type") == "raw":
            continue  # raw cells would be copied into the page as they are
        grade_id = nbgrader_meta(cell).get("grade_id")
        if cell.get("cell_type") == "code":
            safe_outputs(cell)
        if is_test_cell(cell):
            cell.source = release.get(grade_id, "# (hidden test cell)")
            if not grader.show_hidden and grade_id in grader.hidden_from:
                hide_hidden_outputs(cell, grader.hidden_from[grade_id])
        cells.append(cell)
        if grade_id in by_id:
            v = by_id[grade_id]
            text = f"<div><strong>{escape(v.grade_id)}: {v.points:g} / {v.max_points:g} points.</strong>"
            cells.append(
                _html_cell(
                    text + (f" {escape(printable(v.message))}" if v.message else "") + "</div>"
                )
            )
    notebook.cells = cells
    path.parent.mkdir(parents=True, exist_ok=True)
    html_text, _ = HTMLExporter(template_name="classic", sanitize_html=True).from_notebook_node(
        notebook
    )
    path.write_text(html_text)


def read_grades(
    course: Course, students, assignments, submissions: Path, problems: dict[tuple[str, str], str]
) -> list[Grade]:
    """Every student's grade on every assignment, from the gradebook and autograded/."""
    from nbgrader.api import Gradebook, MissingEntry

    grades = []
    with Gradebook(_db_url(course)) as gradebook:
        for assignment in assignments:
            max_score = gradebook.find_assignment(assignment).max_score
            for student in students:
                grade = Grade(student, assignment, 0.0, max_score)
                grades.append(grade)
                folder = submissions / student / assignment
                if not folder.is_dir():
                    grade.status = "not submitted"
                    continue
                if (student, assignment) in problems:
                    grade.status, grade.note = "missing notebook", problems[(student, assignment)]
                verdicts_path = course.root / "autograded" / student / assignment / "verdicts.json"
                try:
                    submission = gradebook.find_submission(assignment, student)
                except MissingEntry:
                    submission = None
                if submission is None or not verdicts_path.is_file():
                    if grade.status == "graded":
                        grade.status, grade.note = (
                            "error",
                            (
                                f"not graded: the grader stopped before this submission (see autograded/{LOG_NAME}); "
                                "run the same command again: graded submissions are kept"
                            ),
                        )
                    continue
                grade.score = submission.score
                grade.lost = [
                    f"{g.name} ({g.score:g}/{g.max_score:g})"
                    for notebook in submission.notebooks
                    for g in notebook.grades
                    if g.score < g.max_score
                ]
                results = json.loads(verdicts_path.read_text())
                unreadable = [r["problem"] for r in results.values() if r["problem"]]
                notes = [n for r in results.values() for n in r["notes"]]
                if unreadable and grade.status == "graded":
                    grade.status = "unreadable"
                grade.note = "; ".join(filter(None, [grade.note, *unreadable, *notes]))
                grade.answers = "+".join(
                    r.get("answers_sha256", "") for r in results.values()
                ).strip("+")
    return grades


CSV_FIELDS = ["student", "assignment", "score", "max_score", "status", "lost_points", "note"]


def write_grades_csv(grades: list[Grade], path: str | os.PathLike) -> None:
    """One row per student and assignment: scores, status and the test cells that lost points.
    Rows of assignments not graded this time are kept from the file already there; a wide
    companion, ``<name>-wide.csv`` (one row per student, one column per assignment and the
    total, as an LMS gradebook import expects), is written next to it."""
    path = Path(path)
    rows = [
        {
            "student": csv_cell(g.student),
            "assignment": g.assignment,
            "score": f"{g.score:g}",
            "max_score": f"{g.max_score:g}",
            "status": g.status,
            "lost_points": csv_cell("; ".join(g.lost)),
            "note": csv_cell(g.note),
        }
        for g in grades
    ]
    graded = {g.assignment for g in grades}
    if path.is_file():
        with open(path, newline="") as handle:
            kept = [r for r in csv.DictReader(handle) if r.get("assignment") not in graded]
        rows = sorted(kept + rows, key=lambda r: (r["assignment"], r["student"]))
    with open(path, "w", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    assignments = sorted({r["assignment"] for r in rows})
    maxima = {r["assignment"]: float(r["max_score"]) for r in rows}
    scores = {(r["student"], r["assignment"]): float(r["score"]) for r in rows}
    with open(path.with_name(f"{path.stem}-wide.csv"), "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "student",
                *(f"{a} ({maxima[a]:g})" for a in assignments),
                f"total ({sum(maxima.values()):g})",
            ]
        )
        for student in sorted({r["student"] for r in rows}):
            row = [scores.get((student, a), 0.0) for a in assignments]
            writer.writerow([student, *(f"{v:g}" for v in row), f"{sum(row):g}"])


def summary_table(grades: list[Grade]) -> str:
    """Scores per student (rows) and assignment (columns), totals, and every problem."""
    assignments = sorted({g.assignment for g in grades})
    students = sorted({g.student for g in grades})
    by_key = {(g.student, g.assignment): g for g in grades}
    max_total = sum(next(g.max_score for g in grades if g.assignment == a) for a in assignments)
    width = max([len("student")] + [len(s) for s in students])

    def cell(g: Grade) -> str:
        if g.status == "not submitted":
            return "-"
        return f"{g.score:g}" + ("!" if g.status != "graded" or g.note else "")

    lines = [
        "  ".join(["student".ljust(width), *(a.rjust(6) for a in assignments), "total".rjust(7)])
    ]
    for student in students:
        row = [by_key[(student, a)] for a in assignments]
        total = sum(g.score for g in row)
        lines.append(
            "  ".join(
                [
                    student.ljust(width),
                    *(cell(g).rjust(6) for g in row),
                    f"{total:g}/{max_total:g}".rjust(7),
                ]
            )
        )
    submitted = {
        a: [by_key[(s, a)] for s in students if by_key[(s, a)].status != "not submitted"]
        for a in assignments
    }
    lines.append(
        "  ".join(
            [
                "mean".ljust(width),
                *(
                    (
                        f"{sum(g.score for g in submitted[a]) / len(submitted[a]):.1f}"
                        if submitted[a]
                        else "-"
                    ).rjust(6)
                    for a in assignments
                ),
            ]
        )
        + "   (of the students who submitted)"
    )
    lines.append(
        "  ".join(
            [
                "submitted".ljust(width),
                *(f"{len(submitted[a])}/{len(students)}".rjust(6) for a in assignments),
            ]
        )
    )
    failed = [
        f"  {g.student} {g.assignment}: {g.status}: {g.note}"
        for g in grades
        if g.status in ("error", "unreadable", "refused", "missing notebook")
    ]
    if failed:
        lines += [
            "",
            f"Could not be graded ({len(failed)}; scored 0, the reason and the fix beside each):",
            *failed,
        ]
    notes = [
        f"  {g.student} {g.assignment}: {g.status}: {g.note}"
        for g in grades
        if g.status == "graded" and g.note
    ]
    if notes:
        lines += [
            "",
            "Repairs (marked ! above; each scored as shown, nothing else affected):",
            *notes,
        ]
    groups: dict[tuple[str, str], list[str]] = {}
    for g in grades:
        if g.answers:
            groups.setdefault((g.assignment, g.answers), []).append(g.student)
    same = [
        f"  {assignment}: {', '.join(names)}"
        for (assignment, _), names in sorted(groups.items())
        if len(names) > 1
    ]
    if same:
        lines += [
            "",
            "Identical answers (the same code, whitespace aside) from different students:",
            *same,
        ]
    return "\n".join(printable(line) for line in lines)
