"""Interleaved timing: every contender of a workload is timed in the same process, in turn.

Timing A for a minute and then B for a minute lets anything that changes in between (another
program starting on a shared machine, the CPU clocking down) pass for a difference between A
and B. Here one *repetition* times one sample of each contender, A then B, and the
repetitions follow each other (A B A B ...), so a disturbance hits both about equally.

A *sample* is the mean time of ``number`` consecutive calls, with ``number`` chosen per
contender (as ``timeit.Timer.autorange`` does) so that a sample lasts at least ``min_time``
seconds; garbage collection is paused during a sample, as in ``timeit``. Warm-up calls
(first-touch page faults, lazily built buffers, BLAS start-up) come before any sample.

The summary of a contender is the *median* of its samples, which one disturbed sample
cannot move; the ratio of two contenders is the ratio of their medians. The spread of the
per-repetition ratios (sample of A over sample of B in the same repetition) says how much
to trust it.
"""

from __future__ import annotations

import contextlib
import gc
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

Clock = Callable[[], float]


def calls_per_sample(
    func: Callable[[], object], min_time: float, clock: Clock = time.perf_counter
) -> int:
    """The smallest ``number`` in 1, 2, 5, 10, 20, 50, ... for which ``number`` calls of
    ``func`` take at least ``min_time`` seconds (the calls made here count as warm-up)."""
    number = 1
    multipliers = (2, 2.5, 2)  # 1 -> 2 -> 5 -> 10 -> 20 -> 50 -> ...
    i = 0
    while True:
        start = clock()
        for _ in range(number):
            func()
        if clock() - start >= min_time:
            return number
        number = round(number * multipliers[i % 3])
        i += 1


def _sample(func: Callable[[], object], number: int, clock: Clock) -> float:
    """Mean seconds per call over ``number`` calls, with the garbage collector paused."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        start = clock()
        for _ in range(number):
            func()
        return (clock() - start) / number
    finally:
        if gc_was_enabled:
            gc.enable()


def time_interleaved(
    contenders: Mapping[str, Callable[[], object]],
    repeats: int = 5,
    warmup: int = 2,
    min_time: float = 0.2,
    clock: Clock = time.perf_counter,
    contexts: Mapping[str, Callable[[], contextlib.AbstractContextManager]] | None = None,
) -> dict[str, list[float]]:
    """Seconds per call of each contender: ``repeats`` samples each, taken in turn.

    After ``warmup`` calls of each contender and the calibration of ``number``, repetition
    ``r`` takes one sample of every contender in the order of ``contenders``
    (A B A B ... for two). Returns ``name -> [sample_1, ..., sample_repeats]``.
    ``contexts`` maps a contender to a context manager factory entered around its
    warm-up, its calibration and each of its samples (not around each call): e.g.
    ``lambda: threadpool_limits(1)`` times the same function with one BLAS thread.
    """
    if repeats < 1:
        raise ValueError(f"repeats must be at least 1, got {repeats}")
    if warmup < 0:
        raise ValueError(f"warmup must be >= 0, got {warmup}")
    contexts = contexts or {}
    unknown = set(contexts) - set(contenders)
    if unknown:
        raise ValueError(
            f"contexts for unknown contenders {sorted(unknown)}; the contenders are {list(contenders)}"
        )

    def within(name: str):
        return contexts[name]() if name in contexts else contextlib.nullcontext()

    for name, func in contenders.items():
        with within(name):
            for _ in range(warmup):
                func()
    number = {}
    for name, func in contenders.items():
        with within(name):
            number[name] = calls_per_sample(func, min_time, clock)
    samples: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(repeats):
        for name, func in contenders.items():
            with within(name):
                samples[name].append(_sample(func, number[name], clock))
    return samples


@dataclass
class Comparison:
    """Our samples against theirs for one workload, and the goal on the ratio ours / theirs."""

    workload: str
    ours: list[float]
    theirs: list[float]
    goal: float | None = None
    notes: dict[str, object] = field(default_factory=dict)

    @property
    def ours_median(self) -> float:
        return statistics.median(self.ours)

    @property
    def theirs_median(self) -> float:
        return statistics.median(self.theirs)

    @property
    def ratio(self) -> float:
        """``median(ours) / median(theirs)``: below 1 we are faster."""
        return self.ours_median / self.theirs_median

    @property
    def ratio_range(self) -> tuple[float, float]:
        """Smallest and largest ratio of two samples taken in the same repetition."""
        ratios = [a / b for a, b in zip(self.ours, self.theirs)]
        return min(ratios), max(ratios)

    @property
    def met(self) -> bool | None:
        """Whether the ratio meets the goal (``None`` when there is no goal)."""
        return None if self.goal is None else self.ratio <= self.goal


def compare(
    workload: str,
    ours: Callable[[], object],
    theirs: Callable[[], object],
    goal: float | None = None,
    **timing,
) -> Comparison:
    """Time ``ours`` and ``theirs`` interleaved (see :func:`time_interleaved`)."""
    samples = time_interleaved({"ours": ours, "theirs": theirs}, **timing)
    return Comparison(workload, samples["ours"], samples["theirs"], goal)
