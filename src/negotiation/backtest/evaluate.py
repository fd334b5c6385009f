"""Every predictor scored against the real deal: the ``--json`` record.

A pure function of the scenario (baselines), the Monte Carlo rows (the
model and the hold-outs) and the truth. Scoring rules in ``scoring.py``,
baselines in ``baselines.py``, the model's distributions and hold-outs in
``forecast.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from ..domain.outcomes import Option
from ..errors import InputError
from ..inputs.scenario import Scenario, scenario_truth
from . import baselines as bl
from . import forecast as fc
from .scoring import (
    EPSILON,
    LEVEL,
    ClauseScore,
    DateForecast,
    bootstrap_interval,
    date_quantiles,
    score_clause,
    uniform_dates,
)

PREDICTORS = ("model", *bl.BASELINES)


def truth_indices(scenario: Scenario) -> dict[str, int]:
    """The real option of every clause the truth file covers, by index."""
    real = scenario_truth(scenario)
    if real is None:
        raise InputError(scenario.source, "truth", "a real-deal file (truth: …) expected to backtest against")
    found = {}
    for name, option in real.options:
        found[name] = scenario.clause(name).index(option)
    if not found:
        raise InputError(real.source, "clauses", "at least one clause of the scenario expected")
    return found


def _options(scenario: Scenario, clause: str, indices: Sequence[int]) -> list[Option]:
    options = scenario.clause(clause).options
    return [options[i] for i in indices]


def score_all(dists: Mapping[str, np.ndarray], truth: Mapping[str, int], epsilon: float) -> dict[str, ClauseScore]:
    return {c: score_clause(dists[c], real, epsilon) for c, real in truth.items()}


def summary_of(scores: Mapping[str, ClauseScore], scenario: Scenario) -> dict[str, Any]:
    """The predictor record of the JSON contract."""
    values = list(scores.values())
    return {"log_score": round(float(np.mean([s.log_score for s in values])), 6),
            "brier": round(float(np.mean([s.brier for s in values])), 6),
            "hits": round(float(sum(s.hit for s in values)), 6),
            "clauses": {c: {"p_real": round(s.p_real, 6), "modal": _options(scenario, c, s.modal)}
                        for c, s in scores.items()}}


def _date_record(f: DateForecast, truth: dt.date | None) -> dict[str, Any]:
    iso = (lambda d: d.isoformat() if d is not None else None)
    return {"median": iso(f.median), "low_10": iso(f.low), "high_90": iso(f.high),
            "agreement_rate": round(f.agreed, 6),
            "days_off": f.days_off(truth) if truth else None, "in_80": f.covers(truth) if truth else None}


def _share_by(days: Sequence[dt.date | None], as_of: dt.date | None) -> float | None:
    """The share of runs with an agreement on or before ``as_of``: a forecast
    made that day knows there was none, and its runs bargain no round until
    after it (``engine/model.py``), so this is 0 by construction; None
    without a cut-off or runs."""
    if as_of is None or not days:
        return None
    return round(float(np.mean([d is not None and d <= as_of for d in days])), 6)


def evaluate(scenario: Scenario, rows: Sequence[Mapping[str, Any]], *, epsilon: float = EPSILON,
             capabilities: Mapping[str, float] | None = None, keep: float = fc.KEEP,
             window: int = fc.WINDOW_DAYS) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(record, extras)``: the JSON contract, and what the table adds to it
    (bootstrap intervals, settings) kept apart so the contract stays exact."""
    truth = truth_indices(scenario)
    real = scenario_truth(scenario)
    assert real is not None
    runs = fc.from_rows(rows, scenario)
    clause_scores: dict[str, dict[str, ClauseScore]] = {"model": score_all(fc.distributions(runs), truth, epsilon)}
    for name, pointed in bl.all_baselines(scenario, capabilities).items():
        dists = {c.name: bl.distribution(c, pointed[c.name]) for c in scenario.clauses}
        clause_scores[name] = score_all(dists, truth, epsilon)
    predictors = {name: summary_of(clause_scores[name], scenario) for name in PREDICTORS}

    first = max(scenario.calendar.start, scenario.as_of + dt.timedelta(days=1)) if scenario.as_of \
        else scenario.calendar.start
    dates = {"truth": real.definitive_date.isoformat() if real.definitive_date else None,
             "model": _date_record(date_quantiles(runs.definitive), real.definitive_date),
             "uniform": _date_record(uniform_dates(first, scenario.calendar.deadline), real.definitive_date),
             "model_before_as_of": _share_by(runs.definitive, scenario.as_of),
             "model_tentative_before_as_of": _share_by(runs.tentative, scenario.as_of)}

    loo = fc.leave_one_out(runs, [truth.get(c.name, 0) for c in scenario.clauses], keep)
    loo_scores = {c: score_clause(loo[c][0], r, epsilon) for c, r in truth.items()}
    loo_record = summary_of(loo_scores, scenario)
    for c in loo_record["clauses"]:
        loo_record["clauses"][c]["kept"] = loo[c][1]
    holdout: dict[str, Any] = {"leave_one_clause_out": {"keep": keep, **loo_record}}
    if real.tentative_date is not None:
        near = fc.near_tentative(runs, real.tentative_date, window)
        holdout["time"] = {"window_days": window, "tentative": real.tentative_date.isoformat(),
                           "kept": len(near.chosen), "agreed": int(near.agreed.sum())}
        if near.agreed.any():  # no kept run with a deal: no prediction, rather than a uniform one in disguise
            holdout["time"].update(summary_of(score_all(fc.distributions(near), truth, epsilon), scenario),
                                   dates=_date_record(date_quantiles(near.definitive), real.definitive_date))
        else:
            holdout["time"].update(log_score=None, brier=None, hits=None, clauses={}, dates=None)
    else:
        holdout["time"] = None

    record = {"as_of": scenario.as_of.isoformat() if scenario.as_of else None,
              "truth": {"source": real.source, "clauses": {c: o for c, o in real.options},
                        "tentative": real.tentative_date.isoformat() if real.tentative_date else None,
                        "definitive": real.definitive_date.isoformat() if real.definitive_date else None},
              "runs": len(rows), "predictors": predictors, "dates": dates, "holdout": holdout}
    return record, _extras(clause_scores, epsilon, capabilities, scenario)


def best_baseline(record: Mapping[str, Any]) -> str:
    """The baseline with the highest mean log score (first listed on ties)."""
    return max(bl.BASELINES, key=lambda name: record["predictors"][name]["log_score"])


def _extras(clause_scores: Mapping[str, Mapping[str, ClauseScore]], epsilon: float,
            capabilities: Mapping[str, float] | None, scenario: Scenario) -> dict[str, Any]:
    intervals: dict[str, Any] = {}
    for name, scores in clause_scores.items():
        lo = bootstrap_interval([s.log_score for s in scores.values()])
        br = bootstrap_interval([s.brier for s in scores.values()])
        intervals[name] = {"log_score": lo, "brier": br}
    means = {n: float(np.mean([s.log_score for s in clause_scores[n].values()])) for n in bl.BASELINES}
    best = max(bl.BASELINES, key=lambda n: means[n])
    diff = [clause_scores["model"][c].log_score - clause_scores[best][c].log_score for c in clause_scores["model"]]
    caps = {p.name: float((capabilities or {}).get(p.name, 1.0)) for p in scenario.bargainers}
    return {"epsilon": epsilon, "level": LEVEL, "capabilities": caps, "intervals": intervals,
            "best_baseline": best, "model_minus_best": {"log_score": round(float(np.mean(diff)), 6),
                                                        "interval": bootstrap_interval(diff)},
            "clauses": len(clause_scores["model"])}


def baseline_hits(scenario: Scenario) -> dict[str, float]:
    """Clauses each baseline gets right against the truth (a tie among m
    options counts 1/m): the one-line counterpart of a run's matched count."""
    truth = truth_indices(scenario)
    out = {}
    for name, pointed in bl.all_baselines(scenario).items():
        out[name] = sum(1.0 / len(pointed[c]) for c, real in truth.items() if real in pointed[c])
    return out


def baseline_line(scenario: Scenario, matched: int, total: int) -> str:
    """The run's matched clauses beside the best one-line baseline's."""
    hits = baseline_hits(scenario)
    best = max(bl.BASELINES, key=lambda name: hits[name])
    return (f"run: {matched}/{total} clauses; best one-line baseline, {best.replace('_', ' ')}: "
            f"{hits[best]:g}/{total} (a tie among m options counts 1/m; `negotiation backtest` scores "
            f"the model's distribution against every baseline)")
