"""The learning-rate range test (chapter 4): how large may the learning rate be?

Train for a few hundred steps while the learning rate grows exponentially from ``min_lr``
to ``max_lr``, record the mini-batch loss of every step, and look at loss against ``log lr``
(Smith, *Cyclical Learning Rates for Training Neural Networks*, WACV 2017; the stopping and
smoothing rules follow fast.ai's ``lr_find``):

* too small a rate: the loss hardly moves;
* a good rate: the loss falls fastest;
* too large a rate: the loss shoots up, and the test stops once the smoothed loss exceeds
  ``diverge_factor`` times the best one seen.

The raw mini-batch losses are noisy, so they are smoothed by an EWMA with bias correction
(chapter 2): ``avg = beta * avg + (1 - beta) * loss``, ``smoothed = avg / (1 - beta**i)``.
The suggested rate is where the smoothed loss falls most steeply per unit of ``log lr``;
a common choice for training is that value or a little below, and for a one-cycle
schedule's ``max_lr`` roughly the rate just before the minimum.

The test changes the weights, so they are put back exactly afterwards: the model leaves the
test as it entered it. The optimizer is built fresh from ``optimizer_factory`` and thrown
away, so its state never leaks into the real training.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from dldemos.data import random_mini_batches
from dldemos.schedules import exponential_decay
from dldemos.seeding import make_rng


@dataclass
class LRRangeTestResult:
    """``lrs[i]`` is the rate of step ``i``, ``losses[i]`` its mini-batch loss before the
    update, ``smoothed_losses[i]`` the bias-corrected EWMA of ``losses[:i + 1]``.
    ``suggestion`` is the rate of steepest descent of the smoothed loss on its way down to
    its minimum (see :func:`steepest_descent_lr`; ``None`` when there are too few steps);
    ``diverged`` says whether the test stopped early.
    """

    lrs: np.ndarray
    losses: np.ndarray
    smoothed_losses: np.ndarray
    suggestion: float | None
    diverged: bool

    @property
    def min_loss_lr(self) -> float | None:
        """The rate at which the smoothed loss was lowest (``None`` if no step was recorded)."""
        if not len(self.lrs):
            return None
        return float(self.lrs[np.argmin(self.smoothed_losses)])


def _endless_mini_batches(X, Y, batch_size, rng):
    while True:
        yield from random_mini_batches(X, Y, batch_size, rng=rng)


def _all_finite(arrays) -> bool:
    return all(np.isfinite(a.min()) and np.isfinite(a.max()) for a in arrays if a.size)


def steepest_descent_lr(
    lrs: np.ndarray, smoothed_losses: np.ndarray, skip_start: int = 10
) -> float | None:
    """The rate where ``d smoothed_loss / d log(lr)`` is most negative.

    Only the stretch from step ``skip_start`` (the first smoothed values rest on a few noisy
    losses) up to the minimum of the smoothed loss is searched; ``None`` if it has fewer
    than 3 points.
    """
    smoothed_losses = np.asarray(smoothed_losses)
    end = int(np.argmin(smoothed_losses)) + 1 if len(smoothed_losses) else 0
    if end - skip_start < 3:
        return None
    slope = np.gradient(smoothed_losses[skip_start:end], np.log(lrs[skip_start:end]))
    return float(lrs[skip_start + np.argmin(slope)])


class LossSweep:
    """The bookkeeping of a range test, shared by the NumPy and PyTorch versions.

    Each step reports its learning rate and mini-batch loss to :meth:`stop_after`, which
    keeps the raw loss and its bias-corrected EWMA (chapter 2)::

        average_t = smoothing * average_{t-1} + (1 - smoothing) * loss_t
        smoothed_t = average_t / (1 - smoothing**t)

    and says when to stop: the loss is not finite, or the smoothed loss has risen above
    ``diverge_factor`` times the best seen so far.
    """

    def __init__(self, smoothing: float, diverge_factor: float):
        self.smoothing, self.diverge_factor = smoothing, diverge_factor
        self.lrs: list[float] = []
        self.losses: list[float] = []
        self.smoothed_losses: list[float] = []
        self.diverged = False
        self._average, self._best = 0.0, math.inf

    def stop_after(self, lr: float, loss: float) -> bool:
        """Record one step; True when the sweep should stop (``diverged`` is then set)."""
        if not math.isfinite(loss):
            self.diverged = True
            return True
        self._average = self.smoothing * self._average + (1 - self.smoothing) * loss
        smoothed = self._average / (1 - self.smoothing ** (len(self.losses) + 1))
        self.lrs.append(lr)
        self.losses.append(loss)
        self.smoothed_losses.append(smoothed)
        self._best = min(self._best, smoothed)
        self.diverged = smoothed > self.diverge_factor * self._best
        return self.diverged

    def result(self, skip_start: int) -> LRRangeTestResult:
        lrs, losses, smoothed = map(np.asarray, (self.lrs, self.losses, self.smoothed_losses))
        return LRRangeTestResult(
            lrs=lrs,
            losses=losses,
            smoothed_losses=smoothed,
            suggestion=steepest_descent_lr(lrs, smoothed, skip_start),
            diverged=self.diverged,
        )


def lr_range_test(
    model,
    optimizer_factory,
    X: np.ndarray,
    Y: np.ndarray,
    min_lr: float = 1e-7,
    max_lr: float = 10.0,
    num_steps: int = 100,
    batch_size: int = 64,
    smoothing: float = 0.98,
    diverge_factor: float = 4.0,
    skip_start: int = 10,
    seed: int = 0,
) -> LRRangeTestResult:
    """Sweep the learning rate exponentially from ``min_lr`` to ``max_lr`` over ``num_steps`` steps.

    Parameters
    ----------
    model
        A :class:`dldemos.nn.BaseRegressionModel`; its weights are restored afterwards.
    optimizer_factory
        An optimizer class or ``functools.partial`` of one, e.g. ``Adam`` or
        ``partial(SGD, momentum=0.9)``. It is called as
        ``optimizer_factory(model.param_dict, min_lr, lr_scheduler=..., schedule_unit="step")``
        so that the sweep can drive the rate.
    smoothing
        ``beta`` of the EWMA of the losses (0 disables smoothing).
    diverge_factor
        Stop when the smoothed loss exceeds ``diverge_factor`` times its minimum so far
        (or when the loss or a gradient is no longer finite).
    skip_start
        Steps left out when choosing ``suggestion`` (their smoothed loss is still noisy).
    seed
        Seed of the generator that shuffles the mini-batches.
    """
    if not isinstance(optimizer_factory, type) and hasattr(optimizer_factory, "step"):
        raise TypeError(
            "lr_range_test needs an optimizer class or factory (e.g. Adam or "
            "functools.partial(SGD, momentum=0.9)), not an optimizer instance: "
            "the test builds its own optimizer so that the sweep can set the rate "
            "and your optimizer's state stays untouched"
        )
    if not (0 < min_lr < max_lr and math.isfinite(max_lr)):
        raise ValueError(
            f"need 0 < min_lr < max_lr < inf, got min_lr={min_lr!r}, max_lr={max_lr!r}"
        )
    if not isinstance(num_steps, (int, np.integer)) or num_steps < 2:
        raise ValueError(f"num_steps must be an integer >= 2, got {num_steps!r}")
    if not 0 <= smoothing < 1:
        raise ValueError(f"smoothing must lie in [0, 1), got {smoothing!r}")
    if not isinstance(skip_start, (int, np.integer)) or skip_start < 0:
        raise ValueError(f"skip_start must be a non-negative integer, got {skip_start!r}")
    if not diverge_factor > 1:
        raise ValueError(f"diverge_factor must be > 1, got {diverge_factor!r}")

    growth = (max_lr / min_lr) ** (1.0 / (num_steps - 1))  # lr_t = min_lr * growth**t
    saved_state = model.state_dict()
    optimizer = optimizer_factory(
        model.param_dict, min_lr, lr_scheduler=exponential_decay(growth), schedule_unit="step"
    )
    batches = _endless_mini_batches(X, Y, batch_size, make_rng(seed))
    sweep = LossSweep(smoothing, diverge_factor)
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for _ in range(num_steps):
                X_t, Y_t = next(batches)
                if sweep.stop_after(
                    optimizer.learning_rate, float(model.loss(Y_t, model.forward(X_t)))
                ):
                    break
                model.backward(Y_t)
                grads = model.get_grad_dict()
                if not _all_finite(grads.values()):
                    sweep.diverged = True
                    break
                optimizer.zero_grad()
                optimizer.add_grad(grads)
                optimizer.step()
    finally:
        model.load_state_dict(saved_state)
    return sweep.result(skip_start)
