"""The commands that play many runs: sweep, montecarlo, whatif, backtest,
and bench, which times the engine. Each parses its options into data,
asks the service to run the experiment (``service/execution.py``: checks,
the executor, the folder, the summary) and prints the report; Ctrl-C
keeps the finished runs and exits 130.
"""

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ..errors import InputError
from .common import (ScenarioArg, SetOpt, app, console, default_scenario_path, errors, handles_input_errors,
               load)

Executor = Literal["processes", "inprocess", "dask"]
ExecutorOpt = Annotated[Executor, typer.Option("--executor", help="where runs execute: local processes (all "
                                                                   "cores), one after another in this process, "
                                                                   "or a Dask LocalCluster")]
WorkersOpt = Annotated[int | None, typer.Option("--workers", help="local processes or Dask workers "
                                                                  "(default: every core)")]
SchedulerOpt = Annotated[str | None, typer.Option("--scheduler", help="join an existing Dask cluster at "
                                                                      "tcp://HOST:PORT (implies --executor dask)")]
KeepLogsOpt = Annotated[bool, typer.Option("--keep-logs", help="also keep every run's log, in logs/")]
ExpOutOpt = Annotated[Path | None, typer.Option("--out", help="write the experiment folder here "
                                                              "(new or empty folder)")]
RunsDirOpt = Annotated[Path, typer.Option("--runs-dir", help="where experiment folders go")]
ExpSeedOpt = Annotated[int | None, typer.Option("--seed", help="experiment seed; run seeds derive from it "
                                                               "(default: the scenario's)")]


def where(executor: str, workers: int | None, scheduler: str | None, out: Path | None, runs_dir: Path,
          keep_logs: bool = False, shown: Any = console) -> Any:
    """The options saying where an experiment runs and what it leaves, for the service."""
    from ..service.execution import Where

    return Where(shown, executor, workers, scheduler, runs_dir, out, keep_logs)


def warn(text: str) -> None:
    """A warning of the service, its parameters as the flags typed."""
    from .flags import words

    errors.print(f"[yellow]warning:[/] {words(text)}", highlight=False, soft_wrap=True)


def report(result: Any) -> None:
    """An experiment's report, its timing and its folder; exit 128 + the signal (after writing the partial
    folder) on Ctrl-C, SIGTERM or SIGHUP."""
    from ..experiments.report import render

    done = result.done
    console.print(render(result.summary))
    console.print(f"{done.timing['runs']:,} runs in {done.timing['seconds']:.1f} s "
                  f"({done.timing['runs_per_second'] or 0:,.1f} runs/s) on {done.timing['where']}",
                  style="dim", highlight=False)
    console.print(f"experiment folder: {done.folder}", soft_wrap=True, highlight=False)
    interrupted(result, "kept in")


def interrupted(result: Any, kept: str) -> None:
    """An interrupted experiment: say how many runs were kept, exit 128 + the signal."""
    if result.interrupted:
        from ..runtime.interrupts import exit_code

        done = result.done
        errors.print(f"interrupted: {len(done.rows):,} of {len(result.experiment.tasks):,} runs {kept} "
                     f"{done.folder}", highlight=False, soft_wrap=True)
        raise typer.Exit(exit_code(done.stopped_by or KeyboardInterrupt()))


def _complete_metric(ctx: typer.Context, incomplete: str) -> list[str]:
    """``--metric`` choices for the scenario named on the command line: the
    fixed ones, then ``u.PARTY`` and the clause names it defines."""
    from ..experiments.stats import metric_names
    try:
        scenario = ctx.params.get("scenario") or next((Path(a) for a in ctx.args if not a.startswith("-")), None)
        names = metric_names(load(scenario, list(ctx.params.get("set_") or ())))
    except (InputError, OSError):
        names = ["score", "agreement", "days"]
    return [name for name in names if name.startswith(incomplete)]


@app.command()
@handles_input_errors
def sweep(scenario: ScenarioArg = None,
          grid: Annotated[list[str] | None, typer.Option("--grid", help="path=v1,v2,… (repeatable): every "
                                                                        "combination is run")] = None,
          seeds: Annotated[int, typer.Option("--seeds", help="seeds per grid cell (the same in every cell)")] = 1,
          metric: Annotated[str | None, typer.Option("--metric", metavar="<score|agreement|days|u.PARTY|welfare|…|CLAUSE>",
                                                     autocompletion=_complete_metric,
                                                     help="what the PNG shows: score (default when a real deal "
                                                     "is known), agreement, days, a party's utility, an ANAC "
                                                     "metric (pareto_dist, nash_dist, ks_dist, welfare, "
                                                     "advantage.PARTY) or a clause; the shell completes the "
                                                     "scenario's names")] = None,
          seed: ExpSeedOpt = None, set_: SetOpt = None, out: ExpOutOpt = None, executor: ExecutorOpt = "processes",
          workers: WorkersOpt = None, scheduler: SchedulerOpt = None, keep_logs: KeepLogsOpt = False,
          runs_dir: RunsDirOpt = Path("runs")) -> None:
    """Run a full grid of parameter values × seeds; results.csv, summary.json and a heatmap or line PNG."""
    from ..service import execution, experiments, scenarios

    report(execution.sweep(load(scenario), experiments.grid_of(grid or []), seeds, seed,
                           scenarios.values_of(set_ or []),
                           where(executor, workers, scheduler, out, runs_dir, keep_logs), metric, warn))


@app.command()
@handles_input_errors
def montecarlo(scenario: ScenarioArg = None,
               runs: Annotated[int, typer.Option("--runs", help="number of runs")] = 1000,
               noise: Annotated[float, typer.Option("--noise", help="σ of the lognormal factor exp(σ·Z) on every "
                                                    "weight, option value and reservation value")] = 0.1,
               seed: ExpSeedOpt = None, set_: SetOpt = None, out: ExpOutOpt = None,
               executor: ExecutorOpt = "processes", workers: WorkersOpt = None, scheduler: SchedulerOpt = None,
               keep_logs: KeepLogsOpt = False, runs_dir: RunsDirOpt = Path("runs")) -> None:
    """Many seeds with noisy preferences: P(agreement by each deadline), dates, clauses vs the real deal."""
    from ..service import execution, scenarios

    report(execution.montecarlo(load(scenario), runs, noise, seed, scenarios.values_of(set_ or []),
                                where(executor, workers, scheduler, out, runs_dir, keep_logs), warn))


@app.command()
@handles_input_errors
def whatif(scenario: Annotated[Path, typer.Argument(help="the baseline scenario YAML")],
           counterfactual: Annotated[Path | None, typer.Argument(
               help="a partial scenario merged onto the baseline (omit it to use --set only)")] = None,
           runs: Annotated[int, typer.Option("--runs", help="seeds per arm (the same seeds in both)")] = 100,
           noise: Annotated[float, typer.Option("--noise", help="σ of preference noise, as in montecarlo "
                                                "(0: every run of an arm may be the same run)")] = 0.1,
           seed: ExpSeedOpt = None, set_: SetOpt = None, out: ExpOutOpt = None,
           executor: ExecutorOpt = "processes", workers: WorkersOpt = None, scheduler: SchedulerOpt = None,
           keep_logs: KeepLogsOpt = False, runs_dir: RunsDirOpt = Path("runs")) -> None:
    """Baseline vs counterfactual side by side, over the same seeds, clause by clause."""
    from ..service import execution, scenarios

    overlay = scenarios.read_overlay(counterfactual) if counterfactual is not None else None
    report(execution.whatif(load(scenario), overlay, runs, noise, seed, scenarios.values_of(set_ or []),
                            str(counterfactual) if counterfactual is not None else None,
                            where(executor, workers, scheduler, out, runs_dir, keep_logs), warn))


@app.command()
@handles_input_errors
def backtest(scenarios: Annotated[list[Path] | None, typer.Argument(
                 metavar="SCENARIO", show_default=False,
                 help="a scenario YAML (default: the forecast scenario); several, or a folder of cases (its "
                 "library.yaml, else every */scenario.yaml), for one pooled table")] = None,
             runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs (per case)")] = 1000,
             noise: Annotated[float, typer.Option("--noise", help="σ of the lognormal preference noise, as in "
                                                  "montecarlo")] = 0.1,
             seed: ExpSeedOpt = None, set_: SetOpt = None, out: ExpOutOpt = None,
             json_out: Annotated[Path | None, typer.Option("--json", help="also write the scores as JSON here "
                                                                            "(- is standard output)")] = None,
             epsilon: Annotated[float, typer.Option("--epsilon", help="weight of the uniform floor mixed into "
                                                    "every predictor")] = 0.05,
             capability: Annotated[list[str] | None, typer.Option("--capability", help="PARTY=X: a bargainer's "
                                                                  "capability in the compromise baseline "
                                                                  "(default 1 each; one scenario only)")] = None,
             executor: ExecutorOpt = "processes", workers: WorkersOpt = None, scheduler: SchedulerOpt = None,
             runs_dir: RunsDirOpt = Path("runs")) -> None:
    """Score the model's predictive distribution and one-line baselines against the real deal, for one case
    or pooled over a library."""
    from ..runs.output import to_stdout
    from ..service import execution
    from ..service.scenarios import values_of

    values = values_of(set_ or [])
    shown = errors if to_stdout(json_out) else console  # --json -: standard output holds the JSON alone
    result = execution.backtest(scenarios or [default_scenario_path()], runs, noise, seed, values, capability or [],
                                epsilon, json_out, where(executor, workers, scheduler, out, runs_dir, shown=shown))
    if result.library:
        from ..backtest.pooled_report import render as render_library

        shown.print(render_library(result.summary))
    else:
        from ..backtest.report import render

        shown.print(render(result.summary, result.extras, result.experiment.noise))
    shown.print(f"experiment folder: {result.done.folder}", soft_wrap=True, highlight=False)
    interrupted(result, "scored; kept in")


@app.command()
@handles_input_errors
def bench(quick: Annotated[bool, typer.Option("--quick", help="a fast subset (seconds, not minutes)")] = False,
          out: Annotated[Path | None, typer.Option("--out", help="JSON file for the figures "
                                                   "(default: runs/bench-<date>.json)")] = None,
          repeats: Annotated[int | None, typer.Option("--repeats", help="repetitions per figure "
                                                      "(median reported)")] = None) -> None:
    """Time the engine: runs/s, Monte Carlo on 1–2 processes and Dask, Pareto/Nash vs NegMAS."""
    load_benchmarks().bench.run_bench(console, default_scenario_path(), quick=quick, out=out, repeats=repeats)


BENCHMARKS = "benchmarks"


def load_benchmarks() -> Any:
    """The source checkout's ``benchmarks/`` package (here, else beside
    ``src/``), imported as ``negotiation_benchmarks`` with its ``bench``
    module: the benchmarks are not part of the installed package."""
    import importlib
    import importlib.util
    import sys

    name = "negotiation_benchmarks"
    if name not in sys.modules:
        here = Path(BENCHMARKS)
        folder = here if (here / "__init__.py").is_file() else Path(__file__).resolve().parents[3] / BENCHMARKS
        if not (folder / "__init__.py").is_file():
            raise InputError(str(here), "", "the source checkout's benchmarks/ folder (negotiation bench runs "
                             "from a checkout; installed copies carry no benchmarks)")
        spec = importlib.util.spec_from_file_location(name, folder / "__init__.py",
                                                      submodule_search_locations=[str(folder)])
        assert spec is not None and spec.loader is not None
        package = importlib.util.module_from_spec(spec)
        sys.modules[name] = package
        spec.loader.exec_module(package)
    importlib.import_module(f"{name}.bench")
    return sys.modules[name]
