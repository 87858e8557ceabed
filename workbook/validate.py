"""``workbook validate FILE...``: check scenario files without running anything.

Prints ``<path>: ok (<name>)`` on standard output for each good file and every problem, one per
line, on standard error. Exit status: 0 when all files are valid, 1 when any is not, 2 when no
file was given. Also runs as ``python -m workbook.validate FILE...``.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from models.scenario import ScenarioError, load_scenario
from workbook.folders import os_error_line

USAGE = "usage: workbook validate SCENARIO.yaml [SCENARIO.yaml ...]"


def _printable(text: str) -> str:
    """Scenario text echoed to a terminal, with control characters escaped."""
    return text if text.isprintable() else repr(text)[1:-1]


def main(paths: Sequence[str]) -> int:
    """Validate each scenario file; return the exit status (0 all valid, 1 not, 2 usage)."""
    paths = list(paths)
    if not paths:
        print(USAGE, file=sys.stderr)
        return 2
    if paths[0] in ("-h", "--help"):
        print(USAGE)
        print("Checks each scenario file and prints its problems, one per line.")
        return 0
    status = 0
    for path in paths:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            for problem in error.problems:
                print(problem, file=sys.stderr)
            status = 1
        except OSError as error:  # unreadable despite existing: one line, like any problem
            print(os_error_line(error, path=_printable(path), reading=True), file=sys.stderr)
            status = 1
        else:
            print(f"{_printable(path)}: ok ({_printable(scenario.name)})")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
