"""Warm-up evidence of the fleet model: vehicles off the road from an all-on-the-road start,
with MSER-5 (:mod:`models.kit.warmup`)."""

from __future__ import annotations

from models.fleet.model import FleetRun, trace
from models.kit.streams import Streams
from models.kit.warmup import FromStart, daily_series

__all__ = ["daily_off_road", "warmup_evidence"]


def daily_off_road(run: FleetRun, streams: Streams) -> dict[str, float]:
    """Daily mean vehicles off the road from the start of ``run`` (warm-up included)."""
    series = trace(run, streams)
    return daily_series(series.day, series.off_road)


warmup_evidence = FromStart(daily_off_road, FleetRun, replications=5, days=120)
"""Run ``option`` from every vehicle on the road for ``days`` days and apply MSER-5."""
