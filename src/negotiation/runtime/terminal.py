"""The one place text reaches the terminal: a rich Console that never
writes control characters it did not make itself.

Names and texts come from files a user may not have written (a scenario, a
run folder someone sent, a GENIUS import). An ESC or BEL in them, printed
raw, is a terminal escape sequence: it can retitle the window (``ESC ] 0 ;
… BEL``), clear the screen (``ESC [ 2 J``) or worse (the "terminal
injection" class of attacks, CWE-150). Rich strips only a few control codes
(BEL, BS, VT, FF, CR) and none of ESC. :class:`SafeConsole` rewrites every
C0 and C1 control character and DEL in the text of what it renders into a
visible symbol (``ESC`` → ``␛``, U+241B, from Unicode's Control Pictures
block) while rich's own escape codes for colour and cursor movement, which
it emits as style and control segments, pass unchanged. A name that happens
to look like rich markup (``[/]``) is shown as written, not parsed.

A closed pipe (``negotiation validate … | head -1``) is not an error: the
reader took what it wanted, so the command exits 0 (Python docs, "Note on
SIGPIPE").
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.errors import MarkupError
from rich.segment import Segment
from rich.text import Text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    return "␡" if code == 0x7F else "\ufffd"


def clean(text: str) -> str:
    """``text`` with every control character but newline and tab made visible."""
    return _CONTROL.sub(_picture, text) if _CONTROL.search(text) else text


class SafeConsole(Console):
    """A rich Console for untrusted text (see the module docstring). Emoji
    codes are off: a user's ``:V:`` in a name or a bad option value is shown
    as typed, never as ✌."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("emoji", False)
        super().__init__(*args, **kwargs)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not _CONTROL.search(segment.text):
                yield segment
            else:
                yield Segment(clean(segment.text), segment.style, segment.control)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        text = clean(text)  # before layout, so widths count the symbols
        try:
            return super().render_str(text, **kwargs)
        except MarkupError:
            kwargs["markup"] = False
            return super().render_str(text, **kwargs)

    def on_broken_pipe(self) -> None:
        self.quiet = True
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        raise SystemExit(0)
