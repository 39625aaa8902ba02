"""Averaging the weights: the EMA of weights, Polyak averaging and SWA (chapter 9).

Chapter 2 averaged a noisy *series* of temperatures; here the series is the weights
``theta_1, theta_2, ...`` that the optimizer visits. Late in training SGD bounces around the
bottom of a valley, and the average of where it has been lies closer to the bottom than any
single iterate. The averaged weights are kept *beside* the model (the optimizer never sees
them) and used for evaluation:

* **EMA of weights** (as in chapter 2): ``theta_bar = beta theta_bar + (1 - beta) theta`` after
  every step, with ``theta_bar_0 = 0`` and the bias correction ``theta_bar / (1 - beta**n)``
  (``start="zero"``); or, as ``torch.optim.swa_utils.AveragedModel`` with
  ``get_ema_multi_avg_fn(beta)`` does, starting from the first weights, ``theta_bar_1 = theta_1``
  (``start="first"``). The correction and the copy solve the same problem: without either,
  the average starts pulled towards 0.
* **Polyak averaging** (Polyak & Juditsky 1992): the plain mean of all iterates so far,
  ``theta_bar_n = theta_bar_{n-1} + (theta_n - theta_bar_{n-1}) / n``;
* **SWA**, stochastic weight averaging (Izmailov et al. 2018): the same mean, but only of the
  weights from a starting epoch on, sampled once per epoch, while :func:`swa_schedule` holds
  the learning rate at a constant ``swa_lr`` (``torch.optim.swa_utils.SWALR``).

A network with batch normalisation needs its statistics recomputed for the averaged
weights (``torch.optim.swa_utils.update_bn``); chapter 9 measures what skipping it costs with
``dldemos.torch.averaging.swa_batchnorm_effect``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from dldemos.averages import EWMA
from dldemos.seeding import make_rng

__all__ = ["WeightEMA", "WeightMean", "swa_schedule"]


def _copy(param_dict: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {key: np.array(value, dtype=np.float64) for key, value in param_dict.items()}


class WeightEMA:
    """The EMA of a model's weights; call :meth:`update` after every optimizer step.

    ``start="zero"``: chapter 2's :class:`dldemos.averages.EWMA` of each weight array,
    ``theta_bar = beta theta_bar + (1 - beta) theta`` from ``theta_bar = 0``, read bias-corrected as
    ``theta_bar / (1 - beta**n)``. ``start="first"``: ``theta_bar = theta`` on the first update, then the same
    recursion without correction (``AveragedModel`` with ``get_ema_multi_avg_fn(beta)``).
    """

    def __init__(
        self, param_dict: Mapping[str, np.ndarray], beta: float = 0.99, start: str = "zero"
    ):
        if start not in ("zero", "first"):
            raise ValueError(f"start must be 'zero' or 'first', got {start!r}")
        self.param_dict, self.start = param_dict, start
        self.ewma = {key: EWMA(beta) for key in param_dict}
        self.beta = float(beta)

    @property
    def n(self) -> int:
        """The number of updates so far."""
        return next(iter(self.ewma.values())).t

    def update(self) -> None:
        first = self.start == "first" and self.n == 0
        for key, theta in self.param_dict.items():
            if first:  # theta_bar_1 = theta_1: (1 - beta) * theta / (1 - beta)
                theta = np.asarray(theta, dtype=np.float64) / (1 - self.beta)
            self.ewma[key].update(np.array(theta, dtype=np.float64))

    @property
    def averaged(self) -> dict[str, np.ndarray]:
        """The averaged weights (fresh float64 arrays)."""
        if self.n == 0:
            raise RuntimeError("no weights averaged yet: call update() after an optimizer step")
        if self.start == "zero":
            return {key: np.array(ewma.corrected) for key, ewma in self.ewma.items()}
        return {key: np.array(ewma.value) for key, ewma in self.ewma.items()}


class WeightMean:
    """The plain mean of the weights seen by :meth:`update` (Polyak averaging; SWA when
    updated once per epoch from a starting epoch on); ``AveragedModel``'s default average."""

    def __init__(self, param_dict: Mapping[str, np.ndarray]):
        self.param_dict = param_dict
        self.a = {key: np.zeros(np.shape(value)) for key, value in param_dict.items()}
        self.n = 0

    def update(self) -> None:
        self.n += 1
        for key, theta in self.param_dict.items():
            self.a[key] = self.a[key] + (theta - self.a[key]) / self.n

    @property
    def averaged(self) -> dict[str, np.ndarray]:
        if self.n == 0:
            raise RuntimeError("no weights averaged yet: call update() first")
        return _copy(self.a)


def swa_schedule(swa_lr: float, anneal_epochs: int = 10, anneal_strategy: str = "cos"):
    """SWA's learning rate as a schedule ``schedule(lr0, t)`` (``torch.optim.swa_utils.SWALR``):
    from ``lr0`` to ``swa_lr`` over ``anneal_epochs`` steps of the scheduler, then constant::

        c = min(1, t / anneal_epochs);  a = (1 - cos(pi c)) / 2  (cos)  or  c  (linear)
        lr_t = swa_lr * a + lr0 * (1 - a)

    ``t`` counts from the moment SWA starts (``lr0`` is the rate then)."""
    if not swa_lr >= 0:
        raise ValueError(f"swa_lr must be >= 0, got {swa_lr!r}")
    if not (isinstance(anneal_epochs, (int, np.integer)) and anneal_epochs >= 0):
        raise ValueError(f"anneal_epochs must be an integer >= 0, got {anneal_epochs!r}")
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(f"anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}")

    def schedule(lr0: float, t: int) -> float:
        c = 1.0 if anneal_epochs == 0 else min(1.0, t / anneal_epochs)
        a = (1 - math.cos(math.pi * c)) / 2 if anneal_strategy == "cos" else c
        return swa_lr * a + lr0 * (1 - a)

    return schedule


def train_with_averages(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    epochs: int,
    batch_size: int,
    X_dev: np.ndarray,
    Y_dev: np.ndarray,
    ema_beta: float = 0.98,
    swa_start: int | None = None,
    seed: int = 0,
) -> dict[str, list[float]]:
    """Train and, after every epoch, evaluate on the dev set the last iterate, the EMA of the
    weights (bias-corrected, updated every step), the EMA *without* bias correction, and SWA
    (the mean of the end-of-epoch weights from epoch ``swa_start``, default half the run).

    Returns the dev losses per epoch under ``"last"``, ``"EMA"``, ``"EMA, no correction"`` and
    ``"SWA"`` (``nan`` before SWA starts). The model ends with its last-iterate weights.
    """
    from dldemos.data import random_mini_batches
    from dldemos.train import train_step

    swa_start = epochs // 2 if swa_start is None else swa_start
    ema, swa = WeightEMA(model.param_dict, ema_beta), WeightMean(model.param_dict)
    rng = make_rng(seed)
    result: dict[str, list[float]] = {"last": [], "EMA": [], "EMA, no correction": [], "SWA": []}
    for epoch in range(1, epochs + 1):
        for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng):
            train_step(model, optimizer, X_t, Y_t)
            ema.update()
        if epoch > swa_start:
            swa.update()
        last = model.state_dict()
        uncorrected = {key: np.array(e.value) for key, e in ema.ewma.items()}
        for name, weights in [
            ("last", last),
            ("EMA", ema.averaged),
            ("EMA, no correction", uncorrected),
            ("SWA", swa.averaged if swa.n else None),
        ]:
            if weights is None:
                result[name].append(math.nan)
                continue
            model.load_state_dict(weights)
            result[name].append(float(model.evaluate(X_dev, Y_dev, return_loss=True)[1]))
        model.load_state_dict(last)
    return result
