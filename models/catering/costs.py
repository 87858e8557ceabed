"""Green Book cost lines of a catering option, from its terms and its simulated volumes.

Fixed costs come from the option's terms and rosters (counter and till staff from the restaurant
rosters, kitchen staff per site, cooks and drivers from the kitchens' line and van rosters, staff
called in on event days from the calendar, vans to buy, management fees, client function,
transition); variable costs are unit prices times the simulated annual volumes of
:func:`models.catering.periods.yearly_volumes` (covers by counter, operational and custody
meals, van trips, meals bought in when the custody stock ran out), and service credits are the
credit per late meal times the simulated late meals. Restaurant takings are the force's income
unless a caterer keeps them (then its price per cover is the force's dining subsidy). Premises
of the restaurants are the force's in every option. Lines are built with :mod:`models.appraisal` and
:mod:`models.costing`, which apply optimism bias and discounting elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from models.appraisal import Category, CostLine, activity_line, contract_lines
from models.catering.config import (
    CateringConfig,
    ContractorCustody,
    ContractorFeeding,
    ContractorRestaurants,
    InHouseCustody,
    InHouseFeeding,
    InHouseRestaurants,
)
from models.catering.feeding import surge_windows
from models.catering.periods import yearly_volumes
from models.costing import (
    Volumes,
    asset_cost_lines,
    client_and_transition_lines,
    levelised_cost,
    replication_lines,
    roster_fte,
    staff_cost_line,
)
from models.costing import volume as _volume
from models.kit.roster import build_roster

__all__ = [
    "build_lines",
    "cost_lines",
    "cost_per_meal",
    "event_staff_hours",
    "feeding_fte",
    "restaurant_fte",
    "restaurant_lines",
    "subsidy_per_cover",
    "vans_owned",
]

DAYS_PER_YEAR = 365


def restaurant_fte(config: CateringConfig, provider: InHouseRestaurants) -> tuple[float, float]:
    """``(counter and till staff, kitchen staff)`` full-time equivalents over every site.

    Counter and till staff cover the rosters of each site type times its number of sites;
    kitchen staff are the per-site figures times the number of sites.
    """
    costs = provider.costs
    counter = kitchen = 0.0
    for name, site in config.restaurants.site_types.items():
        if site.sites == 0:
            continue
        staffing = provider.staffing[name]
        rosters = [spec for spec in staffing.counters.values() if spec is not None]
        if any(c.pays_at_till for c in config.restaurants.counters.values()):
            rosters.append(staffing.tills)
        counter += site.sites * roster_fte(rosters, costs.productive_hours_per_fte)
        kitchen += site.sites * costs.kitchen_fte_per_site[name]
    return counter, kitchen


def feeding_fte(provider: InHouseFeeding) -> tuple[float, float]:
    """``(cooks, drivers)`` full-time equivalents to man the kitchens' line and van rosters."""
    costs = provider.costs
    kitchens = provider.kitchens.values()
    cooks = roster_fte(
        [k.lines for k in kitchens], costs.productive_hours_per_fte, costs.staff_per_line
    )
    drivers = roster_fte([k.vans for k in kitchens], costs.productive_hours_per_fte)
    return cooks, drivers


def event_staff_hours(config: CateringConfig, provider: InHouseFeeding) -> float:
    """Staff-hours called in a year on planned-event days (lines x staff per line, plus one
    driver per van, over each day's surge window of the yearly calendar)."""
    windows = surge_windows(config.operational_feeding, DAYS_PER_YEAR)
    hours = math.fsum(end - start for start, end in windows)
    per_hour = sum(
        k.event_lines * provider.costs.staff_per_line + k.event_vans
        for k in provider.kitchens.values()
    )
    return hours * per_hour


def vans_owned(provider: InHouseFeeding) -> int:
    """Vans to own: the most on duty at once by the weekly rosters, plus spares (vans called in
    for events are hired: in the event staff cost)."""
    peak = sum(build_roster(k.vans).max_capacity for k in provider.kitchens.values())
    return math.ceil(peak * (1.0 + provider.costs.vans.spare_share))


def _counter_sum(
    config: CateringConfig, volumes: Volumes, per_cover: Callable[[str], float]
) -> np.ndarray | float:
    total: np.ndarray | float = 0.0
    for name in config.restaurants.counters:
        total = total + per_cover(name) * _volume(volumes, f"restaurant_covers_{name}_per_year")
    return total


def restaurant_lines(
    config: CateringConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """Restaurant lines of ``option``: staff or contract, food, overheads, premises, and the
    takings when they are the force's."""
    n = period_years
    provider = config.options[option].restaurants
    restaurants = config.restaurants
    sites = sum(t.sites for t in restaurants.site_types.values())
    counters = restaurants.counters
    lines: list[CostLine] = []
    takings_to_force = True
    if isinstance(provider, InHouseRestaurants):
        costs = provider.costs
        counter_fte, kitchen_fte = restaurant_fte(config, provider)
        food = _counter_sum(config, volumes, lambda c: counters[c].food_cost)
        lines += [
            staff_cost_line(
                option,
                "restaurant counter and till staff",
                fte=counter_fte,
                pay=costs.server,
                period_years=n,
                note=f"{counter_fte:.1f} FTE from the counter and till rosters",
            ),
            staff_cost_line(
                option,
                "restaurant kitchen staff",
                fte=kitchen_fte,
                pay=costs.kitchen,
                period_years=n,
                note=f"{kitchen_fte:.1f} FTE",
            ),
            CostLine.annual(
                option,
                "restaurant food",
                Category.OPERATING,
                food,
                period_years=n,
                growth=costs.real_growth,
                note="food cost per cover by counter, simulated covers",
            ),
            CostLine.annual(
                option,
                "restaurant overheads",
                Category.OPERATING,
                costs.overheads_per_site * sites,
                period_years=n,
                growth=costs.real_growth,
                note=f"{sites} sites",
            ),
        ]
    else:
        assert isinstance(provider, ContractorRestaurants)
        terms = provider.costs
        takings_to_force = not terms.takings_retained
        charges, _credits = contract_lines(
            option,
            "restaurant contract",
            fixed_fee=terms.management_fee_per_year,
            unit_prices={"covers": terms.price_per_cover},
            volumes={"covers": _volume(volumes, "restaurant_covers_per_year")},
            growth=terms.real_growth,
            period_years=n,
            note=(
                "management fee + dining subsidy per cover (the caterer keeps the takings)"
                if terms.takings_retained
                else "management fee + price per cover (food and labour), simulated covers"
            ),
        )
        lines.append(charges)
    lines.append(
        CostLine.annual(
            option,
            "restaurant premises",
            Category.OPERATING,
            restaurants.premises_per_site * sites,
            period_years=n,
            note=f"{sites} sites, the force's premises in every option",
        )
    )
    if not takings_to_force:
        return lines
    takings = _counter_sum(config, volumes, lambda c: counters[c].spend)
    lines.append(
        CostLine.annual(
            option,
            "restaurant takings",
            Category.INCOME,
            -np.asarray(takings, dtype=float),
            period_years=n,
            note="spend per cover by counter, simulated covers (lost covers pay nothing)",
        )
    )
    return lines


def _feeding_lines(
    config: CateringConfig,
    option: str,
    provider: InHouseFeeding | ContractorFeeding,
    volumes: Volumes,
    n: int,
) -> list[CostLine]:
    meals = _volume(volumes, "feeding_meals_per_year")
    if isinstance(provider, InHouseFeeding):
        costs = provider.costs
        cooks, drivers = feeding_fte(provider)
        called_in = event_staff_hours(config, provider)
        vans = vans_owned(provider)
        purchases, residual = asset_cost_lines(
            option,
            "operational feeding vans",
            asset=costs.vans,
            units=vans,
            period_years=n,
            note=f"{vans} vans incl. spares",
        )
        growth = costs.real_growth
        return [
            staff_cost_line(
                option,
                "operational feeding cooks",
                fte=cooks,
                pay=costs.cook,
                period_years=n,
                note=f"{cooks:.1f} FTE from the line rosters",
            ),
            staff_cost_line(
                option,
                "operational feeding drivers",
                fte=drivers,
                pay=costs.driver,
                period_years=n,
                note=f"{drivers:.1f} FTE from the van rosters",
            ),
            CostLine.annual(
                option,
                "operational feeding event staff",
                Category.STAFF,
                called_in * costs.event_cost_per_staff_hour,
                period_years=n,
                growth=costs.cook.real_growth,
                note=f"{called_in:,.0f} staff-hours called in on planned-event days",
            ),
            activity_line(
                option,
                "operational feeding food",
                unit_cost=costs.food_cost_per_meal,
                volume=meals,
                growth=growth,
                period_years=n,
                note="per meal, simulated meals",
            ),
            activity_line(
                option,
                "operational feeding trips",
                unit_cost=costs.cost_per_trip,
                volume=_volume(volumes, "feeding_trips_per_year"),
                growth=growth,
                period_years=n,
                note="per van trip, simulated",
            ),
            purchases,
            residual,
            CostLine.annual(
                option,
                "operational feeding kitchens",
                Category.OPERATING,
                costs.fixed_per_year,
                period_years=n,
                growth=growth,
            ),
        ]
    terms = provider.costs
    charges, credits = contract_lines(
        option,
        "operational feeding contract",
        fixed_fee=terms.management_fee_per_year,
        unit_prices={"meals": terms.price_per_meal},
        volumes={"meals": meals},
        credit_per_breach=terms.credit_per_late_meal,
        breaches=_volume(volumes, "feeding_late_meals_per_year"),
        credit_cap=terms.credit_cap,
        growth=terms.real_growth,
        period_years=n,
        note="fee + price per meal; credits per simulated late meal",
    )
    return [charges, credits]


def _custody_lines(
    option: str, provider: InHouseCustody | ContractorCustody, volumes: Volumes, n: int
) -> list[CostLine]:
    meals = _volume(volumes, "custody_meals_per_year")
    emergency = _volume(volumes, "custody_emergency_meals_per_year")
    costs = provider.costs
    bought_in = activity_line(
        option,
        "custody meals bought in",
        unit_cost=costs.emergency_cost_per_meal,
        volume=emergency,
        growth=costs.real_growth,
        period_years=n,
        note="meals bought locally when the suite's stock ran out, simulated",
    )
    if isinstance(provider, InHouseCustody):
        return [
            activity_line(
                option,
                "custody food",
                unit_cost=provider.costs.food_cost_per_meal,
                volume=meals,
                growth=provider.costs.real_growth,
                period_years=n,
                note="per meal, simulated meals",
            ),
            bought_in,
            CostLine.annual(
                option,
                "custody meal supply",
                Category.OPERATING,
                provider.costs.fixed_per_year,
                period_years=n,
                growth=provider.costs.real_growth,
            ),
        ]
    terms = provider.costs
    charges, credits = contract_lines(
        option,
        "custody contract",
        fixed_fee=terms.management_fee_per_year,
        unit_prices={"meals": terms.price_per_meal},
        volumes={"meals": meals},
        credit_per_breach=terms.credit_per_late_meal,
        breaches=_volume(volumes, "custody_late_meals_per_year"),
        credit_cap=terms.credit_cap,
        growth=terms.real_growth,
        period_years=n,
        note="fee + price per meal; credits per simulated late meal",
    )
    return [charges, credits, bought_in]


def cost_lines(
    config: CateringConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """Every cost line of ``option`` over years ``0 .. period_years``.

    ``volumes`` maps the names of :func:`models.catering.periods.volume_metrics` to an annual
    figure (one for every year) or to one figure per year ``0 .. period_years``.
    """
    spec = config.options[option]
    n = period_years
    return [
        *restaurant_lines(config, option, volumes, n),
        *_feeding_lines(config, option, spec.operational_feeding, volumes, n),
        *_custody_lines(option, spec.custody, volumes, n),
        *client_and_transition_lines(option, spec.client_function, spec.transition, n),
    ]


def build_lines(
    config: CateringConfig, period_years: int, options: Iterable[str] | None = None
) -> Callable[[Mapping[str, Mapping[str, float]]], list[CostLine]]:
    """``build_lines`` for :func:`models.appraisal.appraise_replications`: one replication's
    ``{run key: {metric: value}}`` (run keys from
    :func:`models.catering.periods.appraisal_runs`) -> the cost lines of every option, with
    volumes interpolated over the years."""
    chosen = list(config.options) if options is None else list(options)
    return replication_lines(
        chosen,
        lambda runs, option: yearly_volumes(runs, option, config, period_years),
        lambda option, volumes: cost_lines(config, option, volumes, period_years),
    )


def cost_per_meal(
    lines: Iterable[CostLine],
    meals_by_year: float | Sequence[float] | np.ndarray,
    period_years: int,
    *,
    include_income: bool = False,
) -> float:
    """Levelised cost per meal (covers, operational and custody meals): PV of the option's costs
    / PV of its meals, before optimism bias; takings left out unless ``include_income``.

    Where a caterer keeps the takings its food never appears among the force's costs, so compare
    options on the net cost to the force (``include_income=True``)."""
    return levelised_cost(lines, meals_by_year, period_years, include_income=include_income)


def subsidy_per_cover(
    config: CateringConfig, option: str, volumes: Volumes, period_years: int
) -> float:
    """Levelised restaurant subsidy per cover: PV of the restaurant lines net of takings / PV of
    the covers (negative: the restaurants make a surplus)."""
    lines = restaurant_lines(config, option, volumes, period_years)
    return levelised_cost(
        lines,
        _volume(volumes, "restaurant_covers_per_year"),
        period_years,
        include_income=True,
    )
