"""Shared helpers for the catering model tests: the default section and short runs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.catering import CateringConfig, CateringRun

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "data" / "scenarios" / "baseline.yaml"

SHORT = {"warmup_days": 1.0, "window_days": 2.0, "feeding_days": 28}
"""A short representative period for functional tests: two weekdays of restaurants and custody,
four weeks of operational feeding (enough for comparisons on common random numbers, not for
absolute levels)."""


def baseline_mapping() -> dict[str, Any]:
    """The default ``catering:`` section as a plain mapping (a fresh copy)."""
    with open(BASELINE, encoding="utf-8") as handle:
        return copy.deepcopy(yaml.safe_load(handle)["catering"])


def variant(mapping: dict[str, Any], edit: Callable[[dict[str, Any]], None]) -> CateringConfig:
    """The section with ``edit`` applied to a copy of ``mapping``, validated."""
    changed = copy.deepcopy(mapping)
    edit(changed)
    return CateringConfig.model_validate(changed)


@pytest.fixture(scope="session")
def config() -> CateringConfig:
    """The default section, validated."""
    return CateringConfig.model_validate(baseline_mapping())


@pytest.fixture
def mapping() -> dict[str, Any]:
    """The default section as a mapping, to modify in a test."""
    return baseline_mapping()


@pytest.fixture(scope="session")
def short() -> Callable[..., CateringRun]:
    """``short(config, option, **changes)``: a short run (see ``SHORT``), demand year 1."""

    def make(config: CateringConfig, option: str, **changes: Any) -> CateringRun:
        return CateringRun(config, option, **{"year": 1.0, **SHORT, **changes})

    return make
