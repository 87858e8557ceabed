"""The scenario schema: run settings, appraisal settings and the optional service sections.

Every model is strict and frozen (:mod:`models.scenario.strict`); the appraisal section lives in
:mod:`models.scenario.appraisal_settings`, the service sections with their services.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
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
)
from pydantic_core import PydanticCustomError

from models.registry import SERVICES, Registry
from models.scenario.appraisal_settings import AppraisalSettings
from models.scenario.strict import MODEL_CONFIG

__all__ = ["RunSettings", "Scenario", "ScenarioBase", "scenario_keys", "scenario_model"]

# Keys a scenario file may hold besides the model's fields, and fields it may not set.
_FILE_ONLY_KEYS = ("extends",)
_LOADER_ONLY_KEYS = ("source", "chain")


def _days(low: int) -> Any:
    return Annotated[int, Strict(), Field(ge=low, le=3650)]


def _not_above(full: str, error: str) -> Callable[[type, int, ValidationInfo], int]:
    """A field validator: the quick figure must not exceed ``run.<full>`` (error ``error``)."""

    def check(cls: type, value: int, info: ValidationInfo) -> int:
        limit = info.data.get(full)
        if limit is not None and value > limit:
            raise PydanticCustomError(
                error, f"must not exceed run.{full} ({{full}})", {"full": limit}
            )
        return value

    return check


class RunSettings(BaseModel):
    """How much to simulate: replications and simulated days, for full and ``--quick`` runs.

    Each replication simulates ``warmup_days`` (discarded) followed by ``horizon_days`` whose
    statistics are kept (``quick_horizon_days`` for a quick run). The simulation clock is in
    hours; the ``*_hours`` properties convert.
    """

    model_config = MODEL_CONFIG

    replications: Annotated[int, Strict(), Field(ge=2, le=10_000)]
    quick_replications: Annotated[int, Strict(), Field(ge=2, le=10_000)]
    horizon_days: _days(1)
    quick_horizon_days: _days(1)
    warmup_days: _days(0)

    _quick_not_more = field_validator("quick_replications")(
        _not_above("replications", "quick_too_many")
    )
    _quick_not_longer = field_validator("quick_horizon_days")(
        _not_above("horizon_days", "quick_too_long")
    )

    @property
    def horizon_hours(self) -> float:
        """Kept horizon of a full run, in hours."""
        return 24.0 * self.horizon_days

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

    source: Path = Field(exclude=True)
    chain: tuple[Path, ...] = Field(exclude=True)

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
