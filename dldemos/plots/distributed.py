"""Large batches: the linear scaling rule and warmup (chapter 7).

* :func:`plot_scaling_rule` -- the training loss after a fixed number of epochs against the
  global batch size, one curve per learning-rate policy (a rate kept fixed, the linear
  scaling rule, the rule with warmup): where the rule holds and where it breaks;
* :func:`plot_warmup` -- the learning rate and the loss of the first steps, with and
  without warmup, several seeds per policy.

Chapter 7 also reuses :func:`dldemos.plots.curves.plot_step_cost` for the time of a step.
Every function returns a :class:`matplotlib.figure.Figure` that no pyplot window owns.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_scaling_rule", "plot_warmup"]


def _check_runs(name: str, runs) -> None:
    if not isinstance(runs, Mapping) or not runs:
        raise TypeError(f"{name} must be a non-empty dict label -> values, got {runs!r}")


def plot_scaling_rule(
    batch_sizes: Sequence[int],
    final_losses: Mapping[str, Sequence[Sequence[float]]],
    base_batch_size: int,
    epochs: int,
    title: str | None = None,
) -> Figure:
    """Training loss after ``epochs`` epochs against the global batch size, per policy.

    ``final_losses[label]`` has one row per seed and one column per entry of
    ``batch_sizes`` (NaN where a policy was not run). Each seed is a dot, the median over
    seeds a line; the y axis is logarithmic, so a run that diverged (a loss of 2 or more,
    where chance is ln 10 = 2.3) sits far above the ones that trained.
    """
    _check_runs("final_losses", final_losses)
    batch_sizes = np.asarray(batch_sizes)
    figure = Figure(figsize=(10.0, 4.0), layout="constrained")
    ax = figure.subplots()
    for i, (label, losses) in enumerate(final_losses.items()):
        losses = np.atleast_2d(np.asarray(losses, dtype=float))
        if losses.shape[1] != batch_sizes.size:
            raise ValueError(
                f"final_losses[{label!r}] has {losses.shape[1]} columns; expected one "
                f"per batch size, {batch_sizes.size}"
            )
        color = f"C{i}"
        for row in losses:
            ax.plot(batch_sizes, row, "o", color=color, alpha=0.4, markersize=4)
        ran = ~np.all(np.isnan(losses), axis=0)
        ax.plot(
            batch_sizes[ran],
            np.nanmedian(losses[:, ran], axis=0),
            "-",
            color=color,
            label=f"{label} (median of {losses.shape[0]} seeds)",
        )
    ax.axhline(math.log(10), color="gray", linestyle=":", label="chance: ln 10")
    ax.axvline(base_batch_size, color="gray", linestyle="--", alpha=0.5)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(batch_sizes, [str(b) for b in batch_sizes])
    ax.set_xlabel(f"global batch size B (examples per step; dashed: base batch {base_batch_size})")
    ax.set_ylabel(f"training loss in epoch {epochs} (log scale)")
    ax.set_title(title or "Same number of epochs, larger batches: which learning rate keeps up?")
    ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
    return figure


def plot_warmup(
    lrs: Mapping[str, Sequence[float]],
    losses: Mapping[str, Sequence[Sequence[float]]],
    title: str | None = None,
) -> Figure:
    """Two panels against the step: the learning rate of each policy, and its loss per seed.

    ``lrs[label]`` is the rate of every step; ``losses[label]`` has one row per seed, the
    mean loss of every global batch. The loss axis is logarithmic with the chance level
    ln 10 marked: a loss above it means the step made the network worse than guessing.
    """
    _check_runs("lrs", lrs)
    _check_runs("losses", losses)
    if lrs.keys() != losses.keys():
        raise KeyError(
            f"lrs and losses must have the same labels, got {list(lrs)} and {list(losses)}"
        )
    figure = Figure(figsize=(10.0, 4.0), layout="constrained")
    left, right = figure.subplots(1, 2)
    for i, label in enumerate(lrs):
        color = f"C{i}"
        left.plot(np.arange(len(lrs[label])), lrs[label], color=color, label=label)
        for seed, row in enumerate(np.atleast_2d(np.asarray(losses[label], dtype=float))):
            right.plot(
                np.arange(row.size),
                row,
                color=color,
                alpha=0.6,
                lw=1,
                label=f"{label} ({len(losses[label])} seeds)" if seed == 0 else None,
            )
    right.axhline(math.log(10), color="gray", linestyle=":", label="chance: ln 10")
    left.set_xlabel("step (parameter updates)")
    left.set_ylabel("learning rate")
    left.set_title("The schedules")
    right.set_yscale("log")
    right.set_xlabel("step (parameter updates)")
    right.set_ylabel("loss of the global batch (log scale)")
    right.set_title("The loss, one line per seed")
    left.legend()
    right.legend()
    figure.suptitle(title or "A large learning rate from the first step, or after a warmup")
    return figure
