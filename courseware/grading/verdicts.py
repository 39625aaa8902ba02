"""Verdicts, decided in the trusted grading process from records alone.

A test cell earns its points when the student's run of it (in the sandbox) recorded the same
checks as the solution's run of it (in a separate, trusted run) and every recorded value
agrees with the solution's: numbers within the check's tolerance, everything else exactly.
The expected values the student's process computed are never used, so nothing an answer cell
does to the checks, to NumPy, to PyTorch or to the interpreter changes a verdict; it can only
change its own records, and only right answers make them agree with the solution's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from courseware import checks
from courseware.mutants import describe_difference
from courseware.records import Opaque, Unreadable
from courseware.untrusted import printable

MAX_MESSAGE = 400


@dataclass
class Verdict:
    """The result of one test cell."""

    grade_id: str
    points: float
    max_points: float
    message: str = ""  # why points were lost ("" when none were)


def _numeric(value) -> bool:
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001 (ragged lists and the like: not numbers)
        return False
    return array.dtype != object and (
        np.issubdtype(array.dtype, np.floating) or np.issubdtype(array.dtype, np.complexfloating)
    )


def _same_structure(got, expected, what: str, hint: str, rtol: float, atol: float) -> None:
    """``got`` equals ``expected``: numbers within the tolerance, the rest exactly."""
    if isinstance(expected, (list, tuple)) and not _numeric(expected):
        if type(got) is not type(expected) or len(got) != len(expected):
            checks.expect_equal(got, expected, what, hint)
        for i, (g, e) in enumerate(zip(got, expected)):
            _same_structure(g, e, f"{what}[{i}]", hint, rtol, atol)
    elif isinstance(expected, dict):
        checks.expect_equal(
            sorted(map(repr, got)) if isinstance(got, dict) else got,
            sorted(map(repr, expected)),
            f"{what}: keys",
            hint,
        )
        for key, e in expected.items():
            _same_structure(got[key], e, f"{what}[{key!r}]", hint, rtol, atol)
    elif isinstance(expected, np.ndarray) or isinstance(expected, np.generic):
        if isinstance(got, (np.ndarray, np.generic)) and got.dtype != expected.dtype:
            checks.expect_dtype(got, expected.dtype, what, hint)  # float32 where float64 is asked
        if _numeric(expected):
            checks.expect_close(got, expected, what, hint, rtol=rtol, atol=atol)
        else:
            checks.expect_equal(
                got if isinstance(got, np.ndarray) else np.asarray(got),
                np.asarray(expected),
                what,
                hint,
            )
    elif isinstance(expected, list):  # a list of numbers
        checks.expect_close(got, expected, what, hint, rtol=rtol, atol=atol)
    elif (
        isinstance(expected, float)
        and isinstance(got, (int, float, np.integer, np.floating))
        and not isinstance(got, bool)
    ):
        checks.expect_close(got, expected, what, hint, rtol=rtol, atol=atol)
    else:
        checks.expect_equal(got, expected, what, hint)


def compare(student: dict, solution: dict) -> None:
    """Raise ``AssertionError`` unless the student's record agrees with the solution's."""
    kind, what, hint = solution.get("kind"), solution.get("what", ""), solution.get("hint", "")
    if "invalid" in student:
        raise AssertionError(
            f"{what}: the test's record could not be checked ({student['invalid']})."
        )
    got, expected = student.get("got"), solution.get("got")
    if isinstance(got, (Unreadable, Opaque)):
        raise AssertionError(f"{what}: the value could not be checked ({got!r}).")
    if student.get("kind") != kind or student.get("what") != what:
        raise AssertionError(
            f"{what}: the test took another path than with the solution "
            f"(it reached {student.get('what')!r} instead)."
        )
    if kind == "close":
        checks.expect_close(
            got,
            expected,
            what,
            hint,
            rtol=solution.get("rtol", 1e-6),
            atol=solution.get("atol", 1e-9),
        )
    elif kind == "equal":
        checks.expect_equal(got, expected, what, hint)
    elif kind == "shape":
        checks.expect_shape(got, np.shape(expected), what, hint)
    elif kind == "dtype":
        checks.expect_dtype(got, getattr(expected, "dtype", None), what, hint)
    elif kind == "true":
        message = str(student.get("message", ""))[:MAX_MESSAGE] or "the condition does not hold"
        checks.expect_true(got, what, message, hint)
    elif kind == "solution":
        _same_structure(
            got, expected, what, hint, solution.get("rtol", 1e-9), solution.get("atol", 1e-12)
        )
    else:
        raise AssertionError(f"{what}: unknown check {kind!r}")


def verdict(
    grade_id: str,
    max_points: float,
    student: list[dict] | None,
    solution: list[dict],
    error: str,
    hidden_from: int | None = None,
) -> Verdict:
    """The verdict on one test cell from the two record streams and the error the student's
    run of the cell ended with ("" if none).

    ``hidden_from`` is the first line of the cell's hidden tests (None: show everything).
    A failed check that the solution's run made on a line from there on is a hidden check:
    its message says what differs in words (:func:`courseware.mutants.describe_difference`),
    never its description, inputs, hint or expected value."""
    if student is None:
        return Verdict(grade_id, 0.0, max_points, _short(error or "the test cell did not run"))
    for mine, reference in zip(student, solution):
        try:
            compare(mine, reference)
        except AssertionError as failure:
            message = str(failure)
            if hidden_from is not None and reference.get("line", 0) >= hidden_from:
                message = f"a hidden check failed: {_difference(mine, reference)}"
            return Verdict(grade_id, 0.0, max_points, _short(message))
        except Exception as failure:  # noqa: BLE001 (a value of a shape no check expects)
            return Verdict(
                grade_id,
                0.0,
                max_points,
                _short(
                    f"{reference.get('what', '')}: the value could not be compared with the solution's "
                    f"({type(failure).__name__}: {failure})"
                ),
            )
    if error:
        return Verdict(grade_id, 0.0, max_points, _short(error))
    if len(student) != len(solution):
        return Verdict(
            grade_id,
            0.0,
            max_points,
            f"the test made {len(student)} of the solution's {len(solution)} checks",
        )
    return Verdict(grade_id, max_points, max_points)


def _difference(mine: dict, reference: dict) -> str:
    if "invalid" in mine or mine.get("kind") != reference.get("kind"):
        return "the test took another path than with the solution"
    if reference.get("kind") == "true":
        return "a condition the solution meets does not hold"
    if reference.get("kind") == "dtype":
        return "your answer's dtype differs from the solution's"
    if reference.get("kind") == "shape":
        return "your answer's shape differs from the solution's"
    try:
        return describe_difference(mine.get("got"), reference.get("got"))
    except Exception:  # noqa: BLE001 (values describe_difference cannot read)
        return "your value differs from the solution's"


def _short(text: str) -> str:
    text = printable(text)
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."
