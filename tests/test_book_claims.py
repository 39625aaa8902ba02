"""Every chapter checks the outcomes its prose states (``courseware.claims.claim``).

Executing the chapters (nbval, ``make book``) runs the checks; this test lists how many each
chapter has and fails when a chapter has fewer than five.
"""

import ast
import json
from pathlib import Path

import pytest

BOOK = Path(__file__).resolve().parents[1] / "book"
CHAPTERS = sorted(BOOK.glob("[0-9][0-9]_*.ipynb"))
MINIMUM = 5


def claim_calls(notebook: Path) -> int:
    """The number of ``claim(...)`` calls in the chapter's code cells."""
    count = 0
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        tree = ast.parse("\n".join(lines))
        count += sum(
            isinstance(node, ast.Call) and getattr(node.func, "id", None) == "claim"
            for node in ast.walk(tree)
        )
    return count


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_chapter_checks_its_claims(chapter):
    count = claim_calls(chapter)
    print(f"{chapter.stem}: {count} checked claims")
    assert count >= MINIMUM, (
        f"{chapter.name} checks {count} claims; every chapter needs at least {MINIMUM}"
    )


def test_claim_cells_are_hidden_from_the_reader():
    for chapter in CHAPTERS:
        for index, cell in enumerate(json.loads(chapter.read_text())["cells"]):
            source = "".join(cell["source"])
            if cell["cell_type"] == "code" and "claim(" in source and "def claim" not in source:
                tags = cell.get("metadata", {}).get("tags", [])
                assert {"remove-input", "hide-input", "remove-cell"} & set(tags), (
                    f"{chapter.name} cell {index} checks a claim but is not hidden (tag it remove-input)"
                )
