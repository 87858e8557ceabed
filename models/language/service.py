"""The language service, declared (see :class:`models.service.Service`)."""

from __future__ import annotations

import models.language.model as model
from models.service import KeyMetric, Service, UnitCost

__all__ = ["SERVICE"]

SERVICE = Service.declare(
    model.LanguageRun,
    "Language services: interpreting and translation",
    key_metrics=(
        KeyMetric.judged(
            "fulfilled_share", "Face-to-face bookings fulfilled", "share", "higher", "fulfilled"
        ),
        KeyMetric.judged(
            "custody_within_deadline_share",
            "Custody interpreter within deadline",
            "share",
            "higher",
            "custody_within_deadline",
        ),
        KeyMetric("custody_hours_lost_per_year", "Custody hours lost waiting", "hours", "lower"),
        KeyMetric("failed_share", "Face-to-face requests failed", "share", "lower"),
        KeyMetric(
            "fulfilled_hours_per_year", "Hours interpreted and translated", "per year", "higher"
        ),
    ),
    unit_cost=UnitCost("cost per fulfilled hour", "fulfilled_hours_per_year"),
    interpolation_metrics=(
        "common_languages_bookings_per_year",
        "other_languages_bookings_per_year",
        "other_languages_missed_per_year",
        "telephone_minutes_per_year",
        "custody_hours_lost_per_year",
    ),
    quick={"warmup_days": 1.0, "window_days": 7.0},
)
