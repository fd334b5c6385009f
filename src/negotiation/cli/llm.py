"""The options of ``run`` for language-model parties (issue 24):
``--llm-cache DIR`` keeps every exchange with a chat-completions endpoint on
disk, ``--llm-cache-only`` answers only from it (no network; a miss stops
the run). A failure of the endpoint or a limit reached is one line and exit
1, and no run folder is written (the run did not finish).
"""

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

CacheOpt = Annotated[Path | None, typer.Option("--llm-cache", help="keep language-model exchanges in DIR "
                                                                   "(replayed from it when cached)")]
CacheOnlyOpt = Annotated[bool, typer.Option("--llm-cache-only", help="answer language-model turns only from "
                                                                     "--llm-cache; never use the network")]


@contextlib.contextmanager
def llm_run(cache: Path | None, offline: bool) -> Iterator[None]:
    """Runs inside use the cache; an ``LlmError`` is one red line on stderr and exit 1."""
    from rich.markup import escape

    from ..llm import LlmError
    from ..llm.session import llm_session
    from . import errors

    with llm_session(cache, offline):
        try:
            yield
        except LlmError as exc:
            line = escape(str(exc).replace("\n", "\u240a"))
            errors.print(f"[bold red]error:[/] {line}; no run folder written", highlight=False, markup=True,
                         soft_wrap=True)
            raise typer.Exit(1) from None
