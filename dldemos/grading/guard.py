"""The runtime guard of a graded run: answer cells cannot reach the reference implementations.

The grading runner installs it right after the notebook's locked set-up cell, in the kernel.
From then on, for code outside the ``dldemos`` package (answer cells, and the test cells):

* importing a ``dldemos`` module the set-up cell did not import fails;
* the *closed* names (the functions the exercise asks for, where ``dldemos`` has them, and
  the names the notebook's ``metadata.grading.closed`` lists) raise when called;
* reading a file of the ``dldemos`` package (to copy its source) and starting processes fail.

Each failure says what is closed and which ``dldemos`` names are open: those the set-up cell
imports. Code inside ``dldemos`` keeps working (``lr_range_test`` still calls what it needs).
An audit hook cannot be removed once installed. This guard only keeps answers honest; the
verdicts do not depend on it (see :mod:`dldemos.grading.verdicts`), and it is not what keeps
the reference implementations out of reach: the sandbox's ``dldemos`` is a copy in which the
closed code does not exist (:mod:`.library`). What the guard still wraps are the few closed
names other open code calls (``Library.kept``); those a determined answer can unwrap.
"""

from __future__ import annotations

import functools
import os
import sys

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # .../dldemos
_BLOCKED_EVENTS = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                   "os.forkpty", "pty.spawn", "ctypes.dlopen", "ctypes.cdata", "ctypes.addressof"}


def _called_from_dldemos() -> bool:
    """Whether the nearest caller outside this module and importlib is code of dldemos."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename == __file__ or filename.startswith("<frozen importlib"):
            frame = frame.f_back
            continue
        return filename.startswith(PACKAGE_DIR + os.sep)
    return False


def install(assignment: str, closed: list[str]) -> None:
    """Close ``dldemos`` for the rest of the kernel's life (see the module docstring)."""
    import dldemos.checks  # noqa: F401  (bound now: the checks and their recorder stay usable)
    import dldemos.grading.records  # noqa: F401
    open_modules = {name for name in sys.modules if name == "dldemos" or name.startswith("dldemos.")}
    shown = sorted(m for m in open_modules if m.count(".") == 1 and not m.startswith("dldemos.grading"))
    allowed = (f"open from dldemos in {assignment}: what the first cell imports "
               f"(modules {', '.join(shown) or 'none'})")

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
            if (name == "dldemos" or name.startswith("dldemos.")) and name not in open_modules \
                    and not _called_from_dldemos():
                refuse(name, "it holds what the exercise asks you to write")
        elif event == "open":
            path = args[0]
            if isinstance(path, (str, bytes, os.PathLike)):
                path = os.path.abspath(os.fsdecode(path))
                if path.startswith(PACKAGE_DIR + os.sep) and not _called_from_dldemos():
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
