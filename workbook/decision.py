"""The first screen of an option report: the recommendation, how sure it is, what would change
it, in plain English with one chart.

A decision-maker reads this and may read nothing else, so every sentence is written from the
computed figures: the option with the lowest mean present value of costs (after optimism bias,
Green Book 2018 paras 5.61-5.64, and without transfers, para 6.7) is recommended; how sure is
said twice, once for the simulation noise (paired replications) and once for the uncertainty of
the inputs (the share of draws in which it is cheapest, :mod:`models.uncertainty`); what would
change it names the inputs whose switching value lies inside their range (para 5.76). The same
figures go to the index page as headline figures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

import pandas as pd

from workbook import display, economic_case, narrative, tables, uncertainty

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from models.comparison import OptionComparison
    from models.uncertainty.analysis import Findings
    from workbook.context import ReportContext


@dataclass(frozen=True)
class Decision:
    """The recommendation and the figures behind it (plain data for the page and the index)."""

    option: str
    label: str
    baseline: str
    pv: float
    difference: float
    """Recommended minus business as usual (negative: cheaper), mean over replications."""
    low: float
    high: float
    prob_cheaper: float
    """Share of replications in which it costs less than business as usual (NaN if it is)."""
    prob_cheapest: float | None
    """Share of the input draws in which it is the cheapest (None without ranges)."""
    draws: int


def decide(
    result: OptionComparison, labels: Mapping[str, str], findings: Findings | None
) -> Decision:
    """The option with the lowest mean present value of costs, with its intervals."""
    costs = result.costs.set_index("option")
    best = result.preferred
    row = costs.loc[best]
    return Decision(
        option=best,
        label=labels.get(best, best),
        baseline=result.baseline,
        pv=float(row["pv_mean"]),
        difference=float(row["diff_mean"]),
        low=float(row["diff_low"]),
        high=float(row["diff_high"]),
        prob_cheaper=float(row["prob_cheaper"]),
        prob_cheapest=None if findings is None else float(findings.cheapest.get(best, 0.0)),
        draws=0 if findings is None else findings.samples,
    )


def first_screen(ctx: ReportContext, result: OptionComparison, findings: Findings | None) -> None:
    """Show the decision section and publish its figures for the index."""
    decision = decide(result, ctx.labels, findings)
    display.headline(headline_figures(decision))
    facts = [
        ("Cost", cost_text(ctx, result, decision)),
        ("How sure", sure_text(result, decision)),
        ("What would change it", change_text(ctx.labels, findings)),
        ("Service standards", standards_text(ctx, result, decision.option)),
        ("Largest risk", economic_case.largest_risk(result, ctx.labels, decision.option)),
    ]
    items = "\n".join(
        f"<li><strong>{escape(name)}:</strong> {escape(text)}</li>" for name, text in facts if text
    )
    markup = (
        '<section class="wb-decision" aria-labelledby="wb-decision-title">\n'
        '<h2 id="wb-decision-title">Recommendation</h2>\n'
        f'<p class="wb-recommendation">{escape(recommendation_text(ctx, decision))}</p>\n'
        f'<ul class="wb-decision-facts">\n{items}\n</ul>\n{display.downloads().markup}\n'
        "</section>"
    )
    display.display_all(display.HTMLBlock(markup, summary=f"Recommendation: {decision.label}"))
    frame = difference_frame(result.costs, result.baseline, lambda o: ctx.labels.get(o, o))
    if len(frame):
        display.figure(
            difference_chart(frame, ctx.labels.get(result.baseline, result.baseline)),
            alt=chart_text(frame, ctx.labels.get(result.baseline, result.baseline)),
            data=frame_for_reader(frame),
        )


# ------------------------------------------------------------------------------------ words


def recommendation_text(ctx: ReportContext, decision: Decision) -> str:
    """One sentence: what to do."""
    if decision.option == decision.baseline:
        return (
            f"Keep business as usual: {decision.label}. No option costs less over the "
            f"{ctx.period_years} years of the appraisal."
        )
    return (
        f"Recommended: {decision.label}, the option with the lowest whole-life cost over the "
        f"{ctx.period_years} years of the appraisal, in place of business as usual "
        f"({ctx.labels.get(decision.baseline, decision.baseline)})."
    )


def cost_text(ctx: ReportContext, result: OptionComparison, decision: Decision) -> str:
    """Its present value and its difference from business as usual with the 95 % interval."""
    basis = (
        f"present value over {ctx.period_years} years, real {ctx.scenario.base_year} prices, "
        "after optimism bias"
    )
    if decision.option == decision.baseline:
        others = result.costs[result.costs["option"] != decision.baseline]
        if others.empty:
            return f"{display.money(decision.pv)} ({basis})."
        nearest = others.loc[others["diff_mean"].idxmin()]
        return (
            f"{display.money(decision.pv)} ({basis}); the next cheapest, "
            f"{ctx.labels.get(nearest['option'], nearest['option'])}, costs "
            f"{display.money(nearest['diff_mean'])} more "
            f"(95 % interval {_interval(nearest['diff_low'], nearest['diff_high'])})."
        )
    return (
        f"{display.money(decision.pv)} ({basis}), {display.money(-decision.difference)} less "
        f"than business as usual (95 % interval of the saving "
        f"{_interval(-decision.high, -decision.low)})."
    )


def sure_text(result: OptionComparison, decision: Decision) -> str:
    """How sure: against simulation noise, and under the ranges of the inputs."""
    runs = int(result.costs["n"].iloc[0])
    parts = []
    if decision.option != decision.baseline:
        parts.append(
            f"cheaper than business as usual in {decision.prob_cheaper:.0%} of the {runs} "
            "simulated replications"
        )
    if decision.prob_cheapest is None:
        parts.append(
            "the scenario gives its inputs no ranges, so how sure under their uncertainty is "
            "not known"
        )
    else:
        parts.append(
            f"the cheapest option in {decision.prob_cheapest:.0%} of {decision.draws:,} draws of "
            f"the uncertain inputs ({sureness(decision.prob_cheapest)})"
        )
    text = "; ".join(parts)
    return text[0].upper() + text[1:] + "."


def sureness(probability: float) -> str:
    """Words for a probability of being cheapest (the uncertainty section's thresholds)."""
    if probability >= uncertainty.ROBUST:
        return "a robust ranking"
    if probability >= uncertainty.LIKELY:
        return "likely but not certain"
    if probability >= 0.5:
        return "more likely than not, but uncertain"
    return "uncertain: another option is cheapest in most draws"


def change_text(labels: Mapping[str, str], findings: Findings | None) -> str:
    """The inputs that would change the answer (:func:`workbook.uncertainty.change_text`)."""
    return "" if findings is None else uncertainty.change_text(labels, findings)


def standards_text(ctx: ReportContext, result: OptionComparison, option: str) -> str:
    """Which service standards the recommended option meets at year-1 demand (mean)."""
    service = result.service
    if service is None:
        return ""
    met, missed = [], []
    for metric in service.key_metrics:
        value = tables.mean(result.performance, metric.name, option)
        verdict = metric.meets(ctx.config, value) if value == value else None
        if verdict is True:
            met.append(metric.label.lower())
        elif verdict is False:
            missed.append(metric.label.lower())
    if not met and not missed:
        return ""
    parts = []
    if met:
        parts.append(f"meets the standard for {narrative.list_names(met)}")
    if missed:
        parts.append(f"misses the standard for {narrative.list_names(missed)}")
    return "On the simulated mean, it " + " and ".join(parts) + "."


def headline_figures(decision: Decision) -> dict[str, str]:
    """The figures the index shows for the report."""
    figures = {"Recommendation": decision.label}
    if decision.prob_cheapest is not None:
        figures["How sure"] = (
            f"cheapest in {decision.prob_cheapest:.0%} of {decision.draws:,} draws"
        )
    if decision.option != decision.baseline:
        figures["Difference from business as usual"] = (
            f"{display.money(decision.difference)} ({_interval(decision.low, decision.high)})"
        )
    return figures


def _interval(low: float, high: float) -> str:
    return f"{display.money(low)} to {display.money(high)}"


# ------------------------------------------------------------------------------------ chart


def difference_frame(
    costs: pd.DataFrame, baseline: str, label: Callable[[str], str]
) -> pd.DataFrame:
    """Every option of ``costs`` (:func:`models.appraisal.compare`'s table) other than
    ``baseline``: its difference from it with the interval, named by ``label``."""
    others = costs[costs["option"] != baseline]
    return pd.DataFrame(
        {
            "option": others["option"].to_list(),
            "label": [label(o) for o in others["option"]],
            "difference": others["diff_mean"].to_list(),
            "low": others["diff_low"].to_list(),
            "high": others["diff_high"].to_list(),
            "prob_cheaper": others["prob_cheaper"].to_list(),
        }
    )


def frame_for_reader(frame: pd.DataFrame) -> pd.DataFrame:
    """The chart's numbers as a reader's table."""
    return pd.DataFrame(
        {
            "Option": frame["label"],
            "Difference from business as usual": frame["difference"].map(display.money),
            "95 % interval, low": frame["low"].map(display.money),
            "95 % interval, high": frame["high"].map(display.money),
            "Cheaper in (replications)": frame["prob_cheaper"].map(tables.percent(0)),
        }
    )


def chart_text(frame: pd.DataFrame, baseline_label: str) -> str:
    """What the chart shows, in words (its text alternative)."""
    said = [
        f"{row.label} {display.money(row.difference)} ({_interval(row.low, row.high)})"
        for row in frame.itertuples(index=False)
    ]
    return (
        "Bar chart of each option's difference in present value of costs from business as "
        f"usual ({baseline_label}), with 95 % intervals; below zero costs less: "
        + "; ".join(said)
        + "."
    )


def difference_chart(frame: pd.DataFrame, baseline_label: str) -> Figure:
    """Horizontal bars of the difference from business as usual, with 95 % intervals; each bar
    is labelled with its figure, so neither colour nor position alone carries it."""
    import matplotlib.pyplot as plt

    fig, axis = plt.subplots(figsize=(8, 0.7 * len(frame) + 1.3))
    positions = list(range(len(frame)))[::-1]
    millions = frame["difference"] / 1e6
    errors = [
        (frame["difference"] - frame["low"]) / 1e6,
        (frame["high"] - frame["difference"]) / 1e6,
    ]
    colours = ["#0072B2" if d < 0 else "#D55E00" for d in frame["difference"]]
    axis.barh(positions, millions, xerr=errors, color=colours, capsize=4, height=0.55)
    axis.axvline(0, color="#1a1a1a", linewidth=1)
    axis.set_yticks(positions, _wrapped(frame["label"]))
    axis.set_xlabel(f"Difference from business as usual ({baseline_label}), £m")
    for y, value, text in zip(positions, millions, frame["difference"], strict=True):
        axis.annotate(
            display.money(text),
            (value, y),
            xytext=(0, 12),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    axis.grid(axis="x", color="#dddddd")
    axis.set_axisbelow(True)
    fig.tight_layout()
    return fig


def _wrapped(labels: Sequence[Any], width: int = 34) -> list[str]:
    import textwrap

    return ["\n".join(textwrap.wrap(str(label), width)) for label in labels]
