"""The parts of each service's report that only that service has: its tables of demand and
options, its performance rows, the charts of one simulated period, its unit costs and its
method notes. One module a service, with the same function names where the reports share a
step, so the notebooks read alike; shared sections live in :mod:`workbook.sections`.

Every function displays its part and returns ``None``.
"""
