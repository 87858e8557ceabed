"""Plain-English sentences written from the computed figures (never hard-coded conclusions).

Each function reads a results table and says what it shows, including how sure we are: a
difference whose 95 % interval includes zero is reported as not clear.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from workbook.display import money

__all__ = ["cost_summary", "list_names", "metric_summary", "service_standard_summary"]


def list_names(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if not names:
        return "none"
    if len(names) == 1:
        return names[0]
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _interval(low: float, high: float) -> str:
    return f"95 % interval {money(low)} to {money(high)}"


def cost_summary(
    costs: pd.DataFrame, labels: Mapping[str, str], baseline: str, period_years: int
) -> str:
    """Which option costs least over the appraisal, by how much against business as usual
    (``baseline``, the section's stated option), how sure."""
    table = costs.set_index("option")
    cheapest = str(table["pv_mean"].idxmin())
    name = labels.get(cheapest, cheapest)
    base_name = f"business as usual ({labels.get(baseline, baseline)})"
    row = table.loc[cheapest]
    parts = [
        f"Over the {period_years}-year appraisal, the option with the lowest present value of "
        f"costs is {name}: {money(row['pv_mean'])} "
        f"({_interval(row['low'], row['high'])})."
    ]
    for option, other in table.drop(index=baseline).iterrows():
        label = labels.get(str(option), str(option))
        diff, low, high = other["diff_mean"], other["diff_low"], other["diff_high"]
        direction = "less" if diff < 0 else "more"
        sure = (
            "a clear difference"
            if high < 0 or low > 0
            else "not a clear difference, since the interval includes zero"
        )
        parts.append(
            f"{label} costs {money(abs(diff))} {direction} than {base_name}, with a "
            f"{_interval(low, high)} ({sure}); it was cheaper in "
            f"{other['prob_cheaper']:.0%} of the simulated replications (simulation noise "
            "only: the uncertainty of the inputs follows)."
        )
    return " ".join(parts)


def service_standard_summary(
    performance: pd.DataFrame,
    metric: str,
    standard: float,
    labels: Mapping[str, str],
    what: str,
    *,
    at_most: bool = False,
    fmt: str = "{:.1%}",
) -> str:
    """Which options meet a service standard (``metric`` at least ``standard``, or at most it
    with ``at_most``), and how sure that is."""
    rows = performance[performance["metric"] == metric].set_index("option")
    if rows.empty:
        return f"No option reports {what}."
    meets, misses, unclear = [], [], []
    for option, row in rows.iterrows():
        label = f"{labels.get(str(option), str(option))} ({fmt.format(row['mean'])})"
        good, bad = (row["high"], row["low"]) if at_most else (row["low"], row["high"])
        if (good <= standard) if at_most else (good >= standard):
            meets.append(label)
        elif (bad > standard) if at_most else (bad < standard):
            misses.append(label)
        else:
            unclear.append(label)
    bound = "at most" if at_most else "at least"
    text = f"Against the standard of {bound} {fmt.format(standard)} for {what}: "
    pieces = []
    if meets:
        pieces.append(f"{list_names(meets)} clearly meet it")
    if misses:
        pieces.append(f"{list_names(misses)} clearly fall short")
    if unclear:
        pieces.append(f"{list_names(unclear)} cannot be told apart from it at 95 % confidence")
    return text + "; ".join(pieces) + "."


def metric_summary(
    performance: pd.DataFrame,
    differences: Mapping[str, object],
    metric: str,
    what: str,
    labels: Mapping[str, str],
    baseline: str,
    *,
    lower_is_better: bool,
    fmt: str = "{:,.1f}",
) -> str:
    """Which option does best on ``metric`` and whether each differs clearly from business as
    usual (``baseline``).

    ``differences`` maps each other option to its paired interval (option minus business as
    usual) on the metric (``OptionComparison.difference``).
    """
    rows = performance[performance["metric"] == metric].set_index("option")
    if rows.empty:
        return ""
    best = str(rows["mean"].idxmin() if lower_is_better else rows["mean"].idxmax())
    parts = [
        f"On {what}, {labels.get(best, best)} does best: {fmt.format(rows.loc[best, 'mean'])} "
        f"(95 % interval {fmt.format(rows.loc[best, 'low'])} to "
        f"{fmt.format(rows.loc[best, 'high'])})."
    ]
    base = f"business as usual ({labels.get(baseline, baseline)})"
    for option, diff in differences.items():
        low, high, mean = diff.low, diff.high, diff.mean  # type: ignore[attr-defined]
        clear = high < 0 or low > 0
        verdict = "a clear difference" if clear else "not a clear difference"
        parts.append(
            f"{labels.get(option, option)} against {base}: {fmt.format(mean)} "
            f"({fmt.format(low)} to {fmt.format(high)}, {verdict})."
        )
    return " ".join(parts)
