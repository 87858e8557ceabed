"""Representative periods: run keys, demand years and interpolation linear in demand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from models.kit.periods import (
    by_run,
    demand_years,
    interpolate,
    parse_run_key,
    run_key,
    split_run_keys,
    yearly_volumes,
)


def _growing(year: float) -> float:
    return 1.02**year


def test_demand_years_spread_from_the_first_to_the_last_operating_year() -> None:
    assert demand_years(10) == (1, 10)
    assert demand_years(10, levels=3) == (1, 6, 10)
    assert demand_years(1) == (1,)
    assert demand_years(10, growth=0.0) == (1,)
    assert demand_years(10, levels=1) == (1,)
    with pytest.raises(ValueError, match="period_years"):
        demand_years(0)


def test_run_keys_round_trip() -> None:
    assert run_key("in_house", 10) == "in_house@10"
    assert run_key("mixed", 2.5) == "mixed@2.5"
    assert parse_run_key("in_house@10") == ("in_house", 10.0)
    assert parse_run_key("a@b@3") == ("a@b", 3.0)
    for bad in ("in_house", "@3"):
        with pytest.raises(ValueError, match="not a run key"):
            parse_run_key(bad)


def test_volumes_proportional_to_demand_are_interpolated_exactly() -> None:
    runs = {
        "in_house@1": {"jobs": 1000.0 * _growing(1)},
        "in_house@10": {"jobs": 1000.0 * _growing(10)},
        "mixed@1": {"jobs": 1.0},
        "mixed@10": {"jobs": 2.0},
    }
    jobs = yearly_volumes(runs, "in_house", _growing, 10, ["jobs"])["jobs"]
    expected = [0.0] + [1000.0 * _growing(y) for y in range(1, 11)]
    np.testing.assert_allclose(jobs, expected, rtol=1e-12)
    mixed = yearly_volumes(runs, "mixed", _growing, 10, ["jobs"])["jobs"]
    assert mixed[0] == 0 and mixed[1] == 1.0 and mixed[10] == 2.0
    assert np.all(np.diff(mixed[1:]) > 0)
    with pytest.raises(KeyError, match="no runs of option 'other'"):
        yearly_volumes(runs, "other", _growing, 10, ["jobs"])


def test_more_levels_interpolate_piecewise() -> None:
    values = interpolate(_growing, [(1, 0.0), (6, 0.0), (10, 100.0)], 10)
    assert np.all(values[:7] == 0) and values[10] == 100 and 0 < values[8] < 100


def test_falling_demand_interpolates_too() -> None:
    def falling(year: float) -> float:
        return 0.97**year

    values = interpolate(falling, [(1, 10.0 * falling(1)), (10, 10.0 * falling(10))], 10)
    np.testing.assert_allclose(values[1:], [10.0 * falling(y) for y in range(1, 11)])


def test_one_demand_level_gives_the_same_volume_every_year() -> None:
    np.testing.assert_array_equal(interpolate(_growing, [(1, 5.0)], 4), [0, 5, 5, 5, 5])


def test_split_run_keys_and_group_by_run() -> None:
    frame = pd.DataFrame(
        {
            "replication": [0, 0, 0],
            "option": ["in_house@1", "in_house@1", "mixed@10"],
            "metric": ["a", "b", "a"],
            "value": [1.0, 3.0, 2.0],
        }
    )
    split = split_run_keys(frame)
    assert list(split["option"]) == ["in_house", "in_house", "mixed"]
    assert list(split["year"]) == [1.0, 1.0, 10.0]
    assert list(split.columns) == ["replication", "option", "year", "metric", "value"]
    assert by_run(frame) == {"in_house@1": {"a": 1.0, "b": 3.0}, "mixed@10": {"a": 2.0}}
