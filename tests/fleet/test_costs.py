"""Cost lines of the fleet options: rosters to staff, contract charges from simulated volumes,
credits, replacement capital and the appraisal of simulated replications."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from models.appraisal import Category
from models.fleet.config import ContractorWorkshop, FleetConfig, InHouseWorkshop
from models.fleet.costs import (
    REPLACEMENT,
    cost_lines,
    mobile_crew_fte,
    mobile_vans_owned,
    replacement_capital,
    replacements_per_year,
    technician_fte,
    volume_metrics,
)
from models.fleet.model import simulate
from models.fleet.service import SERVICE
from models.kit.replications import run_replications
from tests.support import by_name, first_replication

N = 10


def _volumes(config: FleetConfig, option: str, value: float = 0.0, **overrides: float) -> dict:
    return {**dict.fromkeys(volume_metrics(config, option), value), **overrides}


def test_staff_and_vans_follow_the_rosters(config: FleetConfig) -> None:
    force = config.options["in_house"].workshops["force"]
    assert isinstance(force, InHouseWorkshop)
    # weekly technician-hours: (10 + 24 + 13) x 8 h x 2 shifts x 5 days + (10 + 24) x 8 h x 2 days
    weekly = 47 * 8 * 2 * 5 + 34 * 8 * 2
    assert technician_fte(force) == pytest.approx(weekly * 365 / 7 / 1650)
    assert mobile_crew_fte(force) == pytest.approx((20 * 12 + 6 * 12) * 365 / 1650)
    assert mobile_vans_owned(force) == 22  # 20 on duty at peak + 10 % spares


def test_contract_charges_are_fee_plus_prices_times_simulated_jobs(config: FleetConfig) -> None:
    jobs = {"service": 7000, "mechanical": 30000, "tyres_glass": 28000, "collision": 1500}
    volumes = _volumes(
        config,
        "outsourced",
        vehicles=5500.0,
        breaches_contractor_per_year=400.0,
        **{f"jobs_contractor_{kind}_per_year": float(n) for kind, n in jobs.items()},
    )
    lines = by_name(cost_lines(config, "outsourced", volumes, N))
    workshop = config.options["outsourced"].workshops["contractor"]
    assert isinstance(workshop, ContractorWorkshop)
    terms = workshop.costs
    expected = terms.fee_per_vehicle_year * 5500 + sum(
        terms.price_per_job[kind] * n for kind, n in jobs.items()
    )
    assert lines["contractor contract"].values[0] == 0  # nothing in the decision year
    # charges indexed by the contract's real price growth from the base year
    growth = 1 + terms.real_growth
    assert lines["contractor contract"].values[1] == pytest.approx(expected * growth)
    assert lines["contractor contract"].values[2] == pytest.approx(expected * growth**2)
    credits = lines["contractor contract service credits"].values[1]
    cap = 0.1 * expected * growth
    assert credits == pytest.approx(-min(terms.credit_per_breach * 400 * growth, cap))
    assert "client function" not in lines  # every option's lines come from Service.lines
    every = by_name(SERVICE.lines(config, "outsourced", volumes, N))
    assert every["client function"].values[1] == 400000


def test_each_breach_earns_a_50_pound_credit(config: FleetConfig) -> None:
    calm = by_name(cost_lines(config, "mixed", _volumes(config, "mixed", 100.0), N))
    late = by_name(
        cost_lines(
            config, "mixed", _volumes(config, "mixed", 100.0, breaches_contractor_per_year=30), N
        )
    )
    indexed = 1 + config.options["mixed"].workshops["contractor"].costs.real_growth
    assert late["contractor contract service credits"].values[1] == pytest.approx(
        -50 * 30 * indexed
    )
    assert calm["contractor contract service credits"].values[1] == pytest.approx(
        -50 * 100 * indexed
    )


def test_parts_follow_the_simulated_jobs(config: FleetConfig) -> None:
    none = by_name(cost_lines(config, "in_house", _volumes(config, "in_house"), N))
    some = by_name(
        cost_lines(
            config,
            "in_house",
            _volumes(config, "in_house", jobs_force_collision_per_year=1000.0),
            N,
        )
    )
    assert not any(none["force parts and consumables"].values)
    assert some["force parts and consumables"].values[3] == pytest.approx(1100 * 1000)


def test_replacement_follows_its_rule(mapping: dict[str, Any]) -> None:
    config = FleetConfig.model_validate(mapping)
    replaced = replacements_per_year(config, "in_house")
    assert replaced["response"] == pytest.approx(1650 / 4)  # 4 years, 100,000 miles = 4 years
    assert replaced["specialist"] == pytest.approx(250 / 10)  # no mileage limit
    changed = copy.deepcopy(mapping)
    changed["vehicles"]["response"]["replacement"]["life_miles"] = 50000  # now the miles bind
    changed["options"]["mixed"]["vehicle_life_factor"] = 1.25
    other = FleetConfig.model_validate(changed)
    assert replacements_per_year(other, "in_house")["response"] == pytest.approx(1650 / 2)
    assert replacements_per_year(other, "mixed")["response"] == pytest.approx(1650 / 2.5)
    capital = replacement_capital(config, "in_house", N)
    spec = config.vehicles
    expected = sum(
        replaced[name] * v.replacement.unit_cost * (1 - v.replacement.resale_share)
        for name, v in spec.items()
    )
    assert capital[0] == 0 and capital[1:] == pytest.approx([expected] * N)
    # the same under every option, whoever maintains the vehicles
    for option in config.options:
        line = by_name(cost_lines(config, option, _volumes(config, option), N))[REPLACEMENT]
        assert line.category is Category.CAPITAL
        assert line.values == tuple(capital.tolist())


def test_shortfall_is_priced_only_when_the_scenario_sets_a_price(
    mapping: dict[str, Any],
) -> None:
    config = FleetConfig.model_validate(mapping)
    volumes = _volumes(config, "in_house", vehicle_shifts_short_per_year=500.0)
    assert by_name(cost_lines(config, "in_house", volumes, N))["shortfall cover"].values[
        1
    ] == pytest.approx(40 * 500)
    mapping["shortfall"]["price_per_vehicle_shift"] = 0
    free = FleetConfig.model_validate(mapping)
    assert "shortfall cover" not in by_name(cost_lines(free, "in_house", volumes, N))


def test_cost_per_vehicle_is_the_published_order(config: FleetConfig) -> None:
    """Replication 0 of simulated volumes (the appraisal of replications itself is a contract
    test; the runs of a fleet that keeps its size, a test of the periods)."""
    runs = SERVICE.appraisal_runs(config, N, warmup_days=3, window_days=7)
    volumes = run_replications(simulate, runs, replications=1, seed=4, jobs=1, progress=False)
    lines = SERVICE.build_lines(config, N)(first_replication(volumes))
    for option in config.options:
        mine = [line for line in lines if line.option == option]
        per_vehicle = SERVICE.unit_cost(mine, {"vehicles": 5500.0}, N)
        # published: about £27m a year on 5,100-5,500 vehicles, ~£5.3k per vehicle (PCD 954)
        assert 3000 < per_vehicle < 7000, option
        assert SERVICE.unit_cost(mine, {"vehicles": 5500.0}, N, leave_out=()) > per_vehicle
