"""Costs of delay (domain/discounting.py): the arithmetic, a cross-check
with NegMAS's discounted utility functions, and directional tests on toy
scenarios whose answers are known (Rubinstein 1982; Roth, Murnighan &
Schoumaker 1988)."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.domain.discounting import CostOfDelay, RecurringCost, rubinstein_share
from negotiation.engine.simulate import simulate
from negotiation.experiments.perturb import noise_rng, perturb
from negotiation.scenarios.load import build_scenario

from .conftest import write_yaml

D = dt.date
START = D(2025, 1, 1)


def split(delta_a: float, delta_b: float, round_: str = "1d", rv: float = 0.01, **extra: dict) -> dict:
    """Rubinstein's pie: two bargainers split 100 units in steps of 1, each
    knowing the other's utility, conceding linearly (e = 1); a proposes
    first. Only their discount factors (per year) differ; the small
    reservation value (Rubinstein's disagreement is 0) dates when waiting
    stops paying, the clock each concedes toward."""
    def party(values: str, delta: float) -> dict:
        return {"role": "bargainer", "weights": {"price": 1}, "values": {"price": values}, "reservation": rv,
                "cost_of_delay": {"discount": delta},
                "strategy": {"name": "time_dependent", "e": 1.0, "opponent_model": "known"}}
    return {"name": "pie", "seed": 1, "calendar": {"start": "2025-01-01", "round": round_, "deadline": "2027-12-31"},
            "clauses": {"price": {"options": list(range(0, 101))}},
            "parties": {"a": party("decreasing", delta_a), "b": party("increasing", delta_b)}, **extra}


def toy(rv: float = 0.2) -> dict:
    """test_deadlines' symmetric price toy: both pace to 1 March without costs."""
    def party(values: str) -> dict:
        return {"role": "bargainer", "weights": {"price": 1}, "values": {"price": values}, "reservation": rv,
                "horizon": "2025-03-01", "strategy": {"name": "time_dependent", "e": 0.5, "opponent_model": "known"}}
    return {"name": "toy", "seed": 1, "calendar": {"start": "2025-01-01", "round": "1d", "deadline": "2025-03-01"},
            "clauses": {"price": {"options": list(range(0, 101, 5))}},
            "parties": {"a": party("decreasing"), "b": party("increasing")}}


def play(raw: dict, seed: int | None = None) -> tuple[dict, list[dict]]:
    out = simulate(build_scenario(raw), seed)
    return out.summary, [json.loads(line) for line in out.log_text.splitlines()]


# -- the arithmetic ------------------------------------------------------------------

def test_a_deal_loses_its_discount_and_its_costs_and_only_the_discount_raises_the_floor():
    cost = CostOfDelay(START, discount=0.81, per_year=0.1)
    two_years = D(2027, 1, 1)  # 730 days
    assert cost.value(0.5, START) == 0.5
    assert cost.value(0.5, two_years) == pytest.approx(0.5 * 0.81 ** 2 - 0.2)
    # the floor: a deal that day must be worth the (undiscounted) reservation value, discounted;
    # the costs are paid by then whatever the end, so they do not raise it
    assert cost.floor(0.3, two_years) == pytest.approx(0.3 / 0.81 ** 2)
    assert CostOfDelay(START, per_year=0.1).floor(0.3, two_years) == 0.3


def test_recurring_charges_fall_due_from_their_first_date_and_a_deal_that_day_avoids_it():
    weekly = RecurringCost(0.01, 7, D(2025, 2, 1))
    assert [weekly.charges(D(2025, 2, 1) + dt.timedelta(days=k)) for k in (-1, 0, 1, 7, 8, 14)] == [0, 0, 1, 1, 2, 2]
    cost = CostOfDelay(START, recurring=(weekly,))
    assert cost.cost(D(2025, 3, 1)) == pytest.approx(0.04)  # due 1, 8, 15, 22 February


@given(st.floats(0.05, 1.0), st.floats(0.0, 0.3), st.floats(0.0, 0.9), st.floats(0.1, 1.0))
def test_waiting_stops_the_first_day_the_best_hope_is_worth_no_more_than_the_alternative(delta, per_year, rv, best):
    cost = CostOfDelay(START, discount=delta, per_year=per_year,
                       recurring=(RecurringCost(0.001, 30, D(2025, 6, 1)),))
    stops = cost.waiting_stops(best, rv, START)
    if stops is None:
        assert cost.value(best, START + dt.timedelta(days=365 * 99)) > rv
        return
    assert cost.value(best, stops) <= rv
    if stops > START:
        assert cost.value(best, stops - dt.timedelta(days=1)) > rv


def test_rubinstein_share_and_its_limit():
    assert rubinstein_share(0.9, 0.9) == pytest.approx(1 / 1.9)
    r1, r2 = 0.4, 0.1  # as rounds get short, the share tends to r2 / (r1 + r2)
    assert rubinstein_share(math.exp(-r1 * 1e-4), math.exp(-r2 * 1e-4)) == pytest.approx(r2 / (r1 + r2), abs=1e-3)


# -- NegMAS: the reference semantics ----------------------------------------------------

def test_the_discounted_utility_is_negmas_exp_and_lin_discounted_ufun_on_a_toy_where_they_coincide():
    """NegMAS's ExpDiscountedUFun is u·δ^factor and LinDiscountedUFun
    u − cost·factor; with the factor in years since the start both are ours
    on the deal, and the outcomes that beat walking away are the same: the
    exponential one with its reservation value fixed, the linear one with its
    reservation value bearing the cost (its default)."""
    negmas = pytest.importorskip("negmas", reason="NegMAS is not installed (the crosscheck extra)")
    from negmas import make_issue
    from negmas.preferences import ExpDiscountedUFun, LinDiscountedUFun, LinearAdditiveUtilityFunction

    issues = [make_issue(list(range(0, 101, 5)), "price")]
    rv = 0.3  # NegMAS discounts the inner ufun's reserved value when dynamic_reservation is on
    base = LinearAdditiveUtilityFunction(values=[lambda x: x / 100], weights=[1.0], issues=issues, reserved_value=rv)
    exp = ExpDiscountedUFun(base, discount=0.7, factor="time", reserved_value=rv, dynamic_reservation=False)
    lin = LinDiscountedUFun(base, cost=0.2, factor="time", power=1.0, reserved_value=rv)
    ours_exp, ours_lin = CostOfDelay(START, discount=0.7), CostOfDelay(START, per_year=0.2)
    for day in (START, D(2025, 7, 2), D(2026, 6, 1), D(2027, 12, 31)):
        years = (day - START).days / 365

        class State:  # what NegMAS reads its factor from
            time = years

        for price in range(0, 101, 5):
            u = price / 100
            assert exp.eval_on_state((price,), None, State()) == pytest.approx(ours_exp.value(u, day))
            assert lin.eval_on_state((price,), None, State()) == pytest.approx(ours_lin.value(u, day))
            # the same outcomes beat walking away: NegMAS compares with its (fixed, or cost-bearing)
            # reserved value, ours with the floor
            for theirs, ours in ((exp, ours_exp), (lin, ours_lin)):
                rational = theirs.eval_on_state((price,), None, State()) >= theirs.eval_on_state(None, None, State())
                assert rational == (u >= ours.floor(rv, day) - 1e-12)
    assert negmas is not None


# -- directions, on toys -------------------------------------------------------------------

@pytest.mark.parametrize("delta_a, delta_b", [(0.01, 0.01), (0.01, 0.1), (0.1, 0.01), (0.05, 0.01)])
def test_the_rubinstein_split_as_rounds_get_short(delta_a, delta_b):
    """Daily rounds: within 0.02 of Rubinstein's share for one-day periods
    (δ per year raised to 1/365), which is within 0.003 of its limit."""
    summary, _ = play(split(delta_a, delta_b))
    assert summary["result"] == "agreement"
    share = 1 - summary["outcome"]["price"] / 100
    day = 1 / 365
    assert share == pytest.approx(rubinstein_share(delta_a ** day, delta_b ** day), abs=0.02)


def test_more_patience_buys_a_bigger_share():
    shares = [1 - play(split(delta, 0.02))[0]["outcome"]["price"] / 100 for delta in (0.01, 0.02, 0.05, 0.1)]
    assert shares == sorted(shares) and shares[0] < 0.5 < shares[-1]


def test_a_neutral_cost_of_delay_is_none():
    raw = toy()
    plain = simulate(build_scenario(raw)).log_text
    for p in raw["parties"].values():
        p["cost_of_delay"] = {"discount": 1.0, "per_year": 0.0}
    neutral = simulate(build_scenario(raw)).log_text
    hashed = json.loads(plain.split("\n", 1)[0])["config_hash"], json.loads(neutral.split("\n", 1)[0])["config_hash"]
    assert neutral.replace(hashed[1], hashed[0]) == plain  # byte for byte but the scenario's hash


def _costly(parties: tuple[str, ...], per_year: float = 6.0) -> dict:
    raw = toy()
    for name in parties:
        raw["parties"][name]["cost_of_delay"] = {"per_year": per_year}  # waiting stops paying within ~7 weeks
    return raw


def test_a_cost_of_delay_on_both_brings_the_deal_earlier_than_on_one():
    none, _ = play(toy())
    one, _ = play(_costly(("a",)))
    both, records = play(_costly(("a", "b")))
    assert none["result"] == one["result"] == both["result"] == "agreement"
    assert both["agreement_date"] < one["agreement_date"] < none["agreement_date"]
    header = records[0]["parties"]
    assert {p["name"]: p["clock"]["set_by"] for p in header} == {"a": "cost of delay", "b": "cost of delay"}


def test_the_party_without_a_cost_of_delay_gets_the_bigger_share():
    one, _ = play(_costly(("a",)))
    assert one["utilities"]["b"] > one["utilities"]["a"]


def test_a_recurring_cost_builds_pressure_as_it_accumulates():
    """A weekly charge, judged by its accumulated total, brings the deal
    forward; the same charges weigh more when they are larger."""
    dates = []
    for amount in (0.0, 0.1, 0.2):
        raw = toy()
        if amount:
            for p in raw["parties"].values():
                p["cost_of_delay"] = {"recurring": [{"amount": amount, "every": "7d", "from": "2025-01-08"}]}
        summary, _ = play(raw)
        assert summary["result"] == "agreement"
        dates.append(summary["agreement_date"])
    assert dates[2] < dates[1] < dates[0]


def test_offers_and_deals_never_go_below_what_beats_walking_away_once_discounted():
    raw = toy()
    for p in raw["parties"].values():
        p["cost_of_delay"] = {"discount": 0.001}  # 0.2 becomes 0.2 / 0.001^(1/12) ≈ 0.36 after a month
    summary, records = play(raw)
    cost = CostOfDelay(START, discount=0.001)
    offers = [r for r in records if r["type"] == "offer"]
    for r in offers:  # its own offers beat its alternative, discounted
        assert cost.value(r["utilities"][r["from"]], D.fromisoformat(r["date"])) >= 0.2 - 1e-6
    assert summary["result"] == "agreement"
    day = D.fromisoformat(summary["agreement_date"])
    assert all(cost.value(u, day) >= 0.2 - 1e-6 for u in summary["utilities"].values())


# -- shared stakes -------------------------------------------------------------------------

def _owned(on: str, share: float | None) -> dict:
    """a has a soft deadline that puts everything it bargains for at risk
    (w = 1); b may hold a share of a's fortunes."""
    raw = toy()
    raw["parties"]["a"]["soft_deadlines"] = [{"date": on, "cost": {"reservation": -0.8}}]
    if share is not None:
        raw["parties"]["b"]["shared_stakes"] = [{"party": "a", "share": share}]
    return raw


def test_a_shared_stake_moves_the_holders_alternative_by_its_share():
    raw = toy()
    raw["parties"]["fund"] = {"role": "investor", "backs": "a", "commits_on": "2025-01-02",
                              "condition_date": "2025-01-20", "effect": {"reservation": -0.15}}
    raw["parties"]["b"]["shared_stakes"] = [{"party": "a", "share": 0.5}]
    _, records = play(raw)
    committed = next(r for r in records if r["type"] == "event" and r["kind"] == "investor")
    assert committed["changes"] == {"a": {"reservation": [0.2, 0.05]}, "b": {"reservation": [0.2, 0.125]}}
    assert "b (a 0.5 share): reservation -0.07" in committed["text"]


def test_an_earlier_soft_deadline_with_shared_stakes_brings_the_deal_earlier():
    dates, utilities = {}, {}
    for on in ("2025-01-31", "2025-02-15"):
        for share in (None, 0.5, 1.0):
            summary, _ = play(_owned(on, share))
            assert summary["result"] == "agreement" and summary["agreement_date"] <= on  # met
            dates[on, share], utilities[on, share] = summary["agreement_date"], summary["utilities"]["a"]
    assert dates["2025-01-31", 1.0] < dates["2025-02-15", 1.0]  # an earlier deadline, an earlier deal
    for on in ("2025-01-31", "2025-02-15"):  # the holder hurries too, and a gives less away to meet it
        assert dates[on, 1.0] < dates[on, 0.5] <= dates[on, None]
        assert utilities[on, 1.0] > utilities[on, None]


# -- the deadline effect (Roth, Murnighan & Schoumaker 1988) -------------------------------

def test_agreements_cluster_just_before_a_deadline_that_costs_both_sides():
    """A soft deadline that costs both sides most of what they bargain for
    (w = 0.625), with noisy preferences: every deal falls in its last tenth,
    none after it (Roth, Murnighan & Schoumaker 1988)."""
    raw = toy()
    for p in raw["parties"].values():
        p["soft_deadlines"] = [{"date": "2025-02-10", "cost": {"reservation": -0.5}}]
    scenario = build_scenario(raw)
    start, deadline = D(2025, 1, 1), D(2025, 2, 10)
    shares = []
    for seed in range(20):
        summary = simulate(perturb(scenario, 0.1, noise_rng(seed)), seed, keep_model=False).summary
        assert summary["result"] == "agreement"
        shares.append((D.fromisoformat(summary["agreement_date"]) - start) / (deadline - start))
    assert max(shares) <= 1.0 and min(shares) >= 0.9


# -- bad input ---------------------------------------------------------------------------

@pytest.mark.parametrize("change, key", [
    (lambda r: r["parties"]["a"].update({"cost_of_delay": {"discount": 0}}), "parties.a.cost_of_delay.discount"),
    (lambda r: r["parties"]["a"].update({"cost_of_delay": {"discount": 1.5}}), "parties.a.cost_of_delay.discount"),
    (lambda r: r["parties"]["a"].update({"cost_of_delay": {"per_year": -0.1}}), "parties.a.cost_of_delay.per_year"),
    (lambda r: r["parties"]["a"].update({"cost_of_delay": {"recurring": [{"amount": 0.01, "every": "7d"}]}}),
     "parties.a.cost_of_delay.recurring.0.from"),
    (lambda r: r["parties"]["a"].update({"cost_of_delay": {"recurring": [
        {"amount": 0.01, "every": "7d", "from": "2024-12-01"}]}}), "parties.a.cost_of_delay.recurring.0.from"),
    (lambda r: r["parties"]["a"].update({"shared_stakes": [{"share": 0.3}]}), "parties.a.shared_stakes.0.party"),
    (lambda r: r["parties"]["a"].update({"shared_stakes": [{"party": "nobody", "share": 0.3}]}),
     "parties.a.shared_stakes.0.party"),
    (lambda r: r["parties"]["a"].update({"shared_stakes": [{"party": "a", "share": 0.3}]}),
     "parties.a.shared_stakes.0.party"),
    (lambda r: r["parties"]["a"].update({"shared_stakes": [{"party": "b", "share": 1.2}]}),
     "parties.a.shared_stakes.0.share"),
])
def test_bad_cost_of_delay_input_exits_2_naming_the_key(cli, tmp_path, change, key):
    raw = copy.deepcopy(toy())
    change(raw)
    path = write_yaml(tmp_path / "bad.yaml", raw)
    result = cli("validate", path)
    assert result.exit_code == 2 and key in result.output and "Traceback" not in result.output
