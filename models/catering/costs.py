"""Green Book cost lines of a catering option, from its terms and its simulated volumes, and
the should-cost of each of its contracts.

Fixed costs come from the option's terms and rosters (counter and till staff from the restaurant
rosters, kitchen staff per site, cooks and drivers from the kitchens' line and van rosters, staff
called in on event days from the calendar, vans and kitchen equipment, management fees);
variable costs are unit prices times the simulated annual volumes of
:meth:`models.service.Service.yearly_volumes` (covers by counter, operational and custody
meals, van trips, meals bought in when the custody stock ran out), and service credits are the
credit per late meal times the simulated late meals (always a transfer: kept out of the economic
case by :mod:`models.appraisal`). The client function, transition costs, re-lets, disposals of
held assets and priced risks are the lines every option has
(:func:`models.costing.option_lines`, added by :meth:`models.service.Service.lines`).

Restaurant takings are the force's income unless a caterer keeps them (then its price per cover
is the force's dining subsidy). A customer's payment buys a meal: it is the sale of a good, not
a transfer (Green Book 2018 paras 6.7-6.8: transfers pass money without anything produced in
exchange), so takings stay as income in the economic case as well as the financial one.

Lines the force bears whoever runs the service are written once and are the same line (name,
category, provider, values) in every option, so they get the same optimism bias: the premises of
the restaurants and of the operational-feeding kitchens (a caterer works in the force's
buildings). The vans and kitchen equipment the force already holds (the section's
``existing_assets``) are kept and replaced as they fall due by an option whose kitchens are in
house, not bought again (valued at opportunity cost); an option that contracts the kitchens out
sells them (a caterer brings its own), a receipt that :func:`models.costing.option_lines` adds.
No line depends on an option's name, only on who provides each part.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from models.appraisal import (
    Category,
    CostElement,
    CostLine,
    ShouldCost,
    ShouldCostSettings,
    annual_capital_charge,
)
from models.catering.config import (
    CateringConfig,
    ContractorCustody,
    ContractorCustodyCosts,
    ContractorFeeding,
    ContractorFeedingCosts,
    ContractorRestaurants,
    InHouseCustody,
    InHouseFeeding,
    InHouseFeedingCosts,
    InHouseRestaurantCosts,
    InHouseRestaurants,
)
from models.catering.feeding import surge_windows
from models.costing import (
    AssetSpec,
    Volumes,
    asset_cost_lines,
    contract_cost_lines,
    contract_should_cost,
    fixed_line,
    held_assets,
    in_house_reference,
    levelised_cost,
    per_volume_lines,
    roster_fte,
    staff_cost_lines,
    year_one_charges,
    year_one_pay,
    year_one_volumes,
)
from models.costing import volume as _volume
from models.kit.roster import build_roster

__all__ = [
    "cost_lines",
    "event_staff_hours",
    "feeding_fte",
    "restaurant_fte",
    "restaurant_lines",
    "should_cost",
    "subsidy_per_cover",
    "vans_owned",
    "volume_metrics",
]

DAYS_PER_YEAR = 365
VANS = "operational_feeding_vans"
"""The ``existing_assets`` entry of the vans the force holds."""
KITCHEN_EQUIPMENT = "operational_feeding_kitchen_equipment"
"""The ``existing_assets`` entry of the kitchens' equipment the force holds."""

Restaurants = InHouseRestaurants | ContractorRestaurants
Feeding = InHouseFeeding | ContractorFeeding


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


def _terms(provider: Any, terms: Any) -> Any:
    """The in-house cost terms to cost ``provider``'s rosters on: ``terms``, or its own."""
    if terms is not None:
        return terms
    if provider.provider != "in_house":
        raise ValueError("a contractor's rosters are costed on in-house terms: pass them")
    return provider.costs


def restaurant_fte(
    config: CateringConfig, provider: Restaurants, terms: InHouseRestaurantCosts | None = None
) -> tuple[float, float]:
    """``(counter and till staff, kitchen staff)`` full-time equivalents over every site.

    Counter and till staff cover the rosters of each site type times its number of sites;
    kitchen staff are the per-site figures times the number of sites. ``terms`` (productive
    hours, kitchen staff per site) default to the provider's own (an in-house one).
    """
    costs = _terms(provider, terms)
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


def feeding_fte(provider: Feeding, terms: InHouseFeedingCosts | None = None) -> tuple[float, float]:
    """``(cooks, drivers)`` full-time equivalents to man the kitchens' line and van rosters
    (staff per line and productive hours from ``terms``, default the provider's own)."""
    costs = _terms(provider, terms)
    kitchens = provider.kitchens.values()
    cooks = roster_fte(
        [k.lines for k in kitchens], costs.productive_hours_per_fte, costs.staff_per_line
    )
    drivers = roster_fte([k.vans for k in kitchens], costs.productive_hours_per_fte)
    return cooks, drivers


def event_staff_hours(
    config: CateringConfig, provider: Feeding, terms: InHouseFeedingCosts | None = None
) -> float:
    """Staff-hours called in a year on planned-event days (lines x staff per line, plus one
    driver per van, over each day's surge window of the yearly calendar)."""
    costs = _terms(provider, terms)
    windows = surge_windows(config.operational_feeding, DAYS_PER_YEAR)
    hours = math.fsum(end - start for start, end in windows)
    per_hour = sum(
        k.event_lines * costs.staff_per_line + k.event_vans for k in provider.kitchens.values()
    )
    return hours * per_hour


def vans_owned(provider: Feeding, terms: InHouseFeedingCosts | None = None) -> int:
    """Vans to own: the most on duty at once by the weekly rosters, plus spares (vans called in
    for events are hired: in the event staff cost)."""
    costs = _terms(provider, terms)
    peak = sum(build_roster(k.vans).max_capacity for k in provider.kitchens.values())
    return math.ceil(peak * (1.0 + costs.vans.spare_share))


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


def _kitchen_premises_line(config: CateringConfig, option: str, n: int) -> CostLine:
    """The kitchens' premises: the force's in every option, the same line in each."""
    return fixed_line(
        option,
        "operational feeding kitchen premises",
        config.operational_feeding.premises_per_year,
        period_years=n,
        note="the force's kitchens in every option (a caterer cooks in them)",
    )


def _held_note(units: float, held_name: str, config: CateringConfig) -> str:
    held = held_assets(config, held_name)
    if held is None or held.units == 0:
        return f"{units:g} bought new"
    return (
        f"{units:g}, of which {min(held.units, units):g} held by the force "
        f"(kept, replaced after {held.remaining_life_years} years)"
    )


def _feeding_asset_lines(
    config: CateringConfig, option: str, provider: InHouseFeeding, n: int
) -> list[CostLine]:
    """The vans and kitchen equipment of the force's kitchens: those it holds are kept and
    replaced as they fall due (opportunity cost), any more are bought in year 0."""
    costs = provider.costs
    assets: list[tuple[str, str, AssetSpec | None, float]] = [
        ("operational feeding vans", VANS, costs.vans, vans_owned(provider)),
        (
            "operational feeding kitchen equipment",
            KITCHEN_EQUIPMENT,
            costs.kitchen_equipment,
            len(provider.kitchens),
        ),
    ]
    lines: list[CostLine] = []
    for name, held_name, asset, units in assets:
        if asset is None:
            continue
        lines.extend(
            asset_cost_lines(
                option,
                name,
                asset=asset,
                units=units,
                period_years=n,
                note=_held_note(units, held_name, config),
                held=held_assets(config, held_name),
            )
        )
    return lines


def _in_house_feeding_lines(
    config: CateringConfig, option: str, provider: InHouseFeeding, volumes: Volumes, n: int
) -> list[CostLine]:
    costs = provider.costs
    cooks, drivers = feeding_fte(provider)
    called_in = event_staff_hours(config, provider)
    growth = costs.real_growth
    staff = [
        ("operational feeding cooks", cooks, costs.cook, f"{cooks:.1f} FTE from the line rosters"),
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
        *_feeding_asset_lines(config, option, provider, n),
        fixed_line(
            option,
            "operational feeding kitchens",
            costs.fixed_per_year,
            period_years=n,
            growth=growth,
            note="equipment maintenance, cleaning, kitchen management",
        ),
    ]


def _feeding_lines(
    config: CateringConfig, option: str, provider: Feeding, volumes: Volumes, n: int
) -> list[CostLine]:
    """Operational feeding: the force's kitchens or a contract, and the kitchens' premises."""
    if isinstance(provider, InHouseFeeding):
        own = _in_house_feeding_lines(config, option, provider, volumes, n)
    else:
        own = _meal_contract_lines(
            option,
            "operational feeding contract",
            provider.costs,
            volumes,
            n,
            "feeding_meals_per_year",
            "feeding_late_meals_per_year",
        )
    return [*own, _kitchen_premises_line(config, option, n)]


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


# --------------------------------------------------------------------------- should-cost


def _restaurant_should_cost(
    config: CateringConfig,
    option: str,
    provider: ContractorRestaurants,
    first: dict[str, float],
    settings: ShouldCostSettings,
) -> ShouldCost | None:
    """The caterer's restaurants: staff on its rosters at the force's pay, food, running costs
    (the premises stay the force's); the takings it keeps are netted off after its overhead and
    margin, which are on its cost, and the result set beside its charges."""
    reference = in_house_reference(config, "restaurants")
    if reference is None:
        return None
    terms = reference.costs
    counters = config.restaurants.counters
    sites = sum(t.sites for t in config.restaurants.site_types.values())
    counter_fte, kitchen_fte = restaurant_fte(config, provider, terms)
    elements = [
        CostElement(
            "counter and till staff",
            year_one_pay(counter_fte, terms.server),
            f"{counter_fte:.1f} FTE from the contract's rosters, on the force's pay (TUPE)",
        ),
        CostElement(
            "kitchen staff",
            year_one_pay(kitchen_fte, terms.kitchen),
            f"{kitchen_fte:.1f} FTE, the force's staff per site and pay (TUPE)",
        ),
        CostElement(
            "food",
            float(_counter_sum(config, first, lambda c: counters[c].food_cost)),
            "food cost per cover by counter x simulated covers",
        ),
        CostElement(
            "running costs",
            terms.overheads_per_site * sites,
            f"{sites} sites: equipment, cleaning, consumables (premises are the force's)",
        ),
    ]
    sc = contract_should_cost(
        config,
        option,
        "restaurants",
        elements,
        year_one_charges(restaurant_lines(config, option, first, 1)),
        settings,
        name="restaurant contract",
    )
    if not provider.costs.takings_retained:
        return sc
    takings = float(_counter_sum(config, first, lambda c: counters[c].spend))
    return replace(sc, income_kept=takings)


def _feeding_should_cost(
    config: CateringConfig,
    option: str,
    provider: ContractorFeeding,
    first: dict[str, float],
    settings: ShouldCostSettings,
) -> ShouldCost | None:
    """The caterer's operational feeding: cooks and drivers on its kitchens' rosters and staff
    called in for events at the force's pay, food and trips at the simulated volumes, its own
    vans and kitchen equipment at an annual capital charge, kitchen running costs (the premises
    stay the force's)."""
    reference = in_house_reference(config, "operational_feeding")
    if reference is None:
        return None
    terms = reference.costs
    cooks, drivers = feeding_fte(provider, terms)
    called_in = event_staff_hours(config, provider, terms)
    vans = vans_owned(provider, terms)
    kitchens = len(provider.kitchens)
    rate = settings.capital_rate
    meals, trips = first["feeding_meals_per_year"], first["feeding_trips_per_year"]
    elements = [
        CostElement("cooks", year_one_pay(cooks, terms.cook), f"{cooks:.1f} FTE (TUPE pay)"),
        CostElement("drivers", year_one_pay(drivers, terms.driver), f"{drivers:.1f} FTE"),
        CostElement(
            "event staff",
            called_in * terms.event_cost_per_staff_hour,
            f"{called_in:,.0f} staff-hours called in on planned-event days",
        ),
        CostElement("food", meals * terms.food_cost_per_meal, f"{meals:,.0f} simulated meals"),
        CostElement("trips", trips * terms.cost_per_trip, f"{trips:,.0f} simulated van trips"),
        CostElement(
            "vans",
            vans * annual_capital_charge(terms.vans.unit_cost, terms.vans.life_years, rate),
            f"{vans} vans at an annual capital charge",
        ),
    ]
    kit = terms.kitchen_equipment
    if kit is not None:
        charge = annual_capital_charge(kit.unit_cost, kit.life_years, rate)
        elements.append(
            CostElement("kitchen equipment", kitchens * charge, f"{kitchens} kitchens' sets")
        )
    elements.append(
        CostElement("kitchen running costs", terms.fixed_per_year, "premises are the force's")
    )
    charges = _meal_contract_lines(
        option,
        "operational feeding contract",
        provider.costs,
        first,
        1,
        "feeding_meals_per_year",
        "feeding_late_meals_per_year",
    )
    return contract_should_cost(
        config,
        option,
        "operational_feeding",
        elements,
        year_one_charges(charges),
        settings,
        name="operational feeding contract",
    )


def _custody_should_cost(
    config: CateringConfig,
    option: str,
    provider: ContractorCustody,
    first: dict[str, float],
    settings: ShouldCostSettings,
) -> ShouldCost | None:
    """The caterer's custody meals: the food at the force's cost per meal, ordering and storage,
    and for hot meals from a kitchen one van round per kitchen and set meal time at the force's
    cost per van trip (the meals are cooked on the kitchens' rostered lines and carried by their
    rostered vans and drivers, costed with operational feeding; meals bought in when the stock
    runs out are the force's)."""
    reference = in_house_reference(config, "custody")
    if reference is None:
        return None
    terms = reference.costs
    meals = first["custody_meals_per_year"]
    elements = [
        CostElement("food", meals * terms.food_cost_per_meal, f"{meals:,.0f} simulated meals"),
        CostElement("meal supply", terms.fixed_per_year, "ordering, storage, microwaves"),
    ]
    feeding = in_house_reference(config, "operational_feeding")
    if provider.supply == "kitchen" and feeding is not None:
        kitchens = len(config.options[option].operational_feeding.kitchens)
        rounds = kitchens * len(config.custody.meal_times) * DAYS_PER_YEAR
        elements.append(
            CostElement(
                "deliveries",
                rounds * feeding.costs.cost_per_trip,
                f"{rounds:,} rounds a year (a kitchen's van per set meal time) at the cost per "
                "van trip; drivers on the kitchens' rosters",
            )
        )
    charges = _meal_contract_lines(
        option,
        "custody contract",
        provider.costs,
        first,
        1,
        "custody_meals_per_year",
        "custody_late_meals_per_year",
    )
    return contract_should_cost(
        config,
        option,
        "custody",
        elements,
        year_one_charges(charges),
        settings,
        name="custody contract",
    )


def should_cost(
    config: CateringConfig, option: str, volumes: Volumes, settings: ShouldCostSettings
) -> list[ShouldCost]:
    """The should-cost of each contract of ``option`` a year (Cabinet Office, *The Sourcing
    Playbook*): what running the part would cost the caterer, from the option's own rosters and
    the first operating year's simulated volumes, on the force's pay and unit costs (staff
    transfer under TUPE on their terms), plus its overhead, the risks the contract transfers,
    its mobilisation and margin, beside the year-1 charges of the contract at the same
    volumes. A part no option runs in house has no terms to build from, so no should-cost."""
    first = year_one_volumes(volumes, volume_metrics(config, option))
    out: list[ShouldCost | None] = []
    for provider in config.options[option].parts().values():
        if isinstance(provider, ContractorRestaurants):
            out.append(_restaurant_should_cost(config, option, provider, first, settings))
        elif isinstance(provider, ContractorFeeding):
            out.append(_feeding_should_cost(config, option, provider, first, settings))
        elif isinstance(provider, ContractorCustody):
            out.append(_custody_should_cost(config, option, provider, first, settings))
    return [sc for sc in out if sc is not None]
