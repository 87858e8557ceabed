"""Verification of the language model against closed forms (the report appendix runs the same
checks): Erlang B for one language's call-out list, M/G/infinity for the telephone, Erlang C
for the translators."""

from __future__ import annotations

from dataclasses import replace

import pytest

from models.kit.queueing import erlang_b
from models.kit.replications import IN_PROCESS, Replicator
from models.kit.streams import Streams
from models.language import SERVICE
from models.language.model import simulate
from models.language.verification import check_textbook_queues, textbook_run
from tests.support import assert_passes


@pytest.fixture(scope="module")
def checks() -> dict[str, object]:
    """The default checks (25 replications of four weeks), by name."""
    return {check.name: check for check in check_textbook_queues(runner=Replicator(jobs=2))}


def test_the_textbook_queues_are_reproduced_within_three_percent(checks) -> None:
    """Each exact value lies in its interval and within 3 % of the simulated mean, and each
    half-width is under 3 % of the value, so an error of 3 % would show."""
    assert set(checks) == {"Erlang B", "M/G/infinity", "Erlang C"}
    assert_passes(*checks.values(), within=0.03)
    for check in checks.values():
        half_width = (check.simulated.high - check.simulated.low) / 2.0
        assert half_width < 0.03 * check.analytic, check.name


def test_the_loss_system_really_turns_requests_away(checks) -> None:
    """Offered load 4 on 5 interpreters: about a fifth lost, as Erlang B says."""
    assert checks["Erlang B"].analytic == pytest.approx(erlang_b(5, 4.0))
    assert 0.15 < checks["Erlang B"].simulated.mean < 0.25


def test_a_wrong_number_of_interpreters_is_detected(checks) -> None:
    """The Erlang B figure for six interpreters, set against the run with five, fails."""
    wrong = replace(checks["Erlang B"], analytic=erlang_b(6, 4.0))
    assert not wrong.passed


def test_a_wrong_call_length_is_detected(checks) -> None:
    """Calls in progress for calls 5 % longer than simulated fail."""
    wrong = replace(checks["M/G/infinity"], analytic=1.05 * checks["M/G/infinity"].analytic)
    assert not wrong.passed


def test_the_service_verifies_with_one_row_per_check() -> None:
    """``Service.verify`` runs the declared checks (two short replications here)."""
    table = SERVICE.verify(replications=2, runner=IN_PROCESS)
    assert list(table["check"]) == ["Erlang B", "M/G/infinity", "Erlang C"]


def test_the_textbook_run_has_nothing_but_the_queues() -> None:
    """No cancellation, fallback, register or retry: every custody request is fulfilled or
    lost in one round, and no street call waits longer than its fixed connection."""
    metrics = simulate(textbook_run(window_days=2.0), Streams(1))
    assert metrics["custody_fulfilled_share"] + metrics["custody_failed_share"] == pytest.approx(1)
    assert metrics["custody_fell_back_share"] == 0
    assert metrics["common_languages_register_bookings_per_year"] == 0
    assert metrics["investigation_requests_per_year"] == 0
