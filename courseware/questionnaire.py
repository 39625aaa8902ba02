"""The questionnaire that ends every chapter: questions for the reader, answers for the instructor.

A chapter ``book/NN_<name>.ipynb`` ends with two cells:

- a Markdown cell (id ``check-your-understanding``) that opens the section
  ``## Check your understanding`` with 5 to 8 numbered questions (``1. ...``), the reader's;
- a code cell (id ``check-your-understanding-answers``, tag ``remove-cell``: the book shows
  neither its code nor its output) that holds the answers as data and checks them::

      from courseware.questionnaire import check_answers

      ANSWERS = {
          1: ("Because ...", None),
          2: ("It divides by 1 - 0.9^3 = **0.271**.", 1 - 0.9**3),
      }
      check_answers(ANSWERS)

An answer is a pair: its text, and ``None`` or the number the text gives, computed by the cell
(with ``dldemos`` and the chapter's own variables). The text writes that number once in bold
(``**0.271**``); :func:`check_answers` fails when the computed value, rounded to the digits
written, is not the written number, so a wrong answer stops the book's build.

``make live`` (:mod:`courseware.teaching`) copies the questions and their answers into the
instructor's notes and leaves the answers out of the live notebook shown in class.
"""

from __future__ import annotations

import ast
import math
import numbers
import re

__all__ = [
    "QUESTIONS_ID",
    "ANSWERS_ID",
    "HEADING",
    "check_answers",
    "written_number",
    "questions_of",
    "answers_of",
    "questionnaire",
    "questionnaire_problems",
]

QUESTIONS_ID = "check-your-understanding"
ANSWERS_ID = "check-your-understanding-answers"
HEADING = "## Check your understanding"

_BOLD_NUMBER = re.compile(r"\*\*\s*([-+−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)\s*\*\*")
_ITEM = re.compile(r"^(\d+)\.\s+", flags=re.M)


def written_number(text: str) -> tuple[float, float]:
    """The number an answer writes in bold, and half a unit of its last written digit (the
    most a value rounded to those digits can differ from it)."""
    found = _BOLD_NUMBER.findall(text)
    if len(found) != 1:
        raise AssertionError(
            f"a numeric answer writes its number once in bold (**0.271**); found {found} in "
            f"{text!r}"
        )
    literal = found[0].replace("−", "-")
    mantissa, _, exponent = literal.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    half_unit = 0.5 * 10.0 ** (int(exponent or 0) - decimals)
    return float(literal), half_unit


def check_answers(answers: dict) -> None:
    """Check a chapter's answers: numbered 1, 2, ... in order, each a non-empty text with
    ``None`` or a number, and each number the one its text writes (to the digits written).
    Raises ``AssertionError`` naming the answer that is wrong."""
    if not isinstance(answers, dict) or not answers:
        raise AssertionError(f"ANSWERS must be a non-empty dict, got {answers!r}")
    if list(answers) != list(range(1, len(answers) + 1)):
        raise AssertionError(f"answers are numbered 1, 2, ... in order, got {list(answers)}")
    for number, answer in answers.items():
        if not (isinstance(answer, tuple) and len(answer) == 2):
            raise AssertionError(f"answer {number} must be a pair (text, value), got {answer!r}")
        text, value = answer
        if not isinstance(text, str) or not text.strip():
            raise AssertionError(f"answer {number} has no text: {text!r}")
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise AssertionError(f"answer {number}: the value must be a number, got {value!r}")
        try:
            written, half_unit = written_number(text)
        except AssertionError as error:
            raise AssertionError(f"answer {number}: {error}") from None
        value = float(value)
        if not (math.isfinite(value) and abs(value - written) <= half_unit * (1 + 1e-9)):
            raise AssertionError(
                f"answer {number} writes {written:g}, but the chapter computes {value:.6g}: "
                f"correct the answer's text"
            )


def questions_of(markdown: str) -> list[str]:
    """The numbered questions of the questionnaire's Markdown, in order (each item's text,
    continuation lines joined)."""
    body = markdown.split(HEADING, 1)[-1]
    starts = list(_ITEM.finditer(body))
    questions = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(body)
        lines = body[start.end() : end].strip().splitlines()
        questions.append(" ".join(line.strip() for line in lines))
    return questions


def answers_of(source: str) -> dict[int, tuple[str, str | None]]:
    """The answers of an answer cell, read from its code without running it: for each
    number, the text and the code that computes its value (``None`` if it has none): the
    expression, after the cell's assignments of the helper variables it uses."""
    tree = ast.parse(
        "\n".join(line for line in source.splitlines() if not line.lstrip().startswith("%"))
    )
    defined: dict[str, str] = {}  # the cell's helper variables: name -> its assignment
    for node in tree.body:
        targets = [
            target.id for target in getattr(node, "targets", []) if isinstance(target, ast.Name)
        ]
        if (
            isinstance(node, ast.Assign)
            and "ANSWERS" in targets
            and isinstance(node.value, ast.Dict)
        ):
            answers = {}
            for key, value in zip(node.value.keys, node.value.values):
                if not (isinstance(key, ast.Constant) and isinstance(value, ast.Tuple)):
                    raise ValueError(
                        f"ANSWERS: an entry is not `number: (text, value)`: {ast.unparse(value)}"
                    )
                text, expression = value.elts
                computed = None
                if not (isinstance(expression, ast.Constant) and expression.value is None):
                    used = {name.id for name in ast.walk(expression) if isinstance(name, ast.Name)}
                    helpers = [line for name, line in defined.items() if name in used]
                    computed = "; ".join([*helpers, ast.unparse(expression)])
                answers[key.value] = (ast.literal_eval(text), computed)
            return answers
        if isinstance(node, ast.Assign) and len(targets) == 1:
            defined[targets[0]] = ast.unparse(node)
    raise ValueError("the answer cell defines no `ANSWERS = {...}` dict")


def questionnaire(notebook) -> tuple[int, list[str], dict[int, tuple[str, str | None]]] | None:
    """A chapter's questionnaire: the index of its questions' cell, the questions and the
    answers (see :func:`answers_of`), or ``None`` if the chapter has none."""
    cells = {cell.get("id"): index for index, cell in enumerate(notebook.cells)}
    if QUESTIONS_ID not in cells:
        return None
    index = cells[QUESTIONS_ID]
    questions = questions_of(notebook.cells[index].source)
    answers = answers_of(notebook.cells[cells[ANSWERS_ID]].source) if ANSWERS_ID in cells else {}
    return index, questions, answers


def questionnaire_problems(notebook, name: str) -> list[str]:
    """Where a chapter's questionnaire breaks the convention, one message per problem: the
    questions' cell and the hidden answer cell are the chapter's last two cells, there are 5 to
    8 questions and one answer for each."""
    cells = notebook.cells
    ids = [cell.get("id") for cell in cells]
    if QUESTIONS_ID not in ids:
        return [f"{name}: no questionnaire (a Markdown cell with id '{QUESTIONS_ID}')"]
    problems = []
    questions_cell = cells[ids.index(QUESTIONS_ID)]
    if questions_cell.cell_type != "markdown" or not questions_cell.source.startswith(HEADING):
        problems.append(f"{name}: the cell '{QUESTIONS_ID}' must be Markdown opening {HEADING!r}")
    if questions_cell.metadata.get("slides") != {"skip": True}:
        problems.append(
            f"{name}: the questionnaire's cell needs the metadata slides: {{skip: true}}"
        )
    if ids[-2:] != [QUESTIONS_ID, ANSWERS_ID]:
        problems.append(
            f"{name}: the questionnaire and its answers ('{ANSWERS_ID}') must be the last two "
            f"cells, found {ids[-2:]}"
        )
    if ANSWERS_ID not in ids:
        return problems + [f"{name}: no answer cell (a code cell with id '{ANSWERS_ID}')"]
    answer_cell = cells[ids.index(ANSWERS_ID)]
    if answer_cell.cell_type != "code" or "remove-cell" not in answer_cell.metadata.get("tags", []):
        problems.append(f"{name}: the answer cell must be code tagged 'remove-cell' (hidden)")
    if "check_answers(ANSWERS)" not in answer_cell.source:
        problems.append(f"{name}: the answer cell must call check_answers(ANSWERS)")
    questions = questions_of(questions_cell.source)
    if not 5 <= len(questions) <= 8:
        problems.append(f"{name}: {len(questions)} questions, expected 5 to 8")
    try:
        answers = answers_of(answer_cell.source)
    except (ValueError, SyntaxError) as error:
        return problems + [f"{name}: the answer cell: {error}"]
    if sorted(answers) != list(range(1, len(questions) + 1)):
        problems.append(
            f"{name}: answers for questions {sorted(answers)}, expected one for each of "
            f"1..{len(questions)}"
        )
    return problems
