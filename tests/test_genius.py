"""`negotiation import-genius`: GENIUS XML domains and profiles → scenario YAML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import yaml

from negotiation.domain.preferences import utility
from negotiation.scenarios.load import load_scenario

FIXTURES = Path(__file__).parent / "fixtures" / "genius"
CAFE = FIXTURES / "cafe" / "Café-domain.xml"
CAFE_PROFILES = [FIXTURES / "cafe" / "client.xml", FIXTURES / "cafe" / "barista.xml"]
HOLIDAY = FIXTURES / "holiday" / "Holiday $ plan-domain.xml"
HOLIDAY_PROFILES = [FIXTURES / "holiday" / "Traveller A.xml", FIXTURES / "holiday" / "Traveller B.xml"]
SUPPLY = FIXTURES / "supply" / "Supply chain-domain.xml"
SUPPLY_PROFILES = [FIXTURES / "supply" / f"{n}.xml" for n in ("Fournisseur", "Acheteur", "Transporteur")]


def xml_issues(domain: Path) -> dict[str, list[str]]:
    """Issue → options, read straight from the XML (independently of the importer)."""
    root = ET.parse(domain).getroot()
    return {i.get("name"): [item.get("value") for item in i.iter("item")] for i in root.iter("issue")}


def genius_utility(profile: Path, outcome: dict[str, str]) -> float:
    """Σ w · eval / max eval, straight from the profile XML."""
    root = ET.parse(profile).getroot()
    issues = list(root.iter("issue"))
    weights = {int(w.get("index")): float(w.get("value")) for w in root.iter("weight")}
    total = 0.0
    for issue in issues:
        evals = {item.get("value"): float(item.get("evaluation")) for item in issue.iter("item")}
        total += weights[int(issue.get("index"))] * evals[outcome[issue.get("name")]] / max(evals.values())
    return total / sum(weights.values())


def imported(cli, tmp_path: Path, domain: Path, profiles: list[Path], *extra: str):
    out = tmp_path / "scenario.yaml"
    result = cli("import-genius", domain, *profiles, "-o", out, *extra)
    return result, out


@pytest.mark.parametrize("domain, profiles", [(CAFE, CAFE_PROFILES), (HOLIDAY, HOLIDAY_PROFILES),
                                              (SUPPLY, SUPPLY_PROFILES)], ids=["cafe", "holiday", "supply"])
def test_imported_scenario_keeps_every_name_and_the_genius_utilities(cli, tmp_path, domain, profiles):
    result, out = imported(cli, tmp_path, domain, profiles)
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    scenario = load_scenario(out)
    issues = xml_issues(domain)
    assert [c.name for c in scenario.clauses] == list(issues)  # spaces, $, quotes, accents survive
    assert [list(c.options) for c in scenario.clauses] == list(issues.values())
    assert [p.name for p in scenario.parties] == [p.stem.replace(" ", "_") for p in profiles]
    rng = np.random.default_rng(0)
    for party, profile in zip(scenario.parties, profiles):
        u = utility(party.preferences, scenario.space)
        for outcome in rng.choice(scenario.space.size, size=20):
            assert u[outcome] == pytest.approx(genius_utility(profile, scenario.space.as_dict(int(outcome))), abs=1e-12)
        reservation = float(ET.parse(profile).getroot().find("reservation").get("value"))
        assert party.preferences.reservation == reservation


def test_import_is_byte_for_byte_reproducible(cli, tmp_path):
    first = cli("import-genius", HOLIDAY, *HOLIDAY_PROFILES, "-o", tmp_path / "a.yaml")
    second = cli("import-genius", HOLIDAY, *HOLIDAY_PROFILES, "-o", tmp_path / "b.yaml")
    assert first.exit_code == second.exit_code == 0
    assert (tmp_path / "a.yaml").read_bytes() == (tmp_path / "b.yaml").read_bytes()


def test_discount_factor_is_kept_as_a_cost_of_delay_and_its_difference_warned(cli, tmp_path):
    result, out = imported(cli, tmp_path, HOLIDAY, HOLIDAY_PROFILES)
    assert result.exit_code == 0
    assert "warning" in result.stderr and "discount factor 0.9" in result.stderr and "Traveller_A" in result.stderr
    assert "reservation value is not discounted" in result.stderr
    scenario = load_scenario(out)
    assert "discount" in scenario.description and "Traveller_A 0.9" in scenario.description
    span = (scenario.calendar.deadline - scenario.calendar.start).days  # GENIUS's whole session
    party = next(p for p in scenario.parties if p.name == "Traveller_A")
    assert party.cost_of_delay is not None
    # the same discount over the session: δ_year^(span/365) = 0.9
    assert party.cost_of_delay.factor(scenario.calendar.deadline) == pytest.approx(0.9)
    assert span > 0
    other = tmp_path / "cafe"
    other.mkdir()
    quiet, _ = imported(cli, other, CAFE, CAFE_PROFILES)  # discount factor 1: nothing to say
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr


def test_names_option_and_default_output_path(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("import-genius", CAFE, *CAFE_PROFILES, "--names", "Chloé,Baptiste")
    assert result.exit_code == 0, result.output
    path = tmp_path / "configs" / "Cafe.yaml"  # accents dropped from the scenario name only
    scenario = load_scenario(path)
    assert scenario.name == "Cafe"
    assert [p.name for p in scenario.parties] == ["Chloé", "Baptiste"]


def test_existing_file_is_kept_unless_forced(cli, tmp_path):
    out = tmp_path / "scenario.yaml"
    out.write_text("keep me\n")
    result = cli("import-genius", CAFE, *CAFE_PROFILES, "-o", out)
    assert result.exit_code == 2
    assert "exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "keep me\n"
    forced = cli("import-genius", CAFE, *CAFE_PROFILES, "-o", out, "--force")
    assert forced.exit_code == 0
    assert load_scenario(out).name == "Cafe"


def test_imported_scenario_runs(cli, tmp_path):
    _, out = imported(cli, tmp_path, CAFE, CAFE_PROFILES, "--rounds", "20")
    result = cli("run", out, "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "run" / "log.jsonl").is_file()


# -- what cannot be read or represented: exit 2, one line naming file, key, expectation --

DOMAIN_HEAD = '<?xml version="1.0"?>\n<negotiation_template><utility_space><objective index="0" name="root">\n'
DOMAIN_TAIL = "</objective></utility_space></negotiation_template>\n"
GOOD_ISSUE = ('<issue index="1" type="discrete" name="Colour \'n\' $hade">'
              '<item index="1" value="red"/><item index="2" value="blue"/></issue>\n')


def profile_xml(issues: str, weights: str = '<weight index="1" value="1"/>') -> str:
    return (f'<?xml version="1.0"?>\n<utility_space><objective index="0" name="root">\n{issues}{weights}'
            '</objective><reservation value="0.2"/><discount_factor value="1"/></utility_space>\n')


GOOD_PROFILE = profile_xml('<issue index="1" type="discrete" name="Colour \'n\' $hade">'
                           '<item value="red" evaluation="2"/><item value="blue" evaluation="1"/></issue>')

BAD_CASES = {
    "not XML": (
        "this is not XML, it is a note\n", GOOD_PROFILE, "domain", ["line 1, column 1", "well-formed XML"]),
    "truncated XML": (
        DOMAIN_HEAD + GOOD_ISSUE, GOOD_PROFILE, "domain", ["line", "well-formed XML"]),
    "real-valued issue": (
        DOMAIN_HEAD + GOOD_ISSUE + '<issue index="2" type="real" name="price €" lowerbound="0" upperbound="9.5"/>\n'
        + DOMAIN_TAIL, GOOD_PROFILE, "domain", ["issue 'price €'", "discrete issue", "'real'"]),
    "integer issue": (
        DOMAIN_HEAD + '<issue index="1" etype="integer" type="integer" name="days" lowerbound="1" upperbound="9"/>'
        + DOMAIN_TAIL, GOOD_PROFILE, "domain", ["issue 'days'", "'integer'"]),
    "nested objective": (
        DOMAIN_HEAD + '<objective index="1" name="sub">' + GOOD_ISSUE + "</objective>" + DOMAIN_TAIL, GOOD_PROFILE,
        "domain", ["objective 'sub'", "nested objectives are not supported"]),
    "repeated option": (
        DOMAIN_HEAD + '<issue index="1" name="x"><item value="a"/><item value="a"/></issue>' + DOMAIN_TAIL,
        GOOD_PROFILE, "domain", ["issue 'x' item 'a'", "distinct option values"]),
    "entity declaration": (
        '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]>' + DOMAIN_HEAD.split("\n", 1)[1] + GOOD_ISSUE
        + DOMAIN_TAIL, GOOD_PROFILE, "domain", ["<!ENTITY>", "without entity declarations"]),
    "profile given as the domain": (
        GOOD_PROFILE, GOOD_PROFILE, "domain", ["<utility_space>", "<negotiation_template>", "utility profile"]),
    "profile naming an issue the domain lacks": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL,
        profile_xml('<issue index="1" name="Colour \'n\' $hade"><item value="red" evaluation="2"/>'
                    '<item value="blue" evaluation="1"/></issue><issue index="2" name="Größe">'
                    '<item value="S" evaluation="1"/></issue>'),
        "profile", ["issue 'Größe'", "an issue of the domain", "\"Colour 'n' $hade\""]),
    "profile naming an unknown option": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL,
        profile_xml('<issue index="1" name="Colour \'n\' $hade"><item value="green" evaluation="2"/></issue>'),
        "profile", ["item 'green'", "an option of", "'red', 'blue'"]),
    "profile missing an evaluation": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL,
        profile_xml('<issue index="1" name="Colour \'n\' $hade"><item value="red" evaluation="2"/></issue>'),
        "profile", ["an evaluation for every option", "missing: 'blue'"]),
    "negative evaluation": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL,
        profile_xml('<issue index="1" name="Colour \'n\' $hade"><item value="red" evaluation="-2"/>'
                    '<item value="blue" evaluation="1"/></issue>'),
        "profile", ["evaluation", "a number ≥ 0.0 expected, got '-2'"]),
    "weight of no issue": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL,
        profile_xml('<issue index="1" name="Colour \'n\' $hade"><item value="red" evaluation="2"/>'
                    '<item value="blue" evaluation="1"/></issue>', '<weight index="7" value="1"/>'),
        "profile", ["weight index=7", "the index of an issue"]),
    "reservation above 1": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL, GOOD_PROFILE.replace('"0.2"', '"1.5"'),
        "profile", ["reservation value", "in [0.0, 1.0]"]),
    "domain given as the profile": (
        DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL, DOMAIN_HEAD + GOOD_ISSUE + DOMAIN_TAIL,
        "profile", ["<negotiation_template>", "root <utility_space>", "domain file"]),
}


@pytest.mark.parametrize("case", BAD_CASES)
def test_bad_input_exits_2_with_one_line_naming_file_key_and_expectation(cli, tmp_path, case):
    domain_text, profile_text, culprit, expected = BAD_CASES[case]
    domain = tmp_path / "my domain.xml"
    domain.write_text(domain_text, encoding="utf-8")
    profiles = [tmp_path / "a.xml", tmp_path / "b.xml"]
    profiles[0].write_text(profile_text, encoding="utf-8")
    profiles[1].write_text(GOOD_PROFILE, encoding="utf-8")
    out = tmp_path / "out.yaml"
    result = cli("import-genius", domain, *profiles, "-o", out)
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert (domain.name if culprit == "domain" else profiles[0].name) in message
    for fragment in expected:
        assert fragment in message
    assert not out.exists()


@pytest.mark.parametrize("args, fragments", [
    (["--names", "only-one"], ["--names", "2 distinct non-empty names"]),
    (["--names", "a.b,c"], ["--names", "a.b", "without '.'"]),
    (["--rounds", "1"], ["--rounds", "at least 2"]),
])
def test_bad_options_exit_2(cli, tmp_path, args, fragments):
    result = cli("import-genius", CAFE, *CAFE_PROFILES, "-o", tmp_path / "x.yaml", *args)
    assert result.exit_code == 2
    assert all(f in result.stderr for f in fragments), result.stderr


def test_missing_file_and_single_profile_exit_2(cli, tmp_path):
    result = cli("import-genius", tmp_path / "nowhere.xml", *CAFE_PROFILES, "-o", tmp_path / "x.yaml")
    assert result.exit_code == 2 and "nowhere.xml" in result.stderr and "no such file" in result.stderr
    result = cli("import-genius", CAFE, CAFE_PROFILES[0], "-o", tmp_path / "x.yaml")
    assert result.exit_code == 2 and "at least two" in result.stderr


def test_imported_yaml_is_plain_safe_yaml(cli, tmp_path):
    _, out = imported(cli, tmp_path, SUPPLY, SUPPLY_PROFILES)
    text = out.read_text(encoding="utf-8")
    assert "!!" not in text  # no python tags: yaml.safe_load reads it
    data = yaml.safe_load(text)
    assert data["clauses"]["Support 24/7"]["options"][2] == '24/7 "premium"'
    assert "Garantie 'étendue'" in text or "Garantie ''étendue''" in text
