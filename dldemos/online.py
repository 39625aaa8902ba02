"""Reddi et al.'s online problem, where Adam converges to the wrong point (chapter 9).

On ``x in [-1, 1]`` the loss of step ``t`` is ``f_t(x) = C x`` when ``t mod 3 == 1`` and
``-x`` otherwise (``C > 2``). On average the slope is ``(C - 2) / 3 > 0``, so the best fixed
point is ``x = -1``. A step moves against the gradient: ``C`` pushes ``x`` down, each ``-1``
pushes it up. Adam with a short memory for ``s`` (small ``beta2``) forgets the rare large
gradient ``C`` within a few steps: after dividing by ``sqrt(s_hat)`` it moves down on the one
step with gradient ``C`` only about as far as it moves up on each of the two steps with
gradient ``-1``, and it drifts to ``x = +1``, the *worst* point. AMSGrad divides by the largest ``s`` seen so
far, so the large gradient keeps counting and it finds ``x = -1``. Every step is followed by
the projection onto ``[-1, 1]`` (clipping ``x``).

Source: Reddi, Kale & Kumar, *On the Convergence of Adam and Beyond* (ICLR 2018), section 3.
"""

from __future__ import annotations

import numpy as np

__all__ = ["reddi_gradient", "run_online"]


def reddi_gradient(t: int, C: float = 3.0) -> float:
    """The gradient of ``f_t`` at any ``x``: ``C`` when ``t mod 3 == 1``, else ``-1`` (``t >= 1``)."""
    return C if t % 3 == 1 else -1.0


def run_online(
    make_optimizer, num_steps: int, C: float = 3.0, x0: float = 0.0, **settings
) -> np.ndarray:
    """Run an optimizer on the online problem, projecting onto ``[-1, 1]`` after each step;
    return ``x_0 .. x_num_steps``."""
    if not C > 2:
        raise ValueError(f"C must be > 2 (so that x = -1 is best), got {C!r}")
    x = np.array([float(x0)])
    optimizer = make_optimizer({"x": x}, **settings)
    path = [x[0]]
    for t in range(1, num_steps + 1):
        optimizer.zero_grad()
        optimizer.add_grad({"x": np.array([reddi_gradient(t, C)])})
        optimizer.step()
        np.clip(x, -1.0, 1.0, out=x)
        path.append(x[0])
    return np.array(path)
