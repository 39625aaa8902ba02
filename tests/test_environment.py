"""pyproject.toml and environment.yml must pin the same packages at the same versions."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# pip names whose conda-forge package is named differently
CONDA_NAME = {"torch": "pytorch"}


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = project["dependencies"] + project["optional-dependencies"]["course"]
    pins = {}
    for requirement in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", requirement)
        assert match, f"pyproject.toml: {requirement!r} is not pinned with '=='"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def environment_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        conda = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.\-]+)=([^=\s]+)\s*", line)
        pip = re.fullmatch(r"\s*-\s*([A-Za-z0-9_.\-]+)==([^\s]+)\s*", line)
        if pip:
            pins[pip.group(1).lower()] = pip.group(2)
        elif conda and conda.group(1) != "python":
            pins[conda.group(1).lower()] = conda.group(2)
    return pins


def test_every_pin_agrees():
    ours, theirs = pyproject_pins(), environment_pins()
    missing = sorted(set(ours) - set(theirs))
    extra = sorted(set(theirs) - set(ours))
    differ = {k: (ours[k], theirs[k]) for k in set(ours) & set(theirs) if ours[k] != theirs[k]}
    assert not missing, f"in pyproject.toml but not environment.yml: {missing}"
    assert not extra, f"in environment.yml but not pyproject.toml: {extra}"
    assert not differ, f"versions differ (pyproject, environment.yml): {differ}"


def test_python_version_agrees():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11"
    assert re.search(r"^\s*-\s*python=3\.11\s*$", (ROOT / "environment.yml").read_text(), re.M)


def test_installed_versions_match_pins():
    """The environment the tests run in is the one the pins describe."""
    from importlib.metadata import version

    for name, pinned in pyproject_pins().items():
        installed = version(name)
        assert installed.split("+")[0] == pinned, f"{name}: pinned {pinned}, installed {installed}"
