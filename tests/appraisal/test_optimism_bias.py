"""Optimism bias: applied once, to the right lines, with values before and after visible."""

import pytest

from models.appraisal import (
    Category,
    OptimismBias,
    UpliftRule,
    activity_line,
    appraise,
    discount_factors,
    income_line,
    net_present_costs,
    present_value,
)
from tests.appraisal.lines import PERIOD, outsourced_contract


def _lines() -> list:
    charges, credits = outsourced_contract(
        fixed_fee=400_000,
        credit_per_breach=1_000,
        breaches=10,
    )
    return [
        activity_line("in_house", "fuel", unit_cost=10, volume=10_000, period_years=PERIOD),
        activity_line("outsourced", "fuel", unit_cost=10, volume=10_000, period_years=PERIOD),
        charges,
        credits,
        income_line("outsourced", "charges", charge=150, volume=1_000, period_years=PERIOD),
    ]


def _annuity(amount: float) -> float:
    return present_value([amount] * PERIOD, first_year=1)


def test_outsourced_operating_uplifted_by_20_percent_and_nothing_else() -> None:
    bias = OptimismBias.from_mapping({"outsourced_operating": 20})
    result = appraise(_lines(), PERIOD, "green_book", bias)
    flows = result.cash_flows
    uplift = flows.groupby(["option", "line"])["optimism_bias"].sum()
    assert uplift["outsourced", "fuel"] == pytest.approx(0.2 * 100_000 * PERIOD)
    assert uplift["in_house", "fuel"] == 0.0
    assert uplift["outsourced", "contract"] == 0.0
    assert uplift["outsourced", "contract service credits"] == 0.0
    assert uplift["outsourced", "charges"] == 0.0
    # PV by hand: fuel 100k x 1.2, contract 400k, credits -10k, income -150k a year
    expected = _annuity(100_000 * 1.2 + 400_000 - 10_000 - 150_000)
    assert result.pv("outsourced") == pytest.approx(expected, rel=1e-12)
    assert result.pv("in_house") == pytest.approx(_annuity(100_000), rel=1e-12)


def test_values_before_and_after_uplift_both_visible() -> None:
    result = appraise(_lines(), PERIOD, optimism_bias={"outsourced_operating": 20})
    table = result.present_values()
    before = _annuity(100_000 + 400_000 - 10_000 - 150_000)
    assert table.loc["outsourced", "pv_before_ob"] == pytest.approx(before, rel=1e-12)
    assert table.loc["outsourced", "optimism_bias"] == pytest.approx(_annuity(20_000), rel=1e-12)
    flows = result.cash_flows
    assert (flows["total"] == flows["value"] + flows["optimism_bias"]).all()


def test_reaggregation_never_applies_the_uplift_twice() -> None:
    bias = {"outsourced_operating": 20, "outsourced_contract": 10}
    result = appraise(_lines(), PERIOD, optimism_bias=bias)
    pv = result.pv("outsourced")
    assert result.present_values().loc["outsourced", "pv"] == pytest.approx(pv)
    assert result.by_category().loc["outsourced"].sum() == pytest.approx(pv)
    assert (result.by_year(discounted=True).loc["outsourced"]).sum() == pytest.approx(pv)
    factors = discount_factors(PERIOD)
    by_year = result.by_year().loc["outsourced"].to_numpy()
    assert by_year @ factors == pytest.approx(pv)
    assert net_present_costs(_lines(), PERIOD, optimism_bias=bias)["outsourced"] == pytest.approx(
        pv
    )
    assert appraise(_lines(), PERIOD, optimism_bias=bias).pv("outsourced") == pytest.approx(pv)


def test_option_specific_rule_overrides_the_general_one() -> None:
    bias = OptimismBias.from_mapping({"operating": 5, "outsourced_operating": 20})
    assert bias.percent("in_house", "operating") == 5
    assert bias.percent("outsourced", "operating") == 20
    assert bias.percent("outsourced", "staff") == 0
    assert bias.uplift("outsourced", Category.OPERATING) == pytest.approx(0.2)


def test_scenario_keys_are_parsed_with_underscored_names() -> None:
    bias = OptimismBias.from_mapping(
        {"capital": 24, "in_house_client_function": 3, ("mixed", "staff"): 7}
    )
    assert bias.percent("anything", "capital") == 24
    assert bias.percent("in_house", "client_function") == 3
    assert bias.percent("mixed", "staff") == 7
    with pytest.raises(ValueError, match="optimism bias key"):
        OptimismBias.from_mapping({"outsourced_overheads": 10})


@pytest.mark.parametrize("category", ["income", "service_credit", "residual_value"])
def test_receipts_cannot_be_given_an_uplift(category: str) -> None:
    with pytest.raises(ValueError, match="never applies"):
        UpliftRule(Category(category), 10.0)


def test_uplift_outside_the_guidance_range_is_rejected() -> None:
    with pytest.raises(ValueError, match="0-200"):
        OptimismBias.from_mapping({"capital": 250})
    with pytest.raises(ValueError, match="twice"):
        OptimismBias((UpliftRule(Category.CAPITAL, 10), UpliftRule(Category.CAPITAL, 20)))
