"""Proper scores, the status-quo and reference-class baselines, stacking and
pooling against values worked out by hand, and the library command on the
two tiny cases of tests/fixtures/library."""

from __future__ import annotations

import datetime as dt
import json
import math
import statistics
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.backtest import baselines as bl
from negotiation.backtest import pooling, stacking
from negotiation.backtest.evaluate import Target, score, target
from negotiation.backtest.forecast import Dates, Forecast
from negotiation.backtest.scoring import crps_normal, crps_sample, mid_pit, rps
from negotiation.scenarios.load import load_scenario, scenario_truth

LIBRARY = Path(__file__).parent / "fixtures" / "library"
ALPHA, BETA = LIBRARY / "alpha" / "scenario.yaml", LIBRARY / "beta" / "scenario.yaml"


def test_ranked_probability_score_on_three_ordered_options():
    p = np.array([0.2, 0.5, 0.3])
    # cumulative (0.2, 0.7) against (1, 1), (0, 1) and (0, 0), over K − 1 = 2
    assert rps(p, 0) == pytest.approx((0.8 ** 2 + 0.3 ** 2) / 2)
    assert rps(p, 1) == pytest.approx((0.2 ** 2 + 0.3 ** 2) / 2)
    assert rps(p, 2) == pytest.approx((0.2 ** 2 + 0.7 ** 2) / 2)
    assert rps(np.array([0, 1.0, 0]), 1) == 0
    # one step off costs less than two, which the log score cannot tell apart
    assert rps(np.array([1.0, 0, 0]), 1) < rps(np.array([1.0, 0, 0]), 2) == 1


def test_mid_pit_of_an_ordered_forecast():
    p = np.array([0.2, 0.5, 0.3])
    assert [mid_pit(p, k) for k in range(3)] == pytest.approx([0.1, 0.45, 0.85])


def test_crps_of_a_small_sample_by_hand():
    # F = ½ on [1, 3): ∫ (F − 1[x ≥ 2])² = 0.25 + 0.25; also E|X − 2| − ½E|X − X'| = 1 − ½
    assert crps_sample([1, 3], 2) == pytest.approx(0.5)
    assert crps_sample([5], 2) == pytest.approx(3)  # a point forecast: the absolute error
    assert crps_sample([0, 7, 14, 29], 0) == pytest.approx(12.5 - (-7 + 14 + 87) / 16)


def test_crps_of_a_sample_matches_the_closed_form_for_a_normal():
    mu, sigma, n = 10.0, 3.0, 20_000
    quantiles = [mu + sigma * statistics.NormalDist().inv_cdf((i + 0.5) / n) for i in range(n)]
    for y in (10.0, 12.5, 1.0):
        assert crps_sample(quantiles, y) == pytest.approx(crps_normal(mu, sigma, y), rel=2e-3)
    # at the mean: σ (2φ(0) − 1/√π) = σ (√(2/π) − 1/√π)
    assert crps_normal(0, 1, 0) == pytest.approx(math.sqrt(2 / math.pi) - 1 / math.sqrt(math.pi))


def test_status_quo_baseline_points_at_the_marked_option_else_uniform():
    alpha = load_scenario(ALPHA)
    assert bl.status_quo(alpha) == {"price": (1,), "colour": (0, 1, 2), "speed": (0,)}
    # price 20 when the truth is 30, ε = 0.1: p = ε/4; speed slow, the truth: 1 − ε + ε/2
    forecast = bl.baseline_forecasts(alpha)["status_quo"]
    scored = score(forecast, target(alpha), 0.1)
    assert scored.clauses["price"].p_real == pytest.approx(0.025)
    assert scored.clauses["colour"].p_real == pytest.approx(1 / 3)
    assert scored.clauses["speed"].p_real == pytest.approx(0.95)


def test_reference_class_date_takes_the_other_cases_share_of_their_calendar():
    alpha, beta = load_scenario(ALPHA), load_scenario(BETA)
    # beta: 2025-06-01 → 2025-12-31 (213 days); definitive 2025-09-15, day 106: share 106/213;
    # on alpha's calendar (2025-01-01 → 2025-03-31, 89 days): day round(89·106/213) = 44 → 2025-02-14
    forecast = bl.reference_class(alpha, [(beta, scenario_truth(beta))])
    assert forecast is not None and forecast.definitive.sample == (dt.date(2025, 2, 14),)
    # tentative 2025-08-01, day 61: round(89·61/213) = 25 → 2025-01-26
    assert forecast.tentative.sample == (dt.date(2025, 1, 26),)
    assert bl.reference_class(alpha, []) is None


def test_stacking_weights_of_two_predictors_by_hand():
    # maximise ln(0.2 + 0.6w) + ln(0.4 − 0.2w): 0.6/(0.2 + 0.6w) = 0.2/(0.4 − 0.2w), so w = 5/6
    q = np.array([[0.8, 0.2], [0.2, 0.4]])
    w = stacking.fit(q)
    assert w == pytest.approx([5 / 6, 1 / 6], abs=1e-6)
    assert stacking.log_score(q, w) >= max(stacking.log_score(q, np.array([a, 1 - a])) for a in np.linspace(0, 1, 101))


def test_stacking_gives_most_weight_to_the_clearly_better_predictor_leaving_one_case_out():
    rng = np.random.default_rng(0)
    cases = [np.column_stack([rng.uniform(0.6, 0.9, 4), rng.uniform(0.05, 0.2, 4)]) for _ in range(3)]
    loco = stacking.leave_one_case_out(cases)
    for k, w in enumerate(loco):
        assert w is not None and w[0] > 0.95
        assert w == pytest.approx(stacking.fit(np.vstack([c for j, c in enumerate(cases) if j != k])))
    lo, hi = stacking.weight_interval(cases, 0, n=200)
    assert 0.9 < lo <= hi <= 1
    assert stacking.leave_one_case_out(cases[:1]) == [None]


def _scored(clause_probs: dict[str, list[float]], real: dict[str, int]):
    """A forecast of unordered clauses scored at ε = 0 (so p_real is what is given)."""
    t = Target(real, frozenset(), {"tentative": None, "definitive": None}, dt.date(2025, 1, 1))
    return score(Forecast("x", {c: np.array(p) for c, p in clause_probs.items()}), t, 0.0)


def test_pooling_weighs_every_clause_once_and_resamples_cases():
    # case A: two clauses, model p_real 0.5 and 0.25, uniform guess 0.5 and 0.5;
    # case B: one clause, model 1.0, uniform 0.5
    a = {"model": _scored({"x": [0.5, 0.5], "y": [0.25, 0.75]}, {"x": 0, "y": 0}),
         "uniform": _scored({"x": [0.5, 0.5], "y": [0.5, 0.5]}, {"x": 0, "y": 0})}
    b = {"model": _scored({"z": [1.0, 0.0]}, {"z": 0}), "uniform": _scored({"z": [0.5, 0.5]}, {"z": 0})}
    model = pooling.clause_means([a, b], "model")
    assert model["log_score"] == pytest.approx((math.log(0.5) + math.log(0.25) + 0) / 3, abs=1e-6)
    assert model["hit_rate"] == pytest.approx((0.5 + 0 + 1) / 3)  # x: a tie of two counts ½
    diff = pooling.difference([a, b], "model", "uniform")
    # per case sums of differences: A ln(0.5), B ln 2; over 3 clauses: 0 in all
    assert diff["log_score"] == pytest.approx(0.0, abs=1e-6)
    # the resampled ratios can only be A alone (ln(0.5)/2), B alone (ln 2) or both (0)
    lo, hi = diff["interval"]
    assert lo == pytest.approx(math.log(0.5) / 2) and hi == pytest.approx(math.log(2))
    assert pooling.case_bootstrap([1.0], [1]) is None


def test_library_command_pools_both_cases_and_is_deterministic(cli, tmp_path):
    outs = []
    for k in (1, 2):
        out, js = tmp_path / f"lib{k}", tmp_path / f"lib{k}.json"
        result = cli("backtest", LIBRARY, "--runs", "6", "--seed", "3", "--executor", "inprocess",
                     "--out", out, "--json", js)
        assert result.exit_code == 0, result.output
        outs.append((out, js))
    (out, js), (out2, js2) = outs
    assert js.read_text() == js2.read_text() == (out / "backtest.json").read_text()
    assert (out / "results.csv").read_text() == (out2 / "results.csv").read_text()
    record = json.loads(js.read_text())
    assert [c["case"] for c in record["cases"]] == ["alpha", "beta"]
    pooled = record["pooled"]
    assert pooled["cases"] == 2 and pooled["clauses"] == 5
    for name, entry in pooled["predictors"].items():  # the pool is the clause-weighted mean of the cases
        per_case = [(c["predictors"][name]["log_score"], len(c["predictors"][name]["clauses"]))
                    for c in record["cases"]]
        assert entry["log_score"] == pytest.approx(sum(s * n for s, n in per_case) / 5, abs=1e-5)
    assert set(pooled["predictors"]) >= {"model", "status_quo", "uniform", "ensemble"}
    assert "reference_class" in pooled["dates"] and "ensemble" in record["cases"][0]["predictors"]
    weights = pooled["ensemble"]["weights"]
    assert sum(weights.values()) == pytest.approx(1, abs=1e-5) and "model" in weights
    assert (out / "forest.png").read_bytes()[:4] == b"\x89PNG" and (out / "reliability.png").exists()
    assert "Library backtest: 2 cases, 5 clauses" in result.output and "weight on the model" in result.output


def test_a_case_in_the_library_is_forecast_as_on_its_own(cli, tmp_path):
    lib, one = tmp_path / "lib.json", tmp_path / "one.json"
    assert cli("backtest", ALPHA, BETA, "--runs", "4", "--seed", "5", "--executor", "inprocess",
               "--runs-dir", tmp_path, "--json", lib).exit_code == 0
    assert cli("backtest", ALPHA, "--runs", "4", "--seed", "5", "--executor", "inprocess",
               "--runs-dir", tmp_path, "--json", one).exit_code == 0
    alpha = json.loads(lib.read_text())["cases"][0]
    alone = json.loads(one.read_text())
    assert alpha["predictors"]["model"] == alone["predictors"]["model"]
    assert alpha["dates"]["model"] == alone["dates"]["model"]


def test_library_refuses_bad_input(cli, tmp_path):
    result = cli("backtest", LIBRARY, "--capability", "buyer=2", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "--capability" in result.output and not (tmp_path / "runs").exists()
    (tmp_path / "empty").mkdir()
    result = cli("backtest", tmp_path / "empty", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "library.yaml" in result.output
    (tmp_path / "listed").mkdir()
    (tmp_path / "listed" / "library.yaml").write_text("cases: [nowhere.yaml, ../x.yaml]\n")
    result = cli("backtest", tmp_path / "listed", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "nowhere.yaml" in result.output


def test_bench_times_the_library_backtest_of_configs_cases(tmp_path):
    from negotiation.cli.experiments import load_benchmarks

    bench_more = load_benchmarks().bench_more
    library_backtest = bench_more.library_backtest

    (tmp_path / "cases").symlink_to(LIBRARY, target_is_directory=True)
    figures = library_backtest(tmp_path / "default.yaml", quick=True)
    assert figures["status"] == "ok" and figures["cases"] == 2 and figures["runs_per_case"] == 50
    (what, figure, _), = [r for r in bench_more.rows({"library_backtest": figures}) if "library" in r[0]]
    assert what == "backtest of a library: 2 cases" and figure.endswith(" s")
    assert library_backtest(tmp_path / "elsewhere" / "default.yaml")["status"].startswith("no library")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-50, 50), min_size=1, max_size=12), st.integers(-60, 60))
def test_crps_of_a_sample_is_the_integral_of_the_squared_cdf_gap(sample, y):
    # ∫ (F(x) − 1[x ≥ y])² dx over the step function F, summed exactly between its jumps
    points = sorted(set(sample) | {y})
    total = 0.0
    for left, right in zip(points, points[1:]):
        F = sum(s <= left for s in sample) / len(sample)
        total += (F - (left >= y)) ** 2 * (right - left)
    assert crps_sample(sample, y) == pytest.approx(total, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3), min_size=1, max_size=8))
def test_stacked_mixture_scores_at_least_as_well_as_any_member(rows):
    q = np.array(rows)
    w = stacking.fit(q)
    assert w.min() >= 0 and w.sum() == pytest.approx(1)
    best_single = max(float(np.mean(np.log(q[:, j]))) for j in range(q.shape[1]))
    assert stacking.log_score(q, w) >= best_single - 1e-4  # EM stops within a hair of the optimum when members nearly tie
