"""Schema of the ``catering:`` section of a scenario (staff restaurants, operational feeding and
custody meals).

The section states the demand of the three services, the representative simulation period and
the delivery options:

- ``restaurants``: *site types* (large, medium, small, round the clock), each with a number of
  sites, the people it serves, its opening days and its arrival pattern over the day (the lunch
  peak); the counters customers choose from (hot meal, grab-and-go, coffee) with their service
  times and spend; the till; how long a queue customers accept before they leave (balking);
- ``operational_feeding``: planned events on a calendar (days of the simulated year, officers,
  meal windows) and unplanned requests (a yearly rate, a size and a deadline);
- ``custody``: suite types with their detainees a day, stays, set meal times and the share of
  detainees fed on arrival.

An option is a *composition* of three parts, each with its provider (``in_house`` or
``contractor``) and cost terms: ``restaurants`` (counter servers and tills on rosters per site
type), ``operational_feeding`` (production kitchens with lines and vans on rosters, plus staff
called in for planned events) and ``custody`` (meals from microwave stock at the suite or
delivered from a kitchen), plus the retained client function and one-off transition costs. A
contractor part may state its ``contract`` (term, extensions, the year it was let, what a re-let
costs: :class:`models.costing.ContractSpec`), which :func:`models.costing.option_lines` prices.
``in_house``, ``outsourced`` and ``mixed`` are the usual options; a scenario adds others in YAML,
with no code.

The section also names its ``business_as_usual`` option (the service as it ran in 2012-13: in
house), the ``existing_assets`` the force holds (:data:`HELD_ASSETS`: the operational-feeding
vans and kitchen equipment, kept and replaced by an option that runs the kitchens itself, sold
by one that contracts them out) and its priced ``risks`` (:class:`models.section.ServiceSection`).
The premises of the restaurants and of the operational-feeding kitchens are the force's in every
option (a caterer works in the force's buildings), so they are section terms, not option terms.

Every model forbids unknown keys (a typo is an error, never silently ignored) and is frozen.
Times are hours (hours of the day for clock times) unless the name says minutes or days; days of
the simulated year count from day 0, a Monday; money is pounds at base-year prices.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, ClassVar, Literal, Self

from pydantic import BaseModel, Field, field_validator, model_validator

from models.costing import (
    AssetSpec,
    ContractedPart,
    ContractSpec,
    Growth,
    HeldAssets,
    InHousePart,
    Money,
    OptionBase,
    StaffSpec,
)
from models.kit.arrivals import ArrivalProfile
from models.kit.distributions import DistributionSpec, NonNegativeNumber, PositiveNumber
from models.kit.roster import Roster, RosterSpec, build_roster
from models.section import STRICT, DemandGrowth, Name, ServiceSection, Share
from models.section import check_shares as _check_shares

__all__ = [
    "HELD_ASSETS",
    "WEEKDAYS",
    "CateringConfig",
    "ContractSpec",
    "ContractorCustody",
    "ContractorCustodyCosts",
    "ContractorFeeding",
    "ContractorFeedingCosts",
    "ContractorRestaurantCosts",
    "ContractorRestaurants",
    "CounterSpec",
    "CustodyDemand",
    "DaySegment",
    "FeedingDemand",
    "InHouseCustody",
    "InHouseCustodyCosts",
    "InHouseFeeding",
    "InHouseFeedingCosts",
    "InHouseRestaurantCosts",
    "InHouseRestaurants",
    "KitchenSpec",
    "MealWindow",
    "OptionSpec",
    "PeakSpec",
    "PeriodSpec",
    "PlannedEvent",
    "RestaurantDemand",
    "ServiceStandard",
    "SiteStaffing",
    "SiteTypeSpec",
    "StockSpec",
    "SuiteTypeSpec",
    "UnplannedSpec",
]


class _Model(BaseModel):
    """Base of the section's parts (:data:`models.section.STRICT`)."""

    model_config = STRICT


HourOfDay = Annotated[float, Field(ge=0.0, le=24.0, allow_inf_nan=False)]
Day = Annotated[int, Field(ge=0, le=6)]
Count = Annotated[int, Field(ge=0, le=100_000)]

WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4)
"""Monday to Friday (0 = Monday)."""

HELD_ASSETS: dict[str, str] = {
    "operational_feeding_vans": "operational_feeding",
    "operational_feeding_kitchen_equipment": "operational_feeding",
}
"""The ``existing_assets`` the cost lines use, by name, with the part each belongs to: the
in-house kitchens keep and replace them; an option that contracts the part out sells them."""


def _distinct(label: str, days: tuple[int, ...]) -> tuple[int, ...]:
    if len(set(days)) != len(days):
        raise ValueError(f"{label} repeat a day (got {list(days)})")
    return days


# --------------------------------------------------------------------------- restaurants


class CounterSpec(_Model):
    """A counter customers choose on arrival (hot meal, grab-and-go, coffee)."""

    share: Share
    """Share of customers choosing this counter."""
    service_minutes: DistributionSpec
    """Time at the counter (a server's time per customer; picking time if self-service)."""
    pays_at_till: bool = True
    """``false``: payment is taken at the counter (e.g. coffee), so no till queue."""
    spend: Money
    """Average takings per cover (pounds)."""
    food_cost: Money = 0.0
    """Ingredients per cover when the force buys the food (in-house)."""


class _ClockWindow(_Model):
    """From one clock time to a later one of the same day."""

    start: HourOfDay
    end: HourOfDay

    out_of_order: ClassVar[str] = "end ({end}) must be after start ({start})"
    """The problem reported when ``end`` is not after ``start`` (a window's own words)."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end <= self.start:
            raise ValueError(self.out_of_order.format(start=self.start, end=self.end))
        return self


class DaySegment(_ClockWindow):
    """A share of a day's covers arriving evenly (Poisson) between two clock times."""

    share: Share


class SiteTypeSpec(_Model):
    """A type of staff restaurant, simulated once and counted ``sites`` times."""

    label: str = ""
    sites: Count
    """Restaurants of this type (each behaves like the representative one)."""
    population: NonNegativeNumber
    """People working at a site (300-4,000 per site, Ramsay Todd)."""
    take_up: Annotated[float, Field(ge=0.0, le=5.0, allow_inf_nan=False)]
    """Covers per person per open day."""
    open_days: tuple[Day, ...] = WEEKDAYS
    """Days the site opens (0 = Monday)."""
    day_factors: Annotated[list[NonNegativeNumber], Field(min_length=7, max_length=7)] = [1.0] * 7
    """Covers by day relative to a normal open day (Monday first)."""
    day_shape: Annotated[list[DaySegment], Field(min_length=1)]
    """When the day's covers arrive: segments in time order, shares adding up to 1. The site is
    open from the first segment's start to the last one's end."""

    @field_validator("open_days")
    @classmethod
    def _distinct_days(cls, days: tuple[int, ...]) -> tuple[int, ...]:
        return _distinct("open_days", days)

    @model_validator(mode="after")
    def _shape(self) -> SiteTypeSpec:
        _check_shares("day_shape", {f"{s.start:g}-{s.end:g}": s.share for s in self.day_shape})
        for before, after in zip(self.day_shape, self.day_shape[1:], strict=False):
            if after.start < before.end:
                raise ValueError(
                    f"day_shape segments must be in time order without overlap "
                    f"({before.start:g}-{before.end:g} then {after.start:g}-{after.end:g})"
                )
        return self

    def covers_per_day(self, day: int, factor: float = 1.0) -> float:
        """Expected covers at one site on day of the week ``day`` (0 on closed days)."""
        if day not in self.open_days:
            return 0.0
        return self.population * self.take_up * self.day_factors[day] * factor

    def open_segments(self) -> Iterator[tuple[int, DaySegment]]:
        """``(day of week, segment)`` for every segment with arrivals in the week."""
        for day in self.open_days:
            if self.day_factors[day] > 0:
                for segment in self.day_shape:
                    if segment.share > 0:
                        yield day, segment


class PeakSpec(_ClockWindow):
    """The lunch peak over which queue times are reported (clock times)."""

    out_of_order: ClassVar[str] = "peak end ({end}) must be after its start ({start})"

    start: HourOfDay = 12.0
    end: HourOfDay = 13.5


class RestaurantDemand(_Model):
    """Staff restaurants: site types, counters, till and customers' patience."""

    site_types: Annotated[dict[Name, SiteTypeSpec], Field(min_length=1)]
    counters: Annotated[dict[Name, CounterSpec], Field(min_length=1)]
    till_minutes: DistributionSpec
    """Time to pay at a till."""
    balk_queue_length: Annotated[int, Field(ge=0, le=100_000)]
    """Patience: a customer who finds this many people (or more) already waiting at the queue
    they would join (their counter's, or the till's for a self-service counter) leaves: a lost
    cover."""
    peak: PeakSpec = PeakSpec()
    premises_per_site: Money = 0.0
    """Force premises costs of a restaurant a year (rent, rates, utilities), in every option."""

    @model_validator(mode="after")
    def _consistent(self) -> RestaurantDemand:
        _check_shares("counter", {k: c.share for k, c in self.counters.items()})
        return self

    def annual_covers(self, factor: float = 1.0) -> float:
        """Expected covers a year (365 days) over all sites at demand ``factor``."""
        weekly = sum(
            t.sites * t.covers_per_day(day, factor)
            for t in self.site_types.values()
            for day in range(7)
        )
        return weekly * 365.0 / 7.0


# --------------------------------------------------------------------------- operational feeding


class MealWindow(_ClockWindow):
    """A meal for the officers deployed, due between two clock times (late after ``end``)."""

    out_of_order: ClassVar[str] = "meal window end ({end}) must be after its start"

    meals_per_officer: PositiveNumber = 1.0


class PlannedEvent(_Model):
    """A planned operation whose officers are fed on site (Carnival, Marathon, state visit)."""

    label: str = ""
    days: tuple[Annotated[int, Field(ge=0, le=364)], ...] = ()
    """Days of the simulated year (day 0 is a Monday)."""
    weekly_days: tuple[Day, ...] = ()
    """Days of the week on which the event recurs every week (e.g. Saturday football)."""
    officers: Count
    meal_windows: Annotated[list[MealWindow], Field(min_length=1)]
    travel_hours: DistributionSpec
    """From a kitchen to the feeding point (drawn once per meal window)."""
    surge: bool = True
    """Kitchens call in their ``event_lines`` and ``event_vans`` on the event's days."""

    @model_validator(mode="after")
    def _has_days(self) -> PlannedEvent:
        _distinct("days", self.days)
        _distinct("weekly_days", self.weekly_days)
        if not self.days and not self.weekly_days:
            raise ValueError("an event needs days or weekly_days")
        return self

    def event_days(self, horizon_days: int) -> list[int]:
        """Days in ``[0, horizon_days)`` the event takes place (the calendar repeats yearly)."""
        days = {d + 365 * y for d in self.days for y in range(horizon_days // 365 + 1)}
        days |= {d for d in range(horizon_days) if d % 7 in self.weekly_days}
        return sorted(d for d in days if d < horizon_days)


class UnplannedSpec(_Model):
    """Unplanned requests for hot food (incidents), at random."""

    requests_per_year: NonNegativeNumber
    hour_of_day: Annotated[list[NonNegativeNumber], Field(min_length=24, max_length=24)] = [
        1.0
    ] * 24
    """Relative request rate by hour of day (only the shape matters)."""
    officers: DistributionSpec
    """Officers to feed per request (rounded, at least one)."""
    meals_per_officer: PositiveNumber = 1.0
    deadline_hours: DistributionSpec
    """From the request to the time the meals are due (hot food within 2-4 hours)."""
    travel_hours: DistributionSpec

    def profile(self, factor: float = 1.0) -> ArrivalProfile:
        """Requests per hour for each hour of the week at demand ``factor``."""
        shape = ArrivalProfile.from_hourly(self.hour_of_day)
        if shape.weekly_arrivals <= 0 or self.requests_per_year == 0:
            return ArrivalProfile.constant(0.0)
        weekly = self.requests_per_year * factor * 7.0 / 365.0
        return shape.scaled(weekly / shape.weekly_arrivals)


class FeedingDemand(_Model):
    """Operational feeding: planned events and unplanned requests."""

    planned: dict[Name, PlannedEvent] = {}
    unplanned: UnplannedSpec
    lead_hours: NonNegativeNumber = 3.0
    """Production for a planned meal starts at most this long before its window opens (hot food
    is not held longer)."""
    premises_per_year: Money = 0.0
    """Force premises costs of the production kitchens a year (rent, rates, utilities), in every
    option: a caterer cooks in the force's kitchens, as a caterer serves in its restaurants."""

    def release_hours(self, window: MealWindow) -> float:
        """Clock time production may start for ``window`` (may fall on the day before)."""
        return window.start - self.lead_hours


# --------------------------------------------------------------------------- custody


class SuiteTypeSpec(_Model):
    """A type of custody suite, simulated once and counted ``suites`` times."""

    suites: Count
    detainees_per_day: NonNegativeNumber


class CustodyDemand(_Model):
    """Detainees' meals: at set times for everyone held, and on arrival for some."""

    suite_types: Annotated[dict[Name, SuiteTypeSpec], Field(min_length=1)]
    hour_of_day: Annotated[list[NonNegativeNumber], Field(min_length=24, max_length=24)]
    """Relative arrivals by hour of day (only the shape matters)."""
    day_of_week: Annotated[list[NonNegativeNumber], Field(min_length=7, max_length=7)] = [1.0] * 7
    stay_hours: DistributionSpec
    meal_times: Annotated[list[Annotated[float, Field(ge=0.0, lt=24.0)]], Field(min_length=1)]
    """Set meal times (clock hours); every detainee held then is fed."""
    arrival_meal_share: Share
    """Share of detainees fed on arrival."""
    target_hours: PositiveNumber
    """A meal is on time if served within this of its set time (or of the arrival)."""

    def profile(self, detainees_per_day: float, factor: float = 1.0) -> ArrivalProfile:
        """Arrivals per hour at one suite for each hour of the week."""
        shape = ArrivalProfile.from_hourly(self.hour_of_day, self.day_of_week)
        if shape.weekly_arrivals <= 0 or detainees_per_day == 0:
            return ArrivalProfile.constant(0.0)
        return shape.scaled(detainees_per_day * factor * 7.0 / shape.weekly_arrivals)


# --------------------------------------------------------------------------- period, standard


class PeriodSpec(_Model):
    """The representative period each replication simulates (days).

    Restaurants and custody run for ``window_days`` (whole weeks keep the weekly pattern
    balanced); custody first runs ``warmup_days`` to fill its cells (restaurants open empty each
    day, so they need none). Operational feeding runs over ``feeding_days`` so that every
    planned event of the calendar happens once.
    """

    warmup_days: Annotated[int, Field(ge=0, le=3650)] = 2
    window_days: Annotated[int, Field(ge=1, le=36500)] = 7
    feeding_days: Annotated[int, Field(ge=1, le=36500)] = 365


class ServiceStandard(_Model):
    """The service level the force asks for; reports say which options meet it."""

    peak_wait_mean_minutes: PositiveNumber = 5.0
    lost_cover_share: Share = 0.02
    feeding_on_time: Share = 0.95
    emergency_within_target: Share = 0.9
    custody_on_time: Share = 0.95


# --------------------------------------------------------------------------- option parts


class SiteStaffing(_Model):
    """Servers per counter and tills of one restaurant (every site of its type alike).

    A counter with ``null`` is self-service (no server, no queue at the counter).
    """

    counters: dict[Name, RosterSpec | None]
    tills: RosterSpec = 0


class InHouseRestaurantCosts(_Model):
    """Costs of restaurants run by the force (the takings are its income)."""

    server: StaffSpec
    """Counter servers and till operators (London Living Wage or above)."""
    kitchen: StaffSpec
    """Cooks, supervisors and managers (not on the counter rosters)."""
    kitchen_fte_per_site: dict[Name, NonNegativeNumber]
    """Kitchen and management staff per site, by site type."""
    productive_hours_per_fte: PositiveNumber = 1650.0
    overheads_per_site: Money = 0.0
    """Equipment, cleaning, consumables a year per site."""
    real_growth: Growth = 0.0
    """Real change a year of food and overheads."""


class ContractorRestaurantCosts(_Model):
    """Contract terms: a management fee plus a price per cover.

    Either the caterer keeps the takings (``takings_retained: true``) and the price per cover is
    the force's dining subsidy, or the takings are credited to the force and the price per cover
    recharges the food and labour (cost plus)."""

    management_fee_per_year: Money = 0.0
    price_per_cover: Money
    takings_retained: bool = False
    """The caterer keeps the takings (so lost covers cost the caterer, not the force)."""
    real_growth: Growth = 0.0
    """Real indexation of the charges a year (a labour-heavy contract rises above inflation)."""


class _RestaurantsBase(_Model):
    staffing: dict[Name, SiteStaffing]
    """Staffing per site type."""
    service_time_factor: PositiveNumber = 1.0
    """Multiplies counter and till times (e.g. a contractor's faster formats)."""


class InHouseRestaurants(InHousePart[InHouseRestaurantCosts], _RestaurantsBase):
    """Restaurants staffed and stocked by the force."""


class ContractorRestaurants(ContractedPart[ContractorRestaurantCosts], _RestaurantsBase):
    """Restaurants run by a caterer."""


class KitchenSpec(_Model):
    """A production kitchen for operational feeding, with its vans."""

    lines: RosterSpec
    """Production lines (teams) on duty."""
    meals_per_line_hour: PositiveNumber
    vans: RosterSpec
    event_lines: Count = 0
    """Extra lines called in on planned-event days, from the first production to the last meal
    window's end."""
    event_vans: Count = 0
    """Extra vans (with drivers) called in on planned-event days, likewise."""


class _FeedingBase(_Model):
    kitchens: Annotated[dict[Name, KitchenSpec], Field(min_length=1)]
    meals_per_load: Annotated[int, Field(ge=1, le=100_000)]
    """Meals a van carries (hot boxes)."""
    handover_hours: NonNegativeNumber = 0.25
    """Unloading and setting up at the feeding point before the van returns."""
    travel_time_factor: PositiveNumber = 1.0


class InHouseFeedingCosts(_Model):
    """Costs of the force's own operational feeding."""

    cook: StaffSpec
    staff_per_line: PositiveNumber = 3.0
    driver: StaffSpec
    productive_hours_per_fte: PositiveNumber = 1650.0
    event_cost_per_staff_hour: Money = 0.0
    """Overtime or agency rate for staff called in on event days."""
    food_cost_per_meal: Money
    cost_per_trip: Money = 0.0
    """Fuel, hot boxes, consumables per van trip."""
    vans: AssetSpec
    kitchen_equipment: AssetSpec | None = None
    """One kitchen's fixed equipment (ranges, bratt pans, blast chillers), a set per kitchen."""
    fixed_per_year: Money = 0.0
    """Equipment maintenance, cleaning and kitchen management (premises are the section's)."""
    real_growth: Growth = 0.0


class _MealContractCosts(_Model):
    """What every meals contract charges: a management fee and a price per meal, less service
    credits for late meals."""

    management_fee_per_year: Money = 0.0
    price_per_meal: Money
    credit_per_late_meal: Money = 0.0
    """Service credit per meal delivered after its window (or deadline)."""
    credit_cap: Share | None = None
    """Cap on a year's credits as a share of that year's charges."""


class ContractorFeedingCosts(_MealContractCosts):
    """Contract terms for operational feeding: fee, price per meal, credits for late meals."""

    real_growth: Growth = 0.0
    """Real indexation of the charges a year (a labour-heavy contract rises above inflation)."""


class InHouseFeeding(InHousePart[InHouseFeedingCosts], _FeedingBase):
    """Operational feeding from the force's kitchens."""


class ContractorFeeding(ContractedPart[ContractorFeedingCosts], _FeedingBase):
    """Operational feeding by a caterer, with targets and service credits."""


class StockSpec(_Model):
    """Microwave meals held at each suite, topped up on a fixed cycle."""

    order_up_to: dict[Name, Count]
    """Stock after each delivery, by suite type."""
    restock_days: Annotated[int, Field(ge=1, le=365)] = 7
    restock_hour: Annotated[float, Field(ge=0.0, lt=24.0)] = 6.0
    emergency_hours: NonNegativeNumber = 2.0
    """When the stock has run out, a meal is bought in and arrives this much later."""


class InHouseCustodyCosts(_Model):
    """Costs of custody meals bought in by the force (prepared by detention staff)."""

    food_cost_per_meal: Money
    emergency_cost_per_meal: Money = 0.0
    fixed_per_year: Money = 0.0
    real_growth: Growth = 0.0


class ContractorCustodyCosts(_MealContractCosts):
    """Contract terms for custody meals."""

    emergency_cost_per_meal: Money = 0.0
    """Meals bought in locally when a suite's stock has run out (the force pays)."""
    real_growth: Growth = 0.0
    """Real indexation of the charges a year."""


class _CustodyBase(_Model):
    supply: Literal["microwave", "kitchen"]
    """``microwave``: every meal from the suite's stock; ``kitchen``: set-time meals delivered
    hot from a kitchen (arrival meals still from stock)."""
    servers: dict[Name, RosterSpec]
    """Staff preparing and serving meals at a suite, by suite type."""
    prep_minutes: DistributionSpec
    stock: StockSpec
    delivery_delay_hours: DistributionSpec | None = None
    """Kitchen supply: delivery after the set time (drawn per suite and meal time)."""

    @model_validator(mode="after")
    def _delivery(self) -> _CustodyBase:
        if self.supply == "kitchen" and self.delivery_delay_hours is None:
            raise ValueError("kitchen supply needs delivery_delay_hours")
        return self


class InHouseCustody(InHousePart[InHouseCustodyCosts], _CustodyBase):
    """Custody meals bought and kept by the force."""


class ContractorCustody(ContractedPart[ContractorCustodyCosts], _CustodyBase):
    """Custody meals supplied by a caterer at a price per meal."""


RestaurantsProvider = Annotated[
    InHouseRestaurants | ContractorRestaurants, Field(discriminator="provider")
]
FeedingProvider = Annotated[InHouseFeeding | ContractorFeeding, Field(discriminator="provider")]
CustodyProvider = Annotated[InHouseCustody | ContractorCustody, Field(discriminator="provider")]


class OptionSpec(OptionBase):
    """A delivery option: who runs restaurants, operational feeding and custody meals."""

    restaurants: RestaurantsProvider
    operational_feeding: FeedingProvider
    custody: CustodyProvider

    part_names: ClassVar[tuple[str, ...]] = ("restaurants", "operational_feeding", "custody")


# --------------------------------------------------------------------------- the section


class CateringConfig(DemandGrowth, ServiceSection, _Model):
    """The ``catering:`` section of a scenario. Its ``growth_per_year`` changes restaurant
    covers, detainees and unplanned requests (planned events keep their size)."""

    cost_keys: ClassVar[frozenset[str]] = ServiceSection.cost_keys | {
        "food_cost",
        "premises_per_site",
        "premises_per_year",
    }
    """The food bought per meal and the premises are priced, never simulated."""

    restaurants: RestaurantDemand
    operational_feeding: FeedingDemand
    custody: CustodyDemand
    period: PeriodSpec = PeriodSpec()
    standard: ServiceStandard = ServiceStandard()
    options: Annotated[dict[Name, OptionSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _options_fit_demand(self) -> CateringConfig:
        problems: list[str] = []
        for name, option in self.options.items():
            problems += _restaurant_problems(self.restaurants, name, option.restaurants)
            problems += _custody_problems(self.custody, name, option.custody)
            for kitchen_name, kitchen in option.operational_feeding.kitchens.items():
                where = f"options.{name}.operational_feeding.kitchens.{kitchen_name}"
                if build_roster(kitchen.lines).max_capacity < 1:
                    problems.append(f"{where}.lines: the roster never has a line on duty")
                if build_roster(kitchen.vans).max_capacity < 1:
                    problems.append(f"{where}.vans: the roster never has a van on duty")
        problems += _held_asset_problems(self.existing_assets)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _held_asset_problems(existing: dict[str, HeldAssets]) -> list[str]:
    """Existing assets the cost lines would not use (or under another part) are refused: an
    option contracting the part out would sell what no in-house option keeps."""
    problems = []
    for name, held in existing.items():
        part = HELD_ASSETS.get(name)
        if part is None:
            problems.append(
                f"existing_assets.{name}: not an asset the catering lines use "
                f"({', '.join(HELD_ASSETS)})"
            )
        elif held.part != part:
            problems.append(f"existing_assets.{name}.part must be {part!r} (got {held.part!r})")
    return problems


def _uncovered(roster: Roster, day: int, start: float, end: float) -> bool:
    """Whether ``roster`` has nobody on duty at some time of ``[start, end)`` on ``day``."""
    begin = day * 24.0 + start
    finish = day * 24.0 + end
    if roster.capacity_at(begin) < 1:
        return True
    return any(roster.capacity_at(t) < 1 for t in roster.change_times(finish, begin))


def _restaurant_problems(
    demand: RestaurantDemand, option: str, provider: InHouseRestaurants | ContractorRestaurants
) -> list[str]:
    problems: list[str] = []
    where = f"options.{option}.restaurants"
    needs_till = any(c.pays_at_till for c in demand.counters.values())
    if isinstance(provider, InHouseRestaurants):
        missing = set(demand.site_types) - set(provider.costs.kitchen_fte_per_site)
        if missing:
            problems.append(f"{where}.costs.kitchen_fte_per_site: no figure for {sorted(missing)}")
    for site_name, site in demand.site_types.items():
        if site.sites == 0:
            continue
        staffing = provider.staffing.get(site_name)
        if staffing is None:
            problems.append(f"{where}.staffing: no staffing for site type {site_name!r}")
            continue
        counters = set(staffing.counters)
        if counters != set(demand.counters):
            problems.append(
                f"{where}.staffing.{site_name}.counters must name every counter "
                f"{sorted(demand.counters)} (null for self-service)"
            )
            continue
        rosters: dict[str, RosterSpec] = {
            f"counters.{c}": spec for c, spec in staffing.counters.items() if spec is not None
        }
        if needs_till:
            rosters["tills"] = staffing.tills
        for label, spec in rosters.items():
            roster = build_roster(spec)
            gaps = sorted(
                {
                    f"day {day} {segment.start:g}-{segment.end:g}"
                    for day, segment in site.open_segments()
                    if _uncovered(roster, day, segment.start, segment.end)
                }
            )
            if gaps:
                problems.append(
                    f"{where}.staffing.{site_name}.{label}: nobody on duty while customers "
                    f"arrive ({', '.join(gaps[:3])}{', ...' if len(gaps) > 3 else ''})"
                )
    return problems


def _custody_problems(
    demand: CustodyDemand, option: str, provider: InHouseCustody | ContractorCustody
) -> list[str]:
    problems: list[str] = []
    where = f"options.{option}.custody"
    types = set(demand.suite_types)
    for label, given in (
        ("servers", set(provider.servers)),
        ("stock.order_up_to", set(provider.stock.order_up_to)),
    ):
        if given != types:
            problems.append(
                f"{where}.{label} must give a figure for each suite type {sorted(types)} "
                f"(missing {sorted(types - given)}, unknown {sorted(given - types)})"
            )
    for suite, spec in provider.servers.items():
        busy = demand.suite_types.get(suite)
        in_use = busy is not None and busy.suites > 0 and busy.detainees_per_day > 0
        if in_use and build_roster(spec).max_capacity < 1:
            problems.append(f"{where}.servers.{suite}: the roster never has anyone on duty")
    return problems
