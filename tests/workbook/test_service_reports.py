"""Per-service report parts: the same steps in every service, and the scenario-only parts run."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from models.registry import SERVICES
from workbook import display
from workbook.context import ReportContext

BASELINE = Path(__file__).resolve().parents[2] / "data" / "scenarios" / "baseline.yaml"
SHARED_STEPS = (
    "summary",
    "headline",
    "demand",
    "options",
    "performance",
    "unit_costs",
    "periods_and_replications",
    "common_random_numbers",
)


@pytest.mark.parametrize("name", SERVICES.names)
def test_every_service_has_the_shared_steps(name: str) -> None:
    report = importlib.import_module(f"workbook.service_reports.{name}")
    missing = [step for step in SHARED_STEPS if not callable(getattr(report, step, None))]
    assert not missing, f"{name}: no {missing}"
    # what the shared headline table (workbook.sections.headline_performance) reads
    assert report.HEADLINE_ROWS and isinstance(report.MEASURED_AT, str), name


@pytest.mark.parametrize("name", SERVICES.names)
def test_the_scenario_parts_show_tables_without_missing_figures(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(
        display, "display_all", lambda *items: shown.extend(i.markup for i in items)
    )
    report = importlib.import_module(f"workbook.service_reports.{name}")
    ctx = ReportContext.from_parameters(BASELINE, None, True, None, name)
    report.demand(ctx)
    report.options(ctx)
    markup = "\n".join(shown)
    assert "Delivery options" in markup
    assert all(label in markup for label in ctx.labels.values())
    assert not re.search(r"\bnan\b", markup, re.IGNORECASE)
