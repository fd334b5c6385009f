"""A tactic of one's own: registered from Python (or an installed entry
point), named in YAML like a built-in one, checked the same way, played in
worker processes; README's example runs as written."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import ClassVar

import pytest

import negotiation
from negotiation.domain.registry import REGISTERED
from negotiation.errors import InputError

from .conftest import ROOT, TEXTBOOK, write_yaml


@dataclass(frozen=True)
class Stubborn(negotiation.Tactic):
    """Asks its best outcome until `until`, then only its reservation value."""

    name: ClassVar[str] = "stubborn_test"
    until: float = negotiation.param(0.8, lo=0.0, hi=1.0)

    def target(self, view: negotiation.View) -> float:
        return view.best if view.t < self.until else view.reservation


def employer_plays(strategy: dict) -> dict:
    return {"parties.employer.strategy": strategy}


def test_a_registered_tactic_is_named_in_yaml_and_played():
    negotiation.register_tactic(Stubborn)
    scenario = negotiation.load_scenario(TEXTBOOK, sets=employer_plays({"name": "stubborn_test", "until": 0.5}))
    spec = scenario.party("employer").strategy
    assert spec.name == "stubborn_test" and dict(spec.params) == {"until": 0.5}
    run = negotiation.simulate(scenario, seed=1)
    assert run.records[0]["parties"][0]["strategy"] == "stubborn_test"
    u = [r["utilities"]["employer"] for r in run.records if r["type"] == "offer" and r["from"] == "employer"]
    # it holds at its best outcome, then (after `until`) asks only its reservation value: never in between
    assert u[0] == max(u) and all(x == u[0] or x <= u[0] for x in u)
    again = negotiation.simulate(scenario, seed=1)
    assert again.log_text == run.log_text  # deterministic for a seed


def test_its_parameters_are_checked_like_a_built_in_tactics(tmp_path, small, cli):
    negotiation.register_tactic(Stubborn)
    with pytest.raises(InputError) as err:
        negotiation.load_scenario(TEXTBOOK, sets=employer_plays({"name": "stubborn_test", "until": 1.5}))
    assert err.value.key == "parties.employer.strategy.until" and "≤ 1" in err.value.expected
    with pytest.raises(InputError) as err:
        negotiation.load_scenario(TEXTBOOK, sets=employer_plays({"name": "stubborn_test", "e": 0.3}))
    assert err.value.key == "parties.employer.strategy.e" and "unknown key" in err.value.expected
    small["parties"]["buyer"]["strategy"] = {"name": "stubborn_test", "acceptance": [{"name": "ac_time", "T": 2}]}
    result = cli("validate", write_yaml(tmp_path / "s.yaml", small))  # the CLI in the registering process
    assert result.exit_code == 2
    assert "parties.buyer.strategy.acceptance.0.T" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_name_lists_the_registered_ones_too():
    negotiation.register_tactic(Stubborn)
    with pytest.raises(InputError) as err:
        negotiation.load_scenario(TEXTBOOK, sets=employer_plays({"name": "stubborn_tset"}))
    assert err.value.key == "parties.employer.strategy.name"
    assert "stubborn_test" in err.value.expected and "boulware" in err.value.expected
    negotiation.unregister_tactic("stubborn_test")
    with pytest.raises(InputError):
        negotiation.load_scenario(TEXTBOOK, sets=employer_plays({"name": "stubborn_test"}))


def test_the_json_schema_lists_the_built_in_tactics_only():
    from negotiation.scenarios.models import schema_text

    before = schema_text()
    negotiation.register_tactic(Stubborn)
    assert schema_text() == before and "stubborn_test" not in before
    assert (ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8") == before


def test_the_protocol_is_enforced():
    with pytest.raises(ValueError, match="built-in"):
        @negotiation.register_tactic
        @dataclass(frozen=True)
        class Boulware(negotiation.Tactic):
            name: ClassVar[str] = "boulware"

            def target(self, view):
                return view.best

    class NotFrozen(negotiation.Tactic):  # not a dataclass of its own (Python refuses a non-frozen one)
        name: ClassVar[str] = "not_frozen"

        def target(self, view):
            return view.best

    @dataclass(frozen=True)
    class Untyped(negotiation.Tactic):
        name: ClassVar[str] = "untyped"
        x: float = 0.5  # not declared with param(): no range to check YAML against

        def target(self, view):
            return view.best

    @dataclass(frozen=True)
    class Aimless(negotiation.Tactic):
        name: ClassVar[str] = "aimless"

    @dataclass(frozen=True)
    class BadName(negotiation.Tactic):
        name: ClassVar[str] = "Bad Name"

        def target(self, view):
            return view.best

    for cls, error in ((NotFrozen, TypeError), (Untyped, TypeError), (Aimless, TypeError), (BadName, ValueError),
                       (object, TypeError), ("stubborn", TypeError)):
        with pytest.raises(error):
            negotiation.register_tactic(cls)
    assert not {"not_frozen", "untyped", "aimless"} & set(REGISTERED)
    with pytest.raises(ValueError):
        negotiation.unregister_tactic("boulware")


def test_an_installed_entry_point_is_loaded_when_named(tmp_path, monkeypatch):
    """``[project.entry-points."negotiation.tactics"]`` of an installed package: a dist-info on sys.path."""
    (tmp_path / "mytactics.py").write_text(
        "from dataclasses import dataclass\nfrom typing import ClassVar\nimport negotiation\n\n"
        "@dataclass(frozen=True)\nclass Patient(negotiation.Tactic):\n"
        "    name: ClassVar[str] = 'patient'\n    start: float = negotiation.param(0.9, lo=0.0, hi=1.0)\n\n"
        "    def target(self, view):\n        return max(view.reservation, self.start * view.best)\n")
    info = tmp_path / "mytactics-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mytactics\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[negotiation.tactics]\npatient = mytactics:Patient\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "mytactics", raising=False)
    assert "patient" not in REGISTERED
    scenario = negotiation.load_scenario(TEXTBOOK, sets=employer_plays({"name": "patient", "start": 0.95}))
    assert scenario.party("employer").strategy.name == "patient" and "patient" in REGISTERED
    assert negotiation.simulate(scenario, seed=2).records[0]["parties"][0]["strategy"] == "patient"


def test_a_notebook_class_plays_in_worker_processes():
    """Worker processes start without the registration (and cannot import a
    notebook's class): the runs carry it, so processes give the rows in-process gives."""
    negotiation.register_tactic(Stubborn)
    kwargs = dict(runs=3, noise=0.1, sets=employer_plays({"name": "stubborn_test", "until": 0.4}))
    here = negotiation.montecarlo(TEXTBOOK, executor="inprocess", **kwargs)
    there = negotiation.montecarlo(TEXTBOOK, executor="processes", workers=2, **kwargs)
    assert here.equals(there)


def readme_tactic_block() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M) if "register_tactic(" in b]
    assert len(blocks) == 1, "README has one example registering a tactic"
    return blocks[0]


def test_readme_tactic_example_runs_as_written(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    namespace: dict = {"__name__": "readme"}
    exec(compile(readme_tactic_block(), "README.md", "exec", dont_inherit=True), namespace)  # noqa: S102
    printed = capsys.readouterr().out
    assert "stubborn" in REGISTERED
    ranking = namespace["ranked"].ranking
    assert set(ranking["tactic"]) == {"stubborn:until=0.6", "boulware", "conceder"}
    assert set(ranking["role"]) == {"employer", "candidate"} and "stubborn:until=0.6" in printed


def test_a_tactic_that_only_proposes_is_refused_where_only_targets_are_used():
    """Over a space too large to enumerate the search is clause by clause and
    calls ``target`` alone: a tactic without one is refused, naming the key."""

    @dataclass(frozen=True)
    class FirstOutcome(negotiation.Tactic):
        name: ClassVar[str] = "first_outcome"

        def propose(self, view, opponent_score, rng):
            return 0

    negotiation.register_tactic(FirstOutcome)
    large = ROOT / "configs" / "large_contract.yaml"
    first = negotiation.load_scenario(large).bargainers[0].name
    scenario = negotiation.load_scenario(large, sets={f"parties.{first}.strategy": {"name": "first_outcome"}})
    with pytest.raises(InputError) as err:
        negotiation.simulate(scenario, seed=1)
    assert err.value.key == f"parties.{first}.strategy.name" and "target" in err.value.expected
