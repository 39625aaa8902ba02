"""dldemos.hessian: Hessian-vector products, the whole Hessian and Lanczos, checked against
the exact Hessian of logistic regression and against numpy.linalg.eigvalsh."""

import numpy as np
import pytest

from dldemos.data import load_moons
from dldemos.hessian import (
    flat_gradient,
    hessian_matrix,
    hessian_vector_product,
    lanczos_extreme_eigenvalues,
    spectrum_during_training,
)
from dldemos.nn import DeepNetwork
from dldemos.optim import SGD
from dldemos.train import train


@pytest.fixture(scope="module")
def moons():
    X, Y, _, _ = load_moons()
    return X[:, :200], Y[:, :200]


def test_the_hessian_of_logistic_regression_is_exact(moons):
    # J = mean BCE(sigmoid(w.x + b)): H = (1/m) sum p (1 - p) [x; 1][x; 1]^T
    X, Y = moons
    model = DeepNetwork([2, 1], ["sigmoid"], seed=0)
    p = model.forward(X)
    A = np.vstack([X, np.ones((1, X.shape[1]))])
    exact = (A * (p * (1 - p))) @ A.T / X.shape[1]
    assert np.allclose(hessian_matrix(model, X, Y), exact, rtol=0, atol=1e-8)


def test_a_hessian_vector_product_leaves_the_weights_as_they_were(moons):
    X, Y = moons
    model = DeepNetwork([2, 4, 1], ["tanh", "sigmoid"], seed=1)
    before = {key: value.copy() for key, value in model.param_dict.items()}
    v = np.random.default_rng(0).standard_normal(sum(p.size for p in before.values()))
    Hv = hessian_vector_product(model, X, Y, v)
    assert all(np.array_equal(model.param_dict[key], before[key]) for key in before)
    assert np.allclose(Hv, hessian_matrix(model, X, Y) @ v, atol=1e-7)
    assert flat_gradient(model, X, Y).shape == v.shape


def test_lanczos_finds_the_extreme_eigenvalues_of_a_symmetric_matrix():
    rng = np.random.default_rng(3)
    A = rng.standard_normal((60, 60))
    H = (A + A.T) / 2
    exact = np.linalg.eigvalsh(H)
    assert np.allclose(lanczos_extreme_eigenvalues(lambda v: H @ v, 60, 60), exact)
    ritz = lanczos_extreme_eigenvalues(lambda v: H @ v, 60, 40, seed=1)
    assert ritz[0] == pytest.approx(exact[0], rel=1e-6) and ritz[-1] == pytest.approx(
        exact[-1], rel=1e-6
    )
    # a rank-2 operator: Lanczos stops early and is exact
    low_rank = np.diag([3.0, -2.0] + [0.0] * 8)
    assert np.allclose(
        lanczos_extreme_eigenvalues(lambda v: low_rank @ v, 10, 10)[[0, -1]], [-2.0, 3.0]
    )


def test_lanczos_on_a_network_matches_the_whole_hessian(moons):
    X, Y = moons
    model = DeepNetwork([2, 6, 1], ["tanh", "sigmoid"], seed=2)
    exact = np.linalg.eigvalsh(hessian_matrix(model, X, Y))
    size = exact.size
    ritz = lanczos_extreme_eigenvalues(lambda v: hessian_vector_product(model, X, Y, v), size, 25)
    assert ritz[0] == pytest.approx(exact[0], rel=1e-5) and ritz[-1] == pytest.approx(
        exact[-1], rel=1e-5
    )


def test_spectrum_during_training_trains_exactly_like_train(moons):
    X, Y = moons
    measured, plain = (DeepNetwork([2, 4, 1], ["tanh", "sigmoid"], seed=0) for _ in range(2))
    spectrum = spectrum_during_training(
        measured, SGD(measured.param_dict, 0.5), X, Y, 3, 32, num_iterations=10
    )
    history = train(plain, SGD(plain.param_dict, 0.5), X, Y, 3, 32, progress=False)
    assert np.allclose(spectrum.loss[1:], history.train_loss, rtol=0, atol=1e-12)
    assert all(
        np.array_equal(measured.param_dict[k], plain.param_dict[k]) for k in plain.param_dict
    )
    assert spectrum.lambda_min.shape == spectrum.lambda_max.shape == (4,)
    assert np.all(spectrum.lambda_min <= spectrum.lambda_max)
