"""Checks of whole-number arguments (servers, seeds, replications), written once for the kit."""

from __future__ import annotations

import operator

__all__ = ["whole_number"]


def whole_number(label: str, value: object, *, minimum: int) -> int:
    """``value`` as an ``int`` if it is a whole number (not a bool) of at least ``minimum``;
    otherwise a ValueError naming ``label``."""
    problem = f"{label} must be a whole number >= {minimum}, got {value!r}"
    if isinstance(value, bool):
        raise ValueError(problem)
    try:
        number = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(problem) from None
    if number < minimum:
        raise ValueError(problem)
    return number
