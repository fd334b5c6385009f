"""Mistakes on the command line itself (a value outside the listed choices,
a word where a number goes, an unknown option or command) are bad input like
any other: one line on stderr naming the option, the value and what is
expected; exit 2; no traceback, no usage box; nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import DEFAULT, ROOT, TEXTBOOK

EXECUTOR_LINE = "error: --executor: thread: one of processes, inprocess, dask expected"

# every command taking --executor, otherwise called as a user would, so the executor is its only mistake
EXPERIMENTS = {
    "montecarlo": ["montecarlo", TEXTBOOK, "--runs", "2"],
    "sweep": ["sweep", TEXTBOOK, "--grid", "parties.employer.strategy.e=0.2,0.5"],
    "whatif": ["whatif", TEXTBOOK, "--set", "parties.candidate.reservation=0.6", "--runs", "2"],
    "backtest": ["backtest", DEFAULT, "--runs", "2"],
}


def one_line(result) -> str:
    """The single line the command wrote on stderr (it must have written nothing else)."""
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    assert "╭" not in result.stderr and "Usage:" not in result.stderr  # not typer's boxed usage block
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("error: ")
    return result.stderr[:-1]


@pytest.mark.parametrize("command", sorted(EXPERIMENTS))
def test_an_unknown_executor_is_one_line_naming_it_and_the_choices(cli, tmp_path, command):
    runs, out = tmp_path / "runs", tmp_path / "out"
    result = cli(*EXPERIMENTS[command], "--executor", "thread", "--runs-dir", runs, "--out", out)
    assert one_line(result) == EXECUTOR_LINE
    assert not runs.exists() and not out.exists()


def test_an_unknown_executor_from_a_shell(tmp_path):
    """The whole process, as typed in a shell: the line, status 2, and the working folder left empty."""
    done = subprocess.run([sys.executable, "-m", "negotiation", "montecarlo", "--executor", "thread", "--runs", "2"],
                          capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == EXECUTOR_LINE + "\n"
    assert list(tmp_path.iterdir()) == []


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    from typer.testing import CliRunner

    from negotiation.cli import app

    folder = tmp_path_factory.mktemp("run") / "r"
    result = CliRunner().invoke(app, ["run", str(TEXTBOOK), "--no-png", "--out", str(folder)])
    assert result.exit_code == 0, result.output
    return folder


@pytest.mark.parametrize(("args", "line"), [
    (["run", "--seed", "abc"], "error: --seed: abc: a whole number expected"),
    (["montecarlo", "--runs", "1.5"], "error: --runs: 1.5: a whole number expected"),
    (["montecarlo", "--noise", "high"], "error: --noise: high: a number expected"),
    (["sweep", "--workers", "all"], "error: --workers: all: a whole number expected"),
    (["bench", "--repeats", "x"], "error: --repeats: x: a whole number expected"),
    (["montecarlo", "--executor"], "error: --executor: a value expected (one of processes, inprocess, dask)"),
    (["run", "--no-png=1"], "error: --no-png: no value expected: a flag (--no-png, not --no-png=…)"),
    (["sweep", "--keep-logs=yes"], "error: --keep-logs: no value expected: a flag (--keep-logs, not --keep-logs=…)"),
    (["montecarlo", "--executor=gpu"], "error: --executor: gpu: one of processes, inprocess, dask expected"),
    (["montecarlo", "--rnus", "3"], "error: --rnus: not an option of negotiation montecarlo (-h lists them); "
                                    "did you mean --noise, --runs or --runs-dir?"),
    (["whatif"], "error: negotiation whatif: SCENARIO: the baseline scenario YAML expected; none given"),
    (["montecarlo", "--executor", "[bold]x"], "error: --executor: [bold]x: one of processes, inprocess, dask expected"),
    (["montecarlo", "--executor", "a\nb"], "error: --executor: a\u240ab: one of processes, inprocess, dask expected"),
])
def test_other_parsing_mistakes_are_one_line_too(cli, args, line):
    assert one_line(cli(*args)) == line


def test_replay_options_are_checked_the_same_way(cli, run_folder):
    assert one_line(cli("replay", run_folder, "--round", "last")) == "error: --round: last: a whole number expected"
    assert one_line(cli("replay", run_folder, "--speed", "fast")) == "error: --speed: fast: a number expected"


def test_an_unknown_command_lists_the_commands(cli):
    line = one_line(cli("montecralo"))
    assert line.startswith("error: negotiation: montecralo: a command expected, one of run, ")
    assert all(name in line for name in ("montecarlo", "sweep", "whatif", "backtest", "replay"))
    assert line.endswith("; did you mean montecarlo?")


def test_asking_for_nothing_still_shows_help(cli):
    result = cli()
    assert "Usage: negotiation" in result.output and "error:" not in result.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(min_size=1, max_size=20).filter(lambda v: v not in ("processes", "inprocess", "dask")
                                                      and not v.startswith("-")))
def test_any_other_executor_word_is_refused_in_one_line(cli, value):
    line = one_line(cli("montecarlo", "--executor", value))
    assert line.startswith("error: --executor: ") and line.endswith(": one of processes, inprocess, dask expected")


@pytest.mark.parametrize("name", ["[bold]x.yaml", "[/]x.yaml", "a\nb.yaml", ":V:.yaml"])
def test_a_file_name_is_shown_as_written_not_as_markup(cli, tmp_path, name):
    """Names in the line of any bad input are text: rich markup in them is not applied, a newline stays on the line."""
    line = one_line(cli("validate", tmp_path / name))
    assert line == f"error: {tmp_path / name}: no such file".replace("\n", "\u240a")


def every_option() -> list[tuple[str, str, str]]:
    """(command, option, what it takes: "flag", "number", "choice" or "text") for every option of every command."""
    import typer.main

    from negotiation.cli import app

    group = typer.main.get_command(app)
    found = []
    for name, command in group.commands.items():
        for param in command.params:
            desc = param.type_descriptor
            kind = ("flag" if getattr(param, "is_flag", False) else "choice" if desc.is_choice
                    else "number" if desc.annotation in (int, float) else "text")
            found += [(name, opt, kind) for opt in (*param.opts, *getattr(param, "secondary_opts", ()))
                      if opt.startswith("--") and opt != "--help"]
    return found


@pytest.mark.parametrize(("command", "option", "takes"), every_option())
def test_every_option_misused_is_one_line(cli, tmp_path, monkeypatch, command, option, takes):
    """Whatever the command and option: left without its value, given a word that is no number or choice,
    or (a flag) given a value, the answer is one line naming the option, exit 2, and nothing written."""
    monkeypatch.chdir(tmp_path)  # where a command would write
    tries = {"flag": [[f"{option}=1"]], "text": [[option]]}.get(takes, [[option], [option, "zz"]])
    for args in tries:
        line = one_line(cli(command, *args))
        assert line.startswith(f"error: {option}: "), line
        assert ("zz: " in line) == ("zz" in args)
    assert list(tmp_path.iterdir()) == []
