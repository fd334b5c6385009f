"""The run folder contract (docs/architecture.md, "Run folder")."""

from __future__ import annotations

import json

from negotiation.engine.simulate import simulate
from negotiation.scenarios.load import load_scenario

from .conftest import TEXTBOOK


def test_run_writes_the_folder_and_its_scenario_reproduces_the_log(cli, tmp_path):
    result = cli("run", TEXTBOOK, "--runs-dir", tmp_path)
    assert result.exit_code == 0, result.output
    folders = [p for p in tmp_path.iterdir()]
    assert len(folders) == 1 and folders[0].name.startswith("job_offer-s7-")
    folder = folders[0]
    assert {p.name for p in folder.iterdir()} == {"scenario.yaml", "log.jsonl", "summary.json", "timing.json",
                                                  "concessions.png"}
    assert (folder / "concessions.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = json.loads((folder / "summary.json").read_text())
    assert summary["result"] in result.output.lower() and f"run folder: {folder}" in result.output
    rerun = simulate(load_scenario(folder / "scenario.yaml"))
    assert rerun.log_text == (folder / "log.jsonl").read_text()
    assert "seconds" in (folder / "timing.json").read_text()


def test_an_existing_run_folder_is_never_overwritten(cli, tmp_path):
    cli("run", TEXTBOOK, "--runs-dir", tmp_path)
    first = next(tmp_path.iterdir())
    before = (first / "log.jsonl").read_bytes()
    (first / "notes.txt").write_text("mine")
    assert cli("run", TEXTBOOK, "--runs-dir", tmp_path).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name, first.name + "-2"]
    assert (first / "notes.txt").read_text() == "mine" and (first / "log.jsonl").read_bytes() == before


def test_out_must_be_new_or_empty(cli, tmp_path):
    out = tmp_path / "mine"
    assert cli("run", TEXTBOOK, "--out", out).exit_code == 0
    assert (out / "log.jsonl").exists()
    again = cli("run", TEXTBOOK, "--out", out, "--seed", "9")
    assert again.exit_code == 2 and "not empty" in again.output
    assert json.loads((out / "summary.json").read_text())["seed"] == 7  # untouched


def test_seed_and_set_land_in_the_resolved_scenario(cli, tmp_path):
    out = tmp_path / "r"
    assert cli("run", TEXTBOOK, "--out", out, "--seed", "11", "--set", "parties.employer.strategy.e=0.5").exit_code == 0
    resolved = load_scenario(out / "scenario.yaml")
    assert resolved.seed == 11 and dict(resolved.party("employer").strategy.params)["e"] == 0.5
    assert simulate(resolved).log_text == (out / "log.jsonl").read_text()


def test_no_png_leaves_the_picture_out(cli, tmp_path):
    out = tmp_path / "r"
    assert cli("run", TEXTBOOK, "--out", out, "--no-png").exit_code == 0
    assert not (out / "concessions.png").exists() and (out / "log.jsonl").exists()
