"""Experiments: sweep, Monte Carlo and what-if, on every executor.

The promises tested: the table is the same row for row whatever runs it; a
sweep runs its whole grid; bad input stops an experiment before any run
with exit 2 naming file and key; Ctrl-C keeps a valid partial table; noise
keeps preferences valid and ranked.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from negotiation.experiments import stats
from negotiation.experiments import executors
from negotiation.experiments import designs as experiments
from negotiation.experiments.executors import DaskExecutor, ExecutorSpec, batches
from negotiation.experiments.execute import execute
from negotiation.experiments.summary import summarise, write
from negotiation.experiments.perturb import noise_rng, perturb, perturb_preferences
from negotiation.domain.preferences import Preferences
from negotiation.scenarios.load import load_scenario

from .conftest import DEFAULT, TEXTBOOK, write_yaml


def table(folder: Path) -> list[dict[str, str]]:
    with (folder / "results.csv").open(newline="") as fh:
        return list(csv.DictReader(fh))


def summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text())


@pytest.fixture(scope="module")
def dask_cluster():
    """One 2-worker LocalCluster for the module (started by our own executor:
    its start-up is the slow part); tests join it with --scheduler."""
    executor = DaskExecutor(2, None)
    yield executor.address
    executor.close()


def test_montecarlo_table_is_identical_on_every_executor(cli, tmp_path, dask_cluster):
    common = ["montecarlo", TEXTBOOK, "--runs", "8", "--noise", "0.2", "--seed", "11"]
    runs = {
        "inprocess": cli(*common, "--executor", "inprocess", "--out", tmp_path / "a"),
        "processes": cli(*common, "--executor", "processes", "--workers", "2", "--out", tmp_path / "b"),
        "dask": cli(*common, "--scheduler", dask_cluster, "--out", tmp_path / "c"),
    }
    assert {k: r.exit_code for k, r in runs.items()} == dict.fromkeys(runs, 0)
    assert not (tmp_path / "a" / "logs").exists()  # logs only with --keep-logs
    texts = [(tmp_path / d / "results.csv").read_bytes() for d in "abc"]
    assert texts[0] == texts[1] == texts[2]
    rows = table(tmp_path / "a")
    assert [int(r["run"]) for r in rows] == list(range(8))
    assert len({r["seed"] for r in rows}) == 8
    assert {"salary_keur", "u.employer", "u.candidate", "rv.employer", "agreement_date", "pareto_dist",
            "nash_dist", "ks_dist", "welfare", "advantage.employer"} <= set(rows[0])
    # the noise really moved the reservation values, differently in each run
    assert len({r["rv.employer"] for r in rows}) == 8
    assert summary(tmp_path / "a") == summary(tmp_path / "b") == summary(tmp_path / "c")
    assert json.loads((tmp_path / "c" / "timing.json").read_text())["executor"] == "dask"


def test_sweep_runs_the_whole_grid_with_shared_seeds(cli, tmp_path):
    result = cli("sweep", TEXTBOOK, "--grid", "parties.employer.reservation=0.3,0.4,0.5",
                 "--grid", "parties.candidate.strategy.e=1.0,2.0", "--seeds", "2",
                 "--executor", "inprocess", "--out", tmp_path / "s")
    assert result.exit_code == 0, result.output
    rows = table(tmp_path / "s")
    cells = {(r["parties.employer.reservation"], r["parties.candidate.strategy.e"]) for r in rows}
    assert cells == {(a, b) for a in ("0.3", "0.4", "0.5") for b in ("1.0", "2.0")}
    assert len(rows) == 12 and [int(r["run"]) for r in rows] == list(range(12))
    seeds_per_cell = {c: sorted(r["seed"] for r in rows if (r["parties.employer.reservation"],
                                                            r["parties.candidate.strategy.e"]) == c) for c in cells}
    assert len({tuple(s) for s in seeds_per_cell.values()}) == 1  # common random numbers
    s = summary(tmp_path / "s")
    assert [c["runs"] for c in s["cells"]] == [2] * 6 and s["metric"] == "agreement"
    assert (tmp_path / "s" / "heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # the swept value reached the model: the employer's reservation column follows the grid
    assert all(r["rv.employer"] == r["parties.employer.reservation"] for r in rows)


def test_one_parameter_sweep_draws_lines(cli, tmp_path):
    result = cli("sweep", TEXTBOOK, "--grid", "parties.employer.strategy.e=0.2,1", "--metric", "salary_keur",
                 "--executor", "inprocess", "--out", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "s" / "lines.png").exists() and summary(tmp_path / "s")["metric"] == "salary_keur"


@pytest.mark.parametrize("grid, key", [
    ("parties.employr.reservation=0.3,0.4", "parties.employr"),
    ("parties.employer.reservation=0.3,7", "parties.employer.reservation"),
    ("parties.employer.strategy.e=0.3,fast", "parties.employer.strategy.e"),
])
def test_invalid_grid_stops_before_any_run(cli, tmp_path, grid, key):
    result = cli("sweep", TEXTBOOK, "--grid", grid, "--executor", "inprocess", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2
    assert "--grid" in result.stderr and key in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "runs").exists()


def test_unknown_metric_is_refused(cli, tmp_path):
    result = cli("sweep", TEXTBOOK, "--grid", "parties.employer.strategy.e=0.2,1", "--metric", "salary",
                 "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "--metric" in result.stderr and not (tmp_path / "runs").exists()


def test_whatif_overlay_with_unknown_key_names_file_and_key(cli, tmp_path):
    overlay = write_yaml(tmp_path / "overlay.yaml", {"parties": {"employer": {"reservaton": 0.5}}})
    result = cli("whatif", TEXTBOOK, overlay, "--runs", "2", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2
    assert "overlay.yaml" in result.stderr and "parties.employer.reservaton" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "runs").exists()


def test_whatif_compares_arms_on_the_same_seeds(cli, tmp_path):
    overlay = write_yaml(tmp_path / "greedy.yaml", {"parties": {"candidate": {"reservation": 0.6}}})
    result = cli("whatif", TEXTBOOK, overlay, "--set", "parties.employer.strategy.e=1.0", "--runs", "4",
                 "--noise", "0", "--executor", "inprocess", "--out", tmp_path / "w")
    assert result.exit_code == 0, result.output
    assert "warning: --noise 0: the 4 runs of each arm differ only by seed" in " ".join(result.stderr.split())
    rows = table(tmp_path / "w")
    base = [r for r in rows if r["variant"] == "baseline"]
    other = [r for r in rows if r["variant"] == "counterfactual"]
    assert [r["seed"] for r in base] == [r["seed"] for r in other] and len(base) == 4
    assert {r["rv.candidate"] for r in other} == {"0.6"} and {r["rv.candidate"] for r in base} == {"0.4"}
    s = summary(tmp_path / "w")
    assert set(s["clauses"]) == {"salary_keur", "remote_days", "leave_weeks", "start", "signing_bonus"}
    assert s["counterfactual_source"].endswith("greedy.yaml + --set parties.employer.strategy.e=1.0")
    assert (tmp_path / "w" / "clauses.png").exists() and (tmp_path / "w" / "dates.png").exists()


def test_whatif_needs_a_counterfactual(cli, tmp_path):
    result = cli("whatif", TEXTBOOK, "--runs", "2", "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "COUNTERFACTUAL" in result.stderr


def test_out_folder_that_is_not_empty_is_refused(cli, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    result = cli("montecarlo", TEXTBOOK, "--runs", "2", "--executor", "inprocess", "--out", tmp_path / "busy")
    assert result.exit_code == 2 and (tmp_path / "busy" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in (tmp_path / "busy").iterdir()) == ["notes.txt"]


def test_interrupt_leaves_a_valid_sorted_partial_table(tmp_path):
    exp = experiments.montecarlo(load_scenario(TEXTBOOK), 12, 0.2, seed=5)

    def stop_after_five(done: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    done = execute(exp, ExecutorSpec("inprocess"), Console(quiet=True), out=tmp_path / "x", on_row=stop_after_five)
    write(done, *summarise(done))
    rows = table(tmp_path / "x")
    assert done.interrupted and [int(r["run"]) for r in rows] == [0, 1, 2, 3, 4]
    assert summary(tmp_path / "x")["interrupted"] is True and summary(tmp_path / "x")["completed_runs"] == 5
    execute(exp, ExecutorSpec("inprocess"), Console(quiet=True), out=tmp_path / "full")
    assert table(tmp_path / "full")[:5] == rows  # the partial rows are the real ones


def test_ctrl_c_in_the_cli_exits_130_and_keeps_rows(cli, tmp_path, monkeypatch):
    real = experiments.run_batch
    calls = []

    def interrupted_on_fourth(payload, tasks):
        calls.append(1)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return real(payload, tasks)

    monkeypatch.setattr(experiments, "run_batch", interrupted_on_fourth)
    result = cli("montecarlo", TEXTBOOK, "--runs", "10", "--executor", "inprocess", "--out", tmp_path / "i")
    assert result.exit_code == 130
    assert len(table(tmp_path / "i")) == 3 and summary(tmp_path / "i")["interrupted"] is True


def test_unreachable_scheduler_is_bad_input_and_leaves_no_folder(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", "0.5s")
    result = cli("montecarlo", TEXTBOOK, "--runs", "2", "--scheduler", "tcp://127.0.0.1:9",
                 "--runs-dir", tmp_path / "runs")
    assert result.exit_code == 2 and "--scheduler" in result.stderr and "tcp://127.0.0.1:9" in result.stderr
    assert list((tmp_path / "runs").iterdir()) == []


def test_keep_logs_writes_one_log_per_run(cli, tmp_path):
    result = cli("montecarlo", TEXTBOOK, "--runs", "3", "--keep-logs", "--executor", "inprocess",
                 "--out", tmp_path / "k")
    assert result.exit_code == 0
    logs = sorted((tmp_path / "k" / "logs").iterdir())
    assert len(logs) == 3
    seeds = {json.loads(p.read_text().splitlines()[0])["seed"] for p in logs}
    assert seeds == {int(r["seed"]) for r in table(tmp_path / "k")}


def test_default_scenario_is_compared_with_the_real_deal(tmp_path):
    exp = experiments.montecarlo(load_scenario(DEFAULT), 3, 0.1)
    done = execute(exp, ExecutorSpec("inprocess"), Console(quiet=True), out=tmp_path / "d")
    s, figures = summarise(done)
    assert s["real_dates"] == {"MOU": "2025-09-11", "definitive deal": "2025-10-28"}
    assert set(s["comparison"]["clause_match"]) == {c.name for c in exp.scenario.clauses}
    close, n = s["comparison"]["close_match"], len(exp.scenario.clauses)
    assert close["of"] == n and close["min_matched"] == math.ceil(0.8 * n)
    assert {"score", "matched", "days_off_definitive"} <= set(done.rows[0])
    assert {"dates.png", "clauses.png"} == set(figures)


# -- pure parts ---------------------------------------------------------------------------------

def test_run_seeds_are_reproducible_and_distinct():
    assert experiments.run_seeds(7, 50) == experiments.run_seeds(7, 50)
    assert len(set(experiments.run_seeds(7, 50))) == 50
    assert experiments.run_seeds(7, 3) == experiments.run_seeds(7, 50)[:3]  # more runs extend, never reshuffle


def test_batches_cover_every_task_once_in_order():
    tasks = list(range(103))
    for workers in (1, 2, 8):
        assert [t for b in batches(tasks, workers) for t in b] == tasks


def test_grid_values_are_read_like_set_values():
    assert experiments.parse_grid("a.b=0.3,1,true,x,[1, 2]") == ("a.b", [0.3, 1, True, "x", [1, 2]])
    with pytest.raises(Exception, match="path=v1"):
        experiments.parse_grid("a.b=")


def test_deadline_probabilities_and_close_matches():
    scenario = load_scenario(TEXTBOOK, ["parties.candidate.deadline=2026-01-20"])
    rows = [{"result": "agreement", "agreement_date": "2026-01-10"},
            {"result": "agreement", "agreement_date": "2026-01-25"},
            {"result": "deadline", "agreement_date": None},
            {"result": "agreement", "agreement_date": "2026-01-30"}]
    p = stats.by_deadlines(rows, scenario)
    assert p == {"candidate": {"date": "2026-01-20", "p": 0.25}, "calendar": {"date": "2026-01-30", "p": 0.75}}
    assert stats.comparison(rows) == "no truth to compare with"
    assert stats.close_match({"matched": 8, "total": 10, "days_off_definitive": -30})
    assert not stats.close_match({"matched": 7, "total": 10, "days_off_definitive": 0})
    assert not stats.close_match({"matched": 10, "total": 10, "days_off_definitive": 31})
    assert stats.describe_dates([dt.date(2025, 1, d) for d in (1, 2, 3, 10)])["median"] == "2025-01-02"


weights = st.lists(st.floats(0.01, 1.0), min_size=1, max_size=5)


@settings(max_examples=60, deadline=None)
@given(raw_w=weights, raw_v=st.lists(st.floats(0.0, 10.0), min_size=2, max_size=6),
       rv=st.floats(0.0, 1.0), sigma=st.floats(0.01, 1.5), seed=st.integers(0, 2**32 - 1))
def test_noise_keeps_preferences_valid_and_ranked(raw_w, raw_v, rv, sigma, seed):
    if max(raw_v) == 0:
        raw_v[0] = 1.0
    clauses = [f"c{i}" for i in range(len(raw_w))]
    values = tuple(v / max(raw_v) for v in raw_v)
    prefs = Preferences({c: w / sum(raw_w) for c, w in zip(clauses, raw_w)}, {c: values for c in clauses}, rv)
    noisy = perturb_preferences(prefs, sigma, noise_rng(seed))
    assert sum(noisy.weights.values()) == pytest.approx(1.0)
    assert all(w > 0 for w in noisy.weights.values())
    for c in clauses:
        v = np.array(noisy.values[c])
        assert v.max() == pytest.approx(1.0) and v.min() >= 0
        order = np.argsort(values, kind="stable")
        assert np.all(np.diff(v[order]) >= -1e-12)  # the original ranking survives
        assert all(v[i] == 0 for i, x in enumerate(values) if x == 0)  # a zero stays a zero
    assert 0.0 <= noisy.reservation <= 1.0
    assert perturb_preferences(prefs, sigma, noise_rng(seed)) == noisy  # a function of the seed alone


def test_zero_noise_is_the_scenario_itself():
    scenario = load_scenario(TEXTBOOK)
    assert perturb(scenario, 0.0, noise_rng(1)) is scenario
    moved = perturb(scenario, 0.3, noise_rng(1))
    assert moved.resolved == scenario.resolved and moved.parties != scenario.parties


def test_noise_out_of_range_is_bad_input(cli, tmp_path):
    result = cli("montecarlo", TEXTBOOK, "--runs", "2", "--noise", "-0.1", "--runs-dir", tmp_path / "r")
    assert result.exit_code == 2 and "--noise" in result.stderr


def test_unknown_executor_is_bad_input(cli, tmp_path):
    result = cli("montecarlo", TEXTBOOK, "--runs", "2", "--executor", "gpu", "--runs-dir", tmp_path / "r")
    assert result.exit_code == 2 and "--executor" in result.stderr and not (tmp_path / "r").exists()


def test_grid_values_split_outside_brackets_and_quotes():
    assert experiments.split_values("1,[2, 3],'a,b'") == ["1", "[2, 3]", "'a,b'"]
