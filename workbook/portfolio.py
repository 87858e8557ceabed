"""The portfolio summary: every service of a scenario side by side, the total of the preferred
combination against business as usual, and the bundled options.

The summary notebook (``notebooks/summary.ipynb``) runs after the scenario's service reports,
so each service's comparison and uncertainty study come from the result cache; nothing is
simulated twice. The figures are the services' own (:mod:`workbook.decision` chooses each
service's recommendation the same way) and the portfolio's (:mod:`models.portfolio`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

import pandas as pd

from models.portfolio.appraisal import (
    BUSINESS_AS_USUAL,
    PREFERRED,
    Bundle,
    Portfolio,
    ServiceCase,
    appraise_portfolio,
)
from models.registry import SERVICES
from models.scenario import load_scenario
from workbook import decision, display, economic_case, sections, tables, uncertainty
from workbook.context import ReportContext

if TYPE_CHECKING:
    from models.comparison import OptionComparison
    from models.scenario import Scenario
    from models.uncertainty.analysis import Findings


@dataclass(frozen=True)
class ServiceSummary:
    """One service as the summary shows it."""

    ctx: ReportContext
    result: OptionComparison
    findings: Findings | None

    @property
    def name(self) -> str:
        return self.ctx.service.name

    @property
    def decision(self) -> decision.Decision:
        return decision.decide(self.result, self.ctx.labels, self.findings)


@dataclass(frozen=True)
class PortfolioReport:
    """What the summary notebook holds: the scenario, each service, the portfolio."""

    scenario: Scenario
    services: tuple[ServiceSummary, ...]
    portfolio: Portfolio
    quick: bool
    started: datetime

    @classmethod
    def from_parameters(
        cls,
        scenario: str | os.PathLike[str],
        replications: int | None,
        quick: bool,
        jobs: int | None,
        *,
        dask: str | None = None,
    ) -> PortfolioReport:
        """Every service the scenario has a section for, compared (from the cache when its
        report ran first), and the portfolio appraised with the scenario's bundles."""
        started = datetime.now()
        loaded = load_scenario(scenario)
        names = [name for name in SERVICES.names if loaded.section(name) is not None]
        if not names:
            raise ValueError(f"{loaded.source.name} has no service section: nothing to sum")
        services = []
        for name in names:
            ctx = ReportContext.from_parameters(loaded, replications, quick, jobs, name, dask=dask)
            result = ctx.compare()
            findings = uncertainty.study(ctx, result, publish=False)
            services.append(ServiceSummary(ctx, result, findings))
        appraised = loaded.portfolio.appraised(names)
        bundles = [Bundle.from_settings(n, b) for n, b in appraised.items()]
        cases = [ServiceCase(s.name, s.result) for s in services]
        return cls(
            scenario=loaded,
            services=tuple(services),
            portfolio=appraise_portfolio(cases, bundles),
            quick=bool(quick),
            started=started,
        )

    @property
    def period_years(self) -> int:
        return self.services[0].ctx.period_years

    def label(self, option: str) -> str:
        """Words for a portfolio option."""
        if option == BUSINESS_AS_USUAL:
            return "Business as usual (every service as today)"
        if option == PREFERRED:
            return "Preferred combination (each service's own recommendation)"
        for bundle in self.portfolio.bundles:
            if bundle.key == option:
                return f"Bundle: {bundle.label}"
        return option


def publish(report: PortfolioReport) -> None:
    """The summary's figures as plain data, written beside it as ``summary-portfolio.json``:
    each service's business as usual and recommendation with their mean present values, and
    every portfolio option's (:attr:`Portfolio.costs`)."""
    services = {}
    for one in report.services:
        costs = one.result.costs.set_index("option")["pv_mean"]
        services[one.name] = {
            "business_as_usual": one.result.baseline,
            "business_as_usual_pv": float(costs[one.result.baseline]),
            "recommended": one.decision.option,
            "recommended_pv": float(costs[one.decision.option]),
            "replications": int(one.result.costs["n"].iloc[0]),
        }
    options = {
        str(row["option"]): {
            key: float(row[key])
            for key in ("pv_mean", "low", "high", "diff_mean", "diff_low", "diff_high")
        }
        for _, row in report.portfolio.costs.iterrows()
    }
    display.result(
        "portfolio",
        {
            "scenario": report.scenario.name,
            "services": services,
            "options": options,
            "recommended": report.portfolio.preferred,
            "breakeven_discount": {
                key: None if value != value else value
                for key, value in report.portfolio.breakeven.items()
            },
            "replications": report.portfolio.replications,
        },
    )


# ------------------------------------------------------------------------------ first screen


def title(report: PortfolioReport) -> None:
    """The summary's heading (with the quick-run banner when it is one)."""
    block = display.title_block(report.scenario, "Portfolio summary", report.quick)
    display.display_all(block)


def first_screen(report: PortfolioReport) -> None:
    """The recommendation for the portfolio in plain English, with one chart; publishes the
    headline figures for the index."""
    portfolio = report.portfolio
    best = portfolio.preferred
    costs = portfolio.costs.set_index("option")
    row = costs.loc[best]
    members = portfolio.members(best)
    bundled = portfolio.bundle(best).options if portfolio.is_bundle(best) else {}
    chosen = "; ".join(
        f"{_service_name(s.name)}: {s.ctx.labels.get(members[s.name], members[s.name])}"
        + (" (in the bundle)" if s.name in bundled else "")
        for s in report.services
    )
    if best == BUSINESS_AS_USUAL:
        text = "Keep every service as it is delivered today: no combination costs less."
    else:
        text = (
            f"Recommended: {report.label(best)}, costing {display.money(row['pv_mean'])} over "
            f"{report.period_years} years (present value, real {report.scenario.base_year} "
            f"prices, after optimism bias), {display.money(-row['diff_mean'])} less than "
            f"business as usual (95 % interval of the saving "
            f"{display.money(-row['diff_high'])} to {display.money(-row['diff_low'])})."
        )
    facts = [
        ("Each service", chosen + "."),
        ("How sure", _sure(report, best)),
        ("Bundles", _bundle_verdict(report)),
    ]
    items = "\n".join(
        f"<li><strong>{escape(name)}:</strong> {escape(said)}</li>" for name, said in facts if said
    )
    display.headline({"Recommendation": report.label(best), **_how_sure_headline(report, best)})
    display.display_all(
        display.HTMLBlock(
            '<section class="wb-decision" aria-labelledby="wb-decision-title">\n'
            '<h2 id="wb-decision-title">Recommendation</h2>\n'
            f'<p class="wb-recommendation">{escape(text)}</p>\n'
            f'<ul class="wb-decision-facts">\n{items}\n</ul>\n{display.downloads().markup}\n'
            "</section>",
            summary=f"Recommendation: {report.label(best)}",
        )
    )
    frame = decision.difference_frame(report.portfolio.costs, BUSINESS_AS_USUAL, report.label)
    baseline = "business as usual"
    display.figure(
        decision.difference_chart(frame, baseline),
        alt=decision.chart_text(frame, baseline),
        data=decision.frame_for_reader(frame),
    )


def _sure(report: PortfolioReport, best: str) -> str:
    row = report.portfolio.costs.set_index("option").loc[best]
    runs = report.portfolio.replications
    parts = []
    if best != BUSINESS_AS_USUAL:
        parts.append(
            f"cheaper than business as usual in {row['prob_cheaper']:.0%} of the {runs} "
            "simulated replications of every service"
        )
    unsure = [
        f"{_service_name(s.name)} ({s.decision.prob_cheapest:.0%})"
        for s in report.services
        if s.decision.prob_cheapest is not None and s.decision.prob_cheapest < uncertainty.LIKELY
    ]
    if unsure:
        parts.append(
            "under the ranges of the inputs, the least sure recommendations are "
            + ", ".join(unsure)
            + " (share of draws in which the recommended option is cheapest)"
        )
    elif all(s.decision.prob_cheapest is not None for s in report.services):
        parts.append(
            "each service's recommendation is the cheapest in at least two thirds of the draws "
            "of its uncertain inputs"
        )
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "." if text else ""


def _how_sure_headline(report: PortfolioReport, best: str) -> dict[str, str]:
    if best == BUSINESS_AS_USUAL:
        return {}
    row = report.portfolio.costs.set_index("option").loc[best]
    return {
        "How sure": f"cheaper than business as usual in {row['prob_cheaper']:.0%} of "
        f"{report.portfolio.replications} replications",
        "Difference from business as usual": f"{display.money(row['diff_mean'])} "
        f"({display.money(row['diff_low'])} to {display.money(row['diff_high'])})",
    }


def _bundle_verdict(report: PortfolioReport) -> str:
    portfolio = report.portfolio
    if not portfolio.bundles:
        return "The scenario defines no bundle."
    against = portfolio.against_preferred.set_index("option")
    said = []
    for bundle in portfolio.bundles:
        row = against.loc[bundle.key]
        verb = "saves" if row["diff_mean"] < 0 else "costs"
        breakeven = portfolio.breakeven.get(bundle.key, float("nan"))
        tail = (
            f"; it would break even at a discount of {breakeven:.1%}"
            if breakeven == breakeven and row["diff_mean"] > 0
            else ""
        )
        said.append(
            f"{bundle.label} at a {bundle.discount:.0%} discount {verb} "
            f"{display.money(abs(row['diff_mean']))} against the preferred combination{tail}"
        )
    return "; ".join(said) + "."


# ------------------------------------------------------------------------------ the body


def services_table(report: PortfolioReport) -> None:
    """Every service side by side: business as usual, the recommendation and how sure, its
    present value and difference with intervals, standards, largest risk, what would change it."""
    rows = []
    for one in report.services:
        d, labels = one.decision, one.ctx.labels
        rows.append(
            {
                "Service": _service_name(one.name),
                "Business as usual": labels.get(d.baseline, d.baseline),
                "Recommended": d.label,
                "How sure (cheapest in share of draws)": "no ranges"
                if d.prob_cheapest is None
                else f"{d.prob_cheapest:.0%}",
                "Present value of costs": tables.with_interval(
                    d.pv, *_pv_interval(one.result, d.option), display.money
                ),
                "Difference from business as usual": "none (it is business as usual)"
                if d.option == d.baseline
                else tables.with_interval(d.difference, d.low, d.high, display.money),
                "Service standards": decision.standards_text(one.ctx, one.result, d.option),
                "Largest risk": economic_case.largest_risk(one.result, labels, d.option),
                "What would change it": decision.change_text(labels, one.findings),
            }
        )
    caption = (
        f"Each service (a column each): present values over {report.period_years} years, real "
        f"{report.scenario.base_year} prices, after optimism bias, with 95 % intervals"
    )
    side_by_side = pd.DataFrame(rows).set_index("Service").T.reset_index(names="Service")
    display.display_all(display.table(side_by_side, caption), _links(report))


def totals(report: PortfolioReport) -> None:
    """Business as usual, the preferred combination and each bundle, summed over the
    services, with intervals paired by replication."""
    frame = totals_frame(report)
    caption = (
        f"The portfolio: present value of costs over {report.period_years} years, summed over "
        f"{len(report.services)} services, on the {report.portfolio.replications} replications "
        "every service has"
    )
    display.display_all(display.paragraph(_totals_text(report)), display.table(frame, caption))


def totals_frame(report: PortfolioReport) -> pd.DataFrame:
    """The portfolio table a reader sees (the figures of :attr:`Portfolio.costs`)."""
    costs = report.portfolio.costs
    return pd.DataFrame(
        {
            "Option": [report.label(o) for o in costs["option"]],
            "Present value of costs": [
                tables.with_interval(r.pv_mean, r.low, r.high, display.money)
                for r in costs.itertuples(index=False)
            ],
            "Difference from business as usual": [
                "—"
                if r.option == BUSINESS_AS_USUAL
                else tables.with_interval(r.diff_mean, r.diff_low, r.diff_high, display.money)
                for r in costs.itertuples(index=False)
            ],
            "Cheaper than business as usual in": [
                "—" if r.option == BUSINESS_AS_USUAL else f"{r.prob_cheaper:.0%}"
                for r in costs.itertuples(index=False)
            ],
        }
    )


def _totals_text(report: PortfolioReport) -> str:
    per_service = ", ".join(
        f"{_service_name(s.name)} {display.money(s.decision.pv)}" for s in report.services
    )
    return (
        "The preferred combination is each service under its own recommendation "
        f"({per_service}); its total is the sum of those present values, replication by "
        "replication, so its interval and the share of replications in which it is cheaper "
        "than business as usual are paired like any option's. A bundle is one more option: "
        "its services priced under the bundle from the same simulated volumes, and every other "
        "service under its recommendation."
    )


def bundles(report: PortfolioReport) -> None:
    """Each bundle against the preferred combination, with its break-even discount."""
    portfolio = report.portfolio
    left_out = _left_out(report)
    if not portfolio.bundles:
        display.display_all(
            display.paragraph(
                left_out
                or "The scenario defines no bundle (a portfolio.bundles section names the "
                "services one contractor would take, its discount and the shared client "
                "function)."
            )
        )
        return
    if left_out:
        display.display_all(display.paragraph(left_out))
    against = portfolio.against_preferred.set_index("option")
    rows = []
    for bundle in portfolio.bundles:
        row = against.loc[bundle.key]
        breakeven = portfolio.breakeven.get(bundle.key, float("nan"))
        rows.append(
            {
                "Bundle": bundle.label,
                "Services (option)": "; ".join(
                    f"{_service_name(s)} ({_option_label(report, s, o)})"
                    for s, o in bundle.options.items()
                ),
                "Discount on the contractor's charges": f"{bundle.discount:.1%}",
                "Shared client function a year": display.money(bundle.client_function_cost),
                "Difference from the preferred combination": tables.with_interval(
                    row["diff_mean"], row["diff_low"], row["diff_high"], display.money
                ),
                "Cheaper than the preferred combination in": f"{row['prob_cheaper']:.0%}",
                "Break-even discount": _breakeven_text(breakeven),
            }
        )
    caption = "Bundled options against the preferred combination (paired by replication)"
    display.display_all(
        display.paragraph(_bundle_verdict(report)), display.table(pd.DataFrame(rows), caption)
    )


def bundle_inputs(report: PortfolioReport) -> None:
    """The scenario's bundle inputs with the reason for them."""
    rows = [
        {
            "Bundle": bundle.label,
            "Discount": f"{settings.discount:.1%}",
            "Shared client function a year": display.money(settings.client_function.annual_cost),
            "Real growth of the client function": f"{settings.client_function.real_growth:.1%}",
            "Why these figures": settings.reason,
        }
        for bundle in report.portfolio.bundles
        for settings in [report.scenario.portfolio.bundles[bundle.name]]
    ]
    if rows:
        display.display_all(display.table(pd.DataFrame(rows), "The bundle inputs"))


def provenance(report: PortfolioReport) -> None:
    """What produced the summary (the scenario, seed, code) and where each figure came from."""
    first = report.services[0].ctx
    block = sections.provenance_block(first, started=report.started)
    display.display_all(block, display.paragraph(first.cache_note()))


def _left_out(report: PortfolioReport) -> str:
    """The scenario's bundles not appraised because it leaves one of their services out."""
    have = {one.name for one in report.services}
    said = [
        f"{bundle.label} (the scenario has no "
        + " or ".join(s for s in bundle.options if s not in have)
        + " section)"
        for bundle in report.scenario.portfolio.bundles.values()
        if not set(bundle.options) <= have
    ]
    return f"Not appraised: {'; '.join(said)}." if said else ""


def _breakeven_text(breakeven: float) -> str:
    """The break-even discount in words (below zero: cheaper with no discount at all)."""
    if breakeven != breakeven:
        return "—"
    if breakeven <= 0:
        return "none needed: cheaper with no discount"
    return f"{breakeven:.1%}"


def _links(report: PortfolioReport) -> display.HTMLBlock:
    items = "".join(
        f'<li><a href="{escape(s.name)}.html">{escape(_service_name(s.name))}: the option '
        "report</a></li>"
        for s in report.services
    )
    return display.HTMLBlock(f'<ul class="wb-report-links">{items}</ul>')


def _pv_interval(result: OptionComparison, option: str) -> Sequence[float]:
    row = result.costs.set_index("option").loc[option]
    return float(row["low"]), float(row["high"])


def _option_label(report: PortfolioReport, service: str, option: str) -> str:
    for one in report.services:
        if one.name == service:
            return one.ctx.labels.get(option, option)
    return option


def _service_name(name: str) -> str:
    """The service's title (``Vehicle recovery and pounds``)."""
    return SERVICES[name].title if name in SERVICES else name.replace("_", " ").capitalize()
