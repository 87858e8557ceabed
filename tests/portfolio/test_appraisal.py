"""The portfolio appraised on real (quick) comparisons of the baseline's services: totals are
the sums of the services' figures, a bundle that changes nothing costs exactly the preferred
combination, and the break-even discount is where the bundle costs the same."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from models.portfolio.appraisal import (
    BUSINESS_AS_USUAL,
    PREFERRED,
    Bundle,
    ServiceCase,
    appraise_portfolio,
)
from models.portfolio.bundles import client_functions
from tests.support import BASELINE
from workbook.context import ReportContext

SERVICES = ("recovery", "catering")


@pytest.fixture(scope="module")
def cases() -> list[ServiceCase]:
    out = []
    for name in SERVICES:
        ctx = ReportContext.from_parameters(BASELINE, 3, True, None, name)
        out.append(ServiceCase(name, ctx.compare()))
    return out


def _pv(portfolio, option: str) -> float:
    return float(portfolio.costs.set_index("option").loc[option, "pv_mean"])


def _client_function_cost(case: ServiceCase, option: str) -> float:
    """The service's own client team a year under ``option`` (constant in the baseline)."""
    lines = [line for line in case.comparison.lines if line.option == option]
    (line,) = client_functions(lines)
    return max(line.values)


def test_the_totals_are_the_sums_of_the_services(cases) -> None:
    portfolio = appraise_portfolio(cases)
    for option, pick in ((BUSINESS_AS_USUAL, "baseline"), (PREFERRED, "preferred")):
        expected = sum(
            float(c.comparison.costs.set_index("option").loc[getattr(c, pick), "pv_mean"])
            for c in cases
        )
        assert _pv(portfolio, option) == pytest.approx(expected, rel=1e-12)
    assert portfolio.replications == 3


def test_a_bundle_that_changes_nothing_costs_the_preferred_combination(cases) -> None:
    options = {c.name: c.preferred for c in cases}
    same = Bundle(
        name="same",
        label="no discount, the same client teams",
        options=options,
        discount=0.0,
        client_function_cost=sum(_client_function_cost(c, c.preferred) for c in cases),
    )
    portfolio = appraise_portfolio(cases, [same])
    wide = portfolio.pv.pivot(index="replication", columns="option", values="pv")
    np.testing.assert_allclose(wide[same.key], wide[PREFERRED], rtol=1e-9)


def test_a_discount_lowers_the_bundle_and_the_break_even_is_exact(cases) -> None:
    outsourced = {c.name: "outsourced" for c in cases}
    bundle = Bundle(
        "all", "all outsourced", outsourced, discount=0.05, client_function_cost=3_000_000.0
    )  # a client team dearer than the two it replaces
    portfolio = appraise_portfolio(cases, [bundle])
    cheaper = appraise_portfolio(cases, [replace(bundle, discount=0.10)])
    assert _pv(cheaper, bundle.key) < _pv(portfolio, bundle.key)
    breakeven = portfolio.breakeven[bundle.key]
    assert 0 < breakeven < 1
    at_breakeven = appraise_portfolio(cases, [replace(bundle, discount=breakeven)])
    assert _pv(at_breakeven, bundle.key) == pytest.approx(_pv(portfolio, PREFERRED), rel=1e-9)


def test_a_bundle_of_a_service_not_compared_is_refused(cases) -> None:
    bundle = Bundle("x", "x", {"recovery": "outsourced", "fleet": "outsourced"}, 0.0, 0.0)
    with pytest.raises(ValueError, match="no comparison of fleet"):
        appraise_portfolio(cases, [bundle])


def test_each_portfolio_option_says_which_option_each_service_takes(cases) -> None:
    options = {"recovery": "outsourced", "catering": "mixed"}
    bundle = Bundle("all", "a mix", options, discount=0.05, client_function_cost=1.0)
    portfolio = appraise_portfolio(cases, [bundle])
    assert portfolio.members(BUSINESS_AS_USUAL) == {c.name: c.baseline for c in cases}
    assert portfolio.members(PREFERRED) == {c.name: c.preferred for c in cases}
    assert portfolio.members(bundle.key) == {"recovery": "outsourced", "catering": "mixed"}
    assert portfolio.is_bundle(bundle.key) and not portfolio.is_bundle(PREFERRED)


def test_a_bundle_of_a_service_the_scenario_leaves_out_is_kept_but_not_appraised(
    tmp_path,
) -> None:
    import shutil

    from models.scenario import load_scenario

    shutil.copy(BASELINE, tmp_path / "baseline.yaml")
    path = tmp_path / "two.yaml"
    path.write_text("extends: baseline.yaml\nname: two services\nfleet: null\n", "utf-8")
    scenario = load_scenario(path)
    assert scenario.fleet is None
    assert list(scenario.portfolio.bundles) == ["support_services", "vehicle_services"]
    assert scenario.portfolio.appraised(["recovery", "catering"]) == {}
    assert list(scenario.portfolio.appraised(["recovery", "fleet"])) == ["vehicle_services"]
