"""A plotext figure for the terminal: as wide as the tables numdiff prints (the terminal's width;
piped, ``COLUMNS`` or the piped width), in colour only where colour is wanted (a terminal, no
NO_COLOR), without escape codes when piped."""

from __future__ import annotations

import math
import os
import sys
from typing import Any

from numdiff_cli.output import text_width
from numdiff_cli.plots.libraries import plotext

MIN_WIDTH, MIN_HEIGHT, MAX_HEIGHT = 40, 12, 24


def width() -> int:
    """Columns to draw in: those the tables take (:func:`numdiff_cli.output.text_width`), at least
    ``MIN_WIDTH``, below which plotext has no room for an axis and its labels."""
    return max(MIN_WIDTH, text_width())


def colour() -> bool:
    """Whether to draw in colour: on a terminal, unless NO_COLOR is set (https://no-color.org)."""
    return bool(sys.stdout is not None and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))


def new_figure(columns: int) -> Any:
    """plotext's figure, cleared and sized ``columns`` wide (and a third as high, within bounds)."""
    library = plotext()
    library.terminal.limit(False, False)  # the size is ours (``width``): plotext would cap it at its own guess
    figure = library.figure
    figure.clear()
    figure.theme("simple")  # colours only on the data: the default paints a white background, glaring on a dark terminal
    figure.plot_size(columns, max(MIN_HEIGHT, min(MAX_HEIGHT, columns // 3)))
    return figure


def text(figure: Any, *, coloured: bool) -> str:
    """The figure as text, with colour codes only if ``coloured``."""
    return figure.build().string(colorless=not coloured)


def below(plot: str, lines: list[str], columns: int) -> str:
    """The plot with lines of text under it (a key, a note), each wrapped to ``columns``."""
    import textwrap

    wrapped = [textwrap.fill(line, columns, subsequent_indent="  ") for line in lines]
    return "\n".join([plot, *wrapped])


def logs(values: list[float]) -> list[float]:
    """log10 of each value, the coordinates of a log axis drawn by :func:`log_axis`."""
    return [math.log10(v) for v in values]


def log_axis(figure: Any, axis: int, low: float, high: float) -> None:
    """Make ``axis`` (0 = x, 1 = y) a log axis from ``low`` to ``high``: data go in as
    :func:`logs`, ticks sit at powers of ten, written 1e-8. (plotext's own log scale labels
    ticks in fixed point, unreadable across sixteen decades, and loses the data when given ticks.)"""
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    every = max(1, math.ceil((last - first) / 6))  # at most about seven labels
    powers = list(range(last, first - 1, -every))[::-1]
    ruler = figure.ruler(axis)
    ruler.lim(first, last)
    ruler.ticks(powers, [f"1e{k}" for k in powers])
