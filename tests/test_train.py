"""dldemos.train: the training loop against PyTorch, history, checkpoints and bit-exact resuming."""

import dataclasses
import math
import os

import numpy as np
import pytest
import torch

import dldemos.train as train_module
from dldemos.data import random_mini_batches
from dldemos.nn import DeepNetwork
from dldemos.optim import SGD, Adam
from dldemos.schedules import exponential_decay, step_decay
from dldemos.train import History, load_checkpoint, save_checkpoint, train

torch.set_num_threads(1)


def blobs(m=103, seed=0):
    """Two noisy Gaussian blobs in 2-D: X (2, m), Y (1, m) of 0/1."""
    rng = np.random.default_rng(seed)
    Y = rng.integers(0, 2, size=(1, m))
    X = rng.standard_normal((2, m)) + 2.0 * Y - 1.0
    return X, Y


def network(seed=0, hidden=8):
    return DeepNetwork([2, hidden, 1], ["tanh", "sigmoid"], seed=seed)


def same_history(a: History, b: History):
    for f in dataclasses.fields(History):
        if f.name != "wall_time":
            assert getattr(a, f.name) == getattr(b, f.name), f.name


def test_train_matches_a_torch_loop_on_the_same_batches():
    X, Y = blobs()
    net = network()
    state = net.state_dict()
    history = train(
        net,
        SGD(net.param_dict, 0.3, momentum=0.9),
        X,
        Y,
        total_epoch=4,
        batch_size=16,
        seed=3,
        progress=False,
    )

    W1, b1, W2, b2 = (torch.tensor(state[k], requires_grad=True) for k in ("W1", "b1", "W2", "b2"))
    optimizer = torch.optim.SGD([W1, b1, W2, b2], lr=0.3, momentum=0.9)
    rng = np.random.default_rng(3)
    torch_losses = []
    for _ in range(4):
        for X_t, Y_t in random_mini_batches(X, Y, 16, rng=rng):
            logits = W2 @ torch.tanh(W1 @ torch.from_numpy(X_t) + b1) + b2
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                logits, torch.from_numpy(Y_t).double()
            )
            torch_losses.append(loss.item())
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    np.testing.assert_allclose(history.step_loss, torch_losses, rtol=1e-10)
    for key, tensor in zip(("W1", "b1", "W2", "b2"), (W1, b1, W2, b2)):
        np.testing.assert_allclose(
            net.param_dict[key], tensor.detach().numpy(), rtol=1e-9, atol=1e-12
        )


def test_history_shapes_last_batch_and_reshuffling():
    X, Y = blobs(m=103)
    dev_X, dev_Y = blobs(m=20, seed=1)
    net = network()
    batches = []
    original_forward = net.forward

    def recording_forward(X_t, train_mode=True):
        if train_mode:
            batches.append(X_t.copy())
        return original_forward(X_t, train_mode)

    net.forward = recording_forward
    history = train(
        net,
        Adam(net.param_dict, 0.01),
        X,
        Y,
        total_epoch=3,
        batch_size=16,
        dev_X=dev_X,
        dev_Y=dev_Y,
        progress=False,
    )

    steps_per_epoch = math.ceil(103 / 16)  # 6 full batches and one of 7
    assert [b.shape[1] for b in batches] == ([16] * 6 + [7]) * 3
    assert len(history.step_loss) == len(history.step_lr) == 3 * steps_per_epoch
    assert history.epoch == [1, 2, 3] and history.epochs_done == 3
    for name in ("lr", "train_loss", "train_accuracy", "dev_loss", "dev_accuracy", "wall_time"):
        assert len(getattr(history, name)) == 3, name
    assert all(b > a for a, b in zip(history.wall_time, history.wall_time[1:]))
    # every epoch sees every example exactly once, in a new order
    epochs = [np.concatenate(batches[i * 7 : (i + 1) * 7], axis=1) for i in range(3)]
    for seen in epochs:
        np.testing.assert_array_equal(np.sort(seen, axis=1), np.sort(X, axis=1))
    assert not np.array_equal(epochs[0], epochs[1]) and not np.array_equal(epochs[1], epochs[2])
    # the per-epoch numbers are the full-set evaluation after the epoch
    accuracy, loss = net.evaluate(X, Y, return_loss=True)
    assert history.train_loss[-1] == loss and history.train_accuracy[-1] == accuracy
    assert history.dev_accuracy[-1] == net.evaluate(dev_X, dev_Y)


def test_same_seed_same_history_other_seed_other_history():
    X, Y = blobs()
    runs = []
    for seed in (5, 5, 6):
        net = network()
        runs.append(train(net, Adam(net.param_dict, 0.01), X, Y, 2, 10, seed=seed, progress=False))
    same_history(runs[0], runs[1])
    assert runs[0].step_loss != runs[2].step_loss


def test_learning_rates_follow_the_schedule():
    X, Y = blobs()
    schedule = step_decay(2, 0.5)
    net = network()
    history = train(
        net, SGD(net.param_dict, 0.1, lr_scheduler=schedule), X, Y, 5, 32, progress=False
    )
    assert history.lr == [schedule(0.1, epoch) for epoch in range(5)]
    assert history.step_lr == [lr for lr in history.lr for _ in range(4)]

    net = network()
    per_step = exponential_decay(0.9)
    history = train(
        net,
        SGD(net.param_dict, 0.1, lr_scheduler=per_step, schedule_unit="step"),
        X,
        Y,
        2,
        32,
        progress=False,
    )
    assert history.step_lr == [per_step(0.1, t) for t in range(8)]


def test_log_lines(capsys):
    X, Y = blobs()
    net = network()
    train(net, SGD(net.param_dict, 0.1), X, Y, 4, 32, progress=True, log_every=2)  # bar on stderr
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == ["epoch 2/4", "epoch 4/4"]


def adam_run(**kwargs):
    X, Y = blobs()
    dev_X, dev_Y = blobs(m=30, seed=1)
    net = network(seed=kwargs.pop("model_seed", 0))
    optimizer = Adam(net.param_dict, 0.05, lr_scheduler=exponential_decay(0.8))
    history = train(
        net,
        optimizer,
        X,
        Y,
        batch_size=16,
        dev_X=dev_X,
        dev_Y=dev_Y,
        seed=11,
        progress=False,
        **kwargs,
    )
    return net, optimizer, history


def test_interrupted_and_resumed_run_is_bit_identical(tmp_path):
    reference, reference_optimizer, reference_history = adam_run(total_epoch=7)

    # Crash in the middle of epoch 6; the last checkpoint was written after epoch 4.
    path = tmp_path / "run.npz"
    X, Y = blobs()
    net = network()
    optimizer = Adam(net.param_dict, 0.05, lr_scheduler=exponential_decay(0.8))
    steps_before_crash = 5 * 7 + 3
    original_step = optimizer.step

    def crashing_step():
        if optimizer.num_step == steps_before_crash:
            raise KeyboardInterrupt
        original_step()

    optimizer.step = crashing_step
    with pytest.raises(KeyboardInterrupt):
        train(
            net,
            optimizer,
            X,
            Y,
            7,
            16,
            dev_X=blobs(m=30, seed=1)[0],
            dev_Y=blobs(m=30, seed=1)[1],
            seed=11,
            progress=False,
            checkpoint_path=path,
            checkpoint_every=2,
        )
    assert load_checkpoint(path, network(), None).history.epochs_done == 4

    # A fresh process: new objects, another initialisation and shuffling seed, all overwritten.
    resumed, resumed_optimizer, resumed_history = adam_run(
        total_epoch=7, resume_from=path, model_seed=99, checkpoint_path=path
    )
    for key, value in reference.param_dict.items():
        np.testing.assert_array_equal(resumed.param_dict[key], value)
    same_history(resumed_history, reference_history)
    assert resumed_optimizer.epoch == reference_optimizer.epoch == 7
    assert resumed_optimizer.num_step == reference_optimizer.num_step
    for key, value in reference_optimizer.state_dict().items():
        np.testing.assert_array_equal(resumed_optimizer.state_dict()[key], value)
    assert load_checkpoint(path, network(), None).history.epochs_done == 7


def test_resuming_needs_the_same_batching(tmp_path):
    path = tmp_path / "run.npz"
    adam_run(total_epoch=2, checkpoint_path=path)
    net = network(seed=3)
    before = net.state_dict()
    X, Y = blobs()
    with pytest.raises(ValueError, match="batch_size=16.*batch_size=32"):
        train(net, Adam(net.param_dict, 0.05), X, Y, 4, 32, resume_from=path, progress=False)
    for key, value in before.items():
        np.testing.assert_array_equal(net.param_dict[key], value)


def test_checkpoint_round_trip_without_pickle(tmp_path):
    net, optimizer, history = adam_run(total_epoch=2)
    rng = np.random.default_rng(123)
    rng.random(3)
    path = tmp_path / "checkpoint.npz"
    save_checkpoint(path, net, optimizer, history=history, rng=rng, note="moons", step=np.arange(3))

    with np.load(path, allow_pickle=False) as npz:
        assert {
            "model/W1",
            "optimizer/epoch",
            "optimizer/v/W1",
            "history/step_loss",
            "rng/bit_generator_state",
            "extra/note",
        } <= set(npz.files)
        np.testing.assert_array_equal(npz["model/W2"], net.param_dict["W2"])

    other = network(seed=5)
    other_optimizer = Adam(other.param_dict, 0.05)
    arrays = dict(other.param_dict)
    loaded = load_checkpoint(path, other, other_optimizer)
    for key, value in net.param_dict.items():
        np.testing.assert_array_equal(other.param_dict[key], value)
        assert other.param_dict[key] is arrays[key]
    assert other_optimizer.epoch == 2 and other_optimizer.num_step == optimizer.num_step
    same_history(loaded.history, history)
    np.testing.assert_array_equal(loaded.rng.random(5), rng.random(5))
    assert loaded.extra["note"] == "moons"
    np.testing.assert_array_equal(loaded.extra["step"], np.arange(3))
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.npz"]


@pytest.mark.parametrize("failing", ["savez", "replace"])
def test_failed_save_keeps_the_previous_checkpoint(tmp_path, monkeypatch, failing):
    net, optimizer, _ = adam_run(total_epoch=1)
    path = tmp_path / "checkpoint.npz"
    save_checkpoint(path, net, optimizer)
    good = {key: value.copy() for key, value in net.param_dict.items()}
    for value in net.param_dict.values():
        value += 1.0

    def half_written_savez(file, *args, **kwargs):
        file.write(b"PK\x03\x04 half a zip file")
        raise OSError("disk full")

    def failing_replace(src, dst):
        raise OSError("rename failed")

    if failing == "savez":
        monkeypatch.setattr(train_module.np, "savez", half_written_savez)
    else:
        monkeypatch.setattr(train_module.os, "replace", failing_replace)
    with pytest.raises(OSError):
        save_checkpoint(path, net, optimizer)
    monkeypatch.undo()

    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.npz"]  # no temporary file left
    restored = network(seed=4)
    load_checkpoint(path, restored, Adam(restored.param_dict, 0.05))
    for key, value in good.items():
        np.testing.assert_array_equal(restored.param_dict[key], value)


@pytest.mark.parametrize("damage", ["truncate", "flip_byte", "not_a_checkpoint"])
def test_unreadable_checkpoint_names_the_file_and_changes_nothing(tmp_path, damage):
    net, optimizer, history = adam_run(total_epoch=1)
    path = tmp_path / "broken.npz"
    save_checkpoint(path, net, optimizer, history=history)
    data = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flip_byte":
        path.write_bytes(data[:2000] + bytes([data[2000] ^ 0xFF]) + data[2001:])
    else:
        np.savez(path, W1=np.zeros(3))
    target = network(seed=8)
    target_optimizer = Adam(target.param_dict, 0.05)
    before, optimizer_before = target.state_dict(), target_optimizer.state_dict()
    with pytest.raises(ValueError, match="broken.npz"):
        load_checkpoint(path, target, target_optimizer)
    for key, value in before.items():
        np.testing.assert_array_equal(target.param_dict[key], value)
    assert target_optimizer.state_dict().keys() == optimizer_before.keys()
    assert target_optimizer.epoch == 0


def test_checkpoint_of_another_architecture_or_optimizer_is_rejected(tmp_path):
    net, optimizer, _ = adam_run(total_epoch=1)
    path = tmp_path / "small.npz"
    save_checkpoint(path, net, optimizer)

    wider = network(seed=2, hidden=16)
    wider_optimizer = Adam(wider.param_dict, 0.05)
    before = wider.state_dict()
    with pytest.raises(ValueError, match=r"small\.npz.*W1.*\(8, 2\).*\(16, 2\)"):
        load_checkpoint(path, wider, wider_optimizer)
    for key, value in before.items():
        np.testing.assert_array_equal(wider.param_dict[key], value)
    assert wider_optimizer.epoch == 0 and not np.any(wider_optimizer.state_dict()["v/W1"])

    # Right architecture, wrong optimizer: the model was loaded first and must be rolled back.
    same = network(seed=2)
    momentum = SGD(same.param_dict, 0.1, momentum=0.9)
    before = same.state_dict()
    with pytest.raises(KeyError, match="small.npz"):
        load_checkpoint(path, same, momentum)
    for key, value in before.items():
        np.testing.assert_array_equal(same.param_dict[key], value)
    assert momentum.epoch == 0 and momentum.num_step == 0


def test_extra_values_must_not_need_pickle(tmp_path):
    net = network()
    with pytest.raises(TypeError, match="note"):
        save_checkpoint(tmp_path / "x.npz", net, None, note={"a": 1})
    assert not os.listdir(tmp_path)
