"""The conventions every scenario model shares: strict types, frozen, no unknown keys."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Strict, StringConstraints

__all__ = ["MODEL_CONFIG", "Text"]

#: Unknown keys refused, instances immutable, infinities and NaN refused.
MODEL_CONFIG = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]
