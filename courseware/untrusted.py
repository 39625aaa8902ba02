"""Reading what a student or the sandbox wrote, in the trusted grading process.

Every file the grader reads from a submission folder or from a run's folder is *untrusted*: it
may be a symbolic link (to the solutions, to another student's grades, to ``/dev/zero``), a
FIFO that never delivers a byte, a file of gigabytes or a JSON document nested a million deep.
So the grader reads only through :func:`read_regular`:

* the path is walked one component at a time below a folder the grader trusts, each opened
  with ``O_NOFOLLOW`` (a link anywhere on the way is refused, not followed);
* the file is opened with ``O_NONBLOCK`` and must be a regular file (``fstat``), so a FIFO,
  a device or a socket is refused at once instead of blocking the grader;
* at most ``limit`` bytes are read; a larger file is refused.

Text that reaches a terminal, a log, a CSV or an HTML page goes through :func:`printable`
(control characters and terminal escape sequences removed) and :func:`csv_cell` (a cell that a
spreadsheet would take for a formula is quoted).
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path


class Refused(ValueError):
    """An untrusted file the grader will not read; the message says why, in one line."""


def read_regular(base: str | os.PathLike, relative: str | os.PathLike, limit: int) -> bytes:
    """The bytes of the regular file ``base/relative``, refusing links, FIFOs, devices and
    files larger than ``limit`` bytes. ``base`` itself is trusted (the grader made or was given it)."""
    parts = Path(relative).parts
    if not parts or any(p in ("..", "/") or p.startswith("/") for p in parts):
        raise Refused(f"{relative}: not a plain relative path")
    shown = "/".join(parts)
    descriptor = os.open(base, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            try:
                inner = os.open(
                    part,
                    os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC,
                    dir_fd=descriptor,
                )
            except OSError as error:
                raise _refusal(shown, part, error, descriptor) from None
            os.close(descriptor)
            descriptor = inner
        try:
            handle = os.open(
                parts[-1],
                os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
                dir_fd=descriptor,
            )
        except OSError as error:
            raise _refusal(shown, parts[-1], error, descriptor) from None
    finally:
        os.close(descriptor)
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise Refused(f"{shown} is not a regular file (a FIFO, device or socket)")
        if info.st_size > limit:
            raise Refused(
                f"{shown} is {info.st_size / 2**20:.1f} MB, more than the {limit / 2**20:.0f} MB "
                "the grader reads"
            )
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(handle, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise Refused(f"{shown} grew past the {limit / 2**20:.0f} MB the grader reads")
        return b"".join(chunks)
    finally:
        os.close(handle)


def _refusal(shown: str, part: str, error: OSError, folder: int) -> Refused:
    try:
        link = stat.S_ISLNK(os.lstat(part, dir_fd=folder).st_mode)
    except OSError:
        link = False
    if link or error.errno == errno.ELOOP:
        return Refused(
            f"{shown}: {part} is a symbolic link; the grader reads only plain files and folders"
        )
    if error.errno == errno.ENOENT:
        return Refused(f"{shown} does not exist")
    return Refused(f"{shown}: cannot be read ({error.strerror})")


def tail_regular(path: str | os.PathLike, size: int) -> str:
    """The last ``size`` bytes of a log the grader itself created (never through a link)."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return ""
        os.lseek(handle, max(0, info.st_size - size), os.SEEK_SET)
        return os.read(handle, size).decode(errors="replace")
    finally:
        os.close(handle)


MAX_JSON_DEPTH = 64


def json_depth_ok(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether no array or object of the JSON ``text`` is nested deeper than ``limit``
    (counted without parsing, so a document nested a million deep costs one pass)."""
    depth, in_string, escaped = 0, False, False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return False
        elif char in "]}":
            depth -= 1
    return True


def loads_json(text: str):
    """``json.loads`` for untrusted text: refuses documents nested deeper than
    :data:`MAX_JSON_DEPTH` (they would exhaust the grader's recursion)."""
    if not _quick_depth_ok(text):
        raise Refused(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        return json.loads(text)
    except RecursionError:
        raise Refused(f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep") from None


def _quick_depth_ok(text: str) -> bool:
    # the exact count is a Python loop: only run it when brackets could nest that deep
    brackets = text.count("[") + text.count("{")
    return brackets <= MAX_JSON_DEPTH or json_depth_ok(text)


_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def printable(text, keep_newlines: bool = False) -> str:
    """``text`` without terminal escape sequences and control characters (newlines become
    spaces unless ``keep_newlines``), for logs, terminals and CSV cells."""
    text = _ESCAPES.sub("", str(text))
    text = (
        text.replace("\u202e", "")
        .replace("\u202d", "")
        .replace("\u2066", "")
        .replace("\u2067", "")
        .replace("\u2068", "")
        .replace("\u2069", "")
    )
    return text if keep_newlines else text.replace("\n", " ").replace("\r", " ").replace("\t", " ")


def csv_cell(text) -> str:
    """A CSV cell that no spreadsheet runs as a formula: printable, and quoted with a leading
    apostrophe when it starts with ``= + - @`` (OWASP's advice on CSV injection)."""
    text = printable(text)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


STUDENT_ID = re.compile(r"[^\W_][\w.\-]{0,63}")


def student_id_problem(name: str) -> str:
    """Why ``name`` (a folder of the submissions folder) is not a student identifier ("" if it
    is one): letters (Unicode included), digits and ``- _ .``, starting with a letter or digit,
    at most 64 characters."""
    if STUDENT_ID.fullmatch(name) and name.isprintable():
        return ""
    return (
        f"the folder {printable(name)!r} is not a student identifier (letters, digits and - _ . only, "
        "starting with a letter or digit, at most 64 characters); rename it and grade again"
    )
