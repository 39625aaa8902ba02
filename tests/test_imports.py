"""The import contracts of pyproject.toml ([tool.importlinter]), run with import-linter.

``dldemos`` (what the chapters teach) never imports ``courseware`` (what runs the course), and
neither package has an import cycle between sibling modules. The contracts are also shown to
fail: on a copy of the two packages where a ``dldemos`` module imports ``courseware``, and on
one where two ``dldemos`` modules import each other.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = (
    "import sys; from importlinter.cli import lint_imports_command; "
    "sys.exit(lint_imports_command())"
)


def lint_imports(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages and the contracts under ``root`` (nothing cached)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def copy_of_packages(tmp_path: Path) -> Path:
    for package in ("dldemos", "courseware"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def add_import(module: Path, line: str) -> None:
    module.write_text(module.read_text() + f"\n{line}\n")


def test_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_dldemos_importing_courseware_breaks_the_contract(copy_of_packages):
    add_import(copy_of_packages / "dldemos" / "averages.py", "import courseware.claims  # noqa")
    result = lint_imports(copy_of_packages)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "never imports courseware" in result.stdout and "BROKEN" in result.stdout
    assert "dldemos.averages -> courseware.claims" in result.stdout
    assert "1 kept, 1 broken" in result.stdout


def test_an_import_cycle_breaks_the_contract(copy_of_packages):
    # dldemos.optim imports dldemos.schedules (const_lr); the way back closes a cycle
    add_import(copy_of_packages / "dldemos" / "schedules.py", "import dldemos.optim  # noqa")
    result = lint_imports(copy_of_packages)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "no import cycles" in result.stdout and "1 kept, 1 broken" in result.stdout
    assert "No cycles are allowed in dldemos" in result.stdout
    assert ".schedules -> .optim" in result.stdout


def test_dldemos_holds_no_course_machinery():
    """Grading, the homework checks, live coding, slides and claims live in courseware."""
    import dldemos

    package = Path(dldemos.__file__).parent
    modules = {path.relative_to(package).with_suffix("").parts[0] for path in package.rglob("*.py")}
    machinery = {"grading", "checks", "records", "teaching", "slides", "live", "claims"}
    assert not modules & machinery, f"move {sorted(modules & machinery)} to courseware"
