"""The fleet report's own parts: the fleet and its workshop jobs, availability and shortfalls,
vehicles off the road day by day, turnaround by job kind, cost per vehicle-year and the
warm-up from a fleet with every vehicle on the road."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from models.comparison import OptionComparison
from models.fleet import warmup_evidence
from workbook import charts, display, narrative, sections, tables
from workbook.context import ReportContext

__all__ = [
    "HEADLINE_ROWS",
    "MEASURED_AT",
    "common_random_numbers",
    "demand",
    "headline",
    "off_road_by_day",
    "options",
    "performance",
    "periods_and_replications",
    "summary",
    "turnaround",
    "unit_costs",
]

MEASURED_AT = "year-1 fleet size"
"""What the performance figures are measured at."""

OFF_ROAD_P95 = "Vehicles off the road on a bad day (95th percentile over days)"

AVAILABILITY = ("availability", "Fleet availability", tables.percent(1))
OFF_ROAD_ON_A_BAD_DAY = ("off_road_p95_daily", OFF_ROAD_P95, tables.number(0))
SHIFTS_SHORT = (
    "shifts_short_per_year",
    "Shifts short of vehicles a year (counted per vehicle class)",
    tables.number(0),
)
HOURS_SHORT = ("vehicle_hours_short_per_year", "Vehicle-hours short a year", tables.number(0))

HEADLINE_ROWS = [
    AVAILABILITY,
    ("off_road_mean", "Vehicles off the road (mean)", tables.number(0)),
    OFF_ROAD_ON_A_BAD_DAY,
    SHIFTS_SHORT,
    HOURS_SHORT,
]


def _performance_rows(ctx: ReportContext) -> list[tuple[str, str, tables.Format]]:
    classes, kinds = list(ctx.config.vehicles), list(ctx.config.jobs)

    def words(name: str) -> str:
        return name.replace("_", " ")

    return [
        AVAILABILITY,
        *[(f"availability_{c}", f"Availability: {words(c)}", tables.percent(1)) for c in classes],
        ("off_road_mean", "Vehicles off the road, mean", tables.number(0)),
        OFF_ROAD_ON_A_BAD_DAY,
        SHIFTS_SHORT,
        *[
            (f"shifts_short_{c}_per_year", f"Shifts short: {words(c)}", tables.number(0))
            for c in classes
        ],
        HOURS_SHORT,
        *[
            (f"turnaround_mean_hours_{k}", f"Turnaround, mean hours: {words(k)}", tables.number(1))
            for k in kinds
        ],
        *[
            (
                f"turnaround_within_target_{k}",
                f"Turnaround within standard: {words(k)}",
                tables.percent(),
            )
            for k in kinds
        ],
        ("jobs_per_year", "Workshop jobs a year", tables.number(0)),
        ("mobile_jobs_per_year", "Jobs done by mobile units a year", tables.number(0)),
        ("workshop_utilisation", "Workshop utilisation", tables.percent()),
        ("workshop_queue_mean", "Vehicles queueing for a workshop, mean", tables.number(1)),
        ("breaches_per_year", "Contract breaches (service credits) a year", tables.number(0)),
    ]


def summary(ctx: ReportContext, result: OptionComparison) -> None:
    """Shortfalls and availability against business as usual, and how the figures were made."""
    perf = result.performance
    pieces = []
    for metric, what, lower, fmt in (
        (
            "shifts_short_per_year",
            "shifts that go without the vehicles they need (a year, counted per vehicle class)",
            True,
            "{:,.0f}",
        ),
        ("availability", "fleet availability (share of vehicles on the road)", False, "{:.1%}"),
    ):
        differences = {o: result.difference(metric, o) for o in ctx.others}
        pieces.append(
            narrative.metric_summary(
                perf,
                differences,
                metric,
                what,
                ctx.labels,
                ctx.baseline,
                lower_is_better=lower,
                fmt=fmt,
            )
        )
    method = (
        f"Every figure is a mean over {ctx.replications} simulated replications of a "
        f"representative {ctx.window_days:g}-day period (after a {ctx.warmup_days:g}-day "
        "warm-up), with a 95 % confidence interval; options were compared on the same simulated "
        "breakdowns, collisions and services (common random numbers)."
    )
    display.display_all(display.paragraph(" ".join(pieces)), display.paragraph(method))


def headline(ctx: ReportContext, result: OptionComparison) -> None:
    """The index page's figures."""
    sections.headline(ctx, result, "Availability", "availability", tables.percent(1))


def demand(ctx: ReportContext) -> None:
    """The fleet by class, and the workshop jobs it makes."""
    vehicles, jobs = ctx.config.vehicles, ctx.config.jobs
    fleet = pd.DataFrame(
        {
            "Class": [n.replace("_", " ") for n in vehicles],
            "Vehicles": [f"{v.count:,}" for v in vehicles.values()],
            "Miles a year": [f"{v.annual_miles:,.0f}" for v in vehicles.values()],
            "Workshop jobs a year (per vehicle)": [
                f"{sum(v.failures_per_year.values()):.1f}" for v in vehicles.values()
            ],
            "Priority": [v.priority for v in vehicles.values()],
            "Replaced after (years)": [f"{v.replacement.life_years:g}" for v in vehicles.values()],
            "Price": [display.money(v.replacement.unit_cost) for v in vehicles.values()],
        }
    )
    kinds = pd.DataFrame(
        {
            "Job kind": [n.replace("_", " ") for n in jobs],
            "Skill": [j.skill for j in jobs.values()],
            "Labour (mean hours)": [f"{j.labour_hours.mean:.1f}" for j in jobs.values()],
            "Waits for parts": [f"{j.parts_share:.0%}" for j in jobs.values()],
            "Turnaround standard": [f"{j.turnaround_target_hours:g} h" for j in jobs.values()],
        }
    )
    total = sum(v.count for v in vehicles.values())
    display.display_all(
        display.table(fleet, f"The fleet: {total:,} vehicles"),
        display.table(kinds, "Workshop jobs"),
    )


def _providers(option: Any) -> str:
    kinds = {w.provider for w in option.workshops.values()}
    return " and ".join(sections.provider(k) for k in sorted(kinds))


def _routing(option: Any) -> str:
    return "; ".join(
        f"{k.replace('_', ' ')}: {w.replace('_', ' ')}" for k, w in option.routing.items()
    )


def options(ctx: ReportContext) -> None:
    """Who runs the workshops under each option, and where each job kind goes."""
    sections.options(ctx, columns={"Workshops": _providers, "Job kinds sent to": _routing})


def performance(ctx: ReportContext, result: OptionComparison) -> None:
    """Every performance figure with its interval, and the main ones as bars."""
    titles = {
        "availability": "Fleet availability (%)",
        "off_road_mean": "Vehicles off the road (mean)",
        "shifts_short_per_year": "Shifts short of vehicles a year",
    }
    sections.performance(ctx, result, _performance_rows(ctx), MEASURED_AT, titles)


def off_road_by_day(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Vehicles off the road and vehicles short of the shifts' needs, day by day."""
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8))
    off, short, said, day = {}, {}, [], np.zeros(0)
    for index, (option, tr) in enumerate(traces.items()):
        name, style = ctx.labels[option], charts.series_style(index)
        short[name] = sum(tr.short_by_class.values(), np.zeros_like(tr.off_road, dtype=float))
        off[name], day = tr.off_road, tr.day
        left.plot(tr.day, off[name], label=name, **style)
        right.plot(tr.day, short[name], label=name, **style)
        counted = tr.day >= ctx.warmup_days
        if counted.any():
            said.append(
                f"{name} {np.mean(off[name][counted]):,.1f} off the road and "
                f"{np.mean(short[name][counted]):,.1f} short"
            )
    for axis in (left, right):
        charts.shade_warmup(axis, ctx.warmup_days)
    left.set_ylabel("Vehicles off the road")
    left.set_title("Vehicles off the road (daily mean)")
    right.set_ylabel("Vehicles missing from shifts")
    right.set_title("Vehicles short of the shifts' needs (daily mean)")
    alt = (
        "Line charts by day, per option, of the vehicles off the road and the vehicles short of "
        f"the shifts' needs, the first {ctx.warmup_days:g} days shaded as warm-up; mean a day "
        "after the warm-up: " + "; ".join(said) + "."
    )
    series = {f"{n}: off the road": v for n, v in off.items()}
    series |= {f"{n}: short of the shifts": v for n, v in short.items()}
    data = charts.period_means(day, series, tables.number(1))
    charts.show(fig, legend=left, alt=alt, data=data)


def turnaround(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Hours off the road per job kind and option, against the kind's standard."""
    kinds = list(ctx.config.jobs)
    fig, axes = plt.subplots(1, len(kinds), figsize=(3.2 * len(kinds), 3.4), squeeze=False)
    names = [ctx.labels[o] for o in traces]
    said, summaries = [], []
    for axis, kind in zip(axes[0], kinds, strict=True):
        data = [tr.turnaround_hours[tr.turnaround_kind == kind] for tr in traces.values()]
        axis.boxplot([d if len(d) else [0.0] for d in data], showfliers=False)
        target = ctx.config.jobs[kind].turnaround_target_hours
        axis.axhline(target, **charts.TARGET_STYLE)
        axis.set_xticks(range(1, len(traces) + 1), names, fontsize=8)
        title = kind.replace("_", " ")
        axis.set_title(title, fontsize=10)
        summary = charts.box_summary(dict(zip(names, data, strict=True)), tables.number(1))
        medians = zip(summary["Option"], summary["Median"], strict=True)
        said.append(f"{title} (standard {target:g} hours): median {charts.listing(medians)}")
        summary.insert(0, "Standard (hours)", f"{target:g}")
        summary.insert(0, "Job kind", title)
        summaries.append(summary)
    axes[0][0].set_ylabel("Hours off the road (dashed: standard)")
    alt = (
        "Box plots of the hours off the road per job kind and option, the standard dashed: "
        + "; ".join(said)
        + "."
    )
    charts.show(fig, alt=alt, data=pd.concat(summaries, ignore_index=True))


def unit_costs(ctx: ReportContext, result: OptionComparison) -> None:
    """Maintenance cost per vehicle-year, and all costs per vehicle-year with replacement."""
    columns = {
        "Maintenance cost per vehicle-year": sections.unit_cost(ctx),
        "All costs per vehicle-year (with replacement)": sections.unit_cost(ctx, leave_out=()),
    }
    sections.unit_costs(ctx, result, columns, "Whole-life cost per vehicle-year")


def periods_and_replications(ctx: ReportContext, result: OptionComparison) -> None:
    """Warm-up evidence from a full fleet, the period simulated and the replications needed."""
    evidence = sections.warmup_evidence(
        ctx, warmup_evidence, ylabel="Vehicles off the road", start="every vehicle on the road"
    )
    opening = sections.warmup_method(
        ctx, start="a fleet with every vehicle on the road", on="daily vehicles off the road"
    )
    method = f"{opening}the truncation point in the chart is day {evidence.mser5_days}."
    metrics = [
        ("availability", "Fleet availability"),
        ("off_road_mean", "Vehicles off the road"),
        ("jobs_per_year", "Workshop jobs"),
    ]
    sections.periods_and_replications(ctx, result, metrics, method=method)


def common_random_numbers(ctx: ReportContext, result: OptionComparison) -> None:
    """The precision common random numbers buy, on vehicles off the road."""
    sections.common_random_numbers(
        result, "off_road_mean", "vehicles off the road", ctx.labels, fmt="{:+,.1f}"
    )
