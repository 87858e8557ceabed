"""Schema types every service's scenario section shares: the strict base, names, shares, and
the section base that names the business-as-usual option and the demand growth.

A service's ``config.py`` subclasses :class:`ServiceSection` for its section and
:class:`SectionModel` for its parts, so the rules (unknown keys refused, immutable, option names,
shares adding up) are stated once. Nothing here imports :mod:`models.scenario`.
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["STRICT", "Name", "SectionModel", "ServiceSection", "Share", "check_shares"]

Share = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
"""A share in [0, 1]."""
Name = Annotated[str, Field(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_\-]+$")]
"""A key of a section (option, sector, counter): letters, digits, ``_`` and ``-``."""

SHARE_TOLERANCE = 1e-6

STRICT = ConfigDict(extra="forbid", frozen=True)
"""Pydantic settings of every part of a section: unknown keys refused, immutable."""


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
    """A service's section: its options, the business-as-usual one, and its demand growth.

    Subclasses declare ``options`` (names to option specs) and what grows
    (:attr:`demand_growth`)."""

    business_as_usual: Name = "in_house"
    """The option the others are compared with (must be one of ``options``)."""

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
        return self
