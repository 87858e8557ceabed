"""Atomic writes: a reader sees the old content or the new, and a failed write changes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.atomic import atomic_write_bytes, atomic_write_text


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def test_writes_new_file_creating_parent_folders(tmp_path: Path) -> None:
    target = tmp_path / "reports" / "baseline" / "report.html"
    atomic_write_text(target, "<p>£1.23m</p>")
    assert target.read_text(encoding="utf-8") == "<p>£1.23m</p>"
    assert _siblings(target) == {"report.html"}
    assert target.stat().st_mode & 0o777 == 0o644


def test_replaces_existing_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_text("old")
    target.chmod(0o600)
    atomic_write_bytes(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o600
    assert _siblings(target) == {"index.html"}


def test_failed_write_leaves_old_content_and_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "index.html"
    target.write_text("old report")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(target, "half a report \ud800 cannot be encoded")
    assert target.read_text() == "old report"
    assert _siblings(target) == {"index.html"}


def test_write_into_a_missing_folder_that_cannot_be_created_raises(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(OSError):
        atomic_write_text(blocker / "report.html", "x")
    assert blocker.read_text() == "a file where a folder should be"
