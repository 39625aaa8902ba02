"""dldemos.schedules against torch.optim.lr_scheduler.

Every reference run drives a real PyTorch scheduler with a one-parameter SGD optimizer and
records ``param_groups[0]["lr"]`` *before* each ``optimizer.step(); scheduler.step()``:
that is the rate of update ``t``, which ``schedule(lr0, t)`` must reproduce.

Tolerance: ``RTOL = 1e-12`` relative, for every comparison. The closed forms agree to a few
ulps. The recursive (chainable) schedulers ``ExponentialLR``, ``LinearLR`` and
``CosineAnnealingLR`` multiply the previous rate by a ratio at every step, so their rounding
errors could in principle add up (``n * eps``), and ``CosineAnnealingLR``'s ratio
``(1 + cos(pi t/T)) / (1 + cos(pi (t-1)/T))`` divides two small numbers near ``t = T``;
measured on 300 steps and ``T`` up to 1000 the worst relative gap is still below ``3e-15``.
``1e-12`` leaves a wide margin for other platforms' ``libm`` while any real mistake (an
off-by-one in ``t`` changes a rate by about ``1/T``, i.e. ``1e-3``) fails by orders of
magnitude. The only absolute tolerance is for the exact zero that cosine annealing reaches
at ``t = T_max`` when ``eta_min = 0``.
"""

import math

import numpy as np
import pytest
import torch
from torch.optim import lr_scheduler

from dldemos import schedules as S

torch.set_num_threads(1)

RTOL = 1e-12


def torch_rates(lr0, n, make_scheduler, momentum=0.0):
    """Learning rates and momenta of updates 0..n-1 of SGD under a PyTorch scheduler."""
    weight = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([weight], lr=lr0, momentum=momentum)
    scheduler = make_scheduler(optimizer)
    rates, momenta = [], []
    for _ in range(n):
        rates.append(float(optimizer.param_groups[0]["lr"]))
        momenta.append(float(optimizer.param_groups[0]["momentum"]))
        optimizer.step()  # no gradient: the weight is untouched, but the step is counted
        scheduler.step()
    return np.array(rates), np.array(momenta)


def lambda_lr(factor_of_t):
    return lambda optimizer: lr_scheduler.LambdaLR(optimizer, lr_lambda=factor_of_t)


def assert_matches(schedule, lr0, n, make_scheduler, rtol=RTOL):
    expected, _ = torch_rates(lr0, n, make_scheduler)
    np.testing.assert_allclose(S.schedule_values(schedule, lr0, n), expected, rtol=rtol, atol=0)


# ------------------------------------------------------------------------------------------
# schedules without a dedicated PyTorch scheduler: LambdaLR with the same factor


@pytest.mark.parametrize("decay_rate", [0.2, 0.005, 0.0])
def test_hyperbolic_decay_matches_lambda_lr(decay_rate):
    assert_matches(
        S.hyperbolic_decay(decay_rate), 1e-2, 150, lambda_lr(lambda t: 1 / (1 + decay_rate * t))
    )


@pytest.mark.parametrize("decay_rate, interval", [(0.5, 10), (0.1, 1), (2.0, 7)])
def test_staircase_decay_matches_lambda_lr(decay_rate, interval):
    assert_matches(
        S.staircase_decay(decay_rate, interval),
        0.3,
        150,
        lambda_lr(lambda t: 1 / (1 + decay_rate * math.floor(t / interval))),
    )


@pytest.mark.parametrize("lr0", [0.1, 0.5, 3e-4])
def test_square_root_decay_matches_lambda_lr(lr0):
    assert_matches(S.square_root_decay(), lr0, 150, lambda_lr(lambda t: 1 / math.sqrt(t + 1)))


def test_const_lr_matches_lambda_lr():
    assert_matches(S.const_lr, 0.05, 120, lambda_lr(lambda t: 1.0))


@pytest.mark.parametrize(
    "lr0, factor, min_lr", [(0.6, 0.8, 1e-2), (0.1, 0.95, 0.0), (0.3, 0.9, 0.05), (0.01, 0.5, 0.02)]
)
def test_factor_decay_matches_lambda_lr_and_d2l_recursion(lr0, factor, min_lr):
    schedule = S.factor_decay(factor, min_lr)
    assert_matches(schedule, lr0, 120, lambda_lr(lambda t: max(factor**t, min_lr / lr0)))
    # d2l's FactorScheduler: lr <- max(min_lr, lr * factor) once per update, from lr0; its
    # first result is already clamped, so the two agree from t = 1 on (and at t = 0 when
    # lr0 >= min_lr)
    rate, recursion = lr0, []
    for _ in range(120):
        recursion.append(rate)
        rate = max(min_lr, rate * factor)
    np.testing.assert_allclose(S.schedule_values(schedule, lr0, 120)[1:], recursion[1:], rtol=RTOL)
    assert schedule(lr0, 0) == max(lr0, min_lr)


# ------------------------------------------------------------------------------------------
# the PyTorch schedulers with a direct counterpart


@pytest.mark.parametrize("gamma", [0.95, 0.99, 0.5, 1.02])
def test_exponential_decay_matches_exponential_lr(gamma):
    assert_matches(
        S.exponential_decay(gamma),
        0.1,
        150,
        lambda opt: lr_scheduler.ExponentialLR(opt, gamma=gamma),
    )


@pytest.mark.parametrize("step_size, gamma", [(30, 0.1), (7, 0.5), (1, 0.97)])
def test_step_decay_matches_step_lr(step_size, gamma):
    assert_matches(
        S.step_decay(step_size, gamma),
        0.1,
        150,
        lambda opt: lr_scheduler.StepLR(opt, step_size=step_size, gamma=gamma),
    )


@pytest.mark.parametrize(
    "milestones, gamma", [([3, 8], 0.5), ([30, 60, 90], 0.1), ([1, 2, 50], 0.3), ([], 0.1)]
)
def test_multistep_decay_matches_multistep_lr(milestones, gamma):
    assert_matches(
        S.multistep_decay(milestones, gamma),
        0.5,
        120,
        lambda opt: lr_scheduler.MultiStepLR(opt, milestones=milestones, gamma=gamma),
    )


# ------------------------------------------------------------------------------------------
# YOLOv5's lambdas


@pytest.mark.parametrize("epochs, lrf", [(150, 0.1), (101, 0.01), (300, 0.0)])
def test_linear_decay_matches_yolov5_linear_lambda(epochs, lrf):
    yolo_linear = lambda x: (1 - x / (epochs - 1)) * (1.0 - lrf) + lrf  # noqa: E731
    schedule = S.linear_decay(epochs - 1, lrf)
    assert_matches(schedule, 0.01, epochs, lambda_lr(yolo_linear))
    assert schedule(0.01, epochs + 5) == pytest.approx(0.01 * lrf, rel=RTOL)  # held after total


@pytest.mark.parametrize("epochs, lrf", [(150, 0.1), (100, 0.01), (300, 0.2)])
def test_cosine_decay_matches_yolov5_one_cycle_lambda(epochs, lrf):
    def yolo_one_cycle(y1=0.0, y2=1.0, steps=100):
        return lambda x: ((1 - math.cos(x * math.pi / steps)) / 2) * (y2 - y1) + y1

    schedule = S.cosine_decay(epochs, lrf)
    assert_matches(schedule, 0.01, epochs + 1, lambda_lr(yolo_one_cycle(1, lrf, epochs)))
    assert schedule(0.01, 2 * epochs) == pytest.approx(0.01 * lrf, rel=RTOL)  # held after total
    np.testing.assert_allclose(
        S.schedule_values(schedule, 0.01, epochs + 1),
        S.schedule_values(S.cosine_annealing(epochs, 0.01 * lrf), 0.01, epochs + 1),
        rtol=RTOL,
    )


# ------------------------------------------------------------------------------------------
# cosine annealing, warmup, warm restarts


@pytest.mark.parametrize(
    "lr0, T_max, eta_min", [(0.1, 100, 0.0), (0.05, 200, 1e-3), (1.0, 150, 0.1)]
)
def test_cosine_annealing_matches_closed_form_and_scheduler(lr0, T_max, eta_min):
    schedule = S.cosine_annealing(T_max, eta_min)
    ours = S.schedule_values(schedule, lr0, T_max + 1)
    t = np.arange(T_max + 1)
    documented = eta_min + 0.5 * (lr0 - eta_min) * (1 + np.cos(t * np.pi / T_max))
    np.testing.assert_allclose(ours, documented, rtol=RTOL, atol=1e-15 * lr0)
    # the recursive scheduler (see the module docstring for the tolerance)
    assert_cosine = dict(rtol=RTOL, atol=1e-15 * lr0)
    expected, _ = torch_rates(
        lr0, 2 * T_max + 1, lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min)
    )
    np.testing.assert_allclose(ours, expected[: T_max + 1], **assert_cosine)
    # after T_max ours holds eta_min; PyTorch keeps following the cosine back up to lr0
    assert all(schedule(lr0, k) == eta_min for k in range(T_max + 1, 2 * T_max + 1))
    t = np.arange(T_max + 1, 2 * T_max + 1)
    np.testing.assert_allclose(
        expected[T_max + 1 :],
        eta_min + 0.5 * (lr0 - eta_min) * (1 + np.cos(t * np.pi / T_max)),
        **assert_cosine,
    )


def _linear_then(after_factory):
    return lambda warmup, lr0, start_lr: (
        lambda opt: lr_scheduler.SequentialLR(
            opt,
            [
                lr_scheduler.LinearLR(
                    opt, start_factor=start_lr / lr0, end_factor=1.0, total_iters=warmup
                ),
                after_factory(opt),
            ],
            milestones=[warmup],
        )
    )


@pytest.mark.parametrize(
    "warmup, after, torch_after, start_lr, n",
    [
        (10, S.const_lr, lambda opt: lr_scheduler.LambdaLR(opt, lambda t: 1.0), 1e-4, 120),
        (
            20,
            S.cosine_annealing(130, 1e-3),
            lambda opt: lr_scheduler.CosineAnnealingLR(opt, T_max=130, eta_min=1e-3),
            1e-3,
            151,
        ),
        (
            5,
            S.exponential_decay(0.97),
            lambda opt: lr_scheduler.ExponentialLR(opt, 0.97),
            0.05,
            120,
        ),
        (8, S.step_decay(25, 0.5), lambda opt: lr_scheduler.StepLR(opt, 25, 0.5), 0.01, 150),
        (1, S.const_lr, lambda opt: lr_scheduler.LambdaLR(opt, lambda t: 1.0), 0.02, 100),
    ],
    ids=["const", "cosine", "exponential", "step", "one-step"],
)
def test_linear_warmup_matches_linear_lr_then_sequential_lr(
    warmup, after, torch_after, start_lr, n
):
    lr0 = 0.1
    schedule = S.linear_warmup(warmup, after, start_lr=start_lr)
    assert_matches(schedule, lr0, n, _linear_then(torch_after)(warmup, lr0, start_lr))
    assert schedule(lr0, 0) == start_lr
    assert schedule(lr0, warmup) == after(lr0, 0)


def test_linear_warmup_from_zero_and_d2l_cosine_with_warmup():
    ramp = S.linear_warmup(4)
    np.testing.assert_allclose(
        S.schedule_values(ramp, 0.2, 7), [0.0, 0.05, 0.1, 0.15, 0.2, 0.2, 0.2], rtol=RTOL
    )
    assert S.linear_warmup(0, S.exponential_decay(0.9))(0.2, 3) == S.exponential_decay(0.9)(0.2, 3)
    # d2l's CosineScheduler(max_update=10, base_lr=0.2, final_lr=0.02, warmup_steps=3)
    base_lr, final_lr, warmup, max_update = 0.2, 0.02, 3, 10
    d2l = [
        base_lr * t / warmup
        if t < warmup
        else final_lr
        + (base_lr - final_lr)
        * (1 + math.cos(math.pi * (min(t, max_update) - warmup) / (max_update - warmup)))
        / 2
        for t in range(15)
    ]
    schedule = S.linear_warmup(warmup, S.cosine_annealing(max_update - warmup, final_lr))
    np.testing.assert_allclose(S.schedule_values(schedule, base_lr, 15), d2l, rtol=RTOL)


@pytest.mark.parametrize(
    "T_0, T_mult, eta_min", [(10, 1, 0.0), (5, 2, 1e-3), (3, 3, 0.0), (1, 2, 1e-4), (7, 1, 0.01)]
)
def test_cosine_warm_restarts_matches_scheduler(T_0, T_mult, eta_min):
    assert_matches(
        S.cosine_warm_restarts(T_0, T_mult, eta_min),
        0.1,
        200,
        lambda opt: lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0, T_mult, eta_min),
    )


def test_cosine_warm_restarts_restarts_at_cycle_boundaries():
    schedule = S.cosine_warm_restarts(5, 2)  # cycles of 5, 10, 20 steps start at 0, 5, 15, 35
    assert [schedule(1.0, t) for t in (0, 5, 15, 35)] == [1.0, 1.0, 1.0, 1.0]


# ------------------------------------------------------------------------------------------
# Smith's cyclical schedules


@pytest.mark.parametrize(
    "mode, gamma",
    [("triangular", 1.0), ("triangular2", 1.0), ("exp_range", 0.99), ("exp_range", 0.999)],
)
@pytest.mark.parametrize("base_lr, max_lr, step_size_up", [(1e-3, 0.1, 10), (0.01, 0.05, 25)])
def test_cyclic_matches_cyclic_lr(base_lr, max_lr, step_size_up, mode, gamma):
    schedule = S.cyclic(base_lr, max_lr, step_size_up, mode=mode, gamma=gamma)
    assert_matches(
        schedule,
        0.5,
        200,
        lambda opt: lr_scheduler.CyclicLR(
            opt, base_lr, max_lr, step_size_up, mode=mode, gamma=gamma, cycle_momentum=False
        ),
    )
    np.testing.assert_array_equal(
        S.schedule_values(schedule, 0.5, 50), S.schedule_values(schedule, 7.0, 50)
    )  # lr0 is ignored


ONE_CYCLE_SETTINGS = [
    dict(max_lr=0.1, total_steps=100),
    dict(max_lr=0.8, total_steps=250, pct_start=0.25, div_factor=10.0, final_div_factor=100.0),
    dict(max_lr=0.05, total_steps=137, pct_start=0.4, div_factor=5.0, final_div_factor=1e3),
]


@pytest.mark.parametrize("three_phase", [False, True], ids=["two-phase", "three-phase"])
@pytest.mark.parametrize("anneal_strategy", ["cos", "linear"])
@pytest.mark.parametrize("settings", ONE_CYCLE_SETTINGS, ids=["defaults", "short-warmup", "odd"])
def test_one_cycle_and_momentum_match_one_cycle_lr(settings, anneal_strategy, three_phase):
    n = settings["total_steps"]
    rates, momenta = torch_rates(
        0.5,
        n,
        lambda opt: lr_scheduler.OneCycleLR(
            opt,
            **settings,
            anneal_strategy=anneal_strategy,
            three_phase=three_phase,
            cycle_momentum=True,
            base_momentum=0.85,
            max_momentum=0.95,
        ),
        momentum=0.9,
    )
    schedule = S.one_cycle(**settings, anneal_strategy=anneal_strategy, three_phase=three_phase)
    np.testing.assert_allclose(S.schedule_values(schedule, 0.5, n), rates, rtol=RTOL)
    momentum = S.one_cycle_momentum(
        n,
        pct_start=settings.get("pct_start", 0.3),
        anneal_strategy=anneal_strategy,
        three_phase=three_phase,
    )
    np.testing.assert_allclose(S.schedule_values(momentum, 0.9, n), momenta, rtol=RTOL)
    # the two move in opposite directions; after the cycle both hold their final values
    peak = int(np.argmax(rates))
    assert np.argmin(momenta) == peak and momenta[0] == 0.95
    assert schedule(0.5, n + 10) == pytest.approx(rates[-1], rel=RTOL)
    assert momentum(0.9, n + 10) == 0.95


def test_one_cycle_momentum_custom_bounds_match_one_cycle_lr():
    _, momenta = torch_rates(
        0.1,
        120,
        lambda opt: lr_scheduler.OneCycleLR(
            opt, max_lr=0.1, total_steps=120, base_momentum=0.8, max_momentum=0.99, three_phase=True
        ),
        momentum=0.9,
    )
    momentum = S.one_cycle_momentum(120, base_momentum=0.8, max_momentum=0.99, three_phase=True)
    np.testing.assert_allclose(S.schedule_values(momentum, 0.0, 120), momenta, rtol=RTOL)


# ------------------------------------------------------------------------------------------
# the helper, the names, and bad input


def test_schedule_values_shape_dtype_and_names():
    values = S.schedule_values(S.step_decay(2, 0.5), 1.0, 6)
    assert values.dtype == np.float64 and values.shape == (6,)
    np.testing.assert_array_equal(values, [1.0, 1.0, 0.5, 0.5, 0.25, 0.25])
    assert S.schedule_values(S.const_lr, 0.1, 0).shape == (0,)
    assert S.const_lr.__name__ == "const_lr"
    assert S.step_decay(2, 0.5).__name__ == "step_decay(step_size=2, gamma=0.5)"
    assert "after=cosine_annealing(T_max=7" in S.linear_warmup(3, S.cosine_annealing(7)).__name__
    assert isinstance(S.exponential_decay(0.9)(np.float32(0.1), np.int64(3)), float)


@pytest.mark.parametrize(
    "lr0, t, name",
    [
        (0.1, -1, "t"),
        (0.1, 2.5, "t"),
        (0.1, True, "t"),
        (-0.1, 0, "lr0"),
        (float("nan"), 0, "lr0"),
        ("0.1", 0, "lr0"),
    ],
)
def test_schedules_reject_bad_lr0_and_t(lr0, t, name):
    for schedule in (S.const_lr, S.cosine_annealing(10), S.one_cycle(0.1, 100)):
        with pytest.raises(ValueError, match=rf"^{name} "):
            schedule(lr0, t)


BAD_ARGUMENTS = [
    (S.hyperbolic_decay, dict(decay_rate=-0.1), "decay_rate"),
    (S.hyperbolic_decay, dict(decay_rate="0.1"), "decay_rate"),
    (S.staircase_decay, dict(decay_rate=0.1, interval=0), "interval"),
    (S.staircase_decay, dict(decay_rate=0.1, interval=2.5), "interval"),
    (S.exponential_decay, dict(gamma=0.0), "gamma"),
    (S.exponential_decay, dict(gamma=float("inf")), "gamma"),
    (S.factor_decay, dict(factor=1.5), "factor"),
    (S.factor_decay, dict(factor=0.5, min_lr=-1.0), "min_lr"),
    (S.step_decay, dict(step_size=0), "step_size"),
    (S.step_decay, dict(step_size=10, gamma=-0.1), "gamma"),
    (S.multistep_decay, dict(milestones=[8, 3]), "milestones"),
    (S.multistep_decay, dict(milestones=[0, 3]), r"milestones\[0\]"),
    (S.multistep_decay, dict(milestones=5), "milestones"),
    (S.multistep_decay, dict(milestones=[3, 8], gamma=0), "gamma"),
    (S.linear_decay, dict(total=0), "total"),
    (S.linear_decay, dict(total=10, final_factor=1.5), "final_factor"),
    (S.cosine_decay, dict(total=10, final_factor=-0.1), "final_factor"),
    (S.cosine_annealing, dict(T_max=0), "T_max"),
    (S.cosine_annealing, dict(T_max=10, eta_min=-1.0), "eta_min"),
    (S.linear_warmup, dict(warmup=-1), "warmup"),
    (S.linear_warmup, dict(warmup=5, start_lr=-0.1), "start_lr"),
    (S.cosine_warm_restarts, dict(T_0=0), "T_0"),
    (S.cosine_warm_restarts, dict(T_0=10, T_mult=0), "T_mult"),
    (S.cosine_warm_restarts, dict(T_0=10, T_mult=1.5), "T_mult"),
    (S.cosine_warm_restarts, dict(T_0=10, eta_min=-1e-3), "eta_min"),
    (S.cyclic, dict(base_lr=-0.1, max_lr=0.1, step_size_up=10), "base_lr"),
    (S.cyclic, dict(base_lr=0.1, max_lr=0.01, step_size_up=10), "max_lr"),
    (S.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=0), "step_size_up"),
    (S.cyclic, dict(base_lr=0.01, max_lr=0.1, step_size_up=10, mode="triangle"), "mode"),
    (
        S.cyclic,
        dict(base_lr=0.01, max_lr=0.1, step_size_up=10, mode="exp_range", gamma=1.5),
        "gamma",
    ),
    (S.one_cycle, dict(max_lr=0.0, total_steps=100), "max_lr"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=1), "total_steps"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100.0), "total_steps"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100, pct_start=1.0), "pct_start"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100, pct_start=0.005), "pct_start"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100, pct_start=0.6, three_phase=True), "pct_start"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100, div_factor=0.0), "div_factor"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100, final_div_factor=-1.0), "final_div_factor"),
    (S.one_cycle, dict(max_lr=0.1, total_steps=100, anneal_strategy="cosine"), "anneal_strategy"),
    (S.one_cycle_momentum, dict(total_steps=100, base_momentum=0.99), "base_momentum"),
    (S.one_cycle_momentum, dict(total_steps=100, max_momentum=1.0), "max_momentum"),
    (S.one_cycle_momentum, dict(total_steps=100, pct_start=0.0), "pct_start"),
    (S.schedule_values, dict(schedule=S.const_lr, lr0=0.1, n=-1), "n"),
]


@pytest.mark.parametrize(
    "factory, kwargs, name", BAD_ARGUMENTS, ids=[f"{f.__name__}-{n}" for f, _, n in BAD_ARGUMENTS]
)
def test_bad_arguments_raise_value_error_naming_the_argument(factory, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}(?!\w)"):
        factory(**kwargs)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: S.linear_warmup(5, after=0.1), "after"),
        (lambda: S.schedule_values("const_lr", 0.1, 3), "schedule"),
    ],
)
def test_non_callables_raise_type_error(call, name):
    with pytest.raises(TypeError, match=rf"^{name}(?!\w)"):
        call()
