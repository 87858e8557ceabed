"""Face-to-face supply of one language: salaried interpreters on a roster, then the call-out
list (interpreters who each accept a booking with some chance), as a loss system.

A request for an interpreter is a *call round*: staff on duty and not on a booking take it
first (for the kinds they cover); otherwise each listed interpreter who is not on a booking is
offered it and accepts with probability ``accept`` (free for this work, and willing on the terms
offered, and on the provider's books after go-live). With ``f`` free, someone accepts with
probability ``1 - (1 - accept) ** f``, decided with one uniform draw, so more interpreters or a
higher acceptance never turn a given round from accepted to refused. An interpreter who accepts
is busy for the travel there, the session and the travel back. Nobody queues for a pool: a round
with no one accepting is refused (an Erlang loss system when ``accept`` is 1).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from models.kit.roster import Roster

__all__ = ["LanguagePool", "listed_interpreters"]


def listed_interpreters(per_language: float, languages: int, index: int) -> int:
    """Interpreters listed for language ``index`` of a group of ``languages``, when the group
    averages ``per_language``: the whole part for every language, and one more for the first
    ``round(fraction x languages)`` of them."""
    whole = math.floor(per_language)
    extra = round((per_language - whole) * languages)
    return whole + (1 if index < extra else 0)


@dataclass
class LanguagePool:
    """The interpreters of one language: staff on a roster (if any) and a call-out list."""

    listed: int
    accept: float
    """Chance that a free listed interpreter accepts a booking offered."""
    staff: Roster | None = None
    staff_kinds: frozenset[str] = frozenset()
    busy: int = 0
    staff_busy: int = 0
    _refuse: float = field(init=False)

    def __post_init__(self) -> None:
        self._refuse = 1.0 - self.accept

    def offer(self, now: float, kind: str, draw: float) -> str | None:
        """Offer one booking at ``now``: ``"staff"`` or ``"callout"`` if taken (that
        interpreter is now busy), ``None`` if nobody takes it; ``draw`` is a uniform in [0, 1)."""
        staff = self.staff
        if (
            staff is not None
            and kind in self.staff_kinds
            and self.staff_busy < staff.capacity_at(now)
        ):
            self.staff_busy += 1
            return "staff"
        free = self.listed - self.busy
        if free <= 0 or self.accept <= 0:
            return None
        if draw < 1.0 - self._refuse**free:
            self.busy += 1
            return "callout"
        return None

    def release(self, source: str) -> None:
        """An interpreter of ``source`` (``"staff"`` or ``"callout"``) is free again."""
        if source == "staff":
            self.staff_busy -= 1
        else:
            self.busy -= 1
