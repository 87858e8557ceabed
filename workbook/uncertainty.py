"""The report parts on the uncertainty of the inputs, shared by every option report.

:func:`study` runs the two-layer study of :mod:`models.uncertainty` with the report's run policy
(a quick run draws fewer samples and one inner replication); :func:`summary` says in plain
English how sure the ranking is and which inputs would change it; :func:`section` shows the
probabilities, percentiles, global sensitivity, tornado, switching values and the regions where
each option wins. The machine-readable findings are published
(:func:`workbook.display.result`) for the runner to write next to the report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from models.comparison import OptionComparison
from models.uncertainty.analysis import PERCENTILES, Findings, analyse
from models.uncertainty.study import replication_runs, run_study
from workbook import charts, display, narrative, tables
from workbook.context import ReportContext

__all__ = ["QUICK_SAMPLES", "section", "study", "summary"]

QUICK_SAMPLES = 256
"""Cost-layer samples of a quick run (enough to show the parts work, not to decide)."""
TORNADO_ROWS = 10
ROBUST = 0.9
"""A ranking is robust when its first option is cheapest in at least this share of the draws."""
LIKELY = 0.66
"""A ranking is likely but not certain from this share (about two thirds) to :data:`ROBUST`."""


def study(ctx: ReportContext, result: OptionComparison, *, publish: bool = True) -> Findings | None:
    """The uncertainty study of the report's service (``None`` without any range), from the
    result cache when one has it; publishes the findings for the runner unless told not to
    (the portfolio summary reads every service's without publishing them as its own)."""
    settings = ctx.scenario.uncertainty
    if not settings.ranges:
        return None
    replications = settings.quick_replications if ctx.quick else settings.replications
    samples = min(QUICK_SAMPLES, settings.samples) if ctx.quick else settings.samples

    def compute() -> Findings:
        return _compute(ctx, result, replications, samples)

    cache = getattr(ctx, "cache", None)
    if cache is None:
        findings = compute()
    else:
        parts = (
            "uncertainty",
            ctx.service.name,
            ctx.scenario.model_dump(mode="json"),
            dict(ctx.overrides),
            replications,
            samples,
            ctx.replications,
        )
        findings = cache.memo(parts, compute)
    if publish:
        _publish(findings)
    return findings


def _compute(
    ctx: ReportContext, result: OptionComparison, replications: int, samples: int
) -> Findings:
    found = run_study(
        ctx.service,
        ctx.scenario,
        replication_runs(result.results),
        replications=replications,
        overrides=ctx.overrides,
        runner=ctx.replicator,
        samples=samples,
    )
    return analyse(found, ctx.config, ctx.service.key_metrics, seed=ctx.seed)


def _publish(findings: Findings) -> None:
    display.result("uncertainty", findings.to_dict())


# --------------------------------------------------------------------------- summary


def summary(ctx: ReportContext, findings: Findings | None) -> None:
    """How sure the ranking is under the inputs' ranges, and what would change it."""
    display.display_all(display.paragraph(summary_text(ctx.labels, findings)))


def summary_text(labels: Mapping[str, str], findings: Findings | None) -> str:
    """The summary paragraph (see :func:`summary`)."""
    if findings is None:
        return (
            "How sure: the intervals above are simulation noise only. The scenario gives no "
            "ranges to its inputs, so the uncertainty of the estimates behind them is not shown."
        )
    name = _namer(labels)
    order = sorted(findings.cheapest, key=findings.cheapest.__getitem__, reverse=True)
    shares = ", ".join(f"{name(o)} in {findings.cheapest[o]:.0%}" for o in order)
    top = findings.cheapest[order[0]]
    sure = (
        "a robust ranking"
        if top >= ROBUST
        else "a likely but not certain ranking"
        if top >= LIKELY
        else "an uncertain ranking: no option is cheapest in two thirds of the samples"
    )
    counts = _counts(findings)
    return (
        f"How sure, with the uncertainty of the inputs: drawing {counts} together "
        f"({findings.samples:,} samples of the costs over {findings.simulated_points} simulated "
        f"operating points), the cheapest option is {shares}: {sure}. "
        + change_text(labels, findings)
    )


def change_text(labels: Mapping[str, str], findings: Findings) -> str:
    """What would change the answer: the inputs whose switching value lies inside their range
    (the three that move the difference most), or the inputs that move it most when none."""
    name = _namer(labels)
    changers = findings.switching[findings.switching["within_range"]]
    if len(changers):
        picked = changers.sort_values("swing", ascending=False).head(3)
        by_name = {one.name: one for one in findings.inputs}
        said = [
            f"{row.label} (at {_value(row.switches_at, by_name[row.input])}, "
            f"{name(row.new_first)} becomes cheapest)"
            for row in picked.itertuples(index=False)
        ]
        return (
            "Inputs that would change the answer within their ranges: "
            f"{narrative.list_names(said)}."
        )
    biggest = list(findings.tornado["label"][:3])
    return (
        "No single input changes the cheapest option anywhere within its range; the "
        f"inputs that move the difference most are {narrative.list_names(biggest)}."
    )


def _counts(findings: Findings) -> str:
    cost = sum(1 for i in findings.inputs if i.layer == "cost")
    operational = len(findings.inputs) - cost
    return (
        f"the ranges of {len(findings.inputs)} uncertain inputs ({cost} of costs, "
        f"{operational} of the operation)"
    )


# --------------------------------------------------------------------------- the section


def section(ctx: ReportContext, findings: Findings | None) -> None:
    """The uncertainty section of the report's body: how it was done, how often each option is
    cheapest, the range of outcomes and the tornado (:func:`details` has the rest; nothing but
    a sentence without ranges)."""
    if findings is None:
        display.display_all(display.paragraph(summary_text(ctx.labels, None)))
        return
    name = _namer(ctx.labels)
    display.display_all(
        display.paragraph(_method_text(ctx, findings)),
        display.table(
            _probability_table(findings, name),
            "How often each option is the cheapest and meets each standard",
        ),
        display.table(
            _percentile_table(findings, name),
            "Range of outcomes: percentiles of present values and differences from business "
            f"as usual ({name(findings.baseline)})",
        ),
        display.paragraph(_variance_text(findings, name)),
    )
    if len(findings.tornado):
        text = tornado_text(findings, name)
        charts.show(tornado_chart(findings, name), alt=text.alt, data=text.data)


def details(ctx: ReportContext, findings: Findings | None) -> None:
    """The long part of the uncertainty study, for an appendix: Sobol' indices, Morris
    screening, switching values and the regions of scenario discovery."""
    if findings is None:
        display.display_all(display.paragraph(summary_text(ctx.labels, None)))
        return
    name = _namer(ctx.labels)
    parts = [
        (
            _sobol_table(findings),
            "Global sensitivity of the difference to the cost inputs (Sobol' indices with "
            "95 % intervals)",
        ),
        (
            _morris_table(findings),
            "Screening of the operational inputs (Morris elementary effects)",
        ),
        (
            _switching_table(findings, name),
            "Switching values: where the cheapest option changes (each input alone, the "
            "others as stated)",
        ),
    ]
    display.display_all(*(display.table(frame, caption) for frame, caption in parts if len(frame)))
    display.display_all(*_region_blocks(findings, name))


def _method_text(ctx: ReportContext, findings: Findings) -> str:
    return (
        f"Each of {_counts(findings)} takes a value from its range (triangular or uniform, "
        "as the scenario says, with its reason in the register of assumptions). Inputs that only "
        f"change costs are sampled {findings.samples:,} times in a Saltelli design of Sobol' "
        "points and re-priced over stored simulated volumes; inputs that change the operation are "
        f"simulated at {findings.simulated_points} point(s) of a Morris design on common random "
        "numbers. Every cost sample is priced on one simulated point, and carries the noise of "
        f"one of the comparison's {findings.extra.get('base_replications', '')} replications, so "
        "the figures below hold the uncertainty of the inputs and of the simulation together; "
        "every option sees the same samples and the same random numbers."
    )


def _probability_table(findings: Findings, name: Any) -> pd.DataFrame:
    frame = pd.DataFrame({"Option": [name(o) for o in findings.options]})
    share = tables.percent()
    frame["Cheapest"] = [share(findings.cheapest[o]) for o in findings.options]
    standards = findings.standards
    for (_metric, label), rows in standards.groupby(["metric", "label"], sort=False):
        by_option = dict(zip(rows["option"], rows["probability"], strict=True))
        frame[f"Meets: {label}"] = [share(by_option.get(o, math.nan)) for o in findings.options]
    return frame


def _percentile_table(findings: Findings, name: Any) -> pd.DataFrame:
    table = findings.percentiles
    frame = pd.DataFrame({"Option": [name(o) for o in table["option"]]})
    for q in PERCENTILES:
        frame[f"PV P{q}"] = table[f"pv_p{q}"].map(display.money)
    for q in PERCENTILES:
        frame[f"Difference P{q}"] = [
            display.MISSING if o == findings.baseline else display.money(v)
            for o, v in zip(table["option"], table[f"diff_p{q}"], strict=True)
        ]
    return frame


def _variance_text(findings: Findings, name: Any) -> str:
    shares = findings.variance
    what = f"{name(findings.focus)} minus {name(findings.baseline)}"
    if not math.isfinite(shares.get("cost", math.nan)):
        return f"The difference {what} does not vary across the samples."
    noise = shares["noise"]
    noise_text = (
        f"{noise:.0%} is simulation noise (the spread between replications at the same inputs)"
        if math.isfinite(noise)
        else "simulation noise is not separated (one replication per point)"
    )
    return (
        f"What the sensitivity explains: the difference {what} "
        f"({display.money(findings.stated_difference)} at the stated inputs). Of its variance "
        f"across the samples, {noise_text}, {shares['operational']:.0%} comes from the "
        f"operational inputs and {shares['cost']:.0%} from the cost inputs; the Sobol' indices "
        "below are shares of the whole variance, noise included."
    )


def _sobol_table(findings: Findings) -> pd.DataFrame:
    s = findings.sobol.sort_values("ST", ascending=False)
    return pd.DataFrame(
        {
            "Input": s["label"],
            "First order": [
                f"{a:.2f} ± {b:.2f}" for a, b in zip(s["S1"], s["S1_conf"], strict=True)
            ],
            "Total order": [
                f"{a:.2f} ± {b:.2f}" for a, b in zip(s["ST"], s["ST_conf"], strict=True)
            ],
        }
    ).reset_index(drop=True)


def _morris_table(findings: Findings) -> pd.DataFrame:
    m = findings.morris.sort_values("mu_star", ascending=False)
    return pd.DataFrame(
        {
            "Input": m["label"],
            "Mean effect, low to high end": m["mu"].map(display.money),
            "Mean absolute effect (mu*)": [
                f"{display.money(a)} ± {display.money(b)}"
                for a, b in zip(m["mu_star"], m["mu_star_conf"], strict=True)
            ],
            "Spread of effects (sigma)": m["sigma"].map(display.money),
        }
    ).reset_index(drop=True)


def _switching_table(findings: Findings, name: Any) -> pd.DataFrame:
    s = findings.switching
    by_name = {one.name: one for one in findings.inputs}

    def where(row: Any) -> str:
        if not row.within_range:
            return "no value within its range"
        one = by_name[row.input]
        return f"{_value(row.switches_at, one)}: {name(row.new_first)} becomes cheapest"

    return pd.DataFrame(
        {
            "Input": s["label"],
            "Range": [by_name[i].describe() for i in s["input"]],
            "Switches at": [where(row) for row in s.itertuples(index=False)],
            "How found": s["method"],
        }
    )


def _region_blocks(findings: Findings, name: Any) -> list[Any]:
    out: list[Any] = []
    for region in findings.regions:
        who = name(region.option)
        if region.note:
            out.append(
                display.paragraph(
                    f"Where {who} wins: {who} is {region.note} ({region.share:.0%} of samples)."
                )
            )
            continue
        by_name = {one.name: one for one in findings.inputs}
        conditions = [
            f"{row.label} between {_value(row.low, by_name[row.input])} and "
            f"{_value(row.high, by_name[row.input])}"
            for row in region.limits.itertuples(index=False)
        ]
        within = narrative.list_names(conditions) if conditions else "any inputs"
        out.append(
            display.paragraph(
                f"Where {who} wins (scenario discovery, PRIM): {who} is the cheapest in "
                f"{region.share:.0%} of all samples. It is cheapest in {region.density:.0%} of "
                f"the samples with {within}; "
                f"that box holds {region.coverage:.0%} of the samples where it wins."
            )
        )
    return out


# --------------------------------------------------------------------------- chart


def tornado_chart(findings: Findings, name: Any) -> Any:
    """The decision's difference at each end of the inputs that move it most."""
    rows = findings.tornado.head(TORNADO_ROWS).iloc[::-1]
    stated = findings.stated_difference
    fig, axis = plt.subplots(figsize=(8, 0.45 * len(rows) + 1.4))
    y = np.arange(len(rows))
    low = rows["at_low"].to_numpy() - stated
    high = rows["at_high"].to_numpy() - stated
    at_low, at_high = charts.fill_style(0), charts.fill_style(1)
    axis.barh(y, low, left=stated, label="input at the low end of its range", **at_low)
    axis.barh(y, high, left=stated, label="input at the high end", **at_high)
    axis.axvline(stated, color="black", linewidth=1)
    axis.axvline(0.0, color=charts.REFERENCE_GREY, linewidth=1, linestyle="--")
    axis.set_yticks(y, [str(label)[:48] for label in rows["label"]], fontsize=8)
    charts.money_axis(axis, "x")
    axis.set_xlabel(
        f"Present value: {name(findings.focus)} minus {name(findings.baseline)} "
        "(below zero: cheaper)"
    )
    axis.set_title("What moves the difference most (each input alone)", fontsize=10)
    axis.legend(frameon=False, fontsize=8)
    return fig


def tornado_text(findings: Findings, name: Any) -> charts.ChartText:
    """The tornado in words (the stated difference and the inputs that move it most, with the
    difference at each end) and its numbers (every input charted)."""
    rows = findings.tornado.head(TORNADO_ROWS)
    stated = findings.stated_difference
    money = display.money
    moves = [
        f"{label} ({money(low)} to {money(high)})"
        for label, low, high in rows[["label", "at_low", "at_high"]].head(3).itertuples(index=False)
    ]
    alt = (
        f"Tornado chart of the present value of {name(findings.focus)} minus "
        f"{name(findings.baseline)}, stated at {money(stated)}, with each input alone at the "
        "low and the high end of its range; the inputs that move it most: "
        f"{'; '.join(moves)}."
    )
    data = pd.DataFrame(
        {
            "Input": rows["label"],
            "Difference, input at its low end": rows["at_low"].map(money),
            "Difference, input at its high end": rows["at_high"].map(money),
            "Swing": rows["swing"].map(money),
        }
    )
    return charts.ChartText(alt, data)


# --------------------------------------------------------------------------- helpers


def _namer(labels: Mapping[str, str]) -> Any:
    return lambda option: labels.get(option, option)


def _value(x: float, one: Any = None) -> str:
    """A value of an input as a reader reads it: ``×1.13`` for a factor on stated values."""
    if not math.isfinite(x):
        return display.MISSING
    if one is not None and one.relative:
        return f"×{x:.3g} its stated values"
    if abs(x) >= 1000:
        return f"{x:,.0f}"
    return f"{x:.3g}"
