"""Headless checks of dldemos.plots.landscapes: every figure renders, with title, labels and legend.

The data are tiny hand-made arrays, so the checks are about the drawing: what is on the axes,
which colour an optimizer gets, what the animation's frames show.
"""

import io
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from dldemos import surfaces
from dldemos.compare import SurfaceSweep, SweepResult
from dldemos.plots import OPTIMIZER_COLORS
from dldemos.plots import landscapes as lp
from dldemos.train import History


def render(figure):
    """Draw the figure completely (as the book does) and return it."""
    figure.savefig(io.BytesIO(), format="png", dpi=40)
    return figure


def labelled(ax):
    return bool(ax.get_title()) and bool(ax.get_xlabel()) and bool(ax.get_ylabel())


def legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None, f"no legend on axes {ax.get_title()!r}"
    return [text.get_text() for text in legend.get_texts()]


@pytest.fixture(scope="module")
def saddle():
    return surfaces.saddle()


@pytest.fixture(scope="module")
def paths():
    t = np.linspace(0, 1, 6)[:, None]
    return {
        "SGD": np.hstack([-1.5 + 1.5 * t, 1e-3 + 0 * t]),
        "Adam": np.hstack([-1.5 + 0 * t, 2.5 * t]),  # escapes: ends outside the plot
        "Momentum": np.array([[-1.5, 0.1], [np.inf, np.nan]]),
    }  # diverged after one step


def test_optimizer_colors():
    assert lp.optimizer_color("Adam") == OPTIMIZER_COLORS["Adam"]
    assert lp.optimizer_color("Adam, no bias correction") == OPTIMIZER_COLORS["Adam"]
    assert lp.optimizer_color("AdamW (lr 0.1)") == OPTIMIZER_COLORS["AdamW"]
    assert lp.optimizer_color("something else", 0) not in OPTIMIZER_COLORS.values()


def test_contours_mark_critical_points(saddle):
    figure = render(lp.plot_contours(saddle))
    ax = figure.axes[0]
    assert labelled(ax)
    assert any(line.get_label() == "saddle" for line in ax.get_lines())
    assert ax.get_xlim() == saddle.bounds[0] and ax.get_ylim() == saddle.bounds[1]
    assert len(figure.axes) == 2  # the colour bar
    bare = render(lp.plot_contours(saddle, colorbar=False, mark_critical_points=False))
    assert len(bare.axes) == 1 and not bare.axes[0].get_lines()


def test_contours_use_log_levels_for_wide_ranges():
    rosenbrock = surfaces.rosenbrock()
    levels = lp.plot_contours(rosenbrock, resolution=50).axes[0].collections[0].levels
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])  # geometric spacing
    with pytest.raises(TypeError, match="Surface"):
        lp.plot_contours("saddle")


def test_trajectories_with_loss_panel(saddle, paths):
    figure = render(lp.plot_trajectories(saddle, paths, loss_panel=True, title="A race"))
    ax, loss_ax = figure.axes[0], figure.axes[1]
    assert ax.get_title() == "A race" and labelled(loss_ax)
    texts = legend_texts(ax)
    assert "SGD (5 steps)" in texts
    assert "Adam (ends outside the plot)" in texts
    assert "Momentum (ends outside the plot)" in texts
    drawn = {line.get_label(): line for line in ax.get_lines()}
    assert drawn["SGD (5 steps)"].get_color() == OPTIMIZER_COLORS["SGD"]
    assert len(drawn["Momentum (ends outside the plot)"].get_xdata()) == 1  # only the finite part
    # the loss panel's range covers the points inside the window, not the escaped ones
    assert loss_ax.get_ylim()[0] > -3 and set(legend_texts(loss_ax)) == set(paths)


def test_trajectories_validate_input(saddle, paths):
    with pytest.raises(ValueError, match="non-empty"):
        lp.plot_trajectories(saddle, {})
    with pytest.raises(ValueError, match="shape"):
        lp.plot_trajectories(saddle, {"SGD": np.zeros((3, 3))})
    with pytest.raises(ValueError, match="loss_panel"):
        lp.plot_trajectories(saddle, paths, ax=Figure().subplots(), loss_panel=True)


def test_trajectory_panels(saddle, paths):
    figure = render(
        lp.plot_trajectory_panels([(saddle, paths), (saddle, paths)], titles=["left", "right"])
    )
    titles = [ax.get_title() for ax in figure.axes]
    assert "left" in titles and "right" in titles
    with pytest.raises(ValueError, match="titles"):
        lp.plot_trajectory_panels([(saddle, paths)], titles=["a", "b"])


def test_step_lengths(paths):
    figure = render(lp.plot_step_lengths({"SGD": paths["SGD"]}))
    ax = figure.axes[0]
    assert labelled(ax) and ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), np.full(5, 0.3))


def test_race_animation_frames(saddle, paths):
    animation = lp.race_animation(
        saddle, {"SGD": paths["SGD"], "Adam": paths["Adam"]}, num_frames=4
    )
    frames = list(animation.new_frame_seq())
    assert frames[0] == 0 and frames[-1] == 5 and len(frames) <= 4
    html = animation.to_jshtml()
    assert html.count("data:image/png") == len(frames)
    ax = animation._fig.axes[0]  # after rendering, the figure shows the last frame
    assert labelled(ax) and set(legend_texts(ax)) >= {"SGD", "Adam"}
    sgd_line = next(line for line in ax.get_lines() if line.get_label() == "SGD")
    np.testing.assert_array_equal(sgd_line.get_xdata(), paths["SGD"][:, 0])
    with pytest.raises(ValueError, match="num_frames"):
        lp.race_animation(saddle, paths, num_frames=1)


def test_critical_points_are_annotated_with_eigenvalues():
    figure = render(lp.plot_critical_points([surfaces.saddle(), surfaces.monkey_saddle()], ncols=3))
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert any("saddle" in t and "λ = -2, 2" in t for t in texts)
    assert any("degenerate" in t and "λ = 0, 0" in t for t in texts)
    assert figure.get_suptitle()
    visible = [ax for ax in figure.axes if ax.get_visible() and ax.get_title()]
    assert len(visible) == 2 and all(labelled(ax) for ax in visible)
    with pytest.raises(ValueError, match="at least one"):
        lp.plot_critical_points([])


def test_minimum_probability():
    figure = render(
        lp.plot_minimum_probability(
            max_dimension=20, probabilities=(0.5,), empirical={1: 0.5, 2: 0.15}
        )
    )
    ax = figure.axes[0]
    assert labelled(ax) and ax.get_yscale() == "log" and len(legend_texts(ax)) == 2
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), 0.5 ** np.arange(1, 21))
    with pytest.raises(ValueError, match="probabilities"):
        lp.plot_minimum_probability(probabilities=(1.5,))
    with pytest.raises(ValueError, match="max_dimension"):
        lp.plot_minimum_probability(max_dimension=1)


def test_steps_to_target():
    figure = render(
        lp.plot_steps_to_target({"SGD": 38, "AdaDelta": None}, max_steps=60, title="Escape")
    )
    ax = figure.axes[0]
    assert ax.get_title() == "Escape" and ax.get_xlabel() and legend_texts(ax)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["SGD", "AdaDelta"]
    assert any("not within 60" in t.get_text() for t in ax.texts)
    with pytest.raises(ValueError, match="non-empty"):
        lp.plot_steps_to_target({}, max_steps=10)


def history_with(train_loss):
    return History(train_loss=list(train_loss), epoch=list(range(1, len(train_loss) + 1)))


def test_learning_rate_sweep_of_networks_and_surfaces():
    network = {
        "SGD": SweepResult(
            (0.1, 1.0, 10.0),
            (history_with([0.5]), history_with([0.2]), None),
            (0.5, 0.2, math.inf),
            "train_loss",
        ),
        "Adam": SweepResult(
            (1e-3, 1e-2), (history_with([0.3]), history_with([0.1])), (0.3, 0.1), "train_loss"
        ),
    }
    ax = render(lp.plot_learning_rate_sweep(network)).axes[0]
    assert labelled(ax) and ax.get_xscale() == "log" and set(legend_texts(ax)) == {"SGD", "Adam"}
    assert "train loss" in ax.get_ylabel()
    surface = {
        "GD": SurfaceSweep((0.01, 0.1), (None, 40), (np.zeros((1, 2)),) * 2, (1.0, 0.0), 1e-3)
    }
    ax = render(lp.plot_learning_rate_sweep(surface)).axes[0]
    assert "steps" in ax.get_ylabel() and ax.get_yscale() == "linear"
    with pytest.raises(ValueError, match="non-empty"):
        lp.plot_learning_rate_sweep({})


def test_eps_placement():
    ax = render(lp.plot_eps_placement(eps_values=(1e-8,))).axes[0]
    assert labelled(ax) and len(legend_texts(ax)) == 2
    outside, inside = ax.get_lines()
    g = outside.get_xdata()
    np.testing.assert_allclose(outside.get_ydata(), g / (g + 1e-8))
    np.testing.assert_allclose(inside.get_ydata(), g / np.sqrt(g**2 + 1e-8))


def test_parameter_paths():
    path = np.array([[0.0, 0.0], [1.0, 2.0], [1.5, 3.0]])
    figure = render(
        lp.plot_parameter_paths(
            {"SGD": path, "AdaGrad": path * 1.1}, ["w1", "w2"], targets=(1.5, 4.0)
        )
    )
    assert len(figure.axes) == 2 and all(labelled(ax) for ax in figure.axes)
    assert "value that generated the data" in legend_texts(figure.axes[1])
    with pytest.raises(ValueError, match="shape"):
        lp.plot_parameter_paths({"SGD": path}, ["w1"])


def test_weight_decay_sweep_and_effective_decay():
    results = {
        "Adam (L2)": {
            "weight_decay": [1e-4, 1e-3],
            "dev_loss": [0.2, 0.1],
            "weight_norm": [50, 30],
        },
        "AdamW": {"weight_decay": [1e-2, 1e-1], "dev_loss": [0.15, 0.12], "weight_norm": [60, 40]},
    }
    figure = render(
        lp.plot_weight_decay_sweep(results, baseline={"dev_loss": 0.3, "weight_norm": 70})
    )
    assert len(figure.axes) == 2 and all(labelled(ax) for ax in figure.axes)
    assert "no weight decay" in legend_texts(figure.axes[0])
    with pytest.raises(KeyError, match="weight_norm"):
        lp.plot_weight_decay_sweep({"AdamW": {"weight_decay": [1.0], "dev_loss": [0.1]}})
    ax = render(
        lp.plot_effective_decay(
            {"AdamW": np.full(10, 1e-3), "Adam (L2)": np.geomspace(1e-4, 1e-1, 10)}
        )
    ).axes[0]
    assert labelled(ax) and ax.get_xscale() == "log" and len(legend_texts(ax)) == 2
    with pytest.raises(ValueError, match="positive"):
        lp.plot_effective_decay({"AdamW": np.zeros(3)})


def test_plot_hessian_spectrum_draws_loss_and_both_curvatures():
    from dldemos.hessian import Spectrum
    from dldemos.plots.landscapes import plot_hessian_spectrum

    spectrum = Spectrum(
        np.array([0.69, 0.5, 0.3]), np.array([-0.04, -0.2, -0.01]), np.array([0.25, 0.4, 0.6])
    )
    fig = plot_hessian_spectrum({"SGD": spectrum, "Adam": spectrum}, title="spectrum")
    loss_ax, curvature_ax = fig.axes
    assert len(loss_ax.lines) == 2 + 1 and len(curvature_ax.lines) == 4 + 1  # + the reference lines
    with pytest.raises(ValueError, match="non-empty"):
        plot_hessian_spectrum({})
