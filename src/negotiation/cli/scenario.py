"""``negotiation validate`` and ``negotiation schema``: one scenario checked, and the scenario files' schema.

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from .common import ScenarioArg, SetOpt, app, console, handles_input_errors, load


@app.command()
@handles_input_errors
def validate(scenario: ScenarioArg = None, set_: SetOpt = None) -> None:
    """Check a scenario and say exactly what is wrong (exit 2), or summarise it."""
    from ..reports.summary import print_validation

    print_validation(console, load(scenario, set_))


@app.command(help="Print the JSON Schema (Draft 2020-12) of scenario files, for editors and validators.\n\n"
             "Point an editor at it with a first line '# yaml-language-server: $schema=PATH' in the YAML "
             "(schema/scenario.schema.json in this repository). --overlay gives the schema of partial "
             "scenarios (what-if overlays): every key optional, null deleting it.")
@handles_input_errors
def schema(out: Annotated[Path | None, typer.Option("--out", help="write it to FILE (a new file, or a schema "
                                                                  "it wrote before; - is standard output)")] = None,
           overlay: Annotated[bool, typer.Option("--overlay", help="the schema of what-if overlays")] = False) -> None:
    import json

    from ..scenarios.models import DRAFT, schema_text
    from ..runs import output

    text = schema_text(overlay=overlay)
    if out is None:
        sys.stdout.write(text)
        return
    title = json.loads(text)["title"]
    ours = output.json_with({"$schema", "title"}, {"$schema": [DRAFT], "title": [title]})
    output.write(out, text, "--out", ours, f"a JSON Schema titled {title!r}")
