"""Command-line limits match the scenario's, so a typo cannot start a run that never ends.

Only the parser is used: an option wrongly accepted must not start a run.
"""

from __future__ import annotations

import pytest

from models.scenario import RunSettings
from workbook.cli import build_parser


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "--replications", "10001"], "--replications: must be at most 10000 (got 10001)"),
        (["run", "--jobs", "0"], "--jobs: must be at least 1 (got 0)"),
        (["run", "--jobs", "100000"], "--jobs: must be at most 256 (got 100000)"),
        (["run", "--timeout", "604801"], "--timeout: must be at most 604800"),
        (["run", "--timeout", "inf"], "--timeout: must be at most 604800"),
        (["run", "--timeout", "nan"], "--timeout: must be more than 0"),
    ],
)
def test_out_of_bounds_options_are_refused_in_one_line(
    args: list[str], expected: str, capsys
) -> None:
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(args)
    err = capsys.readouterr().err.splitlines()
    assert stop.value.code != 0
    assert len(err) == 1 and expected in err[0], err


def test_largest_allowed_values_are_accepted_by_the_parser() -> None:
    args = build_parser().parse_args(
        ["run", "--replications", "10000", "--jobs", "256", "--timeout", "604800"]
    )
    assert (args.replications, args.jobs, args.timeout) == (10000, 256, 604800.0)


def test_replication_limits_are_the_scenarios() -> None:
    limits = {type(m).__name__: m for m in RunSettings.model_fields["replications"].metadata}
    parser = build_parser()
    assert parser.parse_args(["run", "--replications", str(limits["Le"].le)]).replications
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--replications", str(limits["Le"].le + 1)])
    with pytest.raises(SystemExit):
        parser.parse_args(["run", "--replications", str(limits["Ge"].ge - 1)])
