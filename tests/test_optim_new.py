"""RAdam against torch.optim.RAdam (every step, the rectified and the momentum-only ones) and
Lion, which has no PyTorch class, against its formula worked by hand and its defining property."""

import numpy as np
import pytest
import torch

from dldemos.optim import Lion, RAdam

torch.set_num_threads(1)
SHAPES = {"W": (4, 3), "b": (4, 1)}


def params(dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    return {key: rng.normal(size=shape).astype(dtype) for key, shape in SHAPES.items()}


def gradients(n_steps, dtype=np.float64, seed=1):
    rng = np.random.default_rng(seed)
    return [
        {
            key: (rng.normal(size=shape) * rng.uniform(0.1, 3.0)).astype(dtype)
            for key, shape in SHAPES.items()
        }
        for _ in range(n_steps)
    ]


def step(optimizer, grad_dict):
    optimizer.zero_grad()
    optimizer.add_grad(grad_dict)
    optimizer.step()


@pytest.mark.parametrize(
    "settings", [dict(), dict(beta1=0.8, beta2=0.99, eps=1e-6), dict(weight_decay=0.1)]
)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_radam_matches_torch_on_every_step(settings, dtype):
    ours = params(dtype)
    tensors = {key: torch.tensor(value.copy(), requires_grad=True) for key, value in ours.items()}
    optimizer = RAdam(ours, learning_rate=0.01, **settings)
    torch_settings = {
        "betas": (settings.get("beta1", 0.9), settings.get("beta2", 0.999)),
        "eps": settings.get("eps", 1e-8),
        "weight_decay": settings.get("weight_decay", 0.0),
    }
    reference = torch.optim.RAdam(tensors.values(), lr=0.01, foreach=False, **torch_settings)
    tol = dict(rtol=1e-9, atol=1e-12) if dtype == np.float64 else dict(rtol=2e-5, atol=2e-6)
    rectified = []
    for t, grad_dict in enumerate(gradients(40, dtype), start=1):
        step(optimizer, grad_dict)
        for key, tensor in tensors.items():
            tensor.grad = torch.tensor(grad_dict[key])
        reference.step()
        rectified.append(optimizer.rectification(t) is not None)
        for key, tensor in tensors.items():
            np.testing.assert_allclose(
                ours[key], tensor.detach().numpy(), **tol, err_msg=f"step {t}, {key}"
            )
            assert ours[key].dtype == dtype
            np.testing.assert_allclose(
                optimizer.state["s"][key], reference.state[tensor]["exp_avg_sq"].numpy(), **tol
            )
    assert not rectified[0] and rectified[-1], "the run must cover both kinds of step"


def test_radam_takes_momentum_steps_while_rho_is_small():
    optimizer = RAdam(params(), learning_rate=0.1)
    assert [optimizer.rectification(t) is None for t in range(1, 8)] == [True] * 5 + [False] * 2
    assert (
        0
        < optimizer.rectification(6)
        < optimizer.rectification(100)
        < optimizer.rectification(10_000)
        < 1
    )


def test_lion_steps_by_hand():
    p = {"x": np.array([1.0, -2.0, 0.5])}
    optimizer = Lion(p, learning_rate=0.1, beta1=0.9, beta2=0.99)
    step(optimizer, {"x": np.array([3.0, -0.001, 0.0])})
    # v = 0: c = 0.1 g, sign(c) = (1, -1, 0)
    np.testing.assert_allclose(p["x"], [0.9, -1.9, 0.5])
    np.testing.assert_allclose(optimizer.state["v"]["x"], [0.03, -0.00001, 0.0])
    step(optimizer, {"x": np.array([-1.0, -1.0, 2.0])})
    # c = 0.9 v + 0.1 g = (0.027 - 0.1, -0.000009 - 0.1, 0.2) -> signs (-1, -1, 1)
    np.testing.assert_allclose(p["x"], [1.0, -1.8, 0.4])
    np.testing.assert_allclose(
        optimizer.state["v"]["x"], [0.99 * 0.03 - 0.01, 0.99 * -0.00001 - 0.01, 0.02]
    )


def test_lion_moves_every_coordinate_by_exactly_lr_and_decays_like_adamw():
    ours = params()
    optimizer = Lion(ours, learning_rate=0.003)
    for grad_dict in gradients(20):
        before = {key: value.copy() for key, value in ours.items()}
        step(optimizer, grad_dict)
        for key in ours:
            np.testing.assert_allclose(np.abs(ours[key] - before[key]), 0.003, rtol=1e-12)
    decayed = {"x": np.array([2.0, -4.0])}
    optimizer = Lion(decayed, learning_rate=0.1, weight_decay=0.5)
    step(optimizer, {"x": np.array([1.0, 1.0])})
    np.testing.assert_allclose(decayed["x"], [2.0 - 0.1 * (1 + 1.0), -4.0 - 0.1 * (1 - 2.0)])


def test_lion_keeps_float32_and_names_bad_arguments():
    ours = params(np.float32)
    optimizer = Lion(ours, learning_rate=0.01)
    step(optimizer, gradients(1, np.float32)[0])
    assert all(value.dtype == np.float32 for value in ours.values())
    with pytest.raises(ValueError, match="beta2"):
        Lion(params(), learning_rate=0.1, beta2=1.0)
    with pytest.raises(ValueError, match="beta1"):
        RAdam(params(), learning_rate=0.1, beta1=-0.1)
