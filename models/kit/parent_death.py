"""Child processes that die with their parent, so that a killed run leaves nothing running.

On Linux a child asks the kernel for SIGKILL when its parent dies (``prctl(PR_SET_PDEATHSIG)``,
see prctl(2)); a worker whose parent is a fork server, which outlives the process that asked for
the pool, also watches that process from a daemon thread. Elsewhere nothing happens. Used for
replication workers (:mod:`models.kit.replications`) and for the workbook's kernels and
notebook workers.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable

__all__ = ["die_with_parent", "parent_death_hook"]

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_PARENT_S = 0.5  # how often a worker of a fork server checks that the pool's maker lives


def die_with_parent(parent_pid: int) -> None:
    """Make this process die when ``parent_pid`` does (Linux; elsewhere nothing happens).

    For a pool worker's initializer: pass the pid of the process that makes the pool. A
    worker made by a fork server has the server as its parent, and the server lives on while
    its children do, so such a worker also watches ``parent_pid`` from a daemon thread.
    """
    hook = parent_death_hook(parent_pid)
    if hook is None:
        return
    hook()
    if os.getppid() != parent_pid:
        _watch(parent_pid)


def parent_death_hook(parent_pid: int) -> Callable[[], None] | None:
    """A function that a new child of ``parent_pid`` runs to die with it; None if unsupported.

    The function asks for SIGKILL when the parent dies, then exits at once if the parent has
    already gone (it may die before the request is made). The signal comes when the parent
    *thread* that made the child ends, so the child should be made by a long-lived thread. It
    is safe as ``subprocess.Popen(preexec_fn=...)``: libc is loaded here, not in the child.
    """
    prctl = _libc_prctl()
    if prctl is None:
        return None

    def hook() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent_pid and _start_time(parent_pid) is None:
            os._exit(1)

    return hook


@functools.cache
def _libc_prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _watch(pid: int) -> None:
    """Kill this process (SIGKILL, as the parent-death signal would) once ``pid`` is gone."""
    started = _start_time(pid)

    def watch() -> None:
        while started is not None and _start_time(pid) == started:
            time.sleep(WATCH_PARENT_S)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="die-with-parent", daemon=True).start()


def _start_time(pid: int) -> int | None:
    """When ``pid`` started (clock ticks since boot), or None if it is gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return None if fields[0] in (b"Z", b"X") else int(fields[19])
