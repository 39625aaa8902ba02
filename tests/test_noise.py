"""The gradient noise scale and the critical-batch fit (dldemos.noise)."""

import numpy as np
import pytest

from dldemos.data import load_moons
from dldemos.nn import DeepNetwork
from dldemos.noise import fit_critical_batch, noise_scale, per_example_gradients, steps_to_target


def test_per_example_gradients_average_to_the_batch_gradient():
    X, Y, _, _ = load_moons(n_samples=200)
    model = DeepNetwork([2, 8, 1], ["tanh", "sigmoid"], seed=0)
    rows = per_example_gradients(model, X[:, :50], Y[:, :50])
    model.forward(X[:, :50])
    batch = model.backward(Y[:, :50])
    np.testing.assert_allclose(
        rows.mean(axis=0),
        np.concatenate([batch[k].ravel() for k in model.param_dict]),
        rtol=1e-10,
        atol=1e-12,
    )


def test_noise_scale_of_a_known_distribution():
    rng = np.random.default_rng(0)
    G, sigma, n = np.array([1.0, 2.0, 0.0, 0.0]), 3.0, 200_000
    rows = G + sigma * rng.normal(size=(n, 4))
    # tr(Sigma) = 4 sigma^2 = 36, |G|^2 = 5
    assert noise_scale(rows) == pytest.approx(36 / 5, rel=2e-2)
    # the definition: a batch of B_noise examples has noise |g_B - G|^2 equal to the signal |G|^2
    B = round(noise_scale(rows))
    batches = rows[: (n // B) * B].reshape(-1, B, 4).mean(axis=1)
    assert np.mean(np.sum((batches - G) ** 2, axis=1)) == pytest.approx(np.sum(G**2), rel=0.1)


def test_fit_recovers_the_critical_batch_size():
    B = np.array([4, 8, 16, 32, 64, 128, 256])
    S = 100 * (1 + 40 / B)
    S_min, B_crit = fit_critical_batch(B, S)
    assert (S_min, B_crit) == (pytest.approx(100), pytest.approx(40))
    with pytest.raises(ValueError, match="batch sizes"):
        fit_critical_batch([4, 8], [1.0])


def test_steps_to_target():
    assert steps_to_target([3.0, 2.0, 1.0, 0.5], 1.0) == 2
    assert steps_to_target([3.0, 2.0], 1.0) is None
