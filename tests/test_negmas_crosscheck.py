"""Cross-check of the bargaining analysis and the GENIUS import against NegMAS.

NegMAS (AGPL) is an optional reference, installed by the ``crosscheck``
extra: it is only *called* here, nothing is copied from it, and the package
never imports it. Three GENIUS domains written for these tests (2, 2 and 3
parties; 24, 360 and 14,400 outcomes; issue and option names with spaces,
``$``, quotes, apostrophes and accents) are read by both libraries.

Where the conventions coincide the results must be equal. Where NegMAS
departs from ours (README, "Cross-check against NegMAS"), one test each shows how, so users of both
know what to expect:

- its GENIUS loader keeps the raw evaluations (no division by the largest);
- its ``pareto_frontier`` keeps only outcomes at or above every reservation
  value (our *rational* frontier), and only one copy of equal utility vectors;
- its ``nash_points`` takes max(reservation value, lowest utility) as the
  disagreement point;
- its ``ks_points`` minimises the spread of the parties' shares of the ideal
  gains, with the ideal taken over the whole space; ours maximises the
  smallest share, with the ideal over the rational outcomes;
- its time-based concession exponent is 1/e of Faratin's e.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

negmas = pytest.importorskip("negmas", reason="NegMAS is not installed; pip install -e '.[crosscheck]' "
                                              "to run the cross-check against it")

from negmas import LinearAdditiveUtilityFunction, PolyAspiration, make_issue, make_os  # noqa: E402
from negmas.preferences import kalai_points, ks_points, max_welfare_points, nash_points, pareto_frontier  # noqa: E402

from negotiation.domain import bargaining as A  # noqa: E402
from negotiation.inputs.genius import read_domain, read_profile  # noqa: E402
from negotiation.scenarios.genius import import_genius  # noqa: E402
from negotiation.domain.preferences import utility  # noqa: E402
from negotiation.scenarios.load import build_scenario  # noqa: E402
from negotiation.domain.tactics import TACTICS, View  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "genius"
DOMAINS = {"cafe": "Café-domain.xml", "holiday": "Holiday $ plan-domain.xml", "supply": "Supply chain-domain.xml"}


@dataclass
class Case:
    """One domain as both libraries see it. ``index[k]`` is our index of
    NegMAS's k-th outcome; ``ufuns`` are NegMAS ufuns with GENIUS's
    normalisation applied, i.e. the same utility functions as ours."""

    U: np.ndarray
    rv: np.ndarray
    space: Any
    domain: Path
    profiles: list[Path]
    theirs: Any
    outcomes: list[tuple]
    index: np.ndarray
    ufuns: list[Any]

    def frontier(self) -> tuple[list[tuple[float, ...]], set[int]]:
        utils, found = pareto_frontier(self.ufuns, outcomes=self.outcomes, sort_by_welfare=False)
        return list(utils), set(self.index[list(found)].tolist())


def genius_normalised(ufun: Any, outcome_space: Any, scale: float = 1.0, shift: float = 0.0,
                      reserved_value: float | None = None) -> Any:
    """A NegMAS ufun with GENIUS's normalisation (weights sum to 1, each
    evaluation divided by the issue's largest), optionally rescaled."""
    total = sum(ufun.weights)
    values = [{k: v / max(f.mapping.values()) for k, v in f.mapping.items()} for f in ufun.values]
    rv = ufun.reserved_value if reserved_value is None else reserved_value
    return LinearAdditiveUtilityFunction(values=values, weights=[scale * w / total for w in ufun.weights],
                                         bias=shift, outcome_space=outcome_space, reserved_value=rv)


@cache
def case(name: str) -> Case:
    domain = FIXTURES / name / DOMAINS[name]
    profiles = sorted(p for p in domain.parent.glob("*.xml") if p != domain)
    text, _ = import_genius(domain, profiles, Path("unused.yaml"))
    scenario = build_scenario(yaml.safe_load(text))
    U = np.column_stack([utility(p.preferences, scenario.space) for p in scenario.parties])
    rv = np.array([p.preferences.reservation for p in scenario.parties])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = negmas.Scenario.from_genius_files(domain, profiles, ignore_discount=True)
    outcomes = list(theirs.outcome_space.enumerate())
    index = np.array([scenario.space.from_dict(dict(zip(scenario.space.names, o))) for o in outcomes])
    ufuns = [genius_normalised(u, theirs.outcome_space) for u in theirs.ufuns]
    return Case(U, rv, scenario.space, domain, profiles, theirs, outcomes, index, ufuns)


def as_set(points: Any) -> set[tuple[float, ...]]:
    return {tuple(round(float(x), 9) for x in p[0]) for p in points}


def key(u: np.ndarray) -> tuple[float, ...]:
    return tuple(round(float(x), 9) for x in u)


# -- where the conventions coincide: equal results -------------------------------

@pytest.mark.parametrize("name", DOMAINS)
def test_both_read_the_same_issues_options_and_reservation_values(name):
    c = case(name)
    issues = c.theirs.outcome_space.issues
    assert [i.name for i in issues] == list(c.space.names)
    assert [list(i.values) for i in issues] == [list(cl.options) for cl in c.space.clauses]
    assert len(c.outcomes) == c.space.size == len(set(c.index.tolist()))
    assert [u.reserved_value for u in c.theirs.ufuns] == pytest.approx(c.rv.tolist())


@pytest.mark.parametrize("name", DOMAINS)
def test_utilities_equal_negmas_ufuns_normalised_as_genius_does(name):
    c = case(name)
    theirs = np.array([[u(o) for u in c.ufuns] for o in c.outcomes])
    np.testing.assert_allclose(theirs, c.U[c.index], rtol=0, atol=1e-12)


@pytest.mark.parametrize("name", DOMAINS)
def test_rational_frontier_equals_negmas_pareto_frontier(name):
    c = case(name)
    _, found = c.frontier()
    ours = A.rational_front(c.U, c.rv)
    assert len({key(c.U[i]) for i in ours}) == len(ours), "no duplicate vectors here: outcome sets must match"
    assert found == set(ours.tolist())


@pytest.mark.parametrize("name", DOMAINS)
def test_solution_points_equal_negmas(name):
    c = case(name)
    # The fixtures' reservation values exceed every party's lowest utility, so
    # NegMAS's disagreement point max(rv, min u) is the reservation values too.
    assert (c.rv >= c.U.min(axis=0)).all()
    utils, _ = c.frontier()
    space = c.theirs.outcome_space
    assert key(c.U[A.nash_point(c.U, c.rv)]) in as_set(nash_points(c.ufuns, utils, outcome_space=space))
    assert key(c.U[A.egalitarian_point(c.U, c.rv)]) in as_set(kalai_points(c.ufuns, utils, outcome_space=space))
    assert key(c.U[A.utilitarian_point(c.U, c.rv)]) in as_set(max_welfare_points(c.ufuns, utils,
                                                                                   outcome_space=space))


@pytest.mark.parametrize("name", DOMAINS)
def test_kalai_smorodinsky_point_is_negmas_egalitarian_point_of_the_ideal_scaled_problem(name):
    """K–S is scale-free (Kalai & Smorodinsky's axiom): rescale each party to
    0 at its reservation value and 1 at its ideal point, and it becomes the
    egalitarian point, which NegMAS computes as ``kalai_points``."""
    c = case(name)
    ideal = c.U[(c.U >= c.rv).all(axis=1)].max(axis=0)
    space = c.theirs.outcome_space
    scaled = [genius_normalised(u, space, 1 / (i - r), -r / (i - r), reserved_value=0.0)
              for u, i, r in zip(c.theirs.ufuns, ideal, c.rv)]
    utils, _ = pareto_frontier(scaled, outcomes=c.outcomes, sort_by_welfare=False)
    expected = as_set(kalai_points(scaled, list(utils), outcome_space=space))
    ours = A.kalai_smorodinsky_point(c.U, c.rv)
    assert key((c.U[ours] - c.rv) / (ideal - c.rv)) in expected


# -- where NegMAS departs from our conventions: one test each ----------------------

def test_difference_negmas_genius_loader_keeps_raw_evaluations():
    c = case("holiday")
    domain = read_domain(c.domain)
    profile = read_profile(c.profiles[0], domain)
    names = list(c.space.names)
    raw = [sum(profile.weights[n] * profile.evaluations[n][v] for n, v in zip(names, o)) for o in c.outcomes]
    genius = [sum(profile.weights[n] / sum(profile.weights.values()) * profile.evaluations[n][v]
                  / max(profile.evaluations[n].values()) for n, v in zip(names, o)) for o in c.outcomes]
    loaded = [c.theirs.ufuns[0](o) for o in c.outcomes]
    np.testing.assert_allclose(loaded, raw, atol=1e-12)  # Σ w·eval, up to 9 here
    np.testing.assert_allclose(c.U[c.index, 0], genius, atol=1e-12)  # ours: Σ w·eval/max eval, in [0, 1]
    assert max(loaded) > 1.0 >= c.U[:, 0].max()


def test_difference_negmas_pareto_frontier_drops_outcomes_below_a_reservation_value():
    c = case("supply")
    _, found = c.frontier()
    full = set(A.pareto_front(c.U).tolist())
    assert found < full  # strictly fewer
    extra = np.array(sorted(full - found))
    assert ((c.U[extra] < c.rv).any(axis=1)).all()  # each one leaves some party below its reservation value


def line_of_outcomes(u1: list[float], u2: list[float], rv: float = 0.0) -> tuple[list[Any], list[tuple]]:
    """NegMAS ufuns over one issue whose options carry the given utilities."""
    options = [f"option {k}" for k in range(len(u1))]
    space = make_os([make_issue(options, name="only issue")])
    ufuns = [LinearAdditiveUtilityFunction(values=[dict(zip(options, u))], weights=[1.0], outcome_space=space,
                                           reserved_value=rv) for u in (u1, u2)]
    return ufuns, [(o,) for o in options]


def test_difference_negmas_nash_disagreement_point_is_the_lowest_utility_above_reservations():
    u1, u2 = [1.0, 0.55, 0.5], [0.3, 0.6, 1.0]
    ufuns, outcomes = line_of_outcomes(u1, u2, rv=0.0)
    U = np.c_[u1, u2]
    utils, _ = pareto_frontier(ufuns, outcomes=outcomes, sort_by_welfare=False)
    theirs = as_set(nash_points(ufuns, list(utils), outcome_space=ufuns[0].outcome_space))
    # Ours, from (0, 0): products 0.3, 0.33, 0.5 → the third outcome.
    assert A.nash_point(U, np.zeros(2)) == 2
    assert theirs == {key(U[1])}  # NegMAS, from (0.5, 0.3): 0, 0.015, 0 → the second one
    assert A.nash_point(U, U.min(axis=0)) == 1  # with that disagreement point we agree


def test_difference_negmas_keeps_one_copy_of_equal_utility_vectors():
    ufuns, outcomes = line_of_outcomes([1.0, 0.5, 0.5], [0.0, 0.5, 0.5])
    _, found = pareto_frontier(ufuns, outcomes=outcomes, sort_by_welfare=False)
    assert len(found) == 2
    assert A.pareto_front(np.c_[[1.0, 0.5, 0.5], [0.0, 0.5, 0.5]]).tolist() == [0, 1, 2]


def test_difference_negmas_ks_points_ideal_and_criterion():
    # Ideal point: NegMAS takes each party's best over the whole space; given
    # ours (best over rational outcomes) as ``ranges``, the holiday domain agrees.
    c = case("holiday")
    utils, _ = c.frontier()
    ours = key(c.U[A.kalai_smorodinsky_point(c.U, c.rv)])
    ideal = c.U[(c.U >= c.rv).all(axis=1)].max(axis=0)
    ranges = [(float(c.U[:, j].min()), float(ideal[j])) for j in range(2)]
    assert ours not in as_set(ks_points(c.ufuns, utils, outcome_space=c.theirs.outcome_space))
    assert ours in as_set(ks_points(c.ufuns, utils, ranges=ranges))
    # Criterion: NegMAS minimises the spread of the shares, we maximise the smallest.
    c = case("supply")
    utils, _ = c.frontier()
    ideal = c.U[(c.U >= c.rv).all(axis=1)].max(axis=0)
    ranges = [(float(c.U[:, j].min()), float(ideal[j])) for j in range(3)]
    (theirs, _), = ks_points(c.ufuns, utils, ranges=ranges)
    mine = c.U[A.kalai_smorodinsky_point(c.U, c.rv)]
    share = lambda u: (np.asarray(u) - c.rv) / (ideal - c.rv)  # noqa: E731
    assert np.ptp(share(theirs)) < np.ptp(share(mine))
    assert share(theirs).min() < share(mine).min()


@pytest.mark.parametrize("e", [0.25, 0.5, 1.0, 2.0, 4.0])
def test_difference_negmas_time_based_exponent_is_one_over_faratins_e(e):
    tactic = TACTICS["time_dependent"](e=e)
    for t in np.linspace(0, 1, 11):
        view = View(t=float(t), utility=np.zeros(1), allowed=np.ones(1, dtype=bool), reservation=0.0, best=1.0)
        assert tactic.target(view) == pytest.approx(PolyAspiration(1.0, 1.0 / e).utility_at(float(t)))
    if e != 1.0:  # the same number means the opposite attitude
        view = View(t=0.5, utility=np.zeros(1), allowed=np.ones(1, dtype=bool), reservation=0.0, best=1.0)
        assert tactic.target(view) != pytest.approx(PolyAspiration(1.0, e).utility_at(0.5))
    # NegMAS's named Boulware curve (exponent 4) is Faratin's e = 0.25.
    boulware = TACTICS["time_dependent"](e=0.25)
    view = View(t=0.7, utility=np.zeros(1), allowed=np.ones(1, dtype=bool), reservation=0.0, best=1.0)
    assert boulware.target(view) == pytest.approx(PolyAspiration(1.0, "boulware").utility_at(0.7))
