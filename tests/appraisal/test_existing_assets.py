"""Assets the force holds are valued at their opportunity cost: business as usual keeps and
replaces them as they fall due, an option that gives them up receives their disposal value."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from models.appraisal import (
    Category,
    CostLine,
    appraise,
    asset_lines,
    disposal_line,
    present_value,
)
from models.costing import AssetSpec, HeldAssets, asset_cost_lines, option_lines
from tests.appraisal.lines import PERIOD, one_part_option, outsourcing_bias

TRUCK = 70_000.0
LIFE = 7


def _years(line) -> dict[int, float]:
    return {year: value for year, value in enumerate(line.values) if value}


def _ten_held_with_four_years_left(units: int) -> tuple[CostLine, CostLine]:
    """Purchases and residual value of ``units`` trucks of which 10 are held, 4 years left."""
    return asset_lines(
        "in_house",
        "trucks",
        unit_cost=TRUCK,
        units=units,
        life_years=LIFE,
        period_years=PERIOD,
        held=10,
        remaining_life_years=4,
    )


def test_held_units_are_not_bought_but_replaced_when_their_life_runs_out() -> None:
    # 10 trucks held with 4 years left: none bought in year 0; all 10 replaced in year 4
    # (700k); the next replacement (year 11) is after the period, so at year 10 the year-4
    # trucks have 4 + 7 - 10 = 1 of 7 years left: residual 700k x 1/7 = 100k
    purchases, residual = _ten_held_with_four_years_left(units=10)
    assert _years(purchases) == {4: pytest.approx(700_000)}
    assert _years(residual) == {PERIOD: pytest.approx(-100_000)}


def test_units_beyond_those_held_are_bought_new() -> None:
    # 12 trucks needed, 10 held with 4 years left: 2 bought in year 0 (140k) and again in
    # year 7 (140k, residual 140k x 4/7 = 80k); the 10 held replaced in year 4 (700k,
    # residual 100k): residual 180k in all
    purchases, residual = _ten_held_with_four_years_left(units=12)
    assert _years(purchases) == {
        0: pytest.approx(140_000),
        4: pytest.approx(700_000),
        7: pytest.approx(140_000),
    }
    assert residual.values[PERIOD] == pytest.approx(-180_000)


def test_held_units_outliving_the_period_leave_a_residual_of_what_is_left() -> None:
    # 5 years, trucks with all 7 years left: never replaced; 2 of 7 years left at year 5
    purchases, residual = asset_lines(
        "in_house",
        "trucks",
        unit_cost=TRUCK,
        units=3,
        life_years=LIFE,
        period_years=5,
        held=3,
        remaining_life_years=7,
    )
    assert not any(purchases.values)
    assert residual.values[5] == pytest.approx(-3 * TRUCK * 2 / 7)


def test_holding_the_assets_is_cheaper_than_buying_them_new() -> None:
    new, new_residual = asset_lines(
        "bought", "trucks", unit_cost=TRUCK, units=10, life_years=LIFE, period_years=PERIOD
    )
    held, held_residual = asset_lines(
        "held",
        "trucks",
        unit_cost=TRUCK,
        units=10,
        life_years=LIFE,
        period_years=PERIOD,
        held=10,
        remaining_life_years=4,
    )
    pvs = appraise([new, new_residual, held, held_residual], PERIOD).present_values()
    # bought: 700k in year 0 and year 7, residual 700k x 4/7 = 400k at year 10
    d = [1.035**-t for t in range(PERIOD + 1)]
    assert pvs.loc["bought", "pv"] == pytest.approx(700_000 * (1 + d[7]) - 400_000 * d[10])
    # held: 700k in year 4, residual 100k at year 10
    assert pvs.loc["held", "pv"] == pytest.approx(700_000 * d[4] - 100_000 * d[10])


def test_a_disposal_is_a_receipt_in_year_1_and_never_uplifted() -> None:
    # 10 trucks sold at 8k each: 80k received in year 1
    sold = disposal_line("outsourced", "trucks", units=10, value_per_unit=8_000, period_years=10)
    assert sold.category is Category.DISPOSAL and sold.name == "trucks disposal"
    assert _years(sold) == {1: -80_000}
    assert outsourcing_bias(0.0, capital=True).percent(sold) == 0.0
    result = appraise([sold], PERIOD, optimism_bias=outsourcing_bias(0.0, capital=True))
    assert result.pv("outsourced") == pytest.approx(present_value([0.0, -80_000.0]))


# --------------------------------------------------------------------------- from a section


def _section() -> SimpleNamespace:
    """A section with 10 trucks held for ``recovery`` (4 years left, 8k each if sold), one
    option keeping them in house and one contracting recovery out."""
    trucks = HeldAssets(
        part="recovery", units=10, remaining_life_years=4, disposal_value_per_unit=8_000
    )
    return SimpleNamespace(
        options={"today": one_part_option("in_house"), "contracted": one_part_option("contractor")},
        existing_assets={"trucks": trucks},
        risks={},
        business_as_usual="today",
    )


def test_the_option_that_gives_the_assets_up_receives_their_disposal_value() -> None:
    config = _section()
    (sold,) = option_lines(config, "contracted", PERIOD)
    assert sold.category is Category.DISPOSAL
    assert _years(sold) == {1: -80_000}  # 10 x 8k
    assert option_lines(config, "today", PERIOD) == []
    purchases, _ = asset_cost_lines(
        "today",
        "trucks",
        asset=AssetSpec(unit_cost=TRUCK, life_years=LIFE),
        units=10,
        period_years=PERIOD,
        held=config.existing_assets["trucks"],
    )
    np.testing.assert_allclose(purchases.values, [0, 0, 0, 0, 700_000, 0, 0, 0, 0, 0, 0])
