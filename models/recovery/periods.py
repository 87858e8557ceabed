"""Representative periods: from a few simulated demand levels to a 10-year appraisal.

A replication does not simulate the whole appraisal period. It simulates a representative
period (a warm-up then a 13-week window, :class:`~models.recovery.config.PeriodSpec`) at one
demand level and scales its counts to a year. Over the appraisal, demand grows by
``growth_per_year``; the model is run at the first and the last operating years' demand
(years 1 and N) and each year's volumes in between are interpolated *linearly in the demand
level* (not in the year), which is exact for volumes proportional to demand (jobs, vehicle-days
without overflow, income) and a close approximation for the convex ones (overflow, service
credits) over a range of demand this narrow. :func:`interpolation_check` measures that claim
for a scenario: it also simulates a middle year and compares the simulated volumes with the
interpolated ones, paired by replication.

Run keys: ``run_replications`` takes a mapping of names to runs; an appraisal run is named
``"<option>@<year>"`` (:func:`run_key`), so one call runs every option at every demand level
with common random numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from models.kit.output_analysis import confidence_interval, mser5
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
    """Operating years whose demand is simulated: ``levels`` years spread evenly from 1 to N
    (default ``(1, N)``), or ``(1,)`` when demand does not change (no growth) or the period is
    one year. More levels follow convex volumes (overflow) more closely, at more run time."""
    if period_years < 1:
        raise ValueError(f"period_years must be >= 1 (got {period_years})")
    if levels < 1:
        raise ValueError(f"levels must be >= 1 (got {levels})")
    if config.demand.growth_per_year == 0 or period_years == 1 or levels == 1:
        return (1,)
    years = np.linspace(1, period_years, min(levels, period_years)).round().astype(int)
    return tuple(sorted(set(years.tolist())))


def run_key(option: str, year: float) -> str:
    """Name of a run of ``option`` at ``year``'s demand: ``"in_house@10"``."""
    return f"{option}@{year:g}"


def parse_run_key(key: str) -> tuple[str, float]:
    """``"in_house@10"`` -> ``("in_house", 10.0)``."""
    option, sep, year = key.rpartition("@")
    if not sep or not option:
        raise ValueError(f"not a run key (expected '<option>@<year>'): {key!r}")
    return option, float(year)


def appraisal_runs(
    config: RecoveryConfig,
    period_years: int,
    *,
    options: Iterable[str] | None = None,
    years: Sequence[float] | None = None,
    levels: int = 2,
    warmup_days: float | None = None,
    window_days: float | None = None,
) -> dict[str, RecoveryRun]:
    """Runs for an appraisal: every option at every simulated demand year (``years``, default
    :func:`demand_years` with ``levels``), keyed by :func:`run_key` (options in the scenario's
    order, then years)."""
    chosen = list(config.options) if options is None else list(options)
    simulated = demand_years(config, period_years, levels) if years is None else tuple(years)
    return {
        run_key(option, year): RecoveryRun(config, option, year, warmup_days, window_days)
        for option in chosen
        for year in simulated
    }


def performance_runs(
    config: RecoveryConfig,
    *,
    year: float = 1,
    options: Iterable[str] | None = None,
    warmup_days: float | None = None,
    window_days: float | None = None,
) -> dict[str, RecoveryRun]:
    """One run per option at one demand year, keyed by the plain option name (for service
    performance tables)."""
    chosen = list(config.options) if options is None else list(options)
    return {
        option: RecoveryRun(config, option, year, warmup_days, window_days) for option in chosen
    }


def split_run_keys(results: pd.DataFrame) -> pd.DataFrame:
    """``run_replications`` output with ``option`` split into ``option`` and ``year`` columns."""
    parsed = [parse_run_key(key) for key in results["option"]]
    out = results.copy()
    out["option"] = [option for option, _ in parsed]
    out.insert(out.columns.get_loc("option") + 1, "year", [year for _, year in parsed])
    return out


def _interpolate(
    config: RecoveryConfig, points: Sequence[tuple[float, float]], period_years: int
) -> np.ndarray:
    """Values for years 0 .. N from ``(year, value)`` pairs, piecewise linear in the demand
    factor ``(1 + growth) ** year`` (held flat beyond the first and last simulated years).

    Year 0 (the decision year, before operation) is zero. With one level the value is constant.
    """
    out = np.zeros(period_years + 1)
    if len(points) == 1:
        out[1:] = points[0][1]
        return out
    factor = config.demand.demand_factor
    known = np.array([factor(year) for year, _ in points])
    values = np.array([value for _, value in points])
    wanted = np.array([factor(year) for year in range(1, period_years + 1)])
    if known[0] > known[-1]:  # demand falling: np.interp needs increasing abscissae
        known, values = known[::-1], values[::-1]
    out[1:] = np.interp(wanted, known, values)
    return out


def yearly_volumes(
    by_run: Mapping[str, Mapping[str, float]],
    option: str,
    config: RecoveryConfig,
    period_years: int,
    metrics: Iterable[str] = VOLUME_METRICS,
) -> dict[str, np.ndarray]:
    """Annual volumes of ``option`` for years ``0 .. N`` from one replication's results.

    ``by_run`` maps run keys (``"in_house@1"``, ``"in_house@10"``) to that run's metrics, as
    :func:`models.appraisal.appraise_replications` passes them. Each metric is interpolated
    linearly in the demand level between the simulated years (year 0 is zero: no operation in
    the decision year).
    """
    runs = sorted(
        (year, values)
        for key, values in by_run.items()
        for opt, year in [parse_run_key(key)]
        if opt == option
    )
    if not runs:
        raise KeyError(f"no runs of option {option!r} among {sorted(by_run)}")
    return {
        metric: _interpolate(
            config, [(year, values[metric]) for year, values in runs], period_years
        )
        for metric in metrics
    }


def _annual_net_cost(config: RecoveryConfig, option: str, volumes: Mapping[str, float]) -> float:
    """Recurring net cost of one operating year at these volumes (one-off lines left out)."""
    from models.appraisal import Category
    from models.recovery.costs import cost_lines  # costs imports this module

    recurring = {Category.TRANSITION, Category.CAPITAL, Category.RESIDUAL_VALUE}
    lines = cost_lines(config, option, volumes, 1)
    return sum(line.values[1] for line in lines if line.category not in recurring)


NET_COST = "net_cost_per_year"
"""Pseudo-metric of :func:`interpolation_check`: the recurring net cost of the year."""


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
    warmup_days: float | None = None,
    window_days: float | None = None,
) -> pd.DataFrame:
    """Is interpolation between demand levels sound? Simulate a year in between too.

    The year checked is the one furthest from the simulated years (the middle, with two). For
    each option and metric, and for the option's recurring net cost of that year
    (``net_cost_per_year``: every volume's effect through the cost lines, in pounds), the
    simulated value and the value interpolated from the simulated years are compared, paired by
    replication (common random numbers). Columns ``option, metric, year, simulated,
    interpolated, difference, low, high, relative_difference`` (difference = interpolated -
    simulated with its 95 % t-interval; relative to the simulated mean). A net-cost difference
    far below the precision asked of the headline figures supports the method even where a
    convex volume (overflow) is interpolated roughly.
    """
    simulated_years = demand_years(config, period_years, levels)
    candidates = [y for y in range(1, period_years + 1) if y not in simulated_years]
    if not candidates:
        raise ValueError("every year is simulated: nothing to check")
    check_year = max(candidates, key=lambda y: min(abs(y - s) for s in simulated_years))
    runs = appraisal_runs(
        config,
        period_years,
        options=options,
        years=sorted({*simulated_years, check_year}),
        warmup_days=warmup_days,
        window_days=window_days,
    )
    results = run_replications(
        simulate, runs, replications=replications, seed=seed, jobs=jobs, progress=False
    )
    metrics = [*metrics, NET_COST]
    chosen = list(config.options) if options is None else list(options)
    pairs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _, frame in results.groupby("replication", sort=True):
        values = {
            key: dict(zip(group["metric"], group["value"], strict=True))
            for key, group in frame.groupby("option", sort=False)
        }
        for option in chosen:
            known = {run_key(option, y): values[run_key(option, y)] for y in simulated_years}
            series = yearly_volumes(known, option, config, period_years)
            estimated = {m: float(v[check_year]) for m, v in series.items()}
            actual = values[run_key(option, check_year)]
            for metric in metrics:
                if metric == NET_COST:
                    pair = (
                        _annual_net_cost(config, option, actual),
                        _annual_net_cost(config, option, estimated),
                    )
                else:
                    interpolated = yearly_volumes(known, option, config, period_years, [metric])
                    pair = (actual.get(metric, 0.0), float(interpolated[metric][check_year]))
                pairs.setdefault((option, metric), []).append(pair)
    rows = []
    for (option, metric), values_ in pairs.items():
        sim = np.array([a for a, _ in values_])
        est = np.array([b for _, b in values_])
        diff = confidence_interval(est - sim)
        mean_sim = float(sim.mean())
        rows.append(
            {
                "option": option,
                "metric": metric,
                "year": check_year,
                "simulated": mean_sim,
                "interpolated": float(est.mean()),
                "difference": diff.mean,
                "low": diff.low,
                "high": diff.high,
                "relative_difference": diff.mean / abs(mean_sim) if mean_sim else 0.0,
            }
        )
    return pd.DataFrame(rows)


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
