"""A contract re-let inside the appraisal period: re-procurement the year before, the expected
cost of a change of provider in the re-let year."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from models.appraisal import Category, ContractLifecycle, Provider, lifecycle_lines
from models.costing import ContractSpec, option_lines
from tests.appraisal.lines import PERIOD, one_part_option, outsourcing_bias

THREE_PLUS_TWO = ContractLifecycle(
    term_years=3,
    extension_years=2,
    let_year=0,
    procurement_cost=100_000,
    mobilisation_cost=200_000,
    exit_cost=50_000,
    change_probability=0.4,
)
"""Let at the decision point for 3 years with a 2-year extension."""


def _years(line) -> dict[int, float]:
    return {year: value for year, value in enumerate(line.values) if value}


def test_a_three_plus_two_contract_is_re_let_in_year_5_over_ten_years() -> None:
    # let in year 0 for 3 + 2 = 5 years: re-let in year 5; the next (year 10) would serve no
    # year of the appraisal
    assert THREE_PLUS_TWO.length == 5
    assert THREE_PLUS_TWO.relet_years(PERIOD) == (5,)
    procurement, change = lifecycle_lines("outsourced", "recovery contract", THREE_PLUS_TWO, 10)
    # re-procurement in year 4, the year before the re-let: 100k, by the force; a cost of
    # running any contract (business as usual's too), not of changing the service
    assert procurement.name == "recovery contract re-procurement"
    assert procurement.category is Category.RELET
    assert procurement.provider is Provider.FORCE
    assert _years(procurement) == {4: 100_000}
    # change of provider in year 5: 0.4 x (200k mobilisation + 50k exit) = 100k expected
    assert THREE_PLUS_TWO.expected_change_cost == pytest.approx(100_000)
    assert change.category is Category.RISK
    assert _years(change) == {5: pytest.approx(100_000)}


def test_the_re_procurement_is_uplifted_and_the_expected_change_is_not() -> None:
    procurement, change = lifecycle_lines("outsourced", "contract", THREE_PLUS_TWO, PERIOD)
    bias = outsourcing_bias(0.4)  # 41 x (1 - 0.4) = 24.6 % on re-lets
    assert bias.percent(procurement) == pytest.approx(24.6)
    assert bias.percent(change) == 0.0


def test_a_running_contract_is_re_let_when_its_term_runs_out() -> None:
    # let 3 years before the decision for 5 years: re-let in years 2 and 7,
    # re-procured in years 1 and 6
    running = ContractLifecycle(5, let_year=-3, procurement_cost=80_000)
    assert running.relet_years(PERIOD) == (2, 7)
    (procurement,) = lifecycle_lines("in_house", "fleet contract", running, PERIOD)
    assert _years(procurement) == {1: 80_000, 6: 80_000}
    # one ending at the decision point (let 5 years before) is re-let in year 0, procured
    # before it (a sunk cost): only its expected change of provider, 0.5 x 40k, is still to come
    at_decision = ContractLifecycle(
        5, let_year=-5, procurement_cost=80_000, mobilisation_cost=30_000, exit_cost=10_000,
        change_probability=0.5,
    )  # fmt: skip
    assert at_decision.relet_years(PERIOD) == (0, 5)
    procurement, change = lifecycle_lines("in_house", "fleet contract", at_decision, PERIOD)
    assert _years(procurement) == {4: 80_000}
    assert _years(change) == {0: 20_000, 5: 20_000}
    # let for the whole period: no re-let, no lines
    long = ContractLifecycle(10, procurement_cost=1.0, change_probability=0.5, exit_cost=1.0)
    assert long.relet_years(PERIOD) == ()
    assert lifecycle_lines("outsourced", "contract", long, PERIOD) == []


def test_bad_lifecycles_are_refused() -> None:
    with pytest.raises(ValueError, match="term"):
        ContractLifecycle(0)
    with pytest.raises(ValueError, match="change_probability"):
        ContractLifecycle(3, change_probability=1.5)
    with pytest.raises(ValueError, match=">= 0"):
        ContractLifecycle(3, exit_cost=-1.0)


def _option(provider: str) -> SimpleNamespace:
    """An option whose part ``recovery`` is let for 3 + 2 years if contracted."""
    contract = ContractSpec(term_years=3, extension_years=2, procurement_cost=100_000)
    return one_part_option(provider, contract=contract)


def test_only_a_contracted_part_is_re_let() -> None:
    config = SimpleNamespace(
        options={"contracted": _option("contractor"), "own": _option("in_house")},
        existing_assets={},
        risks={},
        business_as_usual="own",
    )
    (procurement,) = option_lines(config, "contracted", PERIOD)
    assert procurement.name == "recovery contract re-procurement"
    assert _years(procurement) == {4: 100_000}
    assert option_lines(config, "own", PERIOD) == []
