"""Schema of the ``fleet:`` section of a scenario (fleet provision and maintenance).

The section states the fleet (vehicle classes: count, mileage, service interval, failure rates
by job kind, vehicles required per shift, replacement rule), the kinds of workshop job (skill,
bay, labour, parts delays, share small enough for a mobile unit, the force's turnaround
target), the policing shifts, a spare pool, the representative simulation period and the
delivery options. An option is a *composition* of workshops, each with its provider and cost
terms, and a routing of job kinds to them:

- ``provider: in_house``: the force's workshops, technicians by skill on rosters, bays, mobile
  units; paid as staff, premises, parts and equipment;
- ``provider: contractor``: a contractor's workshops (often open longer), partly busy with
  other customers, paid a fee per vehicle-year plus a price per job kind, with turnaround
  targets per job kind and service credits on breaches, a contract lifecycle (``contract``:
  term, extensions, re-let costs) and the cost basis of its should-cost (``cost_basis``);

plus the retained client function and one-off transition costs. ``in_house``, ``outsourced``
and ``mixed`` (in-house routine servicing, contracted collision and major repair) are the usual
options; a scenario can add others in YAML, with no code. ``business_as_usual`` names the one
that is today's arrangement (in 2012-13: ``outsourced``); the section's ``existing_assets``
(kit the force holds for a workshop) and ``risks`` (the priced risk register) come from
:class:`models.section.ServiceSection`.

Every model forbids unknown keys and is frozen. Times are hours unless the name says days,
months or years; money is pounds at base-year prices; rates are per vehicle per year *on the
road* (a vehicle in the workshop does not fail again).
"""

from __future__ import annotations

import math
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, model_validator

from models.costing import (
    AssetSpec,
    ContractSpec,
    Fraction,
    Growth,
    InHousePart,
    Money,
    OptionBase,
    StaffSpec,
)
from models.kit.distributions import DistributionSpec, Fixed, NonNegativeNumber, PositiveNumber
from models.kit.roster import RosterSpec, build_roster
from models.section import STRICT, Name, ServiceSection, Share

__all__ = [
    "PRIORITIES",
    "SERVICE",
    "ContractorWorkshop",
    "ContractorWorkshopCosts",
    "FleetConfig",
    "InHouseWorkshop",
    "InHouseWorkshopCosts",
    "JobKindSpec",
    "MajorRepairSpec",
    "OptionSpec",
    "OtherCustomersSpec",
    "PeriodSpec",
    "ReplacementSpec",
    "RequiredSpec",
    "ShiftTimeSpec",
    "ShortfallSpec",
    "SparePoolSpec",
    "VehicleClassSpec",
    "Workshop",
]


class _Model(BaseModel):
    """Base of the section's parts (:data:`models.section.STRICT`)."""

    model_config = STRICT


PRIORITIES: tuple[str, ...] = ("urgent", "routine")
"""Workshop priorities in queue order (urgent, e.g. response cars, first; FIFO within)."""

SERVICE = "service"
"""The job kind of routine (scheduled) servicing; the other kinds are failures."""

Priority = Literal["urgent", "routine"]
Hour = Annotated[float, Field(ge=0.0, le=24.0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]

HOURS_PER_MONTH = 365.0 * 24.0 / 12.0


# --------------------------------------------------------------------------- the fleet


class ShiftTimeSpec(_Model):
    """A policing shift: from ``start`` to ``end`` (hours of the day; ``end <= start`` wraps
    past midnight)."""

    start: Annotated[float, Field(ge=0.0, lt=24.0, allow_inf_nan=False)]
    end: Hour

    @property
    def duration(self) -> float:
        """Length in hours."""
        span = self.end - self.start
        return span if span > 0 else span + 24.0


class RequiredSpec(_Model):
    """Vehicles of a class required on the road in each shift, weekdays (Mon-Fri) and weekends
    (by the day the shift starts)."""

    weekday: dict[Name, Count]
    weekend: dict[Name, Count]


class ReplacementSpec(_Model):
    """When a vehicle is replaced (age or mileage, whichever first) and at what price."""

    life_years: PositiveNumber
    life_miles: PositiveNumber | None = None
    unit_cost: Money
    resale_share: Fraction = 0.0
    """Share of the price recovered on disposal of the old vehicle."""
    real_growth: Growth = 0.0

    def life(self, annual_miles: float, factor: float = 1.0) -> float:
        """Years a vehicle serves: ``min(life_years, life_miles / annual_miles) x factor``."""
        years = self.life_years
        if self.life_miles is not None and annual_miles > 0:
            years = min(years, self.life_miles / annual_miles)
        return years * factor


class VehicleClassSpec(_Model):
    """A class of vehicle (response cars, vans, ...)."""

    count: Count
    annual_miles: NonNegativeNumber
    service_interval_miles: PositiveNumber | None = None
    service_interval_months: PositiveNumber | None = None
    """Routine service at whichever interval comes first (none: not serviced in the model)."""
    failures_per_year: dict[Name, NonNegativeNumber] = {}
    """Unscheduled workshop jobs per vehicle-year on the road, by job kind."""
    priority: Priority = "routine"
    """Place in the workshop queues (response vehicles: urgent)."""
    required: RequiredSpec
    replacement: ReplacementSpec

    @property
    def service_interval_hours(self) -> float:
        """Calendar hours between services (``inf`` when never serviced)."""
        hours = math.inf
        if self.service_interval_months is not None:
            hours = self.service_interval_months * HOURS_PER_MONTH
        if self.service_interval_miles is not None and self.annual_miles > 0:
            hours = min(hours, self.service_interval_miles / self.annual_miles * 365.0 * 24.0)
        return hours

    @property
    def failure_rate(self) -> float:
        """Unscheduled jobs per vehicle-year on the road, all kinds."""
        return math.fsum(self.failures_per_year.values())


class JobKindSpec(_Model):
    """A kind of workshop job: who does it, how long it takes, what it waits for."""

    skill: Name
    """Technicians' skill (a key of each workshop's ``technicians``)."""
    bay: Name = "general"
    """Kind of bay the vehicle occupies while worked on (a key of ``bays``)."""
    labour_hours: DistributionSpec
    parts_share: Share = 0.0
    """Share of jobs that wait for parts before the work starts."""
    parts_delay_hours: DistributionSpec | None = None
    mobile_share: Share = 0.0
    """Share of jobs small enough for a mobile unit at the station (where there are units)."""
    turnaround_target_hours: PositiveNumber
    """The force's standard: off the road to back on it."""

    @model_validator(mode="after")
    def _parts_delay_given(self) -> JobKindSpec:
        if self.parts_share > 0 and self.parts_delay_hours is None:
            raise ValueError("parts_share > 0 needs parts_delay_hours")
        return self


class SparePoolSpec(_Model):
    """Reserve vehicles (pool cars, daily hire on standby) that stand in for vehicles off the
    road in the classes they cover (urgent classes first). They are not maintained in the
    model."""

    vehicles: Count = 0
    covers: list[Name] | None = None
    """Classes covered (all when omitted)."""


class ShortfallSpec(_Model):
    """Price of covering a vehicle missing from a shift (e.g. daily hire); 0: shown as a
    service measure only."""

    price_per_vehicle_shift: Money = 0.0
    real_growth: Growth = 0.0


class PeriodSpec(_Model):
    """The representative period each replication simulates (days)."""

    warmup_days: Annotated[int, Field(ge=0, le=3650)] = 42
    """Discarded start-up, from every vehicle on the road (see ``warmup_evidence``)."""
    window_days: Annotated[int, Field(ge=1, le=36500)] = 56
    """Observed period after the warm-up (whole weeks keep the weekly pattern balanced)."""


# --------------------------------------------------------------------------- workshops


class OtherCustomersSpec(_Model):
    """A contractor's work for other customers, competing for the same technicians.

    Their jobs arrive at random (Poisson) for each skill at the rate that keeps ``busy_share``
    of the skill's mean on-duty technicians busy with them.
    """

    busy_share: Annotated[float, Field(ge=0.0, lt=1.0)]
    job_time: DistributionSpec
    priority: Literal["urgent", "routine", "after_police"] = "routine"


class InHouseWorkshopCosts(_Model):
    """Costs of the force's own workshops."""

    technician: StaffSpec
    productive_hours_per_fte: PositiveNumber = 1650.0
    fixed_per_year: Money = 0.0
    """Premises, management, systems."""
    parts_per_job: dict[Name, Money] = {}
    """Parts and consumables per job, by kind."""
    equipment: AssetSpec | None = None
    """Workshop equipment per bay."""
    mobile_vans: AssetSpec | None = None
    """Vans of the mobile units (spare_share on the peak number on duty)."""
    real_growth: Growth = 0.0


class ContractorWorkshopCosts(_Model):
    """Contract terms of a maintenance contractor."""

    fee_per_vehicle_year: Money = 0.0
    price_per_job: dict[Name, Money] = {}
    """Charge per job by kind (labour and parts)."""
    credit_per_breach: Money = 0.0
    credit_cap: Share | None = None
    real_growth: Growth = 0.0


class _WorkshopBase(_Model):
    technicians: Annotated[dict[Name, RosterSpec], Field(min_length=1)]
    """Technicians on duty by skill."""
    bays: Annotated[dict[Name, Annotated[int, Field(ge=1, le=100_000)]], Field(min_length=1)]
    """Bays by kind (``general``, ``bodyshop``)."""
    mobile_units: RosterSpec = 0
    travel_time: DistributionSpec = Field(default_factory=lambda: Fixed(value=0.0))
    """One way, station to workshop (collection, and again on return)."""
    mobile_travel_time: DistributionSpec = Field(default_factory=lambda: Fixed(value=0.0))
    work_session_hours: PositiveNumber | None = 4.0
    """A job longer than this is worked in sessions, the technician free between them (so
    work stops when shifts end); ``null``: one stretch."""
    parts_delay_factor: PositiveNumber = 1.0
    """Multiplies parts delays (a bigger supply chain may be quicker)."""


class InHouseWorkshop(InHousePart[InHouseWorkshopCosts], _WorkshopBase):
    """The force's workshops."""


class ContractorWorkshop(_WorkshopBase):
    """A contractor's workshops, shared with other customers."""

    provider: Literal["contractor"]
    other_customers: OtherCustomersSpec | None = None
    contract_targets_hours: dict[Name, PositiveNumber] = {}
    """Turnaround target by job kind, arrival to ready; each job beyond it earns a credit."""
    targets_exclude_parts: bool = True
    """Waits for parts do not count against the targets (the usual contract term)."""
    costs: ContractorWorkshopCosts
    contract: ContractSpec | None = None
    """The contract's lifecycle: term, extensions, when it was let, what a re-let costs."""
    cost_basis: InHouseWorkshopCosts | None = None
    """What the work costs the contractor, for the should-cost: technicians on the terms
    transferred under TUPE, premises and management, parts at cost, kit per bay, mobile vans
    (none: the contract is not assessed)."""


Workshop = Annotated[InHouseWorkshop | ContractorWorkshop, Field(discriminator="provider")]


class MajorRepairSpec(_Model):
    """Jobs of ``kinds`` with more than ``above_labour_hours`` of labour go to ``workshop``."""

    kinds: Annotated[list[Name], Field(min_length=1)]
    above_labour_hours: NonNegativeNumber
    workshop: Name


class OptionSpec(OptionBase):
    """A delivery option: its workshops, which job goes where, and its one-off costs."""

    workshops: Annotated[dict[Name, Workshop], Field(min_length=1)]
    routing: dict[Name, Name]
    """Workshop of each job kind."""
    major_repairs: MajorRepairSpec | None = None
    vehicle_life_factor: PositiveNumber = 1.0
    """Multiplies vehicle lives in the replacement rule (1: the same under every option)."""

    def parts(self) -> dict[str, Any]:
        """The parts of the option (its workshops) by name, each with its provider."""
        return dict(self.workshops)


# --------------------------------------------------------------------------- the section


class FleetConfig(ServiceSection, _Model):
    """The ``fleet:`` section of a scenario."""

    cost_keys: ClassVar[frozenset[str]] = ServiceSection.cost_keys | {"replacement", "shortfall"}
    """Vehicle replacement and the price of a shortfall are priced, never simulated."""

    vehicles: Annotated[dict[Name, VehicleClassSpec], Field(min_length=1)]
    size_change_per_year: Growth = 0.0
    """Compound change of the fleet (counts and vehicles required) a year."""
    jobs: Annotated[dict[Name, JobKindSpec], Field(min_length=1)]
    shifts: Annotated[dict[Name, ShiftTimeSpec], Field(min_length=1)] = {
        "early": ShiftTimeSpec(start=7, end=15),
        "late": ShiftTimeSpec(start=15, end=23),
        "night": ShiftTimeSpec(start=23, end=7),
    }
    spare_pool: SparePoolSpec = SparePoolSpec()
    shortfall: ShortfallSpec = ShortfallSpec()
    period: PeriodSpec = PeriodSpec()
    options: Annotated[dict[Name, OptionSpec], Field(min_length=1)]

    @property
    def demand_growth(self) -> float:
        """Compound change of the fleet's size a year."""
        return self.size_change_per_year

    def count(self, name: str, year: float = 0.0) -> int:
        """Vehicles of class ``name`` in ``year`` (rounded)."""
        return round(self.vehicles[name].count * self.demand_factor(year))

    @property
    def failure_kinds(self) -> tuple[str, ...]:
        """Job kinds other than routine service."""
        return tuple(k for k in self.jobs if k != SERVICE)

    @model_validator(mode="after")
    def _consistent(self) -> FleetConfig:
        problems: list[str] = []
        kinds = set(self.jobs)
        shifts = set(self.shifts)
        for name, v in self.vehicles.items():
            unknown = set(v.failures_per_year) - set(self.failure_kinds)
            if unknown:
                problems.append(
                    f"vehicles.{name}.failures_per_year: unknown kinds {sorted(unknown)}"
                )
            if math.isfinite(v.service_interval_hours) and SERVICE not in kinds:
                problems.append(f"vehicles.{name} is serviced but jobs has no {SERVICE!r} kind")
            for day in ("weekday", "weekend"):
                required = getattr(v.required, day)
                if set(required) != shifts:
                    problems.append(
                        f"vehicles.{name}.required.{day} must give each shift {sorted(shifts)}"
                    )
                elif max(required.values()) > v.count:
                    problems.append(
                        f"vehicles.{name}.required.{day}: more than the {v.count} vehicles"
                    )
        covers = self.spare_pool.covers or []
        if set(covers) - set(self.vehicles):
            problems.append(
                f"spare_pool.covers: unknown classes {sorted(set(covers) - set(self.vehicles))}"
            )
        for name, option in self.options.items():
            problems.extend(_option_problems(self, name, option))
        if problems:
            raise ValueError("; ".join(problems))
        return self


def _option_problems(config: FleetConfig, name: str, option: OptionSpec) -> list[str]:
    """What is wrong with one option (routing to workshops that can do the work)."""
    problems: list[str] = []
    kinds = set(config.jobs)
    where = f"options.{name}"
    if set(option.routing) != kinds:
        problems.append(
            f"{where}.routing must route every job kind {sorted(kinds)} "
            f"(missing {sorted(kinds - set(option.routing))}, "
            f"unknown {sorted(set(option.routing) - kinds)})"
        )
    routes = [(kind, ws) for kind, ws in option.routing.items() if kind in kinds]
    if option.major_repairs is not None:
        major = option.major_repairs
        routes += [(kind, major.workshop) for kind in major.kinds if kind in kinds]
        unknown = set(major.kinds) - kinds
        if unknown:
            problems.append(f"{where}.major_repairs.kinds: unknown {sorted(unknown)}")
    for kind, ws_name in routes:
        workshop = option.workshops.get(ws_name)
        if workshop is None:
            problems.append(f"{where}: {kind} goes to unknown workshop {ws_name!r}")
            continue
        job = config.jobs[kind]
        roster = workshop.technicians.get(job.skill)
        if roster is None or build_roster(roster).max_capacity < 1:
            problems.append(
                f"{where}.workshops.{ws_name}: no {job.skill} technician on duty for {kind}"
            )
        if job.bay not in workshop.bays:
            problems.append(f"{where}.workshops.{ws_name}: no {job.bay} bays for {kind}")
        if isinstance(workshop, ContractorWorkshop):
            if kind not in workshop.costs.price_per_job:
                problems.append(
                    f"{where}.workshops.{ws_name}.costs.price_per_job: no price for {kind}"
                )
            basis = workshop.cost_basis
            if basis is not None and kind not in basis.parts_per_job:
                problems.append(
                    f"{where}.workshops.{ws_name}.cost_basis.parts_per_job: no cost for {kind}"
                )
    return problems
