"""One behavioural test per tactic and acceptance condition (Axelrod style)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.domain.acceptance import ACCEPTANCES, ACConst, ACNext, ACTime
from negotiation.domain.tactics import (TACTICS, Hardliner, RandomOffers, Ranking, TimeDependent, TitForTat, View,
                                        masked_utility, select_offer)

U = np.linspace(0.0, 1.0, 101)  # a one-clause space: outcome i is worth i/100 to us
ALL = np.ones_like(U, dtype=bool)


def view(t=0.0, rv=0.2, own=(), received=()):
    return View(t, U, ALL, rv, 1.0, list(own), list(received))


def test_every_registered_tactic_cites_its_source():
    for cls in list(TACTICS.values()) + list(ACCEPTANCES.values()):
        assert cls.__doc__ and any(ch.isdigit() for ch in cls.__doc__), cls.name  # a year: a citation


@given(st.floats(0.05, 0.95), st.floats(1.05, 10.0), st.floats(0.05, 0.95))
def test_boulware_concedes_later_than_conceder(e_boulware, e_conceder, t):
    boulware, conceder = TimeDependent(e=e_boulware), TimeDependent(e=e_conceder)
    assert boulware.target(view(t)) > conceder.target(view(t))


@given(st.floats(0.05, 10.0), st.floats(0.0, 1.0))
def test_time_dependent_spans_best_to_reservation(e, rv):
    tactic = TimeDependent(e=e)
    assert tactic.target(View(0.0, U, ALL, rv, 1.0)) == pytest.approx(1.0)
    assert tactic.target(View(1.0, U, ALL, rv, 1.0)) == pytest.approx(rv)
    targets = [tactic.target(View(t, U, ALL, rv, 1.0)) for t in np.linspace(0, 1, 20)]
    assert all(a >= b - 1e-12 for a, b in zip(targets, targets[1:]))  # never retracts


def test_hardliner_never_concedes():
    assert Hardliner().target(view(t=0.999)) == 1.0


def test_tit_for_tat_reciprocates_a_concession_and_punishes_a_retreat():
    tft = TitForTat(kindness=0.0)
    # our last offer was worth 0.9 to us; the opponent moved from 0.2 to 0.6 for us: half the gap to our best
    conceding = tft.target(view(own=[90], received=[20, 60]))
    assert conceding == pytest.approx(0.9 - 0.5 * (0.9 - 0.2))
    retreating = tft.target(view(own=[60], received=[60, 20]))
    assert retreating > 0.6
    assert tft.target(view(own=[60], received=[60, 60])) == pytest.approx(0.6)  # no move, no concession


def test_random_offers_stay_at_or_above_the_reservation_value():
    rng = np.random.default_rng(0)
    offers = {RandomOffers().propose(view(rv=0.7), np.zeros_like(U), rng) for _ in range(200)}
    assert min(U[list(offers)]) >= 0.7 and len(offers) > 10


def test_select_offer_picks_the_best_for_the_opponent_above_target():
    opponent = 1.0 - U  # pure conflict: the opponent likes what we dislike
    assert select_offer(view(), 0.75, opponent, np.random.default_rng(0)) == 75
    ties = np.zeros_like(U)
    picks = {select_offer(view(), 0.5, ties, np.random.default_rng(s)) for s in range(30)}
    assert len(picks) > 1 and min(picks) >= 50  # ties broken by the rng, never below target


@given(st.lists(st.sampled_from([0.0, 0.25, 0.5, 0.5 + 1e-10, 0.75, 1.0]), min_size=1, max_size=40),
       st.lists(st.booleans(), min_size=40, max_size=40),
       st.lists(st.sampled_from([0.0, 0.3, 0.3 + 1e-10, 0.6, 1.0]), min_size=40, max_size=40),
       st.lists(st.floats(-0.1, 1.2), min_size=1, max_size=6), st.integers(0, 2**32 - 1))
def test_a_ranking_selects_the_offer_and_draw_the_full_scan_selects(utils, allowed, scores, targets, seed):
    """The ranked search (a binary search over the bargainer's outcomes, and
    its last choice remembered) is only a faster way to the same offer: the
    same outcome and the same random draws as a pass over the whole space, on
    ties within EPS, disallowed outcomes and targets above the best, whether
    the ranking is sorted whole or grows a band at a time."""
    utility = np.array(utils)
    mask = np.array(allowed[:utility.size])
    if not mask.any():
        mask[0] = True
    masked = masked_utility(utility, mask)
    best = float(masked.max())
    plain = View(0.5, utility, mask, 0.0, best, masked=masked)
    opponent = np.array(scores[:utility.size])
    for at_once in (utility.size, 0):  # sorted whole, and lazily a band at a time
        ranked = View(0.5, utility, mask, 0.0, best, masked=masked, ranking=Ranking(masked, at_once=at_once))
        a, b = np.random.default_rng(seed), np.random.default_rng(seed)
        for target in targets + targets[::-1]:  # repeats reuse the remembered choice; the lazy one ranks further
            assert select_offer(ranked, target, opponent, a) == select_offer(plain, target, opponent, b)
        assert a.integers(1 << 30) == b.integers(1 << 30)  # as many draws on both sides


def test_acceptance_conditions():
    assert ACNext().accepts(view(), offered=0.7, next_offer=0.7)
    assert not ACNext().accepts(view(), offered=0.69, next_offer=0.7)
    assert ACConst(c=0.6).accepts(view(), 0.6, 1.0) and not ACConst(c=0.6).accepts(view(), 0.5, 0.0)
    assert ACTime(T=0.9).accepts(view(t=0.95), 0.0, 1.0) and not ACTime(T=0.9).accepts(view(t=0.5), 0.99, 1.0)
