"""Headless tests of dldemos.plots.averages: titles, labels, legends, and the plotted numbers
checked against the formulas written out here (not against dldemos.averages itself)."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dldemos.plots.averages import (
    plot_bias_correction,
    plot_correction_factor,
    plot_ewma_explorer,
    plot_ewma_weights,
    plot_temperatures,
)


def ewma_by_loop(values, beta):
    v, out = 0.0, []
    for theta in values:
        v = beta * v + (1 - beta) * theta
        out.append(v)
    return np.array(out)


def assert_labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_legend() is not None and ax.get_legend().get_texts()


TEMPERATURES = np.array([20.0, 22.0, 21.0, 19.0, 23.0, 24.0, 18.0, 20.0])


def test_plot_temperatures_draws_the_points_and_each_average():
    figure = plot_temperatures(TEMPERATURES, {"flat": np.full(8, 21.0)}, first_day=10)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert_labelled(ax)
    assert "°C" in ax.get_ylabel()
    points, flat = ax.get_lines()
    np.testing.assert_array_equal(points.get_xdata(), np.arange(10, 18))
    np.testing.assert_array_equal(points.get_ydata(), TEMPERATURES)
    np.testing.assert_array_equal(flat.get_ydata(), np.full(8, 21.0))
    with pytest.raises(ValueError, match="one per day"):
        plot_temperatures(TEMPERATURES, {"short": [1.0, 2.0]})
    with pytest.raises(ValueError, match="1-D"):
        plot_temperatures(np.ones((2, 3)))


def test_plot_ewma_weights_shows_beta_to_the_k_and_the_weight_share():
    figure = plot_ewma_weights([0.5, 0.9], n_lags=30)
    left, right = figure.axes
    assert_labelled(left)
    assert_labelled(right)
    np.testing.assert_allclose(left.get_lines()[0].get_ydata(), 0.5 ** np.arange(30))
    curves = [line for line in right.get_lines() if len(line.get_ydata()) == 30]  # not the guides
    np.testing.assert_allclose(curves[1].get_ydata(), 1 - 0.9 ** np.arange(1, 31))
    window_dot = left.get_lines()[3]  # beta = 0.9: k = 10, weight 0.9**10
    np.testing.assert_allclose(window_dot.get_xydata(), [[10.0, 0.9**10]])
    with pytest.raises(ValueError, match="beta"):
        plot_ewma_weights([1.0])


def test_plot_bias_correction_draws_biased_and_corrected_averages():
    ax = plot_bias_correction(TEMPERATURES, beta=0.9, n_days=6).axes[0]
    assert_labelled(ax)
    points, biased, corrected = ax.get_lines()[:3]
    expected = ewma_by_loop(TEMPERATURES[:6], 0.9)
    np.testing.assert_allclose(biased.get_ydata(), expected)
    np.testing.assert_allclose(corrected.get_ydata(), expected / (1 - 0.9 ** np.arange(1, 7)))
    assert corrected.get_ydata()[0] == pytest.approx(TEMPERATURES[0])
    with pytest.raises(ValueError, match="n_days"):
        plot_bias_correction(TEMPERATURES, 0.9, n_days=9)


def test_plot_correction_factor_marks_the_step_within_one_percent():
    ax = plot_correction_factor([0.9], n_steps=1000).axes[0]
    assert_labelled(ax)
    curve, dot = ax.get_lines()
    steps = curve.get_xdata()
    np.testing.assert_allclose(curve.get_ydata(), 1 - 0.9**steps)
    t = dot.get_xdata()[0]
    assert 0.9**t == pytest.approx(0.01)


def test_plot_ewma_explorer_starts_the_averages_on_the_chosen_day():
    ax = plot_ewma_explorer(TEMPERATURES, beta=0.5, first_day=3).axes[0]
    assert_labelled(ax)
    points, biased, corrected, moving = ax.get_lines()
    np.testing.assert_array_equal(points.get_xdata(), np.arange(3, 9))
    np.testing.assert_allclose(biased.get_ydata(), ewma_by_loop(TEMPERATURES[2:], 0.5))
    assert corrected.get_ydata()[0] == pytest.approx(TEMPERATURES[2])
    np.testing.assert_allclose(moving.get_ydata()[1:], (TEMPERATURES[2:-1] + TEMPERATURES[3:]) / 2)
    assert "2 days" in ax.get_legend().get_texts()[3].get_text()
    with pytest.raises(ValueError, match="first_day"):
        plot_ewma_explorer(TEMPERATURES, 0.5, first_day=0)
