"""Issue 19, through the Python API: the checks the CLI makes, errors that
name the function's parameters, a plain script that runs, dates as dates,
and Mesa's agent table."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import warnings

import pytest

import negotiation
from negotiation.errors import InputError

from .conftest import ROOT, TEXTBOOK


@pytest.mark.parametrize("seed", [True, -1, 2.7, 2**70, "3"])
def test_simulate_refuses_a_seed_the_cli_would_refuse(seed, tmp_path):
    with pytest.raises(InputError) as bad:
        negotiation.simulate(TEXTBOOK, seed=seed)
    assert bad.value.source == "seed" and "--" not in bad.value.message
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize("call", [
    lambda: negotiation.montecarlo(TEXTBOOK, runs=True, executor="inprocess"),
    lambda: negotiation.montecarlo(TEXTBOOK, runs=0, executor="inprocess"),
    lambda: negotiation.montecarlo(TEXTBOOK, runs=2.0, executor="inprocess"),
    lambda: negotiation.whatif(TEXTBOOK, sets="parties.candidate.reservation=0.6", runs=-3, executor="inprocess"),
    lambda: negotiation.sweep(TEXTBOOK, "parties.employer.reservation=0.3", seeds=True, executor="inprocess"),
], ids=["true", "zero", "float", "negative", "seeds-true"])
def test_counts_are_whole_numbers_named_as_the_api_names_them(call):
    with pytest.raises(InputError) as bad:
        call()
    assert bad.value.source in ("runs", "seeds") and "--" not in bad.value.message


def test_errors_from_the_designs_name_the_parameter_not_the_flag():
    with pytest.raises(InputError) as bad:
        negotiation.montecarlo(TEXTBOOK, runs=2, noise=5.0, executor="inprocess")
    assert bad.value.message.startswith("noise: 5.0:")
    with pytest.raises(InputError) as bad:
        negotiation.sweep(TEXTBOOK, {"parties.employer.reservation": [0.3, 0.3]}, executor="inprocess")
    assert bad.value.source == "grid" and "more than once" in bad.value.message
    with pytest.raises(InputError) as bad:
        negotiation.whatif(TEXTBOOK, runs=2, executor="inprocess")
    assert "--" not in bad.value.message and "sets" in bad.value.message
    with pytest.raises(InputError) as bad:
        negotiation.montecarlo(TEXTBOOK, runs=2, executor="threads")
    assert bad.value.source == "executor"


def test_sets_as_one_string_a_list_or_a_mapping_mean_the_same():
    one = negotiation.load_scenario(TEXTBOOK, sets="parties.candidate.reservation=0.6")
    assert one.resolved == negotiation.load_scenario(TEXTBOOK, sets=["parties.candidate.reservation=0.6"]).resolved
    assert one.resolved == negotiation.load_scenario(TEXTBOOK, sets={"parties.candidate.reservation": 0.6}).resolved
    with pytest.raises(InputError) as bad:
        negotiation.load_scenario(TEXTBOOK, sets=5)
    assert bad.value.source == "sets"


def test_simulate_takes_sets_as_run_takes_set(cli, tmp_path):
    run = negotiation.simulate(TEXTBOOK, seed=3, sets="parties.candidate.reservation=0.6")
    assert run.summary["reservations"]["candidate"] == 0.6
    same = negotiation.simulate(negotiation.load_scenario(TEXTBOOK), seed=3,
                                sets={"parties.candidate.reservation": 0.6})
    assert same.log_text == run.log_text
    result = cli("run", TEXTBOOK, "--seed", "3", "--set", "parties.candidate.reservation=0.6", "--no-png",
                 "--out", tmp_path / "r")
    assert result.exit_code == 0 and (tmp_path / "r" / "log.jsonl").read_text() == run.log_text


def test_whatif_takes_a_mapping_overlay_and_varies_preferences_by_default():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # noise 0.1 by default: no warning
        arms = negotiation.whatif(TEXTBOOK, {"parties": {"candidate": {"reservation": 0.6}}}, runs=3,
                                  executor="inprocess")
    assert arms.attrs["summary"]["settings"]["noise"] == 0.1
    assert arms.attrs["summary"]["counterfactual_source"].endswith("+ an overlay mapping")
    other = arms[arms["variant"] == "counterfactual"]
    assert other["rv.candidate"].nunique() == 3  # noisy, not one run three times
    with pytest.warns(UserWarning, match="noise=0"):
        negotiation.whatif(TEXTBOOK, {"parties": {"candidate": {"reservation": 0.6}}}, runs=2, noise=0,
                           executor="inprocess")


def test_dates_are_dates():
    frame = negotiation.simulate(TEXTBOOK).to_frame()
    assert frame["date"].dtype.kind == "M"
    table = negotiation.montecarlo(TEXTBOOK, runs=3, executor="inprocess")
    for column in ("end_date", "agreement_date", "tentative_date"):
        assert table[column].dtype.kind == "M"


def test_dir_lists_the_api_not_its_imports():
    names = dir(negotiation)
    assert {"simulate", "montecarlo", "whatif", "Run", "__version__"} <= set(names)
    assert not {"Any", "TYPE_CHECKING", "annotations"} & set(names)


def test_agent_table_records_each_bargainer_every_round():
    run = negotiation.simulate(TEXTBOOK, seed=3)
    collector = run.model.datacollector
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        agents = collector.get_agent_vars_dataframe()
    rounds = collector.get_model_vars_dataframe()
    bargainers = agents[agents["kind"] == "Bargainer"]
    assert set(bargainers["name"]) == {"employer", "candidate"}
    assert len(bargainers) == 2 * len(rounds)  # one row per bargainer per collected round
    last = bargainers.xs(bargainers.index.get_level_values(0).max(), level=0).set_index("name")
    for name in ("employer", "candidate"):
        assert last.loc[name, "rv"] == rounds[f"rv.{name}"].iloc[-1]
        own, theirs = last.loc[name, "own"], rounds[f"own.{name}"].iloc[-1]
        assert (own != own and theirs != theirs) or own == theirs  # both NaN, or equal


# -- item 5: a plain script --------------------------------------------------------------

SCRIPT = f"""
import negotiation
print("body", flush=True)
table = negotiation.montecarlo({str(TEXTBOOK)!r}, runs=4, workers=2)
print("rows", len(table))
"""


def python(args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          timeout=300)


def test_montecarlo_from_a_script_without_a_main_guard_runs_once(tmp_path):
    script = tmp_path / "plain.py"
    script.write_text(SCRIPT)
    done = python([str(script)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["body", "rows", "4"]  # the script ran once, not once per worker


def test_montecarlo_from_standard_input_runs():
    done = python(["-"], stdin=SCRIPT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["body", "rows", "4"]


def test_processes_asked_for_without_a_main_guard_is_one_line_naming_the_guard(tmp_path):
    script = tmp_path / "explicit.py"
    script.write_text(SCRIPT.replace("workers=2", "workers=2, executor='processes'"))
    done = python([str(script)])
    assert done.returncode == 1 and "BrokenProcessPool" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("negotiation.errors.InputError: executor: processes:")
    assert 'if __name__ == "__main__":' in last and "explicit.py" in last


def test_a_guarded_script_still_uses_worker_processes(tmp_path):
    script = tmp_path / "guarded.py"
    body = textwrap.indent(SCRIPT.split("print(\"body\", flush=True)\n")[1].replace("workers=2", "workers=1"), "    ")
    script.write_text('import negotiation\nfrom negotiation.api import checks\n'
                      'if __name__ == "__main__":\n'
                      '    assert checks.default_executor(None) == "processes"\n' + body)
    done = python([str(script)])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["rows", "4"]
