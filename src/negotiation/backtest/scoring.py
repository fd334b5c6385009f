"""Proper scoring of probabilistic forecasts, clause by clause and in time.

For each clause a predictor gives a probability vector ``p`` over the
clause's K options; the truth is one option. Every predictor, the model
included, is first mixed with the uniform distribution with the same weight
ε (:func:`smooth`): no option gets less than ε/K, so one confident miss
costs a finite amount, the same for all. A point baseline thus puts
1 − ε + ε/K on its option and ε/K on each other.

- *log score* (Good 1952): mean over clauses of ln p(real option); higher is
  better, 0 is perfect, ln(1/K) is the uniform guess. Strictly proper.
- *Brier score* (Brier 1950, multi-category form): mean over clauses of
  Σ_k (p_k − 1[k = real])²; lower is better, in [0, 2].
- *ranked probability score* (Epstein 1969, "A scoring system for
  probability forecasts of ranked categories", J. Appl. Meteor. 8; Murphy
  1971): on an ordered clause, 1/(K − 1) · Σ_{k<K} (P_k − O_k)² over the
  cumulative forecast P and the cumulative outcome O; in [0, 1], lower is
  better, and one step off costs less than five, which the log score
  ignores. Not defined on unordered clauses (None there).
- *hits*: clauses whose modal option is the real one; a tie among m modal
  options counts 1/m (the expected hits of breaking the tie at random).
- *CRPS* of a date (Matheson & Winkler 1976; Gneiting & Raftery 2007,
  eq. 21: CRPS(F, y) = E|X − y| − ½ E|X − X'|), in days, lower is better,
  from the empirical sample of the forecast (:func:`crps_sample`); it
  rewards a distribution both near the truth and sharp.

Gneiting & Raftery 2007 ("Strictly proper scoring rules, prediction, and
estimation", JASA 102) for the rules. Bootstrap intervals resample clauses
(Efron & Tibshirani 1993): with ten clauses they are wide, and a difference
whose interval straddles zero is no evidence either way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

EPSILON = 0.05
BOOTSTRAP = 2000
LEVEL = 0.9


def smooth(p: np.ndarray, epsilon: float = EPSILON) -> np.ndarray:
    """(1 − ε)·p + ε/K: the same floor for every predictor."""
    p = np.asarray(p, dtype=float)
    return (1.0 - epsilon) * p + epsilon / len(p)


def log_score(p: np.ndarray, real: int) -> float:
    return float(np.log(p[real]))


def brier(p: np.ndarray, real: int) -> float:
    target = np.zeros(len(p))
    target[real] = 1.0
    return float(((p - target) ** 2).sum())


def rps(p: np.ndarray, real: int) -> float:
    """The ranked probability score, normalised by K − 1 (Epstein 1969)."""
    p = np.asarray(p, dtype=float)
    if len(p) < 2:
        return 0.0
    cumulative = np.cumsum(p)[:-1]
    observed = (np.arange(len(p) - 1) >= real).astype(float)
    return float(((cumulative - observed) ** 2).sum() / (len(p) - 1))


def crps_sample(sample: Sequence[float] | np.ndarray, y: float) -> float:
    """CRPS of the empirical distribution of ``sample`` at ``y``:
    mean |x − y| − ½ mean |x − x'| (Gneiting & Raftery 2007, eq. 21), the
    second term as (1/n²) Σ_i (2i − n − 1) x_(i) over the sorted sample, so
    it costs n log n, not n²."""
    x = np.sort(np.asarray(sample, dtype=float))
    n = len(x)
    if n == 0:
        raise ValueError("an empty sample has no CRPS")
    spread = float((2 * np.arange(1, n + 1) - n - 1) @ x) / n ** 2
    return float(np.abs(x - y).mean()) - spread


def crps_normal(mu: float, sigma: float, y: float) -> float:
    """The closed form for a normal forecast (Gneiting, Raftery, Westveld &
    Goldman 2005, eq. 5; Gneiting & Raftery 2007): σ[z(2Φ(z) − 1) + 2φ(z)
    − 1/√π], z = (y − μ)/σ. A check on :func:`crps_sample`."""
    z = (y - mu) / sigma
    phi = math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    cdf = 0.5 * (1 + math.erf(z / math.sqrt(2)))
    return sigma * (z * (2 * cdf - 1) + 2 * phi - 1 / math.sqrt(math.pi))


def mid_pit(p: np.ndarray, real: int) -> float:
    """The mid-PIT of an ordered forecast, P(below the real option) + ½
    P(real option) (Czado, Gneiting & Held 2009, "Predictive model
    assessment for count data", Biometrics 65): uniform on [0, 1] over
    many clauses when the forecaster is calibrated."""
    p = np.asarray(p, dtype=float)
    return float(p[:real].sum() + p[real] / 2)


def modal(p: np.ndarray) -> tuple[int, ...]:
    """The options with the largest probability (several when tied)."""
    return tuple(int(i) for i in np.flatnonzero(np.isclose(p, p.max())))


def hit(p: np.ndarray, real: int) -> float:
    top = modal(p)
    return 1.0 / len(top) if real in top else 0.0


@dataclass(frozen=True)
class ClauseScore:
    p_real: float
    log_score: float
    brier: float
    hit: float
    modal: tuple[int, ...]
    rps: float | None = None  # ordered clauses only


def score_clause(p: np.ndarray, real: int, epsilon: float = EPSILON, ordered: bool = False) -> ClauseScore:
    """Every rule on the smoothed forecast (the same ε for every predictor)."""
    q = smooth(p, epsilon)
    return ClauseScore(float(q[real]), log_score(q, real), brier(q, real), hit(q, real), modal(q),
                       rps(q, real) if ordered else None)


def bootstrap_interval(values: Sequence[float], seed: int = 0, n: int = BOOTSTRAP,
                       level: float = LEVEL) -> tuple[float, float] | None:
    """Percentile interval of the mean of ``values`` resampled with
    replacement (fixed seed: the same interval every time); None for fewer
    than two values."""
    values = np.asarray(values, dtype=float)
    if len(values) < 2:
        return None
    rng = np.random.default_rng(seed)
    means = values[rng.integers(0, len(values), size=(n, len(values)))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


# -- dates ------------------------------------------------------------------------

@dataclass(frozen=True)
class DateForecast:
    """A distribution of the definitive date: its median and 80% interval
    (10th and 90th percentiles). ``None`` where the quantile falls among the
    runs with no definitive agreement, which count as later than any date."""

    median: dt.date | None
    low: dt.date | None
    high: dt.date | None
    agreed: float  # share of runs with a definitive agreement

    def days_off(self, truth: dt.date) -> int | None:
        return None if self.median is None else (self.median - truth).days

    def covers(self, truth: dt.date) -> bool:
        return self.low is not None and self.low <= truth and (self.high is None or truth <= self.high)


def date_quantiles(dates: Sequence[dt.date | None]) -> DateForecast:
    """Nearest-rank quantiles (Hyndman & Fan 1996, definition 1) of dates,
    no agreement counted as +∞, so breakdowns push the median later rather
    than vanish from it."""
    if not dates:
        return DateForecast(None, None, None, 0.0)
    ordinals = np.array([d.toordinal() if d is not None else np.inf for d in dates], dtype=float)
    q = np.quantile(ordinals, [0.5, 0.1, 0.9], method="inverted_cdf")
    as_date = [dt.date.fromordinal(int(v)) if np.isfinite(v) else None for v in q]
    return DateForecast(as_date[0], as_date[1], as_date[2], float(np.isfinite(ordinals).mean()))


def uniform_dates(first: dt.date, last: dt.date) -> DateForecast:
    """Every day from ``first`` to ``last`` equally likely: the date baseline."""
    span = (last - first).days
    at = [first + dt.timedelta(days=int(round(span * q))) for q in (0.5, 0.1, 0.9)]
    return DateForecast(at[0], at[1], at[2], 1.0)
