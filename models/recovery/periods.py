"""Representative periods of the recovery model: its demand levels, volumes and warm-up.

A replication simulates a representative period (a warm-up then a 13-week window,
:class:`~models.recovery.config.PeriodSpec`) at one demand level and scales its counts to a
year; the shared machinery (run keys ``"<option>@<year>"``, demand years, interpolation linear
in the demand level ``(1 + growth_per_year) ** year``, the interpolation check) is
:mod:`models.kit.periods`. This module binds it to the recovery scenario and adds the
recovery-specific warm-up evidence: pound occupancy from an empty start against the
infinite-server fill curve, with MSER-5.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Unpack

import numpy as np
import pandas as pd

from models.costing import annual_recurring_cost
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
from models.recovery.analytic import expected_fill, expected_occupancy, longest_stay_days
from models.recovery.config import RecoveryConfig
from models.recovery.model import RecoveryRun, simulate, trace

__all__ = [
    "NET_COST",
    "VOLUME_METRICS",
    "WarmupEvidence",
    "appraisal_runs",
    "daily_occupancy",
    "demand_years",
    "interpolation_check",
    "parse_run_key",
    "performance_runs",
    "run_key",
    "split_run_keys",
    "warmup_evidence",
    "yearly_volumes",
]

VOLUME_METRICS: tuple[str, ...] = (
    "jobs_per_year",
    "jobs_urgent_per_year",
    "jobs_routine_per_year",
    "service_credits_per_year",
    "vehicle_days_per_year",
    "overflow_vehicles_per_year",
    "overflow_vehicle_days_per_year",
    "exams_per_year",
    "disposed_per_year",
    "paid_removals_per_year",
    "paid_storage_days_per_year",
    "paid_disposals_per_year",
    "income_per_year",
)
"""The annual volumes the cost lines use (interpolated between demand levels)."""


def demand_years(config: RecoveryConfig, period_years: int, levels: int = 2) -> tuple[int, ...]:
    """Operating years whose demand is simulated (:func:`models.kit.periods.demand_years`):
    ``(1, N)`` by default, ``(1,)`` when demand does not grow."""
    return periods.demand_years(period_years, levels, growth=config.demand.growth_per_year)


def appraisal_runs(
    config: RecoveryConfig,
    period_years: int,
    *,
    options: Iterable[str] | None = None,
    years: Sequence[float] | None = None,
    levels: int = 2,
    **overrides: Unpack[PeriodOverrides],
) -> dict[str, RecoveryRun]:
    """Runs for an appraisal: every option at every simulated demand year (``years``, default
    :func:`demand_years` with ``levels``), keyed by :func:`run_key` (options in the scenario's
    order, then years); ``warmup_days`` and ``window_days`` override the period."""
    simulated = demand_years(config, period_years, levels) if years is None else tuple(years)
    return periods.appraisal_runs(RecoveryRun, config, simulated, options=options, **overrides)


def performance_runs(
    config: RecoveryConfig,
    *,
    year: float = 1,
    options: Iterable[str] | None = None,
    **overrides: Unpack[PeriodOverrides],
) -> dict[str, RecoveryRun]:
    """One run per option at one demand year, keyed by the plain option name (for service
    performance tables)."""
    return periods.performance_runs(RecoveryRun, config, year=year, options=options, **overrides)


def yearly_volumes(
    by_run: Mapping[str, Mapping[str, float]],
    option: str,
    config: RecoveryConfig,
    period_years: int,
    metrics: Iterable[str] = VOLUME_METRICS,
) -> dict[str, np.ndarray]:
    """Annual volumes of ``option`` for years ``0 .. N`` from one replication's results,
    interpolated linearly in the demand level (:func:`models.kit.periods.yearly_volumes`)."""
    return periods.yearly_volumes(
        by_run, option, config.demand.demand_factor, period_years, metrics
    )


def _annual_net_cost(config: RecoveryConfig, option: str, volumes: Mapping[str, float]) -> float:
    """Recurring net cost of one operating year at these volumes (one-off lines left out)."""
    from models.recovery.costs import cost_lines  # costs imports this module

    return annual_recurring_cost(cost_lines(config, option, volumes, 1))


def interpolation_check(
    config: RecoveryConfig,
    period_years: int,
    *,
    replications: int,
    seed: int,
    options: Iterable[str] | None = None,
    levels: int = 2,
    metrics: Iterable[str] = (
        "jobs_per_year",
        "vehicle_days_per_year",
        "overflow_vehicle_days_per_year",
        "service_credits_per_year",
        "income_per_year",
    ),
    jobs: int | None = 1,
    **overrides: Unpack[PeriodOverrides],
) -> pd.DataFrame:
    """Is interpolation between demand levels sound? Simulate a year in between too
    (:func:`models.kit.periods.interpolation_check`).

    The year checked is the one furthest from the simulated years (the middle, with two). For
    each option and metric, and for the option's recurring net cost of that year
    (``net_cost_per_year``: every volume's effect through the cost lines, in pounds), the
    simulated value and the value interpolated from the simulated years are compared, paired by
    replication (common random numbers). A net-cost difference far below the precision asked of
    the headline figures supports the method even where a convex volume (overflow) is
    interpolated roughly.
    """
    return periods.service_interpolation_check(
        simulate,
        RecoveryRun,
        config,
        period_years,
        simulated_years=demand_years(config, period_years, levels),
        demand_factor=config.demand.demand_factor,
        metrics=metrics,
        volume_metrics=lambda _options: VOLUME_METRICS,
        net_cost=partial(_annual_net_cost, config),
        replications=replications,
        seed=seed,
        options=options,
        jobs=jobs,
        **overrides,
    )


# --------------------------------------------------------------------------- warm-up


def daily_occupancy(run: RecoveryRun, streams: Streams) -> dict[str, float]:
    """Daily mean vehicles held (own sites + overflow) from the start of ``run``, warm-up
    included, as a flat ``{"day_0000": ...}`` mapping (so run_replications can run it)."""
    series = trace(run, streams)
    held = series.occupancy + series.overflow_occupancy
    return {
        f"day_{int(day):04d}": float(value) for day, value in zip(series.day, held, strict=True)
    }


@dataclass(frozen=True)
class WarmupEvidence:
    """Evidence for the warm-up length: pound occupancy from an empty start."""

    option: str
    day: np.ndarray
    """Day from the start (0 = the first day)."""
    mean_occupancy: np.ndarray
    """Daily mean vehicles held, averaged over the replications."""
    replication_occupancy: np.ndarray
    """Daily mean vehicles held, one row per replication."""
    expected_occupancy: np.ndarray
    """Analytic expectation from an empty start (infinite-server fill curve)."""
    stationary_occupancy: float
    """Analytic stationary mean (Little's law)."""
    mser5_days: int
    """MSER-5 truncation point of the mean series (days)."""
    mser5_days_by_replication: tuple[int, ...]
    """MSER-5 truncation point of each replication's series (days)."""
    longest_stay_days: float
    """After the longest possible stay the fill curve is flat (examination waits aside)."""
    chosen_days: float
    """The warm-up the scenario uses."""

    @property
    def supported(self) -> bool:
        """The chosen warm-up is at least the MSER-5 point of the mean series and the
        longest stay."""
        return self.chosen_days >= max(self.mser5_days, self.longest_stay_days)


def warmup_evidence(
    config: RecoveryConfig,
    option: str,
    *,
    replications: int = 10,
    seed: int = 2013,
    days: int = 182,
    year: float = 1,
    jobs: int | None = 1,
) -> WarmupEvidence:
    """Run ``option`` from an empty pound for ``days`` days and apply MSER-5 (White 1997) to
    daily occupancy, averaged over replications (and per replication)."""
    run = RecoveryRun(config, option, year, warmup_days=0.0, window_days=float(days))
    results = run_replications(
        daily_occupancy,
        {option: run},
        replications=replications,
        seed=seed,
        jobs=jobs,
        progress=False,
    )
    table = results.pivot(index="replication", columns="metric", values="value")
    table = table.reindex(sorted(table.columns), axis=1)
    matrix = table.to_numpy()
    day = np.arange(matrix.shape[1])
    mean = matrix.mean(axis=0)
    return WarmupEvidence(
        option=option,
        day=day,
        mean_occupancy=mean,
        replication_occupancy=matrix,
        expected_occupancy=expected_fill(config, day + 0.5, year),
        stationary_occupancy=expected_occupancy(config, year),
        mser5_days=mser5(mean),
        mser5_days_by_replication=tuple(mser5(row) for row in matrix),
        longest_stay_days=longest_stay_days(config),
        chosen_days=float(config.period.warmup_days),
    )
