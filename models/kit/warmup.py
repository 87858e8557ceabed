"""Warm-up evidence, written once: a daily series from an empty (or all-ready) start, averaged
over replications, with MSER-5 (White 1997) truncation points.

A service supplies a module-level ``daily(run, streams) -> {"day_0000": value, ...}`` (so
:func:`models.kit.replications.run_replications` can run it in worker processes) and, if it
has one, an analytic expectation and a floor (e.g. the longest possible stay).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from models.kit.output_analysis import mser5
from models.kit.replications import IN_PROCESS, Replicator
from models.kit.streams import Streams

__all__ = [
    "FromStart",
    "WarmupEvidence",
    "daily_series",
    "evidence_from_start",
    "warmup_evidence",
]


def daily_series(day: np.ndarray, values: np.ndarray) -> dict[str, float]:
    """A daily series as the flat ``{"day_0000": value}`` mapping a ``simulate`` returns."""
    return {f"day_{int(d):04d}": float(v) for d, v in zip(day, values, strict=True)}


@dataclass(frozen=True)
class WarmupEvidence:
    """Evidence for a warm-up length: a daily series from the start of the run."""

    option: str
    day: np.ndarray
    """Day from the start (0 = the first day)."""
    mean: np.ndarray
    """Daily value averaged over the replications."""
    by_replication: np.ndarray
    """Daily value, one row per replication."""
    mser5_days: int
    """MSER-5 truncation point of the mean series (days)."""
    mser5_days_by_replication: tuple[int, ...]
    chosen_days: float
    """The warm-up the scenario uses."""
    floor_days: float = 0.0
    """A warm-up no shorter than this is needed whatever MSER-5 says (e.g. the longest stay)."""
    expected: np.ndarray | None = None
    """Analytic expectation of the daily value from the same start, if there is one."""
    stationary: float | None = None
    """Analytic stationary mean, if there is one."""

    @property
    def supported(self) -> bool:
        """The chosen warm-up is at least the MSER-5 point of the mean series and the floor."""
        return self.chosen_days >= max(self.mser5_days, self.floor_days)


def warmup_evidence(
    daily: Callable[[object, Streams], Mapping[str, float]],
    run: object,
    option: str,
    *,
    chosen_days: float,
    replications: int,
    seed: int,
    runner: Replicator = IN_PROCESS,
) -> WarmupEvidence:
    """Run ``daily`` on ``run`` over replications (by ``runner``) and apply MSER-5 to the mean
    and to each replication's series (expectation and floor are the caller's to add)."""
    results = runner.run(
        daily,
        {option: run},
        replications=replications,
        seed=seed,
        description="warm-up evidence",
    )
    table = results.pivot(index="replication", columns="metric", values="value")
    matrix = table.reindex(sorted(table.columns), axis=1).to_numpy()
    mean = matrix.mean(axis=0)
    return WarmupEvidence(
        option=option,
        day=np.arange(matrix.shape[1]),
        mean=mean,
        by_replication=matrix,
        mser5_days=mser5(mean),
        mser5_days_by_replication=tuple(mser5(row) for row in matrix),
        chosen_days=chosen_days,
    )


def evidence_from_start(
    daily: Callable[[object, Streams], Mapping[str, float]],
    run_class: Callable[..., object],
    config: Any,
    option: str,
    days: int,
    year: float,
    replications: int,
    seed: int,
    runner: Replicator = IN_PROCESS,
) -> WarmupEvidence:
    """:func:`warmup_evidence` of ``run_class(config, option, year)`` run from its start (no
    warm-up) for ``days`` days, judged against the scenario's ``config.period.warmup_days``
    (a service's ``warmup_evidence`` passes its own arguments on in this order)."""
    run = run_class(config, option, year, warmup_days=0.0, window_days=float(days))
    return warmup_evidence(
        daily,
        run,
        option,
        chosen_days=float(config.period.warmup_days),
        replications=replications,
        seed=seed,
        runner=runner,
    )


@dataclass(frozen=True)
class FromStart:
    """A service's ``warmup_evidence(config, option, *, replications, seed, days, year,
    runner)``: :func:`evidence_from_start` of ``daily`` on ``run_class`` with the
    service's default ``replications`` and ``days``, then ``analytic(config, evidence, year)``
    (if given) adds the floor and the analytic expectation. Its fields are module-level, so it
    pickles."""

    daily: Callable[[Any, Streams], Mapping[str, float]]
    run_class: Callable[..., object]
    replications: int
    days: int
    analytic: Callable[[Any, WarmupEvidence, float], WarmupEvidence] | None = None

    def __call__(
        self,
        config: Any,
        option: str,
        *,
        replications: int | None = None,
        seed: int = 2013,
        days: int | None = None,
        year: float = 1,
        runner: Replicator = IN_PROCESS,
    ) -> WarmupEvidence:
        evidence = evidence_from_start(
            self.daily,
            self.run_class,
            config,
            option,
            self.days if days is None else days,
            year,
            self.replications if replications is None else replications,
            seed,
            runner,
        )
        return evidence if self.analytic is None else self.analytic(config, evidence, year)
