"""The tables a report exports for commercial and finance teams, as tidy records.

A service notebook already holds its report context, its :class:`~models.comparison.
OptionComparison` and (when the scenario gives ranges) the uncertainty study's
:class:`~models.uncertainty.analysis.Findings`; :func:`tables` turns them into plain JSON
records, one list a table, with the same figures the report shows: the book of assumptions,
the economic cash flows (real, after optimism bias, transfers left out, discounted and not),
the financial case (nominal cash, transfers and VAT in) and affordability, the present values
with their 95 % intervals and the ranges of outcomes, the risk register, the should-cost of
every contract and the sensitivity. :func:`publish` sends them, with what produced them, to
the runner (:func:`workbook.display.result`), which writes ``<notebook>-tables.json`` beside
the report; :mod:`workbook.spreadsheet` stacks every service's file into the scenario's
``workbook.xlsx`` and tidy CSV.

:data:`TABLES` says, for every table, its sheet, what it holds, where its figures come from
and the unit of every column (so the spreadsheet can format money as pounds and shares as
percentages); records carry exactly those columns, in that order. Options appear by their key
(``option``) and their report label (``option_label``). A missing figure (NaN) is ``None``:
JSON has no NaN, and the runner writes with ``allow_nan=False``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from models.assumptions import (
    estimates_without_range,
    range_of,
    ranged_paths,
)
from models.comparison import SWITCHING_CATEGORIES, OptionComparison
from models.scenario import scenario_sha256
from models.uncertainty.analysis import PERCENTILES, Findings
from models.uncertainty.ranges import UncertainInput, resolve
from workbook import display, sections
from workbook.provenance import PROJECT_ROOT, git_commit

if TYPE_CHECKING:
    from workbook.context import ReportContext

__all__ = [
    "FORMAT",
    "RESULT_NAME",
    "TABLES",
    "TABLE_NAMES",
    "Table",
    "Unit",
    "affordability",
    "assumptions",
    "at_should_cost",
    "economic_cash_flows",
    "financial_cash_flows",
    "present_values",
    "provenance",
    "publish",
    "risk_register",
    "sensitivity",
    "should_cost",
    "should_cost_build_up",
    "tables",
    "uncertainty_tables",
]

FORMAT = "workbook-tables/1"
"""The payload's format: :mod:`workbook.spreadsheet` reads only this one."""
RESULT_NAME = "tables"
"""The result's name: the runner writes it to ``<notebook>-tables.json``."""

Unit = Literal["text", "money", "share", "factor", "number", "integer", "year", "flag"]
"""How a column is read: ``money`` pounds, ``share`` a fraction shown as a percentage,
``factor`` a multiple, ``integer`` a count, ``year`` a year (of the appraisal or calendar),
``flag`` true or false, ``number`` any other number, ``text`` words."""

Record = dict[str, Any]
Labeller = Callable[[str], str]


@dataclass(frozen=True)
class Table:
    """One exported table: its name (the JSON key and CSV file), its sheet in the workbook,
    what it holds, where its figures come from, and each column's unit, in order."""

    name: str
    sheet: str
    holds: str
    source: str
    columns: Mapping[str, Unit]


OPTION: dict[str, Unit] = {"option": "text", "option_label": "text"}
PERCENTILE_COLUMNS: dict[str, Unit] = {
    **{f"pv_p{q}": "money" for q in PERCENTILES},
    **{f"diff_p{q}": "money" for q in PERCENTILES},
}

TABLES: tuple[Table, ...] = (
    Table(
        "assumptions",
        "Assumptions",
        "Every input of the appraisal and of the service's section: its value, unit, grade "
        "(S published, D derived, E estimate), source and, where the scenario gives one, its "
        "range (low, most likely, high; factors on the value when relative), distribution and "
        "reason; range_status says whether an estimate has a range, is held at its value on "
        "purpose, or has none yet.",
        "The scenario files' graded comments and data/sources.yaml (models.assumptions."
        "register), the scenario's uncertainty.ranges (models.uncertainty.ranges.resolve).",
        {
            "input": "text",
            "value": "number",
            "unit": "text",
            "grade": "text",
            "meaning": "text",
            "source": "text",
            "range": "text",
            "range_low": "number",
            "range_mode": "number",
            "range_high": "number",
            "range_relative": "flag",
            "distribution": "text",
            "range_reason": "text",
            "range_status": "text",
        },
    ),
    Table(
        "economic_cash_flows",
        "Economic cash flows",
        "The economic case's cash flows: every option, cost line and appraisal year, in real "
        "terms at base-year prices (£): the cost before optimism bias, the uplift, the cost "
        "after it (undiscounted), the discount factor and the discounted cost. Transfers are "
        "left out (Green Book 2018 paras 6.7-6.9). An option's discounted total is its present "
        "value of costs at the mean simulated volumes.",
        "models.appraisal.appraise on the cost lines at the mean simulated volumes "
        "(OptionComparison.appraisal.cash_flows).",
        {
            **OPTION,
            "line": "text",
            "category": "text",
            "provider": "text",
            "year": "year",
            "calendar_year": "year",
            "before_optimism_bias": "money",
            "optimism_bias": "money",
            "undiscounted": "money",
            "discount_factor": "factor",
            "discounted": "money",
        },
    ),
    Table(
        "financial_cash_flows",
        "Financial cash flows",
        "The financial case: the force's cash by option, cost line and year. real is at "
        "base-year prices before VAT, vat the irrecoverable VAT (real), cash the nominal cash "
        "(inflated, VAT included) and contingency the line's optimism bias carried beside the "
        "cash (nominal). Transfers are included and flagged; residual values are left out.",
        "models.appraisal.financial_case at the mean simulated volumes "
        "(OptionComparison.financial_case()).",
        {
            **OPTION,
            "line": "text",
            "category": "text",
            "provider": "text",
            "transfer": "flag",
            "year": "year",
            "calendar_year": "year",
            "real": "money",
            "vat": "money",
            "cash": "money",
            "contingency": "money",
        },
    ),
    Table(
        "affordability",
        "Affordability",
        "Each option's nominal cash a year against business as usual's: positive, the option "
        "needs more cash than today's budget (£, nominal).",
        "models.appraisal.affordability (OptionComparison.affordability()).",
        {**OPTION, "year": "year", "calendar_year": "year", "extra_cash": "money"},
    ),
    Table(
        "present_values",
        "Present values",
        "Per option, real terms at base-year prices (£): the mean present value of costs over "
        "the replications with its 95 % interval, the paired difference from business as usual "
        "with its 95 % interval, and the share of replications cheaper than it; the present "
        "value at the mean simulated volumes (the economic cash flows' discounted total) before "
        "and after optimism bias; with an uncertainty study, the chance of being cheapest and "
        "the percentiles of the present value and of the difference (empty without one).",
        "OptionComparison.costs (models.appraisal.compare) and .appraisal.present_values(); "
        "the uncertainty study's findings (models.uncertainty.analysis).",
        {
            **OPTION,
            "business_as_usual": "flag",
            "replications": "integer",
            "pv_mean": "money",
            "pv_low": "money",
            "pv_high": "money",
            "diff_mean": "money",
            "diff_low": "money",
            "diff_high": "money",
            "prob_cheaper": "share",
            "pv_at_mean_volumes": "money",
            "pv_before_optimism_bias": "money",
            "optimism_bias": "money",
            "prob_cheapest": "share",
            **PERCENTILE_COLUMNS,
        },
    ),
    Table(
        "risk_register",
        "Risk register",
        "Every priced risk under every option: whether it can arise, who bears it, its "
        "likelihood (a year or once), impact range and expected cost, what the contract "
        "transfers and what the force retains (£, base-year prices; a year when per_year).",
        "models.appraisal.risk_register (OptionComparison.risk_register()).",
        {
            "risk": "text",
            **OPTION,
            "arises": "flag",
            "bearer": "text",
            "likelihood": "share",
            "per_year": "flag",
            "impact_low": "money",
            "impact_likely": "money",
            "impact_high": "money",
            "expected": "money",
            "transferred": "money",
            "retained": "money",
            "grade": "text",
        },
    ),
    Table(
        "should_cost",
        "Should-cost",
        "Every contract of every option: what the simulated work would cost a contractor a "
        "year (direct cost, overhead, risk premium, mobilisation, margin, less income kept) "
        "beside the price the scenario assumes, their ratio and the verdict (£ a year, "
        "base-year prices).",
        "The service's should-cost model at the mean simulated volumes "
        "(OptionComparison.should_costs(); Cabinet Office Sourcing Playbook).",
        {
            **OPTION,
            "contract": "text",
            "direct": "money",
            "overhead": "money",
            "risk_premium": "money",
            "mobilisation": "money",
            "margin": "money",
            "income_kept": "money",
            "should_cost": "money",
            "price": "money",
            "price_to_should_cost": "factor",
            "verdict": "text",
        },
    ),
    Table(
        "should_cost_build_up",
        "Should-cost build-up",
        "Each contract's should-cost element by element, then the mark-ups, the total and the "
        "assumed price (£ a year, base-year prices), with how each is built.",
        "ShouldCost.table() of every contract (models.appraisal.should_cost).",
        {**OPTION, "contract": "text", "item": "text", "per_year": "money", "basis": "text"},
    ),
    Table(
        "at_should_cost",
        "At should-cost",
        "Per option, at the mean simulated volumes: the present value as appraised and with "
        "every contract priced at its should-cost, and each one's difference from business as "
        "usual (£, real, base-year prices).",
        "OptionComparison.at_should_cost().",
        {
            **OPTION,
            "pv": "money",
            "difference": "money",
            "pv_at_should_cost": "money",
            "difference_at_should_cost": "money",
        },
    ),
    Table(
        "sensitivity",
        "Sensitivity",
        "Per option other than business as usual, at the mean simulated volumes: the "
        "difference from business as usual with and without optimism bias (£), and the "
        "switching value of each main cost category: the factor on its lines at which the "
        "option would cost the same as business as usual (negative: no factor would; empty: "
        "not found).",
        "OptionComparison.sensitivity() (models.appraisal.switching_value; Green Book 2018 "
        "para 5.80).",
        {
            **OPTION,
            "difference": "money",
            "difference_without_optimism_bias": "money",
            **{f"switching_{category}": "factor" for category in SWITCHING_CATEGORIES},
        },
    ),
    Table(
        "tornado",
        "Tornado",
        "Every uncertain input at each end of its range, the others as stated: the decision's "
        "difference (difference_of, £ present value) at the low and the high end, and the "
        "swing between them (empty without an uncertainty study).",
        "The uncertainty study's findings (Findings.tornado).",
        {
            "input": "text",
            "label": "text",
            "layer": "text",
            "low": "number",
            "high": "number",
            "difference_of": "text",
            "at_low": "money",
            "at_high": "money",
            "swing": "money",
            "method": "text",
        },
    ),
    Table(
        "switching_values",
        "Switching values",
        "For every input that matters, the value at which the cheapest option changes, the "
        "others as stated, and which option is cheapest beyond it (empty without an "
        "uncertainty study).",
        "The uncertainty study's findings (Findings.switching; Green Book 2018 para 5.80).",
        {
            "input": "text",
            "label": "text",
            "stated": "number",
            "switches_at": "number",
            "new_first": "text",
            "new_first_label": "text",
            "within_range": "flag",
            "swing": "money",
            "method": "text",
        },
    ),
    Table(
        "sobol",
        "Sobol indices",
        "Global sensitivity of the decision's difference to the cost inputs: first-order and "
        "total-order Sobol' indices (shares of its variance) with their 95 % intervals "
        "(empty without an uncertainty study).",
        "The uncertainty study's findings (Findings.sobol; SALib analyze.sobol).",
        {
            "input": "text",
            "label": "text",
            "S1": "share",
            "S1_conf": "share",
            "ST": "share",
            "ST_conf": "share",
        },
    ),
    Table(
        "morris",
        "Morris screening",
        "Screening of the operational inputs on the decision's difference: the mean "
        "elementary effect from the low to the high end of each range, the mean absolute "
        "effect (mu*) with its 95 % interval and the spread (sigma), in £ present value "
        "(empty without an uncertainty study).",
        "The uncertainty study's findings (Findings.morris; SALib analyze.morris).",
        {
            "input": "text",
            "label": "text",
            "mu": "money",
            "mu_star": "money",
            "mu_star_conf": "money",
            "sigma": "money",
        },
    ),
    Table(
        "service_standards",
        "Service standards",
        "How often each option meets each service standard under the inputs' ranges (empty "
        "without an uncertainty study).",
        "The uncertainty study's findings (Findings.standards).",
        {
            **OPTION,
            "metric": "text",
            "label": "text",
            "standard": "number",
            "probability": "share",
        },
    ),
)
"""Every table a report exports, in the workbook's order."""

TABLE_NAMES = tuple(table.name for table in TABLES)


# ----------------------------------------------------------------------------------- public


def tables(
    ctx: ReportContext, result: OptionComparison, findings: Findings | None
) -> dict[str, list[Record]]:
    """Every table of :data:`TABLES` as tidy records of plain JSON types (see the module
    notes); the uncertainty tables are empty when ``findings`` is ``None``."""
    label = _labeller(ctx.labels)
    built = {
        "assumptions": assumptions(ctx),
        "economic_cash_flows": economic_cash_flows(result, label),
        "financial_cash_flows": financial_cash_flows(result, label),
        "affordability": affordability(result, label),
        "present_values": present_values(result, findings, label),
        "risk_register": risk_register(result, label),
        "should_cost": should_cost(result, label),
        "should_cost_build_up": should_cost_build_up(result, label),
        "at_should_cost": at_should_cost(result, label),
        "sensitivity": sensitivity(result, label),
        **uncertainty_tables(findings, label),
    }
    return {name: built[name] for name in TABLE_NAMES}


def provenance(ctx: ReportContext, findings: Findings | None) -> Record:
    """What produced the tables: scenario, its file and SHA-256 (of the resolved content, as
    the report's provenance gives it), seed, service, replications, quick run or not, the
    code's git commit, when the report's run started and the price base."""
    scenario = ctx.scenario
    source = Path(scenario.source)
    return {
        "scenario": scenario.name,
        "scenario_description": scenario.description,
        "scenario_slug": scenario.slug,
        "scenario_file": _display_path(source),
        "scenario_sha256": scenario_sha256(source, model=type(scenario)),
        "seed": ctx.seed,
        "service": ctx.service.name,
        "service_title": ctx.service.title,
        "replications": ctx.replications,
        "quick": ctx.quick,
        "code_version": git_commit(),
        "started": ctx.started.astimezone().isoformat(timespec="seconds"),
        "exported": datetime.now().astimezone().isoformat(timespec="seconds"),
        "base_year": scenario.base_year,
        "period_years": ctx.period_years,
        "business_as_usual": ctx.baseline,
        "business_as_usual_label": ctx.labels.get(ctx.baseline, ctx.baseline),
        "uncertainty_samples": None if findings is None else findings.samples,
    }


def publish(ctx: ReportContext, result: OptionComparison, findings: Findings | None) -> None:
    """Publish the tables and their provenance for the runner to write beside the report as
    ``<notebook>-tables.json`` (nothing shows in the report)."""
    payload = {
        "format": FORMAT,
        "provenance": provenance(ctx, findings),
        "tables": tables(ctx, result, findings),
    }
    display.result(RESULT_NAME, payload)


# ----------------------------------------------------------------------------- the tables


def assumptions(ctx: ReportContext) -> list[Record]:
    """The register of assumptions as the report's assumptions section builds it (the
    appraisal's inputs, then the service's), with each range's figures."""
    scenario = ctx.scenario
    inputs = resolve(scenario)
    found = sections.input_register(ctx)
    missing = estimates_without_range(found, scenario.uncertainty.fixed)
    held = {key: reason for key, _pattern, reason in missing.held_fixed}
    no_range = set(missing.no_range)
    ranged = ranged_paths(inputs)
    rows = []
    for row in found.itertuples(index=False):
        one = range_of(row.path, row.value, ranged)
        rows.append(
            {
                "input": row.key,
                "value": _value(row.value),
                "unit": row.unit,
                "grade": row.grade,
                "meaning": row.meaning,
                "source": row.source,
                "range": row.range,
                **_range_figures(one),
                "range_reason": row.range_reason,
                "range_status": _range_status(row.key, one, held, no_range),
            }
        )
    return _shaped("assumptions", rows)


def economic_cash_flows(result: OptionComparison, label: Labeller) -> list[Record]:
    """The appraisal's cash flows at the mean volumes (real, after optimism bias, transfers
    left out), discounted and not."""
    flows = result.appraisal.cash_flows.rename(
        columns={"value": "before_optimism_bias", "total": "undiscounted"}
    )
    if "calendar_year" not in flows:
        flows = flows.assign(calendar_year=np.nan)
    return _frame_records("economic_cash_flows", flows, label)


def financial_cash_flows(result: OptionComparison, label: Labeller) -> list[Record]:
    """The financial case: nominal cash by option, line and year, transfers and VAT in."""
    case = result.financial_case()
    if "calendar_year" not in case:
        case = case.assign(calendar_year=np.nan)
    return _frame_records("financial_cash_flows", case, label)


def affordability(result: OptionComparison, label: Labeller) -> list[Record]:
    """Each option's extra nominal cash a year against business as usual, one row a year."""
    extra = result.affordability().drop(columns=["total", "peak"])
    base_year = result.inputs.base_year
    rows = [
        {
            "option": str(option),
            "year": int(year),
            "calendar_year": base_year + int(year),
            "extra_cash": value,
        }
        for option, by_year in extra.iterrows()
        for year, value in by_year.items()
    ]
    return _frame_records("affordability", pd.DataFrame(rows), label)


def present_values(
    result: OptionComparison, findings: Findings | None, label: Labeller
) -> list[Record]:
    """Per option: the replications' present value and paired difference with their 95 %
    intervals (``result.costs``), the appraisal at the mean volumes, and the findings' chance
    of being cheapest and percentiles (``None`` without findings)."""
    costs = result.costs.rename(columns={"n": "replications", "low": "pv_low", "high": "pv_high"})
    at_mean = result.appraisal.present_values(result.baseline)
    frame = costs.assign(
        business_as_usual=costs["option"] == result.baseline,
        pv_at_mean_volumes=costs["option"].map(at_mean["pv"]),
        pv_before_optimism_bias=costs["option"].map(at_mean["pv_before_ob"]),
        optimism_bias=costs["option"].map(at_mean["optimism_bias"]),
    )
    if findings is None:
        frame = frame.assign(prob_cheapest=np.nan, **dict.fromkeys(PERCENTILE_COLUMNS, np.nan))
    else:
        spread = findings.percentiles.set_index("option")
        frame = frame.assign(
            prob_cheapest=frame["option"].map(findings.cheapest),
            **{column: frame["option"].map(spread[column]) for column in PERCENTILE_COLUMNS},
        )
    return _frame_records("present_values", frame, label)


def risk_register(result: OptionComparison, label: Labeller) -> list[Record]:
    """The section's risks under every option (none without a section)."""
    register_ = result.risk_register()
    if register_.empty:
        return []
    frame = register_.rename(
        columns={"low": "impact_low", "likely": "impact_likely", "high": "impact_high"}
    )
    return _frame_records("risk_register", frame, label)


def should_cost(result: OptionComparison, label: Labeller) -> list[Record]:
    """One row per contract: the should-cost's parts, the assumed price, the ratio, the
    verdict at the scenario's tolerance."""
    tolerance = result.inputs.should_cost.tolerance
    rows = [
        {
            "option": cost.option,
            "contract": cost.contract,
            "direct": cost.direct,
            "overhead": cost.overhead,
            "risk_premium": cost.risk_premium,
            "mobilisation": cost.mobilisation,
            "margin": cost.margin,
            "income_kept": cost.income_kept,
            "should_cost": cost.total,
            "price": cost.price,
            "price_to_should_cost": cost.ratio,
            "verdict": cost.verdict(tolerance),
        }
        for cost in result.should_costs()
    ]
    return _frame_records("should_cost", pd.DataFrame(rows), label)


def should_cost_build_up(result: OptionComparison, label: Labeller) -> list[Record]:
    """Every contract's should-cost, item by item, as the report's build-up tables show it."""
    frames = [
        cost.table().assign(option=cost.option, contract=cost.contract)
        for cost in result.should_costs()
    ]
    if not frames:
        return []
    frame = pd.concat(frames, ignore_index=True)
    return _frame_records("should_cost_build_up", frame.fillna({"basis": ""}), label)


def at_should_cost(result: OptionComparison, label: Labeller) -> list[Record]:
    """Present values as appraised and with every contract at its should-cost."""
    return _frame_records("at_should_cost", result.at_should_cost(), label)


def sensitivity(result: OptionComparison, label: Labeller) -> list[Record]:
    """Differences with and without optimism bias, and the switching value of each main cost
    category, per option other than business as usual."""
    frame = result.sensitivity()
    if frame.empty:
        return []
    named = frame.rename(columns={c: f"switching_{c}" for c in SWITCHING_CATEGORIES})
    return _frame_records("sensitivity", named, label)


def uncertainty_tables(findings: Findings | None, label: Labeller) -> dict[str, list[Record]]:
    """The tornado, switching values, Sobol' indices, Morris screening and service
    standards of the uncertainty study (every one empty without it)."""
    names = ("tornado", "switching_values", "sobol", "morris", "service_standards")
    if findings is None:
        return {name: [] for name in names}
    difference_of = f"{label(findings.focus)} minus {label(findings.baseline)}"
    switching = findings.switching.assign(
        new_first_label=[label(o) if o else "" for o in findings.switching["new_first"]]
    )
    return {
        "tornado": _frame_records(
            "tornado", findings.tornado.assign(difference_of=difference_of), label
        ),
        "switching_values": _frame_records("switching_values", switching, label),
        "sobol": _frame_records("sobol", findings.sobol, label),
        "morris": _frame_records("morris", findings.morris, label),
        "service_standards": _frame_records("service_standards", findings.standards, label),
    }


# -------------------------------------------------------------------------------- helpers


def _labeller(labels: Mapping[str, str]) -> Labeller:
    return lambda option: labels.get(option, option)


def _spec(name: str) -> Table:
    return next(table for table in TABLES if table.name == name)


def _frame_records(name: str, frame: pd.DataFrame, label: Labeller) -> list[Record]:
    """The rows of ``frame`` in table ``name``'s columns (an option label beside every
    option); a column the table names and the frame lacks is an error, not a blank."""
    if frame.empty:
        return []
    columns = list(_spec(name).columns)
    if "option_label" in columns:
        frame = frame.assign(option_label=frame["option"].map(lambda o: label(str(o))))
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise KeyError(f"table {name!r} lacks columns {missing}")
    return _shaped(name, frame[columns].to_dict(orient="records"))


def _shaped(name: str, rows: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Rows with exactly table ``name``'s columns, in order, as plain JSON values."""
    columns = list(_spec(name).columns)
    return [{c: _plain(row[c]) for c in columns} for row in rows]


def _plain(value: Any) -> Any:
    """A plain JSON value: numpy scalars unwrapped, NaN and infinities ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def _value(value: Any) -> Any:
    """An input's value as one cell: a list (an hourly profile) as the report writes it."""
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


def _range_figures(one: UncertainInput | None) -> Record:
    """A range's low, most likely and high value, whether they are factors, and its
    distribution (all ``None`` without a range)."""
    if one is None:
        return dict.fromkeys(
            ("range_low", "range_mode", "range_high", "range_relative", "distribution")
        )
    return {
        "range_low": one.low,
        "range_mode": one.mode,
        "range_high": one.high,
        "range_relative": one.relative,
        "distribution": one.distribution,
    }


def _range_status(
    key: str, one: UncertainInput | None, held: Mapping[str, str], no_range: set[str]
) -> str:
    """``ranged``, ``held at its value: <reason>``, ``no range yet`` or empty (an input that
    takes no range: a published or derived figure, a name, a switch)."""
    if one is not None:
        return "ranged"
    if key in held:
        return f"held at its value: {held[key]}"
    return "no range yet" if key in no_range else ""


def _display_path(path: Path) -> str:
    """A path relative to the project when it lies inside it, else absolute (as the
    report's provenance writes it)."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    except ValueError:
        return str(resolved)
