"""The fleet maintenance service, declared (see :class:`models.service.Service`)."""

from __future__ import annotations

import models.fleet.model as model
from models.fleet.costs import REPLACEMENT
from models.service import KeyMetric, Service, UnitCost

__all__ = ["SERVICE"]

SERVICE = Service.declare(
    model.FleetRun,
    "Fleet provision and maintenance",
    key_metrics=(
        KeyMetric("availability", "Vehicles on the road", "share", "higher"),
        KeyMetric("off_road_mean", "Vehicles off the road, mean", "vehicles", "lower"),
        KeyMetric("off_road_p95_daily", "Vehicles off the road, 95th pct day", "vehicles", "lower"),
        KeyMetric("jobs_per_year", "Workshop jobs", "per year", "lower"),
        KeyMetric(
            "turnaround_mean_hours_mechanical", "Mechanical turnaround, mean", "hours", "lower"
        ),
        KeyMetric("breaches_per_year", "Jobs over contract turnaround", "per year", "lower"),
    ),
    unit_cost=UnitCost("maintenance cost per vehicle-year", "vehicles", leave_out=(REPLACEMENT,)),
    interpolation_metrics=("jobs_per_year", "off_road_mean", "breaches_per_year"),
    quick={"warmup_days": 7.0, "window_days": 14.0},
)
