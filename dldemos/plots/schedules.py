"""Figures of learning-rate schedules and of the learning-rate range test (chapter 4).

A schedule of :mod:`dldemos.schedules` is a pure function ``schedule(lr0, t)``, so it can
be drawn before any training: :func:`dldemos.schedules.schedule_values` lists the rates a
run would use, and the functions here draw them.

* :func:`plot_schedules` -- several schedules on one axes;
* :func:`plot_schedule_grid` -- one small panel per schedule (:class:`SchedulePanel`),
  optionally with a momentum curve on a second y-axis;
* :func:`plot_one_cycle` -- the one-cycle policy: rate and momentum, its phases shaded;
* :func:`plot_schedule_explorer` -- one schedule built from a few knobs, for the chapter's
  widget (:func:`dldemos.plots.interactive`);
* :func:`plot_noisy_descent` -- why decay at all: noisy gradient descent on a 2-D bowl;
* :func:`lr_range_test_regions`, :func:`plot_lr_range_test` -- reading the range test of
  :mod:`dldemos.lr_finder`: too small / good / too large;
* :func:`plot_schedule_runs` -- training runs under different schedules: their rates,
  training loss and dev accuracy side by side (drawn with :mod:`dldemos.plots.curves`).

A schedule keeps the same colour in every figure (:data:`SCHEDULE_COLORS`, matched on the
start of the label, so ``"cosine, lr0 = 0.3"`` is drawn like ``"cosine"``). Every function
returns a :class:`matplotlib.figure.Figure` that no pyplot window owns; single-panel
functions accept ``ax=`` to draw into an existing figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dldemos import schedules as S
from dldemos.plots import finish_rate_axes, new_axes
from dldemos.plots.curves import plot_losses
from dldemos.plots.landscapes import plot_contours
from dldemos.surfaces import Surface

__all__ = [
    "SCHEDULE_COLORS",
    "EXPLORER_SCHEDULES",
    "SchedulePanel",
    "LRRegions",
    "schedule_color",
    "schedule_colors",
    "plot_schedules",
    "plot_schedule_grid",
    "plot_one_cycle",
    "plot_schedule_explorer",
    "plot_noisy_descent",
    "lr_range_test_regions",
    "plot_lr_range_test",
    "plot_schedule_runs",
    "runs_table",
]

#: Colour of each family of schedules in every figure of chapter 4.
SCHEDULE_COLORS = {
    "constant": "black",
    "hyperbolic": "tab:blue",
    "staircase": "tab:cyan",
    "exponential": "tab:orange",
    "square root": "tab:green",
    "factor": "tab:red",
    "step": "tab:olive",
    "multi-step": "tab:purple",
    "YOLOv5 linear": "tab:brown",
    "YOLOv5 cosine": "mediumvioletred",
    "cosine": "tab:pink",
    "linear warmup": "slategray",
    "warmup + cosine": "tab:gray",
    "SGDR": "darkgoldenrod",
    "cyclical": "teal",
    "one-cycle": "navy",
}
MOMENTUM_COLOR = "tab:red"
_UNIT_LABELS = {"epoch": "epoch t", "step": "step t (parameter updates)"}
_FALLBACK = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown")


def _family(label: str) -> str | None:
    """The longest :data:`SCHEDULE_COLORS` key that ``label`` starts with (case-insensitive)."""
    matches = [key for key in SCHEDULE_COLORS if label.lower().startswith(key.lower())]
    return max(matches, key=len) if matches else None


def schedule_color(label: str, index: int = 0) -> str:
    """The colour of ``label``'s family of schedules, else a fallback colour chosen by ``index``."""
    family = _family(label)
    return SCHEDULE_COLORS[family] if family else _FALLBACK[index % len(_FALLBACK)]


def schedule_colors(labels: Sequence[str]) -> dict[str, str]:
    """A distinct colour for each label: its family's colour when no earlier label has
    claimed it, else the first colour that no other label of the figure uses."""
    chosen: dict[str, str] = {}
    for label in labels:
        family = _family(label)
        if family and SCHEDULE_COLORS[family] not in chosen.values():
            chosen[label] = SCHEDULE_COLORS[family]
    spare = [
        c
        for c in dict.fromkeys(_FALLBACK + tuple(SCHEDULE_COLORS.values()))
        if c not in chosen.values()
    ]
    for label in [label for label in labels if label not in chosen]:
        chosen[label] = spare.pop(0) if spare else _FALLBACK[len(chosen) % len(_FALLBACK)]
    return {label: chosen[label] for label in labels}


def _check_unit(unit: str) -> None:
    if unit not in _UNIT_LABELS:
        raise ValueError(f"unit must be one of {list(_UNIT_LABELS)}, got {unit!r}")


def _check_schedules(schedules) -> None:
    if not isinstance(schedules, Mapping) or not schedules:
        raise TypeError(
            f"schedules must be a non-empty dict label -> schedule(lr0, t), got {schedules!r}"
        )
    for label, schedule in schedules.items():
        if not callable(schedule):
            raise TypeError(f"schedules[{label!r}] must be a schedule(lr0, t), got {schedule!r}")


def _draw_rates(ax: Axes, values: np.ndarray, unit: str, **style) -> Line2D:
    """Rates of epochs (or steps) ``0 .. n-1``. Per epoch the rate is held for the whole
    epoch, so it is drawn as a staircase over ``[t, t + 1)``; per step, as a plain line."""
    if len(values) == 0:
        raise ValueError("a schedule needs at least one epoch or step to draw (n >= 1), got n = 0")
    if unit == "epoch":
        x = np.arange(len(values) + 1)
        return ax.plot(x, np.append(values, values[-1]), drawstyle="steps-post", **style)[0]
    return ax.plot(np.arange(len(values)), values, **style)[0]


# --------------------------------------------------------------------------------------
# Schedules before training
# --------------------------------------------------------------------------------------


def plot_schedules(
    schedules: Mapping[str, Callable],
    lr0: float,
    n: int,
    unit: str = "epoch",
    ax: Axes | None = None,
    title: str | None = None,
    log_y: bool = False,
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """The first ``n`` rates of each schedule (``label -> schedule``) started from ``lr0``.

    ``unit`` is ``"epoch"`` (each rate held for a whole epoch: a staircase) or ``"step"``.
    The values are :func:`dldemos.schedules.schedule_values`, i.e. exactly what an
    optimizer built with ``lr_scheduler=schedule`` would use.
    """
    _check_schedules(schedules)
    _check_unit(unit)
    ax = new_axes(ax)
    chosen = {**schedule_colors(list(schedules)), **(colors or {})}
    for label, schedule in schedules.items():
        color = chosen[label]
        _draw_rates(
            ax, S.schedule_values(schedule, lr0, n), unit, color=color, label=label, linewidth=1.8
        )
    return finish_rate_axes(
        ax,
        _UNIT_LABELS[unit],
        "learning rate",
        title or f"Learning-rate schedules, lr0 = {lr0:g}",
        log_y,
    )


class SchedulePanel(NamedTuple):
    """One panel of :func:`plot_schedule_grid`: ``schedule`` from ``lr0`` over ``n`` epochs
    or steps (``unit``), with an optional ``momentum`` schedule drawn on a second axis (one
    that sets its values from its own arguments, like ``one_cycle_momentum``)."""

    schedule: Callable
    lr0: float
    n: int
    unit: str = "epoch"
    momentum: Callable | None = None


def plot_schedule_grid(
    panels: Mapping[str, SchedulePanel], ncols: int = 4, title: str | None = None
) -> Figure:
    """A grid of small panels, one schedule each (``panel title -> SchedulePanel``).

    A panel with a ``momentum`` schedule draws it dashed on a right-hand axis. The rate
    axis of every panel starts at 0, so the depth of each decay can be compared by eye.
    """
    if not isinstance(panels, Mapping) or not panels:
        raise TypeError(f"panels must be a non-empty dict title -> SchedulePanel, got {panels!r}")
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    ncols = min(ncols, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    figure = Figure(figsize=(2.9 * ncols, 2.3 * nrows + 0.6), layout="constrained")
    axes = np.atleast_1d(figure.subplots(nrows, ncols, squeeze=False)).ravel()
    has_momentum = False
    for index, (ax, (name, panel)) in enumerate(zip(axes, panels.items())):
        if not isinstance(panel, SchedulePanel):
            raise TypeError(f"panels[{name!r}] must be a SchedulePanel, got {panel!r}")
        _check_unit(panel.unit)
        values = S.schedule_values(panel.schedule, panel.lr0, panel.n)
        _draw_rates(ax, values, panel.unit, color=schedule_color(name, index), linewidth=1.6)
        ax.set_ylim(0, 1.08 * max(float(values.max()), 1e-12))
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(f"{panel.unit}s", fontsize=8)
        ax.tick_params(labelsize=7)
        if index % ncols == 0:
            ax.set_ylabel("learning rate", fontsize=8)
        if panel.momentum is not None:
            has_momentum = True
            twin = ax.twinx()
            twin.spines["right"].set_visible(True)
            _draw_rates(
                twin,
                S.schedule_values(panel.momentum, 0.0, panel.n),
                panel.unit,
                color=MOMENTUM_COLOR,
                linestyle="--",
                linewidth=1.3,
            )
            twin.set_ylabel("momentum", fontsize=8, color=MOMENTUM_COLOR)
            twin.tick_params(labelsize=7, colors=MOMENTUM_COLOR)
            twin.grid(False)
    for ax in axes[len(panels) :]:
        ax.set_visible(False)
    handles = [Line2D([], [], color="gray", linewidth=1.6, label="learning rate (left axis)")]
    if has_momentum:
        handles.append(
            Line2D([], [], color=MOMENTUM_COLOR, linestyle="--", label="momentum (right axis)")
        )
    figure.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9)
    figure.suptitle(title or "Learning-rate schedules, plotted before training")
    return figure


_PHASE_NAMES = {
    2: ("1: warm-up", "2: annealing"),
    3: ("1: warm-up", "2: cool-down", "3: annihilation"),
}


def plot_one_cycle(
    lrs: Sequence[float],
    momenta: Sequence[float] | None = None,
    phase_ends: Sequence[float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Figure:
    """The one-cycle policy step by step: rate on the left axis, momentum on the right.

    ``lrs[t]`` and ``momenta[t]`` are the values of step ``t`` (e.g.
    ``schedule_values(one_cycle(...), 0, total_steps)`` and the same for
    ``one_cycle_momentum``). ``phase_ends`` lists the step where each phase ends (2 or 3
    of them, the last being ``len(lrs) - 1``); each phase is shaded and named.
    """
    lrs = np.asarray(lrs, dtype=float)
    if lrs.ndim != 1 or lrs.size < 2:
        raise ValueError(f"lrs must be a 1-D sequence of at least 2 rates, got shape {lrs.shape}")
    ax = new_axes(ax)
    steps = np.arange(lrs.size)
    handles = [
        ax.plot(steps, lrs, color=schedule_color("one-cycle"), linewidth=2, label="learning rate")[
            0
        ]
    ]
    ax.set_ylim(0, 1.15 * lrs.max())
    ax.set_xlabel(_UNIT_LABELS["step"])
    ax.set_ylabel("learning rate")
    if momenta is not None:
        momenta = np.asarray(momenta, dtype=float)
        if momenta.shape != lrs.shape:
            raise ValueError(f"momenta must have the shape of lrs {lrs.shape}, got {momenta.shape}")
        twin = ax.twinx()
        twin.spines["right"].set_visible(True)
        handles.append(
            twin.plot(
                steps,
                momenta,
                color=MOMENTUM_COLOR,
                linestyle="--",
                linewidth=1.8,
                label="momentum (right axis)",
            )[0]
        )
        spread = max(momenta.max() - momenta.min(), 1e-3)
        twin.set_ylim(momenta.min() - 0.15 * spread, momenta.max() + 0.35 * spread)
        twin.set_ylabel("momentum", color=MOMENTUM_COLOR)
        twin.tick_params(axis="y", colors=MOMENTUM_COLOR)
        twin.grid(False)
    if phase_ends is not None:
        ends = [float(e) for e in phase_ends]
        if len(ends) not in _PHASE_NAMES or any(a >= b for a, b in zip([0.0] + ends, ends)):
            raise ValueError(
                f"phase_ends must be 2 or 3 increasing steps after 0, got {list(phase_ends)}"
            )
        for i, (start, end, name) in enumerate(zip([0.0] + ends, ends, _PHASE_NAMES[len(ends)])):
            ax.axvspan(start, end, color=("tab:blue", "tab:orange", "tab:green")[i], alpha=0.08)
            ax.text((start + end) / 2, 1.1 * lrs.max(), name, ha="center", va="center", fontsize=8)
    ax.legend(handles=handles, loc="center right", fontsize=8)
    ax.set_title(title or "One-cycle policy: the rate rises while the momentum falls")
    return ax.figure


#: Names offered by :func:`plot_schedule_explorer` (the first is the widget's default).
EXPLORER_SCHEDULES = [
    "warmup + cosine",
    "constant",
    "hyperbolic",
    "staircase",
    "exponential",
    "square root",
    "factor",
    "step",
    "multi-step",
    "YOLOv5 linear",
    "YOLOv5 cosine",
    "cosine",
    "SGDR",
    "cyclical",
    "one-cycle",
]


def _explorer_schedule(name, lr0, epochs, decay_rate, gamma, warmup, cycle, final_factor):
    """Build the schedule ``name`` from the explorer's knobs (and its momentum, if any)."""
    warmup = min(warmup, epochs - 1)
    floor = final_factor * lr0
    builders = {
        "constant": lambda: S.const_lr,
        "hyperbolic": lambda: S.hyperbolic_decay(decay_rate),
        "staircase": lambda: S.staircase_decay(decay_rate, cycle),
        "exponential": lambda: S.exponential_decay(gamma),
        "square root": lambda: S.square_root_decay(),
        "factor": lambda: S.factor_decay(gamma, floor),
        "step": lambda: S.step_decay(cycle, gamma),
        "multi-step": lambda: S.multistep_decay(
            sorted({max(1, epochs // 2), max(2, 3 * epochs // 4)}), gamma
        ),
        "YOLOv5 linear": lambda: S.linear_decay(epochs - 1, final_factor),
        "YOLOv5 cosine": lambda: S.cosine_decay(epochs - 1, final_factor),
        "cosine": lambda: S.cosine_annealing(epochs - 1, floor),
        "warmup + cosine": lambda: S.linear_warmup(
            warmup, S.cosine_annealing(max(1, epochs - 1 - warmup), floor)
        ),
        "SGDR": lambda: S.cosine_warm_restarts(cycle, 2, floor),
        "cyclical": lambda: S.cyclic(floor, lr0, cycle),
        "one-cycle": lambda: S.one_cycle(
            lr0, epochs, pct_start=min(max(warmup, 2), epochs - 1) / epochs
        ),
    }
    if name not in builders:
        raise ValueError(f"unknown schedule {name!r}; expected one of {EXPLORER_SCHEDULES}")
    momentum = None
    if name == "one-cycle":
        momentum = S.one_cycle_momentum(epochs, pct_start=min(max(warmup, 2), epochs - 1) / epochs)
    return builders[name](), momentum


def plot_schedule_explorer(
    schedule: str = "warmup + cosine",
    lr0: float = 0.1,
    epochs: int = 50,
    decay_rate: float = 0.1,
    gamma: float = 0.9,
    warmup: int = 5,
    cycle: int = 10,
    final_factor: float = 0.1,
) -> Figure:
    """One schedule built from a few knobs, drawn over ``epochs`` epochs (the widget's plot).

    Each schedule reads the knobs it needs: ``decay_rate`` (hyperbolic, staircase),
    ``gamma`` (exponential, factor, step, multi-step), ``warmup`` (warmup + cosine, and the
    rising phase of one-cycle), ``cycle`` (the interval of staircase and step decay, the
    first period of SGDR, the half-period of the cyclical rate) and ``final_factor`` (the
    floor ``final_factor * lr0`` of factor, cosine, SGDR and cyclical, YOLOv5's ``lrf``).
    Multi-step decays at half and three quarters of the run. The title spells out the
    exact call, so the reader sees which knobs mattered; a dashed line marks ``lr0``.
    """
    sched, momentum = _explorer_schedule(
        schedule, lr0, epochs, decay_rate, gamma, warmup, cycle, final_factor
    )
    ax = new_axes(None, figsize=(7.0, 3.6))
    values = S.schedule_values(sched, lr0, epochs)
    _draw_rates(ax, values, "epoch", color=schedule_color(schedule), linewidth=2, label=schedule)
    ax.axhline(lr0, color="gray", linestyle=":", linewidth=1, label=f"lr0 = {lr0:g}")
    ax.set_ylim(0, 1.12 * max(lr0, float(values.max())))
    ax.set_xlabel(_UNIT_LABELS["epoch"])
    ax.set_ylabel("learning rate")
    handles, _ = ax.get_legend_handles_labels()
    if momentum is not None:
        twin = ax.twinx()
        twin.spines["right"].set_visible(True)
        handles.append(
            _draw_rates(
                twin,
                S.schedule_values(momentum, 0.0, epochs),
                "epoch",
                color=MOMENTUM_COLOR,
                linestyle="--",
                label="momentum (right axis)",
            )
        )
        twin.set_ylabel("momentum", color=MOMENTUM_COLOR)
        twin.grid(False)
    ax.legend(handles=handles, fontsize=8, loc="upper right")
    call = (
        sched.__name__.replace(", after=", ",\nafter=")
        if len(sched.__name__) > 60
        else sched.__name__
    )
    ax.set_title(call, fontsize=9, family="monospace")
    return ax.figure


# --------------------------------------------------------------------------------------
# Why decay: noisy descent on a bowl
# --------------------------------------------------------------------------------------


def plot_noisy_descent(
    surface: Surface, runs: Mapping[str, np.ndarray], title: str | None = None
) -> Figure:
    """Two panels for stochastic gradient descent on ``surface`` under several schedules.

    ``runs`` maps a label to an array of shape ``(num_runs, num_points, 2)``: the paths of
    ``num_runs`` repetitions with different gradient noise. Left: the first path of each
    label over the contours. Right: ``f`` along the paths, averaged over the repetitions
    (log scale), so the noise floor that a constant rate cannot get under shows plainly.
    """
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(
            f"runs must be a non-empty dict label -> array (num_runs, num_points, 2), got {runs!r}"
        )
    checked = {}
    for label, paths in runs.items():
        paths = np.asarray(paths, dtype=float)
        if paths.ndim != 3 or paths.shape[2] != 2 or paths.shape[0] < 1:
            raise ValueError(
                f"runs[{label!r}] must have shape (num_runs, num_points, 2), got {paths.shape}"
            )
        checked[label] = paths
    figure = Figure(figsize=(11.0, 4.2), layout="constrained")
    left, right = figure.subplots(1, 2, gridspec_kw={"width_ratios": [1.2, 1]})
    plot_contours(surface, ax=left)
    colors = schedule_colors(list(checked))
    for label, paths in checked.items():
        color = colors[label]
        left.plot(
            paths[0, :, 0],
            paths[0, :, 1],
            "-o",
            color=color,
            markersize=2,
            linewidth=1,
            alpha=0.85,
            label=label,
        )
        mean_loss = surface.f(paths[..., 0], paths[..., 1]).mean(axis=0)
        right.plot(np.arange(mean_loss.size), mean_loss, color=color, linewidth=1.8, label=label)
    start = next(iter(checked.values()))[0, 0]
    left.plot(
        *start, "o", color="white", markeredgecolor="black", markersize=8, label="start", zorder=6
    )
    (x0, x1), (y0, y1) = surface.bounds
    left.set(xlim=(x0, x1), ylim=(y0, y1), title="One noisy path of each")
    left.legend(fontsize=8, framealpha=0.8, frameon=True, loc="upper right")
    right.set_yscale("log")
    right.set(
        xlabel="step",
        ylabel="loss f(x, y), mean over runs",
        title=f"Loss averaged over {next(iter(checked.values())).shape[0]} noisy runs",
    )
    right.legend(fontsize=8)
    figure.suptitle(
        title or "Noisy gradients: a constant rate keeps bouncing, a decaying one settles"
    )
    return figure


# --------------------------------------------------------------------------------------
# The learning-rate range test
# --------------------------------------------------------------------------------------


class LRRegions(NamedTuple):
    """Where the range-test plot changes character: below ``too_small_below`` the loss
    hardly moves; above ``diverging_above`` (the minimum of the smoothed loss) it rises."""

    too_small_below: float
    diverging_above: float


def lr_range_test_regions(
    lrs: Sequence[float], smoothed_losses: Sequence[float], drop_fraction: float = 0.1
) -> LRRegions:
    """Split a range test into its three regions: too small, good, too large.

    With ``L0`` the starting level of the smoothed loss (median of its first tenth) and
    ``Lmin`` its minimum, the *good* region is where the loss is on its way down: it
    starts at the rate after which the smoothed loss stays ``drop_fraction * (L0 - Lmin)``
    below ``L0`` all the way to the minimum, and it ends at the minimum. To the left the
    rate is too small to make progress; to the right the loss rises and then diverges.
    """
    lrs = np.asarray(lrs, dtype=float)
    losses = np.asarray(smoothed_losses, dtype=float)
    if lrs.ndim != 1 or lrs.shape != losses.shape or lrs.size < 3:
        raise ValueError(
            f"lrs and smoothed_losses must be 1-D of the same length >= 3, got shapes "
            f"{lrs.shape} and {losses.shape}"
        )
    if not 0 < drop_fraction < 1:
        raise ValueError(f"drop_fraction must lie in (0, 1), got {drop_fraction!r}")
    best = int(np.argmin(losses))
    start_level = float(np.median(losses[: max(1, lrs.size // 10)]))
    drop = start_level - losses[best]
    if drop <= 0 or best == 0:
        raise ValueError(
            "the smoothed loss never fell below its starting level: the sweep starts too "
            "high or is too short; lower min_lr or add steps"
        )
    threshold = start_level - drop_fraction * drop
    still_high = np.flatnonzero(losses[:best] >= threshold)
    first_good = still_high[-1] + 1 if still_high.size else 0
    return LRRegions(float(lrs[first_good]), float(lrs[best]))


def plot_lr_range_test(
    result, regions: LRRegions | None = None, ax: Axes | None = None, title: str | None = None
) -> Figure:
    """The range test's loss against the learning rate (log axis), its regions shaded.

    ``result`` has ``lrs``, ``losses`` (raw mini-batch losses), ``smoothed_losses`` and
    ``suggestion`` (a rate or ``None``), like :class:`dldemos.lr_finder.LRRangeTestResult`.
    ``regions`` defaults to :func:`lr_range_test_regions` of the smoothed curve. The
    suggestion (steepest descent of the smoothed loss) and the minimum are marked.
    """
    lrs = np.asarray(result.lrs, dtype=float)
    losses = np.asarray(result.losses, dtype=float)
    smoothed = np.asarray(result.smoothed_losses, dtype=float)
    if regions is None:
        regions = lr_range_test_regions(lrs, smoothed)
    ax = new_axes(ax, figsize=(7.5, 4.3))
    ax.plot(lrs, losses, color="tab:blue", alpha=0.3, linewidth=0.8, label="mini-batch loss")
    ax.plot(lrs, smoothed, color="tab:blue", linewidth=2, label="smoothed (bias-corrected EWMA)")
    low, high = lrs[0], lrs[-1]
    spans = (
        (low, regions.too_small_below, "tab:gray", "too small:\nloss hardly moves"),
        (regions.too_small_below, regions.diverging_above, "tab:green", "good:\nloss falls fast"),
        (regions.diverging_above, high, "tab:red", "too large:\nloss diverges"),
    )
    best = int(np.argmin(smoothed))
    top = 1.35 * max(
        float(np.median(smoothed[: max(1, lrs.size // 10)])), float(smoothed[: best + 1].max())
    )
    for start, end, color, text in spans:
        if end > start:
            ax.axvspan(start, end, color=color, alpha=0.12)
            ax.text(
                math.sqrt(start * end),
                top * 0.97,
                text,
                ha="center",
                va="top",
                fontsize=8,
                color=color,
                bbox={"facecolor": "white", "alpha": 0.7, "edgecolor": "none", "pad": 1},
            )
    ax.plot(
        lrs[best],
        smoothed[best],
        "v",
        color="tab:red",
        markersize=9,
        label=f"minimum of the smoothed loss: lr = {lrs[best]:.2g}",
    )
    if result.suggestion is not None:
        at = int(np.argmin(np.abs(np.log(lrs) - math.log(result.suggestion))))
        ax.axvline(result.suggestion, color="tab:green", linestyle="--", linewidth=1)
        ax.plot(
            lrs[at],
            smoothed[at],
            "o",
            color="tab:green",
            markersize=9,
            label=f"suggestion (steepest descent): lr = {result.suggestion:.2g}",
        )
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    ax.set_ylim(0, top)
    ax.set_xlabel("learning rate (log scale; it grows every step)")
    ax.set_ylabel("training loss (cross-entropy)")
    ax.set_title(title or "Learning-rate range test")
    ax.legend(fontsize=8, loc="lower left")
    return ax.figure


# --------------------------------------------------------------------------------------
# Training under schedules
# --------------------------------------------------------------------------------------

_PANEL_TITLES = {
    "step_lr": "Learning rate of every step",
    "lr": "Learning rate of each epoch",
    "train_loss": "Loss on the training set",
    "dev_loss": "Loss on the dev set",
    "train_accuracy": "Training accuracy",
    "dev_accuracy": "Dev accuracy",
    "step_loss": "Mini-batch loss",
}


def plot_schedule_runs(
    histories: Mapping,
    panels: Sequence[str] = ("step_lr", "train_loss", "dev_accuracy"),
    title: str | None = None,
    linestyles: Mapping[str, str] | None = None,
) -> Figure:
    """Runs trained under different schedules (``label -> History``), one panel per quantity.

    By default: the learning rate of every step, the training loss (log scale) and the
    dev accuracy, all against epochs. Colours follow :data:`SCHEDULE_COLORS` by label.
    """
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError(f"histories must be a non-empty dict label -> History, got {histories!r}")
    if not panels or any(p not in _PANEL_TITLES for p in panels):
        raise ValueError(f"panels must be names among {list(_PANEL_TITLES)}, got {list(panels)}")
    colors = schedule_colors(list(histories))
    figure = Figure(figsize=(4.3 * len(panels), 4.0), layout="constrained")
    axes = np.atleast_1d(figure.subplots(1, len(panels)))
    for ax, quantity in zip(axes, panels):
        plot_losses(
            histories,
            y=quantity,
            x="epoch",
            ax=ax,
            colors=colors,
            linestyles=linestyles,
            log_y=quantity in ("train_loss", "dev_loss", "step_loss"),
            title=_PANEL_TITLES[quantity],
        )
        if quantity != panels[-1]:
            ax.get_legend().remove()
        else:
            ax.legend(fontsize=7)
    figure.suptitle(title or "The same network trained under different schedules")
    return figure


def runs_table(histories: Mapping) -> str:
    """The end of each run (``label -> History``) as a text table: final training loss,
    dev loss and dev accuracy."""
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError(f"histories must be a non-empty dict label -> History, got {histories!r}")
    width = max(24, max(len(label) for label in histories) + 2)
    lines = [f"{'run':<{width}}{'train loss':>12}{'dev loss':>10}{'dev accuracy':>14}"]
    for label, h in histories.items():
        lines.append(
            f"{label:<{width}}{h.train_loss[-1]:>12.2e}{h.dev_loss[-1]:>10.3f}{h.dev_accuracy[-1]:>14.1%}"
        )
    return "\n".join(lines)
