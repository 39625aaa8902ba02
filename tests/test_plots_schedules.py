"""dldemos.plots.schedules: every figure builds headless, is labelled, and draws the right numbers.

The drawn values are checked against formulas written out here, never against the output of
our own schedules (tests/test_schedules.py checks those against torch.optim.lr_scheduler).
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

from dldemos import schedules as S
from dldemos.plots import schedules as P
from dldemos.surfaces import quadratic
from dldemos.train import History


def _assert_labelled(ax):
    assert ax.get_title()
    assert ax.get_xlabel() and ax.get_ylabel()


def _legend_texts(ax):
    legend = ax.get_legend()
    assert legend is not None
    return [text.get_text() for text in legend.get_texts()]


def test_plot_schedules_draws_each_epoch_rate_as_a_step():
    lr0, n = 0.1, 6
    fig = P.plot_schedules({"hyperbolic": S.hyperbolic_decay(0.5), "constant": S.const_lr}, lr0, n)
    ax = fig.axes[0]
    _assert_labelled(ax)
    assert _legend_texts(ax) == ["hyperbolic", "constant"]
    hyperbolic = ax.get_lines()[0]
    assert hyperbolic.get_drawstyle() == "steps-post"
    expected = [lr0 / (1 + 0.5 * t) for t in range(n)]
    np.testing.assert_allclose(
        hyperbolic.get_ydata(), expected + expected[-1:]
    )  # last epoch held to t = n
    np.testing.assert_array_equal(hyperbolic.get_xdata(), np.arange(n + 1))


def test_plot_schedules_per_step_and_errors():
    fig = P.plot_schedules({"cosine": S.cosine_annealing(9)}, 1.0, 10, unit="step", log_y=False)
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(
        line.get_ydata(), [(1 + math.cos(math.pi * t / 9)) / 2 for t in range(10)], atol=1e-15
    )
    assert "step" in fig.axes[0].get_xlabel()
    with pytest.raises(ValueError, match="unit"):
        P.plot_schedules({"c": S.const_lr}, 0.1, 5, unit="minute")
    with pytest.raises(TypeError, match="schedules"):
        P.plot_schedules({}, 0.1, 5)
    with pytest.raises(TypeError, match="'bad'"):
        P.plot_schedules({"bad": 0.1}, 0.1, 5)


def test_schedule_colors_are_distinct_and_follow_the_family():
    colors = P.schedule_colors(["constant 0.1", "constant 0.3", "cosine", "my own"])
    assert colors["constant 0.1"] == P.SCHEDULE_COLORS["constant"]
    assert colors["cosine"] == P.SCHEDULE_COLORS["cosine"]
    assert len(set(colors.values())) == 4
    assert P.schedule_color("Warmup + cosine, 2 epochs") == P.SCHEDULE_COLORS["warmup + cosine"]


def test_grid_has_a_titled_panel_per_schedule_and_a_momentum_axis():
    panels = {
        "step decay": P.SchedulePanel(S.step_decay(2, 0.5), 0.1, 6),
        "exponential": P.SchedulePanel(S.exponential_decay(0.9), 0.1, 6),
        "one-cycle": P.SchedulePanel(
            S.one_cycle(0.1, 20), 0.1, 20, "step", S.one_cycle_momentum(20)
        ),
    }
    fig = P.plot_schedule_grid(panels, ncols=2)
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.get_title()]
    assert [ax.get_title() for ax in visible] == list(panels)
    assert all(ax.get_xlabel() for ax in visible)
    assert fig.get_suptitle()
    assert fig.legends and "momentum" in " ".join(t.get_text() for t in fig.legends[0].get_texts())
    twins = [ax for ax in fig.axes if ax.get_ylabel() == "momentum"]
    assert len(twins) == 1
    step_line = visible[0].get_lines()[0]
    np.testing.assert_allclose(step_line.get_ydata()[:6], [0.1 * 0.5 ** (t // 2) for t in range(6)])
    assert [ax.get_visible() for ax in fig.axes[:4]] == [True, True, True, False]  # 4th cell unused
    with pytest.raises(TypeError, match="SchedulePanel"):
        P.plot_schedule_grid({"x": (S.const_lr, 0.1, 5)})


def test_one_cycle_figure_draws_the_rates_and_shades_three_phases():
    # Smith's three-phase policy with linear ramps, written out with np.interp
    total, pct = 50, 0.4
    peak = pct * total - 1
    knots = [0, peak, 2 * peak, total - 1]
    lrs = np.interp(np.arange(total), knots, [0.04, 1.0, 0.04, 4e-6])
    momenta = np.interp(np.arange(total), knots, [0.95, 0.85, 0.95, 0.95])
    fig = P.plot_one_cycle(lrs, momenta, phase_ends=[peak, 2 * peak, total - 1])
    ax = fig.axes[0]
    _assert_labelled(ax)
    assert _legend_texts(ax) == ["learning rate", "momentum (right axis)"]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), lrs)
    assert fig.axes[1].get_ylabel() == "momentum"
    assert [t.get_text() for t in ax.texts] == ["1: warm-up", "2: cool-down", "3: annihilation"]
    with pytest.raises(ValueError, match="phase_ends"):
        P.plot_one_cycle(lrs, momenta, phase_ends=[30, 20, 49])
    with pytest.raises(ValueError, match="momenta"):
        P.plot_one_cycle(lrs, momenta[:-1])
    # the schedules of dldemos draw the same picture
    ours = S.schedule_values(
        S.one_cycle(
            1.0,
            total,
            pct,
            div_factor=25,
            final_div_factor=1e4,
            anneal_strategy="linear",
            three_phase=True,
        ),
        1.0,
        total,
    )
    np.testing.assert_allclose(ours, lrs, rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", P.EXPLORER_SCHEDULES)
def test_explorer_draws_every_schedule_with_its_call_as_title(name):
    fig = P.plot_schedule_explorer(name, lr0=0.2, epochs=20, warmup=3, cycle=4)
    ax = fig.axes[0]
    _assert_labelled(ax)
    assert name in _legend_texts(ax)
    assert len(ax.get_lines()[0].get_ydata()) == 21  # 20 epochs, the last one held


def test_explorer_title_spells_out_the_call_and_the_rates_follow_it():
    fig = P.plot_schedule_explorer("cosine", lr0=0.2, epochs=20, final_factor=0.1)
    ax = fig.axes[0]
    assert ax.get_title() == "cosine_annealing(T_max=19, eta_min=0.02)"
    expected = [0.02 + 0.18 * (1 + math.cos(math.pi * t / 19)) / 2 for t in range(20)]
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata()[:20], expected)


def test_explorer_rejects_an_unknown_schedule():
    with pytest.raises(ValueError, match="'linearish'"):
        P.plot_schedule_explorer("linearish")


def test_regions_of_a_synthetic_range_test():
    lrs = np.geomspace(1e-5, 10, 121)  # 20 points per decade
    x = np.log10(lrs)
    loss = np.where(
        x < -3, 2.5, 2.5 - 2.0 * np.clip((x + 3) / 3, 0, 1)
    )  # flat, then falling to 0.5 at 1
    loss = np.where(x > 0, 0.5 + 20 * x**2, loss)  # then blowing up
    regions = P.lr_range_test_regions(lrs, loss, drop_fraction=0.1)
    # the loss is 10% of the way down (2.3) at x = -3 + 0.3 = -2.7, and lowest at x = 0
    assert regions.too_small_below == pytest.approx(10**-2.65, rel=0.13)
    assert regions.diverging_above == pytest.approx(1.0, rel=1e-9)
    with pytest.raises(ValueError, match="never fell"):
        P.lr_range_test_regions(lrs, np.linspace(1, 3, lrs.size))
    with pytest.raises(ValueError, match="same length"):
        P.lr_range_test_regions(lrs, loss[:-1])


def test_range_test_plot_marks_regions_suggestion_and_minimum():
    lrs = np.geomspace(1e-4, 1, 80)
    smoothed = 2.0 - 1.5 / (1 + np.exp(-3 * (np.log10(lrs) + 2)))
    smoothed[-10:] += np.linspace(0.1, 3.0, 10)
    result = SimpleNamespace(
        lrs=lrs, losses=smoothed + 0.05, smoothed_losses=smoothed, suggestion=1e-2
    )
    fig = P.plot_lr_range_test(result)
    ax = fig.axes[0]
    _assert_labelled(ax)
    assert ax.get_xscale() == "log"
    texts = " ".join(t.get_text() for t in ax.texts)
    for region in ("too small", "good", "too large"):
        assert region in texts
    legend = " ".join(_legend_texts(ax))
    assert "suggestion" in legend and "0.01" in legend and "minimum" in legend
    P.plot_lr_range_test(
        SimpleNamespace(lrs=lrs, losses=smoothed, smoothed_losses=smoothed, suggestion=None)
    )


def test_range_test_plot_reads_a_real_range_test():
    from dldemos.lr_finder import lr_range_test
    from dldemos.nn import DeepNetwork
    from dldemos.optim import SGD

    rng = np.random.default_rng(0)
    Y = rng.integers(0, 2, size=(1, 256))
    X = rng.standard_normal((2, 256)) + 1.5 * Y - 0.75
    result = lr_range_test(
        DeepNetwork([2, 8, 1], ["relu", "sigmoid"], seed=0),
        SGD,
        X,
        Y,
        min_lr=1e-4,
        max_lr=1e3,
        num_steps=120,
        batch_size=32,
        smoothing=0.9,
    )
    fig = P.plot_lr_range_test(result)
    assert fig.axes[0].get_lines()[1].get_ydata().size == result.lrs.size


def test_noisy_descent_figure():
    bowl = quadratic(condition_number=2.0)
    paths = np.zeros((3, 11, 2))
    paths[:, :, 0] = np.linspace(-4, 0.1, 11)
    fig = P.plot_noisy_descent(bowl, {"constant rate 0.1": paths, "hyperbolic decay": paths * 0.5})
    left, right = fig.axes[:2]  # then the contour colour bar
    _assert_labelled(left)
    _assert_labelled(right)
    assert right.get_yscale() == "log"
    mean_loss = bowl.f(paths[..., 0], paths[..., 1]).mean(axis=0)
    np.testing.assert_allclose(right.get_lines()[0].get_ydata(), mean_loss)
    assert "hyperbolic decay" in _legend_texts(right)
    with pytest.raises(ValueError, match="num_runs"):
        P.plot_noisy_descent(bowl, {"bad": paths[0]})


def _history(step_lrs, steps_per_epoch=2):
    epochs = len(step_lrs) // steps_per_epoch
    return History(
        step_loss=list(np.linspace(1, 0.1, len(step_lrs))),
        step_lr=list(step_lrs),
        epoch=list(range(1, epochs + 1)),
        lr=list(step_lrs[::steps_per_epoch]),
        train_loss=list(np.linspace(1, 0.1, epochs)),
        train_accuracy=[0.5] * epochs,
        dev_loss=list(np.linspace(1.1, 0.2, epochs)),
        dev_accuracy=list(np.linspace(0.5, 0.9, epochs)),
        wall_time=list(np.arange(1.0, epochs + 1)),
    )


def test_schedule_runs_figure_has_one_labelled_panel_per_quantity():
    histories = {
        "constant": _history([0.1] * 6),
        "cosine": _history([0.1, 0.09, 0.07, 0.04, 0.02, 0.0]),
    }
    fig = P.plot_schedule_runs(histories)
    assert len(fig.axes) == 3 and fig.get_suptitle()
    for ax in fig.axes:
        _assert_labelled(ax)
    assert fig.axes[1].get_yscale() == "log"
    assert _legend_texts(fig.axes[-1]) == ["constant", "cosine"]
    np.testing.assert_allclose(fig.axes[0].get_lines()[1].get_ydata(), histories["cosine"].step_lr)
    with pytest.raises(ValueError, match="panels"):
        P.plot_schedule_runs(histories, panels=("speed",))


def test_runs_table_lists_the_end_of_every_run():
    history = History(train_loss=[0.5, 0.25], dev_loss=[0.6, 0.3], dev_accuracy=[0.8, 0.875])
    table = P.runs_table({"cosine": history, "a much longer label than usual": history})
    lines = table.splitlines()
    assert lines[0].split() == ["run", "train", "loss", "dev", "loss", "dev", "accuracy"]
    assert lines[1].split() == ["cosine", "2.50e-01", "0.300", "87.5%"]
    assert lines[2].startswith("a much longer label than usual ")
    with pytest.raises(TypeError, match="histories"):
        P.runs_table({})
