"""Scenario files: safe loading, ``extends`` resolution, validation and one-line problems.

A scenario is a small YAML file (``data/scenarios/*.yaml``) holding every setting a run needs:
its name and description, the random seed, the price base year, run settings and the Green Book
appraisal settings. Service sections (``recovery``, ``fleet``, ``catering``) arrive in later
issues as optional fields of :class:`Scenario`; the loader knows nothing section-specific, so
adding a field is all it takes.

Every problem a user can make (broken YAML, unknown key, wrong type, out-of-range value, missing
section, ``extends`` cycle, missing file) becomes ONE line of the form::

    data/scenarios/growth.yaml: run.replications: must be at least 2 (got -3)

collected in :class:`ScenarioError` (``.problems`` holds all lines). YAML is read with
``yaml.safe_load`` only; tags that would construct Python objects are refused before anything is
constructed.

The module also loads the register of assumptions (``data/sources.yaml``): every default value
with its unit, grade (S published, D derived, E estimate) and source, so reports can show each
assumption next to where it came from.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
import json
import math
import os
import re
import reprlib
import stat
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Strict,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from models.catering.config import CateringConfig
from models.fleet.config import FleetConfig
from models.recovery.config import RecoveryConfig

__all__ = [
    "DATA_DIR",
    "DEFAULT_SCENARIO",
    "DEFAULT_SOURCES",
    "GRADE_MEANINGS",
    "OPTIMISM_BIAS_CATEGORIES",
    "SCENARIOS_DIR",
    "AppraisalSettings",
    "DiscountStep",
    "OptimismBias",
    "RunSettings",
    "Scenario",
    "ScenarioError",
    "Source",
    "format_validation_error",
    "green_book_discount_rates",
    "load_scenario",
    "load_sources",
    "scenario_paths",
    "scenario_sha256",
]

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
SCENARIOS_DIR = DATA_DIR / "scenarios"
DEFAULT_SCENARIO = SCENARIOS_DIR / "baseline.yaml"
DEFAULT_SOURCES = DATA_DIR / "sources.yaml"

GRADE_MEANINGS: Mapping[str, str] = types.MappingProxyType(
    {
        "S": "published figure",
        "D": "derived from published figures",
        "E": "estimate",
    }
)

# Limits that keep a hostile or mistaken file from costing time or memory. Scenario files are
# small: a few hundred values at most, even with every service section filled in.
_MAX_FILE_BYTES = 1_000_000
_MAX_NODES = 20_000  # YAML nodes visited, counting every expansion of an alias
_MAX_DEPTH = 40  # nesting of mappings and lists
_MAX_NUMBER_CHARS = 100  # longer number literals are refused before Python parses them
_MAX_EXTENDS = 16  # files in one extends chain
_REPR_CHARS = 32  # offending value shown in a problem line
_KEY_CHARS = 40  # one key of a dotted key shown in a problem line
_LINE_CHARS = 600  # a whole problem line, whatever it quotes


# --------------------------------------------------------------------------------------------
# Problems
# --------------------------------------------------------------------------------------------


class ScenarioError(Exception):
    """One or more problems with a scenario file, each a single line.

    ``str(error)`` is the first problem, plus ``" (and N more)"`` when there are several; the
    command line prints every entry of ``problems`` on its own line.
    """

    def __init__(self, problems: str | Sequence[str]) -> None:
        lines = [problems] if isinstance(problems, str) else list(problems)
        # The contract is one line per problem, whatever text a user managed to smuggle in.
        self.problems: list[str] = [_one_line(line) for line in lines] or ["unknown problem"]
        first = self.problems[0]
        more = len(self.problems) - 1
        super().__init__(f"{first} (and {more} more)" if more else first)


def _one_line(text: str) -> str:
    """A problem as one line of at most ``_LINE_CHARS`` characters, visibly cut if longer."""
    line = " ".join(text.splitlines())
    return line if len(line) <= _LINE_CHARS else line[: _LINE_CHARS - 12] + "… (cut short)"


def _printable(text: str) -> str:
    """Text safe for a one-line terminal message (control characters escaped)."""
    if text.isprintable():
        return text
    return repr(text)[1:-1]


def _clipped(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was when it is cut."""
    if len(text) <= limit:
        return text
    return f"{text[: limit - 1]}… ({len(text):,} characters)"


_repr = reprlib.Repr()
_repr.maxstring = _REPR_CHARS + 10
_repr.maxother = _REPR_CHARS + 10
_repr.maxlong = _REPR_CHARS + 10
_repr.maxlist = _repr.maxtuple = _repr.maxdict = _repr.maxset = 4
_repr.maxlevel = 3


def _short_repr(value: Any) -> str:
    """``repr`` of an offending value: its start only, cut visibly to about 32 characters."""
    if isinstance(value, str) and len(value) > _REPR_CHARS:
        return f"{value[: _REPR_CHARS - 8]!r}… ({len(value):,} characters)"
    text = _repr.repr(value)
    if len(text) > _REPR_CHARS:
        text = text[: _REPR_CHARS - 1] + "…"
    return text


def _dotted(keys: Sequence[str | int]) -> str:
    """``('appraisal', 'discount', 1, 'rate')`` -> ``appraisal.discount[1].rate``."""
    out = ""
    for key in keys:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += ("." if out else "") + _clipped(_printable(str(key)), _KEY_CHARS)
    return out


def _line(path: str, keys: Sequence[str | int], message: str, value: Any = ...) -> str:
    """One problem line: ``<path>: <dotted.key>: <message> (got <value>)``."""
    parts = [_printable(path)]
    if keys:
        parts.append(_dotted(keys))
    text = ": ".join([*parts, message])
    if value is not ...:
        text += f" (got {_short_repr(value)})"
    return text


# --------------------------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------------------------

_CONFIG = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

Text = Annotated[str, Strict(), StringConstraints(strip_whitespace=True, min_length=1)]
Percent = Annotated[float, Strict(), Field(ge=0, le=200)]


def _days(low: int) -> Any:
    return Annotated[int, Strict(), Field(ge=low, le=3650)]


class RunSettings(BaseModel):
    """How much to simulate: replications and simulated days, for full and ``--quick`` runs.

    Each replication simulates ``warmup_days`` (discarded) followed by ``horizon_days`` whose
    statistics are kept (``quick_horizon_days`` for a quick run). The simulation clock is in
    hours; the ``*_hours`` properties convert.
    """

    model_config = _CONFIG

    replications: Annotated[int, Strict(), Field(ge=2, le=10_000)]
    quick_replications: Annotated[int, Strict(), Field(ge=2, le=10_000)]
    horizon_days: _days(1)
    quick_horizon_days: _days(1)
    warmup_days: _days(0)

    @field_validator("quick_replications")
    @classmethod
    def _quick_not_more(cls, value: int, info: ValidationInfo) -> int:
        full = info.data.get("replications")
        if full is not None and value > full:
            raise PydanticCustomError(
                "quick_too_many", "must not exceed run.replications ({full})", {"full": full}
            )
        return value

    @field_validator("quick_horizon_days")
    @classmethod
    def _quick_not_longer(cls, value: int, info: ValidationInfo) -> int:
        full = info.data.get("horizon_days")
        if full is not None and value > full:
            raise PydanticCustomError(
                "quick_too_long", "must not exceed run.horizon_days ({full})", {"full": full}
            )
        return value

    @property
    def horizon_hours(self) -> float:
        """Kept horizon of a full run, in hours."""
        return 24.0 * self.horizon_days

    @property
    def quick_horizon_hours(self) -> float:
        """Kept horizon of a quick run, in hours."""
        return 24.0 * self.quick_horizon_days

    @property
    def warmup_hours(self) -> float:
        """Warm-up simulated before statistics start, in hours."""
        return 24.0 * self.warmup_days


class DiscountStep(BaseModel):
    """From ``from_year`` (year 0 = the base year) on, discount at ``rate`` a year (real)."""

    model_config = _CONFIG

    from_year: Annotated[int, Strict(), Field(ge=0, le=1000)]
    rate: Annotated[float, Strict(), Field(ge=0, le=0.2)]


_GREEN_BOOK_SCHEDULE: tuple[DiscountStep, ...] = tuple(
    DiscountStep(from_year=year, rate=rate)
    for year, rate in (
        (0, 0.035),
        (31, 0.030),
        (76, 0.025),
        (126, 0.020),
        (201, 0.015),
        (301, 0.010),
    )
)


def green_book_discount_rates() -> tuple[DiscountStep, ...]:
    """HM Treasury Green Book real discount schedule (3.5 % for years 0-30, 3.0 % 31-75, ...).

    Source: HM Treasury, The Green Book (grade S). Discounting itself lives in
    ``models.appraisal``; this is only the published table.
    """
    return _GREEN_BOOK_SCHEDULE


def _check_schedule(steps: tuple[DiscountStep, ...]) -> tuple[DiscountStep, ...]:
    """A discount schedule starts at year 0 and its years strictly increase."""
    if steps[0].from_year != 0:
        raise PydanticCustomError("schedule_start", "first step must have from_year 0")
    for before, after in itertools.pairwise(steps):
        if after.from_year <= before.from_year:
            raise PydanticCustomError(
                "schedule_order",
                "from_year must increase step by step ({after} follows {before})",
                {"after": after.from_year, "before": before.from_year},
            )
    return steps


def _discount_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "named"
    if isinstance(value, list | tuple):
        return "schedule"
    return None


DiscountSetting = Annotated[
    Annotated[Literal["green_book"], Tag("named")]
    | Annotated[
        tuple[DiscountStep, ...],
        Field(min_length=1, max_length=50),
        AfterValidator(_check_schedule),
        Tag("schedule"),
    ],
    Discriminator(
        _discount_kind,
        custom_error_type="discount_kind",
        custom_error_message="must be 'green_book' or a list of {from_year, rate} steps",
    ),
]


class OptimismBias(BaseModel):
    """Optimism-bias uplift, in percent, for each cost category.

    Defaults follow HM Treasury's supplementary Green Book guidance on optimism bias (upper
    bounds at the start of an appraisal; reduce only with evidence that risks are managed), as
    recorded with grades in ``data/sources.yaml``. Categories:

    staff, operating
        in-house pay and running costs, known from current budgets (0 %, estimate).
    outsourced_operating
        contractor charges: the guidance's outsourcing projects, operating cost 0-41 %.
    contract, client_function
        procurement/contract-letting and the retained client team (outsourcing bound, derived).
    capital
        capital spend: standard buildings 24 % (equipment/development would be up to 200 %).
    transition
        one-off change costs such as TUPE transfer and redundancy (estimate).
    """

    model_config = _CONFIG

    staff: Percent = 0.0
    operating: Percent = 0.0
    outsourced_operating: Percent = 41.0
    contract: Percent = 41.0
    capital: Percent = 24.0
    transition: Percent = 41.0
    client_function: Percent = 41.0

    def as_dict(self) -> dict[str, float]:
        """Category -> percent uplift."""
        return {name: float(getattr(self, name)) for name in type(self).model_fields}

    def __getitem__(self, category: str) -> float:
        if category not in type(self).model_fields:
            raise KeyError(category)
        return float(getattr(self, category))

    def factor(self, category: str) -> float:
        """Multiplier for a cost in ``category`` (e.g. 1.41 for 41 %)."""
        return 1.0 + self[category] / 100.0


OPTIMISM_BIAS_CATEGORIES: tuple[str, ...] = tuple(OptimismBias.model_fields)


class AppraisalSettings(BaseModel):
    """Green Book appraisal settings: period, discount schedule and optimism bias."""

    model_config = _CONFIG

    period_years: Annotated[int, Strict(), Field(ge=1, le=60)]
    discount: DiscountSetting
    optimism_bias: OptimismBias = Field(default_factory=OptimismBias)

    @property
    def discount_schedule(self) -> tuple[DiscountStep, ...]:
        """The discount steps in force (the Green Book's when ``discount`` is 'green_book')."""
        if isinstance(self.discount, str):
            return green_book_discount_rates()
        return self.discount


class Scenario(BaseModel):
    """A validated scenario. ``source`` and ``chain`` are set by the loader, not the file.

    ``chain`` lists the files read, the scenario's own file first, then what it extends, and so
    on up to the root. Each service has an optional section (``recovery``, ...); a report on a
    service refuses a scenario without its section.
    """

    model_config = _CONFIG

    name: Annotated[
        str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    description: Annotated[
        str, Strict(), StringConstraints(strip_whitespace=True, min_length=1, max_length=5000)
    ]
    seed: Annotated[int, Strict(), Field(ge=0, le=2**63 - 1)]
    base_year: Annotated[int, Strict(), Field(ge=1990, le=2100)]
    run: RunSettings
    appraisal: AppraisalSettings
    recovery: RecoveryConfig | None = None
    fleet: FleetConfig | None = None
    catering: CateringConfig | None = None

    source: Path = Field(exclude=True)
    chain: tuple[Path, ...] = Field(exclude=True)

    @property
    def slug(self) -> str:
        """Short name for ``reports/<slug>/``: the file stem, made safe as a folder name."""
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", self.source.stem).strip(".-")
        return slug or "scenario"

    def setting(self, key: str) -> Any:
        """The value at a dotted key such as ``appraisal.optimism_bias.capital``.

        Reports use it to show each assumption of the register with the value this scenario
        actually uses. Raises ``KeyError`` for a key the scenario does not have.
        """
        value: Any = self.model_dump()
        for part in key.split("."):
            if not isinstance(value, dict) or part not in value:
                raise KeyError(key)
            value = value[part]
        return value


# Keys a scenario file may hold besides the model's fields, and fields it may not set.
_FILE_ONLY_KEYS = ("extends",)
_LOADER_ONLY_KEYS = ("source", "chain")
# A file with none of these at its top level is not a scenario, and none of it is quoted.
_SCENARIO_KEYS = frozenset(
    [name for name, info in Scenario.model_fields.items() if not info.exclude]
    + list(_FILE_ONLY_KEYS)
)


# --------------------------------------------------------------------------------------------
# Reading YAML safely
# --------------------------------------------------------------------------------------------

_YAML = "tag:yaml.org,2002:"
_ALLOWED_TAGS = frozenset(
    _YAML + name
    for name in ("null", "bool", "int", "float", "str", "seq", "map", "timestamp", "merge")
)


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_YAML) :] if tag.startswith(_YAML) else tag


def _yaml_error_line(path: str, error: yaml.YAMLError) -> str:
    """A YAML error as ``<path>: line N, column C: YAML syntax error: ...``."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        text = f"{_printable(path)}: "
        if mark is not None:
            text += f"line {mark.line + 1}, column {mark.column + 1}: "
        text += f"YAML syntax error: {error.problem or error.context or 'invalid YAML'}"
        if error.context and error.problem:
            started = error.context_mark
            text += f" ({error.context}"
            if started is not None and mark is not None and started.line != mark.line:
                text += f" that starts at line {started.line + 1}"
            text += ")"
        return text
    return f"{_printable(path)}: YAML syntax error: {' '.join(str(error).split())}"


@dataclass
class _NodeCheck:
    """Walks the composed YAML (nodes only, nothing constructed) looking for hazards."""

    path: str
    budget: int = _MAX_NODES
    problems: list[str] = field(default_factory=list)

    def problem(
        self, keys: Sequence[str | int], node: yaml.Node, message: str, detail: str = ""
    ) -> None:
        where = f"line {node.start_mark.line + 1}" + (f"; {detail}" if detail else "")
        self.problems.append(_line(self.path, keys, f"{message} ({where})"))

    def walk(self, node: yaml.Node, keys: tuple[str | int, ...], active: frozenset[int]) -> None:
        self.budget -= 1
        if self.budget < 0 or len(self.problems) >= 20:
            return
        if self.budget == 0:
            self.problem(keys, node, f"too many values (limit {_MAX_NODES}, counting aliases)")
            return
        if len(keys) > _MAX_DEPTH:
            self.problem(keys, node, f"nested too deeply (limit {_MAX_DEPTH} levels)")
            return
        if node.tag not in _ALLOWED_TAGS:
            self.problem(
                keys,
                node,
                f"YAML tag {_show_tag(node.tag)} is not allowed: "
                "scenario files hold plain data only",
            )
            return
        if id(node) in active:
            self.problem(keys, node, "an alias refers to itself")
            return
        if isinstance(node, yaml.ScalarNode):
            if node.tag in (_YAML + "int", _YAML + "float") and len(node.value) > _MAX_NUMBER_CHARS:
                self.problem(keys, node, f"number has more than {_MAX_NUMBER_CHARS} characters")
            return
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self.walk(item, (*keys, index), inner)
            return
        self.walk_mapping(node, keys, inner)

    def walk_mapping(
        self, node: yaml.MappingNode, keys: tuple[str | int, ...], active: frozenset[int]
    ) -> None:
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _YAML + "merge":
                self.walk(value_node, keys, active)
                continue
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == _YAML + "str"):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "[...]"
                shown = _printable(shown[:_REPR_CHARS])
                self.problem(keys, key_node, f"keys must be text, not {shown!s}")
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in first_line:
                self.problem(
                    (*keys, key), key_node, "duplicate key", f"first at line {first_line[key]}"
                )
                continue
            first_line[key] = line
            self.walk(value_node, (*keys, key), active)


def _read_bytes(path: str) -> bytes:
    """The bytes of a regular file, refusing anything else without blocking on it.

    ``O_NONBLOCK`` makes opening a named pipe return at once instead of waiting for a writer;
    the file type is then checked on the open descriptor, so a FIFO, a device or a directory
    is refused before a byte is read.
    """
    shown = _printable(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except FileNotFoundError:
        raise ScenarioError(f"{shown}: file not found") from None
    except IsADirectoryError:
        raise ScenarioError(f"{shown}: is a directory, not a YAML file") from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise ScenarioError(f"{shown}: cannot read the file ({reason})") from None
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISDIR(mode):
            raise ScenarioError(f"{shown}: is a directory, not a YAML file")
        if not stat.S_ISREG(mode):
            raise ScenarioError(f"{shown}: not a regular file (a pipe, device or socket)")
        try:
            raw = handle.read(_MAX_FILE_BYTES + 1)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise ScenarioError(f"{shown}: cannot read the file ({reason})") from None
    if len(raw) > _MAX_FILE_BYTES:
        raise ScenarioError(
            f"{shown}: file is larger than {_MAX_FILE_BYTES:,} bytes; scenario files are small"
        )
    return raw


def _compose(path: str, raw: bytes) -> tuple[str, yaml.Node | None]:
    """Decode and compose the YAML (nodes only: no Python object is constructed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            f"{_printable(path)}: not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None
    try:
        return text, yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise ScenarioError(_yaml_error_line(path, error)) from None
    except RecursionError:
        raise ScenarioError(f"{_printable(path)}: YAML nested too deeply") from None


def _node_kind(node: yaml.Node) -> str:
    """``list``, ``number``, ``text``... for a composed node, naming its type, not its value."""
    if isinstance(node, yaml.SequenceNode):
        return "list"
    name = node.tag.removeprefix(_YAML)
    return {"str": "text", "int": "number", "float": "number", "bool": "true/false"}.get(
        name, "single value"
    )


def _check_kind(path: str, root: yaml.Node | None, expected: frozenset[str]) -> None:
    """Refuse, quoting nothing of it, a file that is not a mapping with a key of ``expected``.

    A file given by mistake (or by a link) may hold anything, a password or a token among
    it: until it looks like the kind of file wanted, no line of it is echoed back.
    """
    shown = _printable(path)
    if root is None:
        raise ScenarioError(f"{shown}: file is empty (expected a mapping of settings)")
    if not isinstance(root, yaml.MappingNode):
        raise ScenarioError(
            f"{shown}: top level: must be a mapping of keys to values, not a "
            f"{_node_kind(root)}; not a scenario file, so nothing of it is shown"
        )
    keys = {key.value for key, _ in root.value if isinstance(key, yaml.ScalarNode)}
    if not keys & expected:
        wanted = ", ".join(sorted(expected)[:6])
        raise ScenarioError(
            f"{shown}: top level: has none of the keys of a scenario ({wanted}, ...); "
            "not a scenario file, so nothing of it is shown"
        )


def _read_mapping(path: str, expected: frozenset[str]) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping holding a key of ``expected``."""
    text, root = _compose(path, _read_bytes(path))
    _check_kind(path, root, expected)
    check = _NodeCheck(path)
    check.walk(root, (), frozenset())
    if check.problems:
        raise ScenarioError(check.problems)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ScenarioError(_yaml_error_line(path, error)) from None
    except RecursionError:
        raise ScenarioError(f"{_printable(path)}: YAML nested too deeply") from None
    return data


# --------------------------------------------------------------------------------------------
# extends
# --------------------------------------------------------------------------------------------


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
    path: str | os.PathLike[str], roots: Sequence[str | os.PathLike[str]] = ()
) -> _Resolved:
    """Read a scenario file and everything it extends, and deep-merge them.

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
            data = _read_mapping(current, _SCENARIO_KEYS)
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


# --------------------------------------------------------------------------------------------
# pydantic errors -> one-line problems
# --------------------------------------------------------------------------------------------


def _clean_loc(loc: Sequence[Any], data: Any) -> tuple[str | int, ...]:
    """Drop union tags (and ``[key]`` markers) from an error location by walking the input."""
    out: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if part == "[key]":
            continue
        if isinstance(current, dict):
            if part in current:
                out.append(part)
                current = current[part]
            elif last:
                out.append(part)  # a missing or refused key
            continue  # otherwise a union tag
        if isinstance(current, list | tuple) and isinstance(part, int):
            out.append(part)
            current = current[part] if 0 <= part < len(current) else None
        # anything else is a union tag inside a scalar
    return tuple(out)


def _members(annotation: Any) -> list[Any]:
    """The alternatives of an annotation, with Annotated and unions unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _members(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [m for arg in typing.get_args(annotation) for m in _members(arg)]
    return [annotation]


def _step(annotation: Any, key: str | int) -> Any:
    for member in _members(annotation):
        origin = typing.get_origin(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            if isinstance(key, str) and key in member.model_fields:
                return member.model_fields[key].annotation
        elif origin in (list, tuple) and isinstance(key, int):
            return typing.get_args(member)[0]
        elif origin in (dict, Mapping) and isinstance(key, str):
            return typing.get_args(member)[1]
    return None


def _allowed_keys(model: type[BaseModel], parent: Sequence[str | int]) -> list[str] | None:
    """Keys a file may write at ``parent`` (None when no single model lives there)."""
    annotation: Any = model
    for key in parent:
        annotation = _step(annotation, key)
        if annotation is None:
            return None
    models = [m for m in _members(annotation) if isinstance(m, type) and issubclass(m, BaseModel)]
    if len(models) != 1:
        return None
    keys = [name for name, field in models[0].model_fields.items() if not field.exclude]
    if models[0] is Scenario and not parent:
        keys += list(_FILE_ONLY_KEYS)
    return keys


def _unknown_key(key: Any, allowed: list[str] | None) -> str:
    if not allowed:
        return "unknown key"
    if isinstance(key, str):
        lowered = {name.lower(): name for name in allowed}
        close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.6)
        if close:
            return f"unknown key (did you mean '{lowered[close[0]]}'?)"
    return f"unknown key (expected one of: {', '.join(allowed)})"


def _looks_numeric(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    try:
        float(value.replace("_", ""))
    except ValueError:
        return False
    return True


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _message(error: Mapping[str, Any], model: type[BaseModel], keys: tuple) -> str:
    """Plain-English message for one pydantic error entry."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return _unknown_key(keys[-1] if keys else None, _allowed_keys(model, keys[:-1]))
    bounds = {
        "greater_than_equal": ("must be at least", "ge"),
        "greater_than": ("must be more than", "gt"),
        "less_than_equal": ("must be at most", "le"),
        "less_than": ("must be less than", "lt"),
    }
    if kind in bounds:
        text, name = bounds[kind]
        return f"{text} {ctx[name]}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number" + (", not text" if _looks_numeric(value) else "")
    if kind in ("float_type", "float_parsing"):
        if _looks_numeric(value):
            return "must be a number, not text (YAML reads 1e3 as text: write 1.0e+3)"
        return "must be a number"
    simple = {
        "finite_number": "must be a finite number",
        "string_type": "must be text",
        "bool_type": "must be true or false",
        "model_type": "must be a mapping of keys to values",
        "model_attributes_type": "must be a mapping of keys to values",
        "dict_type": "must be a mapping of keys to values",
        "list_type": "must be a list",
        "tuple_type": "must be a list",
        "invalid_key": "keys must be text",
        "string_pattern_mismatch": "is not in the expected form",
    }
    if kind in simple:
        return simple[kind]
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else error["msg"].lower()
    if kind == "string_too_long":
        return f"must be at most {ctx['max_length']} characters"
    if kind == "too_short":
        return f"must have at least {_entries(ctx['min_length'])}"
    if kind == "too_long":
        return f"must have at most {_entries(ctx['max_length'])}"
    if kind == "literal_error":
        return f"must be {ctx['expected']}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    message = str(error["msg"])
    return message[:1].lower() + message[1:]


def _echo_of_item_errors(entry: Mapping[str, Any]) -> bool:
    """pydantic adds "too short after validation" when list items fail: not a problem itself."""
    value = entry.get("input")
    minimum = (entry.get("ctx") or {}).get("min_length")
    return (
        entry["type"] == "too_short"
        and isinstance(value, list | tuple)
        and minimum is not None
        and len(value) >= minimum
    )


def format_validation_error(
    error: ValidationError,
    path: str,
    data: Any,
    model: type[BaseModel],
    origins: Mapping[tuple[str | int, ...], str] | None = None,
    files: Sequence[str] = (),
) -> list[str]:
    """Turn a pydantic ``ValidationError`` into one-line problems.

    Parameters
    ----------
    error
        Raised by ``model.model_validate(data)``.
    path
        The file as the user named it; used unless ``origins`` says a value came from a file
        further up an ``extends`` chain.
    data
        The input that was validated (used to drop union tags from error locations).
    model
        The model validated against (used to suggest the key a typo meant).
    origins
        Optional map from key path to the file that set it.
    files
        The ``extends`` chain, ``path`` first: a value set further up it is reported against
        ``path`` with the chain that led to the file that set it.
    """
    lines: list[str] = []
    for entry in error.errors(include_url=False):
        if _echo_of_item_errors(entry):
            continue
        keys = _clean_loc(entry["loc"], data)
        file = path
        if origins and entry["type"] != "missing":
            for cut in range(len(keys), 0, -1):
                if keys[:cut] in origins:
                    file = origins[keys[:cut]]
                    break
        message = _message(entry, model, keys)
        quiet = entry["type"] in ("missing", "extra_forbidden")
        line = _line(path, keys, message) if quiet else _line(path, keys, message, entry["input"])
        if file != path:
            chain = list(files[: files.index(file) + 1]) if file in files else [path, file]
            line += _chain_note(path, chain)
        if line not in lines:
            lines.append(line)
    return lines


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def _validate(resolved: _Resolved) -> Scenario:
    """Validate a resolved mapping as a Scenario, collecting every problem."""
    refused = [key for key in _LOADER_ONLY_KEYS if key in resolved.data]
    data = {key: value for key, value in resolved.data.items() if key not in refused}
    problems = [_line(resolved.path, [key], "is set by the loader: remove it") for key in refused]
    source = Path(os.path.abspath(resolved.path))
    chain = tuple(Path(os.path.abspath(file)) for file in resolved.files)
    try:
        scenario = Scenario.model_validate({**data, "source": source, "chain": chain})
    except ValidationError as error:
        problems += format_validation_error(
            error, resolved.path, data, Scenario, resolved.origins, resolved.files
        )
    if problems:
        raise ScenarioError(problems)
    return scenario


def load_scenario(
    path: str | os.PathLike[str], roots: Sequence[str | os.PathLike[str]] = ()
) -> Scenario:
    """Load, resolve ``extends`` and validate a scenario file.

    ``roots`` names folders, besides the scenario's own and ``data/scenarios``, that its
    ``extends`` chain may reach.

    Raises
    ------
    ScenarioError
        With one line per problem; nothing in the file is ever executed.
    """
    return _validate(_resolve(path, roots))


def _json_default(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


def scenario_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the resolved scenario: canonical JSON of the merged YAML mapping.

    Comments, key order, formatting and file locations do not change it; any value that
    changes, in the file or in a file it extends, does. The file must be a valid scenario.
    """
    resolved = _resolve(path)
    _validate(resolved)
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


# --------------------------------------------------------------------------------------------
# Register of assumptions
# --------------------------------------------------------------------------------------------


def _plain_value(value: Any) -> Any:
    """A register value is a number or text (bools and collections are not)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PydanticCustomError("plain_value", "must be a number or text")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("plain_value", "must be a finite number")
    return value


class Source(BaseModel):
    """One assumption in the register: its value, unit, grade and where it comes from.

    Grade ``S`` is a published figure, ``D`` derived from published figures and ``E`` an
    estimate, which reports label as such.
    """

    model_config = _CONFIG

    value: Annotated[Any, AfterValidator(_plain_value)]
    unit: Text
    grade: Literal["S", "D", "E"]
    source: Text
    note: Text | None = None

    @property
    def grade_meaning(self) -> str:
        """``published figure``, ``derived from published figures`` or ``estimate``."""
        return GRADE_MEANINGS[self.grade]


DottedKey = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$", max_length=200)
]


class _Register(BaseModel):
    model_config = _CONFIG

    assumptions: dict[DottedKey, Source]


def load_sources(path: str | os.PathLike[str] = DEFAULT_SOURCES) -> dict[str, Source]:
    """Load the register of assumptions: dotted scenario key -> :class:`Source`.

    Raises
    ------
    ScenarioError
        With one line per problem, as for scenario files.
    """
    display = os.fspath(path)
    data = _read_mapping(display, frozenset(_Register.model_fields))
    try:
        register = _Register.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(format_validation_error(error, display, data, _Register)) from None
    return dict(register.assumptions)
