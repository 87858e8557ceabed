"""The Green Book report parts, on a hand-made comparison of two options with figures worked by
hand: what the ranking rests on, the economic case, optimism bias, the risk register, the
financial case and the should-cost; scenario text escaped, no NaN or inf shown."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pandas as pd
import pytest

from models.appraisal import (
    GREEN_BOOK,
    Category,
    ContributoryFactor,
    CostElement,
    CostLine,
    FinancialSettings,
    OptimismBias,
    Provider,
    Risk,
    ShouldCostSettings,
    UpliftGroup,
    appraise,
    compare,
    risk_lines,
    should_cost,
)
from models.comparison import AppraisalInputs, OptionComparison
from tests.support import not_a_number, visible_text
from workbook import display, economic_case, tables

HOSTILE = "<script>alert(1)</script>"
YEARS = 3
LABELS = {"today": "Today", "contracted": "Contracted <b>"}
FULL = {"today": f"Today (the force's own desk {HOSTILE})", "contracted": "Contracted desk"}
PROVIDERS = {"today": {"desk": Provider.FORCE}, "contracted": {"desk": Provider.CONTRACTOR}}
RISK = Risk(
    "desk_failure",
    likelihood=0.1,
    impact=(100e3, 200e3, 600e3),  # mean 300k, so 30k a year expected
    part="desk",
    transferred_share=0.5,
    description=f"The desk fails {HOSTILE}",
)
BIAS = OptimismBias(
    (
        UpliftGroup(
            "service_costs",
            "outsourcing",
            frozenset({Category.STAFF, Category.CONTRACT, Category.TRANSITION}),
            factors=(ContributoryFactor("inadequacy_of_the_business_case", 1.0, 0.5, HOSTILE),),
        ),
    )
)  # 41 % x (1 - 1.0 x 0.5) = 20.5 %


def _lines() -> list[CostLine]:
    """Today: its staff and a statutory charge received (a transfer). Contracted: a contract
    charge, a transition, redundancy "up to" (a transfer and an upper bound), service credits."""

    def yearly(option: str, name: str, category: Category, amount: float, **kw: Any) -> CostLine:
        return CostLine.annual(option, name, category, amount, period_years=YEARS, **kw)

    return [
        yearly("today", "staff", Category.STAFF, 1.0e6),
        yearly("today", "statutory charges", Category.INCOME, -100e3, transfer=True),
        *risk_lines("today", [RISK], PROVIDERS["today"], YEARS),
        yearly("contracted", "contract", Category.CONTRACT, 0.9e6),
        CostLine("contracted", "transition", Category.TRANSITION, (500e3,)),
        CostLine(
            "contracted",
            "redundancy",
            Category.TRANSITION,
            (0.0, 200e3),
            transfer=True,
            upper_bound=True,
        ),
        yearly("contracted", "service credits", Category.SERVICE_CREDIT, -50e3),
        *risk_lines("contracted", [RISK], PROVIDERS["contracted"], YEARS),
    ]


def _should_cost(config: Any, option: str, volumes: Any, settings: ShouldCostSettings) -> list:
    if option != "contracted":
        return []
    elements = [CostElement("staff", 800e3, "20 FTE on transferred terms")]
    return [should_cost(f"desk {HOSTILE}", elements, 0.9e6, settings, transferred_risk=15e3)]


def _comparison(**inputs: Any) -> OptionComparison:
    lines = _lines()
    appraisal = appraise(lines, YEARS, GREEN_BOOK, BIAS, base_year=2012)
    pv = appraisal.present_values()["pv"]
    spread = (-0.02, 0.0, 0.02)
    frame = pd.DataFrame(
        [(r, o, pv[o] * (1 + d)) for r, d in enumerate(spread) for o in pv.index],
        columns=["replication", "option", "pv"],
    )
    performance = pd.DataFrame(
        [("late", o, m, m - 1, m + 1, 1.0, 3) for o, m in (("today", 5.0), ("contracted", 9.0))],
        columns=["metric", "option", "mean", "low", "high", "half_width", "n"],
    )
    options = {
        o: SimpleNamespace(label=FULL[o], part_providers=lambda o=o: PROVIDERS[o]) for o in FULL
    }
    spec = SimpleNamespace(
        risk=lambda name: replace(RISK, name=name),
        part="desk",
        arises_under=(),
        description=RISK.description,
    )
    settings = AppraisalInputs(YEARS, GREEN_BOOK, BIAS, 2012, **inputs)
    return OptionComparison(
        results=pd.DataFrame(columns=["replication", "option", "year", "metric", "value"]),
        performance=performance,
        pv=frame,
        costs=compare(frame, baseline="today"),
        appraisal=appraisal,
        mean_by_run={},
        lines=tuple(lines),
        inputs=settings,
        baseline="today",
        performance_year=1,
        config=SimpleNamespace(options=options, risks={"desk_failure": spec}),
        service=SimpleNamespace(
            should_cost=_should_cost, yearly_volumes=lambda runs, option, config, years: {}
        ),
    )


@pytest.fixture()
def result() -> OptionComparison:
    return _comparison(financial=FinancialSettings(inflation=0.02, vat_recovered=False))


@pytest.fixture()
def ctx(result: OptionComparison) -> SimpleNamespace:
    return SimpleNamespace(labels=LABELS, config=result.config)


@pytest.fixture()
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The markup every section displays, in order."""
    out: list[str] = []
    monkeypatch.setattr(display, "display_all", lambda *items: out.extend(i.markup for i in items))
    return out


def _text(markup: list[str]) -> str:
    return " ".join(visible_text(m) for m in markup)


METRICS = [("late", f"Late <i>{HOSTILE}</i>", tables.number(1))]


# ------------------------------------------------------------------ what the ranking rests on


def test_the_ranking_rests_on_names_business_as_usual_and_the_largest_risk(
    ctx, result, shown
) -> None:
    economic_case.rests_on(ctx, result)
    text = _text(shown)
    assert "compared with business as usual" in text and FULL["today"] in text
    assert "the ranking with optimism bias is Today, then Contracted <b>" in text
    assert "the same order without it" in text
    # Today carries the smaller uplift (on 1.0m a year against 0.9m + 0.5m), so no level moves it.
    assert "holds at any level of optimism bias" in text
    # 30k a year retained today (all of it), 15k under the contract (half transferred).
    assert "largest risk the force keeps is desk failure under Today" in text
    assert "£30k a year (£90k over the 3 years, real, undiscounted); the force bears all" in text
    assert "What the ranking rests on" in text


@pytest.mark.parametrize(
    ("switch", "expected"),
    [
        (0.4, "holds unless optimism bias is below 0.4 times the derived uplift; with less, B"),
        (2.5, "holds unless optimism bias is above 2.5 times the derived uplift."),
        (float("inf"), "at any level of optimism bias"),
        (float("nan"), "was not found"),
    ],
)
def test_the_switch_is_said_as_a_multiple_of_the_derived_uplift(switch, expected) -> None:
    text = economic_case.switch_text(switch, ["b", "a"], {"a": "A", "b": "B"})
    assert expected in text
    assert not_a_number(text) == []


def test_ranking_table_ranks_with_and_without_optimism_bias(result) -> None:
    table = economic_case.ranking_table(result, LABELS)
    assert list(table["Option"]) == ["Today", "Contracted <b>"]
    assert list(table["Rank"]) == [1, 2] and list(table["Rank without"]) == [1, 2]


# ----------------------------------------------------------------------------- economic case


def test_economic_case_shows_intervals_transfers_left_out_and_unpriced_service(
    ctx, result, shown
) -> None:
    economic_case.economic_case(ctx, result, METRICS)
    text = _text(shown)
    for words in (
        "paras 6.7-6.9",
        "real terms at 2012 prices",
        "Green Book rate (3.5 % a year)",
        "Service shortfalls are not priced",
        "Difference from business as usual (Today)",
        "Share of replications cheaper than business as usual (Today)",
    ):
        assert words in text, words
    table = economic_case.economic_case_table(result, LABELS, METRICS).set_index(
        "Figure (mean and 95 % interval)"
    )
    assert table.loc["Difference from business as usual (Today)", "Today"] == "business as usual"
    assert table.loc["Share of replications cheaper than business as usual (Today)"].tolist() == [
        display.MISSING,
        "0%",
    ]
    # Transfers at 3.5 %: today -100k x 2.8016; contracted 200k / 1.035 - 50k x 2.8016.
    transfers = table.loc["Transfers left out (present value at the mean volumes)"]
    assert transfers.tolist() == ["-£280k", "£53k"]
    assert (
        table.loc[f"Service, not priced: {METRICS[0][1]}", "Contracted <b>"] == "9.0 (8.0 to 10.0)"
    )


def test_economic_case_without_service_figures_has_the_cost_rows_only(result) -> None:
    table = economic_case.economic_case_table(result, LABELS)
    assert len(table) == 4


# ----------------------------------------------------------------------------- optimism bias


def test_optimism_bias_derivation_and_uplift_by_option(ctx, result, shown) -> None:
    economic_case.optimism_bias(ctx, result)
    text = _text(shown)
    assert "paras 5.43-5.46" in text and "never by the option's name" in text
    row = economic_case.derivation_table(BIAS).iloc[0]
    assert (row["Upper bound"], row["Lower bound"]) == ("41 %", "0 %")
    assert row["Contributory factor"] == "inadequacy of the business case"
    assert (row["Share of the bound"], row["Mitigation claimed"]) == ("100%", "50%")
    assert row["Reduction"] == "20.5 points" and row["Uplift"] == "20.5 %"
    assert (
        row["Applies to"]
        == "staff, contract charges and transition (one-off), whoever provides them"
    )
    uplift = economic_case.uplift_table(result, LABELS)
    # The same line kinds get the same rate whichever option they are in; the redundancy
    # (a transfer and an upper bound) and the risks are not uplifted.
    assert list(uplift["Uplift on those costs"]) == ["20.5%", "20.5%"]


def test_a_risk_register_that_replaces_optimism_bias_is_said(ctx, shown) -> None:
    bias = replace(BIAS, replaced_by_risk_register=True)
    result = _comparison()
    result = replace(result, inputs=replace(result.inputs, optimism_bias=bias))
    economic_case.optimism_bias(ctx, result)
    assert "has replaced optimism bias" in _text(shown)


# ----------------------------------------------------------------------------- risk register


def test_risk_register_shows_who_bears_each_risk_and_what_is_transferred(
    ctx, result, shown
) -> None:
    economic_case.risk_register(ctx, result)
    text = _text(shown)
    assert "reduces the force's expected cost" in text and "para 2.16" in text
    assert RISK.description in text
    table = economic_case.risk_table(result.risk_register(), LABELS).set_index("Option")
    assert table.loc["Today", "Borne by"] == "force"
    assert table.loc["Contracted <b>", "Borne by"] == "shared (contractor 50%)"
    assert table.loc["Contracted <b>", "Transferred to the contractor"] == "£15k a year"
    assert table.loc["Contracted <b>", "Retained by the force"] == "£15k a year"
    assert table.loc["Today", "Impact (low / most likely / high)"] == "£100k / £200k / £600k"
    assert table.loc["Today", "Likelihood"] == "10% a year"
    assert "Contracted <b>: the force keeps £45k and the contracts transfer £45k" in text


def test_a_service_without_risks_says_optimism_bias_stands_for_them(ctx, result, shown) -> None:
    bare = replace(result, config=SimpleNamespace(options=result.config.options, risks={}))
    economic_case.risk_register(ctx, bare)
    assert "prices no risks" in _text(shown)


# ----------------------------------------------------------------------------- financial case


def test_financial_case_is_nominal_cash_with_transfers_and_vat(ctx, result, shown) -> None:
    economic_case.financial_case(ctx, result)
    text = _text(shown)
    assert "inflation of 2 % a year" in text and "does not recover VAT" in text
    cash = economic_case.cash_table(result, LABELS).set_index("Year")
    assert list(cash.index) == [
        "2012", "2013", "2014", "2015", "Total", "Contingency for optimism bias, total"
    ]  # fmt: skip
    # Year 1 under the contract: (0.9m contract - 50k credits) x 1.2 VAT + 200k redundancy +
    # 15k risk, inflated by 2 %.
    assert cash.loc["2013", "Contracted <b>"] == display.money((0.85e6 * 1.2 + 215e3) * 1.02)
    assert "Affordability over the 3 years: Contracted <b> needs" in text
    extra = economic_case.affordability_table(result, LABELS).set_index("Year")
    assert list(extra.columns) == ["Contracted <b>"]
    assert list(extra.index)[-2:] == ["Total", "Largest in any year"]


def test_recovered_vat_is_said_with_its_statute(ctx, shown) -> None:
    economic_case.financial_case(ctx, _comparison())
    assert "VAT Act 1994 s33" in _text(shown)


# ----------------------------------------------------------------------------- should-cost


def test_should_cost_build_up_ratio_and_verdict(ctx, result, shown) -> None:
    economic_case.should_cost(ctx, result)
    text = _text(shown)
    assert "Cabinet Office Sourcing Playbook" in text
    # 800k direct + 80k overhead + 15k risk, + 7 % margin on 895k = 957.65k; 900k / 957.65k.
    assert f"desk {HOSTILE} under Contracted <b>" in text
    assert "is 0.94 times the should-cost of £958k; verdict: plausible" in text
    summary = economic_case.should_cost_summary(result.should_costs(), LABELS, 0.10)
    assert summary.iloc[0].tolist() == [
        "Contracted <b>", f"desk {HOSTILE}", "£958k", "£900k", "0.94", "plausible"
    ]  # fmt: skip


def test_without_a_should_cost_model_the_report_says_so(ctx, result, shown) -> None:
    economic_case.should_cost(ctx, replace(result, service=None))
    assert "builds no should-cost" in _text(shown)


# ----------------------------------------------------------------------------- every part


def test_every_part_escapes_scenario_text_and_shows_no_nan(ctx, result, shown) -> None:
    economic_case.rests_on(ctx, result)
    economic_case.economic_case(ctx, result, METRICS)
    for part in ("optimism_bias", "risk_register", "financial_case", "should_cost"):
        getattr(economic_case, part)(ctx, result)
    markup = "\n".join(shown)
    assert HOSTILE not in markup and "&lt;script&gt;" in markup
    assert "Contracted <b>" not in markup and "Contracted &lt;b&gt;" in markup
    assert not_a_number(_text(shown)) == []
    assert "£∞" not in markup


def test_discount_text_names_each_step_within_the_appraisal() -> None:
    assert economic_case.discount_text(GREEN_BOOK, 10) == "3.5 % a year"
    assert economic_case.discount_text(GREEN_BOOK, 40) == "3.5 % from year 0, 3 % from year 31"


def test_every_part_runs_on_a_real_comparison_of_the_example_service(shown) -> None:
    from models.registry import SERVICES
    from tests.example_service.front_desk import FRONT_DESK
    from workbook.context import ReportContext

    scenario = (
        Path(__file__).resolve().parents[1] / "example_service" / "report" / "front_desk.yaml"
    )
    registry = SERVICES.with_service(FRONT_DESK)
    ctx = ReportContext.from_parameters(scenario, 2, True, 1, "front_desk", registry=registry)
    real = ctx.compare()
    economic_case.rests_on(ctx, real)
    economic_case.economic_case(ctx, real)
    for part in ("optimism_bias", "risk_register", "financial_case", "should_cost"):
        getattr(economic_case, part)(ctx, real)
    text = _text(shown)
    base = ctx.labels[ctx.baseline]
    for words in (
        f"business as usual ({base})",
        "the ranking with optimism bias is",
        "paras 6.7-6.9",
        "paras 5.43-5.46",
        "Financial case: nominal cash by year",
    ):
        assert words in text, words
    assert not_a_number(text) == []


def test_the_largest_risk_says_what_the_contract_transfers(result) -> None:
    only_contracted = replace(RISK, arises_under=frozenset({Provider.CONTRACTOR}))
    spec = SimpleNamespace(
        risk=lambda name: replace(only_contracted, name=name), part="desk", arises_under=()
    )
    config = SimpleNamespace(options=result.config.options, risks={"desk_failure": spec})
    text = economic_case.largest_risk(replace(result, config=config), LABELS)
    assert "desk failure under Contracted <b>: an expected £15k a year" in text
    assert "the contract transfers the other 50% of it" in text


@pytest.mark.parametrize(
    ("price", "verdict"), [(0.5e6, "cheap"), (0.95e6, "plausible"), (1.5e6, "rich")]
)
def test_each_verdict_is_explained(price: float, verdict: str) -> None:
    elements = [CostElement("staff", 800e3)]
    cost = should_cost("desk", elements, price, ShouldCostSettings(), transferred_risk=15e3)
    cost = replace(cost, option="contracted")
    summary = economic_case.should_cost_summary([cost], LABELS, 0.10)
    assert summary.loc[0, "Verdict"] == verdict
    text = economic_case.verdict_text(cost, LABELS, 0.10)
    assert f"verdict: {verdict}, {economic_case.VERDICTS[verdict]}" in text


def test_contracts_at_their_should_cost_move_the_difference_by_hand() -> None:
    """The contract (900k a year, years 1-3) is priced at its should-cost: direct 800k +
    overhead 10 % (80k) + transferred risk 15k + margin 7 % x 895k (62.65k) = 957.65k a year,
    so the option costs 57.65k a year more, uplifted 20.5 % and discounted over three years
    (annuity at 3.5 %: 2.801637): 57.65k x 1.205 x 2.801637 = 194,624 more than stated."""
    result = _comparison()

    def priced(config: Any, option: str, volumes: Any, settings: ShouldCostSettings) -> list:
        if option != "contracted":
            return []
        elements = [CostElement("staff", 800e3, "20 FTE on transferred terms")]
        return [should_cost("contract", elements, 0.9e6, settings, transferred_risk=15e3)]

    result = replace(result, service=replace_namespace(result.service, should_cost=priced))
    (cost,) = result.should_costs()
    assert cost.total == pytest.approx(957_650.0)
    table = result.at_should_cost().set_index("option")
    annuity = sum(1.035**-t for t in (1, 2, 3))
    assert annuity == pytest.approx(2.801637, abs=1e-6)
    moved = (
        table.loc["contracted", "difference_at_should_cost"] - table.loc["contracted", "difference"]
    )
    assert moved == pytest.approx(57_650.0 * 1.205 * annuity)
    assert moved == pytest.approx(194_624, abs=1)
    assert table.loc["today", "pv_at_should_cost"] == table.loc["today", "pv"]


def replace_namespace(namespace: SimpleNamespace, **changes: Any) -> SimpleNamespace:
    """A copy of ``namespace`` with ``changes``."""
    return SimpleNamespace(**{**vars(namespace), **changes})
