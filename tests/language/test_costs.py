"""Cost lines of the language options: fees from the simulated paid hours, the contract's
charges and credits, staff interpreters from their roster; the economic case end to end."""

from __future__ import annotations

import math

import numpy as np
import pytest

from models.appraisal import Category, Provider
from models.comparison import compare_service
from models.kit.replications import Replicator
from models.language import SERVICE
from models.language.costs import staff_interpreter_fte, volume_metrics

N = 10


def _volumes(config, option: str, value: float = 1000.0) -> dict[str, float]:
    return dict.fromkeys(volume_metrics(config, option), value)


def _by_name(lines) -> dict:
    return {line.name: line for line in lines}


def test_the_forces_list_is_paid_its_fee_for_the_paid_hours(config) -> None:
    lines = _by_name(SERVICE.cost_lines(config, "in_house", _volumes(config, "in_house"), N))
    terms = config.options["in_house"].common_languages.terms
    fees = lines["common languages interpreter fees"]
    assert fees.values[1] == pytest.approx(terms.fee_per_hour * 1000.0)
    travel = lines["common languages interpreter travel"]
    assert travel.values[1] == pytest.approx(terms.travel_per_booking * 2000.0)  # list + register
    assert lines["common languages language unit"].category is Category.STAFF
    assert lines["translators"].category is Category.STAFF
    assert lines["telephone interpreting contract"].provider is Provider.CONTRACTOR
    assert all(line.values[0] == 0 for line in lines.values())  # nothing before year 1


def test_the_contractor_charges_per_hour_and_booking_less_credits(config) -> None:
    lines = _by_name(SERVICE.cost_lines(config, "outsourced", _volumes(config, "outsourced"), N))
    costs = config.options["outsourced"].other_languages.costs
    charges = lines["other languages interpreting contract"]
    expected = costs.management_fee_per_year + 1000.0 * (
        costs.price_per_hour + costs.price_per_booking + costs.cancellation_fee
    )
    assert charges.values[1] == pytest.approx(expected)
    credits = lines["other languages interpreting contract service credits"]
    assert credits.category is Category.SERVICE_CREDIT and credits.transfer
    assert credits.values[1] == pytest.approx(
        -min(costs.credit_per_missed_booking * 1000.0, 0.1 * expected)
    )
    assert "translation contract" in lines and "translators" not in lines


def test_staff_interpreters_cover_their_roster(config) -> None:
    spec = config.options["mixed"].common_languages
    fte = staff_interpreter_fte(config, spec)
    assert fte == pytest.approx(10 * 365 * 24 / spec.costs.productive_hours_per_fte)
    lines = _by_name(SERVICE.cost_lines(config, "mixed", _volumes(config, "mixed"), N))
    assert lines["common languages staff interpreters"].values[1] > 0
    assert staff_interpreter_fte(config, config.options["in_house"].common_languages) == 0


def test_no_line_depends_on_an_options_name(config) -> None:
    """remote_first has the in-house parts: its lines are in-house's, bar its transition."""
    volumes = _volumes(config, "in_house")
    ours = {ln.name: ln.values for ln in SERVICE.cost_lines(config, "in_house", volumes, N)}
    theirs = {ln.name: ln.values for ln in SERVICE.cost_lines(config, "remote_first", volumes, N)}
    assert ours == theirs


def test_the_economic_case_of_every_option(scenario) -> None:
    result = compare_service(
        SERVICE,
        scenario,
        replications=2,
        runner=Replicator(jobs=2),
        warmup_days=1.0,
        window_days=7.0,
    )
    costs = result.costs.set_index("option")
    assert list(costs.index) == list(SERVICE.section(scenario).options)
    assert (costs["pv_mean"] > 0).all()
    assert costs.loc["in_house", "diff_mean"] == 0
    # the contractor's go-live risk falls only on the options that change provider
    risky = {ln.option for ln in result.lines if ln.name.startswith("risk: contractor short")}
    assert risky == {"outsourced", "mixed"}
    unit = SERVICE.unit_cost(
        [ln for ln in result.lines if ln.option == "in_house"],
        {"fulfilled_hours_per_year": np.r_[0.0, np.full(N, 140_000.0)]},
        N,
    )
    assert math.isfinite(unit) and 20 < unit < 80


def test_each_contract_has_a_should_cost_beside_its_price(config) -> None:
    from models.appraisal import ShouldCostSettings
    from models.language.costs import should_cost

    volumes = _volumes(config, "outsourced", 10_000.0)
    costs = {
        sc.contract: sc for sc in should_cost(config, "outsourced", volumes, ShouldCostSettings())
    }
    assert set(costs) == {
        "common languages interpreting contract",
        "other languages interpreting contract",
        "translation contract",
    }
    terms = config.options["outsourced"].other_languages.terms
    elements = {e.name: e.annual for e in costs["other languages interpreting contract"].elements}
    assert elements["interpreter fees"] == pytest.approx(terms.fee_per_hour * 10_000.0)
    assert all(sc.price > 0 for sc in costs.values())
    assert should_cost(config, "in_house", volumes, ShouldCostSettings()) == []


def test_late_and_failed_requests_cost_the_force_under_every_option(config) -> None:
    """The price of custody hours lost and failed requests, at each option's own volumes; none
    without a price (then they are service measures only)."""
    consequences = config.consequences
    assert consequences.per_custody_hour_lost > 0 and consequences.per_failed_request > 0
    for option in config.options:
        volumes = _volumes(config, option) | {
            "custody_hours_lost_per_year": 300.0,
            "failed_per_year": 20.0,
        }
        lines = _by_name(SERVICE.cost_lines(config, option, volumes, N))
        waiting = lines["custody time waiting for an interpreter"]
        assert waiting.values[1] == pytest.approx(300.0 * consequences.per_custody_hour_lost)
        failed = lines["requests not fulfilled"]
        assert failed.values[N] == pytest.approx(20.0 * consequences.per_failed_request)
        assert waiting.provider is not Provider.CONTRACTOR
    free = config.model_copy(update={"consequences": type(consequences)()})
    names = {
        line.name for line in SERVICE.cost_lines(free, "in_house", _volumes(free, "in_house"), N)
    }
    assert "custody time waiting for an interpreter" not in names
    assert "requests not fulfilled" not in names
