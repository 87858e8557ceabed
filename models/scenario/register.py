"""The register of assumptions (``data/sources.yaml``): every default with unit, grade, source.

Reports show each assumption next to where it came from; the register is read with the same
safe YAML reader and one-line problems as scenario files.
"""

from __future__ import annotations

import math
import os
import types
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, StringConstraints, ValidationError
from pydantic_core import PydanticCustomError

from models.scenario.paths import DEFAULT_SOURCES
from models.scenario.problems import ScenarioError
from models.scenario.safe_yaml import _read_mapping
from models.scenario.strict import MODEL_CONFIG, Text
from models.scenario.validation_messages import format_validation_error

__all__ = ["GRADE_MEANINGS", "Source", "load_sources"]

GRADE_MEANINGS: Mapping[str, str] = types.MappingProxyType(
    {
        "S": "published figure",
        "D": "derived from published figures",
        "E": "estimate",
    }
)


def _plain_value(value: Any) -> Any:
    """A register value is a number, text or a yes/no switch (collections are not)."""
    if not isinstance(value, bool | int | float | str):
        raise PydanticCustomError("plain_value", "must be a number, text, true or false")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("plain_value", "must be a finite number")
    return value


class Source(BaseModel):
    """One assumption in the register: its value, unit, grade and where it comes from.

    Grade ``S`` is a published figure, ``D`` derived from published figures and ``E`` an
    estimate, which reports label as such.
    """

    model_config = MODEL_CONFIG

    value: Annotated[Any, AfterValidator(_plain_value)]
    unit: Text
    grade: Literal["S", "D", "E"]
    source: Text
    note: Text | None = None

    @property
    def grade_meaning(self) -> str:
        """``published figure``, ``derived from published figures`` or ``estimate``."""
        return GRADE_MEANINGS[self.grade]


DottedKey = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=200)
]


class _Register(BaseModel):
    model_config = MODEL_CONFIG

    assumptions: dict[DottedKey, Source]


def load_sources(path: str | os.PathLike[str] = DEFAULT_SOURCES) -> dict[str, Source]:
    """Load the register of assumptions: dotted scenario key -> :class:`Source`.

    Raises
    ------
    ScenarioError
        With one line per problem, as for scenario files.
    """
    display = os.fspath(path)
    data = _read_mapping(display, frozenset(_Register.model_fields))
    try:
        register = _Register.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(format_validation_error(error, display, data, _Register)) from None
    return dict(register.assumptions)
