"""The ``fleet:`` scenario section: what it accepts, what it refuses, and with what message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.fleet.config import SERVICE, FleetConfig
from models.fleet.model import FleetRun, metric_names, simulate
from models.kit.streams import Streams
from tests.support import refusal


def test_default_section_is_the_published_fleet(config: FleetConfig) -> None:
    assert list(config.options) == ["in_house", "outsourced", "mixed"]
    assert 5000 <= sum(v.count for v in config.vehicles.values()) <= 6400
    assert set(config.jobs) == {SERVICE, "mechanical", "tyres_glass", "collision"}
    assert set(config.shifts) == {"early", "late", "night"}
    assert config.vehicles["response"].annual_miles == 25000
    assert config.vehicles["response"].priority == "urgent"
    assert not config.options["in_house"].outsources_anything
    assert config.options["mixed"].outsources_anything


def test_service_interval_is_miles_or_months_whichever_first(config: FleetConfig) -> None:
    response = config.vehicles["response"]  # 12,000 miles at 25,000 a year: ~5.8 months
    assert response.service_interval_hours == pytest.approx(12000 / 25000 * 8760)
    vans = config.vehicles["vans"]  # 12,000 miles at 5,000 a year: the 12 months come first
    assert vans.service_interval_hours == pytest.approx(8760)


def test_an_unknown_key_on_a_vehicle_class_is_refused(mapping: dict[str, Any]) -> None:
    mapping["vehicles"]["vans"]["colour"] = "white"
    assert "colour" in refusal(FleetConfig, mapping)


def test_every_job_kind_needs_a_workshop_that_can_do_it(mapping: dict[str, Any]) -> None:
    del mapping["options"]["in_house"]["routing"]["collision"]
    assert "must route every job kind" in refusal(FleetConfig, mapping)


def test_a_workshop_needs_technicians_with_the_skill(mapping: dict[str, Any]) -> None:
    del mapping["options"]["in_house"]["workshops"]["force"]["technicians"]["bodyshop"]
    assert "no bodyshop technician on duty for collision" in refusal(FleetConfig, mapping)


def test_a_contractor_needs_a_price_for_each_kind_it_does(mapping: dict[str, Any]) -> None:
    del mapping["options"]["mixed"]["workshops"]["contractor"]["costs"]["price_per_job"][
        "mechanical"
    ]
    assert "no price for mechanical" in refusal(FleetConfig, mapping)  # major repairs go there


def test_requirement_cannot_exceed_the_class(mapping: dict[str, Any]) -> None:
    mapping["vehicles"]["carriers"]["required"]["weekday"]["late"] = 400
    assert "more than the 350 vehicles" in refusal(FleetConfig, mapping)


def test_failure_kinds_must_be_job_kinds(mapping: dict[str, Any]) -> None:
    mapping["vehicles"]["vans"]["failures_per_year"]["potholes"] = 1.0
    assert "unknown kinds ['potholes']" in refusal(FleetConfig, mapping)


def test_servicing_in_house_with_repairs_contracted(
    mapping: dict[str, Any], short: Callable[..., FleetRun]
) -> None:
    """A new composition: the contractor does everything except servicing."""
    options = mapping["options"]
    options["servicing_kept"] = {
        "label": "Servicing in-house, repairs contracted",
        "workshops": {
            "force": options["in_house"]["workshops"]["force"],
            "contractor": options["outsourced"]["workshops"]["contractor"],
        },
        "routing": {
            "service": "force",
            "mechanical": "contractor",
            "tyres_glass": "contractor",
            "collision": "contractor",
        },
        "client_function": {"annual_cost": 300000},
    }
    config = FleetConfig.model_validate(mapping)
    metrics = simulate(short(config, "servicing_kept"), Streams(1))
    assert set(metrics) <= set(metric_names(config, "servicing_kept"))
    assert metrics["jobs_force_service_per_year"] > 0
    assert metrics["jobs_force_collision_per_year"] == 0
    assert metrics["jobs_contractor_collision_per_year"] > 0
