"""Shared helpers for the recovery model tests: the default section and short runs."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from models.recovery import RecoveryConfig, RecoveryRun

ROOT = Path(__file__).resolve().parents[2]
DRAFT = ROOT / "data" / "scenarios" / "baseline.yaml"

SHORT = {"warmup_days": 7.0, "window_days": 14.0}
"""A short representative period for functional tests (the pound is still filling: fine for
comparisons on common random numbers, not for absolute levels)."""


def draft_mapping() -> dict[str, Any]:
    """The default ``recovery:`` section as a plain mapping (a fresh copy)."""
    with open(DRAFT, encoding="utf-8") as handle:
        return copy.deepcopy(yaml.safe_load(handle)["recovery"])


@pytest.fixture(scope="session")
def config() -> RecoveryConfig:
    """The default section, validated."""
    return RecoveryConfig.model_validate(draft_mapping())


@pytest.fixture
def mapping() -> dict[str, Any]:
    """The default section as a mapping, to modify in a test."""
    return draft_mapping()


@pytest.fixture(scope="session")
def short() -> Callable[..., RecoveryRun]:
    """``short(config, option, **changes)``: a short run (7-day warm-up, 14-day window)."""

    def make(config: RecoveryConfig, option: str, **changes: Any) -> RecoveryRun:
        return RecoveryRun(config, option, **{**SHORT, **changes})

    return make
