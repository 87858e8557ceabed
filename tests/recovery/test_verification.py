"""Verification of the recovery model against queueing theory (the report appendix runs the
same checks). Each check simulates a configuration of the real model that has a closed form."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.kit.replications import Replicator
from models.recovery.verification import (
    check_erlang_b,
    check_erlang_c,
    check_mg_infinity,
    erlang_b_run,
    mg_infinity_run,
)
from tests.support import assert_passes


@pytest.mark.slow
def test_attendance_waits_match_erlang_c() -> None:
    """One sector, exponential jobs, stationary demand, no pound limit: mean wait = Wq (M/M/c),
    within 3 % and inside the 95 % interval over 40 replications."""
    check = check_erlang_c(runner=Replicator(jobs=2))
    assert_passes(check, within=0.04)


def test_pound_occupancy_matches_m_g_infinity() -> None:
    check = check_mg_infinity(runner=Replicator(jobs=2))
    assert_passes(check)


def test_overflow_share_matches_erlang_b() -> None:
    check = check_erlang_b(runner=Replicator(jobs=2))
    assert 0.1 < check.analytic < 0.3  # a load that really blocks
    assert_passes(check)


def test_a_pound_of_the_wrong_size_is_detected() -> None:
    """A wrong analytic value is detected: the Erlang B figure of a bigger pound (that any
    check fails outside its interval is a contract test)."""
    right = check_erlang_b(erlang_b_run(spaces=80, window_days=30), replications=5)
    assert right.simulated.mean > 0.1
    bigger = check_erlang_b(erlang_b_run(spaces=100, window_days=30), replications=5)
    wrong = replace(right, analytic=bigger.analytic, tolerance=0.05)
    assert not wrong.passed


def test_m_g_infinity_is_insensitive_to_the_queue_for_trucks() -> None:
    """Occupancy does not depend on the trucks: 4 trucks busy 75 % with exponential jobs give
    the same mean occupancy as trucks that never queue (Little's law on the pound)."""
    run = mg_infinity_run(trucks=4, mean_job_hours=1.0, window_days=60)
    check = check_mg_infinity(run, replications=8)
    assert_passes(check)
