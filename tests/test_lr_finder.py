"""dldemos.lr_finder: the learning-rate range test."""

from functools import partial

import numpy as np
import pytest

from dldemos.lr_finder import lr_range_test, steepest_descent_lr
from dldemos.nn import DeepNetwork
from dldemos.optim import SGD, Adam
from dldemos.train import train


def blobs(m=256, seed=0):
    rng = np.random.default_rng(seed)
    Y = rng.integers(0, 2, size=(1, m))
    X = rng.standard_normal((2, m)) + 1.5 * Y - 0.75
    return X, Y


def network(seed=0):
    return DeepNetwork([2, 16, 1], ["relu", "sigmoid"], seed=seed)


def test_sweep_is_exponential_and_smoothing_is_a_bias_corrected_ewma():
    X, Y = blobs()
    result = lr_range_test(
        network(), SGD, X, Y, min_lr=1e-4, max_lr=1e-1, num_steps=40, batch_size=32
    )
    assert not result.diverged and len(result.lrs) == 40
    np.testing.assert_allclose(result.lrs, np.geomspace(1e-4, 1e-1, 40), rtol=1e-12)
    beta = 0.98
    for i in (0, 1, 10, 39):  # weighted mean of the losses so far, weights beta**age, summing to 1
        weights = beta ** np.arange(i, -1, -1.0)
        expected = np.sum(weights * result.losses[: i + 1]) / np.sum(weights)
        assert result.smoothed_losses[i] == pytest.approx(expected, rel=1e-12)


def test_losses_are_those_of_training_with_the_swept_rates():
    X, Y = blobs()
    net = network()
    result = lr_range_test(
        net, SGD, X, Y, min_lr=1e-3, max_lr=1.0, num_steps=8, batch_size=256, seed=0
    )
    # Full-batch gradient descent with the recorded rates gives the same losses.
    twin = network()
    for lr, loss in zip(result.lrs, result.losses):
        assert twin.loss(Y, twin.forward(X)) == pytest.approx(loss, rel=1e-12)
        grads = twin.backward(Y)
        for key, param in twin.param_dict.items():
            param -= lr * grads[key]


def test_weights_are_restored_exactly_after_a_divergent_sweep():
    X, Y = blobs()
    net = network()
    arrays = dict(net.param_dict)
    before = net.state_dict()
    result = lr_range_test(
        net, partial(SGD, momentum=0.9), X, Y, min_lr=1e-3, max_lr=1e4, num_steps=200, batch_size=32
    )
    assert result.diverged
    for key, value in before.items():
        assert net.param_dict[key] is arrays[key]
        np.testing.assert_array_equal(net.param_dict[key], value)


def test_stops_when_the_smoothed_loss_explodes():
    X, Y = blobs()
    result = lr_range_test(
        network(),
        Adam,
        X,
        Y,
        min_lr=1e-4,
        max_lr=1e3,
        num_steps=200,
        batch_size=32,
        diverge_factor=4,
    )
    assert result.diverged and len(result.lrs) < 200
    assert result.smoothed_losses[-1] > 4 * result.smoothed_losses.min()
    assert np.all(
        result.smoothed_losses[:-1] <= 4 * np.minimum.accumulate(result.smoothed_losses[:-1])
    )


def test_suggestion_lies_where_the_loss_falls_and_trains_well():
    X, Y = blobs()
    net = network()
    result = lr_range_test(net, SGD, X, Y, min_lr=1e-4, max_lr=1e3, num_steps=120, batch_size=32)
    lrs, smoothed = result.lrs, result.smoothed_losses
    i = int(np.flatnonzero(lrs == result.suggestion)[0])
    assert result.suggestion < result.min_loss_lr
    assert smoothed[i + 3] < smoothed[i - 3]  # descending around the suggestion
    assert smoothed[i] > smoothed.min()

    def final_loss(lr):
        model = network()
        return train(model, SGD(model.param_dict, lr), X, Y, 5, 32, progress=False).train_loss[-1]

    assert final_loss(result.suggestion) < final_loss(result.suggestion / 100)


def test_steepest_descent_lr_ignores_the_noisy_start_and_the_blow_up():
    lrs = np.geomspace(1e-4, 1.0, 30)
    smoothed = np.concatenate(
        [
            [5.0, 1.0],
            np.linspace(1.0, 0.9, 10),
            np.linspace(0.9, 0.1, 5)[1:],
            np.linspace(0.1, 3.0, 14),
        ]
    )
    assert (
        steepest_descent_lr(lrs, smoothed, skip_start=2)
        == lrs[np.argmin(np.gradient(smoothed[2:16], np.log(lrs[2:16]))) + 2]
    )
    assert 11 <= np.flatnonzero(lrs == steepest_descent_lr(lrs, smoothed, skip_start=2))[0] <= 15
    assert steepest_descent_lr(lrs[:3], smoothed[:3], skip_start=2) is None


def test_rejects_an_optimizer_instance_and_bad_ranges():
    X, Y = blobs()
    net = network()
    with pytest.raises(TypeError, match="partial"):
        lr_range_test(net, SGD(net.param_dict, 0.1), X, Y)
    with pytest.raises(ValueError, match="min_lr"):
        lr_range_test(net, SGD, X, Y, min_lr=1.0, max_lr=0.1)
    with pytest.raises(ValueError, match="smoothing"):
        lr_range_test(net, SGD, X, Y, smoothing=1.0)
