"""Functional tests of the recovery model: what a user of its results relies on.

Comparisons run the options on common random numbers over a few short replications (7-day
warm-up, 14-day window), so they are quick and their differences are not noise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from models.kit.streams import Streams
from models.recovery.config import RecoveryConfig
from models.recovery.model import (
    DAYS_PER_YEAR,
    RecoveryRun,
    _storage_days,
    metric_names,
    simulate,
    trace,
)
from tests.support import ModelTests, option_means, per_year_volumes

model = ModelTests(RecoveryConfig, simulate, metric_names, replications=4)


def test_metrics_are_the_documented_ones_and_finite(
    config: RecoveryConfig, short: Callable[..., RecoveryRun]
) -> None:
    for metrics in model.documented(config, short).values():
        assert 0 <= metrics["attendance_within_target_urgent"] <= 1
        assert 0 < metrics["truck_utilisation"] < 1


def test_options_see_the_same_vehicles(
    config: RecoveryConfig, short: Callable[..., RecoveryRun]
) -> None:
    """Common random numbers: the same requests, categories and owners under every option."""
    demand = ("requests_per_year", "jobs_urgent_per_year", "jobs_routine_per_year")
    model.same_under_every_option(config, short, demand)


def test_common_random_numbers_narrow_attendance_occupancy_and_income(
    config: RecoveryConfig, short: Callable[..., RecoveryRun]
) -> None:
    """Mixed against in-house: narrower paired intervals on these three metrics (the contract
    test asks it of the interpolation metrics)."""
    runs = {name: short(config, name) for name in ("in_house", "mixed")}
    metrics = ("attendance_mean_hours", "pound_occupancy_mean", "income_per_year")
    for metric, (paired, unpaired) in model.crn_half_widths(
        runs, "in_house", "mixed", metrics
    ).items():
        assert paired < unpaired, metric


def _more_trucks(extra: int) -> Callable[[dict[str, Any]], None]:
    def edit(mapping: dict[str, Any]) -> None:
        trucks = mapping["options"]["in_house"]["recovery"]["trucks"]
        for sector, shifts in trucks.items():
            trucks[sector] = [{**shift, "capacity": shift["capacity"] + extra} for shift in shifts]

    return edit


def test_more_trucks_never_lengthen_attendance(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    configs = {f"+{k}": model.variant(mapping, _more_trucks(k)) for k in (0, 1, 3)}
    results = model.replicate(configs, "in_house", short, seed=21)
    for metric in ("attendance_mean_hours", "attendance_p90_hours_urgent"):
        means = option_means(results, metric)
        assert means == sorted(means, reverse=True), (metric, means)
    within = option_means(results, "attendance_within_target")
    assert within == sorted(within), within


def _demand(factor: float) -> Callable[[dict[str, Any]], None]:
    def edit(mapping: dict[str, Any]) -> None:
        mapping["demand"]["annual_vehicles"] *= factor

    return edit


def test_more_demand_never_shortens_attendance(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    configs = {f"x{f}": model.variant(mapping, _demand(f)) for f in (0.8, 1.0, 1.25)}
    for option in ("in_house", "outsourced"):
        results = model.replicate(configs, option, short, seed=22)
        for metric in ("attendance_mean_hours", "pound_occupancy_mean", "jobs_per_year"):
            means = option_means(results, metric)
            assert means == sorted(means), (option, metric, means)


def _pound_size(spaces: int) -> Callable[[dict[str, Any]], None]:
    def edit(mapping: dict[str, Any]) -> None:
        for site in mapping["options"]["in_house"]["storage"]["sites"].values():
            site["capacity"] = spaces

    return edit


def test_a_bigger_pound_never_raises_overflow(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    configs = {f"{n} spaces": model.variant(mapping, _pound_size(n)) for n in (300, 400, 500, 2000)}
    results = model.replicate(configs, "in_house", short, seed=23)
    for metric in (
        "overflow_vehicles_per_year",
        "overflow_vehicle_days_per_year",
        "days_over_capacity_per_year",
    ):
        means = option_means(results, metric)
        assert means == sorted(means, reverse=True), (metric, means)
        assert means[0] > 0, f"the smallest pound should overflow ({metric})"
        assert means[-1] == 0, f"a pound with room for everything never overflows ({metric})"


def test_no_vehicles_leave_only_the_contractors_other_clients(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    config = model.variant(mapping, _demand(0.0))
    for option in config.options:
        metrics = simulate(short(config, option), Streams(1))
        volumes = per_year_volumes(metrics)
        others = volumes.pop("other_client_jobs_per_year")
        assert all(v == 0 for v in volumes.values()), volumes
        assert metrics["pound_occupancy_mean"] == 0
        assert "attendance_mean_hours" not in metrics  # no observation: left out, never NaN
        if config.options[option].recovery.provider == "contractor":
            assert others > 0  # the contractor's other clients still keep it busy


def test_service_credits_only_for_breaches(
    mapping: dict[str, Any], config: RecoveryConfig, short: Callable[..., RecoveryRun]
) -> None:
    # each credit is one attendance beyond the contractual target of its priority
    run = short(config, "outsourced")
    series = trace(run, Streams(8))
    targets = config.options["outsourced"].recovery.contract_targets_hours
    limit = np.array([targets[p] for p in series.attendance_priority])
    breaches = int(np.sum(series.attendance_hours > limit))
    window = run.window_hours / 24
    assert breaches > 0
    assert series.metrics["service_credits_per_year"] == pytest.approx(
        breaches * DAYS_PER_YEAR / window
    )
    # an in-house fleet earns none, and a contractor that always meets its targets earns none
    assert simulate(short(config, "in_house"), Streams(8))["service_credits_per_year"] == 0

    def generous(m: dict[str, Any]) -> None:
        recovery = m["options"]["outsourced"]["recovery"]
        recovery["contract_targets_hours"] = {"urgent": 1000.0, "routine": 1000.0}

    relaxed = model.variant(mapping, generous)
    assert simulate(short(relaxed, "outsourced"), Streams(8))["service_credits_per_year"] == 0


def test_other_clients_take_contractor_capacity(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    def share(value: float) -> Callable[[dict[str, Any]], None]:
        def edit(m: dict[str, Any]) -> None:
            m["options"]["outsourced"]["recovery"]["other_clients"]["busy_share"] = value

        return edit

    configs = {f"{s}": model.variant(mapping, share(s)) for s in (0.0, 0.3, 0.6)}
    results = model.replicate(configs, "outsourced", short, seed=24, replications=3)
    utilisation = option_means(results, "truck_utilisation")
    attendance = option_means(results, "attendance_mean_hours")
    assert utilisation == sorted(utilisation) and attendance == sorted(attendance)


def test_the_trace_occupancy_and_attendance_average_to_the_metrics(
    config: RecoveryConfig, short: Callable[..., RecoveryRun]
) -> None:
    """(That the trace is the very run ``simulate`` measures is a contract test.)"""
    run = short(config, "in_house")
    series = trace(run, Streams(4))
    days = run.warmup_hours / 24 + run.window_hours / 24
    assert len(series.day) == days and series.day[0] == 0
    window = series.day >= series.warmup_days
    assert series.occupancy[window].mean() == pytest.approx(
        series.metrics["pound_occupancy_mean"], rel=1e-9
    )
    assert series.attendance_hours.mean() == pytest.approx(
        series.metrics["attendance_mean_hours"], rel=1e-9
    )
    assert set(series.site_occupancy) == set(config.options["in_house"].storage.sites)


@pytest.mark.parametrize(
    ("removed", "charge_from", "left", "days"),
    [
        (10.0, 10.0, 35.0, 0),  # Monday 10:00 to Tuesday 11:00: before the first midday
        (10.0, 10.0, 36.0, 1),  # Tuesday midday
        (10.0, 10.0, 61.0, 2),  # Wednesday 13:00
        (23.0, 23.0, 36.0, 1),  # removed late Monday: still charged from Tuesday midday
        (10.0, 80.0, 83.0, 0),  # examined until Thursday 08:00 (charges waived), left 11:00
        (10.0, 80.0, 90.0, 1),  # ... left Thursday 18:00: charged from Thursday midday
        (10.0, 80.0, 109.0, 2),  # ... left Friday 13:00
    ],
)
def test_storage_is_charged_per_midday_from_the_day_after_removal(
    removed: float, charge_from: float, left: float, days: int
) -> None:
    assert _storage_days(removed, charge_from, left) == days
