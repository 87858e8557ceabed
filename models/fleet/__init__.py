"""Fleet provision and maintenance: scenario schema (``config``), SimPy model (``model``), cost
lines (``costs``), verification and warm-up evidence (``warmup``), declared as one service
(:data:`SERVICE`, see :mod:`models.service`)."""

from models.fleet.service import SERVICE
from models.fleet.warmup import warmup_evidence

__all__ = ["SERVICE", "warmup_evidence"]
