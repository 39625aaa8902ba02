"""Figures of chapter 8: rates on the quadratic model, preconditioning, noise and batch size."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from dldemos.plots import new_axes
from dldemos.plots.landscapes import optimizer_color

__all__ = [
    "plot_gd_rate",
    "plot_rate_map",
    "plot_convergence",
    "plot_paths",
    "plot_steps_vs_batch",
    "plot_scaling_rules",
]


def plot_gd_rate(
    alphas, predicted, measured_alphas, measured, optimum: tuple[float, float], ax=None
):
    """Gradient descent's predicted rate ``max |1 - alpha lambda|`` against ``alpha`` (line),
    the rates measured on runs (dots) and the optimum (star)."""
    ax = new_axes(ax)
    ax.plot(alphas, predicted, color="tab:blue", label="predicted: max |1 - αλ|")
    ax.plot(measured_alphas, measured, "o", color="black", ms=4, label="measured on runs")
    ax.plot(
        *optimum,
        "*",
        color="tab:red",
        ms=14,
        label=f"optimum α = {optimum[0]:.3g}, rate {optimum[1]:.3f}",
    )
    ax.axhline(1, color="grey", lw=0.8, ls="--")
    ax.set(
        xscale="log",
        ylim=(0.9, 1.05),
        xlabel="learning rate α",
        ylabel="rate (shrink factor per step)",
        title="Gradient descent on a bowl with κ = λmax/λmin",
    )
    ax.legend(fontsize=8)
    return ax.figure


def plot_rate_map(
    alphas,
    betas,
    rates,
    measured: Sequence[tuple[float, float, float]],
    optimum: tuple[float, float],
    critical: Mapping[str, np.ndarray] | None = None,
):
    """The momentum rate over the (alpha, beta) plane as a colour map (rates >= 1 in white:
    divergence), with measured rates drawn as dots in the same colours and the optimum."""
    fig = Figure(figsize=(8.0, 5.0), layout="constrained")
    ax = fig.subplots()
    shown = np.ma.masked_where(rates >= 1, rates)
    mesh = ax.pcolormesh(
        alphas, betas, shown, cmap="viridis", vmin=float(np.min(rates)), vmax=1.0, shading="auto"
    )
    ax.contour(alphas, betas, rates, levels=[0.9, 0.95, 0.99], colors="white", linewidths=0.7)
    a, b, r = (np.array(column) for column in zip(*measured))
    ok = r < 1
    ax.scatter(
        a[ok],
        b[ok],
        c=r[ok],
        cmap="viridis",
        vmin=float(np.min(rates)),
        vmax=1.0,
        edgecolors="black",
        s=45,
        label="measured runs (same colours)",
    )
    ax.scatter(a[~ok], b[~ok], marker="x", color="black", s=30, label="measured: diverged")
    for index, (label, beta_curve) in enumerate((critical or {}).items()):
        ax.plot(
            alphas,
            beta_curve,
            color=("tab:orange", "tab:red")[index % 2],
            lw=1.2,
            ls="--",
            label=label,
        )
    ax.plot(*optimum, "*", color="tab:red", ms=16, label="optimum (α*, β*)")
    ax.set(
        xscale="log",
        ylim=(float(np.min(betas)), float(np.max(betas))),
        xlabel="learning rate α (book's Momentum)",
        ylabel="β",
        title="Momentum's rate on the bowl (white: diverges)",
    )
    fig.colorbar(mesh, ax=ax, label="rate")
    ax.legend(fontsize=8, loc="lower left")
    return fig


def plot_convergence(
    distances: Mapping[str, np.ndarray],
    rates: Mapping[str, float],
    ax=None,
    title: str = "Distance to the minimum",
    floor: np.ndarray | None = None,
):
    """``|x_t|`` per step on a log scale (solid) beside the predicted ``rate**t`` (dashed);
    ``floor``, if given, is a lower bound per step, drawn as a broad grey band under the runs
    (chapter 8's Krylov bound)."""
    ax = new_axes(ax)
    for index, (label, d) in enumerate(distances.items()):
        color = optimizer_color(label, index)
        ax.plot(d, color=color, label=f"{label} (predicted rate {rates[label]:.3f})")
        ax.plot(d[0] * rates[label] ** np.arange(len(d)), color=color, ls="--", lw=0.8)
    if floor is not None:
        ax.plot(floor, color="0.6", lw=5, zorder=0, label="lower bound, any gradient method")
    ax.set(yscale="log", xlabel="step t", ylabel="|x_t - x*|", title=title)
    ax.legend(fontsize=8)
    return ax.figure


def plot_paths(
    paths: Mapping[str, np.ndarray], title: str, reference: float = 0.0, ax=None, **axes_settings
):
    """One coordinate ``x_t`` per run against the step, with a grey line at ``reference``
    (the minimum); ``axes_settings`` go to ``ax.set`` (e.g. ``xscale="log"``, ``ylim``).
    Chapter 8: momentum creeping, critically damped and oscillating; chapter 9: the online problem."""
    ax = new_axes(ax)
    for label, x in paths.items():
        ax.plot(x, label=label, lw=1.2)
    ax.axhline(reference, color="grey", ls="--", lw=0.8)
    ax.set(xlabel="step t", ylabel="x_t", title=title, **axes_settings)
    ax.legend(fontsize=8)
    return ax.figure


def plot_steps_vs_batch(
    batch_sizes, steps, fit: tuple[float, float], noise_scales: Mapping[str, float]
):
    """Steps to the target (left) and examples processed (right) against the batch size, with the
    fitted ``S = S_min (1 + B_crit / B)`` and the measured noise scales as vertical lines."""
    B, S = np.asarray(batch_sizes, dtype=float), np.asarray(steps, dtype=float)
    S_min, B_crit = fit
    grid = np.geomspace(B.min(), B.max(), 100)
    fig = Figure(figsize=(10.0, 4.0), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.plot(B, S, "o", color="black", label="measured (each B at its best α)")
    left.plot(
        grid,
        S_min * (1 + B_crit / grid),
        color="tab:blue",
        label=f"S_min (1 + B_crit/B), B_crit = {B_crit:.0f}",
    )
    left.plot(grid, S[0] * B[0] / grid, color="grey", ls=":", label="perfect scaling: S ∝ 1/B")
    right.plot(B, B * S, "o", color="black", label="measured")
    right.plot(
        grid, S_min * B_crit * (1 + grid / B_crit), color="tab:blue", label="E_min (1 + B/B_crit)"
    )
    for ax in (left, right):
        for index, (label, value) in enumerate(noise_scales.items()):
            ax.axvline(value, color=f"C{index + 1}", ls="--", lw=1, label=label)
        ax.set(xscale="log", yscale="log", xlabel="batch size B")
    left.set(ylabel="steps to the target", title="Fewer steps with bigger batches... up to a point")
    right.set(ylabel="examples processed", title="...after which the examples are wasted")
    left.legend(fontsize=7)
    right.legend(fontsize=7)
    return fig


def plot_scaling_rules(curves: Mapping[str, Mapping[str, np.ndarray]]):
    """One panel per optimizer: the training loss per epoch of the small-batch run and of the
    large-batch runs with the learning rate scaled by each rule."""
    fig = Figure(figsize=(10.0, 4.0), layout="constrained")
    axes = fig.subplots(1, len(curves), sharey=True)
    for ax, (optimizer, runs) in zip(np.atleast_1d(axes), curves.items()):
        for label, losses in runs.items():
            ax.plot(
                np.arange(1, len(losses) + 1),
                losses,
                marker="o",
                ms=3,
                ls="-" if "B =" in label and "×" not in label else "--",
                label=label,
            )
        ax.set(yscale="log", xlabel="epoch", title=optimizer)
        ax.legend(fontsize=8)
    np.atleast_1d(axes)[0].set_ylabel("training loss")
    return fig


def plot_edge_of_stability(runs: Mapping[float, Mapping[str, np.ndarray]]):
    """Full-batch gradient descent at several rates ``alpha`` (the keys of ``runs``, each a
    result of :func:`dldemos.sharpness.gd_with_sharpness`): left, the sharpness against the
    step with ``2 / alpha`` dashed in the same colour; right, the loss (log scale)."""
    fig = Figure(figsize=(10.0, 3.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    for index, (alpha, run) in enumerate(runs.items()):
        color = f"C{index}"
        left.plot(
            run["sharpness_step"], run["sharpness"], "o-", ms=3, color=color, label=f"α = {alpha:g}"
        )
        left.axhline(2 / alpha, color=color, ls="--", lw=0.8, label=f"2/α = {2 / alpha:.2f}")
        right.plot(run["loss"], color=color, label=f"α = {alpha:g}")
    left.set(xlabel="step", ylabel="sharpness λ_max", title="Sharpness rises to 2/α, then hovers")
    right.set(
        xlabel="step",
        ylabel="training loss",
        yscale="log",
        title="The loss keeps falling, not monotonically",
    )
    left.legend(fontsize=8)
    right.legend(fontsize=8)
    return fig
