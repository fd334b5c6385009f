"""The conventions a user expects of a command-line tool: --version, -h,
``python -m negotiation``, shell completion, listed choices, clean help."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import negotiation

from .conftest import ROOT, TEXTBOOK


def module(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``python -m negotiation ARGS`` in a fresh interpreter, from the repository root."""
    return subprocess.run([sys.executable, "-m", "negotiation", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "COLUMNS": "120", **(env or {})}, timeout=60)


def complete(words: str) -> list[str]:
    """What bash completion offers after ``words`` (the protocol typer's script uses)."""
    parts = words.split(" ")
    done = module(env={"_NEGOTIATION_COMPLETE": "complete_bash", "COMP_WORDS": words,
                       "COMP_CWORD": str(len(parts) - 1)})
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_version_is_printed(cli):
    result = cli("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"negotiation {negotiation.__version__}"


def test_python_dash_m_runs_the_same_command():
    done = module("--help")
    assert done.returncode == 0 and "Usage: negotiation" in done.stdout and "montecarlo" in done.stdout
    assert module("--version").stdout.strip() == f"negotiation {negotiation.__version__}"


@pytest.mark.parametrize("args", [["-h"], ["montecarlo", "-h"], ["sweep", "-h"], ["run", "-h"], ["replay", "-h"]])
def test_short_help_and_no_type_shown_on_flags(cli, args):
    result = cli(*args)
    assert result.exit_code == 0 and "Usage: negotiation" in result.stdout
    assert "<bool>" not in result.stdout
    assert "-h" in result.stdout


def test_executor_and_metric_choices_are_listed_in_help(cli):
    from negotiation.cli import app

    text = cli.runner.invoke(app, ["sweep", "--help"], env={"COLUMNS": "200"}).stdout
    assert "<processes|inprocess|dask>" in text
    assert "<score|agreement|days|u.PARTY|welfare|…|CLAUSE>" in text


def test_completion_lists_commands_executors_and_the_scenarios_metrics():
    assert complete("negotiation mon") == ["montecarlo"]
    assert complete("negotiation montecarlo --executor ") == ["processes", "inprocess", "dask"]
    metrics = complete(f"negotiation sweep {TEXTBOOK} --metric ")
    assert metrics[:3] == ["score", "agreement", "days"]
    assert {"u.employer", "u.candidate", "salary_keur", "start"} <= set(metrics)
    assert complete(f"negotiation sweep {TEXTBOOK} --metric u.") == ["u.employer", "u.candidate"]


def test_completion_installs_for_bash(tmp_path):
    shown = module("--show-completion", "bash")
    assert shown.returncode == 0 and "_NEGOTIATION_COMPLETE" in shown.stdout
    done = module("--install-completion", "bash", env={"HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "negotiation.sh"
    assert "_NEGOTIATION_COMPLETE" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


def test_run_on_a_scenario_with_a_real_deal_prints_the_comparison(cli, tmp_path):
    from .conftest import DEFAULT

    result = cli("run", DEFAULT, "--no-png", "--out", tmp_path / "r")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "r" / "summary.json").is_file() and "real" in result.stdout
