"""Should-cost: a contract's price built bottom-up, and the verdict beside the assumed price."""

from __future__ import annotations

import math

import pytest

from models.appraisal import CostElement, ShouldCostSettings, annual_capital_charge, should_cost

SETTINGS = ShouldCostSettings(overhead=0.10, margin=0.07, capital_rate=0.08, tolerance=0.10)


def test_annual_capital_charge_is_the_annuity() -> None:
    # 70k truck, 7 years at 8 %: 70,000 x 0.08 / (1 - 1.08 ** -7);
    # 1.08 ** 7 = 1.713824, so 5,600 / (1 - 0.583490) = 5,600 / 0.416510 = 13,445.07
    assert annual_capital_charge(70_000, 7, 0.08) == pytest.approx(13_445.07, abs=0.01)
    # paying it for 7 years and discounting at 8 % gives back the price
    charge = annual_capital_charge(70_000, 7, 0.08)
    assert sum(charge / 1.08**t for t in range(1, 8)) == pytest.approx(70_000)
    assert annual_capital_charge(70_000, 7, 0.0) == pytest.approx(10_000)  # no interest
    with pytest.raises(ValueError, match="life_years"):
        annual_capital_charge(70_000, 0, 0.08)


def _build(price: float):
    elements = [
        CostElement("labour", 300_000, "12 FTE on transferred terms"),
        CostElement("vehicles", 100_000, "capital charge"),
    ]
    return should_cost(
        "recovery contract",
        elements,
        price,
        SETTINGS,
        transferred_risk=22_500,
        mobilisation=100_000,
        length_years=5,
    )


def test_should_cost_arithmetic() -> None:
    built = _build(450_000)
    # direct 300k + 100k = 400k; overhead 10 % = 40k; risk premium 22.5k;
    # mobilisation 100k over 5 years = 20k; margin 7 % of (400 + 40 + 22.5 + 20 = 482.5k)
    # = 33,775; should-cost 482.5k + 33,775 = 516,275
    assert built.direct == pytest.approx(400_000)
    assert built.overhead == pytest.approx(40_000)
    assert built.risk_premium == pytest.approx(22_500)
    assert built.mobilisation == pytest.approx(20_000)
    assert built.margin == pytest.approx(33_775)
    assert built.total == pytest.approx(516_275)
    assert built.ratio == pytest.approx(450_000 / 516_275)  # 0.8716


def test_verdicts_against_the_tolerance() -> None:
    # within 10 % of 516,275 (464,648 .. 567,903) is plausible
    assert _build(450_000).verdict(SETTINGS.tolerance) == "cheap"  # ratio 0.872
    assert _build(520_000).verdict(SETTINGS.tolerance) == "plausible"  # 1.007
    assert _build(600_000).verdict(SETTINGS.tolerance) == "rich"  # 1.162
    assert _build(450_000).verdict(0.15) == "plausible"  # 0.872 is within 15 %
    empty = should_cost("nothing", [], 1_000, SETTINGS)
    assert math.isnan(empty.ratio) and empty.verdict(0.1) == "not assessed"


def test_the_build_up_table() -> None:
    table = _build(450_000).table()
    assert list(table["item"]) == [
        "labour",
        "vehicles",
        "Direct cost",
        "Overhead",
        "Risk premium",
        "Mobilisation",
        "Margin",
        "Should-cost",
        "Assumed contract price",
    ]
    values = table.set_index("item")["per_year"]
    assert values["Should-cost"] == pytest.approx(516_275)
    assert values["Assumed contract price"] == 450_000
    assert table.set_index("item").loc["labour", "basis"] == "12 FTE on transferred terms"


def test_mark_ups_must_be_fractions() -> None:
    with pytest.raises(ValueError, match="margin"):
        ShouldCostSettings(margin=7.0)
