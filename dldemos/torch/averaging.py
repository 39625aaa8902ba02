"""Averaging the weights in PyTorch, from scratch (chapter 9; NumPy version: ``dldemos.averaging``).

``WeightAverage`` keeps an averaged copy of a module beside it, like
``torch.optim.swa_utils.AveragedModel``: ``kind="ema"`` is the EMA of weights (``start="first"``
copies the first weights, as ``get_ema_multi_avg_fn(beta)`` does; ``start="zero"`` starts from 0
and reads the average with chapter 2's bias correction ``a / (1 - beta**n)``), ``kind="mean"``
the plain mean (Polyak averaging, or SWA when updated once per epoch), ``AveragedModel``'s
default. Call :meth:`update` after ``optimizer.step()``; evaluate with :attr:`module`.
"""

from __future__ import annotations

import copy

import torch

__all__ = ["WeightAverage"]


class WeightAverage:
    def __init__(
        self, model: torch.nn.Module, kind: str = "ema", beta: float = 0.99, start: str = "first"
    ):
        if kind not in ("ema", "mean"):
            raise ValueError(f"kind must be 'ema' or 'mean', got {kind!r}")
        if start not in ("first", "zero"):
            raise ValueError(f"start must be 'first' or 'zero', got {start!r}")
        if not 0 <= beta < 1:
            raise ValueError(f"beta must lie in [0, 1), got {beta!r}")
        self.kind, self.beta, self.start, self.n = kind, float(beta), start, 0
        self._average = [torch.zeros_like(p) for p in model.parameters()]
        self.module = copy.deepcopy(model)

    @torch.no_grad()
    def update(self, model: torch.nn.Module) -> None:
        self.n += 1
        for a, p in zip(self._average, model.parameters(), strict=True):
            if self.kind == "mean" or (self.start == "first" and self.n == 1):
                a.add_((p - a) / (self.n if self.kind == "mean" else 1))
            else:
                a.mul_(self.beta).add_(p, alpha=1 - self.beta)
        correction = 1 - self.beta**self.n if (self.kind, self.start) == ("ema", "zero") else 1.0
        for target, a in zip(self.module.parameters(), self._average, strict=True):
            target.copy_(a / correction)
