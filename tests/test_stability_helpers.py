"""Chapter 9's helpers (the online problem, the warmup recorder, the clipped and averaged
training loops) and the figures of chapters 8 and 9."""

import numpy as np
import pytest

from dldemos.averaging import train_with_averages
from dldemos.clipping import train_with_clipping
from dldemos.data import load_moons, random_mini_batches
from dldemos.nn import DeepNetwork
from dldemos.online import reddi_gradient, run_online
from dldemos.optim import SGD, Adam
from dldemos.plots import rates as rp
from dldemos.plots import stability as sp
from dldemos.schedules import linear_warmup
from dldemos.warmup import record_steps

X, Y, X_DEV, Y_DEV = load_moons(n_samples=300)


def small_model(seed=0):
    return DeepNetwork([2, 8, 1], ["tanh", "sigmoid"], seed=seed)


def test_online_problem_gradients_and_projection():
    assert [reddi_gradient(t) for t in range(1, 7)] == [3.0, -1.0, -1.0, 3.0, -1.0, -1.0]
    path = run_online(SGD, 300, learning_rate=1.0)
    assert path.min() == -1 and path.max() == 1  # projected back onto [-1, 1]
    assert run_online(SGD, 300, learning_rate=0.05)[-100:].mean() < -0.8
    with pytest.raises(ValueError, match="C must be > 2"):
        run_online(SGD, 3, C=2.0, learning_rate=0.1)


def test_adam_with_a_short_memory_goes_wrong_and_amsgrad_does_not():
    settings = dict(learning_rate=0.1, beta1=0.0, beta2=0.1)
    assert run_online(Adam, 1500, **settings)[-100:].mean() > 0.9
    assert run_online(Adam, 1500, amsgrad=True, **settings)[-100:].mean() < -0.9


def test_record_steps_measures_the_mean_change_of_a_weight():
    model = small_model()
    run = record_steps(model, SGD(model.param_dict, learning_rate=0.0), X, Y, 5, 32)
    np.testing.assert_array_equal(run["step_size"], 0.0)
    model = small_model()
    adam = record_steps(model, Adam(model.param_dict, learning_rate=0.01), X, Y, 7, 32)
    assert len(adam["loss"]) == 7
    assert adam["step_size"][0] == pytest.approx(0.01, rel=0.05)  # the first step is lr * sign(g)
    X_1, Y_1 = random_mini_batches(X, Y, 32, np.random.default_rng(0))[
        0
    ]  # the run's first mini-batch
    model = small_model()
    model.forward(X_1)
    first = np.concatenate([g.ravel() for g in model.backward(Y_1).values()])
    assert adam["second_moment"][0] == pytest.approx(
        np.sqrt(np.mean(first**2)), rel=1e-9
    )  # s_hat_1 = g_1^2
    assert (
        len(adam["second_moment"]) == 7
        and "second_moment" in run
        and len(run["second_moment"]) == 0
    )
    model = small_model()
    warm = record_steps(
        model,
        Adam(
            model.param_dict,
            learning_rate=0.01,
            lr_scheduler=linear_warmup(10),
            schedule_unit="step",
        ),
        X,
        Y,
        3,
        32,
    )
    assert warm["step_size"][0] == 0 and 0 < warm["step_size"][1] < adam["step_size"][1]


def test_clipped_training_caps_the_step_and_reports_divergence():
    model = small_model()
    before = {key: value.copy() for key, value in model.param_dict.items()}
    run = train_with_clipping(
        model, SGD(model.param_dict, learning_rate=1.0), X, Y, 1, 300, max_norm=1e-3
    )
    change = np.sqrt(sum(np.sum((model.param_dict[k] - before[k]) ** 2) for k in before))
    assert change <= 1e-3 * (1 + 1e-6) and run["grad_norm"][0] > 1e-3
    assert run["step_norm"].max() <= 1e-3 * (1 + 1e-6) and len(run["step_norm"]) == len(run["loss"])
    deep = DeepNetwork(
        [2] + [8] * 12 + [1], ["leaky_relu"] * 12 + ["sigmoid"], seed=0
    )  # chapter 9's network
    for key, weights in deep.param_dict.items():
        if key.startswith("W"):
            weights *= 1.3
    diverged = train_with_clipping(
        deep, SGD(deep.param_dict, learning_rate=0.2, momentum=0.9), X, Y, 30, 64
    )
    assert np.isinf(diverged["loss"][-1]) and np.isinf(diverged["grad_norm"][-1])


def test_averaged_training_reports_every_average_per_epoch():
    model = small_model()
    result = train_with_averages(
        model, SGD(model.param_dict, learning_rate=0.5), X, Y, 4, 32, X_DEV, Y_DEV
    )
    assert set(result) == {"last", "EMA", "EMA, no correction", "SWA"}
    assert all(len(values) == 4 for values in result.values())
    assert np.isnan(result["SWA"][:2]).all() and np.isfinite(result["SWA"][2:]).all()
    assert result["last"][-1] == pytest.approx(model.evaluate(X_DEV, Y_DEV, return_loss=True)[1])


def test_figures_build_headless():
    alphas = np.geomspace(1e-3, 1, 5)
    figures = [
        rp.plot_gd_rate(alphas, alphas, alphas[:2], alphas[:2], (0.1, 0.5)),
        rp.plot_rate_map(
            alphas,
            np.linspace(0, 0.9, 4),
            np.full((4, 5), 0.9),
            [(0.1, 0.5, 0.9), (1.0, 0.5, 2.0)],
            (0.1, 0.5),
            {"critical": np.full(5, 0.5)},
        ),
        rp.plot_convergence({"GD": np.geomspace(1, 1e-3, 10)}, {"GD": 0.5}),
        rp.plot_convergence(
            {"GD": np.geomspace(1, 1e-3, 10)}, {"GD": 0.5}, floor=np.geomspace(1, 1e-4, 10)
        ),
        rp.plot_paths({"a": np.arange(5.0)}, "paths", xscale="log"),
        rp.plot_steps_vs_batch([8, 16, 32], [40, 22, 15], (10.0, 20.0), {"B_noise": 30.0}),
        rp.plot_scaling_rules({"SGD": {"B = 8": np.ones(3), "B = 32, α × 4": np.ones(3)}}),
        sp.plot_runs(
            {"run": {"loss": np.array([1.0, np.inf]), "grad_norm": np.array([1.0, np.inf])}}
        ),
        sp.plot_norm_by_depth([2, 4], {"largest": [1.0, 10.0]}),
        sp.plot_dev_losses({"last": [1.0, 0.5]}),
        sp.plot_seed_losses({"SWA": [0.2, 0.1, 0.15]}, title="seeds"),
        sp.plot_final_x([0.1, 0.9], [1e-8, 1.0], np.array([[1.0, 0.0], [-1.0, -1.0]])),
    ]
    for figure in figures:
        assert figure.get_axes()[0].get_xlabel() and figure.get_axes()[0].get_ylabel()
