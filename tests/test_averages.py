"""Tests for dldemos.averages against explicit sums and np.convolve."""

import math

import numpy as np
import pytest

from dldemos import averages


def _series(T=60, shape=(), seed=0):
    return np.random.default_rng(seed).normal(10.0, 3.0, size=(T, *shape))


def _explicit_ewma(theta, beta):
    """v_t = sum_{k=0}^{t-1} (1 - beta) beta^k theta_{t-k}, summed term by term."""
    return np.array(
        [sum((1 - beta) * beta**k * theta[t - k] for k in range(t + 1)) for t in range(len(theta))]
    )


@pytest.mark.parametrize("beta", [0.0, 0.5, 0.9, 0.98])
def test_ewma_equals_unrolled_weighted_sum(beta):
    theta = _series()
    np.testing.assert_allclose(averages.ewma(theta, beta), _explicit_ewma(theta, beta), rtol=1e-12)


@pytest.mark.parametrize("beta", [0.5, 0.9, 0.98])
def test_bias_correction_is_the_normalised_weighted_average(beta):
    theta = _series()
    weight_sums = np.array(
        [sum((1 - beta) * beta**k for k in range(t + 1)) for t in range(len(theta))]
    )
    expected = _explicit_ewma(theta, beta) / weight_sums
    np.testing.assert_allclose(
        averages.ewma(theta, beta, bias_correction=True), expected, rtol=1e-12
    )
    np.testing.assert_allclose(weight_sums, 1 - beta ** np.arange(1, len(theta) + 1), rtol=1e-12)
    constant = np.full(30, 7.0)
    np.testing.assert_allclose(averages.ewma(constant, beta, bias_correction=True), 7.0, rtol=1e-12)
    assert averages.ewma(constant, beta)[0] == pytest.approx(7.0 * (1 - beta))  # the start-up bias


def test_ewma_long_series_with_large_beta():
    theta = _series(T=3000)
    v = averages.ewma(theta, 0.999)
    reference = np.empty_like(theta)  # the recursion, step by step
    previous = 0.0
    for t, value in enumerate(theta):
        previous = 0.999 * previous + 0.001 * value
        reference[t] = previous
    np.testing.assert_allclose(v, reference, rtol=1e-10)


@pytest.mark.parametrize("bias_correction", [False, True])
def test_streaming_ewma_matches_vectorised_on_arrays(bias_correction):
    theta = _series(T=40, shape=(2, 3)).astype(np.float32)
    batch = averages.ewma(theta, 0.9, bias_correction=bias_correction)
    assert batch.shape == theta.shape and batch.dtype == np.float32
    stream = averages.EWMA(0.9)
    for t in range(len(theta)):
        value = stream.update(theta[t])
        assert value.dtype == np.float32
        np.testing.assert_allclose(
            stream.corrected if bias_correction else value, batch[t], rtol=1e-5
        )
    assert stream.t == 40
    np.testing.assert_array_equal(stream.value, value)


def test_ewma_class_errors():
    stream = averages.EWMA(0.9)
    assert stream.value == 0.0
    with pytest.raises(ValueError, match="before the first update"):
        stream.corrected
    stream.update(np.zeros(3))
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        stream.update(np.zeros(4))
    for bad in (1.0, -0.1):
        with pytest.raises(ValueError, match="beta"):
            averages.EWMA(bad)
        with pytest.raises(ValueError, match="beta"):
            averages.ewma([1.0, 2.0], bad)


def test_ewma_weights_and_effective_window():
    w = averages.ewma_weights(0.9, 5)
    np.testing.assert_allclose(w, [0.1, 0.09, 0.081, 0.0729, 0.06561])
    assert averages.ewma_weights(0.9, 50).sum() == pytest.approx(1 - 0.9**50)
    assert averages.effective_window(0.9) == pytest.approx(10)
    assert averages.effective_window(0.98) == pytest.approx(50)
    assert averages.effective_window(0.5) == pytest.approx(2)
    n = averages.effective_window(0.999)  # after n steps a weight shrinks by ~1/e
    assert 0.999**n == pytest.approx(1 / math.e, rel=1e-3)


@pytest.mark.parametrize("window", [1, 3, 5, 60, 80])
def test_moving_average_equals_convolution(window):
    x = _series()
    expected = np.convolve(x, np.ones(window) / window)[: len(x)]  # values before the start are 0
    np.testing.assert_allclose(averages.moving_average(x, window), expected, rtol=1e-10, atol=1e-12)


def test_streaming_moving_average_matches_vectorised():
    x = _series(T=50, shape=(4,))
    batch = averages.moving_average(x, 7)
    stream = averages.StreamingMovingAverage(7)
    assert stream.value == 0.0
    for t in range(len(x)):
        np.testing.assert_allclose(stream.update(x[t]), batch[t], rtol=1e-10)
    np.testing.assert_allclose(
        batch[6:, 0], [x[t - 6 : t + 1, 0].mean() for t in range(6, 50)], rtol=1e-10
    )
    assert stream._buffer.shape == (7, 4)  # O(window) memory, not O(T)
    with pytest.raises(ValueError, match="window"):
        averages.StreamingMovingAverage(0)
    with pytest.raises(ValueError, match="window"):
        averages.moving_average(x, 2.5)
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        stream.update(np.zeros(2))


def test_integer_input_becomes_float():
    assert averages.moving_average([1, 2, 3], 2).dtype == np.float64
    np.testing.assert_allclose(averages.ewma([2, 2], 0.5), [1.0, 1.5])
