"""The parts of each service's report that only that service has: its tables of demand and
options, its performance rows, the charts of one simulated period, its unit costs and its
method notes. One module a service, with the same function names where the reports share a
step, so the notebooks read alike; shared sections live in :mod:`workbook.sections`, fed by
each module's ``HEADLINE_ROWS`` (the headline figures) and ``MEASURED_AT`` (what they are
measured at), and by the standards the service's :class:`~models.service.Service` declares.

Every function displays its part and returns ``None``.
"""
