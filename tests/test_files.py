"""dldemos.files.atomic_write: the old file survives any failure; no temporary file is left."""

import os

import pytest

from dldemos.files import atomic_write


def test_a_completed_write_replaces_the_file(tmp_path):
    target = tmp_path / "sub" / "ckpt.bin"
    with atomic_write(target) as file:
        file.write(b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(target.parent) == ["ckpt.bin"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_a_failing_write_keeps_the_old_file_and_cleans_up(tmp_path):
    target = tmp_path / "ckpt.bin"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"):
        with atomic_write(target) as file:
            file.write(b"half of the new cont")
            raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["ckpt.bin"]


def test_a_failing_rename_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "ckpt.bin"
    target.write_bytes(b"old")

    def refuse(src, dst):
        raise OSError("rename refused")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError, match="rename refused"):
        with atomic_write(target) as file:
            file.write(b"new")
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["ckpt.bin"]
