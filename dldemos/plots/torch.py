"""Figures of chapter 6: optimizers and learning-rate schedulers in PyTorch.

* :func:`trace_scheduler` -- the rate (and momentum) a ``torch.optim.lr_scheduler`` scheduler
  gives each step, recorded on a one-parameter optimizer, ready for
* :func:`plot_scheduler_grid` -- one small panel per scheduler, momentum or the monitored
  loss on a second axis;
* :func:`plot_lr_sequences` -- the rate each epoch used, for a few training loops (e.g.
  ``scheduler.step()`` called after or before ``optimizer.step()``);
* :func:`plot_optimizer_agreement` -- how far a from-scratch optimizer drifts from its
  ``torch.optim`` counterpart, step by step (log scale);
* :func:`plot_runs` -- any per-step or per-epoch curves of a few runs, with events (an
  unfrozen layer, a resumed run) marked by vertical lines;
* :func:`plot_resumed_runs` -- a run that never stopped against runs resumed from a
  checkpoint: training loss and learning rate;
* :func:`plot_batching_times` -- seconds per epoch spent cutting mini-batches, by method.

``import dldemos.plots.torch`` imports PyTorch (``trace_scheduler`` drives a real scheduler);
inside this module ``import torch`` is PyTorch itself, not this module (absolute imports).
Every function returns a :class:`matplotlib.figure.Figure` that no pyplot window owns, so a
notebook shows it once and tests can build it headless; single-panel functions accept ``ax=``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple

import numpy as np
import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from dldemos.plots import OPTIMIZER_COLORS, finish_rate_axes, new_axes

__all__ = [
    "SchedulerTrace",
    "trace_scheduler",
    "plot_scheduler_grid",
    "plot_lr_sequences",
    "plot_optimizer_agreement",
    "plot_runs",
    "plot_resumed_runs",
    "plot_batching_times",
]

MOMENTUM_COLOR = "tab:red"
METRIC_COLOR = "0.45"
_UNIT_LABELS = {"epoch": "epoch", "step": "step (optimizer.step() calls)"}


def _check_unit(unit: str) -> None:
    if unit not in _UNIT_LABELS:
        raise ValueError(f"unit must be one of {list(_UNIT_LABELS)}, got {unit!r}")


def _check_mapping(name: str, value, what: str) -> None:
    if not isinstance(value, Mapping) or not value:
        raise TypeError(f"{name} must be a non-empty dict label -> {what}, got {value!r}")


def _as_curve(label: str, values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(
            f"{label!r}: expected a non-empty 1-D sequence of numbers, got shape {array.shape}"
        )
    return array


_PALETTE = (
    "tab:blue",
    "tab:orange",
    "tab:green",
    "tab:red",
    "tab:purple",
    "tab:brown",
    "tab:pink",
    "tab:gray",
    "tab:olive",
    "tab:cyan",
    "black",
    "navy",
    "teal",
    "darkgoldenrod",
)


def _colors(labels: Sequence[str], colors: Mapping[str, str] | None = None) -> dict[str, str]:
    """A distinct colour per label: ``colors`` first; then the colour of the optimizer the label
    starts with (:data:`dldemos.plots.OPTIMIZER_COLORS`, first label of each optimizer only);
    then the first palette colour no other label uses."""
    chosen = {label: colors[label] for label in labels if colors and label in colors}
    for label in labels:
        name = label.split(" ")[0].rstrip(",:")
        color = OPTIMIZER_COLORS.get(name)
        if label not in chosen and color is not None and color not in chosen.values():
            chosen[label] = color
    spare = [color for color in _PALETTE if color not in chosen.values()]
    for index, label in enumerate(label for label in labels if label not in chosen):
        chosen[label] = spare[index % len(spare)] if spare else _PALETTE[index % len(_PALETTE)]
    return {label: chosen[label] for label in labels}


# --------------------------------------------------------------------------------------
# Schedulers
# --------------------------------------------------------------------------------------


class SchedulerTrace(NamedTuple):
    """What :func:`trace_scheduler` recorded: ``lrs[t]`` is the rate of step ``t``;
    ``momenta[t]`` its momentum, or None when the scheduler left the momentum alone;
    ``metrics[t]`` the value passed to ``scheduler.step`` after it (``ReduceLROnPlateau``)."""

    lrs: np.ndarray
    momenta: np.ndarray | None = None
    metrics: np.ndarray | None = None


def trace_scheduler(
    make_scheduler: Callable,
    num_steps: int,
    lr: float = 0.1,
    momentum: float = 0.9,
    metrics: Sequence[float] | None = None,
) -> SchedulerTrace:
    """Run a scheduler for ``num_steps`` steps and record the rate each step used.

    ``make_scheduler(optimizer)`` builds the scheduler on a fresh ``torch.optim.SGD`` over one
    parameter, created with ``lr`` and ``momentum``. Each step reads the group's rate and
    momentum, calls ``optimizer.step()`` (no gradient: the parameter does not move, but the
    scheduler sees the step) and then ``scheduler.step()`` -- or ``scheduler.step(metrics[t])``
    when ``metrics`` are given, as ``ReduceLROnPlateau`` needs.
    """
    if not isinstance(num_steps, int) or isinstance(num_steps, bool) or num_steps < 1:
        raise ValueError(f"num_steps must be a positive integer, got {num_steps!r}")
    if metrics is not None:
        metrics = _as_curve("metrics", metrics)
        if metrics.size < num_steps:
            raise ValueError(
                f"metrics holds {metrics.size} values; expected one per step, {num_steps}"
            )
    parameter = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([parameter], lr=lr, momentum=momentum)
    scheduler = make_scheduler(optimizer)
    lrs, momenta = [], []
    for t in range(num_steps):
        group = optimizer.param_groups[0]
        lrs.append(float(group["lr"]))
        momenta.append(float(group["momentum"]))
        optimizer.step()
        if metrics is None:
            scheduler.step()
        else:
            scheduler.step(float(metrics[t]))
    momenta = np.asarray(momenta)
    return SchedulerTrace(
        np.asarray(lrs),
        momenta if np.ptp(momenta) > 0 else None,
        None if metrics is None else metrics[:num_steps],
    )


def plot_scheduler_grid(
    traces: Mapping[str, SchedulerTrace],
    ncols: int = 3,
    unit: str = "step",
    title: str | None = None,
) -> Figure:
    """One panel per scheduler (``panel title -> SchedulerTrace``): its rate at every step.

    A trace with momenta draws them dashed on a right-hand axis; one with metrics draws the
    monitored loss dotted on a right-hand axis, so a ``ReduceLROnPlateau`` cut can be read
    against the plateau that caused it.
    """
    _check_mapping("traces", traces, "SchedulerTrace")
    _check_unit(unit)
    if not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be a positive integer, got {ncols!r}")
    ncols = min(ncols, len(traces))
    nrows = math.ceil(len(traces) / ncols)
    figure = Figure(figsize=(3.4 * ncols, 2.5 * nrows + 0.7), layout="constrained")
    axes = np.atleast_1d(figure.subplots(nrows, ncols, squeeze=False)).ravel()
    extras = set()
    for index, (ax, (name, trace)) in enumerate(zip(axes, traces.items())):
        if not isinstance(trace, SchedulerTrace):
            raise TypeError(f"traces[{name!r}] must be a SchedulerTrace, got {trace!r}")
        lrs = _as_curve(name, trace.lrs)
        steps = np.arange(lrs.size)
        ax.plot(steps, lrs, color=f"C{index % 10}", linewidth=1.7)
        ax.set_ylim(0, 1.1 * max(float(lrs.max()), 1e-12))
        ax.set_title(name, fontsize=9)
        ax.set_xlabel(f"{unit}s", fontsize=8)
        ax.tick_params(labelsize=7)
        if index % ncols == 0:
            ax.set_ylabel("learning rate", fontsize=8)
        for kind, values, color, style in (
            ("momentum", trace.momenta, MOMENTUM_COLOR, "--"),
            ("monitored loss", trace.metrics, METRIC_COLOR, ":"),
        ):
            if values is None:
                continue
            extras.add((kind, color, style))
            twin = ax.twinx()
            twin.spines["right"].set_visible(True)
            twin.plot(
                steps,
                _as_curve(name, values)[: lrs.size],
                color=color,
                linestyle=style,
                linewidth=1.4,
            )
            twin.set_ylabel(kind, fontsize=8, color=color)
            twin.tick_params(labelsize=7, colors=color)
            twin.grid(False)
    for ax in axes[len(traces) :]:
        ax.set_visible(False)
    handles = [Line2D([], [], color="gray", linewidth=1.7, label="learning rate (left axis)")]
    handles += [
        Line2D([], [], color=color, linestyle=style, label=f"{kind} (right axis)")
        for kind, color, style in sorted(extras)
    ]
    figure.legend(handles=handles, loc="outside lower center", ncol=len(handles), fontsize=9)
    figure.suptitle(title or "torch.optim.lr_scheduler: the rate of every step")
    return figure


def plot_lr_sequences(
    sequences: Mapping[str, Sequence[float]],
    unit: str = "epoch",
    title: str | None = None,
    ax: Axes | None = None,
    log_y: bool = False,
) -> Figure:
    """The rate each epoch (or step) used, one staircase per training loop (``label -> rates``).

    Each rate is drawn over ``[t, t + 1)`` with a marker at its start, and successive curves
    are drawn thinner on top of each other, so two loops that agree look like one line.
    """
    _check_mapping("sequences", sequences, "sequence of learning rates")
    _check_unit(unit)
    ax = new_axes(ax, figsize=(7.0, 3.6))
    for index, (label, values) in enumerate(sequences.items()):
        rates = _as_curve(label, values)
        t = np.arange(rates.size + 1)
        ax.plot(
            t,
            np.append(rates, rates[-1]),
            drawstyle="steps-post",
            color=f"C{index % 10}",
            linewidth=max(3.5 - 1.4 * index, 1.2),
            alpha=0.85,
            label=label,
        )
        ax.plot(t[:-1], rates, "o", color=f"C{index % 10}", markersize=4)
    return finish_rate_axes(
        ax,
        _UNIT_LABELS[unit],
        "learning rate used",
        title or f"Learning rate of every {unit}",
        log_y,
    )


# --------------------------------------------------------------------------------------
# Optimizers
# --------------------------------------------------------------------------------------


def plot_optimizer_agreement(
    differences: Mapping[str, Sequence[float]],
    levels: Mapping[str, float] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Largest ``|θ_ours - θ_torch|`` over all parameters after every step, log scale.

    ``differences`` maps a label (starting with the optimizer's name, which picks its colour in
    :data:`dldemos.plots.OPTIMIZER_COLORS`) to one value per step. A log axis cannot show 0: a
    pair whose difference stays exactly 0 at every step is listed in a box instead ("bitwise
    identical"), and isolated zeros of the other curves are left as gaps. ``levels`` adds
    labelled horizontal reference lines, e.g. ``{"float32 machine epsilon": 1.2e-7}``.
    """
    _check_mapping("differences", differences, "sequence of differences per step")
    ax = new_axes(ax)
    curves = {label: _as_curve(label, values) for label, values in differences.items()}
    identical = [label for label, values in curves.items() if not np.any(values)]
    drawn = {label: values for label, values in curves.items() if label not in identical}
    chosen = _colors(list(drawn))
    for label, values in drawn.items():
        steps = np.arange(1, values.size + 1)
        ax.plot(
            steps,
            np.where(values > 0, values, np.nan),
            color=chosen[label],
            linewidth=1.6,
            label=label,
        )
    for index, (name, level) in enumerate((levels or {}).items()):
        ax.axhline(
            level, color="black", linestyle=("--", ":", "-.")[index % 3], linewidth=1, label=name
        )
    if identical:
        # beside the axes, not over them: the box must not hide a curve
        ax.text(
            1.02,
            0.0,
            "bitwise identical at every step\n(difference 0):\n" + "\n".join(identical),
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=8,
            bbox=dict(boxstyle="round", facecolor="white", edgecolor="0.7"),
        )
    if drawn:
        ax.set_yscale("log")
    ax.set_xlabel("step (optimizer.step() calls)")
    ax.set_ylabel("largest |ours - torch.optim| over all weights")
    ax.set_title(title or "From-scratch optimizers against torch.optim, step by step")
    if drawn or levels:
        ax.legend(fontsize=8, loc="upper left")
    return ax.figure


# --------------------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------------------


def plot_runs(
    curves: Mapping[str, Sequence[float] | tuple[Sequence[float], Sequence[float]]],
    xlabel: str,
    ylabel: str,
    title: str,
    events: Mapping[str, float] | None = None,
    log_y: bool = False,
    ax: Axes | None = None,
    colors: Mapping[str, str] | None = None,
    markers: bool = False,
) -> Figure:
    """A few runs as curves: ``label -> ys`` (drawn at x = 1, 2, ...) or ``label -> (xs, ys)``.

    ``events`` maps a text to an x position marked by a vertical line (e.g.
    ``{"body unfrozen": 5}``). Colours: ``colors`` first, then an optimizer's colour when the
    label starts with its name, then a colour no other curve uses.
    """
    _check_mapping("curves", curves, "ys or (xs, ys)")
    ax = new_axes(ax)
    chosen = _colors(list(curves), colors)
    for label, curve in curves.items():
        if isinstance(curve, tuple) and len(curve) == 2:
            xs, ys = _as_curve(label, curve[0]), _as_curve(label, curve[1])
            if xs.shape != ys.shape:
                raise ValueError(
                    f"curves[{label!r}]: xs has shape {xs.shape} but ys has {ys.shape}"
                )
        else:
            ys = _as_curve(label, curve)
            xs = np.arange(1, ys.size + 1)
        ax.plot(
            xs,
            ys,
            "o-" if markers else "-",
            color=chosen[label],
            markersize=3,
            linewidth=1.6,
            label=label,
        )
    for index, (text, x) in enumerate((events or {}).items()):
        ax.axvline(
            x, color="black", linestyle=(":", "--", "-.")[index % 3], linewidth=1.2, label=text
        )
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=8)
    return ax.figure


def plot_resumed_runs(histories: Mapping, resume_epoch: int, title: str | None = None) -> Figure:
    """Runs of the same training, some resumed from a checkpoint after ``resume_epoch`` epochs.

    ``histories`` maps a label to a ``History`` of :mod:`dldemos.torch.train` (``epoch``,
    ``train_loss``, ``step_lr``). Left: the training loss by epoch (log scale); right: the
    rate of every step. Runs that coincide would hide each other, so each run is drawn
    thinner than the one before it, on top of it. A dotted line marks the resume.
    """
    _check_mapping("histories", histories, "History")
    figure = Figure(figsize=(10.5, 4.0), layout="constrained")
    left, right = figure.subplots(1, 2)
    chosen = _colors(list(histories))
    for index, (label, history) in enumerate(histories.items()):
        epochs = _as_curve(label, history.epoch)
        loss = _as_curve(label, history.train_loss)
        rates = _as_curve(label, history.step_lr)
        width = max(4.0 - 1.3 * index, 1.2)
        left.plot(
            epochs,
            loss,
            "o-",
            color=chosen[label],
            linewidth=width,
            markersize=width + 1,
            label=label,
        )
        right.plot(
            np.arange(rates.size) * epochs[-1] / rates.size,
            rates,
            color=chosen[label],
            linewidth=width,
            label=label,
        )
    for ax in (left, right):
        ax.axvline(resume_epoch, color="black", linestyle=":", linewidth=1.2, label="resumed here")
        ax.set_xlabel("epochs")
    left.set_yscale("log")
    left.set_ylabel("loss on the training set (mean over the epoch)")
    left.set_title("Training loss")
    right.set_ylim(bottom=0)
    right.set_ylabel("learning rate")
    right.set_title("Learning rate of every step")
    right.legend(fontsize=8)
    figure.suptitle(title or f"Stopped after epoch {resume_epoch}, resumed from a checkpoint")
    return figure


def plot_batching_times(
    seconds: Mapping[str, float], title: str | None = None, ax: Axes | None = None
) -> Figure:
    """Horizontal bars: seconds per epoch for each way of producing mini-batches (``label -> s``)."""
    _check_mapping("seconds", seconds, "seconds per epoch")
    labels = list(seconds)[::-1]  # the first label on top
    values = np.array([float(seconds[label]) for label in labels])
    if not np.all(np.isfinite(values)) or np.any(values < 0):
        raise ValueError(f"seconds must be finite and >= 0, got {dict(seconds)!r}")
    ax = new_axes(ax, figsize=(7.0, 0.9 + 0.6 * len(labels)))
    bars = ax.barh(
        labels, values * 1e3, color="tab:blue", label="one pass over the data, no training"
    )
    ax.bar_label(bars, labels=[f"{v * 1e3:.3g} ms" for v in values], fontsize=8, padding=3)
    ax.set_xlim(0, 1.25 * max(values.max() * 1e3, 1e-9))
    ax.set_xlabel("time per epoch (milliseconds)")
    ax.set_ylabel("how the batches are made")
    ax.set_title(title or "Cutting one epoch into mini-batches")
    ax.legend(fontsize=8, loc="lower right")
    return ax.figure
