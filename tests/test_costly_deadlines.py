"""Costly-continuation deadlines (roles/deadline.py): passing the date costs
the named bargainers and the talks go on; a date known only as a range is
drawn per run from the run's seed and shown in summaries."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json

import pytest

from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import build_scenario

from .conftest import write_yaml


def toy(deadline: dict) -> dict:
    def party(values: str) -> dict:
        return {"role": "bargainer", "weights": {"price": 1}, "values": {"price": values}, "reservation": 0.2,
                "horizon": "2025-03-01", "strategy": {"name": "time_dependent", "e": 0.5, "opponent_model": "known"}}
    return {"name": "dl", "seed": 1, "calendar": {"start": "2025-01-01", "round": "1d", "deadline": "2025-03-01"},
            "clauses": {"price": {"options": list(range(0, 101, 5))}},
            "parties": {"a": party("decreasing"), "b": party("increasing"), "x_date": deadline}}


RANGE = {"role": "deadline", "between": ["2025-01-25", "2025-02-25"],
         "costs": {"a": {"reservation": -0.1}, "b": {"reservation": -0.1}}}


def play(raw: dict, seed: int | None = None) -> tuple[dict, list[dict]]:
    out = simulate(build_scenario(raw), seed)
    return out.summary, [json.loads(line) for line in out.log_text.splitlines()]


def test_passing_a_costly_deadline_costs_the_named_parties_and_the_talks_go_on():
    raw = toy({"role": "deadline", "date": "2025-01-20", "costs": {"a": {"reservation": -0.1}}})
    summary, records = play(raw)
    passed = [r for r in records if r["type"] == "event" and r["kind"] == "deadline"]
    assert [(r["date"], r["changes"]) for r in passed] == [("2025-01-21", {"a": {"reservation": [0.2, 0.1]}})]
    assert any(r["type"] == "offer" and r["date"] > "2025-01-21" for r in records)  # the talks went on
    assert summary["result"] == "agreement" and summary["deadlines"] == {"x_date": {"date": "2025-01-20",
                                                                                    "passed": True}}


def test_an_uncertain_date_is_drawn_per_run_from_the_seed_within_its_range():
    drawn = {}
    for seed in range(12):
        summary, records = play(toy(RANGE), seed)
        day = summary["deadlines"]["x_date"]["date"]
        assert "2025-01-25" <= day <= "2025-02-25"
        header = next(p for p in records[0]["parties"] if p["name"] == "x_date")
        assert header["date"] == day and header["between"] == ["2025-01-25", "2025-02-25"]
        assert play(toy(RANGE), seed)[0]["deadlines"] == summary["deadlines"]  # the same seed, the same date
        drawn[seed] = (day, summary["deadlines"]["x_date"]["passed"], summary["agreement_date"])
    assert len({d for d, _, _ in drawn.values()}) >= 6  # the draws differ from run to run
    # passed exactly when no definitive deal came by the drawn date, in some runs and not in others
    assert all(passed == (agreed is None or agreed > day) for day, passed, agreed in drawn.values())
    assert {passed for _, passed, _ in drawn.values()} == {True, False}


def test_monte_carlo_shows_the_drawn_dates_and_how_often_the_deadline_was_passed(cli, tmp_path):
    path = write_yaml(tmp_path / "dl.yaml", toy(RANGE))
    result = cli("montecarlo", path, "--runs", "12", "--noise", "0.1", "--executor", "inprocess",
                 "--out", tmp_path / "mc")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader((tmp_path / "mc" / "results.csv").open()))
    assert all("2025-01-25" <= r["deadline.x_date"] <= "2025-02-25" for r in rows)
    passed = sum(r["passed.x_date"] == "true" for r in rows)
    summary = json.loads((tmp_path / "mc" / "summary.json").read_text())
    entry = next(iter(summary.values()))["deadlines_passed"]["x_date"] if "deadlines_passed" not in summary \
        else summary["deadlines_passed"]["x_date"]
    assert entry["p"] == pytest.approx(passed / len(rows))
    assert entry["first"] == min(r["deadline.x_date"] for r in rows)
    assert "x_date passed" in result.output


@pytest.mark.parametrize("change, key", [
    (lambda d: d.update({"between": ["2025-02-25", "2025-01-25"]}), "parties.x_date.between"),
    (lambda d: d.update({"between": ["2025-02-25"]}), "parties.x_date.between"),
    (lambda d: d.update({"date": "2025-02-01"}), "parties.x_date.date"),  # both a date and a range
    (lambda d: d.update({"costs": {}}), "parties.x_date.costs"),  # a cost without a party
    (lambda d: d.pop("costs"), "parties.x_date.costs"),
    (lambda d: d.update({"costs": {"nobody": {"reservation": -0.1}}}), "parties.x_date.costs.nobody"),
    (lambda d: d.update({"costs": {"a": {}}}), "parties.x_date.costs.a"),
    (lambda d: d.update({"between": ["2024-12-01", "2025-01-25"]}), "parties.x_date.between"),
])
def test_bad_deadline_input_exits_2_naming_the_key(cli, tmp_path, change, key):
    deadline = copy.deepcopy(RANGE)
    change(deadline)
    path = write_yaml(tmp_path / "bad.yaml", toy(deadline))
    result = cli("validate", path)
    assert result.exit_code == 2 and key in result.output and "Traceback" not in result.output


def test_validate_describes_it(cli, tmp_path):
    result = cli("validate", write_yaml(tmp_path / "dl.yaml", toy(RANGE)))
    text = " ".join(result.output.replace("│", " ").split())  # the table wraps lines
    assert result.exit_code == 0 and "drawn per run" in text
    assert f"planned for {dt.date(2025, 2, 9).isoformat()}" in text  # the middle of the range
