"""`negotiation export-genius`: a scenario as GENIUS XML; import → export →
import keeps every outcome's utility; what GENIUS cannot hold is named."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from negotiation.domain.preferences import utility
from negotiation.inputs.genius import read_domain, read_profile
from negotiation.scenarios.load import load_scenario

from .conftest import TEXTBOOK, write_yaml
from .test_genius import CAFE, CAFE_PROFILES, HOLIDAY, HOLIDAY_PROFILES, SUPPLY, SUPPLY_PROFILES


def utilities(scenario) -> dict[str, np.ndarray]:
    return {p.name: utility(p.preferences, scenario.space) for p in scenario.bargainers}


def exported(cli, scenario: Path, folder: Path, *extra: str):
    result = cli("export-genius", scenario, folder, *extra)
    return result, sorted(folder.glob("*.xml")) if folder.exists() else []


def reimport(cli, folder: Path, names: list[str], out: Path):
    domain = next(folder.glob("*-domain.xml"))
    result = cli("import-genius", domain, *[folder / f"{n}.xml" for n in names], "-o", out)
    assert result.exit_code == 0, result.output
    return load_scenario(out)


@pytest.mark.parametrize("domain, profiles", [(CAFE, CAFE_PROFILES), (HOLIDAY, HOLIDAY_PROFILES),
                                              (SUPPLY, SUPPLY_PROFILES)], ids=["cafe", "holiday", "supply"])
def test_import_export_import_keeps_every_utility(cli, tmp_path, domain, profiles):
    first = tmp_path / "first.yaml"
    assert cli("import-genius", domain, *profiles, "-o", first).exit_code == 0
    before = load_scenario(first)
    result, files = exported(cli, first, tmp_path / "xml")
    assert result.exit_code == 0, result.output
    assert len(files) == 1 + len(profiles)
    after = reimport(cli, tmp_path / "xml", [p.name for p in before.bargainers], tmp_path / "second.yaml")
    assert [c.name for c in after.clauses] == [c.name for c in before.clauses]
    assert [list(c.options) for c in after.clauses] == [list(c.options) for c in before.clauses]
    for name, u in utilities(before).items():
        assert np.array_equal(utilities(after)[name], u)  # exactly: floats written in full
        assert after.party(name).preferences.reservation == before.party(name).preferences.reservation


def test_job_offer_round_trip_names_what_is_dropped(cli, tmp_path):
    original = load_scenario(TEXTBOOK)
    result, files = exported(cli, TEXTBOOK, tmp_path / "xml")
    assert result.exit_code == 0
    assert {f.name for f in files} == {"job_offer-domain.xml", "employer.xml", "candidate.xml"}
    assert "dropped:" in result.stderr and "constraints" in result.stderr and "deal-breakers" in result.stderr
    back = reimport(cli, tmp_path / "xml", ["employer", "candidate"], tmp_path / "back.yaml")
    for name, u in utilities(original).items():
        assert np.allclose(utilities(back)[name], u, atol=1e-12, rtol=0)
        assert back.party(name).preferences.reservation == original.party(name).preferences.reservation
    domain = read_domain(tmp_path / "xml" / "job_offer-domain.xml")
    profile = read_profile(tmp_path / "xml" / "employer.xml", domain)
    assert profile.discount == 1.0  # no time discounting in the simulator: written as 1.0
    root = ET.parse(tmp_path / "xml" / "employer.xml").getroot()
    assert root.find("discount_factor").get("value") == "1.0"


def test_non_linear_values_are_exact_tables(cli, small, tmp_path):
    small["clauses"]["price"]["options"] = [10, 20, 30, 40, 50]
    small["parties"]["buyer"]["values"]["price"] = "concave_decreasing"
    small["parties"]["seller"]["values"]["price"] = {10: 0, 20: 5, 30: 6, 40: 9, 50: 1.5}
    path = write_yaml(tmp_path / "small.yaml", small)
    result, _ = exported(cli, path, tmp_path / "xml", "--strict")  # nothing to drop: strict passes
    assert result.exit_code == 0 and "dropped" not in result.stderr
    back = reimport(cli, tmp_path / "xml", ["buyer", "seller"], tmp_path / "back.yaml")
    for name, u in utilities(load_scenario(path)).items():
        assert np.array_equal(utilities(back)[name], u)


def test_strict_refuses_what_genius_cannot_hold_and_writes_nothing(cli, tmp_path):
    result, files = exported(cli, TEXTBOOK, tmp_path / "xml", "--strict")
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--strict" in result.stderr
    assert "constraints" in result.stderr and files == [] and not (tmp_path / "xml").exists()


def test_the_default_scenario_names_each_party_it_leaves_out(cli, tmp_path):
    from .conftest import DEFAULT

    result, files = exported(cli, DEFAULT, tmp_path / "xml")
    assert result.exit_code == 0
    scenario = load_scenario(DEFAULT)
    assert len(files) == 1 + len(scenario.bargainers)
    for party in scenario.parties:
        if party.role != "bargainer":
            assert f"{party.name} ({party.role})" in result.stderr


def test_a_folder_that_is_not_empty_is_refused(cli, tmp_path):
    folder = tmp_path / "xml"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    result, _ = exported(cli, TEXTBOOK, folder)
    assert result.exit_code == 2 and "DIR" in result.stderr and result.stderr.count("\n") == 1
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


def test_a_name_xml_cannot_hold_is_refused(cli, tmp_path):
    from .test_pictures import hostile_scenario

    result, files = exported(cli, hostile_scenario(tmp_path), tmp_path / "xml")
    assert result.exit_code == 2 and "control characters" in result.stderr and files == []
