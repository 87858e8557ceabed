"""Key results of the default scenario, per service, for the back-tests.

``python tests/backtest/figures.py recovery`` recomputes a service's figures and rewrites its
stored file ``tests/backtest/<service>.json``: do that only when a change to the model or the
default scenario is meant to move the results, and say so in the commit.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from models.comparison import AppraisalInputs, OptionComparison, compare_options
from models.scenario import DEFAULT_SCENARIO, Scenario, load_scenario

HERE = Path(__file__).resolve().parent
REPLICATIONS = 10
JOBS = 2

Figures = dict[str, dict[str, float]]
"""Figure name -> {mean, low, high} (95 % interval over the replications)."""


def compare(service: str, scenario: Scenario) -> OptionComparison:
    """Every option of ``service`` on ``scenario`` (the same calls its report makes)."""
    module = importlib.import_module(f"models.{service}")
    config = getattr(scenario, service)
    assert config is not None, f"the default scenario has no {service} section"
    inputs = AppraisalInputs.from_scenario(scenario)
    return compare_options(
        module.simulate,
        module.appraisal_runs(config, inputs.period_years),
        module.build_lines(config, inputs.period_years),
        inputs,
        replications=REPLICATIONS,
        seed=scenario.seed,
        jobs=JOBS,
    )


SERVICES: dict[str, tuple[str, ...]] = {
    "recovery": (
        "attendance_within_target_urgent",
        "attendance_mean_hours_urgent",
        "attendance_within_target_routine",
        "pound_occupancy_mean",
        "exam_wait_mean_hours",
        "income_per_year",
        "service_credits_per_year",
    ),
    "fleet": (
        "availability",
        "off_road_mean",
        "off_road_p95_daily",
        "jobs_per_year",
        "turnaround_mean_hours_mechanical",
        "breaches_per_year",
    ),
    "catering": (
        "restaurant_covers_per_year",
        "restaurant_peak_wait_mean_minutes",
        "restaurant_lost_share",
        "feeding_on_time_share",
        "feeding_emergency_within_target",
        "custody_on_time_share",
        "meals_per_year",
    ),
}


def figures(service: str) -> Figures:
    """The service's key figures on the default scenario: performance and costs per option."""
    metrics = SERVICES[service]
    result = compare(service, load_scenario(DEFAULT_SCENARIO))
    out: Figures = {}
    for row in result.performance.itertuples(index=False):
        if row.metric in metrics:
            out[f"{row.option}: {row.metric}"] = _interval(row.mean, row.low, row.high)
    for row in result.costs.itertuples(index=False):
        out[f"{row.option}: present value of costs"] = _interval(row.pv_mean, row.low, row.high)
        if row.option != result.baseline:
            out[f"{row.option}: difference from {result.baseline}"] = _interval(
                row.diff_mean, row.diff_low, row.diff_high
            )
    return out


def _interval(mean: float, low: float, high: float) -> dict[str, float]:
    return {"mean": float(mean), "low": float(low), "high": float(high)}


def moved(expected: Figures, actual: Figures) -> list[str]:
    """One line per figure whose new mean lies outside its recorded interval (or is missing)."""
    lines = []
    for name, band in sorted(expected.items()):
        if name not in actual:
            lines.append(f"{name}: no longer computed")
        elif not band["low"] <= actual[name]["mean"] <= band["high"]:
            lines.append(
                f"{name}: now {actual[name]['mean']:.6g}, recorded {band['mean']:.6g} "
                f"(interval {band['low']:.6g} to {band['high']:.6g})"
            )
    lines.extend(
        f"{name}: new figure, not recorded" for name in sorted(set(actual) - set(expected))
    )
    return lines


def stored(service: str) -> Figures:
    """The figures recorded for ``service``."""
    return json.loads((HERE / f"{service}.json").read_text())


def main(services: list[str]) -> None:
    for service in services or list(SERVICES):
        path = HERE / f"{service}.json"
        path.write_text(json.dumps(figures(service), indent=2, sort_keys=True) + "\n")
        print(f"wrote {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
