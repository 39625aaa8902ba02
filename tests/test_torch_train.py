"""dldemos.torch.train and lr_finder: scheduler order, checkpoints, evaluation, range test.

Scheduler behaviour is checked against the canonical PyTorch loop written out below
(``reference_run``), not against numbers our own loop produced.
"""

import copy
import importlib
import warnings

import numpy as np
import pytest
import torch
from torch import nn
from torch.optim import lr_scheduler

from dldemos.torch import optim as ours
from dldemos.torch.data import DeviceBatchIterator
from dldemos.torch.lr_finder import lr_range_test
from dldemos.torch.models import MLP, LeNet
from dldemos.torch.train import (
    History,
    default_device,
    evaluate,
    load_checkpoint,
    minimize_with_closure,
    train,
    weight_gap_per_step,
)

torch.set_num_threads(1)
train_module = importlib.import_module("dldemos.torch.train")

EPOCHS = 4


@pytest.fixture(scope="module")
def blobs():
    """Three Gaussian blobs in 4-D: 120 training and 30 dev examples."""
    generator = torch.Generator().manual_seed(0)
    centres = torch.randn(3, 4, generator=generator) * 3
    Y = torch.arange(150) % 3
    X = centres[Y] + torch.randn(150, 4, generator=generator)
    return X[:120], Y[:120], X[120:], Y[120:]


def make_model():
    torch.manual_seed(0)
    return MLP([4, 16, 3])


def reference_run(model, optimizer, scheduler, iterator, epochs, interval, dev):
    """The loop PyTorch's documentation prescribes; returns the rate of every step."""
    rates = []
    for epoch in range(epochs):
        iterator.set_epoch(epoch)
        for xb, yb in iterator:
            rates.append(optimizer.param_groups[0]["lr"])
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(xb), yb).backward()
            optimizer.step()
            if interval == "step":
                scheduler.step()
        if interval == "epoch":
            if isinstance(scheduler, lr_scheduler.ReduceLROnPlateau):
                with torch.no_grad():
                    scheduler.step(nn.functional.cross_entropy(model(dev[0]), dev[1]).item())
            else:
                scheduler.step()
    return rates


SCHEDULES = {
    "StepLR per epoch": ("epoch", lambda o: lr_scheduler.StepLR(o, step_size=1, gamma=0.5)),
    "OneCycleLR per step": (
        "step",
        lambda o: lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=EPOCHS * 4),
    ),
    "CosineAnnealingLR per step": ("step", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=10)),
    "ReduceLROnPlateau": (
        "epoch",
        lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=0, threshold=0.99),
    ),  # "no improvement" after the first epoch
}


@pytest.mark.parametrize("schedule", SCHEDULES)
def test_scheduler_steps_after_the_optimizer_as_pytorch_documents(blobs, schedule):
    interval, make_scheduler = SCHEDULES[schedule]
    X, Y, X_dev, Y_dev = blobs
    model = make_model()
    reference = copy.deepcopy(model)
    opt = ours.SGD(model.parameters(), lr=0.1, momentum=0.9)
    ref_opt = torch.optim.SGD(reference.parameters(), lr=0.1, momentum=0.9)
    sched, ref_sched = make_scheduler(opt), make_scheduler(ref_opt)
    initial_lr = opt.param_groups[0]["lr"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "lr_scheduler.step() before optimizer.step()" included
        history = train(
            model,
            opt,
            DeviceBatchIterator(X, Y, 32),
            EPOCHS,
            scheduler=sched,
            scheduler_interval=interval,
            dev_data=(X_dev, Y_dev),
            progress=False,
        )
        expected = reference_run(
            reference,
            ref_opt,
            ref_sched,
            DeviceBatchIterator(X, Y, 32),
            EPOCHS,
            interval,
            (X_dev, Y_dev),
        )
    assert history.step_lr[0] == initial_lr, "the first step did not use the initial rate"
    assert history.step_lr == pytest.approx(expected, rel=1e-12, abs=0)
    assert len(set(expected)) > 1
    assert history.lr == history.step_lr[::4]
    for p, q in zip(model.parameters(), reference.parameters()):
        torch.testing.assert_close(p, q, rtol=1e-6, atol=1e-7)


def test_history_records_every_step_and_epoch(blobs):
    X, Y, X_dev, Y_dev = blobs
    model = make_model()
    history = train(
        model,
        ours.Adam(model.parameters(), lr=1e-2),
        DeviceBatchIterator(X, Y, 50),
        3,
        dev_data=(X_dev, Y_dev),
        progress=False,
    )
    assert len(history.step_loss) == len(history.step_lr) == 3 * 3
    assert history.epoch == [1, 2, 3]
    assert history.train_loss[-1] < history.train_loss[0]
    assert 0 <= history.dev_accuracy[-1] <= 1
    dev_loss, dev_accuracy = evaluate(model, (X_dev, Y_dev))
    assert history.dev_loss[-1] == pytest.approx(dev_loss)
    assert history.dev_accuracy[-1] == dev_accuracy
    assert history.wall_time == sorted(history.wall_time)


def test_evaluate_matches_a_direct_computation(blobs):
    X, Y, X_dev, Y_dev = blobs
    model = make_model()
    loss, accuracy = evaluate(model, (X, Y), batch_size=50)  # three chunks, the last one short
    with torch.no_grad():
        scores = model(X)
    assert loss == pytest.approx(nn.functional.cross_entropy(scores, Y).item(), rel=1e-6)
    assert accuracy == pytest.approx((scores.argmax(1) == Y).double().mean().item())
    batches = DeviceBatchIterator(X, Y, 32, shuffle=False)
    assert evaluate(model, batches) == pytest.approx((loss, accuracy), rel=1e-6)


def test_bad_arguments_are_named(blobs):
    X, Y, _, _ = blobs
    model = make_model()
    opt = ours.SGD(model.parameters(), lr=0.1)
    batches = DeviceBatchIterator(X, Y, 32)
    with pytest.raises(ValueError, match="scheduler_interval"):
        train(model, opt, batches, 1, scheduler_interval="batch", progress=False)
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        train(
            model,
            opt,
            batches,
            1,
            scheduler=lr_scheduler.ReduceLROnPlateau(opt),
            scheduler_interval="step",
            progress=False,
        )
    with pytest.raises(ValueError, match="checkpoint_path"):
        train(model, opt, batches, 1, resume=True, progress=False)


def run_with_checkpoints(blobs, path, epochs, seed, resume=False):
    X, Y, X_dev, Y_dev = blobs
    torch.manual_seed(seed)  # a different start: only the checkpoint can make runs agree
    model = MLP([4, 16, 3])
    opt = ours.Adam(model.parameters(), lr=1e-2)
    sched = lr_scheduler.StepLR(opt, step_size=1, gamma=0.7)
    history = train(
        model,
        opt,
        DeviceBatchIterator(X, Y, 32, seed=1),
        epochs,
        scheduler=sched,
        dev_data=(X_dev, Y_dev),
        progress=False,
        checkpoint_path=path,
        resume=resume,
    )
    return model, opt, sched, history


def test_resuming_from_a_checkpoint_continues_identically(blobs, tmp_path):
    straight, _, _, full = run_with_checkpoints(blobs, tmp_path / "straight.pt", EPOCHS, seed=0)
    run_with_checkpoints(blobs, tmp_path / "resumed.pt", EPOCHS // 2, seed=0)
    resumed, opt, sched, history = run_with_checkpoints(
        blobs, tmp_path / "resumed.pt", EPOCHS, seed=123, resume=True
    )
    for p, q in zip(resumed.parameters(), straight.parameters()):
        assert torch.equal(p, q)
    for field in (
        "step_loss",
        "step_lr",
        "epoch",
        "lr",
        "train_loss",
        "train_accuracy",
        "dev_loss",
        "dev_accuracy",
    ):
        assert getattr(history, field) == getattr(full, field), field
    assert sched.last_epoch == EPOCHS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resumed.pt", "straight.pt"], (
        "a temporary checkpoint file was left behind"
    )

    fresh = MLP([4, 16, 3])
    epoch, loaded = load_checkpoint(tmp_path / "straight.pt", fresh)
    assert epoch == EPOCHS and loaded.step_loss == full.step_loss
    assert all(torch.equal(p, q) for p, q in zip(fresh.parameters(), straight.parameters()))


def test_history_round_trip_and_bad_keys():
    history = History(step_loss=[1.0], epoch=[1])
    assert History.from_state_dict(history.state_dict()) == history
    with pytest.raises(KeyError, match="step_loss"):
        History.from_state_dict({"loss": [1.0]})


def test_live_plot_is_silent_outside_a_notebook_and_draws_inside_one(blobs, monkeypatch):
    X, Y, X_dev, Y_dev = blobs
    model = make_model()
    opt = ours.SGD(model.parameters(), lr=0.1)
    assert train_module.LivePlot().handle is None  # pytest is no notebook
    train(model, opt, DeviceBatchIterator(X, Y, 64), 1, live_plot=True, progress=False)

    class Handle:  # what IPython.display.display(..., display_id=True) returns in a kernel
        def __init__(self, figure):
            self.shown = [figure]

        def update(self, figure):
            self.shown.append(figure)

    import IPython.display
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setattr(train_module, "_in_notebook", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda figure, display_id: Handle(figure))
    plot = train_module.LivePlot()
    history = train(
        model, opt, DeviceBatchIterator(X, Y, 64), 2, dev_data=(X_dev, Y_dev), progress=False
    )
    plot.update(history, steps_per_epoch=2)
    assert plot.handle.shown == [plot.fig, plot.fig]
    assert len(plot.ax_loss.lines) == 3 and len(plot.ax_acc.lines) == 2


def test_lenet_shapes():
    assert LeNet()(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert LeNet(num_classes=3, in_size=16)(torch.zeros(2, 1, 16, 16)).shape == (2, 3)
    with pytest.raises(ValueError, match="in_size"):
        LeNet(in_size=8)


def test_mlp_mirrors_deep_network_sizes():
    model = MLP([64, 128, 64, 10], activation="tanh")
    linear = [m for m in model if isinstance(m, nn.Linear)]
    assert [(m.in_features, m.out_features) for m in linear] == [(64, 128), (128, 64), (64, 10)]
    assert sum(isinstance(m, nn.Tanh) for m in model) == 2
    assert model(torch.zeros(5, 1, 8, 8)).shape == (5, 10)
    with pytest.raises(KeyError, match="swish"):
        MLP([4, 3], activation="swish")
    with pytest.raises(ValueError, match="sizes"):
        MLP([4])


def test_default_device():
    assert default_device().type == ("cuda" if torch.cuda.is_available() else "cpu")


def test_lr_range_test_sweeps_and_restores_everything(blobs):
    X, Y, _, _ = blobs
    model = make_model()
    opt = ours.SGD(model.parameters(), lr=0.05, momentum=0.9)
    batches = DeviceBatchIterator(X, Y, 16)
    train(model, opt, batches, 1, progress=False)  # so that momentum buffers exist
    model_before = copy.deepcopy(model.state_dict())
    opt_before = copy.deepcopy(opt.state_dict())
    epoch_before = batches.epoch

    result = lr_range_test(model, opt, batches, min_lr=1e-4, max_lr=100.0, num_steps=60)

    n = len(result.lrs)
    np.testing.assert_allclose(result.lrs, np.geomspace(1e-4, 100.0, 60)[:n], rtol=1e-12)
    assert result.diverged and n < 60, "an SGD rate of 100 should make the loss blow up"
    beta, average = 0.98, 0.0
    for i, loss in enumerate(result.losses):  # bias-corrected EWMA (chapter 2)
        average = beta * average + (1 - beta) * loss
        assert result.smoothed_losses[i] == pytest.approx(average / (1 - beta ** (i + 1)))
    assert result.suggestion is not None and 1e-4 <= result.suggestion <= result.min_loss_lr
    for name, value in model.state_dict().items():
        assert torch.equal(value, model_before[name]), name
    after = opt.state_dict()
    assert after["param_groups"] == opt_before["param_groups"]
    for index, state in opt_before["state"].items():
        assert torch.equal(after["state"][index]["momentum_buffer"], state["momentum_buffer"])
    assert batches.epoch == epoch_before


def test_minimize_with_closure_counts_the_evaluations_of_a_line_search():
    torch.manual_seed(0)
    X, Y = torch.randn(40, 3), torch.randint(0, 2, (40,))
    loss_of = lambda model: nn.functional.cross_entropy(model(X), Y)  # noqa: E731
    lbfgs = lambda ps: torch.optim.LBFGS(ps, max_iter=10, line_search_fn="strong_wolfe")  # noqa: E731
    losses, steps = minimize_with_closure(nn.Linear(3, 2), lbfgs, loss_of, evaluations=25)
    assert len(losses) == 25 and steps < 25  # several evaluations per step()
    assert losses[-1] < losses[0]
    sgd_losses, sgd_steps = minimize_with_closure(
        nn.Linear(3, 2), lambda ps: torch.optim.SGD(ps, lr=0.1), loss_of, evaluations=5
    )
    assert sgd_steps == 5 and np.all(np.diff(sgd_losses) < 0)  # SGD calls the closure once per step
    with pytest.raises(ValueError, match="evaluations must be a positive integer"):
        minimize_with_closure(nn.Linear(3, 2), lbfgs, loss_of, evaluations=0)


def test_weight_gap_per_step_is_zero_for_the_same_optimizer_and_grows_otherwise():
    torch.manual_seed(0)
    batches = DeviceBatchIterator(torch.randn(50, 4), torch.randint(0, 3, (50,)), 16, seed=0)
    make_model = lambda: MLP([4, 8, 3])  # noqa: E731
    same = weight_gap_per_step(
        lambda ps: ours.SGD(ps, lr=0.1, momentum=0.9),
        lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
        make_model,
        batches,
        10,
    )
    assert same.shape == (10,) and np.all(same == 0)  # 4 batches per epoch: 3 epochs walked
    other = weight_gap_per_step(
        lambda ps: torch.optim.SGD(ps, lr=0.1),
        lambda ps: torch.optim.SGD(ps, lr=0.11),
        make_model,
        batches,
        10,
    )
    assert np.all(other > 0) and other[-1] > other[0]
    with pytest.raises(ValueError, match="yielded no mini-batch"):
        weight_gap_per_step(torch.optim.SGD, torch.optim.SGD, make_model, [], 3)
