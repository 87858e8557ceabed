"""A contractor's other work (models.kit.other_work) and the observed window of a replication
(models.kit.window): the work keeps its share of the resource busy, is counted only in the
window, and waits behind the force's more urgent jobs."""

from __future__ import annotations

import math
from collections.abc import Generator
from itertools import takewhile
from typing import Any

import pytest
import simpy

from models.kit.arrivals import stationary_arrival_times
from models.kit.distributions import Exponential, Fixed
from models.kit.other_work import OtherWork
from models.kit.roster import RosteredResource, build_roster
from models.kit.streams import Streams
from models.kit.window import Window, WindowedModel
from models.scenario import DEFAULT_SCENARIO, load_scenario

HOURS = 20_000.0
WARMUP = 500.0


class _Work:
    """The other customers' work as a scenario states it."""

    def __init__(self, busy_share: float, job_time: Any) -> None:
        self.busy_share = busy_share
        self.job_time = job_time


def _run(busy_share: float, units: int, job_time: Any, seed: int = 5) -> tuple[OtherWork, Any]:
    env = simpy.Environment()
    resource = RosteredResource(env, build_roster(units), "trucks", WARMUP)
    work = OtherWork(env, warmup=WARMUP, until=HOURS)
    work.start(
        resource,
        1,
        _Work(busy_share, job_time),
        Streams(seed),
        time_stream="test.time",
        arrival_stream="test.arrivals",
    )
    env.run(until=HOURS)
    return work, resource


@pytest.mark.parametrize("busy_share", [0.2, 0.6])
def test_keeps_its_share_of_the_resource_busy(busy_share: float) -> None:
    work, resource = _run(busy_share, units=3, job_time=Exponential(mean=2.0))
    rate = busy_share * 3 / 2.0
    jobs = rate * (HOURS - WARMUP)
    assert abs(work.jobs - jobs) < 4 * math.sqrt(jobs)
    # an M/M/3 with load 3 x busy_share: utilisation is the busy share
    assert resource.utilisation(HOURS) == pytest.approx(busy_share, abs=0.03)


def test_counts_the_jobs_arriving_in_the_window() -> None:
    work, _ = _run(0.5, units=2, job_time=Fixed(value=1.0), seed=9)
    times = stationary_arrival_times(0.5 * 2 / 1.0, Streams(9)["test.arrivals"])
    arrived = list(takewhile(lambda t: t < HOURS, times))
    assert work.jobs == sum(t >= WARMUP for t in arrived)
    assert 0 < work.jobs < len(arrived)


def test_no_work_when_its_share_is_zero() -> None:
    work, resource = _run(0.0, units=2, job_time=Fixed(value=1.0))
    assert work.jobs == 0
    assert resource.busy_hours(HOURS) == 0.0


def test_waits_behind_more_urgent_jobs() -> None:
    """One unit, busy with other work (rank 1); an urgent job (rank 0) that arrives while other
    jobs queue waits only for the job in progress."""
    env = simpy.Environment()
    resource = RosteredResource(env, build_roster(1), "technicians")
    work = OtherWork(env, warmup=0.0, until=500.0)
    work.start(
        resource,
        1,
        _Work(0.9, Fixed(value=5.0)),
        Streams(3),
        time_stream="test.time",
        arrival_stream="test.arrivals",
    )
    asked: list[tuple[float, int]] = []
    served: list[float] = []

    def urgent() -> Generator[simpy.Event, Any, None]:
        while resource.queue_length < 2:
            yield env.timeout(0.5)
        asked.append((env.now, resource.queue_length))
        with resource.request(0) as req:
            yield req
            served.append(env.now)

    env.process(urgent())
    env.run(until=500.0)
    ((when, queued),) = asked
    assert queued >= 2 and served
    assert served[0] - when <= 5.0 + 1e-9  # the job in progress, not the queue ahead


def test_a_windowed_model_observes_warmup_then_window() -> None:
    from models.fleet.model import FleetRun

    config = load_scenario(DEFAULT_SCENARIO).fleet
    run = FleetRun(config, config.business_as_usual, warmup_days=2.0, window_days=5.0)
    model = WindowedModel(run)
    assert (model.env.now, model.warmup, model.end) == (0.0, 48.0, 168.0)
    window = Window(model, model.end, 365.0 / 5.0)
    assert window.model is model and window.per_year == 73.0
