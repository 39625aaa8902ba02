"""The two networks of the PyTorch chapters: an ``MLP`` and the seed's ``LeNet``.

``MLP(sizes)`` is the PyTorch twin of the NumPy ``DeepNetwork`` of the earlier chapters: the
same ``sizes`` list (input size first, number of classes last, e.g. ``[64, 128, 64, 10]`` for the
8x8 digits), a hidden activation between the linear layers, and raw scores (logits) at the end;
``nn.CrossEntropyLoss`` applies the softmax, as ``DeepNetwork``'s softmax output with its loss
does. ``LeNet`` is the small convolutional network of the learning-rate-schedule experiments
(LeCun et al. 1998, with ReLU and max pooling as in *Dive into Deep Learning*).
"""

from __future__ import annotations

from collections.abc import Sequence

from torch import nn

__all__ = ["MLP", "LeNet", "ACTIVATIONS"]

ACTIVATIONS = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid, "leaky_relu": nn.LeakyReLU}


class MLP(nn.Sequential):
    """Fully connected network: ``Flatten``, then ``Linear`` layers with ``activation`` between.

    ``sizes = [n_x, n_h1, ..., n_out]`` as the NumPy ``DeepNetwork``'s ``neuron_cnt``. Inputs of
    any shape ``(m, ...)`` are flattened to ``(m, n_x)``, so images can be fed directly. Weights
    start from PyTorch's default initialisation (seed it with ``torch.manual_seed``).
    """

    def __init__(self, sizes: Sequence[int], activation: str = "relu") -> None:
        sizes = list(sizes)
        if len(sizes) < 2 or any(not isinstance(n, int) or n < 1 for n in sizes):
            raise ValueError(
                f"sizes must list at least two positive ints [n_x, ..., n_out], got {sizes!r}"
            )
        if activation not in ACTIVATIONS:
            raise KeyError(
                f"unknown activation {activation!r}; expected one of {sorted(ACTIVATIONS)}"
            )
        layers: list[nn.Module] = [nn.Flatten()]
        for n_in, n_out in zip(sizes[:-2], sizes[1:-1]):
            layers += [nn.Linear(n_in, n_out), ACTIVATIONS[activation]()]
        layers.append(nn.Linear(sizes[-2], sizes[-1]))
        super().__init__(*layers)


class LeNet(nn.Sequential):
    """LeNet-5 for one-channel ``in_size x in_size`` images (28 for Fashion-MNIST).

    conv 5x5 (6 channels, padding 2) -> ReLU -> max-pool 2 -> conv 5x5 (16) -> ReLU -> max-pool 2
    -> 120 -> 84 -> ``num_classes``. The embedded 8x8 digits are too small for two 5x5
    convolutions; ``dldemos.torch.data.load_dataset("digits")`` upsamples them to 28x28 so that
    the same network runs on both data sets.
    """

    def __init__(self, num_classes: int = 10, in_size: int = 28) -> None:
        side = (in_size // 2 - 4) // 2  # after conv(pad 2), pool, conv(no pad), pool
        if side < 1:
            raise ValueError(f"in_size must be at least 12 pixels for LeNet, got {in_size!r}")
        super().__init__(
            nn.Conv2d(1, 6, kernel_size=5, padding=2),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Conv2d(6, 16, kernel_size=5),
            nn.ReLU(),
            nn.MaxPool2d(kernel_size=2, stride=2),
            nn.Flatten(),
            nn.Linear(16 * side * side, 120),
            nn.ReLU(),
            nn.Linear(120, 84),
            nn.ReLU(),
            nn.Linear(84, num_classes),
        )
