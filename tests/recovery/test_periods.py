"""Representative periods: demand levels simulated, interpolation over the appraisal years, and
the warm-up evidence."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest

from models.kit.periods import NET_COST, run_key
from models.recovery.config import RecoveryConfig
from models.recovery.costs import VOLUME_METRICS
from models.recovery.service import SERVICE
from models.recovery.warmup import warmup_evidence
from tests.support import in_house_interpolation


def test_demand_years_are_the_first_and_last_operating_years(
    config: RecoveryConfig, mapping: dict[str, Any]
) -> None:
    assert SERVICE.demand_years(config, 10) == (1, 10)
    assert SERVICE.demand_years(config, 10, levels=3) == (1, 6, 10)
    assert SERVICE.demand_years(config, 1) == (1,)
    flat = copy.deepcopy(mapping)
    flat["demand"]["growth_per_year"] = 0.0
    assert SERVICE.demand_years(RecoveryConfig.model_validate(flat), 10) == (1,)


def test_appraisal_runs_every_option_at_every_demand_year(config: RecoveryConfig) -> None:
    runs = SERVICE.appraisal_runs(config, 10)
    assert list(runs) == [run_key(o, y) for o in config.options for y in (1, 10)]
    assert {(r.option, r.year) for r in runs.values()} == {
        (o, y) for o in config.options for y in (1, 10)
    }


def test_volumes_proportional_to_demand_are_interpolated_exactly(config: RecoveryConfig) -> None:
    factor = config.demand.demand_factor
    by_run = {
        "in_house@1": {m: 1000.0 * factor(1) for m in VOLUME_METRICS},
        "in_house@10": {m: 1000.0 * factor(10) for m in VOLUME_METRICS},
        "mixed@1": {m: 1.0 for m in VOLUME_METRICS},
        "mixed@10": {m: 2.0 for m in VOLUME_METRICS},
    }
    volumes = SERVICE.yearly_volumes(by_run, "in_house", config, 10)
    expected = np.array([0.0] + [1000.0 * factor(y) for y in range(1, 11)])
    for metric in VOLUME_METRICS:
        np.testing.assert_allclose(volumes[metric], expected, rtol=1e-12)
    mixed = SERVICE.yearly_volumes(by_run, "mixed", config, 10)["jobs_per_year"]
    assert mixed[0] == 0 and mixed[1] == 1.0 and mixed[10] == 2.0
    assert np.all(np.diff(mixed[1:]) > 0)


def test_interpolated_jobs_and_net_cost_are_within_3_percent(config: RecoveryConfig) -> None:
    metrics = ["jobs_per_year", "vehicle_days_per_year"]
    table = in_house_interpolation(
        SERVICE, config, metrics, replications=3, warmup_days=7, window_days=14
    )
    assert list(table["metric"]) == [*metrics, NET_COST]
    rows = table.set_index("metric")
    jobs = rows.loc["jobs_per_year"]
    assert abs(jobs["relative_difference"]) < 0.03
    assert jobs["low"] <= jobs["difference"] <= jobs["high"]
    assert abs(rows.loc[NET_COST, "relative_difference"]) < 0.03


def test_warmup_evidence_follows_the_analytic_fill_curve(config: RecoveryConfig) -> None:
    evidence = warmup_evidence(config, "in_house", replications=2, days=70, seed=3)
    assert evidence.mean.shape == (70,)
    assert evidence.by_replication.shape == (2, 70)
    assert evidence.floor_days == 56  # crime-related: 28 days' retention + 28 disposal
    assert evidence.chosen_days == config.period.warmup_days
    # the pound fills from empty as the infinite-server formula says
    late = slice(60, 70)
    assert evidence.mean[late].mean() == pytest.approx(evidence.expected[late].mean(), rel=0.06)
    assert evidence.mean[:7].mean() < 0.25 * evidence.stationary
    assert 0 <= evidence.mser5_days <= 35
