"""Verification of the fleet model against the machine-repair model (the report appendix runs
the same checks): the real model configured as N identical vehicles, c technicians."""

from __future__ import annotations

from dataclasses import replace

from models.fleet.service import SERVICE
from models.fleet.verification import (
    check_independent_units,
    check_machine_repair,
    machine_repair_run,
)
from models.kit.replications import IN_PROCESS, Replicator
from tests.support import assert_passes


def test_availability_and_vehicles_off_the_road_match_machine_repair() -> None:
    checks = check_machine_repair(runner=Replicator(jobs=2))
    assert [c.metric for c in checks] == ["availability", "off_road_mean"]
    assert_passes(*checks, within=0.03)


def test_with_a_technician_per_vehicle_units_are_independent() -> None:
    assert_passes(*check_independent_units(runner=Replicator(jobs=2)))


def test_six_technicians_assumed_for_nine_are_detected() -> None:
    """A wrong analytic value is detected: 9 technicians simulated, 6 assumed."""
    right = check_machine_repair(machine_repair_run(window_days=300), replications=4)[1]
    fewer = check_machine_repair(machine_repair_run(technicians=6, window_days=50), replications=2)
    wrong = replace(right, analytic=fewer[1].analytic, tolerance=0.03)
    assert_passes(right)
    assert not wrong.passed


def test_verify_runs_machine_repair_and_independent_units_on_two_metrics_each() -> None:
    table = SERVICE.verify(replications=2, runner=IN_PROCESS)
    assert list(table["check"]) == ["Machine repair"] * 2 + ["Independent units"] * 2
