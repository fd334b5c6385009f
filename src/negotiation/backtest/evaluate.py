"""Scores: every forecast against the real deal, and the ``--json`` record.

Forecasts are made first (``forecast.py`` for the model and the hold-outs,
``baselines.py`` for the one-line predictors), each once; scoring a forecast
is a pure function of it and the truth (:func:`score`); the record gathers
the scores. Scoring rules in ``scoring.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..domain.outcomes import Option
from ..errors import InputError
from ..inputs.scenario import Scenario, scenario_truth
from ..inputs.sources import Truth
from . import baselines as bl
from . import forecast as fc
from .scoring import (
    EPSILON,
    LEVEL,
    ClauseScore,
    DateForecast,
    bootstrap_interval,
    score_clause,
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


@dataclass(frozen=True)
class Scored:
    """One forecast scored: per clause its :class:`ClauseScore` (empty when
    it forecasts no clause), and its definitive date's summary."""

    forecast: fc.Forecast
    clauses: Mapping[str, ClauseScore]
    definitive: DateForecast | None


def score(forecast: fc.Forecast, truth: Mapping[str, int], epsilon: float = EPSILON) -> Scored:
    """A forecast against the real options (by index): a pure function."""
    clauses = {c: score_clause(forecast.clauses[c], real, epsilon) for c, real in truth.items()} \
        if forecast.clauses else {}
    definitive = forecast.definitive.summary() if forecast.definitive is not None else None
    return Scored(forecast, clauses, definitive)


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


def forecasts(scenario: Scenario, runs: fc.Runs, capabilities: Mapping[str, float] | None = None,
              ) -> dict[str, fc.Forecast]:
    """The model's and every baseline's forecast, each made once."""
    return {"model": fc.model_forecast(runs), **bl.baseline_forecasts(scenario, capabilities)}


def diagnostics(scenario: Scenario, runs: fc.Runs, real: Truth, keep: float = fc.KEEP,
                window: int = fc.WINDOW_DAYS) -> dict[str, fc.Forecast | None]:
    """The hold-outs, which select runs with the truth: diagnostics."""
    truth = truth_indices(scenario)
    loo = fc.loo_forecast(runs, [truth.get(c.name, 0) for c in scenario.clauses], keep)
    time = fc.time_forecast(runs, real.tentative_date, window) if real.tentative_date is not None else None
    return {"leave_one_clause_out": loo, "time": time}


def before_as_of(scenario: Scenario, runs: fc.Runs) -> float | None:
    """The share of runs with a definitive agreement on or before ``as_of``."""
    if not scenario.as_of or not runs.definitive:
        return None
    return round(float(np.mean([d is not None and d <= scenario.as_of for d in runs.definitive])), 6)


@dataclass(frozen=True)
class Assessment:
    """One case backtested: the forecasts' scores (each carrying its
    forecast), the diagnostics', the JSON record and the table's extras."""

    scored: Mapping[str, Scored]
    held: Mapping[str, Scored | None]
    record: dict[str, Any]
    extras: dict[str, Any]


def assess(scenario: Scenario, rows: Sequence[Mapping[str, Any]], *, epsilon: float = EPSILON,
           capabilities: Mapping[str, float] | None = None, keep: float = fc.KEEP,
           window: int = fc.WINDOW_DAYS) -> Assessment:
    """Rows → forecasts → scores → record, each step once."""
    truth = truth_indices(scenario)
    real = scenario_truth(scenario)
    assert real is not None
    runs = fc.from_rows(rows, scenario)
    scored = {name: score(f, truth, epsilon) for name, f in forecasts(scenario, runs, capabilities).items()}
    held = {name: score(f, truth, epsilon) if f is not None else None
            for name, f in diagnostics(scenario, runs, real, keep, window).items()}
    record = make_record(scenario, real, len(rows), scored, held, before_as_of(scenario, runs))
    return Assessment(scored, held, record, _extras(scored, epsilon, capabilities, scenario))


def evaluate(scenario: Scenario, rows: Sequence[Mapping[str, Any]], **settings: Any
             ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(record, extras)``: the JSON contract, and what the table adds to it
    (bootstrap intervals, settings) kept apart so the contract stays exact."""
    done = assess(scenario, rows, **settings)
    return done.record, done.extras


def make_record(scenario: Scenario, real: Truth, n_runs: int, scored: Mapping[str, Scored],
                held: Mapping[str, Scored | None], before: float | None) -> dict[str, Any]:
    """The ``--json`` contract from the scores."""
    predictors = {name: summary_of(scored[name].clauses, scenario) for name in PREDICTORS}
    dates = {"truth": real.definitive_date.isoformat() if real.definitive_date else None,
             "model": _date_record(scored["model"].definitive, real.definitive_date),
             "uniform": _date_record(scored["uniform"].definitive, real.definitive_date),
             "model_before_as_of": before}
    loo = held["leave_one_clause_out"]
    assert loo is not None
    loo_record = summary_of(loo.clauses, scenario)
    for c in loo_record["clauses"]:
        loo_record["clauses"][c]["kept"] = loo.forecast.detail["kept"][c]
    holdout: dict[str, Any] = {"leave_one_clause_out": {"keep": loo.forecast.detail["keep"], **loo_record}}
    time = held["time"]
    if time is not None:
        holdout["time"] = dict(time.forecast.detail)
        if time.clauses:
            holdout["time"].update(summary_of(time.clauses, scenario),
                                   dates=_date_record(time.definitive, real.definitive_date))
        else:
            holdout["time"].update(log_score=None, brier=None, hits=None, clauses={}, dates=None)
    else:
        holdout["time"] = None
    return {"as_of": scenario.as_of.isoformat() if scenario.as_of else None,
            "truth": {"source": real.source, "clauses": {c: o for c, o in real.options},
                      "tentative": real.tentative_date.isoformat() if real.tentative_date else None,
                      "definitive": real.definitive_date.isoformat() if real.definitive_date else None},
            "runs": n_runs, "predictors": predictors, "dates": dates, "holdout": holdout}


def best_baseline(record: Mapping[str, Any]) -> str:
    """The baseline with the highest mean log score (first listed on ties)."""
    return max(bl.BASELINES, key=lambda name: record["predictors"][name]["log_score"])


def _extras(scored: Mapping[str, Scored], epsilon: float, capabilities: Mapping[str, float] | None,
            scenario: Scenario) -> dict[str, Any]:
    clause_scores = {name: s.clauses for name, s in scored.items()}
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
