"""PyTorch versions of the book's ideas (chapters 6 and 7).

``import dldemos`` never imports PyTorch; ``import dldemos.torch`` does. Inside this package
``import torch`` is PyTorch itself (imports are absolute), not this package.

* ``dldemos.torch.optim``: the optimizers from scratch as ``torch.optim.Optimizer`` subclasses;
* ``dldemos.torch.models``: ``MLP`` and ``LeNet``;
* ``dldemos.torch.data``: ``DeviceBatchIterator`` (batches cut on the GPU) and ``load_dataset``;
* ``dldemos.torch.train``: the training loop with schedulers, live plot and checkpoints
  (``from dldemos.torch.train import train``: the function is not re-exported here, so that
  ``dldemos.torch.train`` stays the module);
* ``dldemos.torch.lr_finder``: the learning-rate range test;
* ``dldemos.torch.clipping`` and ``dldemos.torch.averaging``: gradient clipping and weight
  averaging from scratch (chapter 9).
"""

from dldemos.torch.data import DeviceBatchIterator, load_dataset
from dldemos.torch.lr_finder import LRRangeTestResult, lr_range_test
from dldemos.torch.models import MLP, LeNet
from dldemos.torch.optim import SGD, AdaDelta, AdaGrad, Adam, AdamW, Momentum, RMSProp
from dldemos.torch.train import History, default_device, evaluate, load_checkpoint, save_checkpoint

__all__ = [
    "SGD",
    "Momentum",
    "AdaGrad",
    "RMSProp",
    "AdaDelta",
    "Adam",
    "AdamW",
    "MLP",
    "LeNet",
    "DeviceBatchIterator",
    "load_dataset",
    "evaluate",
    "default_device",
    "History",
    "save_checkpoint",
    "load_checkpoint",
    "lr_range_test",
    "LRRangeTestResult",
]
