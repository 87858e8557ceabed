"""Report sections every option report shares, so the service notebooks stay thin siblings.

Each function displays one part of a report (tables, charts, a paragraph) from the report's
:class:`~workbook.context.ReportContext` and its :class:`~models.comparison.OptionComparison`;
what only one service shows lives in :mod:`workbook.service_reports`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from models.appraisal import CostLine
from models.assumptions import estimates_without_range, register
from models.comparison import OptionComparison
from models.kit.output_analysis import PrecisionNotReached, replications_needed
from models.kit.warmup import WarmupEvidence
from models.scenario import load_sources
from models.service import KeyMetric
from models.uncertainty.ranges import resolve
from workbook import charts, display, narrative, tables
from workbook.context import ReportContext

if TYPE_CHECKING:
    from models.uncertainty.analysis import Findings

__all__ = [
    "assumptions",
    "common_random_numbers",
    "cost_summary",
    "cost_table",
    "costs",
    "headline",
    "headline_performance",
    "interpolation",
    "interpolation_check",
    "interval_table",
    "options",
    "performance",
    "periods_and_replications",
    "provenance",
    "provider",
    "replications",
    "sensitivity",
    "standards",
    "standards_summary",
    "title",
    "unit_cost",
    "unit_costs",
    "verification",
    "verification_check",
    "warmup",
    "warmup_evidence",
]


def title(ctx: ReportContext) -> None:
    """The report's heading (with the quick-run banner when it is one)."""
    display.display_all(display.title_block(ctx.scenario, ctx.title, ctx.quick))


def cost_summary(ctx: ReportContext, result: OptionComparison) -> None:
    """The cost conclusion in words: cheapest option, differences from business as usual."""
    text = narrative.cost_summary(result.costs, ctx.labels, ctx.baseline, ctx.period_years)
    display.display_all(display.paragraph(text))


def cost_table(ctx: ReportContext, result: OptionComparison) -> None:
    """Present value of costs per option, its difference from business as usual, how sure."""
    caption = (
        f"Present value of costs over {ctx.period_years} years "
        f"(real {ctx.scenario.base_year} prices, after optimism bias)"
    )
    frame = tables.cost_table(result.costs, ctx.labels, ctx.baseline)
    display.display_all(display.table(frame, caption))


def headline(
    ctx: ReportContext, result: OptionComparison, label: str, metric: str, fmt: tables.Format
) -> None:
    """Publish the index page's figures: the cheapest option, its PV, and one metric for
    every option (a metric the run did not report shows as missing)."""
    costs_ = result.costs
    cheapest = costs_.loc[costs_["pv_mean"].idxmin()]
    per_option = {
        f"{label}, {ctx.labels[o]}": fmt(tables.mean(result.performance, metric, o))
        for o in ctx.options
    }
    display.headline(
        {
            "Cheapest option": ctx.labels[cheapest["option"]],
            "PV of costs, cheapest": display.money(cheapest["pv_mean"]),
            **per_option,
        }
    )


def interval_table(
    ctx: ReportContext,
    result: OptionComparison,
    rows: Sequence[tuple[str, str, tables.Format]],
    caption: str,
) -> None:
    """Performance figures with their 95 % intervals: one row per ``(metric, label, format)``,
    options across."""
    frame = tables.interval_table(result.performance, rows, ctx.labels)
    display.display_all(display.table(frame, caption))


def headline_performance(
    ctx: ReportContext,
    result: OptionComparison,
    rows: Sequence[tuple[str, str, tables.Format]],
    at: str,
) -> None:
    """The headline performance figures (a service report's ``HEADLINE_ROWS``) with their
    intervals, measured ``at`` (its ``MEASURED_AT``, e.g. ``year-1 demand``)."""
    interval_table(ctx, result, rows, f"Service performance at {at}")


def standards(ctx: ReportContext) -> dict[str, tuple[KeyMetric, float]]:
    """The service's key metrics that are judged against a standard (its
    :class:`~models.service.Service` declares them), by name, with the standard this scenario
    sets, in the order they are declared."""
    declared = ((metric, metric.standard(ctx.config)) for metric in ctx.service.key_metrics)
    return {metric.name: (metric, target) for metric, target in declared if target is not None}


_STANDARD_FORMATS = {"share": "{:.1%}", "minutes": "{:.1f} minutes"}
"""How a standard and the figures against it are written, by the key metric's unit."""


def standards_summary(ctx: ReportContext, result: OptionComparison, what: Mapping[str, str]) -> str:
    """Which options meet each standard the service declares (:func:`standards`), in words;
    ``what`` says what each judged metric measures, as the sentence names it."""
    return " ".join(
        narrative.service_standard_summary(
            result.performance,
            name,
            target,
            ctx.labels,
            what[name],
            at_most=metric.direction == "lower",
            fmt=_STANDARD_FORMATS[metric.unit],
        )
        for name, (metric, target) in standards(ctx).items()
    )


def performance(
    ctx: ReportContext,
    result: OptionComparison,
    rows: Sequence[tuple[str, str, tables.Format]],
    at: str,
    bars: Mapping[str, str],
) -> None:
    """Every performance figure with its interval, measured ``at`` (e.g. ``year-1 demand``),
    then the main ones (``bars``: metric to panel title) as bars with their intervals, each
    against its standard if the service judges it by one (:func:`standards`), in per cent if the
    service declares it a share."""
    interval_table(ctx, result, rows, f"Service performance at {at} (95 % intervals)")
    judged = standards(ctx)
    targets = {name: judged[name][1] for name in bars if name in judged}
    shares = {metric.name for metric in ctx.service.key_metrics if metric.unit == "share"}
    percent = [name for name in bars if name in shares]
    chart = charts.IntervalBars(
        result.performance, list(bars), bars, ctx.labels, targets=targets, percent=percent
    )
    text = chart.text()
    display.figure(chart.figure(), alt=text.alt, data=text.data)


def provider(part: object) -> str:
    """``in-house`` for a part (or a provider name) the force runs itself, else ``contractor``."""
    return "in-house" if getattr(part, "provider", part) == "in_house" else "contractor"


def options(
    ctx: ReportContext,
    *,
    providers: Mapping[str, str] | None = None,
    columns: Mapping[str, Callable[[Any], str]] | None = None,
) -> None:
    """The delivery options: each option's names; who provides each part (``providers``: a
    heading to the attribute of the option's scenario entry that is the part); one column per
    ``columns`` heading (the cell made from the option's scenario entry); its description."""
    specs = list(ctx.config.options.values())

    def provided(part: str) -> Callable[[Any], str]:
        return lambda option: provider(getattr(option, part))

    cells = {heading: provided(part) for heading, part in (providers or {}).items()}
    cells |= columns or {}
    frame = pd.DataFrame(
        {
            "Option": list(ctx.labels.values()),
            "In full": [o.label for o in specs],
            **{heading: [cell(o) for o in specs] for heading, cell in cells.items()},
            "Description": [o.description for o in specs],
        }
    )
    display.display_all(display.table(frame, "Delivery options"))


def costs(ctx: ReportContext, result: OptionComparison) -> None:
    """Cash flows by category, present values with intervals, present values by category."""
    labels, base_year = ctx.labels, ctx.scenario.base_year
    flows = (result.appraisal.cash_flows, labels, base_year)
    text = charts.cash_flows_text(*flows)
    display.figure(charts.cash_flows(*flows), alt=text.alt, data=text.data)
    values = (result.costs, labels, result.baseline)
    text = charts.present_values_text(*values)
    display.figure(charts.present_values(*values), alt=text.alt, data=text.data)
    pv = result.appraisal.present_values(result.baseline)
    by_category = result.appraisal.by_category()
    rows = {
        charts.CATEGORY_LABELS.get(c, c): by_category[c].reindex(pv.index)
        for c in by_category.columns
    }
    rows |= {
        "Total before optimism bias": pv["pv_before_ob"],
        "Optimism bias": pv["optimism_bias"],
        "Present value of costs": pv["pv"],
    }
    table = pd.DataFrame(
        {
            labels.get(o, o): [
                display.money(v[o]) if pd.notna(v[o]) else display.MISSING for v in rows.values()
            ]
            for o in pv.index
        },
        index=pd.Index(list(rows), name="Cost category"),
    ).reset_index()
    caption = "Present values by cost category, at the mean volumes"
    display.display_all(display.table(table, caption))


UnitCostColumn = Callable[[str, list[CostLine], Mapping[str, object]], float]
"""``(option, cost lines, yearly volumes) -> pounds``: one column of a unit-cost table."""


def unit_cost(ctx: ReportContext, **options: Any) -> UnitCostColumn:
    """A unit-cost column from the service's own ``unit_cost`` over the appraisal period,
    with ``options`` passed on to it."""
    unit, years = ctx.service.unit_cost, ctx.period_years
    return lambda _option, lines, volumes: unit(lines, volumes, years, **options)


def unit_costs(
    ctx: ReportContext,
    result: OptionComparison,
    columns: Mapping[str, UnitCostColumn],
    caption: str,
) -> None:
    """Whole-life unit costs per option at the mean simulated volumes, one column each."""
    service, config, years = ctx.service, ctx.config, ctx.period_years
    rows = []
    for option in ctx.options:
        volumes = service.yearly_volumes(result.mean_by_run, option, config, years)
        lines = service.cost_lines(config, option, volumes, years)
        cells = {
            name: display.money(column(option, lines, volumes)) for name, column in columns.items()
        }
        rows.append({"Option": ctx.labels[option], **cells})
    display.display_all(display.table(pd.DataFrame(rows), caption))


def sensitivity(ctx: ReportContext, result: OptionComparison) -> None:
    """Difference from business as usual with and without optimism bias, and switching
    values."""
    labels = ctx.labels
    sens = result.sensitivity()

    def factor(value: float) -> str:
        if pd.isna(value):
            return display.MISSING
        return "no value would" if value < 0 else f"× {value:.2f}"

    base = labels.get(result.baseline, result.baseline)
    frame = pd.DataFrame(
        {
            "Option": sens["option"].map(lambda o: labels.get(o, o)),
            f"Difference from business as usual ({base})": sens["difference"].map(display.money),
            "Same, with no optimism bias": sens["difference_without_optimism_bias"].map(
                display.money
            ),
            "Switching value: contract charges": sens["contract"].map(factor),
            "Switching value: staff": sens["staff"].map(factor),
            "Switching value: running costs": sens["operating"].map(factor),
        }
    )
    display.display_all(display.table(frame, "Sensitivity of the cost comparison"))


def assumptions(ctx: ReportContext, findings: Findings | None = None) -> None:
    """Every input of the appraisal and of the service section, with unit, grade, source and,
    where the scenario gives one, its range and the reason for it: first the ranged inputs by
    how much they move the decision (the tornado of ``findings``), then the rest grouped by the
    part of the scenario they belong to; then the estimates that have no range (an estimate
    with no range is accepted, and the report says so)."""
    scenario, section = ctx.scenario, ctx.service.name
    found = input_register(ctx)
    counts = found["grade"].value_counts()
    ranged = int((found["range"] != "").sum())
    display.display_all(
        display.paragraph(
            f"{len(found)} inputs: "
            + ", ".join(f"{count} graded {grade}" for grade, count in counts.items())
            + f". {ranged} of them carry a range: the lowest, most likely and highest value "
            "they could take, with the reason. A range written x0.8 to x1.3 multiplies the "
            "stated value; inputs that share a reason are one quantity and move together. A "
            "result resting on estimates is only as good as those estimates: the inputs that "
            "matter most come first, then every input by the part of the scenario it is in."
        )
    )
    if findings is not None and len(findings.tornado):
        caption = (
            "The inputs that matter most: how far each one's range moves the difference of "
            f"{ctx.labels.get(findings.focus, findings.focus)} from business as usual"
        )
        display.display_all(display.table(matter_most(findings, found), caption))
    for part, rows in by_part(found, section):
        display.display_all(display.table(_register_table(rows, section), f"Inputs: {part}"))
    _estimates_without_range(estimates_without_range(found, scenario.uncertainty.fixed), section)


def input_register(ctx: ReportContext) -> pd.DataFrame:
    """The register of every input of the report (appraisal, then the service section)."""
    scenario, section = ctx.scenario, ctx.service.name
    sources = load_sources()
    data = scenario.model_dump(mode="json")
    inputs = resolve(scenario)
    return pd.concat(
        [
            register(data, "appraisal", scenario.chain, sources, inputs=inputs),
            register(data, section, scenario.chain, sources, inputs=inputs),
        ],
        ignore_index=True,
    )


def matter_most(findings: Findings, found: pd.DataFrame) -> pd.DataFrame:
    """The ranged inputs, the largest swing of the decision's difference first, with the grade
    and source of the first input each one moves."""
    by_name = {one.name: one for one in findings.inputs}
    graded = found.set_index("key")
    rows = []
    for row in findings.tornado.sort_values("swing", ascending=False).itertuples(index=False):
        one = by_name[row.input]
        first = ".".join(map(str, one.keys[0]))
        known = graded.loc[first] if first in graded.index else None
        rows.append(
            {
                "Input": row.label,
                "Range": one.describe(),
                "Moves the difference by": display.money(row.swing),
                "Inputs it moves": len(one.keys),
                "Grade": "" if known is None else known["grade"],
                "Source": "" if known is None else known["source"],
                "Why this range": one.reason,
            }
        )
    return pd.DataFrame(rows)


def by_part(found: pd.DataFrame, section: str) -> list[tuple[str, pd.DataFrame]]:
    """The register split by the part of the scenario each input is in: the appraisal, then
    each top-level part of the section (each option on its own), in the order of the file."""

    def part(key: str) -> str:
        pieces = key.split(".")
        if pieces[0] != section:
            return pieces[0].replace("_", " ")
        if len(pieces) > 3 and pieces[1] == "options":
            return f"option {pieces[2].replace('_', ' ')}"
        return pieces[1].replace("_", " ") if len(pieces) > 2 else "general"

    parts = found["key"].map(part)
    return [(name, found[parts == name]) for name in dict.fromkeys(parts)]


def _register_table(found: pd.DataFrame, section: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Input": found["key"].str.replace(f"{section}.", "", n=1),
            "Value": found["value"].map(
                lambda v: ", ".join(map(str, v)) if isinstance(v, list) else str(v)
            ),
            "Unit": found["unit"],
            "Grade": found["grade"],
            "Source": found["source"],
            "Range": found["range"],
            "Why this range": found["range_reason"],
        }
    )


def _estimates_without_range(missing: Any, section: str) -> None:
    """The short list after the register: how many estimates have no range; those held at
    their value on purpose, by what holds them and why; and the rest, by the part they are in.
    ``missing`` is a :class:`models.assumptions.EstimatesWithoutRange`."""

    def short(key: str) -> str:
        return key.removeprefix(f"{section}.")

    if not len(missing):
        display.display_all(display.paragraph("Every estimate carries a range."))
        return
    display.display_all(
        display.paragraph(
            f"Estimates without a range: {len(missing)}. {len(missing.held_fixed)} are held at "
            "their stated value on purpose (the reason is given below); "
            f"{len(missing.no_range)} have no range yet, so the results do not show what "
            "their uncertainty would do."
        )
    )
    if missing.held_fixed:
        held = pd.DataFrame(missing.held_fixed, columns=["key", "pattern", "reason"])
        groups = held.groupby("pattern", sort=False).agg(
            inputs=("key", "size"), reason=("reason", "first")
        )
        table = pd.DataFrame(
            {
                "Held at their value": [
                    short(p).replace("*", "(any)") for p in groups.index.astype(str)
                ],
                "Inputs": groups["inputs"].to_numpy(),
                "Why": groups["reason"].to_numpy(),
            }
        )
        display.display_all(display.table(table, "Estimates held at their value"))
    if missing.no_range:
        parts: dict[str, list[str]] = {}
        for key in missing.no_range:
            parent, _, name = short(key).rpartition(".")
            parts.setdefault(parent or section, []).append(name)
        table = pd.DataFrame(
            {
                "Part": list(parts),
                "Inputs with no range yet": [", ".join(v) for v in parts.values()],
            }
        )
        display.display_all(display.table(table, "Estimates with no range yet"))


def replications(
    result: OptionComparison,
    metrics: Sequence[tuple[str, str]],
    labels: Mapping[str, str],
    target: float = 0.05,
) -> None:
    """Replications needed for a ``target`` relative half-width, per headline figure and option
    (Hoad, Robinson and Davies 2010, with look-ahead), from this run's replications."""

    def needed(values: pd.Series) -> str:
        try:
            return str(replications_needed(values.to_numpy(), target=target))
        except PrecisionNotReached as short:
            if short.estimate <= len(values):
                return f"about {short.estimate} (too few replications here to confirm it)"
            return f"more than {len(values)} (about {short.estimate})"

    r = result.results
    at_year = r[r["year"] == result.performance_year]
    options = list(dict.fromkeys(result.costs["option"]))
    rows = []
    for metric, label in metrics:
        chosen = at_year[at_year["metric"] == metric]
        rows.append(
            {
                "Figure": label,
                **{
                    labels.get(o, o): needed(
                        chosen[chosen["option"] == o].sort_values("replication")["value"]
                    )
                    for o in options
                },
            }
        )
    pv = result.pv
    rows.append(
        {
            "Figure": "Present value of costs",
            **{
                labels.get(o, o): needed(pv[pv["option"] == o].sort_values("replication")["pv"])
                for o in options
            },
        }
    )
    display.display_all(
        display.table(
            pd.DataFrame(rows),
            f"Replications needed for a 95 % interval within {target:.0%} of the mean",
        )
    )


def periods_and_replications(
    ctx: ReportContext,
    result: OptionComparison,
    metrics: Sequence[tuple[str, str]],
    *,
    method: str = "",
    of: str = "",
) -> None:
    """A paragraph on the periods simulated (``method``, none if empty) and the replications
    run (needed ``of`` what, if said), then the replications needed for each of ``metrics``."""
    text = (
        f"The report runs {ctx.replications} replications; the table gives the number needed "
        "for a 95 % interval within 5 % of the mean (Hoad, Robinson and Davies 2010, with "
        f"look-ahead){of}."
    )
    display.display_all(display.paragraph(f"{method} {text}" if method else text))
    replications(result, metrics, ctx.labels)


def common_random_numbers(
    result: OptionComparison,
    metric: str,
    what: str,
    labels: Mapping[str, str],
    fmt: str = "{:+.1%}",
) -> None:
    """The paired difference from business as usual beside the half-width an independent
    comparison would have had: the precision common random numbers buy."""
    perf = result.performance
    base = perf[(perf["metric"] == metric) & (perf["option"] == result.baseline)]
    base_name = f"business as usual ({labels.get(result.baseline, result.baseline)})"
    rows = []
    for option in dict.fromkeys(perf["option"]):
        if option == result.baseline or base.empty:
            continue
        mine = perf[(perf["metric"] == metric) & (perf["option"] == option)]
        if mine.empty:
            continue
        paired = result.difference(metric, option)
        unpaired = float(np.hypot(mine["half_width"].iloc[0], base["half_width"].iloc[0]))
        rows.append(
            {
                "Option": labels.get(option, option),
                f"Difference from {base_name} ({what})": fmt.format(paired.mean),
                "Paired 95 % half-width": fmt.format(paired.half_width).lstrip("+"),
                "Half-width if compared independently": fmt.format(unpaired).lstrip("+"),
            }
        )
    caption = "Precision gained by common random numbers"
    display.display_all(display.table(pd.DataFrame(rows), caption))


def warmup(evidence: WarmupEvidence, *, ylabel: str, start: str) -> None:
    """The warm-up evidence: a daily level from an empty start, per replication and on average,
    with the MSER-5 truncation point and the warm-up used."""
    import matplotlib.pyplot as plt

    e = evidence
    fig, axis = plt.subplots(figsize=(9, 3.4))
    blue, vermillion, green = (charts.PALETTE[c] for c in ("blue", "vermillion", "bluish_green"))
    axis.plot(e.day, e.by_replication.T, color=blue, alpha=0.25, lw=0.8)
    axis.plot(e.day, e.mean, color=blue, lw=2, label="Simulated mean")
    if e.expected is not None:
        axis.plot(e.day, e.expected, color="black", ls="--", label="Expected (analytic)")
    axis.axvline(
        e.mser5_days, color=vermillion, ls=":", lw=1.5, label=f"MSER-5: day {e.mser5_days}"
    )
    axis.axvline(e.chosen_days, color=green, ls="-.", label=f"warm-up used: {e.chosen_days:g} days")
    axis.set_xlabel(f"Day from {start}")
    axis.set_ylabel(ylabel)
    axis.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    text = charts.warmup_text(evidence, ylabel=ylabel, start=start)
    display.figure(fig, alt=text.alt, data=text.data)


def warmup_evidence(
    ctx: ReportContext,
    compute: Callable[..., WarmupEvidence],
    *,
    ylabel: str,
    start: str,
) -> WarmupEvidence:
    """Chart and return the warm-up evidence ``compute`` (a service's ``warmup_evidence``) finds
    for the business-as-usual option over the warm-up and the period observed, from ``start``."""
    evidence = compute(
        ctx.config,
        ctx.baseline,
        replications=ctx.method.warmup,
        seed=ctx.seed,
        days=int(ctx.warmup_days + ctx.window_days),
        runner=ctx.replicator,
    )
    warmup(evidence, ylabel=ylabel, start=start)
    return evidence


def warmup_method(ctx: ReportContext, *, start: str, on: str) -> str:
    """The opening of a warm-up method paragraph, up to the colon after which the caller says
    where the chart puts the truncation point: a warm-up from ``start``, then the period
    observed, the warm-up chosen by MSER-5 on ``on``."""
    return (
        f"Each replication simulates a {ctx.warmup_days:g}-day warm-up from {start}, then "
        f"observes {ctx.window_days:g} days. The warm-up was chosen by MSER-5 (White 1997) on "
        f"{on}: "
    )


def interpolation(check: pd.DataFrame, labels: Mapping[str, str]) -> None:
    """Volumes interpolated between demand levels beside a simulated middle year."""
    shown = pd.DataFrame(
        {
            "Option": check["option"].map(lambda o: labels.get(o, o)),
            "Figure": check["metric"].str.replace("_", " "),
            "Year": check["year"].astype(int),
            "Simulated": check["simulated"].map(tables.number(0)),
            "Interpolated": check["interpolated"].map(tables.number(0)),
            "Relative difference": check["relative_difference"].map(_signed_percent),
        }
    )
    caption = "Interpolated against simulated volumes in a middle year"
    display.display_all(display.table(shown, caption))


def verification(checks: pd.DataFrame, service: str) -> None:
    """The service model's checks against queueing theory, one row each."""
    shown = pd.DataFrame(
        {
            "Check": checks["description"],
            "Exact": checks["analytic"].map(lambda v: f"{v:.4g}"),
            "Simulated (95 % interval)": [
                f"{m:.4g} ({lo:.4g} to {hi:.4g})"
                for m, lo, hi in zip(
                    checks["simulated"], checks["low"], checks["high"], strict=True
                )
            ],
            "Difference": checks["relative_difference"].map(_signed_percent),
            "Tolerance": checks["tolerance"].map(lambda v: f"{v:.0%}"),
            "Result": checks["passed"].map({True: "pass", False: "FAIL"}),
        }
    )
    passed = int(checks["passed"].sum())
    display.display_all(
        display.paragraph(
            f"{passed} of {len(checks)} checks of the {service} model agree with the exact "
            "result within their tolerance."
        ),
        display.table(shown, f"Verification of the {service} model"),
    )


def interpolation_check(ctx: ReportContext, what: str = "Demand") -> None:
    """The interpolation check, or why there is none (``what`` does not change)."""
    if ctx.period_years > 2 and ctx.config.demand_growth != 0:
        interpolation(ctx.interpolation_check(), ctx.labels)
    else:
        text = f"{what} does not change over the appraisal, so one level is simulated."
        display.display_all(display.paragraph(text))


def verification_check(ctx: ReportContext) -> None:
    """The service model against queueing theory, run with the report's policy."""
    verification(ctx.verification(), ctx.service.name)


def provenance(ctx: ReportContext) -> None:
    """What produced the report: scenario files and hashes, seed, replications, code, where
    the replications ran and how many came from the result cache."""
    ran_on = f"Simulations ran on: {ctx.engine.label}. {ctx.cache_note()}"
    block = provenance_block(ctx, started=ctx.started)
    display.display_all(block, display.paragraph(ran_on))


def provenance_block(ctx: ReportContext, *, started: datetime | None) -> display.HTMLBlock:
    """The provenance table of ``ctx``'s run (scenario files and hashes, seed, replications,
    code) started at ``started``: a report's, and the portfolio summary's."""
    return display.provenance(
        ctx.scenario,
        seed=ctx.seed,
        replications=ctx.replications,
        quick=ctx.quick,
        started=started,
    )


def _signed_percent(value: float) -> str:
    return display.MISSING if pd.isna(value) else f"{value:+.1%}"
