"""Clause-by-clause search: on spaces small enough to enumerate, it finds what
an exhaustive scan of the enumerated utility arrays finds."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.domain.clausewise import (EPS, ClausewiseAllowed, ClausewiseUtility, best_options, pareto_frontier,
                                           sample_at_least, total)
from negotiation.domain.outcomes import Clause, OutcomeSpace


@st.composite
def problems(draw: st.DrawFn) -> tuple[OutcomeSpace, tuple, tuple, tuple, float]:
    shape = draw(st.lists(st.integers(1, 4), min_size=1, max_size=5))
    space = OutcomeSpace(tuple(Clause(f"c{i}", tuple(range(k))) for i, k in enumerate(shape)))
    # values on a coarse grid, so that ties (the hard case for a search) are common
    own = tuple(np.array(draw(st.lists(st.integers(0, 4), min_size=k, max_size=k))) / 8.0 for k in shape)
    other = tuple(np.array(draw(st.lists(st.integers(0, 4), min_size=k, max_size=k))) / 8.0 for k in shape)
    allowed = tuple(np.array(draw(st.lists(st.booleans(), min_size=k, max_size=k))) for k in shape)
    target = draw(st.floats(0.0, 2.5))
    return space, own, other, allowed, target


def enumerated(space: OutcomeSpace, tables: tuple) -> np.ndarray:
    return space.broadcast(list(tables), np.add).astype(np.float64)


@settings(max_examples=300, deadline=None)
@given(problems())
def test_the_offer_found_is_the_best_for_the_opponent_among_outcomes_reaching_the_target(problem) -> None:
    space, own, other, allowed, target = problem
    U, V = enumerated(space, own), enumerated(space, other)
    mask = space.broadcast(list(allowed), np.logical_and).copy()
    candidates = mask & (U >= target - EPS)
    frontier = pareto_frontier(own, other, allowed)
    row = frontier.best_for_other(target)
    if not candidates.any():
        assert row is None
        return
    assert row is not None
    outcome = space.index_of(tuple(int(o) for o in frontier.options[row]))
    assert mask[outcome] and U[outcome] >= target - EPS
    assert V[outcome] == V[candidates].max()
    assert (frontier.own[row], frontier.other[row]) == (U[outcome], V[outcome])  # same sums, same order


@settings(max_examples=200, deadline=None)
@given(problems())
def test_the_frontier_holds_exactly_the_pareto_optimal_utility_pairs(problem) -> None:
    space, own, other, allowed, _ = problem
    U, V = enumerated(space, own), enumerated(space, other)
    mask = space.broadcast(list(allowed), np.logical_and).copy()
    pairs = {(u, v) for u, v in zip(U[mask], V[mask])}
    optimal = {p for p in pairs if not any(q != p and q[0] >= p[0] and q[1] >= p[1] for q in pairs)}
    frontier = pareto_frontier(own, other, allowed)
    assert set(zip(frontier.own, frontier.other)) == optimal
    assert len(frontier) == len(optimal)  # one outcome per utility pair
    assert np.all(np.diff(frontier.own) > 0) and np.all(np.diff(frontier.other) < 0)


@settings(max_examples=100, deadline=None)
@given(problems())
def test_lookups_and_best_options_match_the_enumerated_arrays(problem) -> None:
    space, own, _, allowed, _ = problem
    U = enumerated(space, own)
    mask = space.broadcast(list(allowed), np.logical_and).copy()
    u, ok = ClausewiseUtility(space, own), ClausewiseAllowed(space, allowed)
    for outcome in range(space.size):
        assert u[outcome] == U[outcome] and ok[outcome] == mask[outcome]
    best = best_options(own, allowed)
    if mask.any():
        assert best is not None and total(own, best) == U[mask].max()
    else:
        assert best is None


def test_a_random_offer_reaches_the_threshold_and_is_reproducible() -> None:
    rng_tables = np.random.default_rng(0)
    tables = tuple(rng_tables.random(4) / 20 for _ in range(20))
    allowed = tuple(np.array([True, True, False, True]) for _ in range(20))
    first = sample_at_least(tables, allowed, 0.5, np.random.default_rng(7))
    assert first is not None and total(tables, first) >= 0.5 and all(o != 2 for o in first)
    assert sample_at_least(tables, allowed, 0.5, np.random.default_rng(7)) == first
    assert sample_at_least(tables, allowed, 2.0, np.random.default_rng(7)) is None  # above anything possible
