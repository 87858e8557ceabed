"""Verification of the recovery model against queueing theory (tests and report appendix).

Each check builds a configuration of the real model simple enough to have a closed form,
simulates it over several replications and compares the mean over replications (95 %
t-interval) with the analytic value:

- **Erlang C** (M/M/c): one sector, ``c`` trucks round the clock, Poisson requests, exponential
  truck jobs (all the job time on scene, no travel): the attendance time is the wait for a
  truck, whose mean is ``Wq`` of the M/M/c queue;
- **M/G/infinity**: no space limit, trucks never queue; the pound holds a vehicle for a general
  stay (lognormal collection capped at the retention period, or retention plus disposal), so
  the mean occupancy is ``arrival rate x mean stay`` (Little's law; Poisson for M/G/infinity);
- **Erlang B** (M/G/c/c): one site with ``c`` spaces and no re-entry from overflow storage: the
  share of vehicles sent to overflow is the blocking probability ``B(c, arrival rate x mean
  stay)``, whatever the stay distribution.

A check passes when the analytic value lies inside the interval *and* the relative difference
is within the tolerance.
"""

from __future__ import annotations

from typing import Any

from models.kit.checks import Expected, VerificationCheck, analytic_check
from models.kit.queueing import erlang_b, mg_infinity, mmc
from models.recovery.analytic import expected_stay_hours
from models.recovery.config import CategorySpec, RecoveryConfig
from models.recovery.model import RecoveryRun, simulate

__all__ = [
    "CHECKS",
    "VerificationCheck",
    "check_erlang_b",
    "check_erlang_c",
    "check_mg_infinity",
    "erlang_b_run",
    "erlang_c_run",
    "mg_infinity_run",
]

HOURS_PER_YEAR = 365.0 * 24.0
_ZERO = {"kind": "fixed", "value": 0.0}


def _config(
    *,
    arrival_rate: float,
    trucks: int,
    on_scene: dict[str, Any],
    release: dict[str, Any],
    capacity: int | None,
    warmup_days: int,
    window_days: int,
) -> RecoveryConfig:
    """One sector, one urgent category, stationary Poisson requests, in-house, zero costs."""
    return RecoveryConfig.model_validate(
        {
            "demand": {
                "annual_vehicles": arrival_rate * HOURS_PER_YEAR,
                "growth_per_year": 0.0,
                "hour_of_day": [1.0] * 24,
                "day_of_week": [1.0] * 7,
                "categories": {
                    "job": {
                        "share": 1.0,
                        "priority": "urgent",
                        "attendance_target_hours": 1.0,
                        "on_scene_time": on_scene,
                        "release": release,
                    }
                },
                "sectors": {
                    "all": {
                        "share": 1.0,
                        "travel_time": _ZERO,
                        "tow_time": _ZERO,
                        "return_time": _ZERO,
                    }
                },
            },
            "charges": {
                "removal": 0,
                "storage_per_day": 0,
                "disposal": 0,
                "collected_paid_share": 1,
                "disposed_paid_share": 0,
            },
            "period": {"warmup_days": warmup_days, "window_days": window_days},
            "business_as_usual": "verification",
            "options": {
                "verification": {
                    "label": "Verification",
                    "recovery": {
                        "provider": "in_house",
                        "trucks": {"all": trucks},
                        "costs": {
                            "crew": {"salary": 0},
                            "trucks": {"unit_cost": 0, "life_years": 1},
                        },
                    },
                    "storage": {
                        "provider": "in_house",
                        "sites": {"pound": {"capacity": capacity, "sectors": ["all"]}},
                        "costs": {"staff": {"salary": 0}},
                    },
                    "examination": {
                        "provider": "in_house",
                        "examiners": 1,
                        "bays": 1,
                        "costs": {"examiner": {"salary": 0}},
                    },
                }
            },
        }
    )


def erlang_c_run(
    arrival_rate: float = 2.0,
    mean_job_hours: float = 0.5,
    trucks: int = 2,
    *,
    warmup_days: int = 2,
    window_days: int = 150,
) -> RecoveryRun:
    """M/M/c: Poisson requests, exponential truck jobs, ``trucks`` round the clock, no travel.

    The defaults (utilisation 50 %) estimate the mean wait most precisely per simulated
    request: at lower loads few requests wait, at higher loads waits are strongly correlated.
    """
    config = _config(
        arrival_rate=arrival_rate,
        trucks=trucks,
        on_scene={"kind": "exponential", "mean": mean_job_hours},
        release={
            "collected_share": 1.0,
            "time_to_collect": {"kind": "fixed", "value": 1.0},
            "retention_days": 1.0,
        },
        capacity=None,
        warmup_days=warmup_days,
        window_days=window_days,
    )
    return RecoveryRun(config, "verification")


_GENERAL_STAY = {
    "collected_share": 0.7,
    "time_to_collect": {"kind": "lognormal", "mean": 30.0, "sd": 40.0},
    "retention_days": 3.0,
    "disposal_days": 1.0,
}
"""A general stay: lognormal collection capped at 3 days for 70 %, 4 days for the rest."""


def mg_infinity_run(
    arrival_rate: float = 3.0,
    *,
    trucks: int = 1000,
    mean_job_hours: float = 0.0,
    warmup_days: int = 5,
    window_days: int = 60,
) -> RecoveryRun:
    """M/G/infinity pound: no space limit. By default trucks never queue (many, with zero job
    time); with few trucks and exponential jobs the mean occupancy is the same (Little's law:
    only the rate of arrivals at the pound and the stay matter)."""
    config = _config(
        arrival_rate=arrival_rate,
        trucks=trucks,
        on_scene=({"kind": "exponential", "mean": mean_job_hours} if mean_job_hours > 0 else _ZERO),
        release=_GENERAL_STAY,
        capacity=None,
        warmup_days=warmup_days,
        window_days=window_days,
    )
    return RecoveryRun(config, "verification")


def erlang_b_run(
    arrival_rate: float = 2.0,
    spaces: int = 80,
    *,
    warmup_days: int = 5,
    window_days: int = 90,
) -> RecoveryRun:
    """M/G/c/c pound: ``spaces`` spaces, overflow vehicles stay outside until they leave."""
    config = _config(
        arrival_rate=arrival_rate,
        trucks=1000,
        on_scene=_ZERO,
        release=_GENERAL_STAY,
        capacity=spaces,
        warmup_days=warmup_days,
        window_days=window_days,
    )
    return RecoveryRun(config, "verification")


def _rate(run: RecoveryRun) -> float:
    """Requests an hour of a verification run."""
    return run.config.demand.annual_vehicles / HOURS_PER_YEAR


def _category(run: RecoveryRun) -> CategorySpec:
    """The one category of a verification run's demand."""
    return next(iter(run.config.demand.categories.values()))


@analytic_check(simulate, erlang_c_run, replications=40, tolerance=0.03)
def check_erlang_c(run: RecoveryRun) -> Expected:
    """Mean attendance time against Erlang C's mean wait ``Wq`` (M/M/c)."""
    category = _category(run)
    trucks = run.spec.recovery.trucks["all"]
    assert isinstance(trucks, int)
    queue = mmc(_rate(run), 1.0 / category.on_scene_time.mean, trucks)
    return Expected(
        name="Erlang C",
        description=(
            f"M/M/{trucks}: {_rate(run):g} requests/h, exponential jobs of "
            f"{category.on_scene_time.mean:g} h (utilisation {queue.utilisation:.0%}); "
            "mean attendance = mean wait for a truck"
        ),
        metric="attendance_mean_hours",
        analytic=queue.mean_wait,
    )


@analytic_check(simulate, mg_infinity_run, replications=10, tolerance=0.03)
def check_mg_infinity(run: RecoveryRun) -> Expected:
    """Mean pound occupancy against M/G/infinity (arrival rate x mean stay)."""
    category = _category(run)
    stay = expected_stay_hours(category)
    model = mg_infinity(_rate(run), stay)
    return Expected(
        name="M/G/infinity",
        description=(
            f"{_rate(run):g} vehicles/h, mean stay {stay:.1f} h (general: capped lognormal "
            "collection or disposal), no space limit; mean occupancy = rate x mean stay"
        ),
        metric="pound_occupancy_mean",
        analytic=model.mean,
    )


@analytic_check(simulate, erlang_b_run, replications=20, tolerance=0.05)
def check_erlang_b(run: RecoveryRun) -> Expected:
    """Share of vehicles sent to overflow against Erlang B (M/G/c/c blocking)."""
    category = _category(run)
    site = next(iter(run.spec.storage.sites.values()))
    assert site.capacity is not None
    load = _rate(run) * expected_stay_hours(category)
    return Expected(
        name="Erlang B",
        description=(
            f"{site.capacity} spaces, offered load {load:.1f} vehicles (general stays), "
            "no re-entry from overflow; overflow share = blocking probability"
        ),
        metric="overflow_share",
        analytic=erlang_b(site.capacity, load),
    )


CHECKS = (check_erlang_c, check_mg_infinity, check_erlang_b)
"""The checks of the service's verification (:meth:`models.service.Service.verify`)."""
