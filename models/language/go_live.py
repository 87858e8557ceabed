"""Resilience at go-live: fulfilment by month while a contractor recruits to full strength.

A contractor that starts short (its parts' ``go_live``: a starting share of the interpreters it
needs, recruited linearly over some months, as in 2012: about 280 of the 1,200 needed, Public
Accounts Committee, 14 Dec 2012) is simulated month by month: each month is one run of the
section's representative period with the supply of that month after go-live
(:attr:`~models.language.model.LanguageRun.go_live_month`), every option on common random
numbers. An option with no ``go_live`` (business as usual) has the same supply every month, so
it is the reference the shortfall is measured against.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from models.kit.output_analysis import confidence_interval
from models.kit.replications import IN_PROCESS, Replicator
from models.language.config import PART_GROUPS, LanguageConfig
from models.language.model import LanguageRun, simulate

__all__ = ["MEASURES", "by_month", "recruited_share", "starts_short"]

MEASURES: tuple[str, ...] = (
    "fulfilled_share",
    "custody_within_deadline_share",
    "custody_hours_lost_per_year",
    "failed_share",
)
"""What :func:`by_month` reports for each month."""


def starts_short(config: LanguageConfig, option: str) -> bool:
    """Whether any part of ``option`` recruits after go-live."""
    spec = config.options[option]
    return any(getattr(spec, part).go_live is not None for part in PART_GROUPS)


def recruited_share(config: LanguageConfig, option: str, month: float) -> float:
    """Share of its interpreters the option's face-to-face parts have ``month`` months after
    go-live, weighted by their listed interpreters per language (1 for an option at full
    strength)."""
    spec = config.options[option]
    weights = shares = 0.0
    for part in PART_GROUPS:
        provider = getattr(spec, part)
        listed = sum(provider.interpreters_per_language.values())
        share = 1.0 if provider.go_live is None else provider.go_live.share(month)
        weights += listed
        shares += listed * share
    return shares / weights if weights > 0 else 1.0


def by_month(
    config: LanguageConfig,
    options: Iterable[str],
    months: int,
    *,
    replications: int,
    seed: int,
    year: float = 1.0,
    runner: Replicator = IN_PROCESS,
    **overrides: float,
) -> pd.DataFrame:
    """Fulfilment and custody hours lost in each month ``0 .. months - 1`` after go-live, per
    option: one row per option, month and measure of :data:`MEASURES` with the mean over
    ``replications`` (run by ``runner``) and its 95 % interval, and the share recruited
    (``overrides``: ``warmup_days``, ``window_days``). An option at full strength from the
    start is simulated once and stands for every month."""
    chosen = list(options)
    runs = {
        f"{option}#{month}": LanguageRun(
            config, option, year, go_live_month=None if month is None else float(month), **overrides
        )
        for option in chosen
        for month in (range(months) if starts_short(config, option) else [None])
    }
    results = runner.run(
        simulate, runs, replications=replications, seed=seed, description="go-live by month"
    )
    rows = []
    for key, frame in results.groupby("option", sort=False):
        option, _, month = str(key).rpartition("#")
        each = range(months) if month == "None" else [int(month)]
        for measure in MEASURES:
            values = frame.loc[frame["metric"] == measure, "value"].to_numpy()
            interval = confidence_interval(values)
            rows += [
                {
                    "option": option,
                    "month": m,
                    "measure": measure,
                    "mean": interval.mean,
                    "low": interval.low,
                    "high": interval.high,
                    "recruited_share": recruited_share(config, option, float(m)),
                }
                for m in each
            ]
    return pd.DataFrame(rows).sort_values(["option", "month", "measure"], ignore_index=True)
