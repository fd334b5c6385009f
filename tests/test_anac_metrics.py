"""ANAC metrics per run (distances to the frontier, Nash and K–S points,
welfare, advantage) in results.csv, summary.json and sweep pictures."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.experiments.metrics import reference, run_metrics
from negotiation.scenarios.load import load_scenario
from negotiation.domain.bargaining import nash_point

from .conftest import TEXTBOOK

METRICS = ("pareto_dist", "nash_dist", "ks_dist", "welfare", "advantage.employer", "advantage.candidate")


@pytest.fixture(scope="module")
def textbook():
    scenario = load_scenario(TEXTBOOK)
    return scenario, reference(scenario)


def agreement_row(scenario, outcome: int) -> dict:
    return {"result": "agreement", **scenario.space.as_dict(outcome)}


def test_the_nash_point_scores_zero_distance(textbook):
    scenario, ref = textbook
    nash = nash_point(ref.utilities, ref.reservations)
    m = run_metrics(ref, scenario, agreement_row(scenario, nash))
    assert m["nash_dist"] == 0 and m["pareto_dist"] == 0
    u = ref.utilities[nash]
    assert m["welfare"] == pytest.approx(u.sum(), abs=1e-6)
    assert m["advantage.employer"] == pytest.approx(u[0] - ref.reservations[0], abs=1e-6)


def test_no_agreement_sits_at_the_reservation_values(textbook):
    scenario, ref = textbook
    m = run_metrics(ref, scenario, {"result": "deadline"})
    assert m["advantage.employer"] == m["advantage.candidate"] == 0
    assert m["welfare"] == pytest.approx(ref.reservations.sum(), abs=1e-6)
    assert m["pareto_dist"] > 0


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0))
def test_no_outcome_is_nearer_a_point_than_the_frontier(textbook, seed):
    """The Nash and K–S points lie on the frontier, so any outcome is at least
    as near the frontier as to either point."""
    scenario, ref = textbook
    outcome = seed % scenario.space.size
    m = run_metrics(ref, scenario, agreement_row(scenario, outcome))
    assert m["pareto_dist"] <= m["nash_dist"] + 1e-6 and m["pareto_dist"] <= m["ks_dist"] + 1e-6
    assert m["pareto_dist"] >= 0


def test_results_and_summary_carry_the_metrics(cli, tmp_path):
    """Without noise and events the run's own utilities are the scenario's,
    so welfare and advantage must agree with the u. and rv. columns."""
    result = cli("sweep", TEXTBOOK, "--grid", "parties.employer.strategy.e=0.2,1", "--seeds", "3",
                 "--executor", "inprocess", "--metric", "welfare", "--out", tmp_path / "s")
    assert result.exit_code == 0, result.output
    with (tmp_path / "s" / "results.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    header = list(rows[0])
    assert header[-1] == "reason" and header[-1 - len(METRICS):-1] == list(METRICS)
    for row in rows:
        u = np.array([float(row["u.employer"]), float(row["u.candidate"])])
        rv = np.array([float(row["rv.employer"]), float(row["rv.candidate"])])
        assert row["result"] == "agreement"
        assert float(row["welfare"]) == pytest.approx(u.sum(), abs=2e-6)
        assert float(row["advantage.candidate"]) == pytest.approx(u[1] - rv[1], abs=2e-6)
        assert 0 <= float(row["pareto_dist"]) <= float(row["nash_dist"]) + 1e-6
    summary = json.loads((tmp_path / "s" / "summary.json").read_text())
    assert summary["metric"] == "welfare"
    first = [r for r in rows if r["parties.employer.strategy.e"] == "0.2"]
    assert summary["cells"][0]["metric"] == pytest.approx(np.mean([float(r["welfare"]) for r in first]), abs=1e-6)
    assert summary["cells"][0]["metrics"]["welfare"] == summary["cells"][0]["metric"]
    assert set(summary["cells"][1]["metrics"]["advantage"]) == {"employer", "candidate"}
    assert (tmp_path / "s" / "lines.png").stat().st_size > 0


def test_montecarlo_summary_averages_over_every_run(cli, tmp_path):
    result = cli("montecarlo", TEXTBOOK, "--runs", "6", "--noise", "0.3", "--executor", "inprocess",
                 "--out", tmp_path / "m")
    assert result.exit_code == 0, result.output
    with (tmp_path / "m" / "results.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    summary = json.loads((tmp_path / "m" / "summary.json").read_text())
    means = summary["metrics"]
    assert means["welfare"] == pytest.approx(np.mean([float(r["welfare"]) for r in rows]), abs=1e-6)
    assert set(means["advantage"]) == {"employer", "candidate"}
    assert "Pareto frontier" in result.stdout
