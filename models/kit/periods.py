"""Representative periods: from a few simulated demand levels to a multi-year appraisal.

A replication does not simulate the whole appraisal period. It simulates a representative
period (a warm-up then an observed window) at one demand level and scales its counts to a year.
Over the appraisal, demand changes by a factor ``demand_factor(year)`` (e.g. ``(1 + g) **
year``); a service model is run at a few operating years' demand (by default the first and the
last, :func:`demand_years`) and each year's volumes in between are interpolated *linearly in the
demand level* (not in the year), which is exact for volumes proportional to demand and a close
approximation for convex ones (overflow, breaches) over a narrow range of demand.
:func:`interpolation_check` measures that claim for a scenario: it also simulates the year
furthest from the simulated ones and compares simulated and interpolated volumes, paired by
replication (common random numbers).

Run keys: :func:`models.kit.replications.run_replications` takes a mapping of names to runs;
an appraisal run is named ``"<option>@<year>"`` (:func:`run_key`), so one call runs every option
at every demand level with common random numbers.

Service runs: :func:`appraisal_runs`, :func:`performance_runs` and
:func:`service_interpolation_check` build a service's runs from its run class (a
:class:`~models.kit.runs.ServiceRun`), so each service's ``periods`` module only binds them to
its scenario section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypedDict, TypeVar

import numpy as np
import pandas as pd

from models.kit.output_analysis import confidence_interval
from models.kit.replications import IN_PROCESS, Replicator
from models.kit.streams import Streams

__all__ = [
    "NET_COST",
    "DemandFactor",
    "PeriodOverrides",
    "appraisal_runs",
    "by_run",
    "demand_years",
    "interpolate",
    "interpolation_check",
    "parse_run_key",
    "performance_runs",
    "run_key",
    "service_interpolation_check",
    "split_run_keys",
    "yearly_volumes",
]

RunT = TypeVar("RunT")

DemandFactor = Callable[[float], float]
"""Demand in a year relative to the base year (year 0)."""

NET_COST = "net_cost_per_year"
"""Pseudo-metric of :func:`interpolation_check`: the recurring net cost of the year."""


def demand_years(period_years: int, levels: int = 2, *, growth: float = 1.0) -> tuple[int, ...]:
    """Operating years whose demand is simulated: ``levels`` years spread evenly from 1 to N
    (default ``(1, N)``), or ``(1,)`` when demand does not change (``growth == 0``) or the
    period is one year. More levels follow convex volumes more closely, at more run time."""
    if period_years < 1:
        raise ValueError(f"period_years must be >= 1 (got {period_years})")
    if levels < 1:
        raise ValueError(f"levels must be >= 1 (got {levels})")
    if growth == 0 or period_years == 1 or levels == 1:
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


def split_run_keys(results: pd.DataFrame) -> pd.DataFrame:
    """``run_replications`` output with ``option`` split into ``option`` and ``year`` columns."""
    parsed = [parse_run_key(key) for key in results["option"]]
    out = results.copy()
    out["option"] = [option for option, _ in parsed]
    out.insert(out.columns.get_loc("option") + 1, "year", [year for _, year in parsed])
    return out


def by_run(replication: pd.DataFrame) -> dict[str, dict[str, float]]:
    """One replication's rows of ``run_replications`` output as ``{run key: {metric: value}}``
    (what :func:`models.appraisal.appraise_replications` passes to ``build_lines``)."""
    return {
        key: dict(zip(group["metric"], group["value"], strict=True))
        for key, group in replication.groupby("option", sort=False)
    }


def interpolate(
    demand_factor: DemandFactor, points: Sequence[tuple[float, float]], period_years: int
) -> np.ndarray:
    """Values for years 0 .. N from ``(year, value)`` pairs, piecewise linear in the demand
    factor (held flat beyond the first and last simulated years).

    Year 0 (the decision year, before operation) is zero. With one point the value is constant.
    """
    out = np.zeros(period_years + 1)
    if len(points) == 1:
        out[1:] = points[0][1]
        return out
    known = np.array([demand_factor(year) for year, _ in points])
    values = np.array([value for _, value in points])
    wanted = np.array([demand_factor(year) for year in range(1, period_years + 1)])
    if known[0] > known[-1]:  # demand falling: np.interp needs increasing abscissae
        known, values = known[::-1], values[::-1]
    out[1:] = np.interp(wanted, known, values)
    return out


def yearly_volumes(
    runs: Mapping[str, Mapping[str, float]],
    option: str,
    demand_factor: DemandFactor,
    period_years: int,
    metrics: Iterable[str],
) -> dict[str, np.ndarray]:
    """Annual volumes of ``option`` for years ``0 .. N`` from one replication's results.

    ``runs`` maps run keys (``"in_house@1"``, ``"in_house@10"``) to that run's metrics. Each
    metric is interpolated linearly in the demand level between the simulated years (year 0 is
    zero: no operation in the decision year).
    """
    points = sorted(
        (year, values)
        for key, values in runs.items()
        for opt, year in [parse_run_key(key)]
        if opt == option
    )
    if not points:
        raise KeyError(f"no runs of option {option!r} among {sorted(runs)}")
    return {
        metric: interpolate(
            demand_factor, [(year, values[metric]) for year, values in points], period_years
        )
        for metric in metrics
    }


def interpolation_check(
    simulate: Callable[[Any, Streams], Mapping[str, float]],
    make_runs: Callable[[Sequence[float]], Mapping[str, Any]],
    *,
    options: Sequence[str],
    simulated_years: Sequence[int],
    period_years: int,
    demand_factor: DemandFactor,
    metrics: Iterable[str],
    volume_metrics: Iterable[str] = (),
    net_cost: Callable[[str, Mapping[str, float]], float] | None = None,
    replications: int,
    seed: int,
    runner: Replicator = IN_PROCESS,
) -> pd.DataFrame:
    """Is interpolation between demand levels sound? Simulate a year in between too.

    ``make_runs(years)`` gives the runs of every option in ``options`` at those years, keyed by
    :func:`run_key`. The year checked is the one furthest from ``simulated_years``. For each
    option and metric, and (with ``net_cost(option, volumes)``, fed the ``volume_metrics``) for
    the option's recurring net cost of that year (:data:`NET_COST`), the simulated value and the
    value interpolated from the simulated years are compared, paired by replication. Columns
    ``option, metric, year, simulated, interpolated, difference, low, high,
    relative_difference`` (difference = interpolated - simulated with its 95 % t-interval;
    relative to the simulated mean). ``runner`` runs the replications.
    """
    candidates = [y for y in range(1, period_years + 1) if y not in simulated_years]
    if not candidates:
        raise ValueError("every year is simulated: nothing to check")
    check_year = max(candidates, key=lambda y: min(abs(y - s) for s in simulated_years))
    runs = make_runs(sorted({*simulated_years, check_year}))
    results = runner.run(
        simulate, runs, replications=replications, seed=seed, description="interpolation check"
    )
    metrics = list(metrics)
    volume_metrics = list(volume_metrics)
    pairs: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _, frame in results.groupby("replication", sort=True):
        values = by_run(frame)
        for option in options:
            known = {run_key(option, y): values[run_key(option, y)] for y in simulated_years}
            actual = values[run_key(option, check_year)]
            for metric in metrics:
                series = yearly_volumes(known, option, demand_factor, period_years, [metric])
                pair = (actual.get(metric, 0.0), float(series[metric][check_year]))
                pairs.setdefault((option, metric), []).append(pair)
            if net_cost is not None:
                series = yearly_volumes(known, option, demand_factor, period_years, volume_metrics)
                estimated = {m: float(v[check_year]) for m, v in series.items()}
                pair = (net_cost(option, actual), net_cost(option, estimated))
                pairs.setdefault((option, NET_COST), []).append(pair)
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


# --------------------------------------------------------------------------- service runs


class PeriodOverrides(TypedDict, total=False):
    """Overrides of a service's representative period, passed on to its run class."""

    warmup_days: float | None
    window_days: float | None


def _chosen(config: Any, options: Iterable[str] | None) -> list[str]:
    """``options`` as a list, or every option of ``config`` in the scenario's order."""
    return list(config.options) if options is None else list(options)


def appraisal_runs(
    run_class: Callable[..., RunT],
    config: Any,
    years: Sequence[float],
    *,
    options: Iterable[str] | None = None,
    **overrides: Any,
) -> dict[str, RunT]:
    """Runs for an appraisal: every option (default: all, in the scenario's order) at every
    year of ``years``, keyed by :func:`run_key`; ``overrides`` go to ``run_class``."""
    return {
        run_key(option, year): run_class(config, option, year, **overrides)
        for option in _chosen(config, options)
        for year in years
    }


def performance_runs(
    run_class: Callable[..., RunT],
    config: Any,
    *,
    year: float = 1,
    options: Iterable[str] | None = None,
    **overrides: Any,
) -> dict[str, RunT]:
    """One run per option at one demand year, keyed by the plain option name (for service
    performance tables); ``overrides`` go to ``run_class``."""
    return {
        option: run_class(config, option, year, **overrides) for option in _chosen(config, options)
    }


def service_interpolation_check(
    simulate: Callable[[Any, Streams], Mapping[str, float]],
    run_class: Callable[..., Any],
    config: Any,
    period_years: int,
    *,
    simulated_years: Sequence[int],
    demand_factor: DemandFactor,
    metrics: Iterable[str],
    volume_metrics: Callable[[list[str]], Iterable[str]],
    net_cost: Callable[[str, Mapping[str, float]], float],
    replications: int,
    seed: int,
    options: Iterable[str] | None = None,
    runner: Replicator = IN_PROCESS,
    **overrides: Any,
) -> pd.DataFrame:
    """:func:`interpolation_check` of a service: its runs (``run_class`` with ``overrides``)
    of ``options`` (default: all), fed ``volume_metrics(options)`` and ``net_cost``."""
    chosen = _chosen(config, options)
    return interpolation_check(
        simulate,
        lambda years: appraisal_runs(run_class, config, years, options=chosen, **overrides),
        options=chosen,
        simulated_years=simulated_years,
        period_years=period_years,
        demand_factor=demand_factor,
        metrics=metrics,
        volume_metrics=volume_metrics(chosen),
        net_cost=net_cost,
        replications=replications,
        seed=seed,
        runner=runner,
    )
