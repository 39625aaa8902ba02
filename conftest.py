"""Project-wide pytest set-up: headless plotting, static widgets, and the `gpu` marker."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("DLDEMOS_STATIC", "1")

import pytest


def _cuda_available() -> bool:
    try:
        import torch
    except Exception:  # torch missing or broken: no GPU either
        return False
    return torch.cuda.is_available()


def pytest_collection_modifyitems(config, items):
    if _cuda_available():
        return
    skip_gpu = pytest.mark.skip(reason="needs a CUDA GPU; torch.cuda.is_available() is False on this machine")
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)
