"""``python -m courseware.grading release|grade|merge|check`` (also ``python -m courseware``): see
:mod:`courseware.grading`."""

from __future__ import annotations

import argparse
import os
import sys
import time

from courseware.grading.autograde import autograde, merge, summary_table
from courseware.grading.check import check, check_report
from courseware.grading.course import LOG_NAME, Course, release
from courseware.grading.sandbox import SandboxUnavailable


def main(argv=None) -> int:
    """``python -m courseware.grading``; the same commands as ``python -m courseware``."""
    import courseware.grading as package

    parser = argparse.ArgumentParser(
        prog="python -m courseware.grading", description=package.__doc__.split("\n\n")[0]
    )
    add_course_dir(parser, default=None)
    add_commands(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(argv))


def add_course_dir(parser: argparse.ArgumentParser, default=argparse.SUPPRESS) -> None:
    """``--course-dir``, before or after the command (a command's default does not override the
    value given before it)."""
    parser.add_argument(
        "--course-dir",
        default=default,
        help="the course directory (default: found from the working directory)",
    )


def add_commands(commands) -> None:
    """The grading commands (release, grade, merge, check), added to an argparse subparsers object."""
    p = commands.add_parser("release", help="regenerate exercises/ from solutions/")
    p.add_argument("assignments", nargs="*", help="assignments (default: all)")

    p = commands.add_parser("grade", aliases=["autograde"], help="grade a folder of submissions")
    p.set_defaults(command="autograde")
    p.add_argument(
        "--submissions",
        default="submitted",
        help="folder laid out as <student>/<hwNN>/<hwNN>.ipynb (default: submitted)",
    )
    p.add_argument(
        "--assignment", action="append", default=[], help="only this assignment (repeatable)"
    )
    p.add_argument("--out", default="grades.csv", help="CSV written (default: grades.csv)")
    p.add_argument(
        "--new-only",
        action="store_true",
        help="grade only submissions that are new or changed since they were last graded",
    )
    p.add_argument("--no-feedback", action="store_true", help="skip the feedback HTML")
    p.add_argument("--jobs", type=int, default=1, help="submissions graded at once (default: 1)")
    p.add_argument(
        "--shard", help="grade only shard I of N (e.g. 2/8): one shard per machine, then `merge`"
    )
    p.add_argument(
        "--unsandboxed",
        action="store_true",
        help="DANGEROUS: run student code without the bubblewrap sandbox (logged on every notebook)",
    )

    p = commands.add_parser("merge", help="bring the results of --shard runs into this course")
    p.add_argument("shards", nargs="+", help="the course folders where the shards were graded")
    p.add_argument(
        "--submissions",
        default="submitted",
        help="the whole class's submissions (default: submitted)",
    )
    p.add_argument("--out", default="grades.csv", help="CSV written (default: grades.csv)")

    p = commands.add_parser("check", help="check your notebook before submitting")
    p.add_argument("assignment", help="e.g. hw01")
    p.add_argument("notebook", nargs="?", help="your notebook (default: exercises/<hw>/<hw>.ipynb)")
    for name in ("release", "grade", "merge", "check"):
        add_course_dir(commands.choices[name])


def run(args: argparse.Namespace) -> int:
    """Run the grading command ``args`` was parsed for (see :func:`add_commands`)."""
    try:
        course = Course.find(getattr(args, "course_dir", None))
        if args.command == "release":
            for path in release(course, args.assignments):
                print(f"wrote {path.relative_to(course.root)}")
            return 0
        if args.command == "autograde":
            if args.unsandboxed:
                print(
                    "WARNING: grading WITHOUT A SANDBOX (--unsandboxed): student code runs as this user, "
                    "with access to the course, the gradebook and this machine.",
                    file=sys.stderr,
                )
            started = time.perf_counter()
            grades = autograde(
                course,
                args.submissions,
                args.assignment,
                args.out,
                new_only=args.new_only,
                feedback=not args.no_feedback,
                sandboxed=not args.unsandboxed,
                jobs=max(1, args.jobs or os.cpu_count() or 1),
                shard=_shard(args.shard),
            )
            print(summary_table(grades))
            print(
                f"\nGrades: {args.out}. Feedback: {course.root / 'feedback'}/<student>/<hw>/. "
                f"Log: {course.root / 'autograded' / LOG_NAME}. {time.perf_counter() - started:.0f} s."
                + (" UNSANDBOXED." if args.unsandboxed else "")
            )
            return 1 if any(g.status == "error" for g in grades) else 0
        if args.command == "merge":
            grades = merge(course, args.shards, args.submissions, args.out)
            print(summary_table(grades))
            print(f"\nGrades: {args.out} (merged from {len(args.shards)} shards).")
            return 1 if any(g.status == "error" for g in grades) else 0
        report = check(course, args.assignment, args.notebook)
        path = args.notebook or f"exercises/{args.assignment}/{args.assignment}.ipynb"
        print(check_report(args.assignment, path, report))
        return 0 if all(r.passed for r in report.results) else 1
    except SandboxUnavailable as error:
        print(f"error: cannot grade: {error}", file=sys.stderr)
        return 3
    except (FileNotFoundError, KeyError, RuntimeError, ValueError) as error:
        print(f"error: {error.args[0] if error.args else error}", file=sys.stderr)
        return 2


def _shard(text: str | None) -> tuple[int, int] | None:
    """``"2/8"`` -> ``(2, 8)``."""
    if text is None:
        return None
    index, _, count = text.partition("/")
    if not (index.isdigit() and count.isdigit() and 1 <= int(index) <= int(count)):
        raise ValueError(f"--shard {text!r}: expected I/N with 1 <= I <= N, e.g. 2/8")
    return int(index), int(count)
