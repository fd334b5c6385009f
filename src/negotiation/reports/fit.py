"""Tables that fit the terminal without cutting a value.

Output piped to a file or another program is 80 columns wide (rich's
default when it cannot ask the terminal), and a rich table too wide for its
width shortens cells with an ellipsis: ``external_test`` becomes
``externa…``, a date ``2026…``. A value read there is then wrong, not merely
short. :class:`Fit` renders its table as it is when nothing is cut, else the
same rows stacked, one block per row, each value written whole, so every
line fits and every value is read as it is.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

ELLIPSIS = "…"


def plain(cell: RenderableType) -> str:
    """A cell's text on one line."""
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return " ".join(text.split())


class Fit:
    """``table`` if it fits ``options.max_width`` uncut, else stacked."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not cut(console, options, self.table):
            yield self.table
            return
        yield from stacked(self.table)


def cut(console: Console, options: ConsoleOptions, table: Table) -> bool:
    """Would rich shorten a cell of ``table`` at this width (an ellipsis in
    the output that no cell holds)?"""
    written = "".join(segment.text for line in console.render_lines(table, options.update(height=None))
                      for segment in line)
    held = sum(plain(cell).count(ELLIPSIS) for column in table.columns for cell in (column.header, *column.cells))
    return written.count(ELLIPSIS) > held


def stacked(table: Table) -> Iterable[RenderableType]:
    """One block per row: the first cell as its heading, then ``column:
    value`` pairs that wrap between pairs, never inside a value."""
    if table.title:
        yield table.title if isinstance(table.title, Text) else Text(str(table.title), style="bold")
    columns = table.columns
    rows = [[plain(c) for c in column.cells] for column in columns]
    headers = [plain(column.header) for column in columns]
    for i in range(table.row_count):
        heading = f"{headers[0]}: {rows[0][i]}" if headers[0] and rows[0][i] else rows[0][i]
        pairs = [f"{h}: {r[i]}" if h else r[i] for h, r in zip(headers[1:], rows[1:]) if r[i]]
        if heading:
            yield Text(heading, style="cyan")
        if pairs:
            yield Padding(Text(" · ".join(pairs)), (0, 0, 0, 2))
