"""The checks that homework test cells use (``solutions/hwNN``, ``exercises/hwNN``).

Each check compares a student's answer with an expected value and, when they differ,
raises ``AssertionError`` with a message a student can act on: *what* was checked
(``"step 3: p"``), the expected and the actual value at the first place they differ, and
a *hint* naming the usual mistake::

    expect_close(p, p_ref, what="step 3: p",
                 hint="did you apply bias correction before the update?")
    # AssertionError: step 3: p: expected -0.2741 at index (1, 0), got -0.2762
    #   (largest difference 0.0021, tolerance 2.7e-07). Hint: did you apply ...

The verdicts should not depend on what an answer cell can change (answer cells run in the
same kernel, before the test cells):

* no NumPy testing helper (``np.allclose``, ``np.isclose``, ``np.testing.*``,
  ``np.array_equal``) nor ``math.isclose`` is used, so an answer cell that replaces them to
  make every comparison pass changes nothing here;
* the few NumPy functions used are bound to private names when this module is first
  imported, which the notebook's first, locked cell does before any answer cell runs; the
  rest is arithmetic and comparison on arrays, which Python code cannot rebind;
* every test cell imports the checks it uses itself, so an answer cell that defines its own
  ``expect_close`` only shadows it until the next test cell.

This is not a sandbox: code that sets out to rewrite this module or the interpreter can
still fool it, as it can fool any test running in the student's own process.
"""

from __future__ import annotations

import numpy as _np

_asarray = _np.asarray
_absolute = _np.absolute
_unravel_index = _np.unravel_index
_issubdtype = _np.issubdtype
_floating = _np.floating
_integer = _np.integer
_number = _np.number
_bool = _np.bool_
_dtype = _np.dtype
_ndarray = _np.ndarray

__all__ = ["expect_close", "expect_equal", "expect_shape", "expect_dtype", "expect_true"]


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
        _fail(what, f"expected an array of shape {expected_shape}, got None.",
              hint or "does your function end with a `return` statement?")
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


def expect_shape(got, shape, what: str = "", hint: str = "") -> None:
    """Fail unless ``got`` is an array (or array-like) of exactly ``shape``."""
    shape = tuple(shape)
    array = _as_numeric_array(got, what, shape, hint)
    if array.shape != shape:
        _fail(what, f"expected shape {shape}, got shape {array.shape}.", hint)


def expect_dtype(got, dtype, what: str = "", hint: str = "") -> None:
    """Fail unless ``got`` is a NumPy array (or scalar) of dtype ``dtype``."""
    dtype = _dtype(dtype)
    got_dtype = getattr(got, "dtype", None)
    if got_dtype != dtype:
        found = f"dtype {got_dtype}" if got_dtype is not None else _describe(got)
        _fail(what, f"expected dtype {dtype}, got {found}.",
              hint or f"keep the input's dtype: a {dtype} input must give a {dtype} result "
                      "(e.g. avoid mixing in float64 arrays or np.float64 scalars)")


def expect_close(got, expected, what: str = "", hint: str = "",
                 rtol: float = 1e-6, atol: float = 1e-9) -> None:
    """Fail unless ``got`` has the shape of ``expected`` and
    ``|got - expected| <= atol + rtol * |expected|`` holds everywhere (NaN never passes)."""
    expected = _asarray(expected, dtype=float)
    array = _as_numeric_array(got, what, expected.shape, hint)
    if array.shape != expected.shape:
        _fail(what, f"expected shape {expected.shape}, got shape {array.shape}.", hint)
    values = array.astype(float)
    difference = _absolute(values - expected)
    wrong = ~(difference <= atol + rtol * _absolute(expected))
    if wrong.any():
        position = _first(wrong)
        _fail(what, f"expected {expected[position]:.6g}{_format_index(position)}, got "
                    f"{values[position]:.6g} (largest difference {difference.max():.3g}; "
                    f"{int(wrong.sum())} of {expected.size} values wrong).", hint)


def expect_equal(got, expected, what: str = "", hint: str = "") -> None:
    """Fail unless ``got == expected`` exactly: plain values (ints, strings, lists, tuples)
    are compared with ``==``, arrays element by element after checking their shape."""
    if isinstance(expected, _ndarray):
        array = _as_numeric_array(got, what, expected.shape, hint)
        if array.shape != expected.shape:
            _fail(what, f"expected shape {expected.shape}, got shape {array.shape}.", hint)
        wrong = ~(array == expected)
        if wrong.any():
            position = _first(wrong)
            _fail(what, f"expected {expected[position].item()!r}{_format_index(position)}, got "
                        f"{array[position].item()!r} ({int(wrong.sum())} of {expected.size} values differ).",
                  hint)
    elif type(got) is not type(expected) and not (_is_plain_number(got) and _is_plain_number(expected)):
        _fail(what, f"expected {type(expected).__name__} {expected!r}, got {_describe(got)}.", hint)
    elif not got == expected:
        _fail(what, f"expected {expected!r}, got {got!r}.", hint)


def _is_plain_number(value) -> bool:
    return isinstance(value, (int, float, _integer, _floating)) and not isinstance(value, bool)


def expect_true(condition, what: str = "", message: str = "", hint: str = "") -> None:
    """Fail with ``message`` unless ``condition`` is exactly ``True`` (a Python or NumPy bool)."""
    if not (condition is True or (isinstance(condition, _bool) and bool(condition))):
        _fail(what, message, hint)
