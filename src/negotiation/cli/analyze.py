"""``negotiation analyze``: the Pareto frontier and bargaining points of a scenario (and a run).

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

from pathlib import Path
from typing import Annotated

import typer

from .common import ScenarioArg, SetOpt, app, console, errors, handles_input_errors, load


@app.command(help="Pareto frontier, Nash, Kalai–Smorodinsky, utilitarian and egalitarian points; "
                  "with --run, the run's outcome and the real deal placed against them. Prints a table, "
                  "writes a PNG (and JSON with --json).")
@handles_input_errors
def analyze(scenario: ScenarioArg = None,
            run: Annotated[Path | None, typer.Option("--run", help="a run folder (or its log.jsonl) to place "
                                                     "against the points; without SCENARIO, its scenario.yaml")] = None,
            json_out: Annotated[Path | None, typer.Option("--json", help="write the analysis as JSON here")] = None,
            png: Annotated[Path | None, typer.Option("--png", help="PNG path (default: frontier.png beside the run, "
                                                     "else runs/analysis-<scenario>.png)")] = None,
            no_png: Annotated[bool, typer.Option("--no-png", help="do not draw the PNG")] = False,
            x: Annotated[str | None, typer.Option("--x", help="party on the x axis (default: the first)")] = None,
            y: Annotated[str | None, typer.Option("--y", help="party on the y axis (default: the second)")] = None,
            colour: Annotated[str | None, typer.Option("--colour", help="with 3+ parties, party whose utility "
                                                       "colours the frontier (default: the third)")] = None,
            set_: SetOpt = None) -> None:
    """Bargaining analysis of a scenario (lazy imports: numpy work only here)."""
    from ..reports.analysis.command import analyze as analysis

    if scenario is None and run is not None:
        folder = run if run.is_dir() else run.parent
        scenario = folder / "scenario.yaml" if (folder / "scenario.yaml").is_file() else None
    analysis(console, errors, load(scenario, set_), run, json_out, png, no_png, x, y, colour)
