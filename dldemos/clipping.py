"""Gradient clipping: cap the step when a gradient explodes (chapter 9).

A gradient can be huge for one step (a cliff in the loss, a long product of weights in a deep
or recurrent network, one bad mini-batch); the update ``alpha * g`` then throws the
parameters far away and training never recovers. Clipping bounds the gradient before the
optimizer sees it. It caps the *gradient*, not the step: plain SGD's step is then at most
``alpha * max_norm``, but with momentum (``u = mu * u + g``, PyTorch's form) the buffer sums
clipped gradients, and a step can reach ``alpha * max_norm / (1 - mu)``:

* **by global norm** (Pascanu, Mikolov & Bengio 2013): with ``n = sqrt(sum over all arrays
  of sum g**2)``, every gradient is multiplied by ``min(1, max_norm / (n + 1e-6))``. The
  direction is kept; only the length is capped. This is ``torch.nn.utils.clip_grad_norm_``.
* **by value**: every entry is clipped to ``[-clip_value, clip_value]``, which changes the
  direction; ``torch.nn.utils.clip_grad_value_``.

Both change the arrays of ``grad_dict`` in place (as PyTorch changes ``p.grad``), so in the
training loop they go between ``add_grad`` and ``step``::

    optimizer.zero_grad()
    optimizer.add_grad(model.get_grad_dict())
    clip_by_global_norm(optimizer.grad_dict, max_norm=1.0)
    optimizer.step()
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from dldemos.seeding import make_rng

__all__ = ["global_norm", "clip_by_global_norm", "clip_by_value"]


def global_norm(grad_dict: Mapping[str, np.ndarray]) -> float:
    """``sqrt(sum of g**2 over every entry of every array)``: the length of the whole gradient."""
    return math.sqrt(sum(float(np.sum(np.square(g, dtype=np.float64))) for g in grad_dict.values()))


def clip_by_global_norm(grad_dict: Mapping[str, np.ndarray], max_norm: float) -> float:
    """Scale every gradient by ``min(1, max_norm / (n + 1e-6))`` in place; return ``n``, the
    global norm *before* clipping (as ``torch.nn.utils.clip_grad_norm_`` does)."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
    norm = global_norm(grad_dict)
    if not math.isfinite(norm):
        raise ValueError(f"the gradient's global norm is {norm}: a gradient holds NaN or inf")
    scale = min(1.0, max_norm / (norm + 1e-6))
    for g in grad_dict.values():
        g *= scale
    return norm


def clip_by_value(grad_dict: Mapping[str, np.ndarray], clip_value: float) -> None:
    """Clip every entry to ``[-clip_value, clip_value]`` in place (``clip_grad_value_``)."""
    if not clip_value > 0:
        raise ValueError(f"clip_value must be > 0, got {clip_value!r}")
    for g in grad_dict.values():
        np.clip(g, -clip_value, clip_value, out=g)


def train_with_clipping(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    epochs: int,
    batch_size: int,
    max_norm: float | None = None,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Mini-batch training with the global norm clipped to ``max_norm`` (None: no clipping).

    Returns per-step ``"loss"`` (before the update), ``"grad_norm"`` (before clipping) and
    ``"step_norm"``, the global norm of the change of the parameters. A run whose loss or
    gradient stops being finite ends there, its last loss ``inf``: it diverged.
    """
    from dldemos.data import random_mini_batches

    rng = make_rng(seed)
    losses, norms, steps = [], [], []
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng):
                loss = float(model.loss(Y_t, model.forward(X_t)))
                grads = model.backward(Y_t)
                norm = global_norm(grads)
                if not (math.isfinite(loss) and math.isfinite(norm)):
                    losses.append(math.inf)
                    return {
                        "loss": np.array(losses),
                        "grad_norm": np.array(norms + [math.inf]),
                        "step_norm": np.array(steps),
                    }
                optimizer.zero_grad()
                optimizer.add_grad(grads)
                if max_norm is not None:
                    clip_by_global_norm(optimizer.grad_dict, max_norm)
                before = {key: value.copy() for key, value in model.param_dict.items()}
                optimizer.step()
                steps.append(
                    global_norm({key: model.param_dict[key] - before[key] for key in before})
                )
                losses.append(loss)
                norms.append(norm)
    return {"loss": np.array(losses), "grad_norm": np.array(norms), "step_norm": np.array(steps)}
