"""Tables shared by the option reports: figures with their 95 % intervals, in a reader's words."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pandas as pd

from workbook.display import MISSING, money

__all__ = [
    "MISSING",
    "Format",
    "cost_table",
    "interval_table",
    "mean",
    "number",
    "percent",
    "pounds",
    "with_interval",
]

Format = Callable[[float], str]


def mean(performance: pd.DataFrame, metric: str, option: str) -> float:
    """An option's mean of a metric in a performance table; NaN when the run did not report it
    (the one rule for a missing figure: NaN in numbers, :data:`MISSING` in tables)."""
    row = performance[(performance["metric"] == metric) & (performance["option"] == option)]
    return float(row["mean"].iloc[0]) if len(row) else float("nan")


def number(digits: int = 1) -> Format:
    """Format with ``digits`` decimals and thousands separators (NaN: :data:`MISSING`)."""
    return lambda x: MISSING if pd.isna(x) else f"{x:,.{digits}f}"


def percent(digits: int = 0) -> Format:
    """Format a share as a percentage (NaN: :data:`MISSING`)."""
    return lambda x: MISSING if pd.isna(x) else f"{x:.{digits}%}"


def pounds(x: float) -> str:
    """Format money (£1.23m; NaN: :data:`MISSING`)."""
    return money(x)


def with_interval(mean: float, low: float, high: float, fmt: Format) -> str:
    """``mean (low to high)``; the mean alone when the interval is missing."""
    if pd.isna(low) or pd.isna(high):
        return fmt(mean)
    return f"{fmt(mean)} ({fmt(low)} to {fmt(high)})"


def interval_table(
    performance: pd.DataFrame,
    rows: Sequence[tuple[str, str, Format]],
    labels: Mapping[str, str],
) -> pd.DataFrame:
    """Metrics down, options across: "mean (low to high)" for each.

    ``rows`` lists ``(metric, label, format)``; a metric no option reports is left out.
    """
    options = list(dict.fromkeys(performance["option"]))
    index = performance.set_index(["metric", "option"])
    table = {}
    for metric, label, fmt in rows:
        cells = []
        for option in options:
            if (metric, option) in index.index:
                r = index.loc[(metric, option)]
                cells.append(with_interval(r["mean"], r["low"], r["high"], fmt))
            else:
                cells.append(MISSING)
        if any(cell != MISSING for cell in cells):
            table[label] = cells
    frame = pd.DataFrame(table, index=[labels.get(o, o) for o in options]).T
    frame.index.name = "Figure (mean and 95 % interval)"
    return frame.reset_index()


def cost_table(costs: pd.DataFrame, labels: Mapping[str, str], baseline: str) -> pd.DataFrame:
    """Present value of costs, the difference from business as usual (``baseline``, the
    section's stated option), and the chance of being cheaper than it."""
    base = f"business as usual ({labels.get(baseline, baseline)})"
    rows = []
    for r in costs.itertuples(index=False):
        is_base = r.option == baseline
        rows.append(
            {
                "Option": labels.get(r.option, r.option),
                "Present value of costs": with_interval(r.pv_mean, r.low, r.high, pounds),
                f"Difference from {base}": "business as usual"
                if is_base
                else with_interval(r.diff_mean, r.diff_low, r.diff_high, pounds),
                f"Share of replications cheaper than {base}": MISSING
                if is_base or pd.isna(r.prob_cheaper)
                else f"{r.prob_cheaper:.0%}",
            }
        )
    return pd.DataFrame(rows)
