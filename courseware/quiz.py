"""A quiz per chapter, drawn from a question bank, with its answer key.

``courseware/question_bank/NN_<name>.json`` holds at least ten questions for the chapter
``book/NN_<name>.ipynb``, each one of two kinds::

    {"id": "03-02", "type": "choice", "question": "...",
     "options": ["...", "...", "..."], "answer": 1, "explanation": "one line"}
    {"id": "03-07", "type": "numeric", "question": "...", "answer": 3.162,
     "tolerance": 0.005, "explanation": "one line",
     "compute": "updates(optim.Adam, [250.0], learning_rate=1.0, bias_correction=False)[0]"}

``answer`` is the index of the right option (from 0), or the number; ``tolerance`` is how far
from it an answer may be and still count. ``compute`` is a Python expression that recomputes
the number with ``dldemos`` (the names it may use: :func:`compute_namespace`); the tests
evaluate it, so a number in the bank cannot drift from what the code computes.

``python -m courseware quiz 03 --questions 8 --seed 1 --out quizzes/`` writes
``quizzes/03_optimizers.seed1.quiz.md`` (for the students) and
``quizzes/03_optimizers.seed1.key.md`` (the answers, with the one-line explanations): the seed
picks the questions and shuffles them and their options, so the same seed gives the same
quiz, and another seed another one for another group.
"""

from __future__ import annotations

import json
import math
import random
import sys
from pathlib import Path

import numpy as np

__all__ = [
    "BANK",
    "MIN_QUESTIONS",
    "QuizError",
    "add_commands",
    "bank_problems",
    "banks",
    "compute_namespace",
    "load_bank",
    "make_quiz",
    "numeric_mismatches",
    "run",
    "updates",
    "write_quiz",
]

ROOT = Path(__file__).resolve().parents[1]
BANK = Path(__file__).resolve().parent / "question_bank"
MIN_QUESTIONS = 10
LETTERS = "ABCDEFGH"


class QuizError(ValueError):
    """A request the bank cannot serve (an unknown chapter, more questions than it holds)."""


def banks(bank_dir: Path = BANK) -> list[Path]:
    """The question banks, one per chapter, in order."""
    return sorted(bank_dir.glob("[0-9][0-9]_*.json"))


def load_bank(chapter: str, bank_dir: Path = BANK) -> dict:
    """The bank of a chapter given as ``"03"``, ``"3"`` or ``"03_optimizers"``."""
    chapter = str(chapter).strip()
    number = chapter.split("_", 1)[0]
    if number.isdigit():
        number = f"{int(number):02d}"
    found = [
        path
        for path in banks(bank_dir)
        if path.stem == chapter or path.stem.split("_", 1)[0] == number
    ]
    if not found:
        known = ", ".join(path.stem for path in banks(bank_dir)) or "none"
        raise QuizError(f"no question bank for chapter {chapter!r}; the banks are: {known}")
    bank = json.loads(found[0].read_text(encoding="utf-8"))
    bank["chapter"] = found[0].stem
    return bank


def bank_problems(bank: dict) -> list[str]:
    """What is wrong with a bank, one message per problem naming the question."""
    problems = []
    questions = bank.get("questions")
    if not isinstance(questions, list) or len(questions) < MIN_QUESTIONS:
        count = len(questions) if isinstance(questions, list) else 0
        return [f"{bank.get('chapter')}: {count} questions, fewer than {MIN_QUESTIONS}"]
    ids = [question.get("id") for question in questions]
    problems += [f"id {i!r} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    for question in questions:
        where = f"{bank.get('chapter')}, question {question.get('id')!r}"
        for key in ("id", "question", "explanation"):
            if not isinstance(question.get(key), str) or not question[key].strip():
                problems.append(f"{where}: '{key}' must be a non-empty string")
        if "\n" in str(question.get("explanation", "")):
            problems.append(f"{where}: the explanation must be one line")
        kind = question.get("type")
        if kind == "choice":
            options, answer = question.get("options"), question.get("answer")
            if not isinstance(options, list) or not 3 <= len(options) <= len(LETTERS):
                problems.append(f"{where}: 'options' must list 3 to {len(LETTERS)} answers")
            elif len(set(options)) != len(options):
                problems.append(f"{where}: two options are the same")
            elif not isinstance(answer, int) or not 0 <= answer < len(options):
                problems.append(f"{where}: 'answer' must be the index of an option, got {answer!r}")
        elif kind == "numeric":
            answer, tolerance = question.get("answer"), question.get("tolerance")
            if not isinstance(answer, (int, float)) or isinstance(answer, bool):
                problems.append(f"{where}: 'answer' must be a number, got {answer!r}")
            if not isinstance(tolerance, (int, float)) or not tolerance > 0:
                problems.append(f"{where}: 'tolerance' must be a positive number")
            if not isinstance(question.get("compute"), str):
                problems.append(f"{where}: 'compute' must recompute the answer with dldemos")
        else:
            problems.append(f"{where}: 'type' must be 'choice' or 'numeric', got {kind!r}")
    return problems


def updates(optimizer_class, gradients, **settings) -> np.ndarray:
    """The change of a one-number parameter (from 0) at each step of a ``dldemos.optim``
    optimizer fed ``gradients``, one per step: ``theta_t - theta_{t-1}``."""
    from courseware.pitfalls import optimizer_steps

    return optimizer_steps(optimizer_class, [[float(g)] for g in gradients], **settings)[:, 0]


def compute_namespace() -> dict:
    """The names a question's ``compute`` expression may use: NumPy, ``math``, the modules
    of ``dldemos`` the chapters teach, and :func:`updates`."""
    from dldemos import (
        averages,
        averaging,
        clipping,
        data,
        optim,
        quadratic,
        schedules,
        seeding,
        surfaces,
    )
    from dldemos.torch import distributed  # chapter 7's scaling rules and warmup

    names = {
        "np": np,
        "math": math,
        "averages": averages,
        "averaging": averaging,
        "clipping": clipping,
        "data": data,
        "distributed": distributed,
        "optim": optim,
        "quadratic": quadratic,
        "schedules": schedules,
        "seeding": seeding,
        "surfaces": surfaces,
        "updates": updates,
    }
    return names


def numeric_mismatches(bank: dict) -> list[str]:
    """The numeric questions whose stored answer is not what their ``compute`` gives (more
    than half the tolerance away), one message each."""
    namespace = compute_namespace()
    mismatches = []
    for question in bank["questions"]:
        if question.get("type") != "numeric":
            continue
        where = f"{bank['chapter']}, question {question['id']!r}"
        try:
            computed = float(eval(question["compute"], dict(namespace)))  # the course's own bank
        except Exception as error:
            mismatches.append(f"{where}: {question['compute']!r} raised {error!r}")
            continue
        if not abs(computed - question["answer"]) <= question["tolerance"] / 2:
            mismatches.append(
                f"{where}: the bank says {question['answer']!r}, but {question['compute']!r} "
                f"gives {computed!r} (tolerance {question['tolerance']!r})"
            )
    return mismatches


def _number(value: float) -> str:
    return f"{value:.6g}"


def make_quiz(chapter: str, questions: int = 10, seed: int = 0, bank_dir: Path = BANK):
    """The quiz and its answer key (two Markdown texts): ``questions`` questions of the
    chapter's bank, drawn and ordered by ``seed``, the options of each shuffled too."""
    bank = load_bank(chapter, bank_dir)
    problems = bank_problems(bank)
    if problems:
        raise QuizError("the question bank is malformed:\n  " + "\n  ".join(problems))
    pool = bank["questions"]
    if isinstance(questions, bool) or not isinstance(questions, int) or questions < 1:
        raise QuizError(f"--questions must be a whole number >= 1, got {questions!r}")
    if questions > len(pool):
        raise QuizError(
            f"the bank of {bank['chapter']} holds {len(pool)} questions; "
            f"a quiz of {questions} would repeat some (ask for at most {len(pool)})"
        )
    rng = random.Random(f"{bank['chapter']}:{seed}")
    title = f"{bank.get('title', bank['chapter'])}: quiz (seed {seed})"
    quiz = [f"# {title}", "", "Name: ______________________", ""]
    key = [f"# {title}: answer key", ""]
    for number, question in enumerate(rng.sample(pool, questions), start=1):
        quiz += [f"**{number}.** {question['question']}", ""]
        if question["type"] == "choice":
            order = list(range(len(question["options"])))
            rng.shuffle(order)
            quiz += [
                f"- {LETTERS[slot]}) {question['options'][option]}"
                for slot, option in enumerate(order)
            ]
            right = LETTERS[order.index(question["answer"])]
            answer = f"{right}) {question['options'][question['answer']]}"
            quiz.append("")
        else:
            tolerance = _number(question["tolerance"])
            quiz += [f"Answer (within ± {tolerance}): ______________", ""]
            answer = f"{_number(question['answer'])} (± {tolerance})"
        key += [
            f"**{number}.** {answer}  ",
            f"{question['explanation']} *(bank question {question['id']})*",
            "",
        ]
    return "\n".join(quiz).rstrip() + "\n", "\n".join(key).rstrip() + "\n"


def write_quiz(
    chapter: str, questions: int, seed: int, out: Path, bank_dir: Path = BANK
) -> tuple[Path, Path]:
    """Write ``out/NN_<name>.seed<S>.quiz.md`` and ``out/NN_<name>.seed<S>.key.md``."""
    quiz, key = make_quiz(chapter, questions, seed, bank_dir)
    stem = f"{load_bank(chapter, bank_dir)['chapter']}.seed{seed}"
    out.mkdir(parents=True, exist_ok=True)
    paths = out / f"{stem}.quiz.md", out / f"{stem}.key.md"
    for path, text in zip(paths, (quiz, key)):
        path.write_text(text, encoding="utf-8")
    return paths


def add_commands(commands) -> None:
    """The command ``quiz``, added to an argparse subparsers object."""
    quiz = commands.add_parser(
        "quiz", help="a quiz from a chapter's question bank, and its answer key"
    )
    quiz.add_argument("chapter", help="the chapter: 03 or 03_optimizers")
    quiz.add_argument("--questions", type=int, default=MIN_QUESTIONS, help="how many questions")
    quiz.add_argument("--seed", type=int, default=0, help="picks and orders the questions")
    quiz.add_argument("--out", type=Path, default=ROOT / "quizzes", help="default: quizzes/")


def run(args) -> int:
    """Write the quiz ``args`` asks for; a request the bank cannot serve is an error (2)."""
    try:
        paths = write_quiz(args.chapter, args.questions, args.seed, args.out)
    except QuizError as error:
        print(f"courseware quiz: error: {error}", file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0
