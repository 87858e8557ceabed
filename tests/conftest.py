"""Fixtures shared by the tests of each service (``tests/<service>/``): its declared
:class:`~models.service.Service`, its default section and short runs. The service is the one
the test module's folder is named after; ``tests/contract`` parametrises its own."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

from models.registry import SERVICES
from models.service import Service
from tests.support import section_mapping


def pytest_configure(config: pytest.Config) -> None:
    """Every ``workbook run`` and report context of the session uses one result cache of the
    session's own, never the project's ``.cache/results``: the xdist workers share the folder
    their controller made (entries are written atomically, so two processes may share it), so
    nothing one worker simulated is simulated again by another."""
    inherited = os.environ.get(_SESSION_CACHE) if os.environ.get("PYTEST_XDIST_WORKER") else None
    if inherited:
        folder = inherited
    else:
        folder = tempfile.mkdtemp(prefix="workbook-test-cache-")
        config.stash[_CACHE] = folder  # the process that made it removes it
        os.environ[_SESSION_CACHE] = folder
    os.environ["WORKBOOK_CACHE"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_CACHE, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


_CACHE = pytest.StashKey[str]()
_SESSION_CACHE = "WORKBOOK_TEST_SESSION_CACHE"
"""The session's cache folder, for the xdist workers the controller starts."""


@pytest.fixture(scope="module")
def service(request: pytest.FixtureRequest) -> Service:
    """The service whose folder the test module is in (``tests/recovery/...``: recovery)."""
    return SERVICES[request.path.parent.name]


@pytest.fixture(scope="module")
def config(service: Service) -> Any:
    """The default section, validated."""
    return service.config_type.model_validate(section_mapping(service.name))


@pytest.fixture
def mapping(service: Service) -> dict[str, Any]:
    """The default section as a mapping, to modify in a test."""
    return section_mapping(service.name)


@pytest.fixture(scope="module")
def short(service: Service) -> Callable[..., Any]:
    """``short(config, option, **changes)``: a short run, the service's quick period (fine for
    comparisons on common random numbers, not for absolute levels)."""

    def make(config: Any, option: str, **changes: Any) -> Any:
        return service.run_class(config, option, **{**service.quick, **changes})

    return make
