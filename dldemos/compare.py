"""Fair comparisons of optimizers: each one trained with its own best learning rate.

An optimizer has no speed of its own, only a speed *at a learning rate*. Comparing two
optimizers at one shared rate mostly measures which of them that rate suits: the course's
lecture notes compared gradient descent with momentum at 1e-3 and RMSProp with Adam at
1e-5, and RMSProp and Adam divide by the root of an average of squared gradients, so their
useful rates live on a different scale from those of gradient descent (chapter 3).

The fair protocol, used for every optimizer comparison in the book:

1. give each optimizer a small log-spaced grid of learning rates around its usual scale;
2. for every rate, train a *fresh* copy of the same network (same initial weights, same
   mini-batch order: ``make_model`` must be seeded and ``train`` gets the same ``seed``);
3. score each run by its loss at the end, averaged over the last ``SCORE_EPOCHS`` epochs so
   that one lucky or unlucky epoch of a noisy run does not decide (training loss by
   default: the book compares how well optimizers *optimize*); a run that diverges --
   its loss becomes non-finite or ends above the loss of the untrained network -- scores
   ``inf``;
4. compare the optimizers at their best rates, and show the whole sweep, so a reader can
   see how sensitive each optimizer is to its rate, not only its best case.

A best rate on the edge of its grid means the grid was too narrow: widen it.

The same protocol works on the 2-D surfaces of :mod:`dldemos.surfaces`, where a run is
cheap and the score is the number of steps after which an optimizer keeps ``f`` below a
target (:func:`steps_to_reach`, :func:`tune_on_surface`): that is how the book picks the
learning rate of each optimizer in its trajectory figures and races.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from dldemos.surfaces import Surface, run_optimizer
from dldemos.train import History, train

METRICS = ("train_loss", "dev_loss")
SCORE_EPOCHS = 3
"""A run's score is the mean of its metric over its last ``SCORE_EPOCHS`` epochs."""


@dataclass(frozen=True)
class SweepResult:
    """One optimizer trained at several learning rates.

    ``histories[i]`` is the run at ``learning_rates[i]`` (``None`` if it diverged) and
    ``scores[i]`` its ``metric`` averaged over the last ``SCORE_EPOCHS`` epochs (``inf``
    if it diverged).
    """

    learning_rates: tuple[float, ...]
    histories: tuple[History | None, ...]
    scores: tuple[float, ...]
    metric: str

    @property
    def diverged(self) -> tuple[bool, ...]:
        """For each rate: did the run blow up (non-finite loss, parameters or gradients, or a
        final training loss above the untrained network's)?"""
        return tuple(history is None for history in self.histories)

    @property
    def best_index(self) -> int:
        """Index of the lowest score (the first one on ties)."""
        return int(np.argmin(self.scores))

    @property
    def best_learning_rate(self) -> float:
        return self.learning_rates[self.best_index]

    @property
    def best_score(self) -> float:
        return self.scores[self.best_index]

    @property
    def best_history(self) -> History:
        """The history of the best run; ``ValueError`` if every run diverged."""
        history = self.histories[self.best_index]
        if history is None:
            raise ValueError(
                f"every learning rate of the sweep {self.learning_rates} diverged; "
                f"try smaller rates"
            )
        return history


def _check_learning_rates(learning_rates: Sequence[float]) -> tuple[float, ...]:
    rates = tuple(learning_rates)
    if not rates:
        raise ValueError(
            "learning_rates must hold at least one learning rate, got an empty sequence"
        )
    for rate in rates:
        if (
            isinstance(rate, bool)
            or not isinstance(rate, (int, float, np.integer, np.floating))
            or not (math.isfinite(rate) and rate > 0)
        ):
            raise ValueError(
                f"every learning rate must be a finite number > 0, got {rate!r} in {rates!r}"
            )
    return tuple(float(rate) for rate in rates)


def _has_diverged(model, X, Y) -> bool:
    """After a failed step: is the model's state or its loss on ``(X, Y)`` non-finite?"""
    if not all(np.all(np.isfinite(param)) for param in model.param_dict.values()):
        return True
    _, loss = model.evaluate(X, Y, return_loss=True)
    return not math.isfinite(loss)


def learning_rate_sweep(
    make_model: Callable[[], object],
    make_optimizer: Callable[[dict, float], object],
    learning_rates: Sequence[float],
    X: np.ndarray,
    Y: np.ndarray,
    total_epoch: int,
    batch_size: int,
    dev_X: np.ndarray | None = None,
    dev_Y: np.ndarray | None = None,
    seed: int = 0,
    metric: str = "train_loss",
) -> SweepResult:
    """Train a fresh model at each learning rate and score the runs.

    Parameters
    ----------
    make_model
        ``make_model() -> model``; it must return the *same* initial network every call
        (e.g. ``lambda: DeepNetwork([2, 16, 1], ["relu", "sigmoid"], seed=0)``).
    make_optimizer
        ``make_optimizer(param_dict, learning_rate) -> optimizer``: an optimizer class of
        :mod:`dldemos.optim` itself, or a ``functools.partial`` fixing its other
        hyperparameters (``partial(SGD, momentum=0.9, nesterov=True)``).
    learning_rates
        The grid to try, each ``> 0``.
    X, Y, total_epoch, batch_size, dev_X, dev_Y, seed
        Passed to :func:`dldemos.train.train` (``seed`` fixes the mini-batch order, the
        same for every rate).
    metric
        ``"train_loss"`` or ``"dev_loss"`` (needs ``dev_X``, ``dev_Y``): the loss that ranks
        the runs, averaged over the last ``SCORE_EPOCHS`` epochs; lower is better.
    """
    rates = _check_learning_rates(learning_rates)
    if (
        isinstance(total_epoch, bool)
        or not isinstance(total_epoch, (int, np.integer))
        or total_epoch < 1
    ):
        raise ValueError(
            f"total_epoch must be a positive integer (a run needs an epoch to be scored), "
            f"got {total_epoch!r}"
        )
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    if metric == "dev_loss" and dev_X is None:
        raise ValueError("metric='dev_loss' needs a dev set: pass dev_X and dev_Y")
    histories, scores = [], []
    for rate in rates:
        model = make_model()
        _, untrained_loss = model.evaluate(X, Y, return_loss=True)
        optimizer = make_optimizer(model.param_dict, rate)
        # a diverging run overflows on its way to inf/nan; that is an outcome, not a bug
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            try:
                history = train(
                    model,
                    optimizer,
                    X,
                    Y,
                    total_epoch,
                    batch_size,
                    dev_X,
                    dev_Y,
                    seed=seed,
                    progress=False,
                )
            except ValueError:
                # the optimizer refuses a non-finite gradient; anything else is a real error
                if not _has_diverged(model, X, Y):
                    raise
                history = None
        if history is not None and not (history.train_loss[-1] <= untrained_loss):  # nan fails too
            history = None
        score = (
            math.inf
            if history is None
            else float(np.mean(getattr(history, metric)[-SCORE_EPOCHS:]))
        )
        if not math.isfinite(score):
            history, score = None, math.inf
        histories.append(history)
        scores.append(score)
    return SweepResult(rates, tuple(histories), tuple(scores), metric)


def compare_optimizers(
    candidates: Mapping[str, tuple[Callable, Sequence[float]]],
    make_model: Callable[[], object],
    X: np.ndarray,
    Y: np.ndarray,
    total_epoch: int,
    batch_size: int,
    **sweep_options,
) -> dict[str, SweepResult]:
    """Run :func:`learning_rate_sweep` for each ``name -> (make_optimizer, learning_rates)``.

    Every optimizer starts from the same ``make_model()`` network and sees the same
    mini-batches. ``sweep_options`` (``dev_X``, ``dev_Y``, ``seed``, ``metric``) go to every
    sweep. Returns ``name -> SweepResult`` in the order of ``candidates``.
    """
    results = {}
    for name, candidate in candidates.items():
        if not (isinstance(candidate, tuple) and len(candidate) == 2 and callable(candidate[0])):
            raise TypeError(
                f"candidates[{name!r}] must be a tuple (make_optimizer, learning_rates), "
                f"got {candidate!r}"
            )
        make_optimizer, rates = candidate
        results[name] = learning_rate_sweep(
            make_model, make_optimizer, rates, X, Y, total_epoch, batch_size, **sweep_options
        )
    return results


# --------------------------------------------------------------------------------------
# The same protocol on 2-D surfaces
# --------------------------------------------------------------------------------------


def steps_to_reach(surface: Surface, trajectory: np.ndarray, target: float) -> int | None:
    """The first step ``t`` from which ``f`` *stays* at or below ``target`` to the end of the
    trajectory, or ``None`` if it does not get there for good.

    Staying matters: an optimizer that dips below the target and bounces out again (RMSProp
    at a constant rate hovers around a minimum) has not converged.
    """
    trajectory = np.asarray(trajectory, dtype=np.float64)
    if trajectory.ndim != 2 or trajectory.shape[1] != 2:
        raise ValueError(f"trajectory must have shape (num_points, 2), got {trajectory.shape}")
    with np.errstate(over="ignore", invalid="ignore"):
        values = surface.f(trajectory[:, 0], trajectory[:, 1])
    above = np.flatnonzero(~(values <= target))  # nan counts as above
    if above.size == 0:
        return 0
    settled = int(above[-1]) + 1
    return settled if settled < len(values) else None


@dataclass(frozen=True)
class SurfaceSweep:
    """One optimizer run at several learning rates on a surface.

    ``steps[i]`` is the number of steps after which the run at ``learning_rates[i]`` keeps
    ``f`` at or below ``target`` (:func:`steps_to_reach`; ``None``: not within
    ``num_steps``), ``trajectories[i]`` is that run and ``final_values[i]`` the ``f`` where
    it ended (``nan`` if it diverged).
    """

    learning_rates: tuple[float, ...]
    steps: tuple[int | None, ...]
    trajectories: tuple[np.ndarray, ...]
    final_values: tuple[float, ...]
    target: float

    @property
    def best_index(self) -> int:
        """Fewest steps to the target; if no run gets there, the lowest final ``f``
        (the first one on ties)."""
        reached = [(steps, i) for i, steps in enumerate(self.steps) if steps is not None]
        if reached:
            return min(reached)[1]
        finite = [(value, i) for i, value in enumerate(self.final_values) if math.isfinite(value)]
        return min(finite)[1] if finite else 0

    @property
    def best_learning_rate(self) -> float:
        return self.learning_rates[self.best_index]

    @property
    def best_steps(self) -> int | None:
        return self.steps[self.best_index]

    @property
    def best_trajectory(self) -> np.ndarray:
        return self.trajectories[self.best_index]


def tune_on_surface(
    make_optimizer: Callable,
    surface: Surface,
    learning_rates: Sequence[float],
    target: float,
    num_steps: int = 200,
    start=None,
    **optimizer_kwargs,
) -> SurfaceSweep:
    """Run ``make_optimizer`` on ``surface`` at each learning rate; rank by steps to ``target``.

    ``make_optimizer`` and ``optimizer_kwargs`` are passed to
    :func:`dldemos.surfaces.run_optimizer` (with ``learning_rate=`` added), e.g.
    ``tune_on_surface(SGD, surface, [0.01, 0.1], target=1e-3, momentum=0.9)``. A run
    that diverges has a final value of ``nan`` and never reaches the target.
    """
    rates = _check_learning_rates(learning_rates)
    if not math.isfinite(target):
        raise ValueError(f"target must be a finite value of f, got {target!r}")
    steps, trajectories, final_values = [], [], []
    for rate in rates:
        trajectory = run_optimizer(
            make_optimizer,
            surface,
            start=start,
            num_steps=num_steps,
            learning_rate=rate,
            **optimizer_kwargs,
        )
        trajectories.append(trajectory)
        steps.append(steps_to_reach(surface, trajectory, target))
        with np.errstate(over="ignore", invalid="ignore"):
            final = float(surface.f(*trajectory[-1]))
        diverged = len(trajectory) < num_steps + 1 or not math.isfinite(final)
        final_values.append(math.nan if diverged else final)
    return SurfaceSweep(
        rates, tuple(steps), tuple(trajectories), tuple(final_values), float(target)
    )


def rate_grid(low: float, high: float, per_decade: int = 2) -> np.ndarray:
    """Log-spaced learning rates from ``low`` to ``high``, ``per_decade`` per factor of 10."""
    if not 0 < low < high:
        raise ValueError(f"rate_grid needs 0 < low < high, got low={low!r}, high={high!r}")
    return np.geomspace(low, high, round(per_decade * np.log10(high / low)) + 1)


def converging_rates(
    make_optimizer: Callable,
    surface: Surface,
    learning_rates: Sequence[float],
    start,
    point=(0.0, 0.0),
    num_steps: int = 300,
    tolerance: float = 0.1,
) -> tuple[float, ...]:
    """The rates of ``learning_rates`` at which a run from ``start`` converges to ``point``:
    it never gets farther from ``point`` than ``start`` is, and ends within ``tolerance``
    times that distance of it.

    A rate is only usable if it also works where the surface curves up. Chapter 5 starts
    on the ridge ``y = 0`` of the saddle ``x^2 - y^2``, where a run moves along the upward
    curving ``x`` only, to find each optimizer's usable rates before racing it off the
    saddle: gradient descent converges along a curvature ``lambda`` only for
    ``alpha < 2 / lambda``, momentum up to a much larger rate (chapter 3).
    """
    rates = _check_learning_rates(learning_rates)
    point = np.asarray(point, dtype=np.float64)
    distance = float(np.linalg.norm(np.asarray(start, dtype=np.float64) - point))
    usable = []
    for rate in rates:
        with np.errstate(over="ignore", invalid="ignore"):
            trajectory = run_optimizer(
                make_optimizer, surface, start=start, num_steps=num_steps, learning_rate=rate
            )
            gaps = np.linalg.norm(trajectory - point, axis=1)
        if (
            len(trajectory) == num_steps + 1
            and np.all(gaps <= distance * (1 + 1e-12))
            and gaps[-1] <= tolerance * distance
        ):
            usable.append(rate)
    return tuple(usable)


def race_on_surface(
    optimizers: Mapping[str, Callable],
    surface: Surface,
    rates: Mapping[str, Sequence[float]],
    target: float,
    num_steps: int,
) -> dict[str, SurfaceSweep]:
    """Every optimizer of ``optimizers`` tuned on ``surface`` over its own ``rates[name]``."""
    return {
        name: tune_on_surface(make, surface, rates[name], target=target, num_steps=num_steps)
        for name, make in optimizers.items()
    }


def best_paths(sweeps: Mapping[str, SurfaceSweep]) -> dict[str, np.ndarray]:
    """Each optimizer's trajectory at its best rate, labelled ``"name (lr 0.03)"``."""
    return {
        f"{name} (lr {sweep.best_learning_rate:.2g})": sweep.best_trajectory
        for name, sweep in sweeps.items()
    }


# --------------------------------------------------------------------------------------
# One network, several learning-rate schedules (chapter 4)
# --------------------------------------------------------------------------------------


def train_with_schedules(
    make_model: Callable[[], object],
    make_optimizer: Callable,
    learning_rate: float,
    schedules: Mapping[str, tuple[Callable, str]],
    X: np.ndarray,
    Y: np.ndarray,
    total_epoch: int,
    batch_size: int,
    dev_X: np.ndarray | None = None,
    dev_Y: np.ndarray | None = None,
    seed: int = 0,
) -> dict[str, History]:
    """Train a fresh ``make_model()`` under each schedule, from the same rate ``learning_rate``.

    ``schedules`` maps a label to ``(schedule, unit)``, a :mod:`dldemos.schedules` schedule
    and ``"epoch"`` or ``"step"``; ``make_optimizer(param_dict, learning_rate,
    lr_scheduler=schedule, schedule_unit=unit)`` builds the optimizer (e.g.
    ``partial(SGD, momentum=0.9)``). Every run starts from the same initial weights and sees
    the same mini-batches (``seed``), so only the schedule differs. Unlike
    :func:`learning_rate_sweep`, a run whose loss climbs is kept: showing it is the point.
    Returns ``label -> History``.
    """
    _check_learning_rates([learning_rate])
    histories = {}
    for label, (schedule, unit) in schedules.items():
        model = make_model()
        optimizer = make_optimizer(
            model.param_dict, learning_rate, lr_scheduler=schedule, schedule_unit=unit
        )
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            histories[label] = train(
                model,
                optimizer,
                X,
                Y,
                total_epoch,
                batch_size,
                dev_X,
                dev_Y,
                seed=seed,
                progress=False,
            )
    return histories


__all__ = [
    "METRICS",
    "SCORE_EPOCHS",
    "SurfaceSweep",
    "SweepResult",
    "best_paths",
    "compare_optimizers",
    "converging_rates",
    "learning_rate_sweep",
    "race_on_surface",
    "rate_grid",
    "steps_to_reach",
    "train_with_schedules",
    "tune_on_surface",
]
