"""Scores: every forecast against the real deal, and the ``--json`` record.

Forecasts are made first (``forecast.py`` for the model and the hold-outs,
``baselines.py`` for the one-line predictors), each once; scoring a forecast
is a pure function of it and the truth (:func:`score`); the record gathers
the scores. Scoring rules in ``scoring.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..domain.outcomes import Option
from ..errors import InputError
from ..domain.scenario import Scenario
from ..scenarios.load import scenario_truth
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
class Target:
    """The truth as scores read it: the real option of each clause (by
    index), which clauses are ordered, the real dates, and the day a run
    with no agreement is put on for the date CRPS (the calendar's end + 1)."""

    options: Mapping[str, int]
    ordered: frozenset[str]
    dates: Mapping[str, dt.date | None]
    after: dt.date


def target(scenario: Scenario) -> Target:
    real = scenario_truth(scenario)
    assert real is not None
    return Target(truth_indices(scenario), frozenset(c.name for c in scenario.clauses if c.ordered),
                  {"tentative": real.tentative_date, "definitive": real.definitive_date},
                  scenario.calendar.deadline + dt.timedelta(days=1))


@dataclass(frozen=True)
class Scored:
    """One forecast scored: per clause its :class:`ClauseScore` (empty when
    it forecasts no clause), its definitive date's summary, and the CRPS
    of each date it forecasts (stage → days)."""

    forecast: fc.Forecast
    clauses: Mapping[str, ClauseScore]
    definitive: DateForecast | None
    crps: Mapping[str, float | None] = field(default_factory=dict)


def score(forecast: fc.Forecast, truth: Target, epsilon: float = EPSILON) -> Scored:
    """A forecast against the truth: a pure function of the two."""
    clauses = {c: score_clause(forecast.clauses[c], real, epsilon, c in truth.ordered)
               for c, real in truth.options.items()} if forecast.clauses else {}
    definitive = forecast.definitive.summary() if forecast.definitive is not None else None
    crps = {}
    for stage, dates in (("tentative", forecast.tentative), ("definitive", forecast.definitive)):
        real = truth.dates[stage]
        if dates is not None and real is not None:
            crps[stage] = dates.crps(real, truth.after)
    return Scored(forecast, clauses, definitive, crps)


def mean_rps(scores: Mapping[str, ClauseScore]) -> float | None:
    values = [s.rps for s in scores.values() if s.rps is not None]
    return round(float(np.mean(values)), 6) if values else None


def summary_of(scores: Mapping[str, ClauseScore], scenario: Scenario) -> dict[str, Any]:
    """The predictor record of the JSON contract."""
    values = list(scores.values())
    return {"log_score": round(float(np.mean([s.log_score for s in values])), 6),
            "brier": round(float(np.mean([s.brier for s in values])), 6),
            "hits": round(float(sum(s.hit for s in values)), 6), "rps": mean_rps(scores),
            "clauses": {c: {"p_real": round(s.p_real, 6), "modal": _options(scenario, c, s.modal),
                            "rps": None if s.rps is None else round(s.rps, 6)} for c, s in scores.items()}}


def _date_record(scored: Scored, truth: dt.date | None) -> dict[str, Any]:
    f = scored.definitive
    assert f is not None
    iso = (lambda d: d.isoformat() if d is not None else None)
    crps = {stage: None if v is None else round(v, 3) for stage, v in scored.crps.items()}
    return {"median": iso(f.median), "low_10": iso(f.low), "high_90": iso(f.high),
            "agreement_rate": round(f.agreed, 6),
            "days_off": f.days_off(truth) if truth else None, "in_80": f.covers(truth) if truth else None,
            "crps_days": crps}


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


def _share_by(days: Sequence[dt.date | None], as_of: dt.date | None) -> float | None:
    """The share of runs with an agreement on or before ``as_of``: a forecast
    made that day knows there was none, and its runs bargain no round until
    after it (``engine/model.py``), so this is 0 by construction; None
    without a cut-off or runs."""
    if as_of is None or not days:
        return None
    return round(float(np.mean([d is not None and d <= as_of for d in days])), 6)


def before_as_of(scenario: Scenario, runs: fc.Runs) -> dict[str, float | None]:
    """The shares of runs with a definitive and a tentative agreement on or before ``as_of``."""
    return {"model_before_as_of": _share_by(runs.definitive, scenario.as_of),
            "model_tentative_before_as_of": _share_by(runs.tentative, scenario.as_of)}


@dataclass(frozen=True)
class Assessment:
    """One case backtested: the forecasts' scores (each carrying its
    forecast), the diagnostics', the JSON record and the table's extras."""

    scored: Mapping[str, Scored]
    held: Mapping[str, Scored | None]
    record: dict[str, Any]
    extras: dict[str, Any]


def assess(scenario: Scenario, runs: fc.Runs, made: Mapping[str, fc.Forecast], *, epsilon: float = EPSILON,
           capabilities: Mapping[str, float] | None = None, keep: float = fc.KEEP,
           window: int = fc.WINDOW_DAYS) -> Assessment:
    """Forecasts → scores → record. ``made``: the model's and the
    baselines' forecasts (:func:`forecasts`), and in a library the
    reference-class date and the ensemble."""
    truth = target(scenario)
    real = scenario_truth(scenario)
    assert real is not None
    scored = {name: score(f, truth, epsilon) for name, f in made.items()}
    held = {name: score(f, truth, epsilon) if f is not None else None
            for name, f in diagnostics(scenario, runs, real, keep, window).items()}
    record = make_record(scenario, real, len(runs.chosen), scored, held, before_as_of(scenario, runs))
    return Assessment(scored, held, record, _extras(scored, epsilon, capabilities, scenario))


def evaluate(scenario: Scenario, rows: Sequence[Mapping[str, Any]], *, epsilon: float = EPSILON,
             capabilities: Mapping[str, float] | None = None, **settings: Any
             ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(record, extras)`` of one case: the JSON contract, and what the
    table adds to it (bootstrap intervals, settings), kept apart."""
    truth_indices(scenario)
    runs = fc.from_rows(rows, scenario)
    done = assess(scenario, runs, forecasts(scenario, runs, capabilities), epsilon=epsilon,
                  capabilities=capabilities, **settings)
    return done.record, done.extras


def make_record(scenario: Scenario, real: Truth, n_runs: int, scored: Mapping[str, Scored],
                held: Mapping[str, Scored | None], before: Mapping[str, float | None]) -> dict[str, Any]:
    """The ``--json`` contract from the scores: every predictor that
    forecasts clauses under ``predictors``, every one that forecasts dates
    under ``dates``."""
    predictors = {name: summary_of(s.clauses, scenario) for name, s in scored.items() if s.clauses}
    dates: dict[str, Any] = {"truth": real.definitive_date.isoformat() if real.definitive_date else None}
    dates.update({name: _date_record(s, real.definitive_date) for name, s in scored.items()
                  if s.definitive is not None})
    dates.update(before)
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
                                   dates=_date_record(time, real.definitive_date))
        else:
            holdout["time"].update(log_score=None, brier=None, rps=None, hits=None, clauses={}, dates=None)
    else:
        holdout["time"] = None
    return {"as_of": scenario.as_of.isoformat() if scenario.as_of else None,
            "truth": {"source": real.source, "clauses": {c: o for c, o in real.options},
                      "tentative": real.tentative_date.isoformat() if real.tentative_date else None,
                      "definitive": real.definitive_date.isoformat() if real.definitive_date else None},
            "runs": n_runs, "predictors": predictors, "dates": dates, "holdout": holdout}


def _extras(scored: Mapping[str, Scored], epsilon: float, capabilities: Mapping[str, float] | None,
            scenario: Scenario) -> dict[str, Any]:
    clause_scores = {name: s.clauses for name, s in scored.items()}
    intervals: dict[str, Any] = {}
    for name, scores in clause_scores.items():
        if not scores:
            continue
        intervals[name] = {rule: bootstrap_interval([getattr(s, rule) for s in scores.values()
                                                     if getattr(s, rule) is not None])
                           for rule in ("log_score", "brier", "rps")}
    means = {n: float(np.mean([s.log_score for s in clause_scores[n].values()])) for n in bl.BASELINES}
    best = max(bl.BASELINES, key=lambda n: means[n])
    diff = [clause_scores["model"][c].log_score - clause_scores[best][c].log_score for c in clause_scores["model"]]
    caps = {p.name: float((capabilities or {}).get(p.name, 1.0)) for p in scenario.bargainers}
    no_status_quo = [c.name for c in scenario.clauses if bl.status_quo_of(c) is None]
    return {"epsilon": epsilon, "level": LEVEL, "capabilities": caps, "intervals": intervals,
            "no_status_quo": no_status_quo,
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
