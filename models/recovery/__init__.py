"""Vehicle recovery and pounds: scenario schema, SimPy model, representative periods, cost
lines and verification.

Typical use (a notebook)::

    config = scenario.recovery                         # a RecoveryConfig
    runs = appraisal_runs(config, period_years=10)     # {"in_house@1": RecoveryRun, ...}
    volumes = run_replications(simulate, runs, replications=20, seed=scenario.seed)
    pvs = appraise_replications(build_lines(config, 10), volumes, period_years=10, ...)
    performance = split_run_keys(volumes)              # option, year, metric, value
    series = trace(RecoveryRun(config, "mixed", year=1), Streams(scenario.seed))
"""

from models.recovery.analytic import expected_fill, expected_occupancy, expected_stay_days
from models.recovery.config import PRIORITIES, OptionSpec, RecoveryConfig
from models.recovery.costs import build_lines, cost_lines, cost_per_vehicle
from models.recovery.model import (
    DAYS_PER_YEAR,
    STREAMS,
    RecoveryRun,
    RecoveryTrace,
    metric_names,
    simulate,
    trace,
)
from models.recovery.periods import (
    NET_COST,
    VOLUME_METRICS,
    WarmupEvidence,
    appraisal_runs,
    demand_years,
    interpolation_check,
    performance_runs,
    run_key,
    split_run_keys,
    warmup_evidence,
    yearly_volumes,
)
from models.recovery.verification import (
    VerificationCheck,
    check_erlang_b,
    check_erlang_c,
    check_mg_infinity,
    verify,
)

__all__ = [
    "DAYS_PER_YEAR",
    "NET_COST",
    "PRIORITIES",
    "STREAMS",
    "VOLUME_METRICS",
    "OptionSpec",
    "RecoveryConfig",
    "RecoveryRun",
    "RecoveryTrace",
    "VerificationCheck",
    "WarmupEvidence",
    "appraisal_runs",
    "build_lines",
    "check_erlang_b",
    "check_erlang_c",
    "check_mg_infinity",
    "cost_lines",
    "cost_per_vehicle",
    "demand_years",
    "expected_fill",
    "expected_occupancy",
    "expected_stay_days",
    "interpolation_check",
    "metric_names",
    "performance_runs",
    "run_key",
    "simulate",
    "split_run_keys",
    "trace",
    "verify",
    "warmup_evidence",
    "yearly_volumes",
]
