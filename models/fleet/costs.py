"""Green Book cost lines of a fleet maintenance option, from its terms and simulated volumes.

Per workshop: in-house, technicians (FTE from the technicians' and mobile units' rosters),
premises and management, parts and consumables per simulated job, equipment per bay and mobile
vans (bought and replaced); contracted, a fee per vehicle-year plus a price per simulated job by
kind, less service credits per simulated breach (capped). Per option: client function and
one-off transition (procurement, mobilisation, TUPE). For the whole fleet: vehicle replacement
by the age-or-mileage rule (capital, the same under every option unless the option changes
vehicle lives) and, where the scenario prices it, covering vehicles missing from shifts (e.g.
daily hire). Lines are built with :mod:`models.appraisal` via :mod:`models.costing`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from models.appraisal import Category, CostLine
from models.costing import (
    Volumes,
    asset_cost_lines,
    client_and_transition_lines,
    contract_cost_lines,
    fixed_line,
    per_volume_lines,
    roster_fte,
    staff_cost_lines,
    volume,
)
from models.fleet.config import ContractorWorkshop, FleetConfig, InHouseWorkshop
from models.fleet.model import job_volume_metrics
from models.kit.roster import build_roster

__all__ = [
    "REPLACEMENT",
    "bays_owned",
    "cost_lines",
    "mobile_crew_fte",
    "mobile_vans_owned",
    "replacement_capital",
    "replacements_per_year",
    "technician_fte",
    "volume_metrics",
]

REPLACEMENT = "vehicle replacement"
"""Name of the replacement capital line (left out of the maintenance cost per vehicle-year)."""


def volume_metrics(config: FleetConfig, option: str) -> list[str]:
    """The annual volumes the cost lines of ``option`` use (interpolated between levels)."""
    spec = config.options[option]
    return [
        "vehicles",
        *job_volume_metrics(config, option),
        *(f"breaches_{ws}_per_year" for ws in spec.workshops),
        "vehicle_shifts_short_per_year",
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


def _in_house_lines(
    option: str, name: str, workshop: InHouseWorkshop, volumes: Volumes, n: int
) -> list[CostLine]:
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
            lines.extend(
                asset_cost_lines(
                    option,
                    f"{name} {label}",
                    asset=asset,
                    units=units,
                    period_years=n,
                    note=f"{units} {note}",
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
            lines.extend(_in_house_lines(option, name, workshop, volumes, n))
        else:
            lines.extend(_contract_lines(option, name, workshop, volumes, n))
    lines.extend(client_and_transition_lines(option, spec.client_function, spec.transition, n))
    lines.append(
        CostLine(
            option,
            REPLACEMENT,
            Category.CAPITAL,
            tuple(replacement_capital(config, option, n).tolist()),
            "age-or-mileage rule, net of resale",
        )
    )
    shortfall = config.shortfall
    if shortfall.price_per_vehicle_shift > 0:
        cover = (
            "shortfall cover",
            shortfall.price_per_vehicle_shift,
            "vehicle_shifts_short_per_year",
            "vehicles hired in for shifts short of vehicles, simulated",
        )
        lines += per_volume_lines(
            option, [cover], volumes, growth=shortfall.real_growth, period_years=n
        )
    return lines
