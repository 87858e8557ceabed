"""The fleet model: determinism, common random numbers, and the behaviour a user relies on.

Functional tests run the default scenario over a short period (7-day warm-up, 14-day window)
and compare configurations on common random numbers, replication by replication.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from models.fleet.config import FleetConfig
from models.fleet.model import (
    BLOCK,
    CACHED_BLOCKS_PER_GROUP,
    GROUP,
    FleetRun,
    _JobDraws,
    metric_names,
    simulate,
    trace,
)
from models.kit.replications import run_replications
from models.kit.streams import Streams

Short = Callable[..., FleetRun]


def _replicate(runs: dict[str, FleetRun], replications: int = 3, jobs: int = 1) -> Any:
    results = run_replications(
        simulate, runs, replications=replications, seed=11, jobs=jobs, progress=False
    )
    return results.pivot_table(index=["option", "replication"], columns="metric", values="value")


def test_metrics_are_the_documented_ones_and_plausible(config: FleetConfig, short: Short) -> None:
    for option in config.options:
        metrics = simulate(short(config, option), Streams(2))
        assert set(metrics) <= set(metric_names(config, option)), option
        assert all(math.isfinite(v) for v in metrics.values())
        assert metrics["vehicles"] == 5500
        assert 0.8 < metrics["availability"] < 1.0
        assert metrics["off_road_mean"] == pytest.approx(5500 * metrics["off_road_share"])
        # ~12.8 workshop jobs per vehicle-year (Fleet News 2000), of which ~0.3 collisions
        assert 11.0 < metrics["jobs_per_vehicle_year"] < 14.0
        assert 0.2 < metrics["jobs_collision_per_year"] / 5500 < 0.4
        kinds = sum(metrics[f"jobs_{k}_per_year"] for k in config.jobs)
        assert kinds == pytest.approx(metrics["jobs_per_year"])


def test_each_vehicles_jobs_do_not_depend_on_when_they_are_asked_for() -> None:
    """Common random numbers: vehicle i's n-th job is the same whatever the order of requests,
    even when blocks had to be dropped from the cache and drawn again."""

    def draw(rng: np.random.Generator, rows: int, cols: int) -> list[np.ndarray]:
        return [rng.random((rows, cols)), rng.random((rows, cols))]

    vehicles = 2 * GROUP + 5
    jobs = 3 * BLOCK + 2
    forward = _JobDraws("fleet.test", Streams(5), vehicles, draw)
    backward = _JobDraws("fleet.test", Streams(5), vehicles, draw)
    ahead = {(v, n): forward.get(v, n) for v in range(vehicles) for n in range(jobs)}
    behind = {(v, n): backward.get(v, n) for n in range(jobs) for v in reversed(range(vehicles))}
    assert ahead == behind
    assert len(set(ahead.values())) == len(ahead)
    # the cache is bounded: memory does not grow with the number of jobs drawn
    assert len(forward._cache) <= CACHED_BLOCKS_PER_GROUP * 3


def test_options_see_the_same_failures(config: FleetConfig, short: Short) -> None:
    """Options differ in workshops, not in how often vehicles fail: job counts stay close."""
    table = _replicate({o: short(config, o) for o in config.options}, replications=1)
    jobs = table["jobs_per_year"].unstack("option")
    assert (jobs.max(axis=1) / jobs.min(axis=1) < 1.03).all()


def test_more_technicians_never_lower_availability(
    small: dict[str, Any], short: Short, scale_roster: Callable[[Any, float], Any]
) -> None:
    runs = {}
    for factor in (0.7, 1.0, 1.5):
        changed = copy.deepcopy(small)
        technicians = changed["options"]["in_house"]["workshops"]["force"]["technicians"]
        for skill, roster in technicians.items():
            technicians[skill] = scale_roster(roster, factor)
        runs[f"x{factor}"] = short(FleetConfig.model_validate(changed), "in_house")
    availability = _replicate(runs)["availability"].unstack("option")
    assert (availability["x1.0"] >= availability["x0.7"]).all()
    assert (availability["x1.5"] >= availability["x1.0"]).all()
    assert availability["x1.5"].mean() > availability["x0.7"].mean()


def test_longer_service_intervals_mean_fewer_services(small: dict[str, Any], short: Short) -> None:
    runs = {}
    for factor in (1.0, 2.0):
        changed = copy.deepcopy(small)
        for vehicle in changed["vehicles"].values():
            for key in ("service_interval_miles", "service_interval_months"):
                if key in vehicle:
                    vehicle[key] *= factor
        runs[f"x{factor}"] = short(FleetConfig.model_validate(changed), "in_house")
    services = _replicate(runs, replications=2)["jobs_service_per_year"].unstack("option")
    assert (services["x2.0"] < 0.7 * services["x1.0"]).all()


def test_a_bigger_spare_pool_never_raises_shifts_short(small: dict[str, Any], short: Short) -> None:
    runs = {}
    for vehicles in (0, 6, 30):
        changed = copy.deepcopy(small)
        changed["spare_pool"] = {"vehicles": vehicles}  # covers every class
        runs[f"pool{vehicles:02d}"] = short(FleetConfig.model_validate(changed), "outsourced")
    table = _replicate(runs)
    for metric in ("shifts_short_per_year", "vehicle_hours_short_per_year"):
        values = table[metric].unstack("option")
        assert (values["pool06"] <= values["pool00"]).all(), metric
        assert (values["pool30"] <= values["pool06"]).all(), metric
        assert values["pool00"].mean() > values["pool30"].mean(), metric
    # the pool changes who is short, not what the workshops do
    off = table["off_road_mean"].unstack("option")
    assert (off["pool00"] == off["pool30"]).all()


def test_service_credits_follow_the_contractors_breaches(
    small: dict[str, Any], short: Short
) -> None:
    runs = {}
    for factor in (0.5, 1.0, 4.0):
        changed = copy.deepcopy(small)
        contractor = changed["options"]["outsourced"]["workshops"]["contractor"]
        targets = contractor["contract_targets_hours"]
        contractor["contract_targets_hours"] = {k: v * factor for k, v in targets.items()}
        runs[f"x{factor}"] = short(FleetConfig.model_validate(changed), "outsourced")
    config = FleetConfig.model_validate(small)
    runs["in_house"] = short(config, "in_house")
    table = _replicate(runs, replications=2)
    breaches = table["breaches_per_year"].unstack("option")
    assert (breaches["x0.5"] > breaches["x1.0"]).all()  # tighter targets: more breaches
    assert (breaches["x1.0"] >= breaches["x4.0"]).all()
    assert (breaches["in_house"] == 0).all()  # no contract, no breaches
    # targets change the credits, never the service itself
    off = table["off_road_mean"].unstack("option")
    assert (off["x0.5"] == off["x4.0"]).all()


def test_mobile_units_take_small_jobs(small: dict[str, Any], short: Short) -> None:
    config = FleetConfig.model_validate(small)
    with_units = simulate(short(config, "in_house"), Streams(4))
    small["options"]["in_house"]["workshops"]["force"]["mobile_units"] = 0
    without = simulate(short(FleetConfig.model_validate(small), "in_house"), Streams(4))
    assert with_units["mobile_jobs_per_year"] > 0.2 * with_units["jobs_per_year"]
    assert without["mobile_jobs_per_year"] == 0
    assert without["utilisation_force_servicing"] > with_units["utilisation_force_servicing"]


def test_other_customers_take_contractor_capacity(small: dict[str, Any], short: Short) -> None:
    config = FleetConfig.model_validate(small)
    busy = simulate(short(config, "outsourced"), Streams(4))
    del small["options"]["outsourced"]["workshops"]["contractor"]["other_customers"]
    alone = simulate(short(FleetConfig.model_validate(small), "outsourced"), Streams(4))
    assert busy["other_customer_jobs_per_year"] > 0
    assert alone["other_customer_jobs_per_year"] == 0
    assert busy["workshop_utilisation"] > alone["workshop_utilisation"] + 0.1


def test_no_failures_and_no_services_keep_every_vehicle_on_the_road(
    mapping: dict[str, Any], short: Short
) -> None:
    for vehicle in mapping["vehicles"].values():
        vehicle["failures_per_year"] = {}
        vehicle.pop("service_interval_miles", None)
        vehicle.pop("service_interval_months", None)
    metrics = simulate(short(FleetConfig.model_validate(mapping), "mixed"), Streams(1))
    assert metrics["availability"] == 1.0
    assert metrics["jobs_per_year"] == 0
    assert metrics["shifts_short_per_year"] == 0


def test_the_trace_off_road_averages_to_the_metric(config: FleetConfig, short: Short) -> None:
    """(That the trace is the very run ``simulate`` measures is a contract test.)"""
    series = trace(short(config, "mixed"), Streams(9))
    assert len(series.day) == 21
    observed = series.day >= series.warmup_days
    # daily means over the window average to the time-weighted mean
    assert series.off_road[observed].mean() == pytest.approx(
        series.metrics["off_road_mean"], rel=1e-9
    )
    assert set(series.availability_by_class) == set(config.vehicles)
    assert len(series.turnaround_hours) == len(series.turnaround_kind) > 1000


def test_labour_is_counted_where_the_jobs_are_worked(config: FleetConfig, short: Short) -> None:
    """The labour of the force's jobs by workshop and skill (what the should-cost staffs):
    collisions (never mobile) take 24 h on average; the mixed option's contractor gets only
    the mechanical jobs of over 8 hours."""
    outsourced = simulate(short(config, "outsourced"), Streams(5))
    collisions = outsourced["jobs_contractor_collision_per_year"]
    hours = outsourced["labour_hours_contractor_bodyshop_per_year"]
    assert hours == pytest.approx(24 * collisions, rel=0.15)
    mixed = simulate(short(config, "mixed"), Streams(5))
    major = mixed["jobs_contractor_mechanical_per_year"]
    assert mixed["labour_hours_contractor_mechanical_per_year"] > 8 * major > 0
    assert "labour_hours_force_bodyshop_per_year" not in mixed  # no bodyshop in-house
