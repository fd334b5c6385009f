"""Every registered tactic and acceptance condition: its defaults, the
ranges a scenario is held to, and what it does against a fixed opponent;
and the protocol's safety rule that no condition can make a bargainer sign a
deal worse than no deal or outside its constraints."""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError, fields

import numpy as np
import pytest

from negotiation.domain.acceptance import ACCEPTANCES
from negotiation.domain.tactics import TACTICS, View, parameters
from negotiation.engine.simulate import simulate
from negotiation.errors import InputError
from negotiation.scenarios.load import build_scenario

U = np.linspace(0.0, 1.0, 101)  # a one-clause space: outcome i is worth i/100 to us
ALL = np.ones_like(U, dtype=bool)
OPPONENT = 1.0 - U  # the fixed opponent: wants exactly what we do not

# name → (defaults, a value out of range or None)
EXPECTED_TACTICS = {
    "time_dependent": ({"e": 1.0, "k": 0.0}, {"e": 0.0}),
    "boulware": ({"e": 0.2, "k": 0.0}, {"e": 1.5}),
    "linear": ({"e": 1.0, "k": 0.0}, {"e": 2.0}),
    "conceder": ({"e": 2.0, "k": 0.0}, {"e": 0.5}),
    "hardliner": ({}, None),
    "tit_for_tat": ({"delta": 1.0, "kindness": 0.02}, {"kindness": 1.5}),
    "random": ({}, None),
}
EXPECTED_ACCEPTANCES = {
    "ac_next": ({"alpha": 1.0, "beta": 0.0}, {"beta": 2.0}),
    "ac_const": ({"c": 0.8}, {"c": 1.2}),
    "ac_time": ({"T": 0.99}, {"T": -0.1}),
}

# name → (relative time, offered utility, utility of its own next offer, accepts?)
BEHAVIOUR = {
    "ac_next": [(0.1, 0.85, 0.85, True), (0.1, 0.84, 0.85, False), (0.9, 0.5, 0.9, False)],
    "ac_const": [(0.1, 0.8, 1.0, True), (0.9, 0.79, 0.3, False)],
    "ac_time": [(0.99, 0.1, 1.0, True), (0.5, 0.99, 0.3, False)],
}


def test_the_expectations_cover_every_registered_class():
    assert set(EXPECTED_TACTICS) == set(TACTICS) and set(EXPECTED_ACCEPTANCES) == set(ACCEPTANCES)


@pytest.mark.parametrize("name", sorted(TACTICS))
def test_tactic_defaults_and_frozen_fields(name, small):
    cls = TACTICS[name]
    defaults, _ = EXPECTED_TACTICS[name]
    tactic = cls()
    assert {f.name: getattr(tactic, f.name) for f in parameters(cls)} == defaults
    assert all(f.type in ("float", float) for f in fields(cls))  # typed fields, nothing else
    if defaults:
        with pytest.raises(FrozenInstanceError):
            setattr(tactic, next(iter(defaults)), 0.5)
    small["parties"]["buyer"]["strategy"] = {"name": name}
    spec = build_scenario(small).party("buyer").strategy
    assert dict(spec.params) == defaults  # what a scenario gets when it names the tactic alone


@pytest.mark.parametrize("name", sorted(n for n, (_, bad) in EXPECTED_TACTICS.items() if bad))
def test_tactic_parameters_out_of_range_are_refused(name, small):
    (key, value), = EXPECTED_TACTICS[name][1].items()
    small["parties"]["buyer"]["strategy"] = {"name": name, key: value}
    with pytest.raises(InputError) as err:
        build_scenario(small)
    assert err.value.key == f"parties.buyer.strategy.{key}"


@pytest.mark.parametrize("name", sorted(TACTICS))
def test_tactic_against_a_fixed_opponent(name):
    """Offers are never below the reservation value; time-dependent tactics
    open at the best outcome and end at the reservation value; a hardliner
    never moves; tit-for-tat moves only as the opponent does (plus kindness)."""
    tactic, rng, rv = TACTICS[name](), np.random.default_rng(0), 0.3
    offers = [tactic.propose(View(t, U, ALL, rv, 1.0, [], []), OPPONENT, rng) for t in np.linspace(0, 1, 11)]
    assert min(U[offers]) >= rv - 1e-9
    if isinstance(tactic, TACTICS["time_dependent"]):
        assert offers[0] == 100 and offers[-1] == 30
        assert offers == sorted(offers, reverse=True)  # concedes monotonically against a fixed opponent
    if name == "hardliner":
        assert set(offers) == {100}
    if name == "tit_for_tat":
        still = View(0.5, U, ALL, rv, 1.0, [90], [20, 20])  # the opponent did not move
        assert tactic.target(still) == pytest.approx(0.9 - 0.02 * (0.9 - rv))


@pytest.mark.parametrize("name", sorted(ACCEPTANCES))
def test_acceptance_defaults_range_and_behaviour(name, small):
    cls = ACCEPTANCES[name]
    defaults, bad = EXPECTED_ACCEPTANCES[name]
    assert {f.name: getattr(cls(), f.name) for f in parameters(cls)} == defaults
    (key, value), = bad.items()
    small["parties"]["buyer"]["strategy"] = {"name": "linear", "acceptance": [{"name": name, key: value}]}
    with pytest.raises(InputError) as err:
        build_scenario(small)
    assert err.value.key == f"parties.buyer.strategy.acceptance.0.{key}"
    condition = cls()
    for t, offered, next_offer, expected in BEHAVIOUR[name]:
        assert condition.accepts(View(t, U, ALL, 0.3, 1.0), offered, next_offer) is expected, (t, offered, next_offer)


# -- the safety rule: individual rationality is the protocol's, not the condition's --

def _records(small):
    return [json.loads(line) for line in simulate(build_scenario(small)).log_text.splitlines()]


@pytest.mark.parametrize("acceptance", [{"name": "ac_const", "c": 0.0}, {"name": "ac_time", "T": 0.0}])
def test_no_condition_accepts_an_offer_below_the_reservation_value(small, acceptance):
    # The seller never concedes; its best outcome is worth less than the buyer's
    # reservation value. ac_const(0) / ac_time(0) would take it at once.
    small["parties"]["seller"]["strategy"] = {"name": "hardliner"}
    small["parties"]["buyer"]["reservation"] = 0.6
    small["parties"]["buyer"]["strategy"] = {"name": "hardliner", "acceptance": [acceptance]}
    records = _records(small)
    seller_offers = [r for r in records if r["type"] == "offer" and r["from"] == "seller"]
    assert seller_offers and all(r["utilities"]["buyer"] < 0.6 for r in seller_offers)
    answers = [r["accept"] for r in records if r["type"] == "response" and r["party"] == "buyer"]
    assert answers and not any(answers)
    assert not any(r["type"] == "agreement" for r in records)


@pytest.mark.parametrize("acceptance", [{"name": "ac_const", "c": 0.0}, {"name": "ac_time", "T": 0.0}])
def test_no_condition_accepts_an_offer_outside_a_hard_constraint(small, acceptance):
    # The seller only ever asks 40; the buyer's constraint rules out more than 30.
    small["parties"]["seller"]["strategy"] = {"name": "hardliner"}
    small["parties"]["buyer"]["reservation"] = 0.0
    small["parties"]["buyer"]["constraints"] = {"price": "<= 30"}
    small["parties"]["buyer"]["strategy"] = {"name": "hardliner", "acceptance": [acceptance]}
    records = _records(small)
    asked = {r["outcome"]["price"] for r in records if r["type"] == "offer" and r["from"] == "seller"}
    assert asked == {40}
    assert not any(r["accept"] for r in records if r["type"] == "response" and r["party"] == "buyer")
    assert not any(r["type"] == "agreement" for r in records)
