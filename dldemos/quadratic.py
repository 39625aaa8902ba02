"""The quadratic model: convergence rates of gradient descent, momentum and Nesterov (ch. 8).

Near a minimum every smooth loss looks like a bowl ``J(theta) = 1/2 theta^T H theta``. In the
eigenvectors of ``H`` the coordinates decouple: along an eigenvector of curvature ``lambda``
the gradient is ``lambda * x``, so every optimizer of chapter 3 becomes a *linear* recursion
in ``x`` and its speed is the largest factor by which that recursion shrinks ``x`` per step,
the **rate** (a spectral radius). Everything here is written with the book's optimizers:

* gradient descent: ``x <- (1 - alpha lambda) x``; rate ``max |1 - alpha lambda|``;
* momentum in the book's EWMA form (:class:`dldemos.optim.Momentum`,
  ``v = beta v + (1 - beta) g;  theta = theta - alpha v``) is Polyak's heavy ball
  ``x_{t+1} = x_t - alpha (1 - beta) lambda x_t + beta (x_t - x_{t-1})``, i.e.
  ``torch.optim.SGD(lr=alpha (1 - beta), momentum=beta)``;
* Nesterov (:class:`dldemos.optim.Nesterov`): ``torch.optim.SGD(lr=alpha (1 - beta),
  momentum=beta, nesterov=True)``, whose recursion has the characteristic polynomial
  ``z^2 - (1 + beta)(1 - h lambda) z + beta (1 - h lambda)`` with ``h = alpha (1 - beta)``.

With ``kappa = lambda_max / lambda_min``:

=============  ===================================  ==========================================
method         best hyper-parameters                 rate
=============  ===================================  ==========================================
GD             ``alpha = 2 / (lambda_min + lambda_max)``  ``(kappa - 1) / (kappa + 1)``
momentum       ``alpha = 1 / sqrt(lambda_min lambda_max)``,  ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)``
               ``beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2``
Nesterov       ``h = 4 / (3 lambda_max + lambda_min)``,  ``1 - 2 / sqrt(3 kappa + 1)``
               ``beta = (sqrt(3 kappa + 1) - 2) / (sqrt(3 kappa + 1) + 2)``
=============  ===================================  ==========================================

Momentum's ``alpha(1 - beta)`` is Polyak's step ``4 / (sqrt(lambda_max) + sqrt(lambda_min))**2``.
Sources: Polyak, *Some methods of speeding up the convergence of iteration methods* (1964);
Goh, *Why Momentum Really Works* (Distill, 2017); Lessard, Recht & Packard, *Analysis and
Design of Optimization Algorithms via Integral Quadratic Constraints* (SIAM J. Optim. 2016,
the tuned Nesterov rate); d2l.ai sections 12.3 and 12.6.

Why no first-order method beats momentum's ``(sqrt(kappa) - 1) / (sqrt(kappa) + 1)``:
:func:`worst_case_quadratic` and :func:`krylov_lower_bound` (Nesterov, *Introductory Lectures
on Convex Optimization*, 2004, theorem 2.1.13).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "gd_rate",
    "gd_optimal",
    "momentum_matrix",
    "momentum_rate",
    "momentum_optimal",
    "critical_beta",
    "nesterov_rate",
    "nesterov_optimal",
    "newton_step",
    "quadratic_path",
    "run_on_quadratic",
    "measured_rate",
    "worst_case_quadratic",
    "krylov_lower_bound",
]


def _check_curvatures(lam_min, lam_max) -> tuple[float, float]:
    lam_min, lam_max = float(lam_min), float(lam_max)
    if not (0 < lam_min <= lam_max < math.inf):
        raise ValueError(
            f"need 0 < lam_min <= lam_max, got lam_min={lam_min!r}, lam_max={lam_max!r}"
        )
    return lam_min, lam_max


def _largest_root(trace, det) -> np.ndarray:
    """``max |z|`` over the roots of ``z^2 - trace z + det`` (elementwise)."""
    trace, det = np.asarray(trace, dtype=float), np.asarray(det, dtype=float)
    root = np.sqrt((trace**2 - 4 * det).astype(complex))
    return np.maximum(np.abs((trace + root) / 2), np.abs((trace - root) / 2))


def gd_rate(alpha, lambdas) -> np.ndarray:
    """Gradient descent's rate ``max over lambda of |1 - alpha lambda|`` (``alpha`` may be an array)."""
    alpha = np.asarray(alpha, dtype=float)[..., None]
    return np.max(np.abs(1 - alpha * np.asarray(lambdas, dtype=float)), axis=-1)


def gd_optimal(lam_min, lam_max) -> tuple[float, float]:
    """``(alpha, rate)``: the step ``2 / (lam_min + lam_max)`` that balances the two extreme
    factors ``1 - alpha lam_min = -(1 - alpha lam_max)``, and its rate ``(kappa-1)/(kappa+1)``."""
    lam_min, lam_max = _check_curvatures(lam_min, lam_max)
    kappa = lam_max / lam_min
    return 2 / (lam_min + lam_max), (kappa - 1) / (kappa + 1)


def momentum_matrix(alpha: float, beta: float, lam: float) -> np.ndarray:
    """The 2x2 matrix that maps ``(x_t, x_{t-1})`` to ``(x_{t+1}, x_t)`` for the book's
    momentum along one eigenvector of curvature ``lam``."""
    return np.array([[1 + beta - alpha * (1 - beta) * lam, -beta], [1.0, 0.0]])


def momentum_rate(alpha, beta, lambdas) -> np.ndarray:
    """The book's momentum rate: the largest spectral radius of :func:`momentum_matrix`
    over ``lambdas``; ``alpha`` and ``beta`` may be arrays of one shape (a grid)."""
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    lam = np.asarray(lambdas, dtype=float)
    h = (alpha * (1 - beta))[..., None]
    b = beta[..., None]
    return np.max(_largest_root(1 + b - h * lam, b * np.ones_like(lam)), axis=-1)


def momentum_optimal(lam_min, lam_max) -> tuple[float, float, float]:
    """``(alpha, beta, rate)`` of the fastest momentum (book form) on curvatures in
    ``[lam_min, lam_max]``: ``alpha = 1 / sqrt(lam_min lam_max)``,
    ``beta = ((sqrt(kappa) - 1) / (sqrt(kappa) + 1))**2``, rate ``sqrt(beta)``."""
    lam_min, lam_max = _check_curvatures(lam_min, lam_max)
    root_kappa = math.sqrt(lam_max / lam_min)
    rate = (root_kappa - 1) / (root_kappa + 1)
    return 1 / math.sqrt(lam_min * lam_max), rate**2, rate


def critical_beta(alpha, lam):
    """The ``beta`` that *critically damps* momentum (book form) along curvature ``lam``: the
    two roots coincide, ``beta = ((1 - alpha lam) / (1 + alpha lam))**2``. Smaller ``beta``
    creeps (two real roots), larger ``beta`` oscillates with factor ``sqrt(beta)``."""
    c = np.asarray(alpha, dtype=float) * np.asarray(lam, dtype=float)
    return ((1 - c) / (1 + c)) ** 2


def nesterov_rate(alpha, beta, lambdas) -> np.ndarray:
    """Nesterov's rate (book form, :class:`dldemos.optim.Nesterov`): the largest root of
    ``z^2 - (1 + beta)(1 - h lam) z + beta (1 - h lam)`` with ``h = alpha (1 - beta)``."""
    alpha, beta = np.broadcast_arrays(np.asarray(alpha, dtype=float), np.asarray(beta, dtype=float))
    q = 1 - (alpha * (1 - beta))[..., None] * np.asarray(lambdas, dtype=float)
    b = beta[..., None]
    return np.max(_largest_root((1 + b) * q, b * q), axis=-1)


def nesterov_optimal(lam_min, lam_max) -> tuple[float, float, float]:
    """``(alpha, beta, rate)`` of the fastest Nesterov on a quadratic (Lessard et al. 2016):
    PyTorch's ``lr = 4 / (3 lam_max + lam_min)``, ``beta = (sqrt(3 kappa + 1) - 2) /
    (sqrt(3 kappa + 1) + 2)``, rate ``1 - 2 / sqrt(3 kappa + 1)``; ``alpha = lr / (1 - beta)``."""
    lam_min, lam_max = _check_curvatures(lam_min, lam_max)
    root = math.sqrt(3 * lam_max / lam_min + 1)
    beta = (root - 2) / (root + 2)
    return 4 / (3 * lam_max + lam_min) / (1 - beta), beta, 1 - 2 / root


def newton_step(H: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Newton's step ``-H^{-1} g`` (solved, never inverted): on a quadratic it lands on the
    minimum in one step, whatever the condition number."""
    return -np.linalg.solve(np.asarray(H, dtype=float), np.asarray(g, dtype=float))


def quadratic_path(make_optimizer, H: np.ndarray, x0, num_steps: int, **settings) -> np.ndarray:
    """Run a :mod:`dldemos.optim` optimizer on ``J = 1/2 x^T H x`` from ``x0`` with the exact
    gradient ``H x``; return the points ``x_0 .. x_num_steps``, shape ``(num_steps + 1, n)``.
    A run that blows up (``|x| > 1e100``) is filled with ``inf`` from there on."""
    H = np.asarray(H, dtype=float)
    x = np.array(x0, dtype=float)
    if H.shape != (x.size, x.size):
        raise ValueError(
            f"H must have shape {(x.size, x.size)} for x0 of size {x.size}, got {H.shape}"
        )
    optimizer = make_optimizer({"x": x}, **settings)
    path = np.full((num_steps + 1, x.size), np.inf)
    path[0] = x
    for t in range(1, num_steps + 1):
        optimizer.zero_grad()
        optimizer.add_grad({"x": H @ x})
        optimizer.step()
        if not np.linalg.norm(x) < 1e100:
            break
        path[t] = x
    return path


def run_on_quadratic(make_optimizer, H: np.ndarray, x0, num_steps: int, **settings) -> np.ndarray:
    """The distances ``|x_t|`` to the minimum along :func:`quadratic_path`, ``t = 0 .. num_steps``."""
    return np.linalg.norm(quadratic_path(make_optimizer, H, x0, num_steps, **settings), axis=1)


def measured_rate(distances, start: int | None = None) -> float:
    """The measured rate: the geometric mean shrink factor ``(d_T / d_start)**(1 / (T - start))``
    over the second half of the run (or from ``start``), where the slowest direction rules.
    A run that diverged (non-finite distance) has rate ``inf``; one that reached 0 is cut there."""
    d = np.asarray(distances, dtype=float)
    if not np.all(np.isfinite(d)):
        return math.inf
    reached = np.nonzero(d < 1e-280)[0]
    end = int(reached[0]) - 1 if len(reached) else len(d) - 1
    start = end // 2 if start is None else start
    if end <= start:
        raise ValueError(f"need at least two distances after start={start}, got {len(d)}")
    return float((d[end] / d[start]) ** (1 / (end - start)))


def worst_case_quadratic(kappa: float, dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Nesterov's worst case for first-order methods, in ``dim`` dimensions: ``(H, x_star)`` of

    ``J(x) = (kappa - 1) / 8 * (x_1^2 + sum_i (x_i - x_{i+1})^2 - 2 x_1) + |x|^2 / 2``,

    i.e. ``J = 1/2 x^T H x - b^T x`` with a tridiagonal ``H`` whose curvatures lie in
    ``(1, kappa)``, and ``x_star = H^{-1} b``. ``H`` is a *chain*: the gradient ``H x - b`` at a
    point whose coordinates after the ``t``-th are zero has zeros after the ``(t+1)``-th, so every
    method whose iterate lies in ``x_0 = 0`` plus the span of its gradients has touched only the
    first ``t`` coordinates after ``t`` steps. In infinite dimensions ``x_star[i - 1] = q^i`` with
    ``q = (sqrt(kappa) - 1) / (sqrt(kappa) + 1)``; in ``dim`` dimensions nearly so, far from the
    last coordinate. Run an optimizer of :mod:`dldemos.optim` on it with :func:`quadratic_path`
    from ``x_0 - x_star = -x_star`` (the gradient of ``J`` is ``H (x - x_star)``)."""
    kappa = float(kappa)
    if not kappa > 1:
        raise ValueError(f"kappa must be > 1, got {kappa}")
    if int(dim) < 2:
        raise ValueError(f"dim must be at least 2, got {dim}")
    chain = 2 * np.eye(dim) - np.eye(dim, k=1) - np.eye(dim, k=-1)
    H = (kappa - 1) / 4 * chain + np.eye(dim)
    b = np.zeros(dim)
    b[0] = (kappa - 1) / 4
    return H, np.linalg.solve(H, b)


def krylov_lower_bound(x_star, num_steps: int) -> np.ndarray:
    """``|x_t - x_star|`` can be no smaller than ``|x_star[t:]|`` (the coordinates not yet
    reached, :func:`worst_case_quadratic`), ``t = 0 .. num_steps``: the lower bound for every
    first-order method started at 0. With ``x_star[i - 1] = q^i`` it is ``q^t |x_star|``."""
    x_star = np.asarray(x_star, dtype=float)
    if not 0 <= num_steps < x_star.size:
        raise ValueError(f"num_steps must lie in [0, {x_star.size}), got {num_steps}")
    tails = np.sqrt(np.cumsum(x_star[::-1] ** 2)[::-1])
    return tails[: num_steps + 1]
