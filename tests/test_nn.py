"""dldemos.nn: DeepNetwork against finite differences and against an equivalent PyTorch model."""

import numpy as np
import pytest
import torch

from dldemos.nn import DeepNetwork, gradient_check
from dldemos.optim import Adam

torch.set_num_threads(1)

HIDDEN = ["relu", "leaky_relu", "tanh", "sigmoid", "linear"]
OUTPUTS = {"sigmoid": 1, "softmax": 4}


def make_data(n_x, m, output, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = rng.integers(0, OUTPUTS[output] if output == "softmax" else 2, size=(1, m))
    return X, Y


def randomize_biases(net, seed=5):
    rng = np.random.default_rng(seed)
    for key, value in net.param_dict.items():
        if key.startswith("b"):
            value[...] = rng.normal(0.0, 0.5, size=value.shape)


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_backprop_matches_finite_differences(hidden, output):
    net = DeepNetwork([3, 5, 4, OUTPUTS[output]], [hidden, hidden, output], seed=1)
    X, Y = make_data(3, 8, output)
    # Random biases: with zero biases an example whose layer-1 units are all dead gives
    # z = 0 exactly in layer 2, the ReLU kink where finite differences are meaningless.
    randomize_biases(net)
    before = net.state_dict()
    difference, per_key = gradient_check(net, X, Y, eps=1e-6, return_details=True)
    assert difference < 1e-7, per_key
    assert set(per_key) == set(net.param_dict)
    for key, value in before.items():  # the check restores every parameter exactly
        np.testing.assert_array_equal(net.param_dict[key], value)


def test_gradient_check_detects_a_wrong_backward():
    class Buggy(DeepNetwork):
        def backward(self, Y):
            grads = super().backward(Y)
            grads["W1"] *= 1.01
            return grads

    net = Buggy([3, 5, 1], ["tanh", "sigmoid"], seed=0)
    X, Y = make_data(3, 8, "sigmoid")
    assert gradient_check(net, X, Y, eps=1e-6) > 1e-4


def torch_twin(net):
    """The same network in PyTorch (float64), sharing the weights."""
    layers = []
    activations = {
        "relu": torch.nn.ReLU(),
        "leaky_relu": torch.nn.LeakyReLU(0.01),
        "tanh": torch.nn.Tanh(),
        "sigmoid": torch.nn.Sigmoid(),
        "linear": torch.nn.Identity(),
    }
    for l in range(1, net.num_layer + 1):
        W, b = net.param_dict[f"W{l}"], net.param_dict[f"b{l}"]
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(b[:, 0]))
        layers.append(linear)
        if l < net.num_layer:
            layers.append(activations[net.activation_func[l - 1]])
    return torch.nn.Sequential(*layers)


def torch_loss(logits, Y, output):
    if output == "sigmoid":
        return torch.nn.functional.binary_cross_entropy_with_logits(
            logits[0], torch.from_numpy(Y[0]).double()
        )
    return torch.nn.functional.cross_entropy(logits.T, torch.from_numpy(Y[0]))


@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDEN)
def test_forward_loss_and_gradients_match_torch(hidden, output):
    net = DeepNetwork([6, 10, 7, OUTPUTS[output]], [hidden, "tanh", output], seed=2)
    randomize_biases(net)
    X, Y = make_data(6, 33, output, seed=3)
    twin = torch_twin(net)
    logits = twin(torch.from_numpy(X.T)).T
    expected_loss = torch_loss(logits, Y, output)
    expected_loss.backward()
    probabilities = torch.sigmoid(logits) if output == "sigmoid" else torch.softmax(logits, dim=0)

    Y_hat = net.forward(X)
    np.testing.assert_allclose(Y_hat, probabilities.detach().numpy(), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(net.loss(Y, Y_hat), expected_loss.item(), rtol=1e-12)
    grads = net.backward(Y)
    linears = [m for m in twin if isinstance(m, torch.nn.Linear)]
    for l, linear in enumerate(linears, start=1):
        np.testing.assert_allclose(
            grads[f"W{l}"], linear.weight.grad.numpy(), rtol=1e-10, atol=1e-14
        )
        np.testing.assert_allclose(
            grads[f"b{l}"][:, 0], linear.bias.grad.numpy(), rtol=1e-10, atol=1e-14
        )
    assert net.get_grad_dict() is grads


@pytest.mark.parametrize("output", OUTPUTS)
def test_loss_is_finite_and_exact_for_saturated_outputs(output):
    net = DeepNetwork([4, 8, OUTPUTS[output]], ["relu", output], seed=0)
    net.param_dict["W2"] *= 1e4  # logits of order 1e4: Y_hat rounds to exactly 0 and 1
    X, Y = make_data(4, 50, output, seed=1)
    logits = torch_twin(net)(torch.from_numpy(X.T)).T
    Y_hat = net.forward(X)
    assert np.any(Y_hat == 0) and np.any(Y_hat == 1)
    loss = net.loss(Y, Y_hat)
    assert np.isfinite(loss) and loss > 100
    np.testing.assert_allclose(loss, torch_loss(logits, Y, output).item(), rtol=1e-12)
    assert np.all(np.isfinite(net.backward(Y)["W1"]))
    # probabilities that did not come from forward are clipped instead: finite, never log(0)
    assert np.isfinite(net.loss(Y, Y_hat.copy()))
    accuracy, eval_loss = net.evaluate(X, Y, return_loss=True)
    assert np.isfinite(eval_loss) and 0 <= accuracy <= 1


def test_sigmoid_does_not_overflow():
    net = DeepNetwork([1, 1], ["sigmoid"], seed=0)
    net.param_dict["W1"][...] = 1.0
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        Y_hat = net.forward(np.array([[-1000.0, -30.0, 0.0, 30.0, 1000.0]]))
    np.testing.assert_allclose(
        Y_hat,
        torch.sigmoid(
            torch.tensor([[-1000.0, -30.0, 0.0, 30.0, 1000.0]], dtype=torch.float64)
        ).numpy(),
        rtol=1e-15,
    )


def test_float32_stays_float32_and_params_keep_identity():
    net = DeepNetwork([5, 8, 3], ["leaky_relu", "softmax"], seed=0, dtype=np.float32)
    X, Y = make_data(5, 40, "softmax")
    Y = Y % 3
    arrays = {key: value for key, value in net.param_dict.items()}
    optimizer = Adam(net.param_dict, 1e-2)
    for _ in range(5):
        Y_hat = net.forward(X)  # float64 data goes in
        assert Y_hat.dtype == np.float32
        assert net.loss(Y, Y_hat).dtype == np.float32
        grads = net.backward(Y)
        assert all(g.dtype == np.float32 for g in grads.values())
        optimizer.zero_grad()
        optimizer.add_grad(net.get_grad_dict())
        optimizer.step()
    net.load_state_dict(net.state_dict())
    for key, value in net.param_dict.items():
        assert value is arrays[key] and value.dtype == np.float32


def test_evaluate_and_predict():
    net = DeepNetwork([4, 6, 3], ["relu", "softmax"], seed=0)
    X, Y = make_data(4, 30, "softmax")
    Y = Y % 3
    labels = net.predict(X)
    assert labels.shape == (1, 30)
    np.testing.assert_array_equal(labels[0], np.argmax(net.forward(X), axis=0))
    accuracy, loss = net.evaluate(X, Y, return_loss=True)
    assert accuracy == np.mean(labels == Y)
    assert loss == pytest.approx(-np.mean(np.log(net.forward(X)[Y[0], np.arange(30)])), rel=1e-12)
    with pytest.raises(ValueError, match=r"\(1, 30\)"):
        net.evaluate(X, Y.T)


def test_initialisation_is_seeded_and_scaled():
    relu = DeepNetwork([400, 300, 1], ["relu", "sigmoid"], seed=7)
    same = DeepNetwork([400, 300, 1], ["relu", "sigmoid"], seed=7)
    other = DeepNetwork([400, 300, 1], ["relu", "sigmoid"], seed=8)
    tanh = DeepNetwork([400, 300, 1], ["tanh", "sigmoid"], seed=7)
    np.testing.assert_array_equal(relu.param_dict["W1"], same.param_dict["W1"])
    assert not np.array_equal(relu.param_dict["W1"], other.param_dict["W1"])
    assert relu.param_dict["W1"].shape == (300, 400) and relu.param_dict["b1"].shape == (300, 1)
    assert np.std(relu.param_dict["W1"]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He
    assert np.std(tanh.param_dict["W1"]) == pytest.approx(np.sqrt(2 / 700), rel=0.02)  # Glorot
    assert not np.any(relu.param_dict["b1"])


def test_load_state_dict_validates_before_copying():
    net = DeepNetwork([3, 4, 1], ["relu", "sigmoid"], seed=0)
    before = net.state_dict()
    good = DeepNetwork([3, 4, 1], ["relu", "sigmoid"], seed=1).state_dict()

    missing = dict(good)
    del missing["b2"]
    with pytest.raises(KeyError, match="b2"):
        net.load_state_dict(missing)
    wrong_shape = dict(good, W2=np.zeros((1, 5)))  # W1 and b1 are fine and come first
    with pytest.raises(ValueError, match=r"W2.*\(1, 5\).*\(1, 4\)"):
        net.load_state_dict(wrong_shape)
    with pytest.raises(KeyError, match="W3"):
        net.load_state_dict(dict(good, W3=np.zeros((1, 1))))
    with pytest.raises(TypeError, match="b1.*float32"):
        net.load_state_dict(dict(good, b1=good["b1"].astype(np.float32)))
    for key, value in before.items():
        np.testing.assert_array_equal(net.param_dict[key], value)

    arrays = dict(net.param_dict)
    net.load_state_dict(good)
    for key, value in good.items():
        assert net.param_dict[key] is arrays[key]
        np.testing.assert_array_equal(net.param_dict[key], value)


@pytest.mark.parametrize(
    "neuron_cnt, activations, match",
    [
        ([3, 4, 1], ["relu"], "one entry per layer"),
        ([3, 4, 1], ["swish", "sigmoid"], "swish"),
        ([3, 4, 1], ["relu", "tanh"], "output activation"),
        ([3, 4, 2], ["relu", "sigmoid"], "1 output unit"),
        ([3, 4, 1], ["relu", "softmax"], "at least 2"),
        ([3, 0, 1], ["relu", "sigmoid"], "positive integers"),
    ],
)
def test_constructor_rejects_bad_architectures(neuron_cnt, activations, match):
    with pytest.raises(ValueError, match=match):
        DeepNetwork(neuron_cnt, activations)


def test_targets_are_validated():
    net = DeepNetwork([2, 3], ["softmax"], seed=0)
    X = np.ones((2, 4))
    net.forward(X)
    with pytest.raises(TypeError, match="integer class labels"):
        net.backward(np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        net.backward(np.array([[0, 1, 2, 3]]))
    with pytest.raises(ValueError, match=r"\(1, 4\)"):
        net.backward(np.zeros((4, 1), dtype=int))
    with pytest.raises(ValueError, match=r"\(2, m\)"):
        net.forward(np.ones((3, 4)))
