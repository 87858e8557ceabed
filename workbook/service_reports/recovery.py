"""The recovery report's own parts: demand by category, attendance against its targets, pound
occupancy, examination waits, cost per vehicle recovered and the warm-up of the pounds."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from models.comparison import OptionComparison
from models.recovery import warmup_evidence
from workbook import charts, display, sections, tables
from workbook.context import ReportContext

__all__ = [
    "HEADLINE_ROWS",
    "MEASURED_AT",
    "attendance_times",
    "common_random_numbers",
    "demand",
    "examination_waits",
    "headline",
    "options",
    "performance",
    "periods_and_replications",
    "pound_occupancy",
    "summary",
    "unit_costs",
]

MEASURED_AT = "year-1 demand"
"""What the performance figures are measured at."""

HEADLINE_ROWS = [
    ("attendance_within_target_urgent", "Urgent requests attended within target", tables.percent()),
    (
        "attendance_within_target_routine",
        "Routine requests attended within target",
        tables.percent(),
    ),
    ("attendance_p90_hours_urgent", "Urgent attendance, 90th percentile (hours)", tables.number(2)),
    ("pound_occupancy_mean", "Vehicles held in the pound (mean)", tables.number(0)),
    ("overflow_vehicles_per_year", "Vehicles sent to external storage a year", tables.number(0)),
]

PERFORMANCE_ROWS = [
    ("attendance_mean_hours_urgent", "Urgent attendance, mean (hours)", tables.number(2)),
    ("attendance_p90_hours_urgent", "Urgent attendance, 90th percentile (hours)", tables.number(2)),
    ("attendance_within_target_urgent", "Urgent within target", tables.percent()),
    ("attendance_mean_hours_routine", "Routine attendance, mean (hours)", tables.number(2)),
    (
        "attendance_p90_hours_routine",
        "Routine attendance, 90th percentile (hours)",
        tables.number(2),
    ),
    ("attendance_within_target_routine", "Routine within target", tables.percent()),
    ("truck_utilisation", "Truck utilisation", tables.percent()),
    ("pound_occupancy_mean", "Pound occupancy, mean (vehicles)", tables.number(0)),
    ("pound_occupancy_peak", "Pound occupancy, peak (vehicles)", tables.number(0)),
    ("days_over_capacity_per_year", "Days a year with a site full", tables.number(1)),
    ("overflow_vehicles_per_year", "Vehicles to external storage a year", tables.number(0)),
    ("exam_wait_mean_hours", "Examination wait, mean (hours)", tables.number(1)),
    ("examiner_utilisation", "Examiner utilisation", tables.percent()),
    ("disposed_per_year", "Vehicles disposed of a year", tables.number(0)),
    ("income_per_year", "Statutory charges received a year", tables.pounds),
    ("service_credits_per_year", "Contract breaches (service credits) a year", tables.number(0)),
]


_STANDARDS_SAID = {
    "attendance_within_target_urgent": "urgent requests attended within their target time",
    "attendance_within_target_routine": "routine requests attended within their target time",
}
"""What each metric the service judges by a standard measures, as the summary says it."""


def summary(ctx: ReportContext, result: OptionComparison) -> None:
    """Which options meet the attendance standards, pound overflow, and how sure we are."""
    standards = sections.standards_summary(ctx, result, _STANDARDS_SAID)
    pounds = _pound_space(ctx, result.performance)
    display.display_all(display.paragraph(standards), display.paragraph(pounds))


def _pound_space(ctx: ReportContext, perf: pd.DataFrame) -> str:
    overflow = {o: tables.mean(perf, "overflow_vehicles_per_year", o) for o in ctx.options}
    reported = {o: v for o, v in overflow.items() if not np.isnan(v)}
    worst = max(reported, key=reported.__getitem__) if reported else None
    if worst is not None and reported[worst] >= 1:
        storage = (
            f"the most vehicles sent to paid external storage is under {ctx.labels[worst]}, "
            f"about {reported[worst]:,.0f} a year at today's demand."
        )
    else:
        storage = "no option sends a meaningful number of vehicles to external storage at "
        storage += "today's demand."
    return (
        f"Pound space: {storage} Every figure here is a mean over {ctx.replications} simulated "
        f"replications of a representative {ctx.window_days:g}-day period, with a 95 % "
        "confidence interval; options were compared on the same simulated demand (common "
        "random numbers)."
    )


def headline(ctx: ReportContext, result: OptionComparison) -> None:
    """The index page's figures."""
    sections.headline(
        ctx, result, "Urgent within target", "attendance_within_target_urgent", tables.percent()
    )


def demand(ctx: ReportContext) -> None:
    """Removal requests: volume, growth, and each category's priority, target and release."""
    d = ctx.config.demand
    text = (
        f"Demand: about {d.annual_vehicles:,.0f} removal requests a year in the base year, "
        f"growing by {d.growth_per_year:.1%} a year, across {len(d.sectors)} sectors, with more "
        "requests in the afternoon and evening and on Fridays than at night."
    )
    kinds = d.categories.values()
    frame = pd.DataFrame(
        {
            "Category": [n.replace("_", " ") for n in d.categories],
            "Share of requests": [f"{c.share:.0%}" for c in kinds],
            "Priority": [c.priority for c in kinds],
            "Attendance target": [f"{c.attendance_target_hours:g} h" for c in kinds],
            "Forensic examination": ["yes" if c.examination_time else "no" for c in kinds],
            "Collected by owner": [f"{c.release.collected_share:.0%}" for c in kinds],
        }
    )
    display.display_all(
        display.paragraph(text), display.table(frame, "Removal requests by category")
    )


def options(ctx: ReportContext) -> None:
    """Who provides the trucks, the pounds and the examiners under each option."""
    parts = {"Recovery trucks": "recovery", "Pounds": "storage", "Examination": "examination"}
    sections.options(ctx, providers=parts)


def performance(ctx: ReportContext, result: OptionComparison) -> None:
    """Every performance figure with its interval, and the main ones against their targets."""
    titles = {
        "attendance_within_target_urgent": "Urgent requests within target (%)",
        "attendance_within_target_routine": "Routine requests within target (%)",
        "pound_occupancy_mean": "Vehicles held in the pound (mean)",
    }
    sections.performance(ctx, result, PERFORMANCE_ROWS, MEASURED_AT, titles)


def attendance_times(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Share of requests attended within a given time, urgent and routine, against targets."""
    kinds = ctx.config.demand.categories.values()
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharey=True)
    share = tables.percent()
    said, rows = [], []
    for axis, priority in zip(axes, ("urgent", "routine"), strict=True):
        attended = {
            ctx.labels[o]: np.sort(tr.attendance_hours[tr.attendance_priority == priority])
            for o, tr in traces.items()
        }
        for index, (name, hours) in enumerate(attended.items()):
            if len(hours):
                shares = np.arange(1, len(hours) + 1) / len(hours)
                axis.step(hours, shares, where="post", label=name, **charts.series_style(index))
        targets = sorted({c.attendance_target_hours for c in kinds if c.priority == priority})
        for target in targets:
            axis.axvline(target, color=charts.REFERENCE_GREY, ls="--", lw=1)
        axis.set_xlim(0, 3 * max(targets))
        axis.set_title(f"{priority.capitalize()} requests")
        axis.set_xlabel("Hours from request to truck on scene")
        said += [
            f"{priority} within {t:g} hour{'' if t == 1 else 's'}: "
            + charts.listing((n, share(_within(h, t))) for n, h in attended.items())
            for t in targets
        ]
        limits = sorted({*targets, *(max(targets) * k / 4 for k in range(1, 13))})
        rows += [
            {"Requests": priority.capitalize(), "Within (hours)": f"{t:g}"}
            | {n: share(_within(h, t)) for n, h in attended.items()}
            for t in limits
        ]
    axes[0].set_ylabel("Share of requests attended")
    alt = (
        "Step charts of the share of requests attended within a given time, urgent and routine, "
        "per option, targets dashed: " + "; ".join(said) + "."
    )
    charts.show(fig, legend=axes[0], alt=alt, data=pd.DataFrame(rows))


def _within(hours: np.ndarray, limit: float) -> float:
    """The share of ``hours`` at most ``limit`` (NaN for none)."""
    return float(np.mean(hours <= limit)) if len(hours) else float("nan")


def pound_occupancy(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Vehicles held each day against the option's own site space, warm-up shaded."""
    fig, axis = plt.subplots(figsize=(10, 3.8))
    held, said, day = {}, [], np.zeros(0)
    for index, (option, tr) in enumerate(traces.items()):
        style = charts.series_style(index)
        vehicles = tr.occupancy + tr.overflow_occupancy
        axis.plot(tr.day, vehicles, label=ctx.labels[option], **style)
        sites = ctx.config.options[option].storage.sites.values()
        space = sum((s.capacity or 0) for s in sites)
        if space:
            axis.axhline(space, color=style["color"], ls=":", lw=1)
        name = ctx.labels[option] + (f" (site space {space:,})" if space else "")
        held[name], day = vehicles, tr.day
        counted = vehicles[tr.day >= ctx.warmup_days]
        if len(counted):
            said.append(
                f"{ctx.labels[option]} {counted.mean():,.0f} on average, peak {counted.max():,.0f}"
                + (f", against {space:,} spaces" if space else "")
            )
    charts.shade_warmup(axis, ctx.warmup_days, label="warm-up (not counted)")
    axis.set_ylabel("Vehicles held")
    axis.set_title("Vehicles held in pounds and external storage (dotted: site space)")
    alt = (
        "Line chart of the vehicles held each day in pounds and external storage, per option, "
        f"the first {ctx.warmup_days:g} days shaded as warm-up; after the warm-up: "
        + "; ".join(said)
        + "."
    )
    data = charts.period_means(day, held, tables.number(0))
    charts.show(fig, legend=axis, alt=alt, data=data)


def examination_waits(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Waits from arrival at the pound to forensic examination, per option."""
    fig, axis = plt.subplots(figsize=(6, 3.4))
    waits = [tr.exam_wait_hours for tr in traces.values()]
    names = [ctx.labels[o] for o in traces]
    if any(len(w) for w in waits):
        axis.boxplot([w if len(w) else [0.0] for w in waits], showfliers=False)
        axis.set_xticks(range(1, len(traces) + 1), names, rotation=10, fontsize=8)
    axis.set_ylabel("Hours from arrival at the pound to examination")
    axis.set_title("Waits for forensic examination (one simulated period)")
    data = charts.box_summary(dict(zip(names, waits, strict=True)), tables.number(1))
    said = [
        f"{r['Option']} median {r['Median']} hours (middle half {r['Lower quartile']} to "
        f"{r['Upper quartile']})"
        if r["Count"] != "0"
        else f"{r['Option']} no examinations"
        for _, r in data.iterrows()
    ]
    alt = (
        "Box plots of the hours from arrival at the pound to forensic examination, per option: "
        + "; ".join(said)
        + "."
    )
    charts.show(fig, alt=alt, data=data)


def unit_costs(ctx: ReportContext, result: OptionComparison) -> None:
    """Whole-life cost per vehicle recovered, and net of the statutory charges received."""
    columns = {
        "Cost per vehicle recovered": sections.unit_cost(ctx),
        "Net of statutory charges received": sections.unit_cost(ctx, include_income=True),
    }
    caption = (
        "Whole-life cost per vehicle recovered (present value of costs / present value of jobs)"
    )
    sections.unit_costs(ctx, result, columns, caption)


def periods_and_replications(ctx: ReportContext, result: OptionComparison) -> None:
    """Warm-up evidence from an empty pound, the period simulated and the replications needed."""
    evidence = sections.warmup_evidence(
        ctx, warmup_evidence, ylabel="Vehicles held", start="an empty pound"
    )
    opening = sections.warmup_method(ctx, start="an empty pound", on="daily occupancy")
    method = (
        f"{opening}in the chart above the truncation point is day {evidence.mser5_days}, and "
        f"the pound cannot fill beyond the longest possible stay ({evidence.floor_days:.0f} days)."
    )
    metrics = [
        ("attendance_within_target_urgent", "Urgent within target"),
        ("pound_occupancy_mean", "Vehicles held in the pound"),
        ("income_per_year", "Statutory charges received"),
    ]
    sections.periods_and_replications(
        ctx, result, metrics, method=method, of=" for the headline figures"
    )


def common_random_numbers(ctx: ReportContext, result: OptionComparison) -> None:
    """The precision common random numbers buy, on urgent attendance within target."""
    sections.common_random_numbers(
        result, "attendance_within_target_urgent", "urgent within target", ctx.labels
    )
