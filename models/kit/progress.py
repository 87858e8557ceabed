"""Progress of a long study, written to a small JSON file that the runner reads.

A notebook's kernel cannot print to the terminal that started ``workbook run``, so the runner
names a file per notebook in :data:`ENV` and a long study (:func:`models.kit.replications.
run_replications`) writes how far it is: ``{label, done, total, unit, elapsed_s, eta_s,
updated}``. The runner reads it with :func:`read_progress` and prints :func:`describe`, e.g.
"uncertainty: 120/432 runs, about 1 min 10 s left".

Each write replaces the file atomically (a temporary file in the same folder, then
``os.replace``), so a reader sees the previous state or the new one, never half of one. Writes
are throttled (at most one each :data:`MIN_INTERVAL_S`, but the last one always), and a file
that cannot be written is ignored: progress is a courtesy, never a reason for a study to fail.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

__all__ = ["ENV", "ProgressFile", "describe", "read_progress"]

ENV = "WORKBOOK_PROGRESS"
"""Path of this notebook's progress file, set by the runner (unset: no progress file)."""

MIN_INTERVAL_S = 0.5
"""Shortest time between two writes of one file (the last write of a study is never held)."""

Count = Annotated[int, Field(ge=0, strict=True)]
Seconds = Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class Progress(BaseModel):
    """What a progress file holds (checked when read: the file is written by another process)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    label: str
    done: Count
    total: Count
    unit: str
    elapsed_s: Seconds
    eta_s: Seconds | None
    updated: float
    """When it was written (seconds since the epoch), so that a reader can tell a stale file."""


class ProgressFile:
    """The progress file of one study (a call of ``run_replications``) at ``path``.

    Elapsed time runs from this object's first report of a label; the time left is estimated
    from the pace since then, so work done before it (results found in the cache, reported
    as done at once) does not make the estimate look faster than the work is.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        min_interval_s: float = MIN_INTERVAL_S,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path)
        self.min_interval_s = min_interval_s
        self._clock = clock
        self._label: str | None = None
        self._started = 0.0
        self._done_at_start = 0
        self._last_write: float | None = None

    @classmethod
    def from_environment(cls) -> ProgressFile | None:
        """The file :data:`ENV` names, or None when it names none."""
        value = os.environ.get(ENV, "").strip()
        return cls(value) if value else None

    def report(self, label: str, done: int, total: int, *, unit: str = "runs") -> None:
        """Record that ``done`` of ``total`` ``unit`` of study ``label`` are done."""
        now = self._clock()
        if label != self._label:
            self._label, self._started, self._done_at_start = label, now, done
            self._last_write = None
        finished = done >= total
        if (
            not finished
            and self._last_write is not None
            and now - self._last_write < self.min_interval_s
        ):
            return
        elapsed = now - self._started
        progress = Progress(
            label=label,
            done=done,
            total=total,
            unit=unit,
            elapsed_s=elapsed,
            eta_s=self._eta(elapsed, done, total),
            updated=time.time(),
        )
        self._last_write = now
        with contextlib.suppress(OSError):
            _write_atomically(self.path, progress.model_dump_json())

    def _eta(self, elapsed: float, done: int, total: int) -> float | None:
        if done >= total:
            return 0.0
        worked = done - self._done_at_start
        if worked <= 0 or elapsed <= 0:
            return None
        return elapsed / worked * (total - done)


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in one step (no fsync: a reader needs atomicity, not
    durability; a progress file lost in a power cut is of no account)."""
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def read_progress(path: str | os.PathLike[str]) -> dict[str, object] | None:
    """The progress recorded at ``path``, or None if there is none or it is not readable."""
    try:
        text = Path(path).read_text(encoding="utf-8")
        return Progress.model_validate(json.loads(text)).model_dump()
    except (OSError, UnicodeDecodeError, ValueError, ValidationError):
        return None


def describe(progress: dict[str, object]) -> str:
    """One line for the runner: "uncertainty: 120/432 runs, about 1 min 10 s left"."""
    label = str(progress.get("label") or "")
    line = f"{progress.get('done', 0)}/{progress.get('total', 0)} {progress.get('unit', 'runs')}"
    if label:
        line = f"{label}: {line}"
    done, total, eta = progress.get("done"), progress.get("total"), progress.get("eta_s")
    if isinstance(done, int) and isinstance(total, int) and done >= total:
        return f"{line}, done"
    if isinstance(eta, int | float) and math.isfinite(eta):
        return f"{line}, about {_duration(eta)} left"
    return line


def _duration(seconds: float) -> str:
    """``"40 s"``, ``"1 min 10 s"``, ``"12 min"``, ``"1 h 5 min"`` (coarser as it grows)."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 10:
        return f"{minutes} min {secs} s" if secs else f"{minutes} min"
    minutes = round(whole / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
