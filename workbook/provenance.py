"""Where a result came from: code version, package versions and file hashes.

Every report states these so that a figure can be traced back to the exact code, packages
and scenario that produced it (and re-produced).
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]

REPORTED_PACKAGES: tuple[str, ...] = (
    "simpy",
    "numpy",
    "scipy",
    "pandas",
    "matplotlib",
    "papermill",
    "nbconvert",
    "pydantic",
)

UNKNOWN = "unknown"


def git_commit(root: str | os.PathLike[str] | None = None) -> str:
    """Commit hash of the project checkout, with ``-dirty`` when tracked files were changed.

    Returns ``"unknown"`` when git is missing or the project is not a git checkout (e.g. an
    installed copy), so a report can always be produced.
    """
    where = Path(root) if root is not None else PROJECT_ROOT
    commit = _git(where, "rev-parse", "HEAD")
    if commit is None:
        return UNKNOWN
    changes = _git(where, "status", "--porcelain", "--untracked-files=no")
    return f"{commit}-dirty" if changes else commit


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages that shape the results, by name."""
    versions = {"python": platform.python_version()}
    for name in REPORTED_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def file_sha256(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _git(root: Path, *args: str) -> str | None:
    """Output of a read-only git command in ``root``, or None when it cannot run."""
    try:
        completed = subprocess.run(
            ["git", "-C", str(root), *args],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip()
