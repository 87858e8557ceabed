"""Language services (face-to-face and telephone interpreting, translation): scenario schema
(``config``), SimPy model (``model``, with ``interpreters``), cost lines (``costs``), the
contractor's recruitment after go-live (``go_live``) and verification, declared as one service
(:data:`SERVICE`, see :mod:`models.service`)."""

from models.language.service import SERVICE

__all__ = ["SERVICE"]
