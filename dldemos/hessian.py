"""The Hessian of a network's loss, and its extreme eigenvalues (chapter 5).

A network with ``N`` parameters ``theta`` has an ``N x N`` Hessian ``H``: far too large to
form for a real network, but a Hessian-vector product costs about two gradients, by a
central difference of the gradient along ``v``:

    H v  ~  (grad J(theta + eps v) - grad J(theta - eps v)) / (2 eps)      (error O(eps^2))

(Pearlmutter 1994, *Fast exact multiplication by the Hessian*, computes ``H v`` exactly with
one extra forward and backward pass; the difference quotient is the same idea in plain
NumPy.) Stacking ``H e_i`` for every unit vector ``e_i`` forms ``H`` itself, which is
affordable for the few hundred parameters of the book's small networks and is how the tests
check the rest.

The Lanczos method (Lanczos 1950) turns ``k`` products ``H v`` into a ``k x k`` tridiagonal
matrix ``T`` whose eigenvalues (the Ritz values) converge to the *extreme* eigenvalues of
``H`` first: the largest curvature ``lambda_max`` and the most negative one ``lambda_min``,
the two numbers that, at a critical point, tell a minimum (``lambda_min > 0``) from a saddle
(``lambda_min < 0 < lambda_max``); at any point, ``lambda_min < 0`` says it is no minimum.
The Ritz values always lie inside ``[lambda_min, lambda_max]``, so they approach both ends
from within.
Ghorbani, Krishnan & Xiao (2019, *An investigation into neural net optimization via Hessian
eigenvalue density*) and PyHessian (Yao et al. 2020) use it on networks with millions of
parameters; here it runs with full reorthogonalisation, which is simple and exact enough for
``k`` up to a few hundred.

Chapter 8's edge of stability uses :mod:`dldemos.sharpness` instead: a PyTorch network, only
the top eigenvalue, exact ``H v`` by autograd and power iteration warm-started along a run
(that module's docstring says why the two are kept apart).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dldemos.data import random_mini_batches
from dldemos.seeding import make_rng
from dldemos.train import train_step

__all__ = [
    "Spectrum",
    "flat_gradient",
    "hessian_matrix",
    "hessian_vector_product",
    "lanczos_extreme_eigenvalues",
    "spectrum_during_training",
]


def flat_gradient(model, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """The full-batch gradient of ``model``'s loss on ``(X, Y)`` as one vector of length ``N``
    (the arrays of ``param_dict`` in their order, each flattened)."""
    model.forward(X)
    grads = model.backward(Y)
    return np.concatenate([grads[key].ravel() for key in model.param_dict])


def hessian_vector_product(
    model, X: np.ndarray, Y: np.ndarray, v: np.ndarray, eps: float = 1e-4
) -> np.ndarray:
    """``H v`` by the central difference of the gradient along ``v`` (module docstring).

    The parameters are moved to ``theta +- eps v`` and put back exactly afterwards.
    """
    params = list(model.param_dict.values())
    saved = [p.copy() for p in params]
    sizes = np.cumsum([p.size for p in params])[:-1]
    pieces = np.split(np.asarray(v, dtype=np.float64), sizes)
    gradients = []
    try:
        for sign in (1.0, -1.0):
            for p, p0, piece in zip(params, saved, pieces):
                p[...] = p0 + sign * eps * piece.reshape(p.shape)
            gradients.append(flat_gradient(model, X, Y))
    finally:
        for p, p0 in zip(params, saved):
            p[...] = p0
    return (gradients[0] - gradients[1]) / (2 * eps)


def hessian_matrix(model, X: np.ndarray, Y: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    """The whole ``N x N`` Hessian, one column ``H e_i`` at a time (symmetrised)."""
    size = sum(p.size for p in model.param_dict.values())
    columns = [hessian_vector_product(model, X, Y, e, eps) for e in np.eye(size)]
    H = np.stack(columns, axis=1)
    return (H + H.T) / 2


def lanczos_extreme_eigenvalues(
    matvec: Callable[[np.ndarray], np.ndarray], size: int, num_iterations: int = 30, seed=0
) -> np.ndarray:
    """The Ritz values of ``num_iterations`` Lanczos steps on the symmetric operator
    ``matvec`` (``v -> H v`` on vectors of length ``size``), sorted ascending: the first
    approximates ``lambda_min``, the last ``lambda_max``.

    Lanczos: ``q_1`` a random unit vector; ``w = H q_j - b_{j-1} q_{j-1}``,
    ``a_j = q_j . w``, ``w -= a_j q_j`` (and against every earlier ``q``: full
    reorthogonalisation), ``b_j = |w|``, ``q_{j+1} = w / b_j``. ``T`` has ``a`` on its
    diagonal and ``b`` beside it (the usual alpha_j, beta_j of the literature, renamed here
    because the book keeps alpha for the learning rate and beta for EWMA weights).
    """
    k = min(num_iterations, size)
    Q = np.zeros((k + 1, size))
    a, b = np.zeros(k), np.zeros(k)
    q = make_rng(seed).standard_normal(size)
    Q[0] = q / np.linalg.norm(q)
    for j in range(k):
        w = matvec(Q[j]) - (b[j - 1] * Q[j - 1] if j else 0.0)
        a[j] = Q[j] @ w
        w -= Q[: j + 1].T @ (Q[: j + 1] @ w)  # full reorthogonalisation
        b[j] = np.linalg.norm(w)
        if b[j] < 1e-12 * max(1.0, abs(a[j])):  # an invariant subspace: exact
            k = j + 1
            break
        Q[j + 1] = w / b[j]
    T = np.diag(a[:k]) + np.diag(b[: k - 1], 1) + np.diag(b[: k - 1], -1)
    return np.linalg.eigvalsh(T)


@dataclass(frozen=True)
class Spectrum:
    """Per epoch (index 0: before training) the full-batch loss and the extreme Hessian
    eigenvalues ``lambda_min``, ``lambda_max`` of a training run."""

    loss: np.ndarray
    lambda_min: np.ndarray
    lambda_max: np.ndarray


def spectrum_during_training(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    total_epoch: int,
    batch_size: int,
    seed: int = 0,
    num_iterations: int = 30,
) -> Spectrum:
    """Train as :func:`dldemos.train.train` does (same shuffling for the same ``seed``, so
    the weights are the same), and after every epoch measure the loss on ``(X, Y)`` and the
    extreme eigenvalues of its Hessian by :func:`lanczos_extreme_eigenvalues`."""
    size = sum(p.size for p in model.param_dict.values())

    def measure():
        ritz = lanczos_extreme_eigenvalues(
            lambda v: hessian_vector_product(model, X, Y, v), size, num_iterations, seed
        )
        return float(model.loss(Y, model.forward(X))), ritz[0], ritz[-1]

    rng, rows = make_rng(seed), [measure()]
    for _ in range(total_epoch):
        for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng=rng):
            train_step(model, optimizer, X_t, Y_t)
        optimizer.increase_epoch()
        rows.append(measure())
    loss, lambda_min, lambda_max = map(np.array, zip(*rows))
    return Spectrum(loss, lambda_min, lambda_max)
