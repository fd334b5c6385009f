"""The outcome space and utilities: the numbers everything else stands on."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.domain.outcomes import Clause, OutcomeSpace
from negotiation.domain.preferences import Constraint, Preferences, allowed, normalise_weights, ramp, utility
from negotiation.inputs.parties import constraint_mask
from negotiation.scenarios.load import build_scenario


def utility_of(prefs, space, outcome):
    """One outcome's utility as the sum over its clauses, one at a time: the
    definition the vectorised ``utility`` must agree with."""
    return float(sum(prefs.weights.get(c.name, 0.0) * prefs.values[c.name][i]
                     for c, i in zip(space.clauses, space.option_indices(outcome)) if c.name in prefs.values))


@given(st.lists(st.integers(1, 6), min_size=1, max_size=5))
def test_outcome_space_holds_every_outcome_exactly_once(sizes):
    space = OutcomeSpace(tuple(Clause(f"c{i}", tuple(range(n))) for i, n in enumerate(sizes)))
    grid = space.grid
    assert space.size == math.prod(sizes) == len(grid)
    assert len({tuple(row) for row in grid}) == space.size  # no duplicates
    for outcome in (0, space.size // 2, space.size - 1):
        assert space.index_of(space.option_indices(outcome)) == outcome
        assert tuple(grid[outcome]) == space.option_indices(outcome)


def test_utility_equals_a_hand_computed_example():
    # weights 2:1:1 → 0.5, 0.25, 0.25; values normalised by their maximum (GENIUS)
    space = OutcomeSpace((Clause("price", (10, 20, 30)), Clause("colour", ("red", "blue")),
                          Clause("speed", ("slow", "fast"))))
    prefs = Preferences(weights=normalise_weights({"price": 2, "colour": 1, "speed": 1}),
                        values={"price": (1.0, 0.5, 0.0), "colour": (0.25, 1.0), "speed": (0.0, 1.0)})
    u = utility(prefs, space)
    # price=20 (0.5), colour=red (0.25), speed=fast (1.0): 0.5*0.5 + 0.25*0.25 + 0.25*1 = 0.5625
    outcome = space.from_dict({"price": 20, "colour": "red", "speed": "fast"})
    assert u[outcome] == 0.5625
    assert utility_of(prefs, space, outcome) == 0.5625
    assert u.max() == 1.0 and u.min() == 0.0625


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(2, 5), min_size=1, max_size=4), st.data())
def test_utilities_lie_in_unit_interval_and_match_the_per_outcome_sum(sizes, data):
    clauses = tuple(Clause(f"c{i}", tuple(range(n))) for i, n in enumerate(sizes))
    space = OutcomeSpace(clauses)
    weights = {c.name: data.draw(st.floats(0.01, 10)) for c in clauses}
    values = {c.name: tuple(data.draw(st.floats(0.0, 1.0)) for _ in c.options)[:-1] + (1.0,) for c in clauses}
    prefs = Preferences(normalise_weights(weights), values)
    u = utility(prefs, space)
    assert u.shape == (space.size,) and (u >= 0).all() and (u <= 1 + 1e-12).all()
    probe = data.draw(st.integers(0, space.size - 1))
    assert math.isclose(u[probe], utility_of(prefs, space, probe), abs_tol=1e-12)


def test_constraints_rule_out_outcomes_for_that_party_only():
    clause = Clause("stake", (0.2, 0.25, 0.3))
    assert constraint_mask(clause, ">= 0.25") == (False, True, True)
    assert constraint_mask(clause, [0.2]) == (True, False, False)
    assert isinstance(constraint_mask(clause, "> 0.5"), str)  # rules out everything: an error text
    ordered = Clause("panel", ("board", "panel", "veto"), ordered=True)
    assert constraint_mask(ordered, "<= panel") == (True, True, False)
    space = OutcomeSpace((clause, ordered))
    prefs = Preferences({"stake": 1.0}, {"stake": (0.0, 0.5, 1.0)},
                        constraints=(Constraint("stake", (False, True, True), ">= 0.25"),))
    mask = allowed(prefs, space)
    assert mask.sum() == 6 and not mask[space.from_dict({"stake": 0.2, "panel": "veto"})]


def test_the_textbook_and_default_scenarios_give_utilities_in_range(small):
    scenario = build_scenario(small)
    for party in scenario.bargainers:
        u = utility(party.preferences, scenario.space)
        assert np.isclose(u.max(), 1.0) and u.min() >= 0.0


@given(st.lists(st.lists(st.floats(0, 1), min_size=1, max_size=5), min_size=1, max_size=6), st.integers(1, 64))
def test_folding_clause_vectors_gives_what_broadcasting_gives(tables, columns_from):
    """Utility arrays are folded clause by clause, an option at a time once the
    fold is long (``COLUMNS_FROM``): the same values, bit for bit, as numpy's
    broadcasting of each clause along its own axis, for sums and for masks."""
    import negotiation.domain.outcomes as outcomes

    space = OutcomeSpace(tuple(Clause(f"c{i}", tuple(range(len(t)))) for i, t in enumerate(tables)))
    axes = [np.asarray(t).reshape([-1 if a == i else 1 for a in range(len(tables))]) for i, t in enumerate(tables)]
    masks = [np.asarray(t) > 0.5 for t in tables]
    before = outcomes.COLUMNS_FROM
    try:
        outcomes.COLUMNS_FROM = columns_from
        summed, joint = space.broadcast(tables, np.add), space.broadcast(masks, np.logical_and)
    finally:
        outcomes.COLUMNS_FROM = before
    expected = axes[0]
    for axis in axes[1:]:
        expected = expected + axis
    assert np.array_equal(summed, np.broadcast_to(expected, space.shape).reshape(-1))
    shaped = np.broadcast_arrays(*[m.reshape(a.shape) for m, a in zip(masks, axes)])
    assert np.array_equal(joint, np.logical_and.reduce(shaped).reshape(-1))


@given(st.integers(1, 400), st.sampled_from([1.0, 0.5]), st.booleans())
def test_ramps_are_numpys_linspace_to_the_power_bit_for_bit(n, power, increasing):
    """``ramp`` is pure Python (reading a scenario imports no numpy) yet gives
    the very floats ``numpy.linspace(0, 1, n) ** power`` gives, so utilities
    and logs are unchanged; the square root must be ``math.sqrt``, as numpy's."""
    steps = np.linspace(0.0, 1.0, n) ** power if n > 1 else np.ones(1)
    expected = tuple(float(v) for v in (steps if increasing else steps[::-1]))
    assert ramp(n, increasing, power) == expected
