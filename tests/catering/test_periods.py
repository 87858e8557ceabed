"""Representative periods: run keys, demand levels and interpolation of the volumes."""

from __future__ import annotations

import numpy as np
import pytest

from models.catering.config import CateringConfig
from models.catering.costs import volume_metrics
from models.catering.service import SERVICE


def test_demand_years_and_runs(config: CateringConfig) -> None:
    assert SERVICE.demand_years(config, 10) == (1, 10)
    runs = SERVICE.appraisal_runs(config, 10, options=["mixed"], window_days=1)
    assert list(runs) == ["mixed@1", "mixed@10"]
    assert runs["mixed@10"].year == 10 and runs["mixed@10"].window_hours == 24
    assert list(SERVICE.performance_runs(config)) == list(config.options)


def test_volumes_interpolate_in_the_demand_level(config: CateringConfig) -> None:
    """Covers fall 1 % a year: year 5 lies between years 1 and 10 in proportion to demand."""
    first = dict.fromkeys(volume_metrics(config, "in_house"), 100.0)
    last = dict.fromkeys(volume_metrics(config, "in_house"), 90.0)
    del last["custody_emergency_meals_per_year"]  # left out by a run: counts as zero
    series = SERVICE.yearly_volumes(
        {"in_house@1": first, "in_house@10": last}, "in_house", config, 10
    )
    covers = series["restaurant_covers_per_year"]
    assert covers[0] == 0 and covers[1] == 100 and covers[10] == pytest.approx(90)
    factor = config.demand_factor
    expected = 100 + (factor(5) - factor(1)) / (factor(10) - factor(1)) * (90 - 100)
    assert covers[5] == pytest.approx(expected)
    assert np.all(np.diff(covers[1:]) < 0)
    assert series["custody_emergency_meals_per_year"][10] == 0


def test_interpolation_check_runs(config: CateringConfig) -> None:
    table = SERVICE.interpolation_check(
        config,
        4,
        replications=2,
        seed=3,
        options=["in_house"],
        window_days=1,
        feeding_days=7,
    )
    net = table[table["metric"] == "net_cost_per_year"].iloc[0]
    assert net["year"] in (2, 3)
    assert abs(net["relative_difference"]) < 0.02
