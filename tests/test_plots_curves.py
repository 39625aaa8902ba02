"""Headless tests of dldemos.plots.curves: every figure has a title, labelled axes, a legend,
and draws the numbers it was given."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from dldemos.data import load_moons
from dldemos.nn import DeepNetwork
from dldemos.optim import SGD
from dldemos.plots.curves import (
    plot_batch_loss_spread,
    plot_batch_size_race,
    plot_io_costs,
    plot_loss_along_line,
    plot_losses,
    plot_step_cost,
    plot_step_loss,
)
from dldemos.timing import TimedRun
from dldemos.train import History, train


@pytest.fixture(scope="module")
def histories():
    X, Y, X_dev, Y_dev = load_moons(n_samples=100, seed=0)
    runs = {}
    for label, batch_size in (("full batch", 80), ("b = 16", 16)):
        model = DeepNetwork([2, 4, 1], ["relu", "sigmoid"], seed=0)
        runs[label] = train(
            model, SGD(model.param_dict, 0.3), X, Y, 3, batch_size, X_dev, Y_dev, progress=False
        )
    return runs


def assert_labelled(ax, legend=True):
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()
    if legend:
        assert ax.get_legend() is not None and ax.get_legend().get_texts()


def test_plot_losses_draws_each_history_against_epochs_steps_and_time(histories):
    figure = plot_losses(histories)
    assert isinstance(figure, Figure)
    ax = figure.axes[0]
    assert_labelled(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(histories)
    for line, history in zip(ax.get_lines(), histories.values()):
        np.testing.assert_array_equal(line.get_xdata(), history.epoch)
        np.testing.assert_array_equal(line.get_ydata(), history.train_loss)

    small_batches = histories["b = 16"]  # 80 examples: 5 steps per epoch
    ax = plot_losses(histories, x="step", y="dev_accuracy").axes[0]
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), np.array(small_batches.epoch) * 5)
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), small_batches.dev_accuracy)
    assert "epoch" not in ax.get_xlabel() and "accuracy" in ax.get_ylabel()

    ax = plot_losses(histories, x="time", log_y=True).axes[0]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), histories["full batch"].wall_time)
    assert ax.get_yscale() == "log" and "seconds" in ax.get_xlabel()


def test_plot_losses_places_per_step_values_at_fractional_epochs(histories):
    ax = plot_losses(histories, y="step_loss", x="epoch").axes[0]
    small_batches = histories["b = 16"]
    xs = ax.get_lines()[1].get_xdata()
    np.testing.assert_allclose(xs, np.arange(15) / 5)  # step i is measured after i - 1 updates
    np.testing.assert_array_equal(ax.get_lines()[1].get_ydata(), small_batches.step_loss)


def test_plot_losses_draws_into_a_given_axes_with_given_colors(histories):
    figure = Figure()
    ax = figure.subplots()
    assert plot_losses(histories, ax=ax, colors={"b = 16": "red"}, title="mine") is figure
    assert ax.get_title() == "mine"
    assert ax.get_lines()[1].get_color() == "red"


def test_plot_losses_rejects_bad_input(histories):
    with pytest.raises(ValueError, match="quantity"):
        plot_losses(histories, y="accuracy")
    with pytest.raises(ValueError, match="x="):
        plot_losses(histories, x="minutes")
    with pytest.raises(ValueError, match="per step"):
        plot_losses(histories, y="step_loss", x="time")
    with pytest.raises(ValueError, match="dev_loss"):
        plot_losses(
            {"no dev set": History(epoch=[1], train_loss=[0.5], step_loss=[0.6])}, y="dev_loss"
        )
    with pytest.raises(TypeError, match="non-empty dict"):
        plot_losses({})


def test_plot_step_loss_shows_both_curves_and_an_epoch_axis(histories):
    history = histories["b = 16"]
    figure = plot_step_loss(history, smooth_beta=0.5)
    ax = figure.axes[0]
    assert_labelled(ax)
    per_step, smoothed, per_epoch = ax.get_lines()
    np.testing.assert_array_equal(
        per_step.get_xdata(), np.arange(15)
    )  # updates made before the step
    np.testing.assert_array_equal(per_step.get_ydata(), history.step_loss)
    assert smoothed.get_ydata()[0] == pytest.approx(history.step_loss[0])  # bias-corrected EWMA
    np.testing.assert_array_equal(per_epoch.get_xdata(), [5, 10, 15])
    np.testing.assert_array_equal(per_epoch.get_ydata(), history.train_loss)
    assert len(ax.get_legend().get_texts()) == 3
    assert any(child.get_xlabel() == "epochs" for child in ax.child_axes)


def test_plot_batch_loss_spread_draws_the_inverse_square_root_law():
    ax = plot_batch_loss_spread([1, 4, 16], [0.8, 0.5, 0.2]).axes[0]
    assert_labelled(ax)
    measured, law = ax.get_lines()
    np.testing.assert_allclose(law.get_ydata(), [0.8, 0.4, 0.2])
    assert ax.get_xscale() == "log"
    with pytest.raises(ValueError, match="same length"):
        plot_batch_loss_spread([1, 4], [0.8])


def test_plot_batch_loss_spread_adds_the_finite_population_correction():
    ax = plot_batch_loss_spread([1, 4, 16], [0.8, 0.5, 0.2], num_examples=16).axes[0]
    measured, law, corrected = ax.get_lines()
    expected = 0.8 / np.sqrt([1, 4, 16]) * np.sqrt(np.array([15, 12, 0]) / 15)
    np.testing.assert_allclose(corrected.get_ydata(), expected, atol=1e-12)


def test_plot_step_cost_marks_powers_of_two():
    figure = plot_step_cost([96, 1, 64], [3e-4, 1e-4, 2e-4])
    left, right = figure.axes
    for ax in (left, right):
        assert_labelled(ax)
    assert figure.get_suptitle()
    _, powers, others = right.get_lines()
    np.testing.assert_array_equal(powers.get_xdata(), [1, 64])
    np.testing.assert_allclose(
        powers.get_ydata(), [100.0, 2e-4 / 64 * 1e6]
    )  # microseconds per example
    np.testing.assert_array_equal(others.get_xdata(), [96])
    with pytest.raises(ValueError, match="same length"):
        plot_step_cost([1, 2], [1.0])


def test_plot_batch_size_race_shows_epoch_time_and_progress():
    fast = TimedRun(
        batch_size=64,
        num_examples=128,
        learning_rate=0.5,
        seconds=[0.0, 0.5, 1.0],
        train_loss=[0.7, 0.3, 0.1],
        steps=20,
        examples=1280,
    )
    broken = TimedRun(
        batch_size=1,
        num_examples=128,
        learning_rate=3.0,
        seconds=[0.0, 0.1],
        train_loss=[0.7, float("inf")],
        steps=5,
        examples=5,
        diverged=True,
    )
    figure = plot_batch_size_race({"b = 64": fast, "b = 1": broken})
    left, right = figure.axes
    for ax in (left, right):
        assert_labelled(ax, legend=ax is right)
    assert [p.get_height() for p in left.patches] == pytest.approx([0.1, 0.1 / 5 * 128])
    texts = [t.get_text() for t in right.get_legend().get_texts()]
    assert "lr 0.5" in texts[0] and "diverged" in texts[1]
    np.testing.assert_array_equal(right.get_lines()[1].get_ydata(), [0.7])  # inf is left out


def test_plot_io_costs_stacks_reading_on_computing():
    figure = plot_io_costs({"in memory": (0.0, 0.1), "one file per example": (0.3, 0.1)})
    ax = figure.axes[0]
    assert_labelled(ax)
    widths = [p.get_width() for p in ax.patches]
    assert widths == pytest.approx([0.1, 0.1, 0.3, 0.0])  # computing bars, then reading bars
    with pytest.raises(ValueError, match="read_seconds"):
        plot_io_costs({"memory": (0.1,)})


def test_plot_loss_along_line_draws_curve_and_chord():
    alphas = np.linspace(0, 1, 5)
    ax = plot_loss_along_line(alphas, {"bump": [1.0, 2.0, 3.0, 2.0, 1.0]}).axes[0]
    assert_labelled(ax)
    curve, chord = ax.get_lines()[:2]
    np.testing.assert_array_equal(curve.get_ydata(), [1.0, 2.0, 3.0, 2.0, 1.0])
    np.testing.assert_allclose(chord.get_ydata(), np.ones(5))
    with pytest.raises(ValueError, match="shape"):
        plot_loss_along_line(alphas, {"short": [1.0, 2.0]})


def test_plot_losses_can_show_the_gap_to_a_known_minimum(histories):
    ax = plot_losses(histories, minimum=0.1).axes[0]
    np.testing.assert_allclose(
        ax.get_lines()[0].get_ydata(), np.array(histories["full batch"].train_loss) - 0.1
    )
    assert ax.get_yscale() == "log" and "minimum 0.1" in ax.get_ylabel()
