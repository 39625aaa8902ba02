"""The NumPy training loop, its history, and checkpoints that resume bit for bit.

One training step is the four lines every chapter uses (chapter 1):

    Y_hat = model.forward(X_t)
    model.backward(Y_t)
    optimizer.zero_grad(); optimizer.add_grad(model.get_grad_dict())
    optimizer.step()

``train`` runs them over mini-batches that are reshuffled every epoch by one seeded
``np.random.Generator`` (the last, smaller batch included), calls
``optimizer.increase_epoch()`` after each epoch (that is what moves an epoch-based learning-rate
schedule), evaluates the whole training and dev sets, and records everything in a ``History``.

A checkpoint is a single ``.npz`` file that ``np.load(path, allow_pickle=False)`` reads:

=============================  ==========================================================
key                            content
=============================  ==========================================================
``format_version``             ``CHECKPOINT_FORMAT_VERSION``
``model/<key>``                ``model.state_dict()`` (``W1``, ``b1``, ...)
``optimizer/<key>``            ``optimizer.state_dict()`` (``epoch``, ``num_step``, ``v/W1``, ...)
``history/<field>``            the ``History`` lists as arrays
``rng/bit_generator_state``    the shuffling generator's state as JSON text (PCG64's state
                               is a 128-bit integer, which no NumPy dtype holds)
``extra/<key>``                anything else passed to ``save_checkpoint``
=============================  ==========================================================

It is written atomically: into a temporary file in the same directory, flushed to disk,
then renamed over the old one, so a crash mid-save leaves the previous checkpoint intact.
Because the generator state, the optimizer state (schedule position included) and the
history are all saved, a run interrupted after ``k`` epochs and resumed with
``train(..., resume_from=path)`` ends with exactly the parameters and history of a run that
never stopped (only ``wall_time`` differs).
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from dldemos.data import random_mini_batches
from dldemos.files import atomic_write
from dldemos.seeding import make_rng
from dldemos.threads import one_blas_thread

CHECKPOINT_FORMAT_VERSION = 1
_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")


@dataclass
class History:
    """What ``train`` records. Per step: ``step_loss`` (mini-batch loss before the update)
    and ``step_lr`` (the learning rate of that update). Per epoch (one entry each):
    ``epoch`` (1, 2, ...), ``lr`` (rate at the epoch's first step), ``train_loss`` /
    ``train_accuracy`` on the whole training set after the epoch, ``dev_loss`` /
    ``dev_accuracy`` (empty without a dev set) and ``wall_time`` (seconds since the run began).
    """

    step_loss: list[float] = field(default_factory=list)
    step_lr: list[float] = field(default_factory=list)
    epoch: list[int] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    dev_loss: list[float] = field(default_factory=list)
    dev_accuracy: list[float] = field(default_factory=list)
    wall_time: list[float] = field(default_factory=list)

    @property
    def epochs_done(self) -> int:
        return len(self.epoch)

    def as_arrays(self) -> dict[str, np.ndarray]:
        """Every field as a NumPy array (``epoch`` as int64, the rest as float64)."""
        return {
            f.name: np.asarray(
                getattr(self, f.name), dtype=np.int64 if f.name == "epoch" else np.float64
            )
            for f in dataclasses.fields(self)
        }

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray]) -> History:
        names = [f.name for f in dataclasses.fields(cls)]
        missing = [name for name in names if name not in arrays]
        if missing:
            raise KeyError(f"history is missing field {missing[0]!r} (expected {names})")
        unknown = [name for name in arrays if name not in names]
        if unknown:
            raise KeyError(f"history has unknown field {unknown[0]!r} (expected {names})")
        return cls(**{name: np.asarray(arrays[name]).ravel().tolist() for name in names})


@dataclass
class Checkpoint:
    """What ``load_checkpoint`` returns besides filling the model and optimizer."""

    history: History | None
    rng: np.random.Generator | None
    extra: dict[str, Any]


# --------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------


def _rng_to_text(rng: np.random.Generator) -> np.ndarray:
    state = rng.bit_generator.state
    if state["bit_generator"] not in _BIT_GENERATORS:
        raise TypeError(
            f"cannot store a generator with bit generator {state['bit_generator']!r}; "
            f"supported: {_BIT_GENERATORS}"
        )
    return np.array(json.dumps(state, default=lambda array: array.tolist()))


def _rng_from_text(text: str) -> np.random.Generator:
    state = json.loads(text)
    name = state.get("bit_generator")
    if name not in _BIT_GENERATORS:
        raise ValueError(
            f"unknown bit generator {name!r} in checkpoint; supported: {_BIT_GENERATORS}"
        )
    bit_generator = getattr(np.random, name)()
    bit_generator.state = state
    return np.random.Generator(bit_generator)


def save_checkpoint(
    path,
    model,
    optimizer,
    history: History | None = None,
    rng: np.random.Generator | None = None,
    **extra,
) -> None:
    """Write model, optimizer, history, generator state and ``extra`` arrays to one ``.npz``.

    Missing parent directories are created. The file is replaced atomically
    (:func:`dldemos.files.atomic_write`): if anything fails, the previous file at ``path`` is
    left as it was. ``extra`` values must be numbers,
    strings or non-object arrays (nothing is pickled).
    """
    arrays: dict[str, np.ndarray] = {"format_version": np.array(CHECKPOINT_FORMAT_VERSION)}
    arrays.update({f"model/{key}": value for key, value in model.state_dict().items()})
    if optimizer is not None:
        arrays.update(
            {f"optimizer/{key}": np.asarray(value) for key, value in optimizer.state_dict().items()}
        )
    if history is not None:
        arrays.update({f"history/{key}": value for key, value in history.as_arrays().items()})
    if rng is not None:
        arrays["rng/bit_generator_state"] = _rng_to_text(rng)
    for key, value in extra.items():
        value = np.asarray(value)
        if value.dtype == object:
            raise TypeError(
                f"extra value {key!r} has dtype object; checkpoints store only numbers, "
                f"strings and numeric arrays (no pickle)"
            )
        arrays[f"extra/{key}"] = value

    with atomic_write(path) as file:
        np.savez(file, allow_pickle=False, **arrays)


def _read_checkpoint(path) -> dict[str, dict[str, Any]]:
    """Read and parse every section of a checkpoint; touches no model or optimizer."""
    path = os.fspath(path)
    try:
        with np.load(path, allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
    except FileNotFoundError:
        raise
    except Exception as err:  # zipfile, zlib, format and pickle errors all mean "unreadable"
        raise ValueError(
            f"cannot read checkpoint {path!r}: the file is truncated or corrupt "
            f"({type(err).__name__}: {err})"
        ) from err
    if "format_version" not in arrays:
        raise ValueError(f"{path!r} is not a dldemos checkpoint (it has no 'format_version' entry)")
    version = int(arrays.pop("format_version"))
    if version != CHECKPOINT_FORMAT_VERSION:
        raise ValueError(
            f"checkpoint {path!r} has format version {version}; "
            f"this code reads version {CHECKPOINT_FORMAT_VERSION}"
        )
    sections: dict[str, dict[str, Any]] = {
        "model": {},
        "optimizer": {},
        "history": {},
        "rng": {},
        "extra": {},
    }
    for key, value in arrays.items():
        section, _, name = key.partition("/")
        if section not in sections or not name:
            raise ValueError(f"checkpoint {path!r} has an unexpected entry {key!r}")
        sections[section][name] = value
    if not sections["model"]:
        raise ValueError(f"checkpoint {path!r} holds no model state")
    try:
        history = History.from_arrays(sections["history"]) if sections["history"] else None
        rng = (
            _rng_from_text(str(sections["rng"]["bit_generator_state"])) if sections["rng"] else None
        )
    except (KeyError, ValueError, TypeError) as err:
        raise ValueError(f"checkpoint {path!r}: {err.args[0] if err.args else err}") from err
    sections["parsed"] = {
        "history": history,
        "rng": rng,
        "extra": {k: v.item() if v.ndim == 0 else v for k, v in sections["extra"].items()},
    }
    sections["path"] = path
    return sections


def _apply_checkpoint(sections, model, optimizer) -> Checkpoint:
    """Load the model (and optimizer) state; on any error restore both and re-raise."""
    path = sections["path"]
    if optimizer is not None and not sections["optimizer"]:
        raise ValueError(f"checkpoint {path!r} holds no optimizer state")
    model_backup = model.state_dict()
    optimizer_backup = optimizer.state_dict() if optimizer is not None else None
    try:
        model.load_state_dict(sections["model"])
        if optimizer is not None:
            optimizer.load_state_dict(sections["optimizer"])
    except Exception as err:
        model.load_state_dict(model_backup)
        if optimizer is not None:
            optimizer.load_state_dict(optimizer_backup)
        if not isinstance(err, (KeyError, ValueError, TypeError)):
            raise
        message = err.args[0] if err.args else repr(err)
        raise type(err)(f"checkpoint {path!r} does not fit: {message}") from err
    return Checkpoint(**sections["parsed"])


def load_checkpoint(path, model, optimizer=None) -> Checkpoint:
    """Restore ``model`` (and ``optimizer``) from a ``save_checkpoint`` file.

    Returns the stored history, shuffling generator and extra values (``None`` / empty
    where the file has none). An unreadable file raises ``ValueError`` naming it; a state
    that does not fit (another architecture, another optimizer) raises the model's or
    optimizer's error prefixed with the file name. Either way ``model`` and ``optimizer``
    are left exactly as they were.
    """
    return _apply_checkpoint(_read_checkpoint(path), model, optimizer)


# --------------------------------------------------------------------------------------
# Training loop
# --------------------------------------------------------------------------------------


@one_blas_thread()  # small matrices: one BLAS thread is faster (see dldemos.threads)
def train_step(model, optimizer, X_t: np.ndarray, Y_t: np.ndarray) -> float:
    """One step of mini-batch gradient descent on ``(X^{t}, Y^{t})``.

    Forward, backward, hand the gradients to the optimizer, update; returns the batch's loss
    *before* the update (the number a per-step loss curve shows).
    """
    loss = float(model.loss(Y_t, model.forward(X_t)))
    model.backward(Y_t)
    optimizer.zero_grad()
    optimizer.add_grad(model.get_grad_dict())
    optimizer.step()
    return loss


@one_blas_thread()  # the whole run, evaluations included (see dldemos.threads)
def train(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    total_epoch: int,
    batch_size: int,
    dev_X: np.ndarray | None = None,
    dev_Y: np.ndarray | None = None,
    seed: int = 0,
    progress: bool = True,
    log_every: int | None = None,
    checkpoint_path=None,
    checkpoint_every: int = 1,
    resume_from=None,
) -> History:
    """Train ``model`` with ``optimizer`` by mini-batch gradient descent; return the ``History``.

    Parameters
    ----------
    total_epoch
        Length of the whole run in epochs. When resuming, the epochs stored in the
        checkpoint count: ``train(..., total_epoch=20, resume_from=p)`` on a checkpoint
        written after 8 epochs trains 12 more.
    batch_size
        Examples per mini-batch; the last batch of an epoch holds the remainder.
    dev_X, dev_Y
        Optional held-out set, evaluated after every epoch.
    seed
        Seed of the generator that shuffles the examples before every epoch
        (ignored when resuming: the checkpoint holds the generator's state).
    progress
        Show a progress bar over epochs.
    log_every
        Print a line with losses and accuracies every this many epochs (``None``: never).
    checkpoint_path, checkpoint_every
        Save a checkpoint every ``checkpoint_every`` epochs and after the last one.
    resume_from
        A checkpoint written by ``train``: restores model, optimizer, history and generator,
        then continues as if the run had never stopped.
    """
    if not isinstance(total_epoch, (int, np.integer)) or total_epoch < 0:
        raise ValueError(f"total_epoch must be a non-negative integer, got {total_epoch!r}")
    if not isinstance(checkpoint_every, (int, np.integer)) or checkpoint_every < 1:
        raise ValueError(f"checkpoint_every must be a positive integer, got {checkpoint_every!r}")
    if log_every is not None and (not isinstance(log_every, (int, np.integer)) or log_every < 1):
        raise ValueError(f"log_every must be a positive integer or None, got {log_every!r}")
    if (dev_X is None) != (dev_Y is None):
        raise ValueError("pass both dev_X and dev_Y, or neither")
    m = np.shape(X)[1] if np.ndim(X) == 2 else None
    run_settings = {"batch_size": batch_size, "num_examples": m}

    if resume_from is not None:
        sections = _read_checkpoint(resume_from)
        parsed = sections["parsed"]
        if parsed["history"] is None or parsed["rng"] is None:
            raise ValueError(
                f"checkpoint {os.fspath(resume_from)!r} was not written by train() "
                f"(it lacks the history or the shuffling generator), so it cannot resume a run"
            )
        for name, value in run_settings.items():
            stored = parsed["extra"].get(name)
            if stored != value:
                raise ValueError(
                    f"checkpoint {os.fspath(resume_from)!r} was trained with {name}={stored}, "
                    f"this call has {name}={value}; resuming needs the same data and batching"
                )
        if (
            bool(parsed["history"].dev_loss) != (dev_X is not None)
            and parsed["history"].epochs_done
        ):
            raise ValueError(
                f"checkpoint {os.fspath(resume_from)!r} was trained "
                f"{'with' if parsed['history'].dev_loss else 'without'} a dev set; "
                f"pass the same dev_X/dev_Y when resuming"
            )
        loaded = _apply_checkpoint(sections, model, optimizer)
        history, rng = loaded.history, loaded.rng
    else:
        history, rng = History(), make_rng(seed)

    first_epoch = history.epochs_done
    time_before = history.wall_time[-1] if history.wall_time else 0.0
    start = time.perf_counter()
    bar = tqdm(
        range(first_epoch, total_epoch),
        initial=first_epoch,
        total=total_epoch,
        desc="epoch",
        unit="epoch",
        disable=not progress,
    )
    for epoch in bar:
        history.lr.append(float(optimizer.learning_rate))
        for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng=rng):
            history.step_lr.append(float(optimizer.learning_rate))
            history.step_loss.append(train_step(model, optimizer, X_t, Y_t))
        optimizer.increase_epoch()

        train_accuracy, train_loss = model.evaluate(X, Y, return_loss=True)
        history.epoch.append(epoch + 1)
        history.train_loss.append(train_loss)
        history.train_accuracy.append(train_accuracy)
        summary = {"loss": f"{train_loss:.4f}", "acc": f"{train_accuracy:.3f}"}
        if dev_X is not None:
            dev_accuracy, dev_loss = model.evaluate(dev_X, dev_Y, return_loss=True)
            history.dev_loss.append(dev_loss)
            history.dev_accuracy.append(dev_accuracy)
            summary.update(dev_loss=f"{dev_loss:.4f}", dev_acc=f"{dev_accuracy:.3f}")
        history.wall_time.append(time_before + time.perf_counter() - start)
        bar.set_postfix(summary, refresh=False)

        if log_every is not None and (epoch + 1) % log_every == 0:
            tqdm.write(
                f"epoch {epoch + 1}/{total_epoch}: "
                + ", ".join(f"{name} {value}" for name, value in summary.items())
                + f", lr {history.lr[-1]:.3g}"
            )
        if checkpoint_path is not None and (
            (epoch + 1) % checkpoint_every == 0 or epoch + 1 == total_epoch
        ):
            save_checkpoint(
                checkpoint_path, model, optimizer, history=history, rng=rng, **run_settings
            )
    bar.close()
    return history
