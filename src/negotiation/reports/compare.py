"""A run against the real deal: clause by clause, and in timing.

The comparison is a pure function of what the log says (the agreed
outcome, the dates of the tentative and definitive agreements, the clauses'
options) and of a :class:`~negotiation.inputs.sources.Truth`. It is what
``negotiation run`` prints at the end and stores in ``summary.json`` under
``comparison``, and what ``negotiation compare`` prints for any run.

One score sums it up (1 = the real deal on the real date): its rule is
:data:`negotiation.reports.score_rule.SCORE_RULE`, which ``negotiation
compare --help`` prints; :func:`compare` computes it from the same
constants. The distance is the number of steps between the simulated and
the real option along an ordered clause, 0 or 1 on an unordered one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..domain.outcomes import same_option
from ..engine.record import stage_dates
from ..inputs.sources import Truth
from .score_rule import CLAUSE_WEIGHT, TIMING_HORIZON_DAYS

if TYPE_CHECKING:
    from ..domain.scenario import Scenario


def distance(options: list[Any], ordered: bool, simulated: Any, real: Any) -> int:
    """Steps between two options along an ordered clause; 0/1 otherwise."""
    i, j = _index(options, simulated), _index(options, real)
    return abs(i - j) if ordered else int(i != j)


def _index(options: list[Any], option: Any) -> int:
    return next(k for k, o in enumerate(options) if same_option(o, option))


def days_between(simulated: str | None, real: dt.date | None) -> int | None:
    if simulated is None or real is None:
        return None
    return (dt.date.fromisoformat(simulated) - real).days


def compare(outcome: Mapping[str, Any] | None, tentative_date: str | None, definitive_date: str | None,
            clauses: Mapping[str, list[Any]], ordered: Iterable[str], truth: Truth) -> dict[str, Any]:
    """The ``comparison`` record of summary.json (see the module docstring)."""
    ordered = set(ordered)
    rows: dict[str, dict[str, Any]] = {}
    closeness = []
    for name, real in truth.options:
        if name not in clauses:
            continue
        options = list(clauses[name])
        simulated = outcome.get(name) if outcome else None
        if simulated is None:
            rows[name] = {"simulated": None, "real": real, "match": False, "distance": None}
            closeness.append(0.0)
            continue
        d = distance(options, name in ordered, simulated, real)
        rows[name] = {"simulated": simulated, "real": real, "match": d == 0, "distance": d}
        span = (len(options) - 1) if name in ordered else 1
        closeness.append(1.0 - d / span if span else 1.0)
    off_definitive = days_between(definitive_date, truth.definitive_date) if outcome else None
    if outcome and closeness and off_definitive is not None:
        timing = max(0.0, 1.0 - abs(off_definitive) / TIMING_HORIZON_DAYS)
        score = CLAUSE_WEIGHT * sum(closeness) / len(closeness) + (1 - CLAUSE_WEIGHT) * timing
    else:
        score = 0.0
    return {
        "truth": truth.source,
        "clauses": rows,
        "matched": sum(1 for row in rows.values() if row["match"]),
        "total": len(rows),
        "days_off_tentative": days_between(tentative_date, truth.tentative_date) if outcome else None,
        "days_off_definitive": off_definitive,
        "score": round(score, 6),
    }


def compare_summary(summary: Mapping[str, Any], clauses: Mapping[str, list[Any]], ordered: Iterable[str],
                    truth: Truth) -> dict[str, Any]:
    """The comparison for a run's summary: the definitive outcome, the first
    tentative agreement (the analogue of the MOU, which was the first
    bilateral agreement put to the regulators) and the definitive date."""
    definitive = summary.get("agreement_date")
    return compare(summary.get("outcome") if definitive else None, summary.get("tentative_date"), definitive,
                   clauses, ordered, truth)


def compare_log(records: list[Mapping[str, Any]], truth: Truth) -> dict[str, Any]:
    """The comparison from a run's log records alone (``negotiation compare``)."""
    header = records[0]
    end = records[-1] if records[-1].get("type") == "end" else {}
    tentative, definitive = stage_dates(records, "tentative"), stage_dates(records, "definitive")
    summary = {"outcome": end.get("outcome"), "tentative_date": tentative[0] if tentative else None,
               "agreement_date": definitive[-1] if definitive else None}
    return compare_summary(summary, header["clauses"], header.get("ordered", []), truth)


def scenario_comparison(summary: Mapping[str, Any], scenario: Scenario, truth: Truth) -> dict[str, Any]:
    """The comparison of a run's summary with the real deal, on the scenario's clauses."""
    return compare_summary(summary, {c.name: list(c.options) for c in scenario.clauses},
                           [c.name for c in scenario.clauses if c.ordered], truth)
