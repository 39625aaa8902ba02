"""Does an optimizer's memory stay flat over many steps? One fresh process per measurement.

``python -m benchmarks.memory Adam 1000000`` builds the optimizer on ``n`` float32
parameters (as :func:`benchmarks.workloads.numpy_optimizer_steps` does), runs the course's
three calls ``zero_grad(); add_grad(grads); step()`` ``--steps`` times and prints one line
of JSON:

* ``rss_first_mib``: the peak resident memory (:func:`peak_rss_mib`) after the first step, which
  allocates every buffer the optimizer keeps (SGD's momentum buffer is created by it);
* ``rss_last_mib``: the peak after the last step; ``rss_growth_mib`` the difference, which
  is 0 when no step needs more memory than the first one did;
* ``temporary_mib``: the most memory the steps after the first allocated on top of what they
  started with (``tracemalloc``, which sees NumPy's array buffers): the temporaries of a step;
* ``parameters_mib``: the size of the parameters, for scale.

A fresh process is needed because ``ru_maxrss`` never goes down: in the benchmark runner's
process it would remember the largest workload measured before.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tracemalloc

import numpy as np

from benchmarks.workloads import OPTIMIZERS, numpy_optimizer_steps

MIB = 2.0**20


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    Linux: ``VmHWM`` of ``/proc/self/status``. Not ``ru_maxrss``, which survives ``exec``: a
    process started by a large one (the benchmark runner) would report its parent's peak.
    Elsewhere ``ru_maxrss`` (KiB on Linux, bytes on macOS) is the best there is.
    """
    try:
        with open("/proc/self/status") as file:
            return next(int(line.split()[1]) for line in file if line.startswith("VmHWM")) / 1024
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / MIB if sys.platform == "darwin" else peak / 1024


def measure(name: str, n: int, steps: int = 100, dtype=np.float32) -> dict[str, float]:
    _, step_with_gradients = numpy_optimizer_steps(name, n, dtype)
    step_with_gradients()
    rss_first = peak_rss_mib()
    tracemalloc.start()
    start, _ = tracemalloc.get_traced_memory()
    for _ in range(steps - 1):
        step_with_gradients()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_last = peak_rss_mib()
    return {
        "optimizer": name,
        "n": n,
        "steps": steps,
        "parameters_mib": n * np.dtype(dtype).itemsize / MIB,
        "rss_first_mib": rss_first,
        "rss_last_mib": rss_last,
        "rss_growth_mib": rss_last - rss_first,
        "temporary_mib": (peak - start) / MIB,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.memory", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("optimizer", choices=sorted(OPTIMIZERS))
    parser.add_argument("n", type=int, help="number of parameters")
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
    args = parser.parse_args(argv)
    if args.steps < 2:
        parser.error(f"--steps must be at least 2, got {args.steps}")
    print(json.dumps(measure(args.optimizer, args.n, args.steps, np.dtype(args.dtype))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
