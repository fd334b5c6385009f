"""``negotiation bench``: how fast the engine is (README, "Benchmark").

Every figure is the median of several repetitions (the median, not the
mean, so one hiccup of a shared machine does not move it):

- runs/s of the default scenario in this process;
- Monte Carlo throughput (noise σ = 0.1) in this process, on 1 and 2 local
  processes and on a 2-worker Dask LocalCluster, measured once the workers
  are up and warm (start-up is reported apart: it is paid once per
  experiment, not per run);
- start-up of whole ``negotiation`` processes and one negotiation over a
  10^12-outcome contract (``benchmarks/bench_more.py``);
- Pareto frontier and Nash point times on random utilities, 10^4–10^6
  outcomes × 2–6 parties, with ``negotiation.domain.bargaining``;
- the same work in NegMAS, when it is installed, on the same arrays, as a
  ratio (NegMAS time / ours): its ``pareto_frontier_numpy`` for the frontier,
  then its ``nash_points`` over that frontier with the reservation values as
  the disagreement point.

Figures go to a JSON file (wall-clock times belong there and on the
console only) and a rich table.

The benchmarks time the package from outside it: they live in the source
checkout's ``benchmarks/`` folder, not in the installed package, and
``negotiation bench`` loads them from there (``cli/experiments.load_benchmarks``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

from . import bench_more
from negotiation.errors import InputError
from negotiation.runs import output
from negotiation.runtime.terminal import SafeConsole

SIZES = (10_000, 100_000, 1_000_000)
PARTIES = (2, 3, 4, 5, 6)
BUDGET_SECONDS = 20.0  # a measurement (expected to be) slower than this is skipped


def median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def runs_per_second(scenario_path: Path, n_runs: int, repeats: int) -> dict[str, Any]:
    """Sequential runs of the default scenario in this process."""
    from negotiation.engine.simulate import simulate
    from negotiation.experiments.designs import run_seeds
    from negotiation.scenarios.load import load_scenario

    scenario = load_scenario(scenario_path)
    seeds = run_seeds(scenario.seed, n_runs)
    simulate(scenario, seeds[0], keep_model=False)  # warm: imports, first-call costs
    seconds = median_seconds(lambda: [simulate(scenario, s, keep_model=False) for s in seeds], repeats)
    return {"runs": n_runs, "repeats": repeats, "seconds": round(seconds, 4),
            "runs_per_second": round(n_runs / seconds, 2)}


def montecarlo_throughput(scenario_path: Path, kind: str, workers: int, n_runs: int, repeats: int) -> dict[str, Any]:
    """Steady-state Monte Carlo runs/s (noise σ = 0.1) on one executor."""
    from negotiation.experiments import designs as experiments
    from negotiation.experiments.execute import payloads
    from negotiation.experiments.executors import ExecutorSpec, open_executor
    from negotiation.scenarios.load import load_scenario

    exp = experiments.montecarlo(load_scenario(scenario_path), n_runs, 0.1)  # a design takes the Scenario
    started = time.perf_counter()
    with open_executor(ExecutorSpec(kind, workers)) as executor:
        work = payloads(exp, executor.workers, keep_logs=False)
        warm = [(p, batch[:1]) for p, batch in work[: executor.workers]]
        for _ in executor.map_unordered(experiments.run_batch, warm):  # start and warm every worker
            pass
        startup = time.perf_counter() - started
        seconds = median_seconds(lambda: sum(1 for _ in executor.map_unordered(experiments.run_batch, work)), repeats)
    return {"executor": kind, "workers": workers, "runs": n_runs, "repeats": repeats,
            "startup_seconds": round(startup, 3), "seconds": round(seconds, 4),
            "runs_per_second": round(n_runs / seconds, 2)}


def _negmas() -> Any:
    try:
        from negmas.preferences import ops
    except Exception:  # noqa: BLE001 - any failure to import means "not available"
        return None
    return ops


def frontier_times(sizes: tuple[int, ...], parties: tuple[int, ...], repeats: int,
                   budget: float = BUDGET_SECONDS) -> dict[str, Any]:
    """Pareto + Nash on random utilities (uniform in [0, 1], reservation
    values uniform in [0, 0.3], fixed seed), ours and NegMAS's."""
    try:
        from negotiation.domain.bargaining import nash_point, pareto_front
    except ImportError:
        return {"status": "analysis not available"}
    ops = _negmas()
    rows: list[dict[str, Any]] = []
    over_ours: set[int] = set()
    over_negmas: set[int] = set()
    for k in parties:
        last_negmas: tuple[int, float] | None = None
        for n in sizes:
            rng = np.random.default_rng([n, k])
            U = rng.random((n, k))
            rv = rng.uniform(0.0, 0.3, k)
            row: dict[str, Any] = {"outcomes": n, "parties": k}
            if k in over_ours:
                row["status"] = "skipped (a smaller size took over the time budget)"
                rows.append(row)
                continue
            pareto = median_seconds(partial(pareto_front, U), repeats)
            nash = median_seconds(partial(nash_point, U, rv), repeats)
            row.update(pareto_seconds=round(pareto, 5), nash_seconds=round(nash, 5),
                       frontier_size=int(pareto_front(U).size))
            if pareto + nash > budget:
                over_ours.add(k)
            if ops is not None and last_negmas and last_negmas[1] * (n / last_negmas[0]) ** 1.5 > budget:
                over_negmas.add(k)  # its frontier loop grows faster than n: do not start what cannot finish
            if ops is not None and k not in over_negmas:
                theirs = median_seconds(partial(_negmas_pareto_nash, ops, U, rv), 1 if n >= 10**6 else repeats)
                row.update(negmas_seconds=round(theirs, 5), negmas_ratio=round(theirs / (pareto + nash), 2))
                last_negmas = (n, theirs)
            elif ops is not None:
                row["negmas"] = f"skipped (estimated over the {budget:g} s budget)"
            rows.append(row)
    return {"status": "ok", "negmas": "installed" if ops is not None else "not installed", "rows": rows}


def _negmas_pareto_nash(ops: Any, U: np.ndarray, rv: np.ndarray) -> Any:
    """NegMAS's own way: frontier of the points, then Nash over the frontier.
    ``ranges`` start at the reservation values, so its disagreement point is
    ours (it would otherwise use max(rv, min utility))."""
    front = ops.pareto_frontier_numpy(U, sort_by_welfare=False)
    points = [tuple(p) for p in U[front]]
    ranges = [(float(r), float(U[:, j].max())) for j, r in enumerate(rv)]
    return ops.nash_points(None, points, ranges=ranges)


def bench_path(out: Path | None, runs_dir: Path = Path("runs")) -> Path:
    if out is not None:  # checked by runs.output's rule in run_bench
        return out
    runs_dir.mkdir(parents=True, exist_ok=True)
    stem = f"bench-{dt.date.today().isoformat()}"
    for n in range(1, 1000):
        path = runs_dir / (f"{stem}.json" if n == 1 else f"{stem}-{n}.json")
        if not path.exists():
            return path
    raise OSError(f"too many {stem} files in {runs_dir}")


def machine() -> dict[str, Any]:
    info = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "numpy": np.__version__}
    ops = _negmas()
    if ops is not None:
        import negmas

        info["negmas"] = negmas.__version__
    return info


BENCH_JSON = output.json_with({"date", "quick", "repeats", "scenario", "machine"})
WHAT_JSON = "figures of negotiation bench"


def run_bench(console: Console, scenario_path: Path, quick: bool = False, out: Path | None = None,
              repeats: int | None = None) -> dict[str, Any]:
    """Measure, print, write; return the figures."""
    path = bench_path(out)
    repeats = repeats or (3 if quick else 5)
    if repeats < 1:
        raise InputError("--repeats", str(repeats), "a positive number of repetitions expected")
    output.check(path, "--out", BENCH_JSON, WHAT_JSON)  # before minutes of measuring
    if output.to_stdout(path):  # standard output holds the JSON alone
        console = SafeConsole(stderr=True)
    mc_runs = 24 if quick else 200
    figures: dict[str, Any] = {"date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "quick": quick,
                               "repeats": repeats, "scenario": str(scenario_path), "machine": machine()}
    with console.status("default scenario, in process…"):
        figures["runs"] = runs_per_second(scenario_path, 10 if quick else 40, repeats)
    figures["montecarlo"] = []
    for kind, workers in (("inprocess", 1), ("processes", 1), ("processes", 2), ("dask", 2)):
        with console.status(f"Monte Carlo, {_where(kind, workers)}…"):
            figures["montecarlo"].append(montecarlo_throughput(scenario_path, kind, workers, mc_runs, repeats))
    with console.status("start-up of whole processes, and the large contract…"):
        figures["startup"] = bench_more.startup(scenario_path, repeats)
        figures["large_space"] = bench_more.large_space(scenario_path, repeats)
    sizes = SIZES[:2] if quick else SIZES
    parties = (2, 4, 6) if quick else PARTIES
    with console.status("Pareto frontier and Nash point…"):
        figures["frontier"] = frontier_times(sizes, parties, repeats)
    with console.status("library backtest…"):
        figures["library_backtest"] = bench_more.library_backtest(scenario_path, quick)
    where = output.write(path, json.dumps(figures, indent=2) + "\n", "--out", BENCH_JSON, WHAT_JSON)
    console.print(table(figures))
    console.print(f"figures written to {where}", soft_wrap=True, highlight=False)
    return figures


def table(figures: dict[str, Any]) -> Table:
    t = Table(title=f"negotiation bench{' (quick)' if figures['quick'] else ''} · median of "
                    f"{figures['repeats']} · {figures['machine']['cpus']} CPUs", title_justify="left")
    t.add_column("what", style="cyan")
    t.add_column("figure", justify="right", style="bold")
    t.add_column("detail", style="dim")
    r = figures["runs"]
    t.add_row("default scenario, in process", f"{r['runs_per_second']:,.1f} runs/s", f"{r['runs']} runs")
    base = None
    for m in figures["montecarlo"]:
        base = base or m["runs_per_second"]
        t.add_row(f"Monte Carlo, {_where(m['executor'], m['workers'])}", f"{m['runs_per_second']:,.1f} runs/s",
                  f"×{m['runs_per_second'] / base:.2f} vs in process; start-up {m['startup_seconds']:.1f} s")
    for row in bench_more.rows(figures):
        t.add_row(*row)
    frontier = figures["frontier"]
    if frontier["status"] != "ok":
        t.add_row("Pareto frontier and Nash point", frontier["status"], "")
        return t
    for row in frontier["rows"]:
        what = f"Pareto frontier, {row['outcomes']:,} × {row['parties']} parties"
        if "pareto_seconds" not in row:
            t.add_row(what, "–", row.get("status", ""))
            continue
        detail = f"front {row['frontier_size']:,}; Nash {1000 * row['nash_seconds']:.1f} ms"
        if "negmas_ratio" in row:
            detail += f"; NegMAS (frontier + Nash) ×{row['negmas_ratio']:,.1f} slower" if row["negmas_ratio"] >= 1 \
                else f"; NegMAS (frontier + Nash) ×{1 / row['negmas_ratio']:,.1f} faster"
        elif frontier["negmas"] == "not installed":
            detail += "; NegMAS not installed"
        elif "negmas" in row:
            detail += f"; NegMAS {row['negmas']}"
        t.add_row(what, f"{1000 * row['pareto_seconds']:,.1f} ms", detail)
    return t


def _where(kind: str, workers: int) -> str:
    if kind == "inprocess":
        return "in process"
    if kind == "dask":
        return f"{workers} Dask workers"
    return f"{workers} process{'es' if workers > 1 else ''}"
