"""Rich renderings of results for people. Never computes.

``view`` hands a result to its command's views (``render_diff``, ``render_grad``,
``render_descent``), loaded only when needed; this module holds what they share: how a
number, an error and a vector are written, and the compact table with its notes about
what a narrow terminal left out.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from numdiff_cli.i18n import _
from numdiff_cli.results import error as error  # the tables' short form, kept here for the views
from numdiff_cli.results import number

if TYPE_CHECKING:  # render is handed results; it need not load every command's types
    from numdiff_cli.results.derivation import Derivation
    from numdiff_cli.results.descend import DescentComparison, DescentResult
    from numdiff_cli.results.diff import DiffResult, SweepResult
    from numdiff_cli.results.grad import GradResult, JacobianResult

    Result = DiffResult | GradResult | JacobianResult | DescentResult | DescentComparison | SweepResult | Derivation

_VIEWS = {  # a result's type: the module and function that draw it
    "DiffResult": ("render_diff", "diff_view"),
    "SweepResult": ("render_diff", "sweep_view"),
    "ExplainResult": ("render_explain", "explain_view"),
    "GradResult": ("render_grad", "grad_view"),
    "JacobianResult": ("render_grad", "jacobian_view"),
    "DescentResult": ("render_descent", "descent_view"),
    "DescentComparison": ("render_descent", "comparison_view"),
    "RateSweep": ("render_rate_sweep", "sweep_view"),
    "Derivation": ("render_derivation", "derivation_view"),
    "ClaimResult": ("render_check", "claim_view"),
    "CodeResult": ("render_check", "code_view"),
}


def view(result: Result) -> RenderableType:
    """The rich rendering of any command's result."""
    module, function = _VIEWS[type(result).__name__]
    return getattr(importlib.import_module(f"numdiff_cli.{module}"), function)(result)


SHORT_DIGITS = 6  # significant digits of numbers shortened to fit a narrow terminal; --json has all
# How a table cell of prose wraps: "fold", not rich's "ellipsis", which would cut the last word of a
# line of wide (Korean) characters that fills the cell exactly (rich measures the space after it in
# characters, not cells). Layouts keep every number within its cell, so only prose is affected.
PROSE = "fold"
BEST = "bold green"
NOTE = "yellow"


def significant(value: float | None, digits: int) -> str:
    """``value`` to ``digits`` significant digits, trailing zeros kept to say how many: 25.0000."""
    if value is None:
        return "—"
    value = float(value) + 0.0
    return f"{value:#.{digits}g}" if value and math.isfinite(value) else number(value)


def vector(values: Sequence[float | None] | None) -> str:
    """``(6.0, 8.0)``, every double in full; a dash for none."""
    if values is None:
        return "—"
    return "(" + ", ".join(number(v) for v in values) + ")"


def compact_table(title: str, edge: bool = True) -> Table:
    """A table with a rule under its header and little padding; without its blank edge, 2 columns narrower
    (the title then ends in a blank line, and :func:`below` puts one under the table)."""
    return Table(title=title if edge else title + "\n", title_justify="left", box=box.SIMPLE_HEAD, show_edge=edge,
                 pad_edge=False, collapse_padding=True)


def below(table: Table, *lines: RenderableType) -> Group:
    """``table`` and the lines under it, a blank line between them where the table has no blank edge."""
    return Group(table, *([] if table.show_edge else [Text("")]), *lines)


def dropped(names: Sequence[str]) -> Text:
    """The line under a table that left columns out to fit the width."""
    shown = ", ".join(_(name) for name in names)
    return Text(_("not shown, to fit the width: {names} (--json has every column)").format(names=shown), style="dim")


def shortened(what: str, digits: int) -> Text:
    """The line under a table whose numbers were shortened to fit the width; ``what`` is a message (``N_``)."""
    line = _("{what} to {digits} significant digits, to fit the width (--json has every digit)")
    return Text(line.format(what=_(what), digits=digits), style="dim")
