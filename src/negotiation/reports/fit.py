"""Tables that fit the terminal without cutting a value.

Output piped to a file or another program is 80 columns wide (rich's
default when it cannot ask the terminal), and a rich table too wide for its
width shortens cells with an ellipsis: ``external_test`` becomes
``externa…``, a date ``2026…``. A value read there is then wrong, not merely
short. :class:`Fit` renders its table as it is when nothing is cut, else the
same rows split over several tables, each with the first column and as
many others as fit, or when even that is too wide, stacked, one block per
row: every line fits and every value is read whole.
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
        parts = split(console, options, self.table)
        if parts:
            yield from parts
            return
        yield from stacked(self.table)


def split(console: Console, options: ConsoleOptions, table: Table) -> list[Table]:
    """The table as several, each with the first column and as many of the
    next as fit; none when even one beside the first is too wide."""
    groups: list[list[int]] = []
    for j in range(1, len(table.columns)):
        if groups and not cut(console, options, part(table, [0, *groups[-1], j], title=False)):
            groups[-1].append(j)
        elif cut(console, options, part(table, [0, j], title=False)):
            return []
        else:
            groups.append([j])
    return [part(table, [0, *group], title=k == 0) for k, group in enumerate(groups)]


def part(table: Table, columns: list[int], title: bool) -> Table:
    """A table of some of ``table``'s columns, rows and sections kept."""
    out = Table(box=table.box, pad_edge=table.pad_edge, show_edge=table.show_edge, show_header=table.show_header,
                collapse_padding=table.collapse_padding, padding=table.padding, header_style=table.header_style,
                title=table.title if title else None, title_justify=table.title_justify, title_style=table.title_style)
    cells = []
    for i in columns:
        c = table.columns[i]
        out.add_column(c.header, justify=c.justify, style=c.style, no_wrap=c.no_wrap, overflow=c.overflow,
                       ratio=c.ratio, header_style=c.header_style)
        cells.append(list(c.cells))
    for r, row in enumerate(table.rows):
        out.add_row(*(column[r] for column in cells), style=row.style, end_section=row.end_section)
    return out


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
