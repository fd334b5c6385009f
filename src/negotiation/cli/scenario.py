"""``negotiation validate`` and ``negotiation schema``: one scenario checked, and the scenario files' schema.

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
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
                                                                  "written before) instead of printing it")] = None,
           overlay: Annotated[bool, typer.Option("--overlay", help="the schema of what-if overlays")] = False) -> None:
    from ..inputs.models import schema_text
    from ..runs.folder import write_atomic

    text = schema_text(overlay=overlay)
    if out is None:
        sys.stdout.write(text)
        return
    if out.exists() and not _is_schema(out):
        raise InputError("--out", str(out), "a new file or a JSON Schema written before expected; "
                                            "it holds something else")
    write_atomic(out, text)


def _is_schema(path: Path) -> bool:
    import json

    try:
        return "$schema" in json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return False
