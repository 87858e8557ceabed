"""Catering's short runs are of demand year 1 (the shared fixtures are in ``tests/conftest.py``;
the quick period: two weekdays of restaurants and custody, four weeks of operational feeding)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture(scope="module")
def short(short: Callable[..., Any]) -> Callable[..., Any]:
    """``short(config, option, **changes)``: the shared short run, demand year 1."""

    def make(config: Any, option: str, **changes: Any) -> Any:
        return short(config, option, **{"year": 1.0, **changes})

    return make
