"""Figures of chapter 2: moving averages, exponentially weighted averages and their bias.

* :func:`plot_temperatures` -- a year of daily temperatures with any averages drawn over it;
* :func:`plot_ewma_weights` -- the weights of the unrolled EWMA, ``(1 - beta) beta^k``, and the
  share of the total weight carried by the last ``k`` values;
* :func:`plot_bias_correction` -- the first days of an EWMA with and without ``v_t / (1 - beta^t)``;
* :func:`plot_correction_factor` -- ``1 - beta^t``: how long the start-up bias lasts for each beta;
* :func:`plot_ewma_explorer` -- one beta on the temperatures, for the chapter's slider.

The numbers come from :mod:`dldemos.averages`; every function returns a
:class:`matplotlib.figure.Figure` that no pyplot window owns (see :mod:`dldemos.plots.curves`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dldemos.averages import effective_window, ewma, ewma_weights, moving_average
from dldemos.plots import new_axes

TEMPERATURE_LABEL = "temperature (°C)"


def _as_series(values, name: str) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0:
        raise ValueError(
            f"{name} must be a non-empty 1-D series (one value per day), got shape {values.shape}"
        )
    return values


def _check_betas(betas: Sequence[float]) -> list[float]:
    betas = list(betas)
    if not betas:
        raise ValueError("betas must hold at least one beta")
    for beta in betas:
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"every beta must satisfy 0 <= beta < 1, got {beta!r} in {betas}")
    return betas


def plot_temperatures(
    temperatures,
    averages: Mapping[str, Sequence[float]] | None = None,
    title: str | None = None,
    ax: Axes | None = None,
    first_day: int = 1,
    xlabel: str = "day of the year (1 = 1 January)",
    colors: Mapping[str, str] | None = None,
) -> Figure:
    """Daily temperatures as dots, with each series of ``averages`` (label -> one value per
    day) drawn as a line over them. Day ``i`` of the arrays is plotted at ``first_day + i``.
    ``colors`` maps labels to colours (default: the colour cycle in order)."""
    temperatures = _as_series(temperatures, "temperatures")
    days = first_day + np.arange(temperatures.size)
    ax = new_axes(ax)
    figure = ax.figure
    ax.plot(
        days, temperatures, ".", color="gray", markersize=3, alpha=0.6, label="daily temperature"
    )
    for i, (label, values) in enumerate((averages or {}).items()):
        values = _as_series(values, f"averages[{label!r}]")
        if values.shape != temperatures.shape:
            raise ValueError(
                f"averages[{label!r}] has {values.size} values, expected one per day ({temperatures.size})"
            )
        ax.plot(
            days, values, "-", color=(colors or {}).get(label, f"C{i}"), linewidth=1.8, label=label
        )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(TEMPERATURE_LABEL)
    ax.set_title(title or "A year of daily temperatures")
    ax.legend(loc="best", fontsize=9)
    return figure


def plot_ewma_weights(
    betas: Sequence[float] = (0.5, 0.9, 0.98), n_lags: int = 100, title: str | None = None
) -> Figure:
    """Two panels on the unrolled EWMA ``v_t = sum_k (1 - beta) beta^k z_{t-k}``.

    Left: the weight of the value ``k`` days back relative to today's, ``beta^k``, with a
    dot at ``k = 1 / (1 - beta)`` where it has fallen to about ``1/e``. Right: the share of
    all weight carried by the last ``k`` values, ``1 - beta^k``, which passes ``1 - 1/e``
    (about 63 %) near the same ``k``: the effective window.
    """
    betas = _check_betas(betas)
    if not isinstance(n_lags, (int, np.integer)) or n_lags < 2:
        raise ValueError(f"n_lags must be an integer >= 2, got {n_lags!r}")
    lags = np.arange(n_lags)
    figure = Figure(figsize=(10.0, 4.0), layout="constrained")
    left, right = figure.subplots(1, 2)
    for i, beta in enumerate(betas):
        color = f"C{i}"
        window = effective_window(beta)
        relative = ewma_weights(beta, n_lags) / (1 - beta)
        label = f"beta = {beta:g}: window 1/(1-beta) = {window:.3g} days"
        left.plot(lags, relative, "-", color=color, label=label)
        right.plot(lags + 1, 1 - beta ** (lags + 1), "-", color=color)
        if window <= n_lags:
            left.plot([window], [beta**window], "o", color=color)
            right.axvline(window, color=color, linestyle=":", linewidth=1)
    left.axhline(np.exp(-1), color="gray", linestyle="--", linewidth=1, label="1/e ≈ 0.37")
    right.axhline(1 - np.exp(-1), color="gray", linestyle="--", linewidth=1, label="1 - 1/e ≈ 63 %")
    left.set_xlabel("k, days back from today")
    left.set_ylabel(r"weight relative to today's, $\beta^k$")
    left.set_title("Weights decay as beta^k (dot: k = 1/(1-beta))")
    left.legend(fontsize=8)
    right.set_xscale("log")
    right.set_xlabel("k, the number of most recent days")
    right.set_ylabel(r"share of the total weight, $1-\beta^k$")
    right.set_title("The last 1/(1-beta) days carry about 63 %")
    right.legend(fontsize=8, loc="lower right")  # colours as in the left panel
    figure.suptitle(title or r"Unrolling the EWMA: $v_t = \sum_k (1-\beta)\beta^k z_{t-k}$")
    return figure


def plot_bias_correction(
    series,
    beta: float,
    n_days: int = 60,
    title: str | None = None,
    ax: Axes | None = None,
    xlabel: str = "days since the first measurement",
) -> Figure:
    """The first ``n_days`` of an EWMA started from ``v_0 = 0``: the raw values, the biased
    ``v_t`` and the corrected ``v_t / (1 - beta^t)``."""
    series = _as_series(series, "series")
    if not isinstance(n_days, (int, np.integer)) or not 1 <= n_days <= series.size:
        raise ValueError(
            f"n_days must be an integer from 1 to the length of the series ({series.size}), got {n_days!r}"
        )
    shown = series[:n_days]
    days = np.arange(1, n_days + 1)
    ax = new_axes(ax)
    figure = ax.figure
    ax.plot(days, shown, ".", color="gray", markersize=5, label="measured value")
    ax.plot(
        days,
        ewma(shown, beta),
        "-",
        color="C3",
        linewidth=1.8,
        label=r"EWMA $v_t$ from $v_0 = 0$ (biased towards 0)",
    )
    ax.plot(
        days,
        ewma(shown, beta, bias_correction=True),
        "-",
        color="C0",
        linewidth=1.8,
        label=r"bias-corrected $v_t / (1-\beta^t)$",
    )
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(TEMPERATURE_LABEL)
    ax.set_title(title or f"The start of an EWMA with beta = {beta:g}")
    ax.legend(loc="lower right", fontsize=9)
    return figure


def plot_correction_factor(
    betas: Sequence[float] = (0.9, 0.98, 0.999),
    n_steps: int = 10_000,
    title: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """``1 - beta^t`` against ``t`` (log scale): the total weight of an EWMA started at 0.

    Bias correction divides by this number. The dot marks the step after which it exceeds
    0.99, i.e. the correction changes the average by less than 1 %:
    ``t = ln(0.01) / ln(beta)``, about ``4.6 / (1 - beta)``.
    """
    betas = _check_betas(betas)
    if not isinstance(n_steps, (int, np.integer)) or n_steps < 2:
        raise ValueError(f"n_steps must be an integer >= 2, got {n_steps!r}")
    steps = np.unique(np.geomspace(1, n_steps, 400).astype(int))
    ax = new_axes(ax)
    figure = ax.figure
    for i, beta in enumerate(betas):
        color = f"C{i}"
        ax.plot(steps, 1 - beta**steps, "-", color=color, label=f"beta = {beta:g}")
        if beta > 0:
            settled = np.log(0.01) / np.log(beta)
            if settled <= n_steps:
                ax.plot([settled], [0.99], "o", color=color)
                ax.annotate(
                    f"t ≈ {settled:.0f}",
                    (settled, 0.99),
                    textcoords="offset points",
                    xytext=(4, -14),
                    fontsize=8,
                    color=color,
                )
    ax.set_xscale("log")
    ax.set_xlabel("t, steps (or days) since the start")
    ax.set_ylabel(r"total weight $1-\beta^t$")
    ax.set_title(title or "How long the start-up bias lasts (dot: within 1 %)")
    ax.legend(loc="upper left")
    return figure


def plot_ewma_explorer(
    temperatures, beta: float = 0.9, first_day: int = 1, title: str | None = None
) -> Figure:
    """The temperatures from day ``first_day`` (1 = the first value) on, with the EWMA of one
    ``beta`` started there from ``v_0 = 0``, bias-corrected and not, and the moving average
    over its effective window ``round(1 / (1 - beta))`` days for comparison. Start in
    summer to see the bias; in January the temperatures are near 0 and hide it."""
    temperatures = _as_series(temperatures, "temperatures")
    if not isinstance(first_day, (int, np.integer)) or not 1 <= first_day <= temperatures.size:
        raise ValueError(
            f"first_day must be an integer from 1 to {temperatures.size}, got {first_day!r}"
        )
    series = temperatures[first_day - 1 :]
    window = max(1, round(effective_window(beta)))
    biased, corrected = f"EWMA, beta = {beta:g}", "EWMA, bias-corrected"
    averages = {
        biased: ewma(series, beta),
        corrected: ewma(series, beta, bias_correction=True),
        f"moving average over {window} days": moving_average(series, window),
    }
    return plot_temperatures(
        series,
        averages,
        first_day=first_day,
        colors={biased: "C3", corrected: "C0"},
        title=title or f"beta = {beta:g}: effective window about {effective_window(beta):.3g} days",
    )
