"""The ``dldemos`` a graded run imports: a copy without the code the exercise closes.

A guard inside the student's process can only *wrap* what is there, and whatever is there can
be reached: through a wrapper's ``__closure__``, ``gc.get_objects()``, a ``compile`` that
claims a ``dldemos`` file name, or the module's source read through ``/proc/self/root``. So
the sandbox (:mod:`.sandbox`) does not get the package itself but a copy built for the
exercise, in which the closed code does not exist:

* only the modules the set-up cell imports, and the ``dldemos`` modules those import (any
  ``import`` statement anywhere in them, followed transitively), are copied, plus
  the ``courseware`` modules the run needs (``checks``, ``records``, ``untrusted``, and the
  grading ``runner`` and ``guard``); every other module is absent (importing it fails);
* in the copied modules, each *closed* function or class (see
  :func:`courseware.grading.autograde.closed_names`) is replaced by a stub that raises
  ``ImportError`` naming it, unless other copied code uses it (``lr_range_test`` calling
  ``LossSweep``): such a name stays, listed in :attr:`Library.kept`, and its first statement
  asks the guard whether its caller is ``dldemos`` code (:func:`.guard.check_caller`, which
  knows that code by its code objects, not by file names), so that a function taken out of
  the guard's wrapper or found with ``gc`` refuses to run for an answer cell all the same.
"""

from __future__ import annotations

import ast
import shutil
import tempfile
import weakref
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the folder holding both packages
PACKAGES = ("dldemos", "courseware")
RUN_MODULES = (
    "courseware",
    "courseware.checks",
    "courseware.records",
    "courseware.untrusted",
    "courseware.grading",
    "courseware.grading.runner",
    "courseware.grading.guard",
)


def module_file(module: str) -> Path | None:
    """The source file of a ``dldemos`` or ``courseware`` module (None if there is none)."""
    if module.split(".")[0] not in PACKAGES:
        return None
    relative = Path(*module.split("."))
    for path in (ROOT / relative / "__init__.py", ROOT / relative.with_suffix(".py")):
        if path.is_file():
            return path
    return None


def imported_modules(source: str, package: str = "dldemos") -> set[str]:
    """The ``dldemos`` modules an ``import`` statement anywhere in ``source`` names (for
    ``from dldemos.x import y``: ``dldemos.x`` and, when it is a module, ``dldemos.x.y``)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] in PACKAGES}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(parts + ([module] if module else []))
            if module.split(".")[0] in PACKAGES:
                found.add(module)
                found |= {
                    f"{module}.{a.name}" for a in node.names if module_file(f"{module}.{a.name}")
                }
    return {m for m in found if module_file(m)}


def needed_modules(setup: str) -> set[str]:
    """The modules a run needs: those the set-up cell imports, their parents and, transitively,
    every ``dldemos`` module they import, with the run modules."""
    todo = imported_modules(setup) | {"dldemos", *RUN_MODULES}
    needed: set[str] = set()
    while todo:
        module = todo.pop()
        if module in needed:
            continue
        needed.add(module)
        parts = module.split(".")
        todo |= {".".join(parts[:i]) for i in range(1, len(parts))} - needed
        path = module_file(module)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        todo |= imported_modules(path.read_text(), package) - needed
    return needed


def _referenced(name: str, trees: dict[str, ast.Module], own: tuple[str, ast.AST]) -> bool:
    """Whether code of the copied modules other than the definition ``own`` uses ``name``."""
    module, definition = own
    inside = {id(n) for n in ast.walk(definition)}
    for where, tree in trees.items():
        for node in ast.walk(tree):
            if where == module and id(node) in inside:
                continue
            if (
                (isinstance(node, ast.Name) and node.id == name)
                or (isinstance(node, ast.Attribute) and node.attr == name)
                or (isinstance(node, ast.alias) and node.name == name)
            ):
                return True
    return False


def _stubbed(source: str, names: dict[str, str]) -> str:
    """``source`` with the top-level definitions of ``names`` (name -> qualified name)
    replaced by a function that raises ``ImportError``."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in sorted(
        (
            n
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.name in names
        ),
        key=lambda n: n.lineno,
        reverse=True,
    ):
        first = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
        message = f"{names[node.name]} is closed while this homework is graded: write it yourself"
        stub = f"def {node.name}(*args, **kwargs):\n    raise ImportError({message!r})\n"
        lines[first : node.end_lineno] = [stub]
    return "".join(lines)


def _self_checking(source: str, names: dict[str, str]) -> str:
    """``source`` in which the top-level functions and classes ``names`` (name -> qualified
    name) first ask the guard whether their caller is dldemos code (:func:`.guard.check_caller`)."""
    tree = ast.parse(source)
    lines = source.splitlines(keepends=True)
    for node in sorted(
        (
            n
            for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef)) and n.name in names
        ),
        key=lambda n: n.lineno,
        reverse=True,
    ):
        body = node.body
        docstring = isinstance(body[0], ast.Expr) and isinstance(
            getattr(body[0], "value", None), ast.Constant
        )
        after = body[0].end_lineno if docstring else body[0].lineno - 1
        indent = " " * body[0].col_offset
        check = f"__import__('courseware.grading.guard').grading.guard.check_caller({names[node.name]!r})"
        if isinstance(node, ast.FunctionDef):
            added = [f"{indent}{check}\n"]
        else:
            added = [
                f"{indent}def __new__(cls, *args, **kwargs):\n",
                f"{indent}    {check}\n",
                f"{indent}    return super().__new__(cls)\n",
                "\n",
            ]
        if body[0].lineno == node.lineno:
            continue  # a one-line definition: left to the guard's wrapper
        lines[after:after] = added
    return "".join(lines)


@dataclass
class Library:
    """A copy of ``dldemos`` for one exercise (see the module docstring); ``path`` is the
    folder that holds it (what ``PYTHONPATH`` names)."""

    path: Path
    modules: list[str] = field(default_factory=list)  # the modules copied
    removed: list[str] = field(default_factory=list)  # closed names that are stubs in it
    kept: list[str] = field(default_factory=list)  # closed names other copied code uses: guarded


def build_library(setup: str, closed: list[str]) -> Library:
    """The copy of ``dldemos`` for an exercise whose set-up cell is ``setup`` and whose closed
    names are ``closed``, in a temporary folder removed with the returned object."""
    folder = Path(tempfile.mkdtemp(prefix="dldemos-library-"))
    library = Library(folder)
    weakref.finalize(library, shutil.rmtree, folder, True)
    modules = needed_modules(setup)
    library.modules = sorted(modules)
    trees = {m: ast.parse(module_file(m).read_text()) for m in modules}
    stubs: dict[str, dict[str, str]] = {}
    checked: dict[str, dict[str, str]] = {}
    for qualified in closed:
        module, _, name = qualified.rpartition(".")
        if module not in modules:
            continue  # the module is absent: nothing to close
        defined = [n for n in trees[module].body if getattr(n, "name", None) == name]
        if not defined:
            continue
        if _referenced(name, trees, (module, defined[0])):
            checked.setdefault(module, {})[name] = qualified
            library.kept.append(qualified)
        else:
            stubs.setdefault(module, {})[name] = qualified
            library.removed.append(qualified)
    for module in sorted(modules | set(RUN_MODULES)):
        source = module_file(module)
        target = folder / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        text = source.read_text()
        if module in stubs:
            text = _stubbed(text, stubs[module])
        if module in checked:
            text = _self_checking(text, checked[module])
        target.write_text(text)
    for package in {p.parent for p in folder.rglob("*.py")}:
        (package / "__init__.py").touch()
    return library
