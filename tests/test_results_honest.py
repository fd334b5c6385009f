"""Results that must not look right while being wrong: dates marked only
from the scenario's truth, portable run folders, labelled averages, typos
refused, replay dates as logged, an honest progress rate."""

from __future__ import annotations

import json
import shutil
from types import SimpleNamespace

from negotiation.experiments.execute import EtaColumn, RateColumn, measured_rate
from negotiation.experiments.stats import real_dates
from negotiation.scenarios.load import load_scenario

from .conftest import HINDSIGHT, TEXTBOOK, write_yaml


def test_a_scenario_without_truth_marks_no_real_dates(cli, tmp_path, small):
    small["calendar"] = {"start": "2025-06-01", "round": "7d", "deadline": "2025-12-31"}  # covers the MS-OpenAI dates
    path = write_yaml(tmp_path / "s.yaml", small)
    assert real_dates(load_scenario(path)) == []
    result = cli("montecarlo", path, "--runs", "3", "--executor", "inprocess", "--out", tmp_path / "mc")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "mc" / "summary.json").read_text())["real_dates"] == {}


def test_a_copied_run_folder_reruns_and_compares(cli, tmp_path):
    assert cli("run", "--no-png", "--out", tmp_path / "run").exit_code == 0
    for name in ("scenario.yaml", "summary.json"):
        assert "/" not in "".join(line for line in (tmp_path / "run" / name).read_text().splitlines()
                                  if "truth" in line or "facts" in line), name
    moved = tmp_path / "elsewhere" / "copy"
    shutil.copytree(tmp_path / "run", moved)
    shutil.rmtree(tmp_path / "run")
    result = cli("run", moved / "scenario.yaml", "--no-png", "--out", tmp_path / "rerun")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "rerun" / "log.jsonl").read_bytes() == (moved / "log.jsonl").read_bytes()
    result = cli("compare", moved)
    assert result.exit_code == 0, result.output
    assert "truth.yaml" in result.output


def test_whatif_says_which_averages_are_over_agreements_and_which_over_all_runs(cli, tmp_path):
    result = cli("whatif", HINDSIGHT, "--set", "parties.openai.reservation=0.5", "--runs", "2", "--executor",
                 "inprocess", "--out", tmp_path / "w")
    assert result.exit_code == 0, result.output
    text = " ".join(word for word in result.output.split() if word != "│")  # the panel's frame apart
    assert "Utilities: mean over runs that agreed; score: over all runs" in text


def test_sweep_metric_score_without_truth_exits_2(cli, tmp_path):
    result = cli("sweep", TEXTBOOK, "--grid", "parties.candidate.reservation=0.3,0.4", "--metric", "score",
                 "--out", tmp_path / "sw")
    assert result.exit_code == 2
    assert "--metric" in result.stderr and "real deal" in result.stderr
    assert not (tmp_path / "sw").exists()


def test_replay_shows_each_round_on_the_date_the_log_gives(cli, tmp_path):
    assert cli("run", HINDSIGHT, "--seed", "1", "--no-png", "--out", tmp_path / "run").exit_code == 0
    records = [json.loads(line) for line in (tmp_path / "run" / "log.jsonl").read_text().splitlines()[1:]]
    result = cli("replay", tmp_path / "run", "--no-animate")
    assert result.exit_code == 0
    shown = {}
    for line in result.output.splitlines():
        if line.startswith("round ") and " · " in line:
            number, date = line.split(" · ")[0][6:], line.split(" · ")[1].split()[0]
            shown[int(number)] = date
    by_round: dict[int, list[dict]] = {}
    for r in records:
        by_round.setdefault(r["round"], []).append(r)
    for number, group in by_round.items():
        offers = [r["date"] for r in group if r["type"] in ("offer", "response")]
        assert shown[number] == (offers[0] if offers else group[-1]["date"]), number
    assert any(not any(r["type"] == "offer" for r in g) for g in by_round.values())  # review-only rounds shown too


def test_the_progress_rate_is_completions_over_elapsed_time():
    # 25 rows that arrived within a millisecond, 10 s after the start: 2.5 runs/s, not thousands
    task = SimpleNamespace(completed=25, elapsed=10.0, total=100, finished=False, speed=25_000.0)
    assert measured_rate(task) == 2.5
    assert "2.5 runs/s" in RateColumn().render(task).plain
    assert EtaColumn().render(task).plain == "0:00:30"
