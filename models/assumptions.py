"""The register of assumptions: every input of a scenario section with its value, unit and source.

The scenario files are the single place where an assumption and its source are written: each
value carries a trailing comment that starts with its grade, ``[S]`` published, ``[D]`` derived
from published figures, ``[E]`` an estimate, followed by the source, e.g.::

    annual_vehicles: 36000   # [S/D] "over 36,000 a year" processed (MOPAC PCD 747, 2020)

This module reads those comments (from the YAML node positions, so no second copy of the
assumptions can drift from the first) and lists every leaf value of a section with the grade and
source of its own line or, failing that, of the nearest enclosing key that has one. A value whose
line and ancestors carry no grade is listed as "not stated", so a report shows it rather than
passing it off as fact. ``data/sources.yaml`` entries, where present, take precedence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

__all__ = ["GRADE_NAMES", "Assumption", "comment_grades", "register"]

GRADE_NAMES = {
    "S": "published",
    "D": "derived",
    "E": "estimate",
}
"""Meaning of the grade letters used in the scenario files and ``data/sources.yaml``."""

_TAG = re.compile(r"\[([SDE](?:\s*/\s*[SDE])*)(?:\s*,\s*([^\]]*))?\]")

_UNITS: tuple[tuple[str, str], ...] = (
    ("_hours", "hours"),
    ("_days", "days"),
    ("_years", "years"),
    ("share", "share (0-1)"),
    ("growth", "per year (fraction)"),
    ("allowance", "fraction of salary"),
    ("on_costs", "fraction of pay"),
    ("salary", "£ a year"),
    ("per_year", "£ a year"),
    ("amount", "£"),
    ("unit_cost", "£ each"),
    ("price", "£"),
    ("cost", "£"),
    ("charge", "£"),
    ("fee", "£"),
    ("removal", "£"),
    ("disposal", "£"),
    ("capacity", "units"),
    ("annual_", "a year"),
)


_DESCRIPTIVE = frozenset({"label", "description", "provider", "kind"})
"""Keys that describe rather than assume (shown elsewhere in a report)."""


@dataclass(frozen=True)
class Assumption:
    """One input value with its provenance."""

    key: str
    value: Any
    unit: str
    grade: str
    source: str


def _unit(key: str) -> str:
    """A unit guessed from the key's last part (the files name units in their keys)."""
    last = key.rsplit(".", 1)[-1]
    if last in {"mean", "sd", "low", "high", "mode", "value"}:
        parent = key.rsplit(".", 2)[-2] if key.count(".") >= 1 else ""
        return _unit(parent) if parent.endswith(("_time", "_hours")) or "time" in parent else ""
    if last.endswith("_time") or "time_to" in last:
        return "hours"
    for marker, unit in _UNITS:
        if marker in last:
            return unit
    return ""


def _comment(line: str) -> tuple[str, str] | None:
    """``(grade letters, source text)`` from a line's trailing comment, if it opens with a grade.

    ``# [S] text``, ``# [S/D] text``, ``# [S]/[E] text`` and ``# [S, one force] text`` are read;
    a comment with a grade only later in its text is not (it grades something else).
    """
    hash_at = _comment_start(line)
    if hash_at < 0:
        return None
    rest = line[hash_at + 1 :].strip()
    letters: list[str] = []
    qualifiers: list[str] = []
    while (match := _TAG.match(rest)) is not None:
        letters.extend(re.findall(r"[SDE]", match.group(1)))
        if match.group(2):
            qualifiers.append(match.group(2).strip())
        rest = rest[match.end() :].lstrip(" /")
    if not letters:
        return None
    source = rest.strip()
    if qualifiers:
        source = f"{source} ({'; '.join(qualifiers)})" if source else "; ".join(qualifiers)
    return "/".join(dict.fromkeys(letters)), source


def _comment_start(line: str) -> int:
    """Index of the ``#`` that starts a comment (not one inside quotes), or -1."""
    quote = ""
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return -1


def _walk(node: yaml.Node, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], int]]:
    """Every mapping key below ``node`` as (dotted path, line number)."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                child = (*path, str(key.value))
                yield child, key.start_mark.line
                yield from _walk(value, child)


def comment_grades(path: str | Path) -> dict[str, tuple[str, str]]:
    """Grade and source of every key of one YAML file that carries a graded comment."""
    text = Path(path).read_text(encoding="utf-8")
    lines = text.splitlines()
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    out: dict[str, tuple[str, str]] = {}
    if root is None:
        return out
    for keys, line in _walk(root, ()):
        found = _comment(lines[line]) if line < len(lines) else None
        if found is None:
            found = _comment_above(lines, line)
        if found:
            out[".".join(keys)] = found
    return out


def _comment_above(lines: Sequence[str], line: int) -> tuple[str, str] | None:
    """The grade of the block of whole-line comments just above ``line``: its first line that
    opens with a grade (``# [E] relative requests by hour of day``). A legend of the grades
    (three or more tags on a line) grades nothing."""
    above = line - 1
    while above >= 0 and (text := lines[above].strip()).startswith("#"):
        found = _comment(text) if len(_TAG.findall(text)) < 3 else None
        if found:
            return found
        above -= 1
    return None


def _leaves(value: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Leaf values of a nested mapping; lists of numbers stay whole (e.g. a 24-hour profile)."""
    if isinstance(value, Mapping):
        for key, child in value.items():
            yield from _leaves(child, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for i, child in enumerate(value):
            yield from _leaves(child, f"{prefix}[{i}]")
    else:
        yield prefix, value


def _graded(key: str, grades: Mapping[str, tuple[str, str]]) -> tuple[str, str]:
    """The grade of ``key`` or of its nearest graded ancestor."""
    probe = re.sub(r"\[\d+\]", "", key)
    while probe:
        if probe in grades:
            return grades[probe]
        probe = probe.rpartition(".")[0]
    return "", ""


def register(
    data: Mapping[str, Any],
    section: str,
    files: Sequence[str | Path],
    sources: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Every input of ``section`` with its value, unit, grade and source.

    Parameters
    ----------
    data
        The scenario as a plain mapping (``Scenario.model_dump(mode="json")``).
    section
        Top-level key, e.g. ``"recovery"`` or ``"appraisal"``.
    files
        The scenario's files, its own first then what it extends (``Scenario.chain``): a key's
        grade comes from the first file that grades it.
    sources
        Entries of ``data/sources.yaml`` (dotted key -> object with ``grade``, ``source`` and
        ``unit``), which take precedence.
    """
    grades: dict[str, tuple[str, str]] = {}
    for file in reversed(list(files)):
        grades.update(comment_grades(file))
    rows = []
    for key, value in _leaves(data.get(section, {}), section):
        if key.rsplit(".", 1)[-1] in _DESCRIPTIVE:
            continue
        grade, source = _graded(key, grades)
        unit = _unit(key) if isinstance(value, int | float) and not isinstance(value, bool) else ""
        entry = (sources or {}).get(key)
        if entry is not None:
            grade, source = entry.grade, entry.source
            unit = entry.unit or unit
        rows.append(
            {
                "key": key,
                "value": value,
                "unit": unit,
                "grade": grade or "not stated",
                "meaning": _meaning(grade),
                "source": source,
            }
        )
    return pd.DataFrame(rows, columns=["key", "value", "unit", "grade", "meaning", "source"])


def _meaning(grade: str) -> str:
    if not grade:
        return "no source given: treat as an estimate"
    return " / ".join(GRADE_NAMES[g] for g in grade.split("/") if g in GRADE_NAMES)
