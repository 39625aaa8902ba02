"""The claims matrix: every chapter's checked claims under several machines and seeds.

A chapter's checked claims (:mod:`courseware.claims`) hold on the machine that built the book;
a reader's machine computes the same experiments with other BLAS and PyTorch kernels (the last
bits of a matrix product differ, and a knife-edge outcome flips), and a sentence should not
rest on which seed was picked. ``python -m courseware.claims_matrix`` (``make claims``)
executes every chapter under each configuration of :data:`CONFIGURATIONS`:

============== ================================ ==========================================
name           environment                      what it perturbs
============== ================================ ==========================================
native         (nothing)                        the machine's own kernels
haswell        ``OPENBLAS_CORETYPE=Haswell``    NumPy's OpenBLAS kernels (AVX2)
prescott       ``OPENBLAS_CORETYPE=Prescott``   NumPy's OpenBLAS kernels (SSE3 only)
aten-default   ``ATEN_CPU_CAPABILITY=default``  PyTorch's CPU kernels (no AVX)
seed1, seed2   ``DLDEMOS_SEED_SHIFT=1`` / ``2``  every seed (:mod:`dldemos.seeding`)
============== ================================ ==========================================

Each run is one chapter under one configuration, in its own kernel with one BLAS thread,
``DLDEMOS_RECOMPUTE=1`` (fresh numbers, and a private folder for precomputed results, so the
class's stored results are never replaced by a perturbed run), ``DLDEMOS_CLAIMS=record``
(a failed claim is recorded and the chapter goes on) and ``DLDEMOS_CLAIMS_LOG`` (one JSON
line per claim). Runs go side by side (``--jobs``, default: the cores); a line is printed as
each one finishes. The result, under ``book/_build/claims/``:

- ``claims.md`` and ``claims.csv``: one row per claim (chapter, sentence), one column per
  configuration, each cell the claim's margin (how far its number is from the threshold,
  relative to it) or ``holds`` / ``FAILED`` for a plain fact; then the smallest margin of
  each chapter and every notebook that stopped with an error;
- ``<configuration>/<chapter>.ipynb``, ``.jsonl``, ``.kernel.log``: each executed notebook,
  its claims log and what its kernel wrote to stderr.

Claims are matched across configurations by chapter, sentence and order (the second claim
with the same sentence is matched with the second). The command exits with status 1, naming
each, when a claim fails or holds with less than its ``min_margin`` in any configuration,
when a claim is not checked in every configuration, or when a chapter fails to execute.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "CONFIGURATIONS",
    "CI_CONFIGURATIONS",
    "settings",
    "Run",
    "Matrix",
    "chapters",
    "run_chapter",
    "run_matrix",
    "build_matrix",
    "main",
]

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
DEFAULT_OUT = BOOK / "_build" / "claims"

CONFIGURATIONS: dict[str, dict[str, str]] = {
    "native": {},
    "haswell": {"OPENBLAS_CORETYPE": "Haswell"},
    "prescott": {"OPENBLAS_CORETYPE": "Prescott"},
    "aten-default": {"ATEN_CPU_CAPABILITY": "default"},
    "seed1": {"DLDEMOS_SEED_SHIFT": "1"},
    "seed2": {"DLDEMOS_SEED_SHIFT": "2"},
}
# what `make test` runs on every submission (tests/test_claims_ci.py): the chapters already run
# natively under nbval; here once more, with another BLAS kernel and every seed shifted at once
# (configurations joined by '+' perturb together: one run per chapter instead of two)
CI_CONFIGURATIONS = ("prescott+seed1",)


def settings(configuration: str) -> dict[str, str]:
    """The environment of ``configuration``: one of :data:`CONFIGURATIONS`, or several joined
    by ``+`` (``prescott+seed1``: Prescott's kernels and the seeds shifted by one)."""
    environment = {}
    for part in configuration.split("+"):
        environment.update(CONFIGURATIONS[part])
    return environment


# every run: one BLAS thread (runs go side by side), fresh numbers, static figures
RUN_ENVIRONMENT = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "DLDEMOS_RECOMPUTE": "1",
    "DLDEMOS_STATIC": "1",
    "PYTHONHASHSEED": "0",
    "DLDEMOS_CLAIMS": "record",
}
# set by the caller's shell, they would override a configuration or the run's own settings
CLEARED = (
    "OPENBLAS_CORETYPE",
    "ATEN_CPU_CAPABILITY",
    "DLDEMOS_SEED_SHIFT",
    "DLDEMOS_CLAIMS",
    "DLDEMOS_CLAIMS_LOG",
    "DLDEMOS_PRECOMPUTED_DIR",
    "MPLBACKEND",
)


def chapters(book: Path = BOOK) -> list[Path]:
    """The chapter notebooks ``NN_<name>.ipynb`` of the book, in order."""
    return sorted(book.glob("[0-9][0-9]_*.ipynb"))


def find_chapter(name: str, book: Path = BOOK) -> Path:
    """A chapter named by path, file name, stem (``04_schedules``) or number (``4``, ``04``)."""
    path = Path(name)
    if path.suffix == ".ipynb" and path.is_file():
        return path.resolve()
    candidates = [
        chapter
        for chapter in chapters(book)
        if name in (chapter.name, chapter.stem)
        or (name.isdigit() and chapter.stem.split("_")[0] == f"{int(name):02d}")
    ]
    if len(candidates) != 1:
        known = ", ".join(chapter.stem for chapter in chapters(book))
        raise SystemExit(f"no chapter {name!r} (chapters: {known})")
    return candidates[0]


@dataclass
class Run:
    """One chapter executed under one configuration: its claims (the JSON log's records, in
    order) and, if the notebook stopped, the error."""

    chapter: str
    configuration: str
    claims: list[dict] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0
    cpu_seconds: float | None = None

    def failed(self) -> list[dict]:
        return [record for record in self.claims if not record["holds"]]

    def thin(self) -> list[dict]:
        return [record for record in self.claims if record["holds"] and _is_thin(record)]

    def summary(self) -> str:
        cpu = f" ({self.cpu_seconds:.0f} s CPU)" if self.cpu_seconds is not None else ""
        text = (
            f"{self.chapter} [{self.configuration}] {self.seconds:.0f} s{cpu}: "
            f"{len(self.claims)} claims, {len(self.failed())} FAILED, "
            f"{len(self.thin())} under min_margin"
        )
        return text + (f"; ERROR {self.error}" if self.error else "")


def _is_thin(record: dict) -> bool:
    margin = record.get("margin")
    return margin is not None and margin < record.get("min_margin", 0.05)


def _environment(configuration: str, log: Path, precomputed: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if key not in CLEARED}
    environment.update(RUN_ENVIRONMENT)
    environment.update(settings(configuration))
    environment["DLDEMOS_CLAIMS_LOG"] = str(log)
    environment["DLDEMOS_PRECOMPUTED_DIR"] = str(precomputed)
    # the kernel imports this checkout's dldemos and courseware, wherever it was installed from
    environment["PYTHONPATH"] = os.pathsep.join(
        [str(ROOT)] + [part for part in environment.get("PYTHONPATH", "").split(os.pathsep) if part]
    )
    return environment


def _read_log(log: Path) -> list[dict]:
    if not log.is_file():
        return []
    return [
        json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _kernel_cpu_seconds(client) -> float | None:
    """CPU seconds of the kernel and the processes it has waited for (Linux ``/proc``): what a
    run costs on an idle machine, where the wall time depends on what else runs."""
    try:
        pid = client.km.provisioner.pid
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")
    except (AttributeError, OSError, ValueError, IndexError):
        return None


def run_chapter(chapter: Path, configuration: str, out: Path, timeout: int = 900) -> Run:
    """Execute ``chapter`` under ``configuration`` in a fresh kernel; the executed notebook and
    the claims log go to ``out/<configuration>/<chapter>.ipynb`` and ``.jsonl``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    folder = out / configuration
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / f"{chapter.stem}.jsonl"
    log.unlink(missing_ok=True)
    started = time.monotonic()
    notebook = nbformat.read(chapter, as_version=4)
    error = None
    cpu = []
    with (
        tempfile.TemporaryDirectory(prefix="claims-precomputed-") as precomputed,
        open(folder / f"{chapter.stem}.kernel.log", "wb") as kernel_log,
    ):
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(chapter.parent)}},
            on_cell_executed=lambda **_: cpu.append(_kernel_cpu_seconds(client)),
        )
        try:  # the kernel's own messages go to its log, not between the progress lines
            client.execute(
                env=_environment(configuration, log, Path(precomputed)), stderr=kernel_log
            )
        except CellExecutionError as failure:
            error = f"{failure.ename}: {failure.evalue}".strip()
        except Exception as failure:  # a timeout, a dead kernel: this run fails, the others go on
            lines = str(failure).strip().splitlines()
            error = f"{type(failure).__name__}: {lines[0] if lines else ''}"
    if error is not None:
        index = next(
            (
                number
                for number, cell in enumerate(notebook.cells, start=1)
                if any(output.get("output_type") == "error" for output in cell.get("outputs", []))
            ),
            None,
        )
        if index is not None:
            error = f"cell {index}: {error}"
    nbformat.write(notebook, folder / chapter.name)
    return Run(
        chapter.stem,
        configuration,
        _read_log(log),
        error,
        time.monotonic() - started,
        cpu[-1] if cpu else None,
    )


def _require_known(configurations: list[str]) -> None:
    unknown = [
        name
        for name in configurations
        if not all(part in CONFIGURATIONS for part in name.split("+"))
    ]
    if unknown:
        raise SystemExit(
            f"unknown configuration(s) {', '.join(unknown)} (known: {', '.join(CONFIGURATIONS)}, "
            "or several joined by '+')"
        )


def run_matrix(
    selected: list[Path],
    configurations: list[str],
    out: Path,
    jobs: int,
    timeout: int = 900,
    progress=print,
) -> list[Run]:
    """Every chapter under every configuration, ``jobs`` runs side by side (longest chapters
    first would need timings; chapters go in order, configurations interleaved)."""
    _require_known(configurations)
    tasks = [(chapter, configuration) for chapter in selected for configuration in configurations]
    runs = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [
            pool.submit(run_chapter, chapter, configuration, out, timeout)
            for chapter, configuration in tasks
        ]
        for done, future in enumerate(as_completed(futures), start=1):
            run = future.result()
            runs.append(run)
            progress(f"[{done}/{len(tasks)}] {run.summary()}")
    order = {
        (chapter.stem, configuration): index for index, (chapter, configuration) in enumerate(tasks)
    }
    return sorted(runs, key=lambda run: order[run.chapter, run.configuration])


# ---- the table --------------------------------------------------------------------------


@dataclass
class Matrix:
    """Claims x configurations: ``rows`` maps (chapter, sentence, occurrence) to the record
    of each configuration that checked it; ``problems`` names every failure, thin margin,
    missing claim and notebook error."""

    configurations: list[str]
    rows: dict[tuple[str, str, int], dict[str, dict]]
    errors: dict[tuple[str, str], str]
    problems: list[str]

    def chapters(self) -> list[str]:
        return list(dict.fromkeys(chapter for chapter, _, _ in self.rows))

    def smallest_margins(self) -> dict[str, tuple[float, str, str] | None]:
        """Per chapter: the smallest margin of a comparison claim over every configuration,
        with its sentence and configuration (``None`` if the chapter has none)."""
        smallest: dict[str, tuple[float, str, str] | None] = {}
        for (chapter, sentence, _), cells in self.rows.items():
            smallest.setdefault(chapter, None)
            for configuration, record in cells.items():
                margin = record.get("margin")
                if margin is not None and (
                    smallest[chapter] is None or margin < smallest[chapter][0]
                ):
                    smallest[chapter] = (margin, sentence, configuration)
        return smallest


def build_matrix(runs: list[Run]) -> Matrix:
    """Match the runs' claims by chapter, sentence and order; collect the problems."""
    configurations = list(dict.fromkeys(run.configuration for run in runs))
    rows: dict[tuple[str, str, int], dict[str, dict]] = {}
    errors = {}
    for run in runs:
        seen: dict[str, int] = {}
        for record in run.claims:
            occurrence = seen[record["sentence"]] = seen.get(record["sentence"], 0) + 1
            rows.setdefault((run.chapter, record["sentence"], occurrence), {})[
                run.configuration
            ] = record
        if run.error:
            errors[run.chapter, run.configuration] = run.error
    by_chapter = {}
    for key in rows:  # chapters together, claims in order
        by_chapter.setdefault(key[0], []).append(key)
    rows = {key: rows[key] for chapter in by_chapter for key in by_chapter[chapter]}
    ran = {(run.chapter, run.configuration) for run in runs}
    problems = []
    for (chapter, sentence, _), cells in rows.items():
        for configuration in configurations:
            if (chapter, configuration) not in ran:
                continue
            record = cells.get(configuration)
            where = f"{chapter} [{configuration}]: {sentence!r}"
            if record is None:
                if (chapter, configuration) not in errors:
                    problems.append(
                        f"{where} was not checked in this configuration "
                        "(a sentence that changes between runs, or a claim in a branch)"
                    )
            elif not record["holds"]:
                problems.append(f"{where} FAILED ({_numbers(record)})")
            elif _is_thin(record):
                problems.append(
                    f"{where} holds with margin {record['margin']:.1%}, under its "
                    f"min_margin {record['min_margin']:.0%} ({_numbers(record)})"
                )
    for (chapter, configuration), error in errors.items():
        problems.append(f"{chapter} [{configuration}] stopped with an error: {error}")
    return Matrix(configurations, rows, errors, problems)


def _numbers(record: dict) -> str:
    shown = []
    if record.get("threshold"):
        shown.append(f"value={_short(record['value'])} {record['threshold']}")
    shown += [f"{name}={_short(value)}" for name, value in (record.get("numbers") or {}).items()]
    return ", ".join(shown) or f"value={record.get('value')}"


def _short(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)[:60]


def cell_text(record: dict | None) -> str:
    """A table cell: the margin in percent (``FAILED -3.1%``, ``2.0% < 5%`` when thin),
    ``holds`` / ``FAILED`` for a plain fact, ``—`` when the claim was not checked."""
    if record is None:
        return "—"
    margin = record.get("margin")
    if margin is None:
        return "holds" if record["holds"] else "FAILED"
    text = "inf" if math.isinf(margin) else f"{margin:.1%}"
    if math.isinf(margin) and margin < 0:
        text = "-inf"
    if not record["holds"]:
        return f"FAILED {text}"
    if _is_thin(record):
        return f"{text} < {record['min_margin']:.0%}"
    return text


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(matrix: Matrix) -> str:
    """The matrix as Markdown: problems, smallest margin per chapter, errors, then the table."""
    lines = [
        "# Claims matrix",
        "",
        "Each cell is a claim's margin in one configuration: how far its number is from the "
        "sentence's threshold, relative to the threshold (`holds`/`FAILED` for a plain fact; "
        "`—`: not checked). Configurations: "
        + "; ".join(
            f"`{name}` ({' '.join(f'{k}={v}' for k, v in settings(name).items()) or 'the machine as it is'})"
            for name in matrix.configurations
        )
        + ".",
        "",
    ]
    if matrix.problems:
        lines += [f"## {len(matrix.problems)} problems", ""]
        lines += [f"- {_markdown_cell(problem)}" for problem in matrix.problems] + [""]
    else:
        lines += ["Every claim holds in every configuration with at least its minimum margin.", ""]
    lines += [
        "## Smallest margin per chapter",
        "",
        "| chapter | smallest margin | claim | configuration |",
        "|---|---|---|---|",
    ]
    for chapter, smallest in matrix.smallest_margins().items():
        if smallest is None:
            lines.append(f"| {chapter} | (no comparison claim) | | |")
        else:
            margin, sentence, configuration = smallest
            lines.append(
                f"| {chapter} | {margin:.1%} | {_markdown_cell(sentence)} | {configuration} |"
            )
    if matrix.errors:
        lines += ["", "## Notebook errors", ""]
        lines += [
            f"- {chapter} [{configuration}]: {_markdown_cell(error)}"
            for (chapter, configuration), error in matrix.errors.items()
        ]
    lines += [
        "",
        "## Claims",
        "",
        "| chapter | claim | " + " | ".join(matrix.configurations) + " |",
        "|---|---|" + "---|" * len(matrix.configurations),
    ]
    for (chapter, sentence, occurrence), cells in matrix.rows.items():
        label = sentence + (f" (#{occurrence})" if occurrence > 1 else "")
        lines.append(
            f"| {chapter} | {_markdown_cell(label)} | "
            + " | ".join(cell_text(cells.get(name)) for name in matrix.configurations)
            + " |"
        )
    return "\n".join(lines) + "\n"


def csv_text(matrix: Matrix) -> str:
    """The matrix as CSV: chapter, sentence, occurrence, min_margin, then per configuration
    the margin (a fraction), ``holds``, ``FAILED`` or empty (not checked), then the smallest."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [
            "chapter",
            "sentence",
            "occurrence",
            "min_margin",
            *matrix.configurations,
            "smallest_margin",
        ]
    )
    for (chapter, sentence, occurrence), cells in matrix.rows.items():
        values, margins = [], []
        for name in matrix.configurations:
            record = cells.get(name)
            if record is None:
                values.append("")
            elif record.get("margin") is None:
                values.append("holds" if record["holds"] else "FAILED")
            else:
                values.append(f"{record['margin']:.6g}")
                margins.append(record["margin"])
        min_margin = next((record.get("min_margin") for record in cells.values()), "")
        writer.writerow(
            [
                chapter,
                sentence,
                occurrence,
                min_margin,
                *values,
                f"{min(margins):.6g}" if margins else "",
            ]
        )
    return buffer.getvalue()


def write_tables(matrix: Matrix, out: Path) -> tuple[Path, Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "claims.md").write_text(markdown(matrix), encoding="utf-8")
    (out / "claims.csv").write_text(csv_text(matrix), encoding="utf-8")
    return out / "claims.md", out / "claims.csv"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m courseware.claims_matrix", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "chapters", nargs="*", help="chapters by path, stem or number (default: all)"
    )
    parser.add_argument(
        "--configs",
        default=",".join(CONFIGURATIONS),
        help=f"comma-separated, from: {', '.join(CONFIGURATIONS)}, or several joined by '+' "
        f"(default: all; 'ci' is {','.join(CI_CONFIGURATIONS)})",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="runs side by side, one BLAS thread each (default: the cores)",
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"default: {DEFAULT_OUT}")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--book", type=Path, default=BOOK, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    configurations = (
        list(CI_CONFIGURATIONS)
        if args.configs == "ci"
        else [name.strip() for name in args.configs.split(",") if name.strip()]
    )
    _require_known(configurations)
    selected = [find_chapter(name, args.book) for name in args.chapters] or chapters(args.book)
    print(
        f"claims matrix: {len(selected)} chapters x {len(configurations)} configurations "
        f"({', '.join(configurations)}), {args.jobs} at a time",
        flush=True,
    )
    runs = run_matrix(
        selected,
        configurations,
        args.out,
        args.jobs,
        args.timeout,
        progress=lambda line: print(line, flush=True),
    )
    matrix = build_matrix(runs)
    markdown_path, csv_path = write_tables(matrix, args.out)
    print(f"\nthe table: {markdown_path} and {csv_path.name}")
    for chapter, smallest in matrix.smallest_margins().items():
        if smallest is not None:
            print(
                f"  {chapter}: smallest margin {smallest[0]:.1%} ({smallest[2]}: {smallest[1]!r})"
            )
    if matrix.problems:
        print(f"\n{len(matrix.problems)} problems:")
        for problem in matrix.problems:
            print(f"  {problem}")
        return 1
    print("every claim holds in every configuration with at least its minimum margin")
    return 0


if __name__ == "__main__":
    sys.exit(main())
