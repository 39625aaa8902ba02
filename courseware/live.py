"""Live coding in class: checks for what the instructor types, and precomputed long runs.

Every chapter has a few cells tagged ``live`` (see ``make live``): the instructor types them
in front of the class, from an empty cell. Right after each one, a cell uses the result (a
figure or a number) and a cell checks it against the reference in ``dldemos``::

    check_live("ewma with beta=0.9", my_ewma(temperatures, 0.9), ewma(temperatures, 0.9))

prints ``✓ ewma with beta=0.9 matches dldemos`` or raises an ``AssertionError`` that says
what differs (shape, first differing index, the two values), so a typo shows up at once.
Where the chapter teaches a pitfall (``eps`` inside the square root, bias correction off by
one step, ...), the check cell also calls :func:`check_pitfalls`, which tries what was typed
on inputs that show the pitfall and names it ("eps is added inside the square root; the
chapter adds it outside"): see :mod:`courseware.pitfalls`.

Long experiments are wrapped in :func:`precomputed`, so that a class never waits on a
training run: the chapter computes the result when the book is built and stores it; the
live notebook (``make live``) loads it.

A chapter's checked claims (:mod:`courseware.claims`) stop the book's build when they fail;
in class they must not stop the lecture. A live notebook therefore starts with
:func:`claims_warn_cell`, a hidden cell that sets ``DLDEMOS_CLAIMS=warn`` in the kernel, so
a claim that this run does not support prints what the class is seeing and the lecture goes
on, also when the instructor opens the notebook in Jupyter. The same cell tells the claims
what the book's run gave for each sentence and which live cell came before it
(:func:`class_context`), so the warning reads "this run gave X where the book's run gave
about Y ...: probably a typo in an earlier live cell (live cell 2, cell 14)".
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import pickle
import pprint
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np

import dldemos
from courseware.checks import expect_close, expect_equal
from courseware.pitfalls import LIVE_PITFALLS, pitfall_values, probe_and_reference
from dldemos.files import atomic_write

__all__ = [
    "CLAIMS_WARN_CELL_ID",
    "check_live",
    "check_pitfalls",
    "claim_warnings",
    "claims_warn_cell",
    "class_context",
    "precomputed",
    "precomputed_dir",
]

CLAIMS_WARN_CELL_ID = "live-claims-warn"


def check_live(
    what: str, got, expected, rtol: float = 1e-6, atol: float = 1e-9, pitfalls=None
) -> None:
    """Compare what was typed in class with the ``dldemos`` reference.

    Numbers and arrays are compared to ``rtol``/``atol``; dicts key by key, lists and tuples
    item by item; anything else with ``==``. The error names the first thing that differs.
    ``pitfalls``: ``{message: the value that mistake gives}`` (or a function returning it,
    called only when the check fails; see :mod:`courseware.pitfalls`): when what was typed
    gives one of those values, the error leads with that mistake's message.
    """
    try:
        _compare(what, got, expected, rtol, atol)
    except AssertionError as error:
        known = pitfalls() if callable(pitfalls) else dict(pitfalls or {})
        named = [message for message, value in known.items() if _matches(got, value, rtol, atol)]
        if named:
            raise AssertionError(f"{what}: {named[0]} (what differs: {error})") from None
        raise
    if what and "[" not in what:
        print(f"✓ {what} matches dldemos")


def check_pitfalls(key: str, namespace) -> None:
    """Check what was typed in the live cell ``key`` of :data:`courseware.pitfalls.LIVE_PITFALLS`
    on inputs that show the chapter's pitfalls (tiny gradients, the first steps, ...), and name
    the pitfall it matches: ``check_pitfalls("rmsprop_update", globals())``."""
    check = LIVE_PITFALLS[key]
    got, expected = probe_and_reference(key, namespace)
    check_live(
        check.what,
        got,
        expected,
        rtol=check.rtol,
        atol=check.atol,
        pitfalls=lambda: pitfall_values(key, namespace),
    )


def _compare(what: str, got, expected, rtol: float, atol: float) -> None:
    if isinstance(expected, Mapping):
        if not isinstance(got, Mapping) or set(got) != set(expected):
            keys = sorted(got) if isinstance(got, Mapping) else type(got).__name__
            raise AssertionError(
                f"{what}: expected a dict with keys {sorted(expected)}, got {keys}"
            )
        for key in expected:
            _compare(f"{what}[{key!r}]", got[key], expected[key], rtol, atol)
    elif isinstance(expected, (list, tuple)) and not _is_numeric(expected):
        if not isinstance(got, (list, tuple)) or len(got) != len(expected):
            raise AssertionError(f"{what}: expected {len(expected)} items, got {got!r:.200}")
        for index, (mine, theirs) in enumerate(zip(got, expected)):
            _compare(f"{what}[{index}]", mine, theirs, rtol, atol)
    elif _is_numeric(expected):
        expect_close(got, expected, what, rtol=rtol, atol=atol)
    else:
        expect_equal(got, expected, what)


def _matches(got, value, rtol: float, atol: float) -> bool:
    """Whether ``got`` is ``value`` (a pitfall's), infinities and NaN included."""
    if isinstance(value, Mapping):
        return (
            isinstance(got, Mapping)
            and set(got) == set(value)
            and all(_matches(got[key], value[key], rtol, atol) for key in value)
        )
    if isinstance(value, (list, tuple)) and not _is_numeric(value):
        return (
            isinstance(got, (list, tuple))
            and len(got) == len(value)
            and all(_matches(mine, theirs, rtol, atol) for mine, theirs in zip(got, value))
        )
    if _is_numeric(value):
        try:
            mine, theirs = np.asarray(got, dtype=float), np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            return False
        return mine.shape == theirs.shape and bool(
            np.allclose(mine, theirs, rtol=rtol, atol=atol, equal_nan=True)
        )
    try:
        return bool(got == value)
    except Exception:
        return False


def _is_numeric(value) -> bool:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        return False
    return array.dtype != object and np.issubdtype(array.dtype, np.number)


def precomputed_dir() -> Path:
    """Where precomputed results live: ``$DLDEMOS_PRECOMPUTED_DIR``, else ``.cache/precomputed``
    at the root of the course (beside ``dldemos/`` and ``courseware/``)."""
    configured = os.environ.get("DLDEMOS_PRECOMPUTED_DIR")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1] / ".cache" / "precomputed"


def _code_version() -> str:
    """A digest of every ``dldemos`` source file: a result computed by older code is stale."""
    digest = hashlib.sha256()
    for path in sorted(Path(dldemos.__file__).resolve().parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def precomputed(name: str, compute: Callable[[], object], **parameters):
    """``compute()``, or the result stored by an earlier run with the same name and parameters.

    The result is stored under :func:`precomputed_dir` (a local cache that only this course
    writes, git-ignored), keyed by ``name``, the ``parameters`` (JSON-able values that change
    the result) and a digest of the ``dldemos`` code. ``DLDEMOS_RECOMPUTE=1`` (set by
    ``make book``) always recomputes, so the book's claims are checked on fresh numbers; a
    live notebook in class loads the stored result and says so. (The tests compute each
    result once per run, in a folder of that run: ``conftest.py``.)
    """
    key = json.dumps(
        {"name": name, "parameters": parameters, "code": _code_version()},
        sort_keys=True,
        default=str,
    )
    path = precomputed_dir() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.pkl"
    if os.environ.get("DLDEMOS_RECOMPUTE") != "1" and path.exists():
        with open(path, "rb") as file:
            result = pickle.load(file)  # a file this course wrote itself, on this machine
        print(
            f"(loaded the precomputed result '{name}' from {path.name}; "
            "run with DLDEMOS_RECOMPUTE=1 to compute it again)"
        )
        return result
    result = compute()
    with atomic_write(path) as file:
        pickle.dump(result, file)
    return result


def claims_warn_cell(context: dict | None = None):
    """The first cell of a live notebook: checked claims warn instead of raising in class,
    and name what the class is seeing (``context``: see :func:`class_context`).

    Hidden (tag ``remove-cell``, input collapsed in Jupyter), with a fixed id so that tools
    can tell it from the chapter's own cells."""
    from nbformat.v4 import new_code_cell

    source = (
        "# Live notebook: a checked sentence that this run does not support prints a\n"
        "# warning with its numbers instead of stopping the lecture (courseware.claims),\n"
        "# with the book's value and the live cell typed before it.\n"
        "import os\n\n"
        'os.environ["DLDEMOS_CLAIMS"] = "warn"'
    )
    if context:
        source += (
            "\nfrom courseware.claims import class_context\n\n"
            f"class_context({pprint.pformat(context, width=88, sort_dicts=True)})"
        )
    cell = new_code_cell(
        source, metadata={"tags": ["remove-cell"], "jupyter": {"source_hidden": True}}
    )
    cell.id = CLAIMS_WARN_CELL_ID
    return cell


# a claim's line as claim() prints it: "✓ <sentence> (value=<v> <threshold>, ...)"
_HELD = re.compile(r"^✓ (?P<sentence>.*?) \(value=(?P<value>.*?) (?:[<>≈] |in \()")


def _claimed_sentences(source: str) -> list[str]:
    """The literal sentences of the ``claim(...)`` calls in a cell's source."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: no claims to find there
        return []
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "claim"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    ]


def _bound_names(source: str) -> set[str]:
    """The names a cell defines or assigns (functions, classes, variables)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for statement in tree.body:  # the cell's own names, not those inside its functions
        if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(statement.name)
            continue
        targets = {
            ast.Assign: lambda node: node.targets,
            ast.AugAssign: lambda node: [node.target],
            ast.AnnAssign: lambda node: [node.target],
            ast.For: lambda node: [node.target, *node.body],
        }.get(type(statement), lambda node: [])(statement)
        names |= {
            node.id
            for target in targets
            for node in ast.walk(target)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store)
        }
    return names


def _read_names(source: str) -> set[str]:
    """The names a cell reads (also inside its functions), less those it binds itself."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    read = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    return read - _bound_names(source)


def _feeds(notebook, live: int, claim: int, skipped: set[int]) -> bool:
    """Whether what the live cell binds flows into the claim: through the cells between them
    (neither typed nor checks) that read a name bound from it, and are not overwritten."""
    carried = _bound_names(notebook.cells[live].source)
    for index in range(live + 1, claim):
        cell = notebook.cells[index]
        if index in skipped or cell.cell_type != "code":
            continue
        if _read_names(cell.source) & carried:
            carried |= _bound_names(cell.source)
        else:
            carried -= _bound_names(cell.source)
    return bool(_read_names(notebook.cells[claim].source) & carried)


def class_context(
    notebook, live_positions: list[int], executed=None, check_positions: tuple = ()
) -> dict[str, dict]:
    """For each checked sentence of a chapter: the value the book's run gave (from the
    executed chapter, where given) and the last live cell before its claim whose result
    the claim rests on (a name it binds is used on the way), as the live notebook numbers
    them (its first cell is :func:`claims_warn_cell`); None where no typed cell feeds it."""
    skipped = set(live_positions) | set(check_positions)
    context: dict[str, dict] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "claim(" not in cell.source:
            continue
        feeding = [
            number
            for number, live in enumerate(live_positions, 1)
            if live < index and _feeds(notebook, live, index, skipped)
        ]
        where = (
            f"live cell {feeding[-1]}, cell {live_positions[feeding[-1] - 1] + 2} of the notebook"
            if feeding
            else None
        )
        for sentence in _claimed_sentences(cell.source):
            context[sentence] = {"book": None, "live_cell": where}
        if executed is None:
            continue
        for output in executed.cells[index].get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            for line in text.splitlines():
                held = _HELD.match(line)
                if held:
                    context[held["sentence"]] = {"book": held["value"], "live_cell": where}
    return context


def claim_warnings(executed) -> list[str]:
    """The warnings of claims that did not hold in an executed notebook (``DLDEMOS_CLAIMS=warn``),
    one line each: the sentence and this run's numbers."""
    from courseware.claims import WARN_EXPLANATION

    lines = []
    for cell in executed.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            lines += [
                line.replace(WARN_EXPLANATION, "")
                for line in text.splitlines()
                if line.startswith("⚠")
            ]
    return lines
