"""Pooling a library's scores: pure functions of the per-case scores.

- A predictor's pooled score is its mean per clause over every clause of
  every case (the RPS over the ordered clauses only), so a case weighs by
  its number of clauses.
- The model's difference from each other predictor has a *paired* bootstrap
  interval over cases (Efron & Tibshirani 1993; Davison & Hinkley 1997 on
  resampling clustered data): cases are drawn with replacement, every
  clause of a drawn case comes with it, and the difference is recomputed as
  Σ differences / Σ clauses over the draw. Clauses of one negotiation are
  not independent (one bargain trades them against each other), so
  resampling clauses would overstate the evidence.
- Dates, per predictor that forecasts them: the median over cases of the
  median date's error, the share of cases whose real date lies in the 80%
  interval, and the mean CRPS (days) of the definitive and tentative dates.
- The forest plot's rows: per case the model's mean gain over the best
  baseline (the best pooled one, so every row compares with the same
  predictor), with a bootstrap interval over that case's clauses, and the
  pooled row with its interval over cases.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from . import baselines as bl
from .evaluate import PREDICTORS, Scored
from .scoring import BOOTSTRAP, LEVEL, bootstrap_interval

CLAUSE_PREDICTORS = (*PREDICTORS, "ensemble")
DATE_PREDICTORS = ("model", "uniform", "reference_class")


def case_bootstrap(sums: Sequence[float], counts: Sequence[int], seed: int = 0, n: int = BOOTSTRAP,
                   level: float = LEVEL) -> tuple[float, float] | None:
    """Percentile interval of Σ sums / Σ counts with cases resampled."""
    sums_a, counts_a = np.asarray(sums, dtype=float), np.asarray(counts, dtype=float)
    if len(sums_a) < 2:
        return None
    draws = np.random.default_rng(seed).integers(0, len(sums_a), size=(n, len(sums_a)))
    ratios = sums_a[draws].sum(axis=1) / counts_a[draws].sum(axis=1)
    lo, hi = np.quantile(ratios, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def _rule(scored: Scored, rule: str) -> list[float]:
    return [getattr(s, rule) for s in scored.clauses.values() if getattr(s, rule) is not None]


def clause_means(cases: Sequence[Mapping[str, Scored]], name: str) -> dict[str, Any] | None:
    """A predictor's pooled means (None if some case lacks it)."""
    if not all(name in c and c[name].clauses for c in cases):
        return None
    out: dict[str, Any] = {}
    for rule in ("log_score", "brier", "rps"):
        values = [v for c in cases for v in _rule(c[name], rule)]
        out[rule] = round(float(np.mean(values)), 6) if values else None
    hits = [s.hit for c in cases for s in c[name].clauses.values()]
    out["hit_rate"] = round(float(np.mean(hits)), 6)
    return out


def difference(cases: Sequence[Mapping[str, Scored]], a: str, b: str) -> dict[str, Any]:
    """Mean per clause of a's log score minus b's, with its case bootstrap."""
    sums = [sum(c[a].clauses[k].log_score - c[b].clauses[k].log_score for k in c[a].clauses) for c in cases]
    counts = [len(c[a].clauses) for c in cases]
    return {"log_score": round(sum(sums) / sum(counts), 6), "interval": case_bootstrap(sums, counts)}


def date_summary(cases: Sequence[Mapping[str, Scored]], records: Sequence[Mapping[str, Any]],
                 name: str) -> dict[str, Any] | None:
    having = [(c[name], r["dates"][name]) for c, r in zip(cases, records) if name in c and name in r["dates"]]
    if not having:
        return None
    off = [d["days_off"] for _, d in having if d["days_off"] is not None]
    inside = [d["in_80"] for _, d in having if d["in_80"] is not None]
    out: dict[str, Any] = {"cases": len(having), "median_days_off": float(np.median(off)) if off else None,
                           "coverage_80": round(float(np.mean(inside)), 6) if inside else None}
    for stage in ("definitive", "tentative"):
        values = [s.crps[stage] for s, _ in having if s.crps.get(stage) is not None]
        out[f"crps_{stage}"] = round(float(np.mean(values)), 3) if values else None
    return out


def forest(cases: Sequence[Mapping[str, Scored]], names: Sequence[str], best: str) -> list[dict[str, Any]]:
    rows = []
    for name, c in zip(names, cases):
        gains = [c["model"].clauses[k].log_score - c[best].clauses[k].log_score for k in c["model"].clauses]
        rows.append({"case": name, "clauses": len(gains), "gain": round(float(np.mean(gains)), 6),
                     "interval": bootstrap_interval(gains)})
    return rows


def pool(names: Sequence[str], cases: Sequence[Mapping[str, Scored]], records: Sequence[Mapping[str, Any]],
         epsilon: float) -> dict[str, Any]:
    """The ``pooled`` object of the library's JSON (without the ensemble's weights)."""
    predictors = {n: m for n in CLAUSE_PREDICTORS if (m := clause_means(cases, n)) is not None}
    best = max((n for n in bl.BASELINES if n in predictors), key=lambda n: predictors[n]["log_score"])
    model_minus = {n: difference(cases, "model", n) for n in predictors if n != "model"}
    dates = {n: d for n in DATE_PREDICTORS if (d := date_summary(cases, records, n)) is not None}
    n_clauses = sum(len(c["model"].clauses) for c in cases)
    ordered = sum(1 for c in cases for s in c["model"].clauses.values() if s.rps is not None)
    return {"cases": len(cases), "clauses": n_clauses, "ordered_clauses": ordered, "epsilon": epsilon,
            "level": LEVEL, "predictors": predictors, "best_baseline": best, "model_minus": model_minus,
            "dates": dates, "forest": forest(cases, names, best)}
