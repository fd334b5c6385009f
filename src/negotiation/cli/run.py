"""``negotiation run`` and ``negotiation compare``: one run, and one run against the real deal.

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

from pathlib import Path
from typing import Annotated

import typer

from ..reports.score_rule import SCORE_RULE
from . import llm  # run's options for language-model parties (imports typer only)
from .common import OutOpt, ScenarioArg, SeedOpt, SetOpt, app, console, errors, handles_input_errors, load


@app.command()
@handles_input_errors
def run(scenario: ScenarioArg = None, seed: SeedOpt = None, set_: SetOpt = None, out: OutOpt = None,
        runs_dir: Annotated[Path, typer.Option(help="where run folders go")] = Path("runs"),
        png: Annotated[bool, typer.Option("--png/--no-png", help="draw concessions.png")] = True,
        llm_cache: llm.CacheOpt = None, llm_cache_only: llm.CacheOnlyOpt = False) -> None:
    """Run one simulation, print a summary and write a run folder."""
    from ..runtime.interrupts import exit_code, stop_signals
    from ..runs.folder import check_out_dir
    from ..reports.summary import comparison_table, run_summary
    from ..service import runs

    spec = load(scenario, set_, seed)
    if out is not None:
        check_out_dir(out)  # refuse before spending time on the run
    try:
        with stop_signals(), llm.llm_run(llm_cache, llm_cache_only):  # SIGTERM/SIGHUP as Ctrl-C: the folder
            output = runs.simulate(spec)  # is written whole or not at all; a language model failing: none
            folder = runs.save(output, runs_dir, out, png=png)  # (cli/llm.py)
    except KeyboardInterrupt as exc:
        errors.print("interrupted: no run folder written", highlight=False)
        raise typer.Exit(exit_code(exc)) from None
    console.print(run_summary(output))
    if output.summary.get("comparison"):
        from ..backtest.evaluate import baseline_line

        comparison = output.summary["comparison"]
        console.print(comparison_table(comparison))
        console.print(baseline_line(spec, comparison["matched"], comparison["total"]), highlight=False)
    if spec.priors:  # inputs/priors.py: a prior is about an experiment's runs
        console.print(f"{len(spec.priors)} priors played at their values (montecarlo, whatif, sweep and backtest "
                      "draw them per run)", style="dim", highlight=False)
    console.print(f"run folder: {folder}", soft_wrap=True, highlight=False)


@app.command(help=f"Compare a run with the real deal: per clause, timing in days, one score.\n\n{SCORE_RULE}")
@handles_input_errors
def compare(run: Annotated[Path, typer.Argument(help="a run folder, or its log.jsonl")],
            truth: Annotated[Path | None, typer.Option(help="real-deal file (default: the `truth` of the "
                                                            "run's scenario.yaml; without one, the run "
                                                            "is refused)")] = None) -> None:
    from ..reports.summary import comparison_table
    from ..service.compare import compare_run

    console.print(comparison_table(compare_run(run, truth)))
