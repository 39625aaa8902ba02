"""The pairs the benchmarks time: a NumPy workload of the course and its PyTorch twin.

Each builder returns a function of no arguments that performs the work once, with all data,
models and optimizers created (and seeded) beforehand, so that only the work is timed.

Training step. The course's step (``dldemos.train``) is forward, mini-batch loss,
backward, ``zero_grad`` / ``add_grad`` and an Adam ``step``; the PyTorch step is the usual
``zero_grad``, forward, loss, ``backward``, ``Adam.step`` on an ``nn.Sequential`` of
``Linear`` + ``ReLU`` layers with the same sizes, the loss fused with the output
activation (``CrossEntropyLoss`` for softmax, ``BCEWithLogitsLoss`` for sigmoid) and read
with ``.item()``, as a training loop that records it does. Both see the same batch every
step (data loading is not part of the step). The NumPy data are ``(n_x, m)`` as in the
course, PyTorch's ``(m, n_x)`` as in PyTorch.

Optimizer step. The parameters, ``n`` numbers in total, are split into ``N_ARRAYS`` equal
arrays (a model's worth of layers) with a fixed gradient. ``torch.optim`` runs with
``foreach=True`` (its multi-tensor implementation); the gradients sit in ``.grad`` as
``backward`` leaves them. On the NumPy side the gradient reaches the optimizer through
``zero_grad`` + ``add_grad``: ``step`` alone is the fair twin of ``torch.optim``'s
``step``, and ``zero_grad + add_grad + step`` (what the course's loop calls) is reported
beside it.

Whole training run. ``dldemos.train.train`` (a fresh model, reshuffling every epoch,
every step's loss recorded, the training set evaluated after every epoch) against the
PyTorch loop a reader would write for the same network, data, epochs and batch size.

PyTorch is imported only by the functions that need it, so that the memory measurements
(a fresh process per optimizer) start quickly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from dldemos import optim
from dldemos.nn import DeepNetwork

N_ARRAYS = 10
"""Number of equal parameter arrays the optimizer benchmarks split ``n`` parameters into."""

LEARNING_RATE = 1e-3


@dataclass(frozen=True)
class NetworkCase:
    """A training-step workload: layer sizes (input first), batch size, goal on the ratio."""

    name: str
    sizes: tuple[int, ...]
    batch_size: int
    goal: float
    why: str

    @property
    def activations(self) -> list[str]:
        output = "sigmoid" if self.sizes[-1] == 1 else "softmax"
        return ["relu"] * (len(self.sizes) - 2) + [output]

    @property
    def label(self) -> str:
        return "-".join(map(str, self.sizes)) + f", batch {self.batch_size}"


NETWORKS = {
    case.name: case
    for case in [
        NetworkCase("net-digits", (64, 128, 64, 10), 64, 1.0, "digits (8x8 images), chapters 1-3"),
        NetworkCase("net-fashion", (784, 256, 128, 10), 128, 1.3, "Fashion-MNIST"),
        NetworkCase(
            "net-cat", (12288, 30, 20, 20, 1), 64, 1.3, "the seed's cat network (64x64x3 images)"
        ),
    ]
}


def _batch(case: NetworkCase, dtype, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A random batch in the course's layout: ``X`` of shape ``(n_x, m)``, labels ``(1, m)``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((case.sizes[0], case.batch_size)).astype(dtype)
    n_classes = max(2, case.sizes[-1])
    Y = rng.integers(0, n_classes, size=(1, case.batch_size))
    return X, Y


def numpy_training_step(case: NetworkCase, dtype=np.float32, seed: int = 0) -> Callable[[], float]:
    """One step of the course's loop (``dldemos.train.train_step``) on ``DeepNetwork`` with
    ``dldemos.optim.Adam``."""
    from dldemos.train import train_step

    model = DeepNetwork(list(case.sizes), case.activations, seed=seed, dtype=dtype)
    optimizer = optim.Adam(model.param_dict, LEARNING_RATE)
    X, Y = _batch(case, dtype, seed)
    return lambda: train_step(model, optimizer, X, Y)


def numpy_hand_written_step(
    case: NetworkCase, dtype=np.float32, seed: int = 0
) -> Callable[[], None]:
    """The same step as a reader writes it by hand (hw01's ``train_one_epoch``): ``forward``,
    ``backward``, ``zero_grad``, ``add_grad``, ``step``, without ``dldemos.train``."""
    model = DeepNetwork(list(case.sizes), case.activations, seed=seed, dtype=dtype)
    optimizer = optim.Adam(model.param_dict, LEARNING_RATE)
    X, Y = _batch(case, dtype, seed)

    def step() -> None:
        model.forward(X)
        model.backward(Y)
        optimizer.zero_grad()
        optimizer.add_grad(model.get_grad_dict())
        optimizer.step()

    return step


def torch_training_step(case: NetworkCase, dtype=np.float32, seed: int = 0) -> Callable[[], float]:
    """The same step in PyTorch: ``nn.Sequential`` of ``Linear`` + ``ReLU``, ``torch.optim.Adam``."""
    import torch

    torch.manual_seed(seed)
    torch_dtype = {np.float32: torch.float32, np.float64: torch.float64}[np.dtype(dtype).type]
    layers: list[torch.nn.Module] = []
    for n_in, n_out in zip(case.sizes[:-2], case.sizes[1:-1]):
        layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
    layers.append(torch.nn.Linear(case.sizes[-2], case.sizes[-1]))
    model = torch.nn.Sequential(*layers).to(torch_dtype)
    optimizer = torch.optim.Adam(model.parameters(), LEARNING_RATE, foreach=True)
    X, Y = _batch(case, dtype, seed)
    X = torch.from_numpy(np.ascontiguousarray(X.T))
    if case.sizes[-1] == 1:
        loss_function = torch.nn.BCEWithLogitsLoss()
        target = torch.from_numpy(Y.T.astype(dtype))
    else:
        loss_function = torch.nn.CrossEntropyLoss()
        target = torch.from_numpy(Y[0].copy())

    def step() -> float:
        optimizer.zero_grad()
        loss = loss_function(model(X), target)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


# --------------------------------------------------------------------------------------
# whole training runs: dldemos.train.train against the PyTorch loop a reader would write
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunCase:
    """A whole training run: the network, its data (``"digits"`` or ``m`` synthetic
    examples of the network's input size), epochs, batch size, dtype and goal."""

    name: str
    sizes: tuple[int, ...]
    data: str
    epochs: int
    batch_size: int
    dtype: str
    goal: float
    m: int = 0

    @property
    def label(self) -> str:
        data = "digits" if self.data == "digits" else f"synthetic {self.m:,} x {self.sizes[0]}"
        epochs = f"{self.epochs} epoch{'s' if self.epochs > 1 else ''}"
        return f"{'-'.join(map(str, self.sizes))}, {data}, {epochs}, batch {self.batch_size}, {self.dtype}"

    def quick(self) -> RunCase:
        """The same run shrunk to a fraction of a second (checks the machinery only)."""
        return dataclasses.replace(self, epochs=1, m=min(self.m, 2_000))


RUNS = {
    case.name: case
    for case in [
        # chapter 3's network on the digits, as a reader trains it (float64, the default)
        RunCase("run-digits", (64, 256, 128, 10), "digits", 20, 64, "float64", 1.3),
        # Fashion-MNIST's size (60000 images of 28 x 28) with random pixels and labels
        RunCase("run-fashion", (784, 256, 128, 10), "synthetic", 1, 128, "float32", 1.3, m=60_000),
    ]
}


def run_data(case: RunCase, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(X, Y)`` of a run in the course's layout, ``X`` of shape ``(n_x, m)``."""
    if case.data == "digits":
        from dldemos.data import load_digits

        X, Y, _, _ = load_digits()
        return X.astype(case.dtype), Y
    rng = np.random.default_rng(seed)
    X = rng.random((case.sizes[0], case.m), dtype=np.float32).astype(case.dtype)
    return X, rng.integers(0, case.sizes[-1], size=(1, case.m))


def numpy_training_run(case: RunCase, seed: int = 0) -> Callable[[], float]:
    """A fresh ``DeepNetwork`` + ``dldemos.optim.Adam`` trained by ``dldemos.train.train``
    (reshuffling every epoch, recording every step's loss, evaluating the training set
    after every epoch); returns the last epoch's training loss."""
    from dldemos.train import train

    X, Y = run_data(case, seed)
    activations = ["relu"] * (len(case.sizes) - 2) + ["softmax"]

    def run() -> float:
        model = DeepNetwork(list(case.sizes), activations, seed=seed, dtype=case.dtype)
        history = train(
            model,
            optim.Adam(model.param_dict, LEARNING_RATE),
            X,
            Y,
            case.epochs,
            case.batch_size,
            seed=seed,
            progress=False,
        )
        return history.train_loss[-1]

    return run


def torch_training_run(case: RunCase, seed: int = 0) -> Callable[[], float]:
    """The same run as the PyTorch loop a reader would write: a fresh ``nn.Sequential`` and
    ``torch.optim.Adam`` (foreach), a new permutation every epoch, every step's loss read
    with ``.item()``, the training set evaluated after every epoch."""
    import torch

    X, Y = run_data(case, seed)
    X = torch.from_numpy(np.ascontiguousarray(X.T))
    Y = torch.from_numpy(Y[0].copy())
    torch_dtype = getattr(torch, case.dtype)
    m = X.shape[0]
    loss_function = torch.nn.CrossEntropyLoss()

    def run() -> float:
        torch.manual_seed(seed)
        layers: list[torch.nn.Module] = []
        for n_in, n_out in zip(case.sizes[:-2], case.sizes[1:-1]):
            layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
        model = torch.nn.Sequential(*layers, torch.nn.Linear(case.sizes[-2], case.sizes[-1])).to(
            torch_dtype
        )
        optimizer = torch.optim.Adam(model.parameters(), LEARNING_RATE, foreach=True)
        step_losses = []
        for _ in range(case.epochs):
            order = torch.randperm(m)
            for start in range(0, m, case.batch_size):
                batch = order[start : start + case.batch_size]
                optimizer.zero_grad()
                loss = loss_function(model(X[batch]), Y[batch])
                loss.backward()
                optimizer.step()
                step_losses.append(loss.item())
            with torch.no_grad():
                output = model(X)
                train_loss = loss_function(output, Y).item()
                (output.argmax(dim=1) == Y).double().mean().item()
        return train_loss

    return run


# --------------------------------------------------------------------------------------
# optimizers: each NumPy class with its defaults, and the torch.optim call it equals
# --------------------------------------------------------------------------------------

OPTIMIZERS: dict[str, Callable] = {
    "SGD": lambda p: optim.SGD(p, LEARNING_RATE),
    "SGD momentum": lambda p: optim.SGD(p, LEARNING_RATE, momentum=0.9),
    "Momentum": lambda p: optim.Momentum(p, LEARNING_RATE, beta=0.9),
    "AdaGrad": lambda p: optim.AdaGrad(p, LEARNING_RATE),
    "RMSProp": lambda p: optim.RMSProp(p, LEARNING_RATE),
    "AdaDelta": lambda p: optim.AdaDelta(p),
    "Adam": lambda p: optim.Adam(p, LEARNING_RATE),
    "AdamW": lambda p: optim.AdamW(p, LEARNING_RATE),
}
"""name -> the NumPy optimizer (its defaults unless stated) on a ``param_dict``."""


def torch_twin(name: str, tensors: list):
    """The ``torch.optim`` optimizer that computes what ``OPTIMIZERS[name]`` computes."""
    import torch

    lr = LEARNING_RATE
    twins = {
        "SGD": lambda: torch.optim.SGD(tensors, lr, foreach=True),
        "SGD momentum": lambda: torch.optim.SGD(tensors, lr, momentum=0.9, foreach=True),
        # Momentum's v = (1 - beta) * PyTorch's buffer (see dldemos.optim.Momentum)
        "Momentum": lambda: torch.optim.SGD(tensors, lr * (1 - 0.9), momentum=0.9, foreach=True),
        "AdaGrad": lambda: torch.optim.Adagrad(tensors, lr, foreach=True),
        "RMSProp": lambda: torch.optim.RMSprop(tensors, lr, foreach=True),
        "AdaDelta": lambda: torch.optim.Adadelta(tensors, foreach=True),
        "Adam": lambda: torch.optim.Adam(tensors, lr, foreach=True),
        "AdamW": lambda: torch.optim.AdamW(tensors, lr, foreach=True),
    }
    return twins[name]()


def parameters_and_gradients(n: int, dtype=np.float32, seed: int = 0):
    """``n`` parameters in ``N_ARRAYS`` arrays and a gradient of the same shapes (dicts)."""
    if n % N_ARRAYS:
        raise ValueError(f"the number of parameters must be a multiple of {N_ARRAYS}, got {n}")
    rng = np.random.default_rng(seed)
    params = {f"p{i}": rng.standard_normal(n // N_ARRAYS, dtype=dtype) for i in range(N_ARRAYS)}
    grads = {key: rng.standard_normal(n // N_ARRAYS, dtype=dtype) for key in params}
    return params, grads


def numpy_optimizer_steps(name: str, n: int, dtype=np.float32):
    """``(step, step_with_gradients)`` for NumPy optimizer ``name`` on ``n`` parameters:
    ``optimizer.step()`` alone, and ``zero_grad(); add_grad(grads); step()``."""
    params, grads = parameters_and_gradients(n, dtype)
    optimizer = OPTIMIZERS[name](params)
    optimizer.zero_grad()
    optimizer.add_grad(grads)

    def step_with_gradients() -> None:
        optimizer.zero_grad()
        optimizer.add_grad(grads)
        optimizer.step()

    return optimizer.step, step_with_gradients


def torch_optimizer_step(name: str, n: int, dtype=np.float32) -> Callable[[], None]:
    """``step`` of the ``torch.optim`` twin of ``name`` on the same parameters and gradients."""
    import torch

    params, grads = parameters_and_gradients(n, dtype)
    tensors = []
    for key, value in params.items():
        tensor = torch.from_numpy(value).requires_grad_()
        tensor.grad = torch.from_numpy(grads[key])
        tensors.append(tensor)
    return torch_twin(name, tensors).step
