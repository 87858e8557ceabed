"""Confidence intervals, paired comparisons, replication counts and MSER-5 warm-up."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from models.kit.output_analysis import (
    Interval,
    PrecisionNotReached,
    confidence_interval,
    mser5,
    paired_difference,
    probability_lower,
    replications_needed,
    summarise,
)
from models.kit.replications import run_replications
from models.kit.streams import Streams


def single_server_queue(option: Mapping[str, float], streams: Streams) -> dict[str, float]:
    """Mean wait of 400 customers at one server (Lindley's recursion), service scaled by option."""
    gaps = streams["arrivals"].exponential(1.0, 400)
    services = streams["service"].exponential(option["service_mean"], 400)
    wait, total = 0.0, 0.0
    for gap, service in zip(gaps[1:], services[:-1], strict=True):
        wait = max(0.0, wait + service - gap)
        total += wait
    return {"mean_wait": total / 399}


def results_frame(rows: list[tuple[int, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["replication", "option", "metric", "value"])


# --- confidence_interval ------------------------------------------------------------------


@pytest.mark.parametrize(("n", "level"), [(2, 0.95), (5, 0.9), (30, 0.95), (200, 0.99)])
def test_confidence_interval_agrees_with_scipy(n: int, level: float) -> None:
    values = np.random.default_rng(n).gamma(2.0, 3.0, n)
    ci = confidence_interval(values, level)
    low, high = stats.t.interval(level, n - 1, loc=values.mean(), scale=stats.sem(values))
    assert ci.mean == pytest.approx(values.mean())
    assert (ci.low, ci.high) == (pytest.approx(low), pytest.approx(high))
    assert ci.half_width == pytest.approx((high - low) / 2)
    assert (ci.n, ci.level) == (n, level)
    assert ci.relative_half_width == pytest.approx(ci.half_width / values.mean())


def test_single_value_has_no_interval_and_bad_input_is_refused() -> None:
    ci = confidence_interval([3.0])
    assert ci.mean == 3.0 and math.isnan(ci.half_width) and ci.n == 1
    with pytest.raises(ValueError, match="at least one"):
        confidence_interval([])
    with pytest.raises(ValueError, match="finite"):
        confidence_interval([1.0, math.nan])
    with pytest.raises(ValueError, match="level"):
        confidence_interval([1.0, 2.0], level=95)


def test_constant_values_and_zero_mean() -> None:
    assert confidence_interval([2.0, 2.0, 2.0]).half_width == 0.0
    assert Interval(0.0, -1.0, 1.0, 1.0, 3, 0.95).relative_half_width == math.inf
    assert Interval(0.0, 0.0, 0.0, 0.0, 3, 0.95).relative_half_width == 0.0


# --- summarise, paired_difference, probability_lower --------------------------------------


def test_summarise_per_option_and_metric_in_given_order() -> None:
    rows = []
    for r, (a_wait, b_wait, a_cost) in enumerate([(1.0, 2.0, 10.0), (3.0, 2.5, 12.0)]):
        rows += [
            (r, "outsourced", "wait", a_wait),
            (r, "outsourced", "cost", a_cost),
            (r, "in_house", "wait", b_wait),
        ]
    summary = summarise(results_frame(rows))
    assert list(summary.columns) == ["option", "metric", "mean", "low", "high", "half_width", "n"]
    assert list(zip(summary["option"], summary["metric"], strict=True)) == [
        ("outsourced", "cost"),
        ("outsourced", "wait"),
        ("in_house", "wait"),
    ]
    expected = confidence_interval([1.0, 3.0])
    row = summary.iloc[1]
    assert (row["mean"], row["low"], row["high"], row["n"]) == (
        expected.mean,
        pytest.approx(expected.low),
        pytest.approx(expected.high),
        2,
    )


def test_paired_interval_with_common_random_numbers_is_narrower() -> None:
    options = {"faster": {"service_mean": 0.7}, "current": {"service_mean": 0.75}}
    crn = run_replications(
        single_server_queue, options, replications=20, seed=3, jobs=1, progress=False
    )
    paired = paired_difference(crn, "mean_wait", "faster", "current")
    faster = crn.query("option == 'faster'")["value"].to_numpy()
    current = crn.query("option == 'current'")["value"].to_numpy()
    assert paired.mean == pytest.approx(faster.mean() - current.mean())
    assert paired.n == 20
    # unpaired (Welch) interval on the same runs
    se = math.sqrt(faster.var(ddof=1) / 20 + current.var(ddof=1) / 20)
    welch_df = se**4 / ((faster.var(ddof=1) / 20) ** 2 / 19 + (current.var(ddof=1) / 20) ** 2 / 19)
    unpaired_half_width = stats.t.ppf(0.975, welch_df) * se
    assert paired.half_width < 0.5 * unpaired_half_width
    assert paired.high < 0  # CRN resolves the small improvement
    # without common random numbers (baseline on other streams) pairing gains nothing
    independent = pd.concat(
        [
            crn.query("option == 'faster'"),
            run_replications(
                single_server_queue,
                {"current": options["current"]},
                replications=20,
                seed=4,
                jobs=1,
                progress=False,
            ),
        ]
    )
    assert paired_difference(independent, "mean_wait", "faster", "current").half_width > (
        2 * paired.half_width
    )


def test_probability_lower_counts_replications() -> None:
    rows = [
        (r, option, "wait", value)
        for r, (a, b) in enumerate([(1.0, 2.0), (3.0, 2.0), (1.5, 1.6), (2.0, 2.0)])
        for option, value in (("a", a), ("b", b))
    ]
    frame = results_frame(rows)
    assert probability_lower(frame, "wait", "a", "b") == 0.5  # ties are not "lower"
    assert probability_lower(frame, "wait", "b", "a") == 0.25
    diff = paired_difference(frame, "wait", "a", "b")
    assert diff.mean == pytest.approx(np.mean([-1.0, 1.0, -0.1, 0.0]))


def test_pairing_needs_the_same_replications() -> None:
    frame = results_frame(
        [(0, "a", "w", 1.0), (1, "a", "w", 2.0), (0, "b", "w", 1.0), (2, "b", "w", 1.0)]
    )
    with pytest.raises(ValueError, match="same replications"):
        paired_difference(frame, "w", "a", "b")
    with pytest.raises(ValueError, match="unknown metric 'cost'"):
        paired_difference(frame, "cost", "a", "b")
    with pytest.raises(ValueError, match="option 'c'"):
        probability_lower(frame, "w", "c", "b")


# --- replications_needed ------------------------------------------------------------------


def test_replications_needed_meets_and_keeps_the_target() -> None:
    values = np.random.default_rng(12).normal(10.0, 2.0, 300)
    n = replications_needed(values, target=0.05, look_ahead=5)
    deviation = [confidence_interval(values[:m]).relative_half_width for m in range(1, 301)]
    assert all(d <= 0.05 for d in deviation[n - 1 : n + 5])  # met at n and over the look-ahead
    for smaller in range(3, n):  # no smaller count keeps it over its look-ahead
        assert any(d > 0.05 for d in deviation[smaller - 1 : smaller + 5])
    # normal-theory count is (1.96 * 2 / (0.05 * 10))**2 ~ 62
    assert 30 <= n <= 120
    assert replications_needed(values, target=0.05, look_ahead=20) >= n
    assert replications_needed(values, target=0.1) < n


def test_short_pilot_reports_an_estimate() -> None:
    values = np.random.default_rng(13).normal(10.0, 2.0, 20)
    with pytest.raises(PrecisionNotReached) as raised:
        replications_needed(values, target=0.01)
    assert 1000 <= raised.value.estimate <= 2500  # (1.96 * 2 / 0.1)**2 ~ 1537


# --- mser5 --------------------------------------------------------------------------------


def ar1(rng: np.random.Generator, n: int, phi: float = 0.5) -> np.ndarray:
    noise = rng.normal(0.0, 1.0, n)
    out = np.empty(n)
    out[0] = noise[0]
    for i in range(1, n):
        out[i] = phi * out[i - 1] + noise[i]
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mser5_finds_a_known_warm_up(seed: int) -> None:
    rng = np.random.default_rng(seed)
    i = np.arange(2000)
    bias = np.where(i < 200, 5.0 * (1 - i / 200), 0.0)  # initial bias gone after 200
    assert 120 <= mser5(bias + rng.normal(0.0, 1.0, 2000)) <= 240
    assert 120 <= mser5(bias + ar1(rng, 2000)) <= 240


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mser5_truncates_almost_nothing_from_a_stationary_series(seed: int) -> None:
    rng = np.random.default_rng(seed)
    assert mser5(rng.normal(0.0, 1.0, 2000)) <= 50
    assert mser5(ar1(rng, 2000)) <= 50


def test_mser5_result_is_a_whole_number_of_batches_and_needs_data() -> None:
    assert mser5(np.r_[np.full(50, 9.0), np.zeros(150)]) == 50
    with pytest.raises(ValueError, match="at least 10"):
        mser5([1.0] * 9)


def test_proportion_interval_is_exact_and_never_nan() -> None:
    from models.kit.output_analysis import proportion_interval

    one = proportion_interval(1, 1)
    assert one.mean == 1.0 and one.high == 1.0
    assert one.low == pytest.approx(0.025, abs=1e-12)  # Clopper-Pearson: (alpha/2) ** (1/n)
    none = proportion_interval(0, 4)
    assert none.low == 0.0 and none.high == pytest.approx(1 - 0.025**0.25)
    mid = proportion_interval(19, 20)
    assert mid.low < 0.95 < mid.high and mid.n == 20
    with pytest.raises(ValueError):
        proportion_interval(1, 0)
