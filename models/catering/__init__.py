"""Catering: staff restaurants, operational feeding and custody meals — scenario schema, SimPy
model, representative periods, cost lines and verification.

Typical use (a notebook)::

    config = scenario.catering                          # a CateringConfig
    runs = appraisal_runs(config, period_years=10)      # {"in_house@1": CateringRun, ...}
    volumes = run_replications(simulate, runs, replications=20, seed=scenario.seed)
    pvs = appraise_replications(build_lines(config, 10), volumes, period_years=10, ...)
    performance = split_run_keys(volumes)               # option, year, metric, value
    day = trace(CateringRun(config, "in_house", year=1), Streams(scenario.seed))
    day.feeding_hourly["required"], day.feeding_hourly["delivered"]   # Carnival by hour
"""

from models.catering.config import WEEKDAYS, CateringConfig, OptionSpec
from models.catering.costs import (
    build_lines,
    cost_lines,
    cost_per_meal,
    event_staff_hours,
    feeding_fte,
    restaurant_fte,
    subsidy_per_cover,
    vans_owned,
)
from models.catering.model import (
    DAYS_PER_YEAR,
    STREAMS,
    CateringRun,
    CateringTrace,
    metric_names,
    simulate,
    trace,
)
from models.catering.periods import (
    NET_COST,
    appraisal_runs,
    demand_years,
    interpolation_check,
    parse_run_key,
    performance_runs,
    run_key,
    split_run_keys,
    volume_metrics,
    yearly_volumes,
)
from models.catering.verification import (
    FeedingScheduleCase,
    VerificationCheck,
    check_erlang_c,
    check_feeding_schedule,
    check_mmck,
    hand_schedule,
    verify,
)

__all__ = [
    "DAYS_PER_YEAR",
    "NET_COST",
    "STREAMS",
    "WEEKDAYS",
    "CateringConfig",
    "CateringRun",
    "CateringTrace",
    "FeedingScheduleCase",
    "OptionSpec",
    "VerificationCheck",
    "appraisal_runs",
    "build_lines",
    "check_erlang_c",
    "check_feeding_schedule",
    "check_mmck",
    "cost_lines",
    "cost_per_meal",
    "demand_years",
    "event_staff_hours",
    "feeding_fte",
    "hand_schedule",
    "interpolation_check",
    "metric_names",
    "parse_run_key",
    "performance_runs",
    "restaurant_fte",
    "run_key",
    "simulate",
    "split_run_keys",
    "subsidy_per_cover",
    "trace",
    "vans_owned",
    "verify",
    "volume_metrics",
    "yearly_volumes",
]
