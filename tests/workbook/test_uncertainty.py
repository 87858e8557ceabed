"""The report parts on the uncertainty of the inputs: a real (quick, small) study through a real
report context, its summary in plain English and its section rendered."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from tests.support import published, scenario_with_study
from workbook import uncertainty
from workbook.context import ReportContext
from workbook.display import RESULT_MIME

RANGES = {
    "recovery.options.*.storage.costs.staff.salary": {
        "low": 0.9,
        "high": 1.2,
        "relative": True,
        "reason": "[E] <b>test</b>",
    },
    "appraisal.optimism_bias.groups.service_costs.factors.inadequacy_of_the_business_case"
    ".mitigation": {"low": 0.0, "high": 0.6, "reason": "[E] test"},
    "recovery.demand.annual_vehicles": {"low": 30000, "high": 45000, "reason": "[E] test"},
}


@pytest.fixture(scope="module")
def context() -> ReportContext:
    return ReportContext.from_parameters(scenario_with_study(RANGES, 128), 2, True, 1, "recovery")


@pytest.fixture(scope="module")
def findings(context: ReportContext) -> Any:
    InteractiveShell.instance()
    return uncertainty.study(context, context.compare())


def test_the_summary_says_how_sure_and_what_would_change_it(
    context: ReportContext, findings: Any
) -> None:
    text = uncertainty.summary_text(context.labels, findings)
    assert "How sure, with the uncertainty of the inputs" in text
    assert "3 uncertain inputs (2 of costs, 1 of the operation)" in text
    for option in context.options:
        assert f"{context.labels[option]} in " in text
    assert "Inputs that would change the answer" in text or "move the difference most" in text
    assert "nan" not in text.lower()


def test_without_ranges_the_summary_says_the_intervals_are_noise_only(
    context: ReportContext,
) -> None:
    text = uncertainty.summary_text(context.labels, None)
    assert "simulation noise only" in text


def test_the_section_renders_escaped_with_its_tables(
    context: ReportContext, findings: Any, capsys: Any
) -> None:
    def show() -> None:
        uncertainty.section(context, findings)
        uncertainty.details(context, findings)

    with capsys.disabled():
        outputs = published(show)
    html = "".join(o.get("text/html", "") for o in outputs)
    for caption in (
        "How often each option is the cheapest",
        "Range of outcomes",
        "Switching values",
    ):
        assert caption in html
    assert "Morris" in html and "Sobol" in html
    assert '<figure class="wb-figure"' in html  # the tornado chart
    assert "<b>test</b>" not in html


def test_the_findings_are_published_for_the_runner(context: ReportContext) -> None:
    outputs = published(lambda: uncertainty.study(context, context.compare()))
    found = [o[RESULT_MIME]["uncertainty"] for o in outputs if RESULT_MIME in o]
    assert len(found) == 1
    assert found[0]["service"] == "recovery" and found[0]["samples"] >= 128


def test_the_tornado_has_a_bar_each_way_for_every_input(
    context: ReportContext, findings: Any
) -> None:
    fig = uncertainty.tornado_chart(findings, lambda o: context.labels[o])
    axis = fig.axes[0]
    assert len(axis.patches) == 2 * len(findings.tornado)
    labels = [t.get_text() for t in axis.get_yticklabels()]
    assert labels[-1] == findings.tornado["label"].iloc[0][:48]  # the largest swing on top
