"""Project-wide pytest set-up: headless plotting, static widgets, and the `gpu` marker."""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("DLDEMOS_STATIC", "1")

# The chapters' long experiments (courseware.live.precomputed) are computed once per test run,
# into a folder of this run that starts empty: the book's execution and the live notebooks'
# round trips share them (whichever runs first computes, the other loads), and every number
# the claims see was computed by this run's code on this machine. Set here, in the process
# that starts xdist's workers, so that the workers and every kernel inherit it. (The claims
# matrix keeps a folder of its own per configuration.)
if not os.environ.get("PYTEST_XDIST_WORKER"):
    _PRECOMPUTED = tempfile.mkdtemp(prefix="dldemos-precomputed-")
    atexit.register(shutil.rmtree, _PRECOMPUTED, True)
    os.environ["DLDEMOS_PRECOMPUTED_DIR"] = _PRECOMPUTED
    os.environ["DLDEMOS_RECOMPUTE"] = "0"

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
    skip_gpu = pytest.mark.skip(
        reason="needs a CUDA GPU; torch.cuda.is_available() is False on this machine"
    )
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)
