"""The edge of stability: how the sharpness of a network follows the learning rate (chapter 8).

On a quadratic, gradient descent is stable only while ``alpha * lambda_max < 2``: the
*sharpness* ``lambda_max``, the top eigenvalue of the Hessian, must stay below ``2 / alpha``.
Cohen, Kaur, Li, Kolter & Talwalkar (*Gradient Descent on Neural Networks Typically Occurs at
the Edge of Stability*, ICLR 2021) measured the sharpness of networks along full-batch
gradient descent and found two phases: *progressive sharpening*, where ``lambda_max`` grows
while training, until it reaches ``2 / alpha``; then the *edge of stability*, where it hovers
at ``2 / alpha`` and the loss keeps falling, though not monotonically.

The sharpness is measured by **power iteration on Hessian-vector products**: repeat
``v <- H v / |H v|``; ``v^T H v`` tends to the eigenvalue of largest magnitude. ``H v`` never
forms ``H``: it is the gradient of ``g(theta) . v`` (Pearlmutter 1994), two backward passes.
PyTorch's autograd computes it (``torch.autograd.grad`` with ``create_graph=True``).

Why not :mod:`dldemos.hessian` (chapter 5), which does the same kind of thing: chapter 5
works on the book's NumPy ``DeepNetwork``, whose readers see every line in NumPy; it needs
*both* extreme eigenvalues (a negative ``lambda_min`` is a saddle), which is Lanczos' job,
and it gets ``H v`` from a central difference of two NumPy gradients (error ``O(eps^2)``).
Here the network is a PyTorch module trained full-batch, only the top eigenvalue is wanted
(positive, and the largest in size, so power iteration finds it), at many points along one
run, where a warm start from the previous ``v`` makes a few iterations enough, and
autograd's exact ``H v`` keeps the measured ``lambda_max`` free of a difference step that
would have to be tuned against ``2 / alpha``. Sharing one module would put torch into
chapter 5 or a difference quotient into chapter 8's measurement.
"""

from __future__ import annotations

import numpy as np
import torch

from dldemos.seeding import manual_seed

__all__ = ["top_hessian_eigenvalue", "gd_with_sharpness"]


def top_hessian_eigenvalue(loss_fn, params, v=None, iterations: int = 20):
    """``(lambda, v)``: the top eigenvalue of the Hessian of ``loss_fn()`` with respect to
    ``params`` by ``iterations`` steps of power iteration on Hessian-vector products, started
    from ``v`` (a list of tensors shaped like ``params``; random when None) and returned for
    a warm start at the next call."""
    if v is None:
        v = [torch.randn_like(p) for p in params]
    eigenvalue = float("nan")
    for _ in range(iterations):
        gradients = torch.autograd.grad(loss_fn(), params, create_graph=True)
        g_dot_v = sum((g * u).sum() for g, u in zip(gradients, v))
        Hv = torch.autograd.grad(g_dot_v, params)
        eigenvalue = float(sum((h * u).sum() for h, u in zip(Hv, v)))  # v has norm 1
        norm = torch.sqrt(sum((h**2).sum() for h in Hv))
        v = [h / norm for h in Hv]
    return eigenvalue, v


def gd_with_sharpness(
    X: np.ndarray,
    Y: np.ndarray,
    alpha: float,
    num_steps: int,
    every: int = 25,
    hidden: int = 64,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Full-batch gradient descent at rate ``alpha`` on a ``64 -> hidden -> 10`` tanh network
    with the mean squared error to one-hot labels (Cohen et al.'s setting; float64), from
    ``X`` of shape ``(n_x, m)`` and integer labels ``Y`` of shape ``(1, m)``.

    Returns ``"loss"`` (every step, before the update), ``"sharpness_step"`` and
    ``"sharpness"`` (``lambda_max`` every ``every`` steps; 30 power iterations the first
    time, 10 warm-started ones after).
    """
    manual_seed(seed)
    inputs = torch.tensor(X.T, dtype=torch.float64)
    targets = torch.nn.functional.one_hot(torch.tensor(Y[0], dtype=torch.long), 10).double()
    net = torch.nn.Sequential(
        torch.nn.Linear(X.shape[0], hidden), torch.nn.Tanh(), torch.nn.Linear(hidden, 10)
    ).double()
    params = list(net.parameters())
    loss_fn = lambda: 0.5 * ((net(inputs) - targets) ** 2).sum(dim=1).mean()
    losses, steps, sharpness, v = [], [], [], None
    for t in range(num_steps):
        if t % every == 0:
            eigenvalue, v = top_hessian_eigenvalue(loss_fn, params, v, 30 if v is None else 10)
            steps.append(t)
            sharpness.append(eigenvalue)
        loss = loss_fn()
        gradients = torch.autograd.grad(loss, params)
        losses.append(float(loss.detach()))
        with torch.no_grad():
            for p, g in zip(params, gradients):
                p -= alpha * g
    return {
        "loss": np.array(losses),
        "sharpness_step": np.array(steps),
        "sharpness": np.array(sharpness),
    }
