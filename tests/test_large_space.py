"""Outcome spaces above the enumeration limit: bargainers search clause by
clause, runs are logged like any other, and what cannot be searched is
refused up front."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from negotiation.domain import clausewise, outcomes
from negotiation.domain.preferences import allowed, utility
from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import build_scenario, load_scenario

from .conftest import ROOT, write_yaml

LARGE = ROOT / "configs" / "large_contract.yaml"


def test_the_shipped_10_to_the_12_contract_negotiates_to_an_agreement(cli, tmp_path: Path) -> None:
    result = cli("run", LARGE, "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["result"] == "agreement"
    scenario = load_scenario(LARGE)
    assert scenario.space.size == 4**20 > outcomes.ENUMERATION_LIMIT
    records = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()]
    offers = [r for r in records if r["type"] == "offer"]
    assert offers and all(r["utilities"][r["from"]] >= r["reservations"][r["from"]] - 1e-6 for r in offers)
    buyer = next(p for p in scenario.parties if p.name == "buyer")
    ok = clausewise.clause_allowed(buyer.preferences, scenario.space)
    for r in offers:  # the buyer never offers or agrees to a contract its constraints rule out
        if r["from"] == "buyer":
            options = [c.index(r["outcome"][c.name]) for c in scenario.clauses]
            assert all(mask[o] for mask, o in zip(ok, options))


def test_a_large_run_is_reproducible_byte_for_byte() -> None:
    scenario = load_scenario(LARGE)
    assert simulate(scenario, 5).log_text == simulate(scenario, 5).log_text


def test_more_than_two_bargainers_above_the_limit_are_refused_naming_the_fix(cli, tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(LARGE.read_text())
    data["parties"]["broker"] = copy.deepcopy(data["parties"]["supplier"])
    result = cli("validate", write_yaml(tmp_path / "three.yaml", data))
    assert result.exit_code == 2
    assert "two bargainers expected" in result.stderr and "clauses" in result.stderr


@pytest.mark.parametrize("models", [("known", "known"), ("known", "frequency"), ("frequency", "frequency")])
def test_searched_offers_are_pareto_optimal_for_a_known_opponent(small: dict[str, Any], models,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """On a space small enough to check exhaustively (the limit lowered for
    the test), an offer made knowing the opponent is on the two parties'
    Pareto frontier over the outcomes both allow; every offer is worth at
    least the proposer's reservation value."""
    monkeypatch.setattr(outcomes, "ENUMERATION_LIMIT", 10)
    small["parties"]["seller"]["constraints"] = {"price": ">= 20"}
    for party, model in zip(small["parties"].values(), models):
        party["strategy"]["opponent_model"] = model
    scenario = build_scenario(small)
    run = simulate(scenario)
    assert run.model is not None
    bargainers = run.model.bargainers
    assert isinstance(run.model.outcomes, clausewise.Clausewise)  # the space searched clause by clause
    assert all(isinstance(b.position, clausewise.ClausewisePosition) for b in bargainers)
    space = scenario.space
    U = {p.name: utility(p.preferences, space) for p in scenario.bargainers}
    ok = np.logical_and.reduce([allowed(p.preferences, space) for p in scenario.bargainers])
    records = [json.loads(line) for line in run.log_text.splitlines()]
    offers = [r for r in records if r["type"] == "offer"]
    assert offers
    for r in offers:
        proposer = r["from"]
        other = next(n for n in U if n != proposer)
        offer = space.from_dict(r["outcome"])
        assert U[proposer][offer] >= r["reservations"][proposer] - 1e-6
        if dict(zip(small["parties"], models))[proposer] == "known" and ok[offer]:
            better = ok & (U[proposer] >= U[proposer][offer]) & (U[other] > U[other][offer] + 1e-12)
            assert not better.any()


def test_analysis_of_a_large_space_agrees_with_the_exhaustive_one(small: dict[str, Any],
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The same scenario analysed exhaustively, then clause by clause (the
    limit lowered for the test), through the one interface: same frontier
    utilities, same points' utilities."""
    from negotiation.reports.analysis.report import analyse_scenario

    small["parties"]["seller"]["constraints"] = {"price": ">= 20"}
    small["parties"]["regulator"] = {"role": "ratifier", "requires": {"warranty": "!= none"}, "review": 7}
    exhaustive = analyse_scenario(build_scenario(small)).result
    monkeypatch.setattr(outcomes, "ENUMERATION_LIMIT", 10)
    large = analyse_scenario(build_scenario(small)).result
    assert exhaustive.exhaustive is not None and large.exhaustive is None and large.searched
    pairs = {tuple(u) for u in exhaustive.frontier}
    assert {tuple(u) for u in large.frontier} == pairs
    assert [tuple(large.utilities[i]) for i in large.pareto] == [tuple(u) for u in large.frontier]
    for name, index in exhaustive.points.items():
        outcome = large.points[name]
        assert (index is None) == (outcome is None)
        if index is not None:
            assert tuple(large.utilities[outcome]) == tuple(exhaustive.utilities[index])


def test_analyze_prints_the_points_of_the_large_contract_and_places_a_run(cli, tmp_path: Path) -> None:
    run = tmp_path / "run"
    assert cli("run", LARGE, "--no-png", "--out", run).exit_code == 0
    result = cli("analyze", LARGE, "--json", tmp_path / "a.json", "--run", run)
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "a.json").read_text())
    assert data["outcomes"] == 4**20 and data["nash"] is not None and data["pareto"]
    nash = data["nash"]["utilities"]
    assert all(nash[p] >= data["reservations"][p] for p in data["parties"])
    summary = json.loads((run / "summary.json").read_text())
    assert data["run"]["utilities"] == pytest.approx(summary["utilities"], abs=1e-6)
    assert data["run"]["distances"]["frontier"] >= 0 and not (run / "frontier.png").exists()  # no PNG of 10^12


def test_a_large_negotiation_allocates_no_array_over_the_outcomes() -> None:
    """What bench reports: one negotiation of 10^12 outcomes stays within
    megabytes (an array of its utilities would need 8 TB)."""
    from negotiation.cli.experiments import load_benchmarks

    bench_more = load_benchmarks().bench_more

    figures = {"large_space": bench_more.large_space(ROOT / "configs" / "openai_microsoft_2025.yaml", 1)}
    large = figures["large_space"]
    assert large["status"] == "ok" and large["result"] == "agreement" and large["outcomes"] == 4**20
    assert large["peak_bytes"] < 64 * 1024**2
    assert any(what.startswith("large space") for what, _, _ in bench_more.rows(figures))
