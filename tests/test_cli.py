"""``python -m courseware``: one command for instructors and students, which the Makefile calls."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from courseware.cli import parser

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["release", "grade", "merge", "check", "live", "slides", "solutions", "quiz"]


def test_every_command_has_help():
    result = subprocess.run(
        [sys.executable, "-m", "courseware", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\b", result.stdout, re.M), command


@pytest.mark.parametrize("command", COMMANDS)
def test_command_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        parser().parse_args([command, "--help"])
    assert exit_.value.code == 0
    assert f"usage: courseware {command}" in capsys.readouterr().out


def test_commands_reach_their_module():
    args = parser().parse_args(["grade", "--jobs", "4", "--course-dir", "course"])
    assert (args.module, args.command, args.jobs, args.course_dir) == (
        "courseware.grading.cli",
        "autograde",
        4,
        "course",
    )
    assert parser().parse_args(["autograde"]).command == "autograde"  # the old name still works
    assert parser().parse_args(["live"]).module == "courseware.teaching"
    args = parser().parse_args(["solutions", "hw03", "--deadline", "2027-03-01T23:59"])
    assert (args.module, args.assignment, args.deadline) == (
        "courseware.solutions",
        "hw03",
        "2027-03-01T23:59",
    )


def test_the_makefile_calls_the_command():
    makefile = (ROOT / "Makefile").read_text()
    for target, command in [
        ("exercises", "release"),
        ("grade", "grade"),
        ("check", "check"),
        ("live", "live"),
        ("slides", "slides"),
        ("solutions", "solutions"),
    ]:
        recipe = re.search(rf"^{target}:.*\n((?:\t.*\n|\s*\n)+)", makefile, re.M).group(1)
        assert f"-m courseware {command}" in recipe, target
