"""Tests of dldemos.timing: the measurements of chapter 1 do what they say they measure."""

import copy
import tracemalloc
from types import SimpleNamespace

import numpy as np
import pytest

from dldemos.data import random_mini_batches
from dldemos.nn import DeepNetwork, numerical_gradient
from dldemos.optim import SGD
from dldemos.timing import (
    TimedRun,
    batch_loss_spread,
    batch_memory_bytes,
    race_batch_sizes,
    read_batch_files,
    read_example_files,
    save_batch_files,
    save_example_files,
    step_costs,
    steps_to_reach,
    time_data_sources,
    time_epoch,
    time_steps,
    train_for_seconds,
    training_step,
)
from dldemos.train import train


def small_problem(m=60, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((3, m))
    Y = (X[0:1] + 0.5 * X[1:2] > 0).astype(np.int64)
    return X, Y


def small_network(seed=0):
    return DeepNetwork([3, 5, 1], ["tanh", "sigmoid"], seed=seed)


def test_training_step_is_one_gradient_descent_step():
    X, Y = small_problem()
    model = small_network()
    before = copy.deepcopy(model.param_dict)
    expected_grads = numerical_gradient(model, X, Y, eps=1e-6)
    expected_loss = model.evaluate(X, Y, return_loss=True)[1]
    loss = training_step(model, SGD(model.param_dict, 0.5), X, Y)
    assert loss == pytest.approx(expected_loss, rel=1e-12)
    for key, param in model.param_dict.items():
        np.testing.assert_allclose(
            param, before[key] - 0.5 * expected_grads[key], rtol=1e-6, atol=1e-8
        )


def test_training_step_refuses_a_diverged_model_and_leaves_it_alone():
    X, Y = small_problem()
    model = small_network()
    model.param_dict["W2"][...] = np.inf
    before = copy.deepcopy(model.param_dict)
    with np.errstate(all="ignore"), pytest.raises(FloatingPointError, match="diverged"):
        training_step(model, SGD(model.param_dict, 0.1), X, Y)
    for key, param in model.param_dict.items():
        np.testing.assert_array_equal(param, before[key])


def test_time_steps_times_each_batch_size():
    X, Y = small_problem()
    model = small_network()
    seconds = time_steps(model, SGD(model.param_dict, 0.01), X, Y, [1, 8, 60], repeats=2)
    assert seconds.shape == (3,)
    assert np.all(seconds > 0)
    with pytest.raises(ValueError, match="larger than the data set"):
        time_steps(model, SGD(model.param_dict, 0.01), X, Y, [61])
    with pytest.raises(ValueError, match="repeats"):
        time_steps(model, SGD(model.param_dict, 0.01), X, Y, [1], repeats=0)


def test_train_for_seconds_respects_the_budget_and_counts_the_work():
    X, Y = small_problem()
    model = small_network()
    optimizer = SGD(model.param_dict, 0.5)
    run = train_for_seconds(model, optimizer, X, Y, batch_size=16, seconds=0.05, evaluations=5)
    assert isinstance(run, TimedRun) and not run.diverged
    assert run.seconds[0] == 0.0 and run.seconds[-1] >= 0.05
    assert run.seconds == sorted(run.seconds)
    assert len(run.seconds) == len(run.train_loss) >= 2
    assert run.final_loss < run.train_loss[0]
    # 60 examples in batches of 16: 16 + 16 + 16 + 12 per epoch
    full_epochs, steps_in_last = divmod(run.steps, 4)
    assert run.examples == 60 * full_epochs + 16 * steps_in_last
    assert optimizer.num_step == run.steps
    assert optimizer.epoch == full_epochs
    assert run.seconds_per_epoch == pytest.approx(run.seconds[-1] / run.epochs)
    # the recorded loss is the training-set loss of the final parameters
    assert run.final_loss == pytest.approx(model.evaluate(X, Y, return_loss=True)[1])


def test_train_for_seconds_stops_a_diverging_run():
    X, Y = small_problem()
    model = DeepNetwork([3, 5, 1], ["relu", "sigmoid"], seed=0)  # unbounded: overflows
    run = train_for_seconds(model, SGD(model.param_dict, 1e200), X, Y, batch_size=8, seconds=5.0)
    assert run.diverged
    assert run.final_loss == np.inf
    assert run.seconds[-1] < 5.0


def test_train_for_seconds_rejects_bad_arguments():
    X, Y = small_problem()
    model = small_network()
    with pytest.raises(ValueError, match="seconds"):
        train_for_seconds(model, SGD(model.param_dict, 0.1), X, Y, 8, seconds=0)
    with pytest.raises(ValueError, match="batch_size"):
        train_for_seconds(model, SGD(model.param_dict, 0.1), X, Y, 0, seconds=1)


def test_race_keeps_the_best_rate_of_each_batch_size():
    X, Y = small_problem()

    def make_model():
        return DeepNetwork([3, 5, 1], ["relu", "sigmoid"], seed=0)

    runs = race_batch_sizes(
        make_model, SGD, X, Y, [4, 60], {4: [1e200, 0.3], 60: [0.01, 1.0]}, 0.02
    )
    assert list(runs) == [4, 60]
    assert runs[4].learning_rate == 0.3 and not runs[4].diverged  # the huge rate diverged
    assert runs[60].learning_rate == 1.0  # 0.01 barely moves in 0.02 s
    with pytest.raises(KeyError, match="60"):
        race_batch_sizes(make_model, SGD, X, Y, [4, 60], {4: [0.1]}, 0.01)


def test_step_costs_times_every_size_an_epoch_uses():
    X, Y = small_problem(m=60)
    costs = step_costs(small_network, SGD, X, Y, [1, 8, 25, 100], repeats=3)
    # 60 = 7 * 8 + 4 = 2 * 25 + 10; a batch of 100 is the full batch of 60
    assert sorted(costs) == [1, 4, 8, 10, 25, 60]
    assert all(0 < seconds < 0.1 for seconds in costs.values())
    with pytest.raises(ValueError, match="repeats"):
        step_costs(small_network, SGD, X, Y, [8], repeats=0)


def test_step_costs_share_a_slow_spell_among_the_sizes(monkeypatch):
    """A spell of the machine three times slower must not change the ratio of two costs.

    A fake clock: a step on b examples takes b microseconds, three times that during a
    spell long enough for all the repeats of one size. Timed one size after the other, the
    spell would hold every timing of one size; taken in turns, every size has rounds
    outside it, and the fastest step is the true cost."""
    import dldemos.timing as timing

    now, steps = [0.0], [0]

    def fake_step(model, optimizer, X_t, Y_t):
        steps[0] += 1
        slow = 3 if 4 <= steps[0] < 24 else 1
        now[0] += slow * X_t.shape[1] * 1e-6

    monkeypatch.setattr(timing, "training_step", fake_step)
    monkeypatch.setattr(timing, "time", SimpleNamespace(perf_counter=lambda: now[0]))
    X, Y = small_problem(m=60)
    costs = step_costs(small_network, SGD, X, Y, [8, 60], repeats=10)
    assert costs == pytest.approx({4: 4e-6, 8: 8e-6, 60: 60e-6})
    assert steps[0] == 2 * 3 * 10  # 3 sizes, 10 rounds, an untimed step before each


def test_charged_step_costs_make_the_run_repeatable_and_count_every_step():
    X, Y = small_problem(m=60)
    costs = {16: 0.001, 12: 0.0008}  # 60 = 3 * 16 + 12
    runs = []
    for _ in range(2):
        model = small_network()
        optimizer = SGD(model.param_dict, 0.1)
        run = train_for_seconds(
            model, optimizer, X, Y, 16, seconds=0.02, evaluations=4, step_seconds=costs
        )
        runs.append((run, model.state_dict()))
    (run, weights), (again, weights_again) = runs
    # 0.02 s buys 5 epochs of 3 * 0.001 + 0.0008 = 0.0038 s and one step of the sixth
    assert run.steps == 5 * 4 + 1 and run.examples == 5 * 60 + 16
    assert run.seconds[-1] == pytest.approx(5 * 0.0038 + 0.001)
    assert run.train_loss == again.train_loss and run.seconds == again.seconds
    for key in weights:
        np.testing.assert_array_equal(weights[key], weights_again[key])
    with pytest.raises(KeyError, match=r"\[12\]"):
        model = small_network()
        train_for_seconds(
            model, SGD(model.param_dict, 0.1), X, Y, 16, 0.01, step_seconds={16: 0.001}
        )


def test_batch_memory_bytes_matches_what_a_training_step_allocates():
    model = DeepNetwork([64, 128, 32, 10], ["relu", "relu", "softmax"], seed=0)
    rng = np.random.default_rng(0)
    peaks = {}
    for b in (500, 1000):
        X, Y = rng.standard_normal((64, b)), rng.integers(0, 10, (1, b))
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        model.forward(X)
        model.backward(Y)
        peaks[b] = tracemalloc.get_traced_memory()[1] - baseline
        tracemalloc.stop()
        estimate = batch_memory_bytes(model.neuron_cnt, b)
        assert estimate == b * (64 + 128 + 32 + 10) * 8
        assert estimate - X.nbytes <= peaks[b] <= 2.5 * estimate  # X itself was allocated before
    assert peaks[1000] / peaks[500] == pytest.approx(2.0, rel=0.1)  # linear in the batch size
    assert batch_memory_bytes([2, 3], 4, np.float32) == 4 * 5 * 4
    with pytest.raises(ValueError, match="batch_size"):
        batch_memory_bytes([2, 3], 0)


def test_batch_files_hold_the_shuffled_batches(tmp_path):
    X, Y = small_problem(m=50)
    paths = save_batch_files(X, Y, 16, tmp_path / "batches", seed=3)
    expected = random_mini_batches(X, Y, 16, rng=np.random.default_rng(3))
    assert len(paths) == len(expected) == 4
    read = list(read_batch_files(paths, np.random.default_rng(0)))
    sizes = sorted(X_t.shape[1] for X_t, _ in read)
    assert sizes == [2, 16, 16, 16]  # the last, smaller batch survives the trip
    by_first_value = {X_t[0, 0]: (X_t, Y_t) for X_t, Y_t in read}
    for X_t, Y_t in expected:
        got_X, got_Y = by_first_value[X_t[0, 0]]
        np.testing.assert_array_equal(got_X, X_t)
        np.testing.assert_array_equal(got_Y, Y_t)


def test_example_files_give_every_example_once(tmp_path):
    X, Y = small_problem(m=50)
    paths = save_example_files(X, Y, tmp_path / "examples")
    assert len(paths) == 50
    batches = list(read_example_files(paths, 16, np.random.default_rng(0)))
    assert [X_t.shape[1] for X_t, _ in batches] == [16, 16, 16, 2]
    got_X = np.concatenate([X_t for X_t, _ in batches], axis=1)
    got_Y = np.concatenate([Y_t for _, Y_t in batches], axis=1)
    assert got_Y.dtype == np.int64
    order = np.lexsort(got_X)
    expected_order = np.lexsort(X)
    np.testing.assert_array_equal(got_X[:, order], X[:, expected_order])
    np.testing.assert_array_equal(got_Y[:, order], Y[:, expected_order])
    with pytest.raises(ValueError, match="shape"):
        save_example_files(X, Y[:, :10], tmp_path / "bad")


def test_time_epoch_trains_on_every_batch_and_splits_the_time(tmp_path):
    X, Y = small_problem(m=50)
    model = small_network()
    optimizer = SGD(model.param_dict, 0.1)
    rng = np.random.default_rng(0)
    read, compute = time_epoch(
        model, optimizer, lambda: random_mini_batches(X, Y, 16, rng), repeats=2
    )
    assert read >= 0 and compute > 0
    assert optimizer.num_step == 2 * 4
    paths = save_example_files(X, Y, tmp_path)
    read_files, _ = time_epoch(model, optimizer, lambda: read_example_files(paths, 16, rng))
    assert read_files > 0
    assert optimizer.num_step == 3 * 4


def test_steps_to_reach_counts_the_steps_of_trains_run():
    X, Y = small_problem(m=100, seed=1)
    trained = small_network()
    history = train(trained, SGD(trained.param_dict, 0.5), X, Y, 3, 10, progress=False)
    model = small_network()
    target = history.train_loss[1]  # reached at the end of epoch 2 at the latest
    steps = steps_to_reach(model, SGD(model.param_dict, 0.5), X, Y, 10, target, 3)
    assert 1 <= steps <= 20
    assert model.evaluate(X, Y, return_loss=True)[1] <= target
    unreachable = steps_to_reach(trained, SGD(trained.param_dict, 0.5), X, Y, 10, -1.0, 2)
    assert unreachable is None


def test_batch_loss_spread_follows_the_sampling_formula():
    X, Y = small_problem(m=400, seed=1)
    model = small_network()
    per_example = np.array(
        [
            float(model.loss(Y[:, [i]], model.forward(X[:, [i]], train_mode=False)))
            for i in range(400)
        ]
    )
    sigma = per_example.std(ddof=1)
    batch_sizes = [1, 16, 100, 400]
    spread = batch_loss_spread(model, X, Y, batch_sizes, n_batches=400, seed=0)
    for b, measured in zip(batch_sizes[:3], spread):
        # the mean of b values drawn without replacement from m = 400
        expected = sigma / np.sqrt(b) * np.sqrt((400 - b) / 399)
        assert measured == pytest.approx(expected, rel=0.15)
    assert spread[3] == pytest.approx(0.0, abs=1e-12)  # the full batch never changes
    with pytest.raises(ValueError, match="larger than the data set"):
        batch_loss_spread(model, X, Y, [401])


def test_time_data_sources_trains_one_epoch_from_each_source_and_cleans_up(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)  # let tempfile read TMPDIR again
    X, Y = small_problem(m=50)
    model = small_network()
    optimizer = SGD(model.param_dict, 0.1)
    costs = time_data_sources(model, optimizer, X, Y, 16, repeats=2)
    assert list(costs) == ["in memory", "one file per batch", "one file per example"]
    assert all(read >= 0 and compute > 0 for read, compute in costs.values())
    assert optimizer.num_step == 3 * 2 * 4  # 3 sources, 2 epochs each, 4 batches
    assert list(tmp_path.iterdir()) == []  # the files are gone
    with pytest.raises(ValueError, match="batch_size"):
        time_data_sources(model, optimizer, X, Y, 0)
