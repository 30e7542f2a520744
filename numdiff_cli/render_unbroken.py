"""Titles that wrap only where a reader would break them.

rich wraps text at any space, so a narrow console could split a point, ``(1.0, | 1.0)``, or a
setting, ``h = | 0.0001``. :class:`Unbroken` wraps at the console's width too, but never inside
parentheses nor beside an ``=``: a point, a tuple of names and a ``name = value`` stay whole.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text


class Unbroken:
    """``text`` (lines separated by ``\\n``) in ``style``, wrapped at the width it is given, only at
    spaces outside parentheses and away from ``=``; a group wider than the width is folded by rich."""

    def __init__(self, text: str, style: str = "") -> None:
        self.text, self.style = text, style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text("\n".join(wrapped(self.text, options.max_width)), style=self.style)

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((cell_len(group) for line in self.text.split("\n") for group in groups(line)), default=0)
        return Measurement(longest, max(map(cell_len, self.text.split("\n")))).clamp(max_width=options.max_width)


def unbroken_title(table: Table) -> Table:
    """``table``, its title (a string) wrapped as :class:`Unbroken` in the table's title style."""
    if isinstance(table.title, str):
        table.title = Unbroken(table.title, style="table.title")  # type: ignore[assignment]  # rich renders any renderable
    return table


def wrapped(text: str, width: int) -> list[str]:
    """The lines of ``text`` filled up to ``width`` cells with whole :func:`groups`.

    >>> wrapped("f = x**2 from (x, y) = (1.0, 1.0), 100 steps", 24)
    ['f = x**2 from', '(x, y) = (1.0, 1.0), 100', 'steps']
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for group in groups(paragraph):
            if line and cell_len(line) + 1 + cell_len(group) > width:  # cells: a Korean letter takes two
                lines.append(line)
                line = group
            else:
                line = f"{line} {group}" if line else group
        lines.append(line)
    return lines


def groups(line: str) -> list[str]:
    """``line`` cut at the spaces a reader may break at: outside parentheses, and not beside ``=``.

    >>> groups("from (x0, x1) = (-3.0, 4.0), h = 1e-4")
    ['from', '(x0, x1) = (-3.0, 4.0),', 'h = 1e-4']
    """
    cuts, depth = [], 0
    for i, char in enumerate(line):
        depth += (char == "(") - (char == ")")
        if char == " " and depth <= 0 and "=" not in (line[i - 1 : i], line[i + 1 : i + 2]):
            cuts.append(i)
    bounds = zip([-1, *cuts], [*cuts, len(line)])
    return [line[start + 1 : end] for start, end in bounds if end > start + 1]
