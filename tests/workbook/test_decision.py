"""The first screen of an option report: the recommendation, how sure, what would change it,
written from a real (quick, small) comparison and uncertainty study of vehicle recovery."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

from tests.support import published, scenario_with_study
from workbook import decision, uncertainty
from workbook.context import ReportContext
from workbook.display import HEADLINE_MIME

RANGES = {
    "recovery.options.*.storage.costs.staff.salary": {
        "low": 0.9, "high": 1.2, "relative": True, "reason": "[E] <b>test</b>",
    },
    "recovery.demand.annual_vehicles": {"low": 30000, "high": 45000, "reason": "[E] test"},
}  # fmt: skip


@pytest.fixture(scope="module")
def context() -> ReportContext:
    return ReportContext.from_parameters(scenario_with_study(RANGES, 128), 3, True, 1, "recovery")


@pytest.fixture(scope="module")
def result(context: ReportContext) -> Any:
    return context.compare()


@pytest.fixture(scope="module")
def findings(context: ReportContext, result: Any) -> Any:
    InteractiveShell.instance()
    return uncertainty.study(context, result, publish=False)


def test_the_recommendation_is_the_lowest_mean_present_value(result, context, findings) -> None:
    chosen = decision.decide(result, context.labels, findings)
    costs = result.costs.set_index("option")
    assert chosen.option == costs["pv_mean"].idxmin() == result.preferred
    assert chosen.pv == costs.loc[chosen.option, "pv_mean"]
    assert chosen.prob_cheapest == findings.cheapest[chosen.option]
    assert chosen.draws == findings.samples


def test_the_first_screen_says_what_how_sure_and_what_would_change_it(
    context, result, findings
) -> None:
    outputs = published(lambda: decision.first_screen(context, result, findings))
    html = "".join(o.get("text/html", "") for o in outputs)
    chosen = decision.decide(result, context.labels, findings)
    assert html.index('class="wb-decision"') < html.index('<figure class="wb-figure"')
    assert chosen.label in html
    for fact in ("Cost:", "How sure:", "What would change it:", "Largest risk:"):
        assert fact in html
    assert f"{findings.samples:,} draws" in html
    assert uncertainty.change_text(context.labels, findings).split(" (")[0][:40] in html
    assert "<b>test</b>" not in html
    (headline,) = [o[HEADLINE_MIME] for o in outputs if HEADLINE_MIME in o]
    assert headline["Recommendation"] == chosen.label
    assert headline["How sure"].startswith("cheapest in ")


def test_without_ranges_how_sure_says_so_and_the_index_gets_no_probability(context, result) -> None:
    chosen = decision.decide(result, context.labels, None)
    assert chosen.prob_cheapest is None
    assert "gives its inputs no ranges" in decision.sure_text(result, chosen)
    assert "How sure" not in decision.headline_figures(chosen)
    assert decision.change_text(context.labels, None) == ""


def test_the_chart_text_names_every_option_and_its_figure(result, context) -> None:
    frame = decision.difference_frame(result.costs, result.baseline, context.labels.__getitem__)
    assert result.baseline not in set(frame["option"])
    text = decision.chart_text(frame, context.labels[result.baseline])
    for row in frame.itertuples(index=False):
        assert row.label in text
    assert len(decision.frame_for_reader(frame)) == len(frame)


@pytest.mark.parametrize(
    ("probability", "words"),
    [(0.95, "robust"), (0.7, "likely but not certain"), (0.55, "more likely than not"),
     (0.3, "another option")],
)  # fmt: skip
def test_sureness_words_follow_the_thresholds(probability: float, words: str) -> None:
    assert words in decision.sureness(probability)
