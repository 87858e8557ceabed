"""Green Book cost lines of a fleet maintenance option, from its terms and simulated volumes,
and the should-cost of each of its contracts.

Per workshop: in-house, technicians (FTE from the technicians' and mobile units' rosters),
premises and management, parts and consumables per simulated job, equipment per bay and mobile
vans (bought and replaced, except the kit the force already holds for the workshop, the
section's ``existing_assets``, which is kept and replaced as it falls due: its opportunity
cost); contracted, a fee per vehicle-year plus a price per simulated job by kind, indexed by the
contract's real price growth, less service credits per simulated breach (capped; a transfer).
For the whole fleet: vehicle replacement by the age-or-mileage rule and, where the scenario
prices it, covering vehicles missing from shifts (daily hire). The vehicles are the force's
under every option, so replacement is the same line (name, category, provider, values) in each
unless an option changes vehicle lives; shortfall cover is the same line too, its values
following each option's simulated shortfalls. Client function, transition, contract re-lets,
disposals and priced risks are every service's lines (:func:`models.costing.option_lines`,
added by :meth:`models.service.Service.lines`). Lines are built with :mod:`models.appraisal`
via :mod:`models.costing`.

:func:`should_cost` builds what each contracted workshop would cost the contractor to run
(Cabinet Office Sourcing Playbook: should-cost models), from the same simulated workload.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from models.appraisal import (
    Category,
    CostElement,
    CostLine,
    Provider,
    ShouldCost,
    ShouldCostSettings,
)
from models.costing import (
    Volumes,
    asset_cost_lines,
    capital_element,
    contract_cost_lines,
    contract_should_cost,
    fixed_line,
    held_assets,
    per_volume_lines,
    roster_fte,
    roster_hours_per_year,
    staff_cost_lines,
    volume,
    year_one_charges,
    year_one_pay,
    year_one_volumes,
)
from models.fleet.config import ContractorWorkshop, FleetConfig, InHouseWorkshop
from models.fleet.model import job_volume_metrics, labour_metric
from models.kit.roster import build_roster

__all__ = [
    "REPLACEMENT",
    "SHORTFALL",
    "bays_owned",
    "contract_price",
    "cost_lines",
    "held_key",
    "mobile_crew_fte",
    "mobile_vans_owned",
    "replacement_capital",
    "replacements_per_year",
    "should_cost",
    "should_cost_elements",
    "technician_fte",
    "volume_metrics",
]

REPLACEMENT = "vehicle replacement"
"""Name of the replacement capital line (left out of the maintenance cost per vehicle-year)."""

SHORTFALL = "shortfall cover"
"""Name of the line of vehicles hired in for shifts short of vehicles (the force's, in every
option)."""


def _staffed_skills(workshop: ContractorWorkshop) -> list[str]:
    """The workshop's skills with a technician on duty at some time."""
    return [s for s, r in workshop.technicians.items() if build_roster(r).max_capacity > 0]


def volume_metrics(config: FleetConfig, option: str) -> list[str]:
    """The annual volumes the cost lines and should-costs of ``option`` use (interpolated
    between levels): for each contracted workshop, also its technicians' labour on the force's
    jobs and their utilisation, by skill."""
    spec = config.options[option]
    contracted = [
        m
        for ws, workshop in spec.workshops.items()
        if isinstance(workshop, ContractorWorkshop)
        for skill in _staffed_skills(workshop)
        for m in (labour_metric(ws, skill), f"utilisation_{ws}_{skill}")
    ]
    return [
        "vehicles",
        *job_volume_metrics(config, option),
        *(f"breaches_{ws}_per_year" for ws in spec.workshops),
        "vehicle_shifts_short_per_year",
        *contracted,
    ]


def technician_fte(workshop: InHouseWorkshop) -> float:
    """Technician full-time equivalents to cover the workshop's technician rosters."""
    return roster_fte(workshop.technicians.values(), workshop.costs.productive_hours_per_fte)


def mobile_crew_fte(workshop: InHouseWorkshop) -> float:
    """Full-time equivalents to crew the mobile units' roster (one technician per unit)."""
    return roster_fte([workshop.mobile_units], workshop.costs.productive_hours_per_fte)


def mobile_vans_owned(workshop: InHouseWorkshop) -> int:
    """Mobile vans to own: the most units on duty at once, plus spares."""
    vans = workshop.costs.mobile_vans
    spare = 0.0 if vans is None else vans.spare_share
    return math.ceil(build_roster(workshop.mobile_units).max_capacity * (1.0 + spare))


def bays_owned(workshop: InHouseWorkshop) -> int:
    """Bays to equip (all kinds)."""
    return sum(workshop.bays.values())


def replacements_per_year(config: FleetConfig, option: str, year: float = 0.0) -> dict[str, float]:
    """Vehicles replaced a year by class in ``year``: the fleet in that year over each class's
    life (age or mileage, whichever first, times the option's ``vehicle_life_factor``).

    A fleet of steady age profile replaces ``count / life`` vehicles a year.
    """
    factor = config.options[option].vehicle_life_factor
    return {
        name: config.vehicles[name].count
        * config.demand_factor(year)
        / spec.replacement.life(spec.annual_miles, factor)
        for name, spec in config.vehicles.items()
    }


def replacement_capital(config: FleetConfig, option: str, period_years: int) -> np.ndarray:
    """Replacement spend by year ``0 .. N`` (net of resale, real price growth), years 1 .. N."""
    out = np.zeros(period_years + 1)
    for year in range(1, period_years + 1):
        replaced = replacements_per_year(config, option, year)
        out[year] = math.fsum(
            replaced[name]
            * spec.replacement.unit_cost
            * (1.0 - spec.replacement.resale_share)
            * (1.0 + spec.replacement.real_growth) ** year
            for name, spec in config.vehicles.items()
        )
    return out


def _per_kind(prices: Mapping[str, float], volumes: Volumes, workshop: str) -> np.ndarray | float:
    """Sum over job kinds of price x simulated jobs of that kind at ``workshop``."""
    total: np.ndarray | float = 0.0
    for kind, price in prices.items():
        total = total + price * volume(volumes, f"jobs_{workshop}_{kind}_per_year")
    return total


def held_key(workshop: str, asset: str) -> str:
    """The key of ``existing_assets`` that holds a workshop's ``asset`` (``equipment`` or
    ``mobile vans``): ``force_equipment``, ``force_mobile_vans``."""
    return f"{workshop}_{asset.replace(' ', '_')}"


def _in_house_lines(
    config: FleetConfig,
    option: str,
    name: str,
    workshop: InHouseWorkshop,
    volumes: Volumes,
    n: int,
) -> list[CostLine]:
    """Technicians, premises, parts and kit of one of the force's workshops. Kit the force
    does not hold (none in 2012-13: the workshops were the contractor's) is bought in year 0;
    held kit (the ``existing_assets`` of :func:`held_key`) is kept and replaced as it falls
    due."""
    costs = workshop.costs
    growth = costs.real_growth
    technicians = technician_fte(workshop)
    mobile = mobile_crew_fte(workshop)
    staff = (
        f"{name} technicians",
        technicians + mobile,
        costs.technician,
        f"{technicians:.1f} FTE workshop + {mobile:.1f} FTE mobile units, from rosters",
    )
    lines = [
        *staff_cost_lines(option, [staff], n),
        fixed_line(
            option,
            f"{name} premises and management",
            costs.fixed_per_year,
            period_years=n,
            growth=growth,
        ),
        fixed_line(
            option,
            f"{name} parts and consumables",
            _per_kind(costs.parts_per_job, volumes, name),
            period_years=n,
            growth=growth,
            note="price per job kind x simulated jobs",
        ),
    ]
    vans = mobile_vans_owned(workshop) if costs.mobile_vans is not None else 0
    for asset, label, units, note in (
        (costs.equipment, "equipment", bays_owned(workshop), "bays"),
        (costs.mobile_vans if vans > 0 else None, "mobile vans", vans, "vans incl. spares"),
    ):
        if asset is not None:
            line = f"{name} {label}"
            held = held_assets(config, held_key(name, label))
            lines.extend(
                asset_cost_lines(
                    option,
                    line,
                    asset=asset,
                    units=units,
                    period_years=n,
                    note=f"{units} {note}" + ("" if held is None else f", {held.units:g} held"),
                    held=held,
                )
            )
    return lines


def _contract_lines(
    option: str, name: str, workshop: ContractorWorkshop, volumes: Volumes, n: int
) -> list[CostLine]:
    terms = workshop.costs
    prices = {"vehicle_years": (terms.fee_per_vehicle_year, "vehicles")}
    for kind, price in terms.price_per_job.items():
        prices[kind] = (price, f"jobs_{name}_{kind}_per_year")
    return contract_cost_lines(
        option,
        f"{name} contract",
        volumes,
        n,
        prices=prices,
        credits=(terms.credit_per_breach, f"breaches_{name}_per_year", terms.credit_cap),
        growth=terms.real_growth,
        note="fee per vehicle-year + price per simulated job; credits per simulated breach",
    )


def cost_lines(
    config: FleetConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """Every cost line of ``option`` over years ``0 .. period_years``.

    ``volumes`` maps the metric names of :func:`volume_metrics` to an
    annual figure (one for every year) or one figure per year ``0 .. period_years``.
    """
    spec = config.options[option]
    n = period_years
    lines: list[CostLine] = []
    for name, workshop in spec.workshops.items():
        if isinstance(workshop, InHouseWorkshop):
            lines.extend(_in_house_lines(config, option, name, workshop, volumes, n))
        else:
            lines.extend(_contract_lines(option, name, workshop, volumes, n))
    # the force's vehicles under every option: the same line in each
    lines.append(
        CostLine(
            option,
            REPLACEMENT,
            Category.CAPITAL,
            tuple(replacement_capital(config, option, n).tolist()),
            "age-or-mileage rule, net of resale",
            Provider.FORCE,
        )
    )
    shortfall = config.shortfall
    if shortfall.price_per_vehicle_shift > 0:  # the force hires in, whoever maintains
        cover = (
            SHORTFALL,
            shortfall.price_per_vehicle_shift,
            "vehicle_shifts_short_per_year",
            "vehicles hired in for shifts short of vehicles, simulated",
        )
        lines += per_volume_lines(
            option, [cover], volumes, growth=shortfall.real_growth, period_years=n
        )
    return lines


# --------------------------------------------------------------------------- should-cost


def _technician_fte(
    name: str, workshop: ContractorWorkshop, volumes: Mapping[str, float], hours_per_fte: float
) -> dict[str, tuple[float, float, float]]:
    """By skill: the force's jobs' labour hours a year, the technicians' utilisation and the
    FTE that labour takes (``hours / (utilisation x productive hours)``: the force's share of
    the rostered technicians, idle time shared pro rata to the work)."""
    out = {}
    for skill in _staffed_skills(workshop):
        hours = volumes[labour_metric(name, skill)]
        used = volumes[f"utilisation_{name}_{skill}"]
        fte = hours / (used * hours_per_fte) if hours > 0 and used > 0 else 0.0
        out[skill] = (hours, used, fte)
    return out


def _force_share(
    workshop: ContractorWorkshop, technicians: Mapping[str, tuple[float, float, float]]
) -> float:
    """The force's share of the workshop: its jobs' labour over the technicians' busy hours
    (1 without other customers)."""
    if workshop.other_customers is None:
        return 1.0
    busy = math.fsum(
        used * roster_hours_per_year(workshop.technicians[skill])
        for skill, (_, used, _) in technicians.items()
    )
    labour = math.fsum(hours for hours, _, _ in technicians.values())
    return min(1.0, labour / busy) if busy > 0 else 0.0


def should_cost_elements(
    name: str,
    workshop: ContractorWorkshop,
    volumes: Mapping[str, float],
    settings: ShouldCostSettings,
) -> list[CostElement]:
    """The contractor's direct cost a year of the force's work at workshop ``name`` (year-1
    volumes), on its ``cost_basis``: technicians for the force's simulated labour on the
    force's pay (the terms transferred under TUPE), mobile crews for the units' roster, parts
    at cost per simulated job, and the force's share of premises and bays' kit, kit and vans at
    an annual capital charge."""
    basis = workshop.cost_basis
    if basis is None:
        raise ValueError(f"workshop {name!r} has no cost_basis to build a should-cost on")
    grow = 1.0 + basis.real_growth
    technicians = _technician_fte(name, workshop, volumes, basis.productive_hours_per_fte)
    share = _force_share(workshop, technicians)
    elements = [
        CostElement(
            f"{skill} technicians",
            year_one_pay(fte, basis.technician),
            f"{hours:,.0f} h a year of the force's jobs at {used:.0%} utilisation: "
            f"{fte:.1f} FTE on the force's pay (TUPE terms)",
        )
        for skill, (hours, used, fte) in technicians.items()
    ]
    crews = roster_fte([workshop.mobile_units], basis.productive_hours_per_fte)
    if crews > 0:
        elements.append(
            CostElement(
                "mobile unit crews",
                year_one_pay(crews, basis.technician),
                f"{crews:.1f} FTE for the mobile units' roster, the force's alone",
            )
        )
    parts = {k: basis.parts_per_job.get(k, 0.0) for k in workshop.costs.price_per_job}
    jobs = {k: volumes[f"jobs_{name}_{k}_per_year"] for k in parts}
    elements += [
        CostElement(
            "parts and consumables",
            math.fsum(parts[k] * jobs[k] for k in parts) * grow,
            ", ".join(f"£{parts[k]:,.0f} x {jobs[k]:,.0f} {k}" for k in parts),
        ),
        CostElement(
            "premises and management",
            basis.fixed_per_year * share * grow,
            f"£{basis.fixed_per_year:,.0f} a year, the force's {share:.0%} of the work",
        ),
    ]
    bays = sum(workshop.bays.values())
    if basis.equipment is not None:
        elements.append(
            capital_element(
                "bays' kit", bays * share, basis.equipment, settings, f"{bays} bays x {share:.0%}"
            )
        )
    peak = build_roster(workshop.mobile_units).max_capacity
    if basis.mobile_vans is not None and peak > 0:
        vans = math.ceil(peak * (1.0 + basis.mobile_vans.spare_share))
        elements.append(
            capital_element(
                "mobile vans", vans, basis.mobile_vans, settings, f"{vans} vans incl. spares"
            )
        )
    return elements


def contract_price(
    option: str, name: str, workshop: ContractorWorkshop, volumes: Mapping[str, float]
) -> float:
    """The contract's charges in year 1 at ``volumes`` (fee and prices, indexed; before
    service credits): the price the should-cost is set beside."""
    return year_one_charges(_contract_lines(option, name, workshop, volumes, 1))


def should_cost(
    config: FleetConfig, option: str, volumes: Volumes, settings: ShouldCostSettings
) -> list[ShouldCost]:
    """The should-cost a year of every contracted workshop of ``option`` with a
    ``cost_basis``, beside its price at the same (year-1) volumes: the direct cost of
    :func:`should_cost_elements`, the risks it transfers
    (:func:`models.costing.transferred_risk`), the mobilisation of its ``contract`` spread
    over the contract's length, overhead and margin
    (:func:`models.appraisal.should_cost`)."""
    year_one = year_one_volumes(volumes)
    out = []
    for name, workshop in config.options[option].workshops.items():
        if not isinstance(workshop, ContractorWorkshop) or workshop.cost_basis is None:
            continue
        out.append(
            contract_should_cost(
                config,
                option,
                name,
                should_cost_elements(name, workshop, year_one, settings),
                contract_price(option, name, workshop, year_one),
                settings,
                name=f"{name} contract",
            )
        )
    return out
