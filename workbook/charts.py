"""Charts shared by the option reports: labelled for a reader, in pounds, readable in print."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from workbook.display import figure, money

__all__ = ["cash_flows", "interval_bars", "money_axis", "present_values", "shade_warmup", "show"]

CATEGORY_LABELS = {
    "staff": "Staff",
    "operating": "Running costs",
    "contract": "Contract charges",
    "capital": "Capital",
    "transition": "Transition (one-off)",
    "client_function": "Client function",
    "income": "Income",
    "service_credit": "Service credits",
    "residual_value": "Residual value",
    "relet": "Re-letting contracts",
    "disposal": "Disposal receipts",
    "risk": "Priced risks (expected)",
}


def shade_warmup(axis: Axes, warmup_days: float, **span: object) -> None:
    """Shade the warm-up of a day-by-day chart (``span``: e.g. its legend label) and name the
    days axis."""
    axis.axvspan(0, warmup_days, color="grey", alpha=0.15, **span)
    axis.set_xlabel("Day of the simulated period")


def show(fig: Figure, legend: Axes | None = None) -> None:
    """Lay out and show a report's chart, with the options' legend on ``legend`` if given."""
    if legend is not None:
        legend.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    figure(fig)


def money_axis(axis: Axes, which: str = "y") -> None:
    """Format an axis in pounds (£1.2m, £450k)."""
    formatter = FuncFormatter(lambda x, _pos: money(x))
    (axis.yaxis if which == "y" else axis.xaxis).set_major_formatter(formatter)


def cash_flows(
    flows: pd.DataFrame, labels: Mapping[str, str], base_year: int | None = None
) -> Figure:
    """Annual real cash flows per option, stacked by cost category (income below zero)."""
    options = list(dict.fromkeys(flows["option"]))
    fig, axes = plt.subplots(
        1, len(options), figsize=(4.2 * len(options), 4.2), sharey=True, squeeze=False
    )
    categories = list(dict.fromkeys(flows["category"]))
    palette = plt.get_cmap("tab20").colors
    colours = {c: palette[i % len(palette)] for i, c in enumerate(categories)}
    for axis, option in zip(axes[0], options, strict=True):
        table = flows[flows["option"] == option].pivot_table(
            index="year", columns="category", values="total", aggfunc="sum"
        )
        years = table.index.to_numpy()
        shown_years = years + base_year if base_year is not None else years
        up = np.zeros(len(years))
        down = np.zeros(len(years))
        for category in categories:
            if category not in table:
                continue
            values = table[category].to_numpy()
            bottom = np.where(values >= 0, up, down)
            axis.bar(
                shown_years,
                values,
                bottom=bottom,
                color=colours[category],
                label=CATEGORY_LABELS.get(category, category),
            )
            up += np.clip(values, 0, None)
            down += np.clip(values, None, 0)
        axis.axhline(0, color="black", lw=0.8)
        axis.set_title(labels.get(option, option), fontsize=10)
        axis.set_xlabel("Year" if base_year is not None else "Appraisal year")
        money_axis(axis)
    axes[0][0].set_ylabel("Real cost a year (after optimism bias)")
    handles, names = [], []
    for axis in axes[0]:
        for handle, name in zip(*axis.get_legend_handles_labels(), strict=True):
            if name not in names:
                handles.append(handle)
                names.append(name)
    fig.legend(handles, names, loc="lower center", ncol=min(5, len(names)), frameon=False)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return fig


def present_values(costs: pd.DataFrame, labels: Mapping[str, str], baseline: str) -> Figure:
    """Present value of costs per option with its 95 % interval, and the paired difference from
    business as usual (``baseline``) with its interval."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
    names = [labels.get(o, o) for o in costs["option"]]
    y = np.arange(len(costs))[::-1]
    left.barh(y, costs["pv_mean"], color="tab:blue", alpha=0.8)
    left.errorbar(
        costs["pv_mean"],
        y,
        xerr=[costs["pv_mean"] - costs["low"], costs["high"] - costs["pv_mean"]],
        fmt="none",
        color="black",
        capsize=4,
    )
    left.set_yticks(y, names)
    left.set_title("Present value of costs (95 % interval)")
    money_axis(left, "x")
    others = costs[costs["option"] != baseline]
    y2 = np.arange(len(others))[::-1]
    right.errorbar(
        others["diff_mean"],
        y2,
        xerr=[others["diff_mean"] - others["diff_low"], others["diff_high"] - others["diff_mean"]],
        fmt="o",
        color="tab:red",
        capsize=4,
    )
    right.axvline(0, color="black", lw=1)
    right.set_yticks(y2, [labels.get(o, o) for o in others["option"]])
    base = labels.get(baseline, baseline)
    right.set_title(f"Difference from business as usual ({base})\n(below zero: cheaper)")
    money_axis(right, "x")
    fig.tight_layout()
    return fig


def interval_bars(
    performance: pd.DataFrame,
    metrics: Sequence[str],
    titles: Mapping[str, str],
    labels: Mapping[str, str],
    *,
    targets: Mapping[str, float] | None = None,
    percent: Sequence[str] = (),
) -> Figure:
    """One panel per metric: each option's mean with its 95 % interval, and a target line."""
    fig, axes = plt.subplots(1, len(metrics), figsize=(3.8 * len(metrics), 3.4), squeeze=False)
    options = list(dict.fromkeys(performance["option"]))
    for axis, metric in zip(axes[0], metrics, strict=True):
        rows = performance[performance["metric"] == metric].set_index("option").reindex(options)
        scale = 100.0 if metric in percent else 1.0
        x = np.arange(len(options))
        axis.bar(x, scale * rows["mean"], color="tab:blue", alpha=0.8)
        axis.errorbar(
            x,
            scale * rows["mean"],
            yerr=[scale * (rows["mean"] - rows["low"]), scale * (rows["high"] - rows["mean"])],
            fmt="none",
            color="black",
            capsize=4,
        )
        if targets and metric in targets:
            axis.axhline(scale * targets[metric], color="tab:red", ls="--", label="target")
            axis.legend(frameon=False, fontsize=8)
        axis.set_xticks(x, [labels.get(o, o) for o in options], rotation=15, fontsize=8)
        axis.set_title(titles.get(metric, metric), fontsize=10)
    fig.tight_layout()
    return fig
