"""Shared helpers for scenario tests: writing scenario files and running the validator."""

from __future__ import annotations

import copy
import functools
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.support import ROOT, run_workbook

SCENARIOS = ROOT / "data" / "scenarios"
BASELINE = SCENARIOS / "baseline.yaml"


@functools.cache
def _parsed(path: Path, modified_ns: int) -> dict[str, Any]:
    """The file parsed once per version (pure-Python YAML is slow; tests copy the result)."""
    del modified_ns  # part of the cache key only: an edited file is parsed again
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@pytest.fixture
def baseline_mapping() -> dict[str, Any]:
    """The shipped baseline as a plain mapping (a fresh copy per test)."""
    return copy.deepcopy(_parsed(BASELINE, BASELINE.stat().st_mtime_ns))


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """Write a scenario file into tmp_path from a mapping (dumped as YAML) or raw text."""

    def _write(name: str, content: dict[str, Any] | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def _run_validate(*paths: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return run_workbook(*paths, module="workbook.validate", cwd=cwd, timeout=60)


@pytest.fixture
def run_validate() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run ``python -m workbook.validate FILE...`` with this interpreter (the project's venv)."""
    return _run_validate
