"""Fleet test helpers of its own: a smaller fleet (shared fixtures: ``tests/conftest.py``)."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import pytest


def scaled_roster(roster: Any, factor: float) -> Any:
    """A roster spec (a number or shifts) with every capacity times ``factor`` (rounded up)."""
    if isinstance(roster, int):
        return math.ceil(roster * factor)
    return [{**shift, "capacity": math.ceil(shift["capacity"] * factor)} for shift in roster]


def scaled_fleet(mapping: dict[str, Any], factor: float) -> dict[str, Any]:
    """The section for a fleet ``factor`` times the size, workshops scaled alike (a fast
    stand-in for comparisons on common random numbers)."""
    out = copy.deepcopy(mapping)
    for vehicle in out["vehicles"].values():
        vehicle["count"] = round(vehicle["count"] * factor)
        for day in ("weekday", "weekend"):
            required = vehicle["required"][day]
            vehicle["required"][day] = {k: round(v * factor) for k, v in required.items()}
    out["spare_pool"]["vehicles"] = round(out["spare_pool"]["vehicles"] * factor)
    for option in out["options"].values():
        for workshop in option["workshops"].values():
            technicians = workshop["technicians"]
            for skill, roster in technicians.items():
                technicians[skill] = scaled_roster(roster, factor)
            workshop["bays"] = {k: math.ceil(v * factor) for k, v in workshop["bays"].items()}
            if "mobile_units" in workshop:
                workshop["mobile_units"] = scaled_roster(workshop["mobile_units"], factor)
    return out


@pytest.fixture
def small(mapping: dict[str, Any]) -> dict[str, Any]:
    """The default section scaled to a fifth of the fleet, as a mapping to modify."""
    return scaled_fleet(mapping, 0.2)


@pytest.fixture(scope="session")
def scale_roster() -> Callable[[Any, float], Any]:
    """:func:`scaled_roster`, for tests that change workshop capacity."""
    return scaled_roster
