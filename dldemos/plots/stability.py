"""Figures of chapter 9: clipping, weight averaging, Adam's failure modes, warmup, Lion."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.figure import Figure

from dldemos.plots import new_axes

__all__ = ["plot_runs", "plot_norm_by_depth", "plot_dev_losses", "plot_seed_losses", "plot_final_x"]


def plot_runs(
    runs: Mapping[str, Mapping[str, np.ndarray]],
    keys=("loss", "grad_norm"),
    ylabels=("mini-batch loss", "gradient norm (before clipping)"),
    title: str = "",
    smooth: int = 1,
):
    """Side-by-side panels, one per recorded quantity, one line per run (log y); a run that
    diverged ends with a cross. ``smooth > 1`` averages over that many steps."""
    fig = Figure(figsize=(10.0, 3.8), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(keys)))
    for ax, key, ylabel in zip(axes, keys, ylabels):
        for index, (label, run) in enumerate(runs.items()):
            values = np.asarray(run[key], dtype=float)
            finite = values[np.isfinite(values)]
            if smooth > 1 and len(finite) >= smooth:
                finite = np.convolve(finite, np.ones(smooth) / smooth, mode="valid")
            (line,) = ax.plot(finite, color=f"C{index}", label=label)
            if len(finite) < len(values) and smooth == 1:
                ax.plot(
                    len(finite),
                    finite[-1] if len(finite) else 1,
                    "x",
                    color=line.get_color(),
                    ms=10,
                    mew=2,
                    label=f"{label}: diverged",
                )
        ax.set(yscale="log", xlabel="step", ylabel=ylabel)
        ax.legend(fontsize=8)
    fig.suptitle(title)
    return fig


def plot_norm_by_depth(depths, norms: Mapping[str, list[float]], ax=None):
    """Statistics of the gradient's global norm during training (one line each) against the depth."""
    ax = new_axes(ax, figsize=(6.0, 3.5))
    for label, values in norms.items():
        ax.plot(depths, values, "o-", label=label)
    ax.set(
        yscale="log",
        xlabel="number of hidden layers",
        ylabel="gradient norm",
        title="Deeper: rare, ever larger gradient spikes",
    )
    ax.legend(fontsize=8)
    return ax.figure


def plot_dev_losses(losses: Mapping[str, list[float]], ax=None, title: str = ""):
    """Dev loss per epoch of the last iterate and of each average of the weights."""
    ax = new_axes(ax)
    for label, values in losses.items():
        ax.plot(np.arange(1, len(values) + 1), values, marker="o", ms=3, label=label)
    ax.set(yscale="log", xlabel="epoch", ylabel="dev loss", title=title)
    ax.legend(fontsize=8)
    return ax.figure


def plot_seed_losses(losses: Mapping[str, list[float]], ax=None, title: str = ""):
    """One dev loss per seed (x axis) for each variant, joined per variant (chapter 9's
    ``update_bn``: the last iterate, SWA with stale statistics, with averaged statistics, and
    after ``update_bn``)."""
    ax = new_axes(ax)
    for label, values in losses.items():
        ax.plot(np.arange(len(values)), values, marker="o", ms=4, lw=0.8, label=label)
    ax.set(xlabel="seed", ylabel="dev loss", title=title)
    ax.legend(fontsize=8)
    return ax.figure


def plot_final_x(beta2s, epsilons, final, ax=None):
    """Where Adam ends (``x``, mean over the last steps) for each ``beta2`` (rows) and ``eps`` (columns)."""
    ax = new_axes(ax, figsize=(6.0, 3.8))
    image = ax.imshow(final, cmap="coolwarm", vmin=-1, vmax=1, aspect="auto")
    for (i, j), value in np.ndenumerate(final):
        ax.text(j, i, f"{value:+.2f}", ha="center", va="center", fontsize=8)
    ax.set_xticks(range(len(epsilons)), [f"{e:g}" for e in epsilons])
    ax.set_yticks(range(len(beta2s)), [f"{b:g}" for b in beta2s])
    ax.set(
        xlabel="ε", ylabel="β₂", title="Where Adam ends (blue: right, x = -1; red: wrong, x = +1)"
    )
    ax.grid(False)
    ax.figure.colorbar(image, ax=ax)
    return ax.figure
