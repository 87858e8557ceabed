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

Given the scenario's resolved ranges (:func:`models.uncertainty.ranges.resolve`), each input
also shows its range and the reason for it (``range``, ``range_reason``), and
:func:`estimates_without_range` lists the estimates that no range covers: those the scenario
deliberately holds at their value (``uncertainty.fixed``, with the reason) and those that simply
have no range yet.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import yaml

if TYPE_CHECKING:
    from models.uncertainty.ranges import UncertainInput

__all__ = [
    "GRADE_NAMES",
    "Assumption",
    "EstimatesWithoutRange",
    "comment_grades",
    "describe_range",
    "estimates_without_range",
    "range_of",
    "ranged_paths",
    "register",
]

KeyPath = tuple[str, ...]
"""An input's path from the scenario root, list positions as digits (``("fleet", "jobs",
"service", "labour_hours", "mean")``): the form :mod:`models.uncertainty.ranges` resolves."""

COLUMNS = ("key", "value", "unit", "grade", "meaning", "source", "range", "range_reason")
"""Columns of :func:`register` (``path`` follows them: each row's :data:`KeyPath`)."""

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


def _leaves(value: Any, prefix: str, path: KeyPath) -> Iterator[tuple[str, KeyPath, Any]]:
    """Leaf values of a nested mapping with their register key and path; a list of mappings is
    indexed (``key[0].x``), a list of numbers stays whole (e.g. a 24-hour profile)."""
    if isinstance(value, Mapping):
        for key, child in value.items():
            yield from _leaves(child, f"{prefix}.{key}" if prefix else str(key), (*path, str(key)))
    elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
        for i, child in enumerate(value):
            yield from _leaves(child, f"{prefix}[{i}]", (*path, str(i)))
    else:
        yield prefix, path, value


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
    *,
    inputs: Sequence[UncertainInput] = (),
) -> pd.DataFrame:
    """Every input of ``section`` with its value, unit, grade, source and range.

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
    inputs
        The scenario's ranges resolved (:func:`models.uncertainty.ranges.resolve`): an input
        that one of them moves shows it (:func:`describe_range`) and its reason; the others
        show empty text.
    """
    grades: dict[str, tuple[str, str]] = {}
    for file in reversed(list(files)):
        grades.update(comment_grades(file))
    ranged = ranged_paths(inputs)
    rows = []
    for key, path, value in _leaves(data.get(section, {}), section, (section,)):
        if key.rsplit(".", 1)[-1] in _DESCRIPTIVE:
            continue
        grade, source = _graded(key, grades)
        unit = _unit(key) if isinstance(value, int | float) and not isinstance(value, bool) else ""
        entry = (sources or {}).get(key)
        if entry is not None:
            grade, source = entry.grade, entry.source
            unit = entry.unit or unit
        one = range_of(path, value, ranged)
        rows.append(
            {
                "key": key,
                "value": value,
                "unit": unit,
                "grade": grade or "not stated",
                "meaning": _meaning(grade),
                "source": source,
                "range": "" if one is None else describe_range(one),
                "range_reason": "" if one is None else one.reason,
                "path": path,
            }
        )
    return pd.DataFrame(rows, columns=[*COLUMNS, "path"])


def _meaning(grade: str) -> str:
    if not grade:
        return "no source given: treat as an estimate"
    return " / ".join(GRADE_NAMES[g] for g in grade.split("/") if g in GRADE_NAMES)


# --------------------------------------------------------------------------- ranges


def describe_range(one: UncertainInput) -> str:
    """A range in words: ``"30,000 to 45,000 (most likely 36,000)"``, or for a relative one
    ``"x0.85 to x1.25 (most likely x1)"``; ``", uniform"`` is added to a uniform one."""
    if one.relative:
        text = f"x{one.low:.3g} to x{one.high:.3g} (most likely x{one.mode:.3g})"
    else:
        low, mode, high = (_number(x) for x in (one.low, one.mode, one.high))
        text = f"{low} to {high} (most likely {mode})"
    return f"{text}, uniform" if one.distribution == "uniform" else text


def _number(x: float) -> str:
    """A stated number as a report writes it: thousands separated, else four figures."""
    return f"{x:,.0f}" if abs(x) >= 1000 else f"{x:.4g}"


def ranged_paths(inputs: Sequence[UncertainInput]) -> dict[KeyPath, UncertainInput]:
    """The inputs each range moves, by path (the first range written wins). A relative range
    does not move an input stated as zero, so it does not cover it."""
    out: dict[KeyPath, UncertainInput] = {}
    for one in inputs:
        for key, stated in zip(one.keys, one.stated, strict=True):
            if not (one.relative and stated == 0):
                out.setdefault(tuple(key), one)
    return out


def range_of(
    path: KeyPath, value: Any, ranged: Mapping[KeyPath, UncertainInput]
) -> UncertainInput | None:
    """The range on the register row at ``path``: its own, or, for a list of numbers kept
    whole, the first range on any of its entries."""
    if path in ranged:
        return ranged[path]
    if isinstance(value, list):
        for i in range(len(value)):
            if (*path, str(i)) in ranged:
                return ranged[(*path, str(i))]
    return None


@dataclass(frozen=True)
class EstimatesWithoutRange:
    """The estimates of a register that no range covers, in register order."""

    held_fixed: tuple[tuple[str, str, str], ...]
    """``(key, pattern, reason)`` of each estimate the scenario holds at its value on purpose
    (``uncertainty.fixed``)."""
    no_range: tuple[str, ...]
    """Keys of the estimates with no range yet."""

    def __len__(self) -> int:
        return len(self.held_fixed) + len(self.no_range)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_estimate(grade: str, value: Any) -> bool:
    """An input a range could cover, graded as an estimate (or not graded at all): a number,
    or a list holding numbers. Text, names and switches take no range."""
    numeric = _is_number(value) or (isinstance(value, list) and any(map(_is_number, value)))
    return numeric and ("E" in grade or grade == "not stated")


def _holds(pattern: Sequence[str], path: KeyPath, value: Any) -> bool:
    """Whether a ``fixed`` pattern holds the row at ``path``: the pattern matches the row's
    path or one of its ancestors (``recovery.standard`` holds every standard), or an entry of
    a list kept whole (``recovery.demand.hour_of_day.*``)."""
    leaves = [(*path, str(i)) for i in range(len(value))] if isinstance(value, list) else []
    return any(
        len(pattern) <= len(leaf)
        and all(fnmatchcase(part, want) for part, want in zip(leaf, pattern, strict=False))
        for leaf in [path, *leaves]
    )


def estimates_without_range(table: pd.DataFrame, fixed: Mapping[str, str]) -> EstimatesWithoutRange:
    """The estimates of ``table`` (a :func:`register`, given the resolved ranges) with no range,
    split into those held at their value by a pattern of ``fixed`` (the scenario's
    ``uncertainty.fixed``: pattern -> reason; the first pattern written wins) and the rest."""
    patterns = [(pattern, pattern.split("."), reason) for pattern, reason in fixed.items()]
    held: list[tuple[str, str, str]] = []
    missing: list[str] = []
    for row in table.itertuples(index=False):
        if row.range or not _is_estimate(str(row.grade), row.value):
            continue
        found = next((p for p in patterns if _holds(p[1], row.path, row.value)), None)
        if found is None:
            missing.append(row.key)
        else:
            held.append((row.key, found[0], found[2]))
    return EstimatesWithoutRange(tuple(held), tuple(missing))
