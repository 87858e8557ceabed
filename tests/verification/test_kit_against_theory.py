"""The kit, configured down to textbook queues, reproduces queueing theory.

Runs are long enough that the 95 % half-width is at most the tolerance (about 2 % of the mean for
the M/M/c waits), so a model error of 3 % or more fails. Every analytic value must also lie inside
the simulated interval at a family-wise 95 % level: with some twenty checks, each interval is a
Bonferroni 1 - 0.05/k interval, so that a correct kit fails this file at most 5 % of the time over
seeds rather than almost always (twenty separate 95 % intervals would miss at least once in about
two seeds out of three).
"""

from __future__ import annotations

import pandas as pd
import pytest

from models.kit.replications import run_replications
from models.verification import (
    InfiniteServerCase,
    LossCase,
    MachineRepairCase,
    MMcCase,
    QueueCase,
    compare,
    simulate_case,
)

pytestmark = pytest.mark.slow

SEED = 20130308
REPLICATIONS = 20

CASES: list[QueueCase] = [
    MMcCase("mmc_50", 1.5, 1.0, 3, horizon=40_000, warmup=500),
    MMcCase("mmc_80", 2.4, 1.0, 3, horizon=54_000, warmup=1_000),
    MMcCase("mmc_90", 2.7, 1.0, 3, horizon=100_000, warmup=2_000),
    LossCase("loss", 8.0, 1.0, 10, horizon=4_000, warmup=100),
    InfiniteServerCase("pound", 4.0, 72.0, 60.0, horizon=4_000, warmup=1_000),
    MachineRepairCase("repair", 40, 0.02, 0.25, 3, horizon=10_000, warmup=500),
]


CHECKS = 3 * 4 + 1 + 1 + 2  # metrics checked below
FAMILY_LEVEL = 1 - 0.05 / CHECKS


@pytest.fixture(scope="module")
def results() -> pd.DataFrame:
    return run_replications(
        simulate_case,
        {case.name: case for case in CASES},
        replications=REPLICATIONS,
        seed=SEED,
        jobs=2,
        progress=False,
    )


@pytest.fixture(scope="module")
def table(results: pd.DataFrame) -> pd.DataFrame:
    """95 % intervals (for the width check) and family-wise intervals (for coverage)."""
    ordinary = compare(results, CASES)
    family = compare(results, CASES, level=FAMILY_LEVEL)
    ordinary["covered"] = family["covered"]
    ordinary["family_low"], ordinary["family_high"] = family["low"], family["high"]
    return ordinary


def _rows(table: pd.DataFrame, case: str, metrics: tuple[str, ...]) -> pd.DataFrame:
    rows = table[(table["case"] == case) & table["metric"].isin(metrics)]
    assert len(rows) == len(metrics)
    return rows


def _assert_close(rows: pd.DataFrame, tolerance: float) -> None:
    for row in rows.itertuples():
        where = f"{row.case} {row.metric}: simulated {row.mean:.5g} [{row.low:.5g}, {row.high:.5g}]"
        assert abs(row.relative_error) <= tolerance, f"{where} vs analytic {row.analytic:.5g}"
        assert row.covered, (
            f"{where}: family-wise interval [{row.family_low:.5g}, {row.family_high:.5g}] "
            f"does not cover analytic {row.analytic:.5g}"
        )
        assert (row.high - row.low) / 2 <= tolerance * abs(row.analytic), (
            f"{where}: interval too wide to test the {tolerance:.0%} tolerance"
        )


@pytest.mark.parametrize("case", ["mmc_50", "mmc_80", "mmc_90"])
def test_mmc_waits_match_erlang_c(table: pd.DataFrame, case: str) -> None:
    _assert_close(_rows(table, case, ("mean_wait", "prob_wait", "mean_queue")), 0.03)


@pytest.mark.parametrize("case", ["mmc_50", "mmc_80", "mmc_90"])
def test_mmc_utilisation_matches_offered_load(table: pd.DataFrame, case: str) -> None:
    _assert_close(_rows(table, case, ("utilisation",)), 0.01)


def test_loss_system_blocking_matches_erlang_b(table: pd.DataFrame) -> None:
    _assert_close(_rows(table, "loss", ("blocking",)), 0.03)


def test_infinite_server_occupancy_matches_arrival_rate_times_mean_stay(
    table: pd.DataFrame,
) -> None:
    _assert_close(_rows(table, "pound", ("mean_occupancy",)), 0.01)


def test_machine_repair_availability_matches_finite_source_model(table: pd.DataFrame) -> None:
    _assert_close(_rows(table, "repair", ("availability",)), 0.01)
    _assert_close(_rows(table, "repair", ("mean_down",)), 0.03)


def test_a_wrong_model_would_fail() -> None:
    """Guard against a test that cannot fail: a model with 10 % slower service misses Erlang C."""
    slow = MMcCase("mmc_80", 2.4, 1.0 / 1.1, 3, horizon=20_000, warmup=1_000)
    truth = MMcCase("mmc_80", 2.4, 1.0, 3, horizon=20_000, warmup=1_000)
    results = run_replications(
        simulate_case, {"mmc_80": slow}, replications=5, seed=SEED, jobs=1, progress=False
    )
    row = compare(results, [truth]).set_index("metric").loc["mean_wait"]
    assert abs(row["relative_error"]) > 0.03
