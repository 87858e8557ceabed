"""Whether reports can be written where asked, and file-system errors said in one line.

A run checks its reports folder before any notebook runs: the folder exists or can be made,
is a folder, and can be written, and no file stands where a scenario's folder must be. The
check writes nothing but a missing reports folder (writability is probed with an unnamed
temporary file), so earlier reports stay untouched when the run is refused.
"""

from __future__ import annotations

import errno
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPORTS_HINT = "choose another folder with --reports-dir"
GENERAL_HINT = "check the path, its permissions and the free space, then try again"
PREFIX = "workbook: error: "

_CANNOT_WRITE = {errno.EROFS, errno.EACCES, errno.EPERM}
_DISK_FULL = {errno.ENOSPC, errno.EDQUOT}
_IN_THE_WAY = {errno.ENOTDIR, errno.EEXIST}


def os_error_line(
    error: OSError, hint: str = GENERAL_HINT, path: str | None = None, *, reading: bool = False
) -> str:
    """``workbook: error: <path>: <what happened> (<system message>); <what to do>``.

    ``path`` replaces the error's own file name (say, the folder rather than a probe file in
    it); ``reading`` says a permission error was met reading, not writing.
    """
    where = path if path is not None else error.filename
    if error.errno in _CANNOT_WRITE:
        what = "cannot read this" if reading and error.errno != errno.EROFS else "cannot write here"
    elif error.errno in _DISK_FULL:
        what, hint = "the disk is full", f"free some space or {hint}"
    elif error.errno in _IN_THE_WAY:
        what, hint = "a file is in the way", f"move it away or {hint}"
    else:
        what = "cannot use this path"
    reason = error.strerror or str(error) or type(error).__name__
    location = f"{where}: " if where else ""
    return f"{PREFIX}{location}{what} ({reason}); {hint}"


def reports_dir_problems(reports_dir: Path, slugs: Sequence[str]) -> list[str]:
    """One line per reason reports cannot go to ``reports_dir``; empty when they can.

    Makes ``reports_dir`` when it is missing; writes nothing else.
    """
    blocker = _file_in_the_way(reports_dir)
    if blocker == reports_dir:
        return [f"{PREFIX}{reports_dir}: is a file, not a folder; {REPORTS_HINT}"]
    if blocker is not None:
        return [
            f"{PREFIX}{reports_dir}: cannot make this folder, {blocker} is a file; {REPORTS_HINT}"
        ]
    in_the_way = [reports_dir / slug for slug in slugs if _is_file(reports_dir / slug)]
    if in_the_way:
        return [
            f"{PREFIX}{path}: a file is in the way of the scenario's report folder; "
            f"move it away or {REPORTS_HINT}"
            for path in in_the_way
        ]
    folders = [reports_dir, *(reports_dir / slug for slug in slugs)]
    try:
        reports_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return [os_error_line(error, REPORTS_HINT, f"{reports_dir}/")]
    for folder in (f for f in folders if f.is_dir()):
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            return [os_error_line(error, REPORTS_HINT, f"{folder}/")]
    return []


def _file_in_the_way(path: Path) -> Path | None:
    """The nearest of ``path`` and its parents that exists, if it is not a folder."""
    for candidate in (path, *path.parents):
        if candidate.is_dir():
            return None
        if candidate.exists() or candidate.is_symlink():
            return candidate
    return None


def _is_file(path: Path) -> bool:
    return (path.exists() or path.is_symlink()) and not path.is_dir()
