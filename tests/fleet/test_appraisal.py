"""The fleet's economic case against business as usual: the 2012-13 contract as the baseline
with no transition costs, its re-let inside the period, one-off costs on the options that
change it, transfers, the force's lines alike in every option, existing kit, the risk register
and the should-cost of each contract, with figures computed by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from models.appraisal import Category, Provider, ShouldCostSettings, economic_lines
from models.costing import transferred_risk
from models.fleet.config import ContractorWorkshop, FleetConfig
from models.fleet.costs import (
    REPLACEMENT,
    SHORTFALL,
    cost_lines,
    should_cost,
    should_cost_elements,
    volume_metrics,
)
from models.fleet.model import labour_metric
from models.fleet.service import SERVICE
from models.scenario import load_scenario
from tests.support import BASELINE, by_name, refusal

N = 10
PAY = 24000 * 1.125 * 1.27
"""A technician on the force's terms: band D salary, 12.5 % allowance, 27 % on-costs."""
SETTINGS = ShouldCostSettings(overhead=0.10, margin=0.07, capital_rate=0.08, tolerance=0.10)


def _volumes(config: FleetConfig, option: str, value: float = 0.0, **overrides: float) -> dict:
    return {**dict.fromkeys(volume_metrics(config, option), value), **overrides}


def _lines(config: FleetConfig, option: str, **overrides: float) -> dict[str, Any]:
    volumes = _volumes(config, option, 100.0, vehicles=5500.0, **overrides)
    return by_name(SERVICE.lines(config, option, volumes, N))


# --------------------------------------------------------------------------- business as usual


def test_business_as_usual_is_the_2012_13_contract_with_no_transition(
    config: FleetConfig,
) -> None:
    assert config.business_as_usual == "outsourced"
    today = config.options["outsourced"]
    assert today.transition == {}
    assert all(p is Provider.CONTRACTOR for p in today.part_providers().values())
    lines = _lines(config, "outsourced")
    assert not [line for line in lines.values() if line.category is Category.TRANSITION]
    # its own re-let is a cost of running the contract, not of a change
    assert lines["contractor contract re-procurement"].category is Category.RELET


def test_transition_costs_on_business_as_usual_are_refused(mapping: dict[str, Any]) -> None:
    mapping["options"]["outsourced"]["transition"] = {"procurement": {"year": 0, "amount": 1}}
    assert "has no transition costs" in refusal(FleetConfig, mapping)


def test_one_off_costs_fall_on_the_options_that_change_today(config: FleetConfig) -> None:
    in_house = _lines(config, "in_house")
    # 205 FTE transfer from the contractor under TUPE, at £1,500 each
    assert in_house["tupe_transfer"].values[1] == pytest.approx(205 * 1500)
    mixed = _lines(config, "mixed")
    assert mixed["tupe_transfer"].values[1] == pytest.approx(142 * 1500)
    for lines in (in_house, mixed):
        redundancy = lines["client_team_redundancy"]
        assert redundancy.transfer and redundancy.upper_bound
        kept = {line.name for line in economic_lines(list(lines.values()))}
        assert "client_team_redundancy" not in kept and "procurement" in kept


def test_the_in_house_option_buys_the_kit_the_contractor_holds_today(
    config: FleetConfig,
) -> None:
    lines = _lines(config, "in_house")
    assert lines["force equipment"].values[0] == pytest.approx(100 * 40000)  # 100 bays
    assert lines["force mobile vans"].values[0] == pytest.approx(22 * 35000)
    assert not any(line.category is Category.DISPOSAL for line in lines.values())


def _holding_kit(mapping: dict[str, Any]) -> FleetConfig:
    """The section with 60 sets of workshop kit held by the force (4 years of life left)."""
    held = {"part": "force", "units": 60, "remaining_life_years": 4}
    mapping["existing_assets"] = {"force_equipment": {**held, "disposal_value_per_unit": 5000}}
    return FleetConfig.model_validate(mapping)


def test_kit_the_force_holds_is_kept_and_replaced_when_due(mapping: dict[str, Any]) -> None:
    config = _holding_kit(mapping)
    line = _lines(config, "in_house")["force equipment"]
    # 40 of the 100 bays' kit bought in year 0 (their replacement would fall in the final
    # year, so is not bought); the 60 sets held are replaced in year 4, when their life ends
    assert line.values[0] == pytest.approx(40 * 40000)
    assert line.values[4] == pytest.approx(60 * 40000)
    assert sum(line.values) == pytest.approx(100 * 40000)
    mixed = _lines(config, "mixed")["force equipment"]  # 60 bays, all held
    assert mixed.values[0] == 0 and mixed.values[4] == pytest.approx(60 * 40000)


def test_an_option_without_the_held_kits_workshop_sells_it(mapping: dict[str, Any]) -> None:
    config = _holding_kit(mapping)
    disposal = _lines(config, "outsourced")["force equipment disposal"]
    assert disposal.values[1] == pytest.approx(-60 * 5000)


# --------------------------------------------------------------------------- contract lifecycle


def test_the_running_contract_is_re_let_inside_the_period(config: FleetConfig) -> None:
    # let April 2006 (year -7) for 10 years + 3 of extensions: re-let in year 6
    lines = _lines(config, "outsourced")
    procurement = lines["contractor contract re-procurement"].values
    assert procurement[5] == 500000 and sum(procurement) == 500000
    change = lines["contractor contract change of provider at re-let"].values
    assert change[6] == pytest.approx(0.5 * (500000 + 250000)) and sum(change) == change[6]
    # the mixed option's new contract, let in year 1 for 5 + 2 years: re-let in year 8
    mixed = _lines(config, "mixed")
    assert mixed["contractor contract re-procurement"].values[7] == 300000
    assert mixed["contractor contract change of provider at re-let"].values[8] == pytest.approx(
        0.5 * (200000 + 100000)
    )
    assert "contractor contract re-procurement" not in _lines(config, "in_house")


# --------------------------------------------------------------------------- lines alike


def test_the_forces_own_lines_are_the_same_in_every_option(config: FleetConfig) -> None:
    """Vehicle replacement and shortfall cover: the force's in every option, so the same line
    (name, category, provider) and the same optimism-bias uplift, whatever the option."""
    rules = load_scenario(BASELINE).appraisal.optimism_bias_rules()
    for name in (REPLACEMENT, SHORTFALL):
        lines = [_lines(config, option)[name] for option in config.options]
        assert {(line.category, line.provider) for line in lines} == {
            (lines[0].category, Provider.FORCE)
        }
        assert len({line.values for line in lines}) == 1  # at the same volumes
        assert len({rules.percent(line) for line in lines}) == 1
    assert rules.percent(_lines(config, "in_house")[SHORTFALL]) > 0


def test_service_credits_are_transfers(config: FleetConfig) -> None:
    credits = _lines(config, "outsourced", breaches_contractor_per_year=400.0)[
        "contractor contract service credits"
    ]
    assert credits.transfer and credits.provider is Provider.CONTRACTOR


# --------------------------------------------------------------------------- risk register


def test_risks_arise_under_the_providers_that_carry_them(config: FleetConfig) -> None:
    arising = {
        option: sorted(
            name.removeprefix("risk: ")
            for name, line in _lines(config, option).items()
            if name.startswith("risk: ")
        )
        for option in config.options
    }
    assert arising["outsourced"] == [
        "contracted repair backlog",
        "contractor performance failure",
        "reversion to in-house at contract failure",
    ]
    assert arising["mixed"] == [
        "TUPE disputes at insourcing",
        "contracted repair backlog",
        "technician recruitment shortfall",
    ]
    assert arising["in_house"] == [
        "TUPE disputes at insourcing",
        "technician recruitment shortfall",
    ]
    # as April 2000: likelihood 0.07 a year x the triangular mean of (0.9, 3.6, 8.0) £m, of
    # which the contractor bears a quarter
    failure = _lines(config, "outsourced")["risk: contractor performance failure"]
    assert failure.values[1] == pytest.approx(0.07 * (0.9 + 3.6 + 8.0) / 3 * 1e6 * 0.75)


# --------------------------------------------------------------------------- should-cost


def _hand_volumes(config: FleetConfig) -> dict[str, float]:
    """Year-1 volumes of the outsourced contractor chosen so the force's jobs take half of its
    technicians' busy time: labour = utilisation x rostered hours / 2 for each skill."""
    rostered = {"servicing": 14 * 12 * 365, "mechanical": 34 * 12 * 365, "bodyshop": 15 * 12 * 365}
    utilisation = {"servicing": 0.5, "mechanical": 0.8, "bodyshop": 0.2}
    volumes = _volumes(config, "outsourced", vehicles=5500.0)
    jobs = {"service": 1000, "mechanical": 2000, "tyres_glass": 3000, "collision": 100}
    volumes.update({f"jobs_contractor_{k}_per_year": float(n) for k, n in jobs.items()})
    for skill, hours in rostered.items():
        volumes[labour_metric("contractor", skill)] = utilisation[skill] * hours / 2
        volumes[f"utilisation_contractor_{skill}"] = utilisation[skill]
    return volumes


HAND = {
    # the force's half of 275,940 rostered technician-hours a year, 1,650 an FTE
    "technicians": 275_940 / 2 / 1650 * PAY,
    # 15 mobile units' roster (20 by day, 6 by night, 12 h each), the force's alone
    "mobile unit crews": (20 + 6) * 12 * 365 / 1650 * PAY,
    "parts and consumables": 70 * 1000 + 180 * 2000 + 110 * 3000 + 1100 * 100,
    "premises and management": 5_400_000 / 2,
    # a bay's kit a year over 10 years at 8 %, the force's half of 90 bays
    "bays' kit": 90 / 2 * 40000 * 0.08 / (1 - 1.08**-10),
    "mobile vans": 22 * 35000 * 0.08 / (1 - 1.08**-6),
}
"""The outsourced contractor's direct cost a year at :func:`_hand_volumes`, by hand."""


def test_should_cost_is_built_from_the_simulated_workload(config: FleetConfig) -> None:
    workshop = config.options["outsourced"].workshops["contractor"]
    assert isinstance(workshop, ContractorWorkshop)
    elements = {
        e.name: e.annual
        for e in should_cost_elements("contractor", workshop, _hand_volumes(config), SETTINGS)
    }
    skills = ("servicing", "mechanical", "bodyshop")
    technicians = math.fsum(elements.pop(f"{s} technicians") for s in skills)
    assert technicians == pytest.approx(HAND["technicians"])
    assert elements == pytest.approx({k: v for k, v in HAND.items() if k != "technicians"})


def test_should_cost_adds_transferred_risk_mobilisation_and_margin(config: FleetConfig) -> None:
    (built,) = should_cost(config, "outsourced", _hand_volumes(config), SETTINGS)
    assert built.direct == pytest.approx(math.fsum(HAND.values()))
    # a quarter of the contractor failure and of the repair backlog, 30 % of reversion
    failure = 0.07 * (0.9 + 3.6 + 8.0) / 3 * 0.25
    backlog = 0.1 * (0.3 + 1.08 + 2.5) / 3 * 0.25
    reversion = 0.02 * (1 + 2 + 5) / 3 * 0.3
    risks = (failure + backlog + reversion) * 1e6
    assert built.risk_premium == pytest.approx(risks)
    assert transferred_risk(config, "outsourced", "contractor", 13) == pytest.approx(risks)
    assert built.mobilisation == pytest.approx(500000 / 13)  # over 10 + 3 years
    assert built.overhead == pytest.approx(0.10 * built.direct)
    cost = 1.10 * math.fsum(HAND.values()) + risks + 500000 / 13
    assert built.margin == pytest.approx(0.07 * cost)
    assert built.total == pytest.approx(1.07 * cost)
    # the price at the same volumes: fee x vehicles + prices x jobs, indexed for year 1
    price = (1800 * 5500 + 160 * 1000 + 330 * 2000 + 140 * 3000 + 1900 * 100) * 1.005
    assert built.price == pytest.approx(price)
    assert built.contract == "contractor contract"
    assert built.ratio == pytest.approx(price / (1.07 * cost))
    assert built.verdict(0.10) == "plausible"  # within 10 % of the should-cost
    assert built.verdict(0.01) == "rich"


def test_should_cost_covers_every_contract_and_no_in_house_workshop(config: FleetConfig) -> None:
    volumes = _volumes(config, "mixed", 100.0, vehicles=5500.0)
    (mixed,) = should_cost(config, "mixed", volumes, SETTINGS)
    assert mixed.contract == "contractor contract"
    # no risk of the whole service is the contractor's when the force keeps a workshop
    assert mixed.risk_premium == pytest.approx(0.1 * (0.3 + 1.08 + 2.5) / 3 * 0.25 * 1e6)
    assert mixed.mobilisation == pytest.approx(200000 / 7)
    assert should_cost(config, "in_house", _volumes(config, "in_house"), SETTINGS) == []
    assert SERVICE.should_cost is should_cost


def test_cost_lines_leave_every_options_own_lines_to_the_service(config: FleetConfig) -> None:
    own = by_name(cost_lines(config, "in_house", _volumes(config, "in_house"), N))
    assert "procurement" not in own and not any(n.startswith("risk: ") for n in own)
