"""The coding keys of a scenario: a clause's ``status_quo``, ``rule:`` beside
``because:`` and the ``codebook:`` that defines the rules."""

from __future__ import annotations

import json

from negotiation.api import load_scenario as load

from .conftest import write_yaml

CODEBOOK = """# A codebook

Version: 3.1

### W2 — Weights from money on one scale

| id | rule |
|---|---|
| `RV1` | reservation value: the no-deal outcome scored |
"""


def _coded(tmp_path, small, rule="W2", codebook="codebook.md"):
    (tmp_path / "codebook.md").write_text(CODEBOOK, encoding="utf-8")
    small["clauses"]["delivery"]["status_quo"] = "normal"
    small["parties"]["buyer"]["weights"]["price"] = {"value": 0.5, "rule": rule}
    small["parties"]["seller"]["reservation"] = {"value": 0.3, "rule": ["RV1"]}
    small["parties"]["seller"]["strategy"]["rule"] = "W2"
    if codebook:
        small["codebook"] = codebook
    return write_yaml(tmp_path / "scenario.yaml", small)


def test_status_quo_is_exposed_on_the_clause_and_absent_is_none(tmp_path, small):
    small["clauses"]["price"]["status_quo"] = 20.0  # a number names the option by value
    scenario = load(write_yaml(tmp_path / "s.yaml", small))
    assert scenario.clause("price").status_quo == 20 and scenario.clause("delivery").status_quo is None


def test_a_status_quo_that_is_not_an_option_exits_2_with_its_key_path(cli, tmp_path, small):
    small["clauses"]["delivery"]["status_quo"] = "overnight"
    path = write_yaml(tmp_path / "s.yaml", small)
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}: clauses.delivery.status_quo" in result.output and "overnight" in result.output


def test_rules_defined_by_the_codebook_validate(cli, tmp_path, small):
    assert cli("validate", _coded(tmp_path, small)).exit_code == 0


def test_an_unknown_rule_exits_2_naming_file_key_and_rule(cli, tmp_path, small):
    path = _coded(tmp_path, small, rule="W9")
    result = cli("validate", path)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{path}: parties.buyer.weights.price.rule" in result.output and "'W9'" in result.output


def test_a_rule_without_a_codebook_exits_2(cli, tmp_path, small):
    path = _coded(tmp_path, small, codebook=None)
    result = cli("validate", path)
    assert result.exit_code == 2 and "parties.buyer.weights.price.rule" in result.output
    assert "codebook" in result.output


def test_a_missing_codebook_file_exits_2_at_the_codebook_key(cli, tmp_path, small):
    result = cli("validate", _coded(tmp_path, small, codebook="nowhere.md"))
    assert result.exit_code == 2 and ": codebook:" in result.output and "nowhere.md" in result.output


def test_the_coding_keys_leave_the_run_unchanged(cli, tmp_path, small):
    """Neither status_quo, rule nor codebook reaches the model: same moves;
    the codebook is copied into the run folder, which reruns from it."""
    plain = write_yaml(tmp_path / "plain.yaml", small)
    coded = _coded(tmp_path, json.loads(json.dumps(small)))
    assert cli("run", plain, "--no-png", "--out", tmp_path / "a").exit_code == 0
    assert cli("run", coded, "--no-png", "--out", tmp_path / "b").exit_code == 0

    def moves(folder):
        return [line for line in (folder / "log.jsonl").read_text().splitlines()[1:]]
    assert moves(tmp_path / "a") == moves(tmp_path / "b")
    assert (tmp_path / "b" / "codebook.md").read_text() == CODEBOOK
    assert cli("run", tmp_path / "b" / "scenario.yaml", "--no-png", "--out", tmp_path / "c").exit_code == 0
    assert (tmp_path / "c" / "log.jsonl").read_bytes() == (tmp_path / "b" / "log.jsonl").read_bytes()


def test_the_codebook_reader_finds_heading_and_table_ids_and_the_version(tmp_path):
    from negotiation.inputs.codebook import load_codebook

    path = tmp_path / "cb.md"
    path.write_text(CODEBOOK + "\n## Not a rule: prose\n| id | rule |\n", encoding="utf-8")
    book = load_codebook(path)
    assert book.rules == {"W2", "RV1"} and book.version == "3.1"
