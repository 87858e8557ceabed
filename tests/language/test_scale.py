"""The default section reproduces the published scale of 2012-13, within stated bands (sources:
data/evidence/facts.md, section "Language services")."""

from __future__ import annotations

import pandas as pd
import pytest

from models.kit.replications import run_replications
from models.language import SERVICE
from models.language.config import Consequences
from models.language.model import LanguageRun, simulate

SPEND = (6.4e6, 7.8e6)
"""£7.1m over 97 languages, about 2012-13 [S] (newspaper FOI survey, Nov 2013), +-10 %."""
LANGUAGES = (90, 110)
"""97 languages [S] (same survey); "about 100 languages" on the call-out list [S]."""
LISTED = (405, 420)
"""413 individual interpreters on the call-out list [S] (MPA finance and resources committee)."""
IN_HOUSE_FULFILLED = 0.95
"""The force's own list, with the National Register at peaks [S], fulfilled most bookings."""
GO_LIVE_FULFILLED = (0.48, 0.68)
"""58 % of bookings fulfilled at go-live against a 98 % target [S] (Public Accounts Committee
press notice, 14 Dec 2012), with 280 of the 1,200 interpreters needed [S]."""
RECOVERED_FULFILLED = (0.88, 0.975)
"""Over 94 % in Nov 2013, still short of 98 % [S] (NAO HC 995, Jan 2014)."""
CUSTODY_REQUESTS = (28_000, 35_000)
"""70,000 foreign-national arrests a year [S] x half needing an interpreter [E], less the
tenth cancelled [E]."""


@pytest.fixture(scope="module")
def means(config) -> pd.Series:
    """Three replications of the full period: business as usual, the contractor at go-live and
    once recruited (year-1 demand)."""
    runs = {
        "in_house": LanguageRun(config, "in_house", 1.0),
        "go_live": LanguageRun(config, "outsourced", 1.0, go_live_month=0.0),
        "recovered": LanguageRun(config, "outsourced", 1.0),
    }
    results = run_replications(
        simulate, runs, replications=3, seed=20130308, jobs=2, progress=False
    )
    return results.groupby(["option", "metric"])["value"].mean()


def test_languages_and_listed_interpreters(config) -> None:
    groups = config.language_groups
    assert LANGUAGES[0] <= groups.languages <= LANGUAGES[1]
    listed = sum(
        spec.interpreters_per_language[g] * groups.group(g).languages
        for spec in (
            config.options["in_house"].common_languages,
            config.options["in_house"].other_languages,
        )
        for g in spec.interpreters_per_language
    )
    assert LISTED[0] <= listed <= LISTED[1]


def test_business_as_usual_spends_about_seven_million_a_year(config, means) -> None:
    """The spend on language services: the cost of late and failed requests is the force's
    other costs, not a payment for interpreting."""
    volumes = {m: means["in_house", m] for m in SERVICE.volume_metrics(config, "in_house")}
    services_only = config.model_copy(update={"consequences": Consequences()})
    spend = SERVICE.annual_net_cost(services_only, "in_house", volumes)
    assert SPEND[0] <= spend <= SPEND[1], f"£{spend:,.0f}"


def test_custody_requests_follow_the_arrests(means) -> None:
    assert (
        CUSTODY_REQUESTS[0] <= means["in_house", "custody_requests_per_year"] <= CUSTODY_REQUESTS[1]
    )


def test_fulfilment_in_house_at_go_live_and_once_recovered(means) -> None:
    assert means["in_house", "fulfilled_share"] >= IN_HOUSE_FULFILLED
    low, high = GO_LIVE_FULFILLED
    assert low <= means["go_live", "fulfilled_share"] <= high
    low, high = RECOVERED_FULFILLED
    assert low <= means["recovered", "fulfilled_share"] <= high
    assert (
        means["go_live", "custody_hours_lost_per_year"]
        > means["in_house", "custody_hours_lost_per_year"]
    )
