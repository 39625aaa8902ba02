"""Feedback that names the mistake: a failed test compared with the classic mistakes of its answer.

Each homework keeps, beside its source notebook, ``solutions/<hw>/mistakes.json``: for every
answer cell the classic mistakes students make (from the chapter's own warnings, the usual
errors of the Deep Learning Specialization's forums and our own attempts), each written as
text edits of the solution and a one-line description::

    [{"function": "rmsprop_step", "description": "puts eps inside the square root",
      "edits": [["np.sqrt(s) + eps", "np.sqrt(s + eps)"]], "names": "eps.*outside"}, ...]

The file is trusted and never released (``nbgrader_config.py`` ignores it: its edits quote the
solution). When a student loses the points of a test cell, the grader runs the solution with
each classic mistake put in (all of them in one run, once per grading run, in the sandbox like
every other run) and compares what the student's test cell recorded with what the test cell
recorded for each mistake of that answer (equality of records, below). Only when every record
agrees, and both runs ended the same way, does the feedback name the mistake. Records are
values, not code, so a student who made the same mistake in other words is recognised too;
a failure that matches no known mistake keeps its plain message: the diagnosis never guesses.

Nobody lists every mistake, so the list is only the first half of the error model: the second
is generated from the solution itself (:mod:`courseware.mutants`): every answer cell's small
edits -- ``beta`` for ``1 - beta``, a term left out, the square root around the wrong thing, an
update in the wrong order, a copy instead of an in-place update... -- each with a sentence made
from the edit ("your `s` uses `g` where the solution uses `g ** 2`"). They are observed in the
same run as the listed mistakes, after them: a listed mistake, with its teacher's sentence,
wins where both agree with the student's records.

Agreement is equality of two records (the same checks reaching the same values, NaN and
infinities included, dtypes and shapes too), not a verdict: a check that the student's value
is true agrees with a mistake whose value was false in the same way. A graded test cell goes
on after a failed check (up to :data:`courseware.checks.MAX_FAILURES`), so the records
compared go past the first failure: two mistakes that fail the same first check alike but
differ later are told apart.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import re
import threading
import tokenize
from dataclasses import dataclass, replace
from pathlib import Path

import nbformat
import numpy as np
from traitlets.log import get_logger

from courseware.grading.runner import nbgrader_meta
from courseware.mutants import mutants

FILE = "mistakes.json"


@dataclass(frozen=True)
class Mistake:
    """One classic mistake in the answer cell ``function``.

    ``names`` is a regular expression for the words of a test's own hint that name the mistake
    too; the tests use it for the mistakes no record can tell apart (an answer that draws from
    NumPy's unseeded global generator gives other values in every run)."""

    function: str
    description: str
    edits: tuple[tuple[str, str], ...]
    names: str = ""
    generated: bool = False
    kind: str = ""  # a generated mistake's kind of edit (courseware.mutants)
    alternatives: tuple[str, ...] = ()  # generated mistakes that agree with the student as well

    @property
    def sentence(self) -> str:
        """What the feedback says, before the test's own message."""
        if self.alternatives:
            return (
                "Looks like one of these mistakes: "
                + "; or ".join((self.description, *self.alternatives))
                + "."
            )
        if self.generated:
            return f"Looks like this mistake: {self.description}."
        return f"Looks like a classic mistake: the answer {self.description}."

    def apply(self, source: str) -> str:
        """The solution's code of the answer cell with this mistake made."""
        for old, new in self.edits:
            if old not in source:
                raise ValueError(
                    f"mistake {self.description!r}: the solution of {self.function} no longer "
                    f"contains {old!r}; update {FILE}"
                )
            source = source.replace(old, new)
        return source


def load_mistakes(folder: Path) -> list[Mistake]:
    """The classic mistakes listed in ``folder/mistakes.json`` (none when it does not exist)."""
    path = Path(folder) / FILE
    if not path.is_file():
        return []
    entries = json.loads(path.read_text())
    return [
        Mistake(
            e["function"],
            e["description"],
            tuple(tuple(edit) for edit in e["edits"]),
            e.get("names", ""),
        )
        for e in entries
    ]


def generated_mistakes(source: nbformat.NotebookNode, per_answer: int = 150) -> list[Mistake]:
    """Mistakes made mechanically from every answer cell of the solution (at most
    ``per_answer`` each): the error model for the mistakes nobody listed."""
    found = []
    for cell in source.cells:
        meta = nbgrader_meta(cell)
        if cell.cell_type == "code" and meta.get("solution") and meta.get("grade_id"):
            found += [
                Mistake(
                    meta["grade_id"],
                    m.description,
                    ((cell.source, m.source),),
                    generated=True,
                    kind=m.kind,
                )
                for m in mutants(cell.source, limit=per_answer)
            ]
    return found


def answer_of_each_test(source: nbformat.NotebookNode) -> dict[str, str]:
    """test cell grade_id -> the grade_id of the answer cell it tests (the one just above it)."""
    answers, last = {}, None
    for cell in source.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution"):
            last = meta.get("grade_id")
        elif meta.get("grade") and last is not None:
            answers[meta["grade_id"]] = last
    return answers


class Diagnosis:
    """Names the classic mistake behind a failed test cell, for one notebook's grader.

    ``run`` is the grader's trusted way of running a notebook in the sandbox: it takes a
    notebook and returns ``(executed notebook, records by test cell, seconds, trouble)``.
    All the mistakes are observed in one run, the first time a diagnosis is asked for: the
    solution runs, then for each mistake its answer is redefined with the mistake, a copy of
    its test cell runs (recorded as ``<test grade_id>@<k>``) and the right answer is restored.
    A mistake that no longer fits the solution (its edit or its answer cell gone) is left out,
    with a warning in the grading log: a stale list never stops grading.
    """

    def __init__(self, source: nbformat.NotebookNode, mistakes: list[Mistake], run, cell_error):
        self.source, self.mistakes, self.run, self.cell_error = source, mistakes, run, cell_error
        self.answer_of = answer_of_each_test(source)
        self.answers = {
            nbgrader_meta(c).get("grade_id"): c.source
            for c in source.cells
            if c.cell_type == "code" and nbgrader_meta(c).get("solution")
        }
        self._edits: dict[int, dict[str, set[int]]] = {}
        self._word_edits: dict[int, list[set[int]]] = {}
        self._mistake_words: dict[int, list[str] | None] = {}
        self._observed: tuple[dict, dict] | None = None
        self._lock = threading.Lock()

    def _probe_notebook(self) -> nbformat.NotebookNode:
        notebook = nbformat.from_dict(self.source)
        answers = {
            nbgrader_meta(c).get("grade_id"): c
            for c in notebook.cells
            if nbgrader_meta(c).get("solution")
        }
        tests = {
            self.answer_of[nbgrader_meta(c)["grade_id"]]: c
            for c in notebook.cells
            if nbgrader_meta(c).get("grade") and nbgrader_meta(c)["grade_id"] in self.answer_of
        }
        for k, mistake in enumerate(self.mistakes):
            try:
                answer, test = answers[mistake.function], tests[mistake.function]
                wrong = mistake.apply(answer.source)
            except (
                KeyError,
                ValueError,
            ) as stale:  # the solution changed since the file was written
                get_logger().warning(
                    "%s: mistake %r is left out of the feedback: %s",
                    FILE,
                    mistake.description,
                    stale
                    if isinstance(stale, ValueError)
                    else f"no answer cell {mistake.function!r}",
                )
                continue
            # ids from k, not random: the same mistakes make the same notebook (and the grader
            # finds its run in the grading cache)
            probe = nbformat.v4.new_code_cell(test.source, id=f"mistake-{k}-test")
            probe.metadata["nbgrader"] = {
                **nbgrader_meta(test),
                "grade_id": f"{nbgrader_meta(test)['grade_id']}@{k}",
            }
            notebook.cells += [
                nbformat.v4.new_code_cell(wrong, id=f"mistake-{k}"),
                probe,
                nbformat.v4.new_code_cell(answer.source, id=f"mistake-{k}-undone"),
            ]
        return notebook

    def _kept(self, k: int, answer: str) -> bool:
        """The student's ``answer`` did not make mistake ``k``'s edit: it has the lines that
        the edit changes unchanged in their place, or it changed the lines that the edit
        leaves out (a student who wrote ``backward(Y_hat)`` did not leave the line out), or,
        for a generated mistake, it kept the words the edit changes in one of its places
        (``1 / sqrt(a) * sqrt(b)`` keeps the ``*`` that ``1 / sqrt(a / b)`` changes)."""
        mistake = self.mistakes[k]
        solution = self.answers[mistake.function]
        if k not in self._edits:
            self._edits[k] = line_changes(solution, mistake.apply(solution))
        edit, mine = self._edits[k], line_changes(solution, answer)
        edited = edit["replace"] | edit["delete"]
        if edited and (
            edited <= mine["equal"] or bool(edit["delete"]) and edit["delete"] <= mine["replace"]
        ):
            return True
        # ... or, for a generated mistake (its sentence tells the code's edit, not what it
        # means: a listed one may be made in other words, `exp(log(x))` for `x`), the words
        # of one of the places its edit changes (an edit made in every copy of `start` is not
        # the student's who changed two of four)
        if not mistake.generated:
            return False
        if k not in self._word_edits:
            self._word_edits[k] = word_edits(solution, mistake.apply(solution))[0]
        kept = word_edits(solution, answer)[1]
        return any(block <= kept for block in self._word_edits[k])

    def _written(self, k: int) -> list[str] | None:
        """The words of generated mistake ``k``'s code (None for a listed one: its edit is
        one way of making it among others)."""
        mistake = self.mistakes[k]
        if not mistake.generated:
            return None
        if k not in self._mistake_words:
            self._mistake_words[k] = _words(mistake.apply(self.answers[mistake.function]))
        return self._mistake_words[k]

    def observe(self) -> tuple[dict, dict]:
        """(records, error name) by probe id ``<test grade_id>@<k>``, from one run."""
        with self._lock:
            if self._observed is None:
                executed, records, _, _ = self.run(self._probe_notebook())
                errors = {
                    nbgrader_meta(c).get("grade_id"): _error_name(self.cell_error(c))
                    for c in (executed.cells if executed else [])
                    if nbgrader_meta(c).get("grade")
                }
                self._observed = (records, errors)
            return self._observed

    def name(
        self,
        test_id: str,
        records: list[dict] | None,
        error: str,
        reference: list[dict] | None = None,
        answer: str | None = None,
    ) -> Mistake | None:
        """The classic mistake whose run recorded exactly what the student's did in ``test_id``.

        ``reference`` is what the solution's run recorded there: where the student's records
        differ from it only in true/false checks, they say little (one bit each, and many
        mistakes fail the same condition), so such a run names a mistake only when no other
        mistake agrees as well. ``answer``, the student's code of the answer cell, rules out a
        mistake whose edit the student did not make: two mistakes can record the same (a
        gradient of zero from the wrong labels, and from steps in the wrong order), but a
        student who kept the solution's lines where the edit goes made another one."""
        function = self.answer_of.get(test_id)
        if (
            records is None
            or function is None
            or not any(m.function == function for m in self.mistakes)
        ):
            return None
        observed, errors = self.observe()
        # where a check already recorded the failure, the error the cell ended with comes
        # after it (the cell goes on) and may be a second mistake: the first one is named
        recorded = reference is not None and bool(_differing(records, reference))
        agreeing = [
            k
            for k, mistake in enumerate(self.mistakes)
            if mistake.function == function
            and _agree(records, observed.get(f"{test_id}@{k}"))
            and (recorded or _error_name(error) == errors.get(f"{test_id}@{k}", ""))
            and not (answer is not None and self._kept(k, answer))
        ]
        if not agreeing:
            return None
        words = _words(answer) if answer is not None else None
        exact = [k for k in agreeing if words is not None and self._written(k) == words]
        if exact:  # the student's code is a generated mistake's, word for word: that one
            agreeing = [k for k in agreeing if not self.mistakes[k].generated] + exact
        matching = [self.mistakes[k] for k in agreeing]
        says_little = _differs_only_in_conditions(records, reference)
        # a listed mistake, with its teacher's sentence, wins where it agrees
        listed = list(dict.fromkeys(m.description for m in matching if not m.generated))
        if listed:
            if says_little and len(listed) > 1:
                return None
            return next(m for m in matching if not m.generated)
        ranked = sorted(matching, key=lambda m: RANK.index(m.kind) if m.kind in RANK else len(RANK))
        descriptions = list(dict.fromkeys(m.description for m in ranked))
        if says_little and len(descriptions) > 1:
            return None
        if len(descriptions) > 1:
            # generated edits the tests cannot tell apart: the two likeliest are named, never
            # a guess between them
            return replace(ranked[0], alternatives=(descriptions[1],))
        return ranked[0]


# which of several generated edits that agree with a student is the likelier mistake: the
# specific ones first (an update made on a copy, two steps in the wrong order, eps inside the
# square root), the generic ones last (a line left out, a constant changed)
RANK = [
    "in place",
    "order",
    "loop",
    "accumulate",
    "arguments",
    "ratio",
    "name",
    "sqrt",
    "norm",
    "complement",
    "off by one",
    "index",
    "return",
    "argument",
    "default",
    "comparison",
    "condition",
    "tolerance",
    "parentheses",
    "power",
    "call",
    "function",
    "rounding",
    "axis",
    "transpose",
    "dtype",
    "keepdims",
    "start",
    "term",
    "factor",
    "operator",
    "sign",
    "line",
    "constant",
]


def code_lines(source: str) -> list[str]:
    """The lines of ``source`` that hold code, comments, blank lines and ``pass`` left out
    (a line a mutant leaves out reads ``pass``), each as its indentation and its code without
    spaces: ``"    v=beta*v"`` (``v = beta*v`` is the same line)."""
    lines = []
    for line in source.splitlines():
        code = _COMMENT.sub(r"\1", line)
        if code.strip() and code.strip() != "pass":
            indent = len(code) - len(code.lstrip())
            lines.append(" " * indent + "".join(code.split()))
    return lines


# a comment: a '#' with an even number of quotes before it (not inside a string)
_COMMENT = re.compile(r"""^((?:[^#'"]|'[^']*'|"[^"]*")*)#.*$""")


def line_changes(solution: str, other: str) -> dict[str, set[int]]:
    """How ``other`` differs from ``solution``, line by line: the indices of the solution's
    code lines (:func:`code_lines`) that it keeps in place (``"equal"``), changes
    (``"replace"``) and leaves out (``"delete"``)."""
    matcher = difflib.SequenceMatcher(None, code_lines(solution), code_lines(other), autojunk=False)
    changes: dict[str, set[int]] = {"equal": set(), "replace": set(), "delete": set()}
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag in changes:
            changes[tag].update(range(i1, i2))
    return changes


def _words(source: str) -> list[str] | None:
    """The tokens of ``source`` that carry meaning, numbers and strings by their value
    (``1e-6`` is ``1e-06``); comments, line breaks, indentation, parentheses and ``pass`` left
    out. None where it does not tokenize."""
    words = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.NUMBER, tokenize.STRING):
                try:
                    words.append(repr(ast.literal_eval(token.string)))
                except (ValueError, SyntaxError):
                    words.append(token.string)
            elif token.type in (tokenize.NAME, tokenize.OP) and token.string not in _TRIVIA:
                words.append(token.string)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return None
    return words


_TRIVIA = ("pass", "(", ")")


def word_edits(solution: str, other: str) -> tuple[list[set[int]], set[int]]:
    """How ``other`` differs from ``solution`` word by word (:func:`_words`): the blocks of
    the solution's words it changes or leaves out, one set of indices per place, and the
    indices of the words it keeps. Nothing where either does not tokenize."""
    mine, theirs = _words(solution), _words(other)
    if mine is None or theirs is None:
        return [], set()
    blocks, kept = [], set()
    matcher = difflib.SequenceMatcher(None, mine, theirs, autojunk=False)
    for tag, i1, i2, _, _ in matcher.get_opcodes():
        if tag == "equal":
            kept.update(range(i1, i2))
        elif tag in ("replace", "delete"):
            blocks.append(set(range(i1, i2)))
    return blocks, kept


def _differs_only_in_conditions(records: list[dict], reference: list[dict] | None) -> bool:
    """Every record where the student's run departs from the solution's is a true/false
    check (without the solution's records: the run ends in a failed one)."""
    if reference is None:
        return (
            bool(records) and records[-1].get("kind") == "true" and records[-1].get("got") is False
        )
    differing = _differing(records, reference)
    return bool(differing) and all(r.get("kind") == "true" for r in differing)


def _differing(records: list[dict], reference: list[dict]) -> list[dict]:
    """The student's records that depart from the solution's at the same place."""
    return [mine for mine, theirs in zip(records, reference) if not _agree([mine], [theirs])]


def _error_name(error: str) -> str:
    """The error a run ended with, as its first line (``"ValueError: math domain error"``):
    two runs that raised the same class with other messages (a guard's against the math
    module's) made other mistakes; "" for no error."""
    if not error or not error.strip():
        return ""
    return re.sub(r"0x[0-9a-fA-F]+", "0x...", error.strip().splitlines()[0].strip())


def _agree(student: list[dict], mistaken: list[dict] | None) -> bool:
    """The two runs of a test cell recorded the same checks with the same values."""
    if mistaken is None or len(student) != len(mistaken):
        return False
    return all(
        mine.get("kind") == theirs.get("kind")
        and mine.get("what") == theirs.get("what")
        and _same(
            mine.get("got"), theirs.get("got"), theirs.get("rtol", 1e-9), theirs.get("atol", 1e-12)
        )
        for mine, theirs in zip(student, mistaken)
    )


def _same(a, b, rtol: float, atol: float) -> bool:
    """Equal values: numbers within the tolerance (NaN equals NaN, an infinity only itself),
    the same shape and dtype kind for arrays, containers item by item, the rest with ``==``."""
    if isinstance(b, dict):
        return (
            isinstance(a, dict)
            and a.keys() == b.keys()
            and all(_same(a[k], b[k], rtol, atol) for k in b)
        )
    if isinstance(b, (list, tuple)) and not _is_numeric(b):
        return (
            isinstance(a, (list, tuple))
            and len(a) == len(b)
            and all(_same(x, y, rtol, atol) for x, y in zip(a, b))
        )
    if _is_numeric(b) and _is_numeric(a):
        x, y = np.asarray(a), np.asarray(b)
        if (
            x.shape != y.shape
            or x.dtype.kind != y.dtype.kind
            or isinstance(a, bool) != isinstance(b, bool)
        ):
            return False
        return bool(np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True))
    try:
        return bool(a == b) and type(a) is type(b)
    except Exception:  # noqa: BLE001 (values that cannot be compared do not agree)
        return False


def _is_numeric(value) -> bool:
    if isinstance(value, (str, bytes, dict)):
        return False
    try:
        array = np.asarray(value)
    except Exception:  # noqa: BLE001
        return False
    return array.dtype != object and array.dtype.kind in "biufc"
