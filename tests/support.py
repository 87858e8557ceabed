"""Helpers the service tests share (plain functions; the fixtures are in ``tests/conftest.py``)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from models.kit.checks import VerificationCheck
from models.kit.output_analysis import paired_difference
from models.kit.replications import run_replications

__all__ = [
    "BASELINE",
    "by_name",
    "crn_half_widths",
    "first_replication",
    "per_year_volumes",
    "refusal",
    "report",
    "section_mapping",
    "variant",
    "variant_of",
]

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "data" / "scenarios" / "baseline.yaml"

Edit = Callable[[dict[str, Any]], None]


def section_mapping(name: str) -> dict[str, Any]:
    """The baseline scenario's ``name:`` section as a plain mapping (a fresh copy)."""
    with open(BASELINE, encoding="utf-8") as handle:
        return copy.deepcopy(yaml.safe_load(handle)[name])


def variant(config_type: type, mapping: dict[str, Any], edit: Edit) -> Any:
    """The section with ``edit`` applied to a copy of ``mapping``, validated."""
    changed = copy.deepcopy(mapping)
    edit(changed)
    return config_type.model_validate(changed)


def variant_of(config_type: type) -> Callable[[dict[str, Any], Edit], Any]:
    """:func:`variant` of one section type: ``variant_of(T)(mapping, edit)``."""
    return partial(variant, config_type)


def refusal(config_type: type, mapping: dict[str, Any]) -> str:
    """The message with which ``config_type`` refuses ``mapping`` (it must refuse it)."""
    with pytest.raises(ValidationError) as caught:
        config_type.model_validate(mapping)
    return str(caught.value)


def report(check: VerificationCheck) -> str:
    """One verification check, for an assertion's message."""
    s = check.simulated
    return (
        f"{check.name} {check.metric}: analytic {check.analytic:.5g}, simulated {s.mean:.5g} "
        f"[{s.low:.5g}, {s.high:.5g}] ({check.relative_difference:+.2%}, "
        f"tolerance {check.tolerance:.0%})"
    )


def by_name(lines: Iterable[Any]) -> dict[str, Any]:
    """Cost lines by name."""
    return {line.name: line for line in lines}


def first_replication(results: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Replication 0 of :func:`models.kit.replications.run_replications` results, as
    ``{run key: {metric: value}}`` (what ``build_lines`` takes)."""
    first = results[results["replication"] == 0]
    return {
        key: dict(zip(group["metric"], group["value"], strict=True))
        for key, group in first.groupby("option", sort=False)
    }


def crn_half_widths(
    simulate: Callable[..., Any],
    runs: dict[str, Any],
    base: str,
    other: str,
    metrics: Iterable[str],
    replications: int = 6,
) -> dict[str, tuple[float, float]]:
    """``{metric: (paired, unpaired)}`` half-widths of the ``other - base`` difference of the
    two ``runs``: on common random numbers (seed 11) and with ``other`` on its own (seed 12)."""
    common = run_replications(
        simulate, runs, replications=replications, seed=11, jobs=1, progress=False
    )
    alone = run_replications(
        simulate, {other: runs[other]}, replications=replications, seed=12, jobs=1, progress=False
    )
    independent = pd.concat([common[common["option"] == base], alone], ignore_index=True)
    return {
        metric: (
            paired_difference(common, metric, other, base).half_width,
            paired_difference(independent, metric, other, base).half_width,
        )
        for metric in metrics
    }


def per_year_volumes(metrics: dict[str, float]) -> dict[str, float]:
    """The annual volumes (``..._per_year``) among one run's metrics."""
    return {name: value for name, value in metrics.items() if name.endswith("_per_year")}
