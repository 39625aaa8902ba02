"""Writing files so that a crash never loses work.

Checkpoints (``dldemos.train``, ``dldemos.torch.train``, ``dldemos.torch.distributed``) and
downloads (``dldemos.data``) all write through :func:`atomic_write`: the new content goes
to a temporary file in the same folder, which replaces the old file only once it is
complete and on disk. An interrupted or failing write leaves the previous file untouched.
Chapters: 4, 6 and 7 (checkpoints, resuming a run), and every chapter's larger version
(downloaded data sets).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path`` for binary writing; commit it on success.

    On leaving the ``with`` block normally the file is flushed, ``fsync``-ed and renamed
    onto ``path`` with ``os.replace`` (atomic on POSIX and Windows), and the folder is
    ``fsync``-ed so the rename itself survives a power cut. If the block raises, the
    temporary file is deleted and ``path`` keeps its old content. Missing parent folders
    are created. The temporary file's name is ``file.name`` (e.g. to check a digest
    before committing).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    try:
        with open(temporary, "wb") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    if hasattr(os, "O_DIRECTORY"):
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)
