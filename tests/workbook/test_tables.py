"""Report tables: one rule for a figure a run did not report (NaN, shown as "—")."""

from __future__ import annotations

import math

import pandas as pd

from workbook import tables
from workbook.display import MISSING, money


def _performance() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "option": ["in_house", "outsourced"],
            "metric": ["availability", "availability"],
            "mean": [0.9, float("nan")],
            "low": [0.85, float("nan")],
            "high": [0.95, float("nan")],
        }
    )


def test_a_missing_mean_is_nan() -> None:
    perf = _performance()
    assert tables.mean(perf, "availability", "in_house") == 0.9
    assert math.isnan(tables.mean(perf, "availability", "mixed"))
    assert math.isnan(tables.mean(perf, "shifts_short_per_year", "in_house"))


def test_every_format_shows_nan_as_missing() -> None:
    nan = float("nan")
    assert tables.number(1)(nan) == MISSING
    assert tables.percent(1)(nan) == MISSING
    assert tables.pounds(nan) == MISSING
    assert money(nan) == MISSING
    assert tables.number(0)(1234.4) == "1,234"
    assert tables.percent(1)(0.1234) == "12.3%"


def test_interval_table_shows_missing_cells_and_drops_unreported_rows() -> None:
    rows = [
        ("availability", "Fleet availability", tables.percent()),
        ("off_road_mean", "Vehicles off the road", tables.number(0)),
    ]
    frame = tables.interval_table(_performance(), rows, {"in_house": "In-house"})
    assert list(frame.iloc[:, 0]) == ["Fleet availability"]
    assert frame.iloc[0, 1] == "90% (85% to 95%)"
    assert frame.iloc[0, 2] == MISSING
    assert "nan" not in frame.to_string().lower()


def test_cost_table_names_business_as_usual_not_a_baseline() -> None:
    costs = pd.DataFrame(
        [
            ("mixed", 10e6, 9e6, 11e6, 0.0, 0.0, 0.0, float("nan")),
            ("in_house", 9e6, 8e6, 10e6, -1e6, -1.5e6, -0.5e6, 0.8),
        ],
        columns=["option", "pv_mean", "low", "high", "diff_mean", "diff_low", "diff_high",
                 "prob_cheaper"],
    )  # fmt: skip
    frame = tables.cost_table(costs, {"mixed": "Mixed", "in_house": "In-house"}, "mixed")
    assert list(frame.columns) == [
        "Option",
        "Present value of costs",
        "Difference from business as usual (Mixed)",
        "Share of replications cheaper than business as usual (Mixed)",
    ]
    assert frame.iloc[0, 2] == "business as usual" and frame.iloc[0, 3] == MISSING
    assert frame.iloc[1, 2] == "-£1.00m (-£1.50m to -£500k)" and frame.iloc[1, 3] == "80%"
    assert "baseline" not in frame.to_string().lower()


def test_the_difference_chart_is_titled_against_business_as_usual() -> None:
    from workbook import charts

    costs = pd.DataFrame(
        {
            "option": ["mixed", "in_house"],
            "pv_mean": [10e6, 9e6],
            "low": [9e6, 8e6],
            "high": [11e6, 10e6],
            "diff_mean": [0.0, -1e6],
            "diff_low": [0.0, -1.5e6],
            "diff_high": [0.0, -0.5e6],
        }
    )
    fig = charts.present_values(costs, {"mixed": "Mixed", "in_house": "In-house"}, "mixed")
    titles = [axis.get_title() for axis in fig.axes]
    assert any(t.startswith("Difference from business as usual (Mixed)") for t in titles)
    assert not any("baseline" in t.lower() for t in titles)


def test_the_cash_flow_chart_draws_more_categories_than_one_palette_has() -> None:
    from workbook import charts

    categories = [*charts.CATEGORY_LABELS, "another", "and_more"]
    flows = pd.DataFrame(
        [("a", c, year, float(i + 1)) for i, c in enumerate(categories) for year in (0, 1)],
        columns=["option", "category", "year", "total"],
    )
    fig = charts.cash_flows(flows, {"a": "A"}, 2012)
    names = {text.get_text() for legend in fig.legends for text in legend.get_texts()}
    assert charts.CATEGORY_LABELS["risk"] in names and "and_more" in names
