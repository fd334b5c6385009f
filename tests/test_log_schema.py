"""A log with valid JSON but the wrong shape: replay, compare and
analyze --run exit 2 naming file:line and the key, never a traceback."""

from __future__ import annotations

import json

import pytest

from .conftest import write_yaml


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    from typer.testing import CliRunner

    from negotiation.cli import app

    from .conftest import SMALL

    tmp = tmp_path_factory.mktemp("logs")
    result = CliRunner().invoke(app, ["run", str(write_yaml(tmp / "s.yaml", SMALL)), "--no-png",
                                      "--out", str(tmp / "run")])
    assert result.exit_code == 0
    return tmp / "run"


def mutate(folder, tmp_path, change):
    records = [json.loads(line) for line in (folder / "log.jsonl").read_text().splitlines()]
    line = change(records)
    out = tmp_path / "run"
    out.mkdir()
    for name in ("scenario.yaml", "summary.json"):
        (out / name).write_bytes((folder / name).read_bytes())
    (out / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return out, line


def first(records, kind):
    return next(i for i, r in enumerate(records) if r["type"] == kind)


def no_clauses(records):
    del records[0]["clauses"]
    return 1, "clauses"


def clauses_five(records):
    records[0]["clauses"] = 5
    return 1, "clauses"


def string_utility(records):
    i = first(records, "offer")
    party = next(iter(records[i]["utilities"]))
    records[i]["utilities"][party] = "high"
    return i + 1, f"utilities.{party}"


def lying_header(records):
    records[0]["parties"] = [p for p in records[0]["parties"] if p["name"] != "seller"]
    i = min(first(records, "offer"), first(records, "response"))
    return i + 1, None


def unknown_option(records):
    i = first(records, "offer")
    records[i]["outcome"]["price"] = 99
    return i + 1, "outcome.price"


def round_as_text(records):
    records[1]["round"] = "one"
    return 2, "round"


def null_record(records):
    records[2] = {"type": None}
    return 3, "type"


CASES = [no_clauses, clauses_five, string_utility, lying_header, unknown_option, round_as_text, null_record]


@pytest.mark.parametrize("command", ["replay", "compare", "analyze"])
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.__name__)
def test_a_log_breaking_the_schema_exits_2_naming_file_line_and_key(cli, run_folder, tmp_path, command, case):
    folder, (line, key) = mutate(run_folder, tmp_path, case)
    args = {"replay": ["replay", folder, "--no-animate"], "compare": ["compare", folder],
            "analyze": ["analyze", "--run", folder, "--no-png"]}[command]
    result = cli(*args)
    assert result.exit_code == 2, result.output
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"log.jsonl:{line}" in message, message
    if key:
        assert f": {key}:" in message, message
