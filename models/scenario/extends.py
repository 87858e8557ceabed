"""``extends``: a scenario file that names a parent and overrides only what it says.

The chain is read child first and deep-merged parent first (mappings merge key by key, lists
and scalars are replaced whole), remembering which file set each key so a problem can name the
file at fault and the chain that led to it. ``extends`` may only reach the scenario's own
folder, the shipped scenarios and folders the caller names; cycles and long chains are refused.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from models.scenario.paths import SCENARIOS_DIR
from models.scenario.problems import ScenarioError, _line, _printable
from models.scenario.safe_yaml import _read_mapping

_MAX_EXTENDS = 16  # files in one extends chain


@dataclass(frozen=True)
class _Resolved:
    """The merged mapping of a scenario and the files it came from (child first)."""

    path: str
    data: dict[str, Any]
    files: tuple[str, ...]
    origins: Mapping[tuple[str | int, ...], str]


def _deep_merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Child wins; mappings merge key by key; lists and scalars are replaced whole."""
    merged = dict(parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _record_origins(
    data: Mapping[str, Any],
    path: str,
    origins: dict[tuple[str | int, ...], str],
    prefix: tuple[str | int, ...] = (),
) -> None:
    """Note, for every key path in ``data``, that ``path`` set it (children overwrite)."""
    for key, value in data.items():
        keys = (*prefix, key)
        origins[keys] = path
        if isinstance(value, dict):
            _record_origins(value, path, origins, keys)


def _inside(path: str, folders: Sequence[str]) -> bool:
    """Whether the real ``path`` (links followed) lies inside one of the real ``folders``."""
    real = os.path.realpath(path)
    return any(os.path.commonpath([real, folder]) == folder for folder in folders)


def _allowed_folders(top: str, roots: Sequence[str | os.PathLike[str]]) -> list[str]:
    """Where ``extends`` may reach: the scenario's own folder, the shipped scenarios and
    any folder the caller names explicitly."""
    folders = [
        os.path.dirname(os.path.abspath(top)),
        os.fspath(SCENARIOS_DIR),
        *map(os.fspath, roots),
    ]
    return [os.path.realpath(folder) for folder in folders]


def _chain_note(top: str, files: Sequence[str]) -> str:
    """`` (in parent.yaml, which child.yaml extends)`` for a problem found up the chain, or
    nothing when it is in the file the user gave. Files in the user's folder are named
    relative to it."""
    if len(files) < 2:
        return ""
    here = os.path.dirname(os.path.abspath(top))

    def short(file: str) -> str:
        full = os.path.abspath(file)
        inside = os.path.commonpath([full, here]) == here
        return _printable(os.path.relpath(full, here) if inside else file)

    if len(files) == 2:
        return f" (in {short(files[1])}, which {short(files[0])} extends)"
    chain = " -> ".join(short(file) for file in files)
    return f" (in {short(files[-1])}; extends chain: {chain})"


def _from_user_file(top: str, files: Sequence[str], error: ScenarioError) -> ScenarioError:
    """``error`` (about ``files[-1]``) restated so that every line names the file the user
    gave first and the chain that led to the file at fault."""
    if len(files) < 2:
        return error
    prefix = f"{_printable(files[-1])}: "
    note = _chain_note(top, files)
    lines = [f"{_printable(top)}: {line.removeprefix(prefix)}{note}" for line in error.problems]
    return ScenarioError(lines)


def _extends_target(current: str, data: dict[str, Any]) -> tuple[str, str] | None:
    """What ``current`` extends, as written and as a path from here; None if nothing."""
    if "extends" not in data:
        return None
    target = data.pop("extends")
    if not isinstance(target, str) or not target.strip():
        raise ScenarioError(
            _line(current, ["extends"], "must be a file name relative to this file", target)
        )
    return target, os.path.normpath(os.path.join(os.path.dirname(current), target))


def _resolve(
    path: str | os.PathLike[str],
    roots: Sequence[str | os.PathLike[str]] = (),
    *,
    expected: frozenset[str],
) -> _Resolved:
    """Read a scenario file and everything it extends, and deep-merge them.

    Every file of the chain must be a mapping holding a key of ``expected`` (the scenario's
    top-level keys), or nothing of it is quoted.

    ``extends`` may only reach files inside the scenario's own folder, the shipped scenarios
    folder or a folder in ``roots`` (symbolic links followed before the check), so a scenario
    cannot make the loader read, and quote, a file elsewhere on the machine.
    """
    top = os.fspath(path)
    folders = _allowed_folders(top, roots)
    layers: list[tuple[str, dict[str, Any]]] = []
    current = top
    while True:
        files = [*(file for file, _ in layers), current]
        try:
            data = _read_mapping(current, expected)
            layers.append((current, data))
            extends = _extends_target(current, data)
            if extends is None:
                break
            _check_parent(current, *extends, layers, folders)
        except ScenarioError as error:
            raise _from_user_file(top, files, error) from None
        current = extends[1]

    merged: dict[str, Any] = {}
    origins: dict[tuple[str | int, ...], str] = {}
    for file, data in reversed(layers):
        merged = _deep_merge(merged, data)
        _record_origins(data, file, origins)
    return _Resolved(top, merged, tuple(p for p, _ in layers), origins)


def _check_parent(
    current: str,
    target: str,
    parent: str,
    layers: Sequence[tuple[str, Any]],
    folders: Sequence[str],
) -> None:
    """Refuse an ``extends`` target outside the allowed folders, missing, or in a cycle."""
    if not _inside(parent, folders):
        raise ScenarioError(
            _line(
                current,
                ["extends"],
                "must name a file in the scenario's own folder or in data/scenarios "
                "(another folder only when named explicitly); nothing was read",
                target,
            )
        )
    real = os.path.realpath(parent)
    if any(os.path.realpath(seen) == real for seen, _ in layers):
        cycle = " -> ".join(_printable(p) for p, _ in layers) + f" -> {_printable(parent)}"
        raise ScenarioError(_line(current, ["extends"], f"cycle: {cycle}"))
    if not os.path.exists(parent):
        raise ScenarioError(_line(current, ["extends"], "file not found", target))
    if len(layers) >= _MAX_EXTENDS:
        raise ScenarioError(_line(current, ["extends"], f"chain longer than {_MAX_EXTENDS} files"))
