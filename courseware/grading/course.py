"""The course directory and the nbgrader steps grading keeps: the gradebook and the release.

nbgrader still writes ``exercises/`` (``generate_assignment``) and owns the gradebook
(``gradebook.db``: assignments, students, scores); running and checking submissions is done by
this package, in a sandbox (see :mod:`courseware.grading`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path

GRADING_CACHE_ENVIRONMENT = "COURSEWARE_GRADING_CACHE"
LOG_NAME = ".grading.log"  # hidden: no student folder can be named like it


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
            candidates.append(Path(__file__).resolve().parents[2])
        for folder in candidates:
            if (folder / "nbgrader_config.py").is_file() and (folder / "solutions").is_dir():
                return cls(folder)
        raise FileNotFoundError(
            f"no course directory (with nbgrader_config.py and solutions/) at or above {here}"
        )

    @property
    def solutions(self) -> Path:
        return self.root / "solutions"

    @property
    def exercises(self) -> Path:
        return self.root / "exercises"

    @property
    def grading_cache(self) -> Path:
        """Where grading keeps the runs of the course's own notebooks (the solution's, the
        diagnosis's mistakes): ``$COURSEWARE_GRADING_CACHE``, or ``.grading-cache/`` in the
        course directory. Deleting it only costs time."""
        return Path(os.environ.get(GRADING_CACHE_ENVIRONMENT) or self.root / ".grading-cache")

    def assignments(self) -> list[str]:
        return sorted(
            p.name for p in self.solutions.iterdir() if p.is_dir() and any(p.glob("*.ipynb"))
        )

    def notebooks(self, assignment: str) -> list[str]:
        """The notebook names (without ``.ipynb``) of an assignment."""
        return sorted(p.stem for p in (self.solutions / assignment).glob("*.ipynb"))

    def check_assignments(self, assignments) -> list[str]:
        known = self.assignments()
        unknown = [a for a in assignments if a not in known]
        if unknown:
            raise KeyError(
                f"unknown assignment(s) {', '.join(unknown)}; the course has {', '.join(known)}"
            )
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
    saved_handlers, saved_level, saved_propagate = (
        logger.handlers[:],
        logger.level,
        logger.propagate,
    )
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
    return [
        course.exercises / a / f"{name}.ipynb" for a in assignments for name in course.notebooks(a)
    ]


def limits(course: Course):
    """The per-notebook limits: ``c.Execute.timeout`` (per cell) and ``c.Sandbox.<field>`` of
    ``nbgrader_config.py`` (see :class:`courseware.grading.sandbox.Limits`)."""
    from courseware.grading.sandbox import Limits

    config = course.config()
    settings = {
        k: v for k, v in config.get("Sandbox", {}).items() if k in Limits.__dataclass_fields__
    }
    if "timeout" in config.get("Execute", {}):
        settings["cell_timeout"] = int(config.Execute.timeout)
    return Limits(**settings)


FEEDBACK_POLICIES = ("summary", "full")


def feedback_policy(course: Course) -> str:
    """What a student's feedback shows of hidden tests: ``c.Feedback.hidden_tests`` of
    ``nbgrader_config.py``. ``"summary"`` (the default): each test's name, points and a
    message that says what differs in words, never the hidden tests' source, inputs or
    expected values (tracebacks included); ``"full"`` (after the deadline, say): everything,
    as the instructor's copy in ``autograded/`` always has it."""
    policy = str(course.config().get("Feedback", {}).get("hidden_tests", "summary"))
    if policy not in FEEDBACK_POLICIES:
        raise ValueError(
            f"nbgrader_config.py: c.Feedback.hidden_tests must be one of {FEEDBACK_POLICIES}, "
            f"got {policy!r}"
        )
    return policy
