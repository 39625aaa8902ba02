"""The syllabus (book/syllabus.md) agrees with the lecture plans and the homework: one lecture a
week for twelve weeks, each a lecture that has a plan, every homework of solutions/ released
after its chapter's last lecture, due thirteen days later, its solutions out after the deadline."""

from __future__ import annotations

import re
from pathlib import Path

from courseware import lecture_plans as lp
from courseware.grading.course import Course

ROOT = Path(__file__).resolve().parents[1]
SYLLABUS = ROOT / "book" / "syllabus.md"


def table(heading: str) -> list[list[str]]:
    """The body rows of the first table under the ``## heading`` of the syllabus."""
    text = SYLLABUS.read_text(encoding="utf-8").split(f"## {heading}\n", 1)[1]
    rows = [line for line in text.split("\n## ")[0].splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]


def day(text: str) -> int:
    """``"week 3, day 7"`` -> days since the start of the term (week 1, day 1 is 0)."""
    week, weekday = map(int, re.fullmatch(r"week (\d+), day (\d)", text).groups())
    return 7 * (week - 1) + weekday - 1


def test_the_syllabus_is_a_page_of_the_book():
    assert "- file: syllabus" in (ROOT / "book" / "_toc.yml").read_text(encoding="utf-8")


def test_twelve_weeks_one_planned_lecture_each():
    calendar = table("Calendar")
    assert [int(row[0]) for row in calendar] == list(range(1, 13))
    planned = []
    for plan in lp.plans():
        names = [lecture.name for lecture in lp.lectures(plan)]
        number = str(int(plan.stem[:2]))
        planned += [number] if names == [plan.stem] else [n.split()[-1] for n in names]
    assert [row[1].split(":")[0] for row in calendar] == planned


def test_every_homework_is_released_after_its_chapter_and_due_thirteen_days_later():
    rows = {row[0]: row for row in table("Homework")}
    assert set(Course(ROOT).assignments()) <= set(rows), "a homework missing from the syllabus"
    calendar = table("Calendar")
    for name, (_, practises, released, due, solutions) in rows.items():
        chapter = re.match(r"chapter (\d)", practises).group(1)
        last_lecture = max(int(row[0]) for row in calendar if re.match(rf"{chapter}[ab]?:", row[1]))
        assert day(released) == 7 * (last_lecture - 1), name
        assert day(due) - day(released) == 13, name
        assert day(solutions) == day(due) + 1, name
        week_of_release = next(row for row in calendar if int(row[0]) == last_lecture)
        assert f"{name} released" in week_of_release[3], name


def test_the_documented_release_command_exists():
    text = SYLLABUS.read_text(encoding="utf-8")
    assert "make solutions HW=hw03 DEADLINE=" in text
    assert "solutions:" in (ROOT / "Makefile").read_text(encoding="utf-8")
