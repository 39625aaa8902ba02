"""The learning-rate range test for PyTorch models (chapter 4's test, chapter 6's tools).

The same test as ``dldemos.lr_finder`` (Smith 2017; fast.ai's stopping and smoothing rules),
driving a ``torch.optim`` optimizer: for ``num_steps`` steps the rate of every parameter group
grows exponentially from ``min_lr`` to ``max_lr``,

    lr_i = min_lr * (max_lr / min_lr) ** (i / (num_steps - 1)),

each mini-batch loss is smoothed by a bias-corrected EWMA (chapter 2), and the test stops once
the smoothed loss exceeds ``diverge_factor`` times the best one (or a loss is not finite). The
result and its ``suggestion`` (steepest descent of the smoothed loss) are those of the NumPy
version, so the book reads and plots both the same way.

The test trains the model, so it works on borrowed state: the model's and the optimizer's
``state_dict`` (rates and momentum buffers included) are copied before and loaded back after,
and a ``DeviceBatchIterator``'s epoch counter is put back. The model leaves as it came in.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Iterator

import torch
from torch import nn

from dldemos.lr_finder import LossSweep, LRRangeTestResult

__all__ = ["lr_range_test", "LRRangeTestResult"]


def _endless(batches: Iterable) -> Iterator:
    while True:
        empty = True
        for batch in batches:
            empty = False
            yield batch
        if empty:
            raise ValueError("train_iter yielded no batch")


def lr_range_test(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    train_iter: Iterable,
    loss_fn=None,
    min_lr: float = 1e-7,
    max_lr: float = 10.0,
    num_steps: int = 100,
    smoothing: float = 0.98,
    diverge_factor: float = 4.0,
    skip_start: int = 10,
) -> LRRangeTestResult:
    """Sweep the rate of every group of ``optimizer`` from ``min_lr`` to ``max_lr``.

    ``train_iter`` yields ``(xb, yb)`` mini-batches (a ``DeviceBatchIterator`` or a
    ``DataLoader``), reused as often as needed; ``loss_fn`` defaults to cross-entropy.
    ``smoothing`` is the EWMA's beta, ``skip_start`` the number of first steps left out when
    choosing the suggestion. Returns ``dldemos.lr_finder.LRRangeTestResult`` (``lrs``,
    ``losses``, ``smoothed_losses``, ``suggestion``, ``diverged``, ``min_loss_lr``).
    """
    if not (0 < min_lr < max_lr and math.isfinite(max_lr)):
        raise ValueError(
            f"need 0 < min_lr < max_lr < inf, got min_lr={min_lr!r}, max_lr={max_lr!r}"
        )
    if not isinstance(num_steps, int) or num_steps < 2:
        raise ValueError(f"num_steps must be an integer >= 2, got {num_steps!r}")
    if not 0 <= smoothing < 1:
        raise ValueError(f"smoothing must lie in [0, 1), got {smoothing!r}")
    if not diverge_factor > 1:
        raise ValueError(f"diverge_factor must be > 1, got {diverge_factor!r}")
    loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    device = next(model.parameters()).device

    saved_model = copy.deepcopy(model.state_dict())
    saved_optimizer = copy.deepcopy(optimizer.state_dict())
    saved_epoch, saved_mode = getattr(train_iter, "epoch", None), model.training
    sweep = LossSweep(smoothing, diverge_factor)
    batches = _endless(train_iter)
    model.train()
    try:
        for step in range(num_steps):
            lr = min_lr * (max_lr / min_lr) ** (step / (num_steps - 1))
            for group in optimizer.param_groups:
                group["lr"] = lr
            xb, yb = next(batches)
            optimizer.zero_grad()
            loss = loss_fn(model(xb.to(device)), yb.to(device))
            if sweep.stop_after(lr, loss.item()):
                break
            loss.backward()
            optimizer.step()
    finally:
        model.load_state_dict(saved_model)
        optimizer.load_state_dict(saved_optimizer)
        optimizer.zero_grad()
        model.train(saved_mode)
        if saved_epoch is not None and hasattr(train_iter, "set_epoch"):
            train_iter.set_epoch(saved_epoch)

    return sweep.result(skip_start)
