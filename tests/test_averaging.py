"""Averaging the weights (dldemos.averaging, dldemos.torch.averaging) against
torch.optim.swa_utils: AveragedModel with the EMA and the default (SWA) average, and SWALR."""

import numpy as np
import pytest
import torch
from torch.optim.swa_utils import SWALR, AveragedModel, get_ema_multi_avg_fn

from dldemos.averages import ewma
from dldemos.averaging import WeightEMA, WeightMean, swa_schedule
from dldemos.torch.averaging import WeightAverage

torch.set_num_threads(1)


def trajectory(n_steps=30, seed=0):
    """A model and the weights an optimizer would visit: a drift plus noise."""
    rng = np.random.default_rng(seed)
    model = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 2)
    ).double()
    steps = [[rng.normal(size=tuple(p.shape)) for p in model.parameters()] for _ in range(n_steps)]
    return model, steps


def walk(model, steps):
    """Yield after each 'optimizer step' (the weights move by the next increment)."""
    for increments in steps:
        with torch.no_grad():
            for p, delta in zip(model.parameters(), increments):
                p.add_(torch.tensor(0.1 * delta))
        yield


def numpy_view(model):
    return {str(i): p.detach().numpy() for i, p in enumerate(model.parameters())}


@pytest.mark.parametrize("beta", [0.0, 0.9, 0.99])
def test_ema_from_the_first_weights_matches_averaged_model(beta):
    model, steps = trajectory()
    reference = AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(beta))
    ours_np, ours_torch = (
        WeightEMA(numpy_view(model), beta, start="first"),
        WeightAverage(model, "ema", beta),
    )
    for _ in walk(model, steps):
        reference.update_parameters(model)
        ours_np.update()
        ours_torch.update(model)
        for i, (p, q) in enumerate(
            zip(reference.module.parameters(), ours_torch.module.parameters())
        ):
            np.testing.assert_allclose(
                ours_np.averaged[str(i)], p.detach().numpy(), rtol=1e-12, atol=1e-14
            )
            np.testing.assert_allclose(
                q.detach().numpy(), p.detach().numpy(), rtol=1e-12, atol=1e-14
            )


def test_swa_mean_matches_averaged_models_default_average():
    model, steps = trajectory()
    reference = AveragedModel(model)
    ours_np, ours_torch = WeightMean(numpy_view(model)), WeightAverage(model, "mean")
    history = []
    for _ in walk(model, steps):
        reference.update_parameters(model)
        ours_np.update()
        ours_torch.update(model)
        history.append({key: value.copy() for key, value in numpy_view(model).items()})
    for i, (p, q) in enumerate(zip(reference.module.parameters(), ours_torch.module.parameters())):
        np.testing.assert_allclose(ours_np.averaged[str(i)], p.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-12)
        np.testing.assert_allclose(
            ours_np.averaged[str(i)], np.mean([h[str(i)] for h in history], axis=0), rtol=1e-12
        )


def test_bias_corrected_ema_is_chapter_twos_ewma():
    model, steps = trajectory(n_steps=25)
    ours_np, ours_torch = (
        WeightEMA(numpy_view(model), 0.9),
        WeightAverage(model, "ema", 0.9, start="zero"),
    )
    history = []
    for _ in walk(model, steps):
        ours_np.update()
        ours_torch.update(model)
        history.append(numpy_view(model)["0"].copy())
    expected = ewma(np.array(history), 0.9, bias_correction=True)[-1]
    np.testing.assert_allclose(ours_np.averaged["0"], expected, rtol=1e-10)
    np.testing.assert_allclose(
        next(ours_torch.module.parameters()).detach().numpy(), expected, rtol=1e-10
    )
    first = WeightEMA({"w": np.array([2.0, -4.0])}, 0.99)
    first.update()
    np.testing.assert_allclose(first.averaged["w"], [2.0, -4.0])  # no pull towards 0


@pytest.mark.parametrize(
    "anneal_epochs, strategy", [(5, "cos"), (3, "linear"), (0, "cos"), (1, "linear")]
)
def test_swa_schedule_matches_swalr(anneal_epochs, strategy):
    p = torch.zeros(2, requires_grad=True)
    optimizer = torch.optim.SGD([p], lr=0.5)
    scheduler = SWALR(optimizer, swa_lr=0.05, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
    schedule = swa_schedule(0.05, anneal_epochs, strategy)
    for t in range(12):
        assert schedule(0.5, t) == pytest.approx(optimizer.param_groups[0]["lr"], rel=1e-12), (
            f"t={t}"
        )
        optimizer.step()
        scheduler.step()


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="start"):
        WeightEMA({"w": np.zeros(2)}, 0.9, start="last")
    with pytest.raises(ValueError, match="beta"):
        WeightEMA({"w": np.zeros(2)}, 1.0)
    with pytest.raises(RuntimeError, match="update"):
        WeightMean({"w": np.zeros(2)}).averaged
    with pytest.raises(ValueError, match="anneal_strategy"):
        swa_schedule(0.1, 5, "step")
    with pytest.raises(ValueError, match="kind"):
        WeightAverage(torch.nn.Linear(2, 2), kind="median")


def test_swa_batchnorm_effect_isolates_the_statistics():
    from dldemos.torch.averaging import swa_batchnorm_effect

    generator = torch.Generator().manual_seed(0)
    X, X_dev = torch.randn(96, 8, generator=generator), torch.randn(40, 8, generator=generator)
    Y, Y_dev = (X[:, 0] > 0).long(), (X_dev[:, 0] > 0).long()
    # one snapshot, the last one: SWA's weights and (stale) statistics are the last iterate's
    losses = swa_batchnorm_effect(X, Y, X_dev, Y_dev, epochs=3, swa_start=2, lr=0.05)
    assert list(losses) == [
        "last iterate",
        "SWA, last iterate's statistics",
        "SWA, averaged statistics",
        "SWA after update_bn",
    ]
    assert losses["SWA, last iterate's statistics"] == losses["last iterate"]
    # the average of one snapshot's statistics is that snapshot's: the last iterate's
    assert losses["SWA, averaged statistics"] == losses["last iterate"]
    # update_bn's plain means over one pass differ from the running averages of training
    assert losses["SWA after update_bn"] != losses["last iterate"]
    assert all(np.isfinite(list(losses.values())))
    again = swa_batchnorm_effect(X, Y, X_dev, Y_dev, epochs=3, swa_start=2, lr=0.05)
    assert again == losses  # seeded
    with pytest.raises(ValueError, match="swa_start"):
        swa_batchnorm_effect(X, Y, X_dev, Y_dev, epochs=3, swa_start=3)


def test_swa_batchnorm_effect_averages_the_statistics_with_the_weights():
    """The arm with ``use_buffers=True`` evaluates the same averaged weights as the other two
    arms, with the running statistics averaged over the same snapshots; several snapshots make
    it differ from the last iterate's statistics."""
    from dldemos.torch.averaging import swa_batchnorm_effect

    generator = torch.Generator().manual_seed(1)
    X, X_dev = torch.randn(96, 8, generator=generator), torch.randn(40, 8, generator=generator)
    Y, Y_dev = (X[:, 0] > 0).long(), (X_dev[:, 0] > 0).long()
    losses = swa_batchnorm_effect(X, Y, X_dev, Y_dev, epochs=4, swa_start=1, lr=0.05)
    averaged = losses["SWA, averaged statistics"]
    assert np.isfinite(averaged)
    assert averaged != losses["SWA, last iterate's statistics"]
    assert averaged != losses["SWA after update_bn"]
    # what use_buffers=True means: the buffers are averaged like the weights
    network = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    swa = AveragedModel(network, use_buffers=True)
    means = []
    for shift in (0.0, 4.0):
        network(torch.randn(16, 3, generator=generator) + shift)  # moves the running mean
        means.append(network[1].running_mean.clone())
        swa.update_parameters(network)
    torch.testing.assert_close(swa.module[1].running_mean, (means[0] + means[1]) / 2)
