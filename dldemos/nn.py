"""The NumPy network every chapter trains: a fully connected classifier written from scratch.

Layout (chapter 1): one example per column, ``X`` has shape ``(n_x, m)`` and ``Y`` has
shape ``(1, m)``. Layer ``l`` computes

    Z[l] = W[l] @ A[l-1] + b[l],      A[l] = g[l](Z[l]),      A[0] = X,

with ``W[l]`` of shape ``(n[l], n[l-1])`` and ``b[l]`` of shape ``(n[l], 1)``.

The output layer and the loss go together:

* ``"sigmoid"`` output, binary cross-entropy, ``Y`` holds 0/1 (shape ``(1, m)``);
* ``"softmax"`` output, categorical cross-entropy, ``Y`` holds integer labels (shape ``(1, m)``).

In both cases ``dL/dZ[L] = (Y_hat - Y) / m`` (with ``Y`` one-hot for softmax), which is what
``backward`` starts from. The loss itself is computed from the logits ``Z[L]``
(softplus / log-sum-exp), so it stays finite even when ``Y_hat`` rounds to exactly 0 or 1.

The model only computes gradients; an optimizer from :mod:`dldemos.optim` reads them with
``get_grad_dict()`` and updates ``param_dict`` in place. ``param_dict`` holds the live
parameter arrays: nothing in this module ever rebinds them, so an optimizer built on
``model.param_dict`` keeps working after ``load_state_dict``.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping

import numpy as np

from dldemos.seeding import make_rng
from dldemos.threads import one_blas_thread

LEAKY_RELU_SLOPE = 0.01
"""Slope of ``leaky_relu`` for negative inputs (PyTorch's ``negative_slope`` default)."""

HIDDEN_ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid", "linear")
OUTPUT_ACTIVATIONS = ("sigmoid", "softmax")
_HE_INIT_ACTIVATIONS = ("relu", "leaky_relu")


# --------------------------------------------------------------------------------------
# Activations. Forward functions overwrite Z (it is not needed again); backward functions
# turn dL/dA into dL/dZ in place, using only the layer's output A.
# --------------------------------------------------------------------------------------


def sigmoid(Z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``1 / (1 + exp(-Z))`` without overflow: ``exp`` only ever sees ``-|Z|``."""
    negative = Z < 0
    exp_neg_abs = np.exp(-np.abs(Z))
    out = np.empty_like(Z) if out is None else out
    np.divide(1.0, 1.0 + exp_neg_abs, out=out)  # 1 / (1 + e^-z)        for z >= 0
    np.multiply(out, exp_neg_abs, out=out, where=negative)  # e^z / (1 + e^z)       for z < 0
    return out


def softmax(Z: np.ndarray) -> np.ndarray:
    """Column-wise ``exp(Z) / sum(exp(Z))``, shifted by the column maximum to avoid overflow."""
    E = Z - Z.max(axis=0, keepdims=True)
    np.exp(E, out=E)
    E /= E.sum(axis=0, keepdims=True)
    return E


def _relu_(Z):
    return np.maximum(Z, 0, out=Z)


def _relu_backward_(dA, A):
    return np.multiply(dA, A > 0, out=dA)


def _leaky_relu_(Z):
    return np.multiply(Z, LEAKY_RELU_SLOPE, out=Z, where=Z < 0)


def _leaky_relu_backward_(dA, A):
    # A has the sign of Z because the slope is positive.
    return np.multiply(dA, LEAKY_RELU_SLOPE, out=dA, where=A <= 0)


def _tanh_(Z):
    return np.tanh(Z, out=Z)


def _tanh_backward_(dA, A):
    dA *= 1.0 - A * A
    return dA


def _sigmoid_(Z):
    return sigmoid(Z, out=Z)


def _sigmoid_backward_(dA, A):
    dA *= A * (1.0 - A)
    return dA


def _linear_(Z):
    return Z


def _linear_backward_(dA, A):
    return dA


_HIDDEN = {
    "relu": (_relu_, _relu_backward_),
    "leaky_relu": (_leaky_relu_, _leaky_relu_backward_),
    "tanh": (_tanh_, _tanh_backward_),
    "sigmoid": (_sigmoid_, _sigmoid_backward_),
    "linear": (_linear_, _linear_backward_),
}


# --------------------------------------------------------------------------------------
# Losses, computed from the logits Z of the output layer.
# --------------------------------------------------------------------------------------


def binary_cross_entropy_from_logits(Y: np.ndarray, Z: np.ndarray) -> np.floating:
    """Mean of ``-(y log sigmoid(z) + (1-y) log(1 - sigmoid(z)))``, computed as
    ``softplus(z) - y z = max(z, 0) - y z + log1p(exp(-|z|))``: finite for any finite ``z``.
    """
    return np.mean(np.maximum(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z))))


def softmax_cross_entropy_from_logits(labels: np.ndarray, Z: np.ndarray) -> np.floating:
    """Mean of ``-log softmax(z)[y]`` computed as ``logsumexp(z) - z[y]`` (shifted by ``max z``).

    ``labels`` are integer class indices of shape ``(1, m)``; ``Z`` has shape ``(n_classes, m)``.
    """
    z_max = Z.max(axis=0)
    log_sum_exp = z_max + np.log(np.exp(Z - z_max).sum(axis=0))
    return np.mean(log_sum_exp - Z[labels[0], np.arange(Z.shape[1])])


# --------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------


class BaseRegressionModel(metaclass=abc.ABCMeta):
    """What the training loop and the optimizers need from a model.

    Subclasses own ``param_dict`` (name -> live ``np.ndarray``) and implement the
    computation (``forward``, ``backward``, ``get_grad_dict``, ``loss``, ``predict``).
    Saving, loading and evaluating are shared and work on ``param_dict`` alone.
    """

    param_dict: dict[str, np.ndarray]

    @abc.abstractmethod
    def forward(self, X: np.ndarray, train_mode: bool = True) -> np.ndarray:
        """Return ``Y_hat`` for ``X``; with ``train_mode`` keep what ``backward`` needs."""

    @abc.abstractmethod
    def backward(self, Y: np.ndarray) -> dict[str, np.ndarray]:
        """Compute the gradient of the loss of the last training ``forward`` w.r.t. every parameter."""

    @abc.abstractmethod
    def get_grad_dict(self) -> dict[str, np.ndarray]:
        """The gradients of the last ``backward``: same keys, shapes and dtypes as ``param_dict``."""

    @abc.abstractmethod
    def loss(self, Y: np.ndarray, Y_hat: np.ndarray) -> np.floating:
        """Mean loss of the predictions ``Y_hat`` against the targets ``Y``."""

    @abc.abstractmethod
    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted labels of shape ``(1, m)``."""

    def state_dict(self) -> dict[str, np.ndarray]:
        """A copy of every parameter: ``{"W1": ..., "b1": ..., ...}`` (``np.savez``-able)."""
        return {key: value.copy() for key, value in self.param_dict.items()}

    def load_state_dict(self, state_dict: Mapping[str, np.ndarray]) -> None:
        """Copy ``state_dict`` into the live parameter arrays (which keep their identity).

        Everything is checked before anything is copied, so a rejected state (a missing or
        unexpected key, a wrong shape or dtype, e.g. a checkpoint of another architecture)
        leaves the model untouched.
        """
        missing = [key for key in self.param_dict if key not in state_dict]
        if missing:
            raise KeyError(
                f"state_dict is missing parameter {missing[0]!r} "
                f"(expected keys {sorted(self.param_dict)}, got {sorted(state_dict)})"
            )
        unexpected = [key for key in state_dict if key not in self.param_dict]
        if unexpected:
            raise KeyError(
                f"state_dict has unexpected key {unexpected[0]!r} "
                f"(expected keys {sorted(self.param_dict)})"
            )
        for key, param in self.param_dict.items():
            value = np.asarray(state_dict[key])
            if value.shape != param.shape:
                raise ValueError(
                    f"state_dict[{key!r}] has shape {value.shape}, but the model's "
                    f"{key} has shape {param.shape} (a different architecture?)"
                )
            if value.dtype != param.dtype:
                raise TypeError(
                    f"state_dict[{key!r}] has dtype {value.dtype}, but the model's {key} "
                    f"is {param.dtype}; convert it with .astype(np.{param.dtype}) first"
                )
        for key, param in self.param_dict.items():
            np.copyto(param, state_dict[key])

    def evaluate(self, X: np.ndarray, Y: np.ndarray, return_loss: bool = False):
        """Accuracy of the predictions on ``(X, Y)``; ``(accuracy, loss)`` with ``return_loss``."""
        Y_hat = self.forward(X, train_mode=False)
        labels = self._labels_from_output(Y_hat)
        if np.shape(Y) != labels.shape:
            raise ValueError(f"Y must have shape {labels.shape} to match X, got {np.shape(Y)}")
        accuracy = float(np.mean(labels == Y))
        if return_loss:
            return accuracy, float(self.loss(Y, Y_hat))
        return accuracy

    @abc.abstractmethod
    def _labels_from_output(self, Y_hat: np.ndarray) -> np.ndarray:
        """Turn the output of ``forward`` into labels of shape ``(1, m)``."""


class DeepNetwork(BaseRegressionModel):
    """A fully connected classifier of any depth.

    Parameters
    ----------
    neuron_cnt
        Layer sizes including the input: ``[n_x, n_1, ..., n_L]``.
    activation_func
        One name per layer (``len(neuron_cnt) - 1`` of them). Hidden layers: ``"relu"``,
        ``"leaky_relu"``, ``"tanh"``, ``"sigmoid"``, ``"linear"``. Output layer: ``"sigmoid"``
        (``n_L == 1``, binary cross-entropy) or ``"softmax"`` (``n_L >= 2``, categorical
        cross-entropy with integer labels).
    seed
        Seed of the ``np.random.default_rng`` that draws the initial weights.
    dtype
        ``np.float64`` or ``np.float32``; parameters, activations and gradients all keep it.

    Initialisation: ``W[l] ~ N(0, 2 / n[l-1])`` (He et al., 2015) when layer ``l`` uses
    ``relu``/``leaky_relu``, otherwise ``N(0, 2 / (n[l-1] + n[l]))`` (Glorot & Bengio, 2010);
    biases start at zero.
    """

    def __init__(
        self, neuron_cnt: list[int], activation_func: list[str], seed=None, dtype=np.float64
    ):
        neuron_cnt = list(neuron_cnt)
        activation_func = list(activation_func)
        if len(neuron_cnt) < 2:
            raise ValueError(
                f"neuron_cnt needs at least an input and an output size, got {neuron_cnt}"
            )
        for n in neuron_cnt:
            if not isinstance(n, (int, np.integer)) or n < 1:
                raise ValueError(
                    f"neuron_cnt must hold positive integers, got {n!r} in {neuron_cnt}"
                )
        if len(activation_func) != len(neuron_cnt) - 1:
            raise ValueError(
                f"activation_func needs one entry per layer: {len(neuron_cnt) - 1} for "
                f"neuron_cnt={neuron_cnt}, got {len(activation_func)}: {activation_func}"
            )
        for name in activation_func[:-1]:
            if name not in HIDDEN_ACTIVATIONS:
                raise ValueError(
                    f"unknown hidden activation {name!r}; expected one of {HIDDEN_ACTIVATIONS}"
                )
        output = activation_func[-1]
        if output not in OUTPUT_ACTIVATIONS:
            raise ValueError(
                f"output activation must be one of {OUTPUT_ACTIVATIONS}, got {output!r}"
            )
        if output == "sigmoid" and neuron_cnt[-1] != 1:
            raise ValueError(
                f"a sigmoid output needs 1 output unit, got neuron_cnt[-1]={neuron_cnt[-1]}"
            )
        if output == "softmax" and neuron_cnt[-1] < 2:
            raise ValueError(
                f"a softmax output needs at least 2 units, got neuron_cnt[-1]={neuron_cnt[-1]}"
            )
        dtype = np.dtype(dtype)
        if dtype not in (np.float32, np.float64):
            raise TypeError(f"dtype must be float32 or float64, got {dtype}")

        self.neuron_cnt = [int(n) for n in neuron_cnt]
        self.activation_func = activation_func
        self.num_layer = len(activation_func)
        self.dtype = dtype

        rng = make_rng(seed)
        self.param_dict: dict[str, np.ndarray] = {}
        for l in range(1, self.num_layer + 1):
            n_in, n_out = self.neuron_cnt[l - 1], self.neuron_cnt[l]
            if activation_func[l - 1] in _HE_INIT_ACTIVATIONS:
                std = np.sqrt(2.0 / n_in)
            else:
                std = np.sqrt(2.0 / (n_in + n_out))
            W = rng.standard_normal((n_out, n_in), dtype=dtype)
            W *= std
            self.param_dict[f"W{l}"] = W
            self.param_dict[f"b{l}"] = np.zeros((n_out, 1), dtype=dtype)
        self.grad_dict = {key: np.zeros_like(value) for key, value in self.param_dict.items()}

        self._activations: list[np.ndarray] | None = None  # A[0..L-1], kept by forward for backward
        self._logits: np.ndarray | None = None  # Z[L] of the last forward
        self._output: np.ndarray | None = None  # Y_hat of the last forward

    def __repr__(self):
        return f"DeepNetwork({self.neuron_cnt}, {self.activation_func}, dtype=np.{self.dtype})"

    @property
    def output_activation(self) -> str:
        return self.activation_func[-1]

    def _as_input(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[0] != self.neuron_cnt[0]:
            raise ValueError(f"X must have shape ({self.neuron_cnt[0]}, m), got {X.shape}")
        return X.astype(self.dtype, copy=False)

    def _logits_of(self, X: np.ndarray, keep_activations: bool) -> np.ndarray:
        A = self._as_input(X)
        activations = [A]
        for l in range(1, self.num_layer + 1):
            Z = self.param_dict[f"W{l}"] @ A
            Z += self.param_dict[f"b{l}"]
            if l == self.num_layer:
                self._activations = activations if keep_activations else None
                return Z
            activate_, _ = _HIDDEN[self.activation_func[l - 1]]
            A = activate_(Z)
            if keep_activations:
                activations.append(A)

    @one_blas_thread()  # small matrices: one BLAS thread is faster (see dldemos.threads)
    def forward(self, X: np.ndarray, train_mode: bool = True) -> np.ndarray:
        """``Y_hat = A[L]`` of shape ``(n_L, m)``: probabilities of class 1 (sigmoid) or of
        every class (softmax). ``train_mode=True`` keeps the activations for ``backward``.
        """
        Z = self._logits_of(X, keep_activations=train_mode)
        self._logits = Z
        self._output = sigmoid(Z) if self.output_activation == "sigmoid" else softmax(Z)
        return self._output

    def _check_targets(self, Y: np.ndarray, m: int) -> np.ndarray:
        Y = np.asarray(Y)
        if Y.shape != (1, m):
            raise ValueError(f"Y must have shape (1, {m}) to match the last forward, got {Y.shape}")
        if self.output_activation == "softmax":
            if Y.dtype.kind not in "iu":
                raise TypeError(
                    f"a softmax network needs integer class labels in Y, got dtype {Y.dtype}; "
                    f"use Y.astype(np.int64)"
                )
            if m and (Y.min() < 0 or Y.max() >= self.neuron_cnt[-1]):
                raise ValueError(
                    f"labels in Y must lie in [0, {self.neuron_cnt[-1]}), "
                    f"got values from {Y.min()} to {Y.max()}"
                )
            return Y
        return Y.astype(self.dtype, copy=False)

    @one_blas_thread()
    def backward(self, Y: np.ndarray) -> dict[str, np.ndarray]:
        """Back-propagate from ``dL/dZ[L] = (Y_hat - Y) / m`` of the last training ``forward``:

            dW[l] = dZ[l] @ A[l-1].T,   db[l] = sum_columns(dZ[l]),
            dZ[l-1] = (W[l].T @ dZ[l]) * g'[l-1](Z[l-1]).

        The results are written into the arrays of ``get_grad_dict()`` and returned.
        """
        if self._activations is None:
            raise RuntimeError("backward() needs a preceding forward(X, train_mode=True)")
        Y_hat = self._output
        m = Y_hat.shape[1]
        Y = self._check_targets(Y, m)
        dZ = Y_hat.copy()
        if self.output_activation == "softmax":
            dZ[Y[0], np.arange(m)] -= 1.0
        else:
            dZ -= Y
        dZ *= 1.0 / m
        for l in range(self.num_layer, 0, -1):
            A_prev = self._activations[l - 1]
            np.matmul(dZ, A_prev.T, out=self.grad_dict[f"W{l}"])
            np.sum(dZ, axis=1, keepdims=True, out=self.grad_dict[f"b{l}"])
            if l > 1:
                _, activation_backward_ = _HIDDEN[self.activation_func[l - 2]]
                dZ = activation_backward_(self.param_dict[f"W{l}"].T @ dZ, A_prev)
        return self.grad_dict

    def get_grad_dict(self) -> dict[str, np.ndarray]:
        """The gradient arrays of the last ``backward`` (overwritten by the next one; copy to keep)."""
        return self.grad_dict

    def loss(self, Y: np.ndarray, Y_hat: np.ndarray) -> np.floating:
        """Mean cross-entropy of ``Y_hat`` against ``Y``.

        When ``Y_hat`` is the array the last ``forward`` returned (the usual case), the loss is
        computed from the cached logits and is exact even for saturated outputs. For any other
        ``Y_hat`` the probabilities are clipped to ``[tiny, 1]`` so that ``log`` never sees 0.
        """
        Y_hat = np.asarray(Y_hat)
        if Y_hat.ndim != 2 or Y_hat.shape[0] != self.neuron_cnt[-1]:
            raise ValueError(f"Y_hat must have shape ({self.neuron_cnt[-1]}, m), got {Y_hat.shape}")
        Y = self._check_targets(Y, Y_hat.shape[1])
        if Y_hat is self._output:
            if self.output_activation == "softmax":
                return softmax_cross_entropy_from_logits(Y, self._logits)
            return binary_cross_entropy_from_logits(Y, self._logits)
        tiny = np.finfo(Y_hat.dtype if Y_hat.dtype.kind == "f" else self.dtype).tiny
        if self.output_activation == "softmax":
            p_true = Y_hat[Y[0], np.arange(Y_hat.shape[1])]
            return -np.mean(np.log(np.clip(p_true, tiny, 1.0)))
        return -np.mean(
            Y * np.log(np.clip(Y_hat, tiny, 1.0)) + (1 - Y) * np.log(np.clip(1 - Y_hat, tiny, 1.0))
        )

    def _labels_from_output(self, Y_hat: np.ndarray) -> np.ndarray:
        if Y_hat is self._output:  # decide from the logits: exact even where Y_hat rounds to 0.5
            Z = self._logits
            if self.output_activation == "softmax":
                return Z.argmax(axis=0)[np.newaxis, :]
            return (Z > 0).astype(np.int64)
        if self.output_activation == "softmax":
            return Y_hat.argmax(axis=0)[np.newaxis, :]
        return (Y_hat > 0.5).astype(np.int64)

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Predicted labels, shape ``(1, m)``: ``Y_hat > 0.5`` (sigmoid) or ``argmax`` (softmax)."""
        return self._labels_from_output(self.forward(X, train_mode=False))


def numerical_gradient(
    model: BaseRegressionModel, X: np.ndarray, Y: np.ndarray, eps: float = 1e-7
) -> dict[str, np.ndarray]:
    """The gradient of the loss by centred finite differences, independent of backprop.

    ``g_num_i = (J(theta_i + eps) - J(theta_i - eps)) / (2 eps)`` for every parameter
    ``theta_i`` in turn (two forward passes each: slow, for checking only). The parameters
    are restored exactly. Returns float64 arrays keyed like ``model.param_dict``.
    """
    numeric = {}
    for key, param in model.param_dict.items():
        numeric[key] = np.empty_like(param, dtype=np.float64)
        for i in range(param.size):
            original = param.flat[i]
            param.flat[i] = original + eps
            loss_plus = float(model.loss(Y, model.forward(X, train_mode=False)))
            param.flat[i] = original - eps
            loss_minus = float(model.loss(Y, model.forward(X, train_mode=False)))
            param.flat[i] = original
            numeric[key].flat[i] = (loss_plus - loss_minus) / (2 * eps)
    return numeric


def gradient_check(
    model: BaseRegressionModel,
    X: np.ndarray,
    Y: np.ndarray,
    eps: float = 1e-7,
    return_details: bool = False,
):
    """Compare back-propagation with centred finite differences.

    With ``g_num`` from :func:`numerical_gradient`,

        difference = ||g_backprop - g_num|| / (||g_backprop|| + ||g_num||)

    over all parameters together. Below about ``1e-7`` (float64) the gradients agree;
    above ``1e-3`` something is wrong. Use a float64 model: in float32 rounding dominates.
    The parameters are restored exactly. With ``return_details`` also returns
    ``{key: difference of that parameter alone}``.
    """
    model.forward(X, train_mode=True)
    backprop = {key: grad.copy() for key, grad in model.backward(Y).items()}
    numeric = numerical_gradient(model, X, Y, eps)

    def relative_difference(a, b):
        denominator = np.linalg.norm(a) + np.linalg.norm(b)
        return 0.0 if denominator == 0 else float(np.linalg.norm(a - b) / denominator)

    keys = list(model.param_dict)
    total = relative_difference(
        np.concatenate([backprop[k].ravel() for k in keys]),
        np.concatenate([numeric[k].ravel() for k in keys]),
    )
    if return_details:
        return total, {key: relative_difference(backprop[key], numeric[key]) for key in keys}
    return total
