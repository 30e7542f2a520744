"""The view of ``numdiff diff --explain``: each method's arithmetic, line by line. Never computes
a figure: every number shown is one the explanation holds."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.i18n import C_, _, translate
from numdiff_cli.layout import Fit, Layout, fitted
from numdiff_cli.render import BEST, NOTE, error
from numdiff_cli.render_diff import _operator, _prime
from numdiff_cli.results import number
from numdiff_cli.results import where as point_text
from numdiff_cli.results.explain import (
    ComplexStepExplanation,
    ContourExplanation,
    Explanation,
    RichardsonExplanation,
    StencilExplanation,
    point_name,
)

if TYPE_CHECKING:
    from numdiff_cli.results.explain import Difference, ExplainedPoint, ExplainResult, Truncation

CANCELLED = "bold yellow"
ALIGNED_RANGE = (-8, 16)  # leading-digit exponents written out in full, columns aligned; others as repr
LABEL = "bold"


def explain_view(result: ExplainResult) -> RenderableType:
    """The expression and its derivative, then one panel per point and method."""
    heading = Table.grid(padding=(0, 1))
    heading.add_row(Text("f =", style=LABEL), Text(result.expression))
    heading.add_row(Text(f"{_prime(result)} =", style=LABEL), Text(result.derivative))
    parts: list[RenderableType] = [
        Panel(heading, title=Text(_operator(result.variable, result.order, result.partial)), title_align="left",
              expand=False)
    ]
    for point in result.points:
        parts.extend(_method_view(result, point, m) for m in point.methods)
    return Group(*parts)


def _method_view(result: ExplainResult, point: ExplainedPoint, method: Explanation) -> RenderableType:
    where = point_text(point.at, point.typed)
    exact = _("does not exist") if point.analytic is None else number(point.analytic)
    title = Text(_("{method} at {where}").format(method=method.method, where=where))
    body: RenderableType
    if isinstance(method, StencilExplanation):
        body = _stencil(result, point, method)
    elif isinstance(method, ComplexStepExplanation):
        body = _complex_step(result, method)
    elif isinstance(method, ContourExplanation):
        body = _contour(result, method)
    elif isinstance(method, RichardsonExplanation):
        body = _richardson(method)
    else:
        body = Text(_("skipped: {note}").format(note=translate(method.note)), style=NOTE)
    body = Group(Text(_("exact {prime} = {value}").format(prime=_prime(result), value=exact), style=LABEL), body)
    if point.note:
        body = Group(body, Text(_("note: {note}").format(note=translate(point.note)), style=NOTE))
    return Panel(body, title=title, title_align="left", expand=False)


def _derivative(result: ExplainResult) -> str:
    """``f′(x)``; ``∂f/∂y`` for a partial derivative (the other variables held)."""
    return _prime(result) if result.partial else f"{_prime(result)}({result.variable})"


def _lines() -> Table:
    """Two columns: a label and what it shows, the text wrapping between words."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style=LABEL, no_wrap=True)
    grid.add_column()
    return grid


def _stencil(result: ExplainResult, point: ExplainedPoint, e: StencilExplanation) -> RenderableType:
    lines = _lines()
    v = result.variable
    lines.add_row(_("formula"), Text(f"{_derivative(result)} ≈ {e.formula}"))
    h_power = "" if e.order == 1 else f"^{e.order}"
    if e.step_lost:
        lines.add_row(C_("step size", "step"), Text(_("h = {h}, but ({v} + h) − {v} = 0.0: ⚠ {v} + h == {v}").format(
            h=number(e.h), v=v), style=NOTE))
    else:
        lines.add_row(C_("step size", "step"), Text(_("h = {h}; the step actually taken, ({v} + h) − {v} = {taken}").format(
            h=number(e.h), v=v, taken=number(e.step_taken))))
    points = _table_or_lines(
        ("", _("weight"), f"{v} ({result.dtype})", _("f there")),
        [(point_name(t.offset, v)[2:-1], str(t.weight), number(t.point), number(t.value)) for t in e.terms],
    )
    lines.add_row(_("points"), points)
    for d in e.differences:
        lines.add_row(_("difference"), _difference(d, v))
    if len(e.differences) > 1:
        terms = " + ".join(f"({_shown(d.term)})" if d.term < 0 else _shown(d.term) for d in e.differences)
        lines.add_row(_("sum"), Text(_("Σ weight × difference = {terms} = {total}").format(
            terms=terms, total=_shown(e.total))))
    divisor = f"h{h_power}" if e.divisor == 1 else f"({e.divisor}·h{h_power})"
    lines.add_row(_("division"), Text(f"{_shown(e.total)} / {divisor} = {_shown(e.total)} / {_shown(e.denominator)} = "
                                   f"{number(e.value)}"))
    lines.add_row(_("result"), _result(e.value, e.error, point.analytic))
    lines.add_row(_("truncation"), _truncation(e.truncation, e.h))
    lines.add_row(_("rounding"), Text(f"ε·|f|/h{h_power} = {error(e.rounding.eps)} × {number(e.rounding.f)} / "
                                   f"{number(e.h)}{h_power} = {error(e.rounding.value)}"))
    lines.add_row(_("halving h"), _halving(e))
    return Group(lines, Text(""), *(Text(translate(sentence)) for sentence in e.summary))


def _difference(d: Difference, v: str) -> RenderableType:
    """a − b = c with a and b aligned on the decimal point, the cancelled digits marked ^ (and styled)."""
    names = (point_name(d.minuend_offset, v), point_name(d.subtrahend_offset, v))
    weight = "" if d.weight == 1 else f"{d.weight} × "
    lost = (_("all digits cancel (of {of})") if d.digits_lost == d.of
            else _("no digit cancels (of {of})") if d.digits_lost == 0
            else _("1 digit cancels (of {of})") if d.digits_lost == 1 else _("{lost} digits cancel (of {of})"))
    heading = Text(f"{weight}({names[0]} − {names[1]}): " + lost.format(lost=d.digits_lost, of=d.of))
    texts = [_positional(v) for v in (d.minuend, d.subtrahend, d.value)]
    if any(t is None for t in texts):
        return Group(heading, Text(f"{number(d.minuend)} − {number(d.subtrahend)} = {number(d.value)}"))
    # The operands get trailing zeros to the same decimals (the same values), so their columns line up.
    decimals = max(len(t) - t.index(".") for t in texts[:2])  # type: ignore[union-attr]
    texts[:2] = [t + "0" * (decimals - (len(t) - t.index("."))) for t in texts[:2]]  # type: ignore[union-attr]
    point_at = max(t.index(".") for t in texts)  # type: ignore[union-attr]
    padded = [" " * (point_at - t.index(".")) + t for t in texts]  # type: ignore[union-attr]
    width = max(len(t) for t in padded)
    a, b, c = (t.ljust(width) for t in padded)
    marks = _marks(a, b, d.digits_lost or 0)
    block = Table.grid(padding=(0, 1))
    block.add_column(no_wrap=True)
    block.add_column(no_wrap=True)
    block.add_row("", _styled(a, marks))
    block.add_row("−", _styled(b, marks))
    if marks:
        block.add_row("", Text("".join("^" if i in marks else " " for i in range(width)).rstrip(), style=CANCELLED))
    block.add_row("=", Text(c.rstrip()))
    return Group(heading, block)


def _shown(value: float) -> str:
    """A number as the difference above wrote it (without an exponent) where it could, else its repr."""
    return _positional(value) or number(value)


def _positional(value: float) -> str | None:
    """The shortest repr of ``value``, written out without an exponent; None where that would be
    long (or the value is not finite), so no column alignment is attempted."""
    exact = Decimal(repr(value))
    if not exact.is_finite():
        return None
    if exact == 0:
        return "0.0"
    if not ALIGNED_RANGE[0] <= exact.adjusted() < ALIGNED_RANGE[1]:
        return None
    text = format(exact, "f")
    return text if "." in text else text + ".0"


def _marks(a: str, b: str, count: int) -> set[int]:
    """The columns of the ``count`` leading digit places, from the larger operand's first significant digit."""
    start = min(i for i, char in enumerate(a if _leading(a) <= _leading(b) else b) if char in "123456789")
    columns, i = set(), start
    while len(columns) < count and i < len(a):
        if a[i].isdigit() or b[i].isdigit():
            columns.add(i)
        i += 1
    return columns


def _leading(text: str) -> int:
    """Index of the first significant digit (len where there is none)."""
    return next((i for i, char in enumerate(text) if char in "123456789"), len(text))


def _styled(text: str, marks: set[int]) -> Text:
    styled = Text(text.rstrip())
    for i in marks:
        if i < len(styled):
            styled.stylize(CANCELLED, i, i + 1)
    return styled


def _result(value: float, err: float | None, analytic: float | None) -> Text:
    if err is None:
        return Text(number(value))
    return Text(_("{value}, exact {exact}, error {error}").format(value=number(value), exact=number(analytic),
                                                                   error=error(err)))


def _truncation(t: Truncation, h: float) -> Text:
    """The term, then its factors: C × h^p × f^(k)(x) = its exact value."""
    if t.exact is None:
        return Text(_("{formula}: unknown, sympy finds no value of this derivative at the point").format(
            formula=t.formula), style=NOTE)
    step = number(h) if t.power == 1 else f"({number(h)})^{t.power}"
    return Text(f"{t.formula} = {t.coefficient} × {step} × {number(t.derivative_value)} = {t.exact}")


def _halving(e: StencilExplanation) -> Fit:
    orders = (None, *e.halving.orders)
    return _table_or_lines(
        ("h", _("value"), _("error"), _("order")),
        [(error(h), number(value), error(err), "—" if order is None else f"{order:.2f}")
         for h, value, err, order in zip(e.halving.steps, e.halving.values, e.halving.abs_errors, orders)],
    )


def _table_or_lines(header: Sequence[str], rows: Sequence[Sequence[str]], marked: int | None = None) -> Fit:
    """Columns where the width allows every number whole; else one line per row, ``header value`` pairs
    that wrap between them. Row ``marked`` is drawn as the best."""
    return Fit(_columns(header, rows, marked), _lines_per_row(header, rows, marked))


def _columns(header: Sequence[str], rows: Sequence[Sequence[str]], marked: int | None, *below: Text) -> Layout:
    """The rows as columns, ``below`` under them, if every number fits whole."""

    def columns(console: Console, width: int, last: bool) -> RenderableType | None:
        table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
        for i, name in enumerate(header):
            table.add_column(Text(name), justify="left" if i == 0 else "right", no_wrap=True)  # Text: [i] is no markup
        for i, row in enumerate(rows):
            table.add_row(*row, style=BEST if i == marked else None)
        drawn = fitted(table, console, width)
        return drawn if drawn is None or not below else Group(drawn, *below)

    return columns


def _lines_per_row(header: Sequence[str], rows: Sequence[Sequence[str]], marked: int | None) -> Layout:
    """One line per row, ``header value`` pairs (empty cells left out) that wrap between them."""

    def lines(console: Console, width: int, last: bool) -> RenderableType:
        return Group(*(Text(f"{row[0]}: " + ", ".join(f"{name} {cell}" for name, cell in zip(header[1:], row[1:]) if cell),
                            style=BEST if i == marked else "") for i, row in enumerate(rows)))

    return lines


def _complex_step(result: ExplainResult, e: ComplexStepExplanation) -> RenderableType:
    v = result.variable
    lines = _lines()
    lines.add_row(_("formula"), Text(f"{_derivative(result)} ≈ Im f({v} + ih) / h"))
    lines.add_row(_("point"), Text(f"{v} + ih = {number(e.x)} + {number(e.h)}i"))
    lines.add_row(_("value"), Text(f"f({v} + ih) = {number(e.value_real)} + {number(e.value_imag)}i"))
    lines.add_row(_("division"), Text(f"Im f / h = {number(e.value_imag)} / {number(e.h)} = {number(e.value)}"))
    lines.add_row(_("result"), Text(number(e.value) if e.error is None else _("{value}, error {error}").format(
        value=number(e.value), error=error(e.error))))
    lines.add_row(_("truncation"), _truncation(e.truncation, e.h))
    lines.add_row(_("rounding"), Text(_("ε·|f′| = {rounding} (no subtraction, no division of a difference)").format(
        rounding=error(e.rounding.value))))
    lines.add_row(_("check"), Text(_("h = {h} gives {value}").format(h=number(e.check_h), value=number(e.check))))
    return Group(lines, Text(""), *(Text(translate(sentence)) for sentence in e.summary))


def _contour(result: ExplainResult, e: ContourExplanation) -> RenderableType:
    v = result.variable
    lines = _lines()
    lines.add_row(_("formula"), Text(f"{_derivative(result)} ≈ {e.order}!/({e.points}·r^{e.order}) · "
                                     f"Σⱼ f({v} + r·ωʲ)·ω^(−{e.order}j),  ω = e^(2πi/{e.points})"))
    circles = _table_or_lines(
        ("r", _("value"), _("est. err")),
        [(error(c.radius), number(c.value) + (" ★" if i == e.chosen else ""), error(c.error_estimate))
         for i, c in enumerate(e.circles)],
        marked=e.chosen,
    )
    lines.add_row(_("circles"), circles)
    lines.add_row(_("result"), Text(_("{value}, its own error estimate {estimate}").format(
        value=number(e.value), estimate=error(e.error_estimate)) if e.error is None else _(
        "{value}, its own error estimate {estimate}, error {error}").format(
        value=number(e.value), estimate=error(e.error_estimate), error=error(e.error))))
    return Group(lines, Text(""), *(Text(translate(sentence)) for sentence in e.summary))


def _richardson(e: RichardsonExplanation) -> RenderableType:
    header, rows = _tableau(e)
    layouts = [_columns(header, rows, e.chosen)]
    if e.chosen is not None and e.column is not None and e.column > 1:
        # Narrower: without the column T[i][j−1], whose two entries the answer was made of stand below.
        left = header.index(f"T[i][{e.column - 1}]")
        neighbours = ", ".join(f"T[{row.row}][{e.column - 1}] = {number(row.neighbour)}"
                               for row in (e.rows[e.chosen], e.rows[e.chosen - 1]) if row.neighbour is not None)
        said = _("the neighbours of T[{row}][{column}]: {entries}").format(row=e.chosen, column=e.column,
                                                                         entries=neighbours)
        layouts.append(_columns(header[:left] + header[left + 1 :], [r[:left] + r[left + 1 :] for r in rows], e.chosen,
                                Text(said)))
    table = Fit(*layouts, _lines_per_row(header, rows, e.chosen))
    outcome = _lines()
    entry = "" if e.chosen is None else f"T[{e.chosen}][{e.column}] = "
    estimate = _("{value}, its own error estimate {estimate}") if e.error is None else _(
        "{value}, its own error estimate {estimate}, error {error}")
    outcome.add_row(_("result"), Text(entry + estimate.format(value=number(e.value), estimate=error(e.error_estimate),
                                                              error=error(e.error))))
    return Group(*(Text(translate(sentence)) for sentence in e.summary[:2]), Text(""), table, Text(""), outcome,
                 Text(translate(e.summary[2])))


def _tableau(e: RichardsonExplanation) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The header and rows of the tableau as shown: each row's central difference, and its entries in the
    columns the answer T[r][j] is made of, T[i][j−1] (unless that is the central column) and T[i][j],
    starred at the answer, with the error estimate of each; the diagonal where no entry is the answer."""
    if e.column is None:
        return ("i", "h", "T[i][0] (central)", "T[i][i]", _("change")), [
            (str(row.row), error(row.h), number(row.central), number(row.extrapolated), error(row.change))
            for row in e.rows]

    def cell(value: float | None) -> str:
        return "" if value is None else number(value)

    left = () if e.column == 1 else (f"T[i][{e.column - 1}]",)
    header = ("i", "h", "T[i][0] (central)", *left, f"T[i][{e.column}]", _("est. err"))
    rows = [
        (str(row.row), error(row.h), number(row.central), *((cell(row.neighbour),) if left else ()),
         cell(row.entry) + (" ★" if row.row == e.chosen else ""), "" if row.entry is None else error(row.entry_estimate))
        for row in e.rows
    ]
    return header, rows
