"""The two-layer study on a real service (recovery, short periods): reproducible, the same on
any number of workers and on a Dask cluster, and no simulation for inputs that only change
costs."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
import pytest

from models.appraisal import net_present_costs
from models.comparison import OptionComparison, compare_service
from models.kit.replications import IN_PROCESS, Replicator
from models.registry import SERVICES
from models.scenario import load_scenario
from models.scenario.uncertainty_settings import UncertaintySettings
from models.uncertainty.analysis import analyse
from models.uncertainty.ranges import replaced, resolve
from models.uncertainty.study import Study, replication_runs, run_study
from tests.support import BASELINE

SERVICE = SERVICES["recovery"]
COSTS = {
    "recovery.options.*.storage.costs.staff.salary": {
        "low": 0.9,
        "high": 1.2,
        "relative": True,
        "reason": "test",
    },
    "recovery.options.*.recovery.costs.price_per_job.*": {
        "low": 0.8,
        "high": 1.3,
        "relative": True,
        "reason": "test",
    },
    "appraisal.optimism_bias.groups.service_costs.factors.inadequacy_of_the_business_case"
    ".mitigation": {"low": 0.0, "high": 0.6, "reason": "test"},
}
DEMAND = {
    "recovery.demand.annual_vehicles": {"low": 30000, "high": 45000, "reason": "test"},
}


def _scenario(ranges: dict[str, Any], **sizes: Any) -> Any:
    base = load_scenario(BASELINE)
    settings = UncertaintySettings.model_validate(
        {"samples": 256, "trajectories": 2, "replications": 1, **sizes, "ranges": ranges}
    )
    return base.model_copy(update={"uncertainty": settings})


@pytest.fixture(scope="module")
def scenario() -> Any:
    return _scenario({**COSTS, **DEMAND})


@pytest.fixture(scope="module")
def comparison(scenario: Any) -> OptionComparison:
    return compare_service(SERVICE, scenario, replications=2, runner=IN_PROCESS, **SERVICE.quick)


def _study(scenario: Any, comparison: OptionComparison, runner: Replicator) -> Study:
    return run_study(
        SERVICE,
        scenario,
        replication_runs(comparison.results),
        replications=scenario.uncertainty.replications,
        overrides=SERVICE.quick,
        runner=runner,
    )


@pytest.fixture(scope="module")
def one_worker(scenario: Any, comparison: OptionComparison) -> Study:
    return _study(scenario, comparison, Replicator(jobs=1))


def _same(a: Study, b: Study) -> None:
    assert np.array_equal(a.pv, b.pv)
    assert np.array_equal(a.point_pv, b.point_pv)
    assert np.array_equal(a.noise, b.noise)
    assert np.array_equal(a.pairs, b.pairs)
    for name in a.performance:
        assert np.array_equal(a.performance[name], b.performance[name], equal_nan=True)


def test_the_study_has_both_layers(one_worker: Study, scenario: Any) -> None:
    layers = {i.name: i.layer for i in resolve(scenario)}
    assert layers["recovery.demand.annual_vehicles"] == "operational"
    assert {layers[k] for k in COSTS} == {"cost"}
    assert one_worker.cost.unit.shape[1] == 3 and one_worker.operational.unit.shape == (4, 1)
    assert one_worker.pv.shape == (len(one_worker.cost.unit), 3)
    assert one_worker.simulated_runs == 4 * 1 * 6  # points x replications x (options x years)
    assert np.all(np.isfinite(one_worker.pv))


def test_the_study_is_reproducible_and_worker_count_invariant(
    one_worker: Study, scenario: Any, comparison: OptionComparison
) -> None:
    _same(one_worker, _study(scenario, comparison, Replicator(jobs=1)))
    _same(one_worker, _study(scenario, comparison, Replicator(jobs=2)))


def test_the_study_is_the_same_on_a_dask_cluster(
    one_worker: Study, scenario: Any, comparison: OptionComparison
) -> None:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        _same(
            one_worker,
            _study(scenario, comparison, Replicator(jobs=2, executor=client.get_executor())),
        )


def _never(_run: Any, _streams: Any) -> dict[str, float]:
    raise AssertionError("a cost-only study simulated")


def test_cost_only_sampling_simulates_nothing(comparison: OptionComparison) -> None:
    scenario = _scenario(COSTS)
    silent = dataclasses.replace(SERVICE, simulate=_never)
    found = run_study(
        silent,
        scenario,
        replication_runs(comparison.results),
        replications=1,
        overrides=SERVICE.quick,
        runner=Replicator(jobs=2),
    )
    assert found.simulated_runs == 0
    assert found.operational.unit.shape == (1, 0) and found.base_replications == 2
    assert len(np.unique(found.pv[:, 0])) > 100  # every sample re-priced


def test_base_present_values_are_the_comparisons(
    one_worker: Study, comparison: OptionComparison
) -> None:
    inputs = comparison.inputs
    pv = net_present_costs(
        comparison.lines,
        period_years=inputs.period_years,
        schedule=inputs.schedule,
        optimism_bias=inputs.optimism_bias,
    )
    assert list(one_worker.base_pv) == pytest.approx([pv[o] for o in one_worker.options], rel=1e-12)


def test_a_drawn_row_prices_as_a_revalidated_section(one_worker: Study, scenario: Any) -> None:
    """Applying draws by ``model_copy`` (fast, unvalidated) prices exactly as a section
    validated afresh with the same values."""
    pricing, config = one_worker.pricing, one_worker.base_config
    row = one_worker.cost.values[17]
    updates, kept, values = {}, [], []
    for one, value in zip(pricing.inputs, row, strict=True):
        if one.section == "appraisal":
            kept.append(one)
            values.append(value)
            continue
        updates.update({k[1:]: v for k, v in one.values_at(float(value)).items()})
    assert updates and kept
    validated = type(config).model_validate(replaced(config, updates).model_dump(mode="python"))
    fast = pricing.present_values(config, row, one_worker.base_volumes)
    slow = dataclasses.replace(pricing, inputs=tuple(kept))
    assert np.array_equal(fast, slow.present_values(validated, values, one_worker.base_volumes))


def test_findings_are_coherent(one_worker: Study, scenario: Any) -> None:
    config = SERVICE.section(scenario)
    found = analyse(one_worker, config, SERVICE.key_metrics, seed=scenario.seed)
    assert sum(found.cheapest.values()) == pytest.approx(1.0)
    pcts = found.percentiles.set_index("option")
    assert (pcts["pv_p10"] <= pcts["pv_p50"]).all() and (pcts["pv_p80"] <= pcts["pv_p90"]).all()
    assert (pcts.loc[found.baseline, ["diff_p10", "diff_p90"]] == 0).all()
    assert set(found.tornado["input"]) == {i.name for i in resolve(scenario)}
    assert list(found.sobol["input"]) == list(COSTS)
    assert list(found.morris["input"]) == list(DEMAND)
    shares = found.variance
    assert shares["noise"] > 0 and shares["operational"] > 0
    assert all(0 <= shares[k] <= 1 for k in ("noise", "operational", "cost")), shares
    first = int(np.argmin(one_worker.base_pv))
    for row in found.switching[found.switching["within_range"]].itertuples(index=False):
        if row.method != "re-priced":
            continue
        one = next(i for i in one_worker.pricing.inputs if i.name == row.input)
        at = one_worker.pricing.stated_row()
        at[one_worker.pricing.inputs.index(one)] = row.switches_at
        pv = one_worker.pricing.present_values(one_worker.base_config, at, one_worker.base_volumes)
        assert np.min(np.delete(pv, first)) == pytest.approx(pv[first], rel=1e-6)
    text = json.dumps(found.to_dict(), allow_nan=False)
    assert "probability_cheapest" in text and not math.isnan(found.stated_difference)
