"""Shared cost terms: rosters to hours and FTE, staff and asset lines, client function and
transition, levelised cost per unit."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.appraisal import Category, CostLine, staff_cost_per_fte
from models.costing import (
    AssetSpec,
    ClientFunctionSpec,
    OneOffCost,
    StaffSpec,
    annual_recurring_cost,
    asset_cost_lines,
    client_and_transition_lines,
    levelised_cost,
    replication_lines,
    roster_fte,
    roster_hours_per_year,
    staff_cost_line,
    volume,
)
from models.kit.roster import ShiftSpec


def test_roster_hours_and_fte() -> None:
    assert roster_hours_per_year(2) == pytest.approx(2 * 24 * 365)
    weekdays = [ShiftSpec(start=8, end=18, capacity=3, days=(0, 1, 2, 3, 4))]
    assert roster_hours_per_year(weekdays) == pytest.approx(3 * 10 * 5 * 365 / 7)
    fte = roster_fte([2, weekdays], productive_hours_per_fte=1650.0, staff_per_unit=2.0)
    assert fte == pytest.approx((2 * 24 * 365 + 3 * 10 * 5 * 365 / 7) * 2 / 1650)
    with pytest.raises(ValueError, match="productive_hours_per_fte"):
        roster_fte([1], 0.0)


def test_staff_line_uses_the_whole_pay_spec() -> None:
    pay = StaffSpec(salary=25_000, shift_allowance=0.15, on_costs=0.28, real_growth=0.01)
    line = staff_cost_line("x", "technicians", fte=10.0, pay=pay, period_years=3)
    per_fte = staff_cost_per_fte(25_000, 0.15, 0.28)
    assert line.category is Category.STAFF
    assert line.values[0] == 0
    assert line.values[2] == pytest.approx(10 * per_fte * 1.01**2)


def test_cost_specs_refuse_unknown_keys_and_bad_values() -> None:
    with pytest.raises(ValidationError):
        StaffSpec(salary=20_000, bonus=5)  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        StaffSpec(salary=20_000, on_costs=1.5)
    with pytest.raises(ValidationError):
        AssetSpec(unit_cost=1000, life_years=0)


def test_assets_client_function_and_transition() -> None:
    buy, residual = asset_cost_lines(
        "x", "trucks", asset=AssetSpec(unit_cost=100.0, life_years=4), units=3, period_years=5
    )
    assert buy.values == (300.0, 0, 0, 0, 300.0, 0)
    assert residual.values[5] == pytest.approx(-300.0 * 3 / 4)
    lines = client_and_transition_lines(
        "x",
        ClientFunctionSpec(annual_cost=200.0),
        {"procurement": OneOffCost(year=0, amount=50.0), "exit": OneOffCost(year=5, amount=9)},
        5,
    )
    by_name = {line.name: line for line in lines}
    assert by_name["client function"].values == (0, 200.0, 200.0, 200.0, 200.0, 200.0)
    assert by_name["procurement"].values[0] == 50.0
    assert by_name["exit"].values[5] == 9.0
    assert client_and_transition_lines("x", None, {}, 5) == []
    everything = [buy, residual, *lines]
    assert annual_recurring_cost(everything, 1) == pytest.approx(200.0)


def test_levelised_cost_by_hand() -> None:
    lines = [
        CostLine.annual("x", "running", Category.OPERATING, 1000.0, period_years=2),
        CostLine.annual("x", "income", Category.INCOME, -400.0, period_years=2),
    ]
    assert levelised_cost(lines, [0.0, 10.0, 10.0], 2) == pytest.approx(100.0)
    assert levelised_cost(lines, 10.0, 2) == pytest.approx(100.0)
    assert levelised_cost(lines, [0.0, 10.0, 10.0], 2, include_income=True) == pytest.approx(60.0)


def test_volume_lookup_names_what_is_there() -> None:
    assert volume({"jobs": 3.0}, "jobs") == 3.0
    assert list(volume({"jobs": [1, 2]}, "jobs")) == [1.0, 2.0]
    with pytest.raises(KeyError, match=r"volume 'meals' missing \(have \['jobs'\]\)"):
        volume({"jobs": 3.0}, "meals")


def test_replication_lines_builds_every_option() -> None:
    def volumes_of(runs: dict, option: str) -> dict[str, float]:
        return runs[f"{option}@1"]

    def lines_of(option: str, volumes: dict) -> list[CostLine]:
        return [
            CostLine.annual(option, "jobs", Category.OPERATING, volumes["jobs"], period_years=1)
        ]

    build = replication_lines(["a", "b"], volumes_of, lines_of)
    lines = build({"a@1": {"jobs": 2.0}, "b@1": {"jobs": 5.0}})
    assert [(line.option, line.values[1]) for line in lines] == [("a", 2.0), ("b", 5.0)]
