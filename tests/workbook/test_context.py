"""ReportContext: the run policy of every option report, decided once from the parameters."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from models.registry import SERVICES
from models.scenario import Scenario, load_scenario
from workbook.context import MethodReplications, ReportContext

BASELINE = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return load_scenario(BASELINE)


def test_full_run_simulates_the_sections_period(scenario: Scenario) -> None:
    ctx = ReportContext.from_parameters(scenario, None, False, None, "recovery")
    period = scenario.recovery.period
    assert ctx.replications == scenario.run.replications
    assert (ctx.warmup_days, ctx.window_days) == (period.warmup_days, period.window_days)
    assert ctx.method == MethodReplications.for_run(False)
    assert ctx.overrides == {"warmup_days": period.warmup_days, "window_days": period.window_days}


@pytest.mark.parametrize("name", SERVICES.names)
def test_quick_run_takes_the_run_settings_never_longer_than_a_full_run(
    scenario: Scenario, name: str
) -> None:
    ctx = ReportContext.from_parameters(scenario, None, True, 2, name)
    run, period = scenario.run, getattr(scenario, name).period
    assert ctx.replications == run.quick_replications
    assert ctx.window_days == min(run.quick_horizon_days, period.window_days)
    assert ctx.warmup_days == min(run.warmup_days, period.warmup_days)
    assert ctx.method == MethodReplications.for_run(True)
    assert ctx.jobs == 2


def test_method_replications_are_one_policy_for_every_service(scenario: Scenario) -> None:
    for quick in (False, True):
        methods = {
            ReportContext.from_parameters(scenario, None, quick, None, n).method
            for n in SERVICES.names
        }
        assert len(methods) == 1
    assert (
        MethodReplications.for_run(True).interpolation
        < MethodReplications.for_run(False).interpolation
    )


def test_explicit_replications_override_the_scenario(scenario: Scenario) -> None:
    assert ReportContext.from_parameters(scenario, 7, True, None, "fleet").replications == 7
    assert ReportContext.from_parameters(scenario, 7, False, None, "fleet").replications == 7


def test_business_as_usual_comes_from_the_section(scenario: Scenario) -> None:
    stated = scenario.fleet.business_as_usual
    assert ReportContext.from_parameters(scenario, None, True, None, "fleet").baseline == stated
    other = next(o for o in scenario.fleet.options if o != stated)
    fleet = scenario.fleet.model_copy(update={"business_as_usual": other})
    changed = scenario.model_copy(update={"fleet": fleet})
    ctx = ReportContext.from_parameters(changed, None, True, None, "fleet")
    assert ctx.baseline == other
    assert other not in ctx.others


def test_a_scenario_without_the_section_is_refused_in_one_line(scenario: Scenario) -> None:
    without = scenario.model_copy(update={"catering": None})
    with pytest.raises(ValueError, match="has no 'catering' section") as refused:
        ReportContext.from_parameters(without, None, True, None, "catering")
    assert "\n" not in str(refused.value)


def test_an_unknown_service_is_refused_in_one_line(scenario: Scenario) -> None:
    with pytest.raises(ValueError, match="no service 'laundry'") as refused:
        ReportContext.from_parameters(scenario, None, True, None, "laundry")
    assert "\n" not in str(refused.value)


def test_a_path_is_loaded_and_the_context_is_frozen() -> None:
    ctx = ReportContext.from_parameters(str(BASELINE), None, False, None, "catering")
    assert ctx.scenario.name and ctx.service.name == "catering"
    assert list(ctx.labels) == list(ctx.config.options)
    assert ctx.labels["in_house"] == "In-house"
    assert ctx.title == f"{ctx.service.title}: options appraisal"
    assert ctx.period_years == ctx.scenario.appraisal.period_years
    with pytest.raises(dataclasses.FrozenInstanceError):
        ctx.replications = 3  # type: ignore[misc]


def _streams_of(_run: object, streams: object) -> object:
    return streams


def test_traces_give_every_option_its_own_fresh_streams(scenario: Scenario) -> None:
    ctx = ReportContext.from_parameters(scenario, None, True, None, "recovery")
    recording = dataclasses.replace(
        ctx, service=dataclasses.replace(ctx.service, trace=_streams_of)
    )
    streams = recording.traces()
    assert list(streams) == ctx.options
    assert len({id(s) for s in streams.values()}) == len(ctx.options)


def test_an_unchanged_comparison_comes_whole_from_the_cache(
    scenario: Scenario, tmp_path: Path
) -> None:
    from models.kit.cache import ResultCache

    ctx = ReportContext.from_parameters(scenario, 2, True, 1, "recovery")
    ctx = dataclasses.replace(ctx, cache=ResultCache(tmp_path))
    first = ctx.compare()
    again = dataclasses.replace(ctx, cache=ResultCache(tmp_path))
    second = again.compare()
    assert again.cache.hits == 1 and again.cache.misses == 0  # one look-up: the comparison
    assert second.pv.equals(first.pv) and second.costs.equals(first.costs)
    assert second.performance.equals(first.performance)
    changed = dataclasses.replace(again, replications=3)
    assert len(changed.compare().pv) == 3 * len(ctx.options)  # another key: computed afresh
