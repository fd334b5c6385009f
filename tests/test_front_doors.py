"""The three front doors (the command, the Python API, the app) go through
one application service: the same real deal or the same refusal when
comparing, the same scenario from values given as data, and errors naming
what each door's user typed (a parameter in Python, a flag on the command line)."""

from __future__ import annotations

import shutil

import pytest

import negotiation
from negotiation.errors import InputError

from .conftest import DEFAULT, ROOT, TEXTBOOK


def error_line(result) -> str:
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line, line
    assert line.startswith("error: ")
    return line.removeprefix("error: ")


# -- compare: one path, one behaviour -------------------------------------------------

def test_compare_without_a_real_deal_is_the_same_clear_refusal_from_cli_and_api(cli, tmp_path):
    folder = tmp_path / "run"
    assert cli("run", TEXTBOOK, "--no-png", "--out", folder).exit_code == 0  # job_offer names no truth:
    with pytest.raises(InputError) as raised:
        negotiation.compare(folder)
    api = raised.value
    assert (api.source, api.key) == (str(folder / "scenario.yaml"), "truth")
    assert "real deal" in api.expected and "job_offer" in api.expected and "`truth`" in api.expected
    line = error_line(cli("compare", folder))
    assert line == api.message.replace("`truth`", "--truth")
    with pytest.raises(InputError) as in_memory:  # the run in memory: the same words, naming the scenario file
        negotiation.compare(negotiation.simulate(TEXTBOOK))
    assert in_memory.value.key == "truth" and in_memory.value.expected == api.expected


def test_a_bare_log_is_never_compared_with_another_negotiations_real_deal(cli, tmp_path):
    """A log without its scenario.yaml: no fallback to the Microsoft–OpenAI real deal, in either door."""
    ran = tmp_path / "run"
    assert cli("run", DEFAULT, "--no-png", "--out", ran).exit_code == 0
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(ran / "log.jsonl", bare / "log.jsonl")
    with pytest.raises(InputError) as raised:
        negotiation.compare(bare)
    assert raised.value.key == "truth" and "no scenario.yaml" in raised.value.expected
    assert error_line(cli("compare", bare)) == raised.value.message.replace("`truth`", "--truth")
    truth = ROOT / "data" / "real_deal.yaml"  # given, it is used, by both doors alike
    result = cli("compare", bare, "--truth", truth)
    assert result.exit_code == 0 and "agi_clause" in result.output
    given = negotiation.compare(bare / "log.jsonl", truth=truth)
    own = negotiation.compare(ran)  # the folder's own copy of the same real deal
    assert own["truth"] == "truth.yaml" and given["truth"] == str(truth)
    assert {k: v for k, v in given.items() if k != "truth"} == {k: v for k, v in own.items() if k != "truth"}


# -- errors: the API names parameters, the CLI its flags --------------------------------

@pytest.mark.parametrize(("kwargs", "args", "parameter", "flag"), [
    ({"noise": 5.0}, ["--noise", "5"], "noise", "--noise"),
    ({"seed": 2**63}, ["--seed", str(2**63)], "seed", "--seed"),
])
def test_an_experiment_error_names_the_parameter_in_python_and_the_flag_on_the_command_line(
        cli, tmp_path, kwargs, args, parameter, flag):
    with pytest.raises(InputError) as raised:
        negotiation.montecarlo(TEXTBOOK, runs=2, executor="inprocess", **kwargs)
    assert raised.value.source == parameter and "--" not in raised.value.message
    line = error_line(cli("montecarlo", TEXTBOOK, "--runs", "2", "--executor", "inprocess", *args,
                          "--runs-dir", tmp_path / "runs"))
    assert line.startswith(f"{flag}: ")
    assert not (tmp_path / "runs").exists()


def test_a_sweep_error_names_grid_and_seeds_as_each_door_calls_them(cli, tmp_path):
    with pytest.raises(InputError) as raised:
        negotiation.sweep(TEXTBOOK, {"seed": [1, 2]}, executor="inprocess")
    assert (raised.value.source, raised.value.key) == ("grid", "seed")
    assert "`seeds`" in raised.value.expected and "--" not in raised.value.message
    line = error_line(cli("sweep", TEXTBOOK, "--grid", "seed=1,2", "--executor", "inprocess",
                          "--runs-dir", tmp_path / "runs"))
    assert line == raised.value.message.replace("`seeds`", "--seeds").replace("grid", "--grid", 1)
    with pytest.raises(InputError) as runs:
        negotiation.montecarlo(TEXTBOOK, runs=0)
    assert runs.value.source == "runs"


def test_a_whatif_without_a_counterfactual_says_so_in_each_doors_words(cli, tmp_path):
    with pytest.raises(InputError) as raised:
        negotiation.whatif(TEXTBOOK, runs=2, executor="inprocess")
    assert raised.value.source == "counterfactual" and "`sets`" in raised.value.expected
    line = error_line(cli("whatif", TEXTBOOK, "--runs", "2", "--executor", "inprocess",
                          "--runs-dir", tmp_path / "runs"))
    assert line.startswith("COUNTERFACTUAL: ") and "--set" in line


# -- values and overlays as data ---------------------------------------------------------

def test_values_and_overlays_as_data_play_what_set_strings_play(cli, tmp_path):
    result = cli("run", TEXTBOOK, "--set", "parties.candidate.reservation=0.5", "--set",
                 "calendar.deadline=2026-02-20", "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    typed = (tmp_path / "run" / "log.jsonl").read_text(encoding="utf-8")
    as_data = negotiation.load_scenario(TEXTBOOK, sets={"parties.candidate.reservation": 0.5},
                                       overlay={"calendar": {"deadline": "2026-02-20"}})
    assert negotiation.simulate(as_data).log_text == typed
    base = negotiation.load_scenario(TEXTBOOK)
    changed = negotiation.simulate(base, sets={"parties.candidate.reservation": 0.5,
                                               "calendar.deadline": "2026-02-20"})
    assert changed.log_text == typed and changed.scenario.source == str(TEXTBOOK)  # changed in memory


def test_a_bad_key_path_in_values_names_sets_in_python_and_set_on_the_command_line(cli):
    with pytest.raises(InputError) as raised:
        negotiation.load_scenario(TEXTBOOK, sets={"parties.nobody.reservation": 0.5})
    assert (raised.value.source, raised.value.key) == ("sets", "parties.nobody")
    line = error_line(cli("validate", TEXTBOOK, "--set", "parties.nobody.reservation=0.5"))
    assert line == "--set" + raised.value.message.removeprefix("sets")


def test_experiments_run_on_the_scenario_in_memory_without_writing_it(monkeypatch):
    from negotiation.inputs import config

    base = negotiation.load_scenario(TEXTBOOK)
    by_path = negotiation.montecarlo(TEXTBOOK, runs=3, sets={"parties.candidate.reservation": 0.5},
                                     executor="inprocess")

    def no_yaml(*_args, **_kwargs):
        raise AssertionError("a scenario in memory was written out as YAML")

    monkeypatch.setattr(config, "scenario_yaml", no_yaml)
    in_memory = negotiation.montecarlo(base, runs=3, sets={"parties.candidate.reservation": 0.5},
                                       executor="inprocess")
    assert in_memory.drop(columns=["date"], errors="ignore").equals(by_path.drop(columns=["date"], errors="ignore"))
    assert in_memory.attrs["summary"]["settings"]["sets"] == ["parties.candidate.reservation=0.5"]


def test_a_value_set_on_a_scenario_is_blamed_as_sets_in_python_and_as_set_on_the_command_line(cli):
    with pytest.raises(InputError) as raised:
        negotiation.load_scenario(TEXTBOOK, sets={"parties.candidate.reservation": 5})
    assert "(with `sets` parties.candidate.reservation=5)" in raised.value.source
    assert "--" not in raised.value.message
    line = error_line(cli("validate", TEXTBOOK, "--set", "parties.candidate.reservation=5"))
    assert line == raised.value.message.replace("`sets`", "--set")


def test_an_occupied_out_folder_is_out_in_python_and_the_flag_on_the_command_line(cli, tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError) as raised:
        negotiation.montecarlo(TEXTBOOK, runs=2, executor="inprocess", out=tmp_path / "taken")
    assert raised.value.source == "out"
    line = error_line(cli("montecarlo", TEXTBOOK, "--runs", "2", "--executor", "inprocess",
                          "--out", tmp_path / "taken"))
    assert line == "--" + raised.value.message
    assert (tmp_path / "taken" / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_no_tactics_is_the_same_refusal_from_both_doors(cli, tmp_path):
    with pytest.raises(InputError) as raised:
        negotiation.tournament(TEXTBOOK, "  ", runs=2, executor="inprocess")
    assert raised.value.source == "tactics" and "at least two tactics" in raised.value.expected
    line = error_line(cli("tournament", TEXTBOOK, "--tactics", "  ", "--runs", "2", "--executor", "inprocess",
                          "--runs-dir", tmp_path / "runs"))
    assert line == "--" + raised.value.message


def test_below_the_front_doors_errors_name_parameters_never_flags():
    """cli/flags.py is the one map from parameters to flags: a module outside
    cli/ that raised with ``--x`` would show the API's caller a flag."""
    import ast
    import re
    from pathlib import Path

    package = Path(negotiation.__file__).parent
    flag = re.compile(r"(?<![\w-])--[a-z]")
    offenders = []
    for path in sorted(package.rglob("*.py")):
        where = path.relative_to(package)
        if where.parts[0] == "cli":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            if isinstance(node, ast.Call) and getattr(func, "id", getattr(func, "attr", None)) in ("InputError", "blame"):
                texts = [c.value for a in node.args for c in ast.walk(a)
                         if isinstance(c, ast.Constant) and isinstance(c.value, str)]
                offenders += [f"{where}:{node.lineno}: {t}" for t in texts if flag.search(t)]
    assert not offenders, offenders
