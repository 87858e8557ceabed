"""The language report's own parts: the requests and the long tail of languages, who
interprets and translates under each option, fulfilment and deadlines by kind and by language
group against the standards, fulfilment day by day, fulfilment by month after a contractor's
go-live against business as usual, custody hours lost waiting, cost per fulfilled hour and the
periods simulated."""

from __future__ import annotations

import math
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from models.comparison import OptionComparison
from models.language.config import GROUPS, KINDS
from models.language.go_live import by_month, starts_short
from workbook import charts, display, sections, tables
from workbook.context import ReportContext

__all__ = [
    "HEADLINE_ROWS",
    "MEASURED_AT",
    "common_random_numbers",
    "custody_hours_lost",
    "demand",
    "fulfilment_by_day",
    "go_live",
    "headline",
    "options",
    "performance",
    "periods_and_replications",
    "summary",
    "unit_costs",
]

MEASURED_AT = "year-1 demand"
"""What the performance figures are measured at."""

_KIND_LABELS = {
    "custody": "Custody",
    "investigation": "Investigations",
    "street": "Street (telephone)",
    "translation": "Translation",
}

HEADLINE_ROWS = [
    ("fulfilled_share", "Face-to-face bookings fulfilled", tables.percent(1)),
    ("within_deadline_share", "Face-to-face bookings within deadline", tables.percent(1)),
    (
        "custody_within_deadline_share",
        "Custody: interpreter within deadline",
        tables.percent(1),
    ),
    ("custody_hours_lost_per_year", "Custody hours lost waiting a year", tables.number(0)),
    ("failed_share", "Face-to-face requests failed", tables.percent(1)),
    ("rare_fulfilled_share", "Rare languages: fulfilled", tables.percent(1)),
]

_OTHER_ROWS = [
    ("fell_back_share", "Fell back to telephone or video", tables.percent(1)),
    ("custody_hours_lost_per_request", "Custody hours lost a request", tables.number(2)),
    ("telephone_minutes_per_year", "Telephone minutes a year", tables.number(0)),
    ("translation_wait_mean_hours", "Translation: wait for a translator (hours)", tables.number(1)),
    ("translator_utilisation", "Translator utilisation", tables.percent()),
    (
        "common_languages_callout_utilisation",
        "Call-out list, common languages: busy",
        tables.percent(1),
    ),
    (
        "other_languages_callout_utilisation",
        "Call-out list, other languages: busy",
        tables.percent(1),
    ),
    ("common_languages_staff_utilisation", "Staff interpreters: busy", tables.percent()),
    ("fulfilled_hours_per_year", "Hours interpreted and translated a year", tables.number(0)),
]


def _kind_rows() -> list[tuple[str, str, tables.Format]]:
    rows = []
    for kind in KINDS:
        label = _KIND_LABELS[kind]
        rows += [
            (f"{kind}_requests_per_year", f"{label}: requests a year", tables.number(0)),
            (f"{kind}_fulfilled_share", f"{label}: fulfilled", tables.percent(1)),
            (f"{kind}_within_deadline_share", f"{label}: within deadline", tables.percent(1)),
            (
                f"{kind}_time_to_interpreter_mean_hours",
                f"{label}: time to an interpreter, mean (hours)",
                tables.number(2),
            ),
        ]
    return rows


def _group_rows() -> list[tuple[str, str, tables.Format]]:
    rows = []
    for group in GROUPS:
        rows += [
            (
                f"{group}_fulfilled_share",
                f"{group.capitalize()} languages: fulfilled",
                tables.percent(1),
            ),
            (
                f"{group}_within_deadline_share",
                f"{group.capitalize()} languages: within deadline",
                tables.percent(1),
            ),
        ]
    return rows


_STANDARDS_SAID = {
    "fulfilled_share": "face-to-face bookings fulfilled",
    "custody_within_deadline_share": "custody requests with an interpreter within their deadline",
}
"""What each metric the service judges by a standard measures, as the summary says it."""


def summary(ctx: ReportContext, result: OptionComparison) -> None:
    """Which options meet each service standard, and how the figures were made."""
    standards = sections.standards_summary(ctx, result, _STANDARDS_SAID)
    method = (
        f"Every figure is a mean over {ctx.replications} simulated replications of a "
        f"{ctx.window_days:g}-day period, with a 95 % confidence interval; options were compared "
        "on the same simulated requests, languages and sessions (common random numbers)."
    )
    display.display_all(display.paragraph(standards), display.paragraph(method))


def headline(ctx: ReportContext, result: OptionComparison) -> None:
    """The index page's figures."""
    sections.headline(ctx, result, "Bookings fulfilled", "fulfilled_share", tables.percent(1))


def demand(ctx: ReportContext) -> None:
    """The requests by kind, and the long tail of languages by group."""
    requests = ctx.config.requests
    kinds = pd.DataFrame(
        {
            "Kind of request": [_KIND_LABELS[k] for k in KINDS],
            "Requests a year": [f"{requests.kind(k).requests_per_year:,.0f}" for k in KINDS],
            "Deadline": [
                f"{requests.custody.deadline_hours:g} hours",
                f"{requests.investigation.deadline_hours:g} hours",
                f"{requests.street.deadline_minutes:g} minutes",
                f"{requests.translation.deadline_hours:g} hours",
            ],
            "Cancelled": [
                f"{requests.custody.cancelled_share:.0%}",
                f"{requests.investigation.cancelled_share:.0%}",
                "-",
                "-",
            ],
        }
    )
    groups = ctx.config.language_groups
    languages = pd.DataFrame(
        {
            "Language group": [g.capitalize() for g in GROUPS],
            "Languages": [groups.group(g).languages for g in GROUPS],
            "Share of requests": [f"{groups.group(g).share:.0%}" for g in GROUPS],
            "Travel, one way, mean (hours)": [
                f"{groups.group(g).travel_hours.mean:.2f}" for g in GROUPS
            ],
        }
    )
    display.display_all(
        display.table(kinds, "Requests by kind (year-1 demand before growth)"),
        display.table(languages, f"The long tail: {groups.languages} languages in three groups"),
    )


def options(ctx: ReportContext) -> None:
    """Who interprets and translates under each option, and its supply."""
    parts = {
        "Common languages": "common_languages",
        "Other languages": "other_languages",
        "Telephone": "telephone",
        "Translation": "translation",
    }

    def listed(option: Any) -> str:
        groups = ctx.config.language_groups
        total = sum(
            spec.interpreters_per_language[g] * groups.group(g).languages
            for spec in (option.common_languages, option.other_languages)
            for g in spec.interpreters_per_language
        )
        return f"{total:,.0f}"

    columns = {"Listed": listed}
    sections.options(ctx, providers=parts, columns=columns)


def performance(ctx: ReportContext, result: OptionComparison) -> None:
    """Every performance figure with its interval, and the main ones against the standards."""
    rows = [*HEADLINE_ROWS, *_kind_rows(), *_group_rows(), *_OTHER_ROWS]
    titles = {
        "fulfilled_share": "Bookings fulfilled (%)",
        "custody_within_deadline_share": "Custody within deadline (%)",
        "custody_hours_lost_per_year": "Custody hours lost a year",
    }
    sections.performance(ctx, result, rows, MEASURED_AT, titles)


def fulfilment_by_day(ctx: ReportContext, traces: dict[str, Any]) -> None:
    """Face-to-face bookings fulfilled within their deadline, day by day of one simulated
    period of each option (the same requests under every option)."""
    fig, axis = plt.subplots(figsize=(7.0, 3.2))
    data = pd.DataFrame()
    said = []
    for index, (option, tr) in enumerate(traces.items()):
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(
                tr.face_to_face_requests > 0, tr.within_deadline / tr.face_to_face_requests, np.nan
            )
        label = ctx.labels[option]
        axis.plot(tr.days + 1, 100 * share, label=label, **charts.series_style(index))
        data["Day"] = tr.days + 1
        data[f"{label}: within deadline"] = [tables.percent(1)(v) for v in share]
        data[f"{label}: custody hours lost"] = [f"{v:,.0f}" for v in tr.custody_hours_lost]
        said.append(f"{label} {np.nanmin(share):.0%} to {np.nanmax(share):.0%}")
    axis.set_xlabel("Day of the simulated period")
    axis.set_ylabel("Within deadline (%)")
    alt = (
        "Line chart of the share of face-to-face bookings met within their deadline on each day "
        "of one simulated period, per option: " + "; ".join(said) + "."
    )
    charts.show(fig, legend=axis, alt=alt, data=data)


def go_live(ctx: ReportContext, result: OptionComparison) -> None:
    """Fulfilment and custody hours lost by month after go-live, for every option that starts
    short, against business as usual (month 0: go-live)."""
    config = ctx.config
    short = [o for o in ctx.options if starts_short(config, o)]
    if not short:
        display.display_all(display.paragraph("No option starts short of interpreters."))
        return
    months = 1 + math.ceil(
        max(
            getattr(config.options[o], part).go_live.months_to_full
            for o in short
            for part in ("common_languages", "other_languages")
            if getattr(config.options[o], part).go_live is not None
        )
    )
    table = by_month(
        config,
        [ctx.baseline, *short],
        months,
        replications=max(2, ctx.method.interpolation),
        seed=ctx.seed,
        runner=ctx.replicator,
        **ctx.overrides,
    )
    _go_live_chart(ctx, table)
    first = table[(table["month"] == 0) & (table["measure"] == "fulfilled_share")]
    first = first.set_index("option")["mean"]
    today = ctx.labels[ctx.baseline]
    said = "; ".join(f"{ctx.labels[o]} {first[o]:.0%}" for o in short)
    display.display_all(
        display.paragraph(
            f"At go-live (month 0) the face-to-face bookings fulfilled are {said}, against "
            f"{first[ctx.baseline]:.0%} under business as usual ({today}); each month is "
            f"{max(2, ctx.method.interpolation)} replications of a {ctx.window_days:g}-day period "
            "with the interpreters recruited by then, on common random numbers."
        )
    )


def _go_live_chart(ctx: ReportContext, table: pd.DataFrame) -> None:
    panels = [
        ("fulfilled_share", "Bookings fulfilled (%)", 100.0),
        ("custody_hours_lost_per_year", "Custody hours lost a year", 1.0),
    ]
    fig, axes = plt.subplots(1, 2, figsize=(8.0, 3.2))
    columns: dict[str, list[str]] = {}
    said = []
    for axis, (measure, title, scale) in zip(axes, panels, strict=True):
        rows = table[table["measure"] == measure]
        for index, (option, frame) in enumerate(rows.groupby("option", sort=False)):
            label = ctx.labels[option]
            axis.plot(
                frame["month"], scale * frame["mean"], label=label, **charts.series_style(index)
            )
            axis.fill_between(
                frame["month"],
                scale * frame["low"],
                scale * frame["high"],
                **charts.fill_style(index),
            )
            fmt = tables.percent(1) if scale == 100.0 else tables.number(0)
            columns[f"{label}: {title}"] = [fmt(v) for v in frame["mean"]]
            first, last = frame["mean"].iloc[0], frame["mean"].iloc[-1]
            final = frame["month"].iloc[-1]
            said.append(f"{title}, {label}: {fmt(first)} in month 0, {fmt(last)} in month {final}")
        axis.set_title(title, fontsize=9)
        axis.set_xlabel("Months after go-live")
    months = sorted(set(table["month"]))
    data = pd.DataFrame({"Month": months, **columns})
    alt = (
        "Line charts by month after go-live, with 95 % bands, of the face-to-face bookings "
        "fulfilled and of the custody hours lost a year, per option: " + "; ".join(said) + "."
    )
    charts.show(fig, legend=axes[0], alt=alt, data=data)


def custody_hours_lost(ctx: ReportContext, result: OptionComparison) -> None:
    """Custody hours lost waiting for an interpreter, and the difference from business as
    usual (paired on common random numbers)."""
    perf = result.performance.set_index(["option", "metric"])
    rows = []
    for option in ctx.options:
        key = (option, "custody_hours_lost_per_year")
        if key not in perf.index:
            continue
        row = perf.loc[key]
        cells = {
            "Option": ctx.labels[option],
            "Custody hours lost a year": tables.with_interval(
                row["mean"], row["low"], row["high"], tables.number(0)
            ),
        }
        if option != ctx.baseline:
            diff = result.difference("custody_hours_lost_per_year", option)
            cells["Difference from business as usual"] = tables.with_interval(
                diff.mean, diff.low, diff.high, tables.number(0)
            )
        else:
            cells["Difference from business as usual"] = "-"
        per = (option, "custody_hours_lost_per_request")
        cells["Per custody request (hours)"] = (
            f"{perf.loc[per, 'mean']:.2f}" if per in perf.index else "-"
        )
        rows.append(cells)
    display.display_all(
        display.table(pd.DataFrame(rows), "Custody hours lost waiting for an interpreter")
    )


def unit_costs(ctx: ReportContext, result: OptionComparison) -> None:
    """Whole-life cost per fulfilled hour (interpreted face to face and by telephone, and
    translated)."""
    columns = {"Cost per fulfilled hour": sections.unit_cost(ctx)}
    sections.unit_costs(ctx, result, columns, "Whole-life cost per fulfilled hour")


def periods_and_replications(ctx: ReportContext, result: OptionComparison) -> None:
    """The periods simulated and the replications needed."""
    metrics = [
        ("fulfilled_share", "Bookings fulfilled"),
        ("custody_within_deadline_share", "Custody within deadline"),
        ("custody_hours_lost_per_year", "Custody hours lost"),
        ("other_languages_bookings_per_year", "Bookings in the other languages"),
    ]
    method = (
        f"Each replication simulates a {ctx.warmup_days:g}-day warm-up (a booking lasts hours, "
        f"so the pools fill within a day) and then a {ctx.window_days:g}-day window; requests "
        "arriving in the window are followed to their end."
    )
    sections.periods_and_replications(ctx, result, metrics, method=method)


def common_random_numbers(ctx: ReportContext, result: OptionComparison) -> None:
    """The precision common random numbers buy, on the bookings fulfilled."""
    sections.common_random_numbers(
        result, "fulfilled_share", "bookings fulfilled", ctx.labels, fmt="{:+.1%}"
    )
