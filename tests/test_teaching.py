"""make live and make slides (courseware.teaching, courseware.slides): live notebooks, notes, decks.

The live-notebook tests run on a small synthetic chapter written here and on every chapter of
the book that has live cells: the emptied cells are exactly the tagged ones; the notes' answers
pasted back reproduce the chapter's checks; each check fails on a wrong answer.
"""

from __future__ import annotations

import base64
import os
import re
import zlib
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from courseware.live import CLAIMS_WARN_CELL_ID
from courseware.questionnaire import (
    ANSWERS_ID,
    QUESTIONS_ID,
    answers_of,
    check_answers,
    questionnaire,
    questionnaire_problems,
    written_number,
)
from courseware.slides import chapter_slides, deck_html, pdf_problems, slide_warnings
from courseware.teaching import (
    BOOK,
    CHECK_TAG,
    LIVE_TAG,
    chapters,
    check_cell,
    live_cells,
    live_notebook,
    live_problems,
    plan_objectives,
    slow_cells,
    write_live,
)

CELL_SECONDS = float(os.environ.get("DLDEMOS_LIVE_CELL_SECONDS", "10"))  # raise on a busy machine


def _live(prompt, say=("point one", "point two"), ask="What happens?", misconception="A myth."):
    return {"prompt": prompt, "say": list(say), "ask": ask, "misconception": misconception}


def synthetic_chapter() -> nbformat.NotebookNode:
    """A chapter in miniature: two live cells (a function and a value), each used and checked."""
    cells = [
        new_markdown_cell(
            "# Averages in miniature\n\nThe EWMA $v_t = \\beta v_{t-1} + (1-\\beta)\\theta_t$."
        ),
        new_code_cell(
            "%matplotlib inline\nimport numpy as np\nimport matplotlib.pyplot as plt\n"
            "from dldemos.averages import ewma\nfrom courseware.live import check_live\n"
            "temperatures = np.linspace(0.0, 20.0, 30)"
        ),
        new_markdown_cell(
            "## The EWMA from scratch\n\n$$v_t = \\beta v_{t-1} + (1 - \\beta)\\theta_t$$"
        ),
        new_code_cell(
            "def my_ewma(x, beta):\n    v, averages = 0.0, []\n    for theta in x:\n"
            "        v = beta * v + (1 - beta) * theta\n        averages.append(v)\n"
            "    return np.array(averages)",
            metadata={
                "tags": [LIVE_TAG],
                "live": _live("# my_ewma(x, beta): the EWMA of x, v_0 = 0"),
            },
        ),
        new_code_cell(
            "smoothed = my_ewma(temperatures, 0.9)\nplt.plot(temperatures)\nplt.plot(smoothed)\n"
            "print(f'last average: {smoothed[-1]:.2f}')"
        ),
        new_code_cell(
            "check_live('ewma, beta=0.9', my_ewma(temperatures, 0.9), ewma(temperatures, 0.9))",
            metadata={"tags": [CHECK_TAG]},
        ),
        new_markdown_cell("### Bias correction\n\nDivide by $1 - \\beta^t$."),
        new_code_cell(
            "beta = 0.9\ncorrected = smoothed / (1 - beta ** np.arange(1, len(smoothed) + 1))",
            metadata={
                "tags": [LIVE_TAG],
                "live": _live("# corrected: smoothed with bias correction"),
            },
        ),
        new_code_cell("print(f'first corrected average: {corrected[0]:.2f}')"),
        new_code_cell(
            "check_live('bias-corrected ewma', corrected,\n"
            "           ewma(temperatures, 0.9, bias_correction=True))",
            metadata={"tags": [CHECK_TAG]},
        ),
        new_code_cell("print('a hidden claim')", metadata={"tags": ["remove-input"]}),
        *synthetic_questionnaire(),
    ]
    return new_notebook(
        cells=cells,
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )


SYNTHETIC_QUESTIONS = [
    "What does bias correction divide $v_3$ by when $\\beta = 0.9$?",
    "Why do the first averages of an EWMA started at $v_0 = 0$ lie too low?",
    "About how many values does an EWMA with $\\beta = 0.9$ average?",
    "What does the EWMA keep in memory?",
    "Which $\\beta$ follows a quickly changing curve more closely, 0.9 or 0.98?",
]


def synthetic_questionnaire(first_answer="1 - 0.9^3 = **0.271**") -> list:
    """The questions that end the synthetic chapter, and their hidden, checked answers."""
    questions = "\n".join(f"{n}. {q}" for n, q in enumerate(SYNTHETIC_QUESTIONS, start=1))
    answers = (
        "from courseware.questionnaire import check_answers\n\n"
        "ANSWERS = {\n"
        f"    1: ({first_answer!r}, 1 - beta**3),\n"
        "    2: ('v_0 = 0 weighs in with weight beta^t, pulling them towards 0.', None),\n"
        "    3: ('About 1 / (1 - 0.9) = **10** values.', 1 / (1 - 0.9)),\n"
        "    4: ('One number per averaged variable.', None),\n"
        "    5: ('0.9: its window is shorter.', None),\n"
        "}\n"
        "check_answers(ANSWERS)"
    )
    return [
        new_markdown_cell(
            "## Check your understanding\n\n" + questions,
            metadata={"slides": {"skip": True}},
            id=QUESTIONS_ID,
        ),
        new_code_cell(answers, metadata={"tags": ["remove-cell"]}, id=ANSWERS_ID),
    ]


def _chapters_with_live_cells() -> list:
    found = [path for path in chapters() if live_cells(nbformat.read(path, as_version=4))]
    return found or [
        pytest.param(None, marks=pytest.mark.skip(reason="no chapter has live cells yet"))
    ]


@pytest.fixture
def synthetic_path(tmp_path) -> Path:
    path = tmp_path / "book" / "01_synthetic.ipynb"
    path.parent.mkdir()
    nbformat.write(synthetic_chapter(), path)
    return path


# ---- the live notebook: exactly the tagged cells emptied --------------------------------


def _assert_emptied_exactly_the_tagged_cells(chapter: Path, out_dir: Path) -> None:
    source = nbformat.read(chapter, as_version=4)
    live_path, notes_path = write_live(chapter, out_dir)
    live = nbformat.read(live_path, as_version=4)
    _assert_claims_warn_first(live)
    live.cells = live.cells[1:]
    assert ANSWERS_ID not in [cell.get("id") for cell in live.cells], "answers in the notes only"
    source.cells = [cell for cell in source.cells if cell.get("id") != ANSWERS_ID]
    assert len(live.cells) == len(source.cells)
    for index, (mine, theirs) in enumerate(zip(live.cells, source.cells)):
        where = f"{chapter.name}, cell {index + 1}"
        assert (mine.cell_type, mine.get("id")) == (theirs.cell_type, theirs.get("id")), where
        if LIVE_TAG in theirs.metadata.get("tags", []):
            assert mine.source == theirs.metadata["live"]["prompt"].strip(), where
            assert len(mine.source.splitlines()) == 1 and mine.source.startswith("#"), where
        else:
            assert mine.source == theirs.source, where
        if mine.cell_type == "code":
            assert mine.outputs == [] and mine.execution_count is None, where
        assert {key: value for key, value in mine.metadata.items() if key != "execution"} == {
            key: value for key, value in theirs.metadata.items() if key != "execution"
        }, where
    assert notes_path.is_file()


def _assert_claims_warn_first(live) -> None:
    """A live notebook starts with a hidden cell that makes checked claims warn in class."""
    first = live.cells[0]
    assert first.get("id") == CLAIMS_WARN_CELL_ID and first.cell_type == "code"
    assert 'os.environ["DLDEMOS_CLAIMS"] = "warn"' in first.source
    assert "remove-cell" in first.metadata["tags"] and first.metadata["jupyter"]["source_hidden"]


def test_live_notebook_empties_exactly_the_tagged_cells(synthetic_path, tmp_path):
    _assert_emptied_exactly_the_tagged_cells(synthetic_path, tmp_path / "live")
    live = nbformat.read(tmp_path / "live" / synthetic_path.name, as_version=4)
    assert [cell.source for cell in live.cells if cell.source.startswith("# my_ewma")] == [
        "# my_ewma(x, beta): the EWMA of x, v_0 = 0"
    ]


@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.stem)
def test_every_chapter_gives_a_live_notebook(chapter, tmp_path):
    """Also chapters without live cells: prose and code kept, outputs cleared."""
    notebook = nbformat.read(chapter, as_version=4)
    assert live_problems(notebook, chapter.stem) == []
    assert not live_cells(notebook) or 3 <= len(live_cells(notebook)) <= 8, "3 to 8 live cells"
    _assert_emptied_exactly_the_tagged_cells(chapter, tmp_path)


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda cell: cell.metadata.pop("live"), "no 'live' metadata"),
        (lambda cell: cell.metadata["live"].update(prompt="my_ewma"), "one-line '# ...' comment"),
        (lambda cell: cell.metadata["live"].update(say="one point"), "live.say must be a list"),
        (lambda cell: cell.metadata["live"].pop("misconception"), "live.misconception"),
        (lambda cell: setattr(cell, "source", "\n".join(["x = 1"] * 11)), "11 lines, more than 10"),
    ],
)
def test_a_broken_live_cell_is_named(breakage, message):
    notebook = synthetic_chapter()
    breakage(notebook.cells[3])
    problems = live_problems(notebook, "01_synthetic")
    assert any(
        message in problem and "01_synthetic, live cell 4" in problem for problem in problems
    ), problems
    with pytest.raises(ValueError, match="01_synthetic, live cell 4"):
        live_notebook(notebook, "01_synthetic")


def test_a_live_cell_needs_its_check():
    notebook = synthetic_chapter()
    notebook.cells[5].metadata["tags"] = []
    assert check_cell(notebook, 3) is None
    assert any("no cell tagged 'live-check'" in problem for problem in live_problems(notebook, "x"))


# ---- the instructor's notes -------------------------------------------------------------


def answers_from_notes(text: str) -> list[str]:
    """The answers of a notes file, in order: the fenced block under each '### Answer'."""
    blocks = re.findall(r"^### Answer\n\n(`{3,})python\n(.*?)\n\1$", text, flags=re.M | re.S)
    return [code for _, code in blocks]


def test_notes_give_answer_points_question_misconception_and_plan(synthetic_path, tmp_path):
    plans = tmp_path / "lectures"
    plans.mkdir()
    (plans / "01_synthetic.md").write_text("# Lecture plan\n")
    import courseware.teaching as teaching

    _, notes_path = teaching.write_live(synthetic_path, tmp_path / "live", lectures=plans)
    notes = notes_path.read_text(encoding="utf-8")
    notebook = synthetic_chapter()
    assert answers_from_notes(notes) == [notebook.cells[i].source for i in live_cells(notebook)]
    for index in live_cells(notebook):
        live = notebook.cells[index].metadata["live"]
        for text in [
            *live["say"],
            live["ask"],
            live["misconception"],
            notebook.cells[index + 2].source,
        ]:
            assert text in notes
    assert "[01_synthetic.md](../lectures/01_synthetic.md)" in notes
    _, notes_path = teaching.write_live(
        synthetic_path, tmp_path / "live", lectures=tmp_path / "none"
    )
    assert "Lecture plan: none yet" in notes_path.read_text(encoding="utf-8")


# ---- the questionnaire that ends every chapter ------------------------------------------


@pytest.mark.parametrize("chapter", chapters(), ids=lambda path: path.stem)
def test_every_chapter_ends_with_a_questionnaire_answered_in_the_notes(chapter, tmp_path):
    notebook = nbformat.read(chapter, as_version=4)
    assert questionnaire_problems(notebook, chapter.stem) == []
    _, questions, answers = questionnaire(notebook)
    _, notes_path = write_live(chapter, tmp_path)
    notes = notes_path.read_text(encoding="utf-8")
    section = notes.split("\n## Check your understanding\n", 1)[1]
    for number, question in enumerate(questions, start=1):
        text, computed = answers[number]
        assert f"{number}. {question}" in section and text in section, number
        assert computed is None or f"`{computed}`" in section, number
        if computed is not None:
            written_number(text)  # a numeric answer writes its number


def test_the_notes_give_each_question_its_answer(synthetic_path, tmp_path):
    _, notes_path = write_live(synthetic_path, tmp_path / "live")
    notes = notes_path.read_text(encoding="utf-8")
    section = notes.split("\n## Check your understanding\n", 1)[1]
    for number, question in enumerate(SYNTHETIC_QUESTIONS, start=1):
        assert f"{number}. {question}" in section
    assert "*Answer:* 1 - 0.9^3 = **0.271**" in section and "`1 - beta ** 3`" in section
    assert "*Answer:* One number per averaged variable." in section
    assert questionnaire_problems(synthetic_chapter(), "01_synthetic") == []


def _run_answers(cell_source: str, **variables) -> None:
    exec(compile(cell_source, "<answers>", "exec"), {"beta": 0.9, **variables})


@pytest.mark.parametrize(
    "written",
    ["1 - 0.9^3 = **0.272**", "**0.28**", "**0.2710** or **0.271**", "0.271 (not bold)", ""],
)
def test_a_wrong_numeric_answer_fails(written):
    """The answer cell asserts the number its text writes, to the digits written."""
    right, wrong = synthetic_questionnaire()[1], synthetic_questionnaire(written)[1]
    _run_answers(right.source)
    with pytest.raises(AssertionError, match="answer 1"):
        _run_answers(wrong.source)


def test_check_answers_names_what_is_malformed():
    check_answers({1: ("**0.27**", 0.271), 2: ("**1.5e-3**", 0.00149), 3: ("**−2**", -2.4)})
    for bad, message in [
        ({2: ("text", None)}, "numbered 1, 2"),
        ({1: "text"}, "pair"),
        ({1: (" ", None)}, "no text"),
        ({1: ("**0.5**", True)}, "must be a number"),
        ({1: ("**0.5** or **0.6**", 0.5)}, "once in bold"),
        ({1: ("**0.5**", float("nan"))}, "computes nan"),
        ({1: ("**1.5e-3**", 0.0016)}, "writes 0.0015"),
    ]:
        with pytest.raises(AssertionError, match=message):
            check_answers(bad)


def test_a_broken_questionnaire_is_named():
    notebook = synthetic_chapter()
    notebook.cells[-1], notebook.cells[-2] = notebook.cells[-2], notebook.cells[-1]
    assert any("last two cells" in p for p in questionnaire_problems(notebook, "x"))
    notebook = synthetic_chapter()
    notebook.cells[-1].source = notebook.cells[-1].source.replace("    5: (", "    6: (")
    assert any("expected one for each of 1..5" in p for p in questionnaire_problems(notebook, "x"))
    notebook.cells[-1].metadata["tags"] = []
    assert any("'remove-cell'" in p for p in questionnaire_problems(notebook, "x"))
    notebook.cells.pop()
    notebook.cells.pop()
    assert questionnaire_problems(notebook, "x") == [
        "x: no questionnaire (a Markdown cell with id 'check-your-understanding')"
    ]
    assert answers_of("ANSWERS = {1: ('a', None), 2: ('**2**', 1 + 1)}") == {
        1: ("a", None),
        2: ("**2**", "1 + 1"),
    }


# ---- the notes' answers pasted back: the checks pass, and catch a wrong answer ----------

# Run in the kernel after each live-check cell has passed: in forked copies of the kernel
# (the chapter's own state is never touched), the names that the live cell and the cell using
# it bound are made wrong (numbers shifted; functions and classes whose results, or in-place
# updates, are shifted), all at once and then one by one: floats first, then integers, strings
# and booleans too; the check, run again, must catch one of these wrong answers with an
# AssertionError.
KERNEL_HELPERS = r'''
def __live_shift_in_place(target):
    import numpy as np
    try:
        import torch
    except Exception:
        torch = None
    if isinstance(target, np.ndarray) and target.dtype.kind == "f" and target.flags.writeable:
        target *= 1.1
        target += 0.1
    elif torch is not None and isinstance(target, torch.Tensor) and target.is_floating_point():
        with torch.no_grad():
            target.mul_(1.1).add_(0.1)
    elif isinstance(target, (list, tuple)):
        for item in target:
            __live_shift_in_place(item)
    elif isinstance(target, dict):
        for item in target.values():
            __live_shift_in_place(item)
    elif hasattr(target, "param_groups"):                      # a torch.optim.Optimizer
        for group in target.param_groups:
            __live_shift_in_place(group["params"])
    elif type(target).__module__ == "__main__" and hasattr(target, "__dict__"):
        __live_shift_in_place(list(vars(target).values()))


def __live_wrong_callable(function, discrete):
    import functools

    @functools.wraps(function)
    def wrong(*args, **kwargs):
        result = function(*args, **kwargs)
        if result is None:                                     # it updated its arguments
            __live_shift_in_place(list(args))
            __live_shift_in_place(list(kwargs.values()))
            return None
        return __live_perturb(result, discrete)
    return wrong


def __live_perturb(value, discrete):
    import types
    import numpy as np
    try:
        import torch
    except Exception:
        torch = None
    if isinstance(value, (bool, np.bool_)):
        return not value if discrete else value
    if isinstance(value, str):
        return value + " (wrong)" if discrete else value
    if isinstance(value, (bytes, types.ModuleType)) or value is None:
        return value
    if isinstance(value, (float, np.floating)):
        return value * 1.1 + 0.1
    if isinstance(value, (int, np.integer)):
        return value + 1 if discrete else value
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value * 1.1 + 0.1
    if isinstance(value, np.ndarray) and value.dtype.kind in "iu":
        return value + 1 if discrete else value
    if torch is not None and isinstance(value, torch.Tensor):
        with torch.no_grad():
            if value.is_floating_point():
                return value.detach() * 1.1 + 0.1
            return value + 1 if discrete and value.dtype != torch.bool else value
    if isinstance(value, dict):
        return {key: __live_perturb(item, discrete) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        items = [__live_perturb(item, discrete) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)
    if isinstance(value, types.FunctionType):
        return __live_wrong_callable(value, discrete)
    if isinstance(value, type):                                # a class typed in class
        def wrong_method(method):
            def wrong(self, *args, **kwargs):
                result = method(self, *args, **kwargs)
                if result is None:
                    __live_shift_in_place(self)
                    __live_shift_in_place(list(args))
                    return None
                return __live_perturb(result, discrete)
            return wrong
        methods = {name: wrong_method(member) for name, member in vars(value).items()
                   if isinstance(member, types.FunctionType) and not name.startswith("__")}
        return type(value.__name__, (value,), methods)
    __live_shift_in_place(value)                               # an instance: shift its arrays
    return value


def __live_in_fork(prepare, check_source):
    """Run prepare() and then the check in a forked copy of the kernel (the chapter's own
    state is never touched): the outcome."""
    import io, os, select, signal, sys
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(read_end)
        sys.stdout = sys.stderr = io.StringIO()
        outcome = "NOT CAUGHT"
        try:
            prepare()
            exec(compile(check_source, "<live-check>", "exec"), globals())
        except AssertionError as error:
            outcome = f"CAUGHT: {error}"
        except BaseException as error:
            outcome = f"RAISED {type(error).__name__}: {error}"
        finally:
            os.write(write_end, outcome.encode()[:60000])
            os._exit(0)
    os.close(write_end)
    ready, _, _ = select.select([read_end], [], [], 300)
    outcome = os.read(read_end, 65536).decode(errors="replace") if ready else "TIMED OUT after 300 s"
    if not ready:
        os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    os.close(read_end)
    return outcome


def __live_attempt(check_source, wrong_names, discrete):
    """Run the check with the names made wrong: the outcome."""
    def prepare():
        for name in wrong_names:
            globals()[name] = __live_perturb(globals()[name], discrete)
    return __live_in_fork(prepare, check_source)


def __live_typed_attempt(sources, check_source):
    """Run the cells typed differently (a pitfall), then the check: the outcome."""
    def prepare():
        for source in sources:
            exec(compile(get_ipython().transform_cell(source), "<typed>", "exec"), globals())
    return __live_in_fork(prepare, check_source)


def __live_pitfall_check(pitfalls, between, check_source):
    """Each pitfall the chapter teaches, typed in the live cell: the check must name it."""
    for message, variant in pitfalls:
        outcome = __live_typed_attempt([variant, *between], check_source)
        print(f"PITFALL {message!r} -> {outcome}")


def __live_wrong_answer_check(check_source, before):
    """Every name the live cell and the cell using it bound made wrong at once, then each
    alone (functions and classes first): the first wrong answer the check catches."""
    changed = sorted((name for name, value in globals().items()
                      if not name.startswith("_") and name not in ("In", "Out", "exit", "quit", "get_ipython")
                      and before.get(name) != id(value)),
                     key=lambda name: (not callable(globals()[name]), name))
    tried = []
    for discrete in (False, True):
        for wrong_names in [changed] + [[name] for name in changed]:
            outcome = __live_attempt(check_source, wrong_names, discrete)
            if outcome.startswith("CAUGHT"):
                print(f"wrong answers for {wrong_names} -> {outcome}")
                return
            tried.append(f"{wrong_names}: {outcome}")
    print("NOT CAUGHT by any wrong answer: " + " | ".join(tried))
'''


def _pitfalls_of(chapter: str, cell_id: str) -> list[tuple[str, str]]:
    """``(message, the book's answer with the pitfall typed)`` for each pitfall the chapter
    teaches in its live cell ``cell_id`` (courseware.pitfalls)."""
    from courseware.pitfalls import LIVE_PITFALLS, variant_source

    return [
        (pitfall.message, variant_source(check, pitfall))
        for check in LIVE_PITFALLS.values()
        if (check.chapter, check.cell) == (chapter, cell_id)
        for pitfall in check.pitfalls
    ]


def _instrumented(live, answers, chapter: str = ""):
    """The live notebook with the answers pasted in, and the wrong-answer checks after each
    check cell (marked with metadata 'wrong_answer_check'), then the chapter's pitfalls typed
    in the live cell (metadata 'pitfall_check')."""
    cells = [new_code_cell(KERNEL_HELPERS, metadata={"instrument": True})]
    positions = live_cells(live)
    assert len(answers) == len(positions), "one answer in the notes per live cell"
    answer_of = dict(zip(positions, answers))
    checks = {check_cell(live, index): index for index in positions}
    for index, cell in enumerate(live.cells):
        if index in answer_of:
            cells.append(
                new_code_cell(
                    "__live_before = {name: id(value) for name, value in globals().items()}",
                    metadata={"instrument": True},
                )
            )
            cell = nbformat.from_dict({**cell, "source": answer_of[index]})
        cells.append(cell)
        if index in checks:
            call = f"__live_wrong_answer_check({cell.source!r}, __live_before)"
            cells.append(
                new_code_cell(call, metadata={"instrument": True, "wrong_answer_check": index + 1})
            )
            live_index = checks[index]
            pitfalls = _pitfalls_of(chapter, live.cells[live_index].get("id"))
            if pitfalls:
                between = [c.source for c in live.cells[live_index + 1 : index]]
                call = f"__live_pitfall_check({pitfalls!r}, {between!r}, {cell.source!r})"
                metadata = {"instrument": True, "pitfall_check": len(pitfalls)}
                cells.append(new_code_cell(call, metadata=metadata))
    return new_notebook(cells=cells, metadata=live.metadata)


def _execute_live(chapter: Path, out_dir: Path):
    """Generate the live notebook and notes, paste the notes' answers back, run it as in class."""
    from nbclient import NotebookClient

    live_path, notes_path = write_live(chapter, out_dir)
    live = nbformat.read(live_path, as_version=4)
    answers = answers_from_notes(notes_path.read_text(encoding="utf-8"))
    notebook = _instrumented(live, answers, chapter.stem)
    environment = {key: value for key, value in os.environ.items() if key != "DLDEMOS_RECOMPUTE"}
    client = NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(out_dir)}}
    )
    client.execute(env=environment)
    return live, notebook


def _text(cell) -> str:
    return "".join(
        output.get("text", "")
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream"
    )


def _assert_live_round_trip(chapter: Path, out_dir: Path) -> None:
    live, executed = _execute_live(chapter, out_dir)
    chapter_cells = [cell for cell in executed.cells if not cell.metadata.get("instrument")]
    for cell in chapter_cells:
        if CHECK_TAG in cell.metadata.get("tags", []):
            assert "✓" in _text(cell) and "matches dldemos" in _text(cell), (
                f"{chapter.name}: the check {cell.source!r} printed {_text(cell)!r}"
            )
    wrong = [cell for cell in executed.cells if cell.metadata.get("wrong_answer_check")]
    assert len(wrong) == len(live_cells(live))
    for cell in wrong:
        report = _text(cell)
        assert "CAUGHT:" in report and "NOT CAUGHT" not in report, (
            f"{chapter.name}, live cell {cell.metadata['wrong_answer_check']}: {report}"
        )
        message = report.split("CAUGHT:", 1)[1]
        assert "expected" in message or "got" in message, f"an unhelpful message: {report}"
    from courseware.pitfalls import LIVE_PITFALLS

    taught = [check for check in LIVE_PITFALLS.values() if check.chapter == chapter.stem]
    tried = [cell for cell in executed.cells if cell.metadata.get("pitfall_check")]
    assert len(tried) == len(taught), "every live cell with pitfalls has them typed and checked"
    for cell in tried:
        if cell.metadata.get("pitfall_check"):
            reports = _text(cell).strip().split("\nPITFALL ")
            assert len(reports) == cell.metadata["pitfall_check"], _text(cell)
            for report in reports:
                message, outcome = report.removeprefix("PITFALL ").split(" -> ", 1)
                assert outcome.startswith("CAUGHT: ") and eval(message) in outcome, (
                    f"{chapter.name}: the pitfall {message} typed in class is not named: {outcome}"
                )
    slow = slow_cells(new_notebook(cells=chapter_cells), CELL_SECONDS)
    assert not slow, f"{chapter.name}: cells a class would wait on (> {CELL_SECONDS} s): {slow}"


def test_synthetic_live_notebook_round_trip(synthetic_path, tmp_path):
    _assert_live_round_trip(synthetic_path, tmp_path / "live")


def test_the_wrong_answer_check_can_fail(synthetic_path, tmp_path):
    """A check that compares the reference with itself catches nothing: the test says so."""
    notebook = nbformat.read(synthetic_path, as_version=4)
    notebook.cells[
        5
    ].source = "check_live('ewma', ewma(temperatures, 0.9), ewma(temperatures, 0.9))"
    nbformat.write(notebook, synthetic_path)
    with pytest.raises(AssertionError, match="NOT CAUGHT"):
        _assert_live_round_trip(synthetic_path, tmp_path / "live")


def test_wrong_answers_are_caught_in_classes_and_in_place_updates(tmp_path):
    """A torch.optim.Optimizer subclass checked by training with it again, a NumPy step that
    updates its argument in place, a function that names things: all made wrong, all caught."""
    cells = [
        new_markdown_cell("# Optimizers in miniature"),
        new_code_cell(
            "import numpy as np\nimport torch\nfrom courseware.live import check_live\n"
            "def final_weight(optimizer_class):\n    torch.manual_seed(0)\n"
            "    w = torch.nn.Parameter(torch.randn(3))\n    optimizer = optimizer_class([w], lr=0.1)\n"
            "    for _ in range(5):\n        optimizer.zero_grad()\n        (w ** 2).sum().backward()\n"
            "        optimizer.step()\n    return w.detach().numpy()"
        ),
        new_code_cell(
            "class MySGD(torch.optim.Optimizer):\n    def __init__(self, params, lr):\n"
            "        super().__init__(params, {'lr': lr})\n\n    @torch.no_grad()\n"
            "    def step(self):\n        for group in self.param_groups:\n"
            "            for p in group['params']:\n                p -= group['lr'] * p.grad",
            metadata={
                "tags": [LIVE_TAG],
                "live": _live("# MySGD: a torch.optim.Optimizer doing plain SGD"),
            },
        ),
        new_code_cell("print(final_weight(MySGD))"),
        new_code_cell(
            "check_live('MySGD', final_weight(MySGD), final_weight(torch.optim.SGD))",
            metadata={"tags": [CHECK_TAG]},
        ),
        new_code_cell(
            "def sgd_step_(theta, gradient, alpha):\n    theta -= alpha * gradient",
            metadata={
                "tags": [LIVE_TAG],
                "live": _live("# sgd_step_(theta, gradient, alpha), in place"),
            },
        ),
        new_code_cell("theta = np.ones(3)\nsgd_step_(theta, np.ones(3), 0.1)\nprint(theta)"),
        new_code_cell(
            "moved = np.ones(3)\nsgd_step_(moved, np.ones(3), 0.1)\n"
            "check_live('in-place step', moved, np.full(3, 0.9))",
            metadata={"tags": [CHECK_TAG]},
        ),
        new_code_cell(
            "def kind(curvature):\n    return 'minimum' if curvature > 0 else 'saddle'",
            metadata={
                "tags": [LIVE_TAG],
                "live": _live("# kind(curvature): 'minimum' or 'saddle'"),
            },
        ),
        new_code_cell("kinds = [kind(c) for c in (2.0, -1.0)]\nprint(kinds)"),
        new_code_cell(
            "check_live('kinds', [kind(c) for c in (2.0, -1.0)], ['minimum', 'saddle'])",
            metadata={"tags": [CHECK_TAG]},
        ),
    ]
    path = tmp_path / "06_synthetic.ipynb"
    nbformat.write(new_notebook(cells=cells, metadata=synthetic_chapter().metadata), path)
    _assert_live_round_trip(path, tmp_path / "live")


@pytest.mark.parametrize(
    "chapter", _chapters_with_live_cells(), ids=lambda path: getattr(path, "stem", "none")
)
def test_chapter_live_notebook_round_trip(chapter, tmp_path):
    """The notes' answers pasted back: every check passes, each catches a wrong answer, and no
    other cell keeps a class waiting (with the stored results of the long experiments)."""
    _assert_live_round_trip(chapter, tmp_path / "live")


# ---- slides -----------------------------------------------------------------------------

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()
POINTS = ["An average that forgets: $v_t = \\beta v_{t-1} + (1-\\beta)\\theta_t$", "One number"]


def slide_chapter() -> nbformat.NotebookNode:
    """The synthetic chapter, executed (a figure, printed output) and marked for slides: a
    section with points, a cell that opens a skipped section and a second one with points,
    and a section with no points whose only visual is a live cell."""
    notebook = synthetic_chapter()
    notebook.cells[4].outputs = [
        new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        new_output("stream", name="stdout", text="last average: 12.00\n"),
    ]
    notebook.cells[10].outputs = [new_output("stream", name="stdout", text="a hidden claim\n")]
    notebook.cells[0].metadata["slides"] = {"points": ["Smooth a noisy series"]}
    notebook.cells[2].metadata["slides"] = {"points": POINTS}
    notebook.cells += [
        new_markdown_cell(
            "Words that close the section.\n\n## Try it yourself\n\nPlay with beta.\n\n"
            "## What to remember\n\nThe EWMA keeps one number.",
            metadata={
                "slides": {"skip": True, "sections": {"What to remember": {"points": ["Cheap"]}}}
            },
        ),
        new_markdown_cell(
            "## A window by hand\n\nKeep the last three values. Then average them. "
            + " ".join(["This sentence goes on and on."] * 8)
        ),
        new_code_cell(
            "def my_window(x):\n    return x[-3:]",
            metadata={"tags": [LIVE_TAG], "live": _live("# my_window(x): the last 3 values")},
        ),
    ]
    return notebook


def _shown(deck: str) -> str:
    """The deck's HTML without its speaker notes."""
    return re.sub(r'<aside class="notes">.*?</aside>', "", deck, flags=re.S)


def test_a_slide_per_section_with_its_points_and_one_figure():
    plan = {"": ["smooth a noisy series with an EWMA and say how long its memory is"]}
    slides = chapter_slides(slide_chapter(), objectives=plan)
    assert [slide.heading for slide in slides] == [
        "Averages in miniature",
        "The EWMA from scratch",  # its ### subsection is part of it
        "What to remember",  # the second section a cell opens; "Try it yourself" is skipped
        "A window by hand",
    ]
    title, ewma, remember, window = slides
    assert title.title and title.points == ["Smooth a noisy series"]  # the title cell's
    assert "say how long its memory is" in "\n".join(title.notes)  # the plan's, in full
    assert ewma.points == POINTS and ewma.figure == f"data:image/png;base64,{PNG}"
    assert ewma.code is None and not ewma.warnings
    assert remember.points == ["Cheap"] and remember.figure is None and remember.code is None
    assert window.code == "# my_window(x): the last 3 values"  # the prompt, not the answer


def test_the_prose_and_the_live_notes_go_to_the_speaker_notes():
    notebook = slide_chapter()
    slides = chapter_slides(notebook)
    notes = "\n".join(slides[1].notes)
    for said in ("Divide by", "point one", "What happens?", "A myth.", "def my_ewma(x, beta):"):
        assert said in notes, said
    assert "Words that close the section." in notes and "Play with beta." in notes  # skipped
    assert "return x[-3:]" in "\n".join(slides[3].notes)  # the live answer
    shown = _shown(deck_html(notebook, "Averages in miniature"))
    assert shown.count("<section") == 4 and shown.count('<aside class="notes">') == 0
    for hidden in (
        "Divide by",
        "Play with beta",
        "averages.append",
        "return x[-3:]",
        "import numpy",
        "a hidden claim",
        "last average: 12.00",
    ):
        assert hidden not in shown, hidden
    assert "my_window" in shown and "An average that forgets" in shown


def test_the_title_slide_shows_the_objectives_for_the_screen_and_notes_the_plans():
    notebook = slide_chapter()
    plan = {"Lecture 1a": ["derive the bias correction"], "Lecture 1b": ["write Adam's update"]}
    deck = deck_html(notebook, "Averages in miniature", objectives=plan)
    title = deck.split("<section")[1]
    assert "After these lectures you can" in title and "Smooth a noisy series" in _shown(title)
    notes = title.split('<aside class="notes">')[1]
    assert "Lecture 1b" in notes and "write Adam's update" in notes
    assert "derive the bias correction" not in _shown(deck)  # the plan's words: notes only
    one = deck_html(notebook, "Averages in miniature", objectives={"": ["write Adam"]})
    assert "After this lecture you can" in one
    del notebook.cells[0].metadata["slides"]
    assert "After" not in _shown(deck_html(notebook, "Averages in miniature"))
    assert slide_warnings(notebook)[0] == (
        "the title 'Averages in miniature' has no slides.points: its slide shows no "
        "learning objectives"
    )


def test_every_plan_gives_its_chapters_deck_the_objectives_by_lecture():
    three, one = (next(BOOK.glob(f"{n}_*.ipynb")) for n in ("03", "01"))
    assert list(plan_objectives(three)) == ["Lecture 3a", "Lecture 3b"]
    assert all(len(items) >= 3 for items in plan_objectives(three).values())
    assert list(plan_objectives(one)) == [""] and len(plan_objectives(one)[""]) >= 3


def test_a_shown_cell_that_displays_a_table_shows_the_table_not_its_code():
    notebook = slide_chapter()
    table = new_code_cell("Markdown(header + rows)", outputs=[])
    table.id = "the-table"
    table.outputs = [
        new_output(
            "display_data",
            data={"text/markdown": "| beta | window |\n|---|---|\n| 0.9 | 10 |", "text/plain": "x"},
        )
    ]
    notebook.cells.insert(5, table)
    notebook.cells[2].metadata["slides"]["show"] = "the-table"
    ewma = chapter_slides(notebook)[1]
    assert ewma.figure is None and ewma.code is None and "<td>0.9</td>" in ewma.table
    assert '<div class="output"><table>' in _shown(deck_html(notebook, "Averages"))
    del notebook.cells[2].metadata["slides"]["show"]  # not named: the section's figure
    assert chapter_slides(notebook)[1].table is None


def test_a_long_live_prompt_is_wrapped_to_the_slide():
    notebook = slide_chapter()
    words = "keep the last three values of the series in a list and return them " * 3
    notebook.cells[-1].metadata["live"]["prompt"] = "# my_window(x): " + words
    code = chapter_slides(notebook)[-1].code.splitlines()
    assert len(code) == 3 and all(line.startswith("# ") and len(line) <= 80 for line in code)
    assert " ".join(line[2:] for line in code) == "my_window(x): " + words.strip()


def test_a_section_without_points_shows_its_first_sentences_and_says_so():
    notebook = slide_chapter()
    window = chapter_slides(notebook)[-1]
    on_and_on = ["This sentence goes on and on."] * 5  # 38 words: a sixth would pass 40
    assert window.points == ["Keep the last three values.", "Then average them.", *on_and_on]
    assert slide_warnings(notebook) == [
        "section 'A window by hand' has no slides.points: its slide shows the first "
        "sentences of its prose"
    ]
    notebook.cells[-2].source = "## Long\n\n" + "word " * 38 + "$a + b$ and more words"
    assert chapter_slides(notebook)[-1].points == ["word " * 38 + "…"]  # not cut inside $...$


def _pdf(*pages: bytes) -> bytes:
    """A PDF as Chromium writes one: a page object per page, its drawing Flate-compressed."""
    pdf = b"%PDF-1.4\n"
    for number, drawn in enumerate(pages):
        stream, page, contents = zlib.compress(drawn), 10 + 2 * number, 11 + 2 * number
        pdf += b"%d 0 obj\n<</Type /Page\n/Contents %d 0 R>>\nendobj\n" % (page, contents)
        pdf += b"%d 0 obj\n<</Filter /FlateDecode\n/Length %d>> stream\n" % (contents, len(stream))
        pdf += stream + b"\nendstream\nendobj\n"
    return pdf


def test_a_pdf_with_a_blank_page_and_no_figure_or_maths_is_noticed(tmp_path):
    deck = tmp_path / "deck.slides.html"
    deck.write_text(deck_html(slide_chapter(), "Averages"))  # 4 slides, 1 figure, maths
    pdf = tmp_path / "deck.slides.pdf"
    text, image = b"BT /F1 12 Tf (Averages) Tj ET", b"q 10 0 0 10 0 0 cm /X1 Do Q"
    pdf.write_bytes(_pdf(text, text, b"", text))
    assert pdf_problems(pdf, deck) == [
        "PDF page 3 is blank",
        "0 PDF pages show a figure, the deck has 1",
        "no typeset maths in the PDF (no MathJax font)",
    ]
    maths = b"/FontName /AAAAAA+MathJax_Main"
    pdf.write_bytes(_pdf(text, text + image, text, text) + maths)
    assert pdf_problems(pdf, deck) == []
    pdf.write_bytes(_pdf(text, text + image, text) + maths)
    assert pdf_problems(pdf, deck) == ["3 PDF pages for 4 slides"]


def test_deck_loads_only_vendored_scripts():
    html = deck_html(slide_chapter(), "Averages in miniature")
    references = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]*)"', html)
    assert references and not [url for url in references if re.match(r"(https?:)?//", url)]
    assert {
        "_static/reveal.js/dist/reveal.js",
        "_static/reveal.js/plugin/notes/notes.js",
        "_static/mathjax/tex-chtml.js",
    } <= set(references)
    assert f"data:image/png;base64,{PNG}" in html  # figures are embedded
    assert '"slideNumber": "c/t"' in html and "RevealNotes" in html


def test_slow_cells_are_named_unless_they_just_stored_a_result():
    def ran(source, seconds, printed=""):
        stamp = f"2026-01-01T00:00:{seconds:06.3f}Z"
        return new_code_cell(
            source,
            metadata={
                "execution": {
                    "iopub.execute_input": "2026-01-01T00:00:00.000Z",
                    "shell.execute_reply": stamp,
                }
            },
            outputs=[new_output("stream", name="stdout", text=printed)],
        )

    notebook = new_notebook(
        cells=[
            ran("train(network)", 12.5),
            ran("quick()", 0.5),
            ran("race = precomputed('race', run)", 30.0),  # computed and stored now
            ran(
                "race = precomputed('race', run)",
                11.0,
                "(loaded the precomputed result 'race' ...)",
            ),
        ]
    )
    notebook.cells.append(ran("my_train(network)", 40.0))
    notebook.cells[-1].metadata["tags"] = [LIVE_TAG]  # typed in class
    assert slow_cells(notebook) == [
        "cell 1 ('train(network)'): 12.5 s",
        "cell 4 (\"race = precomputed('race', run)\"): 11.0 s",
    ]


# ---- checked claims in class: a warning, never a stop -----------------------------------

FAILING_CLAIM = (
    "from courseware.claims import claim\n"
    "claim('the last average is above 100', smoothed[-1], above=100)"
)


def test_a_failing_claim_warns_in_the_live_notebook(synthetic_path, tmp_path, monkeypatch):
    """The live notebook itself sets the warn mode: no variable needed in the instructor's
    shell, and the lecture goes on past the claim."""
    monkeypatch.delenv("DLDEMOS_CLAIMS", raising=False)
    notebook = nbformat.read(synthetic_path, as_version=4)
    notebook.cells.insert(5, new_code_cell(FAILING_CLAIM, metadata={"tags": ["remove-input"]}))
    nbformat.write(notebook, synthetic_path)
    _, executed = _execute_live(synthetic_path, tmp_path / "live")
    claim_cell = next(cell for cell in executed.cells if "claim('the last" in cell.source)
    said = _text(claim_cell)
    assert "⚠ This run gave " in said and "where the sentence needs > 100" in said
    assert "(the sentence: 'the last average is above 100')" in said
    # the live notebook's cell 5 (after its hidden first cell) is live cell 1, my_ewma
    assert "probably a typo in an earlier live cell (live cell 1, cell 5 of the notebook)" in said
    assert "lecture goes on" in said and "Reword" not in said
    assert not [
        output
        for cell in executed.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]


def test_a_typo_in_class_is_named_with_the_books_value(synthetic_path, tmp_path, monkeypatch):
    """A claim that holds in the book's run, tripped by a typo typed in class: the warning
    quotes the book's value, this run's value and the live cell to look at."""
    from nbclient import NotebookClient

    monkeypatch.delenv("DLDEMOS_CLAIMS", raising=False)
    notebook = nbformat.read(synthetic_path, as_version=4)
    holding = (
        "from courseware.claims import claim\n"
        "claim('the last average lies between 12 and 15', smoothed[-1], between=(12, 15))"
    )
    notebook.cells.insert(5, new_code_cell(holding, metadata={"tags": ["remove-input"]}))
    nbformat.write(notebook, synthetic_path)
    book_run = nbformat.read(synthetic_path, as_version=4)
    NotebookClient(book_run, timeout=120, kernel_name="python3").execute()
    assert "✓ the last average lies between 12 and 15 (value=14.09" in _text(book_run.cells[5])
    live_path, _ = write_live(synthetic_path, tmp_path / "live", executed=book_run)
    live = nbformat.read(live_path, as_version=4)
    typo = notebook.cells[3].source.replace("beta * v + (1 - beta)", "(1 - beta) * v + beta")
    assert typo != notebook.cells[3].source
    live.cells[4].source = typo  # live cell 1, typed with beta and 1 - beta swapped
    live.cells = live.cells[:7]  # up to the claim
    NotebookClient(live, timeout=120, kernel_name="python3").execute()
    said = _text(live.cells[6])
    assert "⚠ This run gave 19." in said and "where the book's run gave about 14.09" in said
    assert (
        "(the sentence: 'the last average lies between 12 and 15', which needs in (12, 15))" in said
    )
    assert "probably a typo in an earlier live cell (live cell 1, cell 5 of the notebook)" in said


def test_make_live_writes_every_chapter_that_executes_and_names_the_others(
    synthetic_path, tmp_path, monkeypatch, capsys
):
    import courseware.teaching as teaching

    monkeypatch.setenv("DLDEMOS_PRECOMPUTED_DIR", str(tmp_path / "precomputed"))
    monkeypatch.delenv("DLDEMOS_CLAIMS", raising=False)
    warning = synthetic_path.parent / "02_warning.ipynb"
    notebook = synthetic_chapter()
    notebook.cells.insert(5, new_code_cell(FAILING_CLAIM, metadata={"tags": ["remove-input"]}))
    nbformat.write(notebook, warning)
    broken = synthetic_path.parent / "03_broken.ipynb"
    notebook = synthetic_chapter()
    notebook.cells.insert(2, new_code_cell("1 / 0"))
    nbformat.write(notebook, broken)
    out = tmp_path / "live"
    status = teaching.main(
        ["live", str(synthetic_path), str(warning), str(broken), "--out", str(out), "--jobs", "2"]
    )
    printed = capsys.readouterr().out
    assert status == 1
    assert (out / "01_synthetic.ipynb").is_file() and (out / "02_warning.ipynb").is_file()
    assert not (out / "03_broken.ipynb").exists()
    assert "error: 03_broken.ipynb does not execute" in printed and "ZeroDivisionError" in printed
    assert "02_warning.ipynb, a checked claim warns in this run: ⚠ This run gave" in printed
    assert "01_synthetic.ipynb, a checked claim" not in printed


# ---- the pitfalls each chapter teaches: caught and named (courseware.pitfalls) ----------


def test_every_pitfall_is_checked_where_its_live_cell_is():
    """Each entry names a live cell of its chapter whose check calls check_pitfalls with
    its key, and each pitfall's edits apply to the book's answer and change it."""
    from courseware.pitfalls import LIVE_PITFALLS, answer_source, variant_source

    for key, check in LIVE_PITFALLS.items():
        notebook = nbformat.read(Path("book") / f"{check.chapter}.ipynb", as_version=4)
        [index] = [i for i, cell in enumerate(notebook.cells) if cell.get("id") == check.cell]
        assert index in live_cells(notebook), f"{key}: {check.cell} is not a live cell"
        check_source = notebook.cells[check_cell(notebook, index)].source
        assert f'check_pitfalls("{key}", globals())' in check_source, key
        assert check.pitfalls, key
        for pitfall in check.pitfalls:
            assert variant_source(check, pitfall) != answer_source(check), pitfall.message


CHAPTER_3_UPDATES = ["gd_update", "momentum_update", "pytorch_momentum_update"]
CHAPTER_3_UPDATES += ["rmsprop_update", "adam_update"]


@pytest.mark.parametrize("key", CHAPTER_3_UPDATES)
def test_chapter_3s_updates_pass_and_their_pitfalls_are_named(key):
    import numpy as np

    from courseware.live import check_pitfalls
    from courseware.pitfalls import LIVE_PITFALLS, answer_source, variant_source

    check = LIVE_PITFALLS[key]
    book = {"np": np}
    exec(answer_source(check), book)
    check_pitfalls(key, book)  # the book's answer passes
    for pitfall in check.pitfalls:
        typed = {"np": np}
        exec(variant_source(check, pitfall), typed)
        with pytest.raises(AssertionError) as caught:
            check_pitfalls(key, typed)
        assert str(caught.value).startswith(f"{check.what}: {pitfall.message} (what differs: ")


def test_eps_inside_the_root_is_named_however_it_is_typed():
    """The pitfall is recognised by what the code computes, not by how it is spelled; the
    chapter's own data (the bowl) cannot tell, the check's gradients near sqrt(eps) can."""
    import numpy as np

    from courseware.live import check_pitfalls

    typed = {"np": np}
    exec(
        "def rmsprop_update(g, state, t, lr, beta=0.9, eps=1e-8):\n"
        "    s = state['s'] = beta * state.get('s', 0.0) + (1 - beta) * np.square(g)\n"
        "    return lr * g / (eps + s) ** 0.5\n",
        typed,
    )
    with pytest.raises(AssertionError, match="eps is added inside the square root; the chapter"):
        check_pitfalls("rmsprop_update", typed)


def test_check_live_names_a_pitfall_only_when_the_answer_matches_it(capsys):
    from courseware.live import check_live

    expected, swapped = [1.0, 2.0, 3.0], [3.0, 2.0, float("inf")]  # t from 0: 1 / 0
    pitfalls = {"beta and 1 - beta are swapped": swapped, "never this": [9.0, 9.0, 9.0]}
    with pytest.raises(AssertionError, match=r"^ewma: beta and 1 - beta are swapped \(what"):
        check_live("ewma", swapped, expected, pitfalls=pitfalls)
    with pytest.raises(AssertionError) as caught:
        check_live("ewma", [1.5, 2.0, float("inf")], expected, pitfalls=lambda: pitfalls)
    assert "swapped" not in str(caught.value) and "expected 1" in str(caught.value)
    check_live("ewma", [1.0, 2.0], [1.0, 2.0], pitfalls=lambda: 1 / 0)  # called on failure
    assert capsys.readouterr().out == "✓ ewma matches dldemos\n"


def test_a_check_leaves_the_random_generators_as_they_were():
    """The probes seed PyTorch (chapter 6's MySGD); the cells after the check must draw the
    same numbers as without it, or the chapter's claims would move."""
    import numpy as np
    import torch

    from courseware.pitfalls import _random_state_kept

    torch.manual_seed(1)
    np.random.seed(1)
    with _random_state_kept():
        torch.manual_seed(0)
        np.random.seed(0)
    after = torch.rand(1).item(), np.random.rand()
    torch.manual_seed(1)
    np.random.seed(1)
    assert after == (torch.rand(1).item(), np.random.rand())


def test_a_claim_blames_only_a_live_cell_whose_result_it_uses():
    """The live cell named in a warning is the last one whose names flow into the claim;
    a claim on data no typed cell touched names none (so the class is not sent looking for
    a typo that cannot matter)."""
    from courseware.live import class_context

    notebook = synthetic_chapter()
    notebook.cells += [
        new_code_cell(
            "from courseware.claims import claim\nclaim('raw data', temperatures[-1], above=1)"
        ),
        new_code_cell("claim('smoothed', smoothed[-1], above=1)"),
        new_code_cell("final = corrected[-1]"),
        new_code_cell("claim('corrected', final, above=1)"),
    ]
    positions = live_cells(notebook)
    checks = [check_cell(notebook, index) for index in positions]
    context = class_context(notebook, positions, None, checks)
    assert context["raw data"] == {"book": None, "live_cell": None}
    assert context["smoothed"]["live_cell"] == "live cell 1, cell 5 of the notebook"
    assert context["corrected"]["live_cell"] == "live cell 2, cell 9 of the notebook"
