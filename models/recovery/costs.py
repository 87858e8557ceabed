"""Green Book cost lines of a recovery option, from its terms and its simulated volumes.

Fixed costs come from the option's terms and rosters (crews and examiners on duty, trucks to
buy, standing charges, client function, transition); variable costs and income are unit prices
times the simulated annual volumes (:meth:`models.service.Service.yearly_volumes`) (jobs by
priority, vehicle-days, overflow vehicle-days, examinations, disposals, paid charges), and
service credits are the credit per breach times the simulated breaches. Lines are built with
:mod:`models.appraisal`, which applies optimism bias and discounting.
"""

from __future__ import annotations

import math

from models import costing
from models.appraisal import CostLine, income_line
from models.costing import roster_hours_per_year
from models.recovery.config import (
    ContractorExamination,
    ContractorRecovery,
    ContractorStorage,
    InHouseExamination,
    InHouseRecovery,
    InHouseStorage,
    RecoveryConfig,
    build_roster,
)

__all__ = [
    "VOLUME_METRICS",
    "cost_lines",
    "examiner_fte",
    "roster_hours_per_year",
    "truck_crew_fte",
    "trucks_owned",
    "volume_metrics",
]

VOLUME_METRICS: tuple[str, ...] = (
    "jobs_per_year",
    "jobs_urgent_per_year",
    "jobs_routine_per_year",
    "service_credits_per_year",
    "vehicle_days_per_year",
    "overflow_vehicles_per_year",
    "overflow_vehicle_days_per_year",
    "exams_per_year",
    "disposed_per_year",
    "paid_removals_per_year",
    "paid_storage_days_per_year",
    "paid_disposals_per_year",
    "income_per_year",
)
"""The annual volumes the cost lines use (interpolated between demand levels)."""


def volume_metrics(config: RecoveryConfig, option: str) -> tuple[str, ...]:
    """The annual volumes the cost lines of ``option`` use (the same for every option)."""
    return VOLUME_METRICS


def truck_crew_fte(recovery: InHouseRecovery) -> float:
    """Crew full-time equivalents to keep the trucks on the roster manned."""
    costs = recovery.costs
    return costing.roster_fte(
        recovery.trucks.values(), costs.productive_hours_per_fte, costs.crew_per_truck
    )


def trucks_owned(recovery: InHouseRecovery) -> int:
    """Trucks to own: the most on duty at once in each sector, plus spares."""
    peak = sum(build_roster(spec).max_capacity for spec in recovery.trucks.values())
    return math.ceil(peak * (1.0 + recovery.costs.trucks.spare_share))


def examiner_fte(examination: InHouseExamination) -> float:
    """Examiner full-time equivalents to cover the examiners' roster."""
    return costing.roster_fte([examination.examiners], examination.costs.productive_hours_per_fte)


def _recovery_lines(
    option: str, recovery: InHouseRecovery | ContractorRecovery, volumes: costing.Volumes, n: int
) -> list[CostLine]:
    if isinstance(recovery, InHouseRecovery):
        costs = recovery.costs
        trucks, residual = costing.asset_cost_lines(
            option,
            "recovery trucks",
            asset=costs.trucks,
            units=trucks_owned(recovery),
            period_years=n,
            note=f"{trucks_owned(recovery)} trucks incl. spares",
        )
        fte = truck_crew_fte(recovery)
        crews = ("recovery crews", fte, costs.crew, f"{fte:.1f} FTE from the truck rosters")
        running = (
            "recovery running costs",
            costs.cost_per_job,
            "jobs_per_year",
            "per tow, simulated jobs",
        )
        return [
            *costing.staff_cost_lines(option, [crews], n),
            trucks,
            residual,
            *costing.per_volume_lines(
                option, [running], volumes, growth=costs.real_growth, period_years=n
            ),
            costing.fixed_line(
                option,
                "recovery fixed costs",
                costs.fixed_per_year,
                period_years=n,
                growth=costs.real_growth,
            ),
        ]
    terms = recovery.costs
    return costing.contract_cost_lines(
        option,
        "recovery contract",
        volumes,
        n,
        fixed_fee=terms.standing_charge_per_year,
        prices={
            "urgent": (terms.price_per_job["urgent"], "jobs_urgent_per_year"),
            "routine": (terms.price_per_job["routine"], "jobs_routine_per_year"),
        },
        credits=(terms.credit_per_breach, "service_credits_per_year", terms.credit_cap),
        growth=terms.real_growth,
        note="standing charge + price per job; credits per simulated breach",
    )


def _storage_lines(
    option: str, storage: InHouseStorage | ContractorStorage, volumes: costing.Volumes, n: int
) -> list[CostLine]:
    if isinstance(storage, InHouseStorage):
        costs = storage.costs
        growth = costs.real_growth
        activities = [
            (
                "pound handling",
                costs.cost_per_vehicle_day,
                "vehicle_days_per_year",
                "per vehicle-day held, simulated",
            ),
            (
                "overflow storage",
                costs.overflow_price_per_vehicle_day,
                "overflow_vehicle_days_per_year",
                "external storage when a site is full, simulated vehicle-days",
            ),
            ("disposals", costs.cost_per_disposal, "disposed_per_year", ""),
        ]
        return [
            *costing.staff_cost_lines(option, [("pound staff", costs.fte, costs.staff, "")], n),
            costing.fixed_line(
                option, "pound sites", costs.fixed_per_year, period_years=n, growth=growth
            ),
            *costing.per_volume_lines(option, activities, volumes, growth=growth, period_years=n),
        ]
    terms = storage.costs
    return costing.contract_cost_lines(
        option,
        "storage contract",
        volumes,
        n,
        fixed_fee=terms.standing_charge_per_year,
        prices={
            "vehicle_days": (terms.price_per_vehicle_day, "vehicle_days_per_year"),
            "overflow_vehicle_days": (
                terms.overflow_price_per_vehicle_day,
                "overflow_vehicle_days_per_year",
            ),
            "disposals": (terms.price_per_disposal, "disposed_per_year"),
        },
        growth=terms.real_growth,
        note="standing charge + prices per vehicle-day and disposal",
    )


def _examination_lines(
    option: str,
    examination: InHouseExamination | ContractorExamination,
    volumes: costing.Volumes,
    n: int,
) -> list[CostLine]:
    if isinstance(examination, InHouseExamination):
        costs = examination.costs
        fte = examiner_fte(examination)
        examiners = (
            "vehicle examiners",
            fte,
            costs.examiner,
            f"{fte:.1f} FTE from the examiners' roster",
        )
        consumables = ("examination consumables", costs.cost_per_exam, "exams_per_year", "")
        growth = costs.real_growth
        return [
            *costing.staff_cost_lines(option, [examiners], n),
            *costing.per_volume_lines(
                option, [consumables], volumes, growth=growth, period_years=n
            ),
            costing.fixed_line(
                option,
                "examination fixed costs",
                costs.fixed_per_year,
                period_years=n,
                growth=growth,
            ),
        ]
    terms = examination.costs
    return costing.contract_cost_lines(
        option,
        "examination contract",
        volumes,
        n,
        fixed_fee=terms.standing_charge_per_year,
        prices={"exams": (terms.price_per_exam, "exams_per_year")},
        growth=terms.real_growth,
    )


def _income_lines(
    config: RecoveryConfig, option: str, volumes: costing.Volumes, n: int
) -> list[CostLine]:
    charges = config.charges
    lines = []
    for name, charge, metric in (
        ("removal charges", charges.removal, "paid_removals_per_year"),
        ("storage charges", charges.storage_per_day, "paid_storage_days_per_year"),
        ("disposal charges", charges.disposal, "paid_disposals_per_year"),
    ):
        lines.append(
            income_line(
                option,
                name,
                charge=charge,
                volume=costing.volume(volumes, metric),
                growth=charges.real_growth,
                period_years=n,
                note="statutory charges actually paid, simulated",
            )
        )
    return lines


def cost_lines(
    config: RecoveryConfig, option: str, volumes: costing.Volumes, period_years: int
) -> list[CostLine]:
    """Every cost line of ``option`` over years ``0 .. period_years``.

    ``volumes`` maps the metric names of
    :data:`VOLUME_METRICS` to an annual figure (one for every year) or
    to one figure per year ``0 .. period_years``.
    """
    spec = config.options[option]
    n = period_years
    lines = [
        *_recovery_lines(option, spec.recovery, volumes, n),
        *_storage_lines(option, spec.storage, volumes, n),
        *_examination_lines(option, spec.examination, volumes, n),
    ]
    lines.extend(
        costing.client_and_transition_lines(option, spec.client_function, spec.transition, n)
    )
    lines.extend(_income_lines(config, option, volumes, n))
    return lines
