"""Appraisal results: tidy cash flows, PVs, and the paired comparison over replications."""

import math

import numpy as np
import pandas as pd
import pytest

from models.appraisal import (
    CostLine,
    activity_line,
    appraise,
    appraise_replications,
    compare,
    present_value,
    staff_line,
)
from tests.appraisal.lines import PERIOD, outsourced_contract

T_975_3DF = 3.182446305284263  # Student t, 97.5 % point, 3 degrees of freedom (tables)


def test_cash_flows_are_tidy_with_one_row_per_option_line_and_year() -> None:
    lines = [
        staff_line("in_house", "staff", fte=2, salary=20_000, period_years=PERIOD),
        activity_line("outsourced", "tows", unit_cost=100, volume=50, period_years=PERIOD),
    ]
    result = appraise(lines, PERIOD, base_year=2013)
    flows = result.cash_flows
    assert len(flows) == 2 * (PERIOD + 1)
    assert {"option", "line", "category", "year", "calendar_year", "value", "discounted"} <= set(
        flows.columns
    )
    assert flows["year"].min() == 0 and flows["year"].max() == PERIOD
    assert flows["calendar_year"].min() == 2013 and flows["calendar_year"].max() == 2023
    assert result.options == ("in_house", "outsourced")
    table = result.present_values("in_house")
    assert table.loc["in_house", "pv"] == pytest.approx(present_value([40_000] * 10, first_year=1))
    assert table.loc["outsourced", "difference"] == pytest.approx(
        table.loc["outsourced", "pv"] - table.loc["in_house", "pv"]
    )
    assert table.loc["in_house", "difference"] == 0.0


def test_costs_after_the_period_and_duplicated_lines_are_errors() -> None:
    late = CostLine("in_house", "late", "operating", (0.0,) * 11 + (5.0,))
    with pytest.raises(ValueError, match="after year 10"):
        appraise([late], PERIOD)
    line = activity_line("in_house", "fuel", unit_cost=1, volume=1, period_years=PERIOD)
    with pytest.raises(ValueError, match="twice"):
        appraise([line, line], PERIOD)


def _volumes(tows: list[float]) -> pd.DataFrame:
    rows = []
    for replication, count in enumerate(tows):
        for option in ("in_house", "outsourced"):
            rows.append((replication, option, "tows_per_year", count))
            rows.append((replication, option, "breaches_per_year", 2.0 * replication))
    return pd.DataFrame(rows, columns=["replication", "option", "metric", "value"])


def _build(volumes: dict[str, dict[str, float]]) -> list[CostLine]:
    in_house = volumes["in_house"]
    outsourced = volumes["outsourced"]
    charges, credits = outsourced_contract(
        unit_prices={"tows": 90.0},
        volumes={"tows": outsourced["tows_per_year"]},
        credit_per_breach=500.0,
        breaches=outsourced["breaches_per_year"],
    )
    return [
        activity_line(
            "in_house",
            "tows",
            unit_cost=100.0,
            volume=in_house["tows_per_year"],
            period_years=PERIOD,
        ),
        charges,
        credits,
    ]


def test_one_pv_per_option_and_replication_from_simulated_volumes() -> None:
    tows = [1_000.0, 1_200.0, 900.0]
    pvs = appraise_replications(_build, _volumes(tows), period_years=PERIOD)
    assert list(pvs.columns) == ["replication", "option", "pv"]
    assert len(pvs) == 6
    annuity = present_value([1.0] * 10, first_year=1)
    for replication, count in enumerate(tows):
        row = pvs[pvs["replication"] == replication].set_index("option")["pv"]
        assert row["in_house"] == pytest.approx(100 * count * annuity)
        # the credits (500 x 2 x replication) are a transfer: not in the economic case
        assert row["outsourced"] == pytest.approx(90 * count * annuity)


def _pv_frame(baseline: list[float], option: list[float]) -> pd.DataFrame:
    rows = [(r, "in_house", pv) for r, pv in enumerate(baseline)]
    rows += [(r, "outsourced", pv) for r, pv in enumerate(option)]
    return pd.DataFrame(rows, columns=["replication", "option", "pv"])


def test_paired_difference_interval_and_probability_cheaper() -> None:
    # large noise common to both options, removed by pairing; differences -3, -1, +2, -2
    common = np.array([5_000.0, -4_000.0, 9_000.0, -7_000.0])
    differences = np.array([-3.0, -1.0, 2.0, -2.0])
    baseline = 100_000.0 + common
    option = baseline + differences
    table = compare(_pv_frame(list(baseline), list(option)), "in_house").set_index("option")
    row = table.loc["outsourced"]
    # mean -1; sample sd sqrt(((-2)^2 + 0 + 3^2 + (-1)^2) / 3) = sqrt(14/3); n = 4
    half = T_975_3DF * math.sqrt(14 / 3) / 2
    assert row["diff_mean"] == pytest.approx(-1.0)
    assert row["diff_low"] == pytest.approx(-1.0 - half)
    assert row["diff_high"] == pytest.approx(-1.0 + half)
    assert row["prob_cheaper"] == pytest.approx(0.75)
    assert row["n"] == 4
    assert row["pv_mean"] == pytest.approx(option.mean())
    assert row["high"] - row["low"] > 1_000 * (row["diff_high"] - row["diff_low"])
    base = table.loc["in_house"]
    assert base["diff_mean"] == 0.0 and math.isnan(base["prob_cheaper"])


def test_ties_do_not_count_as_cheaper() -> None:
    table = compare(_pv_frame([10.0, 10.0, 10.0], [10.0, 9.0, 11.0]), "in_house").set_index(
        "option"
    )
    assert table.loc["outsourced", "prob_cheaper"] == pytest.approx(1 / 3)


def test_comparison_needs_the_baseline_and_complete_pairs() -> None:
    frame = _pv_frame([1.0, 2.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="baseline"):
        compare(frame, baseline="mixed")
    with pytest.raises(ValueError, match="every replication"):
        compare(frame.iloc[:-1], "in_house")


def test_an_option_costed_like_the_baseline_is_never_cheaper() -> None:
    # identical costs must give identical PVs (no rounding noise counted as "cheaper")
    rng = np.random.default_rng(7)
    rows = [
        (r, option, "tows", float(volume))
        for r, volume in enumerate(rng.uniform(500, 5_000, size=60))
        for option in ("in_house", "mixed")
    ]
    volumes = pd.DataFrame(rows, columns=["replication", "option", "metric", "value"])

    def build(v: dict[str, dict[str, float]]) -> list[CostLine]:
        return [
            activity_line(option, name, unit_cost=cost, volume=v[option]["tows"], period_years=40)
            for option in v
            for name, cost in (("fuel", 13.7), ("tyres", 2.9), ("parts", 41.3))
        ]

    pvs = appraise_replications(build, volumes, period_years=40)
    table = compare(pvs, "in_house").set_index("option")
    assert table.loc["mixed", "prob_cheaper"] == 0.0
    assert table.loc["mixed", "diff_mean"] == 0.0
