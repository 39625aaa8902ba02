"""Tests of dldemos.torch.distributed: data-parallel training under torchrun (chapter 7).

The claims of the chapter, each checked against an independent computation:

* two gloo workers on 127.0.0.1, each with half of every batch, end with the parameters of
  one process that sees the whole batch, and of one process that accumulates the gradients
  of two half batches (float64, so the tolerance can be tight);
* a worker that dies makes ``torchrun`` exit non-zero with the worker's error in its report,
  and a rerun with ``--resume`` continues from rank 0's last checkpoint to the parameters of
  a run that never stopped;
* the shards cover every global batch exactly once; the warmup matches PyTorch's ``LinearLR``.

The workers are real processes started by ``torchrun``; each launch costs a few seconds
(three Python interpreters importing PyTorch), so the file launches it three times only.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from dldemos.torch import distributed
from dldemos.torch.data import DeviceBatchIterator
from dldemos.torch.models import MLP

TORCHRUN = Path(sys.executable).with_name("torchrun")
REPO = Path(__file__).resolve().parents[1]

# Momentum SGD with the linear scaling rule and a warmup: every piece that shapes a step.
# 1437 training digits / 64 = 22 steps in the epoch.
SETTINGS = dict(
    hidden=(32,),
    optimizer="sgd",
    optimizer_options={"momentum": 0.9},
    lr=0.05,
    base_batch_size=16,
    batch_size=64,
    epochs=1,
    warmup_steps=5,
    dtype="float64",
    seed=3,
)
TOLERANCE = dict(rtol=1e-9, atol=1e-12)


@pytest.fixture(autouse=True)
def one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _train(**changes) -> distributed.TrainResult:
    return distributed.train(distributed.TrainConfig(**{**SETTINGS, "log": False, **changes}))


@pytest.fixture(scope="module")
def combined_batch():
    """One process, the whole global batch per step: the reference every other run must match."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield _train()
    torch.set_num_threads(threads)


def _command_line(**settings) -> list[str]:
    args = []
    for key, value in settings.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif isinstance(value, tuple):
            args += [flag, *map(str, value)]
        elif isinstance(value, dict):
            args += [flag, json.dumps(value)]
        else:
            args += [flag, str(value)]
    return args


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _torchrun(nproc: int = 2, **changes) -> subprocess.CompletedProcess:
    command = [
        str(TORCHRUN),
        f"--nproc_per_node={nproc}",
        "--master-addr=127.0.0.1",
        f"--master-port={_free_port()}",
        "-m",
        "dldemos.torch.distributed",
        "--quiet",
        *_command_line(**{**SETTINGS, **changes}),
    ]
    environment = {**os.environ, "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        command, cwd=REPO, env=environment, capture_output=True, text=True, timeout=180
    )


def _assert_same_parameters(model: torch.nn.Module, reference: torch.nn.Module) -> None:
    state, expected = model.state_dict(), reference.state_dict()
    assert state.keys() == expected.keys()
    for name in expected:
        torch.testing.assert_close(
            state[name].cpu(),
            expected[name].cpu(),
            **TOLERANCE,
            msg=lambda m, name=name: f"parameter {name}: {m}",
        )


def _model_from(checkpoint: dict) -> torch.nn.Module:
    model = MLP([64, *SETTINGS["hidden"], 10]).double()
    model.load_state_dict(checkpoint["model"])
    return model


# -- sharding and learning rate ----------------------------------------------------------------


def test_shards_cover_every_global_batch_exactly_once():
    X = torch.arange(50.0).unsqueeze(1)
    Y = torch.arange(50)
    batch_size, world_size, accumulation = 12, 2, 3
    reference = list(DeviceBatchIterator(X, Y, batch_size, seed=7, drop_last=True))
    workers = [
        distributed.ShardedBatches(X, Y, batch_size, rank, world_size, accumulation, seed=7)
        for rank in range(world_size)
    ]
    steps = list(zip(*workers))  # step t: every worker's micro-batches
    assert len(steps) == len(reference) == 50 // batch_size
    for (xb, yb), per_worker in zip(reference, steps):
        micro_batches = [mb for worker in per_worker for mb in worker]
        assert len(micro_batches) == world_size * accumulation
        assert all(
            len(mb_y) == batch_size // (world_size * accumulation) for _, mb_y in micro_batches
        )
        seen = torch.cat([mb_y for _, mb_y in micro_batches])
        assert sorted(seen.tolist()) == sorted(yb.tolist())
        assert all(torch.equal(mb_x.squeeze(1).long(), mb_y) for mb_x, mb_y in micro_batches)


def test_a_batch_that_does_not_split_evenly_is_refused():
    X, Y = torch.zeros(40, 3), torch.zeros(40, dtype=torch.int64)
    with pytest.raises(ValueError, match="batch_size 10 .* 4 workers"):
        distributed.ShardedBatches(X, Y, 10, rank=0, world_size=4)
    with pytest.raises(ValueError, match="batch_size 64 is larger than the 40"):
        distributed.ShardedBatches(X, Y, 64)


def test_scaled_rate_and_warmup_follow_pytorch_linear_lr():
    config = distributed.TrainConfig(**SETTINGS)
    lr0, schedule = distributed.learning_rate_schedule(config, total_steps=20)
    k = SETTINGS["batch_size"] / SETTINGS["base_batch_size"]
    assert lr0 == pytest.approx(k * SETTINGS["lr"])
    params = [torch.zeros(1, requires_grad=True)]
    ours = torch.optim.SGD(params, lr=lr0)
    theirs = torch.optim.SGD(params, lr=lr0)
    ours_scheduler = torch.optim.lr_scheduler.LambdaLR(ours, lambda t: schedule(lr0, t) / lr0)
    theirs_scheduler = torch.optim.lr_scheduler.LinearLR(
        theirs, start_factor=1 / k, end_factor=1.0, total_iters=SETTINGS["warmup_steps"]
    )
    for _ in range(2 * SETTINGS["warmup_steps"]):
        assert ours.param_groups[0]["lr"] == pytest.approx(theirs.param_groups[0]["lr"], rel=1e-12)
        ours.step()
        theirs.step()
        ours_scheduler.step()
        theirs_scheduler.step()


def test_square_root_scaling_multiplies_the_rate_by_the_root_of_k():
    config = distributed.TrainConfig(**{**SETTINGS, "scaling": "sqrt"})
    lr0, schedule = distributed.learning_rate_schedule(config, total_steps=20)
    k = SETTINGS["batch_size"] / SETTINGS["base_batch_size"]
    assert lr0 == pytest.approx(k**0.5 * SETTINGS["lr"])
    assert schedule(lr0, 0) == pytest.approx(SETTINGS["lr"])  # the warmup starts unscaled
    assert distributed.square_root_scaling(0.1, 256, None) == 0.1
    with pytest.raises(KeyError, match="unknown scaling 'cubic'"):
        distributed.TrainConfig(scaling="cubic")


def test_accumulated_gradient_of_k_shards_is_the_full_batch_gradient():
    torch.manual_seed(0)
    model = MLP([5, 4, 3]).double()
    X, Y = torch.randn(12, 5, dtype=torch.float64), torch.randint(0, 3, (12,))
    loss_fn = torch.nn.CrossEntropyLoss()
    full = torch.autograd.grad(loss_fn(model(X), Y), list(model.parameters()))
    shards = [(X[r::4], Y[r::4]) for r in range(4)]
    loss = distributed.accumulate_gradients(model, shards, loss_fn)
    for p, g in zip(model.parameters(), full):
        torch.testing.assert_close(p.grad, g, rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(loss, loss_fn(model(X), Y).detach(), rtol=1e-12, atol=0)
    distributed.accumulate_gradients(model, shards, loss_fn)  # it adds: twice the gradient
    torch.testing.assert_close(next(model.parameters()).grad, 2 * full[0], rtol=1e-12, atol=1e-14)


# -- the same step, however the batch is split -------------------------------------------------


def test_gradient_accumulation_matches_the_combined_batch(combined_batch):
    accumulated = _train(accumulation_steps=2)
    _assert_same_parameters(accumulated.model, combined_batch.model)
    torch.testing.assert_close(accumulated.losses, combined_batch.losses, **TOLERANCE)
    # and the comparison can fail: half the batch per step is another trajectory
    half_batch = _train(batch_size=32)
    gap = max(
        (a - b).abs().max().item()
        for a, b in zip(half_batch.model.parameters(), combined_batch.model.parameters())
    )
    assert gap > 1e-3


def test_two_gloo_workers_match_one_process_with_the_combined_batch(tmp_path, combined_batch):
    checkpoint = tmp_path / "run.pt"
    run = _torchrun(checkpoint=checkpoint)
    assert run.returncode == 0, run.stderr[-3000:]
    state = distributed.load_checkpoint(checkpoint)
    assert state["step"] == len(combined_batch.losses)
    _assert_same_parameters(_model_from(state), combined_batch.model)
    torch.testing.assert_close(state["losses"], combined_batch.losses, **TOLERANCE)
    assert state["lrs"] == pytest.approx(combined_batch.lrs, rel=1e-12)
    assert [p.name for p in tmp_path.iterdir()] == ["run.pt"]  # rank 0 only, no temporary left


# -- failures and resuming ---------------------------------------------------------------------


def test_a_dying_worker_stops_the_launcher_and_resume_continues(tmp_path, combined_batch):
    checkpoint = tmp_path / "run.pt"
    failed = _torchrun(checkpoint=checkpoint, checkpoint_every=4, fail_at_step=6)
    assert failed.returncode != 0
    assert "FAILED" in failed.stderr
    assert "rank 1: simulated failure at step 6" in failed.stderr
    last_checkpoint = distributed.load_checkpoint(checkpoint)
    assert last_checkpoint["step"] == 4
    shutil.copy(checkpoint, tmp_path / "step4.pt")

    resumed = _torchrun(checkpoint=checkpoint, checkpoint_every=4, resume=True)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    state = distributed.load_checkpoint(checkpoint)
    assert state["step"] == len(combined_batch.losses)
    _assert_same_parameters(_model_from(state), combined_batch.model)
    torch.testing.assert_close(state["losses"], combined_batch.losses, **TOLERANCE)

    # a checkpoint knows the global batch only: resume it on one process, two micro-batches
    alone = _train(checkpoint=str(tmp_path / "step4.pt"), resume=True, accumulation_steps=2)
    _assert_same_parameters(alone.model, combined_batch.model)


def test_resuming_with_other_settings_is_refused(tmp_path):
    checkpoint = str(tmp_path / "run.pt")
    _train(checkpoint=checkpoint, epochs=1, batch_size=256)
    with pytest.raises(ValueError, match="lr=0.05, this run has lr=0.1"):
        _train(checkpoint=checkpoint, epochs=1, batch_size=256, lr=0.1, resume=True)


# -- the command line --------------------------------------------------------------------------


def test_help_names_the_launch_commands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        distributed.parse_args(["--help"])
    assert exit_info.value.code == 0
    text = capsys.readouterr().out
    assert "torchrun" in text and "--accumulation-steps" in text and "--fail-at-step" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["--optimizer-options", "[0.9]"], "expected a JSON object"),
        (["--optimizer", "lars"], "invalid choice: 'lars'"),
        (["--batch-size", "0"], "batch_size must be an integer >= 1"),
        (["--resume"], "resume=True needs a checkpoint"),
    ],
)
def test_bad_command_lines_are_refused_with_a_reason(args, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        distributed.parse_args(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


@pytest.mark.gpu
def test_nccl_workers_on_the_gpus_match_one_process(tmp_path):
    gpus = torch.cuda.device_count()
    checkpoint = tmp_path / "run.pt"
    run = _torchrun(nproc=gpus, checkpoint=checkpoint, device="auto")
    assert run.returncode == 0, run.stderr[-3000:]
    state = distributed.load_checkpoint(checkpoint)
    reference = _train(device="cuda:0", accumulation_steps=gpus)
    _assert_same_parameters(_model_from(state), reference.model)
