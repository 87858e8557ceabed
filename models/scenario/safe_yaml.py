"""Reading YAML safely: bytes of regular files only, composed to nodes and checked before loading.

A file is opened without blocking (a named pipe or device is refused before a byte is read),
size-limited, decoded as UTF-8 and composed to YAML nodes; :class:`_NodeCheck` walks the nodes
for hazards (tags that would construct Python objects, alias bombs, deep nesting, duplicate or
non-text keys, huge numbers) before the safe constructor builds plain data from those same
nodes (the file is parsed once). A file that does not look like the kind wanted is refused
without quoting any of it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from models.scenario.problems import _REPR_CHARS, ScenarioError, _line, _printable

# Limits that keep a hostile or mistaken file from costing time or memory. Scenario files are
# small: a few hundred values at most, even with every service section filled in.
_MAX_FILE_BYTES = 1_000_000
_MAX_NODES = 20_000  # YAML nodes visited, counting every expansion of an alias
_MAX_DEPTH = 40  # nesting of mappings and lists
_MAX_NUMBER_CHARS = 100  # longer number literals are refused before Python parses them

_YAML = "tag:yaml.org,2002:"

_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML was built with it (about ten times faster), else the pure
Python one; both build only plain data."""
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


def _compose(path: str, raw: bytes) -> yaml.Node | None:
    """Decode and compose the YAML (nodes only: no Python object is constructed)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            f"{_printable(path)}: not UTF-8 text (byte {error.start} cannot be decoded)"
        ) from None
    try:
        return yaml.compose(text, Loader=_LOADER)
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
    root = _compose(path, _read_bytes(path))
    _check_kind(path, root, expected)
    check = _NodeCheck(path)
    check.walk(root, (), frozenset())
    if check.problems:
        raise ScenarioError(check.problems)
    try:
        data = _LOADER("").construct_document(root)
    except yaml.YAMLError as error:
        raise ScenarioError(_yaml_error_line(path, error)) from None
    except RecursionError:
        raise ScenarioError(f"{_printable(path)}: YAML nested too deeply") from None
    return data
