"""Fleet provision and maintenance: scenario schema, SimPy model, representative periods, cost
lines and verification.

Typical use (a notebook)::

    config = scenario.fleet                            # a FleetConfig
    runs = appraisal_runs(config, period_years=10)     # {"in_house@1": FleetRun, ...}
    volumes = run_replications(simulate, runs, replications=10, seed=scenario.seed)
    pvs = appraise_replications(build_lines(config, 10), volumes, period_years=10, ...)
    performance = split_run_keys(volumes)              # option, year, metric, value
    series = trace(FleetRun(config, "mixed", year=1), Streams(scenario.seed))
"""

from models.fleet.config import PRIORITIES, SERVICE, FleetConfig, OptionSpec
from models.fleet.costs import (
    REPLACEMENT,
    build_lines,
    cost_lines,
    cost_per_vehicle_year,
    replacement_capital,
    replacements_per_year,
    technician_fte,
)
from models.fleet.model import (
    DAYS_PER_YEAR,
    STREAMS,
    FleetRun,
    FleetTrace,
    metric_names,
    simulate,
    trace,
)
from models.fleet.periods import (
    NET_COST,
    WarmupEvidence,
    appraisal_runs,
    demand_years,
    interpolation_check,
    performance_runs,
    run_key,
    split_run_keys,
    volume_metrics,
    warmup_evidence,
    yearly_volumes,
)
from models.fleet.verification import (
    VerificationCheck,
    check_independent_units,
    check_machine_repair,
    machine_repair_run,
    verify,
)

__all__ = [
    "DAYS_PER_YEAR",
    "NET_COST",
    "PRIORITIES",
    "REPLACEMENT",
    "SERVICE",
    "STREAMS",
    "FleetConfig",
    "FleetRun",
    "FleetTrace",
    "OptionSpec",
    "VerificationCheck",
    "WarmupEvidence",
    "appraisal_runs",
    "build_lines",
    "check_independent_units",
    "check_machine_repair",
    "cost_lines",
    "cost_per_vehicle_year",
    "demand_years",
    "interpolation_check",
    "machine_repair_run",
    "metric_names",
    "performance_runs",
    "replacement_capital",
    "replacements_per_year",
    "run_key",
    "simulate",
    "split_run_keys",
    "technician_fte",
    "trace",
    "verify",
    "volume_metrics",
    "warmup_evidence",
    "yearly_volumes",
]
