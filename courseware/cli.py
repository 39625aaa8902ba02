"""``courseware`` (or ``python -m courseware``): one command for instructors and students.

Homework (:mod:`courseware.grading`)::

    courseware release [hw01 ...]                   # instructor: regenerate exercises/ from solutions/
    courseware grade --submissions submitted        # instructor: autograde a class, sandboxed
    courseware merge <shard course folders...>      # instructor: after `grade --shard i/N` runs
    courseware check hw01 [path/to/hw01.ipynb]      # student: check an assignment before submitting
    courseware solutions hw03 --deadline 2027-03-01T23:59   # instructor: solutions, after the deadline

Teaching from the book (:mod:`courseware.teaching`)::

    courseware live [book/NN_name.ipynb ...]        # live-coding notebooks and instructor notes
    courseware slides [book/NN_name.ipynb ...]      # a deck and its PDF per chapter, measured
    courseware quiz 03 --questions 8 --seed 1       # a quiz and its answer key (question bank)

Checking and translating the book::

    courseware claims [01 04] [--configs ci]        # every claim under six machine/seed configurations
    courseware i18n update|stats|check|build        # the Chinese edition's catalogs and build

``courseware <command> --help`` tells more. The Makefile's targets call these commands.
"""

from __future__ import annotations

import argparse
import importlib
import sys

# the module that adds each group of commands (``add_commands(subparsers)``) and runs them
# (``run(args)``), with the commands it adds
GROUPS = {
    "courseware.grading.cli": ("release", "grade", "autograde", "merge", "check"),
    "courseware.teaching": ("live", "slides"),
    "courseware.solutions": ("solutions",),
    "courseware.quiz": ("quiz",),
}
# commands whose module has its own ``main(argv)``: everything after the command is theirs
PASS_THROUGH = {
    "claims": ("courseware.claims_matrix", "every chapter's claims under six configurations"),
    "i18n": ("courseware.i18n", "the Chinese edition: update, stats, check, build"),
}


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="courseware",
        description=__doc__.split("\n\n")[0],
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="command")
    for module_name in GROUPS:
        module = importlib.import_module(module_name)
        before = set(commands.choices)
        module.add_commands(commands)
        for name in set(commands.choices) - before:
            commands.choices[name].set_defaults(module=module_name)
    for name, (module_name, summary) in PASS_THROUGH.items():
        command = commands.add_parser(name, help=summary, add_help=False)
        command.add_argument("arguments", nargs=argparse.REMAINDER)
        command.set_defaults(module=module_name, pass_through=True)
    return top


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PASS_THROUGH:
        return importlib.import_module(PASS_THROUGH[argv[0]][0]).main(argv[1:])
    args = parser().parse_args(argv)
    return importlib.import_module(args.module).run(args)


if __name__ == "__main__":
    sys.exit(main())
