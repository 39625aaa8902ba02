"""Threads: dldemos loads one BLAS pool, limits it inside its training loop and restores
it afterwards, and a process with no thread limits trains as fast as one limited to one
thread (issue 12: two OpenBLAS pools once made a plain script 16x slower).

The speed check runs in a fresh process whose environment has no ``OMP_NUM_THREADS`` and
friends, as a user's script runs. Each workload is timed as it runs and under
``threadpool_limits(1)``, in short samples taken back to back (default, one thread,
default, ...). The median over 25 such pairs of the ratio default / one thread must stay
below 1.5: a pair shares whatever else the machine is doing, and the median ignores the
pairs a burst of other work split. Without the limit in the training loop the ratio was
5-120 on the shared 2-core machine (net-digits 121, net-fashion 8, run-digits 4.7).
"""

import statistics

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from benchmarks.threads import THREAD_VARIABLES, measure_plain, plain_environment
from dldemos.nn import DeepNetwork
from dldemos.optim import Adam
from dldemos.threads import one_blas_thread
from dldemos.train import train_step

TOLERANCE = 1.5
WORKLOADS = ["net-digits", "net-fashion", "net-cat", "net-fashion-by-hand", "run-digits"]


@pytest.fixture(scope="module")
def plain_run():
    return measure_plain(quick=True, only=WORKLOADS, repeats=25, timeout=300)


def test_plain_environment_has_no_thread_limits(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.setenv("MKL_NUM_THREADS", "1")
    env = plain_environment()
    assert not set(THREAD_VARIABLES) & set(env)
    assert env["PATH"]


def test_dldemos_loads_one_blas_pool(plain_run):
    pools = plain_run["blas_pools"]
    assert len(pools) == 1, (
        f"import dldemos.optim, nn, train loaded {len(pools)} BLAS pools: {pools}"
    )


@pytest.mark.parametrize("workload", WORKLOADS)
def test_default_threads_are_as_fast_as_one_thread(plain_run, workload):
    default, one = (
        plain_run["samples"][workload]["default"],
        plain_run["samples"][workload]["one thread"],
    )
    ratio = statistics.median(a / b for a, b in zip(default, one))
    assert ratio <= TOLERANCE, (
        f"{workload}: default threads {statistics.median(default) * 1e3:.2f} ms, one thread "
        f"{statistics.median(one) * 1e3:.2f} ms (median paired ratio {ratio:.2f} > {TOLERANCE})"
    )


def blas_threads():
    return [info["num_threads"] for info in threadpool_info() if info["user_api"] == "blas"]


def test_one_blas_thread_limits_inside_and_restores_outside():
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        with one_blas_thread():
            assert set(blas_threads()) == {1}
            with one_blas_thread():  # nested: still one, and no restore yet
                pass
            assert set(blas_threads()) == {1}
        assert blas_threads() == before


def test_train_step_runs_on_one_blas_thread_and_restores(monkeypatch):
    seen = []
    model = DeepNetwork([4, 3, 2], ["relu", "softmax"], seed=0)
    forward = model.forward
    monkeypatch.setattr(
        model, "forward", lambda *a, **k: (seen.append(blas_threads()), forward(*a, **k))[1]
    )
    X, Y = np.random.default_rng(0).normal(size=(4, 8)), np.arange(8).reshape(1, 8) % 2
    with threadpool_limits(limits=2, user_api="blas"):
        before = blas_threads()
        train_step(model, Adam(model.param_dict, 0.1), X, Y)
        assert blas_threads() == before
    assert set(seen[0]) == {1}
