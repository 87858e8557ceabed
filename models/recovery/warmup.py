"""Warm-up evidence of the recovery model: pound occupancy from an empty start against the
infinite-server fill curve, with MSER-5 (:mod:`models.kit.warmup`)."""

from __future__ import annotations

from dataclasses import replace

from models.kit.streams import Streams
from models.kit.warmup import FromStart, WarmupEvidence, daily_series
from models.recovery.analytic import expected_fill, expected_occupancy, longest_stay_days
from models.recovery.config import RecoveryConfig
from models.recovery.model import RecoveryRun, trace

__all__ = ["daily_occupancy", "warmup_evidence"]


def daily_occupancy(run: RecoveryRun, streams: Streams) -> dict[str, float]:
    """Daily mean vehicles held (own sites + overflow) from the start of ``run``."""
    series = trace(run, streams)
    return daily_series(series.day, series.occupancy + series.overflow_occupancy)


def _fill_curve(config: RecoveryConfig, evidence: WarmupEvidence, year: float) -> WarmupEvidence:
    """``evidence`` with the floor, the longest stay (after it the fill curve is flat,
    examination waits aside), and the infinite-server fill curve and stationary mean."""
    return replace(
        evidence,
        floor_days=longest_stay_days(config),
        expected=expected_fill(config, evidence.day + 0.5, year),
        stationary=expected_occupancy(config, year),
    )


warmup_evidence = FromStart(
    daily_occupancy, RecoveryRun, replications=10, days=182, analytic=_fill_curve
)
"""Run ``option`` from an empty pound for ``days`` days and apply MSER-5, against the fill
curve; the floor is the longest stay."""
