"""Problems with a scenario file: :class:`ScenarioError` and the one-line form of each problem.

Every line reads ``<path>: <dotted.key>: <message> (got <value>)``; whatever a file holds, the
offending value is quoted only by its start, control characters escaped, and a line never runs
past ``_LINE_CHARS`` characters.
"""

from __future__ import annotations

import reprlib
from collections.abc import Sequence
from typing import Any

__all__ = ["ScenarioError"]

# Limits on what a problem line quotes, so a hostile file cannot flood a terminal.
_REPR_CHARS = 32  # offending value shown in a problem line
_KEY_CHARS = 40  # one key of a dotted key shown in a problem line
_LINE_CHARS = 600  # a whole problem line, whatever it quotes


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
