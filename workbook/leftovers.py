"""Each run's claim on its files, and the removal of what killed runs left behind.

A run that is killed (``kill -9``, a closed terminal, a crash) cannot tidy up after itself: its
notebooks in progress (``<slug>/.<notebook>.<run>.running.ipynb``), the temporary halves of
atomic writes (``.<file>.<run>.<random>.tmp``) and its kernels' connection files and sockets
(in its own folder ``<temp>/workbook-run-<run>/``) stay behind. So a run holds an exclusive
``flock`` for as long as it lives on a lock file named with its run id, both in the reports
folder (``.runs/<run>.lock``) and in the temporary folder (``workbook-run-<run>.lock``), and
names its temporary files with that run id.

The operating system releases a lock when its holder dies, however it dies. A new run removes
the leftovers of every run whose lock nobody holds, and never those of a run whose lock is
held: whatever a live run has written, it wrote after taking its lock. Dot-files of the same
kinds without a run id (from versions before run ids, which took no lock) are removed only
when no other run holds a lock and they are an hour old. Where ``fcntl`` does not exist
(Windows) nothing is removed.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

RUNS_DIR = ".runs"
TEMP_PREFIX = "workbook-run-"
_RUN_ID = r"\d+-[0-9a-f]{8}"
# A leftover's owner: ``.<name>.<run>.running.ipynb`` or ``.<name>.<run>.<mkstemp chars>.tmp``.
_OWNED = re.compile(rf"^\..+\.(?P<run>{_RUN_ID})\.(?:running\.ipynb|[a-z0-9_]+\.tmp)$")
_LOCK = re.compile(rf"^(?P<run>{_RUN_ID})\.lock$")
_TEMP = re.compile(rf"^{TEMP_PREFIX}(?P<run>{_RUN_ID})(?:\.lock)?$")
_NO_LOCK_FILE = -1
UNOWNED_MIN_AGE_S = 3600.0  # a file without a run id may be a live old-version run's


@dataclass(frozen=True)
class RunClaim:
    """A live run: its id (in its temporary file names) and its folder for kernel sockets."""

    run_id: str
    socket_dir: Path


def new_run_id() -> str:
    """``<pid>-<8 hex digits>``: unique, and says which process made a file."""
    return f"{os.getpid()}-{secrets.token_hex(4)}"


@contextmanager
def claim_run(reports_dir: Path, temp_dir: Path | None = None) -> Iterator[RunClaim]:
    """Lock this run's files, remove dead runs' leftovers, and release everything at the end.

    The locks are taken before anything else is written, so that no other run ever sees a
    file of this run without a held lock beside it.
    """
    temp = Path(temp_dir or tempfile.gettempdir())
    run_id = new_run_id()
    socket_dir = temp / f"{TEMP_PREFIX}{run_id}"
    locks = [reports_dir / RUNS_DIR / f"{run_id}.lock", temp / f"{TEMP_PREFIX}{run_id}.lock"]
    held: list[tuple[Path, int]] = []
    try:
        for lock in locks:
            held.append((lock, _hold(lock)))
        remove_leftovers(reports_dir, temp, own_run_id=run_id)
        socket_dir.mkdir(mode=0o700)
        yield RunClaim(run_id=run_id, socket_dir=socket_dir)
    finally:
        shutil.rmtree(socket_dir, ignore_errors=True)
        for lock, fd in reversed(held):
            _release(lock, fd)


def remove_leftovers(reports_dir: Path, temp_dir: Path, own_run_id: str = "") -> list[Path]:
    """Remove the leftovers of runs that are no longer alive; return what was removed."""
    if fcntl is None:
        return []
    removed: list[Path] = []
    runs = reports_dir / RUNS_DIR
    owned, unowned = _reports_leftovers(reports_dir)
    for run_id in (set(owned) | _run_ids(runs, _LOCK)) - {own_run_id}:
        removed += _reap(runs / f"{run_id}.lock", owned.get(run_id, []))
    if not (_run_ids(runs, _LOCK) - {own_run_id}):  # no other run alive
        removed += [path for path in unowned if _age_s(path) >= UNOWNED_MIN_AGE_S and _remove(path)]
    for run_id in _run_ids(temp_dir, _TEMP) - {own_run_id}:
        lock = temp_dir / f"{TEMP_PREFIX}{run_id}.lock"
        removed += _reap(lock, [temp_dir / f"{TEMP_PREFIX}{run_id}"])
    return removed


def _reports_leftovers(reports_dir: Path) -> tuple[dict[str, list[Path]], list[Path]]:
    """Temporary files in the reports folder and its scenario folders, by run id, and those
    without one."""
    owned: dict[str, list[Path]] = {}
    unowned: list[Path] = []
    patterns = (".*.tmp", "*/.*.tmp", "*/csv/.*.tmp", "*/.*.running.ipynb")
    for path in (p for pattern in patterns for p in _glob(reports_dir, pattern)):
        match = _OWNED.match(path.name)
        if match:
            owned.setdefault(match["run"], []).append(path)
        else:
            unowned.append(path)
    return owned, unowned


def _reap(lock: Path, leftovers: Iterable[Path]) -> list[Path]:
    """Remove ``leftovers``, then ``lock``, if no live process holds ``lock``."""
    fd = _lock_if_free(lock)
    if fd is None:
        return []
    try:
        removed = [path for path in leftovers if _remove(path)]
        if fd != _NO_LOCK_FILE and _remove(lock):
            removed.append(lock)
        return removed
    finally:
        if fd != _NO_LOCK_FILE:
            os.close(fd)


def _lock_if_free(lock: Path) -> int | None:
    """The lock held by this process if nobody else holds it; ``_NO_LOCK_FILE`` when there is
    no lock file (its run is gone); None when a live run holds it or it cannot be tested."""
    try:
        fd = os.open(lock, os.O_RDWR)
    except FileNotFoundError:
        return _NO_LOCK_FILE
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _hold(lock: Path) -> int:
    """Create ``lock`` and hold an exclusive lock on it; return the descriptor.

    A cleaner may remove the file between its creation and the lock (it looked free): then
    the lock is on a removed file, so try again with a new one.
    """
    lock.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if fcntl is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
            if _same_file(fd, lock):
                return fd
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _release(lock: Path, fd: int) -> None:
    """Remove ``lock`` (while still holding it) and let it go."""
    try:
        _remove(lock)
    finally:
        os.close(fd)


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.stat(path))
    except FileNotFoundError:
        return False


def _age_s(path: Path) -> float:
    try:
        return time.time() - path.stat().st_mtime
    except OSError:
        return 0.0


def _run_ids(folder: Path, pattern: re.Pattern[str]) -> set[str]:
    try:
        return {m["run"] for entry in os.scandir(folder) if (m := pattern.match(entry.name))}
    except OSError:
        return set()


def _glob(folder: Path, pattern: str) -> list[Path]:
    try:
        return list(folder.glob(pattern))
    except OSError:
        return []


def _remove(path: Path) -> bool:
    """Remove a file or a folder tree; False when it could not be removed (or was gone)."""
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except OSError:
        return False
    return True
