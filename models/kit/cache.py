"""A result cache: simulated results stored on disk, keyed by everything that determines them.

A result (one replication of one option, a model trace) is a function of the model's code, its
parameters (the service's part of the resolved scenario and the run settings), the seed and the
replication. :meth:`ResultCache.key` hashes :func:`identity` of those parts together with
:func:`code_version`, so a change of narrative, chart or cost input, which changes none of them,
finds every result already simulated, and an interrupted study resumes where it stopped.

Storage is one file per entry, ``root/<key[:2]>/<key>``: a header (magic, format version, the
key, the SHA-256 of the payload and its length) then the payload. An entry is written to a
uniquely named temporary file in the same folder, flushed to disk and moved into place with
``os.replace`` (atomic on POSIX and Windows), so two runs writing the same key cannot mix their
bytes and a crash leaves at most a temporary file, which reads ignore and :meth:`clear`
removes. An entry whose header, key, length or checksum is wrong (torn by a crash, truncated,
another key's bytes, an older format) is a miss: it is deleted and the result recomputed.

The payload is a pickle (protocol 5), because results include dataclasses holding numpy arrays
(a model trace). Unpickling can run code, which is acceptable here: entries are written only
by this module into the project's own cache folder (a cache folder is not an input file and is
never shared as one), and a payload is unpickled only after its SHA-256 and the key in its
header match. Do not point ``WORKBOOK_CACHE`` at a folder others can write to.
"""

from __future__ import annotations

import contextlib
import dataclasses
import enum
import functools
import hashlib
import inspect
import json
import os
import pickle
import re
import struct
import tempfile
import types
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from pydantic import BaseModel

import models

__all__ = ["ENV", "MISSING", "ResultCache", "canonical_json", "code_version", "identity"]

ENV = "WORKBOOK_CACHE"
"""Environment variable choosing the cache: unset, empty or ``off``; ``default``; or a folder."""

MISSING: object = type("Missing", (), {"__repr__": lambda self: "MISSING"})()
"""What :meth:`ResultCache.get` returns when it holds no (readable) entry for a key."""

MAGIC = b"WBRC"
FORMAT_VERSION = 1
HEADER = struct.Struct(">4sH64s32sQ")  # magic, format version, key, sha256(payload), length
KEY_PATTERN = re.compile(r"[0-9a-f]{64}")
TEMP_SUFFIX = ".tmp"

T = TypeVar("T")


# --------------------------------------------------------------------------- what a key hashes


@functools.cache
def code_version() -> str:
    """SHA-256 over every ``.py`` file of the ``models`` package: sorted relative paths, each
    with its bytes (computed once a process: the code a process runs does not change)."""
    package = Path(models.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py"), key=lambda p: p.relative_to(package).as_posix()):
        content = path.read_bytes()
        name = path.relative_to(package).as_posix().encode()
        digest.update(struct.pack(">Q", len(name)) + name + struct.pack(">Q", len(content)))
        digest.update(content)
    return digest.hexdigest()


def identity(obj: object) -> object:
    """The canonical, JSON-able form of ``obj``: equal forms mean equal results.

    - an object with a ``cache_identity()`` method: that method's return, canonicalised;
    - a pydantic model: ``{"type": "module.Qualname", "data": <model_dump(mode="json")>}``;
    - a dataclass: ``{"type": "module.Qualname", "fields": {name: value}}``;
    - a function or class defined at module level: ``"module.qualname"``;
    - ``None``, ``bool``, ``int``, ``str`` as they are; a ``float`` bit for bit as
      ``{"float": float.hex(x)}``; a list or tuple as a list; a dict as a dict with sorted
      keys (``{"items": [[key, value], ...]}`` when a key is not a string); an enum member as
      ``{"type": ..., "name": ...}``; a numpy scalar or array as its dtype, shape and bytes.

    Anything else (a lambda, a local function, a set, a file path, an object array...) raises
    TypeError: a result that cannot be identified is not cached, never guessed. Canonical forms
    are fixed points: ``identity(identity(x)) == identity(x)``.
    """
    return _canonical(obj, "value")


def _canonical(obj: object, where: str) -> object:
    if obj is None or type(obj) in (bool, int, str):
        return obj
    if type(obj) is float:
        return {"float": obj.hex()}
    if isinstance(obj, np.generic | np.ndarray):
        return _numpy(obj, where)
    if isinstance(obj, enum.Enum):
        return {"type": _qualified(type(obj), where), "name": obj.name}
    if type(obj) in (list, tuple):
        items: list[Any] | tuple[Any, ...] = obj  # type: ignore[assignment]
        return [_canonical(item, f"{where}[{i}]") for i, item in enumerate(items)]
    if type(obj) is dict:
        return _mapping(obj, where)
    if isinstance(obj, type | types.FunctionType | types.BuiltinFunctionType):
        return _qualified(obj, where)
    method = getattr(obj, "cache_identity", None)
    if callable(method):
        return _canonical(method(), f"{where}.cache_identity()")
    if isinstance(obj, BaseModel):
        try:
            data = obj.model_dump(mode="json")
        except ValueError as error:  # a field pydantic cannot serialise
            raise TypeError(f"cannot identify {where} for the result cache: {error}") from error
        return {"type": _qualified(type(obj), where), "data": _canonical(data, where)}
    if dataclasses.is_dataclass(obj):
        values = {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}
        return {"type": _qualified(type(obj), where), "fields": _mapping(values, where)}
    raise TypeError(
        f"cannot identify {where} for the result cache: {type(obj).__qualname__} {obj!r:.80} "
        "(give it a cache_identity() method, or run without the cache)"
    )


def _mapping(mapping: dict[Any, Any], where: str) -> dict[str, object]:
    if all(type(key) is str for key in mapping):
        return {key: _canonical(mapping[key], f"{where}[{key!r}]") for key in sorted(mapping)}
    pairs = [
        [_canonical(key, f"{where} key {key!r}"), _canonical(value, f"{where}[{key!r}]")]
        for key, value in mapping.items()
    ]
    pairs.sort(key=lambda pair: _dumps(pair[0]))
    return {"items": pairs}


def _numpy(obj: np.generic | np.ndarray, where: str) -> dict[str, object]:
    array = np.asarray(obj)
    if array.dtype.hasobject:
        raise TypeError(f"cannot identify {where} for the result cache: an array of objects")
    form: dict[str, object] = {"numpy": array.dtype.str, "bytes": array.tobytes(order="C").hex()}
    if isinstance(obj, np.ndarray):
        form["shape"] = list(array.shape)
    return form


def _qualified(obj: Any, where: str) -> str:
    """``module.qualname`` of a module-level function or class; TypeError if it has none that
    names it alone (a lambda, a local, something defined in ``__main__``)."""
    module = getattr(obj, "__module__", None)
    qualname = getattr(obj, "__qualname__", None)
    bound_to = getattr(obj, "__self__", None) if inspect.isbuiltin(obj) else None
    if bound_to is not None and not isinstance(bound_to, types.ModuleType):
        raise TypeError(f"cannot identify {where} for the result cache: a bound method")
    if not module or not qualname or "<" in qualname or module == "__main__":
        raise TypeError(
            f"cannot identify {where} for the result cache: {obj!r:.80} is not a module-level "
            "function or class of an importable module"
        )
    return f"{module}.{qualname}"


def canonical_json(obj: object) -> str:
    """:func:`identity` of ``obj`` as compact JSON with sorted keys: the text a key hashes.

    Worth computing once for a part shared by many keys (an option's parameters, hashed with
    every replication), then passing to :meth:`ResultCache.key_of_json`."""
    return _dumps(identity(obj))


def _dumps(form: object) -> str:
    return json.dumps(form, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# --------------------------------------------------------------------------- the cache


class ResultCache:
    """Results on disk under ``root``, one file an entry (see the module notes).

    ``hits``, ``misses`` and ``stored`` count this object's look-ups and writes (one notebook's
    share of a run), for :meth:`summary`.
    """

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).expanduser()
        self.hits = 0
        self.misses = 0
        self.stored = 0
        self._warned = False

    def __repr__(self) -> str:
        return f"ResultCache({str(self.root)!r})"

    @staticmethod
    def default_root() -> Path:
        """``<project root>/.cache/results``; the project root holds the ``models`` package."""
        return Path(models.__file__).resolve().parent.parent / ".cache" / "results"

    @classmethod
    def from_environment(cls) -> ResultCache | None:
        """The cache :data:`ENV` names: None when unset, empty or ``off``; the default folder
        for ``default``; otherwise that folder."""
        value = os.environ.get(ENV, "").strip()
        if value.lower() in ("", "off"):
            return None
        return cls(cls.default_root() if value.lower() == "default" else value)

    def key(self, *parts: object) -> str:
        """SHA-256 (hex) of :func:`identity` of ``parts`` and the :func:`code_version`."""
        return self.key_of_json(*(canonical_json(part) for part in parts))

    @staticmethod
    def key_of_json(*texts: str) -> str:
        """:meth:`key` of parts given as their :func:`canonical_json`: ``key_of_json(
        *map(canonical_json, parts)) == key(*parts)``, without canonicalising them again."""
        text = f"[[{','.join(texts)}],{_dumps(code_version())}]"
        return hashlib.sha256(text.encode()).hexdigest()

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` is stored."""
        if not KEY_PATTERN.fullmatch(key):
            raise ValueError(f"not a cache key (64 hex digits): {key!r}")
        return self.root / key[:2] / key

    def get(self, key: str) -> object:
        """The value stored under ``key``, or :data:`MISSING` (a miss) when there is none or it
        cannot be trusted, in which case the bad entry is removed."""
        path = self.path(key)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
                inode = os.fstat(handle.fileno()).st_ino
        except OSError:
            self.misses += 1
            return MISSING
        value = _decode(data, key)
        if value is MISSING:
            _remove_if_same(path, inode)
            self.misses += 1
        else:
            self.hits += 1
        return value

    def put(self, key: str, value: object) -> None:
        """Store ``value`` under ``key`` atomically. A cache that cannot be written (read-only,
        full) is warned about once and otherwise ignored: the result is still returned."""
        path = self.path(key)
        data = _encode(key, value)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{key}.", suffix=TEMP_SUFFIX)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(temp, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
                raise
        except OSError as error:
            self._warn(error)
            return
        self.stored += 1

    def memo(self, parts: tuple[object, ...], compute: Callable[[], T]) -> T:
        """The value stored under ``key(*parts)``; on a miss ``compute()``, stored."""
        key = self.key(*parts)
        value = self.get(key)
        if value is MISSING:
            value = compute()
            self.put(key, value)
        return value  # type: ignore[return-value]

    def clear(self) -> int:
        """Remove every entry (and any temporary file a crash left); return how many entries.

        Only files named as this module names them are touched, so a mistaken root loses
        nothing else."""
        removed = 0
        if not self.root.is_dir():
            return 0
        for folder in self.root.iterdir():
            if not (folder.is_dir() and re.fullmatch(r"[0-9a-f]{2}", folder.name)):
                continue
            for entry in folder.iterdir():
                is_entry = KEY_PATTERN.fullmatch(entry.name) and entry.name[:2] == folder.name
                is_temp = entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX)
                if (is_entry or is_temp) and entry.is_file():
                    with contextlib.suppress(FileNotFoundError):
                        entry.unlink()
                        removed += bool(is_entry)
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty
        return removed

    def summary(self) -> str:
        """What a report prints: how many results came from the cache, and where it is."""
        looked_up = self.hits + self.misses
        where = _shown(self.root)
        if looked_up == 0:
            return f"No results were looked up in the cache ({where})"
        verb = "result came" if looked_up == 1 else "results came"
        return f"{self.hits} of {looked_up} {verb} from the cache ({where})"

    def _warn(self, error: OSError) -> None:
        if not self._warned:
            self._warned = True
            warnings.warn(
                f"the result cache at {self.root} cannot be written ({error}); results are "
                "computed as usual but not stored",
                RuntimeWarning,
                stacklevel=3,
            )


def _encode(key: str, value: object) -> bytes:
    payload = pickle.dumps(value, protocol=5)
    digest = hashlib.sha256(payload).digest()
    return HEADER.pack(MAGIC, FORMAT_VERSION, key.encode(), digest, len(payload)) + payload


def _decode(data: bytes, key: str) -> object:
    """The value in an entry's bytes, or MISSING if they are not a sound entry of ``key``."""
    if len(data) < HEADER.size:
        return MISSING
    magic, version, stored_key, digest, length = HEADER.unpack_from(data)
    payload = data[HEADER.size :]
    if (
        magic != MAGIC
        or version != FORMAT_VERSION
        or stored_key != key.encode()
        or length != len(payload)
        or hashlib.sha256(payload).digest() != digest
    ):
        return MISSING
    try:
        return pickle.loads(payload)
    except Exception:  # a class renamed outside `models`, say: recompute rather than fail
        return MISSING


def _remove_if_same(path: Path, inode: int) -> None:
    """Remove the bad entry at ``path`` unless another run has just replaced it."""
    with contextlib.suppress(OSError):
        if path.stat().st_ino == inode:
            path.unlink()


def _shown(root: Path) -> str:
    """``root`` relative to the project root when inside it (``.cache/results``)."""
    project = Path(models.__file__).resolve().parent.parent
    with contextlib.suppress(ValueError, OSError):
        return root.resolve().relative_to(project).as_posix()
    return str(root)
