"""Headless Chromium for the browser tests and the page benchmark, in one place: where it is,
the flags every launch uses, one Playwright launch of it, and the report pages of a run.

The flags keep Chromium from calling its own services (network time, component updates,
sign-in), which this machine's closed network refuses; ``--headless`` is not among them because
Playwright adds it (a command-line launch adds it itself). Debian's Chromium is used, never a
browser Playwright would download.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
)

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Chromium is not installed (.ci/run installs it for CI)",
)
"""Skip without Chromium, except in CI (where its absence is a failure)."""


@contextmanager
def launched() -> Iterator[Any]:
    """One headless Chromium through Playwright, closed afterwards."""
    assert CHROMIUM is not None, "Chromium is needed in CI: .ci/run installs it"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(FLAGS))
        try:
            yield browser
        finally:
            browser.close()


def report_pages(reports: Path, left_out: frozenset[str]) -> list[Path]:
    """The reports of a run under ``reports`` (``<scenario>/<report>.html``, not hidden), but
    those named in ``left_out``; asserted to be some."""
    found = [
        p
        for p in sorted(reports.glob("*/*.html"))
        if p.stem not in left_out and not p.name.startswith(".")
    ]
    assert found, f"no report under {reports}"
    return found
