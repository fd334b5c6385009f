"""``negotiation replay``: a run's log round by round.

No ``from __future__ import annotations``: typer reads the signatures at each
start (see the package's docstring).
"""

from pathlib import Path
from typing import Annotated

import typer

from ..errors import InputError
from .common import app, console, errors, handles_input_errors


@app.command()
@handles_input_errors
def replay(run: Annotated[Path, typer.Argument(help="a run folder, or its log.jsonl")],
           round_: Annotated[int | None, typer.Option("--round", help="jump to round K and stop there")] = None,
           from_: Annotated[int | None, typer.Option("--from", help="first round to show")] = None,
           to: Annotated[int | None, typer.Option("--to", help="last round to show")] = None,
           party: Annotated[str | None, typer.Option("--party", help="only what this party did and saw")] = None,
           speed: Annotated[float, typer.Option("--speed", help="seconds per round when animating")] = 0.4,
           no_animate: Annotated[bool, typer.Option("--no-animate", help="print everything at once")] = False,
           ) -> None:
    """Replay a run's log round by round (read from the log; nothing is re-run).

    Animated in a terminal; plain text when piped. Exit 2 if the log is
    truncated (after showing every complete record) or corrupt."""
    from ..reports.replay.state import check_range, load_replay
    from ..reports.replay.view import play

    if round_ is not None and (from_ is not None or to is not None):
        raise InputError("--round", str(round_), "either --round or --from/--to expected, not both")
    if speed < 0:
        raise InputError("--speed", str(speed), "a number of seconds >= 0 expected")
    shown = load_replay(run)
    if round_ is not None:
        first, last = check_range(shown, round_, round_, ("--round", "--round"))
    else:
        first, last = check_range(shown, from_, to)
    if party is not None:
        shown = shown.seen_by(party)
    try:
        play(shown, console, first, last, animate=console.is_terminal and not no_animate, speed=speed)
    except KeyboardInterrupt:
        errors.print("replay stopped", highlight=False)
        raise typer.Exit(130) from None
    if shown.problem:
        raise InputError(shown.path, "", shown.problem)
