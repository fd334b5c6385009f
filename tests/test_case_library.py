"""The case library (configs/cases/): every case is a forecast coded by the
codebook. Parametrised over the library, so a case added later is checked
the moment it is listed (or its folder exists)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from negotiation.api import load_scenario
from negotiation.inputs.codebook import collect_rules, load_codebook
from negotiation.inputs.config import load_yaml
from negotiation.inputs.sources import load_facts

from .conftest import DEFAULT, ROOT

LIBRARY = ROOT / "configs" / "cases"
CODEBOOK = (ROOT / "docs" / "codebook.md").resolve()


def listed() -> list[Path]:
    return [(LIBRARY / entry).resolve() for entry in load_yaml(LIBRARY / "library.yaml")["cases"]]


def folders() -> list[Path]:
    return sorted(p.resolve() for p in LIBRARY.glob("*/scenario.yaml"))


CASES = sorted(set(listed()) | set(folders()))


def _name(path: Path) -> str:
    return path.parent.name if path.name == "scenario.yaml" else path.stem


def test_the_library_lists_every_case_folder_and_only_existing_files():
    assert CASES, "the library is empty"
    assert set(folders()) <= set(listed()), "add the case folder's scenario.yaml to configs/cases/library.yaml"
    assert all(p.is_file() for p in listed())


@pytest.mark.parametrize("path", CASES, ids=_name)
def test_a_case_validates(cli, path):
    result = cli("validate", path)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("path", CASES, ids=_name)
def test_a_case_is_a_forecast_citing_only_facts_public_by_its_as_of(path):
    scenario = load_scenario(path)
    assert scenario.as_of is not None and scenario.resolved.get("facts") and scenario.resolved.get("truth")
    facts = load_facts(Path(scenario.resolved["facts"]))
    cited = {fid for ids in scenario.citations.values() for fid in ids}
    assert cited, "a case cites its facts"
    late = sorted(f for f in cited if facts[f].public_on is None or facts[f].public_on > scenario.as_of)
    assert late == []


@pytest.mark.parametrize("path", CASES, ids=_name)
def test_a_case_names_the_codebook_and_cites_only_its_rules(path):
    scenario = load_scenario(path)
    assert Path(scenario.resolved["codebook"]).resolve() == CODEBOOK
    rules = {r for ids in collect_rules(scenario.resolved).values() for r in ids}
    assert rules and rules <= load_codebook(CODEBOOK).rules


@pytest.mark.parametrize("path", CASES, ids=_name)
def test_every_clause_marks_its_status_quo(path):
    scenario = load_scenario(path)
    assert [c.name for c in scenario.clauses if c.status_quo is None] == []


@pytest.mark.parametrize("path", CASES, ids=_name)
def test_every_number_and_date_cites_a_rule(path):
    """Codebook: every number of a case names the rule that made it, on the
    number itself or on a mapping that holds it."""
    raw = load_yaml(path)
    bare = []

    def walk(node, where, ruled):
        if isinstance(node, dict):
            ruled = ruled or "rule" in node
            for key, value in node.items():
                if key not in ("rule", "because"):
                    walk(value, f"{where}.{key}" if where else str(key), ruled)
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{where}.{i}", ruled)
        elif isinstance(node, (int, float, dt.date)) and not isinstance(node, bool) and not ruled:
            bare.append(where)

    walk({k: raw[k] for k in ("as_of", "calendar", "clauses", "parties") if k in raw}, "", False)
    assert bare == []


@pytest.mark.parametrize("path", [p for p in CASES if p.name == "scenario.yaml"], ids=_name)
def test_a_case_folder_holds_its_files(path):
    folder = path.parent
    assert {"scenario.yaml", "facts.yaml", "truth.yaml", "README.md"} <= {p.name for p in folder.iterdir()}
    scenario = load_scenario(path)
    assert Path(scenario.resolved["facts"]) == (folder / "facts.yaml").resolve()
    assert Path(scenario.resolved["truth"]) == (folder / "truth.yaml").resolve()


def test_a_case_citing_a_rule_the_codebook_lacks_exits_2(cli):
    result = cli("validate", DEFAULT, "--set", "parties.microsoft.reservation.rule=Z99")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "parties.microsoft.reservation.rule" in result.output and "'Z99'" in result.output
