"""The scenario schema: run settings, appraisal settings and the optional service sections.

Every model is strict and frozen (:mod:`models.scenario.strict`); the appraisal section lives in
:mod:`models.scenario.appraisal_settings`, the service sections with their services.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import (
    BaseModel,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from models.registry import SERVICES, Registry
from models.scenario.appraisal_settings import AppraisalSettings
from models.scenario.portfolio_settings import PortfolioSettings
from models.scenario.strict import MODEL_CONFIG
from models.scenario.uncertainty_settings import UncertaintySettings
from models.uncertainty.ranges import check, resolve

__all__ = ["RunSettings", "Scenario", "ScenarioBase", "scenario_keys", "scenario_model"]

# Keys a scenario file may hold besides the model's fields, and fields it may not set.
_FILE_ONLY_KEYS = ("extends",)
_LOADER_ONLY_KEYS = ("source", "chain")


def _days(low: int) -> Any:
    return Annotated[int, Strict(), Field(ge=low, le=3650)]


class RunSettings(BaseModel):
    """How much to simulate: replications for full and ``--quick`` runs, and a quick run's days.

    A full run observes each service's own representative period (its section's ``period``:
    a warm-up, then the window whose statistics are kept). A quick run keeps
    ``quick_horizon_days`` after a warm-up of ``warmup_days``, each capped at the service's
    own (``workbook.context``). The ``*_hours`` properties convert to the simulation clock.
    """

    model_config = MODEL_CONFIG

    replications: Annotated[int, Strict(), Field(ge=2, le=10_000)]
    quick_replications: Annotated[int, Strict(), Field(ge=2, le=10_000)]
    quick_horizon_days: _days(1)
    warmup_days: _days(0)

    @field_validator("quick_replications")
    @classmethod
    def _quick_not_more(cls, value: int, info: ValidationInfo) -> int:
        full = info.data.get("replications")
        if full is not None and value > full:
            raise PydanticCustomError(
                "quick_too_many", "must not exceed run.replications ({full})", {"full": full}
            )
        return value

    @property
    def quick_horizon_hours(self) -> float:
        """Kept horizon of a quick run, in hours."""
        return 24.0 * self.quick_horizon_days

    @property
    def warmup_hours(self) -> float:
        """Warm-up simulated before statistics start, in hours."""
        return 24.0 * self.warmup_days


class ScenarioBase(BaseModel):
    """A validated scenario. ``source`` and ``chain`` are set by the loader, not the file.

    ``chain`` lists the files read, the scenario's own file first, then what it extends, and so
    on up to the root. Each service of the registry adds an optional section named after it
    (:func:`scenario_model`); a report on a service refuses a scenario without its section.
    """

    model_config = MODEL_CONFIG
    #: Keys a file may hold besides the fields (read by the loader, never validated).
    file_only_keys: ClassVar[tuple[str, ...]] = _FILE_ONLY_KEYS

    name: Annotated[
        str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    description: Annotated[
        str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ]
    seed: Annotated[int, Strict(), Field(ge=0, le=2**63 - 1)]
    base_year: Annotated[int, Strict(), Field(ge=1990, le=2100)]
    run: RunSettings
    appraisal: AppraisalSettings
    uncertainty: UncertaintySettings = UncertaintySettings()
    """Ranges on the uncertain inputs and the size of the study that propagates them."""
    portfolio: PortfolioSettings = PortfolioSettings()
    """Bundled options across services (one contractor for several)."""

    source: Path = Field(exclude=True)
    chain: tuple[Path, ...] = Field(exclude=True)

    @model_validator(mode="after")
    def _ranges_fit(self) -> ScenarioBase:
        """Every range names inputs of the scenario and keeps it valid at both ends."""
        check(self, resolve(self))
        return self

    @model_validator(mode="after")
    def _bundles_fit(self) -> ScenarioBase:
        """Every bundle names services the scenario has and options they have."""
        self.portfolio.check(self.section)
        return self

    @property
    def slug(self) -> str:
        """Short name for ``reports/<slug>/``: the file stem, made safe as a folder name."""
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.source.stem).strip(".-")
        return slug or "scenario"

    def section(self, name: str) -> Any:
        """The section of service ``name``, or None when the scenario has none."""
        if name not in type(self).model_fields:
            raise KeyError(f"no service section {name!r} in this scenario model")
        return getattr(self, name)

    def setting(self, key: str) -> Any:
        """The value at a dotted key such as ``appraisal.optimism_bias.capital``.

        Reports use it to show each assumption of the register with the value this scenario
        actually uses. Raises ``KeyError`` for a key the scenario does not have.
        """
        value: Any = self.model_dump()
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(key)
            value = value[part]
        return value


def scenario_model(registry: Registry = SERVICES) -> type[ScenarioBase]:
    """The scenario schema for ``registry``: the common settings and an optional section per
    service, named after the service and validated by its config type."""
    return _model_of(tuple((service.name, service.config_type) for service in registry))


@functools.cache
def _model_of(sections: tuple[tuple[str, type], ...]) -> type[ScenarioBase]:
    """One model class per set of sections (pydantic builds a validator per class)."""
    fields: dict[str, Any] = {name: (config | None, None) for name, config in sections}
    return create_model("Scenario", __base__=ScenarioBase, __module__=__name__, **fields)


Scenario = scenario_model(SERVICES)
"""The scenario schema of the workbook's own services."""


def scenario_keys(model: type[ScenarioBase]) -> frozenset[str]:
    """Top-level keys a scenario file of ``model`` may hold. A file with none of them is not
    a scenario, and none of it is quoted."""
    return frozenset(
        [name for name, info in model.model_fields.items() if not info.exclude]
        + list(model.file_only_keys)
    )
