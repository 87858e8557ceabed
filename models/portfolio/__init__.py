"""The portfolio: every service of a scenario together, and bundled options across them.

:mod:`models.portfolio.bundles` prices a bundle's cost lines (one contractor for several
services); :mod:`models.portfolio.appraisal` sums the services per replication and compares
business as usual, the preferred combination and each bundle on common random numbers.
"""

from models.portfolio.appraisal import Portfolio, ServiceCase, appraise_portfolio
from models.portfolio.bundles import bundle_lines, shared_client_function

__all__ = [
    "Portfolio",
    "ServiceCase",
    "appraise_portfolio",
    "bundle_lines",
    "shared_client_function",
]
