"""Green Book cost lines of a recovery option, from its terms and its simulated volumes, and the
should-cost of each of its contracts.

Fixed costs come from the option's terms and rosters (crews and examiners on duty, trucks, pound
plant and bay fit-out to buy or keep, standing charges); variable costs and income are unit
prices times the simulated annual volumes (:meth:`models.service.Service.yearly_volumes`) (jobs
by priority, vehicle-days, overflow vehicle-days, examinations, disposals, paid charges), and
service credits are the credit per breach times the simulated breaches. The client function,
transition costs, contract re-lets, disposals of held assets and priced risks are the lines
every option has (:func:`models.costing.option_lines`, added by
:meth:`models.service.Service.lines`). Lines are built with :mod:`models.appraisal`, which
applies optimism bias and discounting.

Who provides a line: the force for its own staff, running costs and assets; a contractor for
contract charges and their credits (the default) and for external overflow storage, which the
force buys in when a pound is full. The statutory charges that vehicle owners pay are transfers
(see :func:`_income_lines`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from models import costing
from models.appraisal import (
    CostElement,
    CostLine,
    Provider,
    ShouldCost,
    ShouldCostSettings,
    activity_line,
    income_line,
)
from models.costing import AssetSpec, roster_hours_per_year
from models.kit.roster import RosterSpec
from models.recovery.config import (
    ContractorExamination,
    ContractorExaminationCosts,
    ContractorRecovery,
    ContractorRecoveryCosts,
    ContractorStorage,
    ContractorStorageCosts,
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
    "should_cost",
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

HELD_TRUCKS = "recovery_trucks"
HELD_POUND_PLANT = "pound_equipment"
HELD_BAYS = "examination_bays"
"""Names of the section's ``existing_assets`` the in-house asset lines keep and replace."""


def volume_metrics(config: RecoveryConfig, option: str) -> tuple[str, ...]:
    """The annual volumes the cost lines of ``option`` use (the same for every option)."""
    return VOLUME_METRICS


def truck_crew_fte(recovery: InHouseRecovery) -> float:
    """Crew full-time equivalents to keep the trucks on the roster manned."""
    costs = recovery.costs
    return costing.roster_fte(
        recovery.trucks.values(), costs.productive_hours_per_fte, costs.crew_per_truck
    )


def _trucks_for(rosters: Iterable[RosterSpec], spare_share: float) -> int:
    """Trucks to keep rosters manned: the most on duty at once in each, plus spares."""
    peak = sum(build_roster(spec).max_capacity for spec in rosters)
    return math.ceil(peak * (1.0 + spare_share))


def trucks_owned(recovery: InHouseRecovery) -> int:
    """Trucks to own: the most on duty at once in each sector, plus spares."""
    return _trucks_for(recovery.trucks.values(), recovery.costs.trucks.spare_share)


def examiner_fte(examination: InHouseExamination) -> float:
    """Examiner full-time equivalents to cover the examiners' roster."""
    return costing.roster_fte([examination.examiners], examination.costs.productive_hours_per_fte)


def _asset_pair(
    config: RecoveryConfig,
    option: str,
    name: str,
    held_as: str,
    asset: AssetSpec | None,
    units: float,
    n: int,
) -> list[CostLine]:
    """Purchases and residual value of ``units`` assets, keeping and replacing the ones the
    force holds (the section's ``existing_assets[held_as]``: opportunity cost, not bought new)."""
    if asset is None or units <= 0:
        return []
    held = costing.held_assets(config, held_as)
    kept = 0.0 if held is None else min(held.units, units)
    note = f"{units:g} units, {kept:g} held by the force" if kept else f"{units:g} units"
    return list(
        costing.asset_cost_lines(
            option, name, asset=asset, units=units, period_years=n, note=note, held=held
        )
    )


# --------------------------------------------------------------------------- cost lines


def _contract_lines(
    option: str,
    part: str,
    terms: ContractorRecoveryCosts | ContractorStorageCosts | ContractorExaminationCosts,
    volumes: costing.Volumes,
    n: int,
    prices: Mapping[str, tuple[float, str]],
    *,
    credits: tuple[float, str, float | None] | None = None,
    note: str = "",
) -> list[CostLine]:
    """The charges and credits of a contract of ``part``, as every recovery contract sets
    them: its standing charge plus its ``prices`` per simulated volume, indexed by its real
    growth, less ``credits`` where it earns them (:func:`models.costing.contract_cost_lines`)."""
    return costing.contract_cost_lines(
        option,
        f"{part} contract",
        volumes,
        n,
        fixed_fee=terms.standing_charge_per_year,
        prices=prices,
        growth=terms.real_growth,
        credits=credits,
        note=note,
    )


def _recovery_lines(
    config: RecoveryConfig,
    option: str,
    recovery: InHouseRecovery | ContractorRecovery,
    volumes: costing.Volumes,
    n: int,
) -> list[CostLine]:
    if isinstance(recovery, InHouseRecovery):
        costs = recovery.costs
        fte = truck_crew_fte(recovery)
        crews = ("recovery crews", fte, costs.crew, f"{fte:.1f} FTE from the truck rosters")
        running = (
            "recovery running costs",
            costs.cost_per_job,
            "jobs_per_year",
            "per tow, simulated jobs",
        )
        trucks = trucks_owned(recovery)
        return [
            *costing.staff_cost_lines(option, [crews], n),
            *_asset_pair(config, option, "recovery trucks", HELD_TRUCKS, costs.trucks, trucks, n),
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
    prices = {
        "urgent": (terms.price_per_job["urgent"], "jobs_urgent_per_year"),
        "routine": (terms.price_per_job["routine"], "jobs_routine_per_year"),
    }
    return _contract_lines(
        option,
        "recovery",
        terms,
        volumes,
        n,
        prices,
        credits=(terms.credit_per_breach, "service_credits_per_year", terms.credit_cap),
        note="standing charge + price per job; credits per simulated breach",
    )


def _in_house_storage_lines(
    config: RecoveryConfig,
    option: str,
    storage: InHouseStorage,
    volumes: costing.Volumes,
    n: int,
) -> list[CostLine]:
    """Pound staff, site rent (a fixed cost: the sites are leased, not capital), handling,
    disposals, external overflow storage (bought from a contractor) and the handling plant."""
    costs = storage.costs
    growth = costs.real_growth
    activities = [
        (
            "pound handling",
            costs.cost_per_vehicle_day,
            "vehicle_days_per_year",
            "per vehicle-day held, simulated",
        ),
        ("disposals", costs.cost_per_disposal, "disposed_per_year", ""),
    ]
    overflow = activity_line(
        option,
        "overflow storage",
        unit_cost=costs.overflow_price_per_vehicle_day,
        volume=costing.volume(volumes, "overflow_vehicle_days_per_year"),
        period_years=n,
        growth=growth,
        note="external storage bought when a site is full, simulated vehicle-days",
        provider=Provider.CONTRACTOR,
    )
    plant = costs.equipment_per_site * len(storage.sites)
    return [
        *costing.staff_cost_lines(option, [("pound staff", costs.fte, costs.staff, "")], n),
        costing.fixed_line(
            option,
            "pound sites",
            costs.fixed_per_year,
            period_years=n,
            growth=growth,
            note="leased sites: rent, rates, security, IT",
        ),
        *costing.per_volume_lines(option, activities, volumes, growth=growth, period_years=n),
        overflow,
        *_asset_pair(
            config, option, "pound equipment", HELD_POUND_PLANT, costs.equipment, plant, n
        ),
    ]


def _storage_lines(
    config: RecoveryConfig,
    option: str,
    storage: InHouseStorage | ContractorStorage,
    volumes: costing.Volumes,
    n: int,
) -> list[CostLine]:
    if isinstance(storage, InHouseStorage):
        return _in_house_storage_lines(config, option, storage, volumes, n)
    terms = storage.costs
    prices = {
        "vehicle_days": (terms.price_per_vehicle_day, "vehicle_days_per_year"),
        "overflow_vehicle_days": (
            terms.overflow_price_per_vehicle_day,
            "overflow_vehicle_days_per_year",
        ),
        "disposals": (terms.price_per_disposal, "disposed_per_year"),
    }
    note = "standing charge + prices per vehicle-day and disposal"
    return _contract_lines(option, "storage", terms, volumes, n, prices, note=note)


def _examination_lines(
    config: RecoveryConfig,
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
        bays = _asset_pair(
            config,
            option,
            "examination bays",
            HELD_BAYS,
            costs.bay_equipment,
            examination.bays,
            n,
        )
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
            *bays,
        ]
    terms = examination.costs
    prices = {"exams": (terms.price_per_exam, "exams_per_year")}
    return _contract_lines(option, "examination", terms, volumes, n, prices)


def _income_lines(
    config: RecoveryConfig, option: str, volumes: costing.Volumes, n: int
) -> list[CostLine]:
    """The statutory removal, storage and disposal charges that owners pay the force.

    They are transfers: money moves from vehicle owners to the force for a service whose
    resource cost is already costed, and no resource is used by the payment itself. The Green
    Book leaves transfers out of the net present social value (2018 paras 6.7-6.8), so they are
    out of the economic case and in the financial case (cash the force receives)."""
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
                note="statutory charges actually paid, simulated; a transfer from owners",
                transfer=True,
            )
        )
    return lines


PartLines = Callable[[RecoveryConfig, str, Any, costing.Volumes, int], list[CostLine]]
_PART_LINES: Mapping[str, PartLines] = {
    "recovery": _recovery_lines,
    "storage": _storage_lines,
    "examination": _examination_lines,
}
"""The cost lines of each part of an option, whoever provides it."""


def cost_lines(
    config: RecoveryConfig, option: str, volumes: costing.Volumes, period_years: int
) -> list[CostLine]:
    """The service's own cost lines of ``option`` over years ``0 .. period_years`` (its parts
    and the statutory charges; :meth:`models.service.Service.lines` adds the client function,
    transition, re-lets, disposals and risks every option has).

    ``volumes`` maps the metric names of
    :data:`VOLUME_METRICS` to an annual figure (one for every year) or
    to one figure per year ``0 .. period_years``.
    """
    spec = config.options[option]
    lines = [
        line
        for part, provided in spec.parts().items()
        for line in _PART_LINES[part](config, option, provided, volumes, period_years)
    ]
    lines.extend(_income_lines(config, option, volumes, period_years))
    return lines


# --------------------------------------------------------------------------- should-cost


def _recovery_elements(
    contract: ContractorRecovery,
    terms: InHouseRecovery,
    volumes: Mapping[str, float],
    settings: ShouldCostSettings,
) -> list[CostElement]:
    """Crews and trucks to man the operators' rosters, the force's share of them (the rest
    serve other clients), running costs per simulated job and the force's share of depots."""
    costs = terms.costs
    share = 1.0 - (0.0 if contract.other_clients is None else contract.other_clients.busy_share)
    hours = sum(roster_hours_per_year(spec) for spec in contract.trucks.values())
    fte = costing.roster_fte(
        contract.trucks.values(), costs.productive_hours_per_fte, costs.crew_per_truck
    )
    trucks = _trucks_for(contract.trucks.values(), costs.trucks.spare_share) * share
    jobs = volumes["jobs_per_year"]
    grow = 1.0 + costs.real_growth
    return [
        CostElement(
            "recovery crews",
            costing.year_one_pay(fte * share, costs.crew),
            f"{hours:,.0f} truck-hours a year on the operators' rosters, {share:.0%} for the "
            f"force: {fte * share:.1f} FTE on in-house pay (TUPE terms)",
        ),
        costing.capital_element(
            "recovery trucks",
            trucks,
            costs.trucks,
            settings,
            f"{trucks:.1f} trucks (the force's share of the peak plus spares)",
        ),
        CostElement(
            "running costs",
            costs.cost_per_job * jobs * grow,
            f"£{costs.cost_per_job:,.0f} a job x {jobs:,.0f} simulated jobs",
        ),
        CostElement(
            "depots, control room and supervision",
            costs.fixed_per_year * share * grow,
            f"the in-house fixed cost, the force's {share:.0%}",
        ),
    ]


def _storage_elements(
    contract: ContractorStorage,
    terms: InHouseStorage,
    volumes: Mapping[str, float],
    settings: ShouldCostSettings,
) -> list[CostElement]:
    """Pound staff and sites at the in-house level per site, handling, overflow and disposals
    per simulated volume, and the sites' handling plant."""
    costs = terms.costs
    sites = len(contract.sites)
    scale = sites / len(terms.sites)
    grow = 1.0 + costs.real_growth
    elements = [
        CostElement(
            "pound staff",
            costing.year_one_pay(costs.fte * scale, costs.staff),
            f"{costs.fte * scale:.1f} FTE for {sites} sites, on in-house pay (TUPE terms)",
        ),
        CostElement(
            "pound sites",
            costs.fixed_per_year * scale * grow,
            f"rent, rates, security, IT: the force's cost for {len(terms.sites)} sites, scaled to "
            f"{sites}",
        ),
    ]
    for name, unit_cost, metric, unit in (
        ("handling", costs.cost_per_vehicle_day, "vehicle_days_per_year", "vehicle-day"),
        (
            "overflow storage",
            costs.overflow_price_per_vehicle_day,
            "overflow_vehicle_days_per_year",
            "overflow vehicle-day",
        ),
        ("disposals", costs.cost_per_disposal, "disposed_per_year", "disposal"),
    ):
        amount = volumes[metric]
        elements.append(
            CostElement(
                name,
                unit_cost * amount * grow,
                f"£{unit_cost:,.2f} per {unit} x {amount:,.0f} simulated",
            )
        )
    if costs.equipment is not None and costs.equipment_per_site > 0:
        units = costs.equipment_per_site * sites
        elements.append(
            costing.capital_element(
                "handling plant", units, costs.equipment, settings, f"{units:g} units"
            )
        )
    return elements


def _examination_elements(
    contract: ContractorExamination,
    terms: InHouseExamination,
    volumes: Mapping[str, float],
    settings: ShouldCostSettings,
) -> list[CostElement]:
    """Examiners for the contract's roster, consumables per simulated exam, fixed costs and the
    bays' fit-out."""
    costs = terms.costs
    fte = costing.roster_fte([contract.examiners], costs.productive_hours_per_fte)
    exams = volumes["exams_per_year"]
    grow = 1.0 + costs.real_growth
    elements = [
        CostElement(
            "vehicle examiners",
            costing.year_one_pay(fte, costs.examiner),
            f"{fte:.1f} FTE from the contract's roster, on in-house pay (TUPE terms)",
        ),
        CostElement(
            "examination consumables",
            costs.cost_per_exam * exams * grow,
            f"£{costs.cost_per_exam:,.0f} an exam x {exams:,.0f} simulated exams",
        ),
        CostElement("examination fixed costs", costs.fixed_per_year * grow, "as in-house"),
    ]
    if costs.bay_equipment is not None:
        elements.append(
            costing.capital_element(
                "examination bays",
                contract.bays,
                costs.bay_equipment,
                settings,
                f"{contract.bays} bays' fit-out",
            )
        )
    return elements


Elements = Callable[[Any, Any, Mapping[str, float], ShouldCostSettings], list[CostElement]]
_ELEMENTS: Mapping[str, Elements] = {
    "recovery": _recovery_elements,
    "storage": _storage_elements,
    "examination": _examination_elements,
}


def _contract_price(
    config: RecoveryConfig, option: str, part: str, volumes: Mapping[str, float]
) -> float:
    """The contract's charges in year 1 at ``volumes`` (its terms, as the cost lines)."""
    provided = config.options[option].parts()[part]
    return costing.year_one_charges(_PART_LINES[part](config, option, provided, volumes, 1))


def should_cost(
    config: RecoveryConfig,
    option: str,
    volumes: costing.Volumes,
    settings: ShouldCostSettings,
) -> list[ShouldCost]:
    """The should-cost of every contracted part of ``option`` a year, beside its price.

    The contractor's direct cost is built from the option's own simulated workload in year 1
    and its rosters, on the terms of the in-house version of the part (TUPE: staff transfer on
    their terms); the transferred risks' expected cost, the mobilisation of the part's
    ``contract`` spread over its length, overhead and margin are added
    (:func:`models.appraisal.should_cost`). A part no option keeps in-house has no terms to
    build on and is not assessed."""
    year_one = costing.year_one_volumes(volumes)
    out = []
    for part, provided in config.options[option].parts().items():
        terms = costing.in_house_reference(config, part)
        if provided.provider != "contractor" or terms is None:
            continue
        out.append(
            costing.contract_should_cost(
                config,
                option,
                part,
                _ELEMENTS[part](provided, terms, year_one, settings),
                _contract_price(config, option, part, year_one),
                settings,
            )
        )
    return out
