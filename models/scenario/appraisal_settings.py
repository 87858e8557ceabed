"""The ``appraisal`` section of a scenario: period, discount schedule and optimism bias.

This module validates what a file says (types, bounds, step order, known categories) and hands
the appraisal its own types: the discount setting resolves to a
:class:`models.appraisal.DiscountSchedule` (``green_book`` to :data:`models.appraisal.GREEN_BOOK`
itself, the only copy of HM Treasury's table), the optimism-bias section becomes one
:class:`models.appraisal.OptimismBias` in :meth:`AppraisalSettings.optimism_bias_rules`, and the
financial and should-cost sections the appraisal's settings of those names. The default uplifts
are the unmitigated upper bounds of HM Treasury's *Supplementary Green Book guidance: optimism
bias* (2003); a scenario claims mitigation factor by factor, with reasons and grades.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Discriminator, Field, Strict, Tag, model_validator
from pydantic_core import PydanticCustomError

from models import appraisal
from models.scenario.strict import MODEL_CONFIG

__all__ = [
    "AppraisalSettings",
    "DiscountStepSetting",
    "FactorSetting",
    "FinancialSetting",
    "OptimismBiasSettings",
    "ShouldCostSetting",
    "UpliftGroupSetting",
    "green_book_discount_rates",
]


class DiscountStepSetting(BaseModel):
    """One step of a schedule written in a file: from ``from_year`` (year 0 = the base year)
    on, discount at ``rate`` a year (real). Becomes a :class:`models.appraisal.DiscountStep`."""

    model_config = MODEL_CONFIG

    from_year: Annotated[int, Strict(), Field(ge=0, le=1000)]
    rate: Annotated[float, Strict(), Field(ge=0, le=0.2)]


def green_book_discount_rates() -> appraisal.DiscountSchedule:
    """HM Treasury Green Book real discount schedule (3.5 % for years 0-30, 3.0 % 31-75, ...).

    Source: HM Treasury, The Green Book (grade S). This is :data:`models.appraisal.GREEN_BOOK`
    itself, the one copy of the table; iterating it yields ``(from_year, rate)`` steps.
    """
    return appraisal.GREEN_BOOK


def _check_schedule(steps: tuple[DiscountStepSetting, ...]) -> tuple[DiscountStepSetting, ...]:
    """A discount schedule starts at year 0 and its years strictly increase."""
    if steps[0].from_year != 0:
        raise PydanticCustomError("schedule_start", "first step must have from_year 0")
    for before, after in itertools.pairwise(steps):
        if after.from_year <= before.from_year:
            raise PydanticCustomError(
                "schedule_order",
                "from_year must increase step by step ({after} follows {before})",
                {"after": after.from_year, "before": before.from_year},
            )
    return steps


def _discount_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "named"
    if isinstance(value, list | tuple):
        return "schedule"
    return None


DiscountSetting = Annotated[
    Annotated[Literal["green_book"], Tag("named")]
    | Annotated[
        tuple[DiscountStepSetting, ...],
        Field(min_length=1, max_length=50),
        AfterValidator(_check_schedule),
        Tag("schedule"),
    ],
    Discriminator(
        _discount_kind,
        custom_error_type="discount_kind",
        custom_error_message="must be 'green_book' or a list of {from_year, rate} steps",
    ),
]


Grade = Literal["S", "D", "E"]
Switch = Annotated[bool, Strict()]
Fraction = Annotated[float, Strict(), Field(ge=0, le=1)]
CostCategory = Literal[
    "staff", "operating", "contract", "capital", "transition", "relet", "client_function"
]
"""The cost categories optimism bias can uplift (receipts, transfers and risks never)."""


class FactorSetting(BaseModel):
    """One contributory factor of a group's bound: its share of the bound (Mott MacDonald), the
    mitigation claimed (0 none, 1 wholly), why, and the grade of that claim."""

    model_config = MODEL_CONFIG

    share: Fraction
    mitigation: Fraction = 0.0
    reason: Annotated[str, Field(max_length=400)] = ""
    grade: Grade = "E"


class UpliftGroupSetting(BaseModel):
    """Lines of some cost categories (provided by some providers: empty, any) and the project
    type whose bound, less the mitigation of its contributory factors, is their uplift."""

    model_config = MODEL_CONFIG

    project_type: Literal[tuple(appraisal.PROJECT_TYPES)]  # type: ignore[valid-type]
    categories: Annotated[tuple[CostCategory, ...], Field(min_length=1)]
    providers: tuple[Literal["force", "contractor"], ...] = ()
    factors: dict[Annotated[str, Field(min_length=1, max_length=80)], FactorSetting] = {}

    @model_validator(mode="after")
    def _shares_at_most_one(self) -> UpliftGroupSetting:
        total = math.fsum(f.share for f in self.factors.values())
        if total > 1.0 + 1e-9:
            raise PydanticCustomError(
                "factor_shares",
                "the factors' shares add up to {total}, more than the whole bound (1)",
                {"total": f"{total:g}"},
            )
        return self

    def group(self, name: str) -> appraisal.UpliftGroup:
        return appraisal.UpliftGroup(
            name=name,
            project_type=self.project_type,
            categories=frozenset(appraisal.Category(c) for c in self.categories),
            providers=frozenset(appraisal.Provider(p) for p in self.providers),
            factors=tuple(
                appraisal.ContributoryFactor(k, f.share, f.mitigation, f.reason, f.grade)
                for k, f in self.factors.items()
            ),
        )


def _default_groups() -> dict[str, UpliftGroupSetting]:
    """Unmitigated upper bounds: the outsourcing bound on every option's service costs (the
    guidance attributes it wholly to the inadequacy of the business case, a factor every option
    shares) and the standard-buildings bound on capital."""
    return {
        "service_costs": UpliftGroupSetting(
            project_type="outsourcing",
            categories=("staff", "operating", "contract", "client_function", "transition", "relet"),
            factors={"inadequacy_of_the_business_case": FactorSetting(share=1.0)},
        ),
        "capital": UpliftGroupSetting(project_type="standard_buildings", categories=("capital",)),
    }


class OptimismBiasSettings(BaseModel):
    """The ``appraisal.optimism_bias`` section: groups of lines, each with the project type
    whose upper bound applies and the mitigation claimed for its contributory factors.

    A line takes the uplift of the first group that matches its category and provider; a
    category may appear in one group per provider at most. ``replaced_by_risk_register``:
    the case has matured and its priced risk register replaces optimism bias (Green Book 2018
    para 5.44)."""

    model_config = MODEL_CONFIG

    replaced_by_risk_register: Switch = False
    groups: dict[Annotated[str, Field(min_length=1, max_length=80)], UpliftGroupSetting] = Field(
        default_factory=_default_groups
    )

    @model_validator(mode="after")
    def _one_group_per_line(self) -> OptimismBiasSettings:
        seen: dict[tuple[str, str], str] = {}
        for name, group in self.groups.items():
            for category in group.categories:
                for provider in group.providers or ("force", "contractor"):
                    other = seen.setdefault((category, provider), name)
                    if other != name:
                        raise PydanticCustomError(
                            "optimism_bias_overlap",
                            "{category} lines provided by the {provider} are in two groups "
                            "({first} and {second})",
                            {
                                "category": category,
                                "provider": provider,
                                "first": other,
                                "second": name,
                            },
                        )
        return self

    def rules(self) -> appraisal.OptimismBias:
        """The section as the appraisal's optimism-bias type."""
        return appraisal.OptimismBias(
            tuple(group.group(name) for name, group in self.groups.items()),
            replaced_by_risk_register=self.replaced_by_risk_register,
        )


class FinancialSetting(BaseModel):
    """The ``appraisal.financial`` section: what turns real costs into the force's cash."""

    model_config = MODEL_CONFIG

    inflation: Annotated[float, Strict(), Field(ge=-0.05, le=0.2)] = 0.02
    vat_rate: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.20
    vat_recovered: Switch = True

    def settings(self) -> appraisal.FinancialSettings:
        return appraisal.FinancialSettings(**self.model_dump())


class ShouldCostSetting(BaseModel):
    """The ``appraisal.should_cost`` section: a contractor's mark-ups, as fractions."""

    model_config = MODEL_CONFIG

    overhead: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.10
    margin: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.07
    capital_rate: Annotated[float, Strict(), Field(ge=0, lt=1)] = 0.08
    tolerance: Annotated[float, Strict(), Field(gt=0, lt=1)] = 0.10

    def settings(self) -> appraisal.ShouldCostSettings:
        return appraisal.ShouldCostSettings(**self.model_dump())


class AppraisalSettings(BaseModel):
    """Green Book appraisal settings: period, discount schedule and optimism bias."""

    model_config = MODEL_CONFIG

    period_years: Annotated[int, Strict(), Field(ge=1, le=60)]
    discount: DiscountSetting
    optimism_bias: OptimismBiasSettings = Field(default_factory=OptimismBiasSettings)
    financial: FinancialSetting = Field(default_factory=FinancialSetting)
    should_cost: ShouldCostSetting = Field(default_factory=ShouldCostSetting)

    @property
    def discount_schedule(self) -> appraisal.DiscountSchedule:
        """The schedule in force: :data:`models.appraisal.GREEN_BOOK` itself when ``discount``
        is 'green_book', else the file's steps."""
        if isinstance(self.discount, str):
            return appraisal.as_schedule(self.discount)
        return appraisal.as_schedule([(step.from_year, step.rate) for step in self.discount])

    def optimism_bias_rules(self) -> appraisal.OptimismBias:
        """The section as the appraisal's one optimism-bias type (by provider and category,
        never by option)."""
        return self.optimism_bias.rules()
