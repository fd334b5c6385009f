"""The scenario's JSON Schema: what `negotiation schema` prints is the shipped
file, every shipped scenario and overlay passes it, and it accepts and refuses
the same shapes as the loader, so an editor never flags a file that runs."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from negotiation.errors import InputError
from negotiation.inputs.config import load_yaml, merge_overlay
from negotiation.scenarios.models import ScenarioModel
from negotiation.inputs.validation import validate

from .conftest import ROOT, SMALL, write_yaml

SCENARIOS = sorted((ROOT / "configs").glob("*.yaml"))
OVERLAYS = sorted((ROOT / "configs" / "counterfactuals").glob("*.yaml"))


def printed(cli, *args: str) -> dict:
    result = cli("schema", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def schemas():
    from typer.testing import CliRunner

    from negotiation.cli import app

    def get(*args: str) -> dict:
        result = CliRunner().invoke(app, ["schema", *args])
        assert result.exit_code == 0, result.output
        schema = json.loads(result.output)
        jsonschema.Draft202012Validator.check_schema(schema)
        return schema

    return {"scenario": get(), "overlay": get("--overlay")}


def validator(schema: dict) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def as_json(data):
    """What an editor sees: YAML dates are text."""
    return json.loads(json.dumps(data, default=lambda v: v.isoformat() if isinstance(v, dt.date) else str(v)))


def errors(schema: dict, data) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in validator(schema).iter_errors(as_json(data))]


def test_printed_schema_is_draft_2020_12_and_the_shipped_files_are_up_to_date(schemas):
    assert schemas["scenario"]["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for name, schema in schemas.items():
        shipped = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert shipped == schema, f"schema/{name}.schema.json is stale: negotiation schema " \
                                  f"{'--overlay ' if name == 'overlay' else ''}--out schema/{name}.schema.json"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_scenario_passes_the_schema(schemas, path):
    assert errors(schemas["scenario"], load_yaml(path)) == []


@pytest.mark.parametrize("path", OVERLAYS, ids=lambda p: p.name)
def test_every_overlay_passes_the_overlay_schema_and_merged_the_scenario_schema(schemas, path):
    overlay = load_yaml(path)
    assert errors(schemas["overlay"], overlay) == []
    assert errors(schemas["scenario"], merge_overlay(load_yaml(ROOT / "configs" / "openai_microsoft_2025.yaml"),
                                                     overlay)) == []


def test_the_overlay_schema_still_catches_typos_and_ranges(schemas):
    assert errors(schemas["overlay"], {"parties": {"microsoft": {"reservaton": 0.3}}})
    assert errors(schemas["overlay"], {"parties": {"microsoft": {"reservation": 1.5}}})
    assert errors(schemas["overlay"], {"calendar": {"round": "fortnight"}})
    assert not errors(schemas["overlay"], {"parties": {"oracle": None, "openai": {"strategy": {"e": 0.2}}}})


@pytest.mark.parametrize("path", [*SCENARIOS, *OVERLAYS], ids=lambda p: p.name)
def test_shipped_configs_point_editors_at_the_schema(path):
    first = path.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    target = (path.parent / first.removeprefix(prefix)).resolve()
    assert target.name == ("overlay" if path in OVERLAYS else "scenario") + ".schema.json" and target.is_file()


def test_schema_refuses_what_the_loader_refuses(schemas):
    bad = copy.deepcopy(SMALL)
    bad["parties"]["buyer"]["strategy"] = {"name": "hardliner", "e": 0.3}  # e belongs to time-dependent tactics
    assert errors(schemas["scenario"], bad)
    bad["parties"]["buyer"]["strategy"] = {"name": "boulware", "e": 0.3, "acceptance": ["ac_next", {"name": "ac_time", "T": 2}]}
    assert errors(schemas["scenario"], bad)
    bad["parties"]["buyer"]["strategy"]["acceptance"][1]["T"] = 0.9
    assert not errors(schemas["scenario"], bad)


def _shape_ok(data) -> bool:
    try:
        validate(ScenarioModel, data, "x.yaml")
    except InputError:
        return False
    return True


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))


GARBAGE = st.sampled_from([None, -1, -0.5, 0, 2.5, "", "nonsense", "7d", "2025-02-30", "2025-03-01", [], [1, "x"],
                           {"x": 1}, {"value": 0.5, "because": ["F1"]}, True, "increasing", ">= 20", ["slow"]])


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(list(_paths(SMALL))), junk=GARBAGE)
def test_schema_and_models_accept_the_same_shapes(schemas, path, junk):
    """Whatever a key holds, the JSON Schema and the pydantic models agree on
    whether it is well-formed (names that refer to other parts of the file
    are the loader's to check, not the schema's)."""
    data = copy.deepcopy(SMALL)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = junk
    assert _shape_ok(data) == (not errors(schemas["scenario"], data)), errors(schemas["scenario"], data)


def test_schema_command_writes_a_file_and_keeps_other_files(cli, tmp_path):
    out = tmp_path / "scenario.schema.json"
    assert cli("schema", "--out", out).exit_code == 0
    assert json.loads(out.read_text())["title"] == "negotiation scenario"
    assert cli("schema", "--out", out).exit_code == 0  # a schema written before is replaced
    scenario = write_yaml(tmp_path / "s.yaml", SMALL)
    result = cli("schema", "--out", scenario)
    assert result.exit_code == 2 and "something else" in result.output and "Traceback" not in result.output
    assert load_yaml(scenario) == SMALL


def test_a_scenario_the_loader_accepts_passes_the_schema(schemas):
    from negotiation.scenarios.load import build_scenario

    raw = copy.deepcopy(SMALL)
    raw["parties"]["fund"] = {"role": "investor", "backs": "buyer", "commits_on": dt.date(2025, 2, 1),
                              "condition_date": "2025-06-30", "effect": {"reservation": -0.1},
                              "tranches": [{"on": "2025-03-03", "amount_usd_bn": 5, "effect": {"reservation": 0.05}}]}
    raw["parties"]["ag"] = {"role": "ratifier", "requires": {"price": "<= 30", "delivery": ["normal", "fast"]},
                            "review": "3w"}
    raw["parties"]["rival"] = {"role": "outside_option", "offers_to": "seller", "on": "2025-04-01",
                               "effect": {"weights": {"price": 0.1}, "because": ["F1"]}}
    raw["parties"]["buyer"]["reservation"] = {"value": 0.3, "because": ["F2"]}
    build_scenario(raw)
    assert errors(schemas["scenario"], raw) == []
