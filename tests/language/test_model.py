"""The language model's behaviour: supply, pay, recruitment after go-live and custody time
move fulfilment the way they must, on common random numbers; the same seed gives the same
numbers with one or two worker processes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest

from models.kit.replications import run_replications
from models.kit.streams import Streams
from models.language.config import LanguageConfig
from models.language.go_live import by_month, recruited_share, starts_short
from models.language.interpreters import LanguagePool, listed_interpreters
from models.language.model import LanguageRun, metric_names, simulate, trace

REPLICATIONS = 3


def _variant(config: LanguageConfig, edit: Callable[[dict[str, Any]], None]) -> LanguageConfig:
    data = config.model_dump(mode="python")
    edit(data)
    return LanguageConfig.model_validate(data)


def _means(runs: dict[str, LanguageRun], *metrics: str) -> pd.DataFrame:
    """Mean of each metric over replications, per run (common random numbers)."""
    results = run_replications(
        simulate, runs, replications=REPLICATIONS, seed=11, jobs=2, progress=False
    )
    wanted = results[results["metric"].isin(metrics)]
    table = wanted.groupby(["option", "metric"], sort=False)["value"].mean().unstack()
    return table.loc[list(runs)]


def _scaled_lists(factor: float) -> Callable[[dict[str, Any]], None]:
    def edit(data: dict[str, Any]) -> None:
        for option in data["options"].values():
            for part in ("common_languages", "other_languages"):
                listed = option[part]["interpreters_per_language"]
                for group in listed:
                    listed[group] *= factor

    return edit


def _non_decreasing(values: Any) -> bool:
    return bool(np.all(np.diff(np.asarray(values, dtype=float)) >= 0))


@pytest.fixture(scope="module")
def supply(config, short) -> pd.DataFrame:
    """The outsourced option with its lists scaled from half to twice their size."""
    factors = (0.5, 0.75, 1.0, 1.5, 2.0)
    runs = {f"x{f:g}": short(_variant(config, _scaled_lists(f)), "outsourced") for f in factors}
    return _means(runs, "fulfilled_share", "custody_hours_lost_per_year", "failed_share")


def test_more_interpreters_never_lower_fulfilment(supply) -> None:
    fulfilled = supply["fulfilled_share"]
    assert _non_decreasing(fulfilled), fulfilled.to_dict()
    assert fulfilled.iloc[-1] > fulfilled.iloc[0] + 0.05  # the lists matter


def test_custody_hours_lost_fall_as_fulfilment_rises(supply) -> None:
    lost = supply["custody_hours_lost_per_year"]
    assert _non_decreasing(supply["fulfilled_share"])
    assert _non_decreasing(-lost), lost.to_dict()
    assert lost.iloc[-1] < lost.iloc[0]


def test_a_pay_cut_that_lowers_willingness_never_raises_fulfilment(config, short) -> None:
    """The force's fee cut from £33 to £15 an hour, and its travel pay stopped."""
    fees = (33.0, 27.0, 21.0, 15.0)

    def cut(fee: float) -> Callable[[dict[str, Any]], None]:
        def edit(data: dict[str, Any]) -> None:
            for part in ("common_languages", "other_languages"):
                terms = data["options"]["in_house"][part]["terms"]
                terms["fee_per_hour"] = fee
                terms["travel_per_booking"] = 25.0 if fee == fees[0] else 0.0

        return edit

    variants = [_variant(config, cut(fee)) for fee in fees]
    willing = [v.willing_share("in_house", "other_languages") for v in variants]
    assert willing[0] == pytest.approx(1.0) and _non_decreasing(willing[::-1])
    assert willing[-1] < 0.5
    table = _means(
        {f"£{fee:g}": short(v, "in_house") for fee, v in zip(fees, variants, strict=True)},
        "fulfilled_share",
        "rare_fulfilled_share",
    )
    for metric in table.columns:
        assert _non_decreasing(table[metric].to_numpy()[::-1]), table[metric].to_dict()
    assert table["fulfilled_share"].iloc[-1] < table["fulfilled_share"].iloc[0]


def test_a_contractor_that_starts_short_recovers_on_its_recruitment_curve(config, short) -> None:
    go_live = config.options["outsourced"].common_languages.go_live
    assert go_live is not None and starts_short(config, "outsourced")
    assert not starts_short(config, "in_house")
    months = (0.0, 4.5, 9.0, 13.5, go_live.months_to_full, go_live.months_to_full + 6)
    shares = [recruited_share(config, "outsourced", m) for m in months]
    expected = [
        go_live.starting_share + (1 - go_live.starting_share) * min(1.0, m / go_live.months_to_full)
        for m in months
    ]
    assert shares == pytest.approx(expected)
    runs = {f"m{m:g}": short(config, "outsourced", go_live_month=m) for m in months}
    table = _means(runs, "fulfilled_share")
    fulfilled = table["fulfilled_share"].to_numpy()
    assert _non_decreasing(fulfilled), fulfilled
    assert fulfilled[-1] - fulfilled[0] > 0.2
    # at full strength the run is the steady one, number for number
    full = short(config, "outsourced", go_live_month=months[-1])
    assert simulate(full, Streams(3)) == simulate(short(config, "outsourced"), Streams(3))


def test_fulfilment_by_month_against_business_as_usual(config) -> None:
    table = by_month(config, ["in_house", "outsourced"], 3, replications=2, seed=5, window_days=3.0)
    assert set(table["month"]) == {0, 1, 2}
    fulfilled = table[table["measure"] == "fulfilled_share"].set_index(["option", "month"])
    assert (fulfilled.loc["in_house", "recruited_share"] == 1.0).all()
    assert (fulfilled.loc["outsourced", "mean"] < fulfilled.loc["in_house", "mean"]).all()
    assert (table["low"] <= table["mean"]).all() and (table["mean"] <= table["high"]).all()


def test_same_seed_same_numbers_with_one_or_two_jobs(config, short) -> None:
    runs = {option: short(config, option) for option in config.options}
    one = run_replications(simulate, runs, replications=2, seed=9, jobs=1, progress=False)
    two = run_replications(simulate, runs, replications=2, seed=9, jobs=2, progress=False)
    pd.testing.assert_frame_equal(one, two)
    run = runs["in_house"]
    assert simulate(run, Streams(4, 1)) == simulate(run, Streams(4, 1))
    assert simulate(run, Streams(4, 1)) != simulate(run, Streams(4, 2))


def test_every_option_sees_the_same_requests(config, short) -> None:
    """Common random numbers: the requests (and cancellations) do not depend on the option."""
    metrics = {o: simulate(short(config, o), Streams(8)) for o in config.options}
    for name in (
        "custody_requests_per_year",
        "street_requests_per_year",
        "common_languages_cancelled_per_year",
    ):
        assert len({round(m[name], 9) for m in metrics.values()}) == 1, name


def test_telephone_first_cuts_custody_hours_lost(config, short) -> None:
    metrics = {o: simulate(short(config, o), Streams(8)) for o in ("in_house", "remote_first")}
    assert (
        metrics["remote_first"]["custody_hours_lost_per_year"]
        < metrics["in_house"]["custody_hours_lost_per_year"]
    )
    assert (
        metrics["remote_first"]["telephone_minutes_per_year"]
        > metrics["in_house"]["telephone_minutes_per_year"]
    )


def test_staff_interpreters_take_custody_first(config, short) -> None:
    metrics = simulate(short(config, "mixed"), Streams(2))
    assert metrics["common_languages_staff_bookings_per_year"] > 0
    assert 0 < metrics["common_languages_staff_utilisation"] <= 1
    assert (
        simulate(short(config, "in_house"), Streams(2))["common_languages_staff_bookings_per_year"]
        == 0
    )


def test_the_trace_is_the_run_simulate_measures(config, short) -> None:
    run = short(config, "in_house")
    traced = trace(run, Streams(6))
    assert traced.metrics == simulate(run, Streams(6))
    assert len(traced.days) == 7
    per_year = 365.0 / 7.0
    total = traced.face_to_face_requests.sum() * per_year
    stated = (
        traced.metrics["custody_requests_per_year"]
        + traced.metrics["investigation_requests_per_year"]
    )
    assert total == pytest.approx(stated)
    assert set(traced.metrics) <= set(metric_names(config, "in_house"))


def test_a_pool_refuses_when_nobody_is_free_and_listed_spreads_fractions() -> None:
    pool = LanguagePool(listed=2, accept=1.0)
    assert pool.offer(0.0, "custody", 0.99) == "callout"
    assert pool.offer(0.0, "custody", 0.99) == "callout"
    assert pool.offer(0.0, "custody", 0.0) is None
    pool.release("callout")
    assert pool.offer(0.0, "custody", 0.5) == "callout"
    assert [listed_interpreters(1.5, 4, i) for i in range(4)] == [2, 2, 1, 1]
    assert sum(listed_interpreters(1.02, 57, i) for i in range(57)) == 58


def test_a_run_refuses_a_negative_month(config) -> None:
    with pytest.raises(ValueError, match="go_live_month"):
        LanguageRun(config, "outsourced", go_live_month=-1.0)
