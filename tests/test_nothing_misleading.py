"""Issue 19, through the command line: bad input that used to be a
traceback is one line and exit 2; what the reports show means what it says
(each arm's own deadline, the counterfactual as given, no other party's
reservation value in a party's replay); tables fit 80 columns uncut."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.cells import cell_len

from negotiation.reports.fit import Fit

from .conftest import DEFAULT, ROOT, TEXTBOOK


def one_line_exit_2(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in result.output, result.stderr
    return lines[0]


# -- item 4: tracebacks ----------------------------------------------------------------

@pytest.mark.parametrize("path", ["parties.employer.weights", "parties.employer.values", "clauses.salary_keur",
                                  "parties.employer", "calendar"])
@pytest.mark.parametrize("value", ["0.15", "[[F1]]", "{a: 1}", "[1]"])
def test_because_that_is_not_fact_ids_is_one_line(cli, path, value):
    line = one_line_exit_2(cli("validate", TEXTBOOK, "--set", f"{path}.because={value}"))
    assert path in line


@pytest.mark.parametrize("value", ["inf", "nan", "1e308", "0", "-1"])
def test_capability_must_be_a_finite_positive_number(cli, tmp_path, value):
    line = one_line_exit_2(cli("backtest", DEFAULT, "--runs", "2", "--executor", "inprocess",
                               "--capability", f"openai={value}", "--runs-dir", tmp_path / "runs"))
    assert "--capability" in line and f"openai={value}" in line
    assert not (tmp_path / "runs").exists()


@pytest.fixture
def run_folder(cli, tmp_path) -> Path:
    result = cli("run", TEXTBOOK, "--no-png", "--out", tmp_path / "run")
    assert result.exit_code == 0, result.output
    return tmp_path / "run"


@pytest.mark.parametrize("edit", [
    lambda records: records[0]["parties"][0].update(reservation=1e308),
    lambda records: next(r for r in records if r["type"] == "offer")["reservations"].update(employer=1e308),
    lambda records: next(r for r in records if r["type"] == "offer")["utilities"].update(employer=-1e308),
])
def test_replay_of_a_log_with_values_outside_0_1_is_one_line(cli, run_folder, edit):
    log = run_folder / "log.jsonl"
    records = [json.loads(line) for line in log.read_text().splitlines()]
    edit(records)
    log.write_text("".join(json.dumps(r) + "\n" for r in records))
    for command in (("replay", run_folder, "--no-animate"), ("compare", run_folder)):
        line = one_line_exit_2(cli(*command))
        assert "log.jsonl:" in line and "expected" in line


# -- item 6: whatif's noise ------------------------------------------------------------

def test_whatif_varies_preferences_by_default_and_warns_when_it_does_not(cli, tmp_path):
    result = cli("whatif", TEXTBOOK, "--set", "parties.candidate.reservation=0.6", "--runs", "3",
                 "--executor", "inprocess", "--out", tmp_path / "noisy")
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr
    summary = json.loads((tmp_path / "noisy" / "summary.json").read_text())
    assert summary["settings"]["noise"] == 0.1
    rows = (tmp_path / "noisy" / "results.csv").read_text().splitlines()
    header = rows[0].split(",")
    rvs = {r.split(",")[header.index("rv.candidate")] for r in rows[1:]}
    assert len(rvs) > 1  # three noisy runs per arm, not one run three times
    quiet = cli("whatif", TEXTBOOK, "--set", "parties.candidate.reservation=0.6", "--runs", "1", "--noise", "0",
                "--executor", "inprocess", "--out", tmp_path / "one")
    assert quiet.exit_code == 0 and "warning" not in quiet.stderr  # one run: nothing is repeated


# -- item 7: the what-if table says what it computed -----------------------------------

def test_whatif_table_shows_each_arms_deadline_and_the_set_counterfactual(cli, tmp_path):
    result = cli("whatif", TEXTBOOK, "--set", "calendar.deadline=2026-02-27", "--runs", "2",
                 "--executor", "inprocess", "--out", tmp_path / "w")
    assert result.exit_code == 0, result.output
    text = " ".join(word for word in result.stdout.split() if word != "│")  # the panel's frame apart
    assert "P(by 2026-01-30) calendar" not in text  # the baseline's date is not the counterfactual's
    assert "P(by calendar's deadline)" in text and "2026-01-30" in text and "2026-02-27" in text
    assert "job_offer.yaml + --set calendar.deadline=2026-02-27" in text
    assert not any(line.rstrip(" │").endswith(" mean") for line in result.stdout.splitlines())


# -- item 8: a grid value twice --------------------------------------------------------

@pytest.mark.parametrize("values", ["0.3,0.3", "1,1.0", "0.2,0.5,0.2"])
def test_sweep_refuses_a_value_listed_twice(cli, tmp_path, values):
    line = one_line_exit_2(cli("sweep", TEXTBOOK, "--grid", f"parties.employer.strategy.e={values}",
                               "--executor", "inprocess", "--runs-dir", tmp_path / "runs"))
    assert "--grid" in line and "more than once" in line
    assert not (tmp_path / "runs").exists()


def test_experiment_seed_must_be_a_scenario_seed(cli, tmp_path):
    line = one_line_exit_2(cli("montecarlo", TEXTBOOK, "--runs", "2", "--seed", "-1", "--executor", "inprocess",
                               "--runs-dir", tmp_path / "runs"))
    assert "--seed" in line


# -- item 10: compare without a real deal, replay --party ------------------------------

def test_compare_of_a_scenario_without_truth_says_there_is_no_real_deal(cli, run_folder):
    line = one_line_exit_2(cli("compare", run_folder))
    assert "real deal" in line and "job_offer" in line and "--truth" in line
    assert "at least one clause" not in line


def test_replay_as_one_party_hides_the_others_reservation_value(cli, run_folder):
    result = cli("replay", run_folder, "--party", "candidate", "--no-animate")
    assert result.exit_code == 0, result.output
    header = result.stdout.split("round 1 ")[0]
    employer = next(line for line in header.splitlines() if line.startswith("employer"))
    assert "private" in employer and "0.350" not in employer
    assert "0.400" in next(line for line in header.splitlines() if line.startswith("candidate"))
    assert "0.350" in cli("replay", run_folder, "--no-animate").stdout.split("round 1 ")[0]


# -- item 11: tables at 80 columns -----------------------------------------------------

TABLES = {
    "run": ("run", DEFAULT, "--no-png"),
    "whatif": ("whatif", DEFAULT, ROOT / "configs" / "counterfactuals" / "no_attorneys_general.yaml", "--runs", "2"),
    "montecarlo": ("montecarlo", DEFAULT, "--runs", "3"),
    "sweep": ("sweep", DEFAULT, "--grid", "parties.openai.strategy.e=0.2,1", "--grid",
              "parties.microsoft.strategy.e=0.3,0.5", "--grid", "parties.softbank.condition_date=2025-12-31"),
    "backtest": ("backtest", DEFAULT, "--runs", "3"),
    "backtest-library": ("backtest", ROOT / "tests" / "fixtures" / "library", "--runs", "3"),
    "analyze": ("analyze", DEFAULT, "--no-png"),
    "analyze-large": ("analyze", ROOT / "configs" / "large_contract.yaml", "--no-png"),
}

# Each command as the console script runs it (negotiation.cli.main), one after the other in one interpreter,
# its output split from the next one's by a line of MARK and its exit status.
MARK = "=== negotiation command ended:"
PIPED = f"""
import json, sys
from negotiation.cli import main
for args in json.loads(sys.argv[1]):
    sys.argv = ["negotiation", *args]
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    sys.stdout.flush()
    print("\\n{MARK}", json.dumps(code), flush=True)
    print("{MARK}", file=sys.stderr, flush=True)
"""


@pytest.fixture(scope="module")
def piped(tmp_path_factory) -> dict[str, tuple[int | None, str, str]]:
    """Every command of TABLES with its output piped, as a user's ``| less``
    or ``> file``: 80 columns. One interpreter runs them all (one Python
    start-up and one import of the simulator, not eight): its standard
    output is a pipe for each, as it is for each in a shell."""
    commands = []
    for name, args in TABLES.items():
        runs = tmp_path_factory.mktemp(f"tables-{name}")
        experiment = args[0] in ("whatif", "montecarlo", "sweep", "backtest")
        extra = ("--executor", "inprocess", "--runs-dir", runs) if experiment else \
            ("--runs-dir", runs) if args[0] == "run" else ()
        commands.append([str(a) for a in (*args, *extra)])
    done = subprocess.run([sys.executable, "-c", PIPED, json.dumps(commands)], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "COLUMNS": "80"}, timeout=600)
    outs = done.stdout.split(f"\n{MARK} ")
    errs = done.stderr.split(f"{MARK}\n")
    assert len(outs) == len(commands) + 1 and len(errs) == len(commands) + 1, done.stderr[-3000:]
    codes = [json.loads(part.split("\n", 1)[0]) for part in outs[1:]]
    texts = [outs[0]] + [part.split("\n", 1)[1] for part in outs[1:-1]]
    return {name: (code, text, err) for name, code, text, err in zip(TABLES, codes, texts, errs)}


@pytest.mark.parametrize("name", list(TABLES))
def test_tables_fit_80_columns_without_cutting_a_value(piped, name):
    code, stdout, stderr = piped[name]
    assert code in (0, None), stderr
    # a folder's path is printed whole on its own line, to be copied: not a table
    lines = [line for line in stdout.splitlines() if not line.startswith(("run folder: ", "experiment folder: "))]
    assert lines and max(cell_len(line) for line in lines) <= 80
    assert "…" not in stdout
    if name.startswith("analyze"):
        assert "external_test" in stdout or "full_verified" in stdout


words = st.text("abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=14)


@settings(max_examples=60, deadline=None)
@given(width=st.integers(30, 120), columns=st.integers(2, 8), rows=st.integers(1, 4), data=st.data())
def test_fit_never_cuts_a_value_nor_overflows_the_width(width, columns, rows, data):
    """Whatever its shape, a table through Fit is written within the width,
    and every cell value appears whole on some line."""
    table = Table(box=None, pad_edge=False)
    for k in range(columns):
        table.add_column(data.draw(words), no_wrap=True, justify="right" if k else "left")
    cells = [[data.draw(words) for _ in range(columns)] for _ in range(rows)]
    for row in cells:
        table.add_row(*row)
    console = Console(width=width, record=True, file=open(os.devnull, "w"), color_system=None)
    console.print(Fit(table))
    lines = console.export_text().splitlines()
    assert all(cell_len(line) <= width for line in lines)
    assert "…" not in "\n".join(lines)
    for value in (v for row in cells for v in row):
        assert any(value in line for line in lines), value
