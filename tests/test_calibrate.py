"""Calibration across cases: the grid posterior and the leave-one-case-out
scores by hand, the global parameters applied to a case, the command."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from negotiation.backtest.calibrate import UNCALIBRATED, calibrate, parse_axes, structural

from .conftest import SMALL, write_yaml

OTHER = {"sigma": 0.2, "lambda": 1.0, "e_scale": 1.0}


def test_posterior_and_out_of_sample_scores_by_hand():
    # one clause per case; the real option's probability at (uncalibrated, other)
    probs = [np.array([[0.8], [0.2]]), np.array([[0.6], [0.3]]), np.array([[0.1], [0.9]])]
    got = calibrate(probs, [UNCALIBRATED, OTHER], 2, ["a", "b", "c"])
    # whole library: likelihoods 0.8·0.6·0.1 = 0.048 and 0.2·0.3·0.9 = 0.054
    assert [p["posterior"] for p in got["posterior"]["points"]] == pytest.approx([0.048 / 0.102, 0.054 / 0.102],
                                                                                abs=1e-6)
    # case a left out: weights from b and c only, 0.06 : 0.27; its forecast mixes 0.8 and 0.2 with them
    a = got["loco"][0]
    mixed = (0.06 * 0.8 + 0.27 * 0.2) / 0.33
    assert a["calibrated"] == pytest.approx(np.log(mixed), abs=1e-6)
    assert a["uncalibrated"] == pytest.approx(np.log(0.8), abs=1e-6)
    assert a["gain"] == pytest.approx(np.log(mixed) - np.log(0.8), abs=1e-6)
    assert a["map"] == OTHER and a["marginals"]["sigma"] == pytest.approx({"0.1": 0.06 / 0.33, "0.2": 0.27 / 0.33},
                                                                          abs=1e-6)


def test_a_case_never_weighs_its_own_calibration():
    rng = np.random.default_rng(1)
    probs = [rng.uniform(0.05, 0.95, size=(3, 2)) for _ in range(4)]
    thetas = [UNCALIBRATED, OTHER, {"sigma": 0.4, "lambda": 2.0, "e_scale": 1.0}]
    before = calibrate(probs, thetas, 3, list("abcd"))
    changed = [p.copy() for p in probs]
    changed[2] = rng.uniform(0.05, 0.95, size=(3, 2))
    after = calibrate(changed, thetas, 3, list("abcd"))
    assert after["loco"][2]["marginals"] == before["loco"][2]["marginals"]
    assert after["loco"][0]["marginals"] != before["loco"][0]["marginals"]


def test_global_parameters_reach_every_bargainer():
    raw = copy.deepcopy(SMALL)
    raw["parties"]["buyer"]["strategy"] = {"name": "time_dependent", "e": {"value": 0.5, "because": ["F1"]}}
    raw["parties"]["seller"]["loss_aversion"] = 3.0
    out = structural(raw, 2.0, 3.0)
    assert out["parties"]["buyer"]["loss_aversion"] == 2.0
    assert out["parties"]["seller"]["loss_aversion"] == 3.0  # a case's own λ is kept
    assert out["parties"]["buyer"]["strategy"]["e"] == {"value": 1.5, "because": ["F1"]}
    assert out["parties"]["seller"]["strategy"]["e"] == 6.0  # conceder: no upper bound
    raw["parties"]["buyer"]["strategy"] = {"name": "boulware", "e": 0.5}
    assert structural(raw, 1.0, 3.0)["parties"]["buyer"]["strategy"]["e"] == 1.0  # boulware's e ≤ 1
    assert "loss_aversion" not in structural(raw, 1.0, 1.0)["parties"]["buyer"]  # λ = 1: off
    assert raw["parties"]["buyer"]["strategy"]["e"] == 0.5  # the input is not changed


def test_axes_not_given_stay_uncalibrated():
    assert parse_axes(["lambda=2,1"]) == {"sigma": [0.1], "lambda": [1.0, 2.0], "e_scale": [1.0]}


def _library(tmp_path):
    for name, price in (("one", 30), ("two", 20)):
        raw = copy.deepcopy(SMALL)
        for clause, option in (("price", 20), ("delivery", "normal"), ("warranty", "one_year")):
            raw["clauses"][clause]["status_quo"] = option
        folder = tmp_path / "lib" / name
        folder.mkdir(parents=True)
        write_yaml(folder / "truth.yaml", {"dates": {"tentative": {"date": "2025-03-01"},
                                                     "definitive": {"date": "2025-03-10"}},
                                           "clauses": {"price": {"option": price}, "delivery": {"option": "fast"}}})
        raw["truth"] = "truth.yaml"
        write_yaml(folder / "scenario.yaml", raw)
    return tmp_path / "lib"


def test_calibrate_command_writes_its_record_deterministically(cli, tmp_path):
    lib = _library(tmp_path)
    records = []
    for i in (1, 2):
        result = cli("calibrate", lib, "--grid", "sigma=0.05,0.3", "--grid", "lambda=1,2", "--runs", "6",
                     "--executor", "inprocess", "--out", tmp_path / f"c{i}")
        assert result.exit_code == 0, result.output
        records.append(json.loads((tmp_path / f"c{i}" / "calibration.json").read_text()))
        assert (tmp_path / f"c{i}" / "calibration.png").read_bytes()[:4] == b"\x89PNG"
    assert records[0] == records[1]
    record = records[0]
    assert record["cases"] == ["one", "two"] and len(record["posterior"]["points"]) == 4
    assert sum(p["posterior"] for p in record["posterior"]["points"]) == pytest.approx(1.0, abs=1e-5)
    assert [c["clauses"] for c in record["loco"]] == [2, 2]
    # the uncalibrated point (σ 0.1) is off the grid: played and scored, but not in the posterior
    assert [p["on_grid"] for p in record["per_point"]] == [True] * 4 + [False]
    shown = [line for line in result.output.splitlines() if not line.startswith("experiment folder")]
    assert all(len(line) <= 80 for line in shown)


@pytest.mark.parametrize("grid", ["alpha=1,2", "sigma=3", "lambda=", "e_scale=0"])
def test_bad_grid_exits_2(cli, tmp_path, grid):
    result = cli("calibrate", _library(tmp_path), "--grid", grid, "--runs", "2", "--executor", "inprocess")
    assert result.exit_code == 2 and "--grid" in result.output


def test_one_case_is_refused(cli, tmp_path):
    lib = _library(tmp_path)
    result = cli("calibrate", lib / "one" / "scenario.yaml", "--grid", "lambda=1,2")
    assert result.exit_code == 2 and "two cases" in result.output
