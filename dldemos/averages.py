"""Moving averages and exponentially weighted moving averages (chapter 2).

Two ways to summarise "the last few values" of a series ``z_1, z_2, ...``:

* the moving average over a window of ``n`` values,
  ``ma_t = (z_t + z_{t-1} + ... + z_{t-n+1}) / n``, which must remember the
  last ``n`` values (O(n) memory per averaged variable; chapter 2 writes the window ``n``
  because ``m`` is the number of training examples);
* the exponentially weighted moving average (EWMA),
  ``v_t = beta * v_{t-1} + (1 - beta) * z_t`` with ``v_0 = 0``, which remembers one
  number (O(1) memory) and is the building block of momentum, RMSProp and Adam.

Each comes twice: a vectorised function for a whole recorded series
(``moving_average``, ``ewma``) and a streaming class that sees one value at a time
(``StreamingMovingAverage``, ``EWMA``); both give the same numbers. Values may be
scalars or arrays (e.g. one gradient per step), averaged elementwise; the time axis of
a recorded series is axis 0. Floating inputs keep their dtype, integers become float64.
"""

from __future__ import annotations

import math

import numpy as np


def _as_series(x) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim == 0 or x.shape[0] == 0:
        raise ValueError(
            f"expected a series with at least one value along axis 0, got shape {x.shape}"
        )
    return x if np.issubdtype(x.dtype, np.floating) else x.astype(np.float64)


def _check_window(window) -> None:
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise ValueError(f"window must be a positive integer, got {window!r}")


def _check_beta(beta) -> None:
    if not 0.0 <= beta < 1.0:
        raise ValueError(f"beta must satisfy 0 <= beta < 1, got {beta!r}")


def moving_average(x, window: int) -> np.ndarray:
    """The ``window``-value moving average of a series, as the seed's algorithm outputs it.

    ``ma_t = (z_t + z_{t-1} + ... + z_{t-window+1}) / window``, with the values
    before the start of the series taken as 0; so the first ``window - 1`` outputs are
    pulled towards 0, the same start-up bias as the EWMA's. ``ma[window - 1:]`` holds
    the averages over complete windows.

    Vectorised with a running sum ``c_t = z_1 + ... + z_t``:
    ``ma_t = (c_t - c_{t-window}) / window``, which is the seed's update
    ``ma_t = ma_{t-1} + (z_t - z_{t-window}) / window`` applied to every ``t`` at once.
    Returns an array of the same shape as ``x``.
    """
    x = _as_series(x)
    _check_window(window)
    running_sum = np.cumsum(x, axis=0)
    lagged = np.zeros_like(running_sum)
    lagged[window:] = running_sum[:-window]
    return (running_sum - lagged) / window


class StreamingMovingAverage:
    """The moving average of a stream of values, one value at a time.

    Keeps the last ``window`` values in a ring buffer (the seed's ``temp_i_day_ago``
    array, without shifting it: a position index walks round it instead) and updates the
    average in O(1) time: ``ma_t = ma_{t-1} + (z_t - z_{t-window}) / window``. The
    buffer is why the memory stays O(window) per variable, which is what the EWMA saves.
    Matches ``moving_average`` value for value (up to rounding).
    """

    def __init__(self, window: int):
        _check_window(window)
        self.window = window
        self.t = 0
        self._buffer = None
        self._value = 0.0

    def update(self, z) -> np.ndarray | float:
        """Add ``z_t`` and return the moving average ``ma_t``."""
        z = np.asarray(z)
        if self._buffer is None:
            dtype = z.dtype if np.issubdtype(z.dtype, np.floating) else np.float64
            self._buffer = np.zeros((self.window, *z.shape), dtype=dtype)
        elif z.shape != self._buffer.shape[1:]:
            raise ValueError(
                f"expected a value of shape {self._buffer.shape[1:]} like the earlier ones, "
                f"got {z.shape}"
            )
        slot = self.t % self.window  # holds z_{t-window}, the value leaving the window
        self._value = self._value + (z - self._buffer[slot]) / self.window
        self._buffer[slot] = z
        self.t += 1
        return self._value

    @property
    def value(self):
        """The current average ``ma_t`` (0 before the first update)."""
        return self._value


def ewma_weights(beta: float, k: int) -> np.ndarray:
    """The weights of the unrolled EWMA: ``w_j = (1 - beta) * beta**j`` for ``j = 0..k-1``.

    Unrolling ``v_t = beta v_{t-1} + (1 - beta) z_t`` gives
    ``v_t = sum_{j=0}^{t-1} (1 - beta) beta^j z_{t-j}``: the value ``j`` steps back
    weighs ``w_j``. The weights decay geometrically and sum to ``1 - beta**k``, not 1:
    the missing mass ``beta**k`` is the start-up bias that bias correction removes.
    """
    _check_beta(beta)
    if not isinstance(k, (int, np.integer)) or k < 0:
        raise ValueError(f"k must be a non-negative integer, got {k!r}")
    return (1 - beta) * beta ** np.arange(k)


def effective_window(beta: float) -> float:
    """About how many recent values an EWMA averages over: ``1 / (1 - beta)``.

    After ``n = 1 / (1 - beta)`` steps a weight has shrunk by ``beta**n`` which is about
    ``1/e`` (from ``(1 - eps)**(1/eps) -> 1/e``); older values count little. ``beta = 0.9``
    averages about 10 values, ``0.98`` about 50, ``0.5`` about 2.
    """
    _check_beta(beta)
    return 1.0 / (1.0 - beta)


def ewma(x, beta: float, bias_correction: bool = False) -> np.ndarray:
    """The exponentially weighted moving average of a whole series, ``v_1..v_T``.

    ``v_t = beta * v_{t-1} + (1 - beta) * z_t`` with ``v_0 = 0``, computed in its
    unrolled form ``v_t = sum_{j=0}^{t-1} (1 - beta) beta^j z_{t-j}``: a convolution
    of the series with ``ewma_weights``. Weights below ``1e-17`` of the first are left out,
    which changes the result by less than float64 rounding.

    With ``bias_correction=True`` returns ``v_t / (1 - beta**t)``, the average with
    weights rescaled to sum to 1 (Adam, Kingma and Ba 2015, section 3). Returns an array of
    the same shape as ``x``; the time axis is axis 0.
    """
    _check_beta(beta)
    x = _as_series(x)
    T = x.shape[0]
    n_weights = 1 if beta == 0.0 else min(T, math.ceil(math.log(1e-17) / math.log(beta)) + 1)
    weights = ewma_weights(beta, n_weights)

    def unrolled(series: np.ndarray) -> np.ndarray:
        return np.convolve(series, weights)[:T]

    v = np.apply_along_axis(unrolled, 0, x)
    if bias_correction:
        t = np.arange(1, T + 1).reshape((T,) + (1,) * (x.ndim - 1))
        v = v / (1 - beta**t)
    return v.astype(x.dtype, copy=False)


class EWMA:
    """The exponentially weighted moving average of a stream, one value at a time.

    ``update(z_t)`` computes ``v_t = beta * v_{t-1} + (1 - beta) * z_t`` from
    ``v_0 = 0``: only ``v`` and the step count ``t`` are stored, O(1) memory per variable
    whatever the effective window ``1 / (1 - beta)``. ``corrected`` is the bias-corrected
    ``v_t / (1 - beta**t)``. Matches ``ewma`` value for value (up to rounding).
    """

    def __init__(self, beta: float):
        _check_beta(beta)
        self.beta = beta
        self.t = 0
        self._v = 0.0

    def update(self, z) -> np.ndarray | float:
        """Fold in ``z_t`` and return ``v_t`` (uncorrected)."""
        z = np.asarray(z)
        if self.t > 0 and z.shape != np.shape(self._v):
            raise ValueError(
                f"expected a value of shape {np.shape(self._v)} like the earlier ones, got {z.shape}"
            )
        if not np.issubdtype(z.dtype, np.floating):
            z = z.astype(np.float64)
        self._v = self.beta * self._v + (1 - self.beta) * z
        self.t += 1
        return self._v

    @property
    def value(self):
        """``v_t``, biased towards ``v_0 = 0`` during the first ``~1 / (1 - beta)`` steps."""
        return self._v

    @property
    def corrected(self):
        """The bias-corrected average ``v_t / (1 - beta**t)``; needs at least one update."""
        if self.t == 0:
            raise ValueError(
                "the bias-corrected average is undefined before the first update "
                "(t = 0 gives 1 - beta**0 = 0)"
            )
        return self._v / (1 - self.beta**self.t)
