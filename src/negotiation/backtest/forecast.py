"""Forecasts: what every predictor says before the truth is looked at.

A :class:`Forecast` is one frozen object whoever made it (the model, a
baseline, a hold-out): per clause a probability vector over the clause's
options, and, when it forecasts them, distributions of the tentative and
definitive dates. Scores (``evaluate.py``) are pure functions of a forecast
and the truth; the report reads the scores. Data flows one way: rows and
scenario → forecasts → scores → table, JSON, PNG.

The model's forecast comes from the Monte Carlo rows. A run's definitive
outcome (one option per clause) and dates come from its results row. Clause
distributions are over the runs that reached a definitive agreement (the
truth is a deal; the share of runs that reached one is reported with the
dates); with no such run the model says nothing and its distribution is
uniform.

Hold-outs (approximate Bayesian computation by rejection: Pritchard et al.
1999, Beaumont, Zhang & Balding 2002, "Approximate Bayesian computation in
population genetics", Genetics 162) are forecasts too, but they select runs
with the truth, so they are diagnostics, never predictors:

- *leave one clause out*: for each clause, keep the agreed runs closest to
  the real deal on the *other* clauses (distance: the mean over those
  clauses of steps off / (K − 1) on ordered clauses, 0 or 1 on unordered
  ones; the closest ``keep`` share of runs, ties at the threshold included)
  and predict the held-out clause from them alone. It asks whether the
  model's joint structure carries information from nine clauses to the
  tenth.
- *time*: keep the runs whose first tentative agreement falls within ±
  ``window`` days of the real tentative date (the memorandum), and predict
  the definitive clauses and date from them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..domain.outcomes import Clause
from ..domain.scenario import Scenario
from .scoring import DateForecast, crps_sample, date_quantiles, uniform_dates

KEEP = 0.1
WINDOW_DAYS = 21


@dataclass(frozen=True)
class Dates:
    """A forecast distribution of a date: an equally weighted sample of
    days (``None``: no agreement within the calendar), or, when ``span`` is
    given, every day from its first to its last day equally likely."""

    sample: tuple[dt.date | None, ...] = ()
    span: tuple[dt.date, dt.date] | None = None

    def summary(self) -> DateForecast:
        """Median and 80% interval (see :func:`scoring.date_quantiles`)."""
        if self.span is not None:
            return uniform_dates(*self.span)
        return date_quantiles(self.sample)

    def days(self, after: dt.date) -> np.ndarray:
        """The sample as day numbers, for the CRPS. The stated rule for runs
        with no agreement: they are put on ``after``, the day after the
        calendar's end (the earliest day they are consistent with), so a
        forecaster that expects no deal within the calendar pays for it in
        days like any other miss, and no sample point is dropped."""
        if self.span is not None:
            return np.arange(self.span[0].toordinal(), self.span[1].toordinal() + 1, dtype=float)
        return np.array([(d or after).toordinal() for d in self.sample], dtype=float)

    def crps(self, truth: dt.date, after: dt.date) -> float | None:
        sample = self.days(after)
        return crps_sample(sample, truth.toordinal()) if len(sample) else None


@dataclass(frozen=True)
class Forecast:
    """What one predictor says: ``clauses`` maps a clause to its
    probabilities over the options (empty when it forecasts no clause);
    ``definitive`` / ``tentative`` are date distributions or None;
    ``detail`` carries what its record reports beside the scores (e.g. the
    runs a hold-out kept)."""

    name: str
    clauses: Mapping[str, np.ndarray]
    definitive: Dates | None = None
    tentative: Dates | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Runs:
    """The Monte Carlo as arrays: ``chosen[r, c]`` the option index run r
    agreed on clause c (−1: no definitive agreement)."""

    clauses: tuple[Clause, ...]
    chosen: np.ndarray
    definitive: tuple[dt.date | None, ...]
    tentative: tuple[dt.date | None, ...]

    @property
    def agreed(self) -> np.ndarray:
        return (self.chosen >= 0).all(axis=1)

    def subset(self, keep: np.ndarray) -> Runs:
        idx = np.flatnonzero(keep)
        return Runs(self.clauses, self.chosen[idx], tuple(self.definitive[i] for i in idx),
                    tuple(self.tentative[i] for i in idx))


def _day(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _position(clause: Clause, value: Any) -> int:
    if value in (None, ""):
        return -1
    try:
        return clause.index(value)
    except ValueError:
        return -1


def from_rows(rows: Sequence[Mapping[str, Any]], scenario: Scenario) -> Runs:
    """Rows of results (run order) → :class:`Runs`. A run counts as agreed
    only with a definitive date and an option on every clause."""
    rows = sorted(rows, key=lambda r: r["run"])
    chosen = np.full((len(rows), len(scenario.clauses)), -1, dtype=np.int64)
    definitive = []
    for r, row in enumerate(rows):
        day = _day(row.get("agreement_date"))
        definitive.append(day)
        if day is not None:
            chosen[r] = [_position(c, row.get(c.name)) for c in scenario.clauses]
    chosen[~(chosen >= 0).all(axis=1)] = -1
    tentative = tuple(_day(row.get("tentative_date")) for row in rows)
    return Runs(scenario.clauses, chosen, tuple(definitive), tentative)


def shares(runs: Runs, clause: int) -> np.ndarray:
    """The share of agreed runs choosing each option (uniform if none agreed)."""
    n = len(runs.clauses[clause].options)
    picked = runs.chosen[runs.agreed, clause]
    if picked.size == 0:
        return np.full(n, 1.0 / n)
    return np.bincount(picked, minlength=n) / picked.size


def distributions(runs: Runs) -> dict[str, np.ndarray]:
    return {c.name: shares(runs, i) for i, c in enumerate(runs.clauses)}


def distance_to(runs: Runs, truth: Sequence[int], skip: int) -> np.ndarray:
    """Mean normalised distance to the truth over every clause but ``skip``."""
    parts = []
    for i, c in enumerate(runs.clauses):
        if i == skip:
            continue
        steps = np.abs(runs.chosen[:, i] - truth[i]).astype(float)
        parts.append(steps / max(len(c.options) - 1, 1) if c.ordered else (steps > 0).astype(float))
    return np.mean(parts, axis=0) if parts else np.zeros(len(runs.chosen))


def leave_one_out(runs: Runs, truth: Sequence[int], keep: float = KEEP) -> dict[str, tuple[np.ndarray, int]]:
    """Per held-out clause: the distribution from the accepted runs, and how many were accepted."""
    agreed = runs.subset(runs.agreed)
    out = {}
    for i, c in enumerate(runs.clauses):
        if len(agreed.chosen) == 0:
            out[c.name] = (shares(agreed, i), 0)
            continue
        d = distance_to(agreed, truth, i)
        threshold = np.quantile(d, keep, method="inverted_cdf")
        accepted = agreed.subset(d <= threshold + 1e-12)
        out[c.name] = (shares(accepted, i), len(accepted.chosen))
    return out


def near_tentative(runs: Runs, real: dt.date, window: int = WINDOW_DAYS) -> Runs:
    """The runs whose first tentative agreement lies within ± ``window`` days of ``real``."""
    keep = np.array([t is not None and abs((t - real).days) <= window for t in runs.tentative], dtype=bool)
    return runs.subset(keep)


def model_forecast(runs: Runs) -> Forecast:
    """The Monte Carlo as a forecast: option shares among agreed runs, and
    the sample of dates (no agreement kept as ``None``)."""
    return Forecast("model", distributions(runs), Dates(runs.definitive), Dates(runs.tentative),
                    {"runs": len(runs.chosen)})


def loo_forecast(runs: Runs, truth: Sequence[int], keep: float = KEEP) -> Forecast:
    """The leave-one-clause-out diagnostic as a forecast (clauses only)."""
    loo = leave_one_out(runs, truth, keep)
    return Forecast("leave_one_clause_out", {c: p for c, (p, _) in loo.items()},
                    detail={"keep": keep, "kept": {c: n for c, (_, n) in loo.items()}})


def time_forecast(runs: Runs, real: dt.date, window: int = WINDOW_DAYS) -> Forecast:
    """The time hold-out: the runs near the real tentative date; no clause
    forecast when none of them agreed (rather than a uniform one in disguise)."""
    near = near_tentative(runs, real, window)
    detail = {"window_days": window, "tentative": real.isoformat(), "kept": len(near.chosen),
              "agreed": int(near.agreed.sum())}
    if not near.agreed.any():
        return Forecast("time", {}, None, None, detail)
    return Forecast("time", distributions(near), Dates(near.definitive), None, detail)
