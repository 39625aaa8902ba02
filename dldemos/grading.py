"""Homework grading with nbgrader: releasing exercises, autograding a class, self-checks.

The course's homework lives in two folders at the repository root (see ``nbgrader_config.py``):

* ``solutions/hwNN/hwNN.ipynb``, the nbgrader *source*: full solutions, visible tests and
  hidden tests (between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``);
* ``exercises/hwNN/hwNN.ipynb``, the *release* students work in, generated from it.

Three commands, one per reader::

    python -m dldemos.grading release [hw01 ...]          # instructor: regenerate exercises/
    python -m dldemos.grading autograde --submissions submitted [--assignment hw01 ...]
                                        [--out grades.csv] [--new-only]
    python -m dldemos.grading check hw01 [path/to/hw01.ipynb]  # student: before submitting

``autograde`` expects nbgrader's layout, ``<submissions>/<student>/<hwNN>/<hwNN>.ipynb``. For
every assignment it refreshes the gradebook from ``solutions/``, autogrades every student
(nbgrader restores edited or deleted test cells from the source and runs the hidden tests),
writes feedback HTML to ``feedback/<student>/<hwNN>/``, then writes a CSV with one row per
student and assignment and prints a summary table. A missing or renamed notebook costs only
that notebook: it is reported with the fix, scored 0, and everything else is graded.
Re-running is safe: each run regrades every submission from scratch (``--new-only`` grades
only submissions that have no autograded version yet).

Scores always come from nbgrader's gradebook: ``nbgrader autograde`` exits 0 whether or not
the tests pass.

``check`` runs a student's notebook the way the autograder does (test cells restored from
the release, same per-cell timeout) and lists which visible tests pass and the points each
test cell is worth; the hidden tests run only in the autograder.

Robustness. nbgrader 0.9 gives up on a whole notebook when its kernel dies (``os._exit``, a
segfault, running out of memory): no test is graded and the submission waits for a human.
:class:`ResilientExecute`, the executor ``nbgrader_config.py`` installs, instead records the
death in the offending cell, starts a fresh kernel, replays the cells above it and goes on, so
that cell's tests fail and all others are graded. It does the same when a cell ignores the
interrupt sent at its timeout (a loop that swallows ``KeyboardInterrupt``), which would
otherwise make every later cell time out as well. ``sys.exit()`` needs none of this: IPython
turns it into an ordinary error in that cell. :class:`RestoreDeletedTests` puts back a deleted
test cell even when its answer cell was deleted with it, where nbgrader would fail on the
whole notebook.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import csv
import logging
import os
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat import NotebookNode
from nbgrader.preprocessors import Execute, OverwriteCells

NOTEBOOK_VERSION = 4
LOG_NAME = "grading.log"


# --------------------------------------------------------------------------------------
# the autograder's steps that nbgrader_config.py replaces
# --------------------------------------------------------------------------------------

def _nbgrader_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _is_test_cell(cell) -> bool:
    return bool(cell.get("metadata", {}).get("nbgrader", {}).get("grade"))


def _error_output(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=[f"{ename}: {evalue}"])


def _timed_out(cell: NotebookNode) -> bool:
    return any(output.get("ename") == "CellTimeoutError" for output in cell.get("outputs", []))


class ResilientExecute(Execute):
    """nbgrader's ``Execute`` that survives a kernel that dies or ignores its timeout.

    When a cell kills the kernel, or times out and the kernel does not go idle after the
    interrupt, the cell gets an error output, a fresh kernel replays the code cells above it
    (on copies: the outputs of the first run are kept; cells that crashed or timed out are
    not replayed) and execution goes on with the next cell. Everything else, the per-cell
    timeout included, is nbgrader's ``Execute``.
    """

    def preprocess(self, nb, resources=None, km=None):
        self._not_replayed = set()
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            error = ("DeadKernelError", "the kernel died while running this cell (os._exit, a crash "
                     "or too much memory)")
        except CellTimeoutError:
            error = ("CellTimeoutError", "the cell timed out and the kernel ignored the interrupt")
        else:
            if _timed_out(cell):
                self._not_replayed.add(index)
            return cell, resources
        ename, evalue = error
        cell.outputs.append(_error_output(ename, evalue + "; a new kernel re-ran the cells above "
                                          "and grading went on"))
        self._not_replayed.add(index)
        self._restart_and_replay(index)
        return cell, self.resources

    def _restart_and_replay(self, index: int) -> None:
        """Replace the kernel and re-run the code cells before ``index`` on copies."""
        self.log.warning("Restarting the kernel and replaying the cells before cell %d", index)
        while True:
            shutdown, self.shutdown_kernel = self.shutdown_kernel, "immediate"   # dead or stuck
            self._cleanup_kernel()
            self.shutdown_kernel = shutdown
            self.km = self.create_kernel_manager()
            self.start_new_kernel()
            self.start_new_kernel_client()
            replaying = None
            try:
                for i, earlier in enumerate(self.nb.cells[:index]):
                    if earlier.cell_type == "code" and i not in self._not_replayed:
                        replaying = i
                        self.execute_cell(copy.deepcopy(earlier), i, store_history=False)
                return
            except (DeadKernelError, CellTimeoutError):
                self._not_replayed.add(replaying)


class RestoreDeletedTests(OverwriteCells):
    """nbgrader's ``OverwriteCells``, whose restoring of deleted test cells also works when
    the cell before a deleted test cell was deleted too (typically its answer cell).

    nbgrader 0.9 puts a deleted test cell back right after the source cell that preceded it
    and fails on the whole notebook when that cell is missing as well. Here it goes after the
    nearest earlier source cell still present (or first, if there is none).
    """

    def add_missing_grade_cells(self, nb, resources):
        source = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = source.source_cells                  # in notebook order
        max_scores = {cell.name: cell.max_score for cell in source.grade_cells}
        solutions = {cell.name for cell in source.solution_cells}

        def position(grade_id):
            return next((i for i, cell in enumerate(nb.cells) if _nbgrader_id(cell) == grade_id), None)

        for k, source_cell in enumerate(source_cells):
            if source_cell.name not in max_scores or position(source_cell.name) is not None:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", source_cell.name)
            earlier = (position(cell.name) for cell in reversed(source_cells[:k]))
            after = next((i for i in earlier if i is not None), -1)
            nb.cells.insert(after + 1, self.missing_cell_transform(
                source_cell, max_scores[source_cell.name], is_solution=source_cell.name in solutions))
        return nb, resources


# --------------------------------------------------------------------------------------
# the course directory
# --------------------------------------------------------------------------------------

@dataclass
class Course:
    """A course directory: ``nbgrader_config.py``, ``solutions/`` and ``exercises/``."""

    root: Path

    @classmethod
    def find(cls, start: str | os.PathLike | None = None) -> Course:
        """The course directory holding ``start``; by default the one holding the working
        directory, or else the checkout this package was installed from."""
        here = Path(start or Path.cwd()).resolve()
        candidates = [here, *here.parents]
        if start is None:
            candidates.append(Path(__file__).resolve().parents[1])
        for folder in candidates:
            if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
                return cls(folder)
        raise FileNotFoundError(f"no course directory (with nbgrader_config.py and solutions/) "
                                f"at or above {here}")

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    def assignments(self) -> list[str]:
        return sorted(p.name for p in self.solutions.iterdir()
                      if p.is_dir() and any(p.glob("*.ipynb")))

    def notebooks(self, assignment: str) -> list[str]:
        """The notebook names (without ``.ipynb``) of an assignment."""
        return sorted(p.stem for p in (self.solutions / assignment).glob("*.ipynb"))

    def check_assignments(self, assignments) -> list[str]:
        known = self.assignments()
        unknown = [a for a in assignments if a not in known]
        if unknown:
            raise KeyError(f"unknown assignment(s) {', '.join(unknown)}; "
                           f"the course has {', '.join(known)}")
        return list(assignments) or known

    def config(self, **course_directory):
        """``nbgrader_config.py`` loaded as a traitlets ``Config``, rooted at the course."""
        from traitlets.config.loader import PyFileConfigLoader
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        for name, value in course_directory.items():
            config.CourseDirectory[name] = value
        return config


def _nbgrader_environment() -> None:
    """nbgrader runs ``alembic`` from PATH when it creates a gradebook: make it findable."""
    scripts = str(Path(sys.executable).parent)
    if scripts not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


@contextlib.contextmanager
def _quiet_nbgrader(log_path: Path | None):
    """Send nbgrader's log to ``log_path`` (appended to; nowhere if None) instead of the
    terminal, and silence the warnings its database layer and notebook validation raise."""
    from nbformat.warnings import MissingIDFieldWarning
    from sqlalchemy.exc import SAWarning
    from traitlets.log import get_logger
    logger = get_logger()
    handler = logging.FileHandler(log_path) if log_path else logging.NullHandler()
    handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s] %(message)s"))
    saved_handlers, saved_level, saved_propagate = logger.handlers[:], logger.level, logger.propagate
    logger.handlers[:] = [handler]
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SAWarning)
            warnings.simplefilter("ignore", MissingIDFieldWarning)
            yield logger
    finally:
        handler.close()
        logger.handlers[:] = saved_handlers
        logger.setLevel(saved_level)
        logger.propagate = saved_propagate


def _run_converter(converter_class, config, **attributes) -> bool:
    """Run an nbgrader converter in this process; ``False`` if it reported a failure."""
    from nbgrader.converters import NbGraderException
    from nbgrader.coursedir import CourseDirectory
    coursedir = CourseDirectory(config=config)
    converter = converter_class(coursedir=coursedir, config=config)
    for name, value in attributes.items():
        setattr(converter, name, value)
    try:
        converter.start()
    except NbGraderException:
        return False
    return True


# --------------------------------------------------------------------------------------
# release: solutions/ -> exercises/
# --------------------------------------------------------------------------------------

def release(course: Course, assignments=()) -> list[Path]:
    """Generate ``exercises/<hw>/<hw>.ipynb`` from ``solutions/`` (``nbgrader
    generate_assignment``) for each assignment (default: all), recording each in the
    gradebook; returns the notebooks written."""
    from nbgrader.converters import GenerateAssignment
    _nbgrader_environment()
    assignments = course.check_assignments(assignments)
    config = course.config()
    with _quiet_nbgrader(None):
        for assignment in assignments:
            config.CourseDirectory.assignment_id = assignment
            if not _run_converter(GenerateAssignment, config, force=True):
                raise RuntimeError(f"nbgrader generate_assignment failed for {assignment}")
    return [course.exercises / a / f"{name}.ipynb" for a in assignments for name in course.notebooks(a)]


# --------------------------------------------------------------------------------------
# autograde: a folder of submissions -> gradebook, feedback, CSV, summary
# --------------------------------------------------------------------------------------

@dataclass
class Grade:
    """One student's result on one assignment."""
    student: str
    assignment: str
    score: float
    max_score: float
    status: str = "graded"          # "graded", "not submitted", "missing notebook", "error"
    lost: list[str] = field(default_factory=list)   # test cells that did not get full points
    note: str = ""


def submission_problems(course: Course, submissions: Path, assignments) -> dict[tuple[str, str], str]:
    """``(student, assignment) -> message`` for every submission folder that lacks a notebook
    of the assignment, naming the notebooks found instead and the fix."""
    problems = {}
    for student_dir in sorted(p for p in submissions.iterdir() if p.is_dir()):
        for assignment in assignments:
            folder = student_dir / assignment
            if not folder.is_dir():
                continue
            expected = [f"{name}.ipynb" for name in course.notebooks(assignment)]
            missing = [name for name in expected if not (folder / name).is_file()]
            if missing:
                found = sorted(p.name for p in folder.glob("*.ipynb") if p.name not in expected)
                message = f"{', '.join(missing)} missing from {folder}"
                if found:
                    message += f"; found {', '.join(found)} instead"
                if len(found) == 1 and len(missing) == 1:
                    message += f": rename it to {missing[0]} and grade again"
                problems[(student_dir.name, assignment)] = message
    return problems


def _has_a_notebook(course: Course, folder: Path, assignment: str) -> bool:
    return any((folder / f"{name}.ipynb").is_file() for name in course.notebooks(assignment))


def autograde(course: Course, submissions: str | os.PathLike, assignments=(),
              out: str | os.PathLike | None = None, new_only: bool = False,
              feedback: bool = True) -> list[Grade]:
    """Autograde every submission in ``submissions`` and return one :class:`Grade` per
    student and assignment (also written to ``out``, a CSV, when given).

    nbgrader's log goes to ``autograded/grading.log``.
    """
    from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback
    _nbgrader_environment()
    assignments = course.check_assignments(assignments)
    submissions = Path(submissions).resolve()
    if not submissions.is_dir():
        raise FileNotFoundError(f"no submissions folder {submissions}: expected "
                                f"<submissions>/<student>/<assignment>/<assignment>.ipynb")
    students = sorted(p.name for p in submissions.iterdir() if p.is_dir() and not p.name.startswith("."))
    problems = submission_problems(course, submissions, assignments)
    # nbgrader matches submission paths with a regular expression built from this setting:
    # a path relative to the course root keeps it free of unescaped characters
    submitted = (os.path.relpath(submissions, course.root) if submissions.is_relative_to(course.root)
                 else str(submissions))
    config = course.config(submitted_directory=submitted)
    (course.root / "autograded").mkdir(exist_ok=True)
    with _quiet_nbgrader(course.root / "autograded" / LOG_NAME) as log:
        for assignment in assignments:
            started = time.perf_counter()
            log.info("=== %s: recording the source in the gradebook", assignment)
            config.CourseDirectory.assignment_id = assignment
            with tempfile.TemporaryDirectory() as scratch:
                config.CourseDirectory.release_directory = scratch
                if not _run_converter(GenerateAssignment, config, force=True):
                    raise RuntimeError(f"could not record {assignment} in the gradebook; "
                                       f"see {course.root / 'autograded' / LOG_NAME}")
            gradable = [student for student in students
                        if _has_a_notebook(course, submissions / student / assignment, assignment)]
            if not gradable:
                continue
            # folders without any notebook of the assignment are left to submission_problems
            config.CourseDirectory.student_id_exclude = ",".join(s for s in students if s not in gradable)
            _run_converter(Autograde, config, force=not new_only)
            if feedback:
                _run_converter(GenerateFeedback, config, force=not new_only)
            log.info("=== %s: %d submissions graded in %.1f s", assignment, len(gradable),
                     time.perf_counter() - started)
        grades = read_grades(course, students, assignments, submissions, problems)
    if out:
        write_grades_csv(grades, out)
    return grades


def read_grades(course: Course, students, assignments, submissions: Path,
                problems: dict[tuple[str, str], str]) -> list[Grade]:
    """The gradebook's scores of ``students`` on ``assignments``, with the problems found."""
    from nbgrader.api import Gradebook, MissingEntry
    db_url = course.config().CourseDirectory.get("db_url") or f"sqlite:///{course.root / 'gradebook.db'}"
    not_graded = f"not graded: see autograded/{LOG_NAME}"
    grades = []
    with Gradebook(db_url) as gradebook:
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
                    if not _has_a_notebook(course, folder, assignment):
                        continue
                try:
                    submission = gradebook.find_submission(assignment, student)
                except MissingEntry:
                    submission = None
                if submission is None or not _autograded(course, student, assignment):
                    grade.status, grade.note = "error", not_graded
                    continue
                grade.score = submission.score
                grade.lost = [f"{g.name} ({g.score:g}/{g.max_score:g})"
                              for notebook in submission.notebooks for g in notebook.grades
                              if g.score < g.max_score]
    return grades


def _autograded(course: Course, student: str, assignment: str) -> bool:
    """Whether nbgrader finished the submission (it deletes the folder of one it could not)."""
    return (course.root / "autograded" / student / assignment).is_dir()


def write_grades_csv(grades: list[Grade], path: str | os.PathLike) -> None:
    """One row per student and assignment: scores, status and the test cells that lost points."""
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["student", "assignment", "score", "max_score", "status", "lost_points", "note"])
        for g in grades:
            writer.writerow([g.student, g.assignment, f"{g.score:g}", f"{g.max_score:g}", g.status,
                             "; ".join(g.lost), g.note])


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
        return f"{g.score:g}" + ("!" if g.status != "graded" else "")

    lines = ["  ".join(["student".ljust(width), *(a.rjust(6) for a in assignments), "total".rjust(7)])]
    for student in students:
        row = [by_key[(student, a)] for a in assignments]
        total = sum(g.score for g in row)
        lines.append("  ".join([student.ljust(width), *(cell(g).rjust(6) for g in row),
                                f"{total:g}/{max_total:g}".rjust(7)]))
    lines.append("  ".join(["mean".ljust(width), *(
        f"{sum(by_key[(s, a)].score for s in students) / max(1, len(students)):.1f}".rjust(6)
        for a in assignments)]))
    notes = [f"  {g.student} {g.assignment}: {g.status}: {g.note}" for g in grades
             if g.status not in ("graded", "not submitted")]
    if notes:
        lines += ["", "Problems (marked ! above; each scored as shown, nothing else affected):", *notes]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# check: a student's self-test
# --------------------------------------------------------------------------------------

@dataclass
class TestResult:
    """One test cell of a checked notebook."""
    grade_id: str
    points: float
    passed: bool
    message: str = ""
    restored: bool = False      # the notebook's copy was edited or deleted


def restore_test_cells(notebook: NotebookNode, release: NotebookNode) -> set[str]:
    """Put the release's test cells back where a notebook edited or deleted them, as the
    autograder will; returns the ids of the cells restored."""
    restored = set()
    position = {_nbgrader_id(c): i for i, c in enumerate(notebook.cells) if _nbgrader_id(c)}
    previous_id = None
    for original in release.cells:
        grade_id = _nbgrader_id(original)
        if not grade_id:
            continue
        if _is_test_cell(original):
            if grade_id not in position:
                at = position.get(previous_id, len(notebook.cells) - 1) + 1
                notebook.cells.insert(at, copy.deepcopy(original))
                position = {_nbgrader_id(c): i for i, c in enumerate(notebook.cells) if _nbgrader_id(c)}
                restored.add(grade_id)
            elif notebook.cells[position[grade_id]].source != original.source:
                notebook.cells[position[grade_id]].source = original.source
                restored.add(grade_id)
        previous_id = grade_id
    return restored


def _failure_message(cell) -> str:
    """The error a test cell raised ("" if it passed)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            if output.get("ename") == "NotImplementedError" and not output.get("evalue"):
                return "not answered yet (the answer cell still raises NotImplementedError)"
            return f"{output.get('ename')}: {output.get('evalue')}".strip()
    return ""


def check(course: Course, assignment: str,
          notebook_path: str | os.PathLike | None = None) -> list[TestResult]:
    """Run a student's notebook with the release's test cells and report each test cell."""
    course.check_assignments([assignment])
    name = course.notebooks(assignment)[0]
    path = Path(notebook_path) if notebook_path else course.exercises / assignment / f"{name}.ipynb"
    if path.is_dir():
        path = path / f"{name}.ipynb"
    if not path.is_file():
        others = sorted(p.name for p in path.parent.glob("*.ipynb")) if path.parent.is_dir() else []
        shown = ", ".join(others[:5]) + (", ..." if len(others) > 5 else "")
        hint = f" (found {shown}: the notebook must be called {name}.ipynb)" if others else ""
        raise FileNotFoundError(f"no notebook {path}{hint}")
    notebook = nbformat.read(path, as_version=NOTEBOOK_VERSION)
    release_path = course.exercises / assignment / f"{name}.ipynb"
    restored = set()
    if release_path.is_file():
        restored = restore_test_cells(notebook, nbformat.read(release_path, as_version=NOTEBOOK_VERSION))
    executor = ResilientExecute(config=course.config())
    with _quiet_nbgrader(None):
        executor.preprocess(notebook, {"metadata": {"path": str(path.resolve().parent)}})
    return [TestResult(_nbgrader_id(cell), float(cell.metadata.nbgrader.get("points", 0)),
                       not _failure_message(cell), _failure_message(cell),
                       _nbgrader_id(cell) in restored)
            for cell in notebook.cells if _is_test_cell(cell)]


def check_report(assignment: str, path: str, results: list[TestResult]) -> str:
    width = max(len(r.grade_id) for r in results)
    lines = [f"Checking {path} against the visible tests of {assignment}:"]
    for r in results:
        verdict = "passed" if r.passed else f"FAILED  {r.message}"
        lines.append(f"  {r.grade_id.ljust(width)}  {r.points:g} pt  {verdict}")
        if r.restored:
            lines.append(f"  {''.ljust(width)}  (this test cell was edited or deleted; it was checked "
                         "as released, as the autograder will do)")
    passed = sum(r.points for r in results if r.passed)
    total = sum(r.points for r in results)
    lines.append(f"Visible tests pass for {passed:g} of {total:g} points. The autograder also runs "
                 "hidden tests (other shapes, dtypes, seeds, edge cases), so a pass here is "
                 "necessary, not sufficient.")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------

def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dldemos.grading", description=__doc__.split("\n\n")[0])
    parser.add_argument("--course-dir", help="the course directory (default: found from the "
                        "working directory)")
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("release", help="regenerate exercises/ from solutions/")
    p.add_argument("assignments", nargs="*", help="assignments (default: all)")

    p = commands.add_parser("autograde", help="grade a folder of submissions")
    p.add_argument("--submissions", default="submitted",
                   help="folder laid out as <student>/<hwNN>/<hwNN>.ipynb (default: submitted)")
    p.add_argument("--assignment", action="append", default=[], help="only this assignment (repeatable)")
    p.add_argument("--out", default="grades.csv", help="CSV written (default: grades.csv)")
    p.add_argument("--new-only", action="store_true",
                   help="grade only submissions with no autograded version yet")
    p.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")

    p = commands.add_parser("check", help="check your notebook before submitting")
    p.add_argument("assignment", help="e.g. hw01")
    p.add_argument("notebook", nargs="?", help="your notebook (default: exercises/<hw>/<hw>.ipynb)")

    args = parser.parse_args(argv)
    try:
        course = Course.find(args.course_dir)
        if args.command == "release":
            for path in release(course, args.assignments):
                print(f"wrote {path.relative_to(course.root)}")
            return 0
        if args.command == "autograde":
            started = time.perf_counter()
            grades = autograde(course, args.submissions, args.assignment, args.out,
                               new_only=args.new_only, feedback=not args.no_feedback)
            print(summary_table(grades))
            print(f"\nGrades: {args.out}. Feedback: {course.root / 'feedback'}/<student>/<hw>/. "
                  f"nbgrader's log: {course.root / 'autograded' / LOG_NAME}. "
                  f"{time.perf_counter() - started:.0f} s.")
            return 1 if any(g.status == "error" for g in grades) else 0
        results = check(course, args.assignment, args.notebook)
        path = args.notebook or f"exercises/{args.assignment}/{args.assignment}.ipynb"
        print(check_report(args.assignment, path, results))
        return 0 if all(r.passed for r in results) else 1
    except (FileNotFoundError, KeyError, RuntimeError) as error:
        print(f"error: {error.args[0] if error.args else error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
