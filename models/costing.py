"""Cost terms shared by every service's scenario section, and the cost lines they give.

Each service states staff pay, assets, the retained client function, one-off transition costs
and who provides each part of an option on what terms (:class:`InHousePart`,
:class:`ContractedPart`) in the same way; this module holds those pydantic specs and the
helpers that turn them into :mod:`models.appraisal` cost lines and should-costs, so a service's
``config.py`` and ``costs.py`` only add what is particular to it. Money is pounds at base-year
prices; ``real_growth`` is a real price change a year (Green Book: relative price changes
stated separately).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from models.appraisal import (
    Category,
    ContractLifecycle,
    CostElement,
    CostLine,
    Provider,
    Risk,
    ShouldCost,
    ShouldCostSettings,
    activity_line,
    annual_capital_charge,
    asset_lines,
    client_function_line,
    contract_lines,
    discount_factors,
    disposal_line,
    lifecycle_lines,
    one_off_line,
    risk_lines,
    should_cost,
    staff_line,
)
from models.kit.distributions import NonNegativeNumber
from models.kit.roster import RosterSpec, build_roster

__all__ = [
    "DAYS_PER_YEAR",
    "DEFAULT_CONTRACT_YEARS",
    "RECURRING_EXCLUDED",
    "AssetSpec",
    "ClientFunctionSpec",
    "ContractSpec",
    "ContractedPart",
    "CostSpec",
    "Fraction",
    "Growth",
    "HeldAssets",
    "ImpactSpec",
    "InHousePart",
    "Money",
    "OneOffCost",
    "OptionBase",
    "ProviderName",
    "RiskSpec",
    "StaffSpec",
    "Volumes",
    "annual_recurring_cost",
    "as_provider",
    "asset_cost_lines",
    "capital_charge",
    "capital_element",
    "client_and_transition_lines",
    "contract_cost_lines",
    "contract_should_cost",
    "fixed_line",
    "held_assets",
    "in_house_reference",
    "levelised_cost",
    "option_lines",
    "per_volume_lines",
    "replication_lines",
    "roster_fte",
    "roster_hours_per_year",
    "staff_cost_line",
    "staff_cost_lines",
    "transferred_risk",
    "volume",
    "year_one_charges",
    "year_one_pay",
    "year_one_volumes",
]

DAYS_PER_YEAR = 365.0

Fraction = Annotated[float, Field(ge=0.0, lt=1.0, allow_inf_nan=False)]
"""A share in [0, 1), e.g. a shift allowance of 0.15."""
Growth = Annotated[float, Field(gt=-0.5, lt=0.5, allow_inf_nan=False)]
"""A real change a year (0.01 = 1 % a year above inflation)."""
Money = NonNegativeNumber
"""Pounds at base-year prices."""

Volumes = Mapping[str, float | Sequence[float] | np.ndarray]
"""Annual volumes by metric name: one figure for every year, or one per year ``0 .. N``."""


class CostSpec(BaseModel):
    """Base of the cost specs: unknown keys refused, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StaffSpec(CostSpec):
    """Pay of one grade (Green Book staff line: salary x (1 + allowance) x (1 + on-costs))."""

    salary: Money
    shift_allowance: Fraction = 0.0
    on_costs: Fraction = 0.0
    real_growth: Growth = 0.0


class AssetSpec(CostSpec):
    """Assets bought and replaced over the appraisal period (trucks, workshop kit, vehicles)."""

    unit_cost: Money
    life_years: Annotated[int, Field(ge=1, le=60)]
    spare_share: Annotated[float, Field(ge=0.0, le=2.0)] = 0.0
    """Spare units as a share of the peak number in use."""


class ClientFunctionSpec(CostSpec):
    """The retained client function (contract management) when anything is outsourced."""

    annual_cost: Money
    real_growth: Growth = 0.0


class OneOffCost(CostSpec):
    """A one-off cost in one appraisal year (year 0 = the decision point).

    ``transfer``: a payment between parties that uses no resources, kept out of the economic
    case and in the financial case (redundancy payments: Green Book 2018 para 6.9);
    ``upper_bound``: the figure is already an upper bound ("up to"), so optimism bias does not
    raise it again."""

    year: Annotated[int, Field(ge=0, le=60)]
    amount: NonNegativeNumber
    transfer: bool = False
    upper_bound: bool = False


class ContractSpec(CostSpec):
    """A contract's lifecycle: term and extensions, when the current one was let (0: at the
    decision point; negative: already running), and what each re-let costs
    (:class:`models.appraisal.ContractLifecycle`)."""

    term_years: Annotated[int, Field(ge=1, le=30)]
    extension_years: Annotated[int, Field(ge=0, le=30)] = 0
    let_year: Annotated[int, Field(ge=-30, le=30)] = 0
    procurement_cost: Money = 0.0
    mobilisation_cost: Money = 0.0
    exit_cost: Money = 0.0
    change_probability: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] = 0.0

    def lifecycle(self) -> ContractLifecycle:
        return ContractLifecycle(**self.model_dump())


ProviderName = Literal["in_house", "contractor"]
"""Who provides a part, in a scenario's words."""

Terms = TypeVar("Terms")
"""The cost terms of a part (an in-house part's costs or a contract's charges)."""


class InHousePart(CostSpec, Generic[Terms]):
    """A part of an option the force provides, on its cost ``Terms``. A service's in-house
    part lists it first among its bases, so these fields follow the part's own."""

    provider: Literal["in_house"]
    costs: Terms


class ContractedPart(CostSpec, Generic[Terms]):
    """A part of an option a contractor provides, on the contract's ``Terms``, with the
    contract's lifecycle that :func:`option_lines` prices (listed first among a part's bases,
    like :class:`InHousePart`)."""

    provider: Literal["contractor"]
    costs: Terms
    contract: ContractSpec | None = None
    """The contract's lifecycle (term, extensions, when it was let, re-let costs); ``None``: no
    re-let is priced."""


def as_provider(name: str) -> Provider:
    """``in_house`` -> the force, ``contractor`` -> a contractor."""
    return Provider.CONTRACTOR if name == "contractor" else Provider.FORCE


class ImpactSpec(CostSpec):
    """A risk's impact range, pounds at base-year prices."""

    low: Money
    likely: Money
    high: Money


class RiskSpec(CostSpec):
    """One risk of a service's register (:class:`models.appraisal.Risk`)."""

    description: str = ""
    part: str | None = None
    """The part it arises in (an option's part, such as ``storage``); none: the whole service."""
    arises_under: tuple[ProviderName, ...] = ()
    """Providers of the part under which it can arise (empty: any)."""
    likelihood: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
    per_year: bool = True
    year: Annotated[int, Field(ge=0, le=60)] = 1
    impact: ImpactSpec
    transferred_share: Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)] = 0.0
    on_change: bool = False
    """It arises only under an option that changes who provides the part from business as
    usual (the risks of a transfer: TUPE claims, a contractor failing at go-live)."""
    grade: Literal["S", "D", "E"] = "E"

    def risk(self, name: str) -> Risk:
        impact = self.impact
        return Risk(
            name=name,
            likelihood=self.likelihood,
            impact=(impact.low, impact.likely, impact.high),
            part=self.part,
            arises_under=frozenset(as_provider(p) for p in self.arises_under),
            per_year=self.per_year,
            year=self.year,
            transferred_share=self.transferred_share,
            on_change=self.on_change,
            description=self.description,
            grade=self.grade,
        )


class HeldAssets(CostSpec):
    """Assets the force holds today: how many, how much life they have left, and what each
    would fetch if sold (their opportunity cost). An option whose ``part`` is in-house keeps and
    replaces them as they fall due; one that contracts the part out sells them."""

    part: str
    units: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
    remaining_life_years: Annotated[int, Field(ge=0, le=60)]
    disposal_value_per_unit: Money = 0.0


class OptionBase(CostSpec):
    """What every delivery option of every service states besides its providers: a name for
    reports, a description, the retained client function and one-off transition costs.

    A service's option adds its parts, each a field with its ``provider``, and names them in
    :attr:`part_names` (or overrides :meth:`parts`)."""

    part_names: ClassVar[tuple[str, ...]] = ()
    """The fields that hold the option's parts, in report order."""

    label: Annotated[str, Field(min_length=1, max_length=80)]
    description: str = ""
    client_function: ClientFunctionSpec | None = None
    transition: dict[Annotated[str, Field(min_length=1)], OneOffCost] = {}
    """One-off costs by name, e.g. ``{procurement: {year: 0, amount: 250000}}``."""

    def parts(self) -> Mapping[str, Any]:
        """The option's parts by name, each with a ``provider`` (``in_house`` or
        ``contractor``): the fields of :attr:`part_names`."""
        if not self.part_names:
            raise NotImplementedError
        return {name: getattr(self, name) for name in self.part_names}

    def providers(self) -> Iterable[Any]:
        """The option's parts, each with its provider."""
        return tuple(self.parts().values())

    def part_providers(self) -> dict[str, Provider]:
        """Who provides each part: the force or a contractor."""
        return {name: as_provider(part.provider) for name, part in self.parts().items()}

    @property
    def outsources_anything(self) -> bool:
        """True if any part is provided by a contractor."""
        return Provider.CONTRACTOR in self.part_providers().values()


# --------------------------------------------------------------------------- rosters and staff


def roster_hours_per_year(spec: RosterSpec) -> float:
    """On-duty unit-hours a year of a roster (weekly hours x 365 / 7)."""
    return build_roster(spec).weekly_capacity_hours * DAYS_PER_YEAR / 7.0


def roster_fte(
    rosters: Iterable[RosterSpec], productive_hours_per_fte: float, staff_per_unit: float = 1.0
) -> float:
    """Full-time equivalents to keep ``rosters`` (several, e.g. one per sector) manned.

    ``staff_per_unit`` people per rostered unit (e.g. crew per truck); one FTE covers
    ``productive_hours_per_fte`` rostered hours a year (after leave and training).
    """
    if productive_hours_per_fte <= 0:
        raise ValueError(f"productive_hours_per_fte must be > 0 (got {productive_hours_per_fte})")
    hours = sum(roster_hours_per_year(spec) for spec in rosters)
    return hours * staff_per_unit / productive_hours_per_fte


def staff_cost_line(
    option: str,
    name: str,
    *,
    fte: float | Sequence[float],
    pay: StaffSpec,
    period_years: int,
    note: str = "",
) -> CostLine:
    """The :func:`models.appraisal.staff_line` of ``fte`` staff on ``pay``."""
    return staff_line(
        option,
        name,
        fte=fte,
        salary=pay.salary,
        shift_allowance=pay.shift_allowance,
        on_costs=pay.on_costs,
        growth=pay.real_growth,
        period_years=period_years,
        note=note,
    )


def asset_cost_lines(
    option: str,
    name: str,
    *,
    asset: AssetSpec,
    units: float,
    period_years: int,
    note: str = "",
    held: HeldAssets | None = None,
) -> tuple[CostLine, CostLine]:
    """Purchases with replacement and the residual value of ``units`` assets, of which those
    ``held`` by the force are kept and replaced as they fall due rather than bought again (see
    :func:`models.appraisal.asset_lines`)."""
    return asset_lines(
        option,
        name,
        unit_cost=asset.unit_cost,
        units=units,
        life_years=asset.life_years,
        period_years=period_years,
        note=note,
        held=0.0 if held is None else held.units,
        remaining_life_years=None
        if held is None
        else min(held.remaining_life_years, asset.life_years),
    )


def client_and_transition_lines(
    option: str,
    client_function: ClientFunctionSpec | None,
    transition: Mapping[str, OneOffCost],
    period_years: int,
) -> list[CostLine]:
    """The client function line (if any) and one line per one-off transition cost."""
    lines = []
    if client_function is not None:
        lines.append(
            client_function_line(
                option,
                annual_cost=client_function.annual_cost,
                growth=client_function.real_growth,
                period_years=period_years,
            )
        )
    for name, cost in transition.items():
        lines.append(
            one_off_line(
                option,
                name,
                {cost.year: cost.amount},
                period_years=period_years,
                transfer=cost.transfer,
                upper_bound=cost.upper_bound,
            )
        )
    return lines


def option_lines(config: Any, option: str, period_years: int) -> list[CostLine]:
    """The lines every service's option has, whatever the service: its client function and
    transition costs, the re-lets of its contracts (a part's ``contract``), the disposal of
    assets the force holds for a part the option contracts out, and the force's share of the
    priced risks of the section's register."""
    spec = config.options[option]
    providers = spec.part_providers()
    lines = client_and_transition_lines(option, spec.client_function, spec.transition, period_years)
    for name, part in spec.parts().items():
        contract = getattr(part, "contract", None)
        if contract is not None and providers[name] is Provider.CONTRACTOR:
            lines.extend(
                lifecycle_lines(
                    option,
                    f"{name.replace('_', ' ')} contract",
                    contract.lifecycle(),
                    period_years,
                )
            )
    for name, held in config.existing_assets.items():
        if providers.get(held.part) is not Provider.FORCE and held.units > 0:
            lines.append(
                disposal_line(
                    option,
                    name.replace("_", " "),
                    units=held.units,
                    value_per_unit=held.disposal_value_per_unit,
                    period_years=period_years,
                    note=f"{held.units:g} held, sold when the {held.part} is contracted out",
                )
            )
    risks = [spec.risk(name) for name, spec in config.risks.items()]
    today = config.options[config.business_as_usual].part_providers()
    lines.extend(risk_lines(option, risks, providers, period_years, today))
    return lines


def year_one_pay(fte: float, pay: StaffSpec) -> float:
    """What ``fte`` staff on ``pay`` cost in year 1 (the staff line's year 1, real growth
    included): a should-cost's labour on transferred (TUPE) terms."""
    return staff_cost_line("should-cost", "staff", fte=fte, pay=pay, period_years=1).values[1]


def capital_charge(units: float, asset: AssetSpec, settings: ShouldCostSettings) -> float:
    """``units`` of ``asset`` at their equivalent annual cost at a contractor's cost of capital
    (:func:`models.appraisal.annual_capital_charge`)."""
    return units * annual_capital_charge(asset.unit_cost, asset.life_years, settings.capital_rate)


def capital_element(
    name: str, units: float, asset: AssetSpec, settings: ShouldCostSettings, counted: str
) -> CostElement:
    """A should-cost element of ``units`` of ``asset`` at an annual :func:`capital_charge`,
    its note saying what is ``counted`` and over how many years."""
    return CostElement(
        name,
        capital_charge(units, asset, settings),
        f"{counted} at an annual capital charge over {asset.life_years} years",
    )


def year_one_volumes(volumes: Volumes, names: Iterable[str] | None = None) -> dict[str, float]:
    """Each volume of ``names`` (default: every one) in operating year 1, the year a should-cost
    and the price beside it are set in: a per-year sequence's second figure, or the figure."""
    out = {}
    for name in volumes if names is None else names:
        value = volume(volumes, name)
        out[name] = float(value) if np.ndim(value) == 0 else float(value[1])
    return out


def in_house_reference(config: Any, part: str) -> Any | None:
    """The in-house version of ``part`` whose staff and terms a contractor would take on (TUPE)
    in its should-cost: business as usual's if it keeps the part in house, else that of the
    first option that does (by provider, never by an option's name). ``None``: no option
    keeps it in house, so there are no terms to build on."""
    first = config.business_as_usual
    for name in (first, *(o for o in config.options if o != first)):
        candidate = config.options[name].parts()[part]
        if candidate.provider == "in_house":
            return candidate
    return None


def year_one_charges(lines: Iterable[CostLine]) -> float:
    """The contract charges of ``lines`` in year 1, service credits left out: the price a
    should-cost is set beside."""
    return math.fsum(line.values[1] for line in lines if line.category is Category.CONTRACT)


DEFAULT_CONTRACT_YEARS = 5
"""Years over which a should-cost spreads mobilisation when a part states no ``contract``."""


def transferred_risk(config: Any, option: str, part: str, length: int) -> float:
    """Expected cost a year of the section's risks that the contract of ``part`` transfers to
    the contractor: the transferred share of each risk of that part arising under the option
    (on a change of provider too), and of each whole-service risk a contractor bears, shared
    equally by the option's contracted parts; a once-only risk is spread over the contract's
    ``length``."""
    providers = config.options[option].part_providers()
    today = config.options[config.business_as_usual].part_providers()
    contracted = sum(p is Provider.CONTRACTOR for p in providers.values())
    total = 0.0
    for name, spec in config.risks.items():
        risk = spec.risk(name)
        if risk.part not in (None, part) or not risk.arises(providers, today):
            continue
        if risk.provider(providers) is not Provider.CONTRACTOR:
            continue
        share = 1.0 if risk.part == part else 1.0 / contracted
        per_year = risk.expected_value if risk.per_year else risk.expected_value / length
        total += per_year * risk.transferred_share * share
    return total


def contract_should_cost(
    config: Any,
    option: str,
    part: str,
    elements: Iterable[CostElement],
    price: float,
    settings: ShouldCostSettings,
    *,
    name: str | None = None,
) -> ShouldCost:
    """The should-cost of the contract of ``part`` under ``option`` (named ``name``, by default
    "<part> contract"): the service's direct-cost ``elements``, the risks the contract
    transfers, and its mobilisation spread over its length (term and extensions;
    :data:`DEFAULT_CONTRACT_YEARS` if it states none), beside its year-1 ``price``."""
    contract = getattr(config.options[option].parts()[part], "contract", None)
    length = DEFAULT_CONTRACT_YEARS if contract is None else contract.lifecycle().length
    return should_cost(
        name or f"{part.replace('_', ' ')} contract",
        elements,
        price,
        settings,
        transferred_risk=transferred_risk(config, option, part, length),
        mobilisation=0.0 if contract is None else contract.mobilisation_cost,
        length_years=length,
    )


def held_assets(config: Any, name: str) -> HeldAssets | None:
    """The section's existing assets of that name (``None``: the force holds none)."""
    return config.existing_assets.get(name)


def staff_cost_lines(
    option: str,
    table: Iterable[tuple[str, float | Sequence[float], StaffSpec, str]],
    period_years: int,
) -> list[CostLine]:
    """One :func:`staff_cost_line` a row of ``(name, fte, pay, note)``."""
    return [
        staff_cost_line(option, name, fte=fte, pay=pay, period_years=period_years, note=note)
        for name, fte, pay, note in table
    ]


def fixed_line(
    option: str,
    name: str,
    amount: float | np.ndarray,
    *,
    period_years: int,
    growth: float = 0.0,
    category: Category = Category.OPERATING,
    note: str = "",
) -> CostLine:
    """A fixed annual amount in every operating year (operating unless ``category``)."""
    return CostLine.annual(
        option, name, category, amount, period_years=period_years, growth=growth, note=note
    )


def per_volume_lines(
    option: str,
    table: Iterable[tuple[str, float, str, str]],
    volumes: Volumes,
    *,
    growth: float,
    period_years: int,
) -> list[CostLine]:
    """One :func:`models.appraisal.activity_line` a row of ``(name, unit cost, volume metric,
    note)``: the unit cost times the simulated annual volume of that metric."""
    return [
        activity_line(
            option,
            name,
            unit_cost=unit_cost,
            volume=volume(volumes, metric),
            growth=growth,
            period_years=period_years,
            note=note,
        )
        for name, unit_cost, metric, note in table
    ]


def contract_cost_lines(
    option: str,
    name: str,
    volumes: Volumes,
    period_years: int,
    *,
    prices: Mapping[str, tuple[float, str]],
    growth: float,
    fixed_fee: float = 0.0,
    credits: tuple[float, str, float | None] | None = None,
    note: str = "",
) -> list[CostLine]:
    """The charges and service-credit lines of a contract (:func:`models.appraisal.contract_lines`).

    ``prices`` maps each priced item to ``(unit price, volume metric)``; ``credits`` is
    ``(credit per breach, metric of the simulated breaches, cap)`` where breaches earn credits.
    """
    credit_per_breach, breaches, credit_cap = 0.0, None, None
    if credits is not None:
        credit_per_breach, breaches, credit_cap = credits
    charges, service_credits = contract_lines(
        option,
        name,
        fixed_fee=fixed_fee,
        unit_prices={item: price for item, (price, _) in prices.items()},
        volumes={item: volume(volumes, metric) for item, (_, metric) in prices.items()},
        credit_per_breach=credit_per_breach,
        breaches=0.0 if breaches is None else volume(volumes, breaches),
        credit_cap=credit_cap,
        growth=growth,
        period_years=period_years,
        note=note,
    )
    return [charges, service_credits]


# --------------------------------------------------------------------------- volumes and totals


def volume(volumes: Volumes, name: str) -> np.ndarray | float:
    """One simulated volume by name (a clear error naming what is there when missing)."""
    if name not in volumes:
        raise KeyError(f"volume {name!r} missing (have {sorted(volumes)})")
    value = volumes[name]
    return value if isinstance(value, float | int) else np.asarray(value, dtype=float)


RECURRING_EXCLUDED = frozenset(
    {Category.TRANSITION, Category.CAPITAL, Category.RESIDUAL_VALUE, Category.DISPOSAL}
)
"""Categories left out of a year's recurring cost (one-off and capital flows)."""


def annual_recurring_cost(lines: Iterable[CostLine], year: int = 1) -> float:
    """Recurring net cost of ``year`` (transition, capital and residual value left out)."""
    return sum(line.values[year] for line in lines if line.category not in RECURRING_EXCLUDED)


def levelised_cost(
    lines: Iterable[CostLine],
    units_by_year: float | Sequence[float] | np.ndarray,
    period_years: int,
    *,
    include_income: bool = False,
) -> float:
    """Levelised cost per unit (vehicle recovered, vehicle-year, meal): PV of the costs / PV of
    the units.

    Costs before optimism bias, discounted at the Green Book rate; other transfers (service
    credits, redundancy) left out; income left out unless ``include_income`` (then it is the net
    cost per unit, statutory charges included). A single figure for ``units_by_year``
    means that many units in each operating year ``1 .. N`` (none in year 0).
    """
    factors = discount_factors(period_years)
    total = 0.0
    for line in lines:
        income = line.category is Category.INCOME
        if (income and not include_income) or (line.transfer and not income):
            continue
        total += float(line.array(period_years) @ factors)
    units = np.asarray(units_by_year, dtype=float)
    if units.ndim == 0:
        units = np.full(period_years + 1, float(units))
        units[0] = 0.0
    discounted = float(units @ factors)
    return total / discounted if discounted > 0 else math.nan


def replication_lines(
    options: Sequence[str],
    yearly_volumes: Callable[[Mapping[str, Mapping[str, float]], str], Volumes],
    cost_lines: Callable[[str, Volumes], list[CostLine]],
) -> Callable[[Mapping[str, Mapping[str, float]]], list[CostLine]]:
    """A ``build_lines`` for :func:`models.appraisal.appraise_replications`.

    The returned function receives one replication's ``{run key: {metric: value}}``, turns each
    option's runs into volumes by year (``yearly_volumes(runs, option)``, e.g. interpolated by
    :func:`models.kit.periods.yearly_volumes`) and returns the cost lines of every option.
    """
    chosen = list(options)

    def lines(runs: Mapping[str, Mapping[str, float]]) -> list[CostLine]:
        out: list[CostLine] = []
        for option in chosen:
            out.extend(cost_lines(option, yearly_volumes(runs, option)))
        return out

    return lines
