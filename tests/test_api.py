"""The public Python API: the same results the CLI writes, as Python objects
and pandas DataFrames, without loading heavy modules on ``import negotiation``."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys

import pandas as pd
import pytest

import negotiation
from negotiation.errors import InputError
from negotiation.experiments.designs import cell

from .conftest import DEFAULT, ROOT, TEXTBOOK, write_yaml


def test_import_is_cheap_and_names_resolve_on_use():
    code = ("import sys, negotiation; heavy = ['mesa', 'pandas', 'matplotlib', 'dask']; "
            "print([m for m in heavy if m in sys.modules]); negotiation.load_scenario; "
            "print([m for m in heavy if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "[]"]
    assert set(negotiation.__all__) <= set(dir(negotiation))
    with pytest.raises(AttributeError):
        negotiation.no_such_name  # noqa: B018


def test_simulate_gives_the_log_the_cli_writes(cli, tmp_path):
    assert cli("run", TEXTBOOK, "--seed", "4", "--out", tmp_path / "r", "--no-png").exit_code == 0
    run = negotiation.simulate(TEXTBOOK, seed=4)
    assert run.log_text == (tmp_path / "r" / "log.jsonl").read_text()
    assert run.summary == json.loads((tmp_path / "r" / "summary.json").read_text())
    assert run.outcome == run.records[-1].get("outcome") and run.seed == 4
    assert run.model.round == run.summary["rounds"]


def test_to_frame_has_one_row_per_record_after_the_header():
    run = negotiation.simulate(negotiation.load_scenario(TEXTBOOK), seed=2)
    frame = run.to_frame()
    records = run.records[1:]
    assert len(frame) == len(records) and list(frame["type"]) == [r["type"] for r in records]
    assert list(frame.columns[:3]) == ["round", "date", "type"]
    offers = frame[frame["type"] == "offer"]
    first = next(r for r in records if r["type"] == "offer")
    assert offers.iloc[0]["salary_keur"] == first["outcome"]["salary_keur"]
    assert offers.iloc[0]["u.candidate"] == first["utilities"]["candidate"]
    assert offers.iloc[0]["rv.employer"] == first["reservations"]["employer"]
    assert frame.iloc[-1]["type"] == "end" and frame.iloc[-1]["result"] == run.summary["result"]


def test_load_scenario_takes_sets_and_overlays_as_mappings_or_files(tmp_path):
    plain = negotiation.load_scenario(TEXTBOOK)
    by_map = negotiation.load_scenario(TEXTBOOK, sets={"parties.candidate.reservation": 0.5})
    by_text = negotiation.load_scenario(TEXTBOOK, sets=["parties.candidate.reservation=0.5"])
    assert by_map.resolved == by_text.resolved != plain.resolved
    overlay = write_yaml(tmp_path / "o.yaml", {"parties": {"candidate": {"reservation": 0.5}}})
    assert negotiation.load_scenario(TEXTBOOK, overlay=overlay).resolved == by_map.resolved
    assert negotiation.load_scenario(TEXTBOOK, overlay={"parties": {"candidate": {"reservation": 0.5}}}).resolved \
        == by_map.resolved
    with pytest.raises(InputError) as bad:
        negotiation.load_scenario(TEXTBOOK, overlay={"parties": {"candidate": {"reservaton": 0.5}}})
    assert "parties.candidate.reservaton" in bad.value.message


def rows_of(path) -> list[list[str]]:
    with path.open(newline="") as fh:
        return list(csv.reader(fh))


def as_cells(frame) -> list[list[str]]:
    def one(value):  # dates are datetime64 in the frame, ISO text in the CSV
        if value is pd.NaT or isinstance(value, float) and math.isnan(value):
            return None
        return value.date().isoformat() if isinstance(value, pd.Timestamp) else value
    return [list(frame.columns)] + [[cell(one(v)) for v in row] for row in frame.astype(object).itertuples(index=False)]


def test_montecarlo_frame_is_results_csv(tmp_path):
    frame = negotiation.montecarlo(TEXTBOOK, runs=6, noise=0.2, seed=5, executor="inprocess", out=tmp_path / "m")
    assert as_cells(frame) == rows_of(tmp_path / "m" / "results.csv")
    assert frame.attrs["summary"] == json.loads((tmp_path / "m" / "summary.json").read_text())
    assert (tmp_path / "m" / "dates.png").is_file()
    again = negotiation.montecarlo(negotiation.load_scenario(TEXTBOOK), runs=6, noise=0.2, seed=5,
                                   executor="inprocess")
    assert as_cells(again) == as_cells(frame) and "folder" not in again.attrs


def test_sweep_and_whatif_frames(tmp_path):
    cells = negotiation.sweep(TEXTBOOK, {"parties.employer.reservation": [0.3, 0.5]}, seeds=2, executor="inprocess")
    assert list(cells["parties.employer.reservation"]) == [0.3, 0.3, 0.5, 0.5]
    assert cells["seed"].iloc[0] == cells["seed"].iloc[2]  # shared seeds across cells
    with pytest.warns(UserWarning, match="noise=0: the 2 runs of each arm differ only by seed"):
        arms = negotiation.whatif(TEXTBOOK, sets=["parties.candidate.reservation=0.6"], runs=2, noise=0,
                                  executor="inprocess")
    assert list(arms["variant"]) == ["baseline", "baseline", "counterfactual", "counterfactual"]
    assert (arms[arms["variant"] == "counterfactual"]["rv.candidate"] == 0.6).all()


def test_analyse_and_compare():
    analysis = negotiation.analyse(TEXTBOOK)
    as_json = analysis.to_dict()
    assert analysis.nash == as_json["nash"] and analysis.parties == ("employer", "candidate")
    frontier = analysis.pareto_frontier
    assert len(frontier) == len(as_json["pareto"]) and frontier["rational"].sum() == len(as_json["rational_pareto"])
    run = negotiation.simulate(TEXTBOOK)
    d = analysis.distances(run)
    assert 0 <= d["frontier"] <= d["nash"]
    assert analysis.distances(analysis.nash)["nash"] == 0
    default = negotiation.simulate(DEFAULT)
    assert negotiation.compare(default) == default.summary["comparison"]
    with pytest.raises(InputError):
        negotiation.compare(run)  # the textbook scenario names no real deal


def test_compare_a_run_folder(tmp_path):
    folder = negotiation.simulate(DEFAULT).save(tmp_path, png=False)
    assert negotiation.compare(folder) == json.loads((folder / "summary.json").read_text())["comparison"]
