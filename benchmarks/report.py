"""``RESULTS.md``: the machine, the versions, the method and one table per kind of workload.

Every goal that a row misses is listed again at the end with the reason recorded for it in
:data:`WHY_MISSED` (written after looking at the numbers; a miss without a recorded reason
says so).
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from dataclasses import dataclass, field

from benchmarks.course import CourseTiming
from benchmarks.harness import Comparison

THREADS_GOAL = 1.1
"""Goal on ours with the default threads / ours with one thread."""

MEMORY_TOLERANCE_MIB = 1.0
"""Growth of the peak RSS over 100 steps that still counts as flat (allocator granularity)."""

PAGE_FAULTS = (
    "The plain-NumPy rule makes a temporary array for every operation, 4 MB each on these "
    "arrays of 1M numbers. Once more than about 8 MB lie free at the top of the heap, glibc's "
    "malloc hands them back to the operating system, so the next parameter's temporaries are "
    "fresh pages and every page faults in again (about 58,000 page faults per Adam step on 10M "
    "parameters). Measured by hand on this machine: with `MALLOC_MMAP_THRESHOLD_=1000000000 "
    "MALLOC_TRIM_THRESHOLD_=1000000000` (glibc keeps the freed memory) Adam's step on 10M float32 "
    "parameters took 112 ms instead of 658 ms, against about 94 ms for `torch.optim` on the same "
    "loaded machine. PyTorch's foreach kernels fuse the rule and allocate almost nothing. We keep "
    "the rule a reader can follow (issue 12); the rows on 1M parameters, whose 400 kB "
    "temporaries the allocator reuses, show the cost of the extra passes alone."
)

THREADS_NOISE = (
    "Both configurations run the same code: `train_step` and `train` limit NumPy's BLAS to one "
    "thread (`dldemos.threads`), so the default-threads samples and the one-thread samples differ "
    "only by what else the shared machine did meanwhile; see the range of paired ratios and "
    "`tests/test_threads.py`, which checks the median paired ratio on short samples."
)

WHY_MISSED: dict[str, str] = {
    **{
        f"optim-{name}": PAGE_FAULTS
        for name in (
            "sgd",
            "sgd-momentum",
            "momentum",
            "adagrad",
            "rmsprop",
            "adadelta",
            "adam",
            "adamw",
        )
    },
    **{
        f"threads-{name}": THREADS_NOISE
        for name in ("net-digits", "net-fashion", "net-cat", "run-digits", "run-fashion")
    },
    "hw06": (
        "hw06 is the PyTorch assignment: its kernel also imports PyTorch (about 2.5 CPU seconds "
        "more than the NumPy assignments), and on a busy machine the wall time grows well beyond "
        "the CPU time (compare the two columns)."
    ),
}
"""Why a goal is missed, by workload name (``net-...``, ``optim-...``, ``book``, ``grading``),
written after looking at the measurements; shown only for goals a run misses."""


OPTIMISATIONS = (
    "Nothing in the update rules. `dldemos.optim` writes each rule as its equation in plain NumPy "
    "(`v[...] = beta1 * v + (1 - beta1) * g`, ..., `param -= lr * v_hat / (np.sqrt(s_hat) + eps)`): "
    "the state arrays and the parameters are updated in place, every other operation makes a "
    "temporary array and one more pass over memory. `torch.optim`'s foreach implementation makes "
    "fewer passes (fused multiply-adds such as `addcdiv_`, no temporaries), which the optimizer "
    "rows show: a plain-NumPy rule costs about 1-1.6x PyTorch's foreach time here. In a fresh "
    "process it can cost more on arrays of 4 MB: there glibc's malloc hands each step's freed "
    "temporaries back to the operating system and the next step faults the pages in again "
    "(`dldemos.fusion.time_update_rules`: Adam on 10M float32 parameters 188 ms against 34 ms for "
    "foreach and 6 ms for `fused=True`); in this benchmark process, whose heap the earlier "
    "workloads had grown, the 10M rows meet the goal. "
    "A training step spends most of its time in the matrix products, so the rules hardly show "
    "there. `dldemos.nn` keeps the activations of the forward pass for the backward pass, "
    "overwrites `Z` with `A`, writes the gradients into preallocated arrays and lets the "
    "transposes in `dZ @ A.T` and `W.T @ dZ` go to BLAS as flags instead of copies. Threads: "
    "the training loop (`dldemos.train.train` and `train_step`) runs NumPy's BLAS on one thread "
    "(`dldemos.threads.one_blas_thread`), because on the course's small matrices a second "
    "OpenBLAS thread gains little on an idle machine and loses up to 100x on a busy one; "
    "nothing in `dldemos` calls another BLAS, so a user's process holds one BLAS pool."
)


@dataclass
class Machine:
    """Where and with what the numbers were taken."""

    date: str
    cpu: str
    cores: int
    memory_gib: float
    system: str
    versions: dict[str, str]
    blas: list[str]
    threads: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float] | None = None
    notes: list[str] = field(default_factory=list)

    @classmethod
    def describe(cls, threads: int) -> Machine:
        import numpy
        import threadpoolctl
        import torch

        cpu = platform.processor() or platform.machine()
        try:
            with open("/proc/cpuinfo") as file:
                cpu = next(
                    line.split(":", 1)[1].strip() for line in file if line.startswith("model name")
                )
        except (OSError, StopIteration):
            pass
        memory_gib = float("nan")
        try:
            with open("/proc/meminfo") as file:
                kib = next(int(line.split()[1]) for line in file if line.startswith("MemTotal"))
            memory_gib = kib / 2**20
        except (OSError, StopIteration):
            pass
        blas = [
            f"{info['internal_api']} {info.get('version') or ''} ({info['prefix']})".replace(
                "  ", " "
            )
            for info in threadpoolctl.threadpool_info()
        ]
        torch_blas = "MKL" if torch.backends.mkl.is_available() else "no MKL"
        return cls(
            date=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            cpu=cpu,
            cores=len(os.sched_getaffinity(0))
            if hasattr(os, "sched_getaffinity")
            else os.cpu_count(),
            memory_gib=memory_gib,
            system=platform.platform(),
            versions={
                "Python": platform.python_version(),
                "NumPy": numpy.__version__,
                "PyTorch": f"{torch.__version__} ({torch_blas})",
                "threadpoolctl": threadpoolctl.__version__,
            },
            blas=blas,
            threads=threads,
            load_before=os.getloadavg(),
        )

    @property
    def shared(self) -> bool:
        """Other programs kept the CPUs busy (1-minute load average of at least half a core)."""
        loads = [self.load_before[0]] + ([self.load_after[0]] if self.load_after else [])
        return max(loads) >= 0.5


# --------------------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    """``1.23 ms``-style time with three significant digits."""
    if value is None:
        return "—"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if value >= scale:
            return f"{value / scale:.3g} {unit}"
    return f"{value * 1e9:.3g} ns"


def verdict(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[met]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def _ratio(comparison: Comparison) -> str:
    low, high = comparison.ratio_range
    return f"{comparison.ratio:.2f} ({low:.2f}–{high:.2f})"


# --------------------------------------------------------------------------------------
# the sections
# --------------------------------------------------------------------------------------


def machine_section(machine: Machine, command: str, repeats: int, min_time: float) -> list[str]:
    load = lambda values: " / ".join(f"{v:.2f}" for v in values)  # noqa: E731
    lines = [
        f"- **Date**: {machine.date}",
        f"- **Command**: `{command}`",
        f"- **CPU**: {machine.cpu}, {machine.cores} cores available; "
        f"memory {machine.memory_gib:.0f} GiB; {machine.system}",
        "- **Versions**: "
        + ", ".join(f"{name} {version}" for name, version in machine.versions.items()),
        "- **Native thread pools found**: " + "; ".join(machine.blas),
        f"- **Threads**: two configurations side by side. *N = {machine.threads} on both sides*: "
        f"NumPy's BLAS limited with `threadpoolctl.threadpool_limits({machine.threads})`, PyTorch with "
        f"`torch.set_num_threads({machine.threads})`. *As a user runs it*: a fresh process started "
        f"without `OMP_NUM_THREADS` and friends, nothing limited (ours limits itself inside its "
        f"training loop, see below); there ours is also timed under `threadpool_limits(1)`, "
        f"interleaved, for the ratio default threads / one thread (goal ≤ {THREADS_GOAL:g}).",
        f"- **Timing**: {repeats} samples of each contender after warm-up, interleaved (A B A B ...), "
        f"each sample at least {seconds(min_time)} of calls; medians; ratio = median ours / median theirs "
        f"(in brackets: the smallest and largest ratio of two samples of the same repetition)",
        f"- **Load average** (1, 5, 15 min): {load(machine.load_before)} before, "
        + (f"{load(machine.load_after)} after" if machine.load_after else "—"),
    ]
    if machine.shared:
        lines.append(
            "- **The machine was shared**: other programs were running during the "
            "measurements (see the load average), so absolute times are noisy; the "
            "interleaving keeps the ratios fair, their range shows the noise."
        )
    lines += [f"- {note}" for note in machine.notes]
    return lines


def _pairs(
    limited: list[tuple], as_user: list[tuple] | None
) -> list[tuple[tuple, Comparison | None]]:
    """Each limited row with the as-a-user comparison of the same workload (or ``None``)."""
    by_key = {tuple(row[:-1]): row[-1] for row in as_user or []}
    return [(row, by_key.get(tuple(row[:-1]))) for row in limited]


def threads_ratio(c: Comparison | None) -> float | None:
    """Ours with the default threads / ours under ``threadpool_limits(1)`` (same process)."""
    one = c.notes.get("ours_one_thread") if c is not None else None
    return statistics.median(c.ours) / statistics.median(one) if one else None


def goal_met(*comparisons: Comparison | None) -> bool | None:
    """Whether every measured configuration meets the goal (``None``: no goal)."""
    results = [c.met for c in comparisons if c is not None]
    if not results or None in results:
        return None
    return all(results)


def speed_section(
    rows: list[tuple[str, str, str, Comparison]], as_user: list | None, what: str
) -> list[str]:
    """``rows``: (workload label, dtype, name, comparison) with one thread; ``as_user``: the
    same rows measured as a user runs it (or ``None``)."""
    body = []
    for (label, dtype, _, c), u in _pairs(rows, as_user):
        ratio = threads_ratio(u)
        body.append(
            [
                label,
                dtype,
                seconds(c.ours_median),
                seconds(c.theirs_median),
                _ratio(c),
                seconds(u.ours_median) if u else "—",
                seconds(u.theirs_median) if u else "—",
                _ratio(u) if u else "not measured",
                f"≤ {c.goal:g}" if c.goal is not None else "report",
                verdict(goal_met(c, u)),
                f"{ratio:.2f}" if ratio is not None else "—",
                verdict(None if ratio is None else ratio <= THREADS_GOAL),
            ]
        )
    return table(
        [
            what,
            "dtype",
            "1 thread: ours",
            "1 thread: PyTorch",
            "1 thread: ratio",
            "default threads: ours",
            "default threads: PyTorch",
            "default threads: ratio",
            "goal (both)",
            "met",
            "ours: default / 1 thread",
            f"≤ {THREADS_GOAL:g}",
        ],
        body,
    )


def optimizer_section(
    rows: list[tuple[str, str, int, Comparison]],
    as_user: list | None,
    memory: dict[tuple[str, int, str], dict],
    steps: int,
) -> list[str]:
    """``rows``: (optimizer, dtype, n, comparison) with one thread; ``as_user`` the same
    rows as a user runs it; ``memory`` by (optimizer, n, dtype)."""
    body = []
    for (name, dtype, n, c), u in _pairs(rows, as_user):
        with_gradients = c.notes.get("with_gradients")
        mem = memory.get((name, n, dtype))
        if mem is None:
            growth = temporaries = "not measured"
            memory_met = None
        elif "error" in mem:
            growth, temporaries, memory_met = mem["error"], "—", False
        else:
            growth = f"{mem['rss_growth_mib']:.1f} MiB (of {mem['rss_first_mib']:.0f})"
            temporaries = f"{mem['temporary_mib']:.2f} MiB"
            memory_met = mem["rss_growth_mib"] <= MEMORY_TOLERANCE_MIB
        body.append(
            [
                name,
                f"{n:,}",
                dtype,
                seconds(c.ours_median),
                seconds(c.theirs_median),
                _ratio(c),
                seconds(u.ours_median) if u else "—",
                seconds(u.theirs_median) if u else "—",
                _ratio(u) if u else "not measured",
                f"≤ {c.goal:g}" if c.goal is not None else "report",
                verdict(goal_met(c, u)),
                (
                    f"{seconds(with_gradients)} ({with_gradients / c.theirs_median:.2f})"
                    if with_gradients is not None
                    else "—"
                ),
                growth,
                temporaries,
                verdict(memory_met),
            ]
        )
    return table(
        [
            "optimizer",
            "parameters",
            "dtype",
            "1 thread: ours `step()`",
            "1 thread: `torch.optim` `step()`",
            "1 thread: ratio",
            "default threads: ours",
            "default threads: `torch.optim`",
            "default threads: ratio",
            "goal (both)",
            "met",
            "1 thread: ours `zero_grad` + `add_grad` + `step` (ratio to PyTorch's `step()`)",
            f"peak RSS growth, steps 1 → {steps}",
            "temporaries per step",
            "memory flat",
        ],
        body,
    )


def course_section(rows: list[CourseTiming], what: str) -> list[str]:
    return table(
        [what, "wall seconds", "goal", "met", "CPU seconds", "ran cleanly", "note"],
        [
            [
                row.name,
                f"{row.seconds:.1f}" if row.seconds is not None else "not measured",
                f"≤ {row.goal_s:g} s",
                verdict(row.met),
                f"{row.cpu_seconds:.1f}" if row.cpu_seconds is not None else "—",
                "yes" if row.passed else "**no**",
                row.note.replace("|", "\\|"),
            ]
            for row in rows
        ],
    )


def missed_goals(
    speeds: dict[str, list],
    as_user: dict[str, list] | None,
    memory,
    course_rows: list[CourseTiming],
) -> list[str]:
    """One line per missed goal, with the recorded reason."""

    explained = set()

    def why(key: str) -> str:
        reason = WHY_MISSED.get(
            key,
            "No reason recorded: see the range of paired ratios (on a "
            "shared machine one run can miss by noise alone).",
        )
        if reason in explained:
            return "(Same reason as above.)"
        explained.add(reason)
        return reason

    def why_slow(row: CourseTiming) -> str:
        return WHY_MISSED.get(
            row.name,
            "No reason recorded: the wall time includes whatever "
            "else the machine was running (see the load average).",
        )

    configurations = [("1 thread", speeds)] + ([("default threads", as_user)] if as_user else [])
    what = {"networks": "Training step", "runs": "Whole run"}
    lines = []
    for config, rows_by_kind in configurations:
        for kind in ("networks", "runs"):
            for label, dtype, name, c in rows_by_kind.get(kind, []):
                if c.met is False:
                    lines.append(
                        f"- {what[kind]} {label} ({dtype}), {config}: ratio {c.ratio:.2f} > "
                        f"{c.goal:g}. {why(name)}"
                    )
        for name, dtype, n, c in rows_by_kind.get("optimizers", []):
            if c.met is False:
                lines.append(
                    f"- {name} step on {n:,} {dtype} parameters, {config}: ratio {c.ratio:.2f} "
                    f"> {c.goal:g}. {why(c.workload)}"
                )
    for kind in ("networks", "runs"):
        for label, dtype, name, c in (as_user or {}).get(kind, []):
            ratio = threads_ratio(c)
            if ratio is not None and ratio > THREADS_GOAL:
                lines.append(
                    f"- {what[kind]} {label} ({dtype}): ours with the default threads / ours with "
                    f"one thread = {ratio:.2f} > {THREADS_GOAL:g}. {why('threads-' + name)}"
                )
    for (name, n, dtype), mem in memory.items():
        if "error" in mem:
            lines.append(
                f"- {name} on {n:,} {dtype} parameters: memory not measured ({mem['error']})."
            )
        elif mem["rss_growth_mib"] > MEMORY_TOLERANCE_MIB:
            lines.append(
                f"- {name} on {n:,} {dtype} parameters: memory not flat, the peak RSS grew by "
                f"{mem['rss_growth_mib']:.1f} MiB over {mem['steps']} steps."
            )
    for row in course_rows:
        if row.seconds is None:
            lines.append(f"- {row.name}: {row.note}")
        elif not row.passed:
            lines.append(
                f"- {row.name} did not run cleanly ({row.note}), after {row.seconds:.1f} s."
            )
        elif row.met is False:
            lines.append(f"- {row.name}: {row.seconds:.1f} s > {row.goal_s:g} s. {why_slow(row)}")
    return lines or ["None: every goal measured in this run holds."]


def render(
    machine: Machine,
    command: str,
    repeats: int,
    min_time: float,
    speeds: dict[str, list],
    as_user: dict[str, list] | None,
    memory,
    memory_steps: int,
    chapters: list[CourseTiming] | None,
    book_total: CourseTiming | None,
    grading: list[CourseTiming] | None,
    method: str,
    parallel: list[CourseTiming] | None = None,
    projection: str = "",
    diagnosis: list[CourseTiming] | None = None,
) -> str:
    """``speeds``: ``{"networks": [...], "runs": [...], "optimizers": [...]}`` with N threads;
    ``as_user``: the same measured as a user runs it (``None``: not measured)."""
    lines = [
        "# Benchmarks: the course's NumPy code against PyTorch on the CPU",
        "",
        f"Written by `python -m benchmarks.run`; do not edit by hand. {method}",
        "",
        "## Machine and method",
        "",
    ]
    lines += machine_section(machine, command, repeats, min_time)
    user = as_user or {}
    if speeds.get("networks"):
        lines += [
            "",
            "## One training step (forward, loss, backward, Adam)",
            "",
            "`dldemos.train.train_step` on `DeepNetwork` + `dldemos.optim.Adam` against "
            "`nn.Sequential` + `torch.optim.Adam` (foreach) with the same layer sizes. The book's "
            "chapters use float64 (the `DeepNetwork` default); the goals are stated for float32.",
            "",
        ]
        lines += speed_section(
            speeds["networks"], user.get("networks"), "workload: one training step"
        )
    if speeds.get("runs"):
        lines += [
            "",
            "## Whole training runs",
            "",
            "`dldemos.train.train` (a fresh model, reshuffled every epoch, every step's loss "
            "recorded, the training set evaluated after every epoch) against the PyTorch loop a "
            "reader would write for the same network, data, epochs and batch size; one run per "
            "sample, after one warm-up run.",
            "",
        ]
        lines += speed_section(speeds["runs"], user.get("runs"), "workload: whole training run")
    if speeds.get("optimizers"):
        lines += [
            "",
            "## One optimizer step",
            "",
            "Each NumPy optimizer with its defaults (learning rate 1e-3) against the `torch.optim` "
            "call it equals, `foreach=True`, the parameters split into 10 equal arrays. The goal "
            "compares `step()` with `step()`: PyTorch's `backward` leaves the gradient in `.grad`, "
            "ours reaches the optimizer through `zero_grad()` + `add_grad()` (which checks it for "
            "NaN and inf), shown separately. Memory: a fresh process per optimizer and size runs "
            f"{memory_steps} steps of `zero_grad` + `add_grad` + `step`; flat means the peak RSS "
            f"after step {memory_steps} "
            f"is within {MEMORY_TOLERANCE_MIB:g} MiB of the peak after step 1; temporaries are the "
            "most memory (traced by `tracemalloc`) a later step allocates on top of what it "
            "started with.",
            "",
        ]
        lines += optimizer_section(
            speeds["optimizers"], user.get("optimizers"), memory, memory_steps
        )
    if chapters is not None:
        lines += [
            "",
            "## Executing the book (nbval)",
            "",
            "`python -m pytest book/<chapter>.ipynb` (the project's options: `--nbval-lax`), one "
            f"process per chapter, on all {machine.cores} cores (no thread limit). Wall time "
            "including pytest's and the kernel's start (the goal); CPU seconds: user + system "
            "time of pytest and its kernel, which other programs on a shared machine hardly "
            "change.",
            "",
        ]
        lines += course_section(
            chapters + ([book_total] if book_total and chapters else []), "chapter"
        )
        if not chapters:
            lines.append("| no chapter found in book/ | not measured | | | | | |")
    if grading is not None:
        lines += [
            "",
            "## Autograding one submission",
            "",
            "`python -m courseware.grading autograde` on a copy of the course holding one submission "
            "(the solution notebook) of the assignment, feedback HTML included. Wall time of "
            "the command (the goal) and CPU seconds of it and its kernel.",
            "",
        ]
        lines += course_section(grading, "assignment")
    if parallel is not None:
        lines += [
            "",
            "## Grading a class in parallel",
            "",
            "The same solution submitted by a class of students, graded with `--jobs` 1, 2 and the "
            "machine's cores (`make grade JOBS=N`), feedback off. Each submission runs in its own "
            "sandbox, so the work divides across cores until they are all busy.",
            "",
        ]
        lines += course_section(parallel, "setting")
        lines += ["", f"**Projection:** {projection}"]
    if diagnosis is not None:
        lines += [
            "",
            "## What naming mistakes costs",
            "",
            "A class whose every test fails (the unanswered release, handed in by each student) "
            "against a class of solutions, with the machine's cores: a failed test is compared "
            "with the listed and the generated mistakes of its answer, which run once per "
            "assignment and are then kept in the course's grading cache. The failing class is "
            "graded twice: the first run's extra time is the fixed cost of the mistakes' runs, "
            "the second's the cost per submission; the last row projects both to a whole class. "
            "Goal: the failing class within 1.5 times the passing one (issue 24).",
            "",
        ]
        lines += course_section(diagnosis, "class")
    lines += [
        "",
        "## What makes the NumPy code fast (and what does not)",
        "",
        OPTIMISATIONS,
        "",
        "## Goals missed",
        "",
    ]
    lines += missed_goals(
        speeds,
        as_user,
        memory,
        (chapters or [])
        + ([book_total] if book_total else [])
        + (grading or [])
        + (diagnosis or []),
    )
    return "\n".join(lines) + "\n"
