"""Functional tests of the catering model: what a user of its results relies on.

Comparisons run variants on common random numbers over a few short replications, so they are
quick and their differences are not noise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from models.catering.config import CateringConfig
from models.catering.model import CateringRun, metric_names, simulate, trace
from models.catering.restaurants import restaurant_arrival_times
from models.kit.streams import Streams
from tests.support import ModelTests, option_means, per_year_volumes

model = ModelTests(CateringConfig, simulate, metric_names, replications=3)


# --------------------------------------------------------------------------- determinism


def test_metrics_are_the_documented_ones_and_sensible(
    config: CateringConfig, short: Callable[..., CateringRun]
) -> None:
    for option, metrics in model.documented(config, short).items():
        for share in (
            "restaurant_lost_share",
            "feeding_on_time_share",
            "feeding_emergency_within_target",
            "custody_on_time_share",
            "restaurant_server_utilisation",
        ):
            assert 0 <= metrics[share] <= 1, (option, share)
        assert (
            metrics["restaurant_peak_wait_p95_minutes"]
            >= metrics["restaurant_peak_wait_mean_minutes"]
        )
        assert metrics["meals_per_year"] == pytest.approx(
            metrics["restaurant_covers_per_year"]
            + metrics["feeding_meals_per_year"]
            + metrics["custody_meals_per_year"]
        )


def test_options_see_the_same_customers_events_and_detainees(
    config: CateringConfig, short: Callable[..., CateringRun]
) -> None:
    """Common random numbers: the same demand under every option, however it is served."""
    demand = (
        "feeding_meals_per_year",
        "feeding_emergency_requests_per_year",
        "custody_detainees_per_year",
    )
    results = model.same_under_every_option(config, short, demand)
    for r in results.values():  # covers served + lost = customers arriving, the same for all
        arrived = r["restaurant_covers_per_year"] + r["restaurant_lost_covers_per_year"]
        first = next(iter(results.values()))
        assert arrived == pytest.approx(
            first["restaurant_covers_per_year"] + first["restaurant_lost_covers_per_year"]
        )


def test_common_random_numbers_narrow_takings_and_lost_share(
    config: CateringConfig, short: Callable[..., CateringRun]
) -> None:
    """Outsourced against in-house over a week of feeding: narrower paired intervals on these
    two metrics (the contract test asks it of the interpolation metrics)."""
    runs = {name: short(config, name, feeding_days=7) for name in ("in_house", "outsourced")}
    metrics = ("restaurant_takings_per_year", "restaurant_lost_share")
    for metric, (paired, unpaired) in model.crn_half_widths(
        runs, "in_house", "outsourced", metrics
    ).items():
        assert paired < unpaired, metric


# --------------------------------------------------------------------------- restaurants


def test_arrivals_follow_the_day_shape(config: CateringConfig) -> None:
    """Covers arrive only in opening hours and 65 % of them between 12:00 and 13:30."""
    site = config.restaurants.site_types["large"]
    times = np.array(
        list(restaurant_arrival_times(site, 1.0, np.random.default_rng(1), 0.0, 7 * 24.0))
    )
    hours = times % 24
    assert np.all((hours >= 7.5) & (hours < 15.0))
    assert set((times // 24).astype(int) % 7) == {0, 1, 2, 3, 4}  # weekdays only
    expected = 5 * site.covers_per_day(0)
    assert len(times) == pytest.approx(expected, rel=0.05)
    peak = np.mean((hours >= 12.0) & (hours < 13.5))
    assert peak == pytest.approx(0.65, abs=0.02)


def _peak_servers(extra: int) -> Callable[[dict[str, Any]], None]:
    def edit(mapping: dict[str, Any]) -> None:
        staffing = mapping["options"]["in_house"]["restaurants"]["staffing"]
        for site in staffing.values():
            site["counters"]["hot_meal"] = [
                *site["counters"]["hot_meal"],
                {"start": 11.75, "end": 13.75, "capacity": extra},
            ]
            site["tills"] = [*site["tills"], {"start": 11.75, "end": 13.75, "capacity": extra}]

    return edit


def test_more_servers_never_lengthen_the_queue(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    # start from a tight estate: one fewer hot-meal server and till at the peak everywhere
    for site in mapping["options"]["in_house"]["restaurants"]["staffing"].values():
        for roster in (site["counters"]["hot_meal"], site["tills"]):
            for shift in roster:
                if shift["start"] == 11.75:
                    shift["capacity"] -= 1
    configs = {f"+{k}": model.variant(mapping, _peak_servers(k)) for k in (0, 1, 2)}
    results = model.replicate(configs, "in_house", short, seed=21, feeding_days=1)
    for metric in (
        "restaurant_peak_wait_mean_minutes",
        "restaurant_peak_wait_p95_minutes",
        "restaurant_wait_mean_minutes",
        "restaurant_lost_covers_per_year",
    ):
        means = option_means(results, metric)
        assert means == sorted(means, reverse=True), (metric, means)
    waits = option_means(results, "restaurant_peak_wait_mean_minutes")
    assert waits[0] > waits[-1]


def _patience(queue: int) -> Callable[[dict[str, Any]], None]:
    def edit(mapping: dict[str, Any]) -> None:
        mapping["restaurants"]["balk_queue_length"] = queue

    return edit


def test_lost_covers_fall_as_patience_rises(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    configs = {f"{q} waiting": model.variant(mapping, _patience(q)) for q in (2, 5, 10, 40)}
    results = model.replicate(configs, "outsourced", short, seed=22, feeding_days=1)
    lost = option_means(results, "restaurant_lost_covers_per_year")
    assert lost == sorted(lost, reverse=True), lost
    assert lost[0] > 2 * lost[2] > 0
    takings = option_means(results, "restaurant_takings_per_year")
    assert takings == sorted(takings), takings  # lost covers are lost takings


# --------------------------------------------------------------------------- operational feeding


def _carnival(officers: int) -> Callable[[dict[str, Any]], None]:
    def edit(mapping: dict[str, Any]) -> None:
        mapping["operational_feeding"]["planned"]["notting_hill_carnival"]["officers"] = officers

    return edit


def test_a_larger_event_never_makes_fewer_meals_late(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    configs = {
        f"{n} officers": model.variant(mapping, _carnival(n)) for n in (2000, 4000, 6000, 9000)
    }
    results = model.replicate(
        configs, "in_house", short, seed=23, window_days=1.0, feeding_days=240
    )
    late = option_means(results, "feeding_late_meals_per_year")
    assert late == sorted(late), late
    assert late[-1] > late[0]
    on_time = option_means(results, "feeding_planned_on_time_share")
    assert on_time == sorted(on_time, reverse=True), on_time


def test_emergency_requests_are_served_before_planned_production(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    """A much larger Carnival delays planned meals, but the emergencies' priority keeps their
    response within a small margin."""
    configs = {f"{n}": model.variant(mapping, _carnival(n)) for n in (4000, 12000)}
    results = model.replicate(
        configs, "in_house", short, seed=24, window_days=1.0, feeding_days=240
    )
    planned = option_means(results, "feeding_planned_on_time_share")
    emergency = option_means(results, "feeding_emergency_within_target")
    assert planned[1] < planned[0] - 0.05
    assert emergency[1] >= emergency[0] - 0.02


def test_carnival_day_trace_accounts_for_every_meal(mapping: dict[str, Any]) -> None:
    def quiet(m: dict[str, Any]) -> None:
        m["operational_feeding"]["unplanned"]["requests_per_year"] = 0

    config = model.variant(mapping, quiet)
    run = CateringRun(config, "in_house", 1, warmup_days=0, window_days=1, feeding_days=240)
    day = trace(run, Streams(7))
    assert day.feeding_event == "notting_hill_carnival"
    assert day.feeding_day == 237
    hourly = day.feeding_hourly
    assert hourly["required"].sum() == pytest.approx(8000)
    assert hourly["required"][11:14] == pytest.approx([4000 / 3] * 3)
    assert hourly["due"][14] == hourly["due"][20] == 4000
    assert hourly["delivered"].sum() == pytest.approx(8000)
    assert np.all(hourly["late"] <= hourly["delivered"])
    assert hourly["delivered"][:8].sum() == 0  # nothing before production starts (08:00)
    planned_late = 1 - day.metrics["feeding_planned_on_time_share"]
    assert hourly["late"].sum() <= planned_late * day.metrics["feeding_planned_meals_per_year"]


def test_restaurant_trace_by_time_of_day(
    config: CateringConfig, short: Callable[..., CateringRun]
) -> None:
    day = trace(short(config, "outsourced", window_days=5.0, feeding_days=1), Streams(8))
    arrivals = day.restaurant_arrivals["large"]
    slots = np.arange(arrivals.size) * day.slot_hours
    peak = (slots >= 12.0) & (slots < 13.5)
    assert arrivals[peak].sum() / arrivals.sum() == pytest.approx(0.65, abs=0.03)
    waits = day.restaurant_wait_minutes["large"]
    assert np.nanmean(waits[peak]) > np.nanmean(waits[slots < 11.0])
    assert np.all(np.isnan(waits[slots < 7.5]))


# --------------------------------------------------------------------------- custody and demand


def test_kitchen_supply_delays_set_meals(
    config: CateringConfig, short: Callable[..., CateringRun]
) -> None:
    """Delivered set-time meals wait for the van: longer from due to served than microwave
    meals, with the same detainees."""
    results = {o: simulate(short(config, o, feeding_days=1), Streams(4)) for o in config.options}
    assert (
        results["outsourced"]["custody_wait_mean_minutes"]
        > results["in_house"]["custody_wait_mean_minutes"]
    )
    assert results["outsourced"]["custody_meals_per_year"] == pytest.approx(
        results["in_house"]["custody_meals_per_year"]
    )


def test_custody_stock_runs_out_when_too_small(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    def small_stock(m: dict[str, Any]) -> None:
        m["options"]["in_house"]["custody"]["stock"]["order_up_to"] = {"large": 20, "small": 10}

    config = model.variant(mapping, small_stock)
    metrics = simulate(short(config, "in_house", feeding_days=1, window_days=4.0), Streams(2))
    assert metrics["custody_emergency_meals_per_year"] > 0
    assert metrics["custody_late_meals_per_year"] >= metrics["custody_emergency_meals_per_year"]


def test_demand_falls_with_the_years(
    config: CateringConfig, short: Callable[..., CateringRun]
) -> None:
    """Growth of -1 % a year: fewer covers and detainees in year 10, the same planned events."""
    first = simulate(short(config, "in_house", year=1.0), Streams(6))
    last = simulate(short(config, "in_house", year=10.0), Streams(6))
    assert last["restaurant_covers_per_year"] < first["restaurant_covers_per_year"]
    assert last["custody_detainees_per_year"] < first["custody_detainees_per_year"]
    assert last["feeding_planned_meals_per_year"] == first["feeding_planned_meals_per_year"]


def test_no_diners_detainees_or_feeding_give_zero_volumes(
    mapping: dict[str, Any], short: Callable[..., CateringRun]
) -> None:
    def nothing(m: dict[str, Any]) -> None:
        for site in m["restaurants"]["site_types"].values():
            site["population"] = 0
        m["operational_feeding"]["planned"] = {}
        m["operational_feeding"]["unplanned"]["requests_per_year"] = 0
        for suite in m["custody"]["suite_types"].values():
            suite["detainees_per_day"] = 0

    config = model.variant(mapping, nothing)
    for option in config.options:
        metrics = simulate(short(config, option), Streams(1))
        volumes = per_year_volumes(metrics)
        assert volumes and all(v == 0 for v in volumes.values()), volumes
        assert "restaurant_peak_wait_mean_minutes" not in metrics  # no observation: left out


def test_runs_refuse_unknown_options_and_bad_periods(config: CateringConfig) -> None:
    with pytest.raises(ValueError, match="no catering option 'canteen'"):
        CateringRun(config, "canteen")
    with pytest.raises(ValueError, match="window_days must be > 0"):
        CateringRun(config, "in_house", window_days=0)
    run = CateringRun(config, "in_house")
    assert run.with_(year=10).year == 10
    assert run.horizon_days == 365 and run.window_hours == 7 * 24
