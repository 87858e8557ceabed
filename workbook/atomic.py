"""Atomic file writes: a reader sees the old file or the new one, never a half-written one.

Reports and the index are replaced while people may have them open (or while a second run
is reading the manifest), so every file the runner produces goes through here: the content
is written to a temporary file in the same directory, flushed to disk, then moved over the
target with ``os.replace`` (atomic on POSIX and Windows when source and target share a
file system, which a sibling temporary file guarantees).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

DEFAULT_MODE = 0o644


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    The parent directory is created when missing. On any error the target is left as it
    was and the temporary file is removed. A new file gets mode 0644; a replaced file keeps
    its mode.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_to_keep(target)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
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


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    The text is encoded before anything touches the disk, so an encoding error leaves the
    target untouched too.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def _mode_to_keep(target: Path) -> int:
    """Permission bits of an existing target, else the default for a new report file."""
    try:
        return target.stat().st_mode & 0o777
    except FileNotFoundError:
        return DEFAULT_MODE
