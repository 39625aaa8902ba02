"""Tests for dldemos.surfaces: derivatives against finite differences, critical points,
and trajectories against closed forms and torch.optim."""

import warnings

import numpy as np
import pytest
import torch

from dldemos import surfaces
from dldemos.optim import SGD

SURFACE_CASES = [factory() for factory in surfaces.SURFACES.values()] + [
    surfaces.quadratic(condition_number=50, rotation_deg=30),
    surfaces.rosenbrock(a=2.0, b=10.0),
    surfaces.plateau(width=2.0),
    surfaces.curved_valley(steepness=5.0, slope=0.2, amplitude=0.5, frequency=1.3),
    surfaces.narrow_well(depth=2.0, width=0.5, bowl=0.3),
]


def _points(surface, n=6, seed=0):
    """The start, every known critical point and random points inside the plot bounds."""
    (x0, x1), (y0, y1) = surface.bounds
    rng = np.random.default_rng(seed)
    random = np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])
    known = [surface.start] + [(p.x, p.y) for p in surface.critical_points]
    return np.vstack([np.array(known, dtype=float), random])


def _central_difference(func, x, y, h):
    """(func(x+h) - func(x-h)) / 2h in each coordinate; the last axis indexes x, y."""
    return np.stack(
        [(func(x + h, y) - func(x - h, y)) / (2 * h), (func(x, y + h) - func(x, y - h)) / (2 * h)],
        axis=-1,
    )


@pytest.mark.parametrize("surface", SURFACE_CASES, ids=lambda s: s.name)
def test_gradient_matches_finite_differences(surface):
    for x, y in _points(surface):
        h = 1e-6 * max(1.0, abs(x), abs(y))
        numeric = _central_difference(surface.f, x, y, h)
        analytic = surface.grad(x, y)
        scale = max(1.0, np.abs(analytic).max())
        np.testing.assert_allclose(
            analytic, numeric, rtol=1e-5, atol=1e-6 * scale, err_msg=f"{surface.name} at ({x}, {y})"
        )


@pytest.mark.parametrize("surface", SURFACE_CASES, ids=lambda s: s.name)
def test_hessian_matches_finite_differences_of_gradient(surface):
    for x, y in _points(surface):
        h = 1e-6 * max(1.0, abs(x), abs(y))
        numeric = _central_difference(surface.grad, x, y, h)  # numeric[i, j] = d grad_i / d x_j
        analytic = surface.hessian(x, y)
        np.testing.assert_array_equal(analytic, analytic.T)
        scale = max(1.0, np.abs(analytic).max())
        np.testing.assert_allclose(
            analytic, numeric, rtol=1e-5, atol=1e-6 * scale, err_msg=f"{surface.name} at ({x}, {y})"
        )


@pytest.mark.parametrize("surface", SURFACE_CASES, ids=lambda s: s.name)
def test_functions_broadcast_over_grids(surface):
    X, Y = np.meshgrid(np.linspace(*surface.bounds[0], 4), np.linspace(*surface.bounds[1], 3))
    assert surface.f(X, Y).shape == (3, 4)
    assert surface.grad(X, Y).shape == (2, 3, 4)
    assert surface.hessian(X, Y).shape == (2, 2, 3, 4)
    np.testing.assert_allclose(surface.grad(X, Y)[:, 1, 2], surface.grad(X[1, 2], Y[1, 2]))
    np.testing.assert_allclose(surface.hessian(X, Y)[..., 2, 3], surface.hessian(X[2, 3], Y[2, 3]))


@pytest.mark.parametrize("surface", SURFACE_CASES, ids=lambda s: s.name)
def test_known_critical_points(surface):
    assert surface.critical_points
    for point in surface.critical_points:
        assert np.linalg.norm(surface.grad(point.x, point.y)) < 1e-12
        assert surfaces.classify_critical_point(surface, (point.x, point.y)) == point.kind
    assert surface.minima == tuple(
        (p.x, p.y) for p in surface.critical_points if p.kind == "minimum"
    )


def test_classification_at_the_book_examples():
    assert surfaces.classify_critical_point(surfaces.saddle(), (0, 0)) == "saddle"
    assert surfaces.classify_critical_point(surfaces.monkey_saddle(), (0, 0)) == "degenerate"
    assert surfaces.classify_critical_point(surfaces.beale(), (0, 1)) == "saddle"
    assert surfaces.classify_critical_point(surfaces.beale(), (3, 0.5)) == "minimum"
    assert surfaces.classify_critical_point(surfaces.rosenbrock(), (1, 1)) == "minimum"
    hill = surfaces.Surface(
        "hill",
        lambda x, y: -(x**2) - y**2,
        lambda x, y: np.array([-2 * x, -2 * y]),
        lambda x, y: np.array([[-2.0, 0.0], [0.0, -3.0]]),
        (1, 1),
        ((-1, 1), (-1, 1)),
        (),
    )
    assert surfaces.classify_critical_point(hill, (0, 0)) == "maximum"
    with pytest.raises(ValueError, match="not a critical point"):
        surfaces.classify_critical_point(surfaces.saddle(), (1.0, 0.0))


def test_hessian_eigenvalues_of_rotated_quadratic():
    bowl = surfaces.quadratic(condition_number=25, rotation_deg=40)
    np.testing.assert_allclose(surfaces.hessian_eigenvalues(bowl, (0.3, -2.0)), [1.0, 25.0])
    np.testing.assert_allclose(surfaces.hessian_eigenvalues(surfaces.saddle(), (5, 5)), [-2.0, 2.0])


def test_run_optimizer_sgd_follows_gradient_descent_closed_form():
    bowl = surfaces.quadratic(condition_number=10, rotation_deg=20)
    A = bowl.hessian(0.0, 0.0)
    lr, steps = 0.15, 60
    trajectory = surfaces.run_optimizer(SGD, bowl, num_steps=steps, learning_rate=lr)
    assert trajectory.shape == (steps + 1, 2)
    np.testing.assert_array_equal(trajectory[0], bowl.start)
    step = np.eye(2) - lr * A  # p_t = (I - lr A)^t p_0
    expected = [np.linalg.matrix_power(step, t) @ np.array(bowl.start) for t in range(steps + 1)]
    np.testing.assert_allclose(trajectory, expected, rtol=1e-10, atol=1e-12)
    converged = surfaces.run_optimizer(SGD, bowl, num_steps=400, learning_rate=lr)
    np.testing.assert_allclose(converged[-1], [0.0, 0.0], atol=1e-8)


def test_run_optimizer_matches_torch_sgd_with_momentum():
    banana = surfaces.rosenbrock()
    start, lr, steps = (-1.2, 1.0), 2e-4, 200
    trajectory = surfaces.run_optimizer(
        SGD, banana, start=start, num_steps=steps, learning_rate=lr, momentum=0.9, nesterov=True
    )
    p = torch.tensor(start, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=lr, momentum=0.9, nesterov=True)
    expected = [p.detach().clone().numpy()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss = (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
        loss.backward()
        optimizer.step()
        expected.append(p.detach().clone().numpy())
    np.testing.assert_allclose(trajectory, np.array(expected), rtol=1e-10, atol=1e-12)


def test_run_optimizer_accepts_factories_and_advances_epochs():
    def one_step_only(lr0, epoch):
        return lr0 if epoch == 0 else 0.0

    def factory(param_dict, **kwargs):
        return SGD(param_dict, lr_scheduler=one_step_only, **kwargs)

    trajectory = surfaces.run_optimizer(
        factory, surfaces.saddle(), start=(1.0, 1.0), num_steps=3, learning_rate=0.25
    )
    np.testing.assert_allclose(trajectory, [[1.0, 1.0], [0.5, 1.5], [0.5, 1.5], [0.5, 1.5]])


def test_run_optimizer_stops_when_diverging():
    bowl = surfaces.quadratic(condition_number=10)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no overflow warnings leak out
        exploding = surfaces.run_optimizer(
            SGD, bowl, num_steps=5000, learning_rate=0.3
        )  # lr > 2/kappa
        escaping = surfaces.run_optimizer(SGD, surfaces.saddle(), num_steps=5000, learning_rate=0.5)
    for trajectory in (exploding, escaping):
        assert len(trajectory) < 5001
        assert np.all(np.isfinite(trajectory[:-1]))
    assert np.abs(exploding[-2, 1]) > 1e100


def test_run_optimizer_validates_start_and_steps():
    with pytest.raises(ValueError, match="two finite numbers"):
        surfaces.run_optimizer(
            SGD, surfaces.saddle(), start=(1.0, np.nan), num_steps=3, learning_rate=0.1
        )
    with pytest.raises(ValueError, match="num_steps"):
        surfaces.run_optimizer(SGD, surfaces.saddle(), num_steps=-1, learning_rate=0.1)


def test_gradient_noise_adds_seeded_normal_noise_to_the_exact_gradient():
    bowl = surfaces.quadratic(condition_number=4.0)
    noisy = surfaces.with_gradient_noise(bowl, 0.5, seed=3)
    expected_noise = 0.5 * np.random.default_rng(3).standard_normal((2, 2))
    for row, point in zip(expected_noise, [(1.0, 2.0), (-0.5, 0.25)]):
        np.testing.assert_allclose(noisy.grad(*point), bowl.grad(*point) + row, rtol=1e-12)
    assert noisy.f(1.0, 2.0) == bowl.f(1.0, 2.0) and noisy.start == bowl.start
    np.testing.assert_array_equal(
        surfaces.with_gradient_noise(bowl, 0.0).grad(1.0, 2.0), bowl.grad(1.0, 2.0)
    )
    with pytest.raises(ValueError, match="noise"):
        surfaces.with_gradient_noise(bowl, -1.0)


def test_fraction_positive_definite_counts_matrices_with_positive_eigenvalues():
    fractions = surfaces.fraction_positive_definite([1, 2, 3], num_samples=20_000, seed=0)
    assert set(fractions) == {1, 2, 3}
    assert abs(fractions[1] - 0.5) < 0.02  # a 1x1 matrix: the sign of one normal number
    assert fractions[3] < fractions[2] < 0.25  # rarer than independent coin flips (0.5**n)
    rng = np.random.default_rng(0)  # the same draws, counted independently
    A = rng.standard_normal((20_000, 1, 1))
    assert fractions[1] == np.mean(A[:, 0, 0] > 0)
    with pytest.raises(ValueError, match="num_samples"):
        surfaces.fraction_positive_definite([2], num_samples=0)
