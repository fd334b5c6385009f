"""Hard and soft deadlines, investors' conditions, public requirements and
outside options: unit tests of the concession rule, and directional tests on
toy scenarios small enough to reason about exactly (domain/deadlines.py)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from negotiation.domain.deadlines import concession_plan, stake
from negotiation.engine.simulate import simulate
from negotiation.experiments.perturb import noise_rng, perturb
from negotiation.scenarios.load import build_scenario

from .conftest import write_yaml


def concession_date(today, pace, soft, lead_days):
    """T of the rule (the plan's first half): the date a bargainer concedes towards."""
    return concession_plan(today, pace, soft, lead_days)[0]

D = dt.date


def toy(e_a: float = 0.5, e_b: float = 0.5, rv_a: float = 0.2, rv_b: float = 0.2) -> dict:
    """Two bargainers split a price from 0 to 100 in steps of 5, linearly and
    symmetrically, each knowing the other's utility; no deadlines of their
    own, both pacing themselves to the calendar's end (1 March)."""
    def party(values: str, e: float, rv: float) -> dict:
        return {"role": "bargainer", "weights": {"price": 1}, "values": {"price": values}, "reservation": rv,
                "horizon": "2025-03-01", "strategy": {"name": "time_dependent", "e": e, "opponent_model": "known"}}
    return {"name": "toy", "seed": 1, "calendar": {"start": "2025-01-01", "round": "1d", "deadline": "2025-03-01"},
            "clauses": {"price": {"options": list(range(0, 101, 5))}},
            "parties": {"a": party("decreasing", e_a, rv_a), "b": party("increasing", e_b, rv_b)}}


def play(raw: dict, seed: int | None = None) -> tuple[dict, list[dict]]:
    out = simulate(build_scenario(raw), seed)
    return out.summary, [json.loads(line) for line in out.log_text.splitlines()]


# -- the rule -------------------------------------------------------------------

def test_a_soft_deadline_with_everything_at_stake_acts_as_a_hard_one():
    today, pace, soft = D(2025, 1, 1), D(2025, 12, 31), D(2025, 6, 30)
    assert concession_date(today, pace, [(soft, 1.0)], 0) == soft
    assert concession_date(today, pace, [(soft, 0.0)], 0) == pace
    assert concession_date(today, pace, [(soft, 0.5)], 0) == soft + (pace - soft) / 2
    assert concession_date(today, pace, [(soft, 1.0)], 21) == soft - dt.timedelta(days=21)  # plans for the review


def test_a_passed_soft_deadline_no_longer_pulls():
    pace, soft = D(2025, 12, 31), D(2025, 6, 30)
    assert concession_date(D(2025, 7, 1), pace, [(soft, 1.0)], 0) == pace
    # out of reach for a ratified deal once fewer than `lead` days remain
    assert concession_date(D(2025, 6, 20), pace, [(soft, 1.0)], 21) == pace - dt.timedelta(days=21)


@given(st.integers(0, 300), st.lists(st.tuples(st.integers(0, 400), st.floats(0, 1)), max_size=4),
       st.integers(0, 30))
def test_the_concession_date_holds_until_the_day_its_plan_says(start, softs, lead):
    """Bargainers work T out again only after the last day it holds: on every
    day up to it T is the same, and the next day (if any) it may move."""
    base, pace = D(2025, 1, 1), D(2026, 2, 5)
    soft = [(base + dt.timedelta(days=d), w) for d, w in softs]
    today = base + dt.timedelta(days=start)
    target, holds = concession_plan(today, pace, soft, lead)
    last = min(holds, pace)
    for k in range((last - today).days + 1):
        assert concession_date(today + dt.timedelta(days=k), pace, soft, lead) == target
    if holds < pace:  # the pulling soft deadline drops out the next day
        assert concession_date(holds + dt.timedelta(days=1), pace, soft, lead) >= target


@given(st.integers(0, 300), st.lists(st.tuples(st.integers(0, 400), st.floats(0, 1)), max_size=4),
       st.integers(0, 60))
def test_the_concession_date_lies_between_the_nearest_soft_deadline_and_the_pace(today, soft, lead):
    start, pace = D(2025, 1, 1), D(2026, 1, 1)
    dates = [(start + dt.timedelta(days=d), w) for d, w in soft]
    t = concession_date(start + dt.timedelta(days=today), pace, dates, lead)
    assert t <= pace - dt.timedelta(days=lead)
    nearest = min([on for on, _ in dates] + [pace])
    assert t >= nearest - dt.timedelta(days=lead)


def test_stake_is_the_cost_as_a_share_of_what_is_bargained_for():
    assert stake(0.1, 1.0, 0.5) == pytest.approx(0.2)
    assert stake(0.9, 1.0, 0.5) == 1.0 and stake(0.1, 0.5, 0.5) == 1.0


# -- semantics --------------------------------------------------------------------

def test_a_party_without_a_deadline_never_walks_away_for_time():
    raw = toy()
    for p in raw["parties"].values():
        p["strategy"] = {"name": "hardliner"}
    summary, _ = play(raw)
    assert summary["result"] == "deadline"  # the calendar's end, not a party's: nobody walked away


def test_a_hard_deadline_ends_participation():
    raw = toy()
    for p in raw["parties"].values():
        p["strategy"] = {"name": "hardliner"}
    del raw["parties"]["a"]["horizon"]
    raw["parties"]["a"]["deadline"] = "2025-02-01"
    summary, _ = play(raw)
    assert summary["result"] == "breakdown" and "a's deadline 2025-02-01 passed" in summary["reason"]


def test_a_missed_soft_deadline_costs_and_the_talks_go_on():
    raw = toy()
    raw["parties"]["b"]["strategy"] = {"name": "hardliner"}
    raw["parties"]["a"]["soft_deadlines"] = [{"date": "2025-01-20", "cost": {"reservation": -0.1}}]
    _, records = play(raw)
    missed = [r for r in records if r["type"] == "event" and r["kind"] == "soft_deadline"]
    assert len(missed) == 1 and missed[0]["date"] == "2025-01-21"
    assert missed[0]["changes"]["a"]["reservation"] == [0.2, 0.1]
    assert any(r["type"] == "offer" and r["date"] > "2025-01-21" for r in records)


def test_an_investors_condition_is_met_only_by_a_ratified_deal():
    raw = toy()
    raw["parties"]["fund"] = {"role": "investor", "backs": "a", "commits_on": "2025-01-02",
                              "condition_date": "2025-02-20", "effect": {"reservation": -0.05}}
    summary, records = play(raw)
    assert summary["agreement_date"] <= "2025-02-20" and summary["conditions"]["fund"]["met"] is True
    # a 30-day review pushes ratification past the date: the tentative deal does not count
    raw["parties"]["reg"] = {"role": "ratifier", "requires": {"price": ">= 0"}, "review": "30d"}
    summary, records = play(raw)
    assert summary["tentative_date"] <= "2025-02-20" < summary["agreement_date"]
    assert summary["conditions"]["fund"] == {"date": "2025-02-20", "met": False}
    missed = [r for r in records if r["type"] == "event" and r["kind"] == "condition_missed"]
    assert missed and missed[0]["date"] == "2025-02-21" and missed[0]["changes"]["a"]["reservation"] == [0.15, 0.2]


def test_a_public_requirement_shapes_offers_from_its_date_and_avoids_the_veto():
    raw = toy()
    raw["parties"]["reg"] = {"role": "ratifier", "requires": {"price": ">= 55"}, "review": "7d",
                             "public": {"price": "2025-01-10"}}
    _, records = play(raw)
    assert not any(r["type"] == "ratification" and r["decision"] == "veto" for r in records)
    assert all(r["outcome"]["price"] >= 55 for r in records if r["type"] == "offer" and r["date"] >= "2025-01-10")
    known = [r for r in records if r["type"] == "event" and r["kind"] == "requirement_public"]
    assert [r["date"] for r in known] == ["2025-01-10"]


# -- directions -------------------------------------------------------------------

def test_symmetric_parties_agree_at_the_nash_point():
    summary, _ = play(toy())
    assert summary["outcome"] == {"price": 50}  # argmax (u_a − rv)(u_b − rv) on this grid
    assert summary["utilities"] == {"a": 0.5, "b": 0.5}


def test_an_earlier_shared_soft_deadline_brings_the_deal_forward_not_a_breakdown():
    dates = {}
    for on in ("2025-01-31", "2025-02-15"):
        raw = toy()
        for p in raw["parties"].values():
            p["soft_deadlines"] = [{"date": on, "cost": {"reservation": -0.8}}]  # all at stake: w = 1
        summary, _ = play(raw)
        assert summary["result"] == "agreement"
        dates[on] = summary["agreement_date"]
    assert dates["2025-01-31"] < dates["2025-02-15"]
    assert dates["2025-01-31"] <= "2025-01-31"  # met: the deadline effect (Roth et al. 1988)


def test_without_ratifiers_the_definitive_deal_comes_earlier():
    raw = toy()
    bare, _ = play(raw)
    raw["parties"]["reg"] = {"role": "ratifier", "requires": {"price": ">= 55"}, "review": "7d"}  # unknown: a veto
    ratified, records = play(raw)
    assert any(r["type"] == "ratification" and r["decision"] == "veto" for r in records)
    assert bare["agreement_date"] < ratified["agreement_date"]


def test_more_veto_players_never_bring_the_definitive_deal_earlier():
    """Tsebelis (2002), *Veto Players*: adding an actor whose approval is
    needed never helps the deal come sooner; one whose requirement binds and
    is not public costs a veto and a new round of bargaining. Players are
    added one at a time: a binding one, one whose bound the deal never
    reaches, a second binding one reviewing in parallel, then the same one
    reviewing only after the others approve."""
    raw = toy()
    dates = [play(raw)[0]["agreement_date"]]
    for name, requires in [("reg", {"price": ">= 55"}), ("court", {"price": "<= 80"}), ("board", {"price": ">= 60"})]:
        raw["parties"][name] = {"role": "ratifier", "requires": requires, "review": "7d"}
        dates.append(play(raw)[0]["agreement_date"])
    raw["ratification"] = {"sequence": [["reg", "court"], "board"]}
    dates.append(play(raw)[0]["agreement_date"])
    assert None not in dates
    assert dates == sorted(dates)
    assert dates[0] < dates[1]  # the first binding, unknown requirement: a veto, then a later deal


@pytest.mark.parametrize("change, party", [
    ({"rv_a": 0.4}, "a"),  # a stronger BATNA
    ({"e_a": 0.2}, "a"),  # a more patient (Boulware) party
    ({"rv_b": 0.4}, "b"),
    ({"e_b": 0.2}, "b"),
])
def test_strength_and_patience_buy_a_better_deal(change, party):
    base, _ = play(toy())
    changed, _ = play(toy(**change))
    assert changed["result"] == "agreement"
    assert changed["utilities"][party] > base["utilities"][party]


@pytest.mark.parametrize("raise_by", [0.45, 0.75])
def test_a_binding_outside_option_buys_a_better_deal_or_a_walk_away(raise_by):
    base, _ = play(toy())
    raw = toy()
    raw["parties"]["rival"] = {"role": "outside_option", "offers_to": "a", "on": "2025-01-15",
                               "effect": {"reservation": raise_by}}
    summary, _ = play(raw)
    new_rv = 0.2 + raise_by
    assert new_rv > base["utilities"]["a"]  # it binds: it beats the deal a got without it
    if summary["result"] == "agreement":
        assert summary["utilities"]["a"] >= new_rv - 1e-9 and summary["utilities"]["a"] > base["utilities"]["a"]
    else:
        assert summary["result"] == "breakdown" and "a's reservation value" in summary["reason"]


def test_agreements_cluster_in_the_last_fifth_before_the_binding_deadline():
    raw = toy()
    for p in raw["parties"].values():
        del p["horizon"]
        p["deadline"] = "2025-02-20"
    scenario = build_scenario(raw)
    start, end = D(2025, 1, 1), D(2025, 2, 20)
    shares = []
    for seed in range(20):
        played = perturb(scenario, 0.1, noise_rng(seed))
        summary = simulate(played, seed, keep_model=False).summary
        if summary["agreement_date"]:
            shares.append((D.fromisoformat(summary["agreement_date"]) - start) / (end - start))
    assert len(shares) >= 15 and float(np.median(shares)) >= 0.8


# -- bad input ------------------------------------------------------------------

@pytest.mark.parametrize("change, key", [
    (lambda r: r["parties"]["a"].update({"soft_deadlines": [{"date": "2025-02-01"}]}), "parties.a.soft_deadlines.0.cost"),
    (lambda r: r["parties"]["a"].update({"soft_deadlines": [{"date": "2025-02-01", "cost": {}}]}),
     "parties.a.soft_deadlines.0.cost"),
    (lambda r: r["parties"].update({"reg": {"role": "ratifier", "requires": {"price": ">= 55"},
                                            "public": {"price": True}}}), "parties.reg.public.price"),
    (lambda r: r["parties"]["a"].update({"horizon": "2024-12-01"}), "parties.a.horizon"),
    (lambda r: r["parties"]["a"].update({"soft_deadlines": [{"date": "2024-12-01", "cost": {"reservation": -0.1}}]}),
     "parties.a.soft_deadlines.0.date"),
    (lambda r: (r["parties"]["a"].pop("horizon"), r["parties"]["a"].update({"deadline": "2024-12-01"})),
     "parties.a.deadline"),
])
def test_bad_deadline_input_exits_2_naming_the_key(cli, tmp_path, change, key):
    raw = copy.deepcopy(toy())
    change(raw)
    path = write_yaml(tmp_path / "bad.yaml", raw)
    result = cli("validate", path)
    assert result.exit_code == 2 and key in result.output and "Traceback" not in result.output


# -- the default scenario, a modest Monte Carlo (same seeds and noise in both arms) --

def _arm(sets: list[str], seeds: range) -> list[dict]:
    from negotiation.scenarios.load import load_scenario

    from .conftest import DEFAULT

    scenario = load_scenario(DEFAULT, sets=sets)
    return [simulate(perturb(scenario, 0.1, noise_rng(seed)), seed, keep_model=False).summary for seed in seeds]


@pytest.fixture(scope="module")
def default_baseline() -> list[dict]:
    return _arm([], range(6))


DOUBLED = ["parties.microsoft.cost_of_delay.discount=0.857",  # r 8.34% → 16.68% a year (K1)
           "parties.openai.cost_of_delay.recurring.0.amount=0.0032",  # the burn twice as costly (K2)
           "parties.openai.cost_of_delay.recurring.1.amount=0.0034"]


def _clocks(sets: list[str]) -> dict[str, tuple[str, str]]:
    from negotiation.scenarios.load import load_scenario

    from .conftest import DEFAULT

    header = json.loads(simulate(load_scenario(DEFAULT, sets=sets)).log_text.split("\n", 1)[0])
    return {p["name"]: (p["clock"]["date"], p["clock"]["set_by"]) for p in header["parties"] if "clock" in p}


def test_default_scenario_clocks_come_from_the_costs_of_delay_and_move_with_them():
    """Since issue 20 the analyst's horizon paces no one in the default: each
    bargainer's clock is the date past which waiting no longer pays.
    Costlier delay brings it earlier; so does a better alternative (its best
    hope, discounted, falls to it sooner)."""
    base = _clocks([])
    assert {name: why for name, (_, why) in base.items()} == {"microsoft": "cost of delay", "openai": "cost of delay"}
    doubled = _clocks(DOUBLED)
    assert all(doubled[name][0] < base[name][0] for name in base)
    assert _clocks(["parties.microsoft.reservation=0.55"])["microsoft"][0] < base["microsoft"][0]


def test_default_scenario_costlier_delay_brings_more_deals_and_none_later():
    """More runs agree by the calendar's end, and where both arms agree the
    costlier one agrees no later. (A costlier delay can also close the zone
    of agreement sooner, so a run may break down instead: not asserted.)"""
    base, doubled = _arm([], range(12)), _arm(DOUBLED, range(12))
    assert sum(r["result"] == "agreement" for r in doubled) > sum(r["result"] == "agreement" for r in base)
    for before, after in zip(base, doubled):
        if before["agreement_date"] and after["agreement_date"]:
            assert after["agreement_date"] <= before["agreement_date"]


def test_default_scenario_an_earlier_softbank_date_causes_no_breakdown_and_no_delay(default_baseline):
    earlier = _arm(["parties.softbank.condition_date=2025-06-30"], range(6))
    assert sum(r["result"] == "agreement" for r in earlier) >= sum(r["result"] == "agreement" for r in default_baseline)
    for before, after in zip(default_baseline, earlier):
        if before["agreement_date"] and after["agreement_date"]:
            assert after["agreement_date"] <= before["agreement_date"]
