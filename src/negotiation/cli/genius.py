"""``negotiation import-genius``: a GENIUS domain and profiles to a scenario YAML.

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .common import app, console, errors, handles_input_errors


@app.command("import-genius", help="Turn a GENIUS domain and its linear additive profiles (discrete issues) into "
                                   "a scenario YAML. A discount factor below 1 is not modelled: it is noted in "
                                   "the description and warned about.")
@handles_input_errors
def import_genius(domain: Annotated[Path, typer.Argument(help="the GENIUS domain XML")],
                  profiles: Annotated[list[Path], typer.Argument(help="two or more GENIUS utility profiles")],
                  out: Annotated[Path | None, typer.Option("-o", "--out", help="scenario YAML to write "
                                                           "(default: configs/<name>.yaml)")] = None,
                  names: Annotated[str | None, typer.Option("--names", help="party names, comma-separated "
                                                            "(default: the profiles' file names)")] = None,
                  name: Annotated[str | None, typer.Option("--name", help="scenario name (default: from the "
                                                           "domain's file name)")] = None,
                  rounds: Annotated[int, typer.Option("--rounds", help="daily rounds in the calendar")] = 60,
                  force: Annotated[bool, typer.Option("--force", help="replace an existing file")] = False) -> None:
    """Import GENIUS XML files into scenario YAML, validated before it is written."""
    from ..scenarios import genius
    from ..runs.folder import write_atomic

    names_list = names.split(",") if names is not None else None
    target = out or Path("configs") / "pending.yaml"
    text, notes = genius.import_genius(domain, profiles, target, names_list, name, rounds)
    if out is None:
        from ..inputs.config import safe_load

        target = Path("configs") / f"{safe_load(text)['name']}.yaml"
    if target.exists() and not force:
        raise InputError("-o", str(target), "a new file expected; it exists (add --force to replace it)")
    for note in notes:
        errors.print(f"[yellow]warning:[/] {note}", highlight=False, soft_wrap=True)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    console.print(f"scenario: {target}", soft_wrap=True, highlight=False)
