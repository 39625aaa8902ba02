"""Tests of dldemos.optim against torch.optim (the reference), plus state, schedules and errors.

Every optimizer runs the same random gradients as its ``torch.optim`` counterpart for
N_STEPS steps on a few parameter arrays of different shapes; parameters *and* state arrays
must agree. Where PyTorch has no counterpart (the bias-corrected RMSProp, Adam without bias
correction) the reference is an independent, allocation-happy NumPy transcription of the
formula, or a PyTorch optimizer that reduces to the same rule.
"""

import ast
import inspect
import textwrap
import tracemalloc

import numpy as np
import pytest
import torch

import dldemos.optim as optim_module
from dldemos.optim import (
    SGD,
    AdaDelta,
    AdaGrad,
    Adam,
    AdamW,
    BaseOptimizer,
    Momentum,
    Nesterov,
    RMSProp,
)

torch.set_num_threads(1)

SHAPES = {"W1": (5, 3), "b1": (5, 1), "W2": (1, 5), "b2": (1, 1)}
N_STEPS = 25
# The two implementations differ only in the order of rounding. float64: ~1e-15 per
# operation; 1e-9 is far below the 1e-6 the course promises and far above the noise.
# float32: unit roundoff 6e-8 times ~25 steps x ~10 operations gives ~1e-5 in the worst
# case; 5e-6 relative (5e-7 absolute for entries near 0) is ~10x the largest error seen.
TOLERANCE = {np.float64: dict(rtol=1e-9, atol=1e-12), np.float32: dict(rtol=5e-6, atol=5e-7)}
DTYPES = [np.float64, np.float32]


def make_params(dtype, seed=0):
    rng = np.random.default_rng(seed)
    return {key: rng.normal(size=shape).astype(dtype) for key, shape in SHAPES.items()}


def make_grads(n_steps=N_STEPS, dtype=np.float64, seed=1):
    """Random gradients whose scale varies between parameters and steps."""
    rng = np.random.default_rng(seed)
    return [
        {
            key: (rng.normal(size=shape) * rng.uniform(0.1, 3.0)).astype(dtype)
            for key, shape in SHAPES.items()
        }
        for _ in range(n_steps)
    ]


def run_numpy(optimizer, grads, steps_per_epoch=None):
    for i, grad_dict in enumerate(grads, start=1):
        optimizer.zero_grad()
        optimizer.add_grad(grad_dict)
        optimizer.step()
        if steps_per_epoch and i % steps_per_epoch == 0:
            optimizer.increase_epoch()
    return optimizer


def torch_params(params):
    return {key: torch.tensor(value) for key, value in params.items()}


def run_torch(optimizer, tensors, grads):
    for grad_dict in grads:
        for key, tensor in tensors.items():
            tensor.grad = torch.tensor(grad_dict[key])
        optimizer.step()
    return optimizer


# (id, our class, our kwargs, torch class, torch kwargs (an "lr" there overrides), lr,
#  {our state name: (torch state name, factor our = factor * torch)})
CASES = [
    ("sgd", SGD, {}, torch.optim.SGD, {}, 0.1, {}),
    (
        "sgd-weight-decay",
        SGD,
        dict(weight_decay=0.1),
        torch.optim.SGD,
        dict(weight_decay=0.1),
        0.1,
        {},
    ),
    (
        "sgd-momentum",
        SGD,
        dict(momentum=0.9),
        torch.optim.SGD,
        dict(momentum=0.9),
        0.05,
        {"momentum_buffer": ("momentum_buffer", 1.0)},
    ),
    (
        "sgd-dampening",
        SGD,
        dict(momentum=0.9, dampening=0.5),
        torch.optim.SGD,
        dict(momentum=0.9, dampening=0.5),
        0.05,
        {"momentum_buffer": ("momentum_buffer", 1.0)},
    ),
    (
        "sgd-nesterov-wd",
        SGD,
        dict(momentum=0.8, nesterov=True, weight_decay=0.05),
        torch.optim.SGD,
        dict(momentum=0.8, nesterov=True, weight_decay=0.05),
        0.05,
        {"momentum_buffer": ("momentum_buffer", 1.0)},
    ),
    # the course's EWMA momentum equals PyTorch's with lr * (1 - beta) and v = (1 - beta) * b
    (
        "momentum",
        Momentum,
        dict(beta=0.9),
        torch.optim.SGD,
        dict(momentum=0.9, lr=0.5 * (1 - 0.9)),
        0.5,
        {"v": ("momentum_buffer", 1 - 0.9)},
    ),
    (
        "momentum-beta-0.5",
        Momentum,
        dict(beta=0.5),
        torch.optim.SGD,
        dict(momentum=0.5, lr=0.5 * (1 - 0.5)),
        0.5,
        {"v": ("momentum_buffer", 1 - 0.5)},
    ),
    # the course-scale Nesterov equals PyTorch's Nesterov with lr * (1 - beta)
    (
        "nesterov",
        Nesterov,
        dict(beta=0.9, weight_decay=0.05),
        torch.optim.SGD,
        dict(momentum=0.9, nesterov=True, weight_decay=0.05, lr=0.5 * (1 - 0.9)),
        0.5,
        {"momentum_buffer": ("momentum_buffer", 1.0)},
    ),
    ("adagrad", AdaGrad, {}, torch.optim.Adagrad, {}, 0.1, {"s": ("sum", 1.0)}),
    (
        "adagrad-options",
        AdaGrad,
        dict(eps=1e-3, initial_accumulator_value=0.5, lr_decay=0.1, weight_decay=0.1),
        torch.optim.Adagrad,
        dict(eps=1e-3, initial_accumulator_value=0.5, lr_decay=0.1, weight_decay=0.1),
        0.1,
        {"s": ("sum", 1.0)},
    ),
    (
        "rmsprop",
        RMSProp,
        dict(beta=0.9),
        torch.optim.RMSprop,
        dict(alpha=0.9),
        0.01,
        {"s": ("square_avg", 1.0)},
    ),
    (
        "rmsprop-momentum-wd",
        RMSProp,
        dict(beta=0.95, eps=1e-6, momentum=0.5, weight_decay=0.1),
        torch.optim.RMSprop,
        dict(alpha=0.95, eps=1e-6, momentum=0.5, weight_decay=0.1),
        0.01,
        {"s": ("square_avg", 1.0), "buf": ("momentum_buffer", 1.0)},
    ),
    (
        "rmsprop-centered",
        RMSProp,
        dict(beta=0.9, centered=True),
        torch.optim.RMSprop,
        dict(alpha=0.9, centered=True),
        0.01,
        {"s": ("square_avg", 1.0), "g_avg": ("grad_avg", 1.0)},
    ),
    (
        "rmsprop-centered-momentum",
        RMSProp,
        dict(beta=0.9, centered=True, momentum=0.9),
        torch.optim.RMSprop,
        dict(alpha=0.9, centered=True, momentum=0.9),
        0.001,
        {"s": ("square_avg", 1.0), "g_avg": ("grad_avg", 1.0), "buf": ("momentum_buffer", 1.0)},
    ),
    (
        "adadelta",
        AdaDelta,
        {},
        torch.optim.Adadelta,
        {},
        1.0,
        {"s": ("square_avg", 1.0), "delta": ("acc_delta", 1.0)},
    ),
    (
        "adadelta-options",
        AdaDelta,
        dict(rho=0.8, eps=1e-4, weight_decay=0.1),
        torch.optim.Adadelta,
        dict(rho=0.8, eps=1e-4, weight_decay=0.1),
        0.5,
        {"s": ("square_avg", 1.0), "delta": ("acc_delta", 1.0)},
    ),
    (
        "adam",
        Adam,
        {},
        torch.optim.Adam,
        {},
        0.01,
        {"v": ("exp_avg", 1.0), "s": ("exp_avg_sq", 1.0)},
    ),
    (
        "adam-options",
        Adam,
        dict(beta1=0.5, beta2=0.9, eps=1e-6, weight_decay=0.1),
        torch.optim.Adam,
        dict(betas=(0.5, 0.9), eps=1e-6, weight_decay=0.1),
        0.01,
        {"v": ("exp_avg", 1.0), "s": ("exp_avg_sq", 1.0)},
    ),
    (
        "adam-amsgrad",
        Adam,
        dict(amsgrad=True, weight_decay=0.01),
        torch.optim.Adam,
        dict(amsgrad=True, weight_decay=0.01),
        0.01,
        {"v": ("exp_avg", 1.0), "s": ("exp_avg_sq", 1.0), "s_max": ("max_exp_avg_sq", 1.0)},
    ),
    (
        "adamw",
        AdamW,
        {},
        torch.optim.AdamW,
        {},
        0.01,
        {"v": ("exp_avg", 1.0), "s": ("exp_avg_sq", 1.0)},
    ),
    (
        "adamw-amsgrad",
        AdamW,
        dict(weight_decay=0.5, amsgrad=True, beta2=0.99),
        torch.optim.AdamW,
        dict(weight_decay=0.5, amsgrad=True, betas=(0.9, 0.99)),
        0.01,
        {"v": ("exp_avg", 1.0), "s": ("exp_avg_sq", 1.0), "s_max": ("max_exp_avg_sq", 1.0)},
    ),
    # RMSProp *with* bias correction is Adam without momentum: beta1 = 0 makes v = g and
    # 1 - beta1**t = 1, leaving p -= lr * g / (sqrt(s / (1 - beta**t)) + eps)
    (
        "rmsprop-bias-correction",
        RMSProp,
        dict(beta=0.9, bias_correction=True, weight_decay=0.1),
        torch.optim.Adam,
        dict(betas=(0.0, 0.9), weight_decay=0.1),
        0.01,
        {"s": ("exp_avg_sq", 1.0)},
    ),
    # Adam *without* bias correction and beta1 = 0 is PyTorch's RMSprop(alpha=beta2)
    (
        "adam-no-bias-correction",
        Adam,
        dict(beta1=0.0, beta2=0.9, bias_correction=False),
        torch.optim.RMSprop,
        dict(alpha=0.9),
        0.01,
        {"s": ("square_avg", 1.0)},
    ),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_matches_torch(case, dtype):
    _, ours_cls, ours_kwargs, torch_cls, torch_kwargs, lr, state_names = case
    params, grads = make_params(dtype), make_grads(dtype=dtype)
    tensors = torch_params(params)
    ours = run_numpy(ours_cls(params, lr, **ours_kwargs), grads)
    reference = run_torch(
        torch_cls(list(tensors.values()), foreach=False, **{"lr": lr, **torch_kwargs}),
        tensors,
        grads,
    )
    for key, tensor in tensors.items():
        assert not np.allclose(params[key], make_params(dtype)[key])  # it did move
        np.testing.assert_allclose(params[key], tensor.numpy(), **TOLERANCE[dtype], err_msg=key)
        for ours_name, (torch_name, factor) in state_names.items():
            np.testing.assert_allclose(
                ours.state[ours_name][key],
                factor * reference.state[tensor][torch_name].numpy(),
                **TOLERANCE[dtype],
                err_msg=f"{ours_name}/{key}",
            )
    assert set(state_names) <= set(ours.state)


@pytest.mark.parametrize(
    "optimizer, names",
    [
        (SGD(make_params(np.float64), 0.1), set()),
        (SGD(make_params(np.float64), 0.1, momentum=0.9), {"momentum_buffer"}),
        (Momentum(make_params(np.float64), 0.1), {"v"}),
        (AdaGrad(make_params(np.float64), 0.1), {"s"}),
        (RMSProp(make_params(np.float64), 0.1), {"s"}),
        (RMSProp(make_params(np.float64), 0.1, momentum=0.5, centered=True), {"s", "buf", "g_avg"}),
        (AdaDelta(make_params(np.float64)), {"s", "delta"}),
        (Adam(make_params(np.float64), 0.1), {"v", "s"}),
        (AdamW(make_params(np.float64), 0.1, amsgrad=True), {"v", "s", "s_max"}),
    ],
    ids=lambda x: (
        type(x).__name__ if isinstance(x, BaseOptimizer) else "+".join(sorted(x)) or "none"
    ),
)
def test_state_names_follow_the_design(optimizer, names):
    assert set(optimizer.state) == names
    run_numpy(optimizer, make_grads(1))
    assert set(optimizer.state_dict()) == {"epoch", "num_step"} | {
        f"{name}/{key}" for name in names for key in SHAPES
    }


def test_momentum_is_not_torch_dampening_on_the_first_step():
    """Documented nuance: SGD(momentum=beta, dampening=beta) skips dampening on step 1,
    so its buffer is v + beta**t * g_1, not the course's v."""
    beta, lr = 0.9, 0.1
    params, grads = make_params(np.float64), make_grads(N_STEPS)
    tensors = torch_params(params)
    ours = run_numpy(Momentum(params, lr, beta=beta), grads)
    reference = run_torch(
        torch.optim.SGD(
            list(tensors.values()), lr=lr, momentum=beta, dampening=beta, foreach=False
        ),
        tensors,
        grads,
    )
    for key, tensor in tensors.items():
        buffer = reference.state[tensor]["momentum_buffer"].numpy()
        np.testing.assert_allclose(
            buffer, ours.state["v"][key] + beta**N_STEPS * grads[0][key], rtol=1e-10, atol=1e-12
        )


# ---------------------------------------------------------------------- direct formulas
def reference_rmsprop(params, grads, lr, beta, eps, bias_correction, centered, momentum):
    """A plain transcription of the RMSProp formula, new arrays everywhere."""
    params = {key: value.copy() for key, value in params.items()}
    s = {key: np.zeros_like(value) for key, value in params.items()}
    g_avg = {key: np.zeros_like(value) for key, value in params.items()}
    buf = {key: np.zeros_like(value) for key, value in params.items()}
    for t, grad_dict in enumerate(grads, start=1):
        for key, g in grad_dict.items():
            s[key] = beta * s[key] + (1 - beta) * g**2
            g_avg[key] = beta * g_avg[key] + (1 - beta) * g
            s_hat = s[key] / (1 - beta**t) if bias_correction else s[key]
            if centered:
                s_hat = s_hat - g_avg[key] ** 2
            r = g / (np.sqrt(s_hat) + eps)
            buf[key] = momentum * buf[key] + r
            params[key] = params[key] - lr * (buf[key] if momentum else r)
    return params


@pytest.mark.parametrize(
    "bias_correction, centered, momentum",
    [
        (True, False, 0.0),
        (True, False, 0.9),
        (False, True, 0.0),
        (False, True, 0.5),
        (False, False, 0.9),
    ],
)
def test_rmsprop_matches_its_formula(bias_correction, centered, momentum):
    params, grads = make_params(np.float64), make_grads()
    expected = reference_rmsprop(
        params, grads, 0.01, 0.9, 1e-8, bias_correction, centered, momentum
    )
    run_numpy(
        RMSProp(
            params,
            0.01,
            beta=0.9,
            eps=1e-8,
            bias_correction=bias_correction,
            centered=centered,
            momentum=momentum,
        ),
        grads,
    )
    for key in params:
        np.testing.assert_allclose(params[key], expected[key], rtol=1e-9, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_without_bias_correction_matches_its_formula(amsgrad):
    beta1, beta2, eps, lr = 0.9, 0.99, 1e-8, 0.01
    params, grads = make_params(np.float64), make_grads()
    expected = {key: value.copy() for key, value in params.items()}
    v = {key: 0.0 for key in params}
    s = {key: 0.0 for key in params}
    s_max = {key: 0.0 for key in params}
    for grad_dict in grads:
        for key, g in grad_dict.items():
            v[key] = beta1 * v[key] + (1 - beta1) * g
            s[key] = beta2 * s[key] + (1 - beta2) * g * g
            s_max[key] = np.maximum(s_max[key], s[key])
            expected[key] = expected[key] - lr * v[key] / (
                np.sqrt(s_max[key] if amsgrad else s[key]) + eps
            )
    run_numpy(
        Adam(params, lr, beta1=beta1, beta2=beta2, eps=eps, bias_correction=False, amsgrad=amsgrad),
        grads,
    )
    for key in params:
        np.testing.assert_allclose(params[key], expected[key], rtol=1e-9, atol=1e-12, err_msg=key)


# ---------------------------------------------------------------------- schedules
def halving(lr0, t):
    return lr0 * 0.5**t


@pytest.mark.parametrize("unit, steps_per_epoch", [("epoch", 3), ("step", None)])
@pytest.mark.parametrize(
    "ours_cls, torch_cls",
    [(SGD, torch.optim.SGD), (Adam, torch.optim.Adam), (AdaGrad, torch.optim.Adagrad)],
)
def test_schedule_matches_torch_lambda_lr(ours_cls, torch_cls, unit, steps_per_epoch):
    lr0, n_steps = 0.1, 12
    params, grads = make_params(np.float64), make_grads(n_steps)
    tensors = torch_params(params)
    ours = ours_cls(params, lr0, halving, schedule_unit=unit)
    reference = torch_cls(list(tensors.values()), lr=lr0, foreach=False)
    scheduler = torch.optim.lr_scheduler.LambdaLR(reference, lambda t: halving(lr0, t) / lr0)
    for i, grad_dict in enumerate(grads, start=1):
        assert ours.learning_rate == pytest.approx(reference.param_groups[0]["lr"], rel=1e-12)
        run_numpy(ours, [grad_dict])
        run_torch(reference, tensors, [grad_dict])
        if unit == "step" or i % steps_per_epoch == 0:
            ours.increase_epoch()
            scheduler.step()
    assert ours.num_step == n_steps and ours.epoch == n_steps // (steps_per_epoch or 1)
    for key, tensor in tensors.items():
        np.testing.assert_allclose(params[key], tensor.numpy(), rtol=1e-9, atol=1e-12)


def test_default_schedule_is_constant_and_counts():
    optimizer = Adam(make_params(np.float64), 0.3)
    run_numpy(optimizer, make_grads(4), steps_per_epoch=2)
    assert optimizer.learning_rate == 0.3
    assert type(optimizer.learning_rate) is float
    assert (optimizer.epoch, optimizer.num_step) == (2, 4)


# ---------------------------------------------------------------------- state dicts
STATEFUL = [
    (SGD, dict(momentum=0.9, nesterov=True, weight_decay=0.01)),
    (SGD, dict(momentum=0.9, dampening=0.1)),
    (Momentum, dict(beta=0.8)),
    (Nesterov, dict(beta=0.8)),
    (AdaGrad, dict(lr_decay=0.01, initial_accumulator_value=0.1)),
    (RMSProp, dict(bias_correction=True, momentum=0.5)),
    (RMSProp, dict(centered=True, momentum=0.5)),
    (AdaDelta, dict(weight_decay=0.01)),
    (Adam, dict(amsgrad=True)),
    (AdamW, dict(amsgrad=True)),
]


def step_decay(lr0, t):
    return lr0 / (1 + 0.5 * t)


@pytest.mark.parametrize("dtype", DTYPES, ids=["float64", "float32"])
@pytest.mark.parametrize(
    "cls, kwargs", STATEFUL, ids=[f"{c.__name__}-{i}" for i, (c, _) in enumerate(STATEFUL)]
)
def test_resume_from_npz_is_bit_for_bit(cls, kwargs, dtype, tmp_path):
    grads = make_grads(20, dtype)
    uninterrupted = make_params(dtype)
    run_numpy(cls(uninterrupted, 0.05, step_decay, **kwargs), grads, steps_per_epoch=3)

    first_half = make_params(dtype)
    optimizer = run_numpy(
        cls(first_half, 0.05, step_decay, **kwargs), grads[:10], steps_per_epoch=3
    )
    np.savez(tmp_path / "checkpoint.npz", **optimizer.state_dict())
    np.savez(tmp_path / "params.npz", **first_half)
    del optimizer

    with np.load(tmp_path / "params.npz", allow_pickle=False) as saved:
        resumed_params = {key: saved[key] for key in saved}
    resumed = cls(resumed_params, 0.05, step_decay, **kwargs)
    with np.load(tmp_path / "checkpoint.npz", allow_pickle=False) as saved:
        resumed.load_state_dict(saved)
    assert (resumed.epoch, resumed.num_step) == (3, 10)
    for i, grad_dict in enumerate(grads[10:], start=11):
        run_numpy(resumed, [grad_dict])
        if i % 3 == 0:
            resumed.increase_epoch()
    for key in uninterrupted:
        np.testing.assert_array_equal(resumed_params[key], uninterrupted[key], err_msg=key)
        assert resumed_params[key].dtype == dtype


def test_state_dict_is_a_copy_with_flat_names():
    params = make_params(np.float64)
    optimizer = run_numpy(Adam(params, 0.1, amsgrad=True), make_grads(2))
    state = optimizer.state_dict()
    assert set(state) == {"epoch", "num_step"} | {
        f"{name}/{key}" for name in ("v", "s", "s_max") for key in SHAPES
    }
    before = state["v/W1"].copy()
    run_numpy(optimizer, make_grads(1, seed=5))
    np.testing.assert_array_equal(state["v/W1"], before)


def test_sgd_state_before_first_step_has_no_buffer_and_reloads():
    params = make_params(np.float64)
    optimizer = SGD(params, 0.1, momentum=0.9)
    assert optimizer.state_dict() == {"epoch": 0, "num_step": 0}
    run_numpy(optimizer, make_grads(2))
    optimizer.load_state_dict({"epoch": 0, "num_step": 0})  # back to "no buffer yet"
    assert optimizer.state["momentum_buffer"] == {}


def test_loaded_sgd_buffer_is_used_on_the_first_step_like_torch():
    """A momentum buffer loaded before any step is existing state: PyTorch then applies
    b = mu * b + (1 - dampening) * g at once instead of b = g."""
    params, grads = make_params(np.float64), make_grads(5)
    rng = np.random.default_rng(7)
    buffers = {key: rng.normal(size=shape) for key, shape in SHAPES.items()}
    tensors = torch_params(params)
    reference = torch.optim.SGD(
        list(tensors.values()), lr=0.1, momentum=0.9, dampening=0.3, foreach=False
    )
    torch_state = reference.state_dict()
    torch_state["state"] = {
        i: {"momentum_buffer": torch.tensor(buffers[key])} for i, key in enumerate(tensors)
    }
    reference.load_state_dict(torch_state)
    run_torch(reference, tensors, grads)

    ours = SGD(params, 0.1, momentum=0.9, dampening=0.3)
    ours.load_state_dict(
        {
            "epoch": 0,
            "num_step": 0,
            **{f"momentum_buffer/{key}": value for key, value in buffers.items()},
        }
    )
    run_numpy(ours, grads)
    for key, tensor in tensors.items():
        np.testing.assert_allclose(params[key], tensor.numpy(), rtol=1e-10, atol=1e-12, err_msg=key)


def test_loaded_adam_state_continues_like_torch():
    """Moments and step count loaded into a fresh Adam give PyTorch's next steps
    (the step count drives the bias correction)."""
    params, grads = make_params(np.float64), make_grads(5)
    rng = np.random.default_rng(8)
    v = {key: rng.normal(size=shape) for key, shape in SHAPES.items()}
    s = {key: rng.uniform(0.5, 2.0, size=shape) for key, shape in SHAPES.items()}
    tensors = torch_params(params)
    reference = torch.optim.Adam(list(tensors.values()), lr=0.01, foreach=False)
    torch_state = reference.state_dict()
    torch_state["state"] = {
        i: {
            "step": torch.tensor(4.0),
            "exp_avg": torch.tensor(v[key]),
            "exp_avg_sq": torch.tensor(s[key]),
        }
        for i, key in enumerate(tensors)
    }
    reference.load_state_dict(torch_state)
    run_torch(reference, tensors, grads)

    ours = Adam(params, 0.01)
    ours.load_state_dict(
        {
            "epoch": 0,
            "num_step": 4,
            **{f"v/{k}": a for k, a in v.items()},
            **{f"s/{k}": a for k, a in s.items()},
        }
    )
    run_numpy(ours, grads)
    for key, tensor in tensors.items():
        np.testing.assert_allclose(params[key], tensor.numpy(), rtol=1e-10, atol=1e-12, err_msg=key)


def test_load_state_dict_keeps_state_arrays_and_dtype():
    params = make_params(np.float32)
    optimizer = Adam(params, 0.1)
    v_w1 = optimizer.state["v"]["W1"]
    state = {
        key: np.asarray(value, dtype=np.float64) if key.startswith(("v/", "s/")) else value
        for key, value in run_numpy(Adam(make_params(np.float32), 0.1), make_grads(3))
        .state_dict()
        .items()
    }
    optimizer.load_state_dict(state)
    assert optimizer.state["v"]["W1"] is v_w1 and v_w1.dtype == np.float32
    np.testing.assert_array_equal(v_w1, state["v/W1"].astype(np.float32))


# ---------------------------------------------------------------------- dtype, identity, memory
ALL_OPTIMIZERS = [
    (SGD, dict(momentum=0.9, nesterov=True, weight_decay=0.1)),
    (SGD, {}),
    *STATEFUL,
    (RMSProp, dict(weight_decay=0.1)),
    (Adam, dict(weight_decay=0.1)),
]
ALL_IDS = [f"{c.__name__}-{i}" for i, (c, _) in enumerate(ALL_OPTIMIZERS)]


@pytest.mark.parametrize("cls, kwargs", ALL_OPTIMIZERS, ids=ALL_IDS)
def test_float32_stays_float32_in_place(cls, kwargs):
    params = make_params(np.float32)
    arrays = dict(params)
    # float64 gradients and NumPy-scalar hyperparameters must not upcast anything
    optimizer = cls(
        params,
        np.float64(0.01),
        **{k: np.float64(v) if isinstance(v, float) else v for k, v in kwargs.items()},
    )
    run_numpy(optimizer, make_grads(3, np.float64))
    assert type(optimizer.learning_rate) is float
    for key, array in arrays.items():
        assert params[key] is array and optimizer.param_dict[key] is array
        assert array.dtype == np.float32
        assert not np.allclose(array, make_params(np.float32)[key])
    for name, arrays_of_state in optimizer.state.items():
        assert all(a.dtype == np.float32 for a in arrays_of_state.values()), name


# A rule is plain NumPy: every operation makes a temporary array for its result. Those of
# one parameter array are freed before the next parameter's update, so a step holds a few
# arrays the size of the *largest* parameter at once, never one per parameter, and keeps
# nothing (the memory goal of benchmarks/RESULTS.md: flat over 100 steps).
N_ARRAYS, MAX_TEMPORARIES = 16, 6


@pytest.mark.parametrize("cls, kwargs", ALL_OPTIMIZERS, ids=ALL_IDS)
def test_step_temporaries_are_a_few_arrays_and_nothing_is_kept(cls, kwargs):
    rng = np.random.default_rng(0)
    params = {f"W{i}": rng.normal(size=(100, 100)) for i in range(N_ARRAYS)}  # 80 kB each
    grads = {key: rng.normal(size=value.shape) for key, value in params.items()}
    optimizer = cls(params, 1e-3, **kwargs)
    optimizer.add_grad(grads)
    optimizer.step()  # first step may create buffers
    tracemalloc.start()
    try:
        start, _ = tracemalloc.get_traced_memory()
        for _ in range(3):
            optimizer.zero_grad()
            optimizer.add_grad(grads)
            optimizer.step()
        end, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    array_bytes = params["W0"].nbytes
    assert peak - start <= (MAX_TEMPORARIES + 0.5) * array_bytes, (
        f"a step held {(peak - start) / array_bytes:.1f} parameter-sized temporaries at once"
    )
    assert end - start < 1_000, f"three steps kept {end - start} bytes"


# ---------------------------------------------------------------------- memory layouts
# Whatever the memory layout or float type of a parameter, it is updated in place (the
# model's array, not a copy) and gets the update of a plain float64 array.
LAYOUTS = {
    "C float64": lambda a: a.copy(),
    "C float32": lambda a: a.astype(np.float32),
    "Fortran order": np.asfortranarray,
    "strided view": lambda a: np.repeat(a, 2, axis=1)[:, ::2],
    "float16": lambda a: a.astype(np.float16),
}
LAYOUT_TOLERANCE = {
    np.float64: TOLERANCE[np.float64],
    np.float32: TOLERANCE[np.float32],
    np.float16: dict(rtol=2e-2, atol=2e-3),
}


LAYOUT_CASES = [
    pytest.param(cls, kwargs, layout, id=f"{name}-{layout}")
    for name, cls, kwargs in [
        ("SGD", SGD, {}),
        ("SGD-momentum", SGD, dict(momentum=0.9)),
        ("Momentum", Momentum, {}),
        ("Adam", Adam, {}),
    ]
    for layout in LAYOUTS
    # Adam's s = 0.001 g^2 underflows in float16: a precision limit, not a layout one
    if not (cls is Adam and layout == "float16")
]


@pytest.mark.parametrize("cls, kwargs, layout", LAYOUT_CASES)
def test_every_memory_layout_is_updated_in_place(cls, kwargs, layout):
    rng = np.random.default_rng(0)
    shapes = {"W": (5, 3), "V": (4, 6)}  # no axis of length 1: C and Fortran order differ
    values = {key: rng.normal(size=shape) for key, shape in shapes.items()}
    grads = [{key: rng.normal(size=shape) for key, shape in shapes.items()} for _ in range(3)]
    params = {key: LAYOUTS[layout](value) for key, value in values.items()}
    arrays = dict(params)
    run_numpy(cls(params, 0.1, **kwargs), grads)
    expected = run_numpy(cls(values, 0.1, **kwargs), grads).param_dict
    for key, array in params.items():
        assert array is arrays[key], key
        assert array.dtype == arrays[key].dtype, key
        np.testing.assert_allclose(
            array, expected[key], err_msg=key, **LAYOUT_TOLERANCE[array.dtype.type]
        )


def test_strided_view_updates_its_base_and_nothing_else():
    base = np.zeros((3, 4))
    view = base[:, ::2]
    optimizer = SGD({"W": view}, 0.5)
    optimizer.add_grad({"W": np.ones((3, 2))})
    optimizer.step()
    np.testing.assert_array_equal(base, np.tile([-0.5, 0.0], (3, 2)))


def test_read_only_parameter_is_refused():
    params = make_params(np.float32)
    params["b1"].flags.writeable = False
    with pytest.raises(ValueError, match="'b1'.*read-only"):
        SGD(params, 0.1)


# ---------------------------------------------------------------------- bad input
@pytest.fixture
def adam():
    return Adam(make_params(np.float64), 0.1)


def good_grads():
    return make_grads(1)[0]


def test_missing_grad_key(adam):
    grads = good_grads()
    del grads["b1"]
    with pytest.raises(KeyError, match="b1"):
        adam.add_grad(grads)


def test_extra_grad_key(adam):
    with pytest.raises(KeyError, match="W3"):
        adam.add_grad({**good_grads(), "W3": np.zeros(2)})


def test_wrong_grad_shape_changes_nothing(adam):
    grads = good_grads()
    grads["W2"] = np.zeros((5, 1))
    with pytest.raises(ValueError, match=r"'W2' has shape \(5, 1\), expected \(1, 5\)"):
        adam.add_grad(grads)
    assert all(not grad.any() for grad in adam.grad_dict.values())


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_gradient(adam, bad):
    grads = good_grads()
    grads["W1"][2, 1] = bad
    with pytest.raises(ValueError, match="'W1' contains NaN or inf"):
        adam.add_grad(grads)
    assert all(not grad.any() for grad in adam.grad_dict.values())


@pytest.mark.parametrize("cls, kwargs", ALL_OPTIMIZERS, ids=ALL_IDS)
def test_step_leaves_the_gradient_alone(cls, kwargs):
    """L2 decay must not be added into grad_dict: two steps on one gradient see the same g."""
    grads = good_grads()
    optimizer = cls(make_params(np.float64), 0.1, **kwargs)
    optimizer.add_grad(grads)
    optimizer.step()
    optimizer.step()
    for key, grad in grads.items():
        np.testing.assert_array_equal(optimizer.grad_dict[key], grad, err_msg=key)


def test_add_grad_accumulates_and_zero_grad_resets(adam):
    grads = good_grads()
    adam.add_grad(grads)
    adam.add_grad(grads)
    np.testing.assert_array_equal(adam.grad_dict["W1"], 2 * grads["W1"])
    adam.zero_grad()
    assert not adam.grad_dict["W1"].any()


@pytest.mark.parametrize(
    "cls, kwargs, match",
    [
        (SGD, dict(learning_rate=-0.1), r"learning_rate .* got -0\.1"),
        (Adam, dict(learning_rate=float("nan")), "learning_rate .* got nan"),
        (Momentum, dict(beta=1.0), r"beta must lie in \[0, 1\), got 1\.0"),
        (Momentum, dict(beta=-0.2), r"beta must lie in \[0, 1\), got -0\.2"),
        (Nesterov, dict(beta=1.0), r"beta must lie in \[0, 1\), got 1\.0"),
        (Adam, dict(beta1=1.5), r"beta1 .* got 1\.5"),
        (Adam, dict(beta2=1.0), r"beta2 .* got 1\.0"),
        (AdamW, dict(eps=0.0), r"eps must lie in \(0, inf\), got 0\.0"),
        (RMSProp, dict(beta=-0.1), r"beta .* got -0\.1"),
        (RMSProp, dict(momentum=1.0), r"momentum .* got 1\.0"),
        (AdaDelta, dict(rho=1.0), r"rho .* got 1\.0"),
        (AdaGrad, dict(lr_decay=-1.0), r"lr_decay .* got -1\.0"),
        (AdaGrad, dict(initial_accumulator_value=-0.5), r"initial_accumulator_value .* got -0\.5"),
        (SGD, dict(weight_decay=-0.01), r"weight_decay .* got -0\.01"),
        (SGD, dict(dampening=1.5), r"dampening .* got 1\.5"),
        (SGD, dict(nesterov=True), r"nesterov=True needs momentum > 0 .* momentum=0\.0"),
        (
            RMSProp,
            dict(centered=True, bias_correction=True),
            "centered=True cannot .* bias_correction",
        ),
        (SGD, dict(schedule_unit="batch"), "schedule_unit must be 'epoch' or 'step', got 'batch'"),
    ],
)
def test_bad_hyperparameters(cls, kwargs, match):
    kwargs = {"learning_rate": 0.1, **kwargs}
    with pytest.raises(ValueError, match=match):
        cls(make_params(np.float64), **kwargs)


def test_bad_types():
    with pytest.raises(TypeError, match="lr_scheduler .* got 0.9"):
        Momentum(make_params(np.float64), 0.1, 0.9)
    with pytest.raises(TypeError, match=r"param_dict\['W'\] .* dtype int64"):
        SGD({"W": np.arange(3)}, 0.1)
    with pytest.raises(TypeError, match="beta must be a real number, got '0.9'"):
        Momentum(make_params(np.float64), 0.1, beta="0.9")


def test_bad_schedule_value_is_named():
    optimizer = SGD(
        make_params(np.float64), 0.1, lambda lr0, t: lr0 - 0.2 * t, schedule_unit="step"
    )
    run_numpy(optimizer, make_grads(1))
    with pytest.raises(ValueError, match=r"returned learning rate -0\.1.* at step 1"):
        optimizer.step()


@pytest.fixture
def adam_state():
    return run_numpy(Adam(make_params(np.float64), 0.1), make_grads(2)).state_dict()


def assert_load_fails(state, error, match):
    optimizer = Adam(make_params(np.float64), 0.1)
    before = optimizer.state_dict()
    with pytest.raises(error, match=match):
        optimizer.load_state_dict(state)
    after = optimizer.state_dict()  # a failed load changes nothing
    assert after.keys() == before.keys() and all(np.array_equal(after[k], before[k]) for k in after)


def test_state_dict_missing_entry(adam_state):
    del adam_state["s/b1"]
    assert_load_fails(adam_state, KeyError, r"'s/b1'")


def test_state_dict_missing_counter(adam_state):
    del adam_state["num_step"]
    assert_load_fails(adam_state, KeyError, "'num_step'")


def test_state_dict_wrong_shape(adam_state):
    adam_state["v/W1"] = np.zeros((3, 5))
    assert_load_fails(adam_state, ValueError, r"'v/W1'\] has shape \(3, 5\), expected \(5, 3\)")


def test_state_dict_unknown_entry(adam_state):
    adam_state["momentum_buffer/W1"] = np.zeros((5, 3))
    assert_load_fails(adam_state, KeyError, "'momentum_buffer/W1'")


def test_state_dict_bad_counter(adam_state):
    adam_state["epoch"] = -1
    assert_load_fails(adam_state, ValueError, r"'epoch'\] must be an integer >= 0")


def test_base_optimizer_is_abstract():
    with pytest.raises(TypeError):
        BaseOptimizer(make_params(np.float64), 0.1)


# ---------------------------------------------------------------------- readability
# Each rule reads like its docstring's formula: at most 12 lines of code in its _update
# (blank lines and comment lines not counted), plain NumPy.
MAX_UPDATE_LINES = 12
RULES = [
    cls
    for cls in vars(optim_module).values()
    if isinstance(cls, type) and issubclass(cls, BaseOptimizer) and "_update" in vars(cls)
]


def update_lines(cls) -> list[str]:
    """The lines of code of ``cls._update``'s body (no docstring, blank or comment line)."""
    source = textwrap.dedent(inspect.getsource(cls._update))
    body = ast.parse(source).body[0].body
    if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    lines = source.splitlines()[body[0].lineno - 1 :] if body else []
    return [line for line in lines if line.strip() and not line.strip().startswith("#")]


def test_every_optimizer_of_the_module_is_counted():
    assert {cls.__name__ for cls in RULES} >= {
        "SGD",
        "Momentum",
        "AdaGrad",
        "RMSProp",
        "AdaDelta",
        "Adam",
        "RAdam",
        "Lion",
    }


@pytest.mark.parametrize("cls", RULES, ids=lambda cls: cls.__name__)
def test_every_update_rule_is_at_most_twelve_lines(cls):
    lines = update_lines(cls)
    assert len(lines) <= MAX_UPDATE_LINES, (
        f"{cls.__name__}._update has {len(lines)} lines of code:\n" + "\n".join(lines)
    )
