"""Schema of the ``recovery:`` section of a scenario (vehicle recovery and pounds).

The section states the demand (categories, sectors, weekly pattern, volume and growth), the
statutory charges, the representative simulation period and the delivery options. An option is
a *composition* of three parts, each with its provider and cost terms:

- ``recovery``: ``provider: in_house`` (own trucks and crews on a roster per sector) or
  ``provider: contractor`` (the contractor's trucks per sector, part busy with other clients,
  paid per job plus a standing charge, with contractual attendance targets and service credits);
- ``storage``: pound sites (space limits, sectors served), ``in_house`` or ``contractor``;
- ``examination``: forensic examiners and bays on rosters, ``in_house`` or ``contractor``;

plus the retained client function and one-off transition costs. ``in_house``, ``outsourced`` and
``mixed`` are the usual options; a scenario can add others in YAML, with no code. A contractor
part may state its ``contract`` (term, extensions, when it was let, re-let costs), priced by
:func:`models.costing.option_lines`. The section also names ``business_as_usual`` (the option
that is how the service runs today, with no transition costs), the ``existing_assets`` the force
holds (pound handling plant, examination bay fit-out) and the priced ``risks``
(:class:`models.section.ServiceSection`).

Every model forbids unknown keys (a typo is an error, never silently ignored) and is frozen.
Times are hours unless the name says days; money is pounds at base-year prices.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, model_validator

from models.costing import (
    AssetSpec,
    ClientFunctionSpec,
    ContractedPart,
    ContractSpec,
    Growth,
    InHousePart,
    Money,
    OptionBase,
    StaffSpec,
)
from models.kit.arrivals import ArrivalProfile
from models.kit.distributions import DistributionSpec, NonNegativeNumber, PositiveNumber
from models.kit.roster import RosterSpec, ShiftSpec, build_roster
from models.section import STRICT, Name, ServiceSection, Share
from models.section import check_shares as _check_shares

__all__ = [
    "PRIORITIES",
    "CategorySpec",
    "ChargesSpec",
    "ClientFunctionSpec",
    "ContractSpec",
    "ContractorExamination",
    "ContractorExaminationCosts",
    "ContractorRecovery",
    "ContractorRecoveryCosts",
    "ContractorStorage",
    "ContractorStorageCosts",
    "DemandSpec",
    "InHouseExamination",
    "InHouseExaminationCosts",
    "InHouseRecovery",
    "InHouseRecoveryCosts",
    "InHouseStorage",
    "InHouseStorageCosts",
    "OptionSpec",
    "OtherClientsSpec",
    "PeriodSpec",
    "RecoveryConfig",
    "ReleaseSpec",
    "RosterSpec",
    "SectorSpec",
    "ShiftSpec",
    "SiteSpec",
    "StaffSpec",
    "TruckAssetSpec",
    "build_roster",
]


class _Model(BaseModel):
    """Base of the section's parts (:data:`models.section.STRICT`)."""

    model_config = STRICT


Priority = Literal["urgent", "routine"]
PRIORITIES: tuple[str, ...] = ("urgent", "routine")
"""Priorities in dispatch order (urgent jobs are served first; FIFO within a priority)."""


def _check_every_priority(key: str, given: Mapping[str, Any], what: str) -> None:
    """Refuse ``given`` (a figure by priority, under ``key``) unless it has a ``what`` for
    every priority."""
    missing = set(PRIORITIES) - set(given)
    if missing:
        raise ValueError(f"{key} needs a {what} for {sorted(missing)}")


# --------------------------------------------------------------------------- demand


class ReleaseSpec(_Model):
    """What happens to a stored vehicle once it may be released (after any examination).

    A share ``collected_share`` of owners collect, after ``time_to_collect`` hours (capped at the
    retention period: an owner still has until then); the others' vehicles are disposed of
    (auction or scrap) and leave the pound ``retention_days + disposal_days`` after release was
    possible.
    """

    collected_share: Share
    time_to_collect: DistributionSpec
    retention_days: NonNegativeNumber
    disposal_days: NonNegativeNumber = 0.0


class CategorySpec(_Model):
    """A category of removal request (seizure, crime-related, ...)."""

    share: Share
    priority: Priority
    attendance_target_hours: PositiveNumber
    on_scene_time: DistributionSpec
    examination_time: DistributionSpec | None = None
    """Forensic examination before release (``null``: none needed)."""
    charged: bool = True
    """Statutory charges apply (e.g. not to victims of crime)."""
    release: ReleaseSpec


class SectorSpec(_Model):
    """A recovery sector (contract lot) of London: its demand share and travel times."""

    share: Share
    travel_time: DistributionSpec
    """From dispatch to arrival on scene (hours)."""
    tow_time: DistributionSpec
    """From leaving the scene to arrival at the pound (hours)."""
    return_time: DistributionSpec
    """From the pound back to the sector, ready for the next job (hours)."""


class DemandSpec(_Model):
    """Removal requests: volume, growth, weekly pattern, categories and sectors."""

    annual_vehicles: NonNegativeNumber
    """Removal requests a year in the base year."""
    growth_per_year: Growth = 0.0
    """Compound growth of requests a year (0.01 = 1 %)."""
    hour_of_day: Annotated[list[NonNegativeNumber], Field(min_length=24, max_length=24)]
    """Relative request rate by hour of day, 0-23 (only the shape matters)."""
    day_of_week: Annotated[list[NonNegativeNumber], Field(min_length=7, max_length=7)] = [1.0] * 7
    """Relative request rate by day, Monday first (only the shape matters)."""
    categories: Annotated[dict[Name, CategorySpec], Field(min_length=1)]
    sectors: Annotated[dict[Name, SectorSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _consistent(self) -> DemandSpec:
        _check_shares("category", {k: c.share for k, c in self.categories.items()})
        _check_shares("sector", {k: s.share for k, s in self.sectors.items()})
        weekly = math.fsum(h * d for h in self.hour_of_day for d in self.day_of_week)
        if self.annual_vehicles > 0 and weekly <= 0:
            raise ValueError("hour_of_day and day_of_week leave no hour with requests")
        return self

    def demand_factor(self, year: float) -> float:
        """Requests in ``year`` relative to the base year: ``(1 + growth) ** year``."""
        return (1.0 + self.growth_per_year) ** year

    def annual_requests(self, year: float) -> float:
        """Expected requests a year in ``year`` (0 = base year)."""
        return self.annual_vehicles * self.demand_factor(year)

    def profile(self, year: float = 0.0) -> ArrivalProfile:
        """Requests per hour for each hour of the week in ``year``.

        The weekly shape is ``hour_of_day x day_of_week``, scaled so that a 365-day year at the
        weekly rate gives :meth:`annual_requests`.
        """
        shape = ArrivalProfile.from_hourly(self.hour_of_day, self.day_of_week)
        weekly = shape.weekly_arrivals
        if weekly <= 0 or self.annual_vehicles == 0:
            return ArrivalProfile.constant(0.0)
        return shape.scaled(self.annual_requests(year) * 7.0 / 365.0 / weekly)


class ChargesSpec(_Model):
    """Statutory charges to owners, income to the force (pounds, base-year prices)."""

    removal: Money
    storage_per_day: Money
    """Per day from midday the day after removal (waived during forensic examination)."""
    disposal: Money
    collected_paid_share: Share
    """Share of the charges due on collected vehicles that is actually paid."""
    disposed_paid_share: Share
    """Share of the charges due on disposed-of vehicles that is recovered (e.g. sale proceeds)."""
    real_growth: Growth = 0.0
    """Real change a year (charges fixed in cash fall in real terms: minus inflation)."""


class PeriodSpec(_Model):
    """The representative period each replication simulates (days)."""

    warmup_days: Annotated[int, Field(ge=0, le=3650)] = 56
    """Discarded start-up period, from an empty pound (chosen by MSER-5 evidence)."""
    window_days: Annotated[int, Field(ge=1, le=36500)] = 91
    """Observed period after the warm-up (whole weeks keep the weekly pattern balanced)."""


# --------------------------------------------------------------------------- costs


TruckAssetSpec = AssetSpec
"""Recovery trucks bought and replaced (the shared :class:`models.costing.AssetSpec`)."""


class InHouseRecoveryCosts(_Model):
    """Costs of an in-house recovery fleet."""

    crew: StaffSpec
    crew_per_truck: PositiveNumber = 1.0
    productive_hours_per_fte: PositiveNumber = 1650.0
    """Rostered hours one full-time equivalent covers a year (after leave and training)."""
    trucks: TruckAssetSpec
    cost_per_job: Money = 0.0
    """Fuel, maintenance, consumables per tow."""
    fixed_per_year: Money = 0.0
    """Depots, control room, management."""
    real_growth: Growth = 0.0
    """Real change a year of the running costs."""


class ContractorRecoveryCosts(_Model):
    """Contract terms of a recovery contractor."""

    standing_charge_per_year: Money = 0.0
    price_per_job: dict[Priority, Money]
    credit_per_breach: Money = 0.0
    """Service credit per attendance beyond the contractual target."""
    credit_cap: Share | None = None
    """Cap on a year's credits as a share of that year's charges."""
    real_growth: Growth = 0.0

    @model_validator(mode="after")
    def _every_priority(self) -> ContractorRecoveryCosts:
        _check_every_priority("price_per_job", self.price_per_job, "price")
        return self


class InHouseStorageCosts(_Model):
    """Costs of running pounds in-house."""

    staff: StaffSpec
    fte: NonNegativeNumber = 0.0
    fixed_per_year: Money = 0.0
    """Site rent, rates, security, systems."""
    cost_per_vehicle_day: Money = 0.0
    overflow_price_per_vehicle_day: Money = 0.0
    """External storage when a site is full."""
    cost_per_disposal: Money = 0.0
    equipment: AssetSpec | None = None
    """Vehicle-handling plant at each site (forklifts, vehicle movers): capital, bought and
    replaced. The sites themselves are leased, so their rent is a fixed cost, not capital."""
    equipment_per_site: NonNegativeNumber = 0.0
    real_growth: Growth = 0.0


class ContractorStorageCosts(_Model):
    """Contract terms of a storage contractor."""

    standing_charge_per_year: Money = 0.0
    price_per_vehicle_day: Money = 0.0
    overflow_price_per_vehicle_day: Money = 0.0
    price_per_disposal: Money = 0.0
    real_growth: Growth = 0.0


class InHouseExaminationCosts(_Model):
    """Costs of in-house forensic vehicle examination."""

    examiner: StaffSpec
    productive_hours_per_fte: PositiveNumber = 1650.0
    cost_per_exam: Money = 0.0
    fixed_per_year: Money = 0.0
    bay_equipment: AssetSpec | None = None
    """The fit-out of each examination bay (vehicle lift, lighting, forensic kit): capital, one
    set a bay, bought and replaced."""
    real_growth: Growth = 0.0


class ContractorExaminationCosts(_Model):
    """Contract terms of an examination contractor."""

    standing_charge_per_year: Money = 0.0
    price_per_exam: Money = 0.0
    real_growth: Growth = 0.0


# --------------------------------------------------------------------------- option parts


class OtherClientsSpec(_Model):
    """A contractor's work for other clients, competing for the same trucks.

    Other-client jobs arrive at random (Poisson) at the rate that keeps ``busy_share`` of the
    contractor's mean on-duty trucks busy with them.
    """

    busy_share: Annotated[float, Field(ge=0.0, lt=1.0)]
    job_time: DistributionSpec
    priority: Literal["urgent", "routine", "after_police"] = "routine"
    """Place in the contractor's queue: with police urgent or routine jobs, or after them."""


class _RecoveryBase(_Model):
    dispatch_hours: NonNegativeNumber = 0.0
    """Fixed delay from request to a truck leaving (call handling, dispatch)."""
    travel_time_factor: PositiveNumber = 1.0
    """Multiplies the sectors' travel times to the scene (e.g. bases further away)."""
    trucks: Annotated[dict[Name, RosterSpec], Field(min_length=1)]
    """Trucks on duty per sector."""


class InHouseRecovery(InHousePart[InHouseRecoveryCosts], _RecoveryBase):
    """Own trucks and crews on a roster per sector."""


class ContractorRecovery(_RecoveryBase):
    """Contracted recovery operators: their trucks per sector, shared with other clients."""

    provider: Literal["contractor"]
    other_clients: OtherClientsSpec | None = None
    contract_targets_hours: dict[Priority, PositiveNumber]
    """Contractual attendance target per priority; each job beyond it earns a service credit."""
    costs: ContractorRecoveryCosts
    contract: ContractSpec | None = None
    """The contract's lifecycle (term, extensions, when it was let, re-let costs); ``None``: no
    re-let is priced."""

    @model_validator(mode="after")
    def _every_priority(self) -> ContractorRecovery:
        _check_every_priority("contract_targets_hours", self.contract_targets_hours, "target")
        return self


class SiteSpec(_Model):
    """A pound: its space limit (``null``: no limit) and the sectors it serves."""

    capacity: Annotated[int, Field(ge=0, le=1_000_000)] | None
    sectors: Annotated[list[Name], Field(min_length=1)]


class _StorageBase(_Model):
    sites: Annotated[dict[Name, SiteSpec], Field(min_length=1)]
    tow_time_factor: PositiveNumber = 1.0
    """Multiplies the sectors' tow and return times (e.g. a site further out)."""


class InHouseStorage(InHousePart[InHouseStorageCosts], _StorageBase):
    """Pounds run by the force."""


class ContractorStorage(ContractedPart[ContractorStorageCosts], _StorageBase):
    """Pounds run by a contractor, paid per vehicle-day."""


class _ExaminationBase(_Model):
    examiners: RosterSpec
    bays: Annotated[int, Field(ge=1, le=10_000)]


class InHouseExamination(InHousePart[InHouseExaminationCosts], _ExaminationBase):
    """Forensic vehicle examiners employed by the force."""


class ContractorExamination(ContractedPart[ContractorExaminationCosts], _ExaminationBase):
    """Forensic vehicle examination bought per examination."""


RecoveryProvider = Annotated[InHouseRecovery | ContractorRecovery, Field(discriminator="provider")]
StorageProvider = Annotated[InHouseStorage | ContractorStorage, Field(discriminator="provider")]
ExaminationProvider = Annotated[
    InHouseExamination | ContractorExamination, Field(discriminator="provider")
]


class OptionSpec(OptionBase):
    """A delivery option: who recovers, who stores, who examines, and at what cost."""

    recovery: RecoveryProvider
    storage: StorageProvider
    examination: ExaminationProvider

    part_names: ClassVar[tuple[str, ...]] = ("recovery", "storage", "examination")


# --------------------------------------------------------------------------- the section


class ServiceStandard(_Model):
    """The service level the force asks for: the share of requests attended within their
    category's target, per priority. Reports say which options meet it."""

    urgent_within_target: Share = 0.9
    routine_within_target: Share = 0.9


class RecoveryConfig(ServiceSection, _Model):
    """The ``recovery:`` section of a scenario."""

    demand: DemandSpec
    charges: ChargesSpec
    period: PeriodSpec = PeriodSpec()
    standard: ServiceStandard = ServiceStandard()
    options: Annotated[dict[Name, OptionSpec], Field(min_length=1)]

    @property
    def demand_growth(self) -> float:
        """Compound change of demand a year (the ``demand:`` growth)."""
        return self.demand.growth_per_year

    @model_validator(mode="after")
    def _options_fit_demand(self) -> RecoveryConfig:
        sectors = set(self.demand.sectors)
        problems: list[str] = []
        for name, option in self.options.items():
            trucks = set(option.recovery.trucks)
            if trucks != sectors:
                problems.append(
                    f"options.{name}.recovery.trucks must give a roster for each sector "
                    f"{sorted(sectors)} (missing {sorted(sectors - trucks)}, "
                    f"unknown {sorted(trucks - sectors)})"
                )
            served: dict[str, str] = {}
            for site_name, site in option.storage.sites.items():
                for sector in site.sectors:
                    if sector not in sectors:
                        problems.append(
                            f"options.{name}.storage.sites.{site_name}: unknown sector {sector!r}"
                        )
                    elif sector in served:
                        problems.append(
                            f"options.{name}.storage.sites: sector {sector!r} is served by both "
                            f"{served[sector]} and {site_name}"
                        )
                    else:
                        served[sector] = site_name
            for sector, roster in option.recovery.trucks.items():
                if self.demand.sectors.get(sector) is not None and (
                    self.demand.sectors[sector].share > 0 and build_roster(roster).max_capacity < 1
                ):
                    problems.append(
                        f"options.{name}.recovery.trucks.{sector}: the roster never has a truck "
                        "on duty, but the sector has demand"
                    )
            needs_exam = any(
                c.examination_time is not None and c.share > 0
                for c in self.demand.categories.values()
            )
            if needs_exam and build_roster(option.examination.examiners).max_capacity < 1:
                problems.append(
                    f"options.{name}.examination.examiners: the roster never has an examiner "
                    "on duty, but some categories need examination"
                )
            unserved = sectors - set(served)
            if unserved:
                problems.append(f"options.{name}.storage.sites: no site serves {sorted(unserved)}")
        if problems:
            raise ValueError("; ".join(problems))
        return self
