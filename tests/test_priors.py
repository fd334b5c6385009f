"""Priors beside a scenario's numbers: checked when read, drawn per run of an
experiment from the run's seed, reported as prior.* columns and as rank
correlations with the outcomes."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.engine.simulate import simulate
from negotiation.experiments.sensitivity import ranks, spearman
from negotiation.inputs.priors import Prior, draw, prior_rng
from negotiation.scenarios.load import build_scenario

from .conftest import SMALL, write_yaml


def with_priors() -> dict:
    raw = copy.deepcopy(SMALL)
    buyer = raw["parties"]["buyer"]
    buyer["weights"]["price"] = {"value": 0.5, "prior": {"uniform": [0.3, 0.7]}}
    buyer["reservation"] = {"value": 0.3, "prior": {"normal": [0.3, 0.2]}}
    buyer["strategy"]["e"] = {"value": 0.5, "prior": {"triangular": [0.2, 0.5, 1.0]}}
    raw["parties"]["seller"]["deadline"] = {"value": "2025-05-01", "prior": {"uniform": ["2025-04-01", "2025-06-01"]}}
    return raw


def test_a_single_run_plays_the_values():
    plain = copy.deepcopy(SMALL)
    plain["parties"]["seller"]["deadline"] = "2025-05-01"
    drawn, written = build_scenario(with_priors()), build_scenario(plain)
    # the header's config hash covers the prior text; everything after it is the same run
    assert simulate(drawn, 4).log_text.splitlines()[1:] == simulate(written, 4).log_text.splitlines()[1:]


def test_montecarlo_draws_each_run_from_its_seed(cli, tmp_path):
    path = write_yaml(tmp_path / "s.yaml", with_priors())
    tables = []
    for i in (1, 2):
        result = cli("montecarlo", path, "--runs", "12", "--noise", "0", "--executor", "inprocess",
                     "--out", tmp_path / f"mc{i}", "--keep-logs")
        assert result.exit_code == 0, result.output
        tables.append((tmp_path / f"mc{i}" / "results.csv").read_text())
    assert tables[0] == tables[1]
    rows = list(csv.DictReader(tables[0].splitlines()))
    weights = [float(r["prior.parties.buyer.weights.price"]) for r in rows]
    assert all(0.3 <= w <= 0.7 for w in weights) and len(set(weights)) == len(rows)
    assert all(0.0 <= float(r["prior.parties.buyer.reservation"]) <= 1.0 for r in rows)
    for r in rows:  # a date lands on a round of the calendar (7 days from 2025-01-01), inside its range
        day = dt.date.fromisoformat(r["prior.parties.seller.deadline"])
        assert dt.date(2025, 4, 1) <= day <= dt.date(2025, 6, 1) and (day - dt.date(2025, 1, 1)).days % 7 == 0
    summary = json.loads((tmp_path / "mc1" / "summary.json").read_text())
    assert set(summary["priors"]["rho"]) == {"parties.buyer.weights.price", "parties.buyer.reservation",
                                             "parties.buyer.strategy.e", "parties.seller.deadline"}
    assert {"agreement_date", "clause.price", "u.buyer"} <= set(summary["priors"]["rho"]["parties.buyer.strategy.e"])
    assert (tmp_path / "mc1" / "priors.png").read_bytes()[:4] == b"\x89PNG"
    # each run's drawn scenario beside its log replays it byte for byte
    log = sorted((tmp_path / "mc1" / "logs").glob("*.jsonl"))[3]
    assert cli("run", log.with_suffix(".yaml"), "--out", tmp_path / "again", "--no-png").exit_code == 0
    assert (tmp_path / "again" / "log.jsonl").read_bytes() == log.read_bytes()


def test_without_priors_no_prior_columns(cli, tmp_path):
    path = write_yaml(tmp_path / "s.yaml", copy.deepcopy(SMALL))
    assert cli("montecarlo", path, "--runs", "3", "--executor", "inprocess", "--out", tmp_path / "mc").exit_code == 0
    assert "prior." not in (tmp_path / "mc" / "results.csv").read_text()
    assert "priors" not in json.loads((tmp_path / "mc" / "summary.json").read_text())


def test_draws_follow_their_families():
    rng = prior_rng(11)
    priors = [Prior(("u",), "uniform", (0.2, 0.4), "number", 0.0, 1.0),
              Prior(("n",), "normal", (0.9, 0.3), "number", 0.0, 1.0),
              Prior(("l",), "lognormal", (2.0, 0.5), "number", 0.0, None, True),
              Prior(("t",), "triangular", (0.0, 0.0, 3.0), "number", 0.0, None),
              Prior(("d",), "uniform", (10.0, 50.0), "duration", 0.0, 36600.0)]
    draws = np.array([draw(priors, rng, dt.date(2025, 1, 1), 7) for _ in range(4000)], dtype=float)
    assert draws[:, 0].min() >= 0.2 and draws[:, 0].max() <= 0.4 and abs(draws[:, 0].mean() - 0.3) < 0.01
    assert draws[:, 1].max() == 1.0 and draws[:, 1].min() >= 0.0  # clipped to the key's range
    assert abs(np.median(draws[:, 2]) - 2.0) < 0.1
    assert abs(draws[:, 3].mean() - 1.0) < 0.05  # (lo + mode + hi) / 3
    assert np.all(draws[:, 4] == np.round(draws[:, 4]))  # durations in whole days
    again = np.array([draw(priors, prior_rng(11), dt.date(2025, 1, 1), 7)], dtype=float)
    assert np.array_equal(again[0], draws[0])


def test_spearman_by_hand():
    # ranks (1,2,3,4) and (1,3,2,4): Σd² = 2, ρ = 1 − 6·2 / (4·15) = 0.8
    assert spearman([1, 2, 3, 4], [10, 30, 20, 40]) == pytest.approx(0.8)
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert list(ranks(np.array([5.0, 1.0, 5.0, 3.0]))) == [3.5, 1.0, 3.5, 2.0]
    assert spearman([1, 1, 1], [1, 2, 3]) is None


@pytest.mark.parametrize("key, leaf, where, says", [
    ("reservation", {"value": 0.3, "prior": {"uniform": [0.5, 0.2]}}, "reservation.prior.uniform", "lo ≤ hi"),
    ("reservation", {"value": 0.3, "prior": {"normal": [0.3, -0.1]}}, "reservation.prior.normal", "≥ 0"),
    ("reservation", {"value": 0.3, "prior": {"uniform": [0.2, 1.5]}}, "reservation.prior.uniform", "allowed range"),
    ("reservation", {"value": 0.3, "prior": {"uniform": [0.4, 0.5]}}, "reservation.prior.uniform", "coded value"),
    ("reservation", {"value": 0.3, "prior": {"beta": [1, 2]}}, "reservation.prior", "uniform"),
    ("deadline", {"value": "2025-05-01", "prior": {"normal": [1, 2]}}, "deadline.prior.normal", "DATE"),
    ("values", {"price": {"value": "decreasing", "prior": {"uniform": [0, 1]}}, "delivery": "increasing",
                "warranty": "increasing"}, "values.price.prior", "takes none"),
])
def test_bad_priors_exit_2_with_the_key_path(cli, tmp_path, key, leaf, where, says):
    raw = copy.deepcopy(SMALL)
    raw["parties"]["buyer"][key] = leaf
    result = cli("validate", write_yaml(tmp_path / "s.yaml", raw))
    assert result.exit_code == 2
    assert f"parties.buyer.{where}" in result.output and says in result.output


def test_a_prior_outside_the_parties_is_refused(cli, tmp_path):
    raw = copy.deepcopy(SMALL)
    raw["seed"] = {"value": 3, "prior": {"uniform": [1, 5]}}
    result = cli("validate", write_yaml(tmp_path / "s.yaml", raw))
    assert result.exit_code == 2 and "seed.prior" in result.output


def test_run_says_it_plays_the_values(cli, tmp_path):
    result = cli("run", write_yaml(tmp_path / "s.yaml", with_priors()), "--out", tmp_path / "r", "--no-png")
    assert result.exit_code == 0 and "4 priors played at their values" in result.output


@settings(max_examples=60, deadline=None)
@given(lo=st.floats(0.0, 1.0), width=st.floats(0.0, 1.0), mode=st.floats(0.0, 1.0), seed=st.integers(0, 2**32 - 1),
       family=st.sampled_from(["uniform", "triangular", "normal"]))
def test_a_draw_stays_inside_its_range_and_the_keys(lo, width, mode, seed, family):
    hi = min(lo + width, 1.0)
    params = {"uniform": (lo, hi), "triangular": (lo, lo + mode * (hi - lo), hi), "normal": (lo, width)}[family]
    (x,) = draw([Prior(("x",), family, params, "number", 0.0, 1.0)], prior_rng(seed), dt.date(2025, 1, 1), 7)
    assert 0.0 <= x <= 1.0
    if family != "normal":
        assert lo <= x <= hi


def test_backtest_reports_which_priors_drive_the_spread(cli, tmp_path):
    raw = with_priors()
    raw["truth"] = str(write_yaml(tmp_path / "truth.yaml", {
        "dates": {"tentative": {"date": "2025-03-01"}, "definitive": {"date": "2025-03-10"}},
        "clauses": {"price": {"option": 30}, "delivery": {"option": "fast"}}}))
    result = cli("backtest", write_yaml(tmp_path / "s.yaml", raw), "--runs", "12", "--executor", "inprocess",
                 "--out", tmp_path / "bt")
    assert result.exit_code == 0, result.output
    scores = json.loads((tmp_path / "bt" / "scores.json").read_text())
    assert "parties.buyer.strategy.e" in scores["priors"]["rho"]
    assert (tmp_path / "bt" / "priors.png").is_file()
    assert "prior.parties.seller.deadline" in (tmp_path / "bt" / "results.csv").read_text().splitlines()[0]
