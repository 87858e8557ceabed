"""Representative periods of the fleet model: fleet-size levels, volumes and warm-up."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from models.fleet.config import FleetConfig
from models.fleet.costs import volume_metrics
from models.fleet.model import FleetRun
from models.fleet.service import SERVICE
from models.fleet.warmup import warmup_evidence
from tests.support import in_house_interpolation


def test_one_level_when_the_fleet_keeps_its_size(config: FleetConfig) -> None:
    assert config.size_change_per_year == 0
    assert SERVICE.demand_years(config, 10) == (1,)
    runs = SERVICE.appraisal_runs(config, 10)
    assert list(runs) == ["in_house@1", "outsourced@1", "mixed@1"]


def test_a_shrinking_fleet_is_simulated_at_two_sizes(mapping: dict[str, Any]) -> None:
    mapping["size_change_per_year"] = -0.02
    config = FleetConfig.model_validate(mapping)
    assert SERVICE.demand_years(config, 10) == (1, 10)
    run = SERVICE.appraisal_runs(config, 10)["in_house@10"]
    assert run.year == 10
    assert config.count("response", 10) == round(1650 * 0.98**10)
    metrics = volume_metrics(config, "in_house")
    by_run = {
        "in_house@1": {m: 100.0 * config.demand_factor(1) for m in metrics},
        "in_house@10": {m: 100.0 * config.demand_factor(10) for m in metrics},
    }
    volumes = SERVICE.yearly_volumes(by_run, "in_house", config, 10)
    for metric in metrics:
        expected = [0.0] + [100.0 * config.demand_factor(y) for y in range(1, 11)]
        np.testing.assert_allclose(volumes[metric], expected, rtol=1e-12)


def test_volume_metrics_name_every_workshop_and_kind(config: FleetConfig) -> None:
    metrics = volume_metrics(config, "mixed")
    assert "vehicles" in metrics and "vehicle_shifts_short_per_year" in metrics
    assert "jobs_contractor_collision_per_year" in metrics
    assert "breaches_force_per_year" in metrics


def test_interpolation_holds_for_a_shrinking_fleet(small: dict[str, Any]) -> None:
    small["size_change_per_year"] = -0.03
    config = FleetConfig.model_validate(small)
    table = in_house_interpolation(
        SERVICE, config, ["jobs_per_year"], replications=2, warmup_days=3, window_days=14
    ).set_index("metric")
    assert abs(table.loc["jobs_per_year", "relative_difference"]) < 0.05
    assert abs(table.loc["net_cost_per_year", "relative_difference"]) < 0.02


def test_warmup_evidence_supports_the_chosen_warm_up(
    small: dict[str, Any], short: Callable[..., FleetRun]
) -> None:
    config = FleetConfig.model_validate(small)
    evidence = warmup_evidence(config, "outsourced", replications=2, days=70, seed=3)
    assert evidence.mean.shape == (70,)
    assert evidence.by_replication.shape == (2, 70)
    # from every vehicle on the road, the workshops fill over the first weeks
    assert evidence.mean[0] < 0.5 * evidence.mean[40:].mean()
    assert evidence.mser5_days <= evidence.chosen_days == 42
    assert evidence.supported
    assert evidence.mean[40:].mean() == pytest.approx(
        0.094 * sum(v.count for v in config.vehicles.values()), rel=0.15
    )
