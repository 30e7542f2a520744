"""Views of ``numdiff grad``: the partials and the gradient, the Hessian, the Jacobian."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli import render
from numdiff_cli.i18n import N_, _, translate
from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import NOTE, SHORT_DIGITS, below, compact_table, dropped, error, shortened, significant, vector
from numdiff_cli.results import number
from numdiff_cli.results import where as point_text
from numdiff_cli.results.codes import RowStatus

if TYPE_CHECKING:
    from numdiff_cli.results.grad import GradResult, HessianResult, JacobianResult, Partial

MAX_MATRIX_SIZE = 8  # larger Hessians are summarised; --json has every entry
SHORT_FORMULA = 24  # characters: a derivative this short is never wrapped
_ESTIMATE_LEGEND = N_("est. err: the method's own error estimate, made without knowing the exact value")
# The columns left out, tried in this order: exact and numeric stay; the estimate that says whether to trust
# numeric outlasts the errors, and gives way to the derivative's formula but is kept where only the formula is too wide.
_ERRORS = (N_("rel err"), "h", N_("abs err"))
_PARTIAL_DROPS = (
    (), _ERRORS[:1], _ERRORS[:2], _ERRORS, (*_ERRORS, N_("est. err")), (*_ERRORS, N_("∂f/∂variable")),
    (*_ERRORS, N_("est. err"), N_("∂f/∂variable")),
)


def grad_view(result: GradResult) -> RenderableType:
    """The partials table, the gradient summary and, if present, the Hessian."""
    where = point_text(result.at, result.typed)
    names = [N_("variable"), N_("∂f/∂variable"), N_("exact"), N_("numeric ({method})"), N_("h"), N_("abs err"), N_("rel err"),
             N_("est. err")]
    # A short derivative wrapped between its terms reads as two (y*cos(x*y) + / y): columns give way first.
    short = max((len(p.derivative) for p in result.partials), default=0) <= SHORT_FORMULA

    def layout(drop: Sequence[str], edge: bool, digits: int | None = None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(_("∇({expression}) at {where}").format(expression=result.expression, where=where), edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                # the derivative is prose that may wrap between its terms; the rest are numbers
                table.add_column(_(names[i]).format(method=result.method), justify="left" if i < 2 else "right",
                                 no_wrap=i != 1 or short)
            for p in result.partials:
                row = _partial_cells(p, digits)
                table.add_row(*(row[i] for i in shown))
            if fitted(table, console, width, last) is None:
                return None
            said = [shortened(N_("exact and numeric values"), digits)] if digits else []
            legend = [] if "est. err" in drop else [Text(_(_ESTIMATE_LEGEND), style="dim")]
            return below(table, *([dropped(drop)] if drop else []), *said, *legend)

        return draw

    summary = Table.grid(padding=(0, 2))
    summary.add_column(no_wrap=True)
    summary.add_column(overflow=render.PROSE)  # a vector wraps between its components
    summary.add_row(_("∇f exact"), vector(result.gradient_analytic))
    summary.add_row(_("∇f numeric"), vector(result.gradient_numeric))
    summary.add_row("‖∇f‖", number(result.norm))
    direction = (
        _("{direction}  (the direction of steepest descent)").format(direction=vector(result.descent_direction))
        if result.descent_direction
        else _("none: the gradient is zero, so no direction is steepest")
    )
    summary.add_row("−∇f/‖∇f‖", direction)
    layouts = [layout(drop, edge) for drop in _PARTIAL_DROPS for edge in (True, False)]
    layouts.append(layout(_PARTIAL_DROPS[-1], False, SHORT_DIGITS))
    parts: list[RenderableType] = [Fit(*layouts), summary]
    parts.extend(Text(f"{_mark(p)} {p.variable}: {translate(p.note)}", style=NOTE) for p in result.partials if p.note)
    if any(p.derivation for p in result.partials):
        from numdiff_cli.render_derivation import derivation_view

        parts.extend(derivation_view(p.derivation, beside_table=True) for p in result.partials if p.derivation)
    if result.hessian is not None:
        parts.append(_hessian_view(result.hessian, [p.variable for p in result.partials]))
    return Group(*parts)


def _partial_cells(p: Partial, digits: int | None = None) -> list[str]:
    value = number if digits is None else (lambda v: significant(v, digits))
    numbers = [value(p.analytic), _flagged(value(p.numeric), p), error(p.h), error(p.abs_error), error(p.rel_error), error(p.error_estimate)]
    return [p.variable, p.derivative, *numbers]


def _flagged(cell: str, p: Partial) -> str:
    """``cell``, the numeric value of ``p``, with ⚠ beside it where ``p`` is not to trust (as diff marks its rows)."""
    return cell + (" ⚠" if p.status is RowStatus.UNRELIABLE else "")


def _mark(p: Partial) -> str:
    """⚠ before the note of a partial not to trust, as diff marks its rows; note: before any other."""
    return "⚠" if p.status is RowStatus.UNRELIABLE else _("note:")


def _hessian_view(hessian: HessianResult, names: Sequence[str]) -> RenderableType:
    def layout(side_by_side: bool, digits: int | None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            exact = _matrix(_("exact"), hessian.analytic, names, digits)
            numeric = _matrix(_("numeric"), hessian.numeric, names, digits)  # the method: in the line below
            if len(names) > MAX_MATRIX_SIZE or not (fitted(exact, console, width) and fitted(numeric, console, width)):
                return None
            said = [shortened(N_("entries"), digits)] if digits else []
            if not side_by_side:
                return Group(exact, numeric, *said)
            grid = Table.grid(padding=(0, 3))
            grid.add_row(exact, numeric)
            options = console.options.update_width(width + 1)  # so that a grid too wide measures width + 1
            return grid if Measurement.get(console, options, grid).maximum <= width else None

        return draw

    def summarised(console: Console, width: int, last: bool) -> RenderableType:
        n = len(names)
        if n > MAX_MATRIX_SIZE:
            return Text(_("{n}×{n} matrix: use --json to see every entry").format(n=n), style="dim")
        return Text(_("{n}×{n} matrix, too wide to show here: use --json to see every entry").format(n=n), style="dim")

    layouts = [layout(True, None), layout(False, None), layout(False, SHORT_DIGITS), summarised]
    lines: list[RenderableType] = [Fit(*layouts)]
    estimate = max((v for row in hessian.error_estimate for v in row), default=None)
    lines.append(
        Text(
            _("largest error of the numeric Hessian ({method}): {error}; its own estimate: {estimate}").format(
                method=hessian.method, error=error(hessian.max_abs_error), estimate=error(estimate))
        )
    )
    lines.append(Text(_("eigenvalues: {values}").format(values=vector(hessian.eigenvalues))))
    style = "bold" if hessian.critical_point.kind else ""
    lines.append(Text(_("the point is {verdict}").format(verdict=translate(hessian.critical_point.verdict)), style=style))
    return Panel(Group(*lines), title=Text(_("Hessian")), title_align="left", expand=False)


def _matrix(title: str, rows: Sequence[Sequence[float]], names: Sequence[str], digits: int | None = None) -> Table:
    table = Table(title=title, show_edge=False)
    table.add_column("")
    for name in names:
        table.add_column(name, justify="right", no_wrap=True)
    for name, row in zip(names, rows):
        table.add_row(name, *(number(v) if digits is None else significant(v, digits) for v in row))
    return table


def jacobian_view(result: JacobianResult) -> RenderableType:
    """The m x n Jacobian: in each cell the exact value, the numeric one and its error.

    Where the matrix is too wide, one row per function and variable instead.
    """
    where = point_text(result.at)
    title = _("Jacobian at {where} ({method} differences)").format(where=where, method=result.method)

    def matrix(console: Console, width: int, last: bool) -> RenderableType | None:
        table = Table(title=title, title_justify="left", show_lines=True)
        table.add_column("f")
        for name in result.variables:
            table.add_column(f"∂/∂{name}", justify="right")
        for expression, row in zip(result.expressions, result.entries):
            table.add_row(expression, *(_jacobian_cell(p) for p in row))
        legend = Text(_("each cell: ∂fᵢ/∂xⱼ, its exact value, the numeric value, and the absolute error"), style="dim")
        return Group(table, legend) if fitted(table, console, width) else None

    def long(drop: Sequence[str], digits: int | None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(title)
            names = [name for name in (N_("f"), N_("∂/∂"), N_("∂fᵢ/∂xⱼ"), N_("exact"), N_("numeric"), N_("abs err")) if name not in drop]
            for name in names:
                table.add_column(_(name), justify="right" if name in ("exact", "numeric", "abs err") else "left",
                                 no_wrap=name not in ("f", "∂fᵢ/∂xⱼ"))
            value = number if digits is None else (lambda v: significant(v, digits))
            for expression, row in zip(result.expressions, result.entries):
                for p in row:
                    cells = {"f": expression, "∂/∂": p.variable, "∂fᵢ/∂xⱼ": p.derivative, "exact": value(p.analytic),
                             "numeric": _flagged(value(p.numeric), p), "abs err": error(p.abs_error)}
                    table.add_row(*(cells[name] for name in names))
            if fitted(table, console, width, last) is None:
                return None
            return Group(table, *([dropped(drop)] if drop else []), *([shortened(N_("values"), digits)] if digits else []))

        return draw

    lines = dict.fromkeys(f"{_mark(p)} {p.variable}: {translate(p.note)}" for row in result.entries for p in row if p.note)
    notes = [Text(line, style=NOTE) for line in lines]  # once each: a step lost to rounding is lost in every row
    fewer = ("∂fᵢ/∂xⱼ", "abs err")  # dropped in this order; the values stay
    layouts = [long(fewer[:k], None) for k in range(len(fewer) + 1)]
    return Group(Fit(matrix, *layouts, long(fewer, SHORT_DIGITS)), *notes)


def _jacobian_cell(p: Partial) -> Text:
    cell = Text(f"{p.derivative}\n", style="dim")
    cell.append(f"{number(p.analytic)}\n")
    cell.append(f"{_flagged(number(p.numeric), p)}\n")
    cell.append(error(p.abs_error), style="dim")
    return cell
