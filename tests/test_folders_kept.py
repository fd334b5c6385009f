"""Every finished experiment folder stays finished: whoever wrote it (the
CLI's experiments, ``backtest``, the API's ``out=``), the next commands in
the same runs folder keep it, and a full disk while it is finished keeps
nothing, as it says."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from negotiation.runs.folder import INCOMPLETE

from .conftest import DEFAULT, ROOT, TEXTBOOK
from .test_kills import _no_command_left_running, negotiation  # noqa: F401 - the fixture ends what a failed test leaves

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="resource limits")

BACKTEST = {"results.csv", "timing.json", "backtest.json", "scores.json", "backtest.png"}
MONTECARLO = {"results.csv", "timing.json", "summary.json", "dates.png", "clauses.png"}
RUN = {"scenario.yaml", "log.jsonl", "summary.json", "timing.json"}


def command(*args) -> None:
    proc = negotiation(*args)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err


def folders(runs: Path) -> dict[str, set[str]]:
    return {p.name: {f.name for f in p.iterdir()} for p in runs.iterdir()}


def test_backtest_then_run_then_montecarlo_keep_every_result(tmp_path):
    """Each a process of its own, as a user types them: before, the backtest's
    folder kept its incomplete marker and the run after it deleted it."""
    runs = tmp_path / "runs"
    command("backtest", DEFAULT, "--runs", 4, "--executor", "inprocess", "--runs-dir", runs)
    command("run", TEXTBOOK, "--no-png", "--runs-dir", runs)
    command("montecarlo", TEXTBOOK, "--runs", 3, "--executor", "inprocess", "--runs-dir", runs)
    kept = folders(runs)
    assert len(kept) == 3, kept
    assert {frozenset(files) for files in kept.values()} == {frozenset(RUN), frozenset(BACKTEST), frozenset(MONTECARLO)}
    assert not any(INCOMPLETE in files for files in kept.values())


def test_the_apis_out_folders_survive_the_next_cli_command(tmp_path):
    runs = tmp_path / "runs"
    script = (f"import negotiation\n"
              f"negotiation.montecarlo({str(TEXTBOOK)!r}, runs=3, executor='inprocess', out={str(runs / 'mc')!r})\n"
              f"negotiation.sweep({str(TEXTBOOK)!r}, {{'parties.employer.reservation': [0.3, 0.4]}}, "
              f"executor='inprocess', out={str(runs / 'sweep')!r})\n"
              f"negotiation.whatif({str(TEXTBOOK)!r}, sets=['parties.employer.reservation=0.3'], runs=2, "
              f"executor='inprocess', out={str(runs / 'whatif')!r})\n"
              f"negotiation.simulate({str(TEXTBOOK)!r}).save({str(runs)!r}, png=False)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    command("montecarlo", TEXTBOOK, "--runs", 2, "--executor", "inprocess", "--runs-dir", runs)
    kept = folders(runs)
    assert len(kept) == 5, kept
    for name in ("mc", "sweep", "whatif"):
        assert {"results.csv", "summary.json"} <= kept[name] and INCOMPLETE not in kept[name], kept[name]


def test_a_full_disk_while_backtest_finishes_keeps_nothing(tmp_path):
    """Room for the rows and the JSON files, not for backtest.png: one line,
    exit 2, and "nothing was kept" is true."""
    runs = tmp_path / "runs"

    def room() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = negotiation("backtest", DEFAULT, "--runs", 4, "--executor", "inprocess", "--runs-dir", runs,
                       preexec_fn=room)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and "nothing was kept" in err, err
    assert not any(runs.iterdir())


def test_a_full_disk_for_the_backtest_json_keeps_the_finished_folder(tmp_path):
    """The folder is finished before --json is written: that file alone fails.
    (/dev/full through a link of ours: the code before this test, as root,
    renamed its file over the device.)"""
    full = tmp_path / "full"
    full.symlink_to("/dev/full")
    proc = negotiation("backtest", DEFAULT, "--runs", 4, "--executor", "inprocess", "--runs-dir",
                       tmp_path / "runs", "--json", full)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 2 and "Traceback" not in err and err.count("\n") == 1, err
    assert "--json" in err and "No space left" in err and full.is_symlink()
    (folder,) = (tmp_path / "runs").iterdir()
    assert BACKTEST <= {p.name for p in folder.iterdir()} and not (folder / INCOMPLETE).exists()



@pytest.mark.parametrize("where", ["--runs-dir", "--out"])
def test_no_room_even_for_the_marker_keeps_no_folder(tmp_path, where):
    """A disk with a few bytes free: the marker itself cannot be written. It
    used to stay, empty, claiming the folder for no process forever."""
    def no_room() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (3, 3))

    target = tmp_path / "runs" if where == "--runs-dir" else tmp_path / "runs" / "mc"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run([sys.executable, "-m", "negotiation", "montecarlo", str(TEXTBOOK), "--runs", "2",
                           "--executor", "inprocess", where, str(target)], preexec_fn=no_room, env=env,
                          capture_output=True, text=True, timeout=300)  # pipes: not limited like files
    err = proc.stderr
    assert proc.returncode == 2 and err.count("\n") == 1 and "nothing was kept" in err, err
    assert not any((tmp_path / "runs").iterdir())
