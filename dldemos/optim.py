"""Optimizers in NumPy: ``BaseOptimizer`` and every update rule of chapter 3.

A model hands the optimizer its live parameter arrays once; after that every training
step is the same four calls::

    optimizer = Adam(model.param_dict, learning_rate=1e-3)
    for X_t, Y_t in mini_batches:
        model.forward(X_t)
        model.backward(Y_t)
        optimizer.zero_grad()
        optimizer.add_grad(model.get_grad_dict())
        optimizer.step()
    optimizer.increase_epoch()          # once per pass over the training set

Conventions shared by all optimizers
------------------------------------
* ``step()`` changes the arrays of ``param_dict`` **in place**; nothing ever rebinds them,
  so the model sees the update without being told. Float32 parameters stay float32.
* ``t`` in the formulas is the step number *during* the update: 1 on the first step, as in
  the papers and in ``torch.optim``. The learning rate of that step is
  ``lr_scheduler(lr0, epoch)`` (or ``(lr0, num_step)`` with ``schedule_unit="step"``)
  evaluated *before* the step, so the first step uses ``t = 0`` like PyTorch, where
  ``scheduler.step()`` comes after ``optimizer.step()``.
* ``g`` is the accumulated gradient (``add_grad``), plus ``weight_decay * p`` where an
  optimizer offers L2 regularisation through ``weight_decay`` (as ``torch.optim`` does).
  AdamW instead shrinks ``p`` directly (decoupled weight decay).
* State arrays carry the book's names: ``v`` is an exponentially weighted moving average
  (EWMA) of gradients, ``s`` one of squared gradients. ``state_dict()`` stores them as
  ``"<state>/<param key>"`` next to ``"epoch"`` and ``"num_step"``; the dict goes through
  ``np.savez`` / ``np.load`` without pickle. A state loaded before the first step counts
  as existing state, exactly as in PyTorch.
* ``eps`` sits *outside* the square root (``g / (sqrt(s) + eps)``) wherever PyTorch puts it
  there; AdaDelta keeps it inside, as its paper and PyTorch do.

Every optimizer equals the ``torch.optim`` class named in its docstring (same formula, same
first step); ``tests/test_optim.py`` checks each option against PyTorch.

Readability first: each ``_update`` is the formula of its docstring in plain NumPy, the
way CS231n's ``optim.py`` and ``torch.optim``'s ``_single_tensor_adam`` write it, in at most
12 lines (``tests/test_optim.py`` counts them). The state arrays and the parameters are
updated in place: ``v[...] = beta1 * v + (1 - beta1) * g`` is the formula, its result
written into ``v``'s own array, and ``param -= ...`` changes the parameter's array, which
is what keeps ``param_dict``'s arrays alive. Every other operation makes a temporary array
and one pass over memory (NumPy cannot fuse ``lr * v_hat / (sqrt(s_hat) + eps)`` into one
loop); the temporaries of one parameter are freed before the next parameter's update, so a
step never holds more than a few arrays the size of the largest parameter. PyTorch computes
the same rules with fused loops (``foreach=True``, ``fused=True``); :mod:`dldemos.fusion`
measures what that buys (chapter 3), and ``benchmarks/RESULTS.md`` what it costs a whole
training step (little: the matrix products dominate).

Threads: nothing here calls BLAS, so ``dldemos.optim``, ``dldemos.nn`` and ``dldemos.train``
load a single native thread pool, NumPy's OpenBLAS, and the training loop runs it on one
thread (:mod:`dldemos.threads`). An earlier version called SciPy's BLAS for
``p -= lr * d``: two OpenBLAS pools then fought over the cores, and a plain process trained
16x slower than one limited to one thread. ``tests/test_threads.py`` checks, in a process
with no thread limits, that one pool is loaded and that training is not slower there.
"""

from __future__ import annotations

import abc
import math
from collections.abc import Callable, Mapping

import numpy as np

from dldemos.schedules import const_lr

Schedule = Callable[[float, int], float]

__all__ = [
    "BaseOptimizer",
    "SGD",
    "Momentum",
    "Nesterov",
    "AdaGrad",
    "RMSProp",
    "AdaDelta",
    "Adam",
    "AdamW",
    "RAdam",
    "Lion",
]


# --------------------------------------------------------------------------------------
# Argument checks shared by the constructors: each names the argument and its value.
# --------------------------------------------------------------------------------------


def _check_number(
    name: str,
    value,
    low: float = 0.0,
    high: float = math.inf,
    high_inclusive: bool = False,
    low_inclusive: bool = True,
) -> float:
    """Return ``value`` as a Python float after checking it lies in the stated interval."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(
            f"{name} must be a real number, got {value!r} of type {type(value).__name__}"
        )
    value = float(value)
    above_low = value >= low if low_inclusive else value > low
    below_high = value <= high if high_inclusive else value < high
    if not (math.isfinite(value) and above_low and below_high):
        interval = (
            ("[" if low_inclusive else "(")
            + f"{low:g}, {high:g}"
            + ("]" if high_inclusive else ")")
        )
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return value


def _check_beta(name: str, value) -> float:
    """An EWMA weight: ``beta in [0, 1)`` (``beta = 1`` would never forget the start)."""
    return _check_number(name, value, 0.0, 1.0)


def _check_positive(name: str, value) -> float:
    return _check_number(name, value, 0.0, low_inclusive=False)


def _check_non_negative(name: str, value) -> float:
    return _check_number(name, value, 0.0)


class BaseOptimizer(metaclass=abc.ABCMeta):
    """Bookkeeping shared by every optimizer: gradients, step/epoch counters, schedule, state.

    Parameters
    ----------
    param_dict:
        ``name -> np.ndarray`` (floating point), the model's live parameters; they are
        updated in place.
    learning_rate:
        ``lr0``, the initial learning rate (a number ``>= 0``).
    lr_scheduler:
        A schedule ``schedule(lr0, t) -> lr`` from :mod:`dldemos.schedules`, or ``None``
        for a constant rate (``const_lr``).
    schedule_unit:
        ``"epoch"``: ``t`` is :attr:`epoch` (advanced by :meth:`increase_epoch`);
        ``"step"``: ``t`` is :attr:`num_step` (advanced by every :meth:`step`).

    Subclasses declare their state arrays with :meth:`_add_state` and implement
    :meth:`_update`, the rule for one parameter array.
    """

    def __init__(
        self,
        param_dict: dict[str, np.ndarray],
        learning_rate: float,
        lr_scheduler: Schedule | None = None,
        schedule_unit: str = "epoch",
    ) -> None:
        if not isinstance(param_dict, Mapping) or len(param_dict) == 0:
            raise ValueError(
                f"param_dict must be a non-empty dict name -> np.ndarray, got {param_dict!r}"
            )
        for key, param in param_dict.items():
            if not isinstance(key, str):
                raise TypeError(f"param_dict keys must be strings, got {key!r}")
            if not isinstance(param, np.ndarray) or not np.issubdtype(param.dtype, np.floating):
                raise TypeError(
                    f"param_dict[{key!r}] must be a floating-point np.ndarray "
                    f"(it is updated in place), got {type(param).__name__}"
                    f"{' of dtype ' + str(param.dtype) if isinstance(param, np.ndarray) else ''}"
                )
            if not param.flags.writeable:
                raise ValueError(
                    f"param_dict[{key!r}] is read-only, but the optimizer updates it "
                    f"in place; pass a writeable array (e.g. param.copy())"
                )
        if lr_scheduler is None:
            lr_scheduler = const_lr
        if not callable(lr_scheduler):
            raise TypeError(
                f"lr_scheduler must be a schedule(lr0, t) -> float or None, got "
                f"{lr_scheduler!r} (hyperparameters such as beta are keyword-only)"
            )
        if schedule_unit not in ("epoch", "step"):
            raise ValueError(f"schedule_unit must be 'epoch' or 'step', got {schedule_unit!r}")
        self.param_dict = param_dict
        self._learning_rate_zero = _check_non_negative("learning_rate", learning_rate)
        self._lr_scheduler = lr_scheduler
        self._schedule_unit = schedule_unit
        self._epoch = 0
        self._num_step = 0
        self.grad_dict = self._new_buffers(fill=0.0)
        # state name -> param key -> array; `_state_fill[name]` is its initial value, or
        # None for a state created by the first step (SGD's momentum buffer).
        self.state: dict[str, dict[str, np.ndarray]] = {}
        self._state_fill: dict[str, float | None] = {}

    # ---------------------------------------------------------------- counters and rate
    @property
    def epoch(self) -> int:
        """Number of completed epochs (:meth:`increase_epoch` calls)."""
        return self._epoch

    @property
    def num_step(self) -> int:
        """Number of :meth:`step` calls so far."""
        return self._num_step

    @property
    def learning_rate(self) -> float:
        """The learning rate the next :meth:`step` uses: ``lr_scheduler(lr0, t)``."""
        t = self._epoch if self._schedule_unit == "epoch" else self._num_step
        lr = float(self._lr_scheduler(self._learning_rate_zero, t))
        if not (math.isfinite(lr) and lr >= 0):
            raise ValueError(
                f"lr_scheduler {self._lr_scheduler!r} returned learning rate {lr!r} "
                f"at {self._schedule_unit} {t}; expected a finite number >= 0"
            )
        return lr

    def increase_epoch(self) -> None:
        """Mark the end of an epoch (advances the schedule when ``schedule_unit="epoch"``)."""
        self._epoch += 1

    # ---------------------------------------------------------------- gradients
    def zero_grad(self) -> None:
        """Reset the accumulated gradients to 0 (in place)."""
        for grad in self.grad_dict.values():
            grad.fill(0)

    def add_grad(self, grad_dict: Mapping[str, np.ndarray]) -> None:
        """Add ``grad_dict`` (same keys and shapes as ``param_dict``) to the accumulated gradients.

        Everything is checked before anything is added, so a bad dict changes nothing.
        """
        missing = [key for key in self.param_dict if key not in grad_dict]
        if missing:
            raise KeyError(
                f"grad_dict has no gradient for parameter(s) {missing}; "
                f"expected keys {list(self.param_dict)}"
            )
        extra = [key for key in grad_dict if key not in self.param_dict]
        if extra:
            raise KeyError(
                f"grad_dict has key(s) {extra} that are not parameters; "
                f"expected keys {list(self.param_dict)}"
            )
        grads = {key: np.asarray(grad_dict[key]) for key in self.param_dict}
        for key, grad in grads.items():
            expected = self.param_dict[key].shape
            if grad.shape != expected:
                raise ValueError(
                    f"gradient {key!r} has shape {grad.shape}, expected {expected} "
                    f"(the shape of parameter {key!r})"
                )
            # min and max propagate NaN and reach +-inf, without a temporary array
            if grad.size and not (np.isfinite(grad.min()) and np.isfinite(grad.max())):
                raise ValueError(
                    f"gradient {key!r} contains NaN or inf "
                    f"({np.count_nonzero(~np.isfinite(grad))} of {grad.size} entries)"
                )
        for key, grad in grads.items():
            self.grad_dict[key] += grad

    # ---------------------------------------------------------------- the update
    def step(self) -> None:
        """Update every parameter in place with the accumulated gradient."""
        lr = self.learning_rate
        self._num_step += 1
        for key, param in self.param_dict.items():
            self._update(key, param, lr, self._num_step)

    @abc.abstractmethod
    def _update(self, key: str, param: np.ndarray, lr: float, t: int) -> None:
        """Apply the rule to ``param`` (``self.grad_dict[key]`` holds its gradient); ``t >= 1``."""

    # ---------------------------------------------------------------- state
    def state_dict(self) -> dict[str, int | np.ndarray]:
        """A flat copy of the optimizer's state: ``"epoch"``, ``"num_step"``, ``"<state>/<key>"``."""
        result: dict[str, int | np.ndarray] = {"epoch": self._epoch, "num_step": self._num_step}
        for name, arrays in self.state.items():
            for key, array in arrays.items():
                result[f"{name}/{key}"] = array.copy()
        return result

    def load_state_dict(self, state_dict: Mapping) -> None:
        """Restore a :meth:`state_dict` (a dict or the result of ``np.load``) exactly.

        Values are copied into the existing state arrays (keeping their dtype). Everything
        is checked first, so a bad dict leaves the optimizer untouched.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"state_dict must be a mapping, got {type(state_dict).__name__}")
        counters = {}
        for name in ("epoch", "num_step"):
            if name not in state_dict:
                raise KeyError(f"state_dict has no {name!r} entry")
            value = np.asarray(state_dict[name])
            if value.shape != () or not np.issubdtype(value.dtype, np.integer) or value < 0:
                raise ValueError(f"state_dict[{name!r}] must be an integer >= 0, got {value!r}")
            counters[name] = int(value)

        loaded: dict[str, dict[str, np.ndarray]] = {name: {} for name in self.state}
        for entry in state_dict:
            if entry in counters:
                continue
            name, _, key = entry.partition("/")
            if name not in self.state or key not in self.param_dict:
                raise KeyError(
                    f"unexpected state_dict entry {entry!r}: {type(self).__name__} keeps "
                    f"states {list(self.state)} for parameters {list(self.param_dict)}"
                )
            value = np.asarray(state_dict[entry])
            expected = self.param_dict[key].shape
            if value.shape != expected:
                raise ValueError(
                    f"state_dict[{entry!r}] has shape {value.shape}, expected {expected} "
                    f"(the shape of parameter {key!r})"
                )
            loaded[name][key] = value
        for name, arrays in loaded.items():
            # a state created by the first step may be absent altogether (a state_dict
            # taken before any step); otherwise every parameter needs its array
            if not arrays and self._state_fill[name] is None:
                continue
            missing = [f"{name}/{key}" for key in self.param_dict if key not in arrays]
            if missing:
                raise KeyError(
                    f"state_dict lacks entries {missing} of {type(self).__name__}'s state {name!r}"
                )

        self._epoch, self._num_step = counters["epoch"], counters["num_step"]
        for name, arrays in loaded.items():
            if not arrays:
                self.state[name].clear()
            for key, value in arrays.items():
                if key in self.state[name]:
                    np.copyto(self.state[name][key], value)
                else:
                    self.state[name][key] = value.astype(self.param_dict[key].dtype, copy=True)

    # ---------------------------------------------------------------- helpers for subclasses
    def _new_buffers(self, fill: float) -> dict[str, np.ndarray]:
        """One array per parameter (same shape and dtype), filled with ``fill``."""
        return {key: np.full_like(param, fill) for key, param in self.param_dict.items()}

    def _add_state(self, name: str, fill: float | None) -> None:
        """Declare state ``name``: arrays filled with ``fill`` now, or (``None``) made by ``_update``."""
        self._state_fill[name] = fill
        self.state[name] = {} if fill is None else self._new_buffers(fill)

    def _l2_gradient(self, key: str, weight_decay: float) -> np.ndarray:
        """``g = grad + weight_decay * p`` (L2 regularisation); ``grad_dict`` keeps the plain
        gradient, so a second ``step()`` sees the same one."""
        g = self.grad_dict[key]
        return g + weight_decay * self.param_dict[key] if weight_decay else g


class SGD(BaseOptimizer):
    r"""Stochastic gradient descent with optional (Nesterov) momentum; ``torch.optim.SGD``.

    With ``g = grad + weight_decay * p``, momentum ``mu`` and dampening ``tau``::

        b = g                          on the first step (no dampening, as PyTorch)
        b = mu * b + (1 - tau) * g     afterwards
        d = g + mu * b  (nesterov)  or  d = b  (plain momentum)  or  d = g  (mu = 0)
        p = p - lr * d

    State ``momentum_buffer`` (``b``), created by the first step or by ``load_state_dict``.
    Sources: Polyak (1964); Sutskever et al., *On the importance of initialization and
    momentum in deep learning* (ICML 2013); https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        momentum: float = 0.0,
        dampening: float = 0.0,
        nesterov: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.momentum = _check_beta("momentum", momentum)
        self.dampening = _check_number("dampening", dampening, 0.0, 1.0, high_inclusive=True)
        self.nesterov = bool(nesterov)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        if self.nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(
                f"nesterov=True needs momentum > 0 and dampening == 0, got "
                f"momentum={self.momentum!r}, dampening={self.dampening!r}"
            )
        if self.momentum:
            self._add_state("momentum_buffer", fill=None)

    def _update(self, key, param, lr, t):
        g = self._l2_gradient(key, self.weight_decay)
        if not self.momentum:
            param -= lr * g
            return
        b = self.state["momentum_buffer"].get(key)
        if b is None:  # first step: b = g
            b = self.state["momentum_buffer"][key] = g.copy()
        else:
            b[...] = self.momentum * b + (1 - self.dampening) * g
        d = g + self.momentum * b if self.nesterov else b
        param -= lr * d


class Momentum(BaseOptimizer):
    r"""Gradient descent with momentum in the course's (Andrew Ng's) EWMA form.

    ::

        v = beta * v + (1 - beta) * g        (v starts at 0)
        p = p - lr * v

    ``v`` is an EWMA of the gradients, so ``lr`` keeps the scale it has in plain gradient
    descent. PyTorch writes momentum as ``b = beta * b + g`` (``b`` starts at ``g``); then
    ``v = (1 - beta) * b`` on *every* step, so this optimizer equals exactly::

        torch.optim.SGD(params, lr=lr * (1 - beta), momentum=beta, dampening=0)

    (``dampening=beta`` with ``lr`` is *not* the same: PyTorch skips the dampening on the
    first step, so its buffer exceeds ``v`` by ``beta**t * g_1``.) No bias correction, as
    in the course: the first steps are short while ``v`` warms up.

    State ``v``. Sources: Polyak (1964); deeplearning.ai *Improving Deep Neural Networks*,
    week 2; https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta: float = 0.9,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.beta = _check_beta("beta", beta)
        self._add_state("v", fill=0.0)

    def _update(self, key, param, lr, t):
        g, v = self.grad_dict[key], self.state["v"][key]
        v[...] = self.beta * v + (1 - self.beta) * g
        param -= lr * v


class Nesterov(SGD):
    r"""Nesterov momentum with the learning rate on gradient descent's scale, like :class:`Momentum`.

    PyTorch's Nesterov update with ``mu = beta`` (``b = beta * b + g``, ``d = g + beta * b``)
    takes steps about ``1 / (1 - beta)`` times longer than plain gradient descent at the same
    ``lr``. Scaling the rate by ``1 - beta``, as :class:`Momentum` does, puts the two on the
    same footing, so one learning-rate grid serves both in a comparison::

        Nesterov(params, lr, beta=beta)  ==  torch.optim.SGD(params, lr=lr * (1 - beta),
                                                             momentum=beta, nesterov=True)

    State ``momentum_buffer`` (PyTorch's ``b``). Sources: Nesterov (1983); Sutskever et al.
    (ICML 2013); https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta: float = 0.9,
        weight_decay: float = 0.0,
    ) -> None:
        self.beta = _check_beta("beta", beta)
        super().__init__(
            param_dict,
            learning_rate,
            lr_scheduler,
            schedule_unit,
            momentum=self.beta,
            nesterov=True,
            weight_decay=weight_decay,
        )

    def _update(self, key, param, lr, t):
        super()._update(key, param, lr * (1 - self.beta), t)


class AdaGrad(BaseOptimizer):
    r"""AdaGrad: per-parameter rates that shrink with the sum of squared gradients; ``torch.optim.Adagrad``.

    With ``g = grad + weight_decay * p``::

        s = s + g**2                                 (s starts at initial_accumulator_value)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        p = p - lr_t * g / (sqrt(s) + eps)

    State ``s``. Sources: Duchi, Hazan & Singer, *Adaptive Subgradient Methods for Online
    Learning and Stochastic Optimization* (JMLR 2011);
    https://pytorch.org/docs/stable/generated/torch.optim.Adagrad.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        eps: float = 1e-10,
        initial_accumulator_value: float = 0.0,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.eps = _check_positive("eps", eps)
        self.lr_decay = _check_non_negative("lr_decay", lr_decay)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self._add_state(
            "s", fill=_check_non_negative("initial_accumulator_value", initial_accumulator_value)
        )

    def _update(self, key, param, lr, t):
        g = self._l2_gradient(key, self.weight_decay)
        s = self.state["s"][key]
        s += g**2
        lr_t = lr / (1 + (t - 1) * self.lr_decay)
        param -= lr_t * g / (np.sqrt(s) + self.eps)


class RMSProp(BaseOptimizer):
    r"""RMSProp: divide by the root of an EWMA of squared gradients; ``torch.optim.RMSprop(alpha=beta)``.

    With ``g = grad + weight_decay * p``::

        s = beta * s + (1 - beta) * g**2
        s_hat = s / (1 - beta**t)     if bias_correction   else  s
        g_avg = beta * g_avg + (1 - beta) * g;  s_hat = s_hat - g_avg**2     if centered
        r = g / (sqrt(s_hat) + eps)
        buf = momentum * buf + r;   p = p - lr * buf      if momentum > 0
        p = p - lr * r                                    otherwise

    With ``bias_correction=False`` (the default) this is exactly PyTorch's RMSprop with
    ``alpha=beta``. ``bias_correction=True`` is the course's variant (chapter 2): dividing
    ``s`` by ``1 - beta**t`` undoes the pull towards its initial 0, so the first steps are
    not oversized; PyTorch has no such option. ``eps`` is outside the square root as in
    PyTorch (the course's first version had ``sqrt(s + eps)``).

    ``centered=True`` (Graves) divides by an estimate of the gradient's standard deviation
    instead of its root mean square. It cannot be combined with ``bias_correction``: the
    bias-corrected variance of the first gradient is exactly ``g**2 - g**2 = 0``, so the
    first step would be ``g / eps`` (the uncorrected ``s - g_avg**2 = beta (1 - beta) g**2``
    stays positive).

    States ``s``, ``buf`` (if ``momentum > 0``), ``g_avg`` (if ``centered``). Sources:
    Hinton, *Neural Networks for Machine Learning*, lecture 6e (2012); Graves,
    *Generating Sequences With Recurrent Neural Networks* (2013, the centered form);
    https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta: float = 0.9,
        eps: float = 1e-8,
        bias_correction: bool = False,
        momentum: float = 0.0,
        centered: bool = False,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.beta = _check_beta("beta", beta)
        self.eps = _check_positive("eps", eps)
        self.bias_correction = bool(bias_correction)
        self.momentum = _check_beta("momentum", momentum)
        self.centered = bool(centered)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self._add_state("s", fill=0.0)
        if self.momentum:
            self._add_state("buf", fill=0.0)
        if self.centered and self.bias_correction:
            raise ValueError(
                "centered=True cannot be combined with bias_correction=True: the "
                "bias-corrected variance after one step is 0, the first step g / eps"
            )
        if self.centered:
            self._add_state("g_avg", fill=0.0)

    def _update(self, key, param, lr, t):
        g, s = self._l2_gradient(key, self.weight_decay), self.state["s"][key]
        s[...] = self.beta * s + (1 - self.beta) * g**2
        s_hat = s / (1 - self.beta**t) if self.bias_correction else s
        if self.centered:
            g_avg = self.state["g_avg"][key]
            g_avg[...] = self.beta * g_avg + (1 - self.beta) * g
            s_hat = s_hat - g_avg**2
        r = g / (np.sqrt(s_hat) + self.eps)
        if self.momentum:
            buf = self.state["buf"][key]
            buf[...] = self.momentum * buf + r
        param -= lr * (buf if self.momentum else r)


class AdaDelta(BaseOptimizer):
    r"""AdaDelta: steps in the units of the parameter, no global rate needed; ``torch.optim.Adadelta``.

    With ``g = grad + weight_decay * p``::

        s = rho * s + (1 - rho) * g**2
        dx = sqrt(delta + eps) / sqrt(s + eps) * g
        delta = rho * delta + (1 - rho) * dx**2
        p = p - lr * dx

    ``delta`` is the EWMA of squared updates ``dx**2``; the paper has no ``lr`` (``lr = 1``,
    the default here and in PyTorch). State ``s``, ``delta``. Sources: Zeiler, *ADADELTA:
    An Adaptive Learning Rate Method* (2012);
    https://pytorch.org/docs/stable/generated/torch.optim.Adadelta.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate=1.0,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        rho: float = 0.9,
        eps: float = 1e-6,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.rho = _check_beta("rho", rho)
        self.eps = _check_positive("eps", eps)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self._add_state("s", fill=0.0)
        self._add_state("delta", fill=0.0)

    def _update(self, key, param, lr, t):
        g = self._l2_gradient(key, self.weight_decay)
        s, delta = self.state["s"][key], self.state["delta"][key]
        rho, eps = self.rho, self.eps
        s[...] = rho * s + (1 - rho) * g**2
        dx = np.sqrt(delta + eps) / np.sqrt(s + eps) * g
        delta[...] = rho * delta + (1 - rho) * dx**2
        param -= lr * dx


class Adam(BaseOptimizer):
    r"""Adam: momentum (``v``) + RMSProp (``s``) + bias correction; ``torch.optim.Adam``.

    With ``g = grad + weight_decay * p`` (L2 regularisation, as in PyTorch's Adam)::

        v = beta1 * v + (1 - beta1) * g
        s = beta2 * s + (1 - beta2) * g**2
        s_max = max(s_max, s);  use s_max instead of s     if amsgrad
        v_hat = v / (1 - beta1**t),  s_hat = s / (1 - beta2**t)     if bias_correction
        p = p - lr * v_hat / (sqrt(s_hat) + eps)

    ``bias_correction=True`` (the default) is exactly ``torch.optim.Adam``;
    ``bias_correction=False`` uses ``v`` and ``s`` as they are (the course's ablation).

    States ``v``, ``s``, ``s_max`` (if ``amsgrad``). Sources: Kingma & Ba, *Adam: A Method
    for Stochastic Optimization* (ICLR 2015); Reddi, Kale & Kumar, *On the Convergence of
    Adam and Beyond* (ICLR 2018, AMSGrad);
    https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
    """

    decoupled_weight_decay = False

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        bias_correction: bool = True,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.beta1 = _check_beta("beta1", beta1)
        self.beta2 = _check_beta("beta2", beta2)
        self.eps = _check_positive("eps", eps)
        self.bias_correction = bool(bias_correction)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self.amsgrad = bool(amsgrad)
        self._add_state("v", fill=0.0)
        self._add_state("s", fill=0.0)
        if self.amsgrad:
            self._add_state("s_max", fill=0.0)

    def _update(self, key, param, lr, t):
        if self.decoupled_weight_decay:  # AdamW: p = p - lr wd p, and no L2
            param *= 1 - lr * self.weight_decay
        l2 = 0.0 if self.decoupled_weight_decay else self.weight_decay
        g = self._l2_gradient(key, l2)
        v, s = self.state["v"][key], self.state["s"][key]
        v[...] = self.beta1 * v + (1 - self.beta1) * g
        s[...] = self.beta2 * s + (1 - self.beta2) * g**2
        if self.amsgrad:  # s_max = max(s_max, s), used as s
            s = np.maximum(self.state["s_max"][key], s, out=self.state["s_max"][key])
        v_hat = v / (1 - self.beta1**t) if self.bias_correction else v
        s_hat = s / (1 - self.beta2**t) if self.bias_correction else s
        param -= lr * v_hat / (np.sqrt(s_hat) + self.eps)


class AdamW(Adam):
    r"""Adam with decoupled weight decay; ``torch.optim.AdamW``.

    The decay shrinks the parameter directly instead of entering ``g`` (where Adam's
    division by ``sqrt(s_hat)`` would weaken it for parameters with large gradients)::

        p = p * (1 - lr * weight_decay)
        then the Adam step with the plain gradient (bias correction always on)

    States as :class:`Adam`. Sources: Loshchilov & Hutter, *Decoupled Weight Decay
    Regularization* (ICLR 2019);
    https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
    """

    decoupled_weight_decay = True

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(
            param_dict,
            learning_rate,
            lr_scheduler,
            schedule_unit,
            beta1=beta1,
            beta2=beta2,
            eps=eps,
            bias_correction=True,
            weight_decay=weight_decay,
            amsgrad=amsgrad,
        )


class RAdam(BaseOptimizer):
    r"""Rectified Adam: Adam that switches its adaptive step on only once ``s`` can be trusted;
    ``torch.optim.RAdam``.

    With ``g = grad + weight_decay * p``, ``rho_inf = 2 / (1 - beta2) - 1``::

        v = beta1 * v + (1 - beta1) * g;   v_hat = v / (1 - beta1**t)
        s = beta2 * s + (1 - beta2) * g**2
        rho_t = rho_inf - 2 t beta2**t / (1 - beta2**t)
        if rho_t > 5:   r = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
                        p = p - lr * r * v_hat * sqrt(1 - beta2**t) / (sqrt(s) + eps)
        else:           p = p - lr * v_hat            (momentum SGD: s is not trusted yet)

    ``rho_t`` is the number of gradients ``s`` effectively averages; with few of them the
    variance of ``1 / sqrt(s_hat)`` is large (infinite for ``rho_t <= 4``), and ``r`` scales the
    adaptive step down by exactly that variance: a warmup built into the rule. With
    ``beta2 = 0.999`` the first 5 steps are momentum steps. State ``v``, ``s``. Source: Liu et
    al., *On the Variance of the Adaptive Learning Rate and Beyond* (ICLR 2020);
    https://pytorch.org/docs/stable/generated/torch.optim.RAdam.html
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.beta1 = _check_beta("beta1", beta1)
        self.beta2 = _check_beta("beta2", beta2)
        self.eps = _check_positive("eps", eps)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self._add_state("v", fill=0.0)
        self._add_state("s", fill=0.0)

    def rectification(self, t: int) -> float | None:
        """``r_t``, or ``None`` on the steps where ``rho_t <= 5`` (no adaptive step)."""
        rho_inf = 2 / (1 - self.beta2) - 1
        rho_t = rho_inf - 2 * t * self.beta2**t / (1 - self.beta2**t)
        if rho_t <= 5:
            return None
        return math.sqrt(
            (rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)
        )

    def _update(self, key, param, lr, t):
        g = self.grad_dict[key] + self.weight_decay * param
        v, s = self.state["v"][key], self.state["s"][key]
        v[...] = self.beta1 * v + (1 - self.beta1) * g
        s[...] = self.beta2 * s + (1 - self.beta2) * g**2
        v_hat = v / (1 - self.beta1**t)
        r = self.rectification(t)
        if r is None:
            param -= lr * v_hat
        else:
            param -= lr * r * v_hat * math.sqrt(1 - self.beta2**t) / (np.sqrt(s) + self.eps)


class Lion(BaseOptimizer):
    r"""Lion (EvoLved Sign Momentum): the sign of a blend of momentum and gradient.

    ::

        c = beta1 * v + (1 - beta1) * g
        p = p - lr * (sign(c) + weight_decay * p)
        v = beta2 * v + (1 - beta2) * g

    Every coordinate moves by exactly ``lr`` (without weight decay), whatever the scale of
    its gradient: like Adam's ``v_hat / sqrt(s_hat)`` with the ratio rounded to +-1, at the
    memory cost of one state (``v``) instead of two. The update is ``beta1``'s blend, the
    state ``beta2``'s slower average. Its steps are longer than Adam's, so it takes a 3-10x
    smaller ``lr`` (and a larger ``weight_decay``, which is decoupled as in AdamW). No PyTorch
    class. State ``v``. Source: Chen et al., *Symbolic Discovery of Optimization Algorithms*
    (NeurIPS 2023).
    """

    def __init__(
        self,
        param_dict,
        learning_rate,
        lr_scheduler=None,
        schedule_unit="epoch",
        *,
        beta1: float = 0.9,
        beta2: float = 0.99,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(param_dict, learning_rate, lr_scheduler, schedule_unit)
        self.beta1 = _check_beta("beta1", beta1)
        self.beta2 = _check_beta("beta2", beta2)
        self.weight_decay = _check_non_negative("weight_decay", weight_decay)
        self._add_state("v", fill=0.0)

    def _update(self, key, param, lr, t):
        g, v = self.grad_dict[key], self.state["v"][key]
        c = self.beta1 * v + (1 - self.beta1) * g
        param -= lr * (np.sign(c) + self.weight_decay * param)
        v[...] = self.beta2 * v + (1 - self.beta2) * g
