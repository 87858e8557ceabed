"""The catering service, declared (see :class:`models.service.Service`)."""

from __future__ import annotations

import models.catering.model as model
from models.service import KeyMetric, Service, UnitCost

__all__ = ["SERVICE"]

SERVICE = Service.declare(
    model.CateringRun,
    "Catering: staff restaurants, operational feeding and custody meals",
    key_metrics=(
        KeyMetric("restaurant_covers_per_year", "Restaurant covers", "per year", "higher"),
        KeyMetric.judged(
            "restaurant_peak_wait_mean_minutes",
            "Lunch-peak wait, mean",
            "minutes",
            "lower",
            "peak_wait_mean_minutes",
        ),
        KeyMetric.judged(
            "restaurant_lost_share", "Covers lost to queues", "share", "lower", "lost_cover_share"
        ),
        KeyMetric.judged(
            "feeding_on_time_share",
            "Operational meals on time",
            "share",
            "higher",
            "feeding_on_time",
        ),
        KeyMetric.judged(
            "feeding_emergency_within_target",
            "Emergency requests met in time",
            "share",
            "higher",
            "emergency_within_target",
        ),
        KeyMetric.judged(
            "custody_on_time_share", "Custody meals on time", "share", "higher", "custody_on_time"
        ),
        KeyMetric("meals_per_year", "Meals", "per year", "higher"),
    ),
    unit_cost=UnitCost("cost per meal", "meals_per_year"),
    interpolation_metrics=(
        "restaurant_covers_per_year",
        "restaurant_lost_covers_per_year",
        "feeding_late_meals_per_year",
        "custody_meals_per_year",
        "custody_late_meals_per_year",
    ),
    quick={"warmup_days": 1.0, "window_days": 2.0, "feeding_days": 28},
    unobserved_is_zero=True,
)
