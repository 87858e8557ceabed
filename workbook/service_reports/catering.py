"""The catering report's own parts: restaurants and planned events, queues and meals against
the standards, restaurant queues by time of day, a Carnival day of operational feeding, cost
per meal and subsidy per cover, and the periods simulated."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from models.catering import subsidy_per_cover
from models.comparison import OptionComparison
from workbook import charts, display, sections, tables
from workbook.context import ReportContext

__all__ = [
    "HEADLINE_ROWS",
    "MEASURED_AT",
    "carnival_day",
    "common_random_numbers",
    "demand",
    "headline",
    "options",
    "performance",
    "periods_and_replications",
    "queues_by_time",
    "summary",
    "unit_costs",
]

MEASURED_AT = "year-1 demand"
"""What the performance figures are measured at."""

MEALS_ON_TIME = ("feeding_on_time_share", "Operational meals on time", tables.percent(1))
EMERGENCIES_MET = (
    "feeding_emergency_within_target",
    "Emergency requests met within deadline",
    tables.percent(1),
)
CUSTODY_ON_TIME = ("custody_on_time_share", "Custody meals on time", tables.percent(1))

HEADLINE_ROWS = [
    (
        "restaurant_peak_wait_mean_minutes",
        "Restaurant queue at the lunch peak, mean (minutes)",
        tables.number(1),
    ),
    (
        "restaurant_peak_wait_p95_minutes",
        "Restaurant queue at the peak, 95th percentile (minutes)",
        tables.number(1),
    ),
    ("restaurant_lost_share", "Customers lost to queues", tables.percent(1)),
    MEALS_ON_TIME,
    EMERGENCIES_MET,
    CUSTODY_ON_TIME,
]

_RESTAURANT_ROWS = [
    ("restaurant_covers_per_year", "Restaurant covers a year", tables.number(0)),
    ("restaurant_lost_covers_per_year", "Covers lost to queues a year", tables.number(0)),
    ("restaurant_lost_share", "Share of customers lost", tables.percent(1)),
    ("restaurant_peak_lost_share", "Share lost at the lunch peak", tables.percent(1)),
    (
        "restaurant_wait_mean_minutes",
        "Queueing time over the day, mean (minutes)",
        tables.number(1),
    ),
    (
        "restaurant_peak_wait_mean_minutes",
        "Queueing time at the peak, mean (minutes)",
        tables.number(1),
    ),
    (
        "restaurant_peak_wait_p95_minutes",
        "Queueing time at the peak, 95th percentile (minutes)",
        tables.number(1),
    ),
]

_OTHER_ROWS = [
    ("restaurant_server_utilisation", "Server utilisation", tables.percent()),
    ("restaurant_till_utilisation", "Till utilisation", tables.percent()),
    ("restaurant_takings_per_year", "Restaurant takings a year", tables.pounds),
    ("feeding_meals_per_year", "Operational meals a year", tables.number(0)),
    MEALS_ON_TIME,
    ("feeding_planned_on_time_share", "Planned-event meals on time", tables.percent(1)),
    EMERGENCIES_MET,
    (
        "feeding_emergency_response_mean_hours",
        "Emergency response, mean (hours)",
        tables.number(2),
    ),
    ("feeding_line_utilisation", "Production line utilisation", tables.percent()),
    ("feeding_van_utilisation", "Delivery van utilisation", tables.percent()),
    ("custody_meals_per_year", "Custody meals a year", tables.number(0)),
    CUSTODY_ON_TIME,
    (
        "custody_emergency_meals_per_year",
        "Custody meals bought in (stock ran out) a year",
        tables.number(0),
    ),
    ("meals_per_year", "All meals a year", tables.number(0)),
]


_STANDARDS_SAID = {
    "restaurant_peak_wait_mean_minutes": "the mean queueing time in restaurants at the lunch peak",
    "restaurant_lost_share": "customers who leave a restaurant queue without being served",
    "feeding_on_time_share": "operational meals delivered on time",
    "feeding_emergency_within_target": "emergency requests for hot food met within their deadline",
    "custody_on_time_share": "custody meals on time",
}
"""What each metric the service judges by a standard measures, as the summary says it."""


def summary(ctx: ReportContext, result: OptionComparison) -> None:
    """Which options meet each service standard, and how the figures were made."""
    standards = sections.standards_summary(ctx, result, _STANDARDS_SAID)
    period = ctx.config.period
    method = (
        f"Every figure is a mean over {ctx.replications} simulated replications (restaurants and "
        f"custody over a representative {ctx.window_days:g}-day week, operational feeding over a "
        f"{period.feeding_days}-day calendar of planned events and unplanned requests), with a "
        "95 % confidence interval; options were compared on the same simulated customers, events "
        "and detainees (common random numbers)."
    )
    display.display_all(display.paragraph(standards), display.paragraph(method))


def headline(ctx: ReportContext, result: OptionComparison) -> None:
    """The index page's figures."""
    sections.headline(ctx, result, "Meals on time", "feeding_on_time_share", tables.percent(1))


def demand(ctx: ReportContext) -> None:
    """The restaurants by type, and the planned events of operational feeding."""
    sites = ctx.config.restaurants.site_types
    restaurants = pd.DataFrame(
        {
            "Restaurant type": [s.label or n.replace("_", " ") for n, s in sites.items()],
            "Sites": [s.sites for s in sites.values()],
            "People per site": [f"{s.population:,.0f}" for s in sites.values()],
            "Covers per person per open day": [f"{s.take_up:.2f}" for s in sites.values()],
            "Opens (hour)": [f"{s.day_shape[0].start:g}" for s in sites.values()],
            "Closes (hour)": [f"{s.day_shape[-1].end:g}" for s in sites.values()],
        }
    )
    feeding = ctx.config.operational_feeding
    events = pd.DataFrame(
        {
            "Planned event": [e.label or n.replace("_", " ") for n, e in feeding.planned.items()],
            "Officers to feed": [f"{e.officers:,}" for e in feeding.planned.values()],
            "Meal windows": [len(e.meal_windows) for e in feeding.planned.values()],
            "Days a year": [len(e.event_days(365)) for e in feeding.planned.values()],
        }
    )
    unplanned = feeding.unplanned.requests_per_year
    display.display_all(
        display.table(
            restaurants,
            "Staff restaurants (each type simulated once, counted for its number of sites)",
        ),
        display.table(
            events,
            f"Operational feeding: planned events (and about {unplanned:,.0f} unplanned "
            "requests a year)",
        ),
    )


def options(ctx: ReportContext) -> None:
    """Who provides restaurants, operational feeding and custody meals under each option."""
    parts = {
        "Restaurants": "restaurants",
        "Operational feeding": "operational_feeding",
        "Custody meals": "custody",
    }
    sections.options(ctx, providers=parts)


def performance(ctx: ReportContext, result: OptionComparison) -> None:
    """Every performance figure with its interval, and the main ones against the standards."""
    by_site = [
        (
            f"restaurant_peak_wait_mean_minutes_{n}",
            f"Peak queue, mean (minutes): {(s.label or n).lower()}",
            tables.number(1),
        )
        for n, s in ctx.config.restaurants.site_types.items()
    ]
    rows = [*_RESTAURANT_ROWS, *by_site, *_OTHER_ROWS]
    titles = {
        "restaurant_peak_wait_mean_minutes": "Peak restaurant queue (minutes)",
        "feeding_on_time_share": "Operational meals on time (%)",
        "custody_on_time_share": "Custody meals on time (%)",
    }
    sections.performance(ctx, result, rows, MEASURED_AT, titles)


def queues_by_time(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Mean queueing time by time of day at each type of restaurant, per option."""
    sites = ctx.config.restaurants.site_types
    fig, axes = plt.subplots(
        1, len(sites), figsize=(3.3 * len(sites), 3.4), sharey=True, squeeze=False
    )
    said, columns, hours = [], {}, np.zeros(0)
    minutes = tables.number(1)
    for axis, site in zip(axes[0], sites, strict=True):
        title = (sites[site].label or site).capitalize()
        peaks = []
        for index, (option, tr) in enumerate(traces.items()):
            waits = np.asarray(tr.restaurant_wait_minutes[site], dtype=float)
            hours = np.arange(len(waits)) * tr.slot_hours
            axis.plot(hours, waits, label=ctx.labels[option], **charts.series_style(index))
            columns[f"{title}: {ctx.labels[option]}"] = waits
            window = np.where((hours >= 6) & (hours <= 16), waits, np.nan)
            if np.isfinite(window).any():
                peak = int(np.nanargmax(window))
                peaks.append((ctx.labels[option], f"{minutes(waits[peak])} at {hours[peak]:g} h"))
        longest = charts.listing(peaks) if peaks else "no queue recorded"
        said.append(f"{title}: longest mean wait {longest}")
        axis.set_title(title, fontsize=9)
        axis.set_xlabel("Time of day (hours)")
        axis.set_xlim(6, 16)
    axes[0][0].set_ylabel("Mean queueing time (minutes)")
    alt = (
        "Line charts of the mean queueing time in minutes by time of day (6 to 16 h), one panel "
        "a type of restaurant, per option: " + "; ".join(said) + "."
    )
    shown = (hours >= 6) & (hours <= 16)
    data = pd.DataFrame({"Time of day (hours)": [f"{h:g}" for h in hours[shown]]})
    data = data.assign(**{name: [minutes(w) for w in v[shown]] for name, v in columns.items()})
    charts.show(fig, legend=axes[0][0], alt=alt, data=data)


def carnival_day(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Meals required against meals delivered, hour by hour, on the busiest feeding day."""
    planned = ctx.config.operational_feeding.planned
    fig, axes = plt.subplots(
        1, len(traces), figsize=(3.8 * len(traces), 3.4), sharey=True, squeeze=False
    )
    said, frames = [], []
    for axis, (option, tr) in zip(axes[0], traces.items(), strict=True):
        hourly = tr.feeding_hourly
        hours = np.arange(len(hourly["required"]))
        axis.bar(hours, hourly["required"], color="#d9d9d9", label="required")
        delivered = {"color": charts.PALETTE["blue"], "lw": 1.8}
        axis.step(hours, hourly["delivered"], where="mid", label="delivered", **delivered)
        late = {"color": charts.PALETTE["vermillion"], "hatch": "//", "edgecolor": "white"}
        axis.bar(hours, hourly["late"], label="delivered late", **late)
        event = planned[tr.feeding_event].label if tr.feeding_event in planned else None
        title = f"{ctx.labels[option]}: {event or tr.feeding_event}"
        axis.set_title(title, fontsize=9)
        axis.set_xlabel("Hour of the day")
        totals = {k: float(np.sum(hourly[k])) for k in ("required", "delivered", "late")}
        said.append(
            f"{title}, {totals['required']:,.0f} meals required, {totals['delivered']:,.0f} "
            f"delivered, {totals['late']:,.0f} of them late"
        )
        frames.append(
            pd.DataFrame(
                {
                    "Option and day": title,
                    "Hour": hours,
                    "Required": np.asarray(hourly["required"]),
                    "Delivered": np.asarray(hourly["delivered"]),
                    "Delivered late": np.asarray(hourly["late"]),
                }
            )
        )
    axes[0][0].set_ylabel("Meals per hour")
    alt = (
        "Bar charts by hour of the meals required on the busiest feeding day, with the meals "
        "delivered (line) and delivered late (hatched), one panel an option: "
        + "; ".join(said)
        + "."
    )
    data = pd.concat(frames, ignore_index=True)
    counts = ["Required", "Delivered", "Delivered late"]
    busy = data[counts].sum(axis=1) > 0
    numbers = data[busy].reset_index(drop=True)
    numbers = numbers.assign(**{c: numbers[c].map("{:,.0f}".format) for c in counts})
    charts.show(fig, legend=axes[0][0], alt=alt, data=numbers)


def unit_costs(ctx: ReportContext, result: OptionComparison) -> None:
    """Cost per meal, net of restaurant takings, and the restaurant subsidy per cover."""
    years, config = ctx.period_years, ctx.config
    columns = {
        "Cost per meal": sections.unit_cost(ctx),
        "Net of restaurant takings": sections.unit_cost(ctx, include_income=True),
        "Restaurant subsidy per cover": lambda option, _lines, volumes: subsidy_per_cover(
            config, option, volumes, years
        ),
    }
    sections.unit_costs(ctx, result, columns, "Whole-life cost per meal and subsidy per cover")


def periods_and_replications(ctx: ReportContext, result: OptionComparison) -> None:
    """The periods simulated (no warm-up chart: restaurants open empty every day) and the
    replications needed."""
    metrics = [
        ("restaurant_covers_per_year", "Restaurant covers"),
        ("restaurant_peak_wait_mean_minutes", "Peak queueing time"),
        ("feeding_on_time_share", "Operational meals on time"),
        ("custody_on_time_share", "Custody meals on time"),
    ]
    sections.periods_and_replications(ctx, result, metrics)


def common_random_numbers(ctx: ReportContext, result: OptionComparison) -> None:
    """The precision common random numbers buy, on the peak restaurant queue."""
    sections.common_random_numbers(
        result,
        "restaurant_peak_wait_mean_minutes",
        "peak queue, minutes",
        ctx.labels,
        fmt="{:+.2f}",
    )
