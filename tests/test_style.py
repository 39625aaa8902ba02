"""Ruff, the project's linter and formatter, over the packages, the tests, the benchmarks and the
chapters (configuration: pyproject.toml; book/ruff.toml for the chapters, 79 columns), and the
chapters' page width: every visible code line fits a code cell of the HTML book."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "book").glob("[0-9][0-9]_*.ipynb"))
CHECKED = ["dldemos", "courseware", "tests", "benchmarks", *map(str, CHAPTERS)]
PAGE_WIDTH = 79  # characters of a code cell that fit the HTML book at 1280 px
HIDDEN = {"remove-input", "remove-cell"}  # cells whose code the page does not show


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_ruff_check():
    result = ruff("check", "--output-format", "concise")
    assert result.returncode == 0, f"ruff check:\n{result.stdout}{result.stderr}"


def test_ruff_format():
    result = ruff("format", "--check")
    assert result.returncode == 0, (
        f"ruff format --check (run `ruff format <file>`):\n{result.stdout}{result.stderr}"
    )


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda path: path.stem)
def test_visible_code_fits_the_page(chapter):
    cells = json.loads(chapter.read_text())["cells"]
    too_long = [
        f"cell {cell.get('id')}, line {number}: {len(line)} characters"
        for cell in cells
        if cell["cell_type"] == "code" and not HIDDEN & set(cell["metadata"].get("tags", []))
        for number, line in enumerate("".join(cell["source"]).splitlines(), 1)
        if len(line) > PAGE_WIDTH
    ]
    assert not too_long, f"{chapter.name}: lines over {PAGE_WIDTH} characters:\n" + "\n".join(
        too_long
    )
