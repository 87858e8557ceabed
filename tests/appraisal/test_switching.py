"""Switching values and one-at-a-time sensitivity."""

import pytest

from models.appraisal import (
    Category,
    Selection,
    activity_line,
    client_function_line,
    net_present_costs,
    scale_lines,
    sensitivity,
    staff_line,
    switching_value,
)
from tests.appraisal.lines import PERIOD, outsourced_contract

BIAS = {"outsourced_contract": 15}


def _lines() -> list:
    charges, credits = outsourced_contract(
        fixed_fee=300_000,
        unit_prices={"tows": 60.0},
        volumes={"tows": 5_000},
        credit_per_breach=200,
        breaches=30,
    )
    return [
        staff_line("in_house", "staff", fte=20, salary=24_000, on_costs=0.27, period_years=PERIOD),
        activity_line("in_house", "fuel", unit_cost=8, volume=5_000, period_years=PERIOD),
        staff_line("outsourced", "staff", fte=2, salary=24_000, on_costs=0.27, period_years=PERIOD),
        charges,
        credits,
        client_function_line("outsourced", annual_cost=60_000, period_years=PERIOD),
    ]


def _difference(lines: list, bias: dict | None = BIAS) -> float:
    pvs = net_present_costs(lines, PERIOD, optimism_bias=bias)
    return pvs["outsourced"] - pvs["in_house"]


def test_simple_switching_value_by_hand() -> None:
    # in-house 1m a year, outsourced contract 0.8m a year: contract prices can rise by 25 %
    lines = [
        activity_line("in_house", "service", unit_cost=1_000_000, volume=1, period_years=PERIOD),
        activity_line(
            "outsourced",
            "contract",
            unit_cost=800_000,
            volume=1,
            period_years=PERIOD,
            category=Category.CONTRACT,
        ),
    ]
    assert switching_value(lines, "outsourced", "contract", period_years=PERIOD) == pytest.approx(
        1.25
    )


def test_switching_value_equalises_pvs_when_recomputed() -> None:
    lines = _lines()
    assert _difference(lines) != pytest.approx(0.0, abs=1.0)
    factor = switching_value(
        lines, "outsourced", "contract", period_years=PERIOD, optimism_bias=BIAS
    )
    scaled = scale_lines(lines, Selection(line="contract", options=("outsourced",)), factor)
    assert _difference(scaled) == pytest.approx(0.0, abs=1e-6)


def test_switching_value_of_a_category_scaled_in_both_options() -> None:
    lines = _lines()
    staff_everywhere = Selection(category=Category.STAFF)
    factor = switching_value(
        lines, "outsourced", staff_everywhere, period_years=PERIOD, optimism_bias=BIAS
    )
    assert factor > 0
    assert _difference(scale_lines(lines, staff_everywhere, factor)) == pytest.approx(0, abs=1e-6)


def test_no_switching_value_when_the_selection_does_not_move_the_difference() -> None:
    # the same fuel line in both options: scaling it leaves the difference unchanged
    fuel = activity_line("outsourced", "fuel", unit_cost=8, volume=5_000, period_years=PERIOD)
    with pytest.raises(ValueError, match="no switching value"):
        switching_value(
            [*_lines(), fuel], "outsourced", Selection(line="fuel"), period_years=PERIOD
        )


def test_unknown_selection_is_an_error() -> None:
    with pytest.raises(ValueError, match="no cost line"):
        switching_value(_lines(), "outsourced", "catering", period_years=PERIOD)


def test_one_at_a_time_sensitivity_moves_the_difference_by_the_line_share() -> None:
    lines = _lines()
    table = sensitivity(
        lines, ["contract", "staff"], period_years=PERIOD, change=0.10, optimism_bias=BIAS
    )
    assert len(table) == 2 * 2 * 2  # variables x factors x options
    contract_pv = net_present_costs(
        [line for line in lines if line.name == "contract"], PERIOD, optimism_bias=BIAS
    )["outsourced"]
    rows = table[(table["variable"] == "contract") & (table["option"] == "outsourced")]
    changes = rows.set_index("factor")["difference_change"]
    assert changes[1.1] == pytest.approx(0.1 * contract_pv)
    assert changes[0.9] == pytest.approx(-0.1 * contract_pv)
    staff_pvs = net_present_costs(
        [line for line in lines if line.category is Category.STAFF], PERIOD
    )
    staff_rows = table[(table["variable"] == "staff") & (table["option"] == "outsourced")]
    expected = 0.1 * (staff_pvs["outsourced"] - staff_pvs["in_house"])
    assert staff_rows.set_index("factor")["difference_change"][1.1] == pytest.approx(expected)
    baseline_rows = table[table["option"] == "in_house"]
    assert (baseline_rows["difference"] == 0.0).all()
