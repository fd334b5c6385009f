"""The commands that play many runs: sweep, montecarlo, whatif, backtest,
and bench, which times the engine. Each builds its experiment from the
scenario, runs it on the chosen executor and prints the report; Ctrl-C
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


def _run_experiment(exp: Any, executor: str, workers: int | None, scheduler: str | None, out: Path | None,
                    runs_dir: Path, keep_logs: bool, metric: str | None = None) -> None:
    """Execute, summarise, print; exit 128 + the signal (after writing the partial folder) on Ctrl-C,
    SIGTERM or SIGHUP."""
    from ..experiments.executors import ExecutorSpec
    from ..experiments.report import render
    from ..experiments.execute import execute, finish
    from ..experiments.summary import summarise, write
    from ..runtime.interrupts import exit_code
    from ..runs.folder import check_out_dir

    spec = ExecutorSpec("dask" if scheduler and executor == "processes" else executor, workers, scheduler)
    if out is not None:
        check_out_dir(out)
    from ..experiments.designs import same_runs_warning

    if warning := same_runs_warning(exp):
        errors.print(f"[yellow]warning:[/] {warning}", highlight=False, soft_wrap=True)
    done = execute(exp, spec, console, runs_dir, out, keep_logs)

    def summary_and_figures() -> dict[str, Any]:
        summary, figures = summarise(done, metric)
        write(done, summary, figures)
        return summary

    summary = finish(done, summary_and_figures)
    console.print(render(summary))
    console.print(f"{done.timing['runs']:,} runs in {done.timing['seconds']:.1f} s "
                  f"({done.timing['runs_per_second'] or 0:,.1f} runs/s) on {done.timing['where']}",
                  style="dim", highlight=False)
    console.print(f"experiment folder: {done.folder}", soft_wrap=True, highlight=False)
    if done.interrupted:
        errors.print(f"interrupted: {len(done.rows):,} of {len(exp.tasks):,} runs kept in {done.folder}",
                     highlight=False, soft_wrap=True)
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
    from ..experiments import designs as experiments
    from ..experiments.summary import check_metric

    exp = experiments.sweep(scenario or default_scenario_path(), grid or [], seeds, seed, set_ or [])
    check_metric(metric, exp.scenario)
    _run_experiment(exp, executor, workers, scheduler, out, runs_dir, keep_logs, metric)


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
    from ..experiments import designs as experiments
    exp = experiments.montecarlo(scenario or default_scenario_path(), runs, noise, seed, set_ or [])
    _run_experiment(exp, executor, workers, scheduler, out, runs_dir, keep_logs)


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
    from ..experiments import designs as experiments
    exp = experiments.whatif(scenario, counterfactual, runs, seed, set_ or [], noise)
    _run_experiment(exp, executor, workers, scheduler, out, runs_dir, keep_logs)


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
    from ..backtest import command as bt
    from ..experiments.executors import ExecutorSpec
    from ..runs.folder import check_out_dir
    from ..runs.output import to_stdout
    from ..runtime.interrupts import exit_code

    paths = scenarios or [default_scenario_path()]
    library = bt.is_library(paths)
    exp = bt.prepare_library(paths, runs, noise, seed, set_ or [], capability or []) if library \
        else bt.prepare(paths[0], runs, noise, seed, set_ or [])
    caps = {} if library else bt.parse_capabilities(capability or [], exp.scenario)
    bt.check_epsilon(epsilon)
    bt.check_json(json_out)
    if out is not None:
        check_out_dir(out)
    shown = errors if to_stdout(json_out) else console  # --json -: standard output holds the JSON alone
    spec = ExecutorSpec("dask" if scheduler and executor == "processes" else executor, workers, scheduler)
    if library:
        from ..backtest.pooled_report import render as render_library

        done, _, record = bt.run_library(exp, spec, shown, runs_dir, out, epsilon, json_out)
        shown.print(render_library(record))
    else:
        from ..backtest.report import render

        done, record, extras = bt.run_backtest(exp, spec, shown, runs_dir, out, epsilon, caps, json_out)
        shown.print(render(record, extras, exp.noise))
    shown.print(f"experiment folder: {done.folder}", soft_wrap=True, highlight=False)
    if done.interrupted:
        errors.print(f"interrupted: {len(done.rows):,} of {len(exp.tasks):,} runs scored; kept in {done.folder}",
                     highlight=False, soft_wrap=True)
        raise typer.Exit(exit_code(done.stopped_by or KeyboardInterrupt()))


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
