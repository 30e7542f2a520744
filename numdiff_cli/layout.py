"""Tables that fit the width they are drawn at, without cutting or splitting a number.

A view offers several layouts, the richest first; when rich draws it (and only then is the
width known: a terminal, ``COLUMNS``, a notebook) the first layout whose tables fit is used.
A table fits when each column can be as wide as its longest word: a number is one word (a
vector wraps between its components), and a column marked ``no_wrap`` needs its longest line.
Prose (titles, notes) wraps between words as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table

# A layout draws for a width, or returns None where it does not fit; told it is the last, it always draws.
Layout = Callable[[Console, int, bool], RenderableType | None]
_UNBOUNDED = 100_000


class Fit:
    """The first of ``layouts`` that fits the width; the last one is drawn whatever the width."""

    def __init__(self, *layouts: Layout) -> None:
        self.layouts = layouts

    def choose(self, console: Console, width: int) -> RenderableType:
        for layout in self.layouts[:-1]:
            chosen = layout(console, width, False)
            if chosen is not None:
                return chosen
        return self.layouts[-1](console, width, True) or ""

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.choose(console, options.max_width)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.choose(console, options.max_width))


def fitted(table: Table, console: Console, width: int, anyway: bool = False) -> Table | None:
    """``table`` with column widths that fit ``width`` and cut no number, or None if none do.

    With ``anyway``, a table too wide even so is returned as it is, for rich to narrow.

    Columns start at their natural width; the ones with room to spare (prose, a header longer
    than its numbers) give it up until the table fits. The widths are then fixed, so rich
    never has to shrink a column itself (it would cut numbers with an ellipsis).
    """
    options = console.options.update_width(_UNBOUNDED)
    natural, needed = [], []
    for column in table.columns:
        header = Measurement.get(console, options, column.header)
        cells = [Measurement.get(console, options, cell) for cell in column.cells]
        longest_line = max((cell.maximum for cell in cells), default=0)
        longest_word = max((cell.minimum for cell in cells), default=0)
        natural.append(max(header.maximum, longest_line))
        needed.append(max(header.minimum, longest_line if column.no_wrap else longest_word))
    for column, size in zip(table.columns, natural):
        column.width = size
    room = width - (Measurement.get(console, options, table).maximum - sum(natural))  # less borders, padding
    if sum(needed) > room:
        if anyway:
            for column in table.columns:
                column.width = None
            return table
        return None
    widths = list(natural)
    while sum(widths) > room:  # narrow the column with the most to spare, one character at a time
        spare = max(range(len(widths)), key=lambda i: widths[i] - needed[i])
        widths[spare] -= 1
    for column, size in zip(table.columns, widths):
        column.width = size
        column.no_wrap = False  # each cell fits its column; a header may now wrap between words
    return table
