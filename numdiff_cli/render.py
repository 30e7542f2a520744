"""Rich renderings of results for people. Never computes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.measure import Measurement
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.layout import Fit, fitted

if TYPE_CHECKING:  # render is handed results; it need not load every command's types
    from numdiff_cli.results.descend import DescentComparison, DescentResult, TraceRow
    from numdiff_cli.results.diff import DiffResult, NumericRow, PointResult, SweepResult
    from numdiff_cli.results.grad import GradResult, HessianResult, JacobianResult, Partial

    Result = DiffResult | GradResult | JacobianResult | DescentResult | DescentComparison | SweepResult

_TRACE_DIGITS = 5  # a trace number shows up to 5 significant digits in 8 characters, to fit 80 columns
MAX_MATRIX_SIZE = 8  # larger Hessians are summarised; --json has every entry
_SHORT_DIGITS = 6  # significant digits of numbers shortened to fit a narrow terminal; --json has all
_BEST = "bold green"
_NOTE = "yellow"
_LEGEND = (
    "★ closest to the exact value · err: error against it · digits: significant digits that agree "
    "with it · est. err: the method's own error estimate, made without knowing it"
)


def number(value: float | None) -> str:
    """The shortest text that reads back as the same double; a dash for none."""
    if value is None:
        return "—"
    value = float(value) + 0.0  # a numpy scalar's repr names its type; + 0.0 turns -0.0 into 0.0
    return repr(value) if abs(value) < 1e16 else f"{value:.17g}"


def error(value: float | None) -> str:
    """An error, a step or a length in at most 8 characters: 1.3e-11, 1.0e-4, 2.6e12, 0."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(float(value))  # nan, inf, -inf
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def significant(value: float | None, digits: int) -> str:
    """``value`` to ``digits`` significant digits, trailing zeros kept to say how many: 25.0000."""
    if value is None:
        return "—"
    value = float(value) + 0.0
    return f"{value:#.{digits}g}" if value and math.isfinite(value) else number(value)


def _shortened(what: str, digits: int) -> Text:
    """The line under a table whose numbers were shortened to fit the width."""
    return Text(f"{what} to {digits} significant digits, to fit the width (--json has every digit)", style="dim")


def _where(at: dict[str, float]) -> str:
    """A point as ``x = 3.0, y = 4.0``."""
    return ", ".join(f"{name} = {number(value)}" for name, value in at.items())


def digits(row: NumericRow) -> str:
    d = row.correct_digits
    return "—" if d is None else f"{int(d)}"


_STATUS_STYLE = {"converged": "bold green", "max_steps": "bold yellow", "diverged": "bold red", "stalled": "bold magenta"}


def view(result: Result) -> RenderableType:
    """The rich rendering of any command's result."""
    views = {
        "DiffResult": diff_view,
        "GradResult": grad_view,
        "JacobianResult": jacobian_view,
        "DescentResult": descent_view,
        "DescentComparison": comparison_view,
        "SweepResult": sweep_view,
    }
    return views[type(result).__name__](result)


def diff_view(result: DiffResult) -> RenderableType:
    """The expression and its derivative, then one table per point."""
    heading = Table.grid(padding=(0, 1))
    heading.add_row(Text("f =", style="bold"), Text(result.expression))
    heading.add_row(Text(f"{_prime(result)} =", style="bold"), Text(result.derivative))
    title = _operator(result.variable, result.order, result.partial)
    parts: list[RenderableType] = [Panel(heading, title=Text(title), title_align="left", expand=False)]
    parts.extend(_point_table(result, point) for point in result.points)
    parts.append(Text(_LEGEND, style="dim"))
    return Group(*parts)


def _operator(variable: str, order: int, partial: bool) -> str:
    """``d/dx``, ``d²/dx²``; ``∂/∂y``, ``∂²/∂y²`` for a function of several variables."""
    d = "∂" if partial else "d"
    power = "" if order == 1 else _superscript(order)
    return f"{d}{power}/{d}{variable}{power}"


def _prime(result: DiffResult) -> str:
    """``f′``, ``f′′``, ``f⁽⁴⁾``; ``∂f/∂y``, ``∂²f/∂y²`` for a function of several variables."""
    if result.partial:
        power = "" if result.order == 1 else _superscript(result.order)
        return f"∂{power}f/∂{result.variable}{power}"
    return "f" + ("′" * result.order if result.order <= 3 else f"⁽{result.order}⁾")


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _compact_table(title: str, edge: bool = True) -> Table:
    """A table with a rule under its header and little padding; without its blank edge, 2 columns narrower
    (the title then ends in a blank line, and :func:`_below` puts one under the table)."""
    return Table(title=title if edge else title + "\n", title_justify="left", box=box.SIMPLE_HEAD, show_edge=edge,
                 pad_edge=False, collapse_padding=True)


def _below(table: Table, *lines: RenderableType) -> Group:
    """``table`` and the lines under it, a blank line between them where the table has no blank edge."""
    return Group(table, *([] if table.show_edge else [Text("")]), *lines)


def _dropped(names: Sequence[str]) -> Text:
    """The line under a table that left columns out to fit the width."""
    return Text(f"not shown, to fit the width: {', '.join(names)} (--json has every column)", style="dim")


_POINT_DROPS = ("est. err", "rel err", "h", "digits", "abs err")  # in this order; the value is what the table is for


def _point_table(result: DiffResult, point: PointResult) -> RenderableType:
    where = _where(point.at)
    exact = "does not exist" if point.analytic is None else number(point.analytic)
    title = f"at {where}:  exact {_prime(result)} = {exact}"
    best = point.best
    columns: dict[str, list[str]] = {"method": [], "h": [], "numeric value": [], "abs err": [], "rel err": [],
                                     "digits": [], "est. err": []}
    for row in point.numeric:
        flagged = row.note is not None and row.value is not None
        cells = (row.method, error(row.h), number(row.value) if row.value is not None else row.note,
                 error(row.abs_error), error(row.rel_error),
                 digits(row) + (" ★" if row is best else " ⚠" if flagged else ""), error(row.error_estimate))
        for cells_of, cell in zip(columns.values(), cells):
            cells_of.append(cell or "")
    styles = [_BEST if row is best else None for row in point.numeric]
    notes: dict[str, list[str]] = {}
    for row in point.numeric:
        if row.note is not None and row.value is not None:
            notes.setdefault(row.note, []).append(row.method)
    lines = [Text(f"⚠ {', '.join(names)}: {note}", style=_NOTE) for note, names in notes.items()]
    if point.note is not None:
        lines.append(Text(f"note: {point.note}", style=_NOTE))

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = _compact_table(title, edge)
            shown = [name for name in columns if name not in drop]
            for name in shown:
                # A number is one word: the value column wraps only a row's note, never a number.
                table.add_column(name, justify="left" if name == "method" else "right",
                                 no_wrap=name not in ("numeric value",))
            for i, style in enumerate(styles):
                table.add_row(*(columns[name][i] for name in shown), style=style)
            if fitted(table, console, width, last) is None:
                return None
            return _below(table, *([_dropped(drop)] if drop else []), *lines)

        return draw

    return Fit(*(layout(_POINT_DROPS[:k], edge) for k in range(len(_POINT_DROPS) + 1) for edge in (True, False)))


def vector(values: Sequence[float | None] | None, digits: int | None = None) -> str:
    """``(6.0, 8.0)``, every double in full or to ``digits`` significant digits; a dash for none."""
    if values is None:
        return "—"
    text = number if digits is None else (lambda v: "—" if v is None else f"{v:.{digits}g}")
    return "(" + ", ".join(text(v) for v in values) + ")"


_PARTIAL_DROPS = ("rel err", "h", "abs err", "∂f/∂variable")  # in this order; exact and numeric stay


def grad_view(result: GradResult) -> RenderableType:
    """The partials table, the gradient summary and, if present, the Hessian."""
    where = _where(result.at)
    names = ["variable", "∂f/∂variable", "exact", f"numeric ({result.method})", "h", "abs err", "rel err"]
    rows = [_partial_cells(p) for p in result.partials]

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = _compact_table(f"∇({result.expression}) at {where}", edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                # the derivative is prose that may wrap between its terms; the rest are numbers
                table.add_column(names[i], justify="left" if i < 2 else "right", no_wrap=i != 1)
            for row in rows:
                table.add_row(*(row[i] for i in shown))
            if fitted(table, console, width, last) is None:
                return None
            return _below(table, *([_dropped(drop)] if drop else []))

        return draw

    summary = Table.grid(padding=(0, 2))
    summary.add_column(no_wrap=True)
    summary.add_column()  # a vector wraps between its components
    summary.add_row("∇f exact", vector(result.gradient_analytic))
    summary.add_row("∇f numeric", vector(result.gradient_numeric))
    summary.add_row("‖∇f‖", number(result.norm))
    direction = vector(result.descent_direction) if result.descent_direction else "none: the gradient is zero"
    summary.add_row("−∇f/‖∇f‖", f"{direction}  (the direction of steepest descent)")
    layouts = [layout(_PARTIAL_DROPS[:k], edge) for k in range(len(_PARTIAL_DROPS) + 1) for edge in (True, False)]
    parts: list[RenderableType] = [Fit(*layouts), summary]
    parts.extend(Text(f"note: {p.variable}: {p.note}", style=_NOTE) for p in result.partials if p.note)
    if result.hessian is not None:
        parts.append(_hessian_view(result.hessian, [p.variable for p in result.partials]))
    return Group(*parts)


def _partial_cells(p: Partial) -> list[str]:
    return [p.variable, p.derivative, number(p.analytic), number(p.numeric), error(p.h), error(p.abs_error), error(p.rel_error)]


def _hessian_view(hessian: HessianResult, names: Sequence[str]) -> RenderableType:
    def layout(side_by_side: bool, digits: int | None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            exact = _matrix("exact", hessian.analytic, names, digits)
            numeric = _matrix("numeric", hessian.numeric, names, digits)
            if len(names) > MAX_MATRIX_SIZE or not (fitted(exact, console, width) and fitted(numeric, console, width)):
                return None
            shortened = [_shortened("entries", digits)] if digits else []
            if not side_by_side:
                return Group(exact, numeric, *shortened)
            grid = Table.grid(padding=(0, 3))
            grid.add_row(exact, numeric)
            return grid if Measurement.get(console, console.options.update_width(width + 1), grid).maximum <= width else None

        return draw

    def summarised(console: Console, width: int, last: bool) -> RenderableType:
        n = len(names)
        why = "" if n > MAX_MATRIX_SIZE else ", too wide to show here"
        return Text(f"{n}×{n} matrix{why}: use --json to see every entry", style="dim")

    layouts = [layout(True, None), layout(False, None), layout(False, _SHORT_DIGITS), summarised]
    lines: list[RenderableType] = [Fit(*layouts)]
    lines.append(Text(f"largest error of the numeric Hessian: {error(hessian.max_abs_error)}"))
    lines.append(Text(f"eigenvalues: {vector(hessian.eigenvalues)}"))
    style = "bold" if hessian.critical_point.kind else ""
    lines.append(Text(f"the point is {hessian.critical_point.verdict}", style=style))
    return Panel(Group(*lines), title=Text("Hessian"), title_align="left", expand=False)


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
    where = _where(result.at)
    title = f"Jacobian at {where} ({result.method} differences)"

    def matrix(console: Console, width: int, last: bool) -> RenderableType | None:
        table = Table(title=title, title_justify="left", show_lines=True)
        table.add_column("f")
        for name in result.variables:
            table.add_column(f"∂/∂{name}", justify="right")
        for expression, row in zip(result.expressions, result.entries):
            table.add_row(expression, *(_jacobian_cell(p) for p in row))
        legend = Text("each cell: ∂fᵢ/∂xⱼ, its exact value, the numeric value, and the absolute error", style="dim")
        return Group(table, legend) if fitted(table, console, width) else None

    def long(drop: Sequence[str], digits: int | None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = _compact_table(title)
            names = [name for name in ("f", "∂/∂", "∂fᵢ/∂xⱼ", "exact", "numeric", "abs err") if name not in drop]
            for name in names:
                table.add_column(name, justify="right" if name in ("exact", "numeric", "abs err") else "left",
                                 no_wrap=name not in ("f", "∂fᵢ/∂xⱼ"))
            value = number if digits is None else (lambda v: significant(v, digits))
            for expression, row in zip(result.expressions, result.entries):
                for p in row:
                    cells = {"f": expression, "∂/∂": p.variable, "∂fᵢ/∂xⱼ": p.derivative, "exact": value(p.analytic),
                             "numeric": value(p.numeric), "abs err": error(p.abs_error)}
                    table.add_row(*(cells[name] for name in names))
            if fitted(table, console, width, last) is None:
                return None
            return Group(table, *([_dropped(drop)] if drop else []), *([_shortened("values", digits)] if digits else []))

        return draw

    notes = [Text(f"note: {p.variable}: {p.note}", style=_NOTE) for row in result.entries for p in row if p.note]
    fewer = ("∂fᵢ/∂xⱼ", "abs err")  # dropped in this order; the values stay
    layouts = [long(fewer[:k], None) for k in range(len(fewer) + 1)]
    return Group(Fit(matrix, *layouts, long(fewer, _SHORT_DIGITS)), *notes)


def _jacobian_cell(p: Partial) -> Text:
    cell = Text(f"{p.derivative}\n", style="dim")
    cell.append(f"{number(p.analytic)}\n")
    cell.append(f"{number(p.numeric)}\n")
    cell.append(error(p.abs_error), style="dim")
    return cell


def _run_title(run: DescentResult) -> str:
    kind = "ascent" if run.ascent else "descent"
    params = "".join(f", {k} = {v:g}" for k, v in run.hyperparameters.items())
    source = "numeric (central, h = " + f"{run.h:g})" if run.gradient == "numeric" else "analytic"
    return (
        f"gradient {kind} on f = {run.expression} from {vector(run.start)}\n"
        f"lr = {run.lr:g}, optimizer {run.optimizer}{params}; the update uses the {source} gradient"
    )


def descent_view(run: DescentResult) -> RenderableType:
    """The step-by-step trace (first rows, every k-th, last rows) and how the run ended."""
    names = ("step", "x", "f(x)", "∇f exact", "∇f numeric", "|diff|", "‖∇f‖", "|step|")
    rows = [_trace_cells(row) for row in run.trace]
    gaps = {i for i in range(1, len(run.trace)) if run.trace[i].step > run.trace[i - 1].step + 1}
    # dropped in this order: the step length, the difference, then the gradient that did not drive the update
    drops = ("|step|", "|diff|", "∇f exact" if run.gradient == "numeric" else "∇f numeric")
    legend = {
        "|diff|": "|diff|: largest difference between the exact and the numerical gradient",
        "|step|": "|step|: length of the step that led to the row",
        "": f"numbers to at most {_TRACE_DIGITS} significant digits (--json has every digit)",
    }

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = Table(title=_run_title(run), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=edge,
                          collapse_padding=not edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                # a vector of more than 4 components is one line that wraps between them
                table.add_column(names[i], justify="right", no_wrap=names[i] not in ("x", "∇f exact", "∇f numeric"))
            for i, row in enumerate(rows):
                if i in gaps:
                    table.add_row("⋮", *[""] * (len(shown) - 1), style="dim")
                table.add_row(*(row[j] for j in shown))
            if fitted(table, console, width, last) is None:
                return None
            words = [text for name, text in legend.items() if name not in drop]
            notes = [Text(" · ".join(words), style="dim"), *([_dropped(drop)] if drop else [])]
            return Group(table, *notes, _ending(run))

        return draw

    layouts = [layout(drops[:k], edge) for k in range(len(drops) + 1) for edge in (True, False)]
    return Fit(*layouts)


def _trace_cells(row: TraceRow) -> list[str]:
    return [
        str(row.step), _stacked(row.x), _compact(row.f), _stacked(row.grad_analytic),
        _stacked(row.grad_numeric), error(row.grad_difference), error(row.grad_norm), error(row.step_length),
    ]


def _stacked(values: Sequence[float]) -> str:
    """A short vector one component per line, so that a trace fits a narrow terminal."""
    if len(values) > 4:
        return vector(values, _TRACE_DIGITS)
    return "\n".join(_compact(v) for v in values)


def _compact(value: float) -> str:
    """At most 8 characters, with as many significant digits (up to 5) as fit: -0.62915, 25,
    -0.03459, -3.99e-4, -1.41e8, -2.59e13, 3.2e-9."""
    if not math.isfinite(value):
        return str(value)
    value += 0.0  # -0.0 (from -2*0.0) would read as a sign to a student
    if value == 0 or 1e-4 <= abs(value) < 1e5:
        for digits in range(_TRACE_DIGITS, 2, -1):
            text = f"{value:.{digits}g}"
            if len(text) <= 8 and "e" not in text:
                return text
    mantissa, exponent = f"{value:.2e}".split("e")
    return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"


def _ending(run: DescentResult) -> RenderableType:
    summary = Table.grid(padding=(0, 2))
    summary.add_row(Text(run.status, style=_STATUS_STYLE[run.status]), Text(run.message))
    summary.add_row("final x", vector(run.final_x))
    summary.add_row("f(x)", number(run.final_f))
    summary.add_row("‖∇f‖", error(run.final_grad_norm))
    if run.advice:
        summary.add_row("advice", run.advice)
    if len(run.trace) < run.steps + 1:
        summary.add_row("", Text("the table skips steps; --json or --csv hold every one", style="dim"))
    return summary


def comparison_view(comparison: DescentComparison) -> RenderableType:
    """Several runs side by side: where each ended and why."""
    first = comparison.runs[0]
    kind = "ascent" if first.ascent else "descent"
    title = f"gradient {kind} on f = {first.expression} from {vector(first.start)}"
    # Where a narrow table puts the optimizer: in the title if every run shares it, else under the lr.
    narrow = "title" if len({run.optimizer for run in comparison.runs}) == 1 else "under lr"

    def layout(stack: bool, optimizer: str, heavy: bool | None, digits: int | None, drop: Sequence[str] = ()):
        """``optimizer``: in a ``column``, the ``title`` or ``under lr``; ``stack``: final x one component a
        line; ``heavy``: a box around every cell, else a rule under the header, None without a blank edge."""

        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            heading = f"{title}, optimizer {first.optimizer}" if optimizer == "title" else title
            table = Table(title=heading, title_justify="left") if heavy else _compact_table(heading, heavy is False)
            lr = "lr, optimizer" if optimizer == "under lr" else "lr"
            names = [lr, "optimizer", "status", "steps", "final x", "f(x)", "‖∇f‖"]
            shown = [n for n in names if n not in drop and (n != "optimizer" or optimizer == "column")]
            for name in shown:
                table.add_column(name, justify="left" if name in ("optimizer", "status", "final x") else "right",
                                 no_wrap=name != "final x")
            value = number if digits is None else (lambda v: significant(v, digits))
            for run in comparison.runs:
                x = [value(v) for v in run.final_x]
                cells = {
                    lr: f"{run.lr:g}\n{run.optimizer}" if optimizer == "under lr" else f"{run.lr:g}",
                    "optimizer": run.optimizer,
                    "status": Text(run.status, style=_STATUS_STYLE[run.status]), "steps": str(run.steps),
                    # stacked, one component a line; else a vector that wraps only between components
                    "final x": "\n".join(x) if stack else "(" + ", ".join(x) + ")",
                    "f(x)": value(run.final_f), "‖∇f‖": error(run.final_grad_norm),
                }
                table.add_row(*(cells[name] for name in shown))
            if fitted(table, console, width, last) is None:
                return None
            notes = [*([_shortened("final x and f(x)", digits)] if digits else []), *([_dropped(drop)] if drop else [])]
            return _below(table, *notes)

        return draw

    layouts = [layout(False, "column", True, None), layout(True, "column", True, None), layout(True, narrow, True, None)]
    for digits in (None, _SHORT_DIGITS):
        layouts += [layout(True, where, heavy, digits) for heavy in (False, None) for where in ("column", narrow)]
    layouts.append(layout(True, narrow, None, _SHORT_DIGITS, ("steps",)))
    notes = [Text(f"lr = {run.lr:g}, {run.optimizer}: {run.message}") for run in comparison.runs]
    advice = [Text(f"advice: {first.advice}", style="dim")] if first.advice else []
    return Group(Fit(*layouts), *notes, *advice)


def sweep_view(result: SweepResult) -> RenderableType:
    """The error of each method against h, with a bar for its size, the best h marked."""
    where = _where(result.at)
    title = (f"error of {_operator(result.variable, result.order, result.partial)} {result.expression} at {where} "
             f"against the step h ({result.dtype}); exact value {number(result.analytic)}")

    def layout(heavy: bool, bar: int):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = Table(title=title, title_justify="left") if heavy else _compact_table(title)
            table.add_column("h", justify="right", no_wrap=True)
            for column in result.columns:
                table.add_column(f"{column.method} error", justify="left", no_wrap=True)
            for i, h in enumerate(result.steps):
                cells: list[RenderableType] = [f"{h:.0e}"]
                for column in result.columns:
                    err = column.abs_errors[i]
                    mark = " ★" if h == column.best_h else ""
                    shown = f"{_bar(err, bar)} {error(err)}{mark}" if bar else f"{error(err)}{mark}"
                    cells.append(Text(shown, style=_BEST if mark else ""))
                table.add_row(*cells)
            # the theory's h and error on one line where the column has room, else on two
            joint = " → " if bar >= 8 else "\n→ "
            table.add_row("theory h", *(f"{c.theoretical_h:.1e}{joint}{error(c.theoretical_error)}"
                                        for c in result.columns), style="dim")
            if fitted(table, console, width, last) is None:
                return None
            dropped = [] if bar else [Text("the bars are left out, to fit the width", style="dim")]
            return Group(table, *dropped, *(Text(line) for line in result.explanation))

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
