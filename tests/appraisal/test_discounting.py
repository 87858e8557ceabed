"""Green Book discounting: hand-checked present values and factors across the step changes."""

import numpy as np
import pytest

from models.appraisal import (
    GREEN_BOOK,
    DiscountSchedule,
    as_schedule,
    discount_factors,
    present_value,
)

MILLION = 1_000_000.0


def test_flat_million_years_1_to_10_at_3_5_percent() -> None:
    # 1m x (1 - 1.035^-10) / 0.035 = 8,316,605 (annuity factor 8.3166)
    pv = present_value([MILLION] * 10, GREEN_BOOK, first_year=1)
    assert pv == pytest.approx(8_316_605, abs=1.0)
    assert pv == pytest.approx(MILLION * (1 - 1.035**-10) / 0.035, abs=1e-6)


def test_flat_million_years_0_to_9_counts_year_0_undiscounted() -> None:
    # year 0 at full value plus a 9-year annuity: 1m x (1 + (1 - 1.035^-9) / 0.035) = 8,607,686
    pv = present_value([MILLION] * 10, GREEN_BOOK)
    assert pv == pytest.approx(8_607_686, abs=1.0)
    assert pv == pytest.approx(MILLION * (1 + (1 - 1.035**-9) / 0.035), abs=1e-6)


def test_year_0_factor_is_one_and_early_years_use_3_5_percent() -> None:
    factors = discount_factors(30)
    assert factors.shape == (31,)
    assert factors[0] == 1.0
    np.testing.assert_allclose(factors, 1.035 ** -np.arange(31), rtol=1e-12)


def test_factor_at_year_31_uses_3_percent_for_year_31_only() -> None:
    factors = discount_factors(31)
    assert factors[31] == pytest.approx(1.035**-30 / 1.03, rel=1e-12)
    # not the whole period at 3 %, nor 3.5 % throughout
    assert factors[31] != pytest.approx(1.03**-31, rel=1e-6)
    assert factors[31] != pytest.approx(1.035**-31, rel=1e-6)


def test_factors_continue_cumulatively_through_every_step() -> None:
    factors = discount_factors(302)
    expected_76 = 1.035**-30 * 1.03**-45 * 1.025**-1
    expected_302 = 1.035**-30 * 1.03**-45 * 1.025**-50 * 1.02**-75 * 1.015**-100 * 1.01**-2
    assert factors[75] == pytest.approx(1.035**-30 * 1.03**-45, rel=1e-12)
    assert factors[76] == pytest.approx(expected_76, rel=1e-12)
    assert factors[302] == pytest.approx(expected_302, rel=1e-12)
    assert np.all(np.diff(factors) < 0)


def test_explicit_schedule_as_pairs_mappings_or_constant() -> None:
    five = 1.05 ** -np.arange(11)
    np.testing.assert_allclose(discount_factors(10, DiscountSchedule.constant(0.05)), five)
    np.testing.assert_allclose(discount_factors(10, 0.05), five)
    stepped = [{"from_year": 0, "rate": 0.05}, {"from_year": 4, "rate": 0.02}]
    factors = discount_factors(5, stepped)
    assert factors[3] == pytest.approx(1.05**-3)
    assert factors[5] == pytest.approx(1.05**-3 * 1.02**-2)
    np.testing.assert_allclose(factors, discount_factors(5, [(0, 0.05), (4, 0.02)]))


def test_green_book_setting_name_and_rates() -> None:
    assert as_schedule("green_book") is GREEN_BOOK
    assert [GREEN_BOOK.rate(t) for t in (1, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301)] == [
        0.035,
        0.035,
        0.03,
        0.03,
        0.025,
        0.025,
        0.02,
        0.02,
        0.015,
        0.015,
        0.01,
    ]


@pytest.mark.parametrize(
    "steps",
    [
        [(0, 3.5)],  # a percent where a fraction is expected
        [(5, 0.035)],  # leaves years 1-4 without a rate
        [(0, 0.035), (0, 0.03)],  # not increasing
        [],
    ],
)
def test_bad_schedules_are_rejected(steps: list[tuple[int, float]]) -> None:
    with pytest.raises(ValueError):
        DiscountSchedule.from_steps(steps)


def test_unknown_schedule_name_is_rejected() -> None:
    with pytest.raises(ValueError, match="green_book"):
        as_schedule("treasury")
