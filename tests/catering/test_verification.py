"""Verification of the catering model against closed forms (the report appendix runs the same
checks): Erlang C, M/M/c/K and a feeding schedule computed by hand."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.catering.model import simulate
from models.catering.service import SERVICE
from models.catering.verification import (
    FeedingScheduleCase,
    check_erlang_c,
    check_feeding_schedule,
    check_mmck,
    counter_run,
)
from models.kit.replications import IN_PROCESS, Replicator
from models.kit.streams import Streams
from tests.support import assert_passes


def test_counter_waits_match_erlang_c() -> None:
    """One counter, two servers at 50 %, exponential service, nobody leaves: mean wait = Wq."""
    assert_passes(check_erlang_c(runner=Replicator(jobs=2)), within=0.05)


def test_balking_matches_m_m_c_k() -> None:
    """Customers leave when 3 are waiting at a 2-server counter (K = 5), offered load 2.4."""
    lost, wait = check_mmck(runner=Replicator(jobs=2))
    assert 0.2 < lost.analytic < 0.3  # a load that really turns customers away
    assert_passes(lost, wait)


def test_the_hand_schedule() -> None:
    """1,000 meals due 12:00-14:00 on day 1; production from 09:00 (3 h lead) on 2 lines of
    100 meals/h in loads of 100 (1 h each); 2 vans, 0.5 h each way, 0.25 h handover.

    By hand: loads are cooked in pairs, ready at 10, 11, 12, 13, 14:00; a van round trip takes
    1.25 h, so pairs leave at 10:00, 11:15, 12:30, 13:45, 15:00 and arrive half an hour later:
    10:30, 11:45, 13:00 (on time), 14:15 and 15:30 (late): 400 meals late.
    """
    case = FeedingScheduleCase()
    day = 24.0
    expected = [10.5, 10.5, 11.75, 11.75, 13.0, 13.0, 14.25, 14.25, 15.5, 15.5]
    assert case.schedule() == [(day + t, 100) for t in expected]
    assert case.late_meals() == 400


def test_feeding_follows_the_hand_schedule() -> None:
    late, on_time = check_feeding_schedule()
    assert_passes(late, on_time)
    assert on_time.simulated.mean == pytest.approx(0.6)


def test_more_lines_and_vans_in_the_hand_schedule() -> None:
    """A bigger kitchen (4 lines, 4 vans) gets everything there on time; the model agrees."""
    case = FeedingScheduleCase(lines=4, vans=4)
    assert case.late_meals() == 0
    metrics = simulate(case.run(), Streams(1))
    assert metrics["feeding_late_meals_per_year"] == 0
    released_at_zero = FeedingScheduleCase(
        officers=250, lines=1, vans=3, travel_hours=1.0, handover_hours=0.0, day=0, window_start=3.0
    )
    assert released_at_zero.release == 0.0  # a 03:00 window on day 0, 3 h lead
    uneven = released_at_zero.schedule()
    assert uneven == [(2.0, 100), (3.0, 100), (3.5, 50)]  # the half-size load cooks in 0.5 h


def test_three_servers_assumed_for_two_are_detected() -> None:
    """A wrong analytic value is detected: the Erlang C figure for three servers."""
    right = check_erlang_c(
        counter_run(mean_service_minutes=1.0, servers=2, window_days=2), replications=4
    )
    three = check_erlang_c(
        counter_run(mean_service_minutes=1.0, servers=3, window_days=2), replications=2
    )
    wrong = replace(right, analytic=three.analytic, tolerance=0.05)
    assert not wrong.passed


def test_verify_runs_erlang_c_m_m_c_k_and_the_feeding_schedule() -> None:
    table = SERVICE.verify(replications=3, runner=IN_PROCESS)
    assert list(table["check"]) == [
        "Erlang C",
        "M/M/c/K lost covers",
        "M/M/c/K wait",
        "Feeding schedule: late meals",
        "Feeding schedule: on time",
    ]
