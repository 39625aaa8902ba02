"""Averaging the weights in PyTorch, from scratch (chapter 9; NumPy version: ``dldemos.averaging``).

``WeightAverage`` keeps an averaged copy of a module beside it, like
``torch.optim.swa_utils.AveragedModel``: ``kind="ema"`` is the EMA of weights (``start="first"``
copies the first weights, as ``get_ema_multi_avg_fn(beta)`` does; ``start="zero"`` starts from 0
and reads the average with chapter 2's bias correction ``theta_bar / (1 - beta**n)``), ``kind="mean"``
the plain mean (Polyak averaging, or SWA when updated once per epoch), ``AveragedModel``'s
default. Call :meth:`update` after ``optimizer.step()``; evaluate with :attr:`module`.

:func:`swa_batchnorm_effect` measures why SWA needs ``torch.optim.swa_utils.update_bn`` when the
network has batch normalisation: the averaged weights evaluated with the last iterate's running
statistics, with the average of the iterates' running statistics (``use_buffers=True``), and
with statistics recomputed for them.
"""

from __future__ import annotations

import copy

import torch

__all__ = ["WeightAverage", "swa_batchnorm_effect"]


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


def swa_batchnorm_effect(
    X,
    Y,
    X_dev,
    Y_dev,
    seed: int = 0,
    epochs: int = 20,
    swa_start: int = 10,
    lr: float = 0.3,
    batch_size: int = 32,
) -> dict[str, float]:
    """Dev losses of a ``64 -> 64 -> 64 -> 10`` ReLU network with batch normalisation after each
    hidden layer, trained with ``SGD(lr, momentum=0.9)`` on ``(X, Y)`` (rows are examples):

    * ``"last iterate"``: the trained network;
    * ``"SWA, last iterate's statistics"``: ``AveragedModel``'s mean of the weights after each
      epoch from ``swa_start`` on, with the running statistics it copies from the last iterate
      (``use_buffers=False``, the default);
    * ``"SWA, averaged statistics"``: the same mean of the weights from an
      ``AveragedModel(..., use_buffers=True)`` updated at the same times, which averages the
      buffers (the running means and variances) with the weights;
    * ``"SWA after update_bn"``: the weights of the first after ``update_bn`` recomputed the
      statistics in one pass over the training data.

    ``seed`` (moved by ``$DLDEMOS_SEED_SHIFT``) sets the initial weights and the batches."""
    from torch import nn
    from torch.optim.swa_utils import AveragedModel, update_bn

    from dldemos.seeding import manual_seed
    from dldemos.torch.data import DeviceBatchIterator

    if not 0 <= swa_start < epochs:
        raise ValueError(f"swa_start must lie in [0, {epochs}), got {swa_start}")
    manual_seed(seed)
    layers = [nn.Linear(X.shape[1], 64), nn.BatchNorm1d(64), nn.ReLU()]
    layers += [nn.Linear(64, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 10)]
    network = nn.Sequential(*layers)
    optimizer = torch.optim.SGD(network.parameters(), lr=lr, momentum=0.9)
    swa, loss_fn = AveragedModel(network), nn.CrossEntropyLoss()
    swa_buffers = AveragedModel(network, use_buffers=True)  # averages the statistics too
    batches = DeviceBatchIterator(X, Y, batch_size, seed=seed)  # shifts the seed itself
    for epoch in range(epochs):
        network.train()
        for xb, yb in batches:
            optimizer.zero_grad()
            loss_fn(network(xb), yb).backward()
            optimizer.step()
        if epoch >= swa_start:
            swa.update_parameters(network)
            swa_buffers.update_parameters(network)

    def dev_loss(model) -> float:
        model.eval()
        with torch.no_grad():
            return loss_fn(model(X_dev), Y_dev).item()

    losses = {"last iterate": dev_loss(network)}
    losses["SWA, last iterate's statistics"] = dev_loss(swa)
    losses["SWA, averaged statistics"] = dev_loss(swa_buffers)
    update_bn(DeviceBatchIterator(X, Y, batch_size, shuffle=False), swa)
    losses["SWA after update_bn"] = dev_loss(swa)
    return losses
