import numpy as np
import torch

from dldemos.data import load_digits
from dldemos.plots.rates import plot_edge_of_stability
from dldemos.sharpness import gd_with_sharpness, top_hessian_eigenvalue


def test_power_iteration_finds_the_top_eigenvalue_of_a_quadratic():
    H = torch.tensor([[3.0, 1.0, 0.0], [1.0, 2.0, 0.0], [0.0, 0.0, 0.5]], dtype=torch.float64)
    x = torch.ones(3, dtype=torch.float64, requires_grad=True)
    torch.manual_seed(0)
    eigenvalue, v = top_hessian_eigenvalue(lambda: 0.5 * x @ H @ x, [x], iterations=100)
    assert np.isclose(eigenvalue, np.linalg.eigvalsh(H.numpy()).max(), rtol=1e-8)
    assert np.isclose(float(torch.linalg.norm(v[0])), 1.0)


def test_gd_with_sharpness_records_the_loss_every_step_and_the_sharpness_every_few():
    X, Y, _, _ = load_digits()
    run = gd_with_sharpness(X[:, :64], Y[:, :64], 0.1, 12, every=5, hidden=8)
    assert run["loss"].shape == (12,) and list(run["sharpness_step"]) == [0, 5, 10]
    assert np.all(run["sharpness"] > 0) and run["loss"][-1] < run["loss"][0]
    again = gd_with_sharpness(X[:, :64], Y[:, :64], 0.1, 12, every=5, hidden=8)
    assert np.array_equal(run["loss"], again["loss"])  # seeded
    assert plot_edge_of_stability({0.1: run}) is not None
