"""The tables a report exports, from real quick comparisons of every service: plain JSON in the
columns the export declares, the same figures as the comparison and as the report's economic
and financial cases, and the payload the runner writes beside the report."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import nbformat
import pandas as pd
import pytest
from IPython.core.interactiveshell import InteractiveShell

from models.appraisal import cash_by_year, net_present_costs
from models.assumptions import register
from models.comparison import OptionComparison
from models.registry import SERVICES
from models.scenario import load_sources, scenario_sha256
from models.uncertainty.analysis import PERCENTILES, Findings
from models.uncertainty.ranges import resolve
from tests.support import BASELINE, cost_study_scenario
from workbook import export, uncertainty
from workbook.context import ReportContext
from workbook.display import RESULT_MIME
from workbook.provenance import git_commit
from workbook.runner import published_results

REPLICATIONS = 2
"""The fewest replications a comparison takes: three services in well under a minute."""


@dataclass(frozen=True)
class Exported:
    ctx: ReportContext
    result: OptionComparison
    tables: dict[str, list[dict[str, Any]]]


@pytest.fixture(scope="module", params=SERVICES.names)
def exported(request: pytest.FixtureRequest) -> Exported:
    ctx = ReportContext.from_parameters(BASELINE, REPLICATIONS, True, None, request.param)
    result = ctx.compare()
    return Exported(ctx, result, export.tables(ctx, result, None))


@pytest.fixture(scope="module")
def studied() -> tuple[ReportContext, OptionComparison, Findings]:
    InteractiveShell.instance()
    scenario = cost_study_scenario()
    ctx = ReportContext.from_parameters(scenario, REPLICATIONS, True, None, "recovery")
    result = ctx.compare()
    findings = uncertainty.study(ctx, result)
    assert findings is not None
    return ctx, result, findings


def _by_option(records: list[dict[str, Any]], column: str) -> dict[str, float]:
    frame = pd.DataFrame(records)
    return frame.groupby("option", sort=False)[column].sum().to_dict()


def _close(a: float, b: float, rel: float = 1e-6) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


# ------------------------------------------------------------------------------- the shape


def test_every_table_is_plain_json_in_its_declared_columns(exported: Exported) -> None:
    assert list(exported.tables) == [table.name for table in export.TABLES]
    for table in export.TABLES:
        for record in exported.tables[table.name]:
            assert list(record) == list(table.columns), table.name
            for value in record.values():
                assert value is None or type(value) in (str, int, float, bool), (table.name, value)
    text = json.dumps(exported.tables, allow_nan=False)  # the runner refuses NaN
    assert json.loads(text) == exported.tables


def test_the_tables_that_every_comparison_has_are_filled(exported: Exported) -> None:
    empty_without_a_study = {"tornado", "switching_values", "sobol", "morris", "service_standards"}
    for name, records in exported.tables.items():
        if name in empty_without_a_study:
            assert records == [], name
        else:
            assert records, f"{exported.ctx.service.name}: no rows in {name}"


def test_every_option_carries_its_report_label(exported: Exported) -> None:
    labels = exported.ctx.labels
    for name, records in exported.tables.items():
        for record in records:
            if "option_label" in record:
                assert record["option_label"] == labels[record["option"]], name


# ------------------------------------------------------------------------------- the figures


def test_present_values_are_the_comparisons_intervals(exported: Exported) -> None:
    result = exported.result
    rows = {r["option"]: r for r in exported.tables["present_values"]}
    assert list(rows) == list(result.costs["option"])
    renamed = {"low": "pv_low", "high": "pv_high", "n": "replications"}
    for cost in result.costs.to_dict(orient="records"):
        row = rows[cost["option"]]
        for column, value in cost.items():
            mine = row[renamed.get(column, column)]
            if _missing(value):
                assert mine is None, column
            else:
                assert mine == value, column
        assert row["business_as_usual"] is (cost["option"] == result.baseline)
        assert row["prob_cheapest"] is None and row["pv_p50"] is None  # no study


def test_discounted_cash_flows_add_up_to_the_present_values_the_report_shows(
    exported: Exported,
) -> None:
    """The economic case's figure at the mean volumes: the ranking table's present value
    with optimism bias (``uplift_by_option``), priced again here by the fast path."""
    result, flows = exported.result, exported.tables["economic_cash_flows"]
    inputs = result.inputs
    fast = net_present_costs(
        result.lines, inputs.period_years, inputs.schedule, inputs.optimism_bias
    )
    shown = result.uplift_by_option()["pv"]
    discounted = _by_option(flows, "discounted")
    undiscounted_before = {
        o: sum(r["before_optimism_bias"] * r["discount_factor"] for r in flows if r["option"] == o)
        for o in discounted
    }
    pvs = {r["option"]: r for r in exported.tables["present_values"]}
    assert set(discounted) == set(fast) == set(result.appraisal.options)
    for option, total in discounted.items():
        assert _close(total, fast[option]), option
        assert _close(total, float(shown[option])), option
        assert _close(total, pvs[option]["pv_at_mean_volumes"]), option
        assert _close(undiscounted_before[option], pvs[option]["pv_before_optimism_bias"])
    transfers = {(line.option, line.name) for line in result.lines if line.transfer}
    assert not transfers & {(r["option"], r["line"]) for r in flows}


def test_financial_cash_and_affordability_are_the_financial_case(exported: Exported) -> None:
    result = exported.result
    cash = cash_by_year(result.financial_case()).sum(axis=1)
    mine = _by_option(exported.tables["financial_cash_flows"], "cash")
    assert mine.keys() == cash.to_dict().keys()
    assert all(_close(mine[o], float(cash[o])) for o in mine)
    extra = _by_option(exported.tables["affordability"], "extra_cash")
    totals = result.affordability()["total"]
    assert all(_close(extra[o], float(totals[o])) for o in extra)
    base_year = result.inputs.base_year
    assert all(
        r["calendar_year"] == base_year + r["year"] for r in exported.tables["affordability"]
    )
    transfers = {line.name for line in result.lines if line.transfer}
    flagged = {r["line"] for r in exported.tables["financial_cash_flows"] if r["transfer"]}
    assert flagged == transfers


def test_risks_and_should_costs_are_the_comparisons(exported: Exported) -> None:
    result, tables = exported.result, exported.tables
    register_ = result.risk_register()
    assert len(tables["risk_register"]) == len(register_)
    assert _close(
        sum(r["retained"] for r in tables["risk_register"]), float(register_["retained"].sum())
    )
    costs = result.should_costs()
    assert [(r["option"], r["contract"]) for r in tables["should_cost"]] == [
        (c.option, c.contract) for c in costs
    ]
    for row, cost in zip(tables["should_cost"], costs, strict=True):
        assert _close(row["should_cost"], cost.total) and _close(row["price"], cost.price)
        totals = [
            r["per_year"]
            for r in tables["should_cost_build_up"]
            if (r["option"], r["contract"], r["item"])
            == (cost.option, cost.contract, "Should-cost")
        ]
        assert len(totals) == 1 and _close(totals[0], cost.total)
    assert len(tables["at_should_cost"]) == len(result.appraisal.options)
    sensitivity = result.sensitivity()
    assert [r["option"] for r in tables["sensitivity"]] == list(sensitivity["option"])


def test_assumptions_are_the_register_the_report_shows(exported: Exported) -> None:
    ctx = exported.ctx
    scenario, section = ctx.scenario, ctx.service.name
    data, sources, inputs = scenario.model_dump(mode="json"), load_sources(), resolve(scenario)
    keys = [
        *register(data, "appraisal", scenario.chain, sources, inputs=inputs)["key"],
        *register(data, section, scenario.chain, sources, inputs=inputs)["key"],
    ]
    rows = exported.tables["assumptions"]
    assert [r["input"] for r in rows] == keys
    ranged = [r for r in rows if r["range_status"] == "ranged"]
    assert ranged, "the baseline gives ranges to some inputs"
    for r in ranged:
        assert r["range"] and r["range_low"] <= r["range_mode"] <= r["range_high"]
        assert r["distribution"] in ("triangular", "uniform")
    for r in rows:
        if r["range_status"] != "ranged":
            assert r["range_low"] is None and r["range"] == ""
        assert isinstance(r["value"], str | int | float | bool) or r["value"] is None


# ------------------------------------------------------------------------------- the study


def test_the_study_fills_the_uncertainty_tables(
    studied: tuple[ReportContext, OptionComparison, Findings],
) -> None:
    ctx, result, findings = studied
    tables = export.tables(ctx, result, findings)
    json.dumps(tables, allow_nan=False)
    spread = findings.percentiles.set_index("option")
    for row in tables["present_values"]:
        assert row["prob_cheapest"] == findings.cheapest[row["option"]]
        for q in PERCENTILES:
            assert row[f"pv_p{q}"] == spread.loc[row["option"], f"pv_p{q}"]
            assert row[f"diff_p{q}"] == spread.loc[row["option"], f"diff_p{q}"]
    assert _close(sum(r["prob_cheapest"] for r in tables["present_values"]), 1.0)
    assert [r["input"] for r in tables["tornado"]] == list(findings.tornado["input"])
    assert _close(
        sum(r["swing"] for r in tables["tornado"]), float(findings.tornado["swing"].sum())
    )
    assert len(tables["switching_values"]) == len(findings.switching)
    assert [r["input"] for r in tables["sobol"]] == list(findings.sobol["input"])
    assert len(tables["morris"]) == len(findings.morris)  # no operational range: none
    assert len(tables["service_standards"]) == len(findings.standards)


def test_publish_gives_the_runner_one_tables_file_with_its_provenance(
    studied: tuple[ReportContext, OptionComparison, Findings],
) -> None:
    ctx, result, findings = studied
    shell = InteractiveShell.instance()
    outputs: list[dict[str, Any]] = []
    shell.display_pub.publish = lambda data, **_: outputs.append(data)  # type: ignore[method-assign]
    export.publish(ctx, result, findings)
    assert len(outputs) == 1 and set(outputs[0]) == {RESULT_MIME}  # nothing renders
    cell = nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("display_data", data=data) for data in outputs]
    )
    found = published_results(nbformat.v4.new_notebook(cells=[cell]))
    assert list(found) == ["tables"]  # written as <notebook>-tables.json
    payload = json.loads(json.dumps(found["tables"], indent=1, allow_nan=False))
    assert payload["format"] == export.FORMAT
    assert payload["tables"] == json.loads(json.dumps(export.tables(ctx, result, findings)))
    made = payload["provenance"]
    assert made["scenario"] == ctx.scenario.name
    assert made["scenario_slug"] == "baseline"
    assert made["scenario_sha256"] == scenario_sha256(BASELINE)
    assert made["seed"] == ctx.seed and made["service"] == "recovery"
    assert made["replications"] == REPLICATIONS and made["quick"] is True
    assert made["code_version"] == git_commit()
    assert made["uncertainty_samples"] == findings.samples
