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
