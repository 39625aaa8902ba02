"""What a batch size costs: seconds per step and per epoch, progress per second, memory,
and reading the data from disk (chapter 1).

The chapter's measurements, each a function that returns plain numbers:

* ``steps_to_reach``: the steps a batch size needs until the loss on the whole training
  set first reaches a target, counted step by step (not rounded up to whole epochs).
* ``batch_loss_spread``: how much the loss of a mini-batch scatters at fixed parameters,
  which is why the per-step loss curve of mini-batch training is noisy.
* ``time_steps``: seconds for one training step on a batch of each size. Dividing by
  the batch size gives the cost per example, which falls while vectorisation pays off.
* ``train_for_seconds``: mini-batch gradient descent under a wall-clock budget instead
  of a number of epochs, with the training loss recorded along the way (the clock is
  stopped while the loss is measured). Running it for several batch sizes with the same
  budget answers "which batch size learns most per second?". ``step_costs`` measures
  what a step of each size costs, so that the race can charge those costs instead of
  reading the clock.
* ``batch_memory_bytes``: the memory a batch occupies during a step, which is what
  limits the batch size on a GPU.
* ``save_batch_files`` / ``save_example_files`` / ``read_batch_files`` /
  ``read_example_files`` / ``time_epoch``: the same epoch fed from memory, from one
  ``.npy`` file per batch, or from one file per example, with reading and computing
  timed separately; ``time_data_sources`` runs the three side by side.

Timings on a shared machine jitter. ``time_steps`` and ``time_epoch`` repeat their
measurement and keep the *fastest* run (as ``timeit`` does), the one least disturbed by
other programs (``time_epoch`` the fastest of each read and each step); ``train_for_seconds`` runs once, against the clock, or charges every step
the fastest time ``step_costs`` measured for its size. Pinning the linear
algebra library to one thread (``threadpoolctl.threadpool_limits(1)``) steadies all of them.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dldemos.data import random_mini_batches
from dldemos.seeding import make_rng
from dldemos.train import train_step


def training_step(model, optimizer, X_t: np.ndarray, Y_t: np.ndarray) -> float:
    """:func:`dldemos.train.train_step`, for runs that may diverge (learning-rate races).

    Raises ``FloatingPointError`` when a gradient is NaN or infinite -- the run has
    diverged, usually because the learning rate is too large. The optimizer refuses such
    gradients before touching anything, so the parameters are left as they were.
    """
    try:
        return train_step(model, optimizer, X_t, Y_t)
    except ValueError as err:
        if all(np.isfinite(grad).all() for grad in model.get_grad_dict().values()):
            raise
        raise FloatingPointError(_diverged(optimizer, "a gradient is not finite")) from err


def _diverged(optimizer, what: str) -> str:
    return f"{what}: training diverged (learning rate {optimizer.learning_rate:g} too large?)"


def _check_positive_int(name: str, value) -> None:
    if not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}")


def time_steps(
    model, optimizer, X: np.ndarray, Y: np.ndarray, batch_sizes: Iterable[int], repeats: int = 5
) -> np.ndarray:
    """Seconds one training step takes on a batch of each size in ``batch_sizes``.

    Each batch is the first ``b`` examples of ``(X, Y)`` (sizes larger than ``m`` are
    rejected). A step is timed ``repeats`` times and the fastest is kept. The model *is*
    trained by these steps: use a throw-away copy.
    """
    batch_sizes = list(batch_sizes)
    _check_positive_int("repeats", repeats)
    m = X.shape[1]
    seconds = np.empty(len(batch_sizes))
    for i, b in enumerate(batch_sizes):
        _check_positive_int("batch size", b)
        if b > m:
            raise ValueError(f"batch size {b} is larger than the data set (m = {m} examples)")
        X_t, Y_t = X[:, :b], Y[:, :b]
        training_step(model, optimizer, X_t, Y_t)  # warm-up: first-call allocations
        fastest = np.inf
        for _ in range(repeats):
            start = time.perf_counter()
            training_step(model, optimizer, X_t, Y_t)
            fastest = min(fastest, time.perf_counter() - start)
        seconds[i] = fastest
    return seconds


def step_costs(
    make_model: Callable[[], object],
    make_optimizer: Callable[[dict, float], object],
    X: np.ndarray,
    Y: np.ndarray,
    batch_sizes: Iterable[int],
    repeats: int = 25,
    seed: int = 0,
) -> dict[int, float]:
    """Seconds of one training step for each batch size, and for the last batch of its epoch.

    An epoch of ``m`` examples in batches of ``b`` ends with a batch of ``m % b`` examples
    (when that is not 0): its cost is measured too, so the result can charge every step of an
    epoch (:func:`train_for_seconds`'s ``step_seconds``). A size of ``m`` or more is the full
    batch. Each batch size trains a fresh ``make_model()`` with ``make_optimizer(params,
    0.01)`` on reshuffled batches, as in training.

    The sizes are timed in ``repeats`` rounds, each a step of every size in turn, and each
    size's cost is its *fastest* step (as in :func:`time_steps`; every size the same number
    of chances). A machine has slow spells (another program, a lower clock) that last longer
    than a few steps; timed one size after the other, one size could fall in a spell and the
    next not, which changes their ratio, the very thing a race compares. Taken in turns, the
    sizes share the spells. Before each timed step an untimed step of the same model (on the
    epoch's second batch, or its only one) brings its weights back into the caches, where
    the steps of the other sizes left theirs: the timed step costs what it costs in training.
    """
    _check_positive_int("repeats", repeats)
    runs = []  # (model, optimizer, batch size) for each batch size
    for b in batch_sizes:
        _check_positive_int("batch size", b)
        model = make_model()
        runs.append((model, make_optimizer(model.param_dict, 0.01), b))
    rng = make_rng(seed)
    timings: dict[int, list[float]] = {}
    for _ in range(repeats):
        timed_this_round = set()
        for model, optimizer, b in runs:
            batches = random_mini_batches(X, Y, b, rng=rng)
            for X_t, Y_t in (batches[0], batches[-1]):  # a whole batch, the epoch's last
                size = X_t.shape[1]
                if size in timed_this_round:
                    continue
                timed_this_round.add(size)
                training_step(model, optimizer, *batches[1 % len(batches)])  # untimed
                start = time.perf_counter()
                training_step(model, optimizer, X_t, Y_t)
                timings.setdefault(size, []).append(time.perf_counter() - start)
    return {size: min(seconds) for size, seconds in sorted(timings.items())}


@dataclass
class TimedRun:
    """What ``train_for_seconds`` records.

    ``seconds[i]`` is the training time (clock stopped during evaluations) after which the
    loss on the whole training set was ``train_loss[i]``; the first entry is the loss
    before any step. ``steps`` and ``examples`` count what was done within the budget.
    ``diverged`` is true when the loss became NaN or infinite; the run stopped there and
    its last recorded loss is ``inf``.
    """

    batch_size: int
    num_examples: int
    learning_rate: float
    seconds: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    steps: int = 0
    examples: int = 0
    diverged: bool = False

    @property
    def epochs(self) -> float:
        """Passes over the training set, fractional: examples seen / m."""
        return self.examples / self.num_examples

    @property
    def seconds_per_epoch(self) -> float:
        """Training time of one pass over the training set (evaluation excluded)."""
        return self.seconds[-1] / self.epochs if self.examples else float("nan")

    @property
    def final_loss(self) -> float:
        """Training-set loss at the end of the budget (``inf`` for a diverged run)."""
        return self.train_loss[-1]


def train_for_seconds(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    seconds: float,
    seed: int = 0,
    evaluations: int = 20,
    step_seconds: Mapping[int, float] | None = None,
) -> TimedRun:
    """Mini-batch gradient descent until ``seconds`` of training time are used up.

    The examples are reshuffled every epoch from ``make_rng(seed)``, the last
    batch of an epoch holds the remainder, and ``optimizer.increase_epoch()`` is called
    after each epoch, exactly as in ``dldemos.train.train``. About ``evaluations`` times
    during the run (every ``seconds / evaluations`` of training time) the loss on the whole
    training set is recorded; the clock is stopped meanwhile, so a batch size that makes
    many cheap steps is not charged for the extra bookkeeping.

    The budget is checked between steps, so a run overshoots it by at most one step (a
    whole epoch for batch gradient descent); the last entry of ``TimedRun.seconds`` is the
    time actually used. A run whose loss becomes NaN or infinite stops early with
    ``diverged=True``.

    With ``step_seconds`` (batch size -> seconds, from :func:`step_costs`) the clock is not
    read: a step on ``b`` examples is charged ``step_seconds[b]``. The budget then buys every
    run the steps it would make on an idle machine, however busy this one is, and the same
    costs give the same run every time.
    """
    _check_positive_int("batch_size", batch_size)
    _check_positive_int("evaluations", evaluations)
    if not seconds > 0:
        raise ValueError(f"seconds must be a positive time budget, got {seconds!r}")
    m = X.shape[1]
    if step_seconds is not None:
        needed = {min(batch_size, m), m % batch_size} - {0}
        missing = sorted(needed - set(step_seconds))
        if missing:
            raise KeyError(f"step_seconds has no cost for a step of {missing} examples")
    rng = make_rng(seed)
    run = TimedRun(
        batch_size=min(batch_size, m), num_examples=m, learning_rate=float(optimizer.learning_rate)
    )

    def record(elapsed: float) -> None:
        loss = float(model.evaluate(X, Y, return_loss=True)[1])
        run.diverged = not np.isfinite(loss)
        run.seconds.append(elapsed)
        run.train_loss.append(float("inf") if run.diverged else loss)

    interval = seconds / evaluations
    elapsed, next_evaluation = 0.0, interval
    # a diverging run overflows on its way to inf or NaN: an outcome, recorded, not a warning
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        record(0.0)
        while elapsed < seconds and not run.diverged:
            batches = random_mini_batches(X, Y, batch_size, rng=rng)
            for t, (X_t, Y_t) in enumerate(batches, start=1):
                start = time.perf_counter()
                try:
                    training_step(model, optimizer, X_t, Y_t)
                except FloatingPointError:
                    run.seconds.append(elapsed + _cost(step_seconds, X_t, start))
                    run.train_loss.append(float("inf"))
                    run.diverged = True
                    return run
                elapsed += _cost(step_seconds, X_t, start)
                run.steps += 1
                run.examples += X_t.shape[1]
                if t == len(batches):
                    optimizer.increase_epoch()
                if elapsed >= next_evaluation or elapsed >= seconds:
                    record(elapsed)
                    next_evaluation = elapsed + interval
                if elapsed >= seconds or run.diverged:
                    break
    return run


def _cost(step_seconds: Mapping[int, float] | None, X_t: np.ndarray, start: float) -> float:
    """The seconds a step on ``X_t`` is charged: its cost in ``step_seconds``, else the clock."""
    if step_seconds is None:
        return time.perf_counter() - start
    return step_seconds[X_t.shape[1]]


def race_batch_sizes(
    make_model: Callable[[], object],
    make_optimizer: Callable[[dict, float], object],
    X: np.ndarray,
    Y: np.ndarray,
    batch_sizes: Iterable[int],
    learning_rates: Iterable[float] | Mapping[int, Iterable[float]],
    seconds: float,
    seed: int = 0,
    step_seconds: Mapping[int, float] | None = None,
) -> dict[int, TimedRun]:
    """Give every batch size the same wall-clock budget, each with its best learning rate.

    For each batch size and each of its learning rates, a fresh ``make_model()`` (seeded:
    the same initial network every time) is trained by ``make_optimizer(model.param_dict,
    lr)`` with :func:`train_for_seconds` for ``seconds``. The run with the lowest final
    training loss is kept; a diverged run never wins unless all diverged. A batch size may
    suit a rate that another cannot survive, so a race at one shared rate would be unfair.

    ``learning_rates`` is one grid for every batch size, or a dict ``batch size -> grid``
    (small batches need smaller rates: a narrower grid per size costs fewer runs).
    Returns ``batch size -> best TimedRun`` (its ``learning_rate`` says which rate won).

    A race against the wall clock on a busy machine is decided partly by whatever else ran
    during each run; ``step_seconds`` (from :func:`step_costs`) charges every step its
    measured cost instead (see :func:`train_for_seconds`).
    """
    batch_sizes = list(batch_sizes)
    if isinstance(learning_rates, Mapping):
        missing = [b for b in batch_sizes if b not in learning_rates]
        if missing:
            raise KeyError(f"learning_rates has no grid for batch size(s) {missing}")
        grids = {b: list(learning_rates[b]) for b in batch_sizes}
    else:
        grid = list(learning_rates)
        grids = {b: grid for b in batch_sizes}
    best = {}
    for batch_size in batch_sizes:
        if not grids[batch_size]:
            raise ValueError(f"no learning rate to try for batch size {batch_size}")
        for learning_rate in grids[batch_size]:
            model = make_model()
            run = train_for_seconds(
                model,
                make_optimizer(model.param_dict, learning_rate),
                X,
                Y,
                batch_size,
                seconds,
                seed=seed,
                step_seconds=step_seconds,
            )
            if batch_size not in best or run.final_loss < best[batch_size].final_loss:
                best[batch_size] = run
    return best


def steps_to_reach(
    model,
    optimizer,
    X: np.ndarray,
    Y: np.ndarray,
    batch_size: int,
    target_loss: float,
    max_epochs: int,
    seed: int = 0,
) -> int | None:
    """The number of steps after which the training-set loss is first at most ``target_loss``.

    The run is the one :func:`dldemos.train.train` makes with the same ``seed`` (the same
    shuffles, the last batch of an epoch holding the remainder, ``increase_epoch`` after
    every epoch), but the loss on the whole of ``(X, Y)`` is evaluated after *every* step
    instead of every epoch, so the count is exact rather than rounded up to a whole epoch.
    Returns ``None`` if the target is not reached within ``max_epochs`` epochs.
    """
    _check_positive_int("batch_size", batch_size)
    _check_positive_int("max_epochs", max_epochs)
    rng = make_rng(seed)
    step = 0
    for _ in range(max_epochs):
        for X_t, Y_t in random_mini_batches(X, Y, batch_size, rng=rng):
            train_step(model, optimizer, X_t, Y_t)
            step += 1
            if model.evaluate(X, Y, return_loss=True)[1] <= target_loss:
                return step
        optimizer.increase_epoch()
    return None


def batch_loss_spread(
    model,
    X: np.ndarray,
    Y: np.ndarray,
    batch_sizes: Iterable[int],
    n_batches: int = 200,
    seed: int = 0,
) -> np.ndarray:
    """Standard deviation of the mini-batch loss at *fixed* parameters, for each batch size.

    For each ``b``, ``n_batches`` batches of ``b`` distinct examples are drawn at random
    (as reshuffling every epoch does) and the model's loss on each is computed, without
    training. The loss of a batch is the mean of ``b`` per-example losses, so its standard
    deviation is about ``sigma / sqrt(b)`` (times ``sqrt((m - b) / (m - 1))`` because the
    examples are drawn without replacement: 0 for the full batch, which never changes).
    """
    _check_positive_int("n_batches", n_batches)
    rng = make_rng(seed)
    m = X.shape[1]
    spread = []
    for b in batch_sizes:
        _check_positive_int("batch size", b)
        if b > m:
            raise ValueError(f"batch size {b} is larger than the data set (m = {m} examples)")
        losses = []
        for _ in range(n_batches):
            columns = rng.choice(m, size=b, replace=False)
            losses.append(
                float(model.loss(Y[:, columns], model.forward(X[:, columns], train_mode=False)))
            )
        spread.append(np.std(losses))
    return np.array(spread)


def batch_memory_bytes(neuron_cnt: list[int], batch_size: int, dtype=np.float64) -> int:
    """Bytes a batch occupies during a training step of a fully connected network.

    The forward pass keeps every layer's activations for the backward pass, input
    included: ``A[l]`` has shape ``(n[l], b)``, so together ``b * sum(n[l])`` numbers.
    The parameters and their gradients come on top but do not grow with ``b``; temporary
    arrays of the backward pass add a layer or two more. The estimate is therefore a lower
    bound that grows linearly in the batch size, which is the point.
    """
    _check_positive_int("batch_size", batch_size)
    for n in neuron_cnt:
        _check_positive_int("layer size in neuron_cnt", n)
    return int(batch_size) * int(sum(neuron_cnt)) * np.dtype(dtype).itemsize


# --------------------------------------------------------------------------------------
# Reading from disk
# --------------------------------------------------------------------------------------


def save_batch_files(
    X: np.ndarray, Y: np.ndarray, batch_size: int, folder, seed: int = 0
) -> list[tuple[Path, Path]]:
    """Shuffle ``(X, Y)`` once, cut it into batches and save each as two ``.npy`` files,
    ``batch_00000_X.npy`` and ``batch_00000_Y.npy``, in ``folder`` (created if needed).

    Returns the ``(X path, Y path)`` pairs in batch order. The batches are fixed on disk:
    a reader can shuffle their *order* each epoch, not the examples inside them.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    batches = random_mini_batches(X, Y, batch_size, rng=make_rng(seed))
    for t, (X_t, Y_t) in enumerate(batches):
        x_path, y_path = folder / f"batch_{t:05d}_X.npy", folder / f"batch_{t:05d}_Y.npy"
        np.save(x_path, X_t)
        np.save(y_path, Y_t)
        paths.append((x_path, y_path))
    return paths


def save_example_files(X: np.ndarray, Y: np.ndarray, folder) -> list[Path]:
    """Save every example (column of ``X`` with its label) as its own ``.npy`` file,
    ``example_00000.npy`` holding ``[x_1, ..., x_n, y]``: the layout of an image folder,
    one file per picture. Returns the paths in column order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    if np.ndim(Y) != 2 or Y.shape[0] != 1 or Y.shape[1] != X.shape[1]:
        raise ValueError(
            f"expected X of shape (n_x, m) and Y of shape (1, m); got {X.shape} and {np.shape(Y)}"
        )
    paths = []
    for i in range(X.shape[1]):
        path = folder / f"example_{i:05d}.npy"
        np.save(path, np.append(X[:, i], Y[0, i]))
        paths.append(path)
    return paths


def read_batch_files(
    paths: list[tuple[Path, Path]], rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield the batches saved by ``save_batch_files``, reading each pair of files only when
    it is needed, in an order shuffled by ``rng``."""
    for i in rng.permutation(len(paths)):
        x_path, y_path = paths[i]
        yield np.load(x_path), np.load(y_path)


def read_example_files(
    paths: list[Path], batch_size: int, rng: np.random.Generator
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Yield batches of ``batch_size`` examples read from the files of ``save_example_files``:
    the examples are shuffled by ``rng``, then each batch opens its ``batch_size`` files."""
    _check_positive_int("batch_size", batch_size)
    order = rng.permutation(len(paths))
    for start in range(0, len(order), batch_size):
        columns = np.stack([np.load(paths[i]) for i in order[start : start + batch_size]], axis=1)
        yield columns[:-1], columns[-1:].astype(np.int64)


def time_epoch(
    model,
    optimizer,
    make_batches: Callable[[], Iterable[tuple[np.ndarray, np.ndarray]]],
    repeats: int = 1,
) -> tuple[float, float]:
    """Train on the batches of one epoch; return ``(read_seconds, compute_seconds)``.

    ``make_batches()`` starts an epoch and returns its batches (a list such as
    ``random_mini_batches`` makes, or a reader of files). Reading is the time spent in that
    call and in waiting for each next batch: shuffling and copying for data in memory,
    ``np.load`` for files. Computing is the time of the training steps themselves. With
    ``repeats > 1`` the epoch is run that many times and every read and every step keeps its
    fastest time: reading one small file takes a fraction of a millisecond, so one pause of
    the program in an epoch would otherwise double an epoch's reading time.
    """
    _check_positive_int("repeats", repeats)
    reads, computes = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        iterator = iter(make_batches())
        read_seconds, compute_seconds = [time.perf_counter() - start], []
        while True:
            start = time.perf_counter()
            batch = next(iterator, None)
            read_seconds[-1] += time.perf_counter() - start
            if batch is None:
                break
            start = time.perf_counter()
            training_step(model, optimizer, *batch)
            compute_seconds.append(time.perf_counter() - start)
            read_seconds.append(0.0)
        reads.append(read_seconds)
        computes.append(compute_seconds)
    return float(np.min(reads, axis=0).sum()), float(np.min(computes, axis=0).sum())


def time_data_sources(
    model, optimizer, X: np.ndarray, Y: np.ndarray, batch_size: int, repeats: int = 1, seed: int = 0
) -> dict[str, tuple[float, float]]:
    """One epoch fed from memory, from one file per batch and from one file per example.

    Writes ``(X, Y)`` to a temporary folder twice (:func:`save_batch_files`,
    :func:`save_example_files`), then times an epoch of batches of ``batch_size`` from each
    source with :func:`time_epoch` (``repeats`` runs, fastest kept) and deletes the files.
    Returns ``{"in memory": (read, compute), "one file per batch": ..., "one file per
    example": ...}`` in seconds. The model is trained by all these epochs: use a throw-away one.
    """
    _check_positive_int("batch_size", batch_size)
    rng = make_rng(seed)
    with tempfile.TemporaryDirectory() as folder:
        batch_files = save_batch_files(X, Y, batch_size, Path(folder) / "batches", seed=seed)
        example_files = save_example_files(X, Y, Path(folder) / "examples")
        sources = {
            "in memory": lambda: random_mini_batches(X, Y, batch_size, rng),
            "one file per batch": lambda: read_batch_files(batch_files, rng),
            "one file per example": lambda: read_example_files(example_files, batch_size, rng),
        }
        return {
            name: time_epoch(model, optimizer, make_batches, repeats)
            for name, make_batches in sources.items()
        }
