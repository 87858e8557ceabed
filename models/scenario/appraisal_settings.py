"""The ``appraisal`` section of a scenario: period, discount schedule and optimism bias.

This module validates what a file says (types, bounds, step order, known categories) and hands
the appraisal its own types: the discount setting resolves to a
:class:`models.appraisal.DiscountSchedule` (``green_book`` to :data:`models.appraisal.GREEN_BOOK`
itself, the only copy of HM Treasury's table) and the optimism-bias section becomes one
:class:`models.appraisal.OptimismBias` in :meth:`AppraisalSettings.optimism_bias_rules`. The
default uplifts follow HM Treasury's *Supplementary Green Book guidance: optimism bias* (2003),
as recorded with grades in ``data/sources.yaml``.
"""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, Discriminator, Field, Strict, Tag
from pydantic_core import PydanticCustomError

from models import appraisal
from models.scenario.strict import MODEL_CONFIG

__all__ = [
    "OPTIMISM_BIAS_CATEGORIES",
    "AppraisalSettings",
    "DiscountStepSetting",
    "OptimismBiasSettings",
    "green_book_discount_rates",
]

Percent = Annotated[float, Strict(), Field(ge=0, le=200)]


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


class OptimismBiasSettings(BaseModel):
    """The ``appraisal.optimism_bias`` section: uplift in percent for each cost category.

    Validated here, at the edge; the appraisal applies it only as the one optimism-bias type,
    :class:`models.appraisal.OptimismBias`, built by :meth:`AppraisalSettings.optimism_bias_rules`.

    Defaults follow HM Treasury's supplementary Green Book guidance on optimism bias (upper
    bounds at the start of an appraisal; reduce only with evidence that risks are managed), as
    recorded with grades in ``data/sources.yaml``. Categories:

    staff, operating
        in-house pay and running costs, known from current budgets (0 %, estimate).
    outsourced_operating
        contractor charges: the guidance's outsourcing projects, operating cost 0-41 %.
    contract, client_function
        procurement/contract-letting and the retained client team (outsourcing bound, derived).
    capital
        capital spend: standard buildings 24 % (equipment/development would be up to 200 %).
    transition
        one-off change costs such as TUPE transfer and redundancy (estimate).
    """

    model_config = MODEL_CONFIG

    staff: Percent = 0.0
    operating: Percent = 0.0
    outsourced_operating: Percent = 41.0
    contract: Percent = 41.0
    capital: Percent = 24.0
    transition: Percent = 41.0
    client_function: Percent = 41.0

    def as_dict(self) -> dict[str, float]:
        """Category -> percent uplift."""
        return {name: float(getattr(self, name)) for name in type(self).model_fields}

    def __getitem__(self, category: str) -> float:
        if category not in type(self).model_fields:
            raise KeyError(category)
        return float(getattr(self, category))

    def factor(self, category: str) -> float:
        """Multiplier for a cost in ``category`` (e.g. 1.41 for 41 %), for display."""
        return 1.0 + self[category] / 100.0


OPTIMISM_BIAS_CATEGORIES: tuple[str, ...] = tuple(OptimismBiasSettings.model_fields)


class AppraisalSettings(BaseModel):
    """Green Book appraisal settings: period, discount schedule and optimism bias."""

    model_config = MODEL_CONFIG

    period_years: Annotated[int, Strict(), Field(ge=1, le=60)]
    discount: DiscountSetting
    optimism_bias: OptimismBiasSettings = Field(default_factory=OptimismBiasSettings)

    @property
    def discount_schedule(self) -> appraisal.DiscountSchedule:
        """The schedule in force: :data:`models.appraisal.GREEN_BOOK` itself when ``discount``
        is 'green_book', else the file's steps."""
        if isinstance(self.discount, str):
            return appraisal.as_schedule(self.discount)
        return appraisal.as_schedule([(step.from_year, step.rate) for step in self.discount])

    def optimism_bias_rules(self) -> appraisal.OptimismBias:
        """The section as the appraisal's one optimism-bias type: a category key applies to
        every option, ``outsourced_operating`` to the ``operating`` lines of ``outsourced``."""
        return appraisal.as_optimism_bias(self.optimism_bias.as_dict())
