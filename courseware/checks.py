"""The checks that homework test cells use (``solutions/hwNN``, ``exercises/hwNN``).

Each check compares a student's answer with an expected value and, when they differ,
raises ``AssertionError`` with a message a student can act on: *what* was checked
(``"step 3: p"``), the expected and the actual value at the first place they differ, and
a *hint* naming the usual mistake::

    expect_close(p, p_ref, what="step 3: p",
                 hint="did you apply bias correction before the update?")
    # AssertionError: step 3: p: expected -0.2741 at index (1, 0), got -0.2762
    #   (largest difference 0.0021, tolerance 2.7e-07). Hint: did you apply ...

Hidden tests check against the solution instead of holding expected values:
``expect_solution(got, what, hint, rtol, atol)`` says "``got`` must be what the solution's own
functions give at this point of this test".

How the autograder uses these checks (:mod:`courseware.grading`). In a graded run, every call
first *records* its kind, label and ``got`` (``$DLDEMOS_GRADING_RECORDS``, see
:mod:`courseware.records`), then compares as usual. The records of the student's
notebook, run in a sandbox, are compared in the trusted grading process with the records of
the same test cells run on the solution: the verdict never depends on a comparison made in
the student's process, so an answer cell that replaces these functions, NumPy or the
interpreter only changes its own records. In a graded run a failed check does not stop its
test cell either: the cell goes on (up to :data:`MAX_FAILURES` failed checks) and records every
later check too, so that the diagnosis (:mod:`courseware.grading.diagnosis`) compares all that
the answer does, not only where it first goes wrong. Outside a graded run (a student running the
notebook, ``make check``) the checks compare in place and ``expect_solution`` has nothing to
compare with, so it passes.

The few NumPy functions used are bound to private names when this module is first imported,
and no NumPy testing helper is used, so replacing ``np.allclose`` and friends does not change
what ``make check`` says either.
"""

from __future__ import annotations

import functools
import sys

import numpy as _np

_asarray = _np.asarray
_absolute = _np.absolute
_unravel_index = _np.unravel_index
_seed = _np.random.seed
_issubdtype = _np.issubdtype
_floating = _np.floating
_integer = _np.integer
_number = _np.number
_bool = _np.bool_
_dtype = _np.dtype
_ndarray = _np.ndarray

__all__ = [
    "expect_close",
    "expect_equal",
    "expect_shape",
    "expect_dtype",
    "expect_true",
    "expect_solution",
]


def _recorder():
    """The graded run's recorder (None outside a graded run); created on first use."""
    global _the_recorder
    if _the_recorder is False:
        from courseware.records import recorder_from_environment

        _the_recorder = recorder_from_environment()
    return _the_recorder


_the_recorder = False


# failed checks after which a graded test cell stops, as outside a graded run
MAX_FAILURES = 3
_failures = 0


def _goes_on_in_a_graded_run(check):
    """``check``, except that in a graded run its failure is recorded and the test cell goes
    on (the verdict is decided from the records, in the trusted grader), up to
    :data:`MAX_FAILURES` failed checks in the cell; everywhere else it raises."""

    @functools.wraps(check)
    def checked(*args, **kwargs) -> None:
        global _failures
        try:
            check(*args, **kwargs)
        except AssertionError:
            recorder = _recorder()
            if recorder is None or recorder.cell is None or _failures >= MAX_FAILURES:
                raise
            _failures += 1

    return checked


def _record(kind: str, got, **details) -> None:
    recorder = _recorder()
    if recorder is not None:
        recorder.record(kind, got, line=_caller_line(), **details)


def _caller_line() -> int:
    """The line of the test cell that made the check (the first frame outside this module):
    the grader tells a hidden check from a visible one by it, in the solution's run."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    return frame.f_lineno if frame is not None else 0


def _start_cell(grade_id: str) -> None:
    """Called by the grading runner right before the test cell ``grade_id`` runs. The global
    generators (Python's, NumPy's, PyTorch's if loaded) start every test cell from the same
    seed, in the student's run and in the runs of the solution and its mistakes alike, so an
    answer that draws from them gives the same values in each, and its records can agree."""
    global _failures
    recorder = _recorder()
    if recorder is not None:
        recorder.start_cell(grade_id)
        _failures = 0
        _seed_global_generators(0)


def _seed_global_generators(seed: int) -> None:
    import random

    random.seed(seed)
    _seed(seed)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(seed)


def _fail(what: str, message: str, hint: str) -> None:
    text = f"{what}: {message}" if what else message
    if hint:
        text += f" Hint: {hint}"
    raise AssertionError(text)


def _describe(value) -> str:
    if isinstance(value, _ndarray):
        return f"an array of shape {value.shape} and dtype {value.dtype}"
    return f"{type(value).__name__} {value!r}"


def _as_numeric_array(value, what: str, expected_shape, hint: str):
    """``value`` as an array of numbers, or a failure that says what came back instead."""
    if value is None:
        _fail(
            what,
            f"expected an array of shape {expected_shape}, got None.",
            hint or "does your function end with a `return` statement?",
        )
    try:
        array = _asarray(value)
    except (TypeError, ValueError):
        array = None
    if array is None or not (_issubdtype(array.dtype, _number) or array.dtype == _bool):
        _fail(what, f"expected numbers of shape {expected_shape}, got {_describe(value)}.", hint)
    return array


def _first(wrong):
    """The index of the first ``True`` of a boolean array, as a tuple of ints."""
    return tuple(int(i) for i in _unravel_index(int(wrong.argmax()), wrong.shape))


def _format_index(index) -> str:
    return f" at index {index}" if index != () else ""


@_goes_on_in_a_graded_run
def expect_shape(got, shape, what: str = "", hint: str = "") -> None:
    """Fail unless ``got`` is an array (or array-like) of exactly ``shape``."""
    shape = tuple(shape)
    _record("shape", got, what=what, hint=hint)
    array = _as_numeric_array(got, what, shape, hint)
    if array.shape != shape:
        _fail(what, f"expected shape {shape}, got shape {array.shape}.", hint)


@_goes_on_in_a_graded_run
def expect_dtype(got, dtype, what: str = "", hint: str = "") -> None:
    """Fail unless ``got`` is a NumPy array (or scalar) of dtype ``dtype``."""
    dtype = _dtype(dtype)
    _record("dtype", got, what=what, hint=hint)
    got_dtype = getattr(got, "dtype", None)
    if got_dtype != dtype:
        found = f"dtype {got_dtype}" if got_dtype is not None else _describe(got)
        _fail(
            what,
            f"expected dtype {dtype}, got {found}.",
            hint
            or f"keep the input's dtype: a {dtype} input must give a {dtype} result "
            "(e.g. avoid mixing in float64 arrays or np.float64 scalars)",
        )


@_goes_on_in_a_graded_run
def expect_close(
    got, expected, what: str = "", hint: str = "", rtol: float = 1e-6, atol: float = 1e-9
) -> None:
    """Fail unless ``got`` has the shape of ``expected`` and
    ``|got - expected| <= atol + rtol * |expected|`` holds everywhere (NaN never passes)."""
    _record("close", got, what=what, hint=hint, rtol=rtol, atol=atol)
    expected = _asarray(expected, dtype=float)
    array = _as_numeric_array(got, what, expected.shape, hint)
    if array.shape != expected.shape:
        _fail(what, f"expected shape {expected.shape}, got shape {array.shape}.", hint)
    values = array.astype(float)
    difference = _absolute(values - expected)
    wrong = ~(difference <= atol + rtol * _absolute(expected))
    if wrong.any():
        position = _first(wrong)
        _fail(
            what,
            f"expected {expected[position]:.6g}{_format_index(position)}, got "
            f"{values[position]:.6g} (largest difference {difference.max():.3g}; "
            f"{int(wrong.sum())} of {expected.size} values wrong).",
            hint,
        )


@_goes_on_in_a_graded_run
def expect_equal(got, expected, what: str = "", hint: str = "") -> None:
    """Fail unless ``got == expected`` exactly: plain values (ints, strings, lists, tuples)
    are compared with ``==``, arrays element by element after checking their shape."""
    _record("equal", got, what=what, hint=hint)
    if isinstance(expected, _ndarray):
        array = _as_numeric_array(got, what, expected.shape, hint)
        if array.shape != expected.shape:
            _fail(what, f"expected shape {expected.shape}, got shape {array.shape}.", hint)
        wrong = ~(array == expected)
        if wrong.any():
            position = _first(wrong)
            _fail(
                what,
                f"expected {expected[position].item()!r}{_format_index(position)}, got "
                f"{array[position].item()!r} ({int(wrong.sum())} of {expected.size} values differ).",
                hint,
            )
    elif type(got) is not type(expected) and not (
        _is_plain_number(got) and _is_plain_number(expected)
    ):
        _fail(what, f"expected {type(expected).__name__} {expected!r}, got {_describe(got)}.", hint)
    elif not got == expected:
        _fail(what, f"expected {expected!r}, got {got!r}.", hint)


def _is_plain_number(value) -> bool:
    return isinstance(value, (int, float, _integer, _floating)) and not isinstance(value, bool)


@_goes_on_in_a_graded_run
def expect_true(condition, what: str = "", message: str = "", hint: str = "") -> None:
    """Fail with ``message`` unless ``condition`` is exactly ``True`` (a Python or NumPy bool)."""
    _record("true", condition, what=what, hint=hint, message=str(message)[:500])
    if not (condition is True or (isinstance(condition, _bool) and bool(condition))):
        _fail(what, message, hint)


def expect_solution(
    got, what: str = "", hint: str = "", rtol: float = 1e-9, atol: float = 1e-12
) -> None:
    """``got`` must be what the solution's own functions give at this point of the test:
    numbers within ``|got - solution| <= atol + rtol * |solution|``, anything else exactly
    (type, shape, dtype and value). Only a graded run can tell (see the module docstring):
    hidden tests use it so that no expected value is ever computed in the student's process."""
    _record("solution", got, what=what, hint=hint, rtol=rtol, atol=atol)
