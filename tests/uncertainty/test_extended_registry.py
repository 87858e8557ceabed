"""A scenario built for an extended registry (the example front desk added to the workbook's
services) goes through the whole study on a real process pool of two workers, with the
numbers of one process: the workers are sent the sections and the appraisal settings they
price, never the scenario, whose schema class exists only in the process that built it."""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from models.comparison import compare_service
from models.kit.replications import Replicator
from models.registry import SERVICES
from models.scenario import load_scenario
from models.scenario.schema import ScenarioBase
from models.scenario.uncertainty_settings import UncertaintySettings
from models.uncertainty.ranges import inputs_of, resolve
from models.uncertainty.study import Pricing, Study, replication_runs, run_study
from tests.example_service.front_desk import FRONT_DESK

SCENARIO = Path(__file__).resolve().parents[1] / "example_service" / "report" / "front_desk.yaml"
RANGES = {
    "front_desk.visitors_per_hour": {"low": 5.0, "high": 7.0, "reason": "test"},
    "appraisal.optimism_bias.groups.service_costs.factors.inadequacy_of_the_business_case"
    ".mitigation": {"low": 0.0, "high": 0.6, "reason": "test"},
}


@pytest.fixture(scope="module")
def scenario() -> Any:
    loaded = load_scenario(SCENARIO, registry=SERVICES.with_service(FRONT_DESK))
    settings = UncertaintySettings.model_validate(
        {"samples": 128, "trajectories": 2, "replications": 1, "ranges": RANGES}
    )
    return loaded.model_copy(update={"uncertainty": settings})


@pytest.fixture(scope="module")
def base_runs(scenario: Any) -> list[Any]:
    comparison = compare_service(FRONT_DESK, scenario, replications=2, **FRONT_DESK.quick)
    return replication_runs(comparison.results)


def _study(scenario: Any, base_runs: list[Any], jobs: int) -> Study:
    return run_study(
        FRONT_DESK,
        scenario,
        base_runs,
        replications=scenario.uncertainty.replications,
        overrides=FRONT_DESK.quick,
        runner=Replicator(jobs=jobs),
    )


def test_the_pricing_pickles_without_the_scenario(scenario: Any) -> None:
    """What a worker is sent round-trips and prices an appraisal draw as the original does."""
    inputs = [i for i in inputs_of(resolve(scenario), FRONT_DESK.name) if i.layer == "cost"]
    pricing = Pricing.of(FRONT_DESK, scenario, inputs)
    back = pickle.loads(pickle.dumps(pricing))
    assert type(back.settings) is ScenarioBase and back.settings.appraisal == scenario.appraisal
    assert [i.section for i in back.inputs] == ["appraisal"]
    assert back._appraisal_inputs((0.3,)) == pricing._appraisal_inputs((0.3,))
    assert back._appraisal_inputs((0.3,)) != pricing.base  # the draw does move the appraisal


def test_an_extended_registry_study_prices_on_a_process_pool(
    scenario: Any, base_runs: list[Any]
) -> None:
    one = _study(scenario, base_runs, jobs=1)
    two = _study(scenario, base_runs, jobs=2)
    assert {i.layer for i in (*one.cost.inputs, *one.operational.inputs)} == {
        "cost",
        "operational",
    }
    assert len(one.pv) > 8 * one.cost.block  # more batches than one: the pool is used
    for name in ("pv", "point_pv", "noise", "pairs", "base_pv"):
        assert np.array_equal(getattr(one, name), getattr(two, name)), name
    assert np.all(np.isfinite(two.pv)) and len(np.unique(two.pv[:, 0])) > 10
    assert two.simulated_runs > 0
