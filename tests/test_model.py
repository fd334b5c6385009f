"""Runs: deterministic logs, rational agreements, the protocol's endings."""

from __future__ import annotations

import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.inputs.config import apply_sets
from negotiation.runs.log import SCHEMA
from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import build_scenario, load_scenario

from .conftest import DEFAULT, ROOT, SMALL, TEXTBOOK


def records(output):
    return [json.loads(line) for line in output.log_text.splitlines()]


def test_same_scenario_and_seed_give_the_same_log_bytes():
    scenario = load_scenario(DEFAULT)
    assert simulate(scenario).log_text == simulate(scenario).log_text


def test_the_log_is_identical_across_processes():
    code = ("import sys; from negotiation.scenarios.load import load_scenario; from negotiation.engine.simulate import simulate;"
            f"sys.stdout.write(simulate(load_scenario({str(TEXTBOOK)!r})).log_text)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT,
                           env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in (1, 2)]
    assert runs[0] == runs[1] == simulate(load_scenario(TEXTBOOK)).log_text


def test_a_different_seed_or_preference_changes_the_log():
    base = simulate(load_scenario(TEXTBOOK)).log_text
    assert simulate(load_scenario(TEXTBOOK, seed=8)).log_text != base
    assert simulate(load_scenario(TEXTBOOK, sets=["parties.candidate.strategy.e=3"])).log_text != base
    assert simulate(load_scenario(TEXTBOOK, sets=["parties.employer.weights.salary_keur=0.9"])).log_text != base


def test_log_records_follow_the_contract():
    recs = records(simulate(load_scenario(DEFAULT)))
    header, end = recs[0], recs[-1]
    assert header["type"] == "header" and header["schema"] == SCHEMA
    assert set(header["clauses"]) == {c.name for c in load_scenario(DEFAULT).clauses}
    assert end["type"] == "end" and end["result"] in {"agreement", "deadline", "breakdown"}
    for r in recs[1:]:
        assert isinstance(r["round"], int) and len(r["date"]) == 10
    offers = [r for r in recs if r["type"] == "offer"]
    assert offers and all(set(o["utilities"]) == {"microsoft", "openai"} for o in offers)
    assert all(set(o["outcome"]) == set(header["clauses"]) for o in offers)
    assert not any(key in json.dumps(recs) for key in ("wall", "seconds", "elapsed"))


def run_small(data, seed):
    return simulate(build_scenario(data), seed=seed)


ACCEPTANCE = st.one_of(
    st.builds(lambda a, b: {"name": "ac_next", "alpha": a, "beta": b}, st.floats(0.5, 1.5), st.floats(-0.3, 0.3)),
    st.builds(lambda c: {"name": "ac_const", "c": c}, st.floats(0, 1)),
    st.builds(lambda t: {"name": "ac_time", "T": t}, st.floats(0, 1)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), rv_buyer=st.floats(0, 0.9), rv_seller=st.floats(0, 0.9),
       tactic=st.sampled_from(["boulware", "conceder", "tit_for_tat", "random", "hardliner", "linear"]),
       buyer_accepts=st.lists(ACCEPTANCE, min_size=1, max_size=2),
       seller_accepts=st.lists(ACCEPTANCE, min_size=1, max_size=2),
       price_cap=st.sampled_from([None, 20, 30]))
def test_no_one_accepts_an_offer_below_its_reservation_or_against_its_constraints(
        seed, rv_buyer, rv_seller, tactic, buyer_accepts, seller_accepts, price_cap):
    """Every yes in the log, not only the agreement's, is individually
    rational: worth at least the responder's reservation value at that
    moment and allowed by its constraints, whatever its acceptance conditions
    (ac_const with a low c, or ac_time with an early T, would accept less)."""
    data, _ = apply_sets(SMALL, [f"parties.buyer.reservation={rv_buyer}", f"parties.seller.reservation={rv_seller}",
                                 f"parties.seller.strategy.name={tactic}"])
    if tactic != "conceder":
        del data["parties"]["seller"]["strategy"]["e"]
    data["parties"]["buyer"]["strategy"]["acceptance"] = buyer_accepts
    data["parties"]["seller"]["strategy"]["acceptance"] = seller_accepts
    if price_cap is not None:
        data["parties"]["buyer"]["constraints"] = {"price": f"<= {price_cap}"}
    out = run_small(data, seed)
    offer = None
    for r in out.records:
        if r["type"] == "offer":
            offer = r
        elif r["type"] == "response" and r["accept"]:
            party = r["party"]
            assert offer["utilities"][party] >= offer["reservations"][party] - 1e-6, (r, offer)
            if party == "buyer" and price_cap is not None:
                assert offer["outcome"]["price"] <= price_cap, (r, offer)
    if out.summary["result"] == "agreement":
        u = out.summary["utilities"]
        assert u["buyer"] >= rv_buyer - 1e-6 and u["seller"] >= rv_seller - 1e-6


def test_two_hardliners_reach_the_deadline(small):
    for party in small["parties"].values():
        party["strategy"] = {"name": "hardliner"}
    out = run_small(small, 1)
    assert out.summary["result"] == "deadline" and out.summary["date"] <= "2025-06-30"


def test_a_party_walks_away_when_its_batna_beats_everything(small):
    small["parties"]["buyer"]["reservation"] = 0.95
    small["parties"]["seller"]["reservation"] = 0.95
    for party in small["parties"].values():
        party["strategy"]["opponent_model"] = "known"
    out = run_small(small, 1)
    assert out.summary["result"] == "breakdown" and "beats anything" in out.summary["reason"]


def test_a_party_leaves_at_its_own_deadline(small):
    small["parties"]["seller"]["deadline"] = "2025-02-01"
    for party in small["parties"].values():
        party["strategy"] = {"name": "hardliner"}
    out = run_small(small, 1)
    assert out.summary["result"] == "breakdown" and "seller's deadline" in out.summary["reason"]


def test_a_conceder_settles_sooner_than_a_boulware(small):
    dates = {}
    for tactic in ("boulware", "conceder"):
        small["parties"]["buyer"]["strategy"] = {"name": tactic}
        dates[tactic] = run_small(small, 1).summary["rounds"]
    assert dates["conceder"] < dates["boulware"]
