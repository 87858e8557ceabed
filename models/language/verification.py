"""Verification of the language model against closed forms (tests and report appendix).

The real model is configured down to textbook queues (one language, constant arrival rates,
every interpreter on the list willing and free, no register, no fallback, no cancellations)
and each simulated mean over replications (95 % t-interval) is compared with the exact value:

- **Erlang B** (M/G/c/c): a custody request offered to one language's call-out list of ``c``
  interpreters, in one call round only, is lost when all ``c`` are on a booking; each booking
  holds its interpreter for the travel there and back and the session. The share lost is the
  Erlang loss probability ``B(c, lambda E[hold])`` (insensitive to the holding-time law);
- **M/G/infinity**: street calls to the telephone service, which always has a line: the mean
  number of calls in progress is ``lambda E[call]`` (a gamma call length);
- **Erlang C** (M/M/c): documents queueing for ``c`` translators with exponential working
  times: the mean wait before a translator starts is ``Wq``.

A check passes when the exact value lies inside the interval *and* the relative difference is
within the tolerance (3 %). The defaults run long enough (``replications`` x ``window_days``)
for the half-width to be well under 3 % of each value, so a 3 % error would show.
"""

from __future__ import annotations

from typing import Any

from models.kit.checks import Expected, analytic_check
from models.kit.queueing import erlang_b, mg_infinity, mmc
from models.language.config import LanguageConfig
from models.language.model import LanguageRun, simulate

__all__ = ["CHECKS", "check_textbook_queues", "textbook_run"]

_NONE = {"requests_per_year": 0.0}


def _fixed(value: float) -> dict[str, Any]:
    return {"kind": "fixed", "value": value}


def textbook_run(
    *,
    interpreters: int = 5,
    custody_per_hour: float = 4.0 / 0.6,
    travel_hours: float = 0.1,
    session_hours: float = 0.4,
    calls_per_hour: float = 5.0,
    call_minutes: float = 12.0,
    translators: int = 2,
    documents_per_hour: float = 30.0,
    document_hours: float = 1.0 / 30.0,
    window_days: float = 28.0,
) -> LanguageRun:
    """The model configured down to three textbook queues (see the module notes).

    The defaults put many requests through each queue per simulated day (short holds, high
    rates: the formulas are scale-free): an offered load of 4 Erlangs on 5 interpreters (a
    fifth of the requests lost), 1 call in progress on average, and 2 translators at 50 %
    (where a mean wait is estimated most precisely per document)."""
    per_year = 365.0 * 24.0
    part = {
        "availability": 1.0,
        "terms": {"fee_per_hour": 100.0, "minimum_hours": 1.0},
        "uses_register": False,
    }
    config = LanguageConfig.model_validate(
        {
            "requests": {
                "custody": {
                    "requests_per_year": custody_per_hour * per_year,
                    "session_hours": {"kind": "exponential", "mean": session_hours},
                    "deadline_hours": 2.0,
                    "give_up_hours": 0.0,
                },
                "investigation": {
                    **_NONE,
                    "session_hours": _fixed(1.0),
                    "deadline_hours": 1.0,
                    "give_up_hours": 0.0,
                },
                "street": {
                    "requests_per_year": calls_per_hour * per_year,
                    "call_minutes": {"kind": "gamma", "mean": call_minutes, "sd": call_minutes},
                    "deadline_minutes": 5.0,
                },
                "translation": {
                    "requests_per_year": documents_per_hour * per_year,
                    "deadline_hours": 1.0,
                },
            },
            "language_groups": {
                "common": {"languages": 1, "share": 1.0, "travel_hours": _fixed(travel_hours)},
                "medium": {"languages": 1, "share": 0.0, "travel_hours": _fixed(1.0)},
                "rare": {"languages": 1, "share": 0.0, "travel_hours": _fixed(1.0)},
            },
            "national_register": {"find_share": 0.0, "travel_hours": _fixed(1.0)},
            "willingness": {"reference_pay_per_booking": 100.0, "elasticity": 1.0},
            "period": {"warmup_days": 2.0, "window_days": window_days},
            "business_as_usual": "verification",
            "options": {
                "verification": {
                    "label": "Verification",
                    "common_languages": {
                        "provider": "in_house",
                        "interpreters_per_language": {"common": interpreters},
                        **part,
                        "costs": {},
                    },
                    "other_languages": {
                        "provider": "in_house",
                        "interpreters_per_language": {"medium": 0, "rare": 0},
                        **part,
                        "costs": {},
                    },
                    "telephone": {
                        "provider": "contractor",
                        "connect_minutes": _fixed(1.0),
                        "costs": {"price_per_minute": 0.0},
                    },
                    "translation": {
                        "provider": "in_house",
                        "translators": translators,
                        "document_hours": {"kind": "exponential", "mean": document_hours},
                        "costs": {"translator": {"salary": 0.0}},
                    },
                }
            },
        }
    )
    return LanguageRun(config, "verification")


def _queues(run: LanguageRun) -> tuple[int, float, float, float, float, float, int, float]:
    """``(c, custody rate, mean hold, call rate, call hours, document rate, translators,
    translator rate)`` of a :func:`textbook_run` (rates an hour)."""
    config, spec = run.config, run.spec
    custody = config.requests.custody
    hold = 2.0 * config.language_groups.common.travel_hours.mean + custody.session_hours.mean
    street = config.requests.street
    translation = spec.translation
    per_hour = 1.0 / (365.0 * 24.0)
    return (
        round(spec.common_languages.interpreters_per_language["common"]),
        custody.requests_per_year * per_hour,
        hold,
        street.requests_per_year * per_hour,
        street.call_minutes.mean / 60.0,
        config.requests.translation.requests_per_year * per_hour,
        translation.translators,
        1.0 / translation.document_hours.mean,
    )


@analytic_check(simulate, textbook_run, replications=25, tolerance=0.03)
def check_textbook_queues(run: LanguageRun) -> list[Expected]:
    """The lost share of one language's call-out list against Erlang B, the calls in
    progress on the telephone against M/G/infinity, and the translators' queue against
    Erlang C."""
    c, custody_rate, hold, call_rate, call_hours, doc_rate, translators, doc_service = _queues(run)
    load = custody_rate * hold
    translation = mmc(doc_rate, doc_service, translators)
    return [
        Expected(
            "Erlang B",
            f"one language's call-out list of {c} interpreters, {custody_rate:.3g} custody "
            f"requests/h each holding an interpreter {hold:g} h on average (offered load "
            f"{load:.2f}), one call round: share lost = B(c, A)",
            "custody_failed_share",
            erlang_b(c, load),
        ),
        Expected(
            "M/G/infinity",
            f"street calls to the telephone service, {call_rate:g} calls/h of "
            f"{60.0 * call_hours:g} min on average (gamma): calls in progress = lambda E[S]",
            "telephone_calls_in_progress_mean",
            mg_infinity(call_rate, call_hours).mean,
        ),
        Expected(
            "Erlang C",
            f"M/M/{translators}: {doc_rate:g} documents/h, exponential work of "
            f"{1.0 / doc_service:g} h (utilisation {translation.utilisation:.0%}): mean wait "
            "for a translator = Wq",
            "translation_wait_mean_hours",
            translation.mean_wait,
        ),
    ]


CHECKS = (check_textbook_queues,)
"""The checks of the service's verification (:meth:`models.service.Service.verify`: 25
replications of 4 weeks by default, chosen so that each interval is narrow enough for the 3 %
tolerance)."""
