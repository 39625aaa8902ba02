"""The grading runner: executes one notebook, inside the sandbox, and writes what it saw.

``python -m courseware.grading.runner job.json`` runs in the sandbox (:mod:`.sandbox`) on a
notebook the trusted grader assembled (:mod:`.structure`). It executes the notebook top to
bottom in a fresh kernel, as nbgrader's autograder does (:class:`ResilientExecute`: same
per-cell timeout, and it survives a kernel that dies or ignores its timeout), with four
additions:

* right after the first code cell (the locked set-up cell) it installs the guard
  (:mod:`.guard`) that closes the reference implementations;
* right before each graded test cell it tells :mod:`courseware.checks` which cell runs, so that
  the checks record what they see (:mod:`courseware.records`);
* the notebook has a time budget (no cell starts after it ran out) and each cell's outputs are
  cut to a size limit;
* the code cells after the last test cell (the homework's closing figure) are not run: nothing
  after the last test can change a grade, and a figure costs about a second of every
  submission's run. They keep a line that says so.

It writes ``executed.ipynb`` and the records to the job's output folder. Everything it writes
is untrusted: the trusted grader reads it as data, with size limits.
"""

from __future__ import annotations

import copy
import json
import math
import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":
    # jsonschema imports rfc3987_syntax where it is installed, and that builds a grammar for
    # about 2 s: for a format check the runner never makes, in every graded run
    sys.modules.setdefault("rfc3987_syntax", None)

import nbformat  # noqa: E402 (after the line above)
from jupyter_client.manager import AsyncKernelManager  # noqa: E402
from nbclient.exceptions import CellTimeoutError, DeadKernelError  # noqa: E402
from nbconvert.preprocessors import ExecutePreprocessor  # noqa: E402
from nbformat import NotebookNode  # noqa: E402

from courseware.records import ENVIRONMENT  # noqa: E402

MIN_COPY_TIMEOUT = 2  # seconds (see ResilientExecute.copy_timeout_factor)
RUNNER_KEY = "dldemos_grading_runner"  # metadata of the cells the runner inserts
AFTER_THE_LAST_TEST = nbformat.v4.new_output(
    "stream", name="stdout", text="(not run when grading: no test comes after this cell)\n"
)
EXECUTED = "executed.ipynb"


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test_cell(cell) -> bool:
    return cell.get("cell_type") == "code" and bool(nbgrader_meta(cell).get("grade"))


def error_output(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output(
        "error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


def _timed_out(cell: NotebookNode) -> bool:
    return any(output.get("ename") == "CellTimeoutError" for output in cell.get("outputs", []))


class Execute(ExecutePreprocessor):
    """Execution as nbgrader's autograder does it (``nbgrader.preprocessors.Execute``): every
    cell runs whatever the cells before it raised, a cell that times out is interrupted and
    gets a ``CellTimeoutError`` output, an error the kernel replied with is always among the
    cell's outputs. Written here rather than imported: importing ``nbgrader`` costs about a
    second of every graded run (its package loads its server extensions)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("kernel_manager_class", AsyncKernelManager)
        super().__init__(**kwargs)
        self.allow_errors = True
        self.interrupt_on_timeout = True
        self.raise_on_iopub_timeout = True
        self.error_on_timeout = {
            "ename": "CellTimeoutError",
            "evalue": "",
            "traceback": ["CellTimeoutError: No reply from kernel before timeout"],
        }

    def on_cell_executed(self, cell, execute_reply, **kwargs):
        content = execute_reply["content"]
        if content["status"] != "error":
            return
        if not any(
            o.get("output_type") == "error" and o.get("ename") == content["ename"]
            for o in cell.outputs
        ):  # a timeout: the reply is the only record of the error
            cell.outputs.append(
                nbformat.v4.new_output(
                    "error",
                    ename=content["ename"],
                    evalue=content["evalue"],
                    traceback=content["traceback"] or ["(no traceback)"],
                )
            )


class ResilientExecute(Execute):
    """:class:`Execute` that survives a kernel that dies or ignores its timeout, and
    stops starting cells when the notebook's time budget (``deadline``) is spent.

    When a cell kills the kernel, or times out and the kernel does not go idle after the
    interrupt, the cell gets an error output, a fresh kernel replays the code cells above it
    (on copies: the outputs of the first run are kept; cells that crashed or timed out are
    not replayed) and execution goes on with the next cell.
    """

    deadline: float = float("inf")  # time.monotonic() after which no cell starts
    budget: float = float("inf")  # the notebook's time budget, for the message
    cell_timeout: int = 20
    max_output_chars: int = 20_000
    # a diagnosis run's copies of a test cell (grade_id ``<id>@<k>``, one per mistake) get at
    # most this many times what the test cell ``<id>`` took (0: no such limit), and at least
    # MIN_COPY_TIMEOUT s: a mistake that loops for ever costs seconds, not the cell's limit
    copy_timeout_factor: float = 0
    last_test: int | None = None  # the index of the last test cell: no code cell after it runs

    def preprocess(self, nb, resources=None, km=None):
        self._not_replayed = set()
        self._test_seconds = {}
        return super().preprocess(nb, resources, km)

    def _limit(self, cell, remaining: float) -> int:
        """The timeout of ``cell``, in whole seconds (what nbclient takes)."""
        limit = min(self.cell_timeout, remaining)
        grade_id = nbgrader_meta(cell).get("grade_id", "")
        original, _, copy_number = grade_id.rpartition("@")
        if self.copy_timeout_factor and copy_number.isdigit() and original in self._test_seconds:
            allowed = self.copy_timeout_factor * self._test_seconds[original]
            limit = min(limit, max(MIN_COPY_TIMEOUT, math.ceil(allowed)))
        return max(1, int(limit))

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        if self.last_test is not None and index > self.last_test:
            cell.outputs = [copy.deepcopy(AFTER_THE_LAST_TEST)]
            return cell, resources
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            cell.outputs = [
                error_output(
                    "TimeoutError",
                    f"not run: the notebook used up its time limit of "
                    f"{self.budget:g} s before this cell",
                )
            ]
            self._not_replayed.add(index)
            return cell, resources
        self.timeout = self._limit(cell, remaining)
        started = time.monotonic()
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
            if is_test_cell(cell):
                self._test_seconds[nbgrader_meta(cell).get("grade_id", "")] = (
                    time.monotonic() - started
                )
        except DeadKernelError:
            error = (
                "DeadKernelError",
                "the kernel died while running this cell (os._exit, a crash or too much memory)",
            )
        except CellTimeoutError:
            error = ("CellTimeoutError", "the cell timed out and the kernel ignored the interrupt")
        else:
            if _timed_out(cell):
                self._not_replayed.add(index)
            limit_outputs(cell, self.max_output_chars)
            return cell, resources
        cell.outputs.append(
            error_output(
                error[0], error[1] + "; a new kernel re-ran the cells above and grading went on"
            )
        )
        limit_outputs(cell, self.max_output_chars)
        self._not_replayed.add(index)
        self._restart_and_replay(index)
        return cell, self.resources

    def _restart_and_replay(self, index: int) -> None:
        """Replace the kernel and re-run the code cells before ``index`` on copies."""
        self.log.warning("Restarting the kernel and replaying the cells before cell %d", index)
        while True:
            shutdown, self.shutdown_kernel = self.shutdown_kernel, "immediate"  # dead or stuck
            self._cleanup_kernel()
            self.shutdown_kernel = shutdown
            self.km = self.create_kernel_manager()
            self.start_new_kernel()
            self.start_new_kernel_client()
            replaying = None
            try:
                for i, earlier in enumerate(self.nb.cells[:index]):
                    if earlier.cell_type == "code" and i not in self._not_replayed:
                        replaying = i
                        self.execute_cell(copy.deepcopy(earlier), i, store_history=False)
                return
            except (DeadKernelError, CellTimeoutError):
                self._not_replayed.add(replaying)


def limit_outputs(cell: NotebookNode, max_chars: int) -> None:
    """Cut a cell's outputs to about ``max_chars`` characters in all (text and data)."""
    kept, used = [], 0
    for output in cell.get("outputs", []):
        size = len(json.dumps(output))
        if used + size <= max_chars:
            kept.append(output)
            used += size
            continue
        if output.get("output_type") == "stream":
            room = max(0, max_chars - used)
            output["text"] = output["text"][:room]
            kept.append(output)
        kept.append(
            nbformat.v4.new_output(
                "stream",
                name="stderr",
                text=(
                    f"\n[output cut: this cell printed more than the {max_chars} characters grading keeps]\n"
                ),
            )
        )
        if output.get("output_type") == "error":
            kept.append(output)
        break
    cell.outputs = kept


def _code_cell(source: str) -> NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata[RUNNER_KEY] = True
    return cell


def instrument(
    notebook: NotebookNode, assignment: str, closed: list[str], record: bool
) -> NotebookNode:
    """The notebook with the guard after its first code cell and, when recording, a marker
    before each test cell."""
    notebook = copy.deepcopy(notebook)
    cells, guarded = [], False
    for cell in notebook.cells:
        if record and is_test_cell(cell):
            grade_id = nbgrader_meta(cell).get("grade_id", "")
            cells.append(
                _code_cell(f"__import__('courseware.checks').checks._start_cell({grade_id!r})")
            )
        cells.append(cell)
        if cell.cell_type == "code" and not guarded:
            cells.append(
                _code_cell(
                    f"__import__('courseware.grading.guard').grading.guard.install("
                    f"{assignment!r}, {closed!r})"
                )
            )
            guarded = True
    notebook.cells = cells
    return notebook


def run(job: dict) -> None:
    out = Path(job["out"]).resolve()
    out.mkdir(parents=True, exist_ok=True)
    if job.get("record", True):
        os.environ[ENVIRONMENT] = str(out)
    notebook = nbformat.read(job["notebook"], as_version=4)
    notebook = instrument(
        notebook, job["assignment"], job.get("closed", []), job.get("record", True)
    )
    executor = ResilientExecute(
        kernel_name="python3",
        extra_arguments=["--IPKernelApp.log_level=ERROR"],
        interrupt_on_timeout=True,
    )
    executor.cell_timeout = int(job.get("cell_timeout", 20))
    executor.budget = float(job.get("notebook_timeout", 60))
    executor.deadline = time.monotonic() + executor.budget
    executor.max_output_chars = int(job.get("max_output_chars", 20_000))
    executor.copy_timeout_factor = float(job.get("copy_timeout_factor", 0))
    tests = [i for i, cell in enumerate(notebook.cells) if is_test_cell(cell)]
    executor.last_test = tests[-1] if tests else None
    try:
        executor.preprocess(
            notebook, {"metadata": {"path": str(Path(job["notebook"]).resolve().parent)}}
        )
    except Exception as error:  # noqa: BLE001 (a kernel that cannot start: say so, keep the rest)
        print(f"grading runner: {type(error).__name__}: {error}", file=sys.stderr)
    notebook.cells = [c for c in notebook.cells if not c.metadata.get(RUNNER_KEY)]
    nbformat.write(notebook, out / EXECUTED)


if __name__ == "__main__":
    run(json.loads(Path(sys.argv[1]).read_text()))
