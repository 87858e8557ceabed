"""The ``uncertainty`` section of a scenario: a range on each uncertain input, and the size of
the study that propagates them.

A range names its input by a dotted key pattern (``*`` stands for one key, e.g.
``recovery.options.*.storage.costs.staff.salary``): every input the pattern matches takes the
same draw, because they are one quantity wherever it appears (the pay of a pound officer under
every option that employs one). A range is absolute (``low``, ``mode``, ``high`` in the input's
own unit) or ``relative`` (multipliers of each matched input's stated value), triangular (low,
most likely, high) or uniform, and always says why. The checks that need the whole scenario
(the pattern matches an input; the scenario is still valid at both ends of the range) are in
:mod:`models.uncertainty.ranges`; this module checks what one range says on its own.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, Field, Strict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from models.scenario.strict import MODEL_CONFIG

__all__ = ["RangeSetting", "UncertaintySettings"]

_PATTERN = r"^[A-Za-z0-9_*\-]+(\.[A-Za-z0-9_*\-]+)+$"
Pattern = Annotated[
    str,
    Strict(),
    StringConstraints(
        min_length=3, max_length=300, pattern=r"^[A-Za-z0-9_*\-]+(\.[A-Za-z0-9_*\-]+)+$"
    ),
]
"""A dotted key pattern: segments of letters, digits, ``_``, ``-``, or ``*`` (any one key)."""

Finite = Annotated[float, Field(allow_inf_nan=False)]


class RangeSetting(BaseModel):
    """The range of one uncertain input (see the module notes)."""

    model_config = MODEL_CONFIG

    low: Finite
    high: Finite
    mode: Finite | None = None
    """Most likely value; default the stated value (absolute) or 1 (relative)."""
    relative: bool = False
    """``low``, ``mode`` and ``high`` multiply the stated value of every matched input."""
    distribution: Literal["triangular", "uniform"] = "triangular"
    reason: Annotated[
        str, Strict(), StringConstraints(strip_whitespace=True, min_length=3, max_length=600)
    ]
    """Why this range: its grade and source, or the reasoning of the estimate."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        mode = self.most_likely
        if not self.low < self.high:
            raise PydanticCustomError(
                "range_order",
                "low ({low}) must be below high ({high})",
                {"low": self.low, "high": self.high},
            )
        if mode is not None and not self.low <= mode <= self.high:
            raise PydanticCustomError(
                "range_mode", "mode ({mode}) must lie between low and high", {"mode": mode}
            )
        if self.relative and self.low < 0:
            raise PydanticCustomError("range_factor", "a relative range's low must be >= 0", {})
        return self

    @property
    def most_likely(self) -> float | None:
        """The mode as written, 1 for a relative range without one, else ``None`` (the stated
        value, known only with the scenario)."""
        if self.mode is not None:
            return self.mode
        return 1.0 if self.relative else None


class UncertaintySettings(BaseModel):
    """How the uncertain inputs are propagated (:mod:`models.uncertainty`)."""

    model_config = MODEL_CONFIG

    samples: Annotated[int, Strict(), Field(ge=64, le=1_048_576)] = 4096
    """Parameter samples of the cost layer, at least (a Saltelli design of Sobol' points: the
    smallest base ``N`` whose ``N (D + 2)`` rows reach this many)."""
    trajectories: Annotated[int, Strict(), Field(ge=2, le=1000)] = 2
    """Morris trajectories over the inputs that change the operation: ``trajectories x (k + 1)``
    points, each a whole simulation of every option (2, the fewest Morris allows, keeps the
    default study of one service within a full report's time on two cores)."""
    levels: Annotated[int, Strict(), Field(ge=2, le=20)] = 4
    """Grid levels of the Morris design (an even number is recommended: Saltelli et al. 2008,
    Global Sensitivity Analysis: The Primer, ch. 3)."""
    replications: Annotated[int, Strict(), Field(ge=1, le=1000)] = 1
    """Inner replications at each design point, on common random numbers (the simulation
    noise comes from the comparison's own replications: :mod:`models.uncertainty.study`)."""
    quick_replications: Annotated[int, Strict(), Field(ge=1, le=1000)] = 1
    """Inner replications of a quick run."""
    ranges: dict[Pattern, RangeSetting] = {}
    fixed: dict[Pattern, Annotated[str, Strict(), StringConstraints(min_length=3)]] = {}
    """Estimates deliberately held at their stated value, by key pattern, each with the reason
    (e.g. a profile's shape, which a range would not move): the reports list them apart from
    the estimates that simply have no range yet."""
