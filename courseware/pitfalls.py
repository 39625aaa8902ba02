"""The pitfalls each chapter teaches, caught and named when they are typed in class.

A live cell (see :mod:`courseware.teaching`) is checked against ``dldemos`` by
:func:`courseware.live.check_live`. A check on the chapter's own data can be blind to the
very mistake the chapter warns about: RMSProp with ``eps`` inside the square root follows
the same path on the bowl, where no squared gradient comes near ``eps``. So each live cell
that teaches a pitfall has an entry here, :data:`LIVE_PITFALLS`:

- ``probe``: an expression, evaluated in the notebook, that uses what was typed on inputs
  chosen to show the pitfalls (gradients from ``1e-5`` to ``2``, where ``eps = 1e-8`` and
  the square root matter; a few steps, where bias correction matters); ``reference``: the
  same from ``dldemos``;
- ``pitfalls``: each a message that names the mistake ("eps is added inside the square
  root; the chapter adds it outside") and the edits that turn the chapter's own answer (the
  live cell as the book has it) into that mistake.

:func:`courseware.live.check_pitfalls` (a line of the live cell's check) compares the probe with the
reference; when they differ it runs each pitfall variant of the book's answer on the same
probe and, if what was typed gives the same numbers as one of them, says which mistake it
is (:func:`pitfall_values`).

The variants run in a copy of the notebook's namespace, with the random generators' states
saved and restored, so a check never changes what the next cells compute.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import random
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "LIVE_PITFALLS",
    "SENSITIVE_GRADIENTS",
    "LiveCheck",
    "Pitfall",
    "answer_source",
    "optimizer_steps",
    "pitfall_values",
    "probe_and_reference",
    "update_steps",
    "variant_source",
]

BOOK = Path(__file__).resolve().parents[1] / "book"

# five steps of three coordinates: tiny (1e-5: sqrt(s) is near 3e-6, so eps = 1e-8 inside
# the root changes the step thirtyfold), moderate and large gradients, with sign changes
SENSITIVE_GRADIENTS = [
    [1e-5, 3e-3, -2.0],
    [2e-5, -1e-3, 1.5],
    [-1e-5, 2e-3, -0.5],
    [3e-5, 1e-3, 1.0],
    [1e-5, -2e-3, 2.0],
]


@dataclass(frozen=True)
class Pitfall:
    """A mistake the chapter teaches: the message that names it, and the edits ``(old,
    new)`` that turn the book's answer into it."""

    message: str
    edits: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class LiveCheck:
    """The pitfalls of one live cell (``chapter``, the live cell's ``cell`` id)."""

    chapter: str
    cell: str
    what: str
    probe: str
    reference: str | None
    pitfalls: tuple[Pitfall, ...]
    rtol: float = 1e-6
    atol: float = 1e-9


def update_steps(update, gradients=SENSITIVE_GRADIENTS, **hyperparameters) -> np.ndarray:
    """The change of the parameters at each step of an update typed in chapter 3's form,
    ``update(g, state, t, **hyperparameters)`` (the step that ``descend`` subtracts)."""
    state, changes = {}, []
    for t, g in enumerate(gradients, start=1):
        step = update(np.asarray(g, dtype=float), state, t, **hyperparameters)
        changes.append(-np.asarray(step, dtype=float) * np.ones(len(g)))
    return np.array(changes)


def optimizer_steps(optimizer_class, gradients=SENSITIVE_GRADIENTS, **settings) -> np.ndarray:
    """The change of the parameters at each step of a ``dldemos.optim`` optimizer fed
    ``gradients`` (one array per step), from parameters at 0."""
    params = {"theta": np.zeros(len(gradients[0]))}
    optimizer = optimizer_class(params, **settings)
    changes = []
    for g in gradients:
        before = params["theta"].copy()
        optimizer.zero_grad()
        optimizer.add_grad({"theta": np.asarray(g, dtype=float)})
        optimizer.step()
        changes.append(params["theta"] - before)
    return np.array(changes)


def dldemos_clipped(grads: Mapping, max_norm: float) -> dict:
    """``grads`` clipped by ``dldemos.clipping.clip_by_global_norm`` (on a copy)."""
    from dldemos.clipping import clip_by_global_norm

    copy = {key: np.array(g, dtype=float) for key, g in grads.items()}
    clip_by_global_norm(copy, max_norm)
    return copy


def dldemos_final(optimizer_class, gradients, state_names=(), **settings) -> dict:
    """``{"theta": the parameters, <state name>: its array}`` after a ``dldemos.optim``
    optimizer has taken one step per gradient, from parameters at 0."""
    params = {"theta": np.zeros(len(gradients[0]))}
    optimizer = optimizer_class(params, **settings)
    for g in gradients:
        optimizer.zero_grad()
        optimizer.add_grad({"theta": np.asarray(g, dtype=float)})
        optimizer.step()
    return {
        "theta": params["theta"],
        **{name: optimizer.state[name]["theta"] for name in state_names},
    }


def weight_ema(snapshots: list, beta: float) -> dict:
    """The bias-corrected EMA of a list of weight dicts, by ``dldemos.averaging.WeightEMA``."""
    from dldemos.averaging import WeightEMA

    params = {key: np.array(w, dtype=float) for key, w in snapshots[0].items()}
    ema = WeightEMA(params, beta=beta)
    for theta in snapshots:
        for key in params:
            params[key][...] = theta[key]
        ema.update()
    return ema.averaged


def _helpers() -> dict:
    import dldemos.optim

    return {
        "update_steps": update_steps,
        "optimizer_steps": optimizer_steps,
        "dldemos_clipped": dldemos_clipped,
        "dldemos_final": dldemos_final,
        "weight_ema": weight_ema,
        "dldemos_optim": dldemos.optim,
        "SENSITIVE_GRADIENTS": SENSITIVE_GRADIENTS,
    }


def _swap(old: str, new: str) -> tuple[tuple[str, str], ...]:
    return ((old, new),)


_EPS_INSIDE = "eps is added inside the square root; the chapter adds it outside, sqrt(s) + eps"
_PYTORCH_FORM = (
    "this is PyTorch's form of momentum (v = beta v + g); the chapter's averages the "
    "gradients, v = beta v + (1 - beta) g"
)
_BETA_SWAPPED = (
    "beta and 1 - beta are swapped: the new value gets the weight beta; the chapter keeps "
    "beta for the old average and gives the new value 1 - beta"
)

LIVE_PITFALLS: dict[str, LiveCheck] = {
    "gd_update": LiveCheck(
        "03_optimizers",
        "c003-live",
        "gd_update on gradients from 1e-5 to 2",
        "update_steps(gd_update, lr=0.1)",
        "optimizer_steps(dldemos_optim.SGD, learning_rate=0.1)",
        (
            Pitfall(
                "the update is returned with a minus sign; descend subtracts it, so "
                "gd_update returns lr * g",
                _swap("return lr * g", "return -lr * g"),
            ),
        ),
    ),
    "momentum_update": LiveCheck(
        "03_optimizers",
        "c008-live",
        "momentum_update on gradients from 1e-5 to 2",
        "update_steps(momentum_update, lr=0.1, beta=0.9)",
        "optimizer_steps(dldemos_optim.Momentum, learning_rate=0.1, beta=0.9)",
        (
            Pitfall(_PYTORCH_FORM, _swap("+ (1 - beta) * g", "+ g")),
            Pitfall(
                _BETA_SWAPPED,
                _swap(
                    'beta * state.get("v", 0) + (1 - beta) * g',
                    '(1 - beta) * state.get("v", 0) + beta * g',
                ),
            ),
        ),
    ),
    "pytorch_momentum_update": LiveCheck(
        "03_optimizers",
        "c014-live",
        "pytorch_momentum_update on gradients from 1e-5 to 2",
        "update_steps(pytorch_momentum_update, lr=0.1, mu=0.9)",
        "optimizer_steps(dldemos_optim.SGD, learning_rate=0.1, momentum=0.9)",
        (
            Pitfall(
                "the gradient is damped by (1 - mu): that is the course's form; PyTorch "
                "adds the gradient as it is, u = mu u + g",
                _swap('mu * state.get("u", 0) + g', 'mu * state.get("u", 0) + (1 - mu) * g'),
            ),
        ),
    ),
    "rmsprop_update": LiveCheck(
        "03_optimizers",
        "c029-live",
        "rmsprop_update on gradients from 1e-5 to 2 (where eps matters)",
        "update_steps(rmsprop_update, lr=0.01)",
        "optimizer_steps(dldemos_optim.RMSProp, learning_rate=0.01, beta=0.9, eps=1e-8,"
        " bias_correction=False)",
        (
            Pitfall(
                _EPS_INSIDE,
                _swap('np.sqrt(state["s"]) + eps', 'np.sqrt(state["s"] + eps)'),
            ),
            Pitfall(
                "the square root is missing: RMSProp divides by the root of the average of "
                "g**2, sqrt(s) + eps",
                _swap('np.sqrt(state["s"]) + eps', 'state["s"] + eps'),
            ),
            Pitfall(
                _BETA_SWAPPED,
                _swap(
                    'beta * state.get("s", 0) + (1 - beta) * g**2',
                    '(1 - beta) * state.get("s", 0) + beta * g**2',
                ),
            ),
        ),
    ),
    "adam_update": LiveCheck(
        "03_optimizers",
        "c040-live",
        "adam_update on gradients from 1e-5 to 2 (where eps and bias correction matter)",
        "update_steps(adam_update, lr=0.01)",
        "optimizer_steps(dldemos_optim.Adam, learning_rate=0.01, beta1=0.9, beta2=0.999, eps=1e-8)",
        (
            Pitfall(
                "the bias correction is missing: the chapter divides v by 1 - beta1**t and "
                "s by 1 - beta2**t",
                (
                    ('state["v"] / (1 - beta1**t)', 'state["v"]'),
                    ('state["s"] / (1 - beta2**t)', 'state["s"]'),
                ),
            ),
            Pitfall(
                "the bias correction's step count is off by one: t counts from 1, so the "
                "first step divides by 1 - beta1 and 1 - beta2",
                (("beta1**t", "beta1 ** (t + 1)"), ("beta2**t", "beta2 ** (t + 1)")),
            ),
            Pitfall(_EPS_INSIDE, _swap("np.sqrt(s_hat) + eps", "np.sqrt(s_hat + eps)")),
            Pitfall(
                "beta1 and beta2 are swapped: beta1 = 0.9 averages the gradients, "
                "beta2 = 0.999 their squares",
                (
                    (
                        'beta1 * state.get("v", 0) + (1 - beta1) * g',
                        'beta2 * state.get("v", 0) + (1 - beta2) * g',
                    ),
                    (
                        'beta2 * state.get("s", 0) + (1 - beta2) * g**2',
                        'beta1 * state.get("s", 0) + (1 - beta1) * g**2',
                    ),
                    ('state["v"] / (1 - beta1**t)', 'state["v"] / (1 - beta2**t)'),
                    ('state["s"] / (1 - beta2**t)', 'state["s"] / (1 - beta1**t)'),
                ),
            ),
        ),
    ),
    # ---- chapter 1 ----
    "split_into_batches": LiveCheck(
        "01_mini_batches",
        "f17a74f4",
        "split_into_batches, B = 64",
        "split_into_batches(X_train, Y_train, 64, make_rng(0))",
        "random_mini_batches(X_train, Y_train, 64, rng=make_rng(0))",
        (
            Pitfall(
                "the last, smaller mini-batch is dropped; the chapter keeps it (its loss is "
                "still an average)",
                _swap("range(0, X.shape[1], B)", "range(0, X.shape[1] - B + 1, B)"),
            ),
            Pitfall(
                "X and Y are shuffled with different permutations, so the labels no longer "
                "belong to their examples; one shuffle must serve both",
                _swap(
                    "X, Y = X[:, order], Y[:, order]",
                    "X, Y = X[:, order], Y[:, rng.permutation(Y.shape[1])]",
                ),
            ),
            Pitfall(
                "the examples are not shuffled; the chapter shuffles X and Y (with one "
                "permutation) before cutting them",
                _swap("X, Y = X[:, order], Y[:, order]", "X, Y = X, Y"),
            ),
        ),
    ),
    # ---- chapter 2 ----
    "streaming_moving_average": LiveCheck(
        "02_averages",
        "eac25579",
        "streaming_moving_average, n = 7",
        "streaming_moving_average(temperatures, 7)",
        "moving_average(temperatures, 7)",
        (
            Pitfall(
                "the new value overwrites the buffer before the leaving one is subtracted: "
                "read buffer[t % n] (z_{t-n}) first, then store z",
                _swap(
                    "ma += (z - buffer[t % n]) / n\n        buffer[t % n] = z",
                    "buffer[t % n] = z\n        ma += (z - buffer[t % n]) / n",
                ),
            ),
        ),
    ),
    "ewma_loop": LiveCheck(
        "02_averages",
        "fdaeb2a1",
        "ewma_loop, beta = 0.9",
        "ewma_loop(temperatures, 0.9)",
        "ewma(temperatures, 0.9)",
        (
            Pitfall(_BETA_SWAPPED, _swap("beta * v + (1 - beta) * z", "(1 - beta) * v + beta * z")),
            Pitfall(
                "the average starts at the first value; the chapter starts at v_0 = 0 (and "
                "corrects the bias that leaves later)",
                _swap("v, averages = 0.0, []", "v, averages = values[0], []"),
            ),
        ),
    ),
    "ewma_weights": LiveCheck(
        "02_averages",
        "bd6ea09f",
        "the EWMA weights, beta = 0.9",
        "weights",
        "ewma_weights(0.9, 100)",
        (
            Pitfall(
                "the factor 1 - beta is missing: the value k days back weighs (1 - beta) beta**k",
                _swap("weights = (1 - beta) * beta**k", "weights = beta**k"),
            ),
            Pitfall(
                "the exponent is off by one: today's value (k = 0) weighs 1 - beta, the value "
                "k days back (1 - beta) beta**k",
                _swap("beta**k", "beta ** (k + 1)"),
            ),
        ),
    ),
    "bias_correction": LiveCheck(
        "02_averages",
        "52e3a06d",
        "the bias-corrected EWMA, beta = 0.98",
        "corrected",
        "ewma(summer_start, 0.98, bias_correction=True)",
        (
            Pitfall(
                "the step count starts at 0 (the first average is divided by 1 - beta**0 = 0); "
                "t counts from 1",
                _swap("np.arange(1, len(summer_start) + 1)", "np.arange(len(summer_start))"),
            ),
            Pitfall(
                "the step count is off by one (t + 1): the first average is divided by "
                "1 - beta, with t = 1",
                _swap("np.arange(1, len(summer_start) + 1)", "np.arange(2, len(summer_start) + 2)"),
            ),
            Pitfall(
                "the average is multiplied by 1 - beta**t; the correction divides by it",
                _swap("/ (1 - 0.98**t)", "* (1 - 0.98**t)"),
            ),
        ),
    ),
    # ---- chapter 4 ----
    "hyperbolic_decay": LiveCheck(
        "04_schedules",
        "c4live01",
        "noisy descent with hyperbolic decay",
        "losses",
        "list(bowl.f(*noisy_paths['hyperbolic decay from 0.2'][0].T))",
        (
            Pitfall(
                "the decay is off by one step: t counts from 0, so the first step uses the full "
                "0.2 and step t uses 0.2 / (1 + 0.1 t)",
                _swap("0.2 / (1 + 0.1 * t)", "0.2 / (1 + 0.1 * (t + 1))"),
            ),
        ),
    ),
    "warmup_cosine": LiveCheck(
        "04_schedules",
        "c4live02",
        "warmup_cosine over 30 epochs",
        "[warmup_cosine(0.1, t) for t in range(30)]",
        "list(S.schedule_values(S.linear_warmup(5, S.cosine_annealing(25), start_lr=0.1 / 6),"
        " 0.1, 30))",
        (
            Pitfall(
                "the warmup is off by one: it starts at 0; the chapter's starts at lr0 / 6 "
                "((t + 1) / (warmup + 1)) and reaches lr0 at t = 5",
                _swap("lr0 * (t + 1) / (warmup + 1)", "lr0 * t / warmup"),
            ),
            Pitfall(
                "the cosine runs over the whole run (total); it starts after the warmup, so "
                "its length is total - warmup",
                _swap("T = total - warmup", "T = total"),
            ),
        ),
    ),
    # ---- chapter 5 ----
    "fraction_minima": LiveCheck(
        "05_saddle_points",
        "c5live01",
        "the fraction of minima",
        "fraction_minima",
        "surfaces.fraction_positive_definite(range(1, 6), num_samples=100_000, seed=0)",
        (
            Pitfall(
                "the largest eigenvalue is tested; a minimum needs all of them positive, so "
                "the smallest ([:, 0]) must be > 0",
                _swap("np.linalg.eigvalsh(hessians)[:, 0]", "np.linalg.eigvalsh(hessians)[:, -1]"),
            ),
        ),
    ),
    "kind_of": LiveCheck(
        "05_saddle_points",
        "c5live02",
        "the kinds of the critical points",
        "[kind_of(surface, x, y) for surface, (x, y, _) in points]",
        "[surfaces.classify_critical_point(surface, (x, y)) for surface, (x, y, _) in points]",
        (
            Pitfall(
                "the kinds come from the Hessian's diagonal (the curvatures along the axes); "
                "its eigenvalues decide, as Beale's tilted saddle shows",
                _swap(
                    "np.linalg.eigvalsh(surface.hessian(x, y))",
                    "np.sort(np.diag(surface.hessian(x, y)))",
                ),
            ),
        ),
    ),
    "saddle_descend": LiveCheck(
        "05_saddle_points",
        "c5live03",
        "GD and momentum on the saddle",
        "[descend(0.1), descend(0.1, beta=0.9)]",
        "[saddle_paths['GD'], saddle_paths['Momentum']]",
        (Pitfall(_PYTORCH_FORM, _swap("beta * v + (1 - beta) * g", "beta * v + g")),),
    ),
    # ---- chapter 6 ----
    "warmup_cosine_factor": LiveCheck(
        "06_pytorch",
        "s5-live",
        "0.1 * warmup_cosine_factor(t), the rates of the LambdaLR",
        "[0.1 * warmup_cosine_factor(t) for t in range(N)]",
        "list(S.schedule_values(S.linear_warmup(12, after=S.cosine_annealing(N - 12)), 0.1, N))",
        (
            Pitfall(
                "lr_lambda returns the rate (0.1 times the factor): LambdaLR multiplies what "
                "it returns by the initial rate, so it must return the factor",
                (
                    ("return t / warmup", "return 0.1 * t / warmup"),
                    ("return 0.5 * (1 + np.cos", "return 0.05 * (1 + np.cos"),
                ),
            ),
            Pitfall(
                "the warmup is off by one: LambdaLR calls lr_lambda(0) for the first step, "
                "whose factor is 0 / warmup",
                _swap("return t / warmup", "return (t + 1) / warmup"),
            ),
        ),
    ),
    "MySGD": LiveCheck(
        "06_pytorch",
        "s7-live",
        "MySGD against dldemos.torch.optim.SGD over 5 steps",
        "weight_gap_per_step(lambda ps: MySGD(ps, lr=0.05, momentum=0.9),"
        " lambda ps: scratch.SGD(ps, lr=0.05, momentum=0.9), seeded_mlp, digit_batches(), 5)",
        "np.zeros(5)",
        (
            Pitfall(
                "the gradient is damped by (1 - momentum): that is the course's form; "
                "torch.optim.SGD adds it as it is, u = mu u + g",
                _swap(".add_(p.grad)", '.add_(p.grad, alpha=1 - group["momentum"])'),
            ),
        ),
    ),
    # ---- chapter 7 ----
    "all_reduced": LiveCheck(
        "07_distributed",
        "live-allreduce",
        "the all-reduced gradient of 4 shards",
        "[g.numpy() for g in all_reduced]",
        "(model.zero_grad(), distributed.accumulate_gradients(model,"
        " [(xb[r::K], yb[r::K]) for r in range(K)], loss_fn),"
        " [p.grad.numpy().copy() for p in model.parameters()])[2]",
        (
            Pitfall(
                "the K gradients are summed; the all-reduce of DDP averages them (divide by K)",
                _swap("sum(grads) / K", "sum(grads)"),
            ),
        ),
        rtol=1e-5,
        atol=1e-7,
    ),
    "scaled_rate": LiveCheck(
        "07_distributed",
        "live-warmup",
        "the linear scaling rule with warmup",
        "[scaled_rate(t) for t in range(60)]",
        "[schedule(lr0, t) for lr0, schedule in [distributed.learning_rate_schedule("
        "TrainConfig(lr=0.2, base_batch_size=64, batch_size=512, warmup_steps=20),"
        " total_steps=60)] for t in range(60)]",
        (
            Pitfall(
                "the rate is scaled by the square root of the batch ratio (the rule for Adam); "
                "for SGD the chapter scales it linearly, lr * batch / base_batch",
                _swap("lr * batch / base_batch", "lr * (batch / base_batch) ** 0.5"),
            ),
            Pitfall(
                "the warmup is off by one: at t = 0 the rate is still the small batch's, "
                "lr + (peak - lr) * t / warmup",
                _swap("(peak - lr) * t / warmup", "(peak - lr) * (t + 1) / warmup"),
            ),
            Pitfall(
                "the warmup starts at 0; the chapter's starts from the small batch's rate "
                "and rises to the scaled one",
                _swap("return lr + (peak - lr) * t / warmup", "return peak * t / warmup"),
            ),
        ),
    ),
    "adam_first_step": LiveCheck(
        "07_distributed",
        "live-adam",
        "Adam's first step on gradients from 3e-5 to 250",
        "first_step.numpy()",
        "optimizer_steps(dldemos_optim.Adam, [g.numpy().astype(float)], learning_rate=0.3)[0]",
        (
            Pitfall(
                "the bias correction is missing: with t = 1 the chapter divides v by 1 - beta1 "
                "and s by 1 - beta2",
                _swap("v / (1 - beta1), s / (1 - beta2)", "v, s"),
            ),
            Pitfall(_EPS_INSIDE, _swap("s_hat.sqrt() + eps", "(s_hat + eps).sqrt()")),
        ),
        rtol=1e-5,
        atol=1e-7,
    ),
    # ---- chapter 8 ----
    "predicted_gd": LiveCheck(
        "08_a_closer_look",
        "c004",
        "GD's rate max |1 - alpha lambda|",
        "predicted_gd",
        "quadratic.gd_rate(alphas, lambdas)",
        (
            Pitfall(
                "the rate is the fastest direction's (min); the slowest direction sets it: "
                "the max over the curvatures of |1 - alpha lambda|",
                _swap("np.max(np.abs(", "np.min(np.abs("),
            ),
            Pitfall(
                "the absolute value is missing: a factor 1 - alpha lambda below -1 grows too, "
                "so the rate is max |1 - alpha lambda|",
                _swap("np.abs(1 - alphas[:, None] * lambdas)", "(1 - alphas[:, None] * lambdas)"),
            ),
        ),
    ),
    "momentum_radius": LiveCheck(
        "08_a_closer_look",
        "c009",
        "the momentum radius per curvature",
        "[momentum_radius(0.1, beta_9_11, lam) for lam in lambdas]",
        "[quadratic.momentum_rate(0.1, beta_9_11, [lam]) for lam in lambdas]",
        (
            Pitfall(
                "this is the matrix of PyTorch's form (alpha lambda); the chapter's momentum "
                "averages the gradients, so its matrix has alpha (1 - beta) lambda",
                _swap("alpha * (1 - beta) * lam", "alpha * lam"),
            ),
        ),
    ),
    "newton_step": LiveCheck(
        "08_a_closer_look",
        "c023-live-newton",
        "Newton's step",
        "newton_step(H, H @ x0)",
        "quadratic.newton_step(H, H @ x0)",
        (
            Pitfall(
                "the step has the wrong sign: Newton's step solves H d = -g, so it is -H^-1 g",
                _swap("return -np.linalg.solve(H, g)", "return np.linalg.solve(H, g)"),
            ),
        ),
    ),
    # ---- chapter 9 ----
    "clip": LiveCheck(
        "09_stability_and_averaging",
        "c007",
        "clip on a short gradient and on two tensors",
        "[clip({'a': np.array([0.3, 0.4])}, 1.0)[0],"
        " clip({'a': np.array([3.0, 0.0]), 'b': np.array([0.0, 4.0])}, 1.0)[0]]",
        "[dldemos_clipped({'a': np.array([0.3, 0.4])}, 1.0),"
        " dldemos_clipped({'a': np.array([3.0, 0.0]), 'b': np.array([0.0, 4.0])}, 1.0)]",
        (
            Pitfall(
                "each tensor is clipped by its own norm; the chapter clips all of them by ONE "
                "global norm, which keeps the direction",
                _swap(
                    "return {key: g * scale for key, g in grads.items()}, norm",
                    "return {key: g * min(1.0, max_norm / (np.sqrt(np.sum(g**2)) + 1e-6))"
                    " for key, g in grads.items()}, norm",
                ),
            ),
            Pitfall(
                "a gradient shorter than max_norm is scaled up: min(1, max_norm / norm) "
                "only ever shortens",
                _swap("min(1.0, max_norm / (norm + 1e-6))", "max_norm / (norm + 1e-6)"),
            ),
        ),
    ),
    "ema_of_weights": LiveCheck(
        "09_stability_and_averaging",
        "c014-live-ema",
        "the EMA of the first 3 snapshots (where bias correction matters)",
        "ema_of_weights(snapshots[:3], 0.9)",
        "weight_ema(snapshots[:3], 0.9)",
        (
            Pitfall(
                "the bias correction is missing: an EMA started at 0 is divided by 1 - beta**n",
                _swap("return {key: avg[key] / correction for key in avg}", "return avg"),
            ),
            Pitfall(
                "the correction's step count is off by one: after n updates divide by 1 - beta**n",
                _swap("beta ** len(snapshots)", "beta ** (len(snapshots) + 1)"),
            ),
        ),
    ),
    "lion_step": LiveCheck(
        "09_stability_and_averaging",
        "c030-live-lion",
        "five Lion steps",
        "{'theta': theta, 'v': v}",
        "dldemos_final(dldemos_optim.Lion, gradients, ('v',), learning_rate=0.01)",
        (
            Pitfall(
                "the step follows the sign of v; Lion steps along the blend "
                "c = beta1 v + (1 - beta1) g",
                _swap("np.sign(c)", "np.sign(v)"),
            ),
            Pitfall(
                "the blend c is stored as the state; Lion keeps the slower average, "
                "v = beta2 v + (1 - beta2) g",
                _swap("v = beta2 * v + (1 - beta2) * g", "v = c"),
            ),
            Pitfall(
                "beta1 and beta2 are swapped: beta1 = 0.9 blends the step, beta2 = 0.99 "
                "averages the state",
                (
                    ("v = beta2 * v + (1 - beta2) * g", "v = beta1 * v + (1 - beta1) * g"),
                    ("c = beta1 * v + (1 - beta1) * g", "c = beta2 * v + (1 - beta2) * g"),
                ),
            ),
        ),
    ),
}


@functools.lru_cache(maxsize=32)
def _cells(chapter: str, stamp: float) -> dict[str, str]:
    notebook = json.loads((BOOK / f"{chapter}.ipynb").read_text(encoding="utf-8"))
    return {
        cell.get("id"): "".join(cell["source"])
        if isinstance(cell["source"], list)
        else cell["source"]
        for cell in notebook["cells"]
    }


def answer_source(check: LiveCheck) -> str:
    """The live cell as the book has it: the answer the pitfalls are variants of."""
    path = BOOK / f"{check.chapter}.ipynb"
    cells = _cells(check.chapter, path.stat().st_mtime)
    if check.cell not in cells:
        raise KeyError(f"{check.chapter} has no cell with id {check.cell!r}")
    return cells[check.cell]


def variant_source(check: LiveCheck, pitfall: Pitfall) -> str:
    """The book's answer with the pitfall's edits made (each edit must apply)."""
    source = answer_source(check)
    for old, new in pitfall.edits:
        if old not in source:
            raise ValueError(
                f"{check.chapter}, cell {check.cell}: the pitfall {pitfall.message!r} edits "
                f"{old!r}, which the book's answer no longer contains"
            )
        source = source.replace(old, new, 1)
    return source


@contextlib.contextmanager
def _random_state_kept():
    """The random generators (Python's, NumPy's, PyTorch's) as they were, afterwards."""
    import torch

    python_state, numpy_state = random.getstate(), np.random.get_state()
    torch_state = torch.get_rng_state()
    try:
        yield
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
        torch.set_rng_state(torch_state)


@contextlib.contextmanager
def _quiet_and_reproducible():
    """No output, no warnings, and the random generators as they were."""
    with (
        _random_state_kept(),
        warnings.catch_warnings(),
        np.errstate(all="ignore"),
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        warnings.simplefilter("ignore")
        yield


def pitfall_values(key: str, namespace: Mapping) -> dict[str, object]:
    """``{message: what the probe gives}`` for each pitfall of the live cell ``key``: the
    book's answer with the pitfall's edits, run in a copy of ``namespace`` (the notebook's
    ``globals()``). A variant that does not run (or no longer applies) is left out."""
    check = LIVE_PITFALLS[key]
    values = {}
    for pitfall in check.pitfalls:
        scope = {**namespace, **_helpers()}
        try:
            with _quiet_and_reproducible():
                source = variant_source(check, pitfall)
                exec(compile(source, f"<pitfall {key}>", "exec"), scope)
                values[pitfall.message] = eval(check.probe, scope)
        except Exception:  # a variant that crashes cannot be what the class typed
            continue
    return values


def probe_and_reference(key: str, namespace: Mapping) -> tuple[object, object]:
    """The probe of the live cell ``key`` on what was typed (the names in ``namespace``, the
    notebook's ``globals()``), and the same from ``dldemos``."""
    check = LIVE_PITFALLS[key]
    scope = {**namespace, **_helpers()}
    with _random_state_kept():
        return eval(check.probe, scope), eval(check.reference, scope)
