"""Green Book cost lines of a catering option, from its terms and its simulated volumes.

Fixed costs come from the option's terms and rosters (counter and till staff from the restaurant
rosters, kitchen staff per site, cooks and drivers from the kitchens' line and van rosters, staff
called in on event days from the calendar, vans to buy, management fees, client function,
transition); variable costs are unit prices times the simulated annual volumes of
:meth:`models.service.Service.yearly_volumes` (covers by counter, operational and custody
meals, van trips, meals bought in when the custody stock ran out), and service credits are the
credit per late meal times the simulated late meals. Restaurant takings are the force's income
unless a caterer keeps them (then its price per cover is the force's dining subsidy). Premises
of the restaurants are the force's in every option. Lines are built with :mod:`models.appraisal` and
:mod:`models.costing`, which apply optimism bias and discounting elsewhere.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from models.appraisal import Category, CostLine
from models.catering.config import (
    CateringConfig,
    ContractorCustody,
    ContractorCustodyCosts,
    ContractorFeeding,
    ContractorFeedingCosts,
    ContractorRestaurants,
    InHouseCustody,
    InHouseFeeding,
    InHouseRestaurants,
)
from models.catering.feeding import surge_windows
from models.costing import (
    Volumes,
    asset_cost_lines,
    client_and_transition_lines,
    contract_cost_lines,
    fixed_line,
    levelised_cost,
    per_volume_lines,
    roster_fte,
    staff_cost_lines,
)
from models.costing import volume as _volume
from models.kit.roster import build_roster

__all__ = [
    "cost_lines",
    "event_staff_hours",
    "feeding_fte",
    "restaurant_fte",
    "restaurant_lines",
    "subsidy_per_cover",
    "vans_owned",
    "volume_metrics",
]

DAYS_PER_YEAR = 365


def volume_metrics(config: CateringConfig, option: str) -> tuple[str, ...]:
    """The annual volumes the cost lines use (the same for every option; interpolated between
    demand levels, a volume a run did not observe counting as zero)."""
    return (
        "restaurant_covers_per_year",
        *(f"restaurant_covers_{name}_per_year" for name in config.restaurants.counters),
        "restaurant_lost_covers_per_year",
        "feeding_meals_per_year",
        "feeding_late_meals_per_year",
        "feeding_trips_per_year",
        "custody_meals_per_year",
        "custody_late_meals_per_year",
        "custody_emergency_meals_per_year",
        "meals_per_year",
    )


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
        staff = [
            (
                "restaurant counter and till staff",
                counter_fte,
                costs.server,
                f"{counter_fte:.1f} FTE from the counter and till rosters",
            ),
            ("restaurant kitchen staff", kitchen_fte, costs.kitchen, f"{kitchen_fte:.1f} FTE"),
        ]
        lines += [
            *staff_cost_lines(option, staff, n),
            fixed_line(
                option,
                "restaurant food",
                food,
                period_years=n,
                growth=costs.real_growth,
                note="food cost per cover by counter, simulated covers",
            ),
            fixed_line(
                option,
                "restaurant overheads",
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
        charges, _credits = contract_cost_lines(
            option,
            "restaurant contract",
            volumes,
            n,
            fixed_fee=terms.management_fee_per_year,
            prices={"covers": (terms.price_per_cover, "restaurant_covers_per_year")},
            growth=terms.real_growth,
            note=(
                "management fee + dining subsidy per cover (the caterer keeps the takings)"
                if terms.takings_retained
                else "management fee + price per cover (food and labour), simulated covers"
            ),
        )
        lines.append(charges)
    lines.append(
        fixed_line(
            option,
            "restaurant premises",
            restaurants.premises_per_site * sites,
            period_years=n,
            note=f"{sites} sites, the force's premises in every option",
        )
    )
    if not takings_to_force:
        return lines
    takings = _counter_sum(config, volumes, lambda c: counters[c].spend)
    lines.append(
        fixed_line(
            option,
            "restaurant takings",
            -np.asarray(takings, dtype=float),
            period_years=n,
            category=Category.INCOME,
            note="spend per cover by counter, simulated covers (lost covers pay nothing)",
        )
    )
    return lines


def _meal_contract_lines(
    option: str,
    name: str,
    terms: ContractorFeedingCosts | ContractorCustodyCosts,
    volumes: Volumes,
    n: int,
    meals: str,
    late_meals: str,
) -> list[CostLine]:
    """A meals contract: management fee + price per meal, credits per simulated late meal."""
    return contract_cost_lines(
        option,
        name,
        volumes,
        n,
        fixed_fee=terms.management_fee_per_year,
        prices={"meals": (terms.price_per_meal, meals)},
        credits=(terms.credit_per_late_meal, late_meals, terms.credit_cap),
        growth=terms.real_growth,
        note="fee + price per meal; credits per simulated late meal",
    )


def _feeding_lines(
    config: CateringConfig,
    option: str,
    provider: InHouseFeeding | ContractorFeeding,
    volumes: Volumes,
    n: int,
) -> list[CostLine]:
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
        staff = [
            (
                "operational feeding cooks",
                cooks,
                costs.cook,
                f"{cooks:.1f} FTE from the line rosters",
            ),
            (
                "operational feeding drivers",
                drivers,
                costs.driver,
                f"{drivers:.1f} FTE from the van rosters",
            ),
        ]
        activities = [
            (
                "operational feeding food",
                costs.food_cost_per_meal,
                "feeding_meals_per_year",
                "per meal, simulated meals",
            ),
            (
                "operational feeding trips",
                costs.cost_per_trip,
                "feeding_trips_per_year",
                "per van trip, simulated",
            ),
        ]
        return [
            *staff_cost_lines(option, staff, n),
            fixed_line(
                option,
                "operational feeding event staff",
                called_in * costs.event_cost_per_staff_hour,
                period_years=n,
                growth=costs.cook.real_growth,
                category=Category.STAFF,
                note=f"{called_in:,.0f} staff-hours called in on planned-event days",
            ),
            *per_volume_lines(option, activities, volumes, growth=growth, period_years=n),
            purchases,
            residual,
            fixed_line(
                option,
                "operational feeding kitchens",
                costs.fixed_per_year,
                period_years=n,
                growth=growth,
            ),
        ]
    return _meal_contract_lines(
        option,
        "operational feeding contract",
        provider.costs,
        volumes,
        n,
        "feeding_meals_per_year",
        "feeding_late_meals_per_year",
    )


def _custody_lines(
    option: str, provider: InHouseCustody | ContractorCustody, volumes: Volumes, n: int
) -> list[CostLine]:
    costs = provider.costs
    (bought_in,) = per_volume_lines(
        option,
        [
            (
                "custody meals bought in",
                costs.emergency_cost_per_meal,
                "custody_emergency_meals_per_year",
                "meals bought locally when the suite's stock ran out, simulated",
            )
        ],
        volumes,
        growth=costs.real_growth,
        period_years=n,
    )
    if isinstance(provider, InHouseCustody):
        food = (
            "custody food",
            provider.costs.food_cost_per_meal,
            "custody_meals_per_year",
            "per meal, simulated meals",
        )
        growth = provider.costs.real_growth
        return [
            *per_volume_lines(option, [food], volumes, growth=growth, period_years=n),
            bought_in,
            fixed_line(
                option,
                "custody meal supply",
                provider.costs.fixed_per_year,
                period_years=n,
                growth=growth,
            ),
        ]
    contract = _meal_contract_lines(
        option,
        "custody contract",
        provider.costs,
        volumes,
        n,
        "custody_meals_per_year",
        "custody_late_meals_per_year",
    )
    return [*contract, bought_in]


def cost_lines(
    config: CateringConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """Every cost line of ``option`` over years ``0 .. period_years``.

    ``volumes`` maps the names of :func:`volume_metrics` to an annual
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
