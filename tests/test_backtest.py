"""Backtesting: each baseline and scoring rule against values worked out by
hand on a tiny scenario, the hold-outs on hand-made runs, and the command's
JSON contract."""

from __future__ import annotations

import copy
import datetime as dt
import json
import math

import numpy as np
import pytest
import yaml

from negotiation.backtest import baselines as bl
from negotiation.backtest import forecast as fc
from negotiation.backtest.evaluate import evaluate
from negotiation.backtest.scoring import bootstrap_interval, date_quantiles, hit, score_clause, uniform_dates
from negotiation.scenarios.load import build_scenario

from .conftest import ROOT, write_yaml

# price: buyer's ideal 10, seller's 40; colour (unordered): red vs green; speed: fast vs slow.
TINY = {
    "name": "tiny", "seed": 1, "calendar": {"start": "2025-01-01", "round": "7d", "deadline": "2025-03-31"},
    "clauses": {"price": {"options": [10, 20, 30, 40]}, "colour": {"options": ["red", "green", "blue"]},
                "speed": {"options": ["slow", "fast"], "ordered": True}},
    "parties": {
        "buyer": {"role": "bargainer", "weights": {"price": 0.5, "colour": 0.3, "speed": 0.2},
                  "values": {"price": "decreasing", "colour": {"red": 10, "green": 5, "blue": 0},
                             "speed": "increasing"}, "reservation": 0.2},
        "seller": {"role": "bargainer", "weights": {"price": 0.3, "colour": 0.2, "speed": 0.5},
                   "values": {"price": "increasing", "colour": {"red": 0, "green": 10, "blue": 5},
                              "speed": "decreasing"}, "reservation": 0.2},
    },
}
TRUTH = {"dates": {"tentative": {"date": "2025-02-10"}, "definitive": {"date": "2025-03-03"}},
         "clauses": {"price": {"option": 30}, "colour": {"option": "green"}, "speed": {"option": "slow"}}}
EPS = 0.1


@pytest.fixture
def tiny(tmp_path):
    raw = copy.deepcopy(TINY)
    raw["truth"] = str(write_yaml(tmp_path / "truth.yaml", TRUTH))
    return build_scenario(raw, base_dir=tmp_path)


def test_middle_option_and_uniform(tiny):
    assert bl.middle_option(tiny) == {"price": (1, 2), "colour": (0, 1, 2), "speed": (0, 1)}
    assert bl.uniform(tiny) == {"price": (0, 1, 2, 3), "colour": (0, 1, 2), "speed": (0, 1)}


def test_compromise_weights_ideal_points_by_salience_and_capability(tiny):
    # price: (0.5·10 + 0.3·40) / 0.8 = 21.25 → 20; colour: red 0.3 > green 0.2; speed: (0.2·1 + 0.5·0) / 0.7 → slow
    assert bl.compromise(tiny) == {"price": (1,), "colour": (0,), "speed": (0,)}
    # the seller three times as capable: (5 + 0.9·40) / 1.4 = 29.3 → 30; green 0.6 > red 0.3
    assert bl.compromise(tiny, {"seller": 3.0}) == {"price": (2,), "colour": (1,), "speed": (0,)}


def test_nash_and_kalai_smorodinsky_points(tiny):
    # (10, green, slow): u = (0.65, 0.70), product of gains 0.45 · 0.50 = 0.225, the largest of the 24;
    # K–S: ideals 0.85 and 0.90 over rational outcomes, min(0.45/0.65, 0.5/0.7) = 0.692, also the largest.
    assert bl.bargaining_point(tiny, "nash") == {"price": (0,), "colour": (1,), "speed": (0,)}
    assert bl.bargaining_point(tiny, "kalai_smorodinsky") == {"price": (0,), "colour": (1,), "speed": (0,)}


def test_a_public_requirement_moves_the_points(tmp_path):
    raw = copy.deepcopy(TINY)
    raw["parties"]["regulator"] = {"role": "ratifier", "requires": {"price": ">= 30"}}
    unknown = build_scenario(raw)
    assert bl.bargaining_point(unknown, "nash")["price"] == (0,)  # learned only from a veto: not applied
    raw["parties"]["regulator"]["public"] = {"price": "2025-01-15"}
    public = build_scenario(raw)
    assert bl.bargaining_point(public, "nash")["price"] in ((2,), (3,))
    raw["as_of"] = "2025-01-10"  # a forecast made before it was public does not apply it
    raw["facts"] = str(ROOT / "data" / "facts.yaml")
    assert bl.bargaining_point(build_scenario(raw), "nash")["price"] == (0,)


def test_scoring_rules_by_hand():
    # a point forecast on 20 when the truth is 30, ε = 0.1, K = 4: p(30) = ε/4
    s = score_clause(np.array([0, 1.0, 0, 0]), 2, EPS)
    assert s.p_real == pytest.approx(0.025) and s.log_score == pytest.approx(math.log(0.025))
    assert s.brier == pytest.approx(0.925 ** 2 + 0.025 ** 2 + 0.975 ** 2 + 0.025 ** 2)
    assert s.hit == 0 and s.modal == (1,)
    u = score_clause(np.full(4, 0.25), 2, EPS)  # uniform: unchanged by the floor
    assert u.p_real == pytest.approx(0.25) and u.brier == pytest.approx(0.75) and u.hit == pytest.approx(0.25)
    assert hit(np.array([0.5, 0.5, 0.0]), 1) == 0.5 and hit(np.array([0.5, 0.5, 0.0]), 2) == 0


def test_evaluate_by_hand(tiny):
    rows = [
        {"run": 0, "agreement_date": "2025-03-03", "tentative_date": "2025-02-10", "price": 30, "colour": "green",
         "speed": "slow"},
        {"run": 1, "agreement_date": "2025-03-10", "tentative_date": "2025-02-24", "price": 30, "colour": "red",
         "speed": "slow"},
        {"run": 2, "agreement_date": "2025-03-17", "tentative_date": "2025-03-03", "price": 20, "colour": "green",
         "speed": "slow"},
        {"run": 3, "agreement_date": None, "tentative_date": None, "price": None, "colour": None, "speed": None},
    ]
    record, extras = evaluate(tiny, rows, epsilon=EPS, keep=0.5, window=7)
    assert set(record) == {"as_of", "truth", "runs", "predictors", "dates", "holdout"}
    assert set(record["predictors"]) == {"model", "middle_option", "compromise", "nash", "kalai_smorodinsky",
                                         "uniform", "status_quo"}
    model = record["predictors"]["model"]
    # shares among the 3 agreed runs: price 30 2/3, colour green 2/3, speed slow 1
    p = [0.9 * 2 / 3 + 0.1 / 4, 0.9 * 2 / 3 + 0.1 / 3, 0.9 + 0.1 / 2]
    assert model["log_score"] == pytest.approx(np.mean(np.log(p)), abs=1e-6)
    # RPS on price: smoothed (0.025, 0.325, 0.625, 0.025), real 30: (0.025² + 0.35² + 0.025²) / 3
    assert model["hits"] == 3 and model["clauses"]["price"] == {"p_real": pytest.approx(p[0], abs=1e-6),
                                                                  "modal": [30], "rps": pytest.approx(0.04125)}
    uniform = record["predictors"]["uniform"]
    assert uniform["log_score"] == pytest.approx(np.mean(np.log([1 / 4, 1 / 3, 1 / 2])), abs=1e-6)
    assert uniform["brier"] == pytest.approx(np.mean([0.75, 2 / 3, 0.5]), abs=1e-6)
    assert uniform["hits"] == pytest.approx(1 / 4 + 1 / 3 + 1 / 2, abs=1e-6)
    compromise = record["predictors"]["compromise"]  # 20, red, slow
    assert compromise["hits"] == 1
    assert compromise["log_score"] == pytest.approx(np.mean(np.log([0.025, 0.1 / 3, 0.95])), abs=1e-6)
    middle = record["predictors"]["middle_option"]  # 20 or 30; any colour; either speed
    assert middle["clauses"]["price"]["p_real"] == pytest.approx(0.45 + 0.025)
    assert middle["hits"] == pytest.approx(0.5 + 1 / 3 + 0.5)
    # dates: 3 Mar, 10 Mar, 17 Mar and one breakdown (counted as later than any date)
    # CRPS: the breakdown counts as 1 April (the day after the calendar's end); truth 3 March;
    # days from it 0, 7, 14, 29: mean 12.5; half the mean gap, (1/16)·Σ(2i−5)x_(i) = (−3·0 − 7 + 14 + 3·29)/16;
    # tentative: 10 Feb, 24 Feb, 3 Mar, 1 Apr against 10 Feb: 0, 14, 21, 50
    crps = 12.5 - (-7 + 14 + 3 * 29) / 16
    tentative = 21.25 - (-14 + 21 + 3 * 50) / 16
    assert record["dates"]["model"] == {"median": "2025-03-10", "low_10": "2025-03-03", "high_90": None,
                                        "agreement_rate": 0.75, "days_off": 7, "in_80": True,
                                        "crps_days": {"tentative": pytest.approx(tentative, abs=1e-3),
                                                      "definitive": pytest.approx(crps, abs=1e-3)}}
    # time hold-out: tentative within ±7 days of 10 Feb keeps run 0 only
    time = record["holdout"]["time"]
    assert time["kept"] == 1 and time["hits"] == 3 and time["dates"]["median"] == "2025-03-03"
    # no run near the memorandum: no prediction rather than a uniform one
    none_near = evaluate(tiny, rows[1:], epsilon=EPS, keep=0.5, window=7)[0]["holdout"]["time"]
    assert none_near["kept"] == 0 and none_near["log_score"] is None and none_near["dates"] is None
    assert extras["best_baseline"] in ("middle_option", "compromise", "nash", "kalai_smorodinsky", "uniform")


def test_leave_one_clause_out_keeps_the_runs_nearest_on_the_other_clauses(tiny):
    runs = fc.Runs(tiny.clauses, np.array([[2, 1, 0], [2, 0, 1], [1, 1, 0], [3, 2, 1]]),
                   (dt.date(2025, 3, 3),) * 4, (None,) * 4)
    truth = [2, 1, 0]
    # holding price out: distances on colour and speed are 0, 1, 0, 1 → keep runs 0 and 2 (prices 30 and 20)
    out = fc.leave_one_out(runs, truth, keep=0.5)
    assert out["price"][1] == 2 and out["price"][0].tolist() == [0, 0.5, 0.5, 0]
    # holding speed out: mean of price steps / 3 and colour 0/1 → 0, 1/2, 1/6, 2/3: runs 0 and 2 kept
    assert out["speed"][1] == 2 and out["speed"][0].tolist() == [1.0, 0.0]


def test_date_quantiles_and_the_uniform_date_baseline():
    days = [dt.date(2025, 1, d) for d in (1, 2, 3, 4)] + [None]
    f = date_quantiles(days)
    assert (f.median, f.low, f.high, f.agreed) == (dt.date(2025, 1, 3), dt.date(2025, 1, 1), None, 0.8)
    assert f.covers(dt.date(2025, 6, 1)) and f.days_off(dt.date(2025, 1, 1)) == 2
    u = uniform_dates(dt.date(2025, 1, 1), dt.date(2025, 1, 11))
    assert (u.median, u.low, u.high) == (dt.date(2025, 1, 6), dt.date(2025, 1, 2), dt.date(2025, 1, 10))


def test_bootstrap_interval_is_reproducible_and_brackets_the_mean():
    values = [-0.1, -2.0, -0.5, -1.0, -0.05]
    lo, hi = bootstrap_interval(values)
    assert lo <= np.mean(values) <= hi and bootstrap_interval(values) == (lo, hi)
    assert bootstrap_interval([1.0]) is None


def test_backtest_command_writes_the_json_contract(cli, tmp_path):
    raw = copy.deepcopy(TINY)
    raw["truth"] = str(write_yaml(tmp_path / "truth.yaml", TRUTH))
    for party in raw["parties"].values():
        party["strategy"] = {"name": "boulware", "e": 0.5}
    path = write_yaml(tmp_path / "tiny.yaml", raw)
    out, js = tmp_path / "bt", tmp_path / "bt.json"
    result = cli("backtest", path, "--runs", "6", "--noise", "0.2", "--executor", "inprocess", "--out", out,
                 "--json", js)
    assert result.exit_code == 0, result.output
    record = json.loads(js.read_text())
    assert set(record) == {"as_of", "truth", "runs", "predictors", "dates", "holdout"} and record["runs"] == 6
    for entry in record["predictors"].values():
        assert set(entry) == {"log_score", "brier", "rps", "hits", "clauses"}
        assert set(entry["clauses"]) == {"price", "colour", "speed"}
        assert all(set(c) == {"p_real", "modal", "rps"} for c in entry["clauses"].values())
        assert entry["clauses"]["colour"]["rps"] is None and entry["clauses"]["price"]["rps"] is not None
    assert json.loads((out / "backtest.json").read_text()) == record
    assert (out / "backtest.png").read_bytes()[:4] == b"\x89PNG" and (out / "results.csv").exists()
    assert "little statistical power" in result.output and "ε = 0.05" in result.output
    assert "need a library" in result.output and "Diagnostics, not forecasts" in result.output


def test_backtest_refuses_bad_input(cli, tmp_path):
    path = write_yaml(tmp_path / "no_truth.yaml", copy.deepcopy(TINY))
    result = cli("backtest", path, "--runs", "2", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "truth" in result.output and not (tmp_path / "runs").exists()
    raw = copy.deepcopy(TINY)
    raw["truth"] = str(write_yaml(tmp_path / "truth.yaml", TRUTH))
    path = write_yaml(tmp_path / "tiny.yaml", raw)
    result = cli("backtest", path, "--capability", "nobody=2", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "--capability" in result.output
    result = cli("backtest", path, "--epsilon", "1.5", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "--epsilon" in result.output
