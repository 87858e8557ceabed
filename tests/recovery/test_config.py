"""The ``recovery:`` scenario section: what it accepts, what it refuses, and with what message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.kit.roster import ShiftSpec, build_roster
from models.kit.streams import Streams
from models.recovery.config import RecoveryConfig
from models.recovery.model import RecoveryRun, metric_names, simulate
from tests.support import refusal, with_option


def test_default_section_has_the_three_options(config: RecoveryConfig) -> None:
    assert list(config.options) == ["in_house", "outsourced", "mixed"]
    providers = {
        name: (o.recovery.provider, o.storage.provider, o.examination.provider)
        for name, o in config.options.items()
    }
    assert providers == {
        "in_house": ("in_house", "in_house", "in_house"),
        "outsourced": ("contractor", "contractor", "contractor"),
        "mixed": ("contractor", "in_house", "in_house"),
    }


def test_default_volume_is_the_published_figure(config: RecoveryConfig) -> None:
    assert config.demand.annual_vehicles == 36_000
    profile = config.demand.profile(0)
    assert profile.weekly_arrivals * 365 / 7 == pytest.approx(36_000)
    assert config.demand.profile(2).mean_rate == pytest.approx(profile.mean_rate * 1.01**2)


def test_a_misspelt_key_inside_a_category_is_refused(mapping: dict[str, Any]) -> None:
    mapping["demand"]["categories"]["seizure"]["atendance_target_hours"] = 2
    assert "atendance_target_hours" in refusal(RecoveryConfig, mapping)


def test_shares_must_add_up_to_one(mapping: dict[str, Any]) -> None:
    mapping["demand"]["categories"]["seizure"]["share"] = 0.5
    assert "category shares must add up to 1" in refusal(RecoveryConfig, mapping)


def test_every_sector_needs_trucks(mapping: dict[str, Any]) -> None:
    del mapping["options"]["in_house"]["recovery"]["trucks"]["south_west"]
    message = refusal(RecoveryConfig, mapping)
    assert "options.in_house.recovery.trucks" in message and "south_west" in message


def test_every_sector_needs_exactly_one_site(mapping: dict[str, Any]) -> None:
    sites = mapping["options"]["outsourced"]["storage"]["sites"]
    sites["contractor_east"]["sectors"].append("north_west")
    assert "served by both" in refusal(RecoveryConfig, mapping)
    sites["contractor_east"]["sectors"] = ["north_east"]
    sites["contractor_west"]["sectors"] = ["north_west", "south_west"]
    assert "no site serves ['south_east']" in refusal(RecoveryConfig, mapping)


def test_contractor_needs_a_price_and_target_for_each_priority(mapping: dict[str, Any]) -> None:
    del mapping["options"]["outsourced"]["recovery"]["costs"]["price_per_job"]["routine"]
    assert "price_per_job needs a price for ['routine']" in refusal(RecoveryConfig, mapping)


def test_a_sector_with_demand_needs_a_truck_on_duty(mapping: dict[str, Any]) -> None:
    mapping["options"]["in_house"]["recovery"]["trucks"]["north_east"] = 0
    assert "never has a truck on duty" in refusal(RecoveryConfig, mapping)


def test_roster_as_number_or_shifts() -> None:
    assert build_roster(3).mean_capacity == 3
    night = [ShiftSpec(start=19, end=7, capacity=2), ShiftSpec(start=7, end=19, capacity=5)]
    roster = build_roster(night)
    assert roster.capacity_at(20.0) == 2 and roster.capacity_at(8.0) == 5
    weekdays = [ShiftSpec(start=8, end=18, capacity=4, days=(0, 1, 2, 3, 4))]
    assert build_roster(weekdays).capacity_at(5 * 24 + 9) == 0


def test_contracted_recovery_and_storage_with_in_house_examiners(
    mapping: dict[str, Any], short: Callable[..., RecoveryRun]
) -> None:
    """A new composition: contracted recovery and storage, in-house examination."""
    with_option(
        mapping,
        "recovery_and_storage_contracted",
        "Recovery and storage contracted, examiners in-house",
        300000,
        recovery="outsourced",
        storage="outsourced",
        examination="in_house",
    )
    config = RecoveryConfig.model_validate(mapping)
    run = short(config, "recovery_and_storage_contracted")
    metrics = simulate(run, Streams(1))
    assert set(metrics) <= set(metric_names(config, "recovery_and_storage_contracted"))
    assert metrics["jobs_per_year"] > 0 and metrics["exams_per_year"] > 0
