"""The ``workbook`` command: ``workbook run``, ``workbook validate`` and ``workbook cache clear``.

User errors (a bad option, an invalid scenario, an unknown notebook) and file-system failures
(a read-only or full disk, a file in the way) are reported on one line each, with a non-zero
exit status and never a traceback. Numeric options have the scenario file's bounds, so a typo
cannot start a run that never ends. Default folders are found from the project root (the
parent of the ``workbook`` package), so the command works from any current directory.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from workbook.folders import GENERAL_HINT, REPORTS_HINT, os_error_line
from workbook.provenance import PROJECT_ROOT

DEFAULT_SCENARIOS_DIR = PROJECT_ROOT / "data" / "scenarios"
DEFAULT_NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
DEFAULT_REPORTS_DIR = PROJECT_ROOT / "reports"
DEFAULT_TIMEOUT_S = 3600.0
MAX_JOBS = 256
MAX_TIMEOUT_S = 7 * 24 * 3600.0  # a week: beyond it, a cell is stuck
# The scenario file's bounds (models.scenario.RunSettings.replications), used if unreadable.
FALLBACK_REPLICATIONS = (2, 10_000)

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class _OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error on one line instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """Parser for ``workbook run``, ``workbook validate`` and ``workbook cache clear``."""
    parser = _OneLineParser(
        prog="workbook",
        description="Run the service-delivery option reports, check scenario files, or clear "
        "the result cache.",
    )
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_OneLineParser)

    run = commands.add_parser(
        "run",
        help="run notebooks on scenarios and write HTML reports",
        description="Execute every notebook on every scenario and write reports/<scenario>/"
        "<notebook>.html and reports/index.html.",
    )
    run.add_argument(
        "--scenario",
        action="append",
        type=Path,
        default=[],
        metavar="FILE",
        help="scenario file (repeatable; default: every data/scenarios/*.yaml)",
    )
    run.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NOTEBOOK",
        help="run only this notebook (name with or without .ipynb; repeatable)",
    )
    run.add_argument(
        "--replications",
        type=_replications,
        metavar="N",
        help="replications per option, within the bounds of a scenario's run.replications "
        "(default: the scenario's value)",
    )
    run.add_argument(
        "--jobs",
        type=_whole_number(1, MAX_JOBS),
        default=1,
        metavar="N",
        help=f"notebooks run at once, at most {MAX_JOBS}; the cores are shared out among them "
        "for replications (default: 1, one notebook using every core)",
    )
    run.add_argument(
        "--quick",
        action="store_true",
        help="few replications and a short horizon (smoke run; reports say so)",
    )
    run.add_argument(
        "--reports-dir",
        type=Path,
        default=DEFAULT_REPORTS_DIR,
        metavar="DIR",
        help="where reports go (default: reports/)",
    )
    run.add_argument(
        "--notebooks-dir",
        type=Path,
        default=DEFAULT_NOTEBOOKS_DIR,
        metavar="DIR",
        help="where the notebooks are (default: notebooks/)",
    )
    run.add_argument(
        "--timeout",
        type=_positive_seconds,
        default=DEFAULT_TIMEOUT_S,
        metavar="SECONDS",
        help=f"limit for any one notebook cell, at most {MAX_TIMEOUT_S:.0f} "
        f"(default: {DEFAULT_TIMEOUT_S:.0f})",
    )
    run.add_argument(
        "--dask",
        type=_dask_spec,
        metavar="SPEC",
        help="run the replications on Dask: local:N starts a LocalCluster of N workers on this "
        "machine for the run; tcp://HOST:PORT uses a running scheduler whose workers have this "
        "project installed at the same version (default: a process pool in each notebook)",
    )
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="simulate everything again: neither read nor write the result cache "
        "(default: WORKBOOK_CACHE, else .cache/results)",
    )

    validate = commands.add_parser(
        "validate",
        help="check scenario files without running anything",
        description="Check scenario files; print one line per problem.",
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="scenario file(s)")

    cache = commands.add_parser(
        "cache",
        help="manage the result cache",
        description="The result cache holds simulated results keyed by everything that "
        "determines them (WORKBOOK_CACHE, else .cache/results).",
    )
    actions = cache.add_subparsers(dest="action", required=True, parser_class=_OneLineParser)
    actions.add_parser("clear", help="remove every entry of the result cache")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``workbook`` console command; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        if args.command == "validate":
            from workbook.validate import main as validate_main

            return validate_main(list(args.files))
        if args.command == "cache":
            return _cache_clear()
        return _run(args)
    except KeyboardInterrupt:
        print("workbook: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as error:  # the last net: a file-system failure is one line too
        hint = _hint(error, getattr(args, "reports_dir", None))
        print(os_error_line(error, hint), file=sys.stderr)
        return EXIT_FAILED


def replication_bounds() -> tuple[int, int]:
    """Fewest and most replications a scenario file allows (read from its model)."""
    try:
        from models.scenario import RunSettings

        metadata = RunSettings.model_fields["replications"].metadata
        fewest = next(m.ge for m in metadata if hasattr(m, "ge"))
        most = next(m.le for m in metadata if hasattr(m, "le"))
    except (ImportError, AttributeError, KeyError, StopIteration):
        return FALLBACK_REPLICATIONS
    return int(fewest), int(most)


def _run(args: argparse.Namespace) -> int:
    """``workbook run``: plan (refusing bad input on one line each), then execute."""
    from workbook.runner import RunError, RunOptions, run

    scenario_paths = tuple(args.scenario) or tuple(sorted(DEFAULT_SCENARIOS_DIR.glob("*.yaml")))
    if not scenario_paths:
        print(f"workbook: error: no scenario files in {DEFAULT_SCENARIOS_DIR}", file=sys.stderr)
        return EXIT_USAGE
    options = RunOptions(
        scenario_paths=scenario_paths,
        notebooks_dir=args.notebooks_dir,
        reports_dir=args.reports_dir,
        only=tuple(args.only),
        replications=args.replications,
        quick=args.quick,
        jobs=args.jobs,
        timeout=args.timeout,
        dask=None if args.dask is None else str(args.dask),
        cache=not args.no_cache,
    )
    try:
        return run(options)
    except RunError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return EXIT_USAGE


def _cache_clear() -> int:
    """``workbook cache clear``: remove the entries of the cache WORKBOOK_CACHE names (the
    project's ``.cache/results`` when it names none or says ``off``) and say how many."""
    from models.kit.cache import ResultCache

    cache = ResultCache.from_environment() or ResultCache(ResultCache.default_root())
    removed = cache.clear()
    entries = "entry" if removed == 1 else "entries"
    print(f"workbook: removed {removed} result cache {entries} from {cache.root}")
    return EXIT_OK


def _hint(error: OSError, reports_dir: Path | None) -> str:
    """What to do: choose another reports folder when the failing path is in it."""
    if reports_dir is not None and error.filename:
        failing = Path(os.path.abspath(error.filename))  # no file-system access, so no new error
        folder = Path(os.path.abspath(reports_dir))
        if failing == folder or folder in failing.parents:
            return REPORTS_HINT
    return GENERAL_HINT


def _replications(text: str) -> int:
    """argparse type for --replications: the scenario's bounds, read only when it is given
    (the scenario model is slow to import)."""
    return _whole_number(*replication_bounds())(text)


def _whole_number(minimum: int, maximum: int) -> Callable[[str], int]:
    """argparse type: an integer from ``minimum`` to ``maximum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum} (got {value})")
        if value > maximum:
            raise argparse.ArgumentTypeError(f"must be at most {maximum} (got {value})")
        return value

    return parse


def _dask_spec(text: str) -> object:
    """argparse type for --dask: ``local:N`` or a scheduler address
    (:func:`models.kit.engine.parse_dask`)."""
    from models.kit.engine import parse_dask

    try:
        return parse_dask(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _positive_seconds(text: str) -> float:
    """argparse type: a number of seconds greater than zero and at most ``MAX_TIMEOUT_S``."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 (got {text})")
    if value > MAX_TIMEOUT_S:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_TIMEOUT_S:.0f} (got {text})")
    return value
