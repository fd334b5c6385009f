"""Ratification as scenarios declare it: reviews in stages, provisional
application, a body that votes by a threshold, a ratifier with no condition;
dates worked out by hand from the review times."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from negotiation.domain.ratification import Member, vote
from negotiation.domain.preferences import Constraint
from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import build_scenario

from .conftest import SMALL, write_yaml


def scenario(ratifiers, ratification=None, **changes):
    raw = copy.deepcopy(SMALL)
    raw["calendar"]["deadline"] = "2025-12-31"
    raw["parties"].update(copy.deepcopy(ratifiers))
    if ratification is not None:
        raw["ratification"] = ratification
    raw.update(changes)
    return raw


def run(raw, seed=3):
    out = simulate(build_scenario(raw), seed=seed)
    return [json.loads(line) for line in out.log_text.splitlines()], out.summary


def day(text):
    return dt.date.fromisoformat(text)


BOARD_AND_UNION = {"board": {"role": "ratifier", "review": 3}, "union": {"role": "ratifier", "review": 10}}


def test_reviews_in_parallel_by_default_and_in_sequence_when_told():
    _, parallel = run(scenario(BOARD_AND_UNION))
    assert day(parallel["agreement_date"]) - day(parallel["tentative_date"]) == dt.timedelta(days=10)
    records, staged = run(scenario(BOARD_AND_UNION, {"sequence": ["board", "union"]}))
    assert day(staged["agreement_date"]) - day(staged["tentative_date"]) == dt.timedelta(days=3 + 10)
    opened = {r["party"]: r["date"] for r in records if r.get("kind") == "review_open"}
    assert day(opened["union"]) == day(staged["tentative_date"]) + dt.timedelta(days=3)  # once the board approved
    assert records[0]["ratification"] == {"sequence": [["board"], ["union"]], "definitive": None}


def test_provisional_application_once_the_named_ratifiers_approve():
    raw = scenario(BOARD_AND_UNION, {"sequence": [["board", "union"]], "definitive": ["board"]})
    records, summary = run(raw)
    assert summary["result"] == "agreement"
    assert day(summary["agreement_date"]) - day(summary["tentative_date"]) == dt.timedelta(days=3)
    assert "applied provisionally once board approved" in records[-1]["reason"]
    assert "union still to decide" in records[-1]["reason"]
    assert [r["party"] for r in records if r["type"] == "ratification"] == ["board"]


def test_a_veto_in_a_later_stage_comes_after_the_earlier_reviews():
    ratifiers = {"board": {"role": "ratifier", "review": 3},
                 "regulator": {"role": "ratifier", "review": 14, "requires": {"delivery": ["slow"]}}}
    records, summary = run(scenario(ratifiers, {"sequence": ["board", "regulator"]}))
    first = next(r for r in records if r["type"] == "agreement")
    assert first["outcome"]["delivery"] != "slow"
    veto = next(r for r in records if r["type"] == "ratification" and r["decision"] == "veto")
    assert veto["party"] == "regulator"
    assert day(veto["date"]) == day(first["date"]) + dt.timedelta(days=3 + 14)
    assert summary["result"] == "agreement" and summary["outcome"]["delivery"] == "slow"
    last = [r for r in records if r["type"] == "agreement" and r["stage"] == "tentative"][-1]
    assert day(summary["agreement_date"]) - day(last["date"]) == dt.timedelta(days=3 + 14)


def test_a_ratifier_with_no_condition_approves_anything():
    records, summary = run(scenario({"notary": {"role": "ratifier", "review": 7}}))
    assert summary["result"] == "agreement"
    decisions = [r for r in records if r["type"] == "ratification"]
    assert [(r["party"], r["decision"]) for r in decisions] == [("notary", "approve")]


def test_a_body_votes_by_its_threshold_hand_computed():
    cheap = Constraint("price", (True, True, False, False), "<= 20")
    members = (Member("left", 40, (cheap,)), Member("centre", 35), Member("right", 25, (cheap,)))
    expensive = {"price": 3}
    assert vote(members, 35, expensive).approved  # the centre alone is enough
    rejected = vote(members, 51, expensive)
    assert (rejected.yes, rejected.no, rejected.approved) == (35, 65, False)
    assert rejected.failed is cheap  # the largest bloc voting no: left's condition
    assert vote(members, 100, {"price": 1}).approved


@pytest.mark.parametrize("threshold,rejects", [(3, False), (5, True)])
def test_a_body_rejects_a_deal_too_few_seats_approve_and_the_bargainers_learn_why(threshold, rejects):
    union = {"union": {"role": "ratifier", "review": 7, "threshold": threshold, "members": {
        "drivers": {"seats": 3}, "mechanics": {"seats": 2, "requires": {"delivery": ["slow"]}}}}}
    records, summary = run(scenario(union))
    first = next(r for r in records if r["type"] == "agreement")
    assert first["outcome"]["delivery"] != "slow"  # the mechanics vote no: 3 of 5 seats approve
    decision = next(r for r in records if r["type"] == "ratification")
    assert decision["votes"] == {"yes": 3, "no": 2, "threshold": threshold}
    assert decision["decision"] == ("veto" if rejects else "approve")
    assert summary["result"] == "agreement"
    if rejects:
        back = next(r for r in records if r.get("kind") == "back_to_table")
        assert "3 of 5 seats approve, 5 needed" in back["text"] and "delivery must be in {slow}" in back["text"]
        later = [r for r in records if r["type"] == "offer" and r["date"] >= back["date"]]
        assert later and all(o["outcome"]["delivery"] == "slow" for o in later)
        assert summary["outcome"]["delivery"] == "slow"
    else:
        assert summary["outcome"] == first["outcome"]


def test_validate_describes_the_new_ratifiers(cli, tmp_path):
    union = {"union": {"role": "ratifier", "members": {"a": {"seats": 3}, "b": {"seats": 2}}},
             "notary": {"role": "ratifier"}}
    result = cli("validate", write_yaml(tmp_path / "s.yaml", scenario(union)))
    assert result.exit_code == 0, result.output
    assert "a body of 5 seats, 3 to approve" in result.output and "approves anything" in result.output


BAD = [
    ({"union": {"role": "ratifier", "threshold": 6, "members": {"a": {"seats": 3}, "b": {"seats": 2}}}}, None,
     "parties.union.threshold", "at most the body's 5 seats"),
    ({"union": {"role": "ratifier", "threshold": 0, "members": {"a": {"seats": 3}}}}, None,
     "parties.union.threshold", "≥ 1"),
    ({"union": {"role": "ratifier", "members": {"a": {"seats": 0}}}}, None, "parties.union.members.a.seats", "≥ 1"),
    ({"union": {"role": "ratifier", "threshold": 2}}, None, "parties.union.threshold", "members"),
    ({"union": {"role": "ratifier", "members": {"a": {"requires": {"colour": ["red"]}}}}}, None,
     "parties.union.members.a.requires.colour", "unknown clause"),
    (BOARD_AND_UNION, {"sequence": ["board", ["union", "senate"]]}, "ratification.sequence.1.1", "'senate'"),
    (BOARD_AND_UNION, {"sequence": ["senate"]}, "ratification.sequence.0", "the name of a ratifier"),
    (BOARD_AND_UNION, {"sequence": ["board"]}, "ratification.sequence", "missing: union"),
    (BOARD_AND_UNION, {"sequence": ["board", "board", "union"]}, "ratification.sequence.1", "named twice"),
    (BOARD_AND_UNION, {"definitive": ["court"]}, "ratification.definitive.0", "'court'"),
    (BOARD_AND_UNION, {"sequence": []}, "ratification.sequence", "non-empty list of stages"),
    ({}, {"definitive": ["board"]}, "ratification", "role: ratifier"),
    ({"union": {"role": "ratifier", "members": {"a": {}}, "public": {"price": "2025-01-01"}}}, None,
     "parties.union.public", "requires nothing"),
]


@pytest.mark.parametrize("ratifiers,plan,key,expected", BAD)
def test_bad_ratification_input_exits_2_naming_the_key(cli, tmp_path, ratifiers, plan, key, expected):
    path = write_yaml(tmp_path / "bad.yaml", scenario(ratifiers, plan))
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}: {key}: " in result.output.replace("\n", "") and expected in result.output, result.output


def test_replay_shows_a_body_vote(cli, tmp_path):
    union = {"union": {"role": "ratifier", "review": 7, "threshold": 5, "members": {
        "drivers": {"seats": 3}, "mechanics": {"seats": 2, "requires": {"delivery": ["slow"]}}}}}
    path = write_yaml(tmp_path / "s.yaml", scenario(union))
    assert cli("run", path, "--out", tmp_path / "run", "--no-png").exit_code == 0
    result = cli("replay", tmp_path / "run", "--no-animate")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "union vetoes the agreement (3 of 5 seats for, 5 needed)" in text
    assert "union approves the agreement (5 of 5 seats for, 5 needed)" in text
