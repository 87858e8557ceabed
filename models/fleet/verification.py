"""Verification of the fleet model against queueing theory (tests and report appendix).

The real model is configured as the finite-source machine-repair model (M/M/c//N): ``N``
identical vehicles, each failing after an exponential time on the road (rate ``lambda`` while
up, never while in the workshop), one kind of job with exponential labour (rate ``mu``), ``c``
technicians round the clock, bays for every vehicle, no travel, no parts delays, no services,
work in one stretch. Availability (mean share of vehicles on the road) and the mean number off
the road then match :func:`models.kit.queueing.machine_repair`; with ``c >= N`` nobody queues
and each vehicle is up a share ``mu / (lambda + mu)`` of the time, independently of the others
(the independent-unit formula).

A check passes when the analytic value lies inside the simulation's 95 % interval over the
replications *and* the relative difference is within the tolerance.
"""

from __future__ import annotations

from functools import partial

from models.fleet.config import FleetConfig
from models.fleet.model import HOURS_PER_YEAR, FleetRun, simulate
from models.kit.checks import Expected, VerificationCheck, analytic_check
from models.kit.queueing import machine_repair

__all__ = [
    "CHECKS",
    "VerificationCheck",
    "check_independent_units",
    "check_machine_repair",
    "machine_repair_run",
]

_NONE_REQUIRED = {"early": 0, "late": 0, "night": 0}


def machine_repair_run(
    vehicles: int = 200,
    failures_per_year: float = 12.0,
    mean_repair_hours: float = 24.0,
    technicians: int = 9,
    *,
    warmup_days: int = 20,
    window_days: int = 1000,
) -> FleetRun:
    """The fleet model configured as M/M/c//N (defaults: 200 vehicles failing once a month on
    the road, repairs of a day on average, 9 technicians, about 70 % busy: a load at which the
    mean number off the road is estimated to about 2 % in 10 replications)."""
    config = FleetConfig.model_validate(
        {
            "vehicles": {
                "unit": {
                    "count": vehicles,
                    "annual_miles": 0,
                    "failures_per_year": {"repair": failures_per_year},
                    "required": {"weekday": _NONE_REQUIRED, "weekend": _NONE_REQUIRED},
                    "replacement": {"life_years": 5, "unit_cost": 0},
                }
            },
            "jobs": {
                "repair": {
                    "skill": "technician",
                    "labour_hours": {"kind": "exponential", "mean": mean_repair_hours},
                    "turnaround_target_hours": mean_repair_hours,
                }
            },
            "period": {"warmup_days": warmup_days, "window_days": window_days},
            "business_as_usual": "verification",
            "options": {
                "verification": {
                    "label": "Verification",
                    "workshops": {
                        "shop": {
                            "provider": "in_house",
                            "technicians": {"technician": technicians},
                            "bays": {"general": vehicles},
                            "work_session_hours": None,
                            "costs": {"technician": {"salary": 0}},
                        }
                    },
                    "routing": {"repair": "shop"},
                }
            },
        }
    )
    return FleetRun(config, "verification")


def _parameters(run: FleetRun) -> tuple[int, float, float, int]:
    """N, lambda (per hour on the road), mu (per hour), c of a machine-repair run."""
    unit = run.config.vehicles["unit"]
    labour = run.config.jobs["repair"].labour_hours
    technicians = run.spec.workshops["shop"].technicians["technician"]
    assert isinstance(technicians, int)
    return unit.count, unit.failure_rate / HOURS_PER_YEAR, 1.0 / labour.mean, technicians


_WHAT = {"availability": "availability = mean up / N", "off_road_mean": "mean off the road"}


def _expected(name: str, description: str, analytic: dict[str, float]) -> list[Expected]:
    """One expectation per metric of ``analytic`` (availability, mean off the road)."""
    return [
        Expected(name, f"{description}; {_WHAT[metric]}", metric, value)
        for metric, value in analytic.items()
    ]


def _describe(run: FleetRun) -> str:
    n, lam, mu, c = _parameters(run)
    return (
        f"{n} vehicles failing {lam * HOURS_PER_YEAR:g}/year on the road, exponential repairs "
        f"of {1 / mu:g} h, {c} technicians"
    )


@analytic_check(simulate, machine_repair_run, replications=10, tolerance=0.03)
def check_machine_repair(run: FleetRun) -> list[Expected]:
    """Availability and mean vehicles off the road against M/M/c//N (two checks)."""
    model = machine_repair(*_parameters(run))
    return _expected(
        "Machine repair",
        f"{_describe(run)} (busy {model.mean_repairers_busy / model.repairers:.0%})",
        {"availability": model.availability, "off_road_mean": model.mean_down},
    )


@analytic_check(
    simulate,
    partial(machine_repair_run, technicians=200, window_days=400),
    replications=10,
    tolerance=0.03,
)
def check_independent_units(run: FleetRun) -> list[Expected]:
    """With at least as many technicians as vehicles nobody queues: each vehicle is up a share
    ``mu / (lambda + mu)`` of the time and the mean off the road is ``N lambda / (lambda + mu)``
    (the independent-unit formula)."""
    n, lam, mu, c = _parameters(run)
    if c < n:
        raise ValueError(f"the independent-unit formula needs technicians >= vehicles ({c} < {n})")
    share_up = mu / (lam + mu)
    return _expected(
        "Independent units",
        _describe(run),
        {"availability": share_up, "off_road_mean": n * (1.0 - share_up)},
    )


CHECKS = (check_machine_repair, check_independent_units)
"""The checks of the service's verification (:meth:`models.service.Service.verify`)."""
