"""Uncertain inputs: the scenario's ranges resolved against the inputs they name.

A range (``uncertainty.ranges`` of a scenario, :mod:`models.scenario.uncertainty_settings`)
names a dotted key pattern; here it becomes an :class:`UncertainInput`: the inputs it matches,
their stated values, its distribution, and its *layer*. An input is in the **cost** layer when
only the cost lines read it (the ``appraisal`` section, or a key below one of the section's
:attr:`~models.section.ServiceSection.cost_keys`): its draws re-price stored simulated volumes.
Any other input is **operational** (demand, service times, rosters): its draws are simulated.

Draws are applied with :func:`replaced`, a nested ``model_copy`` that changes only the branches
on the way to each input (fast enough for thousands of cost samples); :func:`check` proves at
load time that the scenario stays valid at both ends of every range, so no draw between them
can produce an input the schema would refuse.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ValidationError

from models.section import KeyProblem

__all__ = [
    "Layer",
    "UncertainInput",
    "check",
    "inputs_of",
    "numeric_leaves",
    "replaced",
    "resolve",
    "set_values",
]

Layer = Literal["cost", "operational"]
Path = tuple[str, ...]

APPRAISAL = "appraisal"
"""The section every service's cost lines read (discounting, optimism bias, financial case)."""


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain input: a range and the scenario inputs it moves together."""

    name: str
    """The key pattern as written in the scenario."""
    keys: tuple[Path, ...]
    """Every scenario input the pattern matches (full paths from the scenario's root)."""
    stated: tuple[float, ...]
    """The stated value of each matched input."""
    integer: tuple[bool, ...]
    """Whether each matched input is a whole number (its draws are rounded)."""
    low: float
    mode: float
    high: float
    relative: bool
    distribution: Literal["triangular", "uniform"]
    reason: str
    layer: Layer

    @property
    def label(self) -> str:
        """A short name for tables and charts: the pattern without its section, the word
        ``options`` and its wildcards (``"storage costs staff salary"``)."""
        parts = [p for p in self.name.split(".")[1:] if p not in {"*", "options"}]
        return " ".join(parts).replace("_", " ") or self.name

    @property
    def section(self) -> str:
        """The scenario section the input belongs to (a service, or ``appraisal``)."""
        return self.keys[0][0]

    @property
    def stated_value(self) -> float:
        """The input's value as stated: 1 for a relative range (a factor), else the stated
        value of its inputs (all equal; :func:`resolve` refuses otherwise)."""
        return 1.0 if self.relative else self.stated[0]

    def ppf(self, unit: np.ndarray | float) -> np.ndarray:
        """Values of the input at quantiles ``unit`` in [0, 1] (inverse distribution function;
        for a relative range, the factor)."""
        u = np.clip(np.asarray(unit, dtype=float), 0.0, 1.0)
        a, c, b = self.low, self.mode, self.high
        if self.distribution == "uniform":
            return a + u * (b - a)
        split = (c - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (c - a))
        right = b - np.sqrt((1.0 - u) * (b - a) * (b - c))
        return np.where(u < split, left, right)

    def cdf(self, value: float) -> float:
        """The quantile of ``value`` (a factor if relative) in the input's distribution."""
        a, c, b = self.low, self.mode, self.high
        x = min(max(value, a), b)
        if self.distribution == "uniform":
            return (x - a) / (b - a)
        if x <= c:
            return 0.0 if c == a else (x - a) ** 2 / ((b - a) * (c - a))
        return 1.0 - (b - x) ** 2 / ((b - a) * (b - c))

    def values_at(self, value: float) -> dict[Path, float | int]:
        """The matched inputs when the input takes ``value`` (a factor if relative)."""
        out: dict[Path, float | int] = {}
        for key, stated, whole in zip(self.keys, self.stated, self.integer, strict=True):
            x = stated * value if self.relative else value
            out[key] = round(x) if whole else float(x)
        return out

    def describe(self) -> str:
        """The range in words: ``"x0.85 - x1.25 (most likely x1)"`` or ``"30 - 45 (38)"``."""
        if self.relative:
            return f"x{self.low:g} to x{self.high:g} (most likely x{self.mode:g})"
        return f"{self.low:g} to {self.high:g} (most likely {self.mode:g})"


def numeric_leaves(value: Any, path: Path = ()) -> Iterator[tuple[Path, float | int]]:
    """Every number below ``value`` (a validated scenario or a part of one) with its path;
    booleans are not numbers, excluded fields (a scenario's source) are skipped."""
    if isinstance(value, BaseModel):
        for name, info in type(value).model_fields.items():
            if not info.exclude:
                yield from numeric_leaves(getattr(value, name), (*path, name))
    elif isinstance(value, Mapping):
        for key, child in value.items():
            yield from numeric_leaves(child, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for i, child in enumerate(value):
            yield from numeric_leaves(child, (*path, str(i)))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, value


def _matches(pattern: Sequence[str], path: Path) -> bool:
    return len(pattern) == len(path) and all(
        part == want or ("*" in want and fnmatchcase(part, want))
        for part, want in zip(path, pattern, strict=True)
    )


def _candidates(
    leaves: Sequence[tuple[Path, float | int]],
) -> dict[tuple[int, str], list[tuple[Path, float | int]]]:
    """Leaves by (depth, section): a pattern is tried only on the leaves it could match."""
    out: dict[tuple[int, str], list[tuple[Path, float | int]]] = {}
    for key, value in leaves:
        out.setdefault((len(key), key[0]), []).append((key, value))
    return out


def layer_of(scenario: Any, key: Path) -> Layer:
    """``cost`` if only cost lines read the input at ``key``, else ``operational``."""
    section = key[0]
    if section == APPRAISAL:
        return "cost"
    config = getattr(scenario, section, None)
    cost_keys = getattr(type(config), "cost_keys", frozenset())
    return "cost" if any(part in cost_keys for part in key[1:]) else "operational"


def resolve(scenario: Any) -> tuple[UncertainInput, ...]:
    """The scenario's ranges as uncertain inputs, in the order written. Raises
    :class:`~models.section.KeyProblem` (at ``uncertainty.ranges.<pattern>``) for a pattern
    that matches no number, spans sections, or gives an absolute range to inputs of different
    stated values."""
    settings = scenario.uncertainty
    if not settings.ranges and not settings.fixed:
        return ()
    leaves = list(numeric_leaves(scenario))
    by_place = _candidates(leaves)
    claimed: dict[Path, str] = {}
    out = []
    for pattern, setting in settings.ranges.items():
        where = ("uncertainty", "ranges", pattern)
        parts = pattern.split(".")
        if parts[0] in type(scenario).model_fields and getattr(scenario, parts[0]) is None:
            continue  # a service this scenario does not appraise (its section left out)
        pool = leaves if "*" in parts[0] else by_place.get((len(parts), parts[0]), [])
        found = [(key, v) for key, v in pool if _matches(parts, key)]
        if not found:
            raise KeyProblem(where, "matches no number of the scenario")
        if found[0][0][0] in {"uncertainty", "run", "seed", "base_year"}:
            raise KeyProblem(where, "names a run setting, not an input of the appraisal")
        if len({key[0] for key, _ in found}) > 1:
            raise KeyProblem(where, "matches inputs of more than one section")
        stated = tuple(float(v) for _, v in found)
        if not setting.relative and len(set(stated)) > 1:
            raise KeyProblem(
                where,
                f"matches inputs of different stated values ({min(stated):g} to "
                f"{max(stated):g}): give them a relative range, or one range each",
            )
        mode = setting.most_likely
        mode = stated[0] if mode is None else mode
        if not setting.relative and not setting.low <= stated[0] <= setting.high:
            raise KeyProblem(
                where,
                f"the stated value {stated[0]:g} lies outside the range {setting.low:g} "
                f"to {setting.high:g}",
            )
        keys = tuple(key for key, _ in found)
        for key in keys:
            if key in claimed:
                raise KeyProblem(
                    where, f"matches {'.'.join(key)}, which the range {claimed[key]} matches too"
                )
            claimed[key] = pattern
        layers = {layer_of(scenario, key) for key in keys}
        out.append(
            UncertainInput(
                name=pattern,
                keys=keys,
                stated=stated,
                integer=tuple(isinstance(v, int) for _, v in found),
                low=setting.low,
                mode=mode,
                high=setting.high,
                relative=setting.relative,
                distribution=setting.distribution,
                reason=setting.reason,
                layer="cost" if layers == {"cost"} else "operational",
            )
        )
    for pattern in settings.fixed:
        parts = pattern.split(".")
        if parts[0] in type(scenario).model_fields and getattr(scenario, parts[0]) is None:
            continue
        prefixes = {key[: len(parts)] for key, _ in leaves if key[0] == parts[0] or "*" in parts[0]}
        if not any(_matches(parts, prefix) for prefix in prefixes):
            raise KeyProblem(("uncertainty", "fixed", pattern), "matches no input of the scenario")
    return tuple(out)


def inputs_of(inputs: Sequence[UncertainInput], service: str) -> tuple[UncertainInput, ...]:
    """The inputs a study of ``service`` draws: its own and the appraisal's."""
    return tuple(i for i in inputs if i.section in {service, APPRAISAL})


def replaced(value: Any, updates: Mapping[Path, Any]) -> Any:
    """``value`` with the inputs at ``updates``' paths (relative to ``value``) replaced; only
    the branches on the way are copied (``model_copy``, no re-validation: :func:`check` has
    proved both ends of every range valid)."""
    if not updates:
        return value
    if () in updates:
        return updates[()]
    by_head: dict[str, dict[Path, Any]] = {}
    for path, new in updates.items():
        by_head.setdefault(path[0], {})[path[1:]] = new
    if isinstance(value, BaseModel):
        return value.model_copy(
            update={h: replaced(getattr(value, h), sub) for h, sub in by_head.items()}
        )
    if isinstance(value, Mapping):
        return {k: replaced(v, by_head[k]) if k in by_head else v for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [
            replaced(v, by_head[str(i)]) if str(i) in by_head else v for i, v in enumerate(value)
        ]
        return type(value)(items)
    raise KeyError(f"no input below a {type(value).__name__}")


def check(scenario: Any, inputs: Sequence[UncertainInput]) -> None:
    """Refuse (:class:`~models.section.KeyProblem`) a range at whose low or high end a section
    of the scenario would be invalid. Both ends of every range are tried together, and when
    that fails, range by range, to name the one at fault."""
    for end in ("low", "high"):
        try:
            _validate_at(scenario, inputs, end)
        except ValidationError:
            for one in inputs:
                try:
                    _validate_at(scenario, [one], end)
                except ValidationError as error:
                    first = error.errors(include_url=False)[0]
                    at = ".".join(str(p) for p in (one.section, *first["loc"]))
                    raise KeyProblem(
                        ("uncertainty", "ranges", one.name, end),
                        f"at this end of the range, {at} would be refused: {first['msg']}",
                    ) from None


def _validate_at(scenario: Any, inputs: Sequence[UncertainInput], end: str) -> None:
    """Validate each section the inputs touch with every input at its ``end``."""
    updates: dict[str, dict[Path, Any]] = {}
    for one in inputs:
        for key, value in one.values_at(getattr(one, end)).items():
            updates.setdefault(key[0], {})[key[1:]] = value
    for section, sub in updates.items():
        part = getattr(scenario, section)
        data = set_values(part.model_dump(mode="python"), sub)
        type(part).model_validate(data)


def set_values(data: Any, updates: Mapping[Path, Any]) -> Any:
    """A dumped part with the values at ``updates`` set (paths relative to it)."""
    for path, value in updates.items():
        node = data
        for part in path[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(path[-1])] = value
        else:
            node[path[-1]] = value
    return data
