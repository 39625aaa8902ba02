"""Tests of dldemos.compare: the fair-comparison sweeps on networks and on 2-D surfaces.

References are independent of the code under test: plain ``train`` runs for the network
sweeps, and the closed-form gradient-descent iterates on a quadratic for the surface sweeps.
"""

import math

import numpy as np
import pytest

from dldemos import surfaces
from dldemos.compare import (
    SCORE_EPOCHS,
    SurfaceSweep,
    SweepResult,
    compare_optimizers,
    learning_rate_sweep,
    steps_to_reach,
    tune_on_surface,
)
from dldemos.data import load_moons
from dldemos.nn import DeepNetwork
from dldemos.optim import SGD, Adam
from dldemos.train import train

EPOCHS, BATCH = 4, 32


@pytest.fixture(scope="module")
def moons():
    return load_moons(n_samples=200, seed=0)


def small_network():
    return DeepNetwork([2, 4, 1], ["tanh", "sigmoid"], seed=0)


# --------------------------------------------------------------------------------------
# learning_rate_sweep / compare_optimizers
# --------------------------------------------------------------------------------------


def test_sweep_runs_equal_independent_training_runs(moons):
    X, Y, X_dev, Y_dev = moons
    rates = [0.1, 0.5]
    result = learning_rate_sweep(
        small_network, SGD, rates, X, Y, EPOCHS, BATCH, X_dev, Y_dev, seed=3
    )
    assert result.learning_rates == tuple(rates)
    for rate, history, score in zip(rates, result.histories, result.scores):
        model = small_network()
        reference = train(
            model,
            SGD(model.param_dict, rate),
            X,
            Y,
            EPOCHS,
            BATCH,
            X_dev,
            Y_dev,
            seed=3,
            progress=False,
        )
        np.testing.assert_array_equal(history.train_loss, reference.train_loss)
        np.testing.assert_array_equal(history.dev_accuracy, reference.dev_accuracy)
        assert score == pytest.approx(np.mean(reference.train_loss[-SCORE_EPOCHS:]))


def test_best_is_the_lowest_score(moons):
    X, Y, _, _ = moons
    result = learning_rate_sweep(small_network, SGD, [0.01, 0.3, 1.0], X, Y, EPOCHS, BATCH)
    assert result.best_index == int(np.argmin(result.scores))
    assert result.best_learning_rate == result.learning_rates[result.best_index]
    assert result.best_score == min(result.scores)
    assert result.best_history is result.histories[result.best_index]


def test_dev_loss_metric_ranks_by_the_dev_set(moons):
    X, Y, X_dev, Y_dev = moons
    result = learning_rate_sweep(
        small_network, SGD, [0.1, 1.0], X, Y, EPOCHS, BATCH, X_dev, Y_dev, metric="dev_loss"
    )
    for history, score in zip(result.histories, result.scores):
        assert score == pytest.approx(np.mean(history.dev_loss[-SCORE_EPOCHS:]))


def test_diverged_runs_score_inf_and_are_never_best(moons):
    X, Y, _, _ = moons
    # 1e3 ends far above the untrained loss; 1e300 overflows to non-finite values
    result = learning_rate_sweep(small_network, SGD, [1e300, 0.3, 1e3], X, Y, EPOCHS, BATCH)
    assert result.diverged == (True, False, True)
    assert result.scores[0] == math.inf and result.scores[2] == math.inf
    assert result.best_learning_rate == 0.3


def test_all_diverged_has_no_best_history(moons):
    X, Y, _, _ = moons
    result = learning_rate_sweep(small_network, SGD, [1e300], X, Y, EPOCHS, BATCH)
    with pytest.raises(ValueError, match="diverged"):
        result.best_history


def test_every_rate_trains_a_fresh_model(moons):
    X, Y, _, _ = moons
    models = []

    def make_model():
        models.append(small_network())
        return models[-1]

    learning_rate_sweep(make_model, SGD, [0.1, 0.2, 0.3], X, Y, 1, BATCH)
    assert len(models) == 3 and len({id(m) for m in models}) == 3
    assert not np.array_equal(models[0].param_dict["W1"], models[1].param_dict["W1"])


def test_a_real_error_is_not_mistaken_for_divergence(moons):
    X, Y, _, _ = moons
    with pytest.raises(ValueError, match="shape"):
        learning_rate_sweep(small_network, SGD, [0.1], X, Y[:, :-1], 1, BATCH)

    def broken_schedule(param_dict, learning_rate):  # fails inside train, model still finite
        return SGD(param_dict, learning_rate, lr_scheduler=lambda lr0, t: -1.0)

    with pytest.raises(ValueError, match="lr_scheduler"):
        learning_rate_sweep(small_network, broken_schedule, [0.1], X, Y, 1, BATCH)


@pytest.mark.parametrize("rates", [[], [0.0], [-0.1], [float("nan")], [True]])
def test_bad_learning_rates_are_rejected(moons, rates):
    X, Y, _, _ = moons
    with pytest.raises(ValueError, match="learning rate"):
        learning_rate_sweep(small_network, SGD, rates, X, Y, 1, BATCH)


def test_a_sweep_needs_at_least_one_epoch(moons):
    X, Y, _, _ = moons
    with pytest.raises(ValueError, match="total_epoch"):
        learning_rate_sweep(small_network, SGD, [0.1], X, Y, 0, BATCH)


def test_bad_metric_and_missing_dev_set(moons):
    X, Y, _, _ = moons
    with pytest.raises(ValueError, match="metric"):
        learning_rate_sweep(small_network, SGD, [0.1], X, Y, 1, BATCH, metric="accuracy")
    with pytest.raises(ValueError, match="dev set"):
        learning_rate_sweep(small_network, SGD, [0.1], X, Y, 1, BATCH, metric="dev_loss")


def test_compare_optimizers_is_one_sweep_per_candidate(moons):
    X, Y, _, _ = moons
    candidates = {"Adam": (Adam, [0.01]), "SGD": (SGD, [0.3])}
    results = compare_optimizers(candidates, small_network, X, Y, 2, BATCH, seed=1)
    assert list(results) == ["Adam", "SGD"]
    for name, (make, rates) in candidates.items():
        alone = learning_rate_sweep(small_network, make, rates, X, Y, 2, BATCH, seed=1)
        assert results[name].scores == alone.scores
    with pytest.raises(TypeError, match="candidates\\['SGD'\\]"):
        compare_optimizers({"SGD": SGD}, small_network, X, Y, 1, BATCH)


# --------------------------------------------------------------------------------------
# steps_to_reach / tune_on_surface, against gradient descent's closed form on a quadratic
# --------------------------------------------------------------------------------------

KAPPA = 10.0


def closed_form_values(lr, num_steps, start=(-4.0, 2.0)):
    """f along gradient descent on 1/2 (x^2 + kappa y^2): each coordinate shrinks geometrically."""
    t = np.arange(num_steps + 1)
    x = start[0] * (1 - lr) ** t
    y = start[1] * (1 - lr * KAPPA) ** t
    return 0.5 * (x**2 + KAPPA * y**2)


def closed_form_steps(lr, num_steps, target):
    above = np.flatnonzero(closed_form_values(lr, num_steps) > target)
    settled = 0 if above.size == 0 else above[-1] + 1
    return settled if settled <= num_steps else None


@pytest.mark.parametrize("lr", [0.05, 0.15, 0.19])
def test_steps_to_reach_matches_the_closed_form(lr):
    bowl = surfaces.quadratic(condition_number=KAPPA)
    path = surfaces.run_optimizer(SGD, bowl, num_steps=150, learning_rate=lr)
    assert steps_to_reach(bowl, path, target=1e-3) == closed_form_steps(lr, 150, 1e-3)


def test_steps_to_reach_requires_staying_below():
    bowl = surfaces.quadratic(condition_number=KAPPA)
    # below the target, out again, back below: it counts from the last entry
    path = np.array([[4.0, 0.0], [0.01, 0.0], [3.0, 0.0], [0.01, 0.0], [0.0, 0.0]])
    assert steps_to_reach(bowl, path, target=1e-3) == 3
    assert steps_to_reach(bowl, path[:3], target=1e-3) is None
    assert steps_to_reach(bowl, np.array([[0.0, 0.0]]), target=1e-3) == 0
    with pytest.raises(ValueError, match="shape"):
        steps_to_reach(bowl, np.zeros((3, 3)), target=1e-3)


def test_tune_on_surface_picks_the_fewest_steps():
    bowl = surfaces.quadratic(condition_number=KAPPA)
    rates = [0.02, 0.1, 0.18, 0.25]  # 0.25 > 2 / kappa: the steep direction diverges
    sweep = tune_on_surface(SGD, bowl, rates, target=1e-3, num_steps=100)
    expected = [closed_form_steps(lr, 100, 1e-3) for lr in rates]
    assert list(sweep.steps) == expected
    assert expected[-1] is None
    reached = [(s, r) for s, r in zip(expected, rates) if s is not None]
    assert sweep.best_learning_rate == min(reached)[1]
    assert sweep.best_steps == min(reached)[0]
    np.testing.assert_allclose(
        bowl.f(*sweep.best_trajectory.T),
        closed_form_values(sweep.best_learning_rate, 100),
        rtol=1e-9,
        atol=1e-300,
    )


def test_tune_on_surface_without_success_falls_back_to_the_lowest_final_value():
    bowl = surfaces.quadratic(condition_number=KAPPA)
    sweep = tune_on_surface(SGD, bowl, [0.001, 0.01], target=1e-12, num_steps=20)
    assert sweep.steps == (None, None)
    assert sweep.best_learning_rate == 0.01
    assert sweep.final_values[1] == pytest.approx(closed_form_values(0.01, 20)[-1])


def test_tune_on_surface_passes_optimizer_options_and_marks_divergence():
    bowl = surfaces.quadratic(condition_number=KAPPA)
    with_momentum = tune_on_surface(SGD, bowl, [0.05], target=1e-3, num_steps=50, momentum=0.9)
    plain = tune_on_surface(SGD, bowl, [0.05], target=1e-3, num_steps=50)
    assert not np.array_equal(with_momentum.trajectories[0], plain.trajectories[0])
    exploding = tune_on_surface(SGD, bowl, [1e3], target=1e-3, num_steps=500)
    assert math.isnan(exploding.final_values[0]) and exploding.steps == (None,)


def test_tune_on_surface_rejects_bad_input():
    bowl = surfaces.quadratic(condition_number=KAPPA)
    with pytest.raises(ValueError, match="target"):
        tune_on_surface(SGD, bowl, [0.1], target=float("nan"))
    with pytest.raises(ValueError, match="learning rate"):
        tune_on_surface(SGD, bowl, [], target=1e-3)


def test_results_are_plain_dataclasses():
    assert SweepResult((0.1,), (None,), (math.inf,), "train_loss").diverged == (True,)
    sweep = SurfaceSweep(
        (0.1, 0.2), (None, 5), (np.zeros((1, 2)), np.ones((1, 2))), (1.0, 0.0), 1e-3
    )
    assert sweep.best_index == 1 and sweep.best_steps == 5


def test_rate_grid_is_log_spaced_with_its_ends():
    from dldemos.compare import rate_grid

    grid = rate_grid(1e-3, 1e-1, per_decade=2)
    assert np.allclose(grid, [1e-3, 10**-2.5, 1e-2, 10**-1.5, 1e-1])
    with pytest.raises(ValueError, match="low"):
        rate_grid(0.1, 0.01)


def test_race_on_surface_tunes_every_optimizer_and_labels_its_best_path():
    from dldemos.compare import best_paths, race_on_surface
    from dldemos.optim import SGD, Adam

    bowl = surfaces.quadratic(condition_number=10)
    sweeps = race_on_surface(
        {"GD": SGD, "Adam": Adam},
        bowl,
        {"GD": [0.01, 0.1], "Adam": [0.01, 0.1]},
        target=1e-3,
        num_steps=100,
    )
    assert set(sweeps) == {"GD", "Adam"}
    assert sweeps["GD"].best_learning_rate == 0.1
    paths = best_paths(sweeps)
    assert list(paths) == ["GD (lr 0.1)", f"Adam (lr {sweeps['Adam'].best_learning_rate:.2g})"]


def test_converging_rates_stop_at_the_stability_limit_along_the_curving_up_direction():
    from dldemos.compare import converging_rates
    from dldemos.optim import Momentum

    saddle = surfaces.saddle()  # from the ridge y = 0 only x moves: x_t = (1 - 2 alpha)^t x_0
    rates = [0.1, 0.5, 0.9, 1.0, 1.5]
    assert converging_rates(SGD, saddle, rates, start=(-1.5, 0.0)) == (0.1, 0.5, 0.9)
    # the course's momentum v = beta v + (1 - beta) g is stable up to alpha (1 - beta) 2 < 2 (1 + beta)
    assert converging_rates(Momentum, saddle, [1.0, 10.0, 30.0], start=(-1.5, 0.0)) == (1.0, 10.0)
    # too slow to get within a tenth of the distance in 5 steps
    assert converging_rates(SGD, saddle, [0.01], start=(-1.5, 0.0), num_steps=5) == ()


def test_train_with_schedules_matches_plain_training_and_keeps_climbing_runs():
    from functools import partial

    from dldemos import schedules as S
    from dldemos.compare import train_with_schedules

    X, Y, _, _ = load_moons()
    make = lambda: DeepNetwork([2, 8, 1], ["relu", "sigmoid"], seed=0)  # noqa: E731
    schedules = {
        "constant": (S.const_lr, "epoch"),
        "cosine": (S.cosine_annealing(20), "step"),
        "too large": (S.const_lr, "epoch"),
    }
    runs = train_with_schedules(
        make, partial(SGD, momentum=0.9), 0.5, schedules, X, Y, EPOCHS, BATCH, seed=1
    )
    assert list(runs) == list(schedules)
    model = make()
    reference = train(
        model,
        SGD(
            model.param_dict,
            0.5,
            momentum=0.9,
            lr_scheduler=S.cosine_annealing(20),
            schedule_unit="step",
        ),
        X,
        Y,
        EPOCHS,
        BATCH,
        seed=1,
        progress=False,
    )
    np.testing.assert_allclose(runs["cosine"].train_loss, reference.train_loss)
    assert runs["cosine"].step_lr[:3] == reference.step_lr[:3]
    huge = train_with_schedules(make, SGD, 1e3, {"huge": (S.const_lr, "epoch")}, X, Y, 2, BATCH)
    assert len(huge["huge"].train_loss) == 2  # kept, not dropped as a sweep would
    with pytest.raises(ValueError, match="learning rate"):
        train_with_schedules(make, SGD, -1.0, schedules, X, Y, EPOCHS, BATCH)
