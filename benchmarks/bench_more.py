"""Three rows of ``negotiation bench``: start-up, a negotiation over a space
too large to enumerate, and the backtest of a library of cases.

- Start-up: CPU and wall time of whole ``negotiation`` processes (``--help``,
  ``validate``, ``run --no-png`` on the default scenario, ``replay
  --no-animate`` of the folder that run wrote, into a pipe), as a user's shell
  starts them: what Python, the imports and the command cost together. CPU
  time (user + system, from ``getrusage`` of the finished child) is the
  figure that a loaded machine disturbs least.
- Large space: one negotiation of ``configs/large_contract.yaml`` (20 clauses,
  4^20 ≈ 1.1·10^12 outcomes, searched clause by clause): seconds per
  negotiation in this process, and the peak of the memory allocated during it
  (``tracemalloc``, which numpy's allocations report to).
- Library backtest: the whole ``negotiation backtest configs/cases`` (every
  case's runs on 2 local processes, 1,000 runs per case, σ = 0.1, then
  forecasts, scores, pooling and the stacking fits), timed once.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import io
import tracemalloc
from pathlib import Path
from typing import Any

LARGE = "large_contract.yaml"


def startup(scenario_path: Path, repeats: int) -> list[dict[str, Any]]:
    """Median CPU and wall seconds of whole processes, per command."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        commands = {"--help": lambda: ["--help"], "validate": lambda: ["validate", str(scenario_path)],
                    "run --no-png": lambda: ["run", str(scenario_path), "--no-png", "--runs-dir", tmp],
                    "replay --no-animate": lambda: ["replay", str(min(Path(tmp).iterdir())), "--no-animate"]}
        for name, command in commands.items():
            if name.startswith("replay") and not any(Path(tmp).iterdir()):
                rows.append({"command": name, "status": "no run folder to replay"})
                continue
            args, cpu, wall = command(), [], []
            for _ in range(repeats):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "negotiation", *args], capture_output=True,
                                      env={**os.environ, "COLUMNS": "100"})
                wall.append(time.perf_counter() - started)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                if done.returncode != 0:
                    rows.append({"command": name, "status": f"exit {done.returncode}"})
                    break
                cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
            else:
                rows.append({"command": name, "cpu_seconds": round(statistics.median(cpu), 3),
                             "seconds": round(statistics.median(wall), 3)})
    return rows


def large_space(scenario_path: Path, repeats: int) -> dict[str, Any]:
    """Seconds per negotiation and peak allocated memory on the large contract."""
    from negotiation.engine.simulate import simulate
    from negotiation.scenarios.load import load_scenario

    path = scenario_path.parent / LARGE
    if not path.is_file():
        return {"status": f"{path} not found"}
    scenario = load_scenario(path)
    simulate(scenario, keep_model=False)  # warm: imports, first-call costs
    seconds = []
    for _ in range(repeats):
        started = time.perf_counter()
        output = simulate(scenario, keep_model=False)
        seconds.append(time.perf_counter() - started)
    tracemalloc.start()
    simulate(scenario, keep_model=False)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"status": "ok", "scenario": str(path), "outcomes": scenario.space.size,
            "result": output.summary["result"], "rounds": output.summary["rounds"],
            "seconds": round(statistics.median(seconds), 4), "peak_bytes": peak}


def rows(figures: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Table rows (what, figure, detail) for these measurements."""
    out = []
    for row in figures.get("startup", []):
        what = f"start-up: negotiation {row['command']}"
        if "cpu_seconds" in row:
            out.append((what, f"{row['cpu_seconds']:.2f} s CPU", f"whole process; {row['seconds']:.2f} s wall"))
        else:
            out.append((what, "–", row["status"]))
    large = figures.get("large_space")
    if large and large["status"] == "ok":
        out.append((f"large space: {large['outcomes']:,} outcomes", f"{1000 * large['seconds']:,.0f} ms",
                    f"one negotiation ({large['result']}, {large['rounds']} rounds); peak memory "
                    f"{large['peak_bytes'] / 1024**2:,.1f} MB"))
    elif large:
        out.append(("large space", "–", large["status"]))
    library = figures.get("library_backtest")
    if library and library["status"] == "ok":
        out.append((f"backtest of a library: {library['cases']} cases", f"{library['seconds']:,.1f} s",
                    f"{library['runs_per_case']:,} runs per case on {library['workers']} processes (runs "
                    f"{library['runs_phase_seconds']:,.1f} s); once, not a median"))
    elif library:
        out.append(("backtest of a library", "–", library["status"]))
    return out


def library_backtest(scenario_path: Path, quick: bool = False) -> dict[str, Any]:
    """Seconds of the library backtest of the ``cases/`` folder beside the
    scenario (none: a status saying so)."""
    from rich.console import Console

    from negotiation.backtest.command import prepare_library, run_library
    from negotiation.experiments.executors import ExecutorSpec

    folder = scenario_path.parent / "cases"
    if not folder.is_dir():
        return {"status": f"no library at {folder}"}
    runs = 50 if quick else 1000
    exp = prepare_library([folder], runs, 0.1, None, [], [])
    quiet = Console(file=io.StringIO(), width=80)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        done, lib, _ = run_library(exp, ExecutorSpec("processes", 2), quiet, Path(tmp), None, 0.05, None, png=False)
        seconds = time.perf_counter() - started
    return {"status": "ok", "cases": len(lib.names), "runs_per_case": runs, "workers": 2,
            "seconds": round(seconds, 2), "runs_phase_seconds": done.timing["seconds"]}
