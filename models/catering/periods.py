"""Representative periods of the catering model: its demand levels and volumes.

A replication simulates a week of restaurants and custody and a year of operational feeding
(:class:`~models.catering.config.PeriodSpec`) at one demand level and scales the counts to a
year; the shared machinery (run keys ``"<option>@<year>"``, demand years, interpolation linear in
the demand level ``(1 + growth_per_year) ** year``, the interpolation check) is
:mod:`models.kit.periods`. This module binds it to the catering scenario.

Why these periods: a day restaurant opens empty and closes empty, so a week is a sample of five
independent weekdays plus the round-the-clock site's weekend, and needs no warm-up; custody cells
fill within a day or two (mean stay 14 hours), so two days of warm-up suffice; operational
feeding is driven by a calendar of large, rare events, so the whole year is simulated (it costs
little: a few thousand van loads).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Unpack

import numpy as np
import pandas as pd

from models.catering.config import CateringConfig
from models.catering.model import CateringRun, simulate
from models.costing import annual_recurring_cost
from models.kit import periods
from models.kit.periods import (
    NET_COST,
    PeriodOverrides,
    parse_run_key,
    run_key,
    split_run_keys,
)

__all__ = [
    "NET_COST",
    "appraisal_runs",
    "demand_years",
    "interpolation_check",
    "parse_run_key",
    "performance_runs",
    "run_key",
    "split_run_keys",
    "volume_metrics",
    "yearly_volumes",
]


class CateringOverrides(PeriodOverrides, total=False):
    """Overrides of the catering periods: restaurants and custody, and operational feeding."""

    feeding_days: int | None


def volume_metrics(config: CateringConfig) -> tuple[str, ...]:
    """The annual volumes the cost lines use (interpolated between demand levels)."""
    return (
        "restaurant_covers_per_year",
        *(f"restaurant_covers_{name}_per_year" for name in config.restaurants.counters),
        "restaurant_lost_covers_per_year",
        "feeding_meals_per_year",
        "feeding_late_meals_per_year",
        "feeding_trips_per_year",
        "custody_meals_per_year",
        "custody_late_meals_per_year",
        "custody_emergency_meals_per_year",
        "meals_per_year",
    )


def demand_years(config: CateringConfig, period_years: int, levels: int = 2) -> tuple[int, ...]:
    """Operating years whose demand is simulated (:func:`models.kit.periods.demand_years`):
    ``(1, N)`` by default, ``(1,)`` when demand does not change."""
    return periods.demand_years(period_years, levels, growth=config.growth_per_year)


def appraisal_runs(
    config: CateringConfig,
    period_years: int,
    *,
    options: Iterable[str] | None = None,
    years: Sequence[float] | None = None,
    levels: int = 2,
    **overrides: Unpack[CateringOverrides],
) -> dict[str, CateringRun]:
    """Runs for an appraisal: every option at every simulated demand year (``years``, default
    :func:`demand_years` with ``levels``), keyed by :func:`run_key` (options in the scenario's
    order, then years); ``warmup_days``, ``window_days`` and ``feeding_days`` override the
    periods."""
    simulated = demand_years(config, period_years, levels) if years is None else tuple(years)
    return periods.appraisal_runs(CateringRun, config, simulated, options=options, **overrides)


def performance_runs(
    config: CateringConfig,
    *,
    year: float = 1,
    options: Iterable[str] | None = None,
    **overrides: Unpack[CateringOverrides],
) -> dict[str, CateringRun]:
    """One run per option at one demand year, keyed by the plain option name (for service
    performance tables)."""
    return periods.performance_runs(CateringRun, config, year=year, options=options, **overrides)


def yearly_volumes(
    by_run: Mapping[str, Mapping[str, float]],
    option: str,
    config: CateringConfig,
    period_years: int,
    metrics: Iterable[str] | None = None,
) -> dict[str, np.ndarray]:
    """Annual volumes of ``option`` for years ``0 .. N`` from one replication's results,
    interpolated linearly in the demand level (:func:`models.kit.periods.yearly_volumes`);
    ``metrics`` defaults to :func:`volume_metrics`. A volume a run left out (no observation,
    e.g. no custody meals at zero demand) counts as zero."""
    wanted = volume_metrics(config) if metrics is None else tuple(metrics)
    complete = {key: {m: values.get(m, 0.0) for m in wanted} for key, values in by_run.items()}
    return periods.yearly_volumes(complete, option, config.demand_factor, period_years, wanted)


def _annual_net_cost(config: CateringConfig, option: str, volumes: Mapping[str, float]) -> float:
    """Recurring net cost of one operating year at these volumes (one-off lines left out)."""
    from models.catering.costs import cost_lines  # costs imports this module

    complete = {m: volumes.get(m, 0.0) for m in volume_metrics(config)}
    return annual_recurring_cost(cost_lines(config, option, complete, 1))


def interpolation_check(
    config: CateringConfig,
    period_years: int,
    *,
    replications: int,
    seed: int,
    options: Iterable[str] | None = None,
    levels: int = 2,
    metrics: Iterable[str] = (
        "restaurant_covers_per_year",
        "restaurant_lost_covers_per_year",
        "feeding_late_meals_per_year",
        "custody_meals_per_year",
        "custody_late_meals_per_year",
    ),
    jobs: int | None = 1,
    **overrides: Unpack[CateringOverrides],
) -> pd.DataFrame:
    """Is interpolation between demand levels sound? Simulate the year furthest from the
    simulated ones too and compare, paired by replication, the simulated and interpolated
    volumes and the option's recurring net cost of that year
    (:func:`models.kit.periods.interpolation_check`)."""
    return periods.service_interpolation_check(
        simulate,
        CateringRun,
        config,
        period_years,
        simulated_years=demand_years(config, period_years, levels),
        demand_factor=config.demand_factor,
        metrics=metrics,
        volume_metrics=lambda _options: volume_metrics(config),
        net_cost=partial(_annual_net_cost, config),
        replications=replications,
        seed=seed,
        options=options,
        jobs=jobs,
        **overrides,
    )
