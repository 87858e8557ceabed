"""Builders of common cost lines: staff, assets, activity, contract, one-off, income, growth."""

import numpy as np
import pytest

from models import appraisal as ap
from tests.appraisal.lines import PERIOD, outsourced_contract


def test_staff_cost_is_fte_times_salary_with_allowance_then_on_costs() -> None:
    # 25,000 x 1.15 = 28,750; x 1.28 = 36,800 per FTE; 10 FTE = 368,000 a year
    assert ap.staff_cost_per_fte(25_000, shift_allowance=0.15, on_costs=0.28) == pytest.approx(
        36_800
    )
    line = ap.staff_line(
        "in_house",
        "pound staff",
        fte=10,
        salary=25_000,
        shift_allowance=0.15,
        on_costs=0.28,
        period_years=PERIOD,
    )
    assert line.category is ap.Category.STAFF
    assert line.values == pytest.approx([0.0] + [368_000.0] * PERIOD)


def test_staff_allowances_given_as_percent_are_rejected() -> None:
    with pytest.raises(ValueError, match="fraction"):
        ap.staff_cost_per_fte(25_000, shift_allowance=15)


def test_staff_fte_can_vary_by_year() -> None:
    fte = [0, 10, 10, 8, 8, 8, 8, 8, 8, 8, 8]
    line = ap.staff_line("in_house", "staff", fte=fte, salary=20_000, period_years=PERIOD)
    assert line.values[1] == pytest.approx(200_000)
    assert line.values[3] == pytest.approx(160_000)


def test_real_growth_compounds_from_the_base_year() -> None:
    values = ap.annual_profile(100.0, period_years=PERIOD, first_year=3, last_year=5, growth=0.02)
    assert values[:3] == (0.0, 0.0, 0.0)
    assert values[3] == pytest.approx(100 * 1.02**3)
    assert values[5] == pytest.approx(100 * 1.02**5)
    assert values[6:] == (0.0,) * 5


def test_asset_bought_in_year_0_with_7_year_life_over_10_years() -> None:
    # serves years 1-7, replaced in year 7 (serves 8-14); at year 10, 4 of 7 years are left
    purchases, residual = ap.asset_lines(
        "in_house", "recovery truck", unit_cost=70_000, life_years=7, period_years=PERIOD
    )
    expected = np.zeros(PERIOD + 1)
    expected[[0, 7]] = 70_000
    assert purchases.category is ap.Category.CAPITAL
    np.testing.assert_allclose(purchases.values, expected)
    assert residual.category is ap.Category.RESIDUAL_VALUE
    assert residual.values[PERIOD] == pytest.approx(-70_000 * 4 / 7)
    assert not any(residual.values[:PERIOD])


def test_asset_whose_life_ends_with_the_period_has_no_residual_and_no_final_purchase() -> None:
    purchases, residual = ap.asset_lines(
        "in_house", "van", unit_cost=30_000, units=2, life_years=5, period_years=PERIOD
    )
    assert [year for year, v in enumerate(purchases.values) if v] == [0, 5]
    assert purchases.values[5] == pytest.approx(60_000)
    assert not any(residual.values)


def test_asset_replacement_price_follows_real_growth() -> None:
    purchases, residual = ap.asset_lines(
        "in_house", "truck", unit_cost=70_000, life_years=7, period_years=PERIOD, growth=0.01
    )
    assert purchases.values[7] == pytest.approx(70_000 * 1.01**7)
    assert residual.values[PERIOD] == pytest.approx(-70_000 * 1.01**7 * 4 / 7)


def test_running_cost_is_unit_cost_times_simulated_volume() -> None:
    line = ap.activity_line("in_house", "fuel", unit_cost=12.5, volume=36_000, period_years=PERIOD)
    assert line.category is ap.Category.OPERATING
    assert line.values == pytest.approx([0.0] + [450_000.0] * PERIOD)


def test_contract_charges_less_service_credits() -> None:
    charges, credits = ap.contract_lines(
        "outsourced",
        "recovery contract",
        period_years=PERIOD,
        fixed_fee=200_000,
        unit_prices={"tows": 100.0, "storage_days": 5.0},
        volumes={"tows": 3_000, "storage_days": 1_000},
        credit_per_breach=50.0,
        breaches=20,
    )
    # 200,000 + 100 x 3,000 + 5 x 1,000 = 505,000 charged; 50 x 20 = 1,000 credited
    assert charges.category is ap.Category.CONTRACT
    assert credits.category is ap.Category.SERVICE_CREDIT
    assert charges.values[1] == pytest.approx(505_000)
    assert credits.values[1] == pytest.approx(-1_000)
    net = np.add(charges.values, credits.values)
    assert net[1:] == pytest.approx([504_000.0] * PERIOD)
    assert net[0] == 0.0


def test_service_credits_are_capped_at_a_share_of_charges() -> None:
    _, credits = outsourced_contract(
        fixed_fee=500_000,
        credit_per_breach=50.0,
        breaches=10_000,
        credit_cap=0.10,
    )
    assert credits.values[1] == pytest.approx(-50_000)


def test_contract_prices_and_volumes_must_match() -> None:
    with pytest.raises(ValueError, match="same keys"):
        outsourced_contract(
            unit_prices={"tows": 100.0},
            volumes={"tow": 3_000},
        )


def test_one_off_transition_costs_fall_in_the_given_years() -> None:
    line = ap.one_off_line(
        "outsourced",
        "procurement and TUPE",
        {0: 150_000, 1: 400_000, 10: 80_000},
        period_years=PERIOD,
    )
    assert line.category is ap.Category.TRANSITION
    assert line.values[0] == 150_000 and line.values[1] == 400_000 and line.values[10] == 80_000
    assert sum(line.values) == pytest.approx(630_000)
    with pytest.raises(ValueError, match="outside"):
        ap.one_off_line("outsourced", "exit", {11: 1.0}, period_years=PERIOD)


def test_client_function_is_a_recurring_line_of_its_own_category() -> None:
    line = ap.client_function_line("outsourced", annual_cost=250_000, period_years=PERIOD)
    assert line.category is ap.Category.CLIENT_FUNCTION
    assert line.values == pytest.approx([0.0] + [250_000.0] * PERIOD)


def test_income_is_a_negative_cost() -> None:
    line = ap.income_line(
        "in_house",
        "removal charges",
        charge=150,
        volume=30_000,
        period_years=PERIOD,
        growth=-0.02,
    )
    assert line.category is ap.Category.INCOME
    assert line.values[1] == pytest.approx(-150 * 30_000 * 0.98)
    assert all(v <= 0 for v in line.values)


def test_receipts_must_not_be_positive() -> None:
    with pytest.raises(ValueError, match="negative"):
        ap.CostLine("in_house", "charges", ap.Category.INCOME, (0.0, 100.0))


def test_unknown_category_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown category"):
        ap.CostLine("in_house", "x", "overheads", (1.0,))  # type: ignore[arg-type]
