"""dldemos.plots.torch: chapter 6's figures built headless on tiny data, and the scheduler trace
checked against dldemos.schedules (the pure-function twins of the PyTorch schedulers)."""

import numpy as np
import pytest
import torch
from matplotlib.figure import Figure
from torch.optim import lr_scheduler

from dldemos import schedules as S
from dldemos.plots import torch as plots
from dldemos.torch.train import History

torch.set_num_threads(1)


def labelled(figure: Figure) -> None:
    """Every visible panel has a title and an x label, a y label is there (a grid labels its
    first column only), and the figure has a legend somewhere."""
    assert isinstance(figure, Figure)
    visible = [ax for ax in figure.axes if ax.get_visible() and ax.get_xlabel()]
    assert visible, "no labelled axes"
    for ax in visible:
        assert ax.get_title(), f"a panel without a title: {ax}"
    assert visible[0].get_ylabel()
    assert any(ax.get_legend() for ax in figure.axes) or figure.legends


def history(epochs=3, steps=4, lr=0.1, offset=0.0) -> History:
    h = History()
    h.epoch = list(range(1, epochs + 1))
    h.train_loss = [1.0 / (e + offset + 1) for e in h.epoch]
    h.step_lr = [lr] * (epochs * steps)
    h.step_loss = [1.0] * (epochs * steps)
    return h


# --------------------------------------------------------------------------------------
# trace_scheduler: must give what dldemos.schedules (checked against PyTorch) gives
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, schedule",
    [
        (lambda opt: lr_scheduler.StepLR(opt, 7, 0.5), S.step_decay(7, 0.5)),
        (lambda opt: lr_scheduler.CosineAnnealingLR(opt, 30, 0.01), S.cosine_annealing(30, 0.01)),
        (lambda opt: lr_scheduler.OneCycleLR(opt, 0.1, 30), S.one_cycle(0.1, 30)),
    ],
)
def test_trace_scheduler_records_the_rate_of_every_step(make, schedule):
    trace = plots.trace_scheduler(make, 30, lr=0.1)
    assert np.abs(trace.lrs - S.schedule_values(schedule, 0.1, 30)).max() < 1e-12


def test_trace_scheduler_records_momentum_only_when_it_moves():
    assert plots.trace_scheduler(lambda opt: lr_scheduler.StepLR(opt, 5), 10).momenta is None
    trace = plots.trace_scheduler(lambda opt: lr_scheduler.OneCycleLR(opt, 0.1, 20), 20)
    expected = S.schedule_values(S.one_cycle_momentum(20), 0.0, 20)
    assert np.abs(trace.momenta - expected).max() < 1e-12


def test_trace_scheduler_feeds_metrics_to_reduce_on_plateau():
    metrics = [1.0, 0.9, 0.8] + [0.8] * 7
    trace = plots.trace_scheduler(
        lambda opt: lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2),
        10,
        lr=1.0,
        metrics=metrics,
    )
    # no improvement after step 2: after 3 bad steps (patience 2) the rate is halved
    assert list(trace.lrs) == [1.0] * 6 + [0.5] * 3 + [0.25]
    assert list(trace.metrics) == metrics


@pytest.mark.parametrize(
    "kwargs, match",
    [(dict(num_steps=0), "num_steps"), (dict(num_steps=5, metrics=[1.0]), "metrics")],
)
def test_trace_scheduler_names_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plots.trace_scheduler(lambda opt: lr_scheduler.StepLR(opt, 5), **kwargs)


# --------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------


def test_scheduler_grid():
    traces = {
        "StepLR": plots.trace_scheduler(lambda opt: lr_scheduler.StepLR(opt, 5), 12),
        "OneCycleLR": plots.trace_scheduler(lambda opt: lr_scheduler.OneCycleLR(opt, 0.1, 12), 12),
        "plateau": plots.SchedulerTrace(np.full(12, 0.1), None, np.linspace(1, 0.5, 12)),
        "Exponential": plots.trace_scheduler(lambda opt: lr_scheduler.ExponentialLR(opt, 0.9), 12),
    }
    figure = plots.plot_scheduler_grid(traces, ncols=3)
    labelled(figure)
    assert [ax.get_title() for ax in figure.axes[:4]] == list(traces)
    legend_texts = [t.get_text() for t in figure.legends[0].get_texts()]
    assert any("momentum" in t for t in legend_texts) and any(
        "monitored loss" in t for t in legend_texts
    )
    with pytest.raises(TypeError, match="SchedulerTrace"):
        plots.plot_scheduler_grid({"bad": [0.1, 0.2]})


def test_lr_sequences():
    figure = plots.plot_lr_sequences({"right": [1, 1, 0.1], "wrong": [1, 0.1, 0.1]}, log_y=True)
    labelled(figure)
    assert [t.get_text() for t in figure.axes[0].get_legend().get_texts()] == ["right", "wrong"]
    with pytest.raises(ValueError, match="unit"):
        plots.plot_lr_sequences({"a": [1.0]}, unit="day")


def test_optimizer_agreement_lists_identical_pairs_and_draws_the_others():
    figure = plots.plot_optimizer_agreement(
        {"Adam": [0.0] * 5, "Momentum": [0.0, 1e-8, 2e-8, 2e-8, 3e-8]},
        levels={"float32 machine epsilon": 1.2e-7},
    )
    labelled(figure)
    ax = figure.axes[0]
    assert ax.get_yscale() == "log"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Momentum",
        "float32 machine epsilon",
    ]
    assert any("Adam" in text.get_text() and "identical" in text.get_text() for text in ax.texts)


def test_runs_with_events_and_distinct_colors():
    figure = plots.plot_runs(
        {"SGD": [3, 2, 1], "L-BFGS": ([1, 2, 3], [3, 1, 0.5])},
        xlabel="evaluations",
        ylabel="loss",
        title="runs",
        events={"unfrozen": 2},
        log_y=True,
    )
    labelled(figure)
    lines = figure.axes[0].get_lines()
    assert lines[0].get_color() != lines[1].get_color()
    with pytest.raises(ValueError, match="xs has shape"):
        plots.plot_runs({"a": ([1, 2], [1, 2, 3])}, "x", "y", "t")


def test_resumed_runs():
    figure = plots.plot_resumed_runs(
        {"never stopped": history(), "resumed": history(offset=0.5)}, resume_epoch=2
    )
    labelled(figure)
    assert len(figure.axes) == 2 and figure.axes[0].get_yscale() == "log"


def test_batching_times():
    figure = plots.plot_batching_times({"DataLoader": 0.012, "DeviceBatchIterator": 0.0003})
    labelled(figure)
    with pytest.raises(ValueError, match="finite"):
        plots.plot_batching_times({"broken": float("nan")})
