"""Bad input through the CLI: one line naming file, key and expectation; exit 2;
no traceback; nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import write_yaml


def broken(small, case):
    b = small["parties"]["buyer"]
    if case == "unknown clause":
        b["weights"]["colour"] = 0.2
    elif case == "unknown strategy":
        b["strategy"] = {"name": "telepathy"}
    elif case == "negative weight":
        b["weights"]["price"] = -0.5
    elif case == "all-zero weights":
        b["weights"] = {"price": 0, "delivery": 0}
    elif case == "reservation outside [0,1]":
        b["reservation"] = 1.5
    elif case == "deadline before start":
        small["calendar"]["deadline"] = "2024-12-01"
    elif case == "party deadline before start":
        b["deadline"] = "2024-06-01"
    elif case == "unknown option value":
        b["values"]["delivery"] = {"slow": 1, "normal": 2, "teleport": 3}
    return small


EXPECTED_KEY = {
    "unknown clause": "parties.buyer.weights.colour",
    "unknown strategy": "parties.buyer.strategy.name",
    "negative weight": "parties.buyer.weights.price",
    "all-zero weights": "parties.buyer.weights",
    "reservation outside [0,1]": "parties.buyer.reservation",
    "deadline before start": "calendar.deadline",
    "party deadline before start": "parties.buyer.deadline",
    "unknown option value": "parties.buyer.values.delivery.teleport",
}


def assert_clean_failure(result, *needles):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    for needle in needles:
        assert needle in result.output


@pytest.mark.parametrize("case", sorted(EXPECTED_KEY))
def test_schema_errors_name_file_and_key(cli, small, tmp_path, case):
    path = write_yaml(tmp_path / "bad.yaml", broken(small, case))
    for command in ("validate", "run"):
        result = cli(command, path, "--runs-dir", tmp_path / "runs") if command == "run" else cli(command, path)
        assert_clean_failure(result, str(path), EXPECTED_KEY[case])
    assert not (tmp_path / "runs").exists()  # nothing written


def test_malformed_yaml(cli, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nclauses: {a: [1, 2\n")
    assert_clean_failure(cli("run", path, "--runs-dir", tmp_path / "runs"), str(path), "line")
    assert not (tmp_path / "runs").exists()


def test_python_object_tags_are_refused_by_the_safe_loader(cli, tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("name: !!python/object/apply:os.system ['touch pwned']\n")
    assert_clean_failure(cli("validate", path), str(path), "not allowed")
    assert not Path("pwned").exists()


def test_set_path_that_does_not_exist(cli, small, tmp_path):
    path = write_yaml(tmp_path / "ok.yaml", small)
    result = cli("run", path, "--set", "parties.opnai.reservation=0.5", "--runs-dir", tmp_path / "runs")
    assert_clean_failure(result, "--set", "parties.opnai", "buyer, seller")
    result = cli("run", path, "--set", "parties.buyer.strategy.zeal=3", "--runs-dir", tmp_path / "runs")
    assert_clean_failure(result, "parties.buyer.strategy.zeal", "unknown key")
    assert not (tmp_path / "runs").exists()


def test_missing_file(cli, tmp_path):
    assert_clean_failure(cli("validate", tmp_path / "nope.yaml"), "no such file")


def test_validate_summarises_a_good_scenario(cli, small, tmp_path):
    result = cli("validate", write_yaml(tmp_path / "ok.yaml", small))
    assert result.exit_code == 0 and "36 outcomes" in result.output
