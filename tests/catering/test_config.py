"""The ``catering:`` schema: the default section loads, mistakes are refused with clear messages."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
import simpy
from pydantic import ValidationError

from models.catering.config import CateringConfig
from models.catering.feeding import EventRoster, surge_windows
from models.kit.roster import Roster, RosteredResource, Shift
from models.scenario import load_scenario
from tests.support import BASELINE, variant_of, with_option

variant = variant_of(CateringConfig)


def _refused(mapping: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> str:
    with pytest.raises(ValidationError) as info:
        variant(mapping, edit)
    return str(info.value)


def test_the_baseline_scenario_has_the_catering_section(config: CateringConfig) -> None:
    scenario = load_scenario(BASELINE)
    assert scenario.catering == config
    assert list(config.options) == ["in_house", "outsourced", "mixed"]
    assert sum(t.sites for t in config.restaurants.site_types.values()) == 14
    assert sum(t.suites for t in config.custody.suite_types.values()) >= 30
    assert config.options["outsourced"].client_function is not None
    assert config.options["outsourced"].client_function.annual_cost == 250_000
    transition = config.options["outsourced"].transition
    assert transition["change_funding"].amount == 443_000
    assert transition["transition"].amount == 171_000
    assert transition["redundancy"].amount == 2_670_000
    assert not config.options["in_house"].outsources_anything
    assert config.options["mixed"].outsources_anything


def test_lunch_peak_share_and_covers(config: CateringConfig) -> None:
    for site in config.restaurants.site_types.values():
        peak = sum(s.share for s in site.day_shape if s.start >= 12.0 and s.end <= 13.5)
        assert 0.4 <= peak <= 0.7
    weekday = sum(t.sites * t.covers_per_day(0) for t in config.restaurants.site_types.values())
    assert config.restaurants.annual_covers() == pytest.approx(
        (5 * weekday + 2 * config.restaurants.site_types["round_the_clock"].covers_per_day(5))
        * 365
        / 7
    )


def test_shares_must_add_up(mapping: dict[str, Any]) -> None:
    def edit(m: dict[str, Any]) -> None:
        m["restaurants"]["counters"]["coffee"]["share"] = 0.3

    assert "counter shares must add up to 1" in _refused(mapping, edit)

    def shape(m: dict[str, Any]) -> None:
        m["restaurants"]["site_types"]["small"]["day_shape"][0]["share"] = 0.5

    assert "day_shape shares must add up to 1" in _refused(mapping, shape)


def test_overlapping_day_segments_are_refused(mapping: dict[str, Any]) -> None:
    def edit(m: dict[str, Any]) -> None:
        m["restaurants"]["site_types"]["small"]["day_shape"] = [
            {"start": 8, "end": 13, "share": 0.5},
            {"start": 12, "end": 15, "share": 0.5},
        ]

    assert "in time order without overlap" in _refused(mapping, edit)


def test_unknown_keys_are_refused(mapping: dict[str, Any]) -> None:
    def edit(m: dict[str, Any]) -> None:
        m["restaurants"]["balk_queue_lenght"] = 5

    assert "balk_queue_lenght" in _refused(mapping, edit)


def test_a_counter_unstaffed_while_customers_arrive_is_refused(mapping: dict[str, Any]) -> None:
    def edit(m: dict[str, Any]) -> None:
        staffing = m["options"]["in_house"]["restaurants"]["staffing"]["small"]
        staffing["counters"]["hot_meal"] = [{"start": 11, "end": 15.25, "capacity": 1}]

    message = _refused(mapping, edit)
    assert "options.in_house.restaurants.staffing.small.counters.hot_meal" in message
    assert "nobody on duty while customers arrive (day 0 7.5-9" in message


def test_staffing_must_name_every_counter_and_site_type(mapping: dict[str, Any]) -> None:
    def no_coffee(m: dict[str, Any]) -> None:
        del m["options"]["outsourced"]["restaurants"]["staffing"]["small"]["counters"]["coffee"]

    assert "must name every counter" in _refused(mapping, no_coffee)

    def no_site(m: dict[str, Any]) -> None:
        del m["options"]["outsourced"]["restaurants"]["staffing"]["medium"]

    assert "no staffing for site type 'medium'" in _refused(mapping, no_site)


def test_custody_figures_for_each_suite_type(mapping: dict[str, Any]) -> None:
    def edit(m: dict[str, Any]) -> None:
        m["options"]["in_house"]["custody"]["stock"]["order_up_to"] = {"large": 100}

    assert "stock.order_up_to must give a figure for each suite type" in _refused(mapping, edit)

    def kitchen(m: dict[str, Any]) -> None:
        del m["options"]["outsourced"]["custody"]["delivery_delay_hours"]

    assert "kitchen supply needs delivery_delay_hours" in _refused(mapping, kitchen)


def test_kitchens_need_lines_and_vans(mapping: dict[str, Any]) -> None:
    def edit(m: dict[str, Any]) -> None:
        m["options"]["outsourced"]["operational_feeding"]["kitchens"] = {
            "only": {"lines": 0, "meals_per_line_hour": 100, "vans": 1}
        }

    assert "never has a line on duty" in _refused(mapping, edit)


def test_contracted_custody_meals_only(mapping: dict[str, Any]) -> None:
    """A fourth option: contracted custody meals only, everything else in-house."""

    def edit(m: dict[str, Any]) -> None:
        with_option(
            m,
            "custody_only",
            "Contracted custody meals",
            80_000,
            restaurants="in_house",
            operational_feeding="in_house",
            custody="outsourced",
        )

    config = variant(mapping, edit)
    assert config.options["custody_only"].custody.provider == "contractor"


def test_events_recur_every_year_and_week(config: CateringConfig) -> None:
    planned = config.operational_feeding.planned
    assert planned["notting_hill_carnival"].event_days(365) == [237, 238]
    assert planned["notting_hill_carnival"].event_days(730) == [237, 238, 602, 603]
    saturdays = planned["football"].event_days(28)
    assert saturdays == [5, 12, 19, 26]
    # football is met by the rostered staff: no call-in on a plain Saturday
    windows = surge_windows(config.operational_feeding, 28)
    assert all(not (5 * 24 <= start < 6 * 24) for start, _ in windows)
    # Carnival day: called in from 08:00 (3 h before 11:00) to 20:00
    year = surge_windows(config.operational_feeding, 365)
    assert (237 * 24 + 8.0, 237 * 24 + 20.0) in year


def test_event_roster_adds_called_in_units_on_event_days() -> None:
    weekly = Roster([Shift(7, 19, 1)])
    roster = EventRoster(weekly, [(30.0, 40.0), (35.0, 45.0)], extra=3)
    assert roster.capacity_at(8) == 1
    assert roster.capacity_at(31) == 4  # day 1, 07:00 -> 19:00 shift plus 3 called in
    assert roster.capacity_at(44) == 3  # 20:00 on day 1: only the called-in units
    assert roster.capacity_at(46) == 0
    assert roster.extra_hours == 3 * 15  # overlapping windows merged: 30 -> 45
    changes = list(itertools.takewhile(lambda c: c[0] < 48, roster.changes(24.0)))
    assert changes == [(30.0, 3), (31.0, 4), (43.0, 3), (45.0, 0)]
    # a resource following it serves with the called-in units
    env = simpy.Environment()
    resource = RosteredResource(env, roster, "lines")
    env.run(until=32)
    assert resource.capacity == 4
    env.run(until=46)
    assert resource.capacity == 0
