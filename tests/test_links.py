"""Links between clauses (a sum, an exclusion): no offer, answer or deal
breaks one, nor does a bargaining point; the masks against outcomes counted
by hand; bad links refused with the key path."""

from __future__ import annotations

import copy
import itertools
import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from negotiation.engine.simulate import simulate
from negotiation.experiments.perturb import perturb
from negotiation.scenarios.load import build_scenario
from negotiation.reports.analysis.report import analyse_scenario

from .conftest import SMALL, write_yaml

GRANTS = {"options": [0, 100, 200, 300]}
LOANS = {"options": [0, 100, 200, 300]}
LINKS = [{"sum": ["grants", "loans"], "equals": 300},
         {"exclude": {"delivery": "fast", "warranty": ["one_year", "two_years"]}}]


def linked(links=LINKS):
    raw = copy.deepcopy(SMALL)
    raw["clauses"].update({"grants": GRANTS, "loans": LOANS})
    raw["parties"]["buyer"]["weights"].update({"grants": 0.2, "loans": 0.1})
    raw["parties"]["buyer"]["values"].update({"grants": "decreasing", "loans": "increasing"})
    raw["parties"]["seller"]["weights"].update({"grants": 0.3, "loans": 0.1})
    raw["parties"]["seller"]["values"].update({"grants": "increasing", "loans": "decreasing"})
    raw["links"] = copy.deepcopy(links)
    return raw


def keeps_links(outcome):
    return outcome["grants"] + outcome["loans"] == 300 and not (
        outcome["delivery"] == "fast" and outcome["warranty"] in ("one_year", "two_years"))


def test_the_allowed_outcomes_are_those_counted_by_hand():
    scenario = build_scenario(linked())
    result = analyse_scenario(scenario).result
    mask, ruled_out = result.exhaustive.allowed, result.ruled_out
    space = scenario.space
    by_hand = sum(keeps_links(dict(zip(space.names, combo)))
                  for combo in itertools.product(*(c.options for c in scenario.clauses)))
    # price 4 × (delivery, warranty) 9 − 2 excluded = 7 × (grants, loans) adding to 300: 4
    assert int(mask.sum()) == by_hand == 4 * 7 * 4
    assert ruled_out["links"] == space.size - by_hand


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), noise=st.floats(0, 0.3))
def test_no_offer_nor_deal_breaks_a_link(seed, noise):
    scenario = perturb(build_scenario(linked()), noise, np.random.default_rng(seed))
    records = [json.loads(line) for line in simulate(scenario, seed=seed).log_text.splitlines()]
    offers = [r["outcome"] for r in records if r["type"] in ("offer", "agreement")]
    assert offers and all(keeps_links(o) for o in offers)
    assert records[0]["links"] == ["grants + loans == 300", "not both delivery in {fast} and warranty in "
                                                            "{one_year, two_years}"]


def test_an_at_most_link_changes_the_deal_and_the_nash_point(cli, tmp_path):
    free = simulate(build_scenario(linked([])), seed=3).summary["outcome"]
    capped = simulate(build_scenario(linked([{"sum": ["grants", "loans"], "at_most": 100}])), seed=3).summary
    assert free["grants"] + free["loans"] > 100  # without the cap, the deal asks for more
    assert capped["result"] == "agreement" and capped["outcome"]["grants"] + capped["outcome"]["loans"] <= 100
    result = cli("analyze", write_yaml(tmp_path / "s.yaml", linked([{"sum": ["grants", "loans"],
                                                                     "at_most": 100}])),
                 "--json", tmp_path / "a.json", "--no-png")
    assert result.exit_code == 0, result.output
    analysis = json.loads((tmp_path / "a.json").read_text())
    nash, pareto = analysis["nash"], analysis["pareto"]
    assert all(p["grants"] + p["loans"] <= 100 for p in pareto) and analysis["ruled_out"]["links"] > 0
    assert nash["grants"] + nash["loans"] <= 100


BAD = [
    ([{"sum": ["grants", "bonus"], "equals": 300}], "links.0.sum.1", "unknown clause"),
    ([{"sum": ["grants", "delivery"], "equals": 300}], "links.0.sum.1", "numeric options"),
    ([{"sum": ["grants", "loans"]}], "links.0", "one of equals, at_most, at_least"),
    ([{"sum": ["grants", "loans"], "equals": 900}], "links.0.equals", "0 to 600"),
    ([{"exclude": {"delivery": "fast", "warranty": "three_years"}}], "links.0.exclude.warranty",
     "an option of warranty"),
    ([{"exclude": {"delivery": "fast", "colour": "red"}}], "links.0.exclude.colour", "unknown clause"),
    ([{"exclude": {"delivery": "fast"}}], "links.0.exclude", "at least two clauses"),
    ([{"exclude": {"delivery": "fast", "warranty": "none"}, "equals": 3}], "links.0.equals", "no comparison"),
    ([LINKS[0], {"sum": ["grants", "loans"], "exclude": {"delivery": "fast"}}], "links.1", "either sum"),
]


@pytest.mark.parametrize("links,key,expected", BAD)
def test_a_bad_link_exits_2_naming_the_key(cli, tmp_path, links, key, expected):
    path = write_yaml(tmp_path / "bad.yaml", linked(links))
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}: {key}: " in result.output.replace("\n", "") and expected in result.output, result.output


def test_links_are_refused_on_a_space_searched_clause_by_clause(cli, tmp_path):
    from .conftest import ROOT

    import yaml

    raw = yaml.safe_load((ROOT / "configs" / "large_contract.yaml").read_text())
    raw["links"] = [{"exclude": {"escrow": "none", "renewal": "none"}}]
    result = cli("validate", write_yaml(tmp_path / "large.yaml", raw))
    assert result.exit_code == 2 and ": links: " in result.output.replace("\n", "")
    assert "at most 10,000,000 outcomes" in result.output
