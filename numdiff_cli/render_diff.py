"""Views of ``numdiff diff``: a derivative at points, and the error against the step h."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.i18n import N_, _, translate
from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import BEST, NOTE, PROSE, below, compact_table, dropped, error
from numdiff_cli.results import number
from numdiff_cli.results import where as point_text
from numdiff_cli.results.codes import RowStatus

if TYPE_CHECKING:
    from numdiff_cli.results.derivation import Derivation
    from numdiff_cli.results.diff import DiffResult, NumericRow, PointResult, SweepResult

_STAR = N_("★ closest to the exact value")
_LEGEND = N_(
    "err: error against the exact value · digits: significant digits that agree with it · est. err: the "
    "method's own error estimate, made without knowing it"
)


def diff_view(result: DiffResult) -> RenderableType:
    """The expression and its derivative, then one table per point."""
    heading = Table.grid(padding=(0, 1))
    heading.add_row(Text("f =", style="bold"), Text(result.expression))
    heading.add_row(Text(f"{_prime(result)} =", style="bold"), Text(result.derivative))
    title = _operator(result.variable, result.order, result.partial)
    parts: list[RenderableType] = [Panel(heading, title=Text(title), title_align="left", expand=False)]
    if result.derivation is not None:
        from numdiff_cli.render_derivation import derivation_view  # it imports this module

        parts.append(derivation_view(result.derivation, beside_table=True))
    parts.extend(_point_table(result, point) for point in result.points)
    starred = any(point.best is not None for point in result.points)  # ★ explained only where one is shown
    parts.append(Text(" · ".join([_(_STAR)] * starred + [_(_LEGEND)]), style="dim"))
    return Group(*parts)


def _operator(variable: str, order: int, partial: bool) -> str:
    """``d/dx``, ``d²/dx²``; ``∂/∂y``, ``∂²/∂y²`` for a function of several variables."""
    d = "∂" if partial else "d"
    power = "" if order == 1 else _superscript(order)
    return f"{d}{power}/{d}{variable}{power}"


def _prime(result: DiffResult | Derivation) -> str:
    """``f′``, ``f′′``, ``f⁽⁴⁾``; ``∂f/∂y``, ``∂²f/∂y²`` for a function of several variables."""
    if result.partial:
        power = "" if result.order == 1 else _superscript(result.order)
        return f"∂{power}f/∂{result.variable}{power}"
    return "f" + ("′" * result.order if result.order <= 3 else f"⁽{_superscript(result.order)}⁾")


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def digits(row: NumericRow) -> str:
    d = row.correct_digits
    return "—" if d is None else f"{int(d)}"


_POINT_DROPS = ("est. err", "rel err", "h", "digits", "abs err")  # in this order; the value is what the table is for


def _point_table(result: DiffResult, point: PointResult) -> RenderableType:
    where = point_text(point.at, point.typed)
    exact = _("does not exist") if point.analytic is None else number(point.analytic)
    title = _("at {where}:  exact {prime} = {exact}").format(where=where, prime=_prime(result), exact=exact)
    title += "\n" + _recommended(point)
    best = point.best
    columns: dict[str, list[str]] = {N_("method"): [], N_("h"): [], N_("numeric value"): [], N_("abs err"): [],
                                     N_("rel err"): [], N_("digits"): [], N_("est. err"): []}
    for row in point.numeric:
        flagged = row.status == RowStatus.UNRELIABLE
        cells = (row.method, error(row.h), number(row.value) if row.value is not None else translate(row.note),
                 error(row.abs_error), error(row.rel_error),
                 digits(row) + (" ★" if row is best else "") + (" ⚠" if flagged else ""), error(row.error_estimate))
        for cells_of, cell in zip(columns.values(), cells):
            cells_of.append(cell or "")
    styles = [BEST if row is best else None for row in point.numeric]
    notes: dict[tuple[str, str], list[str]] = {}
    for row in point.numeric:
        if row.note is not None and row.value is not None:
            mark = "⚠" if row.status == RowStatus.UNRELIABLE else _("note:")
            notes.setdefault((mark, row.note), []).append(row.method)
    lines = [Text(f"{mark} {', '.join(names)}: {translate(note)}", style=NOTE) for (mark, note), names in notes.items()]
    if best is None and point.analytic is not None and any(row.value is not None for row in point.numeric):
        lines.append(Text(_("no row has a correct digit"), style=NOTE))
    if point.note is not None:
        lines.append(Text(f"{_('note:')} {translate(point.note)}", style=NOTE))

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(title, edge)
            shown = [name for name in columns if name not in drop]
            for name in shown:
                # A number is one word: the value column wraps only a row's note, never a number.
                table.add_column(_(name), justify="left" if name == "method" else "right",
                                 no_wrap=name not in ("numeric value",), overflow=PROSE)
            for i, style in enumerate(styles):
                table.add_row(*(columns[name][i] for name in shown), style=style)
            if fitted(table, console, width, last) is None:
                return None
            return below(table, *([dropped(drop)] if drop else []), *lines)

        return draw

    return Fit(*(layout(_POINT_DROPS[:k], edge) for k in range(len(_POINT_DROPS) + 1) for edge in (True, False)))


def _recommended(point: PointResult) -> str:
    """The value to use, chosen without the exact value: what a user without one would take."""
    row = point.recommendation
    if row is None and point.reason is not None:
        return _("recommended: none, f has no derivative here")
    if row is None:
        return _("recommended: none, no method's own error estimate is small here")
    return _("recommended: {value} ({method}, its own error estimate {estimate})").format(
        value=number(row.value), method=row.method, estimate=error(row.error_estimate))


def sweep_view(result: SweepResult) -> RenderableType:
    """The error of each method against h, with a bar for its size, the best h marked."""
    where = point_text(result.at)
    title = _("error of {operator} {expression} at {where} against the step h ({dtype}); exact value {exact}").format(
        operator=_operator(result.variable, result.order, result.partial), expression=result.expression, where=where,
        dtype=result.dtype, exact=number(result.analytic))

    def layout(heavy: bool, bar: int):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = Table(title=title, title_justify="left") if heavy else compact_table(title)
            table.add_column("h", justify="right", no_wrap=True)
            for column in result.columns:
                table.add_column(_("{method} error").format(method=column.method), justify="left", no_wrap=True)
            for i, h in enumerate(result.steps):
                cells: list[RenderableType] = [f"{h:.0e}"]
                for column in result.columns:
                    err = column.abs_errors[i]
                    mark = " ★" if h == column.best_h else ""
                    shown = f"{_bar(err, bar)} {error(err)}{mark}" if bar else f"{error(err)}{mark}"
                    cells.append(Text(shown, style=BEST if mark else ""))
                table.add_row(*cells)
            # the theory's h and error on one line where the column has room, else on two
            joint = " → " if bar >= 8 else "\n→ "
            table.add_row(_("theory h"), *(f"{c.theoretical_h:.1e}{joint}{error(c.theoretical_error)}"
                                        for c in result.columns), style="dim")
            if fitted(table, console, width, last) is None:
                return None
            dropped = [] if bar else [Text(_("the bars are left out, to fit the width"), style="dim")]
            return Group(table, *dropped, *(Text(translate(line)) for line in result.explanation))

        return draw

    sizes = [(True, 12), (True, 9), (True, 6), (False, 6), (False, 4), (False, 0)]  # box, bar length
    return Fit(*(layout(heavy, bar) for heavy, bar in sizes))


def _bar(err: float | None, width: int = 12) -> str:
    """A bar as long as the error's order of magnitude above 1e-17: the V of the lesson."""
    if err is None:
        return "nan".ljust(width)
    if err == 0:
        return "".ljust(width)
    length = int(round((math.log10(err) + 17) / 19 * width))
    return ("█" * max(0, min(width, length))).ljust(width)
