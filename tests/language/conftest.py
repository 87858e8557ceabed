"""The language service's fixtures: the default scenario and its ``language:`` section."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from models.language import SERVICE
from models.scenario import DEFAULT_SCENARIO, Scenario, load_scenario
from models.service import Service


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    """The default scenario."""
    return load_scenario(DEFAULT_SCENARIO)


@pytest.fixture(scope="module")
def service() -> Service:
    """The language service."""
    return SERVICE


@pytest.fixture(scope="module")
def config(scenario: Scenario) -> Any:
    """The default ``language:`` section, validated."""
    return SERVICE.section(scenario)


@pytest.fixture
def mapping(config: Any) -> dict[str, Any]:
    """The default section as a mapping, to modify in a test."""
    return config.model_dump(mode="python")


@pytest.fixture(scope="module")
def short() -> Callable[..., Any]:
    """``short(config, option, **changes)``: a run of demand year 1 over the quick period."""

    def make(config: Any, option: str, **changes: Any) -> Any:
        return SERVICE.run_class(config, option, **{"year": 1.0, **SERVICE.quick, **changes})

    return make
