"""Verification of the fleet model against the machine-repair model (the report appendix runs
the same checks): the real model configured as N identical vehicles, c technicians."""

from __future__ import annotations

from models.fleet.verification import (
    VerificationCheck,
    check_independent_units,
    check_machine_repair,
    machine_repair_run,
    verify,
)


def _report(check: VerificationCheck) -> str:
    s = check.simulated
    return (
        f"{check.name} {check.metric}: analytic {check.analytic:.5g}, simulated {s.mean:.5g} "
        f"[{s.low:.5g}, {s.high:.5g}] ({check.relative_difference:+.2%})"
    )


def test_availability_and_vehicles_off_the_road_match_machine_repair() -> None:
    checks = check_machine_repair(jobs=2)
    assert [c.metric for c in checks] == ["availability", "off_road_mean"]
    for check in checks:
        assert check.simulated.relative_half_width < 0.03, _report(check)
        assert check.passed, _report(check)


def test_with_a_technician_per_vehicle_units_are_independent() -> None:
    for check in check_independent_units(jobs=2):
        assert check.passed, _report(check)


def test_the_checks_can_fail() -> None:
    """A wrong analytic value is detected: 9 technicians simulated, 6 assumed."""
    right = check_machine_repair(machine_repair_run(window_days=300), replications=4)[1]
    fewer = check_machine_repair(machine_repair_run(technicians=6, window_days=50), replications=2)
    wrong = VerificationCheck(
        right.name, right.description, right.metric, fewer[1].analytic, right.simulated, 0.03
    )
    assert right.passed, _report(right)
    assert not wrong.passed


def test_verify_gives_one_row_per_check() -> None:
    table = verify(replications=2, jobs=1)
    assert list(table["check"]) == ["Machine repair"] * 2 + ["Independent units"] * 2
    assert {"analytic", "simulated", "low", "high", "passed"} <= set(table.columns)
