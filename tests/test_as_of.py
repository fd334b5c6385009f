"""Dated facts and the information cut-off: a scenario ``as_of`` a day may
rest only on what was public by then."""

from __future__ import annotations

import copy

import yaml

from negotiation.inputs.sources import load_facts

from .conftest import ROOT, SMALL, write_yaml

FACTS = ROOT / "data" / "facts.yaml"


def _scenario(tmp_path, change, as_of="2025-09-10"):
    """The small scenario citing the real facts, with an outside offer to date."""
    raw = copy.deepcopy(SMALL)
    raw["facts"] = str(FACTS)
    raw["as_of"] = as_of
    raw["calendar"]["deadline"] = "2025-12-31"
    raw["parties"]["buyer"]["weights"] = {"price": {"value": 0.5, "because": ["F08"]}, "delivery": 0.3,
                                          "warranty": 0.2}
    raw["parties"]["rival"] = {"role": "outside_option", "offers_to": "buyer",
                               "on": {"value": "2025-06-10", "because": ["F36"]}, "effect": {"reservation": 0.05}}
    change(raw)
    return write_yaml(tmp_path / "scenario.yaml", raw)


def test_every_fact_says_when_it_became_public():
    facts = load_facts(FACTS)
    assert all(f.public_on is not None for f in facts.values())
    outcome = ("F45", "F46", "F47", "F48", "F49", "F50", "F51", "F52", "F53", "F54", "F55", "F56", "F57")
    mou = min(facts[f].public_on for f in outcome)
    assert mou.isoformat() == "2025-09-11"  # the deal's facts are all public from the memorandum on


def test_validate_refuses_a_citation_of_an_outcome_fact_made_before_it(cli, tmp_path):
    key = "parties.buyer.weights.delivery"
    path = _scenario(tmp_path, lambda r: r["parties"]["buyer"]["weights"].update(
        {"delivery": {"value": 0.3, "because": ["F08", "F49"]}}))
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert str(path) in result.output and f"{key}.because" in result.output and "F49" in result.output
    assert "2025-10-28" in result.output


def test_the_same_citation_is_fine_once_the_fact_is_public(cli, tmp_path):
    def change(raw):
        raw["parties"]["buyer"]["weights"]["delivery"] = {"value": 0.3, "because": ["F49"]}
        raw["parties"]["rival"]["on"] = {"value": "2025-11-03", "because": ["F38"]}
    assert cli("validate", _scenario(tmp_path, change, as_of="2026-06-01")).exit_code == 0


def test_a_dated_event_after_as_of_is_refused(cli, tmp_path):
    def change(raw):  # cite only an early fact, so the event date is what fails
        raw["parties"]["rival"]["on"] = {"value": "2025-10-01", "because": ["F33"]}
    path = _scenario(tmp_path, change, as_of="2025-09-20")
    result = cli("validate", path)
    assert result.exit_code == 2 and "parties.rival.on" in result.output and "2025-10-01" in result.output


def test_every_command_loading_a_scenario_applies_the_cut_off(cli, tmp_path):
    path = _scenario(tmp_path, lambda r: None, as_of="2024-01-01")
    for args in (("run", path, "--runs-dir", tmp_path / "runs"), ("analyze", path, "--no-png"),
                 ("montecarlo", path, "--runs", "2", "--runs-dir", tmp_path / "runs")):
        result = cli(*args)
        assert result.exit_code == 2 and "as_of (2024-01-01)" in result.output, args
    assert not (tmp_path / "runs").exists()


def test_a_fact_without_public_on_is_refused(cli, tmp_path):
    facts = yaml.safe_load(FACTS.read_text())
    del facts["facts"][0]["public_on"]
    bad = write_yaml(tmp_path / "facts.yaml", facts)
    path = _scenario(tmp_path, lambda r: r.update({"facts": str(bad)}))
    result = cli("validate", path)
    assert result.exit_code == 2 and "facts.0.public_on" in result.output


def test_an_investor_s_later_step_after_as_of_is_refused_at_its_key(cli, tmp_path):
    """An investor declares its commitment and each later step as dated
    events; its condition date, known in advance, may lie after the cut-off."""
    def change(raw):
        raw["parties"]["fund"] = {"role": "investor", "backs": "buyer", "commits_on": "2025-06-01",
                                  "condition_date": "2025-12-01", "effect": {"reservation": -0.05},
                                  "tranches": [{"on": "2025-07-01", "effect": {"reservation": -0.05}},
                                               {"on": "2025-10-01", "effect": {"reservation": -0.05}}]}
    late = cli("validate", _scenario(tmp_path, change, as_of="2025-09-20"))
    assert late.exit_code == 2 and "parties.fund.tranches.1.on" in late.output and "2025-10-01" in late.output
    assert cli("validate", _scenario(tmp_path, change, as_of="2025-10-01")).exit_code == 0
