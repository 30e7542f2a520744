"""Draw a result to a target: each result type has one picture module in this package.

A picture module holds ``figure(result)`` (a matplotlib Figure, for .png/.svg/.pdf),
``terminal(result, columns, coloured)`` (text, for ``--plot term``) and, where the picture moves,
``animation(result, path)`` (writes a .gif). Tests call those functions directly and inspect the
data given to matplotlib or the text.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import typer

from numdiff_cli.errors import UsageError
from numdiff_cli.i18n import _
from numdiff_cli.output import OutputError, text_out
from numdiff_cli.plots import textplot
from numdiff_cli.plots.libraries import pyplot
from numdiff_cli.plots.target import PlotTarget

# The result type's name -> its picture module in numdiff_cli.plots: one line per picture.
PICTURES = {
    "SweepResult": "step_errors",
    "GradResult": "gradient_field",
    "DescentResult": "descent_paths",
    "DescentComparison": "descent_paths",
    "RateSweep": "rate_sweep",
    "SecantPicture": "secants",
}
DPI = 150  # a .png sharp on a laptop screen and in a README, about 150 kB


def picture(result: Any) -> ModuleType:
    """The picture module for ``result``'s type.

    Raises
    ------
    UsageError
        For a result nothing draws.
    """
    name = PICTURES.get(type(result).__name__)
    if name is None:
        raise UsageError("{parameter} cannot draw this result", parameter="plot")
    return importlib.import_module(f"numdiff_cli.plots.{name}")


def draw(result: Any, target: PlotTarget) -> None:
    """Draw ``result`` on the terminal (stdout) or to the target's file, saying where on stderr.

    Raises
    ------
    OutputError
        Where the file or stdout cannot be written.
    """
    module = picture(result)
    if target.terminal:
        _write(module.terminal(result, textplot.width(), coloured=textplot.colour()))
        return
    assert target.path is not None
    try:
        if target.animated:
            module.animation(result, target.path)
        else:
            save(module.figure(result), target)
    except OSError as exc:
        raise OutputError("could not write {file}: {value}", file=str(target.path), value=exc.strerror or exc) from None
    typer.echo(_("picture written to {file}").format(file=target.path), err=True)


def save(figure: Any, target: PlotTarget) -> None:
    """Write ``figure`` in the target's format, trimmed to what is drawn, and free it."""
    try:
        figure.savefig(target.path, format=target.suffix[1:], dpi=DPI, bbox_inches="tight")
    finally:
        pyplot().close(figure)


def _write(text: str) -> None:
    try:
        out = text_out()  # piped, without plotext's padding
        out.write(text + "\n")
        out.flush()
    except OSError as exc:
        raise OutputError("could not write the output: {value}", value=exc.strerror or exc) from None
