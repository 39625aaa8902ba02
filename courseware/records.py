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

import io
import json
import os
from pathlib import Path

import numpy as np

from courseware.untrusted import Refused, loads_json, read_regular

ENVIRONMENT = "DLDEMOS_GRADING_RECORDS"
RECORDS = "records.jsonl"
MAX_RECORDS_BYTES = 64 * 2**20  # what the trusted side reads at most


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
            return {
                "dict": [
                    [self._encode(k, depth + 1), self._encode(v, depth + 1)]
                    for k, v in value.items()
                ]
            }
        if isinstance(value, (int, float)):  # subclasses: their plain value
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


MAX_ARRAYS_BYTES = 256 * 2**20  # all the arrays of one run's records together
KINDS = {"close", "equal", "shape", "dtype", "true", "solution"}
_TEXT_FIELDS = ("what", "hint", "message")
_NUMBER_FIELDS = ("rtol", "atol")


def read_records(base: str | os.PathLike, folder: str = ".") -> dict[str, list[dict]]:
    """``grade_id -> records`` of the last run of each test cell (values decoded), read from
    ``base/folder`` as untrusted files (:func:`courseware.untrusted.read_regular`: no link
    followed, size caps). A record of an unexpected shape does not stop anything: it is kept
    as ``{"invalid": reason}`` and costs its test cell the points (:mod:`.verdicts`)."""
    cells: dict[str, list[dict]] = {}
    try:
        text = read_regular(base, Path(folder) / RECORDS, MAX_RECORDS_BYTES).decode(
            "utf-8", errors="replace"
        )
    except Refused as refused:
        if "does not exist" in str(refused):
            return cells
        raise Unreadable(f"the test records cannot be read: {refused}") from None
    arrays = _ArrayReader(Path(base), Path(folder))
    for line in text.splitlines():
        try:
            entry = loads_json(line)
        except (ValueError, Refused):
            continue  # a line cut short by a kill
        if not isinstance(entry, dict) or not isinstance(entry.get("cell"), str):
            continue
        if entry.get("start") is True:
            cells[entry["cell"]] = []
        elif entry["cell"] in cells:
            cells[entry["cell"]].append(_validated(entry, arrays))
    return cells


def _validated(entry: dict, arrays) -> dict:
    """The record with its value decoded, or ``{"invalid": reason}`` when it is not what the
    recorder writes."""
    kind = entry.get("kind")
    if kind not in KINDS:
        return {"invalid": f"a record of unknown kind {str(kind)[:40]!r}"}
    record = {"cell": entry["cell"], "kind": kind}
    for name in _TEXT_FIELDS:
        value = entry.get(name, "")
        if not isinstance(value, str):
            return {"invalid": f"a record whose {name} is not text"}
        record[name] = value[:2000]
    for name in _NUMBER_FIELDS:
        if name in entry:
            value = entry[name]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0:
                return {"invalid": f"a record whose {name} is not a tolerance"}
            record[name] = float(value)
    line = entry.get("line", 0)
    if isinstance(line, bool) or not isinstance(line, int) or line < 0:
        return {"invalid": "a record whose line is not a line number"}
    record["line"] = line
    try:
        record["got"] = decode(entry.get("got"), arrays)
    except Unreadable as error:
        record["got"] = error
    return record


class _ArrayReader:
    """Reads the ``.npy`` files records name, under one budget for the whole run."""

    def __init__(self, base: Path, folder: Path):
        self.base, self.folder, self.left = base, folder, MAX_ARRAYS_BYTES

    def load(self, name: str):
        if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(".npy"):
            raise Unreadable(f"missing array file {name[:40]}")
        try:
            raw = read_regular(self.base, self.folder / name, min(MAX_RECORDS_BYTES, self.left))
        except Refused as refused:
            raise Unreadable(f"array file {name[:40]}: {refused}") from None
        self.left -= len(raw)
        try:
            return np.load(io.BytesIO(raw), allow_pickle=False)
        except (ValueError, OSError, EOFError) as error:
            raise Unreadable(str(error)[:200]) from None


def decode(value, arrays, depth: int = 0):
    if depth > 20:
        raise Unreadable("too deeply nested")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [decode(v, arrays, depth + 1) for v in value]
    if isinstance(value, dict) and len(value) >= 1:
        if isinstance(value.get("tuple"), list):
            return tuple(decode(v, arrays, depth + 1) for v in value["tuple"])
        if isinstance(value.get("dict"), list):
            if not all(isinstance(pair, list) and len(pair) == 2 for pair in value["dict"]):
                raise Unreadable("a dict record that is not a list of pairs")
            return {
                _hashable(decode(k, arrays, depth + 1)): decode(v, arrays, depth + 1)
                for k, v in value["dict"]
            }
        if isinstance(value.get("array"), str):
            array = arrays.load(value["array"])
            return array[()] if value.get("scalar") is True else array
        if "object" in value:
            return Opaque(str(value["object"])[:80])
    raise Unreadable(f"unexpected value {str(value)[:80]}")


def _hashable(key):
    return key if isinstance(key, (str, int, float, bool, tuple, type(None))) else repr(key)


class Opaque:
    """A value the sandbox could only name (an object of a class it does not encode)."""

    def __init__(self, type_name: str):
        self.type_name = type_name

    def __repr__(self) -> str:
        return f"<a {self.type_name} object>"

    def __eq__(self, other) -> bool:  # never equal: the comparison cannot be checked
        return False

    __hash__ = None
