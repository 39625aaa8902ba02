"""Learning-rate schedules as pure functions (chapter 4).

A *schedule* is any callable ``schedule(lr0, t) -> float``: given the initial learning rate
``lr0`` and a count ``t = 0, 1, 2, ...`` of epochs or of optimizer steps, it returns the
learning rate that the ``t``-th update uses. ``t = 0`` is the first update, exactly as in
PyTorch, where ``scheduler.step()`` is called *after* ``optimizer.step()``: the value a
``torch.optim.lr_scheduler`` scheduler has put into ``optimizer.param_groups[0]["lr"]``
after ``t`` calls of ``scheduler.step()`` is ``schedule(lr0, t)`` here.

Schedules keep no state: the same ``(lr0, t)`` always gives the same rate, so a schedule
can be plotted before training (:func:`schedule_values`), restarted from a checkpoint
without saving anything, and shared between optimizers. ``const_lr`` is a schedule; every
other name below is a *factory* that checks its arguments and returns a schedule whose
``__name__`` spells out the call that made it (handy as a plot legend)::

    >>> sched = cosine_annealing(T_max=100, eta_min=1e-4)
    >>> sched.__name__
    'cosine_annealing(T_max=100, eta_min=0.0001)'
    >>> round(sched(0.1, 50), 6)
    0.05005

To drive a PyTorch optimizer with one of them, wrap it in ``LambdaLR``, which multiplies
the optimizer's initial rate ``lr0`` by the lambda:
``LambdaLR(optimizer, lambda t: sched(lr0, t) / lr0)``.

``cyclic``, ``one_cycle`` and ``one_cycle_momentum`` get their rates from their own
arguments and *ignore* ``lr0``, just as ``CyclicLR`` and ``OneCycleLR`` overwrite the
optimizer's ``lr`` with ``base_lr`` and ``max_lr / div_factor``.

==============================================  ===============================================
factory                                         PyTorch counterpart
==============================================  ===============================================
``const_lr`` (a schedule itself)                none (no scheduler)
``hyperbolic_decay(decay_rate)``                ``LambdaLR``
``staircase_decay(decay_rate, interval)``       ``LambdaLR``
``exponential_decay(gamma)``                    ``ExponentialLR``
``square_root_decay()``                         ``LambdaLR``
``factor_decay(factor, min_lr)``                ``LambdaLR`` (d2l's ``FactorScheduler``)
``step_decay(step_size, gamma)``                ``StepLR``
``multistep_decay(milestones, gamma)``          ``MultiStepLR``
``linear_decay(total, final_factor)``           ``LambdaLR`` with YOLOv5's linear lambda
``cosine_decay(total, final_factor)``           ``LambdaLR`` with YOLOv5's cosine lambda
``cosine_annealing(T_max, eta_min)``            ``CosineAnnealingLR`` (for ``t <= T_max``)
``linear_warmup(warmup, after, start_lr)``      ``LinearLR`` then ``SequentialLR``
``cosine_warm_restarts(T_0, T_mult, eta_min)``  ``CosineAnnealingWarmRestarts``
``cyclic(base_lr, max_lr, step_size_up, ...)``  ``CyclicLR``
``one_cycle(max_lr, total_steps, ...)``         ``OneCycleLR`` (learning rate)
``one_cycle_momentum(total_steps, ...)``        ``OneCycleLR`` (``cycle_momentum=True``)
==============================================  ===============================================
"""

from __future__ import annotations

import bisect
import functools
import math
import numbers
from collections.abc import Callable, Sequence

import numpy as np

Schedule = Callable[[float, int], float]

__all__ = [
    "Schedule",
    "const_lr",
    "hyperbolic_decay",
    "staircase_decay",
    "exponential_decay",
    "square_root_decay",
    "factor_decay",
    "step_decay",
    "multistep_decay",
    "linear_decay",
    "cosine_decay",
    "cosine_annealing",
    "linear_warmup",
    "cosine_warm_restarts",
    "cyclic",
    "one_cycle",
    "one_cycle_momentum",
    "schedule_values",
]


# ----------------------------------------------------------------------------------------
# argument checks


def _check_real(
    name: str,
    value,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    open_low: bool = False,
    open_high: bool = False,
) -> float:
    """Return ``value`` as a float if it is a finite number inside the given interval."""
    is_number = isinstance(value, numbers.Real) and not isinstance(value, bool)
    inside = (
        is_number
        and math.isfinite(value)
        and (low < value if open_low else low <= value)
        and (value < high if open_high else value <= high)
    )
    if not inside:
        left = "(" if open_low or low == -math.inf else "["
        right = ")" if open_high or high == math.inf else "]"
        raise ValueError(
            f"{name} must be a finite number in {left}{low:g}, {high:g}{right}, got {value!r}"
        )
    return float(value)


def _check_int(name: str, value, minimum: int) -> int:
    """Return ``value`` as an int if it is an integer ``>= minimum``."""
    if not (
        isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= minimum
    ):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_choice(name: str, value, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def _schedule(label: str):
    """Turn ``formula(lr0, t)`` into a schedule named ``label`` that checks its inputs."""

    def decorate(formula):
        @functools.wraps(formula)
        def schedule(lr0, t):
            _check_real("lr0", lr0, 0.0)
            if not (isinstance(t, numbers.Integral) and not isinstance(t, bool) and t >= 0):
                raise ValueError(f"t (the epoch or step count) must be an integer >= 0, got {t!r}")
            return float(formula(lr0, int(t)))

        schedule.__name__ = schedule.__qualname__ = label
        return schedule

    return decorate


# ----------------------------------------------------------------------------------------
# the constant rate and the classic decays


@_schedule("const_lr")
def const_lr(lr0: float, t: int) -> float:
    """The constant schedule ``lr_t = lr0``: no decay at all (the seed's default)."""
    return lr0


def hyperbolic_decay(decay_rate: float) -> Schedule:
    """Hyperbolic (``1/t``) decay: ``lr_t = lr0 / (1 + decay_rate * t)``.

    The decay taught in Andrew Ng's *Improving Deep Neural Networks* course and used by
    the seed's ``get_hyperbola_func``; after ``1/decay_rate`` epochs the rate is halved.
    No dedicated PyTorch scheduler: ``LambdaLR(opt, lambda t: 1 / (1 + decay_rate * t))``.
    """
    decay_rate = _check_real("decay_rate", decay_rate, 0.0)

    @_schedule(f"hyperbolic_decay(decay_rate={decay_rate:g})")
    def schedule(lr0, t):
        return lr0 / (1 + decay_rate * t)

    return schedule


def staircase_decay(decay_rate: float, interval: int) -> Schedule:
    """Hyperbolic decay applied in stairs: ``lr_t = lr0 / (1 + decay_rate * floor(t / interval))``.

    The rate stays constant for ``interval`` epochs, then drops as in
    :func:`hyperbolic_decay` with ``t`` counted in whole intervals. PyTorch:
    ``LambdaLR(opt, lambda t: 1 / (1 + decay_rate * (t // interval)))``.
    """
    decay_rate = _check_real("decay_rate", decay_rate, 0.0)
    interval = _check_int("interval", interval, 1)

    @_schedule(f"staircase_decay(decay_rate={decay_rate:g}, interval={interval})")
    def schedule(lr0, t):
        return lr0 / (1 + decay_rate * (t // interval))

    return schedule


def exponential_decay(gamma: float) -> Schedule:
    """Exponential decay: ``lr_t = lr0 * gamma**t`` (e.g. ``gamma = 0.95`` per epoch).

    PyTorch: ``ExponentialLR(opt, gamma)``, which multiplies the rate by ``gamma`` at every
    ``scheduler.step()``. ``gamma > 1`` makes the rate grow exponentially, which is what the
    learning-rate range test needs.
    """
    gamma = _check_real("gamma", gamma, 0.0, open_low=True)

    @_schedule(f"exponential_decay(gamma={gamma:g})")
    def schedule(lr0, t):
        return lr0 * gamma**t

    return schedule


def square_root_decay() -> Schedule:
    """Inverse-square-root decay: ``lr_t = lr0 / sqrt(t + 1)``.

    d2l's ``SquareRootScheduler`` (*Dive into Deep Learning*, section 12.11), i.e.
    ``LambdaLR(opt, lambda t: (t + 1) ** -0.5)`` in PyTorch.
    """

    @_schedule("square_root_decay()")
    def schedule(lr0, t):
        return lr0 * (t + 1) ** -0.5

    return schedule


def factor_decay(factor: float, min_lr: float = 0.0) -> Schedule:
    """Multiply by ``factor`` every step, but never go below ``min_lr``:
    ``lr_t = max(lr0 * factor**t, min_lr)``.

    d2l's ``FactorScheduler`` (*Dive into Deep Learning*, section 12.11) writes it as the
    recursion ``lr_{t+1} = max(min_lr, lr_t * factor)``; for ``0 < factor <= 1`` the
    recursion started from ``lr_0 = lr0`` and this closed form are the same sequence. (The
    d2l class updates its rate *before* returning it, so its ``t``-th call returns
    ``lr_{t+1}``; in d2l's training loop that value is set after epoch ``t`` and so is the
    rate of epoch ``t + 1``, which is exactly ``lr_{t+1}`` here.) If ``lr0 < min_lr`` the
    rate is ``min_lr`` from the first step on. PyTorch:
    ``LambdaLR(opt, lambda t: max(factor**t, min_lr / lr0))``.
    """
    factor = _check_real("factor", factor, 0.0, 1.0, open_low=True)
    min_lr = _check_real("min_lr", min_lr, 0.0)

    @_schedule(f"factor_decay(factor={factor:g}, min_lr={min_lr:g})")
    def schedule(lr0, t):
        return max(lr0 * factor**t, min_lr)

    return schedule


def step_decay(step_size: int, gamma: float = 0.1) -> Schedule:
    """Step decay: multiply by ``gamma`` every ``step_size`` epochs,
    ``lr_t = lr0 * gamma**floor(t / step_size)``.

    PyTorch: ``StepLR(opt, step_size, gamma)``.
    """
    step_size = _check_int("step_size", step_size, 1)
    gamma = _check_real("gamma", gamma, 0.0, open_low=True)

    @_schedule(f"step_decay(step_size={step_size}, gamma={gamma:g})")
    def schedule(lr0, t):
        return lr0 * gamma ** (t // step_size)

    return schedule


def multistep_decay(milestones: Sequence[int], gamma: float = 0.1) -> Schedule:
    """Multi-step decay: multiply by ``gamma`` at each milestone epoch,
    ``lr_t = lr0 * gamma**(number of milestones <= t)``.

    ``milestones`` is a strictly increasing sequence of positive integers, e.g. ``[3, 8]``
    (d2l's ``MultiFactorScheduler``). PyTorch: ``MultiStepLR(opt, milestones, gamma)``.
    """
    if isinstance(milestones, (str, bytes)) or not isinstance(milestones, Sequence):
        raise ValueError(f"milestones must be a sequence of integers, got {milestones!r}")
    milestones = tuple(_check_int(f"milestones[{i}]", m, 1) for i, m in enumerate(milestones))
    if any(a >= b for a, b in zip(milestones, milestones[1:])):
        raise ValueError(f"milestones must be strictly increasing, got {list(milestones)}")
    gamma = _check_real("gamma", gamma, 0.0, open_low=True)

    @_schedule(f"multistep_decay(milestones={list(milestones)}, gamma={gamma:g})")
    def schedule(lr0, t):
        return lr0 * gamma ** bisect.bisect_right(milestones, t)

    return schedule


# ----------------------------------------------------------------------------------------
# YOLOv5's two lambdas


def linear_decay(total: int, final_factor: float = 0.01) -> Schedule:
    """YOLOv5's linear schedule: falls linearly from ``lr0`` at ``t = 0`` to
    ``lr0 * final_factor`` at ``t = total``:

        lr_t = lr0 * ((1 - t / total) * (1 - final_factor) + final_factor)

    YOLOv5 (``train.py``) uses ``total = epochs`` and ``final_factor = hyp['lrf']``, so
    the rate would reach ``lr0 * lrf`` one epoch past the last (early versions used
    ``total = epochs - 1``, reaching it at the last epoch). For
    ``t > total`` the rate stays at ``lr0 * final_factor`` (the bare lambda would keep
    falling and turn negative). PyTorch: ``LambdaLR`` with that lambda, for ``t <= total``.
    """
    total = _check_int("total", total, 1)
    final_factor = _check_real("final_factor", final_factor, 0.0, 1.0)

    @_schedule(f"linear_decay(total={total}, final_factor={final_factor:g})")
    def schedule(lr0, t):
        progress = min(t, total) / total
        return lr0 * ((1 - progress) * (1 - final_factor) + final_factor)

    return schedule


def cosine_decay(total: int, final_factor: float = 0.01) -> Schedule:
    """YOLOv5's cosine schedule: half a cosine from ``lr0`` at ``t = 0`` down to
    ``lr0 * final_factor`` at ``t = total``:

        lr_t = lr0 * (((1 - cos(pi * t / total)) / 2) * (final_factor - 1) + 1)

    YOLOv5 calls this lambda ``one_cycle(1, hyp['lrf'], epochs)`` (after the cosine ramp
    of He et al. 2019, *Bag of Tricks*), but it is plain cosine annealing, not Smith's
    one-cycle policy (see :func:`one_cycle`). It equals ``cosine_annealing(total,
    lr0 * final_factor)``. For ``t > total`` the rate stays at ``lr0 * final_factor`` (the
    bare lambda would climb back up). PyTorch: ``LambdaLR`` with that lambda, for
    ``t <= total``.
    """
    total = _check_int("total", total, 1)
    final_factor = _check_real("final_factor", final_factor, 0.0, 1.0)

    @_schedule(f"cosine_decay(total={total}, final_factor={final_factor:g})")
    def schedule(lr0, t):
        ramp = (1 - math.cos(min(t, total) * math.pi / total)) / 2
        return lr0 * (ramp * (final_factor - 1) + 1)

    return schedule


# ----------------------------------------------------------------------------------------
# cosine annealing, warmup, restarts


def cosine_annealing(T_max: int, eta_min: float = 0.0) -> Schedule:
    """Cosine annealing from ``lr0`` down to ``eta_min`` over ``T_max`` epochs:

        lr_t = eta_min + (lr0 - eta_min) * (1 + cos(pi * t / T_max)) / 2,   0 <= t <= T_max

    and ``lr_t = eta_min`` for ``t > T_max``. One cycle of SGDR (Loshchilov & Hutter 2017,
    *SGDR: Stochastic Gradient Descent with Warm Restarts*) without the restart; d2l's
    ``CosineScheduler`` likewise holds its final rate after ``max_update``.

    PyTorch: ``CosineAnnealingLR(opt, T_max, eta_min)`` gives the same values for
    ``t <= T_max`` (it computes them with a recursion, so they agree up to rounding). After
    ``T_max`` the two part ways: PyTorch keeps following the cosine, so its rate climbs back
    to ``lr0`` at ``t = 2 * T_max`` and the cycle repeats with period ``2 * T_max``.
    """
    T_max = _check_int("T_max", T_max, 1)
    eta_min = _check_real("eta_min", eta_min, 0.0)

    @_schedule(f"cosine_annealing(T_max={T_max}, eta_min={eta_min:g})")
    def schedule(lr0, t):
        if t > T_max:
            return eta_min
        return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * t / T_max)) / 2

    return schedule


def linear_warmup(warmup: int, after: Schedule = const_lr, start_lr: float = 0.0) -> Schedule:
    """Linear warmup from ``start_lr`` to ``lr0`` over ``warmup`` steps, then ``after``:

        lr_t = start_lr + (lr0 - start_lr) * t / warmup     for t < warmup
        lr_t = after(lr0, t - warmup)                       for t >= warmup

    The gradual warmup of Goyal et al. 2017 (*Accurate, Large Minibatch SGD: Training
    ImageNet in 1 Hour*); ``after`` starts its own clock at 0 when the warmup ends, so
    ``linear_warmup(3, cosine_annealing(7, 0.02))`` is d2l's ``CosineScheduler(max_update=10,
    warmup_steps=3, final_lr=0.02)``. ``warmup = 0`` means no warmup: the schedule is
    ``after``.

    PyTorch: with ``s = start_lr / lr0``,
    ``SequentialLR(opt, [LinearLR(opt, start_factor=s, end_factor=1.0, total_iters=warmup),
    A], milestones=[warmup])`` where ``A`` is the PyTorch counterpart of ``after``
    (``ConstantLR(opt, factor=1.0)`` for ``const_lr``). ``LinearLR`` ramps the factor from
    ``s`` to 1 over ``warmup`` steps, i.e. ``lr0 * (s + (1 - s) * t / warmup)``, the line
    above; at ``t = warmup`` ``SequentialLR`` restarts ``A`` from ``lr0``. ``LinearLR``
    requires ``0 < s <= 1``, so the default ``start_lr = 0`` has no exact PyTorch twin (a tiny
    positive ``start_lr`` does).
    """
    warmup = _check_int("warmup", warmup, 0)
    if not callable(after):
        raise TypeError(f"after must be a schedule, a callable after(lr0, t), got {after!r}")
    start_lr = _check_real("start_lr", start_lr, 0.0)
    after_name = getattr(after, "__name__", repr(after))

    @_schedule(f"linear_warmup(warmup={warmup}, after={after_name}, start_lr={start_lr:g})")
    def schedule(lr0, t):
        if t < warmup:
            return start_lr + (lr0 - start_lr) * t / warmup
        return after(lr0, t - warmup)

    return schedule


def cosine_warm_restarts(T_0: int, T_mult: int = 1, eta_min: float = 0.0) -> Schedule:
    """SGDR: cosine annealing restarted every cycle, cycles growing by ``T_mult``.

    Cycle ``i`` lasts ``T_i = T_0 * T_mult**i`` steps. With ``T_cur`` the steps since the
    last restart,

        lr_t = eta_min + (lr0 - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2

    so the rate jumps back to ``lr0`` at each restart ("warm", since the weights are kept).
    Loshchilov & Hutter 2017, *SGDR: Stochastic Gradient Descent with Warm Restarts*.
    PyTorch: ``CosineAnnealingWarmRestarts(opt, T_0, T_mult, eta_min)`` stepped once per
    ``t`` (integer steps only here; PyTorch also accepts fractional epochs).
    """
    T_0 = _check_int("T_0", T_0, 1)
    T_mult = _check_int("T_mult", T_mult, 1)
    eta_min = _check_real("eta_min", eta_min, 0.0)

    @_schedule(f"cosine_warm_restarts(T_0={T_0}, T_mult={T_mult}, eta_min={eta_min:g})")
    def schedule(lr0, t):
        T_i, T_cur = T_0, t % T_0 if T_mult == 1 else t
        while T_cur >= T_i:  # only when T_mult > 1: a logarithmic number of cycles
            T_cur -= T_i
            T_i *= T_mult
        return eta_min + (lr0 - eta_min) * (1 + math.cos(math.pi * T_cur / T_i)) / 2

    return schedule


# ----------------------------------------------------------------------------------------
# Leslie Smith's cyclical schedules


def cyclic(
    base_lr: float, max_lr: float, step_size_up: int, mode: str = "triangular", gamma: float = 1.0
) -> Schedule:
    """Cyclical learning rate (Smith 2017, *Cyclical Learning Rates for Training Neural
    Networks*): the rate goes up linearly from ``base_lr`` to ``max_lr`` in
    ``step_size_up`` steps, back down in as many, and repeats:

        cycle = floor(1 + t / (2 * step_size_up))
        x     = |t / step_size_up - 2 * cycle + 1|
        lr_t  = base_lr + (max_lr - base_lr) * max(0, 1 - x) * scale

    with ``scale = 1`` (``"triangular"``), ``1 / 2**(cycle - 1)`` (``"triangular2"``: the
    amplitude halves every cycle) or ``gamma**t`` (``"exp_range"``). ``base_lr`` and
    ``max_lr`` are usually read off a learning-rate range test.

    ``lr0`` is ignored: like PyTorch's ``CyclicLR``, which overwrites the optimizer's rate
    with ``base_lr``, the schedule is fully set by its arguments. PyTorch:
    ``CyclicLR(opt, base_lr, max_lr, step_size_up, mode=mode, gamma=gamma)`` (its default
    ``step_size_down = step_size_up``).
    """
    base_lr = _check_real("base_lr", base_lr, 0.0)
    max_lr = _check_real("max_lr (>= base_lr)", max_lr, base_lr)
    step_size_up = _check_int("step_size_up", step_size_up, 1)
    mode = _check_choice("mode", mode, ("triangular", "triangular2", "exp_range"))
    gamma = _check_real("gamma", gamma, 0.0, 1.0, open_low=True)

    @_schedule(
        f"cyclic(base_lr={base_lr:g}, max_lr={max_lr:g}, step_size_up={step_size_up}, "
        f"mode={mode!r}, gamma={gamma:g})"
    )
    def schedule(lr0, t):
        cycle = math.floor(1 + t / (2 * step_size_up))
        x = abs(t / step_size_up - 2 * cycle + 1)
        if mode == "triangular":
            scale = 1.0
        elif mode == "triangular2":
            scale = 1 / 2 ** (cycle - 1)
        else:
            scale = gamma**t
        return base_lr + (max_lr - base_lr) * max(0.0, 1 - x) * scale

    return schedule


def _one_cycle_phase_ends(total_steps: int, pct_start: float, three_phase: bool) -> list[float]:
    """Steps where OneCycleLR's phases start and end, first to last: 0, ..., total_steps - 1."""
    pct_start = _check_real("pct_start", pct_start, 0.0, 1.0, open_low=True, open_high=True)
    peak = pct_start * total_steps - 1
    if three_phase:
        ends = [0.0, peak, 2 * pct_start * total_steps - 2, total_steps - 1]
    else:
        ends = [0.0, peak, total_steps - 1]
    if any(a >= b for a, b in zip(ends, ends[1:])):
        raise ValueError(
            f"pct_start={pct_start:g} with total_steps={total_steps} leaves a phase without "
            f"steps; need 1 < pct_start * total_steps"
            + (
                " < (total_steps + 1) / 2 with three_phase=True"
                if three_phase
                else " < total_steps"
            )
        )
    return ends


def _anneal(start: float, end: float, fraction: float, strategy: str) -> float:
    """Go from ``start`` (fraction 0) to ``end`` (fraction 1) along a half cosine or a line."""
    if strategy == "cos":
        return end + (start - end) / 2 * (math.cos(math.pi * fraction) + 1)
    return (end - start) * fraction + start


def _through_knots(t: int, steps: list[float], values: list[float], strategy: str) -> float:
    """Anneal piecewise through ``(steps[i], values[i])``; hold the last value after it."""
    for i in range(1, len(steps)):
        if t <= steps[i]:
            fraction = (t - steps[i - 1]) / (steps[i] - steps[i - 1])
            return _anneal(values[i - 1], values[i], fraction, strategy)
    return values[-1]


def one_cycle(
    max_lr: float,
    total_steps: int,
    pct_start: float = 0.3,
    div_factor: float = 25.0,
    final_div_factor: float = 1e4,
    anneal_strategy: str = "cos",
    three_phase: bool = False,
) -> Schedule:
    """The one-cycle policy (Smith & Topin 2018, *Super-Convergence: Very Fast Training of
    Neural Networks Using Large Learning Rates*), as PyTorch's ``OneCycleLR`` does it.

    With ``initial_lr = max_lr / div_factor``, ``min_lr = initial_lr / final_div_factor``
    and ``p = pct_start * total_steps``, the rate is annealed (half cosine for ``"cos"``,
    straight line for ``"linear"``) through these points:

    * two phases (default, fastai's variant): ``initial_lr`` at step 0, ``max_lr`` at step
      ``p - 1``, ``min_lr`` at step ``total_steps - 1``;
    * ``three_phase=True`` (the paper's shape): ``initial_lr`` at 0, ``max_lr`` at ``p - 1``,
      ``initial_lr`` again at ``2p - 2`` (the warm-up mirrored), then ``min_lr`` at
      ``total_steps - 1`` (the final "annihilation" phase).

    ``lr0`` is ignored (``OneCycleLR`` also overwrites the optimizer's rate). PyTorch raises
    once stepped past ``total_steps``; this schedule holds ``min_lr`` for
    ``t >= total_steps - 1``. The momentum that goes with it is :func:`one_cycle_momentum`.
    PyTorch: ``OneCycleLR(opt, max_lr, total_steps, pct_start, anneal_strategy,
    div_factor=div_factor, final_div_factor=final_div_factor, three_phase=three_phase)``.
    """
    max_lr = _check_real("max_lr", max_lr, 0.0, open_low=True)
    total_steps = _check_int("total_steps", total_steps, 2)
    div_factor = _check_real("div_factor", div_factor, 0.0, open_low=True)
    final_div_factor = _check_real("final_div_factor", final_div_factor, 0.0, open_low=True)
    anneal_strategy = _check_choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    steps = _one_cycle_phase_ends(total_steps, pct_start, bool(three_phase))
    initial_lr = max_lr / div_factor
    min_lr = initial_lr / final_div_factor
    values = (
        [initial_lr, max_lr, initial_lr, min_lr] if three_phase else [initial_lr, max_lr, min_lr]
    )

    @_schedule(
        f"one_cycle(max_lr={max_lr:g}, total_steps={total_steps}, pct_start={pct_start:g}, "
        f"div_factor={div_factor:g}, final_div_factor={final_div_factor:g}, "
        f"anneal_strategy={anneal_strategy!r}, three_phase={bool(three_phase)})"
    )
    def schedule(lr0, t):
        return _through_knots(t, steps, values, anneal_strategy)

    return schedule


def one_cycle_momentum(
    total_steps: int,
    pct_start: float = 0.3,
    base_momentum: float = 0.85,
    max_momentum: float = 0.95,
    anneal_strategy: str = "cos",
    three_phase: bool = False,
) -> Schedule:
    """The cyclical momentum that goes with :func:`one_cycle` (Smith 2018, *A disciplined
    approach to neural network hyper-parameters*): momentum moves opposite to the rate.

    Same phases as :func:`one_cycle` with the same ``total_steps``, ``pct_start``,
    ``anneal_strategy`` and ``three_phase``: ``max_momentum`` at step 0, ``base_momentum``
    at the learning-rate peak ``p - 1``, back to ``max_momentum`` at the end of the cycle
    (two phases) or at ``2p - 2``, where it stays during the final phase (three phases).
    Held at ``max_momentum`` after ``total_steps - 1``.

    Returned in the schedule calling convention, ``momentum(beta0, t)``, with ``beta0``
    ignored, so that :func:`schedule_values` plots it like a rate. PyTorch: the
    ``momentum`` (SGD) or ``betas[0]`` (Adam) that ``OneCycleLR(..., cycle_momentum=True,
    base_momentum, max_momentum)`` writes into the optimizer's parameter group.
    """
    total_steps = _check_int("total_steps", total_steps, 2)
    max_momentum = _check_real("max_momentum", max_momentum, 0.0, 1.0, open_high=True)
    base_momentum = _check_real("base_momentum (<= max_momentum)", base_momentum, 0.0, max_momentum)
    anneal_strategy = _check_choice("anneal_strategy", anneal_strategy, ("cos", "linear"))
    steps = _one_cycle_phase_ends(total_steps, pct_start, bool(three_phase))
    values = (
        [max_momentum, base_momentum, max_momentum, max_momentum]
        if three_phase
        else [max_momentum, base_momentum, max_momentum]
    )

    @_schedule(
        f"one_cycle_momentum(total_steps={total_steps}, pct_start={pct_start:g}, "
        f"base_momentum={base_momentum:g}, max_momentum={max_momentum:g}, "
        f"anneal_strategy={anneal_strategy!r}, three_phase={bool(three_phase)})"
    )
    def schedule(beta0, t):
        return _through_knots(t, steps, values, anneal_strategy)

    return schedule


# ----------------------------------------------------------------------------------------


def schedule_values(schedule: Schedule, lr0: float, n: int) -> np.ndarray:
    """The first ``n`` rates ``[schedule(lr0, 0), ..., schedule(lr0, n - 1)]`` as a float64
    array: what a run of ``n`` epochs (or steps) would use, for plotting before training."""
    if not callable(schedule):
        raise TypeError(f"schedule must be a callable schedule(lr0, t), got {schedule!r}")
    n = _check_int("n", n, 0)
    return np.array([schedule(lr0, t) for t in range(n)], dtype=np.float64)
