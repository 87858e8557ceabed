"""Transfers are out of the economic case and in the financial case; the financial case is
nominal cash at a stated inflation, with VAT on contractor lines only when not recovered."""

from __future__ import annotations

import pytest

from models.appraisal import (
    Category,
    FinancialSettings,
    Provider,
    affordability,
    appraise,
    asset_lines,
    cash_by_year,
    disposal_line,
    economic_lines,
    financial_case,
    net_present_costs,
    one_off_line,
    staff_line,
)
from tests.appraisal.lines import PERIOD, annuity, outsourced_contract, outsourcing_bias

INFLATION = 0.02
"""The stated inflation of these tests: 2 % a year."""


def _lines() -> list:
    """In house: 2 staff at 20k. Outsourced: a 100k-a-year contract earning 5k of service
    credits a year (a transfer by its category) and a 50k redundancy payment in year 1 (a
    transfer by its flag, Green Book 2018 para 6.9)."""
    charges, credits = outsourced_contract(fixed_fee=100_000, credit_per_breach=1_000, breaches=5)
    redundancy = one_off_line(
        "outsourced", "redundancy", {1: 50_000}, period_years=PERIOD, transfer=True
    )
    return [
        staff_line("in_house", "staff", fte=2, salary=20_000, period_years=PERIOD),
        charges,
        credits,
        redundancy,
    ]


def _cash(case, option: str, year: int) -> float:
    rows = case[(case["option"] == option) & (case["year"] == year)]
    return float(rows["cash"].sum())


def test_service_credits_are_always_transfers_and_redundancy_when_flagged() -> None:
    charges, credits, redundancy = _lines()[1:]
    assert credits.transfer and credits.provider is Provider.CONTRACTOR
    assert redundancy.transfer and redundancy.provider is Provider.FORCE
    assert not charges.transfer
    assert [ln.name for ln in economic_lines(_lines())] == ["staff", "contract"]


def test_the_economic_case_leaves_transfers_out() -> None:
    result = appraise(_lines(), PERIOD)
    # outsourced: only the 100k a year of charges; the credits and the redundancy are transfers
    assert result.pv("outsourced") == pytest.approx(annuity(100_000), rel=1e-12)
    assert set(result.cash_flows["line"]) == {"staff", "contract"}
    pvs = net_present_costs(_lines(), PERIOD)
    assert pvs["outsourced"] == pytest.approx(annuity(100_000), rel=1e-12)
    assert pvs["in_house"] == pytest.approx(annuity(40_000), rel=1e-12)


def test_an_option_of_transfers_only_costs_nothing_in_the_economic_case() -> None:
    redundancy = _lines()[3]
    assert net_present_costs([redundancy], PERIOD) == {"outsourced": 0.0}
    table = appraise([_lines()[0], redundancy], PERIOD).present_values("in_house")
    assert table.loc["outsourced", ["pv_before_ob", "optimism_bias", "pv"]].tolist() == [0.0] * 3
    assert table.loc["outsourced", "difference"] == pytest.approx(-annuity(40_000))


def test_the_financial_case_has_them_in_nominal_cash() -> None:
    case = financial_case(_lines(), PERIOD, FinancialSettings(inflation=INFLATION))
    # year 1: (100k charges - 5k credits + 50k redundancy) x 1.02 = 145k x 1.02 = 147,900
    assert _cash(case, "outsourced", 1) == pytest.approx(145_000 * 1.02)
    # year 2: (100k - 5k) x 1.02 ** 2 = 95k x 1.0404 = 98,838
    assert _cash(case, "outsourced", 2) == pytest.approx(98_838.0)
    # in house: 40k x 1.02 ** 10 in year 10
    assert _cash(case, "in_house", 10) == pytest.approx(40_000 * 1.02**10)
    assert _cash(case, "outsourced", 0) == 0.0
    assert case["vat"].abs().sum() == 0.0  # VAT recovered by default (VAT Act 1994 s33)
    transfers = case[case["transfer"]]
    assert set(transfers["line"]) == {"contract service credits", "redundancy"}


def test_vat_falls_on_contractor_lines_only_when_not_recovered() -> None:
    settings = FinancialSettings(inflation=INFLATION, vat_rate=0.20, vat_recovered=False)
    case = financial_case(_lines(), PERIOD, settings)
    vat = case[case["year"] == 1].set_index(["option", "line"])["vat"]
    # 20 % on the contractor's 100k charges and on its -5k credits; none on force lines
    assert vat["outsourced", "contract"] == pytest.approx(20_000)
    assert vat["outsourced", "contract service credits"] == pytest.approx(-1_000)
    assert vat["outsourced", "redundancy"] == 0.0
    assert vat["in_house", "staff"] == 0.0
    # year 1 cash: (100k + 20k - 5k - 1k + 50k) x 1.02 = 164k x 1.02 = 167,280
    assert _cash(case, "outsourced", 1) == pytest.approx(167_280.0)


def test_residual_value_is_not_cash_but_a_disposal_receipt_is() -> None:
    trucks, residual = asset_lines(
        "in_house", "trucks", unit_cost=70_000, life_years=7, period_years=PERIOD
    )
    sold = disposal_line(
        "outsourced", "trucks", units=4, value_per_unit=10_000, period_years=PERIOD
    )
    case = financial_case([trucks, residual, sold], PERIOD, FinancialSettings(inflation=0.0))
    assert Category.RESIDUAL_VALUE.value not in set(case["category"])
    assert _cash(case, "outsourced", 1) == pytest.approx(-40_000)  # 4 x 10k, in year 1
    assert _cash(case, "in_house", 0) == pytest.approx(70_000)


def test_contingency_is_the_optimism_bias_in_cash() -> None:
    bias = outsourcing_bias(0.5)  # 41 x (1 - 0.5) = 20.5 % on service costs
    case = financial_case(
        _lines(), PERIOD, FinancialSettings(inflation=INFLATION), optimism_bias=bias
    )
    year1 = case[case["year"] == 1].set_index(["option", "line"])["contingency"]
    assert year1["outsourced", "contract"] == pytest.approx(0.205 * 100_000 * 1.02)
    assert year1["outsourced", "redundancy"] == 0.0  # a transfer: never uplifted
    assert year1["outsourced", "contract service credits"] == 0.0
    table = cash_by_year(case, with_contingency=True)
    # year 1 outsourced: 147,900 of cash + 20,910 of contingency
    assert table.loc["outsourced", 1] == pytest.approx(147_900 + 20_910)


def test_affordability_is_the_extra_cash_against_business_as_usual() -> None:
    case = financial_case(_lines(), PERIOD, FinancialSettings(inflation=0.0))
    extra = affordability(case, "in_house")
    # outsourced - in house: year 1 145k - 40k = 105k; later years 95k - 40k = 55k
    assert extra.loc["outsourced", 1] == pytest.approx(105_000)
    assert extra.loc["outsourced", 5] == pytest.approx(55_000)
    assert extra.loc["outsourced", "total"] == pytest.approx(105_000 + 9 * 55_000)
    assert extra.loc["outsourced", "peak"] == pytest.approx(105_000)
    assert (extra.loc["in_house"] == 0.0).all()
    with pytest.raises(ValueError, match="baseline 'mixed'"):
        affordability(case, "mixed")


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="inflation"):
        FinancialSettings(inflation=2.0)  # 200 %: a percent written as a fraction's place
    with pytest.raises(ValueError, match="vat_rate"):
        FinancialSettings(vat_rate=20.0)
    with pytest.raises(ValueError, match="no cost lines"):
        financial_case([], PERIOD)
