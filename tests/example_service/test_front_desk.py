"""The example service plugs in through the registry alone and runs through the comparison."""

from __future__ import annotations

import pytest

from models.comparison import AppraisalInputs, compare_options
from models.kit.replications import IN_PROCESS
from models.registry import SERVICES
from models.scenario import DEFAULT_SCENARIO, ScenarioError, load_scenario
from tests.example_service.front_desk import FRONT_DESK, FrontDeskConfig


def test_the_front_desk_is_registered_explicitly_and_compared() -> None:
    registry = SERVICES.with_service(FRONT_DESK)
    service = registry["front_desk"]
    config = FrontDeskConfig()
    inputs = AppraisalInputs.from_scenario(load_scenario(DEFAULT_SCENARIO))
    n = inputs.period_years
    result = compare_options(
        service.simulate,
        service.appraisal_runs(config, n, **service.quick),
        service.build_lines(config, n),
        inputs,
        replications=3,
        seed=7,
        runner=IN_PROCESS,
        baseline=service.business_as_usual(config),
    )
    assert set(result.costs["option"]) == {"in_house", "outsourced"}
    names = {line.name for line in result.lines}
    assert names == {"clerks", "consumables", "desk contract", "desk contract service credits"}
    waits = result.performance.set_index(["option", "metric"])["mean"]
    assert waits["in_house", "wait_mean_minutes"] == pytest.approx(
        waits["outsourced", "wait_mean_minutes"]
    )  # same clerks, same visitors (common random numbers)


def test_the_front_desk_verifies_against_erlang_c() -> None:
    table = FRONT_DESK.verify(replications=5, seed=3)
    assert table["passed"].all()


def test_a_scenario_section_for_the_front_desk_comes_with_its_registry(tmp_path) -> None:
    scenario = tmp_path / "desk.yaml"
    scenario.write_text(
        "extends: baseline.yaml\nfront_desk: {service_minutes: 10.0}\n".replace(
            "baseline.yaml", str(DEFAULT_SCENARIO)
        ),
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match="front_desk: unknown key"):
        load_scenario(scenario)  # the workbook's own registry has no front desk
    loaded = load_scenario(scenario, registry=SERVICES.with_service(FRONT_DESK))
    assert loaded.section("front_desk") == FrontDeskConfig(service_minutes=10.0)
    assert loaded.section("recovery") == load_scenario(DEFAULT_SCENARIO).recovery
