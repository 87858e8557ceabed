"""Shifts, rosters and the rostered resource, checked by hand and against simpy.Resource."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import numpy as np
import pytest
import simpy

from models.kit.roster import Roster, RosteredResource, Shift

DAY_NIGHT = Roster([Shift(7, 19, 4), Shift(19, 7, 2)])
MON, FRI, SAT, SUN = 0, 4, 5, 6


def at(day: int, hour: float, week: int = 0) -> float:
    """Simulation time of ``hour`` on ``day`` (0 = Monday) of week ``week + 1``."""
    return week * 168.0 + day * 24.0 + hour


# --- Shift and Roster ---------------------------------------------------------------------


def test_day_and_night_capacity() -> None:
    assert [DAY_NIGHT.capacity_at(t) for t in (0.0, 6.99, 7.0, 18.99, 19.0, 23.5)] == [
        2,
        2,
        4,
        4,
        2,
        2,
    ]
    assert DAY_NIGHT.capacity_at(at(SUN, 20.0, week=5)) == 2
    assert DAY_NIGHT.max_capacity == 4 and DAY_NIGHT.min_capacity == 2
    assert DAY_NIGHT.change_times(48.0) == [7.0, 19.0, 31.0, 43.0]
    assert DAY_NIGHT.weekly_capacity_hours == pytest.approx(7 * (12 * 4 + 12 * 2))
    assert DAY_NIGHT.capacity_hours(0.0, 10.0) == pytest.approx(7 * 2 + 3 * 4)
    assert DAY_NIGHT.capacity_hours(5.0, 5.0 + 3 * 168.0) == pytest.approx(
        3 * DAY_NIGHT.weekly_capacity_hours
    )


def test_night_shift_wraps_midnight_into_the_next_day() -> None:
    roster = Roster([Shift(22, 6, 1, days=frozenset({FRI}))])
    assert roster.capacity_at(at(FRI, 21.9)) == 0
    assert roster.capacity_at(at(FRI, 23.0)) == 1
    assert roster.capacity_at(at(SAT, 5.5)) == 1
    assert roster.capacity_at(at(SAT, 6.0)) == 0
    assert roster.capacity_at(at(MON, 2.0)) == 0  # no Sunday night shift
    assert roster.change_times(168.0) == [at(FRI, 22.0), at(SAT, 6.0)]


def test_sunday_night_shift_covers_monday_morning_of_the_same_week() -> None:
    roster = Roster([Shift(22, 6, 3, days=frozenset({SUN}))])
    assert roster.capacity_at(0.0) == 3
    assert roster.capacity_at(5.99) == 3
    assert roster.capacity_at(6.0) == 0
    assert roster.capacity_at(at(SUN, 22.5)) == 3
    assert roster.change_times(2 * 168.0) == [6.0, at(SUN, 22.0), 168.0 + 6.0, at(SUN, 22.0, 1)]


def test_weekday_shifts_and_overlaps_add_up() -> None:
    roster = Roster(
        [
            Shift(9, 17, 3, days=frozenset(range(5))),  # weekdays
            Shift(8, 20, 1),  # every day
        ]
    )
    assert roster.capacity_at(at(MON, 8.5)) == 1
    assert roster.capacity_at(at(MON, 10.0)) == 4
    assert roster.capacity_at(at(SAT, 10.0)) == 1
    assert roster.capacity_at(at(SUN, 21.0)) == 0
    assert roster.weekly_capacity_hours == pytest.approx(5 * 8 * 3 + 7 * 12)


def test_constant_roster_has_no_changes() -> None:
    roster = Roster.constant(3)
    assert roster.is_constant and roster.capacity_at(123.4) == 3
    assert roster.change_times(1000.0) == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"start": 24, "end": 6, "capacity": 1},
        {"start": 6, "end": 25, "capacity": 1},
        {"start": 6, "end": 8, "capacity": -1},
        {"start": 6, "end": 8, "capacity": 1.5},
        {"start": 6, "end": 8, "capacity": 1, "days": frozenset({7})},
    ],
)
def test_invalid_shifts_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        Shift(**kwargs)


# --- RosteredResource ---------------------------------------------------------------------


def job(
    env: simpy.Environment,
    resource: RosteredResource | simpy.Resource,
    arrive: float,
    service: float,
    log: list[tuple[float, float, float]],
    priority: int | None = None,
) -> Generator[simpy.Event, Any, None]:
    """Arrive at ``arrive``, hold one unit for ``service``; log (arrive, start, end)."""
    yield env.timeout(arrive - env.now)
    request = resource.request() if priority is None else resource.request(priority)
    with request as req:
        yield req
        start = env.now
        yield env.timeout(service)
    log.append((arrive, start, env.now))


def test_capacity_follows_shifts_in_a_running_simulation() -> None:
    env = simpy.Environment()
    resource = RosteredResource(env, DAY_NIGHT, "crews")
    rng = np.random.default_rng(11)
    log: list[tuple[float, float, float]] = []
    t = 0.0
    while t < 72.0:  # heavy demand so every unit on duty is used
        t += rng.exponential(1 / 9.0)
        env.process(job(env, resource, t, rng.uniform(0.05, 0.5), log))
    samples: list[tuple[float, int, int]] = []

    def monitor() -> Generator[simpy.Event, Any, None]:
        while True:
            # xx:45: at least 45 min after any change, longer than any job, so no overrun
            yield env.timeout(0.75 if env.now == 0 else 1.0)
            samples.append((env.now, resource.count, resource.capacity))

    env.process(monitor())
    env.run(until=72.0)

    for now, busy, capacity in samples:
        assert capacity == DAY_NIGHT.capacity_at(now)
        assert busy <= capacity
    in_service = {now: sum(s <= now < e for _, s, e in log) for now, _, _ in samples}
    assert all(n <= DAY_NIGHT.capacity_at(now) for now, n in in_service.items())
    for _, start, _ in log:  # no job ever starts beyond the on-duty capacity
        assert sum(s <= start < e for _, s, e in log) <= DAY_NIGHT.capacity_at(start)
    busiest_day = max(n for now, n in in_service.items() if 7 <= now % 24 < 19)
    busiest_night = max(n for now, n in in_service.items() if not 7 <= now % 24 < 19)
    assert (busiest_day, busiest_night) == (4, 2)


def test_units_finish_their_job_before_going_off_duty() -> None:
    env = simpy.Environment()
    roster = Roster([Shift(0, 6, 2), Shift(6, 24, 1)])  # 2 units until 06:00, then 1
    resource = RosteredResource(env, roster, warmup=5.0)
    log: list[tuple[float, float, float]] = []
    env.process(job(env, resource, 4.0, 4.0, log))  # 4-8, overruns the 06:00 drop
    env.process(job(env, resource, 4.0, 4.0, log))  # 4-8, overruns too
    env.process(job(env, resource, 7.0, 1.0, log))  # waits: only 1 on duty and 2 busy
    env.run(until=8.5)
    assert sorted(log) == [(4.0, 4.0, 8.0), (4.0, 4.0, 8.0)]
    # [5, 8): 2 busy, 2 on duty (one overrunning); [8, 8.5): 1 busy (job 3), 1 on duty
    assert resource.utilisation() == pytest.approx(1.0)
    env.run(until=10.0)
    assert log[-1] == (7.0, 8.0, 9.0)
    assert resource.busy_hours() == pytest.approx(3 * 2 + 1)
    assert resource.on_duty_hours() == pytest.approx(3 * 2 + 2 * 1)
    assert resource.utilisation() == pytest.approx(7 / 8)
    assert resource.mean_busy() == pytest.approx(7 / 5)
    assert resource.mean_on_duty() == pytest.approx(8 / 5)
    assert resource.mean_queue() == pytest.approx(1 / 5)  # job 3 waits from 7 to 8
    assert resource.wait_tally.n == 1 and resource.wait_tally.mean == pytest.approx(1.0)


def test_utilisation_across_warm_up_and_at_the_end_of_the_run() -> None:
    env = simpy.Environment()
    server = RosteredResource(env, Roster.constant(1), warmup=5.0, wait_thresholds=(0.5,))
    log: list[tuple[float, float, float]] = []
    env.process(job(env, server, 3.0, 4.0, log))  # 3-7: warm-up at 5 falls inside it
    env.process(job(env, server, 8.0, 4.0, log))  # 8-12: still in progress at 10
    env.process(job(env, server, 9.0, 1.0, log))  # waits 9-12, served 12-13
    env.run(until=10.0)
    assert server.utilisation() == pytest.approx((2 + 2) / 5)
    assert server.utilisation(until=10.0) == pytest.approx(0.8)
    assert server.mean_queue() == pytest.approx(1 / 5)
    assert server.wait_tally.n == 1  # the 3-7 job was granted before warm-up
    env.run(until=14.0)
    assert server.utilisation() == pytest.approx((2 + 4 + 1) / 9)
    assert server.mean_queue() == pytest.approx(3 / 9)
    assert server.max_queue == 1
    assert server.wait_tally.n == 2 and server.wait_tally.mean == pytest.approx(1.5)
    assert server.wait_tally.share_at_most(0.5) == 0.5


def test_reporting_outside_the_observed_window_is_refused() -> None:
    env = simpy.Environment()
    server = RosteredResource(env, Roster.constant(1), warmup=5.0)
    env.process(job(env, server, 6.0, 1.0, []))
    env.run(until=4.0)
    with pytest.raises(ValueError, match="warm-up"):
        server.utilisation()
    env.run(until=8.0)
    with pytest.raises(ValueError, match=r"only at 8\.0 h"):
        server.utilisation(until=9.0)  # the future is not known yet
    with pytest.raises(ValueError, match="before the last update"):
        server.utilisation(until=6.5)  # history before the last change is not kept
    assert server.utilisation() == pytest.approx(1 / 3)


def test_priorities_served_first_and_fifo_within_priority() -> None:
    env = simpy.Environment()
    server = RosteredResource(env, Roster.constant(1))
    log: list[tuple[float, float, float]] = []
    env.process(job(env, server, 0.0, 10.0, log, priority=1))
    arrivals = [(1.0, 1), (2.0, 0), (3.0, 1), (4.0, 0), (5.0, 2), (6.0, 0)]
    for arrive, priority in arrivals:
        env.process(job(env, server, arrive, 1.0, log, priority=priority))
    env.run()
    served = [arrive for arrive, _, _ in sorted(log, key=lambda row: row[1])]
    assert served == [0.0, 2.0, 4.0, 6.0, 1.0, 3.0, 5.0]


def test_withdrawn_request_leaves_the_queue() -> None:
    env = simpy.Environment()
    server = RosteredResource(env, Roster.constant(1))
    log: list[tuple[float, float, float]] = []
    reneged: list[float] = []

    def impatient() -> Generator[simpy.Event, Any, None]:
        yield env.timeout(1.0)
        with server.request() as req:
            yield req | env.timeout(2.0)
            if not req.triggered:
                reneged.append(env.now)

    env.process(job(env, server, 0.0, 10.0, log))
    env.process(impatient())
    env.process(job(env, server, 2.0, 1.0, log))
    env.run(until=20.0)
    assert reneged == [3.0]
    assert sorted(log) == [(0.0, 0.0, 10.0), (2.0, 10.0, 11.0)]
    assert server.mean_queue() == pytest.approx((2.0 + 8.0) / 20.0)  # 1-3 reneger, 2-10 other


def _waits(make: Any, priorities: np.ndarray | None) -> list[float]:
    rng = np.random.default_rng(7)
    arrivals = np.cumsum(rng.exponential(1 / 1.8, 3000))
    services = rng.exponential(1.0, 3000)
    env = simpy.Environment()
    resource = make(env)
    log: list[tuple[float, float, float]] = []
    for i, (arrive, service) in enumerate(zip(arrivals, services, strict=True)):
        priority = None if priorities is None else int(priorities[i])
        env.process(job(env, resource, float(arrive), float(service), log, priority))
    env.run()
    return [start - arrive for arrive, start, _ in sorted(log)]


def test_constant_roster_behaves_exactly_like_simpy_resource() -> None:
    ours = _waits(lambda env: RosteredResource(env, Roster.constant(2)), None)
    theirs = _waits(lambda env: simpy.Resource(env, capacity=2), None)
    assert len(ours) == 3000 and max(ours) > 1.0  # queues do build up
    assert ours == theirs


def test_constant_roster_with_priorities_matches_simpy_priority_resource() -> None:
    priorities = np.random.default_rng(8).integers(0, 3, 3000)
    ours = _waits(lambda env: RosteredResource(env, Roster.constant(2)), priorities)
    theirs = _waits(lambda env: simpy.PriorityResource(env, capacity=2), priorities)
    assert ours == theirs


def test_run_without_until_ends_when_the_model_is_done() -> None:
    env = simpy.Environment()
    resource = RosteredResource(env, DAY_NIGHT)
    log: list[tuple[float, float, float]] = []
    for arrive in (1.0, 30.0, 31.0):
        env.process(job(env, resource, arrive, 2.0, log))
    env.run()  # the roster process must not keep the simulation alive for ever
    assert [end for _, _, end in sorted(log)] == [3.0, 32.0, 33.0]
    assert env.now < 48.0
