"""Representative periods of the fleet model: fleet-size levels, volumes and warm-up.

A replication simulates a representative period (a warm-up then an 8-week window,
:class:`~models.fleet.config.PeriodSpec`) at one fleet size and scales its counts to a year;
the shared machinery (run keys ``"<option>@<year>"``, demand years, interpolation linear in the
fleet-size factor ``(1 + size_change_per_year) ** year``, the interpolation check) is
:mod:`models.kit.periods`. With no change in fleet size (the default) one level is simulated and
every year has the same volumes.

Why a short window suffices: the fleet is a closed system of thousands of vehicles, so an
8-week window already holds tens of thousands of jobs, and the figures that decide between
options (availability, vehicles off the road, turnaround, costs) vary little between
replications. The warm-up starts from every vehicle on the road; :func:`warmup_evidence`
applies MSER-5 (White 1997) to the daily vehicles off the road to support its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Unpack

import numpy as np
import pandas as pd

from models.costing import annual_recurring_cost
from models.fleet.config import FleetConfig
from models.fleet.model import FleetRun, job_volume_metrics, simulate, trace
from models.kit import periods
from models.kit.output_analysis import mser5
from models.kit.periods import (
    NET_COST,
    PeriodOverrides,
    parse_run_key,
    run_key,
    split_run_keys,
)
from models.kit.replications import run_replications
from models.kit.streams import Streams

__all__ = [
    "NET_COST",
    "WarmupEvidence",
    "appraisal_runs",
    "daily_off_road",
    "demand_years",
    "interpolation_check",
    "parse_run_key",
    "performance_runs",
    "run_key",
    "split_run_keys",
    "volume_metrics",
    "warmup_evidence",
    "yearly_volumes",
]


def volume_metrics(config: FleetConfig, option: str) -> list[str]:
    """The annual volumes the cost lines of ``option`` use (interpolated between levels)."""
    spec = config.options[option]
    return [
        "vehicles",
        *job_volume_metrics(config, option),
        *(f"breaches_{ws}_per_year" for ws in spec.workshops),
        "vehicle_shifts_short_per_year",
    ]


def demand_years(config: FleetConfig, period_years: int, levels: int = 2) -> tuple[int, ...]:
    """Operating years whose fleet size is simulated (:func:`models.kit.periods.demand_years`):
    ``(1, N)`` by default, ``(1,)`` when the fleet does not change size."""
    return periods.demand_years(period_years, levels, growth=config.size_change_per_year)


def appraisal_runs(
    config: FleetConfig,
    period_years: int,
    *,
    options: Iterable[str] | None = None,
    years: Sequence[float] | None = None,
    levels: int = 2,
    **overrides: Unpack[PeriodOverrides],
) -> dict[str, FleetRun]:
    """Runs for an appraisal: every option at every simulated fleet-size year, keyed by
    :func:`run_key` (options in the scenario's order, then years); ``warmup_days`` and
    ``window_days`` override the period."""
    simulated = demand_years(config, period_years, levels) if years is None else tuple(years)
    return periods.appraisal_runs(FleetRun, config, simulated, options=options, **overrides)


def performance_runs(
    config: FleetConfig,
    *,
    year: float = 1,
    options: Iterable[str] | None = None,
    **overrides: Unpack[PeriodOverrides],
) -> dict[str, FleetRun]:
    """One run per option at one fleet-size year, keyed by the plain option name."""
    return periods.performance_runs(FleetRun, config, year=year, options=options, **overrides)


def yearly_volumes(
    by_run: Mapping[str, Mapping[str, float]],
    option: str,
    config: FleetConfig,
    period_years: int,
    metrics: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """Annual volumes of ``option`` for years ``0 .. N`` from one replication's results,
    interpolated linearly in the fleet size (default metrics: :func:`volume_metrics`)."""
    chosen = volume_metrics(config, option) if metrics is None else metrics
    return periods.yearly_volumes(by_run, option, config.demand_factor, period_years, chosen)


def _annual_net_cost(config: FleetConfig, option: str, volumes: Mapping[str, float]) -> float:
    """Recurring net cost of one operating year at these volumes (one-off lines left out)."""
    from models.fleet.costs import cost_lines  # costs imports this module

    return annual_recurring_cost(cost_lines(config, option, volumes, 1))


def interpolation_check(
    config: FleetConfig,
    period_years: int,
    *,
    replications: int,
    seed: int,
    options: Iterable[str] | None = None,
    levels: int = 2,
    metrics: Iterable[str] = ("jobs_per_year", "off_road_mean", "breaches_per_year"),
    jobs: int | None = 1,
    **overrides: Unpack[PeriodOverrides],
) -> pd.DataFrame:
    """Is interpolation between fleet sizes sound? Simulate a year in between too
    (:func:`models.kit.periods.interpolation_check`; needs ``size_change_per_year != 0``)."""
    return periods.service_interpolation_check(
        simulate,
        FleetRun,
        config,
        period_years,
        simulated_years=demand_years(config, period_years, levels),
        demand_factor=config.demand_factor,
        metrics=metrics,
        volume_metrics=lambda chosen: sorted(
            {m for option in chosen for m in volume_metrics(config, option)}
        ),
        net_cost=partial(_annual_net_cost, config),
        replications=replications,
        seed=seed,
        options=options,
        jobs=jobs,
        **overrides,
    )


# --------------------------------------------------------------------------- warm-up


def daily_off_road(run: FleetRun, streams: Streams) -> dict[str, float]:
    """Daily mean vehicles off the road from the start of ``run`` (warm-up included), as a flat
    ``{"day_0000": ...}`` mapping (so run_replications can run it)."""
    series = trace(run, streams)
    return {
        f"day_{int(day):04d}": float(value)
        for day, value in zip(series.day, series.off_road, strict=True)
    }


@dataclass(frozen=True)
class WarmupEvidence:
    """Evidence for the warm-up length: vehicles off the road from an all-on-the-road start."""

    option: str
    day: np.ndarray
    mean_off_road: np.ndarray
    """Daily mean vehicles off the road, averaged over the replications."""
    replication_off_road: np.ndarray
    """One row per replication."""
    mser5_days: int
    """MSER-5 truncation point of the mean series (days)."""
    mser5_days_by_replication: tuple[int, ...]
    chosen_days: float
    """The warm-up the scenario uses."""

    @property
    def supported(self) -> bool:
        """The chosen warm-up is at least the MSER-5 point of the mean series."""
        return self.chosen_days >= self.mser5_days


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
    """Run ``option`` from every vehicle on the road for ``days`` days and apply MSER-5 to the
    daily vehicles off the road, averaged over replications (and per replication)."""
    run = FleetRun(config, option, year, warmup_days=0.0, window_days=float(days))
    results = run_replications(
        daily_off_road,
        {option: run},
        replications=replications,
        seed=seed,
        jobs=jobs,
        progress=False,
    )
    table = results.pivot(index="replication", columns="metric", values="value")
    matrix = table.reindex(sorted(table.columns), axis=1).to_numpy()
    mean = matrix.mean(axis=0)
    return WarmupEvidence(
        option=option,
        day=np.arange(matrix.shape[1]),
        mean_off_road=mean,
        replication_off_road=matrix,
        mser5_days=mser5(mean),
        mser5_days_by_replication=tuple(mser5(row) for row in matrix),
        chosen_days=float(config.period.warmup_days),
    )
