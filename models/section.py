"""Schema types every service's scenario section shares: the strict base, names, shares, and
the section base that names the business-as-usual option and the demand growth.

A service's ``config.py`` subclasses :class:`ServiceSection` for its section and
:class:`SectionModel` for its parts, so the rules (unknown keys refused, immutable, option names,
shares adding up) are stated once. Nothing here imports :mod:`models.scenario`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from models.costing import Growth, HeldAssets, RiskSpec

__all__ = [
    "STRICT",
    "DemandGrowth",
    "KeyProblem",
    "Name",
    "SectionModel",
    "ServiceSection",
    "Share",
    "check_shares",
]

Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
"""A share in [0, 1]."""
Name = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_\-]+$")]
"""A key of a section (option, sector, counter): letters, digits, ``_`` and ``-``."""

SHARE_TOLERANCE = 1e-6

STRICT = ConfigDict(extra="forbid", frozen=True)
"""Pydantic settings of every part of a section: unknown keys refused, immutable."""


class KeyProblem(ValueError):
    """A problem a section's own check finds at one of its keys (``keys``, below the section):
    reported against that key, with nothing of the section echoed."""

    def __init__(self, keys: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.keys = keys


class SectionModel(BaseModel):
    """Base of every part of a section: unknown keys refused, immutable."""

    model_config = STRICT


def check_shares(label: str, shares: dict[str, float]) -> None:
    """Refuse shares that do not add up to 1 (within :data:`SHARE_TOLERANCE`)."""
    total = math.fsum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        parts = ", ".join(f"{k} {v:g}" for k, v in shares.items())
        raise ValueError(f"{label} shares must add up to 1 (got {total:.6g}: {parts})")


class ServiceSection(SectionModel):
    """A service's section: its options, the business-as-usual one, the assets the force holds,
    the risk register, and its demand growth.

    Subclasses declare ``options`` (names to option specs) and what grows
    (:attr:`demand_growth`)."""

    business_as_usual: Name = "in_house"
    """The option the others are compared with: the service as it is delivered today (must be
    one of ``options``, and changes nothing, so it has no transition costs)."""
    existing_assets: dict[Name, HeldAssets] = {}
    """Assets the force holds today, by the name of the asset line that uses them."""
    risks: dict[Annotated[str, Field(min_length=1, max_length=80)], RiskSpec] = {}
    """The priced risks of the service, by name (:mod:`models.appraisal.risks`)."""

    cost_keys: ClassVar[frozenset[str]] = frozenset(
        {"costs", "contract", "cost_basis", "client_function", "transition"}
        | {"existing_assets", "risks"}
    )
    """Keys whose values only the cost lines read, never the simulation: a change below one of
    them keeps the simulated volumes (the result cache keeps its entries, and the uncertainty
    study re-prices stored volumes instead of re-simulating). A service adds its own
    (``cost_keys = ServiceSection.cost_keys | {...}``); ``tests/contract`` proves, for every
    service, that perturbing them leaves every simulated metric unchanged."""

    def simulation_identity(self) -> dict[str, Any]:
        """The section as the simulation sees it: dumped, with every key in :attr:`cost_keys`
        left out (what determines the simulated volumes, for the result cache)."""
        return _without(self.model_dump(mode="json"), self.cost_keys)

    @property
    def demand_growth(self) -> float:
        """Compound change of demand a year (``0.01`` = 1 % a year)."""
        raise NotImplementedError

    def demand_factor(self, year: float) -> float:
        """Demand in ``year`` relative to the base year: ``(1 + growth) ** year``."""
        return (1.0 + self.demand_growth) ** year

    @model_validator(mode="after")
    def _business_as_usual_is_an_option(self) -> Self:
        options: dict[str, Any] = getattr(self, "options", {})
        if self.business_as_usual not in options:
            raise ValueError(
                f"business_as_usual {self.business_as_usual!r} is not an option "
                f"(options: {', '.join(options)})"
            )
        today = options[self.business_as_usual]
        if getattr(today, "transition", None):
            raise KeyProblem(
                ("options", self.business_as_usual, "transition"),
                f"the business-as-usual option is how the service runs today, so it has no "
                f"transition costs (it lists {', '.join(today.transition)}); put them on the "
                "options that change it",
            )
        self._check_parts(options)
        return self

    def _check_parts(self, options: dict[str, Any]) -> None:
        """Every risk and held asset names a part that the options have."""
        parts = {name for spec in options.values() for name in spec.parts()}
        named = [(("risks", k), r.part) for k, r in self.risks.items() if r.part is not None]
        named += [(("existing_assets", k), a.part) for k, a in self.existing_assets.items()]
        for where, part in named:
            if part not in parts:
                raise KeyProblem(
                    (*where, "part"),
                    f"no part {part!r} in the options (parts: {', '.join(sorted(parts))})",
                )


def _without(value: Any, keys: frozenset[str]) -> Any:
    """``value`` (a dumped section) with every mapping entry named in ``keys`` removed."""
    if isinstance(value, Mapping):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


class DemandGrowth(SectionModel):
    """The growth of a section whose demand changes by one rate every year, all its kinds alike.
    A service's section lists it before :class:`ServiceSection` among its bases,
    so ``growth_per_year`` follows the keys every section has."""

    growth_per_year: Growth = 0.0
    """Compound change of demand a year."""

    @property
    def demand_growth(self) -> float:
        """Compound change of demand a year."""
        return self.growth_per_year
