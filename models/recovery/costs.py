"""Green Book cost lines of a recovery option, from its terms and its simulated volumes.

Fixed costs come from the option's terms and rosters (crews and examiners on duty, trucks to
buy, standing charges, client function, transition); variable costs and income are unit prices
times the simulated annual volumes of :func:`models.recovery.periods.yearly_volumes` (jobs by
priority, vehicle-days, overflow vehicle-days, examinations, disposals, paid charges), and
service credits are the credit per breach times the simulated breaches. Lines are built with
:mod:`models.appraisal`, which applies optimism bias and discounting.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from models.appraisal import (
    Category,
    CostLine,
    activity_line,
    contract_lines,
    income_line,
)
from models.costing import (
    Volumes,
    asset_cost_lines,
    client_and_transition_lines,
    levelised_cost,
    replication_lines,
    roster_fte,
    roster_hours_per_year,
    staff_cost_line,
)
from models.costing import volume as _volume
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
from models.recovery.periods import yearly_volumes

__all__ = [
    "build_lines",
    "cost_lines",
    "cost_per_vehicle",
    "examiner_fte",
    "roster_hours_per_year",
    "truck_crew_fte",
    "trucks_owned",
]


def truck_crew_fte(recovery: InHouseRecovery) -> float:
    """Crew full-time equivalents to keep the trucks on the roster manned."""
    costs = recovery.costs
    return roster_fte(
        recovery.trucks.values(), costs.productive_hours_per_fte, costs.crew_per_truck
    )


def trucks_owned(recovery: InHouseRecovery) -> int:
    """Trucks to own: the most on duty at once in each sector, plus spares."""
    peak = sum(build_roster(spec).max_capacity for spec in recovery.trucks.values())
    return math.ceil(peak * (1.0 + recovery.costs.trucks.spare_share))


def examiner_fte(examination: InHouseExamination) -> float:
    """Examiner full-time equivalents to cover the examiners' roster."""
    return roster_fte([examination.examiners], examination.costs.productive_hours_per_fte)


def _recovery_lines(
    option: str, recovery: InHouseRecovery | ContractorRecovery, volumes: Volumes, n: int
) -> list[CostLine]:
    if isinstance(recovery, InHouseRecovery):
        costs = recovery.costs
        crew = costs.crew
        trucks, residual = asset_cost_lines(
            option,
            "recovery trucks",
            asset=costs.trucks,
            units=trucks_owned(recovery),
            period_years=n,
            note=f"{trucks_owned(recovery)} trucks incl. spares",
        )
        fte = truck_crew_fte(recovery)
        return [
            staff_cost_line(
                option,
                "recovery crews",
                fte=fte,
                pay=crew,
                period_years=n,
                note=f"{fte:.1f} FTE from the truck rosters",
            ),
            trucks,
            residual,
            activity_line(
                option,
                "recovery running costs",
                unit_cost=costs.cost_per_job,
                volume=_volume(volumes, "jobs_per_year"),
                growth=costs.real_growth,
                period_years=n,
                note="per tow, simulated jobs",
            ),
            CostLine.annual(
                option,
                "recovery fixed costs",
                Category.OPERATING,
                costs.fixed_per_year,
                period_years=n,
                growth=costs.real_growth,
            ),
        ]
    terms = recovery.costs
    charges, credits = contract_lines(
        option,
        "recovery contract",
        fixed_fee=terms.standing_charge_per_year,
        unit_prices={p: terms.price_per_job[p] for p in ("urgent", "routine")},
        volumes={
            "urgent": _volume(volumes, "jobs_urgent_per_year"),
            "routine": _volume(volumes, "jobs_routine_per_year"),
        },
        credit_per_breach=terms.credit_per_breach,
        breaches=_volume(volumes, "service_credits_per_year"),
        credit_cap=terms.credit_cap,
        growth=terms.real_growth,
        period_years=n,
        note="standing charge + price per job; credits per simulated breach",
    )
    return [charges, credits]


def _storage_lines(
    option: str, storage: InHouseStorage | ContractorStorage, volumes: Volumes, n: int
) -> list[CostLine]:
    if isinstance(storage, InHouseStorage):
        costs = storage.costs
        staff = costs.staff
        growth = costs.real_growth
        return [
            staff_cost_line(
                option,
                "pound staff",
                fte=costs.fte,
                pay=staff,
                period_years=n,
            ),
            CostLine.annual(
                option,
                "pound sites",
                Category.OPERATING,
                costs.fixed_per_year,
                period_years=n,
                growth=growth,
            ),
            activity_line(
                option,
                "pound handling",
                unit_cost=costs.cost_per_vehicle_day,
                volume=_volume(volumes, "vehicle_days_per_year"),
                growth=growth,
                period_years=n,
                note="per vehicle-day held, simulated",
            ),
            activity_line(
                option,
                "overflow storage",
                unit_cost=costs.overflow_price_per_vehicle_day,
                volume=_volume(volumes, "overflow_vehicle_days_per_year"),
                growth=growth,
                period_years=n,
                note="external storage when a site is full, simulated vehicle-days",
            ),
            activity_line(
                option,
                "disposals",
                unit_cost=costs.cost_per_disposal,
                volume=_volume(volumes, "disposed_per_year"),
                growth=growth,
                period_years=n,
            ),
        ]
    terms = storage.costs
    charges, credits = contract_lines(
        option,
        "storage contract",
        fixed_fee=terms.standing_charge_per_year,
        unit_prices={
            "vehicle_days": terms.price_per_vehicle_day,
            "overflow_vehicle_days": terms.overflow_price_per_vehicle_day,
            "disposals": terms.price_per_disposal,
        },
        volumes={
            "vehicle_days": _volume(volumes, "vehicle_days_per_year"),
            "overflow_vehicle_days": _volume(volumes, "overflow_vehicle_days_per_year"),
            "disposals": _volume(volumes, "disposed_per_year"),
        },
        growth=terms.real_growth,
        period_years=n,
        note="standing charge + prices per vehicle-day and disposal",
    )
    return [charges, credits]


def _examination_lines(
    option: str,
    examination: InHouseExamination | ContractorExamination,
    volumes: Volumes,
    n: int,
) -> list[CostLine]:
    if isinstance(examination, InHouseExamination):
        costs = examination.costs
        pay = costs.examiner
        fte = examiner_fte(examination)
        return [
            staff_cost_line(
                option,
                "vehicle examiners",
                fte=fte,
                pay=pay,
                period_years=n,
                note=f"{fte:.1f} FTE from the examiners' roster",
            ),
            activity_line(
                option,
                "examination consumables",
                unit_cost=costs.cost_per_exam,
                volume=_volume(volumes, "exams_per_year"),
                growth=costs.real_growth,
                period_years=n,
            ),
            CostLine.annual(
                option,
                "examination fixed costs",
                Category.OPERATING,
                costs.fixed_per_year,
                period_years=n,
                growth=costs.real_growth,
            ),
        ]
    terms = examination.costs
    charges, credits = contract_lines(
        option,
        "examination contract",
        fixed_fee=terms.standing_charge_per_year,
        unit_prices={"exams": terms.price_per_exam},
        volumes={"exams": _volume(volumes, "exams_per_year")},
        growth=terms.real_growth,
        period_years=n,
    )
    return [charges, credits]


def _income_lines(config: RecoveryConfig, option: str, volumes: Volumes, n: int) -> list[CostLine]:
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
                volume=_volume(volumes, metric),
                growth=charges.real_growth,
                period_years=n,
                note="statutory charges actually paid, simulated",
            )
        )
    return lines


def cost_lines(
    config: RecoveryConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """Every cost line of ``option`` over years ``0 .. period_years``.

    ``volumes`` maps the metric names of
    :data:`~models.recovery.periods.VOLUME_METRICS` to an annual figure (one for every year) or
    to one figure per year ``0 .. period_years``.
    """
    spec = config.options[option]
    n = period_years
    lines = [
        *_recovery_lines(option, spec.recovery, volumes, n),
        *_storage_lines(option, spec.storage, volumes, n),
        *_examination_lines(option, spec.examination, volumes, n),
    ]
    lines.extend(client_and_transition_lines(option, spec.client_function, spec.transition, n))
    lines.extend(_income_lines(config, option, volumes, n))
    return lines


def build_lines(
    config: RecoveryConfig, period_years: int, options: Iterable[str] | None = None
) -> Callable[[Mapping[str, Mapping[str, float]]], list[CostLine]]:
    """``build_lines`` for :func:`models.appraisal.appraise_replications`.

    The function receives one replication's ``{run key: {metric: value}}`` (run keys from
    :func:`models.recovery.periods.appraisal_runs`), interpolates each option's volumes over the
    years and returns the cost lines of every option.
    """
    chosen = list(config.options) if options is None else list(options)
    return replication_lines(
        chosen,
        lambda runs, option: yearly_volumes(runs, option, config, period_years),
        lambda option, volumes: cost_lines(config, option, volumes, period_years),
    )


def cost_per_vehicle(
    lines: Iterable[CostLine],
    jobs_by_year: Sequence[float] | np.ndarray,
    period_years: int,
    *,
    include_income: bool = False,
) -> float:
    """Levelised cost per vehicle recovered: PV of the option's costs / PV of its jobs.

    Costs before optimism bias, discounted at the Green Book rate; income left out unless
    ``include_income`` (then it is the net cost per vehicle).
    """
    return levelised_cost(lines, jobs_by_year, period_years, include_income=include_income)
