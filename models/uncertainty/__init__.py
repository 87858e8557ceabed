"""Parameter uncertainty: ranges on the inputs, a two-layer study on common random numbers,
and what a decision can rest on (probabilities, percentiles, global sensitivity, switching
values and the regions where each option wins).

Modules: :mod:`~models.uncertainty.ranges` (the scenario's ranges resolved to inputs),
:mod:`~models.uncertainty.design` (the seeded samples), :mod:`~models.uncertainty.study`
(simulating the operational design and re-pricing stored volumes),
:mod:`~models.uncertainty.analysis` (what the reports show).
"""
