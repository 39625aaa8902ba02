"""What a graded test cell observed, written by the sandbox and read by the trusted grader.

In a graded run every ``expect_*`` call of a test cell (:mod:`courseware.checks`) appends one
*record* to ``records.jsonl`` in the folder named by ``$DLDEMOS_GRADING_RECORDS``: the kind of
check, its label (``what``), its hint and tolerances, and the value it was given (``got``).
Values travel as JSON and ``.npy`` files, never as pickles, so reading a record never runs
code: NumPy arrays and scalars and PyTorch tensors become ``.npy`` files (dtype and shape
kept), tuples, lists, dicts and plain values stay what they are, anything else becomes its
type name.

The trusted grader runs the same test cells on the solution's functions and compares the two
streams of records (:mod:`courseware.grading.verdicts`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

ENVIRONMENT = "DLDEMOS_GRADING_RECORDS"
RECORDS = "records.jsonl"
MAX_RECORDS_BYTES = 64 * 2 ** 20       # what the trusted side reads at most


class Recorder:
    """Appends the records of the test cell being run to ``<folder>/records.jsonl``."""

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder)
        self.cell = None
        self.count = 0

    def start_cell(self, grade_id: str) -> None:
        self.cell = grade_id
        self._write({"cell": grade_id, "start": True})

    def record(self, kind: str, got, **details) -> None:
        if self.cell is None:
            return
        self._write({"cell": self.cell, "kind": kind, "got": self._encode(got), **details})

    def _write(self, line: dict) -> None:
        with open(self.folder / RECORDS, "a") as handle:
            handle.write(json.dumps(line, default=str) + "\n")

    def _encode(self, value, depth: int = 0):
        if depth > 20:
            return {"object": "too deeply nested"}
        if value is None or isinstance(value, (bool, str)) or type(value) in (int, float):
            return value
        if isinstance(value, np.generic) or isinstance(value, np.ndarray):
            return {"array": self._save(np.asarray(value)), "scalar": isinstance(value, np.generic)}
        if type(value).__module__.startswith("torch") and hasattr(value, "detach"):
            return {"array": self._save(value.detach().cpu().numpy()), "tensor": True}
        if isinstance(value, tuple):
            return {"tuple": [self._encode(v, depth + 1) for v in value]}
        if isinstance(value, list):
            return [self._encode(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {"dict": [[self._encode(k, depth + 1), self._encode(v, depth + 1)] for k, v in value.items()]}
        if isinstance(value, (int, float)):                      # subclasses: their plain value
            return (int if isinstance(value, int) else float)(value)
        return {"object": type(value).__name__}

    def _save(self, array: np.ndarray) -> str:
        self.count += 1
        name = f"{self.count}.npy"
        if array.dtype == object:
            array = np.asarray([repr(v)[:100] for v in array.ravel()]).reshape(array.shape)
        np.save(self.folder / name, array, allow_pickle=False)
        return name


def recorder_from_environment() -> Recorder | None:
    folder = os.environ.get(ENVIRONMENT)
    return Recorder(folder) if folder else None


# --------------------------------------------------------------------------------------
# the trusted side
# --------------------------------------------------------------------------------------

class Unreadable(ValueError):
    """A record that is not what the recorder writes (a forged or truncated file)."""


def read_records(folder: str | os.PathLike) -> dict[str, list[dict]]:
    """``grade_id -> records`` of the last run of each test cell (values decoded)."""
    folder = Path(folder)
    path = folder / RECORDS
    cells: dict[str, list[dict]] = {}
    if not path.is_file():
        return cells
    if path.stat().st_size > MAX_RECORDS_BYTES:
        raise Unreadable(f"the test records exceed {MAX_RECORDS_BYTES // 2 ** 20} MB")
    for line in path.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue                                     # a line cut short by a kill
        if not isinstance(entry, dict) or not isinstance(entry.get("cell"), str):
            continue
        if entry.get("start"):
            cells[entry["cell"]] = []
        elif entry["cell"] in cells:
            try:
                entry["got"] = decode(entry.get("got"), folder)
            except Unreadable as error:
                entry["got"] = error
            cells[entry["cell"]].append(entry)
    return cells


def decode(value, folder: Path, depth: int = 0):
    if depth > 20:
        raise Unreadable("too deeply nested")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode(v, folder, depth + 1) for v in value]
    if isinstance(value, dict) and len(value) >= 1:
        if "tuple" in value:
            return tuple(decode(v, folder, depth + 1) for v in value["tuple"])
        if "dict" in value:
            return {_hashable(decode(k, folder, depth + 1)): decode(v, folder, depth + 1) for k, v in value["dict"]}
        if "array" in value:
            name = str(value["array"])
            path = folder / name
            if "/" in name or not path.is_file() or path.stat().st_size > MAX_RECORDS_BYTES:
                raise Unreadable(f"missing array file {name}")
            try:
                array = np.load(path, allow_pickle=False)
            except ValueError as error:
                raise Unreadable(str(error)) from None
            return array[()] if value.get("scalar") else array
        if "object" in value:
            return Opaque(str(value["object"]))
    raise Unreadable(f"unexpected value {str(value)[:80]}")


def _hashable(key):
    return key if isinstance(key, (str, int, float, bool, tuple, type(None))) else repr(key)


class Opaque:
    """A value the sandbox could only name (an object of a class it does not encode)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name} object>"

    def __eq__(self, other) -> bool:      # never equal: the comparison cannot be checked
        return False

    __hash__ = None
