"""The ``portfolio`` section of a scenario: bundled options across services.

The market engagement the workbook models asked about a bundle of support services at once. A
bundle is one contractor taking several services, each under one of its own options (usually
the outsourced one), for a ``discount`` on the contractor's charges and with one shared client
function (the force's contract-management team) in place of each service's own. Both are
inputs of the scenario with the reason for them; what a bundle costs is appraised in
:mod:`models.portfolio`. The checks that need the whole scenario (each service has a section
and the option exists) are in :meth:`PortfolioSettings.check`, which the scenario calls.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated, Any

from pydantic import BaseModel, Field, Strict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from models.scenario.strict import MODEL_CONFIG
from models.section import KeyProblem

__all__ = ["BundleSettings", "ClientFunctionSettings", "PortfolioSettings"]

Text = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, min_length=3, max_length=600)
]
Key = Annotated[str, Strict(), StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class ClientFunctionSettings(BaseModel):
    """The one client team that manages the bundle's contract, in real base-year pounds."""

    model_config = MODEL_CONFIG

    annual_cost: Annotated[float, Field(ge=0, le=1e9, allow_inf_nan=False)]
    real_growth: Annotated[float, Field(ge=-0.2, le=0.2, allow_inf_nan=False)] = 0.0


class BundleSettings(BaseModel):
    """One bundled option: which option of each service the contractor takes, the discount on
    its charges and the shared client function, with the reason for the figures."""

    model_config = MODEL_CONFIG

    label: Annotated[
        str, Strict(), StringConstraints(strip_whitespace=True, min_length=3, max_length=200)
    ]
    options: dict[Key, Key]
    """Service -> the option of that service the bundle takes (two services at least)."""
    discount: Annotated[float, Field(ge=0, le=0.5, allow_inf_nan=False)]
    """Share off the contractor's charges (contract lines) of every bundled service."""
    client_function: ClientFunctionSettings
    reason: Text

    @model_validator(mode="after")
    def _two_services(self) -> BundleSettings:
        if len(self.options) < 2:
            raise PydanticCustomError(
                "bundle_too_small", "a bundle takes two services or more (got {count})",
                {"count": len(self.options)},
            )  # fmt: skip
        return self


class PortfolioSettings(BaseModel):
    """The bundles a scenario appraises beside each service's own options."""

    model_config = MODEL_CONFIG

    bundles: dict[Key, BundleSettings] = {}

    def check(self, section: Callable[[str], Any]) -> None:
        """Refuse a bundle naming a service that does not exist, or an option its section does
        not have (``section(name)`` is the scenario's section, None when the scenario leaves
        the service out, KeyError for no such service), against the bundle's key
        (:class:`models.section.KeyProblem`). A bundle of a service the scenario leaves out is
        kept but not appraised (:meth:`appraised`), as a range on it is skipped."""
        for name, bundle in self.bundles.items():
            for service, option in bundle.options.items():
                where = ("portfolio", "bundles", name, "options", service)
                try:
                    config = section(service)
                except KeyError:
                    raise KeyProblem(where, f"no service {service!r}") from None
                if config is not None and option not in config.options:
                    known = ", ".join(config.options)
                    raise KeyProblem(where, f"no option '{option}' (options: {known})")

    def appraised(self, services: Collection[str]) -> dict[str, BundleSettings]:
        """The bundles all of whose services are among ``services`` (those the scenario has)."""
        return {
            name: bundle
            for name, bundle in self.bundles.items()
            if all(service in services for service in bundle.options)
        }
