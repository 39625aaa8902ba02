"""Run the benchmarks and write ``benchmarks/RESULTS.md`` (``make bench``).

::

    python -m benchmarks.run                      # everything, 5-10 minutes on 2 cores; writes RESULTS.md
    python -m benchmarks.run --quick              # tiny sizes, seconds; prints the tables
    python -m benchmarks.run --only net --only optim-adam    # some workloads (name prefixes)
    python -m benchmarks.run --no-book --no-grading --out /tmp/results.md
    python -m benchmarks.run --list               # the workload names

Workloads: ``net-digits``, ``net-fashion``, ``net-cat`` (one training step, float32 and
float64), ``run-digits``, ``run-fashion`` (whole training runs), ``optim-<name>`` (one
optimizer step on 1M and 10M float32 parameters and on 1M float64 ones, plus the memory
over 100 steps), ``book`` (every chapter through nbval) and ``grading`` (one autograded
submission per assignment). ``--only`` keeps the workloads whose name starts with one of
the given prefixes. A run with ``--quick`` or ``--only`` prints its tables instead of
replacing ``RESULTS.md`` unless ``--out`` names a file.

Every speed is measured in two configurations, reported side by side:

* **one thread**: NumPy's BLAS limited with ``threadpool_limits(1)`` and PyTorch with
  ``torch.set_num_threads(1)``, in this process;
* **as a user runs it**: a fresh process started with no thread variables
  (``benchmarks.threads.plain_environment``) and nothing limited, so no limit of this
  process leaks in. There the network steps and the whole runs of ours are also timed
  under ``threadpool_limits(1)``, interleaved, for the ratio default threads / one thread.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Comparison, compare, time_interleaved

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
OPTIMIZER_GOAL = 2.5


@dataclasses.dataclass(frozen=True)
class Settings:
    """How hard to measure: the full run, or a quick check that the machinery works."""

    repeats: int
    warmup: int
    min_time: float
    network_dtypes: tuple[str, ...]
    optimizer_sizes: tuple[tuple[int, str], ...]  # (number of parameters, dtype)
    memory_steps: int
    quick: bool = False  # whole runs shrunk to a fraction of a second


FULL = Settings(
    repeats=5,
    warmup=2,
    min_time=0.1,
    network_dtypes=("float32", "float64"),
    optimizer_sizes=((1_000_000, "float32"), (10_000_000, "float32"), (1_000_000, "float64")),
    memory_steps=100,
)
QUICK = Settings(
    repeats=3,
    warmup=1,
    min_time=0.002,
    network_dtypes=("float32",),
    optimizer_sizes=((10_000, "float32"),),
    memory_steps=5,
    quick=True,
)


def optimizer_workload(name: str) -> str:
    """``"SGD momentum"`` -> ``"optim-sgd-momentum"``."""
    return "optim-" + name.lower().replace(" ", "-")


def workload_names() -> list[str]:
    from benchmarks.workloads import NETWORKS, OPTIMIZERS, RUNS

    return [*NETWORKS, *RUNS, *map(optimizer_workload, OPTIMIZERS), "book", "grading"]


def selected(name: str, only: list[str]) -> bool:
    return not only or any(name.startswith(prefix) for prefix in only)


_STARTED = time.perf_counter()


def say(message: str) -> None:
    """Progress, with the seconds since the run started."""
    print(f"[{time.perf_counter() - _STARTED:5.0f} s] {message}", flush=True)


def _compare(name: str, ours, theirs, goal, with_one_thread: bool, **timing) -> Comparison:
    """Ours against theirs interleaved; with ``with_one_thread`` ours also runs under
    ``threadpool_limits(1)`` as a third contender (``notes["ours_one_thread"]``: its samples)."""
    if not with_one_thread:
        return compare(name, ours, theirs, goal=goal, **timing)
    from benchmarks.threads import one_thread

    samples = time_interleaved(
        {"ours": ours, "theirs": theirs, "ours_one_thread": ours},
        contexts={"ours_one_thread": one_thread},
        **timing,
    )
    return Comparison(
        name,
        samples["ours"],
        samples["theirs"],
        goal=goal,
        notes={"ours_one_thread": samples["ours_one_thread"]},
    )


def measure_networks(
    settings: Settings, only: list[str], with_one_thread: bool = False
) -> list[tuple[str, str, str, Comparison]]:
    import numpy as np

    from benchmarks.workloads import NETWORKS, numpy_training_step, torch_training_step

    rows = []
    for name, case in NETWORKS.items():
        if not selected(name, only):
            continue
        for dtype in settings.network_dtypes:
            comparison = _compare(
                name,
                numpy_training_step(case, np.dtype(dtype)),
                torch_training_step(case, np.dtype(dtype)),
                case.goal if dtype == "float32" else None,
                with_one_thread,
                repeats=settings.repeats,
                warmup=settings.warmup,
                min_time=settings.min_time,
            )
            rows.append((f"{case.label} ({case.why})", dtype, name, comparison))
            say(
                f"{name} {dtype}: ours {comparison.ours_median * 1e3:.3f} ms, PyTorch "
                f"{comparison.theirs_median * 1e3:.3f} ms, ratio {comparison.ratio:.2f}"
            )
    return rows


def measure_runs(
    settings: Settings, only: list[str], with_one_thread: bool = False
) -> list[tuple[str, str, str, Comparison]]:
    """Whole training runs: one run per sample, after one warm-up run."""
    from benchmarks.workloads import RUNS, numpy_training_run, torch_training_run

    rows = []
    for name, case in RUNS.items():
        if not selected(name, only):
            continue
        case = case.quick() if settings.quick else case
        comparison = _compare(
            name,
            numpy_training_run(case),
            torch_training_run(case),
            case.goal,
            with_one_thread,
            repeats=settings.repeats,
            warmup=1,
            min_time=0.0,
        )
        rows.append((case.label, case.dtype, name, comparison))
        say(
            f"{name}: ours {comparison.ours_median:.2f} s, PyTorch {comparison.theirs_median:.2f} s, "
            f"ratio {comparison.ratio:.2f}"
        )
    return rows


def measure_optimizers(
    settings: Settings, only: list[str]
) -> list[tuple[str, str, int, Comparison]]:
    import numpy as np

    from benchmarks.workloads import OPTIMIZERS, numpy_optimizer_steps, torch_optimizer_step

    rows = []
    for name in OPTIMIZERS:
        if not selected(optimizer_workload(name), only):
            continue
        for n, dtype in settings.optimizer_sizes:
            step, step_with_gradients = numpy_optimizer_steps(name, n, np.dtype(dtype))
            samples = time_interleaved(
                {
                    "ours": step,
                    "theirs": torch_optimizer_step(name, n, np.dtype(dtype)),
                    "with_gradients": step_with_gradients,
                },
                repeats=settings.repeats,
                warmup=settings.warmup,
                min_time=settings.min_time,
            )
            comparison = Comparison(
                optimizer_workload(name),
                samples["ours"],
                samples["theirs"],
                goal=OPTIMIZER_GOAL if dtype == "float32" else None,
            )
            comparison.notes["with_gradients"] = statistics.median(samples["with_gradients"])
            rows.append((name, dtype, n, comparison))
            say(
                f"{name} {n:,} {dtype}: ours {comparison.ours_median * 1e3:.3f} ms, torch.optim "
                f"{comparison.theirs_median * 1e3:.3f} ms, ratio {comparison.ratio:.2f}"
            )
    return rows


def measure_memory(
    settings: Settings, only: list[str], threads: int
) -> dict[tuple[str, int, str], dict]:
    """Peak RSS over ``memory_steps`` steps, a fresh process per optimizer and size."""
    from benchmarks.workloads import OPTIMIZERS

    results = {}
    env = dict(
        os.environ,
        OMP_NUM_THREADS=str(threads),
        OPENBLAS_NUM_THREADS=str(threads),
        MKL_NUM_THREADS=str(threads),
    )
    for name in OPTIMIZERS:
        if not selected(optimizer_workload(name), only):
            continue
        for n, dtype in settings.optimizer_sizes:
            command = [
                sys.executable,
                "-m",
                "benchmarks.memory",
                name,
                str(n),
                "--steps",
                str(settings.memory_steps),
                "--dtype",
                dtype,
            ]
            result = subprocess.run(
                command,
                capture_output=True,
                text=True,
                env=env,
                cwd=Path(__file__).resolve().parents[1],
            )
            if result.returncode == 0:
                results[(name, n, dtype)] = json.loads(result.stdout.strip().splitlines()[-1])
                say(
                    f"{name} {n:,} {dtype}: peak RSS growth {results[(name, n, dtype)]['rss_growth_mib']:.1f} MiB"
                )
            else:
                lines = result.stderr.strip().splitlines() or [f"exit status {result.returncode}"]
                results[(name, n, dtype)] = {"error": lines[-1]}
                say(f"{name} {n:,} {dtype}: memory measurement failed: {lines[-1]}")
    return results


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run",
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1],
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny sizes and short samples: checks the machinery, not the speed",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="only the workloads whose name starts with NAME (repeatable)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="write the report here (default: benchmarks/RESULTS.md for a full run; "
        "--quick and --only print it instead)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for NumPy's BLAS and for PyTorch in the limited configuration, "
        "the same on both sides (default 1)",
    )
    parser.add_argument(
        "--as-user",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also measure as a user runs it: a fresh process, default threads, nothing "
        "limited (default: yes)",
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=None,
        help="samples per contender (default 5, 3 with --quick)",
    )
    parser.add_argument(
        "--book",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="execute the book's chapters (default: yes, unless --quick or an --only without 'book')",
    )
    parser.add_argument(
        "--grading",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="autograde one submission per assignment (default: yes, unless --quick or an --only "
        "without 'grading')",
    )
    parser.add_argument("--list", action="store_true", help="print the workload names and exit")
    parser.add_argument("--measure-as-user", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.threads < 1:
        parser.error(f"--threads must be at least 1, got {args.threads}")
    if args.repeats is not None and args.repeats < 1:
        parser.error(f"--repeats must be at least 1, got {args.repeats}")
    known = workload_names()
    for prefix in args.only:
        if not any(name.startswith(prefix) for name in known):
            parser.error(
                f"--only {prefix!r} matches no workload; the workloads are {', '.join(known)}"
            )
    return args


def measure_speeds(settings: Settings, only: list[str], as_user: bool) -> dict[str, list]:
    """The network steps, whole runs and optimizer steps in this process's configuration."""
    return {
        "networks": measure_networks(settings, only, with_one_thread=as_user),
        "runs": measure_runs(settings, only, with_one_thread=as_user),
        "optimizers": measure_optimizers(settings, only),
    }


def _to_json(speeds: dict[str, list]) -> dict[str, list]:
    return {
        kind: [[*row[:-1], dataclasses.asdict(row[-1])] for row in rows]
        for kind, rows in speeds.items()
    }


def _from_json(data: dict[str, list]) -> dict[str, list]:
    return {
        kind: [(*row[:-1], Comparison(**row[-1])) for row in rows] for kind, rows in data.items()
    }


def measure_as_user(argv: list[str]) -> tuple[dict[str, list], dict[str, object]]:
    """:func:`measure_speeds` in a fresh process with no thread variables and no limits
    (the same options as this run); returns the rows and what that process saw."""
    from benchmarks.threads import plain_environment

    with tempfile.TemporaryDirectory(prefix="bench-as-user-") as scratch:
        out = Path(scratch) / "speeds.json"
        command = [sys.executable, "-m", "benchmarks.run", *argv, "--measure-as-user", str(out)]
        say("as a user runs it: a fresh process with default threads")
        result = subprocess.run(
            command,
            env=plain_environment(),
            cwd=Path(__file__).resolve().parents[1],
            text=True,
            stdout=None,
            stderr=subprocess.PIPE,
        )
        if result.returncode != 0:
            raise RuntimeError(f"the default-threads process failed:\n{result.stderr[-3000:]}")
        data = json.loads(out.read_text())
    return _from_json(data["speeds"]), data["seen"]


def _threads_seen() -> dict[str, object]:
    import threadpoolctl
    import torch

    return {
        "torch_threads": torch.get_num_threads(),
        "pools": [
            f"{info['internal_api']} ({info['prefix']}): {info['num_threads']} threads"
            for info in threadpoolctl.threadpool_info()
        ],
    }


def _as_user_child(args: argparse.Namespace, settings: Settings) -> int:
    seen = _threads_seen()
    speeds = measure_speeds(settings, args.only, as_user=True)
    args.measure_as_user.write_text(json.dumps({"speeds": _to_json(speeds), "seen": seen}))
    return 0


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parse_args(argv)
    if args.list:
        print("\n".join(workload_names()))
        return 0
    settings = QUICK if args.quick else FULL
    if args.repeats is not None:
        settings = dataclasses.replace(settings, repeats=args.repeats)
    if args.measure_as_user is not None:
        return _as_user_child(args, settings)
    import threadpoolctl
    import torch

    from benchmarks import course, report

    only = args.only
    # the course rows take minutes: not part of a quick run unless asked for
    run_book = args.book if args.book is not None else not args.quick and selected("book", only)
    run_grading = (
        args.grading if args.grading is not None else not args.quick and selected("grading", only)
    )

    machine = report.Machine.describe(args.threads)
    threads_before = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    try:
        with threadpoolctl.threadpool_limits(limits=args.threads):
            limited = measure_speeds(settings, only, as_user=False)
    finally:
        torch.set_num_threads(threads_before)
    as_user = None
    if args.as_user:
        child_argv = [arg for arg in argv if arg not in ("--as-user", "--book", "--grading")]
        child_argv = [*child_argv, "--no-book", "--no-grading"]
        if "--out" in child_argv:  # the child writes JSON, not a report
            i = child_argv.index("--out")
            del child_argv[i : i + 2]
        child_argv = [arg for arg in child_argv if not arg.startswith("--out=")]
        as_user, seen = measure_as_user(child_argv)
        machine.notes.append(
            f"As a user runs it, PyTorch used {seen['torch_threads']} threads; the "
            f"native pools there: {'; '.join(seen['pools'])}"
        )
    memory = measure_memory(settings, only, args.threads)
    chapters = book_total = grading = parallel = diagnosis = None
    projection = ""
    if run_book:
        chapters = course.time_chapters(
            on_row=lambda row: say(
                f"book {row.name}: {row.seconds:.1f} s, {'ok' if row.passed else 'FAILED'}"
            )
        )
        book_total = course.book_total(chapters) if chapters else None
        if book_total:
            say(f"book, {book_total.name}: {book_total.seconds:.1f} s")
    if run_grading:
        grading = course.time_autograding(
            on_row=lambda row: say(
                f"grading {row.name}: {'not measured' if row.seconds is None else f'{row.seconds:.1f} s'}"
                f" ({row.note})"
            )
        )
        parallel = course.time_parallel_grading(
            on_row=lambda row: say(
                f"grading {row.name}: {'not measured' if row.seconds is None else f'{row.seconds:.1f} s'}"
                f" ({row.note})"
            )
        )
        projection = course.class_projection(grading, parallel)
        say(projection)
        diagnosis = course.time_diagnosis_overhead(
            on_row=lambda row: say(f"grading {row.name}: {row.seconds:.1f} s ({row.note})")
        )
    machine.load_after = os.getloadavg()

    method = (
        "Reproduce with `make bench` (or `python -m benchmarks.run`); `--quick` checks the "
        "machinery in seconds, `--only NAME` runs some workloads, `--help` lists the options."
        + (" **Quick run: tiny sizes, not a measurement.**" if args.quick else "")
    )
    command = " ".join(["python -m benchmarks.run", *argv])
    text = report.render(
        machine,
        command,
        settings.repeats,
        settings.min_time,
        limited,
        as_user,
        memory,
        settings.memory_steps,
        chapters,
        book_total,
        grading,
        method,
        parallel,
        projection,
        diagnosis,
    )
    out = args.out
    if out is None and not args.quick and not only:
        out = RESULTS
    if out is None:
        print(text)
    else:
        out.write_text(text)
        say(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
