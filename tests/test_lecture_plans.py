"""The lecture plans (book/lectures/NN_<name>.md): objectives, board work, questions with
answers and timings that add up to the lecture (issue 25); the checker is shown to fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from courseware import lecture_plans as lp

PLANS = lp.plans()

GOOD = """\
# Lecture plan: synthetic (chapter 1)

## Learning objectives

- Write one epoch of mini-batch gradient descent.
- Compute the spread of the batch loss
  for a given $B$.

## Segments

| minutes | segment | figures |
|---|---|---|
| 0–20 | **The loop.** Type it. | — |
| 20–45 | **The spread.** On the board: $\\sigma/\\sqrt{B}$. | figure |
| 45–50 | Wrap-up. | — |

## Board work

- The variance of a mean of $B$ draws.

## Questions

- How many batches does $m = 800$, $B = 64$ give?
  Answer: 13, the last of 32 examples.
- Why is the loss noisy?
  Answer: each batch is a sample.
"""


def plan(tmp_path: Path, text: str, name: str = "01_synthetic.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_book_has_its_plans():
    assert [p.stem[:2] for p in PLANS] == [f"{n:02d}" for n in range(1, 10)]


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_plan_passes_the_check(path):
    assert lp.check_plan(path) == []


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.stem)
def test_every_plan_has_objectives_questions_and_fifty_minute_lectures(path):
    assert len(lp.learning_objectives(path)) >= 3
    assert all(answer for _, answer in lp.questions(path))
    assert all(lecture.minutes == 50 for lecture in lp.lectures(path))


def test_chapters_3_6_and_7_are_taught_in_two_lectures_each():
    counts = {p.stem[:2]: len(lp.lectures(p)) for p in PLANS}
    assert sum(counts.values()) == 12
    assert {k for k, v in counts.items() if v == 2} == {"03", "06", "07"}
    three = next(p for p in PLANS if p.stem.startswith("03"))
    names = [lecture.name for lecture in lp.lectures(three)]
    assert names == ["Lecture 3a", "Lecture 3b"]
    both = lp.learning_objectives(three)
    parts = [lp.learning_objectives(three, name) for name in names]
    assert parts[0] and parts[1] and parts[0] + parts[1] == both


def test_the_derivations_of_chapter_8_are_budgeted():
    eight = next(p for p in PLANS if p.stem.startswith("08"))
    board = [s for s in lp.lectures(eight)[0].segments if "board" in s.text.lower()]
    assert sum(s.minutes for s in board) >= 10, board
    text = eight.read_text(encoding="utf-8")
    assert "2/(L+\\mu)" in text.replace(" ", "") or "2/(\\lambda_{\\min}+\\lambda_{\\max})" in text


def test_a_good_synthetic_plan_parses_and_passes(tmp_path):
    path = plan(tmp_path, GOOD)
    assert lp.learning_objectives(path) == [
        "Write one epoch of mini-batch gradient descent.",
        "Compute the spread of the batch loss for a given $B$.",
    ]
    [lecture] = lp.lectures(path)
    assert lecture.name == "01_synthetic" and lecture.minutes == 50
    assert [(s.start, s.end) for s in lecture.segments] == [(0, 20), (20, 45), (45, 50)]
    assert lp.questions(path) == [
        ("How many batches does $m = 800$, $B = 64$ give?", "13, the last of 32 examples."),
        ("Why is the loss noisy?", "each batch is a sample."),
    ]
    assert lp.check_plan(path) == []


def test_minutes_that_do_not_add_up_are_reported(tmp_path):
    path = plan(tmp_path, GOOD.replace("| 45–50 | Wrap-up.", "| 45–52 | Wrap-up."))
    problems = lp.check_plan(path)
    assert any("add up to 52 minutes, not 50" in p for p in problems), problems
    path = plan(tmp_path, GOOD.replace("| 20–45 |", "| 25–45 |"))
    problems = lp.check_plan(path)
    assert any("should start at minute 20" in p for p in problems), problems
    assert lp.check_plan(plan(tmp_path, GOOD), minutes=45) != []


def test_a_plan_without_objectives_is_reported(tmp_path):
    text = GOOD.replace("## Learning objectives", "## Goals")
    problems = lp.check_plan(plan(tmp_path, text))
    assert any("no learning objectives" in p for p in problems), problems


def test_a_vague_objective_is_reported(tmp_path):
    text = GOOD.replace("- Write one epoch", "- Understand one epoch")
    problems = lp.check_plan(plan(tmp_path, text))
    assert any("opens with 'understand'" in p for p in problems), problems


def test_a_question_without_answer_is_reported(tmp_path):
    text = GOOD.replace("  Answer: each batch is a sample.\n", "")
    path = plan(tmp_path, text)
    assert lp.questions(path)[1] == ("Why is the loss noisy?", "")
    problems = lp.check_plan(path)
    assert problems == [
        "01_synthetic.md: the question 'Why is the loss noisy?' has no 'Answer:' line"
    ]


def test_a_plan_without_board_work_is_reported(tmp_path):
    text = GOOD.replace("## Board work\n\n- The variance of a mean of $B$ draws.\n\n", "")
    problems = lp.check_plan(plan(tmp_path, text))
    assert any("no board work" in p for p in problems), problems
    unbudgeted = GOOD.replace("On the board: ", "")
    problems = lp.check_plan(plan(tmp_path, unbudgeted))
    assert any("budgeted in no segment" in p for p in problems), problems


def test_a_plan_without_questions_or_timing_is_reported(tmp_path):
    text = GOOD.split("## Segments")[0] + "## Board work\n\n- on the board\n"
    problems = lp.check_plan(plan(tmp_path, text))
    assert any("no timed table" in p for p in problems), problems
    assert any("no questions" in p for p in problems), problems


def test_a_split_plan_needs_objectives_and_a_table_per_lecture(tmp_path):
    table = GOOD.split("## Segments\n\n")[1].split("\n\n")[0]
    text = (
        "# Plan\n\n## Learning objectives\n\n### Lecture 3a\n\n- Derive the bias correction.\n\n"
        "### Lecture 3b\n\n- Write Adam.\n\n## Segments\n\n### Lecture 3a\n\n"
        f"{table}\n\n### Lecture 3b\n\n{table.replace('45–50', '45–55')}\n\n"
        + "## Board work"
        + GOOD.split("## Board work")[1]
    )
    path = plan(tmp_path, text)
    assert [lecture.name for lecture in lp.lectures(path)] == ["Lecture 3a", "Lecture 3b"]
    assert lp.learning_objectives(path) == ["Derive the bias correction.", "Write Adam."]
    assert lp.learning_objectives(path, "Lecture 3b") == ["Write Adam."]
    assert lp.check_plan(path) == [
        "01_synthetic.md: Lecture 3b: its segments add up to 55 minutes, not 50"
    ]
    orphan = text.replace("### Lecture 3b\n\n- Write Adam.\n\n", "")
    problems = lp.check_plan(plan(tmp_path, orphan))
    assert any("Lecture 3b: no objectives" in p for p in problems), problems


def test_a_pipe_inside_maths_that_splits_a_cell_is_reported(tmp_path):
    text = GOOD.replace("On the board: $\\sigma/\\sqrt{B}$", "On the board: $|x|/\\sqrt{B}$")
    problems = lp.check_plan(plan(tmp_path, text))
    assert any("5 cells in a table of 3 columns" in p for p in problems), problems


def test_a_range_that_is_not_one_is_reported(tmp_path):
    problems = lp.check_plan(plan(tmp_path, GOOD.replace("| 45–50 |", "| 5 min |")))
    assert any("not written as a range" in p for p in problems), problems
