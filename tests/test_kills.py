"""Kills, races and full disks: a run folder is whole or absent, an
experiment stopped by SIGTERM or SIGHUP says so in its summary, no worker is
orphaned, nothing half-written stays in the runs folder.

``NEGOTIATION_KILLS`` sets how many random kills each kill test makes (a
handful in CI; the one-off measurement uses 50)."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from negotiation.runs.folder import INCOMPLETE, STAGING, TEMP, clean_stale

from .conftest import ROOT, TEXTBOOK

KILLS = int(os.environ.get("NEGOTIATION_KILLS", "2"))
RUN_FILES = {"scenario.yaml", "log.jsonl", "summary.json", "timing.json"}
EXP_FILES = {"results.csv", "summary.json", "timing.json", "dates.png", "clauses.png"}
pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="process groups and /proc")


class Command:
    """``negotiation ARGS`` in its own process group, output to files (a pipe
    nobody reads while we wait could fill and block it)."""

    started: list[Command] = []  # ended by the fixture below if a test fails before it ends them

    def __init__(self, *args, **kwargs) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.out, self.err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "negotiation", *map(str, args)], stdout=self.out,
                                     stderr=self.err, text=True, start_new_session=True, env=env, **kwargs)
        self.pid = self.proc.pid
        Command.started.append(self)

    def kill_group(self) -> None:
        """SIGKILL to the command and its workers (its process group)."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()

    def poll(self):
        return self.proc.poll()

    def send_signal(self, sig) -> None:
        self.proc.send_signal(sig)

    @property
    def returncode(self):
        return self.proc.returncode

    def communicate(self, timeout: float) -> tuple[str, str]:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill_group()  # a command that hangs fails its test and is not left running
            raise
        self.out.seek(0)
        self.err.seek(0)
        return self.out.read(), self.err.read()


negotiation = Command


@pytest.fixture(autouse=True)
def _no_command_left_running():
    """A test that fails while its command runs (an assert in a wait loop) ends it, workers and all."""
    yield
    for command in Command.started:
        if command.poll() is None or group_alive(command.pid):
            command.kill_group()
    Command.started.clear()


def group_alive(pgid: int) -> list[str]:
    """Processes still in the process group (zombies excluded)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(stat.parent.name)
    return alive


def wait_group_gone(pgid: int, seconds: float = 10.0) -> list[str]:
    deadline = time.monotonic() + seconds
    while (alive := group_alive(pgid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def leftovers(parent: Path, expected: set[str]) -> list[str]:
    """What a later command sees after cleaning, that is not a complete folder."""
    clean_stale(parent)
    found = []
    for entry in parent.iterdir() if parent.exists() else ():
        names = {p.name for p in entry.iterdir()} if entry.is_dir() else set()
        if (entry.name.startswith((STAGING, TEMP)) or not entry.is_dir() or INCOMPLETE in names
                or not expected <= names or any(n.startswith(".") for n in names)):
            found.append(f"{entry.name}: {sorted(names)}")
    return found


def kill_at_random(tmp_path, kind: str, args: list, signals: tuple, expected: set[str], window: tuple[float, float]):
    """``KILLS`` commands, each sent a signal at a random moment; every
    problem found is collected, the counts printed, and none may exist."""
    rng = random.Random(f"{kind}{KILLS}")
    counts = {"kills": 0, "orphans": 0, "not complete": 0, "tracebacks": 0, "bad exit": 0}
    problems = []
    for k in range(KILLS):
        runs = tmp_path / f"runs{k}"
        proc = negotiation(*args, "--runs-dir", runs)
        time.sleep(rng.uniform(*window))
        sig = signals[k % len(signals)]
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
        counts["kills"] += 1
        if wait_group_gone(proc.pid):
            counts["orphans"] += 1
            problems.append(f"{k} {sig!r}: orphans")
        if "Traceback" in err:
            counts["tracebacks"] += 1
            problems.append(f"{k} {sig!r}: {err[-400:]}")
        if proc.returncode not in (0, -signal.SIGKILL, -signal.SIGTERM, 128 + signal.SIGTERM):
            counts["bad exit"] += 1
            problems.append(f"{k} {sig!r}: exit {proc.returncode}")
        if proc.returncode == 128 + signal.SIGTERM and kind == "experiment":
            (folder,) = runs.iterdir()
            if json.loads((folder / "summary.json").read_text()).get("interrupted") is not True:
                problems.append(f"{k}: summary not marked interrupted")
        if left := leftovers(runs, expected):
            counts["not complete"] += 1
            problems.append(f"{k} {sig!r}: {left}")
        for entry in runs.iterdir() if runs.exists() else ():  # start the next kill from an empty folder
            shutil.rmtree(entry, ignore_errors=True)
    print(f"\n{kind}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    assert not problems, problems


def test_sigkill_and_sigterm_at_random_moments_of_run(tmp_path):
    kill_at_random(tmp_path, "run", ["run", TEXTBOOK, "--no-png"], (signal.SIGKILL, signal.SIGTERM), RUN_FILES,
                   (0.2, 3.0))


def test_sigkill_and_sigterm_at_random_moments_of_a_processes_experiment(tmp_path):
    kill_at_random(tmp_path, "experiment", ["montecarlo", TEXTBOOK, "--runs", 400, "--workers", 2, "--executor",
                                            "processes"], (signal.SIGTERM, signal.SIGKILL),
                   {"results.csv", "summary.json", "timing.json"}, (0.5, 5.0))


@pytest.mark.parametrize("sig", [signal.SIGHUP])  # SIGTERM: in the random kills above
def test_sighup_writes_the_interrupted_summary(tmp_path, sig):
    out = tmp_path / "exp"
    proc = negotiation("montecarlo", TEXTBOOK, "--runs", 5000, "--workers", 2, "--out", out)
    deadline = time.monotonic() + 60
    while not (out / "results.csv").exists() or (out / "results.csv").stat().st_size < 300:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.1)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert "interrupted" in err
    assert not wait_group_gone(proc.pid)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["interrupted"] is True and 0 < summary["completed_runs"] < 5000
    assert EXP_FILES <= {p.name for p in out.iterdir()}
    assert INCOMPLETE not in {p.name for p in out.iterdir()}


def test_two_experiments_into_one_out_cannot_both_succeed(tmp_path):
    out = tmp_path / "shared"
    procs = [negotiation("montecarlo", TEXTBOOK, "--runs", 30, "--seed", seed, "--executor", "inprocess",
                         "--out", out) for seed in (1, 2)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    codes = sorted(code for _, _, code in results)
    assert codes == [0, 2], results
    loser = next(err for _, err, code in results if code == 2)
    assert "--out" in loser and "Traceback" not in loser
    summary = json.loads((out / "summary.json").read_text())
    winner = next(out_text for out_text, _, code in results if code == 0)
    assert f"seed {summary['seed']}" in winner
    assert INCOMPLETE not in {p.name for p in out.iterdir()}


def _small_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG, as on a full disk
    resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))


@pytest.mark.parametrize("command", ["run", "montecarlo"])
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, command):
    runs = tmp_path / "runs"
    args = (["run", TEXTBOOK, "--no-png"] if command == "run"
            else ["montecarlo", TEXTBOOK, "--runs", 40, "--executor", "inprocess"])
    proc = negotiation(*args, "--runs-dir", runs, preexec_fn=_small_disk)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert "free space" in err
    assert not any(runs.iterdir()) if runs.exists() else True


def wait_rows(path: Path, proc: Command, size: int = 300, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists() or path.stat().st_size < size:
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate(timeout=5)
        time.sleep(0.05)


def test_a_killed_experiments_out_folder_is_named_as_such_and_kept(cli, tmp_path):
    """SIGKILL leaves a partial results.csv and the marker: the next command
    to that --out says what it is (exit 2, one line) and keeps the rows."""
    out = tmp_path / "mc"
    proc = negotiation("montecarlo", TEXTBOOK, "--runs", 5000, "--executor", "inprocess", "--out", out)
    wait_rows(out / "results.csv", proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    rows = (out / "results.csv").read_text()
    result = cli("montecarlo", TEXTBOOK, "--runs", 3, "--executor", "inprocess", "--out", out)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1, result.output
    assert "killed before it finished" in result.stderr and str(proc.pid) in result.stderr
    assert (out / "results.csv").read_text() == rows and (out / INCOMPLETE).exists()


def test_a_killed_experiment_in_the_runs_folder_is_removed_and_said(tmp_path):
    runs = tmp_path / "runs"
    proc = negotiation("montecarlo", TEXTBOOK, "--runs", 5000, "--executor", "inprocess", "--runs-dir", runs)
    deadline = time.monotonic() + 90
    while not (found := list(runs.glob("*/results.csv"))):
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    wait_rows(found[0], proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    after = negotiation("run", TEXTBOOK, "--no-png", "--runs-dir", runs)
    _, err = after.communicate(timeout=120)
    assert after.returncode == 0, err
    assert f"removed {found[0].parent}: an experiment killed before it finished" in err
    (left,) = runs.iterdir()  # the new run's folder alone
    assert RUN_FILES <= {p.name for p in left.iterdir()}


@pytest.mark.parametrize("when", ["pool starting", "runs going"])
def test_workers_die_with_a_sigkilled_experiment_at_once(tmp_path, when):
    """Not within the watcher's half second, nor once the forkserver is done
    importing the engine: the kernel ends the forkserver and the workers with
    their parent (PR_SET_PDEATHSIG)."""
    out = tmp_path / "mc"
    proc = negotiation("montecarlo", TEXTBOOK, "--runs", 5000, "--workers", 2, "--executor", "processes",
                       "--out", out)
    deadline = time.monotonic() + 90
    if when == "pool starting":  # the forkserver is up, importing Mesa
        while len(group_alive(proc.pid)) < 3:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.01)
    else:
        wait_rows(out / "results.csv", proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert not wait_group_gone(proc.pid, seconds=1.0), "pool processes outlived the experiment by 1 s"


def test_sigterm_on_backtest_exits_143_with_its_folder_whole(tmp_path):
    out = tmp_path / "bt"
    proc = negotiation("backtest", ROOT / "configs" / "openai_microsoft_2025.yaml", "--runs", 3000, "--executor",
                       "inprocess", "--out", out)
    wait_rows(out / "results.csv", proc, size=2000)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert json.loads((out / "scores.json").read_text())["interrupted"] is True
    assert INCOMPLETE not in {p.name for p in out.iterdir()}


def test_a_stop_signal_while_the_summary_is_written_leaves_it_whole(cli, tmp_path, monkeypatch):
    """The signal waits until the folder is complete, then the command exits
    128 + its number (it used to leave as 130 whatever the signal)."""
    from negotiation.experiments import summary

    original = summary.write

    def write_then_term(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGTERM)  # arrives in the middle of finishing the folder
        return original(*args, **kwargs)

    monkeypatch.setattr(summary, "write", write_then_term)
    out = tmp_path / "mc"
    result = cli("montecarlo", TEXTBOOK, "--runs", 3, "--executor", "inprocess", "--out", out)
    assert result.exit_code == 128 + signal.SIGTERM, result.output
    assert EXP_FILES <= {p.name for p in out.iterdir()} and not (out / INCOMPLETE).exists()
