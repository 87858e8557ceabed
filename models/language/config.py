"""Schema of the ``language:`` section of a scenario (interpreting and translation).

The section states the demand, the supply the options share and the delivery options:

- ``requests``: four kinds of request, each with a yearly volume, a pattern by hour and day
  and a deadline: ``custody`` (a detained person's interview: the PACE clock runs while the
  detainee waits, so it is urgent), ``investigation`` (witness and victim statements, booked
  ahead, deadline days), ``street`` (telephone interpreting, minutes) and ``translation``
  (written, days);
- ``language_groups``: the long tail of about 100 languages as three groups, ``common``,
  ``medium`` and ``rare``, each with a number of languages, its share of the requests and the
  interpreters' travel time (rarer languages come from further away);
- ``national_register``: the National Register of Public Service Interpreters, used at peaks;
- ``willingness``: how the share of interpreters who accept a booking depends on the pay and
  terms offered (the 2012 contract cut pay and mileage and most registered interpreters
  refused it).

An option is a *composition* of four parts, each with its provider (``in_house`` or
``contractor``): face-to-face interpreting in the ``common_languages`` and in the
``other_languages`` (medium and rare), ``telephone`` (and video) interpreting, and written
``translation``; plus how much is done remotely first, the client function and transition
costs. A part's ``costs`` are priced, never simulated; its supply (interpreters listed, their
availability, the terms they are offered, a contractor's recruitment after go-live) is
simulated. ``in_house``, ``outsourced``, ``mixed`` and ``remote_first`` are the usual options; a
scenario adds others in YAML, with no code.

Every model forbids unknown keys (a typo is an error, never silently ignored) and is frozen.
Times are hours unless the name says minutes, days or months; money is pounds at base-year
prices. Evidence: ``data/evidence/facts.md``, section "Language services".
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

from pydantic import Field, model_validator

from models.costing import (
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
from models.kit.roster import RosterSpec, build_roster
from models.section import DemandGrowth, Name, SectionModel, ServiceSection, Share, check_shares

__all__ = [
    "ATTENDANCE_KINDS",
    "GROUPS",
    "KINDS",
    "PART_GROUPS",
    "AttendanceKind",
    "ContractorInterpreting",
    "ContractorInterpretingCosts",
    "ContractorTranslationCosts",
    "GoLive",
    "InHouseInterpreting",
    "InHouseInterpretingCosts",
    "InHouseTranslationCosts",
    "InterpreterTerms",
    "LanguageConfig",
    "LanguageGroup",
    "LanguageGroups",
    "OptionSpec",
    "PeriodSpec",
    "RegisterSpec",
    "RemoteFirst",
    "Requests",
    "ServiceStandard",
    "StaffInterpreters",
    "TelephoneKind",
    "TelephonePart",
    "TranslationPart",
    "Willingness",
    "WrittenKind",
]

Kind = Literal["custody", "investigation", "street", "translation"]
KINDS: tuple[Kind, ...] = ("custody", "investigation", "street", "translation")
"""The kinds of request, in report order."""
AttendanceKind_ = Literal["custody", "investigation"]
ATTENDANCE_KINDS: tuple[AttendanceKind_, ...] = ("custody", "investigation")
"""The kinds an interpreter attends in person (or, failing that, by telephone or video)."""
Group = Literal["common", "medium", "rare"]
GROUPS: tuple[Group, ...] = ("common", "medium", "rare")
"""The language groups, commonest first."""
PART_GROUPS: dict[str, tuple[Group, ...]] = {
    "common_languages": ("common",),
    "other_languages": ("medium", "rare"),
}
"""The face-to-face interpreting parts of an option and the language groups each serves."""

Weights24 = Annotated[list[NonNegativeNumber], Field(min_length=24, max_length=24)]
Weights7 = Annotated[list[NonNegativeNumber], Field(min_length=7, max_length=7)]


# --------------------------------------------------------------------------- demand


class _Demand(SectionModel):
    """A kind of request: volume a year and its pattern by hour of day and day of week."""

    requests_per_year: NonNegativeNumber
    hour_of_day: Weights24 = [1.0] * 24
    """Relative requests by hour of day (only the shape matters)."""
    day_of_week: Weights7 = [1.0] * 7
    """Relative requests by day, Monday first (only the shape matters)."""

    def profile(self, factor: float = 1.0) -> ArrivalProfile:
        """Requests per hour for each hour of the week at demand ``factor``."""
        shape = ArrivalProfile.from_hourly(self.hour_of_day, self.day_of_week)
        if shape.weekly_arrivals <= 0 or self.requests_per_year == 0:
            return ArrivalProfile.constant(0.0)
        weekly = self.requests_per_year * factor * 7.0 / 365.0
        return shape.scaled(weekly / shape.weekly_arrivals)


class AttendanceKind(_Demand):
    """Requests an interpreter attends in person: custody interviews and investigations."""

    session_hours: DistributionSpec
    """Time interpreting once the interpreter is there."""
    deadline_hours: PositiveNumber
    """From the request to the interpreter's arrival, to count as on time."""
    give_up_hours: NonNegativeNumber
    """How long the force keeps looking for an interpreter before the request fails (0: one
    call round only)."""
    retry_hours: PositiveNumber = 0.5
    """Time between call rounds while nobody has accepted."""
    remote_acceptable: Share = 0.0
    """Share of requests that may be interpreted by telephone or video when nobody can attend
    (PACE Code C allows it for some purposes only)."""
    cancelled_share: Share = 0.0
    """Share of bookings cancelled before they are needed (a detainee released, an interview
    moved)."""


class TelephoneKind(_Demand):
    """Telephone interpreting from the street (an officer with a member of the public)."""

    call_minutes: DistributionSpec
    deadline_minutes: PositiveNumber
    """From the call to an interpreter on the line, to count as on time."""


class WrittenKind(_Demand):
    """Written translation (statements, letters, documents)."""

    deadline_hours: PositiveNumber
    """From the request to the translation delivered, to count as on time."""


class Requests(SectionModel):
    """The four kinds of request."""

    custody: AttendanceKind
    investigation: AttendanceKind
    street: TelephoneKind
    translation: WrittenKind

    def kind(self, name: str) -> _Demand:
        """One kind by name."""
        return getattr(self, name)

    def annual(self, factor: float = 1.0) -> float:
        """Requests a year of every kind at demand ``factor``."""
        return factor * math.fsum(self.kind(k).requests_per_year for k in KINDS)


class LanguageGroup(SectionModel):
    """Languages of one group: how many, their share of requests, how far their interpreters
    travel. Requests within a group are spread evenly over its languages."""

    languages: Annotated[int, Field(ge=1, le=1000)]
    share: Share
    travel_hours: DistributionSpec
    """One way, from an interpreter's home to the police station (drawn per booking)."""


class LanguageGroups(SectionModel):
    """The long tail of languages: a few common languages take most of the requests."""

    common: LanguageGroup
    medium: LanguageGroup
    rare: LanguageGroup

    @model_validator(mode="after")
    def _shares(self) -> LanguageGroups:
        check_shares("language group", {g: self.group(g).share for g in GROUPS})
        return self

    def group(self, name: str) -> LanguageGroup:
        """One group by name."""
        return getattr(self, name)

    @property
    def languages(self) -> int:
        """Languages in all."""
        return sum(self.group(g).languages for g in GROUPS)


class RegisterSpec(SectionModel):
    """The National Register of Public Service Interpreters, called when the force's own list
    has nobody: the chance of finding someone at each call round, and how far they come."""

    find_share: Share
    travel_hours: DistributionSpec


class Willingness(SectionModel):
    """Share of the interpreters offered a booking who accept it, as a function of the pay per
    booking: ``min(1, (pay / reference_pay_per_booking) ** elasticity)``.

    Calibrated on the Ministry of Justice contract of 2012: about 280 of the 1,200 interpreters
    needed were willing to work on its terms (Public Accounts Committee, 14 Dec 2012), and
    performance fell about 8 % when mileage was cut (NAO HC 995, Jan 2014)."""

    reference_pay_per_booking: PositiveNumber
    """Pay per booking at which every interpreter offered it would accept."""
    elasticity: Annotated[float, Field(ge=0.0, le=20.0, allow_inf_nan=False)]

    def share(self, pay_per_booking: float) -> float:
        """Share who accept at ``pay_per_booking`` (non-decreasing in the pay)."""
        ratio = max(pay_per_booking, 0.0) / self.reference_pay_per_booking
        return min(1.0, ratio**self.elasticity) if ratio > 0 else 0.0


# --------------------------------------------------------------------------- period, standard


class PeriodSpec(SectionModel):
    """The representative period each replication simulates (days): a warm-up, then an
    observed window. Requests arriving in the window are followed to their end."""

    warmup_days: Annotated[float, Field(ge=0, le=3650)] = 2.0
    window_days: Annotated[float, Field(gt=0, le=3650)] = 28.0


class ServiceStandard(SectionModel):
    """The service level the force asks for; reports say which options meet it."""

    fulfilled: Share = 0.98
    """Bookings fulfilled (the Ministry of Justice contract's target: 98 %)."""
    custody_within_deadline: Share = 0.9
    """Custody requests with an interpreter within their deadline."""


# --------------------------------------------------------------------------- option parts


class InterpreterTerms(SectionModel):
    """What an interpreter is paid for a face-to-face booking: the hourly fee with a minimum
    number of hours, and travel (time and mileage). Simulated: it sets the willingness."""

    fee_per_hour: Money
    minimum_hours: NonNegativeNumber = 0.0
    travel_per_booking: Money = 0.0
    """Mileage and travel time paid per booking."""

    def pay_per_booking(self, session_hours: float) -> float:
        """Pay for one booking of ``session_hours``."""
        return self.fee_per_hour * max(self.minimum_hours, session_hours) + self.travel_per_booking


class StaffInterpreters(SectionModel):
    """Salaried interpreters of each language the part serves in the ``common`` group, on a
    roster, taking requests of the given kinds before the call-out list is called."""

    per_language: RosterSpec
    """On duty for each common language (a whole number: round the clock)."""
    kinds: tuple[AttendanceKind_, ...] = ("custody",)


class GoLive(SectionModel):
    """A contractor that starts short: at go-live it has ``starting_share`` of the interpreters
    it needs and recruits linearly to full strength over ``months_to_full`` months."""

    starting_share: Share
    months_to_full: PositiveNumber

    def share(self, month: float | None) -> float:
        """Share of the interpreters in place ``month`` months after go-live (None: full)."""
        if month is None:
            return 1.0
        progress = min(1.0, max(0.0, month) / self.months_to_full)
        return self.starting_share + (1.0 - self.starting_share) * progress


class InHouseInterpretingCosts(SectionModel):
    """The force's costs of its own interpreting, besides the fees the terms set: salaried
    interpreters, the language unit that books interpreters, cancellation fees."""

    staff_interpreter: StaffSpec | None = None
    productive_hours_per_fte: PositiveNumber = 1650.0
    coordinators_fte: NonNegativeNumber = 0.0
    """The language unit: staff who take requests and call round the list."""
    coordinator: StaffSpec | None = None
    cancellation_fee: Money = 0.0
    """Paid to an interpreter when a booking is cancelled late."""
    real_growth: Growth = 0.0
    """Real change a year of the fees."""


class ContractorInterpretingCosts(SectionModel):
    """A contract's prices: per hour (with a minimum) and per booking, service credits per
    booking not met within its deadline."""

    management_fee_per_year: Money = 0.0
    price_per_hour: Money
    minimum_hours: NonNegativeNumber = 0.0
    price_per_booking: Money = 0.0
    cancellation_fee: Money = 0.0
    credit_per_missed_booking: Money = 0.0
    """Service credit per request not fulfilled within its deadline."""
    credit_cap: Share | None = None
    real_growth: Growth = 0.0


class _InterpretingBase(SectionModel):
    interpreters_per_language: dict[Group, NonNegativeNumber]
    """Interpreters listed for each language of a group (a fraction spreads over the group's
    languages: 1.5 is one for half of them and two for the others)."""
    availability: Share
    """Chance that a listed interpreter who is not on a booking is free to take one (they work
    for courts, health and others too)."""
    terms: InterpreterTerms
    travel_time_factor: PositiveNumber = 1.0
    uses_register: bool = False
    """Calls the National Register when its own list has nobody."""
    staff: StaffInterpreters | None = None
    go_live: GoLive | None = None
    """Recruitment after go-live (none: at full strength from the start)."""


class InHouseInterpreting(InHousePart[InHouseInterpretingCosts], _InterpretingBase):
    """The force's own call-out list (and staff interpreters) and language unit."""


class ContractorInterpreting(ContractedPart[ContractorInterpretingCosts], _InterpretingBase):
    """A language-services contractor's interpreters, on its terms."""


InterpretingProvider = Annotated[
    InHouseInterpreting | ContractorInterpreting, Field(discriminator="provider")
]


class TelephoneCosts(SectionModel):
    """Telephone and video interpreting: a price per minute and a fixed charge."""

    price_per_minute: Money
    fixed_per_year: Money = 0.0
    real_growth: Growth = 0.0


class TelephonePart(SectionModel):
    """Telephone and video interpreting (street calls and remote sessions): an interpreter on
    the line after ``connect_minutes``; lines are never all busy (M/G/infinity)."""

    provider: Literal["in_house", "contractor"]
    connect_minutes: DistributionSpec
    costs: TelephoneCosts
    contract: ContractSpec | None = None


class InHouseTranslationCosts(SectionModel):
    """Salaried translators."""

    translator: StaffSpec


class ContractorTranslationCosts(SectionModel):
    """A translation contract: a price per document, credits per late one."""

    price_per_document: Money
    credit_per_late_document: Money = 0.0
    credit_cap: Share | None = None
    real_growth: Growth = 0.0


class TranslationPart(SectionModel):
    """Written translation by a team of translators, first come first served."""

    provider: Literal["in_house", "contractor"]
    translators: Annotated[int, Field(ge=1, le=10_000)]
    document_hours: DistributionSpec
    """Elapsed working time of one translator on one document."""
    costs: InHouseTranslationCosts | ContractorTranslationCosts
    contract: ContractSpec | None = None

    @model_validator(mode="after")
    def _costs_fit_provider(self) -> TranslationPart:
        wanted = (
            InHouseTranslationCosts if self.provider == "in_house" else ContractorTranslationCosts
        )
        if not isinstance(self.costs, wanted):
            raise ValueError(f"a {self.provider} translation part needs {wanted.__name__} costs")
        return self


class RemoteFirst(SectionModel):
    """Share of each kind of face-to-face request interpreted by telephone or video first."""

    custody: Share = 0.0
    investigation: Share = 0.0


class OptionSpec(OptionBase):
    """A delivery option: who interprets in the common and the other languages, on the
    telephone, and who translates."""

    common_languages: InterpretingProvider
    other_languages: InterpretingProvider
    telephone: TelephonePart
    translation: TranslationPart
    remote_first: RemoteFirst = RemoteFirst()

    part_names: ClassVar[tuple[str, ...]] = (
        "common_languages",
        "other_languages",
        "telephone",
        "translation",
    )

    def interpreting(self, group: str) -> InHouseInterpreting | ContractorInterpreting:
        """The part that interprets face to face in language ``group``."""
        for part, groups in PART_GROUPS.items():
            if group in groups:
                return getattr(self, part)
        raise ValueError(f"no language group {group!r} (groups: {', '.join(GROUPS)})")


class Consequences(SectionModel):
    """What the force pays when an interpreter comes late or not at all, whoever supplies the
    interpreters: priced, never simulated (0: shown as a service measure only). Without it a
    cheaper supplier that fulfils less looks cheaper by what its failures cost the force."""

    per_custody_hour_lost: Money = 0.0
    """A detainee held an hour longer waiting for an interpreter: custody staff and cell time."""
    per_failed_request: Money = 0.0
    """A face-to-face request nobody fulfilled: the interview re-arranged, officer time."""


# --------------------------------------------------------------------------- the section


class LanguageConfig(DemandGrowth, ServiceSection):
    """The ``language:`` section of a scenario (its ``growth_per_year`` changes every kind of
    request)."""

    cost_keys: ClassVar[frozenset[str]] = ServiceSection.cost_keys | {"consequences"}
    """The price of late and failed requests is priced, never simulated."""

    requests: Requests
    language_groups: LanguageGroups
    national_register: RegisterSpec
    willingness: Willingness
    period: PeriodSpec = PeriodSpec()
    standard: ServiceStandard = ServiceStandard()
    consequences: Consequences = Consequences()
    options: Annotated[dict[Name, OptionSpec], Field(min_length=1)]

    @model_validator(mode="after")
    def _options_fit(self) -> LanguageConfig:
        problems = []
        for name, option in self.options.items():
            for part, groups in PART_GROUPS.items():
                spec = getattr(option, part)
                missing = [g for g in groups if g not in spec.interpreters_per_language]
                if missing:
                    problems.append(
                        f"options.{name}.{part}.interpreters_per_language: no figure for "
                        f"{', '.join(missing)}"
                    )
                if spec.staff is not None and "common" not in groups:
                    problems.append(
                        f"options.{name}.{part}.staff: staff interpreters serve the common "
                        "languages only"
                    )
                if (
                    spec.staff is not None
                    and build_roster(spec.staff.per_language).max_capacity < 1
                ):
                    problems.append(f"options.{name}.{part}.staff: the roster has nobody on duty")
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def willing_share(self, option: str, part: str) -> float:
        """Share of a part's interpreters who accept a booking on its terms (a booking of the
        mean custody session)."""
        spec = getattr(self.options[option], part)
        session = self.requests.custody.session_hours.mean
        return self.willingness.share(spec.terms.pay_per_booking(session))
