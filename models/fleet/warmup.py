"""Warm-up evidence of the fleet model: vehicles off the road from an all-on-the-road start,
with MSER-5 (:mod:`models.kit.warmup`)."""

from __future__ import annotations

from models.fleet.config import FleetConfig
from models.fleet.model import FleetRun, trace
from models.kit.streams import Streams
from models.kit.warmup import WarmupEvidence, daily_series, evidence_from_start

__all__ = ["daily_off_road", "warmup_evidence"]


def daily_off_road(run: FleetRun, streams: Streams) -> dict[str, float]:
    """Daily mean vehicles off the road from the start of ``run`` (warm-up included)."""
    series = trace(run, streams)
    return daily_series(series.day, series.off_road)


def warmup_evidence(
    config: FleetConfig,
    option: str,
    *,
    replications: int = 5,
    seed: int = 2013,
    days: int = 120,
    year: float = 1,
    jobs: int | None = 1,
) -> WarmupEvidence:
    """Run ``option`` from every vehicle on the road for ``days`` days and apply MSER-5."""
    return evidence_from_start(
        daily_off_road, FleetRun, config, option, days, year, replications, seed, jobs
    )
