"""The Green Book parts every option report shares: what the ranking rests on, the economic
case, the optimism-bias derivation, the risk register, the financial case and the should-cost
of each contract.

Each section function displays one part of a report (paragraphs and tables, every piece of
scenario text escaped by :mod:`workbook.display`) from the report's context and its
:class:`~models.comparison.OptionComparison`; the ``*_table`` and ``*_text`` functions build
what is shown, so the wording can be tested without a notebook. Every comparison is against
business as usual, the option the service's section states as today's arrangements.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from models.appraisal import (
    Category,
    DiscountSchedule,
    OptimismBias,
    ShouldCost,
    cash_by_year,
    present_value,
)
from models.comparison import OptionComparison
from workbook import display, narrative, tables
from workbook.charts import CATEGORY_LABELS
from workbook.display import MISSING, money

__all__ = [
    "affordability_table",
    "business_as_usual",
    "cash_table",
    "derivation_table",
    "discount_text",
    "economic_case",
    "economic_case_table",
    "financial_case",
    "largest_risk",
    "optimism_bias",
    "ranking_table",
    "ranking_text",
    "rests_on",
    "risk_register",
    "risk_table",
    "should_cost",
    "should_cost_summary",
    "switch_text",
    "uplift_table",
    "verdict_text",
]

Labels = Mapping[str, str]

PROVIDER_WORDS = {"in_house": "in-house", "force": "the force", "contractor": "a contractor"}
"""A provider as a reader says it."""


# ---------------------------------------------------------------------------------- helpers


def _pounds(value: float) -> str:
    """Money, with the missing-value mark for NaN and for an infinite figure."""
    return money(value) if math.isfinite(value) else MISSING


def _words(name: str) -> str:
    """A scenario key as a reader's words: ``inadequacy_of_the_business_case`` -> spaces."""
    return str(name).replace("_", " ")


def _points(value: float) -> str:
    """Percentage points of an uplift: ``41 %``, ``24.6 %``."""
    return MISSING if not math.isfinite(value) else f"{round(value, 1):g} %"


def _label(labels: Labels, option: str) -> str:
    return labels.get(option, option)


def business_as_usual(labels: Labels, baseline: str) -> str:
    """``business as usual (In-house)``: how tables and sentences name the reference."""
    return f"business as usual ({_label(labels, baseline)})"


def _in_full(ctx: Any, option: str) -> str:
    """The option's label in full, from the section (its short name without one)."""
    spec = getattr(ctx.config, "options", {}).get(option)
    return getattr(spec, "label", None) or _label(ctx.labels, option)


def _then(names: Sequence[str]) -> str:
    """'A, then B, then C'."""
    return ", then ".join(names) if names else "none"


def discount_text(schedule: DiscountSchedule, period_years: int) -> str:
    """The discount rates that apply over the appraisal: ``3.5 % a year`` (or each step)."""
    steps = [step for step in schedule if step[0] <= period_years]
    if len(steps) == 1:
        return f"{steps[0][1] * 100:g} % a year"
    return ", ".join(f"{rate * 100:g} % from year {year}" for year, rate in steps)


# ------------------------------------------------------------------- what the ranking rests on


def switch_text(switch: float, without: Sequence[str], labels: Labels) -> str:
    """The optimism bias at which the first place changes, as a multiple of the derived
    uplifts (``rests_on``'s third figure: below 1 the leader needs the uplift, above 1 a larger
    uplift would unseat it, ``inf`` none would)."""
    if math.isnan(switch):
        return "The level of optimism bias at which the first place would change was not found."
    if math.isinf(switch):
        return (
            "The first place holds at any level of optimism bias, from none to any multiple of "
            "the derived uplifts."
        )
    scale = f"{switch:.2g}" if switch < 10 else f"{switch:,.0f}"
    if switch < 1:
        leader = _label(labels, without[0]) if without else MISSING
        return (
            f"The first place holds unless optimism bias is below {scale} times the derived "
            f"uplift; with less, {leader} would be cheapest."
        )
    return f"The first place holds unless optimism bias is above {scale} times the derived uplift."


def largest_risk(result: OptionComparison, labels: Labels, option: str | None = None) -> str:
    """The largest expected cost the force keeps, which risk and under which option (under
    ``option`` only, when given)."""
    register = result.risk_register()
    if option is not None and not register.empty:
        register = register[register["option"] == option]
        if not register["arises"].any():
            return (
                f"No priced risk of the scenario falls on the force under {_label(labels, option)}."
            )
    if register.empty or not register["arises"].any():
        return (
            "The scenario prices no risks for this service, so optimism bias stands for all "
            "of them."
        )
    years = result.inputs.period_years
    kept = register[register["arises"]].assign(
        over=lambda r: r["retained"] * np.where(r["per_year"], years, 1)
    )
    top = kept.loc[kept["over"].idxmax()]
    a_year = " a year" if top["per_year"] else ", once"
    moved = top["transferred"] / top["expected"] if top["expected"] > 0 else 0.0
    share = (
        f"the contract transfers the other {moved:.0%} of it"
        if moved > 0
        else "the force bears all of it"
    )
    return (
        f"The largest risk the force keeps is {_words(top['risk'])} under "
        f"{_label(labels, top['option'])}: an expected {_pounds(top['retained'])}{a_year} "
        f"({_pounds(top['over'])} over the {years} years, real, undiscounted); {share}."
    )


def ranking_text(ctx: Any, result: OptionComparison) -> str:
    """Business as usual named; the ranking with and without optimism bias; where it switches;
    the largest risk."""
    labels = ctx.labels
    with_bias, without, switch = result.rests_on()
    names = [_label(labels, o) for o in with_bias]
    same = list(without) == list(with_bias)
    order = (
        "the same order without it"
        if same
        else f"without it: {_then([_label(labels, o) for o in without])}"
    )
    parts = [
        f"Every option is compared with business as usual, the arrangements in place "
        f"today as the scenario states them: {_in_full(ctx, result.baseline)}.",
        f"On the economic case at the mean simulated volumes, cheapest first, the ranking "
        f"with optimism bias is {_then(names)}; {order}.",
        switch_text(switch, without, labels),
        should_cost_ranking_text(result, labels),
        largest_risk(result, labels),
    ]
    return " ".join(part for part in parts if part)


def should_cost_ranking_text(result: OptionComparison, labels: Labels) -> str:
    """Whether the first place survives every contract priced at its should-cost."""
    if not result.should_costs():
        return ""
    table = result.at_should_cost()
    stated = table.sort_values("pv")["option"].tolist()
    repriced = table.sort_values("pv_at_should_cost")["option"].tolist()
    if repriced[0] == stated[0]:
        return (
            f"With every contract priced at its should-cost (what the simulated work would cost "
            f"a contractor, below), {_label(labels, stated[0])} stays cheapest."
        )
    return (
        f"With every contract priced at its should-cost (what the simulated work would cost a "
        f"contractor, below), {_label(labels, repriced[0])} would be cheapest instead of "
        f"{_label(labels, stated[0])}: the ranking rests on contract prices that the "
        "should-cost does not support."
    )


def ranking_table(result: OptionComparison, labels: Labels) -> pd.DataFrame:
    """Per option: present value with and without optimism bias and its rank on each."""
    table = result.uplift_by_option()
    with_rank = table["pv"].rank(method="min").astype(int)
    without_rank = table["pv_before_ob"].rank(method="min").astype(int)
    out = pd.DataFrame(
        {
            "Option": [_label(labels, o) for o in table.index],
            "Present value of costs, with optimism bias": table["pv"].map(_pounds).tolist(),
            "Rank": with_rank.tolist(),
            "Without optimism bias": table["pv_before_ob"].map(_pounds).tolist(),
            "Rank without": without_rank.tolist(),
        }
    )
    if result.should_costs():
        repriced = result.at_should_cost().set_index("option").reindex(table.index)
        at_cost = repriced["pv_at_should_cost"]
        out["Contracts at their should-cost"] = at_cost.map(_pounds).tolist()
        out["Rank at should-cost"] = at_cost.rank(method="min").astype(int).tolist()
    return out


def rests_on(ctx: Any, result: OptionComparison) -> None:
    """The summary's "What the ranking rests on": business as usual, the ranking with and
    without optimism bias, the optimism bias at which it switches, whether it survives contract
    prices at their should-cost, and the largest risk."""
    caption = (
        f"What the ranking rests on: present value of costs over {result.inputs.period_years} "
        "years at the mean simulated volumes, with and without optimism bias"
    )
    display.display_all(
        display.paragraph(ranking_text(ctx, result)),
        display.table(ranking_table(result, ctx.labels), caption),
    )


# ----------------------------------------------------------------------------- economic case


def _transfers_left_out(result: OptionComparison) -> dict[str, float]:
    """Present value of the transfers each option's lines carry (left out of the economic
    case), at the mean volumes."""
    years, schedule = result.inputs.period_years, result.inputs.schedule
    out = dict.fromkeys(result.costs["option"], 0.0)
    for line in result.lines:
        if line.transfer and line.option in out:
            out[line.option] += present_value(line.array(years), schedule)
    return out


def _cost_rows(result: OptionComparison, labels: Labels) -> pd.DataFrame:
    """Present value, difference and chance of being cheaper: figures down, options across."""
    base = business_as_usual(labels, result.baseline)
    transfers = _transfers_left_out(result)
    columns: dict[str, list[str]] = {}
    for r in result.costs.itertuples(index=False):
        is_base = r.option == result.baseline
        columns[_label(labels, r.option)] = [
            tables.with_interval(r.pv_mean, r.low, r.high, _pounds),
            "business as usual"
            if is_base
            else tables.with_interval(r.diff_mean, r.diff_low, r.diff_high, _pounds),
            MISSING if is_base or pd.isna(r.prob_cheaper) else f"{r.prob_cheaper:.0%}",
            _pounds(transfers[r.option]),
        ]
    figures = [
        "Present value of costs",
        f"Difference from {base}",
        f"Share of replications cheaper than {base}",
        "Transfers left out (present value at the mean volumes)",
    ]
    return pd.DataFrame({"Figure (mean and 95 % interval)": figures, **columns})


def economic_case_table(
    result: OptionComparison,
    labels: Labels,
    metrics: Sequence[tuple[str, str, tables.Format]] = (),
) -> pd.DataFrame:
    """The economic case's figures with their intervals, then the key service figures
    (``metrics``: ``(metric, label, format)``), unpriced, beside them for every option."""
    costs = _cost_rows(result, labels)
    if not metrics:
        return costs
    service = tables.interval_table(result.performance, metrics, labels)
    service = service.reindex(columns=costs.columns, fill_value=MISSING)
    first = service.columns[0]
    service[first] = "Service, not priced: " + service[first]
    return pd.concat([costs, service], ignore_index=True)


def _economic_text(ctx: Any, result: OptionComparison) -> list[str]:
    inputs = result.inputs
    base = business_as_usual(ctx.labels, result.baseline)
    return [
        f"The economic case counts the resources each option uses over the "
        f"{inputs.period_years}-year appraisal, in real terms at {inputs.base_year} prices, "
        f"discounted at the Green Book rate ({discount_text(inputs.schedule, inputs.period_years)})"
        f" and uplifted for optimism bias as derived below. Volumes come from the simulation, so "
        f"each present value carries a 95 % interval over the replications, and each "
        f"difference from {base} is paired on the same simulated demand.",
        "Transfers between parties are left out: service credits, redundancy payments and "
        "statutory charges move money from one party to another without using resources "
        "(Green Book 2018 paras 6.7-6.9); they count in the financial case below. Staff costs "
        "stay gross of income tax and national insurance, which are not transfers (para 6.10).",
        "Service shortfalls are not priced. The key service figures are set beside the costs in "
        "the table, for every option alike, and every figure is in the service performance "
        "table above: a cheaper option that serves worse is shown as such, not made cheaper.",
    ]


def economic_case(
    ctx: Any,
    result: OptionComparison,
    metrics: Sequence[tuple[str, str, tables.Format]] = (),
) -> None:
    """The economic case: present value of costs per option with its interval, the paired
    difference from business as usual and the chance of being cheaper, the transfers left out,
    and the key service figures (``metrics``) unpriced beside them."""
    caption = (
        f"Economic case: present value of costs over {result.inputs.period_years} years (real "
        f"{result.inputs.base_year} prices, after optimism bias, transfers left out), with the "
        "key service figures beside it"
    )
    paragraphs = [display.paragraph(text) for text in _economic_text(ctx, result)]
    display.display_all(
        *paragraphs, display.table(economic_case_table(result, ctx.labels, metrics), caption)
    )


# ----------------------------------------------------------------------------- optimism bias


def _applies_to(bias: OptimismBias) -> dict[str, str]:
    """Each group's lines in words: their categories and who provides them."""
    out = {}
    for group in bias.groups:
        kinds = [CATEGORY_LABELS.get(c.value, _words(c.value)) for c in Category]
        chosen = [k for c, k in zip(Category, kinds, strict=True) if c in group.categories]
        who = (
            "whoever provides them"
            if not group.providers
            else "provided by the " + narrative.list_names(sorted(map(str, group.providers)))
        )
        out[group.name] = f"{narrative.list_names(chosen).lower()}, {who}"
    return out


def derivation_table(bias: OptimismBias) -> pd.DataFrame:
    """The mitigation calculation, one row per contributory factor of each group of lines."""
    frame = bias.derivation()
    if frame.empty:
        return frame
    applies = _applies_to(bias)
    return pd.DataFrame(
        {
            "Lines": frame["group"].map(_words),
            "Applies to": frame["group"].map(applies),
            "Project type": frame["project_type"].map(_words),
            "Upper bound": frame["upper"].map(_points),
            "Lower bound": frame["lower"].map(_points),
            "Contributory factor": frame["factor"].map(_words),
            "Share of the bound": frame["share"].map(tables.percent()),
            "Mitigation claimed": frame["mitigation"].map(tables.percent()),
            "Reduction": frame["reduction"].map(lambda v: f"{round(v, 1):g} points"),
            "Reason": frame["reason"].fillna(""),
            "Grade": frame["grade"],
            "Uplift": frame["uplift"].map(_points),
        }
    )


def _uplifted_pv(result: OptionComparison) -> pd.Series:
    """Per option: the present value (before uplift) of the lines optimism bias uplifts."""
    bias = result.inputs.optimism_bias
    uplifted = {(line.option, line.name) for line in result.lines if bias.uplift(line) > 0}
    flows = result.appraisal.cash_flows
    chosen = [key in uplifted for key in zip(flows["option"], flows["line"], strict=True)]
    before = (flows["value"] * flows["discount_factor"]).where(chosen, 0.0)
    return before.groupby(flows["option"], sort=False).sum()


def uplift_table(result: OptionComparison, labels: Labels) -> pd.DataFrame:
    """Per option: the costs uplifted, the uplift and its rate on them, and the present value
    before and after optimism bias."""
    table = result.uplift_by_option()
    uplifted = _uplifted_pv(result).reindex(table.index).fillna(0.0)
    rate = [
        u / c if c > 0 else math.nan for u, c in zip(table["optimism_bias"], uplifted, strict=True)
    ]
    return pd.DataFrame(
        {
            "Option": [_label(labels, o) for o in table.index],
            "Costs uplifted (present value)": uplifted.map(_pounds).tolist(),
            "Uplift (present value)": table["optimism_bias"].map(_pounds).tolist(),
            "Uplift on those costs": [tables.percent(1)(r) for r in rate],
            "Present value before optimism bias": table["pv_before_ob"].map(_pounds).tolist(),
            "Present value after optimism bias": table["pv"].map(_pounds).tolist(),
        }
    )


def _optimism_text(bias: OptimismBias) -> list[str]:
    texts = [
        "Every option's costs are uplifted for optimism bias, the appraiser's tendency to "
        "understate costs: an explicit adjustment from the outset, reduced as the appraisal "
        "develops and specific risks are costed (Green Book 2018 paras 5.43-5.46). Each group "
        "of lines starts from the upper bound of its project type (HM Treasury, Supplementary "
        "Green Book guidance: optimism bias, 2003, Table 1) and comes down by the mitigation the "
        "scenario claims for each contributory factor: uplift = upper bound x (1 - the sum of "
        "share x mitigation), never below the lower bound.",
        "Every option is uplifted by who provides a line (the force or a contractor) and its "
        "cost category, never by the option's name, so two options with the same line get the "
        "same uplift. Receipts, transfers, priced risks and figures already stated as an upper "
        "bound are not uplifted.",
    ]
    if any(group.project_type == "outsourcing" for group in bias.groups):
        texts[0] += (
            " For outsourcing, Mott MacDonald (Review of large public procurement in the UK, "
            "2002) attributes the whole bound to the inadequacy of the business case, which "
            "every option shares."
        )
    if bias.replaced_by_risk_register:
        texts.append(
            "The scenario states that the priced risk register has replaced optimism bias as "
            "the case has matured, so every uplift is zero."
        )
    return texts


def optimism_bias(ctx: Any, result: OptionComparison) -> None:
    """The optimism-bias derivation (each group's bound, factors, mitigation and uplift) and
    the uplift it gives each option."""
    bias = result.inputs.optimism_bias
    shown = [display.paragraph(text) for text in _optimism_text(bias)]
    derivation = derivation_table(bias)
    if derivation.empty:
        shown.append(display.paragraph("The scenario states no optimism-bias groups."))
    else:
        caption = "Optimism bias: the mitigation calculation of each group of lines"
        shown.append(display.table(derivation, caption))
    caption = "Optimism bias per option, at the mean simulated volumes"
    shown.append(display.table(uplift_table(result, ctx.labels), caption))
    display.display_all(*shown)


# ----------------------------------------------------------------------------- risk register


def _amounts(rows: pd.DataFrame, column: str) -> list[str]:
    """A register column in pounds, ``a year`` or ``once`` as the risk is."""
    return [
        f"{_pounds(value)} a year" if yearly else f"{_pounds(value)} once"
        for value, yearly in zip(rows[column], rows["per_year"], strict=True)
    ]


def risk_table(register: pd.DataFrame, labels: Labels) -> pd.DataFrame:
    """The register under each option where the risk can arise: likelihood, impact range,
    expected cost, who bears it, what the contract transfers and what the force keeps."""
    rows = register[register["arises"]].reset_index(drop=True) if len(register) else register
    if rows.empty:
        return pd.DataFrame()
    return pd.DataFrame(
        {
            "Risk": rows["risk"].map(_words),
            "Option": rows["option"].map(lambda o: _label(labels, o)),
            "Likelihood": [
                f"{p:.0%} a year" if yearly else f"{p:.0%}, once"
                for p, yearly in zip(rows["likelihood"], rows["per_year"], strict=True)
            ],
            "Impact (low / most likely / high)": [
                " / ".join(_pounds(v) for v in impact)
                for impact in zip(rows["low"], rows["likely"], rows["high"], strict=True)
            ],
            "Expected cost": _amounts(rows, "expected"),
            "Borne by": rows["bearer"],
            "Transferred to the contractor": _amounts(rows, "transferred"),
            "Retained by the force": _amounts(rows, "retained"),
            "Grade": rows["grade"],
        }
    )


def _risks_described(config: Any) -> pd.DataFrame:
    """The section's risks: where each arises and what it is."""
    risks = getattr(config, "risks", None) or {}
    return pd.DataFrame(
        {
            "Risk": [_words(name) for name in risks],
            "Arises in": [
                _words(spec.part) if spec.part else "the whole service" for spec in risks.values()
            ],
            "Arises when provided by": [
                narrative.list_names([PROVIDER_WORDS.get(p, _words(p)) for p in spec.arises_under])
                if spec.arises_under
                else "any provider"
                for spec in risks.values()
            ],
            "Description": [spec.description for spec in risks.values()],
        }
    )


def _risk_totals(register: pd.DataFrame, labels: Labels, options: Sequence[str], years: int) -> str:
    """Per option, the expected cost the force keeps and the contract transfers, over the
    appraisal (real, undiscounted)."""
    rows = register[register["arises"]]
    scale = np.where(rows["per_year"], years, 1)
    order = [o for o in options if o in set(rows["option"])]
    kept = (rows["retained"] * scale).groupby(rows["option"]).sum().reindex(order)
    moved = (rows["transferred"] * scale).groupby(rows["option"]).sum().reindex(order)
    pieces = [
        f"{_label(labels, o)}: the force keeps {_pounds(kept[o])}"
        + (f" and the contracts transfer {_pounds(moved[o])}" if moved[o] > 0 else "")
        for o in kept.index
    ]
    return (
        f"Over the {years} years (real, undiscounted), " + "; ".join(pieces) + "." if pieces else ""
    )


RISK_TEXT = (
    "Each priced risk is costed at its expected value, its likelihood times the mean of its "
    "impact range (low, most likely, high), and the force's share is a cost line of the option "
    "(Green Book 2018 para 2.16: risk costs on an expected likelihood basis). Where a "
    "contractor provides the part a risk arises in, the contract transfers its stated share of "
    "the impact, so what a contract transfers reduces the force's expected cost, whatever the "
    "option is called; the contractor prices that share into its bid (the risk premium of the "
    "should-cost). A risk that cannot arise under an option has no row for it."
)


def risk_register(ctx: Any, result: OptionComparison) -> None:
    """The risk register under each option: likelihood, impact range, expected cost, bearer,
    what is transferred and what the force retains."""
    register = result.risk_register()
    table = risk_table(register, ctx.labels)
    if table.empty:
        display.display_all(display.paragraph(largest_risk(result, ctx.labels)))
        return
    described = _risks_described(result.config)
    shown = [
        display.paragraph(RISK_TEXT),
        display.paragraph(
            _risk_totals(register, ctx.labels, result.appraisal.options, result.inputs.period_years)
        ),
    ]
    if not described.empty:
        shown.append(display.table(described, "The priced risks"))
    caption = "Risk register: each risk under each option (base-year prices)"
    display.display_all(*shown, display.table(table, caption))


# ----------------------------------------------------------------------------- financial case


def _years(columns: Sequence[int], base_year: int) -> list[str]:
    return [str(base_year + int(year)) for year in columns]


def _by_year(
    numbers: pd.DataFrame, labels: Labels, base_year: int, extra: Mapping[str, pd.Series]
) -> pd.DataFrame:
    """Options x years of pounds as years down and options across, then the ``extra`` rows."""
    years = [c for c in numbers.columns if not isinstance(c, str)]
    frame = numbers[years].T
    frame.index = _years(years, base_year)
    for name, values in extra.items():
        frame.loc[name] = values.reindex(numbers.index)
    shown = frame.apply(lambda column: column.map(_pounds))
    shown.columns = [_label(labels, str(o)) for o in numbers.index]
    return shown.rename_axis("Year").reset_index()


def cash_table(result: OptionComparison, labels: Labels) -> pd.DataFrame:
    """Nominal cash by year (rows) per option (columns), the total, and the optimism-bias
    contingency carried beside it."""
    case = result.financial_case()
    cash = cash_by_year(case)
    extra = {
        "Total": cash.sum(axis=1),
        "Contingency for optimism bias, total": case.groupby("option")["contingency"].sum(),
    }
    return _by_year(cash, labels, result.inputs.base_year, extra)


def affordability_table(result: OptionComparison, labels: Labels) -> pd.DataFrame:
    """Extra nominal cash a year against business as usual (rows: years, then the total and
    the largest in any year), per option other than business as usual."""
    extra = result.affordability().drop(index=result.baseline, errors="ignore")
    rows = {"Total": extra["total"], "Largest in any year": extra["peak"]}
    return _by_year(extra, labels, result.inputs.base_year, rows)


def _affordability_text(result: OptionComparison, labels: Labels) -> str:
    extra = result.affordability().drop(index=result.baseline, errors="ignore")
    base = business_as_usual(labels, result.baseline)
    years = [c for c in extra.columns if c not in ("total", "peak")]
    pieces = []
    for option, row in extra.iterrows():
        total = row["total"]
        more = "more" if total > 0 else "less"
        text = f"{_label(labels, str(option))} needs {_pounds(abs(total))} {more} cash than {base}"
        if row["peak"] > 0:
            year = result.inputs.base_year + int(row[years].astype(float).idxmax())
            text += f", at most {_pounds(row['peak'])} more in one year ({year})"
        else:
            text += ", and no more in any year"
        pieces.append(text)
    period = result.inputs.period_years
    return f"Affordability over the {period} years: " + "; ".join(pieces) + "." if pieces else ""


def _vat_text(result: OptionComparison) -> str:
    settings = result.inputs.financial
    if settings.vat_recovered:
        return (
            "VAT: the force recovers the VAT on contracted services (VAT Act 1994 s33), so "
            "contract charges are shown net of VAT."
        )
    return (
        f"VAT: the scenario states that the force does not recover VAT on contracted services, "
        f"so VAT at {settings.vat_rate:.0%} is added to every contractor's charge (Green Book "
        '2003 ch. 5, "Adjusting for differences in tax between options").'
    )


def _financial_text(result: OptionComparison) -> str:
    inputs = result.inputs
    return (
        "The financial case shows what each option costs the force in cash, year by year, for "
        "affordability. Unlike the economic case it counts the transfers (service credits, "
        "redundancy payments, statutory charges) and leaves out the residual value of assets, "
        "an economic valuation rather than cash. Real costs are turned into cash at the stated "
        f"general inflation of {inputs.financial.inflation * 100:g} % a year from "
        f'{inputs.base_year} prices (Green Book 2003 ch. 5, "Adjustments to values of costs '
        f'and benefits"). {_vat_text(result)} Optimism bias is carried as a contingency beside '
        "the cash, not in it. Figures are at the mean simulated volumes."
    )


def financial_case(ctx: Any, result: OptionComparison) -> None:
    """Nominal cash by year per option with the inflation and VAT assumptions, and
    affordability against business as usual (extra cash a year, total and peak)."""
    base = business_as_usual(ctx.labels, result.baseline)
    shown = [
        display.paragraph(_financial_text(result)),
        display.table(cash_table(result, ctx.labels), "Financial case: nominal cash by year"),
    ]
    affordable = affordability_table(result, ctx.labels)
    if len(affordable.columns) > 1:
        shown += [
            display.paragraph(_affordability_text(result, ctx.labels)),
            display.table(affordable, f"Affordability: extra nominal cash a year against {base}"),
        ]
    display.display_all(*shown)


# ----------------------------------------------------------------------------- should-cost


VERDICTS = {
    "cheap": "below what it would cost a contractor to run: a risk of failure, or of claims "
    "and price rises later",
    "rich": "above what it would cost a contractor to run: room to negotiate, or a premium for "
    "risks the model does not price",
    "plausible": "close to what it would cost a contractor to run",
    "not assessed": "not judged, since the should-cost is zero",
}


def verdict_text(cost: ShouldCost, labels: Labels, tolerance: float) -> str:
    """The sentence under a contract's build-up: the assumed price as a multiple of the
    should-cost, and the verdict with what it means."""
    verdict = cost.verdict(tolerance)
    name = _words(cost.contract)
    ratio = MISSING if not math.isfinite(cost.ratio) else f"{cost.ratio:.2f}"
    return (
        f"{name[:1].upper()}{name[1:]} under {_label(labels, cost.option)}: the price the "
        f"scenario assumes, {_pounds(cost.price)} a year, is {ratio} times the should-cost of "
        f"{_pounds(cost.total)}; verdict: {verdict}, {VERDICTS.get(verdict, '')}."
    )


def should_cost_summary(
    costs: Sequence[ShouldCost], labels: Labels, tolerance: float
) -> pd.DataFrame:
    """One row per contract: its option, should-cost, the assumed price, their ratio and the
    verdict."""
    return pd.DataFrame(
        {
            "Option": [_label(labels, c.option) for c in costs],
            "Contract": [_words(c.contract) for c in costs],
            "Should-cost a year": [_pounds(c.total) for c in costs],
            "Assumed price a year": [_pounds(c.price) for c in costs],
            "Price / should-cost": [
                f"{c.ratio:.2f}" if math.isfinite(c.ratio) else MISSING for c in costs
            ],
            "Verdict": [c.verdict(tolerance) for c in costs],
        }
    )


def _build_up(cost: ShouldCost) -> pd.DataFrame:
    table = cost.table()
    return pd.DataFrame(
        {
            "Item": table["item"],
            "A year": table["per_year"].map(_pounds),
            "How it is built": table["basis"].fillna(""),
        }
    )


def _should_cost_text(result: OptionComparison) -> str:
    s = result.inputs.should_cost
    return (
        "The Cabinet Office Sourcing Playbook asks for a should-cost model on complex "
        "outsourcing: what the service would cost a contractor to run, so that a bid can be "
        "judged. Each contract's should-cost is built bottom-up from the same simulated "
        "workload (labour hours by grade on the terms transferred, vehicles and equipment at an "
        f"annual capital charge at {s.capital_rate:.0%}, premises and running costs), with the "
        f"contractor's overhead ({s.overhead:.0%} of direct cost), the premium for the risks "
        f"the contract transfers, mobilisation spread over its length and a margin of "
        f"{s.margin:.0%}. A price more than {s.tolerance:.0%} below the should-cost is cheap, "
        f"more than {s.tolerance:.0%} above it rich, otherwise plausible."
    )


def should_cost(ctx: Any, result: OptionComparison) -> None:
    """Each contract's should-cost build-up beside the price the scenario assumes, the ratio
    and the verdict (cheap, plausible, rich)."""
    costs = result.should_costs()
    if not costs:
        service = result.service
        modelled = service is not None and getattr(service, "should_cost", None) is not None
        text = (
            "No option contracts a part of this service out, so there is no contract to test."
            if modelled
            else "The service model builds no should-cost of its contracts yet."
        )
        display.display_all(display.paragraph(text))
        return
    tolerance = result.inputs.should_cost.tolerance
    shown = [
        display.paragraph(_should_cost_text(result)),
        display.table(
            should_cost_summary(costs, ctx.labels, tolerance),
            "Should-cost against the assumed price, each contract (base-year prices)",
        ),
    ]
    for cost in costs:
        option = _label(ctx.labels, cost.option)
        caption = f"Should-cost of the {_words(cost.contract)} under {option}"
        shown += [
            display.table(_build_up(cost), caption),
            display.paragraph(verdict_text(cost, ctx.labels, tolerance)),
        ]
    display.display_all(*shown)
