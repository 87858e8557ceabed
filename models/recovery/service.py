"""The recovery service, declared (see :class:`models.service.Service`)."""

from __future__ import annotations

import models.recovery.model as model
from models.service import KeyMetric, Service, UnitCost

__all__ = ["SERVICE"]

SERVICE = Service.declare(
    model.RecoveryRun,
    "Vehicle recovery and pounds",
    key_metrics=(
        KeyMetric.judged(
            "attendance_within_target_urgent",
            "Urgent attended within target",
            "share",
            "higher",
            "urgent_within_target",
        ),
        KeyMetric("attendance_mean_hours_urgent", "Urgent attendance, mean", "hours", "lower"),
        KeyMetric.judged(
            "attendance_within_target_routine",
            "Routine attended within target",
            "share",
            "higher",
            "routine_within_target",
        ),
        KeyMetric("pound_occupancy_mean", "Vehicles held, mean", "vehicles", "lower"),
        KeyMetric("exam_wait_mean_hours", "Wait for examination, mean", "hours", "lower"),
        KeyMetric("income_per_year", "Statutory charges received", "pounds a year", "higher"),
        KeyMetric("service_credits_per_year", "Late attendances (contract)", "per year", "lower"),
    ),
    unit_cost=UnitCost("cost per vehicle recovered", "jobs_per_year"),
    interpolation_metrics=(
        "jobs_per_year",
        "vehicle_days_per_year",
        "overflow_vehicle_days_per_year",
        "service_credits_per_year",
        "income_per_year",
    ),
    quick={"warmup_days": 7.0, "window_days": 14.0},
)
