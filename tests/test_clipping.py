"""Gradient clipping, NumPy and PyTorch versions, against torch.nn.utils.clip_grad_norm_ /
clip_grad_value_."""

import numpy as np
import pytest
import torch

from dldemos.clipping import clip_by_global_norm, clip_by_value, global_norm
from dldemos.torch.clipping import clip_grad_norm, clip_grad_value

SHAPES = {"W1": (5, 3), "b1": (5, 1), "W2": (2, 5)}


def grads(scale, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return {key: (scale * rng.normal(size=shape)).astype(dtype) for key, shape in SHAPES.items()}


def torch_params(grad_dict):
    tensors = []
    for g in grad_dict.values():
        p = torch.zeros(
            g.shape,
            dtype=torch.float64 if g.dtype == np.float64 else torch.float32,
            requires_grad=True,
        )
        p.grad = torch.tensor(g.copy())
        tensors.append(p)
    return tensors


@pytest.mark.parametrize("scale, max_norm", [(10.0, 1.0), (0.01, 1.0), (3.0, 5.0), (100.0, 0.1)])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_global_norm_clipping_matches_torch(scale, max_norm, dtype):
    ours = grads(scale, dtype=dtype)
    reference, mine = torch_params(ours), torch_params(ours)
    expected_norm = torch.nn.utils.clip_grad_norm_(reference, max_norm)
    norm = clip_by_global_norm(ours, max_norm)
    assert norm == pytest.approx(float(expected_norm), rel=1e-6)
    assert float(clip_grad_norm(mine, max_norm)) == pytest.approx(float(expected_norm), rel=1e-6)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    for g, p, q in zip(ours.values(), reference, mine):
        assert g.dtype == dtype
        np.testing.assert_allclose(g, p.grad.numpy(), rtol=tol, atol=tol)
        np.testing.assert_allclose(q.grad.numpy(), p.grad.numpy(), rtol=tol, atol=tol)
    assert global_norm(ours) == pytest.approx(min(norm, max_norm), rel=1e-5)


def test_clipping_keeps_the_direction_and_value_clipping_does_not():
    before = grads(10.0)
    by_norm, by_value = grads(10.0), grads(10.0)
    clip_by_global_norm(by_norm, 1.0)
    clip_by_value(by_value, 1.0)
    flat = lambda d: np.concatenate([g.ravel() for g in d.values()])  # noqa: E731
    cosine = lambda a, b: a @ b / np.linalg.norm(a) / np.linalg.norm(b)  # noqa: E731
    assert cosine(flat(by_norm), flat(before)) == pytest.approx(1.0)
    assert cosine(flat(by_value), flat(before)) < 0.99


@pytest.mark.parametrize("clip_value", [0.5, 2.0])
def test_value_clipping_matches_torch(clip_value):
    ours = grads(3.0)
    reference, mine = torch_params(ours), torch_params(ours)
    torch.nn.utils.clip_grad_value_(reference, clip_value)
    clip_by_value(ours, clip_value)
    clip_grad_value(mine, clip_value)
    for g, p, q in zip(ours.values(), reference, mine):
        np.testing.assert_array_equal(g, p.grad.numpy())
        np.testing.assert_array_equal(q.grad.numpy(), p.grad.numpy())


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_global_norm(grads(1.0), 0.0)
    with pytest.raises(ValueError, match="clip_value"):
        clip_by_value(grads(1.0), -1.0)
    broken = grads(1.0)
    broken["W1"][0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        clip_by_global_norm(broken, 1.0)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(torch_params(grads(1.0)), -2.0)
