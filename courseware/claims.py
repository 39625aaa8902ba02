"""Checked claims: every sentence of the book that reports an experiment's outcome.

The prose of a chapter says what an experiment shows ("Adam reaches the target in fewer
steps than momentum", "the ratio is about 3"). Right after the cell that computes the
numbers, a cell hidden from the reader (tag ``remove-input``) checks the sentence, with the
sentence's own numbers in the condition::

    claim("Adam needs at most half of momentum's steps", adam / momentum, below=0.5)
    claim("the ratio is about 3", ratio, about=3, rtol=0.15)
    claim("the dev accuracy lies between 0.9 and 0.95", acc, between=(0.9, 0.95))
    claim("every seed diverges", all(diverged), seeds=seeds)    # a plain fact: no margin

It prints one short line, ``✓ Adam needs ... (value=0.41 < 0.5, margin 18%)``, so the reader
sees that the sentence was checked and on which numbers. When the experiment stops
supporting the sentence it raises :class:`ClaimFailed` with the same numbers, and the book
build (and ``make test``, which executes every chapter) fails at that cell.

**Margins.** A comparison claim also reports its *margin*: how far the number is from the
threshold, relative to the threshold (``(value - above) / |above|``, ``(below - value) /
|below|``; for ``about`` the unused part of the tolerance, relative to the target). A claim
that holds by a hair on one machine fails on another (other BLAS kernels, other seeds), so
``make claims`` runs every chapter under several configurations and flags every margin under
``min_margin`` (5 % by default). A sentence that states its own variation ("in two of three
seeds", "in this run") may lower it with ``min_margin=0``.

**Modes** (environment variables, read at every call):

- ``DLDEMOS_CLAIMS=warn``: a failed claim prints a warning with its numbers instead of
  raising (live notebooks in class: the lecture goes on). A live notebook also tells
  :func:`class_context` what the book's own run gave for each sentence and which live cell
  came before it, so that the warning says what the class is seeing ("this run gave 3 where
  the book's run gave about 0.41: probably a typo in live cell 2") rather than how to edit
  the book;
- ``DLDEMOS_CLAIMS=record``: a failed claim is only recorded (the claims matrix, which wants
  every claim of a chapter, not only the first failure);
- ``DLDEMOS_CLAIMS_LOG=path``: every claim appends one JSON line (sentence, value, threshold,
  margin, whether it held) to ``path``.
"""

from __future__ import annotations

import json
import math
import numbers
import os

import numpy as np

__all__ = ["MIN_MARGIN", "ClaimFailed", "claim", "class_context", "margin"]

MIN_MARGIN = 0.05
MODE_VARIABLE = "DLDEMOS_CLAIMS"
LOG_VARIABLE = "DLDEMOS_CLAIMS_LOG"
# what the class is told after the sentence and this run's numbers (DLDEMOS_CLAIMS=warn)
WARN_EXPLANATION = (
    " The book's own run supports this sentence; the numbers here differ "
    "(another machine's arithmetic, other seeds, or the code typed in class). "
    "The lecture goes on: a good moment to ask the class what changed."
)
# what a live notebook says of each sentence: the book's value and the live cell before it
_CLASS_CONTEXT: dict[str, dict] = {}


def class_context(sentences: dict[str, dict]) -> None:
    """Called by a live notebook's first cell (:func:`courseware.live.claims_warn_cell`): for
    each sentence, ``{"book": the value the book's run printed (or None), "live_cell": "live
    cell 2 (cell 14)" or None}``; a warning in class names them."""
    _CLASS_CONTEXT.clear()
    _CLASS_CONTEXT.update(sentences)


def _warning(sentence: str, value, threshold: str | None, behind: list[str]) -> str:
    """What the class is told when a sentence does not hold in this run (warn mode):
    ``threshold`` is None for a plain fact; ``behind`` the other numbers, printed."""
    context = _CLASS_CONTEXT.get(sentence, {})
    numbers = f"; {', '.join(behind)}" if behind else ""
    if threshold is None:
        head = f"⚠ This run does not bear out the sentence {sentence!r}{numbers}"
    elif context.get("book") is not None:
        head = (
            f"⚠ This run gave {_format(value)} where the book's run gave about "
            f"{context['book']} (the sentence: {sentence!r}, which needs {threshold}{numbers})"
        )
    else:
        head = (
            f"⚠ This run gave {_format(value)} where the sentence needs {threshold} "
            f"(the sentence: {sentence!r}{numbers})"
        )
    if context.get("live_cell"):
        return (
            f"{head}: probably a typo in an earlier live cell ({context['live_cell']}); "
            "compare it with the notes. The lecture goes on."
        )
    return f"{head}.{WARN_EXPLANATION}"


class ClaimFailed(AssertionError):
    """A sentence of the book that the chapter's own numbers no longer support."""


def _format(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    array = np.asarray(value) if isinstance(value, (list, tuple, np.ndarray)) else None
    if array is not None and array.dtype != object and array.size <= 8:
        return "[" + ", ".join(_format(v) for v in array.ravel().tolist()) + "]"
    return str(value)


def _relative(difference: float, scale: float) -> float:
    scale = abs(scale)
    if scale == 0:
        return math.copysign(math.inf, difference) if difference else 0.0
    return difference / scale


def margin(value, *, above=None, below=None, about=None, rtol=None, between=None) -> float:
    """The relative margin of ``value`` against one threshold (negative: the claim fails).

    ``above=a``: ``(min(value) - a) / |a|``; ``below=b``: ``(b - max(value)) / |b|``;
    ``between=(a, b)``: the smaller of the two; ``about=t, rtol=r``: ``r - |value/t - 1|``
    for the value farthest from ``t`` (the unused part of the tolerance). NaN fails.
    """
    given = [
        name
        for name, bound in (
            ("above", above),
            ("below", below),
            ("about", about),
            ("between", between),
        )
        if bound is not None
    ]
    if len(given) != 1:
        raise TypeError(
            f"claim: give exactly one of above=, below=, about=, between= (got {given})"
        )
    values = np.asarray(value, dtype=float).ravel()
    if values.size == 0:
        raise ValueError("claim: the value is empty")
    if np.isnan(values).any():
        return -math.inf
    if above is not None:
        return _relative(float(values.min()) - above, above)
    if below is not None:
        return _relative(below - float(values.max()), below)
    if between is not None:
        low, high = between
        if not low < high:
            raise ValueError(f"claim: between=({low}, {high}) is empty")
        return min(
            _relative(float(values.min()) - low, low), _relative(high - float(values.max()), high)
        )
    if rtol is None or rtol <= 0:
        raise TypeError(f"claim: about= needs a positive rtol= (got rtol={rtol!r})")
    worst = float(np.max(np.abs(values - about)))
    return rtol - _relative(worst, about)


def _threshold_text(above, below, about, rtol, between) -> str:
    if above is not None:
        return f"> {_format(above)}"
    if below is not None:
        return f"< {_format(below)}"
    if between is not None:
        return f"in ({_format(between[0])}, {_format(between[1])})"
    return f"≈ {_format(about)} ± {rtol:.0%}"


def _jsonable(value):
    """NumPy scalars and small arrays as JSON numbers and lists; anything else as it prints."""
    if isinstance(value, np.generic) and not isinstance(value, (np.str_, np.bytes_)):
        return value.item()
    if isinstance(value, np.ndarray) and value.dtype != object and value.size <= 64:
        return value.tolist()
    return _format(value)


def _log(record: dict) -> None:
    path = os.environ.get(LOG_VARIABLE)
    if path:
        with open(path, "a", encoding="utf-8") as file:
            file.write(json.dumps(record, default=_jsonable) + "\n")


def claim(
    sentence: str,
    value,
    /,
    *,
    above=None,
    below=None,
    about=None,
    rtol=None,
    between=None,
    min_margin: float = MIN_MARGIN,
    **numbers_behind_it,
) -> None:
    """Check that ``sentence`` is true of this run.

    ``value`` is either a boolean (a plain fact: "every seed diverges") or the number (or
    array of numbers, each of which must pass) that the sentence states, compared with
    exactly one of ``above``, ``below``, ``between=(low, high)`` or ``about`` (with
    ``rtol``). ``numbers_behind_it`` are further values the sentence rests on; they are
    printed beside it and named in the error. ``min_margin`` is the smallest margin the
    claims matrix accepts for this claim (see the module docstring).
    """
    compared = any(bound is not None for bound in (above, below, about, between))
    if compared:
        held_by = margin(value, above=above, below=below, about=about, rtol=rtol, between=between)
        holds = held_by >= 0
        shown = [f"value={_format(value)} {_threshold_text(above, below, about, rtol, between)}"]
        if math.isfinite(held_by):
            shown.append(f"margin {held_by:.0%}" if held_by < 10 else "margin > 1000%")
    else:
        if not isinstance(value, (bool, np.bool_)):
            raise TypeError(
                f"claim({sentence!r}): give a boolean, or a number with above=, "
                f"below=, about= or between=; got {type(value).__name__} {value!r:.80}"
            )
        held_by, holds, shown = None, bool(value), []
    behind = [f"{name}={_format(number)}" for name, number in numbers_behind_it.items()]
    shown += behind
    text = f" ({', '.join(shown)})" if shown else ""
    _log(
        {
            "sentence": sentence,
            "holds": holds,
            "margin": held_by,
            "min_margin": min_margin,
            "value": value if compared else bool(value),
            "threshold": _threshold_text(above, below, about, rtol, between) if compared else None,
            "numbers": numbers_behind_it,
        }
    )
    if holds:
        print(f"✓ {sentence}{text}")
        return
    mode = os.environ.get(MODE_VARIABLE, "strict")
    if mode == "warn":
        threshold = _threshold_text(above, below, about, rtol, between) if compared else None
        print(_warning(sentence, value, threshold, behind))
    elif mode == "record":
        print(f"✗ {sentence}{text}")
    else:
        raise ClaimFailed(
            f"The book says: {sentence!r}, but this run does not support it{text}. "
            "Reword the sentence or find out what changed in the experiment."
        )
