"""pydantic validation errors turned into one-line problems in plain English.

Locations lose pydantic's union tags, a misspelt key gets the key it probably meant, bounds and
types are said in words, and a value set further up an ``extends`` chain is reported against
the file the user gave, with the chain that led to the file that set it.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Annotated, Any

from pydantic import BaseModel, ValidationError

from models.scenario.extends import _chain_note
from models.scenario.problems import _line
from models.section import KeyProblem

__all__ = ["format_validation_error"]


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
    if not parent:  # keys only a file writes, such as a scenario's ``extends``
        keys += list(getattr(models[0], "file_only_keys", ()))
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
        found = (entry.get("ctx") or {}).get("error")
        if isinstance(found, KeyProblem):
            keys = (*keys, *found.keys)
        file = path
        if origins and entry["type"] != "missing":
            for cut in range(len(keys), 0, -1):
                if keys[:cut] in origins:
                    file = origins[keys[:cut]]
                    break
        message = _message(entry, model, keys)
        quiet = entry["type"] in ("missing", "extra_forbidden") or isinstance(found, KeyProblem)
        line = _line(path, keys, message) if quiet else _line(path, keys, message, entry["input"])
        if file != path:
            chain = list(files[: files.index(file) + 1]) if file in files else [path, file]
            line += _chain_note(path, chain)
        if line not in lines:
            lines.append(line)
    return lines
