"""Seeds, and the switch that moves all of them at once (every chapter).

Every experiment in the book is seeded, so the same seed gives the same numbers. A sentence
about an outcome must not depend on *which* seed was picked, though: ``make claims`` runs
each chapter again with every seed moved by 1 and by 2, and the chapter's checked claims must
still hold. The switch is one environment variable, read at every call::

    DLDEMOS_SEED_SHIFT=1 jupyter nbconvert --execute book/04_schedules.ipynb

Every seed that ``dldemos`` turns into a generator goes through :func:`make_rng` (NumPy) or
:func:`manual_seed` (PyTorch), and the chapters use the same two for their own draws, so
``seed=0`` in a chapter means "seed 0, or 0 + shift under the switch". With the switch unset
(the default, and always in the unit tests) they are exactly ``np.random.default_rng(seed)``
and ``torch.manual_seed(seed)``.
"""

from __future__ import annotations

import os

import numpy as np

__all__ = ["SEED_SHIFT_VARIABLE", "make_rng", "manual_seed", "seed_shift", "shifted"]

SEED_SHIFT_VARIABLE = "DLDEMOS_SEED_SHIFT"


def seed_shift() -> int:
    """The shift set by ``$DLDEMOS_SEED_SHIFT`` (0 when unset)."""
    value = os.environ.get(SEED_SHIFT_VARIABLE, "").strip()
    if not value:
        return 0
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{SEED_SHIFT_VARIABLE} must be an integer, got {value!r}") from None


def shifted(seed):
    """``seed + shift`` for an integer seed; anything else (None, a Generator) unchanged."""
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return int(seed) + seed_shift()
    return seed


def make_rng(seed=None) -> np.random.Generator:
    """``np.random.default_rng(seed)``, with the seed moved by the shift."""
    return np.random.default_rng(shifted(seed))


def manual_seed(seed: int):
    """``torch.manual_seed(seed)``, with the seed moved by the shift."""
    import torch

    return torch.manual_seed(shifted(seed))
