"""Loading a scenario: read and resolve its ``extends`` chain, validate, hash, list.

Nothing in a file is ever executed; every problem found comes back at once as one
:class:`~models.scenario.problems.ScenarioError` with one line per problem.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from models.registry import SERVICES, Registry
from models.scenario.extends import _resolve, _Resolved
from models.scenario.paths import SCENARIOS_DIR
from models.scenario.problems import ScenarioError, _line
from models.scenario.schema import _LOADER_ONLY_KEYS, ScenarioBase, scenario_keys, scenario_model
from models.scenario.validation_messages import format_validation_error

__all__ = ["load_scenario", "scenario_paths", "scenario_sha256"]


def _validate(resolved: _Resolved, model: type[ScenarioBase]) -> ScenarioBase:
    """Validate a resolved mapping as a scenario of ``model``, collecting every problem."""
    refused = [key for key in _LOADER_ONLY_KEYS if key in resolved.data]
    data = {key: value for key, value in resolved.data.items() if key not in refused}
    problems = [_line(resolved.path, [key], "is set by the loader: remove it") for key in refused]
    source = Path(os.path.abspath(resolved.path))
    chain = tuple(Path(os.path.abspath(file)) for file in resolved.files)
    try:
        scenario = model.model_validate({**data, "source": source, "chain": chain})
    except ValidationError as error:
        problems += format_validation_error(
            error, resolved.path, data, model, resolved.origins, resolved.files
        )
    if problems:
        raise ScenarioError(problems)
    return scenario


def load_scenario(
    path: str | os.PathLike[str],
    roots: Sequence[str | os.PathLike[str]] = (),
    registry: Registry = SERVICES,
) -> ScenarioBase:
    """Load, resolve ``extends`` and validate a scenario file.

    ``roots`` names folders, besides the scenario's own and ``data/scenarios``, that its
    ``extends`` chain may reach; ``registry`` the services whose sections it may hold.

    Raises
    ------
    ScenarioError
        With one line per problem; nothing in the file is ever executed.
    """
    model = scenario_model(registry)
    return _validate(_resolve(path, roots, expected=scenario_keys(model)), model)


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


def scenario_sha256(
    path: str | os.PathLike[str], *, model: type[ScenarioBase] | None = None
) -> str:
    """SHA-256 of the resolved scenario: canonical JSON of the merged YAML mapping.

    Comments, key order, formatting and file locations do not change it; any value that
    changes, in the file or in a file it extends, does. The file must be a valid scenario of
    ``model`` (the workbook's own services' schema unless told; a loaded scenario's
    ``type(scenario)`` is the schema it was loaded with).
    """
    model = model or scenario_model(SERVICES)
    resolved = _resolve(path, expected=scenario_keys(model))
    _validate(resolved, model)
    canonical = json.dumps(
        resolved.data,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def scenario_paths(directory: str | os.PathLike[str] = SCENARIOS_DIR) -> list[Path]:
    """The scenario files in ``directory`` (``*.yaml``), sorted by name."""
    return sorted(Path(directory).glob("*.yaml"))
