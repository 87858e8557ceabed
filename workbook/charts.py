"""Charts shared by the option reports: labelled for a reader, in pounds, readable in print, in
colours that survive colour blindness and greyscale, and each with its words and its numbers.

Colours come from one place, :data:`PALETTE` (Okabe and Ito, *Color Universal Design*, 2008:
eight colours told apart with any common colour-vision deficiency). Colour is never the only
cue: options differ by line style and marker too (:func:`series_style`), stacked categories by
hatching (:func:`fill_style`), and targets are dashed and named in the legend (WCAG 2.2 success
criterion 1.4.1, use of colour). Every chart is shown with a text alternative written from its
figures and the table of its numbers (:func:`show`, :func:`workbook.display.figure`; WCAG 2.2
success criterion 1.1.1).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import cbook
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from models.kit.warmup import WarmupEvidence
from workbook import tables
from workbook.display import figure, money

__all__ = [
    "PALETTE",
    "ChartText",
    "IntervalBars",
    "box_summary",
    "cash_flows",
    "cash_flows_text",
    "fill_style",
    "listing",
    "money_axis",
    "period_means",
    "present_values",
    "present_values_text",
    "series_style",
    "shade_warmup",
    "show",
    "warmup_text",
]

PALETTE = {
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "bluish_green": "#009E73",
    "reddish_purple": "#CC79A7",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "black": "#000000",
    "yellow": "#F0E442",
}
"""The Okabe-Ito colours (hex values as published by Okabe and Ito, 2008)."""

SERIES_COLOURS = tuple(PALETTE[name] for name in list(PALETTE)[:7])
"""Colours of series in order (yellow, too light for a line on white, is left out)."""
LINE_STYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)), (0, (8, 2)), (0, (1, 3)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X")
HATCHES = ("", "//", "..", "xx", "\\\\", "++", "oo", "--", "||", "**", "OO", "//..")
BAR_COLOUR = PALETTE["blue"]
TARGET_STYLE: Mapping[str, Any] = {"color": PALETTE["vermillion"], "ls": "--", "lw": 1.2}
REFERENCE_GREY = "#595959"
"""Reference lines (zero, site space): a grey of 7:1 contrast on white."""
WARMUP_SHADE = "#bdbdbd"

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


@dataclass(frozen=True)
class ChartText:
    """What a chart shows in words (its text alternative) and its numbers as a table."""

    alt: str
    data: pd.DataFrame


def series_style(index: int) -> dict[str, Any]:
    """Colour, line style and marker of the ``index``-th series (an option), for ``plot`` and
    ``step``: series stay apart in greyscale and for colour-blind readers."""
    return {
        "color": SERIES_COLOURS[index % len(SERIES_COLOURS)],
        "ls": LINE_STYLES[index % len(LINE_STYLES)],
        "marker": MARKERS[index % len(MARKERS)],
        "markevery": 0.1,
        "markersize": 4,
    }


def fill_style(index: int) -> dict[str, Any]:
    """Colour and hatching of the ``index``-th filled area (a bar stack's category): the pair
    is unique for the first 84 categories."""
    return {
        "color": SERIES_COLOURS[index % len(SERIES_COLOURS)],
        "hatch": HATCHES[index % len(HATCHES)],
        "edgecolor": "white",
        "linewidth": 0.4,
    }


def shade_warmup(axis: Axes, warmup_days: float, **span: object) -> None:
    """Shade the warm-up of a day-by-day chart (``span``: e.g. its legend label) and name the
    days axis."""
    axis.axvspan(0, warmup_days, color=WARMUP_SHADE, alpha=0.35, lw=0, **span)
    axis.set_xlabel("Day of the simulated period")


def show(
    fig: Figure,
    legend: Axes | None = None,
    *,
    alt: str,
    data: pd.DataFrame | None,
    caption: str | None = None,
) -> None:
    """Lay out and show a report's chart, with the options' legend on ``legend`` if given, its
    text alternative ``alt`` and its numbers ``data`` (:func:`workbook.display.figure`)."""
    if legend is not None:
        legend.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    figure(fig, alt=alt, data=data, caption=caption)


def money_axis(axis: Axes, which: str = "y") -> None:
    """Format an axis in pounds (£1.2m, £450k)."""
    formatter = FuncFormatter(lambda x, _pos: money(x))
    (axis.yaxis if which == "y" else axis.xaxis).set_major_formatter(formatter)


# ------------------------------------------------------------------------- words and numbers


def listing(pairs: Iterable[tuple[str, str]]) -> str:
    """``"A 12 %, B 14 %"``: each name with its figure."""
    return ", ".join(f"{name} {value}" for name, value in pairs)


def box_summary(
    samples: Mapping[str, np.ndarray], fmt: tables.Format, name: str = "Option"
) -> pd.DataFrame:
    """What each box of a box plot (``showfliers=False``, whiskers at 1.5 times the
    interquartile range) draws, from :func:`matplotlib.cbook.boxplot_stats`: one row a sample,
    named in column ``name``; an empty sample has a count of 0 and :data:`MISSING` figures."""
    drawn = {
        "Lower whisker": "whislo",
        "Lower quartile": "q1",
        "Median": "med",
        "Upper quartile": "q3",
        "Upper whisker": "whishi",
        "Mean": "mean",
    }
    rows = []
    for label, values in samples.items():
        values = np.asarray(values, dtype=float)
        stats = cbook.boxplot_stats(values, whis=1.5)[0] if len(values) else {}
        rows.append(
            {name: label, "Count": f"{len(values):,}"}
            | {column: fmt(stats.get(key, float("nan"))) for column, key in drawn.items()}
        )
    return pd.DataFrame(rows, columns=[name, "Count", *drawn])


def period_means(
    day: np.ndarray, series: Mapping[str, np.ndarray], fmt: tables.Format, periods: int = 20
) -> pd.DataFrame:
    """A day-by-day chart's series as means over about ``periods`` equal runs of days (one row
    each), so the table stays readable and printable."""
    day = np.asarray(day)
    bounds = np.unique(np.linspace(0, len(day), min(periods, len(day)) + 1).astype(int))
    rows = []
    for start, end in pairwise(bounds):
        row = {"Days": f"{day[start]:g} to {day[end - 1]:g}"}
        row |= {name: fmt(float(np.mean(np.asarray(v)[start:end]))) for name, v in series.items()}
        rows.append(row)
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------- cash flows


def cash_flows(
    flows: pd.DataFrame, labels: Mapping[str, str], base_year: int | None = None
) -> Figure:
    """Annual real cash flows per option, stacked by cost category (income below zero)."""
    options = list(dict.fromkeys(flows["option"]))
    fig, axes = plt.subplots(
        1, len(options), figsize=(4.2 * len(options), 4.2), sharey=True, squeeze=False
    )
    categories = list(dict.fromkeys(flows["category"]))
    styles = {c: fill_style(i) for i, c in enumerate(categories)}
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
                label=CATEGORY_LABELS.get(category, category),
                **styles[category],
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


def cash_flows_text(
    flows: pd.DataFrame, labels: Mapping[str, str], base_year: int | None = None
) -> ChartText:
    """The cash-flow chart in words (each option's range of annual cost and its largest part)
    and its numbers (a row an option and year, a column a category present, and the total)."""
    frame = flows.assign(
        category=[CATEGORY_LABELS.get(c, c) for c in flows["category"]],
        year=flows["year"] + (base_year or 0),
    )
    wide = frame.pivot_table(
        index=["option", "year"], columns="category", values="total", aggfunc="sum", sort=False
    ).fillna(0.0)
    wide = wide.loc[:, (wide != 0).any()]
    wide["Total"] = wide.sum(axis=1)
    said = []
    for option in dict.fromkeys(flows["option"]):
        rows = wide.loc[option]
        parts = rows.drop(columns="Total").sum()
        largest = parts.abs().idxmax() if len(parts) else "none"
        said.append(
            f"{labels.get(option, option)} {money(rows['Total'].min())} to "
            f"{money(rows['Total'].max())} a year, largest part {largest.lower()} "
            f"({money(parts[largest]) if len(parts) else money(0)} over the period)"
        )
    years = wide.index.get_level_values("year")
    alt = (
        f"Stacked bars of each option's real cost a year by category, {years.min()} to "
        f"{years.max()} (after optimism bias; income below zero): " + "; ".join(said) + "."
    )
    data = wide.map(money).reset_index()
    data.insert(0, "Option", [labels.get(o, o) for o in data.pop("option")])
    data = data.rename(columns={"year": "Year" if base_year is not None else "Appraisal year"})
    data.columns.name = None
    return ChartText(alt, data)


# ---------------------------------------------------------------------------- present values


def present_values(costs: pd.DataFrame, labels: Mapping[str, str], baseline: str) -> Figure:
    """Present value of costs per option with its 95 % interval, and the paired difference from
    business as usual (``baseline``) with its interval."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.6))
    names = [labels.get(o, o) for o in costs["option"]]
    y = np.arange(len(costs))[::-1]
    left.barh(y, costs["pv_mean"], color=BAR_COLOUR)
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
        color=PALETTE["vermillion"],
        ecolor="black",
        capsize=4,
    )
    right.axvline(0, color="black", lw=1)
    right.set_yticks(y2, [labels.get(o, o) for o in others["option"]])
    base = labels.get(baseline, baseline)
    right.set_title(f"Difference from business as usual ({base})\n(below zero: cheaper)")
    money_axis(right, "x")
    fig.tight_layout()
    return fig


def present_values_text(costs: pd.DataFrame, labels: Mapping[str, str], baseline: str) -> ChartText:
    """The present-value chart in words (options from cheapest, business as usual named, each
    difference with its interval) and its numbers."""

    def name(option: str) -> str:
        return labels.get(option, option)

    ranked = costs.sort_values("pv_mean", kind="stable")
    first = ranked.iloc[0]
    said = [f"{name(first['option'])} lowest at {money(first['pv_mean'])}"]
    said += [
        f"{name(r['option'])}{' (business as usual)' if r['option'] == baseline else ''} "
        f"{money(r['pv_mean'])}"
        for _, r in ranked.iloc[1:].iterrows()
    ]
    if first["option"] == baseline:
        said[0] = f"{name(baseline)} (business as usual) lowest at {money(first['pv_mean'])}"
    others = costs[costs["option"] != baseline]
    differences = [
        f"{name(r['option'])} "
        + tables.with_interval(r["diff_mean"], r["diff_low"], r["diff_high"], money)
        for _, r in others.iterrows()
    ]
    alt = "Present value of costs by option, with 95 % intervals: " + ", ".join(said) + "."
    if differences:
        alt += f" Difference from business as usual ({name(baseline)}): " + "; ".join(differences)
        alt += "."
    data = pd.DataFrame(
        {
            "Option": [name(o) for o in costs["option"]],
            "Present value of costs": costs["pv_mean"].map(money),
            "95 % interval, low": costs["low"].map(money),
            "95 % interval, high": costs["high"].map(money),
            "Difference from business as usual": [
                tables.MISSING if o == baseline else money(d)
                for o, d in zip(costs["option"], costs["diff_mean"], strict=True)
            ],
            "Difference, low": [
                tables.MISSING if o == baseline else money(d)
                for o, d in zip(costs["option"], costs["diff_low"], strict=True)
            ],
            "Difference, high": [
                tables.MISSING if o == baseline else money(d)
                for o, d in zip(costs["option"], costs["diff_high"], strict=True)
            ],
        }
    )
    return ChartText(alt, data)


# ---------------------------------------------------------------------------- interval bars


@dataclass(frozen=True)
class IntervalBars:
    """One panel per metric: each option's mean with its 95 % interval, and a target line;
    as a figure and in words."""

    performance: pd.DataFrame
    metrics: Sequence[str]
    titles: Mapping[str, str]
    labels: Mapping[str, str]
    targets: Mapping[str, float] | None = None
    percent: Sequence[str] = ()

    def figure(self) -> Figure:
        """The panels."""
        fig, axes = plt.subplots(
            1, len(self.metrics), figsize=(3.8 * len(self.metrics), 3.4), squeeze=False
        )
        options = list(dict.fromkeys(self.performance["option"]))
        for axis, metric in zip(axes[0], self.metrics, strict=True):
            rows = (
                self.performance[self.performance["metric"] == metric]
                .set_index("option")
                .reindex(options)
            )
            scale = 100.0 if metric in self.percent else 1.0
            x = np.arange(len(options))
            axis.bar(x, scale * rows["mean"], color=BAR_COLOUR)
            axis.errorbar(
                x,
                scale * rows["mean"],
                yerr=[scale * (rows["mean"] - rows["low"]), scale * (rows["high"] - rows["mean"])],
                fmt="none",
                color="black",
                capsize=4,
            )
            if self.targets and metric in self.targets:
                axis.axhline(scale * self.targets[metric], label="target", **TARGET_STYLE)
                axis.legend(frameon=False, fontsize=8)
            axis.set_xticks(x, [self.labels.get(o, o) for o in options], rotation=15, fontsize=8)
            axis.set_title(self.titles.get(metric, metric), fontsize=10)
        fig.tight_layout()
        return fig

    def text(self) -> ChartText:
        """The interval bars in words (each panel's options with their means, and its target)
        and their numbers (a row a metric and option: mean, interval, target)."""
        options = list(dict.fromkeys(self.performance["option"]))
        said, rows = [], []
        for metric in self.metrics:
            fmt = tables.percent(1) if metric in self.percent else tables.number(1)
            by_option = self.performance[self.performance["metric"] == metric].set_index("option")
            target = (self.targets or {}).get(metric)
            shown = [o for o in options if o in by_option.index]
            words = listing((self.labels.get(o, o), fmt(by_option.loc[o, "mean"])) for o in shown)
            if target is not None:
                words += f" (target {fmt(target)})"
            said.append(f"{self.titles.get(metric, metric)}: {words or tables.MISSING}")
            rows += [
                {
                    "Figure": self.titles.get(metric, metric),
                    "Option": self.labels.get(o, o),
                    "Mean": fmt(by_option.loc[o, "mean"]),
                    "95 % interval, low": fmt(by_option.loc[o, "low"]),
                    "95 % interval, high": fmt(by_option.loc[o, "high"]),
                    "Target": tables.MISSING if target is None else fmt(target),
                }
                for o in shown
            ]
        alt = (
            "Bar charts of each option's mean with its 95 % interval, one panel a figure: "
            + "; ".join(said)
            + "."
        )
        return ChartText(alt, pd.DataFrame(rows))


# --------------------------------------------------------------------------------- warm-up


def warmup_text(evidence: WarmupEvidence, *, ylabel: str, start: str) -> ChartText:
    """The warm-up chart (:func:`workbook.sections.warmup`) in words (where the mean starts,
    where it settles, the MSER-5 point and the warm-up used) and its numbers (the mean, and the
    analytic expectation if any, over runs of days)."""
    day, mean, expected = evidence.day, evidence.mean, evidence.expected
    mser5_days, chosen_days = evidence.mser5_days, evidence.chosen_days
    fmt = tables.number(1)
    settled = float(np.mean(mean[len(mean) // 2 :])) if len(mean) else float("nan")
    series = {"Simulated mean": mean} | ({} if expected is None else {"Expected": expected})
    replications = np.atleast_2d(evidence.by_replication).shape[0]
    alt = (
        f"Line chart of {ylabel.lower()} by day from {start}: {replications} replications and "
        f"their mean, which starts at {fmt(float(mean[0]))} and settles at about "
        f"{fmt(settled)} (mean of the second half of the days)"
        + ("" if expected is None else f", against an analytic {fmt(float(expected[-1]))}")
        + f"; MSER-5 truncation at day {mser5_days}, warm-up used {chosen_days:g} days."
    )
    return ChartText(alt, period_means(day, series, fmt))
