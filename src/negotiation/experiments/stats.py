"""What many runs add up to: pure functions of results.csv rows.

Rows are the dicts ``experiments.make_row`` builds (Python values, ``None``
for "not applicable"). Shares are over *all* runs of a group unless said
otherwise, so a run that ended without agreement counts against
"agreement by a date" and against "matches the real deal". Dates are
summarised by order statistics of actual run dates (never an average of
dates), so the median is a date some run really reached.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..domain.scenario import Scenario
from ..roles import declared
from ..scenarios.load import scenario_truth
from .metrics import DISTANCES, means

Row = Mapping[str, Any]
MATCH_SHARE = 0.8  # "at least 8 of 10 clauses"
WITHIN_DAYS = 30


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def agreed(rows: Sequence[Row]) -> list[Row]:
    return [r for r in rows if r.get("result") == "agreement"]


def share(count: int, total: int) -> float | None:
    return round(count / total, 6) if total else None


def describe_dates(days: Sequence[dt.date]) -> dict[str, Any]:
    """n, min, quartiles, median, max of dates (order statistics)."""
    if not days:
        return {"n": 0}
    ordinals = np.array(sorted(d.toordinal() for d in days))
    q = np.percentile(ordinals, [25, 50, 75], method="lower")
    return {"n": len(days), "min": iso(dt.date.fromordinal(int(ordinals[0]))),
            "q25": iso(dt.date.fromordinal(int(q[0]))), "median": iso(dt.date.fromordinal(int(q[1]))),
            "q75": iso(dt.date.fromordinal(int(q[2]))), "max": iso(dt.date.fromordinal(int(ordinals[-1])))}


def deadlines(scenario: Scenario) -> list[tuple[str, dt.date]]:
    """Every party's own deadline as its role declares it (an investor's
    condition date counts as one), then the calendar's global deadline."""
    out = []
    for party in scenario.parties:
        date = declared(party).deadline
        if date is not None:
            out.append((party.name, date))
    out.append(("calendar", scenario.calendar.deadline))
    return out


def by_deadlines(rows: Sequence[Row], scenario: Scenario) -> dict[str, dict[str, Any]]:
    """P(definitive agreement on or before each deadline), over all runs."""
    days = [day(r.get("agreement_date")) for r in agreed(rows)]
    return {name: {"date": date.isoformat(), "p": share(sum(1 for d in days if d and d <= date), len(rows))}
            for name, date in deadlines(scenario)}


def conditions_met(rows: Sequence[Row], scenario: Scenario) -> dict[str, dict[str, Any]]:
    """P(condition met) per investor: the share of runs whose definitive
    agreement came on or before the investor's condition date (a condition
    its role declares)."""
    out = {}
    for party in scenario.parties:
        date = declared(party).condition
        if date is not None:
            out[party.name] = {"date": date.isoformat(),
                               "p": share(sum(1 for r in rows if r.get(f"met.{party.name}") is True), len(rows))}
    return out


def deadlines_passed(rows: Sequence[Row], scenario: Scenario) -> dict[str, dict[str, Any]]:
    """Per costly-continuation deadline: the dates drawn (first, median, last
    over the runs) and P(passed): the share of runs in which its cost applied."""
    out = {}
    for party in scenario.parties:
        if party.role != "deadline":
            continue
        dates = sorted(str(r[f"deadline.{party.name}"]) for r in rows if r.get(f"deadline.{party.name}"))
        if dates:
            out[party.name] = {"first": dates[0], "median": dates[(len(dates) - 1) // 2], "last": dates[-1],
                               "p": share(sum(1 for r in rows if r.get(f"passed.{party.name}") is True), len(rows))}
    return out


def option_shares(rows: Sequence[Row], scenario: Scenario) -> dict[str, dict[str, float]]:
    """For each clause, the share of agreements that chose each option."""
    deals = agreed(rows)
    out: dict[str, dict[str, float]] = {}
    for clause in scenario.clauses:
        counts = Counter(str(r.get(clause.name)) for r in deals)
        out[clause.name] = {str(o): share(counts[str(o)], len(deals)) or 0.0 for o in clause.options}
    return out


def mean(values: Sequence[float | None]) -> float | None:
    kept = [float(v) for v in values if v is not None and v != ""]
    return round(sum(kept) / len(kept), 6) if kept else None


def utilities(rows: Sequence[Row]) -> dict[str, float | None]:
    """Mean utility of each party over the agreements."""
    deals = agreed(rows)
    names = [k for k in (deals[0] if deals else {}) if k.startswith("u.")]
    return {name[2:]: mean([r.get(name) for r in deals]) for name in names}


def has_comparison(rows: Sequence[Row]) -> bool:
    return any(r.get("score") is not None for r in rows)


def close_match(row: Row) -> bool:
    """At least 80 % of the clauses (8 of 10) right and the definitive date
    within 30 days of the real one."""
    matched, total, off = row.get("matched"), row.get("total"), row.get("days_off_definitive")
    if matched is None or not total or off is None:
        return False
    return matched >= math.ceil(MATCH_SHARE * total) and abs(off) <= WITHIN_DAYS


def comparison(rows: Sequence[Row]) -> dict[str, Any] | str:
    """Score, per-clause match shares and the close-match share, over all
    runs; a plain sentence when no run had a truth to compare with."""
    if not has_comparison(rows):
        return "no truth to compare with"
    clauses = [k[6:] for k in rows[0] if k.startswith("match.")] if rows else []
    total = next((r["total"] for r in rows if r.get("total")), None)
    return {
        "mean_score": mean([r.get("score") for r in rows]),
        "median_score": float(np.median([r["score"] for r in rows if r.get("score") is not None])),
        "clause_match": {c: share(sum(1 for r in rows if r.get(f"match.{c}") is True), len(rows)) for c in clauses},
        "close_match": {"min_matched": math.ceil(MATCH_SHARE * total) if total else None, "of": total,
                        "within_days": WITHIN_DAYS, "share": share(sum(map(close_match, rows)), len(rows))},
    }


def real_dates(scenario: Scenario) -> list[tuple[str, dt.date]]:
    """The real deal's tentative (MOU) and definitive dates, from the
    scenario's truth file and nowhere else: a scenario without one marks none."""
    truth = scenario_truth(scenario)
    if truth is None:
        return []
    dates = [("MOU", truth.tentative_date), ("definitive deal", truth.definitive_date)]
    return [(label, d) for label, d in dates if d is not None]


def group_stats(rows: Sequence[Row], scenario: Scenario) -> dict[str, Any]:
    """Everything one group of runs (an experiment, a cell, an arm) says."""
    results = Counter(r.get("result") for r in rows)
    deals = agreed(rows)
    stats: dict[str, Any] = {
        "runs": len(rows),
        "results": {k: results[k] for k in sorted(results, key=str)},
        "agreement_rate": share(len(deals), len(rows)),
        "agreement_dates": describe_dates([d for r in deals if (d := day(r.get("agreement_date")))]),
        "by_deadline": by_deadlines(rows, scenario),
        "conditions_met": conditions_met(rows, scenario),
        **({"deadlines_passed": passed} if (passed := deadlines_passed(rows, scenario)) else {}),
        "outcomes": option_shares(rows, scenario),
        "utilities": utilities(rows),
        "metrics": means(list(rows)),
        "comparison": comparison(rows),
    }
    tentative = [d for r in rows if (d := day(r.get("tentative_date")))]
    if any(r.get("tentative_date") != r.get("agreement_date") for r in rows if r.get("tentative_date")):
        stats["tentative_dates"] = describe_dates(tentative)
    return stats


# -- sweeps ------------------------------------------------------------------------------

def metric_names(scenario: Scenario) -> list[str]:
    parties = [p.name for p in scenario.parties if p.preferences is not None]
    return ["score", "agreement", "days", *(f"u.{p}" for p in parties), *DISTANCES, "welfare",
            *(f"advantage.{p}" for p in parties), *(c.name for c in scenario.clauses)]


def metric(rows: Sequence[Row], name: str, scenario: Scenario) -> float | None:
    """One number for a group of runs: ``agreement`` share; mean ``score``;
    median ``days`` from the calendar start to agreement; mean utility
    ``u.<party>`` over agreements; the mean of an ANAC metric (``metrics.py``)
    over all runs; or, for a clause, the mean agreed option
    (its value if numeric, else its position in the option list)."""
    deals = agreed(rows)
    if name == "agreement":
        return share(len(deals), len(rows))
    if name == "score":
        return mean([r.get("score") for r in rows])
    if name == "days":
        start = scenario.calendar.start
        days = [(d - start).days for r in deals if (d := day(r.get("agreement_date")))]
        return float(np.median(days)) if days else None
    if name.startswith("u."):
        return mean([r.get(name) for r in deals])
    if name in (*DISTANCES, "welfare") or name.startswith("advantage."):  # over every run, as ANAC averages
        return mean([r.get(name) for r in rows])
    clause = scenario.clause(name)
    numeric = all(isinstance(o, (int, float)) for o in clause.options)
    return mean([float(r[name]) if numeric else clause.index(r[name]) for r in deals if r.get(name) is not None])


def clause_shift(base: Sequence[Row], other: Sequence[Row], scenario: Scenario,
                 altered: Scenario) -> dict[str, dict[str, Any]]:
    """Clause by clause: the most frequent agreed option in each arm, its
    share, and for numbers the change of the mean agreed value."""
    out = {}
    shares_a, shares_b = option_shares(base, scenario), option_shares(other, altered)
    for clause in scenario.clauses:
        a, b = shares_a.get(clause.name, {}), shares_b.get(clause.name, {})
        mode_a = max(a, key=lambda o: a[o]) if agreed(base) else None
        mode_b = max(b, key=lambda o: b[o]) if agreed(other) and b else None
        entry: dict[str, Any] = {"baseline": mode_a, "baseline_share": a.get(mode_a) if mode_a else None,
                                 "counterfactual": mode_b, "counterfactual_share": b.get(mode_b) if mode_b else None,
                                 "changed": mode_a != mode_b}
        if all(isinstance(o, (int, float)) for o in clause.options) and clause.name in altered.space.names:
            ma, mb = metric(base, clause.name, scenario), metric(other, clause.name, altered)
            entry.update(baseline_mean=ma, counterfactual_mean=mb,
                         mean_change=round(mb - ma, 6) if ma is not None and mb is not None else None)
        out[clause.name] = entry
    return out
