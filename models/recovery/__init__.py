"""Vehicle recovery and pounds: scenario schema (``config``), SimPy model (``model``), cost
lines (``costs``), analytic checks (``analytic``, ``verification``) and warm-up evidence
(``warmup``), declared as one service (:data:`SERVICE`, see :mod:`models.service`)."""

from models.recovery.service import SERVICE
from models.recovery.warmup import warmup_evidence

__all__ = ["SERVICE", "warmup_evidence"]
