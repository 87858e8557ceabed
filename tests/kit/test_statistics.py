"""Tally and TimeWeighted against numpy and hand calculations."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pytest
import simpy

from models.kit.statistics import Tally, TimeWeighted


def _filled(values: np.ndarray, **kwargs: object) -> Tally:
    tally = Tally(**kwargs)  # type: ignore[arg-type]
    tally.add_many(values.tolist())
    return tally


def test_tally_moments_match_numpy() -> None:
    values = np.random.default_rng(1).lognormal(mean=1.0, sigma=0.8, size=20_000)
    tally = _filled(values)
    assert tally.n == values.size
    assert tally.mean == pytest.approx(values.mean(), rel=1e-12)
    assert tally.variance == pytest.approx(values.var(ddof=1), rel=1e-9)
    assert tally.std == pytest.approx(values.std(ddof=1), rel=1e-9)
    assert tally.min == values.min()
    assert tally.max == values.max()


def test_welford_is_stable_with_a_large_offset() -> None:
    values = 1e9 + np.random.default_rng(2).normal(0.0, 1.0, size=5_000)
    tally = _filled(values)
    assert tally.variance == pytest.approx(values.var(ddof=1), rel=1e-6)


def test_threshold_shares_are_exact() -> None:
    rng = np.random.default_rng(3)
    values = np.round(rng.exponential(1.0, size=10_000), 2)  # ties exactly at thresholds
    thresholds = (0.0, 0.5, 1.0, 2.5)
    tally = Tally(thresholds=thresholds)
    tally.add_many(values.tolist())
    for t in thresholds:
        assert tally.share_at_most(t) == np.count_nonzero(values <= t) / values.size


def test_unregistered_threshold_is_refused() -> None:
    tally = Tally(thresholds=(1.0,))
    tally.add(0.3)
    with pytest.raises(ValueError, match="not registered"):
        tally.share_at_most(2.0)


@pytest.mark.parametrize("accuracy", [0.01, 0.002])
def test_quantiles_within_documented_relative_accuracy(accuracy: float) -> None:
    rng = np.random.default_rng(4)
    # waits: a mass of zeros (served at once) plus a heavy right tail, and some negatives
    values = np.concatenate(
        [np.zeros(3_000), rng.lognormal(0.0, 1.5, 20_000), -rng.exponential(2.0, 2_000)]
    )
    rng.shuffle(values)
    tally = _filled(values, relative_accuracy=accuracy)
    for q in (0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0):
        exact = np.quantile(values, q, method="lower")
        assert abs(tally.quantile(q) - exact) <= accuracy * abs(exact) * (1 + 1e-9), q


def test_memory_is_flat_in_the_number_of_observations() -> None:
    rng = np.random.default_rng(5)
    tally = Tally(thresholds=(0.5,))
    tally.add_many(rng.exponential(1.0, 10_000).tolist())
    small = len(pickle.dumps(tally_state(tally)))
    tally.add_many(rng.exponential(1.0, 190_000).tolist())
    large = len(pickle.dumps(tally_state(tally)))
    assert tally.n == 200_000
    # 20x the observations, but bounded buckets: size grows only while new magnitudes appear
    assert large < 1.5 * small
    bound = 2 * (math.log(1e6 / 1e-6) / math.log(1.01 / 0.99) + 2)
    assert tally.buckets <= bound


def tally_state(tally: Tally) -> dict[str, object]:
    return {name: getattr(tally, name) for name in Tally.__slots__}


def test_empty_and_reset() -> None:
    tally = Tally(thresholds=(1.0,))
    assert tally.n == 0 and math.isnan(tally.mean) and math.isnan(tally.quantile(0.5))
    tally.add(2.0)
    assert math.isnan(tally.variance)
    tally.reset()
    assert tally.n == 0 and math.isnan(tally.share_at_most(1.0))
    tally.add(0.5)
    assert tally.share_at_most(1.0) == 1.0 and tally.quantile(0.5) == 0.5


def test_non_finite_observation_is_refused() -> None:
    with pytest.raises(ValueError, match="finite"):
        Tally().add(math.nan)


def test_time_weighted_mean_by_hand() -> None:
    # level 2 on [0, 3), 5 on [3, 4), 0 on [4, 10): area 6 + 5 + 0 = 11 over 10 h
    level = TimeWeighted(0.0, initial=2.0, levels=(1.0, 4.0))
    level.update(3.0, 5.0)
    level.add(4.0, -5.0)
    assert level.mean(10.0) == pytest.approx(1.1)
    assert level.max == 5.0
    assert level.time_above(1.0, 10.0) == pytest.approx(4.0)
    assert level.time_above(4.0, 10.0) == pytest.approx(1.0)


def test_mean_counts_the_last_level_up_to_until() -> None:
    level = TimeWeighted(0.0, initial=0.0)
    level.update(2.0, 3.0)  # 3 from t=2 and never changed again
    assert level.mean(4.0) == pytest.approx(1.5)  # (0*2 + 3*2) / 4
    assert level.mean(8.0) == pytest.approx(18.0 / 8.0)


def test_reset_at_warm_up_keeps_current_level() -> None:
    level = TimeWeighted(0.0, initial=10.0)
    level.update(1.0, 4.0)
    level.reset(5.0)  # warm-up: level 4 carries over, history before t=5 is dropped
    assert level.max == 4.0
    level.update(7.0, 1.0)
    assert level.mean(9.0) == pytest.approx((4.0 * 2 + 1.0 * 2) / 4.0)


def test_time_weighted_follows_a_simpy_environment() -> None:
    env = simpy.Environment(initial_time=2.0)
    level = TimeWeighted(env, initial=1.0)

    def step() -> simpy.events.ProcessGenerator:
        yield env.timeout(3.0)
        level.update(env.now, 3.0)

    env.process(step())
    env.run(until=7.0)
    assert level.start == 2.0
    assert level.mean(env.now) == pytest.approx((1.0 * 3 + 3.0 * 2) / 5.0)


def test_time_cannot_go_backwards() -> None:
    level = TimeWeighted(0.0)
    level.update(5.0, 1.0)
    with pytest.raises(ValueError, match="backwards"):
        level.update(4.0, 2.0)
    with pytest.raises(ValueError, match="before the last update"):
        level.mean(3.0)
