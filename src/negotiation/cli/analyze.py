"""``negotiation analyze``: the Pareto frontier and bargaining points of a scenario (and a run).

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

from pathlib import Path
from typing import Annotated

import typer

from .common import ScenarioArg, SetOpt, app, console, handles_input_errors, load


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
    from ..reports.analysis.report import analyse_scenario, report, to_json
    from ..runs.folder import write_atomic

    if scenario is None and run is not None:
        folder = run if run.is_dir() else run.parent
        scenario = folder / "scenario.yaml" if (folder / "scenario.yaml").is_file() else None
    spec = load(scenario, set_)
    from ..domain.clausewise import searched_clausewise

    if searched_clausewise(spec.space):  # too large to enumerate: the exact frontier, searched clause by clause
        from ..reports.analysis.large import command

        command(console, spec, run, json_out)
        return
    sa = analyse_scenario(spec, run)
    from ..reports.analysis.plots import pick_parties

    pick_parties(sa, x, y, colour)  # bad --x/--y/--colour: exit 2 before printing anything
    console.print(report(sa))
    if json_out is not None:
        import json

        write_atomic(json_out, json.dumps(to_json(sa), indent=2, ensure_ascii=False) + "\n")
        console.print(f"JSON: {json_out}", soft_wrap=True, highlight=False)
    if not no_png:
        from ..reports.analysis.plots import frontier_png

        if png is None:
            png = ((run if run.is_dir() else run.parent) / "frontier.png" if run is not None
                   else Path("runs") / f"analysis-{spec.name}.png")
        console.print(f"PNG: {frontier_png(sa, png, x, y, colour)}", soft_wrap=True, highlight=False)
