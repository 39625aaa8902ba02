"""Figures of loss landscapes and of optimizers moving on them (chapters 3 and 5).

* :func:`plot_contours` -- a :class:`dldemos.surfaces.Surface` as filled contours, its
  critical points marked;
* :func:`plot_trajectories` -- the paths of several optimizers on one surface, optionally
  with ``f`` along each path (:func:`plot_trajectory_panels`: several surfaces side by
  side); :func:`plot_step_lengths` -- how far each step moved;
* :func:`race_animation` -- the same paths drawn step by step (show it with
  :func:`dldemos.plots.show_animation`);
* :func:`annotate_critical_points`, :func:`plot_critical_points` -- Hessian eigenvalues
  and eigen-directions at critical points;
* :func:`plot_minimum_probability` -- the ``0.5^N`` argument;
* :func:`plot_hessian_spectrum` -- a network's loss and extreme Hessian eigenvalues per epoch;
* :func:`plot_steps_to_target` -- a bar chart of steps needed (e.g. to cross a plateau);
* :func:`plot_learning_rate_sweep` -- the sweeps behind every fair comparison
  (:mod:`dldemos.compare`);
* :func:`plot_eps_placement` -- RMSProp's step with ``eps`` inside or outside the root;
* :func:`plot_parameter_paths` -- parameters against epochs (AdaGrad and a rare feature);
* :func:`plot_effective_decay`, :func:`plot_weight_decay_sweep` -- how much weight decay each
  weight really gets, and what L2 and decoupled decay do to a network.

Every function takes data, draws it, and returns a :class:`~matplotlib.figure.Figure` that
no pyplot window owns (a notebook shows it once, as the value of its cell; tests build it
headless). Those that draw on a single axes accept ``ax=`` to draw into an existing figure.
Optimizers keep their colour from :data:`dldemos.plots.OPTIMIZER_COLORS` in every figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from dldemos.plots import OPTIMIZER_COLORS, new_axes
from dldemos.surfaces import Surface

#: Marker of each kind of critical point (``dldemos.surfaces.CriticalPoint.kind``).
CRITICAL_POINT_MARKERS = {"minimum": "*", "maximum": "^", "saddle": "X", "degenerate": "D"}

_FALLBACK_COLORS = ("tab:olive", "tab:cyan", "black", "gold", "navy", "lime")


def optimizer_color(label: str, index: int = 0) -> str:
    """The book's colour for ``label``: exact name, else the longest name it starts with
    (``"Adam, no bias correction"`` is drawn like Adam), else a fallback by ``index``."""
    if label in OPTIMIZER_COLORS:
        return OPTIMIZER_COLORS[label]
    prefixes = [name for name in OPTIMIZER_COLORS if label.startswith(name)]
    if prefixes:
        return OPTIMIZER_COLORS[max(prefixes, key=len)]
    return _FALLBACK_COLORS[index % len(_FALLBACK_COLORS)]


def _styles(labels: Sequence[str]) -> dict[str, dict]:
    """Colour per label; labels sharing a colour get distinct line styles."""
    styles, seen = {}, {}
    dashes = ("-", "--", ":", "-.")
    for index, label in enumerate(labels):
        color = optimizer_color(label, index)
        styles[label] = {"color": color, "linestyle": dashes[seen.get(color, 0) % len(dashes)]}
        seen[color] = seen.get(color, 0) + 1
    return styles


def _check_trajectories(trajectories: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    if not isinstance(trajectories, Mapping) or not trajectories:
        raise ValueError(
            "trajectories must be a non-empty dict label -> array of shape (num_points, 2)"
        )
    checked = {}
    for label, path in trajectories.items():
        path = np.asarray(path, dtype=np.float64)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) == 0:
            raise ValueError(
                f"trajectories[{label!r}] must have shape (num_points, 2), got {path.shape}"
            )
        checked[label] = path
    return checked


def _in_window(surface: Surface, path: np.ndarray, margin: float = 0.05) -> np.ndarray:
    """Which points of ``path`` are finite and inside the surface's window (widened by
    ``margin`` times its size)."""
    (x0, x1), (y0, y1) = surface.bounds
    dx, dy = margin * (x1 - x0), margin * (y1 - y0)
    with np.errstate(invalid="ignore"):
        return (
            np.isfinite(path).all(axis=1)
            & (path[:, 0] >= x0 - dx)
            & (path[:, 0] <= x1 + dx)
            & (path[:, 1] >= y0 - dy)
            & (path[:, 1] <= y1 + dy)
        )


def _finite_part(path: np.ndarray) -> np.ndarray:
    """``path`` up to its first non-finite point (a diverged run)."""
    bad = np.flatnonzero(~np.isfinite(path).all(axis=1))
    return path if bad.size == 0 else path[: bad[0]]


# --------------------------------------------------------------------------------------
# Surfaces and paths
# --------------------------------------------------------------------------------------


def plot_contours(
    surface: Surface,
    ax=None,
    resolution: int = 200,
    levels: int = 30,
    log_scale: bool | None = None,
    mark_critical_points: bool = True,
    contour_lines: bool = True,
    colorbar: bool = True,
):
    """Filled contours of ``surface.f`` over ``surface.bounds``; return the Figure.

    ``log_scale=None`` picks logarithmically spaced levels when ``f >= 0`` spans several
    orders of magnitude (Rosenbrock, Beale), so the flat floor of a valley still shows.
    ``contour_lines`` draws thin lines between the levels, ``colorbar`` the scale of ``f``.
    """
    if not isinstance(surface, Surface):
        raise TypeError(f"surface must be a dldemos.surfaces.Surface, got {type(surface).__name__}")
    ax = new_axes(ax, figsize=(7.0, 4.5))
    (x0, x1), (y0, y1) = surface.bounds
    X, Y = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    Z = surface.f(X, Y)
    low, high = float(Z.min()), float(Z.max())
    if log_scale is None:
        log_scale = low >= 0 and high > 1e3 * max(low, high * 1e-6, 1e-12)
    if log_scale:
        floor = max(low, high * 1e-6, 1e-12)
        Z = np.maximum(Z, floor)
        contour = ax.contourf(
            X,
            Y,
            Z,
            levels=np.geomspace(floor, high, levels),
            cmap="viridis",
            norm=LogNorm(vmin=floor, vmax=high),
            alpha=0.85,
        )
    else:
        contour = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.85)
    if contour_lines:
        ax.contour(X, Y, Z, levels=contour.levels, colors="white", linewidths=0.3, alpha=0.5)
    if colorbar:
        ax.figure.colorbar(contour, ax=ax, label="f(x, y)", format="%.2g")
    if mark_critical_points:
        for point in surface.critical_points:
            ax.plot(
                point.x,
                point.y,
                CRITICAL_POINT_MARKERS[point.kind],
                color="white",
                markeredgecolor="black",
                markersize=14 if point.kind == "minimum" else 10,
                label=point.kind,
                zorder=5,
                linestyle="none",
            )
    ax.set(
        xlim=(x0, x1), ylim=(y0, y1), xlabel="parameter x", ylabel="parameter y", title=surface.name
    )
    ax.grid(False)
    return ax.figure


def plot_trajectories(
    surface: Surface,
    trajectories: Mapping[str, np.ndarray],
    ax=None,
    title: str | None = None,
    loss_panel: bool = False,
):
    """The path of each optimizer (``label -> array (num_points, 2)``) over the contours.

    With ``loss_panel=True`` a second panel shows ``f`` along each path against the step
    (log scale when ``f > 0``). Paths are clipped to the surface's window; the legend says
    which ones end outside it (escaped or diverged).
    """
    trajectories = _check_trajectories(trajectories)
    if loss_panel:
        if ax is not None:
            raise ValueError("loss_panel=True draws its own two panels; pass ax=None")
        fig = Figure(figsize=(11.0, 4.6), layout="constrained")
        fig.get_layout_engine().set(wspace=0.06)
        ax, loss_ax = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.25, 1]})
    ax = new_axes(ax, figsize=(7.0, 4.5))
    plot_contours(surface, ax=ax)
    styles = _styles(list(trajectories))
    few = len(trajectories) <= 3
    for label, path in trajectories.items():
        shown = _finite_part(path)
        note = (
            f"{len(path) - 1} steps"
            if _in_window(surface, path[-1:])[0]
            else "ends outside the plot"
        )
        ax.plot(
            shown[:, 0],
            shown[:, 1],
            marker="o" if few else None,
            markersize=2.5,
            linewidth=1.6,
            label=f"{label} ({note})",
            **styles[label],
        )
    ax.plot(
        *next(iter(trajectories.values()))[0],
        "o",
        color="white",
        markeredgecolor="black",
        markersize=8,
        label="start",
        zorder=6,
    )
    (x0, x1), (y0, y1) = surface.bounds
    ax.set(xlim=(x0, x1), ylim=(y0, y1), title=title or f"Optimizers on the {surface.name}")
    if few:
        ax.legend(loc="best", fontsize=8, framealpha=0.8, frameon=True)
    else:  # many paths: the legend goes under the panel, where it hides none of them
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8)
    if loss_panel:
        _plot_values_along(surface, trajectories, styles, loss_ax)
    return ax.figure


def _plot_values_along(surface, trajectories, styles, ax):
    """``f`` along each path; the y range covers the points inside the plotted window, so a
    run that escapes or diverges does not squash the others."""
    visible = []
    for label, path in trajectories.items():
        path = _finite_part(path)
        with np.errstate(over="ignore", invalid="ignore"):
            values = surface.f(path[:, 0], path[:, 1])
        ax.plot(np.arange(len(values)), values, label=label, linewidth=1.6, **styles[label])
        visible.append(values[_in_window(surface, path) & np.isfinite(values)])
    visible = np.concatenate(visible)
    if visible.size:
        low, high = float(visible.min()), float(visible.max())
        if low > 0:
            ax.set_yscale("log")
            ax.set_ylim(low / 2, high * 2)
        else:
            pad = 0.05 * (high - low or 1.0)
            ax.set_ylim(low - pad, high + pad)
    ax.set(xlabel="step", ylabel="loss f(x, y)", title="Loss along each path")
    ax.legend(fontsize=8)


def plot_step_lengths(trajectories: Mapping[str, np.ndarray], ax=None, title: str | None = None):
    """The length ``|p_{t+1} - p_t|`` of every step, log scale: shrinking (AdaGrad),
    warming up (AdaDelta, Adam without bias correction), or steady."""
    trajectories = _check_trajectories(trajectories)
    ax = new_axes(ax, figsize=(7.0, 4.0))
    styles = _styles(list(trajectories))
    for label, path in trajectories.items():
        lengths = np.linalg.norm(np.diff(path, axis=0), axis=1)
        ax.plot(
            np.arange(1, len(lengths) + 1), lengths, label=label, linewidth=1.6, **styles[label]
        )
    ax.set_yscale("log")
    ax.set(
        xlabel="step",
        ylabel="step length |p(t) - p(t-1)|",
        title=title or "How far each step moves",
    )
    ax.legend(fontsize=8)
    return ax.figure


def race_animation(
    surface: Surface,
    trajectories: Mapping[str, np.ndarray],
    num_frames: int = 40,
    title: str | None = None,
    figsize=(7.0, 4.0),
    dpi: int = 72,
    interval_ms: int = 120,
) -> FuncAnimation:
    """An animation of the optimizers moving together, one frame per few steps.

    At most ``num_frames`` frames, spread evenly over the longest trajectory; the last
    frame shows every path in full. Show it with :func:`dldemos.plots.show_animation`.
    Every frame is a PNG in the page, so the figure is kept light: few flat contour
    levels without lines or colour bar, and a fixed layout (a constrained layout would be
    recomputed for every frame).
    """
    trajectories = _check_trajectories(trajectories)
    if not isinstance(num_frames, (int, np.integer)) or num_frames < 2:
        raise ValueError(f"num_frames must be an integer >= 2, got {num_frames!r}")
    fig = Figure(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(left=0.09, right=0.70, bottom=0.13, top=0.91)
    ax = fig.subplots()
    plot_contours(surface, ax=ax, resolution=100, levels=14, contour_lines=False, colorbar=False)
    styles = _styles(list(trajectories))
    shown = {label: _finite_part(path) for label, path in trajectories.items()}
    lines, heads = {}, {}
    for label in trajectories:
        (lines[label],) = ax.plot([], [], linewidth=1.8, label=label, **styles[label])
        (heads[label],) = ax.plot(
            [], [], "o", markersize=7, markeredgecolor="black", color=styles[label]["color"]
        )
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=8)
    ax.set_title(title or f"Race on the {surface.name}")
    counter = ax.text(
        0.02,
        0.96,
        "",
        transform=ax.transAxes,
        va="top",
        fontsize=10,
        bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
    )
    longest = max(len(path) for path in trajectories.values()) - 1
    steps = np.unique(np.linspace(0, longest, num_frames).round().astype(int))

    def draw(step):
        for label, path in shown.items():
            end = min(step, len(path) - 1)
            lines[label].set_data(path[: end + 1, 0], path[: end + 1, 1])
            heads[label].set_data([path[end, 0]], [path[end, 1]])
        counter.set_text(f"step {step}")
        return [*lines.values(), *heads.values(), counter]

    return FuncAnimation(fig, draw, frames=steps, interval=interval_ms, blit=False, repeat=False)


# --------------------------------------------------------------------------------------
# Critical points
# --------------------------------------------------------------------------------------


def annotate_critical_points(ax, surface: Surface, arrow_length: float | None = None):
    """At each known critical point write its Hessian eigenvalues and kind, and draw the
    eigen-directions: green where the surface curves up (positive eigenvalue), red where it
    curves down (negative: the way out of a saddle), grey where it is flat."""
    (x0, x1), (y0, y1) = surface.bounds
    length = arrow_length or 0.12 * min(x1 - x0, y1 - y0)
    for index, point in enumerate(surface.critical_points):
        eigenvalues, eigenvectors = np.linalg.eigh(surface.hessian(point.x, point.y))
        scale = max(1.0, float(np.max(np.abs(eigenvalues))))
        for value, vector in zip(eigenvalues, eigenvectors.T):
            color = (
                "grey" if abs(value) <= 1e-8 * scale else ("tab:green" if value > 0 else "tab:red")
            )
            for sign in (1, -1):
                ax.annotate(
                    "",
                    xy=(point.x + sign * length * vector[0], point.y + sign * length * vector[1]),
                    xytext=(point.x, point.y),
                    arrowprops={"arrowstyle": "->", "color": color, "linewidth": 2},
                )
        eigenvalues = eigenvalues + 0.0  # no "-0" in the label
        text = f"{point.kind}\nλ = {eigenvalues[0]:.3g}, {eigenvalues[1]:.3g}"
        right = point.x <= (x0 + x1) / 2  # write towards the middle of the panel,
        above = (point.y <= (y0 + y1) / 2) != (
            index % 2 == 1
        )  # alternating so labels do not collide
        ax.annotate(
            text,
            (point.x, point.y),
            xytext=(10 if right else -10, 14 if above else -14),
            textcoords="offset points",
            ha="left" if right else "right",
            va="bottom" if above else "top",
            fontsize=8,
            bbox={"facecolor": "white", "alpha": 0.85, "edgecolor": "none"},
        )
    return ax.figure


def plot_critical_points(surfaces: Sequence[Surface], ncols: int = 3):
    """One panel per surface: contours, critical points, eigenvalues and eigen-directions."""
    surfaces = list(surfaces)
    if not surfaces:
        raise ValueError("surfaces must hold at least one Surface")
    nrows = math.ceil(len(surfaces) / ncols)
    fig = Figure(figsize=(4.2 * ncols, 3.6 * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for ax, surface in zip(axes.flat, surfaces):
        plot_contours(surface, ax=ax, resolution=150, levels=20)
        annotate_critical_points(ax, surface)
        ax.legend(loc="lower left", fontsize=7, frameon=True, framealpha=0.8)
    for ax in list(axes.flat)[len(surfaces) :]:
        ax.set_visible(False)
    fig.suptitle(
        "Critical points and the Hessian's eigenvalues (green: curves up, red: curves down)"
    )
    return fig


# --------------------------------------------------------------------------------------
# Chapter 5: how likely is a minimum; how long to cross a plateau
# --------------------------------------------------------------------------------------


def plot_minimum_probability(
    max_dimension: int = 100,
    probabilities: Sequence[float] = (0.5, 0.9, 0.99),
    empirical: Mapping[int, float] | None = None,
    ax=None,
):
    """``p^N``: the chance that all ``N`` curvatures at a critical point are positive if each
    one is, independently, with probability ``p``. ``empirical`` (``n -> fraction``) adds
    measured fractions, e.g. of random symmetric matrices that are positive definite."""
    if not isinstance(max_dimension, (int, np.integer)) or max_dimension < 2:
        raise ValueError(f"max_dimension must be an integer >= 2, got {max_dimension!r}")
    ax = new_axes(ax, figsize=(7.0, 4.2))
    n = np.arange(1, max_dimension + 1)
    for p in probabilities:
        if not 0 < p < 1:
            raise ValueError(f"probabilities must lie in (0, 1), got {p!r}")
        ax.plot(n, p ** n.astype(float), linewidth=2, label=f"$p^N$, p = {p:g}")
    if empirical:
        dims = sorted(empirical)
        values = [empirical[d] for d in dims]
        ax.plot(dims, values, "ko", label="random symmetric matrices (measured)")
    ax.set_yscale("log")
    ax.set_ylim(bottom=max(1e-32, 0.5**max_dimension / 10))
    ax.set(
        xlabel="number of parameters N",
        ylabel="probability that the critical point is a minimum",
        title="A critical point is a minimum only if every direction curves up",
    )
    ax.legend(fontsize=9)
    return ax.figure


def plot_hessian_spectrum(spectra: Mapping[str, object], title: str | None = None):
    """Two panels per epoch of each run: the loss, and the extreme Hessian eigenvalues
    ``lambda_max`` (solid) and ``lambda_min`` (dashed) -- a
    :class:`dldemos.hessian.Spectrum` per label. Below the zero line the loss curves down:
    a ``lambda_min < 0`` means the point is not a minimum."""
    if not isinstance(spectra, Mapping) or not spectra:
        raise ValueError("spectra must be a non-empty dict label -> Spectrum")
    fig = Figure(figsize=(11.0, 4.0), layout="constrained")
    loss_ax, curvature_ax = fig.subplots(1, 2)
    for index, (label, spectrum) in enumerate(spectra.items()):
        color = optimizer_color(label, index)
        epochs = np.arange(len(spectrum.loss))
        loss_ax.plot(epochs, spectrum.loss, color=color, label=label)
        curvature_ax.plot(
            epochs, spectrum.lambda_max, color=color, label=f"{label}: $\\lambda_{{max}}$"
        )
        curvature_ax.plot(
            epochs, spectrum.lambda_min, "--", color=color, label=f"{label}: $\\lambda_{{min}}$"
        )
    loss_ax.axhline(math.log(2), color="grey", linewidth=0.8, linestyle=":")
    loss_ax.set(xlabel="epoch", ylabel="training loss", title="Loss")
    curvature_ax.axhline(0.0, color="black", linewidth=0.8)
    curvature_ax.set(
        xlabel="epoch",
        ylabel="eigenvalue of the Hessian",
        title="Largest and most negative curvature",
    )
    loss_ax.legend(fontsize=8)
    curvature_ax.legend(fontsize=7, ncol=2)
    if title:
        fig.suptitle(title)
    return fig


def plot_steps_to_target(
    steps: Mapping[str, int | None],
    max_steps: int,
    ax=None,
    title: str | None = None,
    xlabel: str = "steps to reach the target",
):
    """Horizontal bars: how many steps each optimizer needed; ``None`` (never, within
    ``max_steps``) is drawn as a hatched bar to ``max_steps``."""
    if not isinstance(steps, Mapping) or not steps:
        raise ValueError("steps must be a non-empty dict label -> int or None")
    ax = new_axes(ax, figsize=(7.0, 0.45 * len(steps) + 1.6))
    labels = list(steps)
    for row, label in enumerate(labels):
        count = steps[label]
        color = optimizer_color(label, row)
        if count is None:
            ax.barh(row, max_steps, color="white", edgecolor=color, hatch="//", linewidth=1.5)
            ax.text(max_steps, row, f" not within {max_steps}", va="center", fontsize=9)
        else:
            ax.barh(row, count, color=color)
            ax.text(count, row, f" {count}", va="center", fontsize=9)
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(0, max_steps * 1.25)
    ax.set(xlabel=xlabel, title=title or "Steps needed")
    ax.legend(
        handles=[
            Patch(facecolor="grey", label="reached"),
            Patch(facecolor="white", edgecolor="grey", hatch="//", label="not reached"),
        ],
        loc="lower right",
        fontsize=8,
    )
    return ax.figure


# --------------------------------------------------------------------------------------
# Chapter 3: fair comparisons and the details of the update rules
# --------------------------------------------------------------------------------------


def plot_learning_rate_sweep(results: Mapping[str, object], ax=None, title: str | None = None):
    """The outcome of each learning rate, per optimizer, from :mod:`dldemos.compare`.

    ``results`` maps a name to a ``SweepResult`` (networks: final loss, log scale) or a
    ``SurfaceSweep`` (surfaces: steps to reach the target). The best rate is circled;
    runs that diverged or never reached the target are crosses on the top edge.
    """
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict name -> SweepResult or SurfaceSweep")
    ax = new_axes(ax, figsize=(7.0, 4.2))
    on_surface = hasattr(next(iter(results.values())), "steps")
    values = {}
    for name, result in results.items():
        raw = result.steps if on_surface else result.scores
        values[name] = np.array([math.inf if v is None else float(v) for v in raw])
    finite = np.concatenate([v[np.isfinite(v)] for v in values.values()])
    top = float(finite.max()) * (1.3 if on_surface else 2.0) if finite.size else 1.0
    for index, (name, result) in enumerate(results.items()):
        color = optimizer_color(name, index)
        rates, scores = np.asarray(result.learning_rates), values[name]
        ok = np.isfinite(scores)
        ax.plot(rates[ok], scores[ok], "o-", color=color, label=name, markersize=4)
        ax.plot(rates[~ok], np.full((~ok).sum(), top), "x", color=color, markersize=8)
        best = result.best_index
        if ok[best]:
            ax.plot(
                rates[best],
                scores[best],
                "o",
                markersize=12,
                markerfacecolor="none",
                markeredgecolor=color,
                markeredgewidth=2,
            )
    if on_surface:
        target = next(iter(results.values())).target
        ax.set(yscale="linear", ylabel=f"steps to reach f ≤ {target:g}")
        default_title = "Steps needed at each learning rate (circle: best; x: never)"
    else:
        metric = next(iter(results.values())).metric
        ax.set(yscale="log", ylabel=f"{metric.replace('_', ' ')} at the end of training")
        default_title = "Learning-rate sweep (circle: best rate; x: diverged)"
    ax.set(xscale="log", xlabel="learning rate", title=title or default_title)
    ax.legend(fontsize=8, ncol=2)
    return ax.figure


def plot_trajectory_panels(
    panels: Sequence[tuple[Surface, Mapping[str, np.ndarray]]], titles: Sequence[str] | None = None
):
    """Several :func:`plot_trajectories` side by side: ``[(surface, trajectories), ...]``."""
    panels = list(panels)
    if not panels:
        raise ValueError("panels must hold at least one (surface, trajectories) pair")
    titles = list(titles) if titles is not None else [None] * len(panels)
    if len(titles) != len(panels):
        raise ValueError(f"got {len(titles)} titles for {len(panels)} panels")
    fig = Figure(figsize=(5.6 * len(panels), 4.3), layout="constrained")
    for ax, (surface, trajectories), title in zip(
        fig.subplots(1, len(panels), squeeze=False)[0], panels, titles
    ):
        plot_trajectories(surface, trajectories, ax=ax, title=title)
    return fig


def plot_eps_placement(eps_values: Sequence[float] = (1e-8, 1e-6), ax=None):
    """RMSProp's step, in units of ``lr``, once ``s`` has settled at ``g^2``: ``|g| / (|g| + eps)``
    (eps outside the root, PyTorch) against ``|g| / sqrt(g^2 + eps)`` (inside). Inside, the
    step shrinks below ``lr`` as soon as ``|g| < sqrt(eps)``, a much larger threshold."""
    ax = new_axes(ax, figsize=(7.0, 4.0))
    g = np.geomspace(1e-12, 1.0, 400)
    for eps in eps_values:
        (line,) = ax.plot(
            g,
            g / (g + eps),
            linewidth=2,
            label=rf"outside: $|g|/(\sqrt{{s}}+\epsilon)$, ε = {eps:g}",
        )
        ax.plot(
            g,
            g / np.sqrt(g**2 + eps),
            linewidth=2,
            linestyle="--",
            color=line.get_color(),
            label=rf"inside: $|g|/\sqrt{{s+\epsilon}}$, ε = {eps:g}",
        )
    ax.set(
        xscale="log",
        yscale="log",
        xlabel="gradient magnitude |g| (with s = g²)",
        ylabel="step / learning rate",
        ylim=(1e-7, 2),
        title="Where ε goes decides which gradients still get a full step",
    )
    ax.legend(fontsize=8)
    return ax.figure


def plot_effective_decay(decay_rates: Mapping[str, np.ndarray], ax=None, title: str | None = None):
    """Histograms of the per-weight shrink factor per step (``label -> array``), log scale:
    L2 in Adam is divided by ``sqrt(s_hat)``, so it varies by orders of magnitude between
    weights; decoupled weight decay (AdamW) is the same ``lr * weight_decay`` for all."""
    if not isinstance(decay_rates, Mapping) or not decay_rates:
        raise ValueError("decay_rates must be a non-empty dict label -> array of per-weight rates")
    ax = new_axes(ax, figsize=(7.0, 4.0))
    positive = np.concatenate([np.asarray(r, dtype=float).ravel() for r in decay_rates.values()])
    positive = positive[positive > 0]
    if positive.size == 0:
        raise ValueError("decay_rates must contain positive rates to draw on a log scale")
    bins = np.geomspace(positive.min() / 2, positive.max() * 2, 50)
    for index, (label, rates) in enumerate(decay_rates.items()):
        rates = np.asarray(rates, dtype=float).ravel()
        ax.hist(
            rates[rates > 0], bins=bins, alpha=0.6, label=label, color=optimizer_color(label, index)
        )
    ax.set(
        xscale="log",
        xlabel="decay coefficient per step (fraction of the weight removed)",
        ylabel="number of weights",
        title=title or "How much decay each weight receives",
    )
    ax.legend(fontsize=8)
    return ax.figure


def plot_parameter_paths(
    paths: Mapping[str, np.ndarray],
    parameter_names: Sequence[str],
    targets: Sequence[float] | None = None,
    xlabel: str = "epochs",
):
    """One panel per parameter: its value after each epoch (or step), one line per optimizer.

    ``paths[label]`` has shape ``(num_points, len(parameter_names))``; ``targets`` (the
    values that generated the data, if known) are drawn as dashed lines.
    """
    paths = {label: np.asarray(path, dtype=float) for label, path in paths.items()}
    names = list(parameter_names)
    if not paths or not names:
        raise ValueError("paths and parameter_names must be non-empty")
    for label, path in paths.items():
        if path.ndim != 2 or path.shape[1] != len(names):
            raise ValueError(
                f"paths[{label!r}] must have shape (num_points, {len(names)}), got {path.shape}"
            )
    fig = Figure(figsize=(5.0 * len(names), 3.8), layout="constrained")
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    styles = _styles(list(paths))
    for column, (ax, name) in enumerate(zip(axes, names)):
        for label, path in paths.items():
            ax.plot(
                np.arange(len(path)),
                path[:, column],
                marker="o",
                markersize=3,
                label=label,
                **styles[label],
            )
        if targets is not None:
            ax.axhline(
                targets[column],
                color="black",
                linestyle="--",
                linewidth=1,
                label="value that generated the data",
            )
        ax.set(xlabel=xlabel, ylabel=f"value of {name}", title=f"Parameter {name}")
        ax.legend(fontsize=8)
    return fig


def plot_weight_decay_sweep(
    results: Mapping[str, Mapping[str, Sequence[float]]],
    quantities: Sequence[str] = ("dev_loss", "weight_norm"),
    baseline: Mapping[str, float] | None = None,
):
    """Outcome against weight decay, one panel per quantity, one line per method.

    ``results[label]`` holds ``"weight_decay"`` (the x values, > 0) and one sequence per
    quantity. ``baseline`` (quantity -> value without any decay) is a dashed line.
    """
    if not isinstance(results, Mapping) or not results:
        raise ValueError("results must be a non-empty dict label -> {'weight_decay': [...], ...}")
    ylabels = {
        "dev_loss": "loss on the dev set",
        "dev_accuracy": "accuracy on the dev set",
        "train_loss": "loss on the training set",
        "weight_norm": "sum of squared weights",
    }
    fig = Figure(figsize=(5.2 * len(quantities), 3.9), layout="constrained")
    axes = fig.subplots(1, len(quantities), squeeze=False)[0]
    for ax, quantity in zip(axes, quantities):
        for index, (label, result) in enumerate(results.items()):
            for key in ("weight_decay", quantity):
                if key not in result:
                    raise KeyError(f"results[{label!r}] has no {key!r} (keys: {sorted(result)})")
            ax.plot(
                result["weight_decay"],
                result[quantity],
                "o-",
                label=label,
                color=optimizer_color(label, index),
            )
        if baseline is not None and quantity in baseline:
            ax.axhline(
                baseline[quantity],
                color="black",
                linestyle="--",
                linewidth=1,
                label="no weight decay",
            )
        ax.set(
            xscale="log",
            xlabel="weight_decay",
            ylabel=ylabels.get(quantity, quantity),
            title=ylabels.get(quantity, quantity).capitalize(),
        )
        ax.legend(fontsize=8)
    fig.suptitle("L2 regularisation inside Adam against decoupled weight decay (AdamW)")
    return fig


__all__ = [
    "CRITICAL_POINT_MARKERS",
    "annotate_critical_points",
    "optimizer_color",
    "plot_contours",
    "plot_critical_points",
    "plot_effective_decay",
    "plot_eps_placement",
    "plot_hessian_spectrum",
    "plot_learning_rate_sweep",
    "plot_minimum_probability",
    "plot_parameter_paths",
    "plot_step_lengths",
    "plot_weight_decay_sweep",
    "plot_steps_to_target",
    "plot_trajectories",
    "plot_trajectory_panels",
    "race_animation",
]
