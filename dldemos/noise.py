"""Gradient noise and batch size: the noise scale and the critical batch size (chapter 8).

A mini-batch gradient is the true gradient ``G`` plus noise: with per-example gradients
``g_i`` of covariance ``Sigma``, a batch of ``B`` examples has ``E|g_B - G|^2 = tr(Sigma) / B``.
McCandlish et al. compare that noise with the signal ``|G|^2``:

    B_simple = tr(Sigma) / |G|^2          (the "simple" gradient noise scale)

The paper's full noise scale ``B_noise = tr(H Sigma) / (G^T H G)`` weighs noise and signal by
the curvature ``H``; it needs the Hessian, and ``B_simple`` is what the paper measures in
practice (it equals ``B_noise`` when ``H`` is a multiple of the identity). No finite-sample
correction is applied: ``tr(Sigma) / B`` is the noise of ``B`` examples drawn with
replacement (without replacement from ``m`` it is smaller by ``(m - B) / (m - 1)``).

Below ``B_simple`` a batch is mostly noise, and doubling it halves the noise, so it halves the
steps needed (perfect scaling: the step can grow with ``B``, chapter 7's linear scaling
rule). Above it the gradient is already accurate, and a larger batch barely shortens the
run. The measured steps ``S`` and examples ``E = B S`` to reach a target follow

    S = S_min (1 + B_crit / B),     E = E_min (1 + B / B_crit)

and the *critical batch size* ``B_crit = E_min / S_min`` marks the knee; the paper finds
``B_crit ~ B_noise``, and ``B_simple`` of the same order. Source: McCandlish, Kaplan, Amodei et al., *An Empirical Model of
Large-Batch Training* (2018), sections 2 and 3 and appendix A.
"""

from __future__ import annotations

import numpy as np

from dldemos.seeding import make_rng

__all__ = [
    "per_example_gradients",
    "noise_scale",
    "fit_critical_batch",
    "steps_to_target",
    "steps_to_loss",
    "batch_size_sweep",
]


def per_example_gradients(model, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The gradient of the loss of every single example, shape ``(m, number of parameters)``
    (one row per column of ``X``; the parameters flattened in ``model.param_dict`` order)."""
    rows = []
    for i in range(X.shape[1]):
        model.forward(X[:, i : i + 1])
        grads = model.backward(Y[:, i : i + 1])
        rows.append(np.concatenate([np.ravel(grads[key]) for key in model.param_dict]))
    return np.array(rows)


def noise_scale(gradients: np.ndarray) -> float:
    """``B_simple = tr(Sigma) / |G|^2`` from per-example gradients (one per row): ``G`` their
    mean, ``tr(Sigma)`` the mean squared distance of a row from ``G``."""
    gradients = np.asarray(gradients, dtype=float)
    if gradients.ndim != 2 or gradients.shape[0] < 2:
        raise ValueError(f"need per-example gradients of shape (m >= 2, n), got {gradients.shape}")
    G = gradients.mean(axis=0)
    trace = np.mean(np.sum((gradients - G) ** 2, axis=1))
    return float(trace / np.sum(G**2))


def fit_critical_batch(batch_sizes, steps) -> tuple[float, float]:
    """``(S_min, B_crit)`` of ``S = S_min (1 + B_crit / B)``, fitted by least squares of the relative error of ``S``
    on ``1 / B`` (a straight line with intercept ``S_min`` and slope ``S_min B_crit``)."""
    B, S = np.asarray(batch_sizes, dtype=float), np.asarray(steps, dtype=float)
    if B.shape != S.shape or B.size < 2:
        raise ValueError(
            f"need as many step counts as batch sizes (>= 2), got {B.shape} and {S.shape}"
        )
    slope, intercept = np.polyfit(1 / B, S, 1, w=1 / S)  # relative errors: every B counts
    return float(intercept), float(slope / intercept)


def steps_to_target(losses, target: float) -> int | None:
    """The first step (index into ``losses``) at which the loss is at most ``target``, or None."""
    below = np.nonzero(np.asarray(losses, dtype=float) <= target)[0]
    return int(below[0]) if len(below) else None


def steps_to_loss(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    target: float,
    max_steps: int,
    seed: int = 0,
    check_every: int = 1,
) -> int | None:
    """Train with mini-batches of ``batch_size`` until the loss on the whole of ``(X, Y)``
    is at most ``target``; return the number of steps taken, or None after ``max_steps``
    (or when the loss stops being finite). The loss is computed every ``check_every`` steps
    (the count is then rounded up to a multiple of it)."""
    from dldemos.data import random_mini_batches
    from dldemos.train import train_step

    rng = make_rng(seed)
    steps = 0
    with np.errstate(all="ignore"):
        while steps < max_steps:
            for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng):
                try:
                    train_step(model, optimizer, X_t, Y_t)
                except ValueError:  # add_grad refuses a NaN or inf gradient: diverged
                    return None
                steps += 1
                if steps % check_every and steps < max_steps:
                    continue
                loss = float(model.loss(Y, model.forward(X, train_mode=False)))
                if loss <= target:
                    return steps
                if not np.isfinite(loss) or steps >= max_steps:
                    return None
    return None


def batch_size_sweep(
    make_model,
    make_optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    batch_sizes,
    learning_rates,
    target: float,
    max_steps: int,
    seed: int = 0,
) -> dict[int, tuple[int | None, float]]:
    """For each batch size the fewest steps to reach ``target`` over ``learning_rates`` (each
    optimizer tuned at each batch size, as McCandlish et al. do): ``B -> (steps, best rate)``.
    A run stops once it has taken as many steps as the best so far; small batches check the
    loss every ``ceil(32 / B)`` steps."""
    result = {}
    for B in batch_sizes:
        best = (None, float("nan"))
        for lr in learning_rates:
            model = make_model()
            limit = max_steps if best[0] is None else best[0] - 1
            steps = steps_to_loss(
                model,
                make_optimizer(model.param_dict, lr),
                X,
                Y,
                B,
                target,
                limit,
                seed,
                check_every=-(-32 // B),
            )
            if steps is not None and (best[0] is None or steps < best[0]):
                best = (steps, float(lr))
        result[int(B)] = best
    return result
