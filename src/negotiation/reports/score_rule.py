"""The comparison's score rule, in numbers and in words.

Apart from :mod:`negotiation.reports.compare` so that the CLI can print the
rule in ``negotiation compare --help`` without importing numpy.
"""

CLAUSE_WEIGHT = 0.8
TIMING_HORIZON_DAYS = 365
SCORE_RULE = (f"The score is in [0, 1]: {CLAUSE_WEIGHT:g} × mean clause closeness (1 − steps off / (options − 1); "
              f"unordered clauses count 1 or 0) + {1 - CLAUSE_WEIGHT:.1g} × max(0, 1 − |days off the definitive date| / "
              f"{TIMING_HORIZON_DAYS}); a run with no definitive agreement scores 0.")
