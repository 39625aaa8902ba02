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


@pytest.fixture(scope="session", autouse=True)
def _one_grading_cache(tmp_path_factory):
    """The test courses are many temporary copies of one course: they share one grading cache
    (the solutions' and the mistakes' runs, :meth:`courseware.grading.autograde.Grader.trusted_run`),
    across xdist's workers too, as an instructor's runs share the course's."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    os.environ.setdefault("COURSEWARE_GRADING_CACHE", str(shared / "grading-cache"))


def pytest_collection_modifyitems(config, items):
    if _cuda_available():
        return
    skip_gpu = pytest.mark.skip(
        reason="needs a CUDA GPU; torch.cuda.is_available() is False on this machine"
    )
    for item in items:
        if "gpu" in item.keywords:
            item.add_marker(skip_gpu)
