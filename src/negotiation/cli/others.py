"""Commands about other minds and other programs: ``tournament`` (which
tactic does best in this negotiation) and ``export-genius`` (the scenario
as GENIUS XML, for GENIUS's and NegMAS's agents).
"""

from pathlib import Path
from typing import Annotated

import typer

from .common import ScenarioArg, SetOpt, app, console, errors, handles_input_errors, load
from .experiments import (ExecutorOpt, ExpOutOpt, ExpSeedOpt, KeepLogsOpt, RunsDirOpt, SchedulerOpt, WorkersOpt,
                          report, warn, where)


@app.command()
@handles_input_errors
def tournament(scenario: ScenarioArg = None,
               tactics: Annotated[str, typer.Option("--tactics", help="tactics, comma-separated, each with its "
                                                    "parameters after colons: boulware,linear,"
                                                    "time_dependent:e=0.3:k=0.1 (registered tactics by name)")] = "",
               runs: Annotated[int, typer.Option("--runs", help="seeds per pairing (the same in every "
                                                 "pairing)")] = 20,
               noise: Annotated[float, typer.Option("--noise", help="σ of preference noise per seed, as in "
                                                    "montecarlo (0: every seed may be the same run)")] = 0.1,
               seed: ExpSeedOpt = None, set_: SetOpt = None, out: ExpOutOpt = None,
               executor: ExecutorOpt = "processes", workers: WorkersOpt = None, scheduler: SchedulerOpt = None,
               keep_logs: KeepLogsOpt = False, runs_dir: RunsDirOpt = Path("runs")) -> None:
    """Every combination of the tactics over the bargainers × seeds: ranking.csv, summary.json, ranking.png."""
    from ..service import execution, scenarios

    report(execution.tournament(load(scenario), tactics, runs, noise, seed, scenarios.values_of(set_ or []),
                                where(executor, workers, scheduler, out, runs_dir, keep_logs), warn))


@app.command("export-genius")
@handles_input_errors
def export_genius(scenario: Annotated[Path, typer.Argument(help="the scenario YAML")],
                  folder: Annotated[Path, typer.Argument(help="a new or empty folder for the XML files")],
                  set_: SetOpt = None,
                  strict: Annotated[bool, typer.Option("--strict", help="refuse a scenario with anything GENIUS "
                                                       "cannot express, instead of dropping it with a "
                                                       "warning")] = False) -> None:
    """Write the GENIUS domain XML and one utility profile per bargainer (weights, evaluations, reservation
    value, discount factor). What GENIUS cannot express is named on stderr (or refused with --strict)."""
    from ..errors import InputError
    from ..inputs.genius_export import export_files
    from ..runs.folder import write_run

    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InputError("DIR", str(folder), "a new or empty folder expected; it exists and is not empty")
    files, dropped = export_files(load(scenario, set_), strict)
    write_run(files, folder.parent, folder.name, folder)  # staged, then renamed: all the files or none
    for note in dropped:
        errors.print(f"[yellow]dropped:[/] {note}", highlight=False, soft_wrap=True)
    for name in files:
        console.print(str(folder / name), soft_wrap=True, highlight=False)
