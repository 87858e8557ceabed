"""Cost lines the appraisal tests build again and again."""

from __future__ import annotations

from typing import Any

from models.appraisal import CostLine, contract_lines

PERIOD = 10
"""Operating years of the test appraisals."""


def outsourced_contract(**terms: Any) -> tuple[CostLine, CostLine]:
    """:func:`models.appraisal.contract_lines` of the ``outsourced`` option's ``contract``
    over :data:`PERIOD` years: its charges and its service credits."""
    return contract_lines("outsourced", "contract", period_years=PERIOD, **terms)
