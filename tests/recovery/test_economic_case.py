"""The recovery section's Green Book case: business as usual, held assets at opportunity cost,
the running contracts' re-lets, the risk register, the transfers and the should-cost of every
contract, each with figures worked by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from models.appraisal import Category, Provider, ShouldCostSettings, economic_lines
from models.appraisal import financial_case as financial
from models.recovery.config import RecoveryConfig
from models.recovery.costs import VOLUME_METRICS, should_cost
from models.recovery.service import SERVICE
from tests.support import by_name, refusal

N = 10
SETTINGS = ShouldCostSettings(overhead=0.10, margin=0.07, capital_rate=0.08, tolerance=0.10)
PAY = 22_000 * 1.15 * 1.27
"""Employer's cost of a crew member or pound officer: band E, 15 % allowance, 27 % on-costs."""

WORKLOAD = {
    "jobs_per_year": 36_360.0,
    "jobs_urgent_per_year": 32_724.0,
    "jobs_routine_per_year": 3_636.0,
    "vehicle_days_per_year": 600_000.0,
    "overflow_vehicle_days_per_year": 1_000.0,
    "exams_per_year": 2_160.0,
    "disposed_per_year": 9_000.0,
}


def _volumes(**overrides: float) -> dict[str, float]:
    return {**dict.fromkeys(VOLUME_METRICS, 0.0), **WORKLOAD, **overrides}


def _lines(config: RecoveryConfig, option: str) -> dict[str, Any]:
    return by_name(SERVICE.lines(config, option, _volumes(), N))


def _capital_charge(price: float, life: int, rate: float = 0.08) -> float:
    return price * rate / (1 - (1 + rate) ** -life)


# --------------------------------------------------------------------------- business as usual


def test_business_as_usual_is_the_2012_13_mixed_model(config: RecoveryConfig) -> None:
    assert config.business_as_usual == "mixed"
    today = config.options["mixed"]
    assert today.part_providers() == {
        "recovery": Provider.CONTRACTOR,
        "storage": Provider.FORCE,
        "examination": Provider.FORCE,
    }
    assert today.transition == {}


def test_business_as_usual_carries_no_transition_costs(config: RecoveryConfig) -> None:
    """Its only one-off costs are the re-tendering of its running recovery contracts."""
    one_off = [
        ln.name for ln in _lines(config, "mixed").values() if ln.category is Category.TRANSITION
    ]
    assert one_off == []
    relets = [ln.name for ln in _lines(config, "mixed").values() if ln.category is Category.RELET]
    assert relets == ["recovery contract re-procurement"]
    assert "procurement" in _lines(config, "outsourced")
    assert "crew_recruitment_and_training" in _lines(config, "in_house")


def test_a_business_as_usual_with_transition_costs_is_refused(mapping: dict[str, Any]) -> None:
    mapping["options"]["mixed"]["transition"] = {"procurement": {"year": 0, "amount": 300000}}
    assert "has no transition costs" in refusal(RecoveryConfig, mapping)


def test_redundancy_is_a_transfer_and_an_upper_bound(config: RecoveryConfig) -> None:
    redundancy = _lines(config, "outsourced")["redundancy"]
    assert redundancy.transfer and redundancy.upper_bound
    assert redundancy.values[1] == 300_000


# --------------------------------------------------------------------------- held assets


def test_held_pound_plant_is_kept_and_replaced_not_bought_again(config: RecoveryConfig) -> None:
    lines = _lines(config, "mixed")
    plant = lines["pound equipment"].values
    # 6 units held with 3 years left: nothing bought in year 0, all 6 replaced in year 3
    assert plant[0] == 0
    assert plant[3] == pytest.approx(6 * 35_000)
    assert sum(plant) == pytest.approx(6 * 35_000)
    # bought in year 3 on an 8-year life: 1 of 8 years left at year 10
    assert lines["pound equipment residual value"].values[N] == pytest.approx(-210_000 / 8)
    bays = lines["examination bays"].values
    assert bays[0] == 0 and bays[5] == pytest.approx(8 * 30_000)


def test_an_option_that_contracts_the_pounds_out_sells_the_plant(config: RecoveryConfig) -> None:
    lines = _lines(config, "outsourced")
    assert "pound equipment" not in lines
    assert lines["pound equipment disposal"].values[1] == pytest.approx(-6 * 8_000)
    assert lines["examination bays disposal"].values[1] == pytest.approx(-8 * 2_000)
    assert lines["pound equipment disposal"].category is Category.DISPOSAL


def test_the_force_holds_no_recovery_trucks(config: RecoveryConfig) -> None:
    """Bringing recovery in-house buys every truck: 4 sectors x 5 at peak x 1.2 spares."""
    assert _lines(config, "in_house")["recovery trucks"].values[0] == pytest.approx(24 * 85_000)
    assert not any("trucks disposal" in name for name in _lines(config, "mixed"))


# --------------------------------------------------------------------------- contracts


def test_the_running_recovery_contracts_are_re_let_inside_the_period(
    config: RecoveryConfig,
) -> None:
    """Let in 2008 (year -5) for 5 + 2 years: re-let in years 2 and 9, re-tendered the year
    before each; 30 % chance of a new operator, at 200k mobilisation + 50k exit."""
    lines = _lines(config, "mixed")
    procurement = lines["recovery contract re-procurement"].values
    assert [y for y, v in enumerate(procurement) if v] == [1, 8]
    assert procurement[1] == procurement[8] == 300_000
    change = lines["recovery contract change of provider at re-let"].values
    assert [y for y, v in enumerate(change) if v] == [2, 9]
    assert change[2] == pytest.approx(0.3 * (200_000 + 50_000))


def test_new_contracts_are_re_let_after_their_term(config: RecoveryConfig) -> None:
    lines = _lines(config, "outsourced")
    storage = lines["storage contract re-procurement"].values
    assert [y for y, v in enumerate(storage) if v] == [7]  # let in year 1 for 5 + 2 years
    exams = lines["examination contract re-procurement"].values
    assert [y for y, v in enumerate(exams) if v] == [5]  # let in year 1 for 3 + 2 years
    # bringing recovery in-house ends the running contracts: nothing to re-let
    assert not any("re-procurement" in name for name in _lines(config, "in_house"))


# --------------------------------------------------------------------------- risks


def test_risks_fall_on_whoever_provides_the_part(config: RecoveryConfig) -> None:
    mixed, outsourced = _lines(config, "mixed"), _lines(config, "outsourced")
    # capacity: 10 % a year x mean(50k, 150k, 400k) = 20k; a pounds contractor bears 70 %
    assert mixed["risk: pound capacity exhausted"].values[1] == pytest.approx(20_000)
    assert outsourced["risk: pound capacity exhausted"].values[1] == pytest.approx(6_000)
    # operator failure: 5 % x mean(100k, 250k, 600k) x (1 - 0.2) retained
    failure = 0.05 * (100_000 + 250_000 + 600_000) / 3 * 0.8
    assert mixed["risk: recovery operator fails"].values[1] == pytest.approx(failure)
    # strikes arise only with in-house crews; TUPE claims once, in year 1
    assert "risk: industrial action among in-house crews" not in mixed
    tupe = outsourced["risk: TUPE claims at transfer of pound staff"].values
    assert tupe[1] == pytest.approx(0.25 * (50_000 + 150_000 + 430_000) / 3) and sum(tupe[2:]) == 0


# --------------------------------------------------------------------------- transfers


def test_statutory_charges_are_transfers_out_of_the_economic_case(
    config: RecoveryConfig,
) -> None:
    paid = _volumes(paid_removals_per_year=25_000.0, paid_storage_days_per_year=140_000.0)
    lines = SERVICE.lines(config, "mixed", paid, N)
    income = [ln for ln in lines if ln.category is Category.INCOME]
    assert {ln.name for ln in income} == {"removal charges", "storage charges", "disposal charges"}
    assert all(ln.transfer for ln in income)
    assert not any(ln.category is Category.INCOME for ln in economic_lines(lines))
    case = financial(lines, N)
    removals = case[case["line"] == "removal charges"]["real"]
    assert removals.iloc[1] == pytest.approx(-150 * 25_000 * 0.98)  # in the financial case


def test_providers_of_the_lines(config: RecoveryConfig) -> None:
    mixed = _lines(config, "mixed")
    assert mixed["recovery contract"].provider is Provider.CONTRACTOR
    assert mixed["overflow storage"].provider is Provider.CONTRACTOR  # bought in when full
    assert mixed["pound staff"].provider is Provider.FORCE
    assert mixed["pound sites"].provider is Provider.FORCE


# --------------------------------------------------------------------------- should-cost


def test_should_cost_of_the_recovery_contracts_by_hand(config: RecoveryConfig) -> None:
    """Per sector 16 h x 6 + 8 h x 3 = 120 truck-hours a day; four sectors; 35 % of the
    operators' time serves other clients."""
    (sc,) = should_cost(config, "mixed", _volumes(), SETTINGS)
    assert sc.contract == "recovery contract"
    elements = {e.name: e.annual for e in sc.elements}
    crews = 4 * 120 * 365 * 0.65 / 1650 * PAY
    trucks = 29 * 0.65 * _capital_charge(85_000, 7)  # ceil(24 x 1.2) = 29 trucks
    assert elements["recovery crews"] == pytest.approx(crews)
    assert elements["recovery trucks"] == pytest.approx(trucks)
    assert elements["running costs"] == pytest.approx(28 * 36_360)
    assert elements["depots, control room and supervision"] == pytest.approx(0.65 * 600_000)
    direct = crews + trucks + 28 * 36_360 + 0.65 * 600_000
    assert direct == pytest.approx(3_933_450, abs=5)
    risk = 0.05 * (100_000 + 250_000 + 600_000) / 3 * 0.2
    mobilisation = 200_000 / 7
    total = (direct * 1.10 + risk + mobilisation) * 1.07
    assert sc.direct == pytest.approx(direct)
    assert sc.risk_premium == pytest.approx(risk)
    assert sc.mobilisation == pytest.approx(mobilisation)
    assert sc.total == pytest.approx(total)
    assert sc.price == pytest.approx(400_000 + 105 * 32_724 + 90 * 3_636)
    assert sc.price / sc.total == pytest.approx(0.8927, abs=1e-4)
    assert sc.verdict(SETTINGS.tolerance) == "cheap"


def test_should_cost_of_the_pounds_contract_by_hand(config: RecoveryConfig) -> None:
    contracts = {sc.contract: sc for sc in should_cost(config, "outsourced", _volumes(), SETTINGS)}
    assert set(contracts) == {
        "recovery contract",
        "storage contract",
        "examination contract",
    }
    pounds = contracts["storage contract"]
    plant = 6 * _capital_charge(35_000, 8)
    direct = 60 * PAY + 2_500_000 + 1.5 * 600_000 + 25 * 1_000 + 40 * 9_000 + plant
    assert pounds.direct == pytest.approx(direct)
    # capacity 0.1 x 200k x 70 %, reversion 0.02 x 1,033,333 x 10 %; the TUPE claims stay
    assert pounds.risk_premium == pytest.approx(14_000 + 0.02 * 3_100_000 / 3 * 0.1)
    assert pounds.mobilisation == pytest.approx(300_000 / 7)
    assert pounds.price == pytest.approx(1_500_000 + 5 * 600_000 + 25 * 1_000 + 30 * 9_000)
    exams = contracts["examination contract"]
    examiners = (5 * 10 * 4 + 2 * 8 * 2) * 365 / 7 / 1650 * 26_000 * 1.27
    bays = 8 * _capital_charge(30_000, 12)
    assert exams.direct == pytest.approx(examiners + 60 * 2_160 + 150_000 + bays)
    assert exams.price == pytest.approx(100_000 + 420 * 2_160)


def test_should_cost_reads_year_one_and_leaves_other_clients_out(
    config: RecoveryConfig, mapping: dict[str, Any]
) -> None:
    by_year = {k: np.array([0.0, v, 2 * v] + [v] * (N - 2)) for k, v in _volumes().items()}
    (sc,) = should_cost(config, "mixed", by_year, SETTINGS)
    assert sc.price == pytest.approx(400_000 + 105 * 32_724 + 90 * 3_636)
    mapping["options"]["mixed"]["recovery"]["other_clients"]["busy_share"] = 0.0
    alone = RecoveryConfig.model_validate(mapping)
    (own,) = should_cost(alone, "mixed", _volumes(), SETTINGS)
    crews = {e.name: e.annual for e in own.elements}["recovery crews"]
    assert crews == pytest.approx(4 * 120 * 365 / 1650 * PAY)


def test_no_should_cost_for_an_option_without_contracts(config: RecoveryConfig) -> None:
    assert should_cost(config, "in_house", _volumes(), SETTINGS) == []
    assert SERVICE.should_cost is should_cost


def test_renaming_the_options_changes_no_should_cost(mapping: dict[str, Any]) -> None:
    before = RecoveryConfig.model_validate(mapping)
    renamed = {"in_house": "own_fleet", "outsourced": "all_contracted", "mixed": "today"}
    mapping["options"] = {renamed[k]: v for k, v in mapping["options"].items()}
    mapping["business_as_usual"] = "today"
    after = RecoveryConfig.model_validate(mapping)
    for old, new in renamed.items():
        was = [sc.total for sc in should_cost(before, old, _volumes(), SETTINGS)]
        now = [sc.total for sc in should_cost(after, new, _volumes(), SETTINGS)]
        assert now == was
        lines = {ln.name: ln.values for ln in SERVICE.lines(after, new, _volumes(), N)}
        assert lines == {ln.name: ln.values for ln in SERVICE.lines(before, old, _volumes(), N)}
