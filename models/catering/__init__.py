"""Catering (staff restaurants, operational feeding, custody meals): scenario schema
(``config``), SimPy model (``model`` and its parts), cost lines (``costs``) and verification,
declared as one service (:data:`SERVICE`, see :mod:`models.service`)."""

from models.catering.costs import subsidy_per_cover
from models.catering.service import SERVICE

__all__ = ["SERVICE", "subsidy_per_cover"]
