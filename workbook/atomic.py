"""Atomic file writes: a reader sees the old file or the new one, never a half-written one.

Reports and the index are replaced while people may have them open (or while a second run
is reading the manifest), so every file the runner produces goes through here: the content
is written to a temporary file in the same directory, flushed to disk, then moved over the
target with ``os.replace`` (atomic on POSIX and Windows when source and target share a
file system, which a sibling temporary file guarantees). The temporary file is
``.<name>.[<tag>.]<random>.tmp``: a run tags it with its run id, so that what a killed run
left can be told from what a live run is writing (see :mod:`workbook.leftovers`).

:func:`file_lock` makes read-modify-write updates of a shared file (the index) one at a time
across processes.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no advisory locks
    fcntl = None  # type: ignore[assignment]

DEFAULT_MODE = 0o644


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *, tag: str = "") -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    The parent directory is created when missing. On any error the target is left as it
    was and the temporary file is removed. A new file gets mode 0644; a replaced file keeps
    its mode. ``tag`` (a run id) goes into the temporary file's name.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_to_keep(target)
    prefix = f".{target.name}.{tag}." if tag else f".{target.name}."
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target


def atomic_write_text(
    path: str | os.PathLike[str], text: str, encoding: str = "utf-8", *, tag: str = ""
) -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    The text is encoded before anything touches the disk, so an encoding error leaves the
    target untouched too.
    """
    return atomic_write_bytes(path, text.encode(encoding), tag=tag)


@contextlib.contextmanager
def file_lock(path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    Processes taking the same lock run their blocks one after another, so read-modify-write
    updates never lose each other's changes. The lock goes when the block ends or the process
    dies. Without ``fcntl`` (Windows) the block runs unlocked.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, DEFAULT_MODE)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _mode_to_keep(target: Path) -> int:
    """Permission bits of an existing target, else the default for a new report file."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return DEFAULT_MODE
