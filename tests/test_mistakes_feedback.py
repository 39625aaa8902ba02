"""Feedback names the mistake: every classic mistake graded as a submission.

Each mistake of ``solutions/<hw>/mistakes.json`` is graded as a student's answer: the
release with every other answer right. One ``autograde`` run (the instructor's
command, sandbox included) grades them all, and then for each:

* the mistaken function's test cell loses its points and the others keep theirs (a mistake
  costs its own points, no more, and is detected at all; one submission carries one mistake
  of each function, so a few submissions cover the catalogue);
* the feedback names at least nine mistakes in ten (the grader's diagnosis gives the mistake's
  description, or the test's hint says it), and never names a mistake that was not made.

A few mistakes are also written *in other words* than the catalogue's edits (another
expression of the same wrong formula): the grader recognises them by what they compute.
"""

from __future__ import annotations

import contextlib
import io
import json
import re

import pytest
from grading_course import (
    answers_and_tests,
    make_course,
    needs_sandbox,
    read,
    submit,
    with_sources,
)
from mistakes import MISTAKES
from test_mistakes import solution_sources

from courseware import grading

pytestmark = needs_sandbox

# the same mistakes as in the catalogue, in other words: (assignment, function, edits, description)
IN_OTHER_WORDS = [
    (
        "hw03",
        "rmsprop_step",
        [("np.sqrt(s) + eps", "(s + eps) ** 0.5")],
        "puts eps inside the square root",
    ),
    (
        "hw03",
        "adam_step",
        [
            ("v_hat = v / (1 - beta1 ** t)", "v_hat = v"),
            ("s_hat = s / (1 - beta2 ** t)", "s_hat = s * 1.0"),
        ],
        "forgets bias correction",
    ),
    (
        "hw04",
        "suggest_lr",
        [("np.log(lrs[skip_start:end])", "np.exp(np.log(lrs[skip_start:end]))")],
        "takes the slope against the rate instead of its logarithm",
    ),
    (
        "hw06",
        "train_epochs",
        [("scheduler.step(sum(losses) / len(losses))", "scheduler.step(loss.item())")],
        "gives ReduceLROnPlateau the last loss instead of the epoch's mean",
    ),
    (
        "hw07",
        "accumulated_gradient",
        [("total[key] += g * (X_j.shape[1] / m)", "total[key] += g / -(-m // micro_batch_size)")],
        "divides by the number of micro-batches, overweighting a smaller last one",
    ),
]


CASES = [
    (c.assignment, c.function, c.mistake.edits, c.mistake.description) for c in MISTAKES
] + IN_OTHER_WORDS
NAMES = [c.mistake.names for c in MISTAKES] + [""] * len(IN_OTHER_WORDS)


def rounds() -> dict[str, list[int]]:
    """Submissions, each with at most one mistake per function: ``"hw01-2" -> case indices``.
    A mistake costs only its own function's points, so one submission can test one mistake
    of every function at once (and does, to keep the test suite short)."""
    submissions, seen = {}, {}
    for index, (assignment, function, _, _) in enumerate(CASES):
        k = seen[(assignment, function)] = seen.get((assignment, function), -1) + 1
        submissions.setdefault(f"{assignment}-{k}", []).append(index)
    return submissions


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = make_course(tmp_path_factory.mktemp("mistakes"))
    submitted = course.root / "submitted"
    for student, indices in rounds().items():
        assignment = CASES[indices[0]][0]
        release = read(course.exercises / assignment / f"{assignment}.ipynb")
        answers = solution_sources(assignment)
        for index in indices:
            _, function, edits, _ = CASES[index]
            for old, new in edits:
                assert old in answers[function], (
                    f"{assignment}/{function}: {old!r} not in the solution"
                )
                answers[function] = answers[function].replace(old, new)
        submit(submitted, student, assignment, with_sources(release, **answers))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
        code = grading.main(
            [
                "--course-dir",
                str(course.root),
                "autograde",
                "--submissions",
                str(submitted),
                "--jobs",
                "2",
            ]
        )
    assert code == 0, printed.getvalue()[-3000:]
    results = {}
    for student, indices in rounds().items():
        assignment = CASES[indices[0]][0]
        verdicts = json.loads(
            (course.root / "autograded" / student / assignment / "verdicts.json").read_text()
        )
        tests = {t["grade_id"]: t for t in verdicts[assignment]["tests"]}
        test_of = {
            answer: test
            for answer, test, _ in answers_and_tests(
                read(course.solutions / assignment / f"{assignment}.ipynb")
            )
        }
        mistaken = {test_of[CASES[index][1]]: index for index in indices}
        for test_id, test in tests.items():
            if test_id not in mistaken:
                assert test["points"] == test["max_points"], (
                    f"{student}: {test_id} has no mistake but lost points: {test['message']!r}"
                )
        for test_id, index in mistaken.items():
            results[index] = tests[test_id]
    return course, results


def named(index, message) -> bool:
    """The feedback names the mistake: the diagnosis gives its description, or the test's own
    hint says it in the catalogue's words (``names``)."""
    description = CASES[index][3]
    return f"classic mistake: the answer {description}." in message or bool(
        NAMES[index] and re.search(NAMES[index], message)
    )


@pytest.mark.parametrize(
    "index",
    range(len(CASES)),
    ids=[c.id for c in MISTAKES] + [f"{a}-{f}-in-other-words" for a, f, _, _ in IN_OTHER_WORDS],
)
def test_each_classic_mistake_costs_its_points(graded, index):
    assignment, function, _, description = CASES[index]
    test = graded[1][index]
    assert test["points"] == 0, f"{assignment}/{function} ({description}) was not detected: {test}"


def test_feedback_names_nine_mistakes_in_ten(graded):
    unnamed = [
        f"{CASES[i][0]}/{CASES[i][1]} ({CASES[i][3]}): {test['message'][:200]!r}"
        for i, test in graded[1].items()
        if not named(i, test["message"])
    ]
    print("\n".join(["mistakes the feedback does not name:"] + unnamed))
    assert len(unnamed) <= 0.1 * len(CASES), (
        f"{len(unnamed)} of {len(CASES)} mistakes are not named:\n" + "\n".join(unnamed)
    )


@pytest.mark.parametrize(
    "index", range(len(MISTAKES), len(CASES)), ids=[f"{a}-{f}" for a, f, _, _ in IN_OTHER_WORDS]
)
def test_a_mistake_in_other_words_is_named_too(graded, index):
    assert named(index, graded[1][index]["message"]), graded[1][index]["message"]


def test_no_feedback_names_a_mistake_that_was_not_made(graded):
    for index, test in graded[1].items():
        if "classic mistake" in test["message"]:
            assert f"the answer {CASES[index][3]}." in test["message"], (
                f"{CASES[index][:2]} ({CASES[index][3]}) is told: {test['message']!r}"
            )


def test_the_catalogue_is_never_released(graded):
    course = graded[0]
    assert not list(course.exercises.rglob("mistakes.json"))
