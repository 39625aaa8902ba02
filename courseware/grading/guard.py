"""The runtime guard of a graded run: answer cells cannot reach the reference implementations.

The grading runner installs it right after the notebook's locked set-up cell, in the kernel.
From then on, for code outside the ``dldemos`` and ``courseware`` packages (answer cells, and the
test cells):

* importing a ``dldemos`` or ``courseware`` module the set-up cell did not import fails (the
  checks of the test cells, :mod:`courseware.checks`, stay open);
* the *closed* names (the functions the exercise asks for, where ``dldemos`` has them, and
  the names the notebook's ``metadata.grading.closed`` lists) raise when called;
* reading a file of either package (to copy its source) and starting processes fail.

Each failure says what is closed and which ``dldemos`` names are open: those the set-up cell
imports. Code inside the packages keeps working (``lr_range_test`` still calls what it needs).
An audit hook cannot be removed once installed. This guard only keeps answers honest; the
verdicts do not depend on it (see :mod:`courseware.grading.verdicts`), and it is not what keeps
the reference implementations out of reach: the sandbox's ``dldemos`` is a copy in which the
closed code does not exist (:mod:`.library`). What the guard still wraps are the few closed
names other open code calls (``Library.kept``); those a determined answer can unwrap.
"""

from __future__ import annotations

import functools
import os
import sys
import types

import dldemos

PACKAGES = ("dldemos", "courseware")  # what the course teaches, and the course's machinery
PACKAGE_DIRS = (
    os.path.dirname(os.path.abspath(dldemos.__file__)),  # .../dldemos
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
)  # .../courseware
_BLOCKED_EVENTS = {
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.fork",
    "os.forkpty",
    "pty.spawn",
    "ctypes.dlopen",
    "ctypes.cdata",
    "ctypes.addressof",
}


_TRUSTED_CODE: dict[
    int, object
] = {}  # id -> code object of the dldemos functions loaded at install


def _collect_code(modules) -> None:
    """Remember the code objects of the functions and methods of ``modules`` (nested ones
    included). A frame runs dldemos code only if its code object is one of these: a code object
    compiled later, whatever file name it claims, is not."""
    stack = []
    for module in modules:
        for value in list(vars(module).values()):
            members = [value] + (list(vars(value).values()) if isinstance(value, type) else [])
            for member in members:
                member = getattr(member, "__func__", member)  # classmethod, staticmethod
                if isinstance(member, property):
                    members += [member.fget, member.fset, member.fdel]
                    continue
                code = getattr(member, "__code__", None)
                if isinstance(code, types.CodeType) and str(
                    getattr(member, "__module__", "")
                ).startswith("dldemos"):
                    stack.append(code)
    while stack:
        code = stack.pop()
        if id(code) not in _TRUSTED_CODE:
            _TRUSTED_CODE[id(code)] = code  # kept alive: ids stay unique
            stack += [c for c in code.co_consts if isinstance(c, types.CodeType)]


def _called_from_dldemos() -> bool:
    """Whether the nearest caller outside this module and importlib is code of dldemos
    (loaded before the guard was installed: identified by its code object, not its file name)."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename == __file__ or filename.startswith("<frozen importlib"):
            frame = frame.f_back
            continue
        return id(frame.f_code) in _TRUSTED_CODE
    return False


_INSTALLED: list[str] = []  # the assignment, once installed


def check_caller(qualified: str) -> None:
    """Called first thing by a closed name that other open code uses (the grading library
    puts the call in its body, :mod:`.library`): refuse a caller that is not dldemos code.
    Unwrapping the function (``__closure__``, ``gc``) therefore gains nothing."""
    if not _INSTALLED:
        return  # the set-up cell, or a run without the guard
    frame = sys._getframe(2)
    while frame is not None and (
        frame.f_code.co_filename == __file__
        or frame.f_code.co_filename.startswith("<frozen importlib")
    ):
        frame = frame.f_back
    if frame is None or id(frame.f_code) not in _TRUSTED_CODE:
        raise ImportError(
            f"{qualified} is closed while {_INSTALLED[0]} is graded: it is what the exercise asks "
            "you to write"
        )


def install(assignment: str, closed: list[str]) -> None:
    """Close ``dldemos`` and ``courseware`` for the rest of the kernel's life (see the module
    docstring)."""
    import courseware.checks  # noqa: F401  (bound now: the checks and their recorder stay usable)
    import courseware.records  # noqa: F401

    open_modules = {name for name in sys.modules if name.partition(".")[0] in PACKAGES}
    _collect_code(
        [sys.modules[name] for name in open_modules if name.partition(".")[0] == "dldemos"]
    )
    _INSTALLED.append(assignment)
    shown = sorted(m for m in open_modules if m.startswith("dldemos.") and m.count(".") == 1)
    allowed = (
        f"open from dldemos in {assignment}: what the first cell imports "
        f"(modules {', '.join(shown) or 'none'})"
    )

    def refuse(what: str, why: str) -> None:
        raise ImportError(f"{what} is closed while {assignment} is graded: {why}; {allowed}.")

    for qualified in closed:
        module_name, _, name = qualified.rpartition(".")
        module = sys.modules.get(module_name)
        if module is not None and callable(getattr(module, name, None)):
            setattr(module, name, _closed_function(getattr(module, name), qualified, refuse))

    def hook(event: str, args) -> None:
        if event == "import":
            name = args[0] or ""
            if (
                name.partition(".")[0] in PACKAGES
                and name not in open_modules
                and not _called_from_dldemos()
            ):
                refuse(name, "it holds what the exercise asks you to write")
        elif event == "open":
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)):
                path = os.path.abspath(os.fsdecode(path))
                if (
                    path.startswith(tuple(d + os.sep for d in PACKAGE_DIRS))
                    and not _called_from_dldemos()
                ):
                    raise PermissionError(f"reading {path} is closed while {assignment} is graded")
        elif event in _BLOCKED_EVENTS:
            raise PermissionError(f"{event} is not allowed while {assignment} is graded")

    sys.addaudithook(hook)


def _closed_function(function, qualified: str, refuse):
    @functools.wraps(function)
    def closed(*args, **kwargs):
        if not _called_from_dldemos():
            refuse(qualified, "it is what the exercise asks you to write")
        return function(*args, **kwargs)

    del closed.__wrapped__
    return closed
