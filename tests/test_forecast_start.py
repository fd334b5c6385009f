"""A forecast starts on its date: a scenario with ``as_of`` bargains no round
on or before it, its tactics' clocks counting from the talks' real start;
a scenario without ``as_of`` is played from its first round."""

from __future__ import annotations

import copy
import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.engine.simulate import simulate
from negotiation.experiments.perturb import perturb
from negotiation.scenarios.load import build_scenario, load_scenario

from .conftest import DEFAULT, ROOT, SMALL, write_yaml

FACTS = str(ROOT / "data" / "facts.yaml")
AS_OF = "2025-05-21"


def small(as_of=AS_OF):
    raw = copy.deepcopy(SMALL)
    raw["facts"] = FACTS
    if as_of is not None:
        raw["as_of"] = as_of
    return raw


def records(scenario, seed):
    return [json.loads(line) for line in simulate(scenario, seed=seed).log_text.splitlines()]


def test_without_as_of_the_small_scenario_agrees_before_that_date():
    """What the conditioning changes: played from its start, the deal comes before AS_OF."""
    summary = simulate(build_scenario(small(None)), seed=3).summary
    assert summary["tentative_date"] <= AS_OF


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), noise=st.floats(0, 0.3))
def test_a_forecast_never_agrees_nor_offers_on_or_before_its_as_of(seed, noise):
    scenario = perturb(build_scenario(small()), noise, np.random.default_rng(seed))
    recs = records(scenario, seed)
    assert recs[0]["as_of"] == AS_OF
    acted = [r for r in recs[1:] if r["type"] in ("offer", "response", "agreement", "ratification")]
    assert acted and all(r["date"] > AS_OF for r in acted)
    assert recs[-1]["type"] == "end"


def test_the_tactics_clocks_run_from_the_real_start():
    """The default scenario (time-dependent tactics, known opponents): from the
    first round after as_of, the forecast offers what the same run played from
    the start offers on the same dates (no run of it agrees before as_of)."""
    forecast = load_scenario(DEFAULT)
    whole = load_scenario(DEFAULT, sets=["as_of=null"])
    for seed in (1, 2):
        after = [r for r in records(whole, seed) if r["type"] == "offer" and r["date"] > str(forecast.as_of)]
        offers = [r for r in records(forecast, seed) if r["type"] == "offer"]
        assert offers and offers == after


def test_an_as_of_before_the_start_changes_nothing_but_the_header():
    without, before = build_scenario(small(None)), build_scenario(small("2024-12-01"))
    a, b = records(without, 3), records(before, 3)
    assert a[1:] == b[1:] and a[1]["round"] == 1
    assert b[0]["as_of"] == "2024-12-01" and "as_of" not in a[0]


def test_backtest_reports_no_run_before_as_of(cli, tmp_path):
    raw = small()
    truth = {"dates": {"tentative": {"date": "2025-06-04"}, "definitive": {"date": "2025-06-04"}},
             "clauses": {"price": {"option": 30}, "delivery": {"option": "normal"}, "warranty": {"option": "none"}}}
    raw["truth"] = str(write_yaml(tmp_path / "truth.yaml", truth))
    path = write_yaml(tmp_path / "forecast.yaml", raw)
    js = tmp_path / "bt.json"
    result = cli("backtest", path, "--runs", "6", "--noise", "0.2", "--executor", "inprocess",
                 "--out", tmp_path / "bt", "--json", js)
    assert result.exit_code == 0, result.output
    dates = json.loads(js.read_text())["dates"]
    assert dates["model_before_as_of"] == 0.0 and dates["model_tentative_before_as_of"] == 0.0
    text = " ".join(result.output.split())
    assert f"runs agreeing on or before as_of ({AS_OF}): 0.0% definitive, 0.0% tentative" in text
    assert f"0.0% of runs reach a definitive agreement on or before as_of ({AS_OF})" in text
