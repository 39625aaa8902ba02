r"""Data-parallel training with ``torch.distributed`` and ``DistributedDataParallel`` (chapter 7).

Data parallelism in one paragraph
---------------------------------
Each of ``K`` workers (one process per GPU, or per group of CPU cores) holds a full copy of
the model. A step cuts the *global* mini-batch of ``B`` examples into ``K`` equal shards;
worker ``r`` computes the mean loss on its ``B/K`` examples and its gradient ``g_r``, and
``DistributedDataParallel`` (DDP) all-reduces the gradients during the backward pass, so
that every worker ends up holding

.. math::
    \bar g = \frac{1}{K} \sum_{r=0}^{K-1} g_r
           = \frac{1}{K} \sum_{r} \nabla \frac{K}{B} \sum_{i \in \text{shard}_r} \ell_i
           = \nabla \frac{1}{B} \sum_{i=1}^{B} \ell_i ,

the gradient of the mean loss over the whole global batch. Every worker then takes the same
``optimizer.step()``, so the copies never drift apart. ``K`` workers with ``B/K`` examples
each therefore take exactly the step that one process takes with ``B`` examples, and that
one process takes when it *accumulates* the gradients of ``A`` micro-batches of ``B/A``
(each loss divided by ``A``) before stepping. ``tests/test_distributed.py`` checks that the
three agree to float64 rounding. Scaling out changes the clock time of a step, not the
algorithm: what it does change is the batch size one can afford, and with it the learning
rate (the linear scaling rule and warmup of Goyal et al. 2017, below).

Running it
----------
::

    python -m dldemos.torch.distributed --help
    python -m dldemos.torch.distributed --batch-size 256 --accumulation-steps 4   # one process
    torchrun --standalone --nproc_per_node=2 -m dldemos.torch.distributed --batch-size 256
    # several machines: the same line on every machine, all pointing at one rendezvous host
    torchrun --nnodes=2 --nproc_per_node=8 --rdzv-backend=c10d --rdzv-endpoint=node0:29500 \
             --rdzv-id=digits42 -m dldemos.torch.distributed --batch-size 4096 ...

``torchrun`` starts the workers and gives each one ``RANK``, ``LOCAL_RANK``, ``WORLD_SIZE``,
``MASTER_ADDR`` and ``MASTER_PORT`` in its environment; ``init_process_group`` reads them.
Without them (plain ``python -m``) the script is a single worker with no process group. On
GPUs worker ``LOCAL_RANK`` takes ``cuda:LOCAL_RANK`` and the workers talk over NCCL; on CPUs
they talk over gloo.

What a correct data-parallel run needs, and where this module does it
---------------------------------------------------------------------
* **The same global batches on every worker, split without overlap** (``ShardedBatches``):
  every worker draws the same permutation per epoch (seeded by ``(seed, epoch)``, so nothing
  has to be sent), cuts it into the same global batches and keeps every ``K``-th example
  from its rank on, the interleaving of ``torch.utils.data.DistributedSampler``. The last,
  incomplete global batch is dropped: a worker with one step fewer than the others would
  leave them waiting in an all-reduce that never completes.
* **The same initial weights**: every worker seeds ``torch.manual_seed(seed)`` before
  building the model, and DDP broadcasts rank 0's weights when it wraps the model anyway.
* **Gradient accumulation without wasted communication** (``train_step``): the all-reduce
  of all but the last micro-batch is skipped with ``DDP.no_sync()``; the gradients add up
  locally and are averaged once.
* **Checkpoints** (``save_checkpoint``): written by rank 0 alone, atomically (a temporary
  file, then ``os.replace``), every ``--checkpoint-every`` steps. On ``--resume`` every rank
  loads the same file and waits at a barrier before training on. A checkpoint depends on
  the global batch only, not on how it was split: a run checkpointed on 8 workers resumes
  on 2 with ``--accumulation-steps 4`` and continues the same trajectory.
* **Failures**: when one worker dies, ``torchrun`` stops the others and exits non-zero with
  a summary naming the failed rank; ``main`` is wrapped in ``@record``, so the summary shows
  the worker's own traceback. Rerun with ``--resume`` (or launch with ``torchrun
  --max-restarts=3`` and ``--resume`` from the start) to go on from the last checkpoint.
  ``--fail-at-step`` makes a worker fail on purpose, for the tests and the chapter.

The learning rate
-----------------
``--lr`` is the rate that suits ``--base-batch-size`` examples. With a larger global batch
``B = k * base`` the linear scaling rule (``linear_scaling``) multiplies it by ``k``, and
``--warmup-steps`` ramps the rate linearly from ``--lr`` to ``k * lr`` (the gradual warmup
of Goyal et al. 2017) with ``dldemos.schedules.linear_warmup``, driven through
``torch.optim.lr_scheduler.LambdaLR`` and stepped after every optimizer step. The linear
rule is SGD's; for Adam ``--scaling sqrt`` multiplies the rate by ``sqrt(k)`` instead (the
square-root rule of Malladi et al. 2022, ``square_root_scaling``).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import os
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.distributed as dist
from torch import nn
from torch.distributed.elastic.multiprocessing.errors import record
from torch.nn.parallel import DistributedDataParallel
from torch.optim.lr_scheduler import LambdaLR

from dldemos import schedules
from dldemos.files import atomic_write
from dldemos.seeding import manual_seed, shifted
from dldemos.torch import optim
from dldemos.torch.data import DATASETS, DeviceBatchIterator, load_dataset
from dldemos.torch.models import MLP, LeNet
from dldemos.torch.train import evaluate

__all__ = [
    "TrainConfig",
    "TrainResult",
    "Worker",
    "ShardedBatches",
    "OPTIMIZERS",
    "MODELS",
    "linear_scaling",
    "square_root_scaling",
    "learning_rate_schedule",
    "train_step",
    "accumulate_gradients",
    "time_train_step",
    "save_checkpoint",
    "load_checkpoint",
    "init_worker",
    "train",
    "parse_args",
    "main",
]

OPTIMIZERS = {
    "sgd": optim.SGD,
    "momentum": optim.Momentum,
    "adagrad": optim.AdaGrad,
    "rmsprop": optim.RMSProp,
    "adadelta": optim.AdaDelta,
    "adam": optim.Adam,
    "adamw": optim.AdamW,
}
MODELS = ("mlp", "lenet")
DECAYS = ("const", "cosine")
DTYPES = {"float32": torch.float32, "float64": torch.float64}
SCALINGS = ("linear", "sqrt")

# The settings that decide the trajectory. A checkpoint records them, and resuming with
# other values is refused; how the global batch is split (workers, accumulation steps)
# is free to change.
TRAJECTORY_KEYS = (
    "dataset",
    "model",
    "hidden",
    "optimizer",
    "optimizer_options",
    "lr",
    "base_batch_size",
    "scaling",
    "batch_size",
    "epochs",
    "warmup_steps",
    "decay",
    "seed",
    "dtype",
)


@dataclass
class TrainConfig:
    """Everything one run needs; each field is the command-line option of the same name.

    ``batch_size`` is the *global* batch ``B``: the examples behind one optimizer step, over
    all workers and accumulation steps. Each worker's micro-batch has
    ``B / (world_size * accumulation_steps)`` examples, which must be a whole number.
    """

    dataset: str = "digits"
    data_dir: str | None = None
    model: str = "mlp"
    hidden: tuple[int, ...] = (64,)
    optimizer: str = "sgd"
    optimizer_options: dict = field(default_factory=dict)
    lr: float = 0.1
    base_batch_size: int | None = None
    scaling: str = "linear"
    batch_size: int = 64
    accumulation_steps: int = 1
    epochs: int = 5
    warmup_steps: int = 0
    decay: str = "const"
    seed: int = 0
    dtype: str = "float32"
    device: str = "auto"
    checkpoint: str | None = None
    checkpoint_every: int = 0
    resume: bool = False
    fail_at_step: int | None = None
    fail_rank: int = -1
    log: bool = True

    def __post_init__(self) -> None:
        choices = {
            "dataset": DATASETS,
            "model": MODELS,
            "optimizer": tuple(OPTIMIZERS),
            "decay": DECAYS,
            "dtype": tuple(DTYPES),
            "scaling": SCALINGS,
        }
        for name, allowed in choices.items():
            if getattr(self, name) not in allowed:
                raise KeyError(
                    f"unknown {name} {getattr(self, name)!r}; expected one of {list(allowed)}"
                )
        self.hidden = tuple(self.hidden)
        for name in ("batch_size", "accumulation_steps", "epochs"):
            _check_int(name, getattr(self, name), 1)
        for name in ("warmup_steps", "checkpoint_every"):
            _check_int(name, getattr(self, name), 0)
        for name in ("base_batch_size", "fail_at_step"):
            if getattr(self, name) is not None:
                _check_int(name, getattr(self, name), 1)
        if not self.lr > 0:
            raise ValueError(f"lr must be > 0, got {self.lr!r}")
        if not isinstance(self.optimizer_options, dict):
            raise TypeError(
                f"optimizer_options must be a dict of keyword arguments, got "
                f"{self.optimizer_options!r}"
            )
        if self.resume and self.checkpoint is None:
            raise ValueError("resume=True needs a checkpoint path to resume from")

    def trajectory(self) -> dict:
        """The settings that a resumed run must share with the run that wrote the checkpoint."""
        settings = dataclasses.asdict(self)
        settings["hidden"] = list(self.hidden)
        return {key: settings[key] for key in TRAJECTORY_KEYS}


def _check_int(name: str, value, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")


@dataclass(frozen=True)
class Worker:
    """Who this process is: its ``rank`` among ``world_size`` workers and its device."""

    rank: int = 0
    world_size: int = 1
    device: torch.device = torch.device("cpu")

    @property
    def distributed(self) -> bool:
        return self.world_size > 1


def _worker_device(device: str) -> torch.device:
    """``"auto"`` or ``"cuda"``: this worker's GPU ``cuda:LOCAL_RANK`` (``"auto"``: the CPU
    when there is no GPU); anything else as given."""
    local_rank = int(os.environ.get("LOCAL_RANK", 0))
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(device)
    return torch.device("cuda", local_rank) if device == torch.device("cuda") else device


def init_worker(device: str = "auto") -> Worker:
    """Join the process group that ``torchrun`` set up, or run alone without one.

    Under ``torchrun`` (``RANK`` is in the environment) this calls
    ``dist.init_process_group`` with NCCL when the worker trains on a GPU and gloo otherwise;
    ``device="auto"`` gives worker ``LOCAL_RANK`` the GPU ``cuda:LOCAL_RANK`` when PyTorch sees
    one, else the CPU.
    """
    device = _worker_device(device)
    if "RANK" not in os.environ:
        return Worker(device=device)
    if device.type == "cuda":
        torch.cuda.set_device(device)
    on_gpu = device.type == "cuda"
    dist.init_process_group("nccl" if on_gpu else "gloo", device_id=device if on_gpu else None)
    return Worker(dist.get_rank(), dist.get_world_size(), device)


class ShardedBatches:
    """One worker's share of every global mini-batch, as a list of micro-batches per step.

    Global batches are those of ``DeviceBatchIterator(X, Y, batch_size, shuffle=True,
    seed=seed, drop_last=True)``: the same on every worker. From each one, worker ``rank``
    keeps the examples at positions ``rank, rank + K, rank + 2K, ...`` (``K = world_size``),
    as ``DistributedSampler`` does, and cuts them into ``accumulation_steps`` equal
    micro-batches. Over all workers and micro-batches a step therefore sees exactly the
    global batch, each example once. ``set_epoch(e)`` makes the next pass epoch ``e``.
    """

    def __init__(
        self,
        X: torch.Tensor,
        Y: torch.Tensor,
        batch_size: int,
        rank: int = 0,
        world_size: int = 1,
        accumulation_steps: int = 1,
        seed: int = 0,
        device: str | torch.device | None = None,
    ) -> None:
        pieces = world_size * accumulation_steps
        if batch_size % pieces != 0:
            raise ValueError(
                f"batch_size {batch_size} cannot be split into {world_size} "
                f"workers x {accumulation_steps} accumulation steps of equal size; "
                f"use a multiple of {pieces}"
            )
        if not 0 <= rank < world_size:
            raise ValueError(f"rank must be in [0, {world_size}), got {rank!r}")
        if batch_size > len(X):
            raise ValueError(
                f"batch_size {batch_size} is larger than the {len(X)} training "
                f"examples: an epoch would have no full batch"
            )
        self.global_batches = DeviceBatchIterator(
            X, Y, batch_size, device=device, shuffle=True, seed=seed, drop_last=True
        )
        self.rank, self.world_size = rank, world_size
        self.accumulation_steps = accumulation_steps

    def __len__(self) -> int:
        return len(self.global_batches)

    def set_epoch(self, epoch: int) -> None:
        self.global_batches.set_epoch(epoch)

    def __iter__(self):
        for xb, yb in self.global_batches:
            shard_x, shard_y = xb[self.rank :: self.world_size], yb[self.rank :: self.world_size]
            yield list(
                zip(shard_x.chunk(self.accumulation_steps), shard_y.chunk(self.accumulation_steps))
            )


def linear_scaling(lr: float, batch_size: int, base_batch_size: int | None) -> float:
    """The linear scaling rule (Goyal et al. 2017): ``lr * batch_size / base_batch_size``.

    "When the minibatch size is multiplied by k, multiply the learning rate by k": ``k``
    steps of plain SGD with ``b`` examples move the weights about as far as one step with
    ``k b`` examples and ``k`` times the rate, as long as the gradient changes little over
    those ``k`` steps. ``base_batch_size=None`` means no scaling.
    """
    return lr if base_batch_size is None else lr * batch_size / base_batch_size


def square_root_scaling(lr: float, batch_size: int, base_batch_size: int | None) -> float:
    """The square-root scaling rule for Adam: ``lr * sqrt(batch_size / base_batch_size)``.

    Malladi et al. 2022 (*On the SDEs and Scaling Rules for Adaptive Gradient Algorithms*):
    Adam's update is normalised by ``sqrt(s)``, so the noise of a step does not shrink with
    the batch the way SGD's does; matching the stochastic dynamics of a batch ``k`` times
    larger needs the rate times ``sqrt(k)`` (with ``1 - beta1``, ``1 - beta2`` times ``k``, and
    ``eps`` divided by ``sqrt(k)``, which practice usually leaves alone).
    ``base_batch_size=None`` means no scaling.
    """
    return lr if base_batch_size is None else lr * math.sqrt(batch_size / base_batch_size)


def learning_rate_schedule(
    config: TrainConfig, total_steps: int
) -> tuple[float, schedules.Schedule]:
    """``(lr0, schedule)``: the scaled peak rate (``config.scaling``: linear or square-root
    rule) and the per-step schedule of the run.

    The rate warms up linearly over ``warmup_steps`` from the unscaled ``config.lr`` (the
    rate of the small batch, Goyal et al.'s starting point; from 0 when no scaling raised
    the rate) to ``lr0``, then stays there (``decay="const"``) or follows a cosine down to 0
    over the remaining steps (``decay="cosine"``).
    """
    scale = linear_scaling if config.scaling == "linear" else square_root_scaling
    lr0 = scale(config.lr, config.batch_size, config.base_batch_size)
    after = (
        schedules.const_lr
        if config.decay == "const"
        else schedules.cosine_annealing(T_max=max(total_steps - config.warmup_steps, 1))
    )
    start_lr = config.lr if lr0 > config.lr else 0.0
    return lr0, schedules.linear_warmup(config.warmup_steps, after=after, start_lr=start_lr)


def train_step(
    model: nn.Module, optimizer: torch.optim.Optimizer, micro_batches: list, loss_fn
) -> torch.Tensor:
    """One optimizer step on a worker's micro-batches; returns the mean loss over them.

    Each micro-batch's loss is divided by their number, so the gradients that
    ``backward()`` adds up are those of the mean loss. Under DDP the all-reduce runs only
    in the last backward pass: the earlier ones sit inside ``model.no_sync()``.
    """
    optimizer.zero_grad()
    loss = accumulate_gradients(model, micro_batches, loss_fn)
    optimizer.step()
    return loss


def accumulate_gradients(model: nn.Module, micro_batches: list, loss_fn) -> torch.Tensor:
    """Add into ``p.grad`` the gradient of the mean loss over ``micro_batches``; return that loss.

    With ``A`` micro-batches of equal size, ``(1/A) sum_j grad J_j`` is the gradient of the
    mean loss over their union, the gradient ``K`` workers average by all-reduce when each
    holds one of ``K`` shards. Under DDP only the last backward pass all-reduces
    (``no_sync`` for the others). ``p.grad`` is *added to*: call ``zero_grad()`` first.
    """
    losses = []
    for i, (xb, yb) in enumerate(micro_batches):
        is_last = i == len(micro_batches) - 1
        skip_sync = isinstance(model, DistributedDataParallel) and not is_last
        with model.no_sync() if skip_sync else nullcontext():
            loss = loss_fn(model(xb), yb) / len(micro_batches)
            loss.backward()
        losses.append(loss.detach())
    return torch.stack(losses).sum()


def time_train_step(
    batch_sizes,
    hidden=(64,),
    num_inputs: int = 64,
    repeats: int = 5,
    device: str | torch.device = "cpu",
    seed: int = 0,
) -> list[float]:
    """Seconds for one ``train_step`` (forward, backward, SGD update) of
    ``MLP([num_inputs, *hidden, 10])`` on a random batch of each size in ``batch_sizes``.

    Each size gets one untimed step first, then the fastest of ``repeats`` timed steps is
    kept (as ``timeit`` does: the run least disturbed by other programs). On a GPU the clock
    waits for the device to finish (``torch.cuda.synchronize``).
    """
    device = torch.device(device)
    generator = torch.Generator().manual_seed(shifted(seed))
    manual_seed(seed)
    model = MLP([num_inputs, *hidden, 10]).to(device)
    optimizer = optim.SGD(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def wait() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    seconds = []
    for batch_size in batch_sizes:
        _check_int("batch size", batch_size, 1)
        xb = torch.randn(batch_size, num_inputs, generator=generator).to(device)
        yb = torch.randint(10, (batch_size,), generator=generator).to(device)
        train_step(model, optimizer, [(xb, yb)], loss_fn)
        times = []
        for _ in range(repeats):
            wait()
            started = time.perf_counter()
            train_step(model, optimizer, [(xb, yb)], loss_fn)
            wait()
            times.append(time.perf_counter() - started)
        seconds.append(min(times))
    return seconds


def save_checkpoint(path: str | os.PathLike, state: dict) -> None:
    """``torch.save(state)`` to ``path`` atomically (:func:`dldemos.files.atomic_write`): a
    crash midway never leaves a half-written checkpoint. Call it on rank 0 only."""
    with atomic_write(path) as file:
        torch.save(state, file)


def load_checkpoint(path: str | os.PathLike, device: str | torch.device = "cpu") -> dict:
    """The dictionary ``save_checkpoint`` wrote, tensors on ``device`` (``weights_only=True``:
    loading a checkpoint cannot run code). Keys: ``step``, ``model``, ``optimizer``,
    ``scheduler``, ``losses``, ``lrs``, ``trajectory``."""
    return torch.load(path, map_location=device, weights_only=True)


@dataclass
class TrainResult:
    """What ``train`` returns: the trained model (unwrapped from DDP), the mean loss of every
    global batch and the rate of every step (all steps, resumed ones included), the number of
    steps in an epoch, and the dev loss and accuracy at the end (NaN on ranks other than 0,
    which do not evaluate)."""

    model: nn.Module
    losses: list[float]
    lrs: list[float]
    steps_per_epoch: int
    dev_loss: float
    dev_accuracy: float

    @property
    def last_epoch_loss(self) -> float:
        """The training loss of the last epoch: the mean of its global batches' losses."""
        last = self.losses[-self.steps_per_epoch :]
        return sum(last) / len(last)


def _build_model(config: TrainConfig, num_inputs: int) -> nn.Module:
    if config.model == "lenet":
        return LeNet()
    return MLP([num_inputs, *config.hidden, 10])


def _log(worker: Worker, config: TrainConfig, message: str) -> None:
    if worker.rank == 0 and config.log:
        print(message, flush=True)


def _mean_over_workers(values: list[torch.Tensor], worker: Worker) -> list[float]:
    """Each worker's per-step losses, averaged over workers: the loss of each global batch."""
    if not values:
        return []
    stacked = torch.stack(values)
    if worker.distributed:
        dist.all_reduce(stacked)  # a sum; gloo has no average
        stacked /= worker.world_size
    return stacked.tolist()


def train(config: TrainConfig, worker: Worker | None = None) -> TrainResult:
    """Train ``config.model`` on ``config.dataset`` as worker ``worker`` (by default alone, on
    ``config.device``, with no process group).

    The loop: for every step, ``train_step`` on this worker's micro-batches, then
    ``scheduler.step()``; rank 0 saves a checkpoint every ``checkpoint_every`` steps (and
    after the last one); rank 0 evaluates on the dev set after every epoch.
    """
    worker = Worker(device=_worker_device(config.device)) if worker is None else worker
    dtype = DTYPES[config.dtype]
    X_train, Y_train, X_dev, Y_dev = load_dataset(
        config.dataset,
        config.data_dir,
        worker.device,
        dtype=dtype,
        image_size=28 if config.model == "lenet" else None,
        seed=config.seed,
    )
    batches = ShardedBatches(
        X_train,
        Y_train,
        config.batch_size,
        worker.rank,
        worker.world_size,
        config.accumulation_steps,
        seed=config.seed,
    )
    steps_per_epoch = len(batches)
    total_steps = config.epochs * steps_per_epoch

    manual_seed(config.seed)
    module = _build_model(config, X_train[0].numel()).to(worker.device, dtype)
    model = module
    if worker.distributed:
        device_ids = [worker.device] if worker.device.type == "cuda" else None
        model = DistributedDataParallel(module, device_ids=device_ids)
    lr0, schedule = learning_rate_schedule(config, total_steps)
    optimizer = OPTIMIZERS[config.optimizer](model.parameters(), lr=lr0, **config.optimizer_options)
    scheduler = LambdaLR(optimizer, lambda t: schedule(lr0, t) / lr0)
    loss_fn = nn.CrossEntropyLoss()

    step, losses, lrs = 0, [], []
    if config.resume and Path(config.checkpoint).exists():
        state = load_checkpoint(config.checkpoint, worker.device)
        for key, value in config.trajectory().items():
            saved = state["trajectory"].get(
                key, getattr(TrainConfig, key, None)
            )  # older files lack newer keys
            if saved != value:
                raise ValueError(
                    f"cannot resume from {config.checkpoint}: it was written with "
                    f"{key}={saved!r}, this run has {key}={value!r}"
                )
        module.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        step, losses, lrs = state["step"], list(state["losses"]), list(state["lrs"])
        _log(worker, config, f"resumed from {config.checkpoint} at step {step}")
    if worker.distributed:
        dist.barrier()  # nobody trains on (and rank 0 overwrites no checkpoint) before all have loaded

    def checkpoint() -> None:
        if worker.rank == 0:
            save_checkpoint(
                config.checkpoint,
                {
                    "step": step,
                    "model": module.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "scheduler": scheduler.state_dict(),
                    "losses": losses,
                    "lrs": lrs,
                    "trajectory": config.trajectory(),
                },
            )

    if not -worker.world_size <= config.fail_rank < worker.world_size:
        raise ValueError(
            f"fail_rank {config.fail_rank} names none of the {worker.world_size} "
            f"workers; expected -1 (the last) or 0..{worker.world_size - 1}"
        )
    fail_rank = config.fail_rank % worker.world_size
    dev_loss = dev_accuracy = math.nan
    model.train()
    while step < total_steps:
        epoch, done_in_epoch = divmod(step, steps_per_epoch)
        batches.set_epoch(epoch)
        pending = []  # this worker's losses, averaged over workers once per epoch or checkpoint
        for micro_batches in itertools.islice(batches, done_in_epoch, None):
            lrs.append(optimizer.param_groups[0]["lr"])
            pending.append(train_step(model, optimizer, micro_batches, loss_fn))
            scheduler.step()
            step += 1
            if step == config.fail_at_step and worker.rank == fail_rank:
                raise RuntimeError(
                    f"rank {worker.rank}: simulated failure at step {step} "
                    f"(--fail-at-step {config.fail_at_step})"
                )
            saving = config.checkpoint is not None and (
                step == total_steps
                or config.checkpoint_every
                and step % config.checkpoint_every == 0
            )
            if saving:
                losses += _mean_over_workers(pending, worker)
                pending = []
                checkpoint()
        losses += _mean_over_workers(pending, worker)
        if worker.rank == 0:
            dev_loss, dev_accuracy = evaluate(module, (X_dev, Y_dev), loss_fn)
        result = TrainResult(module, losses, lrs, steps_per_epoch, dev_loss, dev_accuracy)
        _log(
            worker,
            config,
            f"epoch {epoch + 1}/{config.epochs}  step {step}  lr {lrs[-1]:.4g}  "
            f"train loss {result.last_epoch_loss:.4f}  dev loss {dev_loss:.4f}  "
            f"dev accuracy {dev_accuracy:.4f}",
        )
    return TrainResult(module, losses, lrs, steps_per_epoch, dev_loss, dev_accuracy)


def _optimizer_options(text: str) -> dict:
    try:
        options = json.loads(text)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"not JSON: {error}") from None
    if not isinstance(options, dict):
        raise argparse.ArgumentTypeError(
            f"expected a JSON object such as '{{\"momentum\": 0.9}}', got {text!r}"
        )
    return options


def parse_args(argv: list[str] | None = None) -> TrainConfig:
    defaults = TrainConfig()
    parser = argparse.ArgumentParser(
        prog="python -m dldemos.torch.distributed",
        description="Data-parallel training with DistributedDataParallel. Run alone with python -m, "
        "or as several workers with torchrun --nproc_per_node=N -m dldemos.torch.distributed.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=DATASETS, default=defaults.dataset)
    parser.add_argument("--data-dir", default=None, help="folder with the Fashion-MNIST files")
    parser.add_argument("--model", choices=MODELS, default=defaults.model)
    parser.add_argument(
        "--hidden",
        type=int,
        nargs="*",
        default=list(defaults.hidden),
        help="hidden layer sizes of the MLP",
    )
    parser.add_argument(
        "--optimizer",
        choices=list(OPTIMIZERS),
        default=defaults.optimizer,
        help="an optimizer of dldemos.torch.optim",
    )
    parser.add_argument(
        "--optimizer-options",
        type=_optimizer_options,
        default={},
        help="more keyword arguments as JSON, e.g. '{\"momentum\": 0.9}'",
    )
    parser.add_argument(
        "--lr", type=float, default=defaults.lr, help="learning rate for --base-batch-size examples"
    )
    parser.add_argument(
        "--base-batch-size",
        type=int,
        default=None,
        help="scale --lr from this batch to --batch-size (see --scaling); default: no scaling",
    )
    parser.add_argument(
        "--scaling",
        choices=SCALINGS,
        default=defaults.scaling,
        help="how --lr grows with the batch: linear (SGD) or sqrt (Adam)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=defaults.batch_size,
        help="global batch: examples per optimizer step over all workers",
    )
    parser.add_argument(
        "--accumulation-steps",
        type=int,
        default=defaults.accumulation_steps,
        help="micro-batches per step on each worker",
    )
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument(
        "--warmup-steps",
        type=int,
        default=defaults.warmup_steps,
        help="linear warmup from --lr to the scaled rate",
    )
    parser.add_argument(
        "--decay",
        choices=DECAYS,
        default=defaults.decay,
        help="after the warmup: constant rate or cosine down to 0",
    )
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--dtype", choices=list(DTYPES), default=defaults.dtype)
    parser.add_argument(
        "--device",
        default=defaults.device,
        help="auto: cuda:LOCAL_RANK when there is a GPU, else cpu",
    )
    parser.add_argument("--checkpoint", default=None, help="checkpoint file (rank 0 writes it)")
    parser.add_argument(
        "--checkpoint-every",
        type=int,
        default=defaults.checkpoint_every,
        help="steps between checkpoints; 0: only after the last step",
    )
    parser.add_argument(
        "--resume", action="store_true", help="continue from --checkpoint if it exists"
    )
    parser.add_argument(
        "--fail-at-step",
        type=int,
        default=None,
        help="testing: make worker --fail-rank raise an error after this step",
    )
    parser.add_argument(
        "--fail-rank",
        type=int,
        default=defaults.fail_rank,
        help="the worker that fails; -1 is the last one",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    args = vars(parser.parse_args(argv))
    args["hidden"] = tuple(args["hidden"])
    args["log"] = not args.pop("quiet")
    try:
        return TrainConfig(**args)
    except (KeyError, TypeError, ValueError) as error:
        parser.error(str(error))


@record
def main(argv: list[str] | None = None) -> TrainResult:
    """The command-line entry point: parse, join the process group, train, leave it."""
    config = parse_args(argv)
    worker = init_worker(config.device)
    try:
        result = train(config, worker)
        if worker.distributed:
            dist.barrier()
    finally:
        if dist.is_initialized():
            dist.destroy_process_group()
    _log(worker, config, f"done: {len(result.losses)} steps on {worker.world_size} worker(s)")
    return result


if __name__ == "__main__":
    main()
