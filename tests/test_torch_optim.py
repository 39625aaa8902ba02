"""dldemos.torch.optim against torch.optim: same trajectory, state_dict, param groups, schedulers.

Every comparison runs our optimizer and its ``torch.optim`` counterpart side by side on two
identical copies of a small network, so nothing here depends on numbers our own code produced.
"""

import copy
import io
import warnings

import pytest
import torch
from torch import nn
from torch.optim import lr_scheduler

from dldemos.torch import optim as ours

torch.set_num_threads(1)

CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="CUDA is not available")
DEVICES = ["cpu", pytest.param("cuda", marks=[pytest.mark.gpu, CUDA])]
N_STEPS = 50


def momentum_as_torch_sgd(settings):
    """Momentum(lr=γ, momentum=β) follows torch.optim.SGD(lr=γ(1-β), momentum=β): v_t = (1-β) b_t."""
    settings = dict(settings)
    if "lr" in settings or "momentum" in settings:
        settings["lr"] = settings["lr"] * (1 - settings["momentum"])
    return settings


# name: (our class, torch class, defaults, second group's overrides, settings -> torch settings)
CASES = {
    "SGD": (
        ours.SGD,
        torch.optim.SGD,
        dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=1e-3),
        dict(lr=0.02, momentum=0.5, dampening=0.0, nesterov=True, weight_decay=0.0),
        dict,
    ),
    "SGD-plain": (ours.SGD, torch.optim.SGD, dict(lr=0.1), dict(lr=0.05, weight_decay=1e-2), dict),
    "Momentum": (
        ours.Momentum,
        torch.optim.SGD,
        dict(lr=0.1, momentum=0.9, weight_decay=1e-3),
        dict(lr=0.05, momentum=0.5),
        momentum_as_torch_sgd,
    ),
    "AdaGrad": (
        ours.AdaGrad,
        torch.optim.Adagrad,
        dict(lr=0.1, lr_decay=0.01, weight_decay=1e-3, initial_accumulator_value=0.1),
        dict(lr=0.05, lr_decay=0.0, weight_decay=0.0),
        dict,
    ),
    "RMSProp": (
        ours.RMSProp,
        torch.optim.RMSprop,
        dict(lr=0.01, alpha=0.9, weight_decay=1e-3, momentum=0.5, centered=True),
        dict(lr=0.005, alpha=0.99, momentum=0.0, centered=False),
        dict,
    ),
    "AdaDelta": (
        ours.AdaDelta,
        torch.optim.Adadelta,
        dict(lr=1.0, rho=0.9, weight_decay=1e-3),
        dict(lr=0.5, rho=0.95, eps=1e-5),
        dict,
    ),
    "Adam": (
        ours.Adam,
        torch.optim.Adam,
        dict(lr=1e-2, betas=(0.9, 0.999), weight_decay=1e-3),
        dict(lr=5e-3, betas=(0.8, 0.99), amsgrad=True, weight_decay=0.0),
        dict,
    ),
    "AdamW": (
        ours.AdamW,
        torch.optim.AdamW,
        dict(lr=1e-2, weight_decay=0.1),
        dict(lr=5e-3, amsgrad=True, weight_decay=1e-2),
        dict,
    ),
}
TOLERANCE = {torch.float32: 1e-6, torch.float64: 1e-12}


def make_problem(dtype, device):
    """A small tanh network with a fixed regression batch; returns (model, loss closure maker)."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 16), nn.Tanh(), nn.Linear(16, 3)).to(device, dtype)
    X = torch.randn(32, 5, dtype=dtype, device=device)
    Y = torch.randn(32, 3, dtype=dtype, device=device)
    return model, X, Y


def groups(model, second):
    """Two parameter groups: the first layer with the defaults, the last one with overrides."""
    return [{"params": model[0].parameters()}, {"params": model[2].parameters(), **second}]


def make_pair(name, dtype, device, foreach):
    our_cls, torch_cls, defaults, second, to_torch = CASES[name]
    model, X, Y = make_problem(dtype, device)
    reference = copy.deepcopy(model)
    opt = our_cls(groups(model, second), **defaults, foreach=foreach)
    ref_opt = torch_cls(groups(reference, to_torch(second)), **to_torch(defaults), foreach=foreach)
    return (model, opt), (reference, ref_opt), (X, Y)


def train_step(model, opt, X, Y):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), Y)
    loss.backward()
    opt.step()
    return loss.item()


def rel_err(model, reference):
    return max(
        ((p - q).abs().max() / q.abs().max()).item()
        for p, q in zip(model.parameters(), reference.parameters(), strict=True)
    )


def tolerance(dtype, device):
    # CUDA's fused multiply-adds may round a pointwise kernel and a _foreach kernel differently.
    return TOLERANCE[dtype] * (10 if device == "cuda" else 1)


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("foreach", [False, True])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", CASES)
def test_matches_torch_optim_step_by_step(name, dtype, foreach, device):
    (model, opt), (reference, ref_opt), (X, Y) = make_pair(name, dtype, device, foreach)
    for step in range(N_STEPS):
        train_step(model, opt, X, Y)
        train_step(reference, ref_opt, X, Y)
        err = rel_err(model, reference)
        assert err < tolerance(dtype, device), f"step {step}: relative error {err:.2e}"
    assert all(p.dtype == dtype for p in model.parameters())
    moved = (p - q for p, q in zip(model.parameters(), make_problem(dtype, device)[0].parameters()))
    assert all(d.abs().max() > 0 for d in moved), "the optimizer left a parameter unchanged"


def reload(make_optimizer, model, state_dict):
    """``make_optimizer(model)`` loaded from a saved and reloaded copy of ``state_dict``."""
    buffer = io.BytesIO()
    torch.save(state_dict, buffer)
    buffer.seek(0)
    opt = make_optimizer(model)
    opt.load_state_dict(torch.load(buffer, weights_only=True))
    return opt


# Momentum's buffer is (1-β) times SGD's, so only our own state_dict round-trips into it.
STATE_SOURCES = [
    (name, source)
    for name in CASES
    for source in ("ours", "torch")
    if not (name == "Momentum" and source == "torch")
]


@pytest.mark.parametrize("foreach", [False, True])
@pytest.mark.parametrize("name, source", STATE_SOURCES)
def test_state_dict_round_trip_mid_run(name, source, foreach):
    """Save after 25 steps, continue in a fresh model + optimizer: same as never stopping.

    source="ours" reloads our own state_dict; source="torch" loads torch.optim's state_dict into
    our optimizer (the state names are PyTorch's). Momentum's buffer is (1-β) times SGD's, so
    it only round-trips with itself.
    """
    our_cls, torch_cls, defaults, second, to_torch = CASES[name]
    dtype, device = torch.float32, "cpu"
    (model, opt), (reference, ref_opt), (X, Y) = make_pair(name, dtype, device, foreach)
    for _ in range(N_STEPS // 2):
        train_step(model, opt, X, Y)
        train_step(reference, ref_opt, X, Y)
    saved_model, saved_opt = (model, opt) if source == "ours" else (reference, ref_opt)
    resumed = copy.deepcopy(saved_model)
    opt = reload(
        lambda m: our_cls(groups(m, second), **defaults, foreach=foreach),
        resumed,
        saved_opt.state_dict(),
    )
    for _ in range(N_STEPS - N_STEPS // 2):
        train_step(resumed, opt, X, Y)
        train_step(reference, ref_opt, X, Y)
    assert rel_err(resumed, reference) < TOLERANCE[dtype]


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdaGrad"])
def test_our_state_dict_loads_into_torch_optim(name):
    our_cls, torch_cls, defaults, second, to_torch = CASES[name]
    (model, opt), (reference, ref_opt), (X, Y) = make_pair(name, torch.float32, "cpu", False)
    for _ in range(5):
        train_step(model, opt, X, Y)
        train_step(reference, ref_opt, X, Y)
    resumed = copy.deepcopy(model)
    ref_opt2 = reload(lambda m: torch_cls(groups(m, second), **defaults), resumed, opt.state_dict())
    for _ in range(5):
        train_step(resumed, ref_opt2, X, Y)
        train_step(reference, ref_opt, X, Y)
    assert rel_err(resumed, reference) < TOLERANCE[torch.float32]


def test_state_names_are_pytorchs():
    model, X, Y = make_problem(torch.float32, "cpu")
    opt = ours.Adam(model.parameters(), amsgrad=True)
    train_step(model, opt, X, Y)
    state = opt.state[next(model.parameters())]
    assert set(state) == {"step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"}
    assert state["step"].device.type == "cpu" and state["step"].dtype == torch.float32
    assert state["step"].item() == 1


def test_closure_returns_the_loss():
    model, X, Y = make_problem(torch.float32, "cpu")
    opt = ours.SGD(model.parameters(), lr=0.1)

    def closure():
        opt.zero_grad()
        loss = nn.functional.mse_loss(model(X), Y)
        loss.backward()
        return loss

    first = opt.step(closure)
    assert first.item() > opt.step(closure).item()


def test_add_param_group_matches_torch():
    """Train the last layer only, then unfreeze the first layer with its own learning rate."""
    model, X, Y = make_problem(torch.float32, "cpu")
    reference = copy.deepcopy(model)
    opt = ours.Adam(model[2].parameters(), lr=1e-2, weight_decay=1e-3)
    ref_opt = torch.optim.Adam(reference[2].parameters(), lr=1e-2, weight_decay=1e-3)
    for m in (model, reference):
        m[0].requires_grad_(False)
    for _ in range(10):
        train_step(model, opt, X, Y)
        train_step(reference, ref_opt, X, Y)
    for m, o in ((model, opt), (reference, ref_opt)):
        m[0].requires_grad_(True)
        o.add_param_group({"params": m[0].parameters(), "lr": 1e-3})
    assert opt.param_groups[1]["betas"] == (0.9, 0.999)  # filled in from the defaults
    for _ in range(10):
        train_step(model, opt, X, Y)
        train_step(reference, ref_opt, X, Y)
    assert rel_err(model, reference) < TOLERANCE[torch.float32]
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": model[0].weight})


# name: scheduler factory (optimizer -> scheduler)
SCHEDULERS = {
    "StepLR": lambda o: lr_scheduler.StepLR(o, step_size=3, gamma=0.5),
    "MultiStepLR": lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 5], gamma=0.1),
    "CosineAnnealingWarmRestarts": lambda o: lr_scheduler.CosineAnnealingWarmRestarts(
        o, T_0=4, T_mult=2, eta_min=1e-4
    ),
    "OneCycleLR": lambda o: lr_scheduler.OneCycleLR(
        o, max_lr=0.1, total_steps=20, cycle_momentum=True
    ),
    "CyclicLR": lambda o: lr_scheduler.CyclicLR(
        o, base_lr=1e-3, max_lr=0.1, step_size_up=4, mode="triangular2", cycle_momentum=True
    ),
    "ReduceLROnPlateau": lambda o: lr_scheduler.ReduceLROnPlateau(o, factor=0.5, patience=1),
}
OPTIMIZER_PAIRS = {
    "SGD": (
        lambda p: ours.SGD(p, lr=0.05, momentum=0.9),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    ),
    "Adam": (lambda p: ours.Adam(p, lr=0.05), lambda p: torch.optim.Adam(p, lr=0.05)),
}


def hyperparameters(opt):
    group = opt.param_groups[0]
    return group["lr"], group.get("momentum"), group.get("betas")


@pytest.mark.parametrize("optimizer", OPTIMIZER_PAIRS)
@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_schedulers_drive_our_optimizers_like_torch_optim(scheduler, optimizer):
    make_ours, make_torch = OPTIMIZER_PAIRS[optimizer]
    model, X, Y = make_problem(torch.float32, "cpu")
    reference = copy.deepcopy(model)
    opt, ref_opt = make_ours(model.parameters()), make_torch(reference.parameters())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "lr_scheduler.step() before optimizer.step()"
        sched, ref_sched = SCHEDULERS[scheduler](opt), SCHEDULERS[scheduler](ref_opt)
        seen, ref_seen = [], []
        for step in range(20):
            seen.append(hyperparameters(opt))
            ref_seen.append(hyperparameters(ref_opt))
            loss = train_step(model, opt, X, Y)
            ref_loss = train_step(reference, ref_opt, X, Y)
            if scheduler == "ReduceLROnPlateau":
                plateau = 1.0 if step % 4 else 0.5  # a metric that stalls, so the lr drops
                sched.step(plateau)
                ref_sched.step(plateau)
            else:
                sched.step()
                ref_sched.step()
    assert seen == ref_seen
    assert len(set(lr for lr, _, _ in seen)) > 1, "the schedule never changed the learning rate"
    assert loss == pytest.approx(ref_loss, rel=1e-5)


@pytest.mark.parametrize(
    "bad, match",
    [
        (lambda p: ours.Adam(p, betas=(1.0, 0.999)), r"betas\[0\]"),
        (lambda p: ours.SGD(p, lr=-1.0), "lr"),
        (lambda p: ours.SGD(p, lr=0.1, nesterov=True), "nesterov"),
        (lambda p: ours.RMSProp(p, alpha=1.5), "alpha"),
        (lambda p: ours.Momentum(p, momentum=1.0), "momentum"),
        (lambda p: ours.AdaGrad(p, eps=-1e-10), "eps"),
    ],
)
def test_bad_hyperparameters_are_named(bad, match):
    with pytest.raises(ValueError, match=match):
        bad([nn.Parameter(torch.zeros(2))])


def test_foreach_must_be_a_bool_or_none():
    with pytest.raises(TypeError, match="foreach"):
        ours.Adam([nn.Parameter(torch.zeros(2))], foreach="yes")


def test_sparse_gradients_are_refused():
    embedding = nn.Embedding(10, 3, sparse=True)
    opt = ours.AdaGrad(embedding.parameters())
    embedding(torch.tensor([1, 2])).sum().backward()
    with pytest.raises(TypeError, match="sparse"):
        opt.step()
