"""Data on the device: the whole training set moved once, mini-batches cut where it lives.

A ``torch.utils.data.DataLoader`` over a ``TensorDataset`` gathers every mini-batch on the
CPU, example by example in Python, and copies it to the GPU: for small images this costs far
more than the forward and backward pass of a small network. When the data set fits in device
memory (Fashion-MNIST's 60000 x 28 x 28 float32 pixels are 188 MB), ``DeviceBatchIterator``
moves it there once and draws each epoch's permutation on the device, so a mini-batch is a
single ``index_select`` kernel and no byte crosses the bus during training (chapter 1's "keep
the data in memory" experiment, one level further). ``benchmarks/gpu_bench.py`` measures it.

Layout: PyTorch's, one example per *row*: ``X`` of shape ``(m, ...)`` and ``Y`` of shape
``(m,)``; ``load_dataset`` transposes the NumPy chapters' ``(n_x, m)`` arrays.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from dldemos.seeding import shifted

__all__ = ["DeviceBatchIterator", "load_dataset", "seconds_per_pass", "DATASETS"]

DATASETS = ("digits", "fashion_mnist")


class DeviceBatchIterator:
    """Mini-batches ``(xb, yb)`` of ``(X, Y)``, which are moved to ``device`` once.

    Each pass (``iter``) is one epoch: with ``shuffle=True`` it draws a new permutation with
    ``torch.randperm`` on the device from a generator seeded by ``(seed, epoch)``, then cuts
    it into ``len(self)`` batches with ``index_select``; the last batch is smaller when
    ``batch_size`` does not divide ``m``, unless ``drop_last=True`` drops it. Without shuffling
    the batches are views of ``X`` and ``Y`` (no copy at all).

    Epochs count from 0 and advance by one per pass; ``set_epoch(e)`` makes the next pass
    epoch ``e`` (as ``DistributedSampler.set_epoch``), so a resumed run sees the same batches
    as one that never stopped. The same seed gives the same batches on the same device type;
    CPU and CUDA draw different permutations.
    """

    def __init__(
        self,
        X,
        Y,
        batch_size: int,
        device: str | torch.device | None = None,
        shuffle: bool = True,
        seed: int = 0,
        drop_last: bool = False,
    ) -> None:
        X, Y = torch.as_tensor(X), torch.as_tensor(Y)
        if X.ndim < 1 or Y.ndim < 1 or X.shape[0] != Y.shape[0]:
            raise ValueError(
                f"X and Y must hold the same number of examples along dimension 0, "
                f"got shapes {tuple(X.shape)} and {tuple(Y.shape)}"
            )
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, (int, np.integer))
            or batch_size < 1
        ):
            raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
        self.device = torch.device(device) if device is not None else X.device
        self.X, self.Y = X.to(self.device), Y.to(self.device)
        self.batch_size, self.shuffle, self.seed = int(batch_size), shuffle, seed
        self.drop_last = drop_last
        self.epoch = 0
        self._generator = torch.Generator(device=self.device)

    @property
    def num_examples(self) -> int:
        return self.X.shape[0]

    def __len__(self) -> int:
        if self.drop_last:
            return self.num_examples // self.batch_size
        return math.ceil(self.num_examples / self.batch_size)

    def set_epoch(self, epoch: int) -> None:
        """Make the next pass epoch ``epoch`` (its permutation depends on ``seed`` and ``epoch``)."""
        self.epoch = epoch

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        order = self._permutation(self.epoch) if self.shuffle else None
        self.epoch += 1
        return self._batches(order)

    def _permutation(self, epoch: int) -> torch.Tensor:
        # SeedSequence mixes (seed, epoch) into a well-spread 32-bit seed for this epoch.
        epoch_seed = int(np.random.SeedSequence([shifted(self.seed), epoch]).generate_state(1)[0])
        self._generator.manual_seed(epoch_seed)
        return torch.randperm(self.num_examples, generator=self._generator, device=self.device)

    def _batches(self, order: torch.Tensor | None):
        stop = len(self) * self.batch_size if self.drop_last else self.num_examples
        for start in range(0, stop, self.batch_size):
            if order is None:
                yield (
                    self.X[start : start + self.batch_size],
                    self.Y[start : start + self.batch_size],
                )
            else:
                index = order[start : start + self.batch_size]
                yield self.X.index_select(0, index), self.Y.index_select(0, index)


def _resize(images: torch.Tensor, image_size: int | None) -> torch.Tensor:
    if image_size is None or images.shape[-1] == image_size:
        return images
    return F.interpolate(
        images, size=(image_size, image_size), mode="bilinear", align_corners=False
    )


def load_dataset(
    name: str = "digits",
    data_dir: str | Path | None = None,
    device: str | torch.device = "cpu",
    *,
    image_size: int | None = 28,
    download: bool = False,
    dev_fraction: float = 0.2,
    seed: int = 0,
    dtype: torch.dtype = torch.float32,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """``(X_train, Y_train, X_dev, Y_dev)`` as tensors on ``device``, ready for ``LeNet``.

    ``X`` has shape ``(m, 1, image_size, image_size)`` with pixels scaled to [0, 1] in
    ``dtype``; ``Y`` has shape ``(m,)`` int64 with labels 0..9.

    * ``"digits"``: scikit-learn's 1797 8x8 digits, embedded (no download), split by
      ``dldemos.data.load_digits(dev_fraction, seed)``; pixels ``x / 16``. They are upsampled
      bilinearly to ``image_size`` (28 by default, so that Fashion-MNIST's ``LeNet`` runs on
      them unchanged); ``image_size=None`` keeps 8x8, e.g. for ``MLP([64, ...])``.
    * ``"fashion_mnist"``: the 60000 training and 10000 test images read from ``data_dir`` by
      ``dldemos.data.load_fashion_mnist`` (``download=True`` fetches them); the test set is the
      dev set. Resized only if ``image_size`` is neither ``None`` nor 28.
    """
    from dldemos import data

    if name == "digits":
        X_train, Y_train, X_dev, Y_dev = data.load_digits(
            dev_fraction=dev_fraction, seed=seed, standardize=False
        )
        X_train, X_dev = (X.T.reshape(-1, 1, 8, 8) / 16.0 for X in (X_train, X_dev))
        Y_train, Y_dev = Y_train.ravel(), Y_dev.ravel()
    elif name == "fashion_mnist":
        if data_dir is None:
            raise ValueError(
                "load_dataset('fashion_mnist') needs data_dir: the folder that holds "
                "(or, with download=True, will hold) the four Fashion-MNIST .gz files"
            )
        X_train, Y_train, X_dev, Y_dev = data.load_fashion_mnist(
            data_dir, download=download, flatten=False
        )
    else:
        raise KeyError(f"unknown data set {name!r}; expected one of {DATASETS}")
    X_train, X_dev = (
        _resize(torch.as_tensor(X).to(device, dtype), image_size) for X in (X_train, X_dev)
    )
    Y_train, Y_dev = (torch.as_tensor(Y, dtype=torch.int64).to(device) for Y in (Y_train, Y_dev))
    return X_train, Y_train, X_dev, Y_dev


def seconds_per_pass(make_batches: Callable[[], Iterable], repeats: int = 5) -> float:
    """The fastest of ``repeats`` timings of one pass over ``make_batches()`` (no training).

    Each pass only draws the batches, so the time is the cost of batching itself: a
    ``DataLoader``'s Python work and copies, or ``DeviceBatchIterator``'s ``index_select``.
    On a GPU the clock stops only after ``torch.cuda.synchronize()``, when the device is done.
    """
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be a positive integer, got {repeats!r}")
    fastest = math.inf
    for _ in range(repeats):
        started = time.perf_counter()
        for _batch in make_batches():
            pass
        if torch.cuda.is_available() and torch.cuda.is_initialized():
            torch.cuda.synchronize()
        fastest = min(fastest, time.perf_counter() - started)
    return fastest
