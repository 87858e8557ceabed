"""Back-tests: the default scenario's key results stay within their recorded intervals.

The figures are recomputed with the same seed and replications as when they were recorded, so
an unchanged model reproduces them exactly; a change to the model or to the default scenario
that moves a figure outside its recorded 95 % interval fails, naming the figure.
"""

from __future__ import annotations

import pytest

from tests.backtest.figures import SERVICES, figures, moved, stored


@pytest.mark.slow
@pytest.mark.parametrize("service", sorted(SERVICES))
def test_key_results_stay_within_their_recorded_intervals(service: str) -> None:
    changes = moved(stored(service), figures(service))
    assert not changes, f"{service}: figures moved beyond their intervals:\n" + "\n".join(changes)


def test_a_moved_figure_is_named() -> None:
    recorded = {"in_house: pv": {"mean": 10.0, "low": 9.0, "high": 11.0}}
    assert moved(recorded, {"in_house: pv": {"mean": 10.5, "low": 9.5, "high": 11.5}}) == []
    changes = moved(recorded, {"in_house: pv": {"mean": 12.0, "low": 11.0, "high": 13.0}})
    assert changes == ["in_house: pv: now 12, recorded 10 (interval 9 to 11)"]
