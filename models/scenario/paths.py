"""Where the shipped scenarios and the register of assumptions live (``data/``)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DATA_DIR", "DEFAULT_SCENARIO", "DEFAULT_SOURCES", "SCENARIOS_DIR"]

DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
SCENARIOS_DIR = DATA_DIR / "scenarios"
DEFAULT_SCENARIO = SCENARIOS_DIR / "baseline.yaml"
DEFAULT_SOURCES = DATA_DIR / "sources.yaml"
