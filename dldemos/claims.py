"""Checked claims: every sentence of the book that reports an experiment's outcome.

The prose of a chapter says what an experiment shows ("Adam reaches the target in fewer
steps than momentum", "the ratio is 3.2 at step 100"). Right after the cell that computes
the numbers, a cell hidden from the reader (tag ``remove-input``) checks the sentence::

    claim("Adam reaches the target in fewer steps than momentum",
          adam_steps < momentum_steps, adam=adam_steps, momentum=momentum_steps)

It prints one short line, ``✓ Adam reaches the target ... (adam=41, momentum=97)``, so the
reader sees that the sentence was checked and on which numbers; when the experiment stops
supporting the sentence it raises :class:`ClaimFailed` with the same numbers, and the book
build (and ``make test``, which executes every chapter) fails at that cell.

``tests/test_book_claims.py`` counts the ``claim(...)`` calls of every chapter.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["ClaimFailed", "claim"]


class ClaimFailed(AssertionError):
    """A sentence of the book that the chapter's own numbers no longer support."""


def _format(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        return f"{float(value):.4g}"
    return str(value)


def claim(sentence: str, holds, **numbers_behind_it) -> None:
    """Check that ``sentence`` is true of this run: ``holds`` must be a true boolean.

    ``numbers_behind_it`` are the values the sentence rests on; they are printed beside the
    sentence and named in the error when it fails.
    """
    if not isinstance(holds, (bool, np.bool_)):
        raise TypeError(f"claim({sentence!r}): the condition must be a boolean, got "
                        f"{type(holds).__name__} {holds!r}")
    shown = ", ".join(f"{name}={_format(value)}" for name, value in numbers_behind_it.items())
    shown = f" ({shown})" if shown else ""
    if not holds:
        raise ClaimFailed(f"The book says: {sentence!r}, but this run does not support it{shown}. "
                          "Reword the sentence or find out what changed in the experiment.")
    print(f"✓ {sentence}{shown}")
