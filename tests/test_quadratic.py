"""The quadratic model's rates (dldemos.quadratic): each formula against a brute-force search
and against runs of the book's optimizers on a bowl, whose measured rate must match it."""

import numpy as np
import pytest

from dldemos import quadratic as q
from dldemos.optim import SGD, Momentum, Nesterov

LAM_MIN, LAM_MAX = 1.0, 100.0
LAMBDAS = np.linspace(LAM_MIN, LAM_MAX, 40)
H = np.diag(LAMBDAS)
X0 = np.ones(len(LAMBDAS))


def rotated(lambdas, seed=0):
    Q, _ = np.linalg.qr(np.random.default_rng(seed).normal(size=(len(lambdas), len(lambdas))))
    return Q @ np.diag(lambdas) @ Q.T


@pytest.mark.parametrize("kappa", [2.0, 10.0, 100.0, 1000.0])
def test_gd_optimum_is_the_best_step_and_its_rate(kappa):
    alpha, rate = q.gd_optimal(1.0, kappa)
    np.testing.assert_allclose(rate, (kappa - 1) / (kappa + 1))
    np.testing.assert_allclose(q.gd_rate(alpha, [1.0, kappa]), rate)
    grid = np.linspace(0.5 * alpha, 1.5 * alpha, 2001)
    assert q.gd_rate(grid, [1.0, kappa]).min() >= rate - 1e-12
    assert q.gd_rate(2.01 / kappa, [1.0, kappa]) > 1  # beyond 2 / lambda_max: diverges


@pytest.mark.parametrize("kappa", [4.0, 100.0, 1000.0])
def test_momentum_optimum_beats_every_point_of_a_grid(kappa):
    alpha, beta, rate = q.momentum_optimal(1.0, kappa)
    root = np.sqrt(kappa)
    np.testing.assert_allclose(
        [rate, beta], [(root - 1) / (root + 1), ((root - 1) / (root + 1)) ** 2]
    )
    np.testing.assert_allclose(alpha * (1 - beta), 4 / (np.sqrt(kappa) + 1) ** 2)  # Polyak's step
    lambdas = np.linspace(1.0, kappa, 200)
    np.testing.assert_allclose(q.momentum_rate(alpha, beta, lambdas), rate, rtol=1e-6)
    A, B = np.meshgrid(np.geomspace(alpha / 3, alpha * 3, 121), np.linspace(0, 0.999, 121))
    assert q.momentum_rate(A, B, lambdas).min() >= rate - 1e-9


def test_momentum_rate_is_the_spectral_radius_of_its_matrix():
    for alpha, beta, lam in [
        (0.1, 0.5, 3.0),
        (0.02, 0.9, 50.0),
        (1.0, 0.3, 0.2),
        (0.5, 0.99, 10.0),
    ]:
        radius = np.max(np.abs(np.linalg.eigvals(q.momentum_matrix(alpha, beta, lam))))
        np.testing.assert_allclose(q.momentum_rate(alpha, beta, [lam]), radius, rtol=1e-10)


def test_critical_damping_gives_a_double_root():
    for alpha, lam in [(0.1, 3.0), (0.01, 20.0), (0.3, 1.0)]:
        beta = q.critical_beta(alpha, lam)
        trace, det = 1 + beta - alpha * (1 - beta) * lam, beta
        np.testing.assert_allclose(trace**2, 4 * det, rtol=1e-10)
        assert q.momentum_rate(alpha, beta * 1.2, [lam]) == pytest.approx(
            np.sqrt(beta * 1.2)
        )  # oscillates
    alpha, beta, _ = q.momentum_optimal(LAM_MIN, LAM_MAX)
    np.testing.assert_allclose(
        q.critical_beta(alpha, [LAM_MIN, LAM_MAX]), beta
    )  # both ends critical


def test_nesterov_optimum_beats_a_grid_and_lies_between_gd_and_momentum():
    alpha, beta, rate = q.nesterov_optimal(LAM_MIN, LAM_MAX)
    np.testing.assert_allclose(q.nesterov_rate(alpha, beta, LAMBDAS), rate, rtol=1e-6)
    A, B = np.meshgrid(np.geomspace(alpha / 3, alpha * 3, 151), np.linspace(0, 0.99, 151))
    assert q.nesterov_rate(A, B, [LAM_MIN, LAM_MAX]).min() >= rate - 2e-3
    assert q.momentum_optimal(LAM_MIN, LAM_MAX)[2] < rate < q.gd_optimal(LAM_MIN, LAM_MAX)[1]


@pytest.mark.parametrize("hessian", [H, rotated(LAMBDAS)], ids=["diagonal", "rotated"])
def test_measured_rates_match_the_theory(hessian):
    alpha, rate = q.gd_optimal(LAM_MIN, LAM_MAX)
    assert q.measured_rate(
        q.run_on_quadratic(SGD, hessian, X0, 400, learning_rate=alpha)
    ) == pytest.approx(rate, rel=2e-3)
    alpha, beta, rate = q.momentum_optimal(LAM_MIN, LAM_MAX)
    measured = q.measured_rate(
        q.run_on_quadratic(Momentum, hessian, X0, 400, learning_rate=alpha, beta=beta)
    )
    assert measured == pytest.approx(rate, rel=1e-2)  # double roots at both ends: a factor t
    alpha, beta, rate = q.nesterov_optimal(LAM_MIN, LAM_MAX)
    measured = q.measured_rate(
        q.run_on_quadratic(Nesterov, hessian, X0, 400, learning_rate=alpha, beta=beta)
    )
    assert measured == pytest.approx(rate, rel=1e-2)


def test_measured_rate_over_a_grid_and_divergence():
    for alpha, beta in [(0.005, 0.5), (0.05, 0.9), (0.02, 0.3)]:
        distances = q.run_on_quadratic(Momentum, H, X0, 600, learning_rate=alpha, beta=beta)
        assert q.measured_rate(distances) == pytest.approx(
            q.momentum_rate(alpha, beta, LAMBDAS)[()], rel=1e-2
        )
    growing = q.run_on_quadratic(SGD, H, X0, 50, learning_rate=0.03)
    assert q.measured_rate(growing) == pytest.approx(
        q.gd_rate(0.03, LAMBDAS)[()], rel=5e-3
    )  # |1 - 3| = 2
    assert q.measured_rate(q.run_on_quadratic(SGD, H, X0, 400, learning_rate=0.03)) == np.inf


def test_newton_lands_on_the_minimum_in_one_step():
    A = rotated([1.0, 1e3, 50.0], seed=3)
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_allclose(x + q.newton_step(A, A @ x), 0, atol=1e-10)


def test_bad_curvatures_are_named():
    with pytest.raises(ValueError, match="lam_min"):
        q.gd_optimal(0.0, 1.0)
    with pytest.raises(ValueError, match="shape"):
        q.run_on_quadratic(SGD, np.eye(3), np.ones(2), 5, learning_rate=0.1)


def test_worst_case_chain_and_its_lower_bound():
    kappa, dim, steps = 100.0, 200, 60
    H, x_star = q.worst_case_quadratic(kappa, dim)
    lambdas = np.linalg.eigvalsh(H)
    assert 1 < lambdas[0] < lambdas[-1] < kappa
    root = np.sqrt(kappa)
    rate = (root - 1) / (root + 1)
    np.testing.assert_allclose(x_star[:20], rate ** np.arange(1, 21), rtol=1e-10)
    bound = q.krylov_lower_bound(x_star, steps)
    np.testing.assert_allclose(bound[1:] / bound[:-1], rate, rtol=1e-8)
    # the chain: from 0, t gradient steps touch only the first t coordinates (exact zeros)
    x, b = np.zeros(dim), np.eye(dim)[0] * (kappa - 1) / 4  # J = x^T H x / 2 - b^T x
    for t in range(1, 10):
        x -= 0.01 * (H @ x - b)
        assert np.all(x[t:] == 0) and x[t - 1] != 0
    # no method of the book gets below the bound; tuned momentum runs along it
    alpha, beta, _ = q.momentum_optimal(lambdas[0], lambdas[-1])
    path = q.quadratic_path(Momentum, H, -x_star, steps, learning_rate=alpha, beta=beta)
    distances = np.linalg.norm(path, axis=1)
    assert np.all(distances >= bound * (1 - 1e-9))
    assert q.measured_rate(distances) == pytest.approx(rate, rel=2e-3)
    gd = q.run_on_quadratic(SGD, H, -x_star, steps, learning_rate=0.01)
    assert np.all(gd >= bound)
    with pytest.raises(ValueError, match="kappa"):
        q.worst_case_quadratic(1.0, 10)
    with pytest.raises(ValueError, match="num_steps"):
        q.krylov_lower_bound(x_star, dim)
