"""Why warmup works: the size of Adam's first steps (chapter 9).

Adam's bias correction makes the first step ``v_hat / sqrt(s_hat) = g_1 / |g_1|``: every
coordinate moves by the full ``alpha``, whatever its gradient, because ``s_hat`` is an average
of a single squared gradient. Over the next steps ``s_hat`` averages more and more gradients and
the steps shrink to their long-run size. These first, large and noisy steps (Liu et al. 2020:
the *variance* of ``1 / sqrt(s_hat)`` is unbounded for ``t <= 4``) are what warmup tames: a
schedule that starts ``alpha`` near 0 (``dldemos.schedules.linear_warmup``), or RAdam's
rectification (``dldemos.optim.RAdam``), which switches the adaptive step on gradually.

:func:`record_steps` trains a model and records, per step, the mini-batch loss and the mean
absolute change of the parameters: the quantity warmup controls.
"""

from __future__ import annotations

import numpy as np

from dldemos.data import random_mini_batches
from dldemos.seeding import make_rng
from dldemos.train import train_step

__all__ = ["record_steps"]


def record_steps(
    model, optimizer, X: np.ndarray, Y: np.ndarray, num_steps: int, batch_size: int, seed: int = 0
) -> dict[str, np.ndarray]:
    """Train for ``num_steps`` steps; return per-step ``"loss"`` (mini-batch, before the update),
    ``"step_size"``, the mean ``|theta_t - theta_{t-1}|`` over all parameters, and, for Adam and
    RAdam, ``"second_moment"``, ``sqrt(mean of s_hat over all weights)`` with the bias-corrected
    ``s_hat = s / (1 - beta2**t)``. A run whose loss stops being finite ends early."""
    rng = make_rng(seed)
    size = sum(value.size for value in model.param_dict.values())
    losses, sizes, moments = [], [], []
    with np.errstate(all="ignore"):
        while len(losses) < num_steps:
            for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng):
                before = {key: value.copy() for key, value in model.param_dict.items()}
                try:
                    losses.append(train_step(model, optimizer, X_t, Y_t))
                except ValueError:  # add_grad refuses a NaN or inf gradient: diverged
                    return {
                        "loss": np.array(losses + [np.inf]),
                        "step_size": np.array(sizes + [np.inf]),
                        "second_moment": np.array(moments + [np.inf]),
                    }
                change = sum(
                    float(np.abs(model.param_dict[key] - before[key]).sum()) for key in before
                )
                sizes.append(change / size)
                if "s" in optimizer.state:
                    s_mean = sum(float(s.sum()) for s in optimizer.state["s"].values()) / size
                    moments.append(np.sqrt(s_mean / (1 - optimizer.beta2**optimizer.num_step)))
                if len(losses) >= num_steps:
                    break
    return {
        "loss": np.array(losses),
        "step_size": np.array(sizes),
        "second_moment": np.array(moments),
    }
