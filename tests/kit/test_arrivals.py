"""Weekly arrival profiles, Poisson arrivals (thinning and stationary), scheduled events."""

from __future__ import annotations

import math
from itertools import islice, pairwise, takewhile

import numpy as np
import pytest
import simpy
from scipy import stats

from models.kit.arrivals import (
    HOURS_PER_WEEK,
    ArrivalProfile,
    arrivals,
    hour_of_week,
    poisson_arrival_times,
    scheduled_arrival_times,
    stationary_arrival_times,
)

# Busy weekday daytime, quiet nights, no demand at all 02:00-05:00 on Sunday.
HOURLY = [
    0.5,
    0.3,
    0.2,
    0.2,
    0.3,
    0.6,
    1.5,
    3,
    4,
    5,
    5,
    4.5,
    4,
    4.5,
    5,
    5,
    4,
    3.5,
    3,
    2.5,
    2,
    1.5,
    1,
    0.8,
]
DAYS = [1.0, 1.1, 1.0, 1.0, 1.3, 0.8, 0.6]


def profile() -> ArrivalProfile:
    rates = list(ArrivalProfile.from_hourly(HOURLY, DAYS).rates)
    for hour in (2, 3, 4):
        rates[6 * 24 + hour] = 0.0
    return ArrivalProfile(tuple(rates))


def times_before(iterator: object, until: float) -> np.ndarray:
    return np.fromiter(takewhile(lambda t: t < until, iterator), dtype=float)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- profile


def test_from_hourly_multiplies_hour_rate_by_day_factor_and_scale() -> None:
    p = ArrivalProfile.from_hourly(HOURLY, DAYS, scale=2.0)
    assert len(p.rates) == HOURS_PER_WEEK
    assert p.rate_at(9.5) == pytest.approx(2 * 5 * 1.0)  # Monday 09:30
    assert p.rate_at(4 * 24 + 14.2) == pytest.approx(2 * 5 * 1.3)  # Friday 14:12
    assert p.rate_at(HOURS_PER_WEEK + 4 * 24 + 14.2) == p.rate_at(4 * 24 + 14.2)  # next week
    assert p.max_rate == pytest.approx(2 * 5 * 1.3)
    assert p.mean_rate == pytest.approx(2 * sum(HOURLY) * sum(DAYS) / HOURS_PER_WEEK)


def test_default_day_factors_repeat_the_day_profile() -> None:
    p = ArrivalProfile.from_hourly(HOURLY)
    assert p.rates == tuple(HOURLY) * 7


def test_hour_of_week_wraps_and_never_overflows() -> None:
    assert hour_of_week(0.0) == 0
    assert hour_of_week(167.999) == 167
    assert hour_of_week(168.0) == 0
    assert hour_of_week(-1e-18) == 167


def test_expected_arrivals_integrates_the_rate() -> None:
    p = profile()
    assert p.expected_arrivals(0, HOURS_PER_WEEK) == pytest.approx(p.weekly_arrivals)
    assert p.expected_arrivals(0.5, 1.5) == pytest.approx(0.5 * p.rates[0] + 0.5 * p.rates[1])
    assert p.expected_arrivals(100.25, 100.25 + 3 * HOURS_PER_WEEK) == pytest.approx(
        3 * p.weekly_arrivals
    )


@pytest.mark.parametrize(
    ("hourly", "days", "message"),
    [
        (HOURLY[:23], DAYS, "24 rates"),
        (HOURLY, DAYS[:6], "7 factors"),
        ([-1.0, *HOURLY[1:]], DAYS, "hourly"),
        (HOURLY, [math.nan, *DAYS[1:]], "day_factors"),
        ([math.inf, *HOURLY[1:]], DAYS, "finite rate"),
    ],
)
def test_invalid_profiles_are_refused(hourly: list[float], days: list[float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ArrivalProfile.from_hourly(hourly, days)


def test_profile_needs_168_rates() -> None:
    with pytest.raises(ValueError, match="168"):
        ArrivalProfile((1.0,) * 24)


# --------------------------------------------------------------------------- non-stationary Poisson


def test_counts_per_hour_of_week_match_the_profile_over_many_weeks() -> None:
    p = profile()
    weeks = 300
    t = times_before(poisson_arrival_times(p, np.random.default_rng(11)), weeks * HOURS_PER_WEEK)
    slot = (t // 1).astype(int)  # absolute hour
    counts = np.bincount(slot, minlength=weeks * HOURS_PER_WEEK).reshape(weeks, HOURS_PER_WEEK)

    observed = counts.sum(axis=0)
    expected = weeks * np.array(p.rates)
    assert np.all(observed[expected == 0] == 0)  # closed hours: never an arrival
    busy = expected > 0
    chi2 = float(np.sum((observed[busy] - expected[busy]) ** 2 / expected[busy]))
    assert stats.chi2.sf(chi2, df=int(busy.sum())) > 0.001

    # Poisson, not merely the right mean: variance across weeks equals the mean in each hour.
    dispersion = counts[:, busy].var(axis=0, ddof=1).sum() / counts[:, busy].mean(axis=0).sum()
    assert dispersion == pytest.approx(1.0, abs=0.05)


def test_thinning_times_are_in_order_after_start_and_reproducible() -> None:
    p = profile()
    start = 1000.3
    t = list(islice(poisson_arrival_times(p, np.random.default_rng(5), start=start), 50_000))
    assert t[0] > start
    assert all(b >= a for a, b in pairwise(t))
    again = list(islice(poisson_arrival_times(p, np.random.default_rng(5), start=start), 50_000))
    assert t == again


def test_an_all_zero_profile_gives_no_arrivals() -> None:
    assert list(poisson_arrival_times(ArrivalProfile.constant(0.0), np.random.default_rng())) == []


def test_constant_profile_matches_the_stationary_rate() -> None:
    horizon = 20 * HOURS_PER_WEEK
    n = times_before(
        poisson_arrival_times(ArrivalProfile.constant(2.0), np.random.default_rng(2)), horizon
    ).size
    assert abs(n - 2.0 * horizon) < 4 * math.sqrt(2.0 * horizon)


# --------------------------------------------------------------------------- stationary Poisson


def test_stationary_rate_and_exponential_gaps() -> None:
    rate, horizon = 4.0, 20_000.0
    t = times_before(stationary_arrival_times(rate, np.random.default_rng(3), start=0.0), horizon)
    assert abs(t.size - rate * horizon) < 4 * math.sqrt(rate * horizon)
    gaps = np.diff(t)
    assert gaps.mean() == pytest.approx(1 / rate, rel=0.02)
    assert gaps.std() / gaps.mean() == pytest.approx(1.0, abs=0.02)
    assert stats.kstest(gaps, "expon", args=(0, 1 / rate)).pvalue > 0.001


def test_stationary_zero_rate_gives_nothing_and_negative_rate_is_refused() -> None:
    assert list(stationary_arrival_times(0.0, np.random.default_rng())) == []
    with pytest.raises(ValueError, match="rate"):
        next(stationary_arrival_times(-1.0, np.random.default_rng()))


# --------------------------------------------------------------------------- SimPy process


def test_scheduled_events_fire_at_the_given_times_in_simpy() -> None:
    env = simpy.Environment()
    fired: list[float] = []
    env.process(arrivals(env, scheduled_arrival_times([5.0, 1.5, 3.25, 3.25, 9.0]), fired.append))
    env.run()
    assert fired == [1.5, 3.25, 3.25, 5.0, 9.0]


def test_until_stops_the_process_and_on_arrival_can_start_jobs() -> None:
    env = simpy.Environment()
    finished: list[tuple[float, float]] = []

    def job(arrived: float) -> simpy.events.ProcessGenerator:
        yield env.timeout(0.5)
        finished.append((arrived, env.now))

    proc = env.process(
        arrivals(
            env, scheduled_arrival_times([1, 2, 4, 6]), lambda now: env.process(job(now)), until=4
        )
    )
    env.run()
    assert finished == [(1.0, 1.5), (2.0, 2.5)]  # the arrival at 4 (= until) and later never come
    assert not proc.is_alive


def test_an_endless_poisson_stream_drives_simpy_up_to_until() -> None:
    p, until = profile(), 2 * HOURS_PER_WEEK
    env = simpy.Environment()
    seen: list[float] = []
    proc = env.process(
        arrivals(env, poisson_arrival_times(p, np.random.default_rng(9)), seen.append, until=until)
    )
    env.run(until=until + 1)
    expected = times_before(poisson_arrival_times(p, np.random.default_rng(9)), until)
    assert seen == pytest.approx(expected.tolist(), abs=1e-9)
    assert not proc.is_alive  # the process ended; it does not wait forever


def test_arrivals_refuse_a_time_before_the_clock() -> None:
    env = simpy.Environment(initial_time=10)
    env.process(arrivals(env, iter([5.0]), print))
    with pytest.raises(ValueError, match="earlier than the simulation clock"):
        env.run()


def test_scheduled_times_must_be_finite() -> None:
    with pytest.raises(ValueError, match="finite"):
        scheduled_arrival_times([1.0, math.nan])
