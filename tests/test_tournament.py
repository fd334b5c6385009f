"""`negotiation tournament`: every pairing of tactics over the bargainers ×
seeds, ranked per role with bootstrap intervals and a paired test; the same
files whatever the executor; bad input is one line naming the option."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

import negotiation
from negotiation.experiments.ranking import COLUMNS, bootstrap
from negotiation.experiments.tournament import tournament as design
from negotiation.scenarios.load import load_scenario

from .conftest import TEXTBOOK, write_yaml

TWO = "boulware,conceder"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_pairing_on_the_same_seeds_and_the_ranking_files(cli, tmp_path):
    out = tmp_path / "t"
    result = cli("tournament", TEXTBOOK, "--tactics", TWO, "--runs", "3", "--executor", "inprocess", "--out", out)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"ranking.csv", "ranking.png", "results.csv", "summary.json"}
    assert not (out / ".negotiation-incomplete").exists()
    runs = rows(out / "results.csv")
    pairings = {(r["tactic.employer"], r["tactic.candidate"]) for r in runs}
    assert pairings == {(a, b) for a in ("boulware", "conceder") for b in ("boulware", "conceder")}
    seeds = {p: sorted(r["seed"] for r in runs if (r["tactic.employer"], r["tactic.candidate"]) == p) for p in pairings}
    assert len(runs) == 12 and len({tuple(s) for s in seeds.values()}) == 1  # common random numbers
    ranking = rows(out / "ranking.csv")
    assert list(ranking[0]) == COLUMNS and len(ranking) == 4
    for entry in ranking:
        mine = [r for r in runs if r[f"tactic.{entry['role']}"] == entry["tactic"]]
        assert int(entry["runs"]) == len(mine) == 6 and int(entry["seeds"]) == 3
        assert float(entry["agreement"]) == pytest.approx(sum(r["result"] == "agreement" for r in mine) / 6)
        assert float(entry["utility_lo"]) <= float(entry["utility"]) <= float(entry["utility_hi"])
    for role in ("employer", "candidate"):
        mine = [e for e in ranking if e["role"] == role]
        assert [e["rank"] for e in mine] == ["1", "2"]
        assert float(mine[0]["utility"]) >= float(mine[1]["utility"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["kind"] == "tournament" and summary["tactics"] == ["boulware", "conceder"]
    assert set(summary["tests"]) == {"employer", "candidate"}
    assert summary["tests"]["employer"]["method"] == "paired bootstrap over seeds"
    assert "employer" in result.output and "paired bootstrap" in result.output
    assert all(len(line) <= 80 for line in result.output.splitlines() if "experiment folder" not in line)


def test_the_files_are_the_same_whatever_the_executor(cli, tmp_path):
    args = ("tournament", TEXTBOOK, "--tactics", "hardliner,linear", "--runs", "4", "--seed", "11")
    assert cli(*args, "--executor", "inprocess", "--out", tmp_path / "a").exit_code == 0
    assert cli(*args, "--executor", "processes", "--workers", "2", "--out", tmp_path / "b").exit_code == 0
    for name in ("results.csv", "ranking.csv", "summary.json", "ranking.png"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_same_tactic_under_two_names_ties(tmp_path):
    """``linear`` is ``time_dependent`` with e = 1: every seed gives both the
    same utility, so the paired test finds a difference of exactly 0."""
    t = negotiation.tournament(TEXTBOOK, "linear,time_dependent:e=1", runs=4, executor="inprocess")
    for role, test in t.summary["tests"].items():
        assert test["mean_difference"] == 0 and test["p_value"] == 1 and test["significant"] is False
        a, b = t.ranking[t.ranking["role"] == role]["utility"]
        assert a == b


def test_a_hardliner_facing_a_hardliner_gets_its_reservation_value(small, tmp_path):
    """Two hardliners never move, and the small scenario's parties want
    opposite things: no deal, each at its reservation value, advantage 0."""
    path = write_yaml(tmp_path / "small.yaml", small)
    with pytest.warns(UserWarning, match="runs of each pairing differ only by seed"):
        t = negotiation.tournament(path, "hardliner,conceder", runs=3, noise=0.0, executor="inprocess")
    both = t.runs[(t.runs["tactic.buyer"] == "hardliner") & (t.runs["tactic.seller"] == "hardliner")]
    assert len(both) == 3 and (both["result"] != "agreement").all()
    assert (both["advantage.buyer"] == 0).all() and (both["advantage.seller"] == 0).all()
    cells = {tuple(c["tactics"].values()): c["agreement_rate"] for c in t.summary["cells"]}
    assert cells[("hardliner", "hardliner")] == 0


def test_acceptance_and_opponent_model_are_kept_the_tactic_replaced():
    exp = design(load_scenario(TEXTBOOK), "hardliner,linear", runs=1)
    base = exp.scenario.party("candidate").strategy
    for scenario in exp.scenarios:
        spec = scenario.party("candidate").strategy
        assert spec.name in ("hardliner", "linear")
        assert spec.acceptance == base.acceptance and spec.opponent_model == base.opponent_model
    assert len(exp.variants) == 4


def test_bootstrap_interval_of_a_constant_is_the_constant():
    lo, hi = bootstrap(np.full(7, 0.4), np.random.default_rng(0))
    assert lo == pytest.approx(0.4) and hi == pytest.approx(0.4)


@pytest.mark.parametrize("tactics, named", [
    ("boulware,nosuch", "nosuch"),
    ("boulware,conceder:e", "conceder:e"),
    ("boulware,conceder:e=abc", "conceder:e=abc"),
    ("boulware,conceder:e=0.5", "conceder:e=0.5"),  # conceder's e is ≥ 1
    ("boulware,linear:k=0.1:k=0.2", "linear:k=0.1:k=0.2"),
    ("boulware,boulware", "boulware"),
    ("boulware", "boulware"),
    ("boulware,hardliner:e=0.3", "hardliner:e=0.3"),
])
def test_bad_tactics_exit_2_naming_the_option(cli, tmp_path, tactics, named):
    result = cli("tournament", TEXTBOOK, "--tactics", tactics, "--runs", "2", "--executor", "inprocess",
                 "--runs-dir", tmp_path)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--tactics" in result.stderr and named in result.stderr
    assert "Traceback" not in result.output and not list(tmp_path.iterdir())


def test_an_output_folder_that_is_not_empty_is_refused(cli, tmp_path):
    out = tmp_path / "t"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    result = cli("tournament", TEXTBOOK, "--tactics", TWO, "--runs", "2", "--out", out)
    assert result.exit_code == 2 and "--out" in result.stderr and result.stderr.count("\n") == 1
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_a_scenario_with_one_bargainer_is_refused(cli, small, tmp_path):
    small["parties"]["seller"] = {"role": "ratifier", "requires": {"price": ">= 20"}, "review": "7d"}
    path = write_yaml(tmp_path / "one.yaml", small)
    result = cli("tournament", path, "--tactics", TWO, "--runs", "2", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "parties" in result.stderr and "two" in result.stderr
    assert result.stderr.count("\n") == 1


def test_the_api_names_its_parameter():
    with pytest.raises(negotiation.errors.InputError) as err:
        negotiation.tournament(TEXTBOOK, "boulware,nosuch", runs=1, executor="inprocess")
    assert err.value.source == "tactics"


def test_names_from_someone_elses_file_are_shown_and_drawn_safely(cli, tmp_path):
    from .test_pictures import hostile_scenario

    out = tmp_path / "t"
    result = cli("tournament", hostile_scenario(tmp_path), "--tactics", TWO, "--runs", "2", "--executor",
                 "inprocess", "--out", out)
    assert result.exit_code == 0 and result.stderr == ""
    assert "\x1b[31m" not in result.stdout and (out / "ranking.png").stat().st_size > 0
