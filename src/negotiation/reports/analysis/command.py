"""``negotiation analyze``: the table, and the JSON and PNG files the user
asks for, written by the rule of :mod:`negotiation.runs.output` (a file the
user wrote is never overwritten; ``-`` is standard output, and the table then
goes to stderr)."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console

from ...domain.scenario import Scenario
from ...runs import output

# what every analysis JSON holds, whatever the outcome space
ANALYSIS_JSON = output.json_with({"scenario", "parties", "reservations", "outcomes", "allowed", "pareto",
                                  "rational_pareto"})
WHAT_JSON = "a JSON of negotiation analyze"
WHAT_PNG = "a PNG of negotiation analyze"


def analyze(console: Console, errors: Console, spec: Scenario, run: Path | None, json_out: Path | None,
            png: Path | None, no_png: bool, x: str | None, y: str | None, colour: str | None) -> None:
    """Print the analysis and write what was asked; every path is checked
    before anything is computed or printed."""
    from .plots import frontier_png, pick_parties
    from .report import analyse_scenario, report, to_json

    png_ours = output.png_by_us
    if png is None and not no_png:  # our own default place: whatever is there was drawn by us
        png_ours = output.anything
        png = ((run if run.is_dir() else run.parent) / "frontier.png" if run is not None
               else Path("runs") / f"analysis-{spec.name}.png")
    if no_png:
        png = None
    output.check(json_out, "json_out", ANALYSIS_JSON, WHAT_JSON)
    output.check(png, "png", png_ours, WHAT_PNG)
    shown = errors if output.to_stdout(json_out) or output.to_stdout(png) else console
    sa = analyse_scenario(spec, run)
    pick_parties(sa, x, y, colour)  # bad --x/--y/--colour: exit 2 before printing anything
    shown.print(report(sa))
    if json_out is not None:
        text = json.dumps(to_json(sa), indent=2, ensure_ascii=False) + "\n"
        shown.print(f"JSON: {output.write(json_out, text, 'json_out', ANALYSIS_JSON, WHAT_JSON)}",
                    soft_wrap=True, highlight=False)
    if png is not None and sa.result.exhaustive is not None:  # a PNG draws every outcome: none clause by clause
        image = frontier_png(sa, x, y, colour)
        shown.print(f"PNG: {output.write(png, image, 'png', png_ours, WHAT_PNG)}", soft_wrap=True,
                    highlight=False)
