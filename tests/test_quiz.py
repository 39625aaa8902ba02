"""``courseware quiz``: the question banks, their numbers recomputed with dldemos, the quizzes."""

from __future__ import annotations

import copy
import json
import re

import pytest

from courseware.cli import main
from courseware.quiz import (
    MIN_QUESTIONS,
    QuizError,
    bank_problems,
    banks,
    load_bank,
    make_quiz,
    numeric_mismatches,
)
from courseware.teaching import chapters

BANKS = banks()


def test_every_chapter_has_a_bank():
    assert [path.stem for path in BANKS] == [path.stem for path in chapters()]


@pytest.mark.parametrize("path", BANKS, ids=lambda path: path.stem)
def test_a_bank_is_well_formed(path):
    bank = load_bank(path.stem)
    assert bank_problems(bank) == []
    assert len(bank["questions"]) >= MIN_QUESTIONS
    kinds = {question["type"] for question in bank["questions"]}
    assert kinds == {"choice", "numeric"}, "both kinds of question in every bank"


@pytest.mark.parametrize("path", BANKS, ids=lambda path: path.stem)
def test_the_numeric_answers_are_what_dldemos_computes(path):
    assert numeric_mismatches(load_bank(path.stem)) == []


def test_a_wrong_number_in_a_bank_is_caught():
    bank = load_bank("02")
    wrong = copy.deepcopy(bank)
    question = next(q for q in wrong["questions"] if q["type"] == "numeric")
    question["answer"] += question["tolerance"]
    [message] = numeric_mismatches(wrong)
    assert question["id"] in message and "gives" in message


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda q: q.update(answer=7), "'answer' must be the index of an option"),
        (lambda q: q.update(options=["a", "a", "b"]), "two options are the same"),
        (lambda q: q.update(explanation="two\nlines"), "one line"),
        (lambda q: q.update(type="essay"), "'type' must be 'choice' or 'numeric'"),
    ],
)
def test_a_malformed_question_is_named(breakage, message):
    bank = copy.deepcopy(load_bank("03"))
    question = next(q for q in bank["questions"] if q["type"] == "choice")
    breakage(question)
    assert any(message in problem and question["id"] in problem for problem in bank_problems(bank))


def _answers(key: str) -> list[str]:
    return re.findall(r"^\*\*\d+\.\*\* (.*?)  $", key, flags=re.M)


def test_a_quiz_and_its_key_agree():
    bank = load_bank("03")
    by_text = {question["question"]: question for question in bank["questions"]}
    quiz, key = make_quiz("03", 8, seed=1)
    blocks = re.split(r"^\*\*\d+\.\*\* ", quiz, flags=re.M)[1:]
    answers = _answers(key)
    assert len(blocks) == len(answers) == 8
    for block, answer in zip(blocks, answers):
        text, *rest = block.strip().split("\n\n", 1)
        question = by_text[text]
        assert question["explanation"] in key
        if question["type"] == "choice":
            options = re.findall(r"^- ([A-H])\) (.*)$", rest[0], flags=re.M)
            assert sorted(option for _, option in options) == sorted(question["options"])
            right = question["options"][question["answer"]]
            assert answer == f"{dict((o, l) for l, o in options)[right]}) {right}"
        else:
            assert answer.startswith(f"{question['answer']:.6g} (± ")
            assert str(question["answer"]) not in rest[0]  # the quiz does not give it away
    assert "answer key" not in quiz and "bank question" not in quiz


def test_the_seed_picks_and_shuffles():
    assert make_quiz("03", 8, seed=1) == make_quiz("3", 8, seed=1)
    assert make_quiz("03", 8, seed=1) != make_quiz("03", 8, seed=2)
    letters = {
        answer[0]
        for seed in range(10)
        for answer in _answers(make_quiz("02", 12, seed)[1])
        if re.match(r"[A-H]\) ", answer)
    }
    assert len(letters) >= 3, "the right option's letter varies with the seed"


def test_unknown_chapter_and_too_many_questions_are_clear_errors():
    with pytest.raises(QuizError, match=r"no question bank for chapter '42'.*03_optimizers"):
        make_quiz("42", 5)
    size = len(load_bank("03")["questions"])
    with pytest.raises(QuizError, match=rf"holds {size} questions.*at most {size}"):
        make_quiz("03", size + 1)
    with pytest.raises(QuizError, match="whole number >= 1"):
        make_quiz("03", 0)


def test_the_command_writes_quiz_and_key(tmp_path, capsys):
    assert main(["quiz", "03", "--questions", "8", "--seed", "1", "--out", str(tmp_path)]) == 0
    quiz = tmp_path / "03_optimizers.seed1.quiz.md"
    key = tmp_path / "03_optimizers.seed1.key.md"
    assert capsys.readouterr().out.split() == [str(quiz), str(key)]
    assert (quiz.read_text(), key.read_text()) == make_quiz("03", 8, seed=1)
    assert main(["quiz", "13", "--out", str(tmp_path)]) == 2
    assert "courseware quiz: error: no question bank for chapter '13'" in capsys.readouterr().err
    assert main(["quiz", "03", "--questions", "99", "--out", str(tmp_path)]) == 2
    assert "would repeat some" in capsys.readouterr().err


def test_banks_are_stored_as_formatted_json():
    for path in BANKS:
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", path
