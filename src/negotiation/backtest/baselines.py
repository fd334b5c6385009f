"""One-line predictors computed from the same scenario as the model.

A model of a negotiation earns its keep only if it forecasts better than
what a reader could write down in a line from the same inputs (Thomson,
Stokman, Achen & König 2006, *The European Union Decides*, ch. 1 and 10;
Achen 2006 there, "Evaluating political decision-making models"). Each
baseline gives, per clause, the set of options it points at (ties kept, so
no tie is broken in anyone's favour); ``distribution`` turns that into
probabilities.

- ``status_quo``: each clause's ``status_quo`` option, the term in force
  before the talks, which the scenario marks (the codebook's rule: the
  status quo is always an option); uniform over a clause that marks none
  (the record lists those clauses). Talks often end near the status quo
  (Samuelson & Zeckhauser 1988, "Status quo bias in decision making").
- ``middle_option``: the middle option of an ordered clause (both central
  options when their number is even); every option of an unordered clause.
- ``compromise``: the compromise model (Achen 2006; Thomson et al. 2006):
  each bargainer's position is its ideal option on the clause, weighted by
  its salience (its weight on the clause) × its capability (stated; equal
  by default); the weighted mean is rounded to the nearest option (by value
  on numeric clauses, by rank on other ordered ones). On an unordered clause,
  where a mean means nothing, the option with the largest total weight.
- ``nash`` / ``kalai_smorodinsky``: the Nash (1950) and Kalai–Smorodinsky
  (1975) points of the bargainers' starting preferences (reservation values
  as the disagreement point), over the outcomes their own constraints and
  the ratifiers' *public* requirements allow (see
  :func:`public_requirements`); computed by ``domain/bargaining.py``.
- ``uniform``: every option of every clause equally likely; for dates,
  every day from the day after ``as_of`` to the calendar's end.
- ``reference_class`` (dates only, in a library): how long the library's
  *other* cases took (leave one case out), each as the share of its
  calendar from its start (the talks' start) to its real date, put on this
  case's calendar; dates on or before ``as_of`` are dropped, since a
  forecaster then knew no deal had been made (Kahneman & Tversky 1979,
  "Intuitive prediction: biases and corrective procedures"; Flyvbjerg 2006
  on reference-class forecasting).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np

from ..domain.outcomes import Clause
from ..domain.preferences import Constraint, Preferences, allowed, utility
from ..domain.scenario import Scenario
from ..inputs.sources import Truth
from ..roles import declared
from ..domain.bargaining import kalai_smorodinsky_point, nash_point
from .forecast import Dates, Forecast

Pointed = dict[str, tuple[int, ...]]  # clause → the option indices a baseline points at

BASELINES = ("middle_option", "compromise", "nash", "kalai_smorodinsky", "uniform", "status_quo")


def distribution(clause: Clause, pointed: tuple[int, ...]) -> np.ndarray:
    """Probability 1/m on each of the m options pointed at."""
    p = np.zeros(len(clause.options))
    p[list(pointed)] = 1.0 / len(pointed)
    return p


def every_option(clause: Clause) -> tuple[int, ...]:
    return tuple(range(len(clause.options)))


def uniform(scenario: Scenario) -> Pointed:
    return {c.name: every_option(c) for c in scenario.clauses}


def status_quo_of(clause: Clause) -> int | None:
    """The index of the clause's status quo option, or None."""
    return None if clause.status_quo is None else clause.index(clause.status_quo)


def status_quo(scenario: Scenario) -> Pointed:
    out = {}
    for c in scenario.clauses:
        i = status_quo_of(c)
        out[c.name] = every_option(c) if i is None else (i,)
    return out


def middle_option(scenario: Scenario) -> Pointed:
    out = {}
    for c in scenario.clauses:
        n = len(c.options)
        if not c.ordered:
            out[c.name] = every_option(c)
        else:
            out[c.name] = (n // 2,) if n % 2 else (n // 2 - 1, n // 2)
    return out


def scale(clause: Clause) -> np.ndarray:
    """Where the options lie on the clause's line: their values if numeric, else their ranks."""
    if all(isinstance(o, (int, float)) for o in clause.options):
        return np.asarray(clause.options, dtype=float)
    return np.arange(len(clause.options), dtype=float)


def ideal(prefs: Preferences, clause: Clause) -> tuple[int, ...]:
    """The options a party values most on a clause (all of them, if tied)."""
    values = np.asarray(prefs.values.get(clause.name, np.ones(len(clause.options))))
    return tuple(int(i) for i in np.flatnonzero(np.isclose(values, values.max())))


def nearest(points: np.ndarray, x: float) -> tuple[int, ...]:
    gaps = np.abs(points - x)
    return tuple(int(i) for i in np.flatnonzero(np.isclose(gaps, gaps.min())))


def compromise(scenario: Scenario, capabilities: Mapping[str, float] | None = None) -> Pointed:
    """The salience-weighted compromise (see the module docstring)."""
    capabilities = capabilities or {}
    out = {}
    for c in scenario.clauses:
        line = scale(c)
        total, mean = 0.0, 0.0
        support = np.zeros(len(c.options))
        for party in scenario.bargainers:
            prefs = party.preferences
            assert prefs is not None
            weight = prefs.weights.get(c.name, 0.0) * capabilities.get(party.name, 1.0)
            best = ideal(prefs, c)
            total += weight
            mean += weight * float(line[list(best)].mean())
            support[list(best)] += weight / len(best)
        if total <= 0:
            out[c.name] = every_option(c)
        elif c.ordered:
            out[c.name] = nearest(line, mean / total)
        else:
            out[c.name] = tuple(int(i) for i in np.flatnonzero(np.isclose(support, support.max())))
    return out


def public_requirements(scenario: Scenario) -> tuple[Constraint, ...]:
    """Ratifier requirements on public record: those a ratifier's ``public``
    dates (by the scenario's ``as_of``, when it has one). Requirements that
    bargainers learn only from a veto are not applied: a forecaster could
    not know them either."""
    known: list[Constraint] = []
    for party in scenario.parties:
        vetoes = declared(party).vetoes
        public = dict(vetoes.public)
        for requirement in vetoes.requires:
            day = public.get(requirement.clause)
            if day is not None and (scenario.as_of is None or day <= scenario.as_of):
                known.append(requirement)
    return tuple(known)


def bargaining_problem(scenario: Scenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The bargainers' utilities ``U``, reservation values and the mask of
    outcomes allowed by their constraints and the public requirements."""
    space = scenario.space
    holders = [p.preferences for p in scenario.bargainers if p.preferences is not None]
    U = np.column_stack([utility(prefs, space) for prefs in holders])
    rv = np.array([prefs.reservation for prefs in holders])
    constraints = tuple(c for prefs in holders for c in prefs.constraints) + public_requirements(scenario)
    mask = allowed(Preferences(weights={}, values={}, constraints=constraints, links=scenario.links), space)
    return U, rv, mask


def bargaining_point(scenario: Scenario, which: str) -> Pointed:
    """The Nash or Kalai–Smorodinsky outcome; every option when no outcome
    is individually rational (the point does not exist)."""
    U, rv, mask = bargaining_problem(scenario)
    solve = {"nash": nash_point, "kalai_smorodinsky": kalai_smorodinsky_point}[which]
    outcome = solve(U, rv, mask)
    if outcome is None:
        return uniform(scenario)
    chosen = scenario.space.option_indices(outcome)
    return {c.name: (i,) for c, i in zip(scenario.clauses, chosen)}


def all_baselines(scenario: Scenario, capabilities: Mapping[str, float] | None = None) -> dict[str, Pointed]:
    return {"middle_option": middle_option(scenario), "compromise": compromise(scenario, capabilities),
            "nash": bargaining_point(scenario, "nash"),
            "kalai_smorodinsky": bargaining_point(scenario, "kalai_smorodinsky"), "uniform": uniform(scenario),
            "status_quo": status_quo(scenario)}


def first_day(scenario: Scenario) -> dt.date:
    """The first day a forecast made at ``as_of`` can still put a deal on."""
    if scenario.as_of is None:
        return scenario.calendar.start
    return max(scenario.calendar.start, scenario.as_of + dt.timedelta(days=1))


def as_forecast(name: str, scenario: Scenario, pointed: Pointed) -> Forecast:
    """A baseline's pointed options as a forecast (the uniform guess also
    forecasts dates: every day from :func:`first_day` to the calendar's end)."""
    dates = Dates(span=(first_day(scenario), scenario.calendar.deadline)) if name == "uniform" else None
    return Forecast(name, {c.name: distribution(c, pointed[c.name]) for c in scenario.clauses}, dates, dates)


def baseline_forecasts(scenario: Scenario, capabilities: Mapping[str, float] | None = None) -> dict[str, Forecast]:
    return {name: as_forecast(name, scenario, pointed)
            for name, pointed in all_baselines(scenario, capabilities).items()}


def calendar_share(scenario: Scenario, day: dt.date) -> float:
    """Where ``day`` lies on the scenario's calendar: 0 at its start, 1 at its end."""
    start, end = scenario.calendar.start, scenario.calendar.deadline
    return (day - start).days / max((end - start).days, 1)


def reference_class(scenario: Scenario, others: Sequence[tuple[Scenario, Truth]]) -> Forecast | None:
    """The reference-class date forecast (module docstring), from the other
    cases and their real dates; None when no other case has a date after
    this case's ``as_of``."""
    start, end = scenario.calendar.start, scenario.calendar.deadline
    length = (end - start).days
    stages: dict[str, Dates | None] = {}
    for stage in ("tentative", "definitive"):
        days = []
        for other, truth in others:
            real = truth.tentative_date if stage == "tentative" else truth.definitive_date
            if real is None:
                continue
            day = start + dt.timedelta(days=round(calendar_share(other, real) * length))
            if scenario.as_of is None or day > scenario.as_of:
                days.append(day)
        stages[stage] = Dates(tuple(sorted(days))) if days else None
    if stages["definitive"] is None:
        return None
    return Forecast("reference_class", {}, stages["definitive"], stages["tentative"],
                    {"cases": len(stages["definitive"].sample)})
