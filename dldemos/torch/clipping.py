"""Gradient clipping in PyTorch, from scratch (chapter 9; NumPy version: ``dldemos.clipping``).

``clip_grad_norm`` and ``clip_grad_value`` do what ``torch.nn.utils.clip_grad_norm_`` and
``clip_grad_value_`` do, in a few readable lines, on whatever device the gradients live:
call them between ``loss.backward()`` and ``optimizer.step()``.
"""

from __future__ import annotations

from collections.abc import Iterable

import torch

__all__ = ["clip_grad_norm", "clip_grad_value"]


def _grads(parameters) -> list[torch.Tensor]:
    if isinstance(parameters, torch.Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


@torch.no_grad()
def clip_grad_norm(
    parameters: Iterable[torch.Tensor] | torch.Tensor, max_norm: float
) -> torch.Tensor:
    """Scale every ``p.grad`` by ``min(1, max_norm / (n + 1e-6))``, ``n`` the global 2-norm of
    all gradients together; return ``n`` (before clipping)."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm!r}")
    grads = _grads(parameters)
    if not grads:
        return torch.tensor(0.0)
    norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads]))
    scale = torch.clamp(max_norm / (norm + 1e-6), max=1.0)
    for g in grads:
        g.mul_(scale.to(g.dtype))
    return norm


@torch.no_grad()
def clip_grad_value(parameters: Iterable[torch.Tensor] | torch.Tensor, clip_value: float) -> None:
    """Clip every entry of every ``p.grad`` to ``[-clip_value, clip_value]``."""
    if not clip_value > 0:
        raise ValueError(f"clip_value must be > 0, got {clip_value!r}")
    for g in _grads(parameters):
        g.clamp_(-clip_value, clip_value)
