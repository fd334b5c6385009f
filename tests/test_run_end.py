"""The end of a run is its end: nothing acts or is logged after the ``end``
record, whatever dated effect (a soft deadline's cost, a review, an
investor's check) was still due in the same Mesa step or after the calendar."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import build_scenario

from .conftest import SMALL, write_yaml


def log_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "log.jsonl").read_text().splitlines()]


def assert_ends_once_and_last(records: list[dict]) -> None:
    ends = [i for i, r in enumerate(records) if r["type"] == "end"]
    assert ends == [len(records) - 1], "exactly one end record, and it is the last"
    end_date = records[-1]["date"]
    assert all(r["date"] <= end_date for r in records[1:]), "nothing is dated after the end"


def with_regulator(small, review_days: int, soft_on: str | None):
    small["parties"]["regulator"] = {"role": "ratifier", "requires": {"price": [10, 20, 30, 40]},
                                    "review": review_days}
    if soft_on is not None:
        small["parties"]["seller"]["soft_deadlines"] = [{"date": soft_on, "cost": {"reservation": -0.05}}]
    return small


def test_a_soft_deadline_due_in_the_step_a_ratification_ends_the_run_never_fires(cli, small, tmp_path):
    # The small toy (seed 1) agrees tentatively on Wed 2025-05-21 (round 21); the regulator decides a day
    # later, 05-22, which ends the run; the seller's soft deadline of 05-22 would cost it on 05-23, in the
    # same Mesa step (before round 22 on 05-28): it used to act after `end` and crash the summary.
    scenario = write_yaml(tmp_path / "toy.yaml", with_regulator(small, 1, "2025-05-22"))
    result = cli("run", scenario, "--seed", "1", "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    records = log_of(tmp_path / "run")
    tentative = next(r for r in records if r["type"] == "agreement" and r["stage"] == "tentative")
    end = records[-1]
    assert (tentative["date"], end["date"]) == ("2025-05-21", "2025-05-22")  # the collision the test is about
    assert end["result"] == "agreement"
    assert_ends_once_and_last(records)
    assert not any(r.get("kind") == "soft_deadline" for r in records)
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["result"] == "agreement" and summary["agreement_date"] == "2025-05-22"


def test_an_effect_dated_after_the_calendar_never_acts(small):
    # Two hardliners never agree: the run ends at the calendar's end, 2025-06-30. A soft deadline on that
    # day would cost on 07-01, after the run is over: no event, and the reservation stays as it was.
    for party in small["parties"].values():
        party["strategy"] = {"name": "hardliner"}
    small["parties"]["seller"]["soft_deadlines"] = [{"date": "2025-06-30", "cost": {"reservation": -0.05}}]
    out = simulate(build_scenario(small), seed=1)
    assert out.summary["result"] == "deadline" and out.summary["date"] == "2025-06-30"
    assert_ends_once_and_last(out.records)
    assert not any(r.get("kind") == "soft_deadline" for r in out.records)
    assert out.summary["reservations"]["seller"] == 0.3


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 1000), review=st.integers(0, 20), soft_day=st.integers(1, 200),
       tactic=st.sampled_from(["boulware", "conceder", "linear", "hardliner"]))
def test_end_is_always_the_last_record(seed, review, soft_day, tactic):
    small = copy.deepcopy(SMALL)
    small["parties"]["buyer"]["strategy"] = {"name": tactic}
    soft_on = (dt.date(2025, 1, 1) + dt.timedelta(days=soft_day)).isoformat()
    out = simulate(build_scenario(with_regulator(small, review, soft_on)), seed=seed)
    assert_ends_once_and_last(out.records)
    assert out.summary["result"] == out.records[-1]["result"]


def test_whatif_keeps_every_log_whole_when_its_counterfactual_collides(cli, small, tmp_path):
    """whatif, --keep-logs: the counterfactual adds the seller's soft deadline
    of 2025-05-22 to the toy whose regulator decides on 05-22, between two
    rounds; every run of that arm used to crash (KeyError 'result', exit 1)
    on a soft-deadline event logged after `end`. Every log now ends with it."""
    base = write_yaml(tmp_path / "toy.yaml", with_regulator(small, 1, None))
    overlay = write_yaml(tmp_path / "soft.yaml", {"parties": {"seller": {"soft_deadlines": [
        {"date": "2025-05-22", "cost": {"reservation": -0.05}}]}}})
    out = tmp_path / "whatif"
    result = cli("whatif", base, overlay, "--runs", "3", "--noise", "0.05", "--keep-logs", "--executor", "inprocess",
                 "--out", out)
    assert result.exit_code == 0, result.output
    logs = sorted((out / "logs").glob("*.jsonl"))
    assert len(logs) == 6
    for log in logs:
        records = [json.loads(line) for line in log.read_text().splitlines()]
        assert_ends_once_and_last(records)
        assert not any(r.get("kind") == "soft_deadline" for r in records)
