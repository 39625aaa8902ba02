"""``courseware`` (or ``python -m courseware``): one command for instructors and students.

Homework (:mod:`courseware.grading`)::

    courseware release [hw01 ...]                   # instructor: regenerate exercises/ from solutions/
    courseware grade --submissions submitted        # instructor: autograde a class, sandboxed
    courseware merge <shard course folders...>      # instructor: after `grade --shard i/N` runs
    courseware check hw01 [path/to/hw01.ipynb]      # student: check an assignment before submitting

Teaching from the book (:mod:`courseware.teaching`)::

    courseware live [book/NN_name.ipynb ...]        # live-coding notebooks and instructor notes
    courseware slides [book/NN_name.ipynb ...]      # a reveal.js deck per chapter

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
    # the claims matrix (every chapter under every configuration) joins here as
    # "courseware.claims_matrix": ("claims",), once that module has add_commands and run
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
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return importlib.import_module(args.module).run(args)


if __name__ == "__main__":
    sys.exit(main())
