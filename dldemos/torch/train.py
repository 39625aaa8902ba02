"""The PyTorch training loop of chapters 6 and 7: schedulers, progress bar, live plot, checkpoints.

One epoch is the loop every PyTorch program has::

    for xb, yb in train_iter:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        scheduler.step()          # scheduler_interval="step"
    scheduler.step()              # scheduler_interval="epoch" (ReduceLROnPlateau: step(dev_loss))

``scheduler.step()`` always comes *after* ``optimizer.step()``, the order PyTorch documents
since 1.1: a scheduler sets the rate of the *next* step when it is created, so the first step
uses the initial rate and stepping the scheduler first would skip it (PyTorch warns "Detected
call of ``lr_scheduler.step()`` before ``optimizer.step()``").

Losses and accuracies are summed on the device and read once per epoch (every ``log_every``
steps for the progress bar), so the GPU is never made to wait for Python after each batch.
"""

from __future__ import annotations

import copy
import dataclasses
import math
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import nn
from torch.optim.lr_scheduler import ReduceLROnPlateau

import dldemos.train
from dldemos.files import atomic_write

__all__ = [
    "History",
    "LivePlot",
    "default_device",
    "evaluate",
    "train",
    "save_checkpoint",
    "load_checkpoint",
    "minimize_with_closure",
    "weight_gap_per_step",
]

SCHEDULER_INTERVALS = ("epoch", "step")


def default_device() -> torch.device:
    """``cuda`` when a GPU is available, else ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


@dataclass
class History(dldemos.train.History):
    """What ``train`` records: the fields of the NumPy :class:`dldemos.train.History`.

    Two differences, both for speed on large data: ``train_loss`` / ``train_accuracy`` are
    averaged over the epoch's mini-batches while training (as the seed's loop does: no extra
    pass over the data), and ``dev_loss`` / ``dev_accuracy`` are NaN without dev data.
    ``step_lr`` and ``lr`` are the rates of the first parameter group; ``wall_time`` counts
    evaluation too, and a resumed run continues the count. Accuracy is NaN when the targets
    are not class labels.
    """

    def state_dict(self) -> dict[str, list]:
        return dataclasses.asdict(self)

    @classmethod
    def from_state_dict(cls, state: dict[str, list]) -> History:
        names = {f.name for f in dataclasses.fields(cls)}
        if set(state) != names:
            raise KeyError(f"a History needs exactly the keys {sorted(names)}, got {sorted(state)}")
        return cls(**{name: list(values) for name, values in state.items()})


def _correct_count(scores: torch.Tensor, target: torch.Tensor) -> torch.Tensor | None:
    """How many rows of ``scores`` have their maximum at the label; None if not a classification."""
    if scores.ndim != 2 or target.ndim != 1 or target.is_floating_point():
        return None
    return (scores.argmax(dim=1) == target).sum()


def _batches(data) -> Iterable:
    """``(X, Y)`` tensors as one batch, or any iterable of ``(xb, yb)`` batches as it is."""
    if isinstance(data, tuple) and len(data) == 2 and all(map(torch.is_tensor, data)):
        return [data]
    return data


@torch.no_grad()
def evaluate(model: nn.Module, data, loss_fn=None, batch_size: int = 1024) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` on ``data`` (``(X, Y)`` tensors or an iterable of
    batches), in evaluation mode; the model's mode is restored afterwards."""
    loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    device = next(model.parameters()).device
    was_training = model.training
    model.eval()
    loss_sum, correct, count, is_classification = 0.0, 0, 0, True
    try:
        for X, Y in _batches(data):
            for start in range(0, X.shape[0], batch_size):
                xb = X[start : start + batch_size].to(device, non_blocking=True)
                yb = Y[start : start + batch_size].to(device, non_blocking=True)
                scores = model(xb)
                loss_sum = loss_sum + loss_fn(scores, yb) * xb.shape[0]
                hits = _correct_count(scores, yb)
                is_classification = is_classification and hits is not None
                correct = correct + (hits if hits is not None else 0)
                count += xb.shape[0]
    finally:
        model.train(was_training)
    if count == 0:
        raise ValueError("evaluate() got no examples")
    accuracy = float(correct) / count if is_classification else math.nan
    return float(loss_sum) / count, accuracy


def _in_notebook() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and "IPKernelApp" in shell.config


class LivePlot:
    """Loss and accuracy curves redrawn after every epoch in a Jupyter notebook.

    The figure is shown once through a display handle and updated in place
    (``handle.update(fig)``), which also works when a notebook is executed headless. Outside a
    notebook (a script, pytest, CI) there is nothing to redraw and every call does nothing.
    """

    def __init__(self) -> None:
        self.handle = None
        if not _in_notebook():
            return
        import matplotlib.pyplot as plt
        from IPython.display import display

        self.fig, (self.ax_loss, self.ax_acc) = plt.subplots(1, 2, figsize=(10, 3.5))
        plt.close(self.fig)  # shown through the handle only, not a second time at the cell's end
        self.handle = display(self.fig, display_id=True)

    def update(self, history: History, steps_per_epoch: int) -> None:
        if self.handle is None:
            return
        self.ax_loss.clear()
        self.ax_acc.clear()
        steps = range(1, len(history.step_loss) + 1)
        self.ax_loss.plot(
            [s / steps_per_epoch for s in steps],
            history.step_loss,
            lw=0.5,
            alpha=0.4,
            label="mini-batch loss",
        )
        self.ax_loss.plot(history.epoch, history.train_loss, "o-", label="train loss")
        self.ax_acc.plot(history.epoch, history.train_accuracy, "o-", label="train accuracy")
        if not all(math.isnan(x) for x in history.dev_loss):
            self.ax_loss.plot(history.epoch, history.dev_loss, "s-", label="dev loss")
            self.ax_acc.plot(history.epoch, history.dev_accuracy, "s-", label="dev accuracy")
        for ax, label in ((self.ax_loss, "loss"), (self.ax_acc, "accuracy")):
            ax.set_xlabel("epoch")
            ax.set_ylabel(label)
            ax.legend()
        self.fig.tight_layout()
        self.handle.update(self.fig)


def save_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    scheduler=None,
    epoch: int = 0,
    history: History | None = None,
) -> None:
    """Write model, optimizer and scheduler ``state_dict``s, ``epoch``, history and the CPU
    random state to ``path`` atomically (:func:`dldemos.files.atomic_write`): a crash never
    leaves a half-written checkpoint."""
    state = {
        "epoch": epoch,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": None if scheduler is None else scheduler.state_dict(),
        "history": None if history is None else history.state_dict(),
        "torch_rng": torch.get_rng_state(),
    }
    with atomic_write(path) as file:
        torch.save(state, file)


def load_checkpoint(
    path: str | os.PathLike,
    model: nn.Module,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler=None,
) -> tuple[int, History | None]:
    """Load a ``save_checkpoint`` file into ``model`` (and ``optimizer``, ``scheduler``); restore
    the CPU random state; return ``(epoch, history)``. Read with ``weights_only=True``: a
    checkpoint cannot run code."""
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state["model"])
    if optimizer is not None:
        optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        if state["scheduler"] is None:
            raise KeyError(f"{path} holds no scheduler state, but a scheduler was passed")
        scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    history = None if state["history"] is None else History.from_state_dict(state["history"])
    return state["epoch"], history


def train(
    model: nn.Module,
    optimizer: torch.optim.Optimizer,
    train_iter: Iterable,
    epochs: int,
    *,
    loss_fn=None,
    scheduler=None,
    scheduler_interval: str = "epoch",
    dev_data=None,
    progress: bool = True,
    live_plot: bool = False,
    checkpoint_path: str | os.PathLike | None = None,
    resume: bool = False,
    log_every: int = 50,
) -> History:
    """Train ``model`` for ``epochs`` epochs (in total, counting resumed ones); return the History.

    Parameters
    ----------
    train_iter
        Re-iterable mini-batches ``(xb, yb)``: a ``DeviceBatchIterator`` (its ``set_epoch`` is
        called before every epoch, which makes resuming exact) or a ``DataLoader``. Batches are
        moved to the model's device if they are elsewhere.
    loss_fn
        ``loss_fn(scores, yb)``; ``nn.CrossEntropyLoss()`` by default.
    scheduler, scheduler_interval
        A ``torch.optim.lr_scheduler`` object stepped after every ``optimizer.step()``
        (``"step"``) or after every epoch (``"epoch"``). ``ReduceLROnPlateau`` is stepped per
        epoch with the dev loss (the training loss without ``dev_data``).
    dev_data
        ``(X_dev, Y_dev)`` tensors or an iterable of batches, evaluated after every epoch.
    progress, live_plot, log_every
        A tqdm bar over all steps (its loss refreshed every ``log_every`` steps); loss and
        accuracy curves redrawn after every epoch in a notebook (nothing elsewhere).
    checkpoint_path, resume
        Save a checkpoint there after every epoch (``save_checkpoint``); with ``resume=True``
        and an existing file, load it first and continue after its epoch.
    """
    from tqdm.auto import tqdm

    if scheduler_interval not in SCHEDULER_INTERVALS:
        raise ValueError(
            f"scheduler_interval must be one of {SCHEDULER_INTERVALS}, got {scheduler_interval!r}"
        )
    plateau = isinstance(scheduler, ReduceLROnPlateau)
    if plateau and scheduler_interval != "epoch":
        raise ValueError("ReduceLROnPlateau needs an epoch's loss: use scheduler_interval='epoch'")
    if isinstance(log_every, bool) or not isinstance(log_every, int) or log_every < 1:
        raise ValueError(f"log_every must be a positive integer, got {log_every!r}")
    if resume and checkpoint_path is None:
        raise ValueError("resume=True needs a checkpoint_path to resume from")
    loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    device = next(model.parameters()).device

    start_epoch, history = 0, History()
    if resume and Path(checkpoint_path).exists():
        start_epoch, saved_history = load_checkpoint(checkpoint_path, model, optimizer, scheduler)
        history = saved_history if saved_history is not None else history
    steps_per_epoch = len(train_iter)
    plot = LivePlot() if live_plot else None
    bar = tqdm(total=(epochs - start_epoch) * steps_per_epoch, disable=not progress, unit="step")
    elapsed = history.wall_time[-1] if history.wall_time else 0.0
    try:
        for epoch in range(start_epoch, epochs):
            bar.set_description(f"epoch {epoch + 1}/{epochs}")
            if hasattr(train_iter, "set_epoch"):
                train_iter.set_epoch(epoch)
            started = time.perf_counter()
            model.train()
            history.lr.append(optimizer.param_groups[0]["lr"])
            losses, loss_sum, correct, count, is_classification = [], 0.0, 0, 0, True
            for step, (xb, yb) in enumerate(train_iter, start=1):
                xb, yb = xb.to(device, non_blocking=True), yb.to(device, non_blocking=True)
                history.step_lr.append(optimizer.param_groups[0]["lr"])
                optimizer.zero_grad()
                scores = model(xb)
                loss = loss_fn(scores, yb)
                loss.backward()
                optimizer.step()
                if scheduler is not None and scheduler_interval == "step":
                    scheduler.step()
                loss = loss.detach()
                losses.append(loss)
                loss_sum = loss_sum + loss * xb.shape[0]
                hits = _correct_count(scores.detach(), yb)
                is_classification = is_classification and hits is not None
                correct = correct + (hits if hits is not None else 0)
                count += xb.shape[0]
                bar.update()
                if step % log_every == 0:
                    bar.set_postfix(loss=f"{loss.item():.3f}")
            if count == 0:
                raise ValueError("train_iter yielded no batch in an epoch")
            history.step_loss += torch.stack(losses).tolist()
            history.epoch.append(epoch + 1)
            history.train_loss.append(float(loss_sum) / count)
            history.train_accuracy.append(float(correct) / count if is_classification else math.nan)
            dev_loss, dev_accuracy = (
                (math.nan, math.nan) if dev_data is None else evaluate(model, dev_data, loss_fn)
            )
            history.dev_loss.append(dev_loss)
            history.dev_accuracy.append(dev_accuracy)
            if scheduler is not None and scheduler_interval == "epoch":
                if plateau:
                    scheduler.step(history.train_loss[-1] if dev_data is None else dev_loss)
                else:
                    scheduler.step()
            elapsed += time.perf_counter() - started
            history.wall_time.append(elapsed)
            bar.set_postfix(
                loss=f"{history.train_loss[-1]:.3f}",
                acc=f"{history.train_accuracy[-1]:.3f}",
                dev_acc=f"{dev_accuracy:.3f}",
            )
            if plot is not None:
                plot.update(history, steps_per_epoch)
            if checkpoint_path is not None:
                save_checkpoint(checkpoint_path, model, optimizer, scheduler, epoch + 1, history)
    finally:
        bar.close()
    return history


def minimize_with_closure(
    model: nn.Module, make_optimizer, loss_of, evaluations: int
) -> tuple[np.ndarray, int]:
    """Minimise ``loss_of(model)`` with ``make_optimizer(model.parameters())`` through
    ``optimizer.step(closure)`` until the loss has been evaluated ``evaluations`` times.

    The closure is the one ``torch.optim.LBFGS`` needs: clear the gradients, compute the loss,
    call ``backward()``, return the loss. An optimizer may call it several times per step (a
    line search), so the fair unit of cost is the number of closure calls. Returns the losses
    of the first ``evaluations`` calls and the number of ``step()`` calls that made them.
    """
    if isinstance(evaluations, bool) or not isinstance(evaluations, int) or evaluations < 1:
        raise ValueError(f"evaluations must be a positive integer, got {evaluations!r}")
    optimizer = make_optimizer(model.parameters())
    losses = []

    def closure():
        optimizer.zero_grad()
        loss = loss_of(model)
        loss.backward()
        losses.append(loss.item())
        return loss

    steps = 0
    while len(losses) < evaluations:
        optimizer.step(closure)
        steps += 1
    return np.array(losses[:evaluations]), steps


def weight_gap_per_step(
    make_ours, make_reference, make_model, batches: Iterable, num_steps: int, loss_fn=None
) -> np.ndarray:
    """Train two copies of ``make_model()`` on the same mini-batches, one with
    ``make_ours(params)`` and one with ``make_reference(params)``; return, after every step,
    the largest absolute difference between their parameters (``num_steps`` values).

    The batches are re-iterated (one epoch after another) until ``num_steps`` steps are made.
    Zero at every step means the two optimizers are the same computation, rounding included.
    """
    if isinstance(num_steps, bool) or not isinstance(num_steps, int) or num_steps < 1:
        raise ValueError(f"num_steps must be a positive integer, got {num_steps!r}")
    loss_fn = nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    model = make_model()
    twin = copy.deepcopy(model)
    pairs = [(model, make_ours(model.parameters())), (twin, make_reference(twin.parameters()))]
    gaps = []
    while len(gaps) < num_steps:
        before = len(gaps)
        for xb, yb in batches:
            for network, optimizer in pairs:
                optimizer.zero_grad()
                loss_fn(network(xb), yb).backward()
                optimizer.step()
            gaps.append(
                max(
                    (p - q).abs().max().item()
                    for p, q in zip(model.parameters(), twin.parameters())
                )
            )
            if len(gaps) == num_steps:
                break
        if len(gaps) == before:
            raise ValueError("batches yielded no mini-batch")
    return np.array(gaps)
