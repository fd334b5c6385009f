"""Light renderables for long replays: a column grid and a heading line.

A rich ``Table`` measures and wraps every cell each time it renders, and a
``Text`` re-wraps its lines; a 1,000-round replay prints a thousand tables,
and at about a millisecond each that is the whole second. ``Grid`` pads each
cell to its column's width once and yields the segments directly (several
times faster); when its columns do not fit the width it hands the same cells
to a rich ``Table``, which squeezes and wraps them. ``Heading`` is a
``Rule`` with its title on the left, drawn without measuring.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from rich import box
from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

GAP = 2
Piece = Text | tuple[str, str | Style | None]  # a styled run of text, or a Text with inner spans


class Grid:
    """``header`` then ``rows`` of Text cells in aligned columns; ``rule``
    draws a dim line under the header (off for plain output)."""

    def __init__(self, header: Sequence[Text], rows: Sequence[Sequence[Text]], rule: bool = True) -> None:
        self.header = list(header)
        self.rows = [list(row) for row in rows]
        self.rule = rule
        cells = [[cell_lines(cell) for cell in row] for row in [self.header, *self.rows]]
        columns = len(self.header)
        self.widths = [max((cell_len(line.plain) for row in cells for line in row[k]), default=0)
                       for k in range(columns)]
        self.width = sum(self.widths) + GAP * max(0, columns - 1)
        self.lines: list[list[Piece]] = []
        for n, row in enumerate(cells):
            for i in range(max(len(cell) for cell in row)):
                self.lines.append(self.line([cell[i] if i < len(cell) else Text() for cell in row]))
            if n == 0 and rule:
                self.lines.append([("─" * self.width, "dim")])
        self.line_widths = [sum(cell_len(p.plain if isinstance(p, Text) else p[0]) for p in line)
                            for line in self.lines]

    def line(self, parts: list[Text]) -> list[Piece]:
        while len(parts) > 1 and not parts[-1].plain:
            parts = parts[:-1]  # no padding after the last cell: plain lines end without blanks
        pieces: list[Piece] = []
        for k, part in enumerate(parts):
            pieces += flatten(part)
            if k < len(parts) - 1:
                pad = " " * (self.widths[k] - cell_len(part.plain) + GAP)
                last = pieces[-1]
                if isinstance(last, tuple) and invisible_on_blanks(last[1]):
                    pieces[-1] = (last[0] + pad, last[1])  # one segment fewer, the same look
                else:
                    pieces.append((pad, None))
        return pieces

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(self.width, options.max_width), self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if self.width > options.max_width:
            yield self.table()
            return
        yield from self.segments(console)

    def segments(self, console: Console) -> Iterator[Segment]:
        for line, _width in self.styled_lines(console):
            yield from line
            yield Segment.line()

    def styled_lines(self, console: Console) -> Iterator[tuple[list[Segment], int]]:
        """Each line as segments, with its width in cells."""
        plain = console.color_system is None  # no escape codes will be written: styles change nothing
        for line, width in zip(self.lines, self.line_widths, strict=True):
            if plain:
                yield [Segment("".join(p.plain if isinstance(p, Text) else p[0] for p in line))], width
                continue
            segments: list[Segment] = []
            for piece in line:
                if isinstance(piece, Text):
                    segments += styled(piece, console)
                else:
                    segments.append(Segment(piece[0], console.get_style(piece[1]) if piece[1] else None))
            yield segments, width

    def table(self) -> Table:
        table = Table(box=box.SIMPLE_HEAD if self.rule else None, pad_edge=False, show_edge=False)
        for k, head in enumerate(self.header):
            table.add_column(head, overflow="fold")  # never lose a value to an ellipsis
        for row in self.rows:
            table.add_row(*row)
        return table


def flatten(text: Text) -> list[Piece]:
    """``text`` as runs of (text, style) when its spans neither overlap nor
    sit on a base style (true of every cell a replay draws); else the Text
    itself, rendered by rich. Runs render without re-parsing the Text."""
    if not text.spans:
        return [(text.plain, text.style or None)]
    spans = sorted(text.spans, key=lambda span: span.start)
    if text.style or any(a.end > b.start for a, b in zip(spans, spans[1:], strict=False)):
        return [text]
    plain, runs, at = text.plain, [], 0
    for span in spans:
        if span.start > at:
            runs.append((plain[at:span.start], None))
        if span.end > span.start:
            runs.append((plain[span.start:span.end], span.style))
        at = max(at, span.end)
    if at < len(plain):
        runs.append((plain[at:], None))
    return runs


def styled(text: Text, console: Console) -> list[Segment]:
    """``text`` as segments, its base style included (``Text.render`` leaves
    the base style to its caller)."""
    segments = list(text.render(console))
    return list(Segment.apply_style(segments, console.get_style(text.style))) if text.style else segments


def invisible_on_blanks(style: str | Style | None) -> bool:
    """True if spaces in ``style`` look like unstyled spaces (no background,
    no underline or reverse), so padding can share the cell's segment."""
    if style is None:
        return True
    if isinstance(style, Style):
        return not (style.bgcolor or style.underline or style.reverse or style.strike or style.overline)
    return not any(word in style.split() for word in ("on", "underline", "reverse", "strike", "overline", "u"))


def cell_lines(cell: Text) -> list[Text]:
    return list(cell.split("\n")) if "\n" in cell.plain else [cell]


class Heading:
    """A blank line, then ``title ─────…`` across the width, like
    ``Rule(title, align="left")``: the heading of a section in plain output."""

    def __init__(self, title: str, style: str = "rule.line") -> None:
        self.title = title
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        yield Segment.line()
        title = self.title if cell_len(self.title) + 2 <= width else self.title[: max(0, width - 3)] + "…"
        yield Segment(title)
        yield Segment(" " + "─" * max(0, width - cell_len(title) - 1), console.get_style(self.style))
        yield Segment.line()


class Frame:
    """A titled box around ``parts``, drawn like a rich ``Panel`` (rounded
    corners, title on the top edge) but laying out a ``Grid`` from its known
    line widths instead of re-measuring every segment."""

    def __init__(self, title: Text, parts: Sequence[RenderableType], style: str = "blue") -> None:
        self.title = title
        self.parts = list(parts)
        self.style = style

    def fitted_width(self, console: Console, options: ConsoleOptions) -> int:
        """As wide as its widest part (and title), never wider than the
        console: a 1,000-round replay then writes a fraction of the blank cells
        a full-width box would, which is most of what a terminal has to draw."""
        widest = self.title.cell_len + 2
        for part in self.parts:
            if isinstance(part, Grid):
                widest = max(widest, part.width)
            else:
                widest = max(widest, Measurement.get(console, options, part).maximum)
            if widest + 4 >= options.max_width:
                return options.max_width
        return widest + 4

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = self.fitted_width(console, options)
        inner = max(1, width - 4)
        edge = console.get_style(self.style)
        title = self.title.copy()
        title.truncate(max(0, width - 6), overflow="ellipsis")
        yield Segment("╭─ ", edge)
        yield from styled(title, console)
        yield Segment(" " + "─" * max(0, width - title.cell_len - 5) + "╮", edge)
        yield Segment.line()
        left, right, new_line = Segment("│ ", edge), Segment(" │", edge), Segment.line()
        for part in self.parts:
            if isinstance(part, Grid) and part.width <= inner:
                lines: Iterator[tuple[list[Segment], int]] = part.styled_lines(console)
            else:
                lines = ((line, inner) for line in console.render_lines(part, options.update_width(inner), pad=True))
            for line, used in lines:
                yield left
                yield from line
                if used < inner:
                    yield Segment(" " * (inner - used))
                yield right
                yield new_line
        yield Segment("╰" + "─" * (width - 2) + "╯", edge)
        yield new_line
