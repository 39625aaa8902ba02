"""Training curves and what a batch size costs (chapters 1, 3 and 4).

Curves of one or several training runs, each a :class:`dldemos.train.History`:

* :func:`plot_losses` -- any recorded quantity (training or dev loss, accuracy, learning
  rate, the per-step mini-batch loss) of several runs against epochs, steps or seconds;
* :func:`plot_step_loss` -- one run's noisy per-step mini-batch loss beside its smooth
  per-epoch loss on the whole training set, optionally with an EWMA of the noisy curve.

Chapter 1's measurements of the cost of a batch size (numbers from :mod:`dldemos.timing`):

* :func:`plot_batch_loss_spread` -- how much the loss of a mini-batch scatters, by batch size;
* :func:`plot_step_cost` -- seconds per step and per example: vectorisation at work;
* :func:`plot_batch_size_race` -- seconds per epoch and loss under a shared time budget;
* :func:`plot_io_costs` -- an epoch fed from memory or from files, reading vs computing;
* :func:`plot_loss_along_line` -- the loss on the segment between two parameter vectors,
  the picture that tells a convex cost from a non-convex one.

Every function returns a :class:`matplotlib.figure.Figure` that no pyplot window owns: a
notebook shows it once when it is the value of a cell, and tests can build it headless.
Functions that draw a single panel accept ``ax=`` to draw into an existing figure instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dldemos.averages import ewma
from dldemos.plots import OPTIMIZER_COLORS, new_axes

#: y-axis labels of the quantities a ``History`` records.
QUANTITY_LABELS = {
    "train_loss": "loss on the training set",
    "dev_loss": "loss on the dev set",
    "train_accuracy": "accuracy on the training set",
    "dev_accuracy": "accuracy on the dev set",
    "lr": "learning rate",
    "step_loss": "mini-batch loss",
    "step_lr": "learning rate",
}
PER_STEP = ("step_loss", "step_lr")
X_AXES = {
    "epoch": "epochs",
    "step": "steps (parameter updates made)",
    "time": "training time (seconds)",
}


def _colors(labels: Sequence[str], colors: Mapping[str, str] | None) -> dict[str, str]:
    """The colour of each label: ``colors`` first, then the optimizer's, then the cycle."""
    cycle = [f"C{i}" for i in range(10)]
    chosen = {}
    for i, label in enumerate(labels):
        if colors is not None and label in colors:
            chosen[label] = colors[label]
        else:
            chosen[label] = OPTIMIZER_COLORS.get(label, cycle[i % len(cycle)])
    return chosen


def _check_histories(histories) -> None:
    if not isinstance(histories, Mapping) or not histories:
        raise TypeError(f"histories must be a non-empty dict label -> History, got {histories!r}")


def _steps_per_epoch(label: str, history) -> int:
    if not history.epoch:
        raise ValueError(f"history {label!r} holds no completed epoch")
    steps, remainder = divmod(len(history.step_loss), len(history.epoch))
    if remainder:
        raise ValueError(
            f"history {label!r} has {len(history.step_loss)} steps in {len(history.epoch)} "
            f"epochs; expected the same number of steps in every epoch"
        )
    return steps


def _curve(label: str, history, x: str, y: str) -> tuple[np.ndarray, np.ndarray]:
    """The ``(x, y)`` points of quantity ``y`` of one history."""
    if y not in QUANTITY_LABELS:
        raise ValueError(f"unknown quantity y={y!r}; expected one of {list(QUANTITY_LABELS)}")
    if x not in X_AXES:
        raise ValueError(f"unknown x={x!r}; expected one of {list(X_AXES)}")
    values = np.asarray(getattr(history, y), dtype=float)
    if values.size == 0:
        raise ValueError(f"history {label!r} recorded no {y!r} (a dev quantity needs a dev set)")
    if y in PER_STEP:
        if x == "time":
            raise ValueError(
                f"y={y!r} is recorded per step, without a time stamp: use x='step' or x='epoch'"
            )
        steps = np.arange(
            values.size
        )  # the i-th value (counting from 0) was measured after i updates
        return (steps / _steps_per_epoch(label, history) if x == "epoch" else steps), values
    if x == "epoch":
        return np.asarray(history.epoch), values
    if x == "time":
        return np.asarray(history.wall_time), values
    return np.asarray(history.epoch) * _steps_per_epoch(label, history), values


def plot_losses(
    histories: Mapping,
    y: str = "train_loss",
    x: str = "epoch",
    title: str | None = None,
    ax: Axes | None = None,
    log_y: bool = False,
    colors: Mapping[str, str] | None = None,
    linestyles: Mapping[str, str] | None = None,
    minimum: float | None = None,
) -> Figure:
    """One curve per run: quantity ``y`` of every ``History`` in ``histories`` against ``x``.

    ``y`` is a field of ``History``: ``"train_loss"``, ``"dev_loss"``, ``"train_accuracy"``,
    ``"dev_accuracy"``, ``"lr"`` (recorded once per epoch) or ``"step_loss"``, ``"step_lr"``
    (once per step). ``x`` is ``"epoch"``, ``"step"`` (the number of parameter updates
    made, which is what distinguishes batch sizes) or ``"time"`` (wall-clock seconds,
    per-epoch quantities only). Step ``i`` is measured before its update, after ``i - 1``
    updates, and drawn there; per-epoch values come after the epoch's last update. Per-step
    quantities against ``"epoch"`` are placed at fractional epochs, so runs with different
    batch sizes share the axis.

    ``colors`` and ``linestyles`` map labels to matplotlib styles; by default an optimizer
    keeps its colour of :data:`dldemos.plots.OPTIMIZER_COLORS` and others take the cycle.

    ``minimum``, the lowest value the quantity can reach (e.g. the minimum of a convex
    cost), plots the gap ``y - minimum`` instead, on a log scale: how far each run still is.
    """
    _check_histories(histories)
    ax = new_axes(ax)
    figure = ax.figure
    chosen = _colors(list(histories), colors)
    for label, history in histories.items():
        xs, ys = _curve(label, history, x, y)
        if minimum is not None:
            ys = ys - minimum
        style = (linestyles or {}).get(label, "-")
        thin = y in PER_STEP and len(xs) > 200
        ax.plot(
            xs,
            ys,
            linestyle=style,
            color=chosen[label],
            label=label,
            linewidth=0.8 if thin else 1.8,
            alpha=0.8 if thin else 1.0,
        )
    ax.set_xlabel(X_AXES[x])
    ax.set_ylabel(
        QUANTITY_LABELS[y]
        if minimum is None
        else f"{QUANTITY_LABELS[y]} minus its minimum {minimum:.5g}"
    )
    if log_y or minimum is not None:
        ax.set_yscale("log")
    ax.set_title(title or f"{QUANTITY_LABELS[y].capitalize()} by {X_AXES[x].split(' ')[0]}")
    ax.legend()
    return figure


def plot_step_loss(
    history,
    title: str | None = None,
    smooth_beta: float | None = None,
    ax: Axes | None = None,
    color: str = "C0",
) -> Figure:
    """One run's mini-batch loss at every step against its loss on the whole training set.

    The x axis counts the parameter updates made so far. The per-step curve is the loss of
    the batch each step was computed on, measured before its update (so step ``i`` is drawn
    at ``i - 1``): a different sample every step, hence noisy. The per-epoch points are the
    loss on the whole training set after each epoch's last update. For batch gradient
    descent the two curves coincide.

    With ``smooth_beta`` the bias-corrected EWMA of the per-step loss
    (:func:`dldemos.averages.ewma`, chapter 2) is drawn as well. A second axis on top
    counts epochs.
    """
    ax = new_axes(ax)
    figure = ax.figure
    steps_per_epoch = _steps_per_epoch("history", history)
    steps = np.arange(len(history.step_loss))
    ax.plot(
        steps,
        history.step_loss,
        color=color,
        alpha=0.35,
        linewidth=0.8,
        label=f"mini-batch loss, every step ({steps_per_epoch} per epoch)",
    )
    if smooth_beta is not None:
        ax.plot(
            steps,
            ewma(np.asarray(history.step_loss), smooth_beta, bias_correction=True),
            color=color,
            linewidth=1.6,
            label=f"EWMA of the mini-batch loss (beta = {smooth_beta:g})",
        )
    epoch_ends = np.asarray(history.epoch) * steps_per_epoch
    ax.plot(
        epoch_ends,
        history.train_loss,
        "o-",
        color="black",
        markersize=3,
        linewidth=1.2,
        label="loss on the whole training set, every epoch",
    )
    ax.set_xlabel("parameter updates made")
    ax.set_ylabel("loss (cross-entropy)")
    top = ax.secondary_xaxis(
        "top", functions=(lambda s: s / steps_per_epoch, lambda e: e * steps_per_epoch)
    )
    top.set_xlabel("epochs")
    ax.set_title(title or "Per-step mini-batch loss against the per-epoch training loss")
    ax.legend()
    return figure


def plot_batch_loss_spread(
    batch_sizes: Sequence[int],
    spread: Sequence[float],
    title: str | None = None,
    ax: Axes | None = None,
    num_examples: int | None = None,
) -> Figure:
    """Standard deviation of the mini-batch loss, at fixed parameters, by batch size (log-log).

    A mini-batch loss is the mean of ``B`` per-example losses, so its spread around the
    full-data loss falls like ``sigma / sqrt(B)``; the dashed line is that law through the
    first point. With ``num_examples=m`` a dotted curve adds the finite-population
    correction of ``B`` examples drawn without replacement from ``m``,
    ``sigma / sqrt(B) * sqrt((m - B) / (m - 1))`` (Cochran, *Sampling Techniques*, 1977,
    section 2.5), which falls to 0 at ``B = m``.
    """
    batch_sizes = np.asarray(batch_sizes, dtype=float)
    spread = np.asarray(spread, dtype=float)
    if batch_sizes.shape != spread.shape or batch_sizes.ndim != 1 or batch_sizes.size == 0:
        raise ValueError(
            f"batch_sizes and spread must be 1-D of the same length, got shapes "
            f"{batch_sizes.shape} and {spread.shape}"
        )
    ax = new_axes(ax)
    figure = ax.figure
    ax.loglog(batch_sizes, spread, "o-", label="measured spread of the mini-batch loss")
    line = spread[0] * np.sqrt(batch_sizes[0] / batch_sizes)
    ax.loglog(batch_sizes, line, "--", color="gray", label=r"$\propto 1/\sqrt{B}$")
    if num_examples is not None:
        m = num_examples
        correction = np.sqrt((m - batch_sizes) / (m - 1) / ((m - batch_sizes[0]) / (m - 1)))
        ax.loglog(
            batch_sizes,
            line * correction,
            ":",
            color="black",
            label=r"$\propto \sqrt{(m - B) / (m - 1)} / \sqrt{B}$",
        )
    ax.set_xlabel("batch size B (examples)")
    ax.set_ylabel("standard deviation of the mini-batch loss")
    ax.set_title(title or "Why the per-batch curve is noisy: the spread of a batch's loss")
    ax.legend()
    return figure


def plot_step_cost(
    batch_sizes: Sequence[int], seconds_per_step: Sequence[float], title: str | None = None
) -> Figure:
    """Two panels: milliseconds per training step and microseconds per example (log-log), by batch size.

    Powers of two are drawn as filled circles, other sizes as open ones, so any advantage of
    a power of two would stand out; the legend is left out when every size is a power of two.
    """
    batch_sizes = np.asarray(batch_sizes)
    seconds = np.asarray(seconds_per_step, dtype=float)
    if batch_sizes.shape != seconds.shape or batch_sizes.ndim != 1 or batch_sizes.size == 0:
        raise ValueError(
            f"batch_sizes and seconds_per_step must be 1-D of the same length, got shapes "
            f"{batch_sizes.shape} and {seconds.shape}"
        )
    order = np.argsort(batch_sizes)
    batch_sizes, seconds = batch_sizes[order], seconds[order]
    power_of_two = (batch_sizes & (batch_sizes - 1)) == 0
    figure = Figure(figsize=(10.0, 4.0), layout="constrained")
    left, right = figure.subplots(1, 2)
    for ax, values, ylabel in (
        (left, seconds * 1e3, "time per step (milliseconds)"),
        (right, seconds / batch_sizes * 1e6, "time per example (microseconds, log scale)"),
    ):
        ax.plot(batch_sizes, values, "-", color="C0", alpha=0.5)
        ax.plot(
            batch_sizes[power_of_two], values[power_of_two], "o", color="C0", label="power of two"
        )
        ax.plot(
            batch_sizes[~power_of_two],
            values[~power_of_two],
            "o",
            markerfacecolor="white",
            color="C0",
            label="other batch size",
        )
        ax.set_xscale("log")
        ax.set_xlabel("batch size B (examples, log scale)")
        ax.set_ylabel(ylabel)
        if not power_of_two.all():  # a legend only where there are two kinds of marker
            ax.legend()
    left.set_ylim(bottom=0)
    right.set_yscale("log")
    left.set_title("One step: almost flat while B is small")
    right.set_title("Per example: vectorisation pays")
    figure.suptitle(title or "What one training step costs, by batch size")
    return figure


def plot_batch_size_race(
    runs: Mapping, title: str | None = None, colors: Mapping[str, str] | None = None
) -> Figure:
    """Two panels for runs that had the same wall-clock budget (:func:`dldemos.timing.race_batch_sizes`).

    ``runs`` maps a label (e.g. ``"b = 64"``) to a :class:`dldemos.timing.TimedRun`. Left:
    seconds per epoch (log scale). Right: loss on the training set against training
    seconds, each run at its own learning rate (shown in the legend); the right end of each
    curve is the loss after the shared budget.
    """
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(f"runs must be a non-empty dict label -> TimedRun, got {runs!r}")
    labels = list(runs)
    chosen = _colors(labels, colors)
    figure = Figure(figsize=(10.0, 4.0), layout="constrained")
    left, right = figure.subplots(1, 2)
    per_epoch = [runs[label].seconds_per_epoch for label in labels]
    bars = left.bar(labels, per_epoch, color=[chosen[label] for label in labels])
    left.bar_label(bars, labels=[f"{s:.3g} s" for s in per_epoch], fontsize=8)
    left.set_yscale("log")
    left.set_xlabel("batch size")
    left.set_ylabel("time per epoch (seconds)")
    left.set_title("Time for one pass over the data")
    for label in labels:
        run = runs[label]
        finite = np.isfinite(run.train_loss)
        note = "diverged" if run.diverged else f"final {run.final_loss:.3g}"
        right.plot(
            np.asarray(run.seconds)[finite],
            np.asarray(run.train_loss)[finite],
            "-",
            color=chosen[label],
            label=f"{label}, lr {run.learning_rate:g} ({note})",
        )
    right.set_yscale("log")
    right.set_xlabel("training time (seconds)")
    right.set_ylabel("loss on the training set")
    right.set_title("Progress under the same time budget")
    right.legend(fontsize=8)
    figure.suptitle(title or "Batch size against wall-clock time")
    return figure


def plot_io_costs(
    costs: Mapping[str, tuple[float, float]], title: str | None = None, ax: Axes | None = None
) -> Figure:
    """Horizontal stacked bars: seconds per epoch spent reading data and computing.

    ``costs`` maps a data source (``"in memory"``, ``"one file per batch"``, ...) to
    ``(read_seconds, compute_seconds)`` as returned by :func:`dldemos.timing.time_epoch`.
    """
    if not isinstance(costs, Mapping) or not costs:
        raise TypeError(
            f"costs must be a non-empty dict source -> (read_seconds, compute_seconds), got {costs!r}"
        )
    for source, value in costs.items():
        if len(value) != 2:
            raise ValueError(
                f"costs[{source!r}] must be (read_seconds, compute_seconds), got {value!r}"
            )
    ax = new_axes(ax, figsize=(7.0, 3.0))
    figure = ax.figure
    sources = list(costs)[::-1]  # first source on top
    read = np.array([costs[s][0] for s in sources])
    compute = np.array([costs[s][1] for s in sources])
    ax.barh(sources, compute, color="C0", label="computing (forward, backward, update)")
    bars = ax.barh(sources, read, left=compute, color="C3", label="reading the data")
    ax.bar_label(
        bars, labels=[f"{r + c:.3g} s" for r, c in zip(read, compute)], fontsize=8, padding=3
    )
    ax.set_xlim(0, 1.2 * max(read + compute))
    ax.set_xlabel("time per epoch (seconds)")
    ax.set_ylabel("where the batches come from")
    ax.set_title(title or "Reading the data every step costs time")
    ax.legend(loc="upper right", fontsize=9)  # the first source, on top, is usually the fastest
    return figure


def plot_loss_along_line(
    taus: Sequence[float],
    losses: Mapping[str, Sequence[float]],
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Loss on the segment ``theta(tau) = (1 - tau) theta_A + tau theta_B``, one curve per cost.

    A convex cost never rises above the chord joining its two end values (dotted), so a bump
    above the chord proves a cost non-convex. ``taus`` should run from 0 to 1.
    """
    taus = np.asarray(taus, dtype=float)
    if taus.ndim != 1 or taus.size < 2:
        raise ValueError(f"taus must be 1-D with at least two values, got shape {taus.shape}")
    if not isinstance(losses, Mapping) or not losses:
        raise TypeError(
            f"losses must be a non-empty dict label -> losses along the line, got {losses!r}"
        )
    ax = new_axes(ax)
    figure = ax.figure
    chosen = _colors(list(losses), None)
    for label, values in losses.items():
        values = np.asarray(values, dtype=float)
        if values.shape != taus.shape:
            raise ValueError(
                f"losses[{label!r}] has shape {values.shape}; expected {taus.shape} like taus"
            )
        ax.plot(taus, values, "-", color=chosen[label], label=label)
        chord = values[0] + (values[-1] - values[0]) * (taus - taus[0]) / (taus[-1] - taus[0])
        ax.plot(taus, chord, ":", color=chosen[label])
    ax.plot([], [], ":", color="gray", label="chord between the end points")
    ax.set_xlabel(
        r"position $\tau$ on the segment from $\theta_A$ ($\tau=0$) to $\theta_B$ ($\tau=1$)"
    )
    ax.set_ylabel("loss on the training set")
    ax.set_title(title or "The loss along a straight line in parameter space")
    ax.legend()
    return figure
