"""Green Book cost lines of a language-services option, from its terms and simulated volumes.

Face-to-face interpreting by the force pays its interpreters the fee of its terms for the
hours each booking is paid (at least the minimum; simulated), their travel per booking, and a
fee per late cancellation; salaried interpreters are costed from their roster, and the language
unit that books the list from its staff. A contractor charges a management fee, a price per
hour interpreted and per booking, and a fee per cancellation, less service credits per booking
not met within its deadline (a transfer within the contract: kept out of the economic case by
:mod:`models.appraisal`, as every service's credits are). Telephone interpreting is a price per
simulated minute plus a fixed charge; translation is the force's translators or a price per
document with credits per late one. Under every option the force pays for what late and
failed requests cost it (custody hours lost, interviews re-arranged: ``consequences``), at the
option's simulated volumes. The client function, transition costs, re-lets and priced
risks are the lines every option has (:func:`models.costing.option_lines`). No line depends on
an option's name, only on who provides each part.

The should-cost of a contract (Cabinet Office, *The Sourcing Playbook*) builds what the work
would cost the contractor from the same simulated year: its interpreters paid on its own terms
for the hours and bookings simulated, and the booking staff and translators of the force's own
parts on the force's pay (they would transfer under TUPE), beside the contract's year-1 charges.
"""

from __future__ import annotations

from models.appraisal import Category, CostElement, CostLine, ShouldCost, ShouldCostSettings
from models.costing import (
    Volumes,
    contract_cost_lines,
    contract_should_cost,
    fixed_line,
    in_house_reference,
    per_volume_lines,
    roster_fte,
    staff_cost_line,
    volume,
    year_one_charges,
    year_one_pay,
    year_one_volumes,
)
from models.language.config import (
    PART_GROUPS,
    Consequences,
    ContractorInterpreting,
    ContractorTranslationCosts,
    InHouseInterpreting,
    LanguageConfig,
    TelephonePart,
    TranslationPart,
)
from models.language.model import PART_VOLUMES

__all__ = ["cost_lines", "should_cost", "staff_interpreter_fte", "volume_metrics"]

_PART_VOLUMES = tuple(v for v in PART_VOLUMES if v != "staff_bookings")
"""The volumes of each part the cost lines use: every one the model counts but the bookings
staff interpreters take (they are paid from their roster, not per booking)."""


def volume_metrics(config: LanguageConfig, option: str) -> tuple[str, ...]:
    """The annual volumes the cost lines use (the same for every option)."""
    return (
        *(f"{part}_{v}_per_year" for part in PART_GROUPS for v in _PART_VOLUMES),
        "telephone_minutes_per_year",
        "translation_documents_per_year",
        "translation_late_per_year",
        "fulfilled_hours_per_year",
        "custody_hours_lost_per_year",
        "failed_per_year",
    )


def _label(part: str) -> str:
    return part.replace("_", " ")


def staff_interpreter_fte(config: LanguageConfig, spec: InHouseInterpreting) -> float:
    """Full-time equivalents to keep the staff roster of every common language manned."""
    if spec.staff is None:
        return 0.0
    languages = config.language_groups.common.languages
    return languages * roster_fte([spec.staff.per_language], spec.costs.productive_hours_per_fte)


def _in_house_interpreting(
    config: LanguageConfig,
    option: str,
    part: str,
    spec: InHouseInterpreting,
    volumes: Volumes,
    n: int,
) -> list[CostLine]:
    """The force's list: fees for paid hours, travel, cancellations; staff; the language unit."""
    label, costs, terms = _label(part), spec.costs, spec.terms

    def per_year(name: str) -> str:
        return f"{part}_{name}_per_year"

    booked = volume(volumes, per_year("callout_bookings")) + volume(
        volumes, per_year("register_bookings")
    )
    lines = per_volume_lines(
        option,
        [
            (
                f"{label} interpreter fees",
                terms.fee_per_hour,
                per_year("paid_hours"),
                f"£{terms.fee_per_hour:g} an hour, at least {terms.minimum_hours:g} hours a "
                "booking, simulated",
            ),
            (
                f"{label} cancellation fees",
                costs.cancellation_fee,
                per_year("cancelled"),
                "per late cancellation, simulated",
            ),
        ],
        volumes,
        growth=costs.real_growth,
        period_years=n,
    )
    lines.append(
        fixed_line(
            option,
            f"{label} interpreter travel",
            terms.travel_per_booking * booked,
            period_years=n,
            growth=costs.real_growth,
            note="mileage and travel time per booking of the list and the register",
        )
    )
    fte = staff_interpreter_fte(config, spec)
    if fte > 0 and costs.staff_interpreter is not None:
        lines.append(
            staff_cost_line(
                option,
                f"{label} staff interpreters",
                fte=fte,
                pay=costs.staff_interpreter,
                period_years=n,
                note=f"{fte:.1f} FTE from the roster of each common language",
            )
        )
    if costs.coordinators_fte > 0 and costs.coordinator is not None:
        lines.append(
            staff_cost_line(
                option,
                f"{label} language unit",
                fte=costs.coordinators_fte,
                pay=costs.coordinator,
                period_years=n,
                note=f"{costs.coordinators_fte:g} FTE booking interpreters",
            )
        )
    return lines


def _contracted_interpreting(
    option: str, part: str, spec: ContractorInterpreting, volumes: Volumes, n: int
) -> list[CostLine]:
    """A contractor's charges per hour, booking and cancellation; credits per missed booking."""
    costs = spec.costs
    return contract_cost_lines(
        option,
        f"{_label(part)} interpreting contract",
        volumes,
        n,
        fixed_fee=costs.management_fee_per_year,
        prices={
            "hours": (costs.price_per_hour, f"{part}_session_hours_per_year"),
            "bookings": (costs.price_per_booking, f"{part}_bookings_per_year"),
            "cancellations": (costs.cancellation_fee, f"{part}_cancelled_per_year"),
        },
        credits=(costs.credit_per_missed_booking, f"{part}_missed_per_year", costs.credit_cap),
        growth=costs.real_growth,
        note="fee + price per hour and per booking; credits per booking not met in time",
    )


def _telephone(option: str, spec: TelephonePart, volumes: Volumes, n: int) -> list[CostLine]:
    costs = spec.costs
    if spec.provider == "contractor":
        return contract_cost_lines(
            option,
            "telephone interpreting contract",
            volumes,
            n,
            fixed_fee=costs.fixed_per_year,
            prices={"minutes": (costs.price_per_minute, "telephone_minutes_per_year")},
            growth=costs.real_growth,
            note="per simulated minute (street calls and remote sessions)",
        )[:1]
    minutes = volume(volumes, "telephone_minutes_per_year")
    return [
        fixed_line(
            option,
            "telephone interpreting",
            costs.fixed_per_year + costs.price_per_minute * minutes,
            period_years=n,
            growth=costs.real_growth,
            note="the force's own telephone interpreters, per simulated minute",
        )
    ]


def _translation(option: str, spec: TranslationPart, volumes: Volumes, n: int) -> list[CostLine]:
    costs = spec.costs
    if isinstance(costs, ContractorTranslationCosts):
        return contract_cost_lines(
            option,
            "translation contract",
            volumes,
            n,
            prices={"documents": (costs.price_per_document, "translation_documents_per_year")},
            credits=(costs.credit_per_late_document, "translation_late_per_year", costs.credit_cap),
            growth=costs.real_growth,
            note="per simulated document; credits per late one",
        )
    return [
        staff_cost_line(
            option,
            "translators",
            fte=spec.translators,
            pay=costs.translator,
            period_years=n,
            note=f"{spec.translators} translators",
        )
    ]


def cost_lines(
    config: LanguageConfig, option: str, volumes: Volumes, period_years: int
) -> list[CostLine]:
    """Every cost line of ``option`` over years ``0 .. period_years`` (``volumes``: the names
    of :func:`volume_metrics`, one figure or one per year)."""
    spec, n = config.options[option], period_years
    lines: list[CostLine] = []
    for part in PART_GROUPS:
        provider = getattr(spec, part)
        if isinstance(provider, InHouseInterpreting):
            lines += _in_house_interpreting(config, option, part, provider, volumes, n)
        else:
            lines += _contracted_interpreting(option, part, provider, volumes, n)
    lines += _telephone(option, spec.telephone, volumes, n)
    lines += _translation(option, spec.translation, volumes, n)
    lines += _consequences(option, config.consequences, volumes, n)
    assert all(line.category is not Category.INCOME for line in lines)
    return lines


def _consequences(option: str, spec: Consequences, volumes: Volumes, n: int) -> list[CostLine]:
    """What late and failed requests cost the force under every option (its own lines, whoever
    supplies the interpreters), at each option's simulated volumes."""
    table = [
        (
            "custody time waiting for an interpreter",
            spec.per_custody_hour_lost,
            "custody_hours_lost_per_year",
            "detention hours lost waiting, simulated",
        ),
        (
            "requests not fulfilled",
            spec.per_failed_request,
            "failed_per_year",
            "face-to-face requests that failed, simulated",
        ),
    ]
    return per_volume_lines(
        option, [row for row in table if row[1] > 0], volumes, growth=0.0, period_years=n
    )


# --------------------------------------------------------------------------- should-cost


def _interpreting_should_cost(
    config: LanguageConfig,
    option: str,
    part: str,
    spec: ContractorInterpreting,
    first: dict[str, float],
    settings: ShouldCostSettings,
) -> ShouldCost:
    terms = spec.terms
    paid, bookings = first[f"{part}_paid_hours_per_year"], first[f"{part}_bookings_per_year"]
    elements = [
        CostElement(
            "interpreter fees",
            terms.fee_per_hour * paid,
            f"{paid:,.0f} paid hours simulated at £{terms.fee_per_hour:g} (its own terms)",
        ),
        CostElement(
            "interpreter travel",
            terms.travel_per_booking * bookings,
            f"{bookings:,.0f} bookings simulated at £{terms.travel_per_booking:g}",
        ),
    ]
    reference = in_house_reference(config, part)
    if reference is not None and reference.costs.coordinator is not None:
        fte = reference.costs.coordinators_fte
        elements.append(
            CostElement(
                "booking staff",
                year_one_pay(fte, reference.costs.coordinator),
                f"{fte:g} FTE, the force's language unit on its pay (TUPE)",
            )
        )
    charges = year_one_charges(_contracted_interpreting(option, part, spec, first, 1))
    name = f"{_label(part)} interpreting contract"
    return contract_should_cost(config, option, part, elements, charges, settings, name=name)


def _translation_should_cost(
    config: LanguageConfig,
    option: str,
    spec: TranslationPart,
    first: dict[str, float],
    settings: ShouldCostSettings,
) -> ShouldCost | None:
    reference = in_house_reference(config, "translation")
    if reference is None:
        return None
    elements = [
        CostElement(
            "translators",
            year_one_pay(spec.translators, reference.costs.translator),
            f"{spec.translators} translators on the force's pay (TUPE)",
        )
    ]
    charges = year_one_charges(_translation(option, spec, first, 1))
    return contract_should_cost(
        config, option, "translation", elements, charges, settings, name="translation contract"
    )


def should_cost(
    config: LanguageConfig, option: str, volumes: Volumes, settings: ShouldCostSettings
) -> list[ShouldCost]:
    """The should-cost of each face-to-face interpreting and translation contract of
    ``option`` a year, from the first operating year's simulated volumes (the telephone
    contract has no in-house terms to build from, so no should-cost)."""
    first = year_one_volumes(volumes, volume_metrics(config, option))
    spec = config.options[option]
    out: list[ShouldCost | None] = []
    for part in PART_GROUPS:
        provider = getattr(spec, part)
        if isinstance(provider, ContractorInterpreting):
            out.append(_interpreting_should_cost(config, option, part, provider, first, settings))
    if spec.translation.provider == "contractor":
        out.append(_translation_should_cost(config, option, spec.translation, first, settings))
    return [sc for sc in out if sc is not None]
