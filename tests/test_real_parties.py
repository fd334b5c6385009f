"""The real negotiation: five kinds of party, sourced preferences, and the
comparison with the deal of 28 October 2025."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml

from negotiation.reports.compare import compare, distance, scenario_comparison
from negotiation.inputs.config import load_yaml
from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import load_scenario, scenario_truth
from negotiation.inputs.sources import Truth, load_facts

from negotiation.errors import InputError

from .conftest import DEFAULT, ROOT, write_yaml

HINDSIGHT = ROOT / "configs" / "openai_microsoft_2025_hindsight.yaml"

COUNTERFACTUALS = ROOT / "configs" / "counterfactuals"


def run(overlay: str | None = None, sets=(), path=DEFAULT):
    scenario = load_scenario(path, sets=list(sets),
                             overlay=load_yaml(COUNTERFACTUALS / f"{overlay}.yaml") if overlay else None)
    return simulate(scenario).summary


@pytest.fixture(scope="module")
def baseline():
    return run()


def test_default_run_is_compared_with_the_real_one(baseline):
    # how well it matches, and whether it agrees by the calendar's end, is a result (backtest), never asserted
    assert baseline["result"] in ("agreement", "deadline", "breakdown")
    scenario = load_scenario(DEFAULT)
    c = scenario_comparison(baseline, scenario, scenario_truth(scenario))
    assert set(c) >= {"clauses", "matched", "total", "days_off_tentative", "days_off_definitive", "score"}
    assert c["total"] == len(load_scenario(DEFAULT).clauses)
    for row in c["clauses"].values():
        assert set(row) == {"simulated", "real", "match", "distance"}


DEAL_ONLY_OPTIONS = {"expert_panel_verifies", "compute_thresholds", "non_api_and_natsec"}


def test_the_default_scenario_is_a_forecast_with_no_look_ahead():
    """As of the eve of the memorandum: every cited fact was public by then,
    no event lies after it, and no option is named only by the final deal."""
    scenario = load_scenario(DEFAULT)
    assert scenario.as_of == dt.date(2025, 9, 10)
    facts = load_facts(ROOT / "data" / "facts.yaml")
    late = {(key, fid) for key, ids in scenario.citations.items() for fid in ids
            if facts[fid].public_on > scenario.as_of}
    assert not late
    options = {str(o) for c in scenario.clauses for o in c.options}
    assert not options & DEAL_ONLY_OPTIONS
    # where the real term is not an option, the real deal file names the option standing for it
    assert scenario_truth(scenario).by_clause["agi_clause"] == "external_test"
    assert scenario_truth(load_scenario(HINDSIGHT)).by_clause["agi_clause"] == "expert_panel_verifies"
    # the hindsight version, written knowing the outcome, would not pass
    with pytest.raises(InputError, match="as_of"):
        load_scenario(HINDSIGHT, sets=["as_of=2025-09-10"])


def test_the_log_shows_both_stages_and_the_ratifiers():
    # the hindsight scenario (no cost of delay) reaches a ratified deal whatever the forecast's costs of delay
    hindsight = run(path=HINDSIGHT)
    records = [json.loads(line) for line in simulate(load_scenario(HINDSIGHT)).log_text.splitlines()]
    stages = [r["stage"] for r in records if r["type"] == "agreement"]
    assert stages[0] == "tentative" and stages[-1] == "definitive"
    decisions = {r["party"] for r in records if r["type"] == "ratification" and r["decision"] == "approve"}
    assert decisions == {"delaware_ag", "california_ag", "antitrust"}
    kinds = {r["kind"] for r in records if r["type"] == "event"}
    assert {"investor", "outside_option", "review_open"} <= kinds
    last_ratification = max(r["date"] for r in records if r["type"] == "ratification")
    assert hindsight["agreement_date"] == last_ratification  # dated by the last approval


# -- the drivers the sources name, each through a scenario users can run ------

def test_without_softbanks_condition_the_deal_comes_no_earlier(baseline):
    # a soft deadline only adds pressure: removing it cannot bring the deal forward
    counterfactual = run("no_softbank_deadline")
    assert counterfactual["agreement_date"] is None or counterfactual["agreement_date"] >= baseline["agreement_date"]


def test_without_rival_clouds_openai_is_no_closer_to_removing_the_rofr():
    rank = ["removed", "kept"]  # on the hindsight scenario, whose runs agree whatever the forecast's costs
    without = run("no_rival_clouds", path=HINDSIGHT)["outcome"]["compute_rofr"]
    assert rank.index(without) >= rank.index(run(path=HINDSIGHT)["outcome"]["compute_rofr"])


def test_without_the_attorneys_general_the_foundation_keeps_less():
    # the forecast has no Foundation clause (no figure was public before the memorandum): the hindsight one does
    with_ags = run(path=HINDSIGHT)["outcome"]["foundation_stake"]
    assert run("no_attorneys_general", path=HINDSIGHT)["outcome"]["foundation_stake"] < with_ags


def test_a_weaker_microsoft_batna_gives_it_a_worse_deal():
    # on the hindsight scenario, whose runs agree whatever the forecast's costs of delay
    baseline = run(path=HINDSIGHT)
    weaker = run("weaker_microsoft_batna", path=HINDSIGHT)
    assert weaker["utilities"]["microsoft"] < baseline["utilities"]["microsoft"]
    # the same lever through --set alone, without the overlay
    assert run(sets=["parties.microsoft.reservation=0.3"], path=HINDSIGHT)["utilities"]["microsoft"] \
        < baseline["utilities"]["microsoft"]


def test_a_veto_sends_the_bargainers_back_with_the_failed_condition():
    scenario = load_scenario(HINDSIGHT, sets=["parties.delaware_ag.requires.foundation_stake=>= 0.29",
                                              "parties.delaware_ag.public=null"])  # not public: learned from a veto
    records = [json.loads(line) for line in simulate(scenario).log_text.splitlines()]
    vetoes = [r for r in records if r["type"] == "ratification" and r["decision"] == "veto"]
    assert vetoes and vetoes[0]["party"] == "delaware_ag" and "foundation_stake" in vetoes[0]["condition"]
    back = [r for r in records if r["type"] == "event" and r["kind"] == "back_to_table"]
    offers_after = [r for r in records if r["type"] == "offer" and r["date"] >= back[0]["date"]]
    assert offers_after and all(o["outcome"]["foundation_stake"] >= 0.29 for o in offers_after)


# -- sources ------------------------------------------------------------------

def _numbers(node, path=()):
    """(path, value) of every number or date in a raw YAML tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "because":
                yield from _numbers(value, path + (str(key),))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _numbers(value, path + (str(i),))
    elif isinstance(node, (int, float, dt.date)) and not isinstance(node, bool):
        yield path, node


def test_every_number_in_the_default_scenario_cites_a_fact():
    raw = load_yaml(DEFAULT)
    citations = load_scenario(DEFAULT).citations
    uncited = []
    for path, _ in _numbers(raw):
        if path[0] in ("seed", "as_of"):
            continue  # the seed and the cut-off are the analyst's choices, not claims about the world
        keys = [".".join(path[:n]) for n in range(len(path), 0, -1)]
        keys = [k.removesuffix(".value") for k in keys]
        if not any(citations.get(k) for k in keys if k not in ("parties", "clauses")):
            uncited.append(".".join(path))
    assert not uncited, uncited


def test_every_fact_resolves_to_a_source():
    facts = load_facts(ROOT / "data" / "facts.yaml")
    sources = yaml.safe_load((ROOT / "data" / "facts.yaml").read_text())["sources"]
    assert len(facts) >= 40
    for fact in facts.values():
        assert fact.sources and all(sources[s] for s in fact.sources)
    truth = yaml.safe_load((ROOT / "data" / "real_deal.yaml").read_text())
    cited = [f for clause in truth["clauses"].values() for f in clause["because"]]
    assert set(cited) <= set(facts)


# -- the comparison -------------------------------------------------------------

def test_distance_counts_steps_on_ordered_clauses_only():
    assert distance([0.2, 0.25, 0.3], True, 0.2, 0.3) == 2
    assert distance(["a", "b", "c"], False, "a", "c") == 1
    truth = Truth("t", (("x", 0.3), ("y", "b")), dt.date(2025, 9, 11), dt.date(2025, 10, 28))
    c = compare({"x": 0.3, "y": "a"}, "2025-09-01", "2025-11-07", {"x": [0.2, 0.3], "y": ["a", "b"]}, ["x"], truth)
    assert c["matched"] == 1 and c["total"] == 2
    assert c["days_off_tentative"] == -10 and c["days_off_definitive"] == 10
    assert c["score"] == pytest.approx(0.8 * 0.5 + 0.2 * (1 - 10 / 365), abs=1e-6)
    none = compare(None, None, None, {"x": [0.2, 0.3]}, ["x"], truth)
    assert none["score"] == 0 and none["days_off_definitive"] is None


def test_compare_command_reads_a_run_folder(cli, tmp_path):
    out = tmp_path / "run"
    ran = cli("run", "--out", out)
    assert ran.exit_code == 0 and "best one-line baseline" in ran.output
    result = cli("compare", out)
    assert result.exit_code == 0 and "agi_clause" in result.output and "score" in result.output
    assert json.loads((out / "summary.json").read_text())["comparison"]["total"] == len(load_scenario(DEFAULT).clauses)


# -- bad input ------------------------------------------------------------------

def _default_with(tmp_path, change):
    raw = load_yaml(DEFAULT)
    raw["facts"] = str(ROOT / "data" / "facts.yaml")
    raw["truth"] = str(ROOT / "data" / "real_deal.yaml")
    change(raw)
    return write_yaml(tmp_path / "scenario.yaml", raw)


@pytest.mark.parametrize("change, key", [
    (lambda r: r["parties"]["delaware_ag"].setdefault("requires", {}).update({"board_seats": ">= 3"}),
     "parties.delaware_ag.requires.board_seats"),
    (lambda r: r["parties"]["oracle"].update({"on": "2026-03-01"}), "parties.oracle.on"),
    (lambda r: r["parties"]["microsoft"]["weights"]["agi_clause"].update({"because": ["F999"]}),
     "parties.microsoft.weights.agi_clause.because"),
    (lambda r: r["parties"]["softbank"].update({"backs": "anthropic"}), "parties.softbank.backs"),
])
def test_bad_real_party_input_names_file_and_key(cli, tmp_path, change, key):
    path = _default_with(tmp_path, change)
    result = cli("validate", path)
    assert result.exit_code == 2 and str(path) in result.output and key in result.output
    assert "Traceback" not in result.output


def test_a_real_deal_naming_an_unknown_option_is_refused(cli, tmp_path):
    truth = yaml.safe_load((ROOT / "data" / "real_deal.yaml").read_text())
    truth["clauses"]["agi_clause"]["option"] = "coin_toss"
    truth["clauses"]["agi_clause"].pop("represented_by", None)
    bad = write_yaml(tmp_path / "real_deal.yaml", truth)
    path = _default_with(tmp_path, lambda r: r.update({"truth": str(bad)}))
    result = cli("run", path, "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and str(bad) in result.output and "clauses.agi_clause.option" in result.output
    assert not (tmp_path / "runs").exists()
    out = tmp_path / "ok"
    assert cli("run", "--out", out).exit_code == 0
    result = cli("compare", out, "--truth", bad)
    assert result.exit_code == 2 and "coin_toss" in result.output


def test_an_investor_tranche_adds_pressure_on_its_date(small):
    small["calendar"]["deadline"] = "2025-12-31"
    for party in small["parties"].values():
        party["strategy"] = {"name": "hardliner"}  # no deal: every event fires
    small["parties"]["fund"] = {
        "role": "investor", "backs": "buyer", "commits_on": "2025-02-01", "condition_date": "2025-06-30",
        "effect": {"reservation": -0.1},
        "tranches": [{"on": "2025-03-03", "amount_usd_bn": 5, "effect": {"reservation": 0.05}}],
    }
    from negotiation.scenarios.load import build_scenario

    records = [json.loads(line) for line in simulate(build_scenario(small)).log_text.splitlines()]
    steps = [r for r in records if r["type"] == "event" and r["party"] == "fund"]
    assert [r["date"] for r in steps] == ["2025-02-01", "2025-03-03", "2025-07-01"]
    assert steps[0]["changes"]["buyer"]["reservation"] == [0.3, 0.2]
    assert steps[1]["changes"]["buyer"]["reservation"] == [0.2, 0.25]  # pressure withdrawn in part
    offers = [r for r in records if r["type"] == "offer"]
    assert {o["reservations"]["buyer"] for o in offers if "2025-03-03" <= o["date"] <= "2025-06-30"} == {0.25}
    # the condition is missed: the money is withdrawn the next day (its effects reversed) and the talks go on
    assert [r["kind"] for r in steps] == ["investor", "investor", "condition_missed"]
    assert steps[2]["date"] == "2025-07-01" and steps[2]["changes"]["buyer"]["reservation"] == [0.25, 0.3]
    assert any(o["date"] > "2025-07-01" for o in offers)
    assert records[-1]["result"] == "deadline"
