"""Cells a reader can follow: no code cell of a chapter is longer than 15 lines, no live cell
longer than 10, and every chapter's set-up cell imports only names the chapter uses. The one
exception to the length is the hidden cell that holds the answers to the chapter's closing
questions (courseware.questionnaire): data for the instructor's notes, never on the page."""

import ast
import json
from pathlib import Path

import pytest

from courseware.questionnaire import ANSWERS_ID

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))


def code_cells(chapter: Path, answers: bool = True):
    for index, cell in enumerate(json.loads(chapter.read_text())["cells"]):
        if cell["cell_type"] == "code" and (answers or cell.get("id") != ANSWERS_ID):
            yield (
                index,
                "".join(cell["source"]).rstrip("\n"),
                cell.get("metadata", {}).get("tags", []),
            )


def python_only(source: str) -> str:
    """The cell without IPython magics and shell escapes, which ast cannot parse."""
    return "\n".join(
        line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_code_cells_are_short(chapter):
    long = [
        (index, len(source.splitlines()))
        for index, source, tags in code_cells(chapter, answers=False)
        if len(source.splitlines()) > (10 if "live" in tags else 15)
    ]
    assert not long, (
        f"{chapter.name}: cells over 15 lines (10 for live cells), as (index, lines): {long}"
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_imported_names_are_used(chapter):
    cells = [python_only(source) for _, source, _ in code_cells(chapter)]
    imported = {}
    for source in cells:
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    imported[(alias.asname or alias.name).split(".")[0]] = node.lineno
    used = {
        node.id
        for source in cells
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Name)
    }
    used |= {
        node.value.id
        for source in cells
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
    }
    unused = sorted(name for name in imported if name not in used and name != "*")
    assert not unused, f"{chapter.name} imports names it never uses: {unused}"
