"""Summary sentences follow from the numbers, including how sure they are."""

from __future__ import annotations

import pandas as pd

from workbook.narrative import cost_summary, list_names, service_standard_summary

LABELS = {"in_house": "In-house", "outsourced": "Outsourced", "mixed": "Mixed"}


def _costs(diff_low: float, diff_high: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            ("in_house", 10e6, 9.8e6, 10.2e6, 0.0, 0.0, 0.0, float("nan")),
            ("outsourced", 9e6, 8.7e6, 9.3e6, -1e6, diff_low, diff_high, 0.9),
        ],
        columns=["option", "pv_mean", "low", "high", "diff_mean", "diff_low", "diff_high",
                 "prob_cheaper"],
    )  # fmt: skip


def test_cost_summary_names_the_cheapest_and_says_when_the_difference_is_clear() -> None:
    text = cost_summary(_costs(-1.5e6, -0.5e6), LABELS, "in_house", 10)
    assert "lowest present value of costs is Outsourced" in text
    assert "£1.00m less than business as usual (In-house)" in text
    assert "a clear difference" in text and "90%" in text


def test_cost_summary_says_an_interval_through_zero_is_not_clear() -> None:
    text = cost_summary(_costs(-2e6, 0.5e6), LABELS, "in_house", 10)
    assert "not a clear difference" in text


def test_service_standard_splits_options_by_their_intervals() -> None:
    perf = pd.DataFrame(
        [
            ("in_house", "within", 0.95, 0.93, 0.97),
            ("outsourced", "within", 0.85, 0.83, 0.87),
            ("mixed", "within", 0.90, 0.88, 0.92),
        ],
        columns=["option", "metric", "mean", "low", "high"],
    )
    text = service_standard_summary(perf, "within", 0.9, LABELS, "urgent requests")
    assert "In-house (95.0%) clearly meet it" in text
    assert "Outsourced (85.0%) clearly fall short" in text
    assert "Mixed (90.0%) cannot be told apart" in text


def test_list_names() -> None:
    assert list_names(["A", "B", "C"]) == "A, B and C"


def test_metric_summary_names_the_best_and_judges_each_difference() -> None:
    from types import SimpleNamespace

    from workbook.narrative import metric_summary

    perf = pd.DataFrame(
        [("in_house", "short", 30.0, 28.0, 32.0), ("outsourced", "short", 40.0, 37.0, 43.0)],
        columns=["option", "metric", "mean", "low", "high"],
    )
    diffs = {"outsourced": SimpleNamespace(mean=10.0, low=7.0, high=13.0)}
    text = metric_summary(
        perf, diffs, "short", "shifts short", LABELS, "in_house", lower_is_better=True
    )
    assert "In-house does best: 30.0" in text
    assert (
        "Outsourced against business as usual (In-house): 10.0 (7.0 to 13.0, a clear difference)"
        in text
    )
    diffs = {"outsourced": SimpleNamespace(mean=1.0, low=-2.0, high=4.0)}
    text = metric_summary(
        perf, diffs, "short", "shifts short", LABELS, "in_house", lower_is_better=True
    )
    assert "not a clear difference" in text


def test_service_standard_can_be_a_ceiling() -> None:
    perf = pd.DataFrame(
        [("in_house", "wait", 4.0, 3.5, 4.5), ("outsourced", "wait", 7.0, 6.0, 8.0)],
        columns=["option", "metric", "mean", "low", "high"],
    )
    text = service_standard_summary(
        perf, "wait", 5.0, LABELS, "peak wait", at_most=True, fmt="{:.1f} min"
    )
    assert text.startswith("Against the standard of at most 5.0 min for peak wait")
    assert "In-house (4.0 min) clearly meet it" in text
    assert "Outsourced (7.0 min) clearly fall short" in text
