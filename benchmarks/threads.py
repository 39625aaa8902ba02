"""Our code with the default threads against one thread, in a process nobody limited.

``python -m benchmarks.threads [--quick]`` is meant to run in :func:`plain_environment`
(no ``OMP_NUM_THREADS`` and friends), as a user's script runs. It imports
``dldemos.optim``, ``dldemos.nn`` and ``dldemos.train`` first and records the BLAS thread
pools they load, then times every course workload of ours (the training steps of
:data:`benchmarks.workloads.NETWORKS` in float32, through ``dldemos.train.train_step`` and
written by hand as in hw01 (``-by-hand``), and the whole runs of
:data:`benchmarks.workloads.RUNS`) as it runs and under ``threadpool_limits(1)`` (every
pool on one thread, what ``OMP_NUM_THREADS=1`` gives), interleaved, and prints JSON:
``{"blas_pools": [...], "samples": {workload: {"default": [...], "one thread": [...]}}}``.
:func:`measure_plain` starts it and reads the result; ``tests/test_threads.py`` asserts on it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "BLIS_NUM_THREADS",
)
"""Environment variables that limit a native thread pool when a process starts."""


def plain_environment() -> dict[str, str]:
    """This process's environment without any of :data:`THREAD_VARIABLES`."""
    return {name: value for name, value in os.environ.items() if name not in THREAD_VARIABLES}


def one_thread():
    """Every native thread pool limited to one thread (a context manager)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1)


def blas_pools() -> list[dict]:
    """The BLAS libraries loaded in this process, as ``threadpoolctl`` sees them."""
    from threadpoolctl import threadpool_info

    return [info for info in threadpool_info() if info["user_api"] == "blas"]


def measure(quick: bool = False, only: list[str] | None = None, repeats: int = 5) -> dict:
    """Default threads against one thread for each workload (see the module docstring);
    ``only``: the names of some workloads."""
    import dldemos.nn  # noqa: F401  (first: the pools they load are the ones recorded)
    import dldemos.optim  # noqa: F401
    import dldemos.train  # noqa: F401

    pools = blas_pools()

    import numpy as np

    from benchmarks.harness import time_interleaved
    from benchmarks.workloads import (
        NETWORKS,
        RUNS,
        numpy_hand_written_step,
        numpy_training_run,
        numpy_training_step,
    )

    workloads = {
        name: lambda case=case: numpy_training_step(case, np.float32)
        for name, case in NETWORKS.items()
    }
    workloads |= {
        f"{name}-by-hand": lambda case=case: numpy_hand_written_step(case, np.float32)
        for name, case in NETWORKS.items()
    }
    workloads |= {
        name: lambda case=case: numpy_training_run(case.quick() if quick else case)
        for name, case in RUNS.items()
    }
    unknown = set(only or []) - set(workloads)
    if unknown:
        raise ValueError(
            f"unknown workloads {sorted(unknown)}; the workloads are {list(workloads)}"
        )
    samples = {}
    for name, work in workloads.items():
        if only and name not in only:
            continue
        work = work()
        samples[name] = time_interleaved(
            {"default": work, "one thread": work},
            contexts={"one thread": one_thread},
            repeats=repeats,
            warmup=1,
            min_time=0.01 if quick else 0.2,
        )
    return {"blas_pools": pools, "samples": samples}


def measure_plain(
    quick: bool = False, only: list[str] | None = None, repeats: int = 5, timeout: float = 600.0
) -> dict:
    """:func:`measure` in a fresh process started with :func:`plain_environment`."""
    command = [
        sys.executable,
        "-m",
        "benchmarks.threads",
        "--repeats",
        str(repeats),
        *(["--quick"] if quick else []),
        *(f"--only={name}" for name in only or []),
    ]
    result = subprocess.run(
        command, env=plain_environment(), cwd=ROOT, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.threads", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--quick", action="store_true", help="short samples and shrunk training runs"
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="only this workload (repeatable)",
    )
    parser.add_argument(
        "--repeats", type=int, default=5, help="samples of each configuration (default 5)"
    )
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.quick, args.only, args.repeats)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
