"""Switching values, one-at-a-time sensitivity, and the optimism bias at which a ranking
switches."""

from __future__ import annotations

import math

import pytest

from models.appraisal import (
    Category,
    CostLine,
    OptimismBias,
    Selection,
    activity_line,
    client_function_line,
    net_present_costs,
    one_off_line,
    optimism_bias_switch,
    scale_lines,
    sensitivity,
    staff_line,
    switching_value,
    uniform,
)
from tests.appraisal.lines import PERIOD, outsourced_contract, outsourcing_bias

BIAS = uniform(15.0, [Category.CONTRACT])
"""15 % on contract charges, in whichever option they are."""
BASE = {"period_years": PERIOD, "baseline": "in_house"}


def _lines() -> list[CostLine]:
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


def _difference(lines: list[CostLine], bias: OptimismBias | None = BIAS) -> float:
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
    assert switching_value(lines, "outsourced", "contract", **BASE) == pytest.approx(1.25)
    # against the other option as the baseline, the in-house service may fall by 20 %
    factor = switching_value(
        lines, "in_house", "service", period_years=PERIOD, baseline="outsourced"
    )
    assert factor == pytest.approx(0.8)


def test_switching_value_equalises_pvs_when_recomputed() -> None:
    lines = _lines()
    assert _difference(lines) != pytest.approx(0.0, abs=1.0)
    factor = switching_value(lines, "outsourced", "contract", optimism_bias=BIAS, **BASE)
    scaled = scale_lines(lines, Selection(line="contract", options=("outsourced",)), factor)
    assert _difference(scaled) == pytest.approx(0.0, abs=1e-6)


def test_switching_value_of_a_category_scaled_in_both_options() -> None:
    lines = _lines()
    staff_everywhere = Selection(category=Category.STAFF)
    factor = switching_value(lines, "outsourced", staff_everywhere, optimism_bias=BIAS, **BASE)
    assert factor > 0
    assert _difference(scale_lines(lines, staff_everywhere, factor)) == pytest.approx(0, abs=1e-6)


def test_no_switching_value_when_the_selection_does_not_move_the_difference() -> None:
    # the same fuel line in both options: scaling it leaves the difference unchanged
    fuel = activity_line("outsourced", "fuel", unit_cost=8, volume=5_000, period_years=PERIOD)
    with pytest.raises(ValueError, match="no switching value"):
        switching_value([*_lines(), fuel], "outsourced", Selection(line="fuel"), **BASE)
    # service credits are a transfer: they are not in the economic case, so never switch it
    with pytest.raises(ValueError, match="no switching value"):
        switching_value(_lines(), "outsourced", "service_credit", **BASE)


def test_unknown_selection_or_baseline_is_an_error() -> None:
    with pytest.raises(ValueError, match="no cost line"):
        switching_value(_lines(), "outsourced", "catering", **BASE)
    with pytest.raises(ValueError, match="no option 'mixed'"):
        switching_value(_lines(), "outsourced", "contract", period_years=PERIOD, baseline="mixed")


def test_one_at_a_time_sensitivity_moves_the_difference_by_the_line_share() -> None:
    lines = _lines()
    table = sensitivity(lines, ["contract", "staff"], change=0.10, optimism_bias=BIAS, **BASE)
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


# --------------------------------------------------------------------------- optimism bias


def _year0(option: str, name: str, amount: float, category: str, **flags: bool) -> CostLine:
    """A cost in year 0 only (discount factor 1, so PVs are the amounts themselves)."""
    return one_off_line(option, name, {0: amount}, period_years=1, category=category, **flags)


def test_optimism_bias_switch_above_the_derived_uplift() -> None:
    # uplift 41 x (1 - 0.5) = 20.5 % on service costs, 24 % on capital
    bias = outsourcing_bias(0.5, capital=True)
    lines = [
        _year0("in_house", "staff", 1_000, "staff"),
        _year0("in_house", "vans", 500, "capital"),
        _year0("outsourced", "contract", 1_000, "contract"),
        _year0("outsourced", "TUPE", 700, "transition", upper_bound=True),
    ]
    # in house: B = 1,500, U = 0.205 x 1,000 + 0.24 x 500 = 205 + 120 = 325 -> 1,825
    # outsourced: B = 1,700, U = 0.205 x 1,000 = 205 (TUPE is an upper bound) -> 1,905
    # equal when 1,500 + 325 k = 1,700 + 205 k: k = 200 / 120 = 1.6667
    with_bias, without, scale = optimism_bias_switch(lines, period_years=1, optimism_bias=bias)
    assert with_bias == without == ["in_house", "outsourced"]
    assert scale == pytest.approx(200 / 120)
    moved = net_present_costs(lines, 1, optimism_bias=bias.scaled(scale))
    assert moved["in_house"] == pytest.approx(moved["outsourced"])


def test_optimism_bias_switch_below_the_derived_uplift() -> None:
    bias = outsourcing_bias(0.5)
    lines = [
        _year0("in_house", "staff", 1_000, "staff"),
        _year0("outsourced", "contract", 400, "contract"),
        _year0("outsourced", "TUPE", 700, "transition", upper_bound=True),
    ]
    # in house: B = 1,000, U = 205 -> 1,205; outsourced: B = 1,100, U = 0.205 x 400 = 82
    # -> 1,182: outsourced first with the uplift, in house first without it.
    # equal when 1,000 + 205 k = 1,100 + 82 k: k = 100 / 123 = 0.81301 (an uplift of 16.7 %)
    with_bias, without, scale = optimism_bias_switch(lines, period_years=1, optimism_bias=bias)
    assert with_bias == ["outsourced", "in_house"]
    assert without == ["in_house", "outsourced"]
    assert scale == pytest.approx(100 / 123)


def test_no_optimism_bias_switches_a_ranking_the_uplift_only_widens() -> None:
    bias = outsourcing_bias(0.5)
    lines = [
        _year0("in_house", "staff", 1_000, "staff"),
        _year0("outsourced", "contract", 1_200, "contract"),
    ]
    # in house 1,000 + 205 k, outsourced 1,200 + 246 k: in house cheaper at every k >= 0
    assert optimism_bias_switch(lines, period_years=1, optimism_bias=bias)[2] == math.inf
    replaced = OptimismBias(bias.groups, replaced_by_risk_register=True)
    ranked, bare, scale = optimism_bias_switch(lines, period_years=1, optimism_bias=replaced)
    assert ranked == bare == ["in_house", "outsourced"] and scale == math.inf
