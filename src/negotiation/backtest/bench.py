"""The library backtest's row of ``negotiation bench``: the whole
``negotiation backtest configs/cases`` (every case's runs on 2 local
processes, 1,000 runs per case, σ = 0.1, then forecasts, scores, pooling
and the stacking fits), timed once; wall-clock figures go to the bench's
JSON only. It lives here, not in experiments/, because experiments import
nothing from backtest."""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from typing import Any

from rich.console import Console


def library_backtest(scenario_path: Path, quick: bool = False) -> dict[str, Any]:
    from ..experiments.executors import ExecutorSpec
    from .command import prepare_library, run_library

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
