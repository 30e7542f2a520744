"""Rich renderings of results for people. Never computes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.results import number, where
from numdiff_cli.results.codes import RowStatus

if TYPE_CHECKING:  # render is handed results; it need not load every command's types
    from numdiff_cli.results.descend import DescentComparison, DescentResult, TraceRow
    from numdiff_cli.results.diff import DiffResult, NumericRow, PointResult, SweepResult
    from numdiff_cli.results.grad import GradResult, HessianResult, JacobianResult, Partial

    Result = DiffResult | GradResult | JacobianResult | DescentResult | DescentComparison | SweepResult

_TRACE_DIGITS = 5  # a trace row shows 5 significant digits, to fit 80 columns; --json has all
MAX_MATRIX_SIZE = 8  # larger Hessians are summarised; --json has every entry
_BEST = "bold green"
_NOTE = "yellow"
_LEGEND = (
    "★ closest to the exact value · err: error against it · digits: significant digits that agree "
    "with it · est. err: the method's own error estimate, made without knowing it"
)


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


def digits(row: NumericRow) -> str:
    d = row.correct_digits
    return "—" if d is None else f"{int(d)}"


_STATUS_STYLE = {
    "converged": "bold green",
    "max_steps": "bold yellow",
    "diverged": "bold red",
    "stalled": "bold magenta",
    "oscillating": "bold magenta",
    "unbounded": "bold red",
}


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
    power = "" if result.order == 1 else _superscript(result.order)
    title = f"d{power}/d{result.variable}{power}"
    parts: list[RenderableType] = [Panel(heading, title=Text(title), title_align="left", expand=False)]
    parts.extend(_point_table(result, point) for point in result.points)
    parts.append(Text(_LEGEND, style="dim"))
    return Group(*parts)


def _prime(result: DiffResult) -> str:
    return "f" + ("′" * result.order if result.order <= 3 else f"⁽{result.order}⁾")


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _compact_table(title: str) -> Table:
    """A table with a rule under its header and little padding, to fit 80 columns."""
    return Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)


def _point_table(result: DiffResult, point: PointResult) -> RenderableType:
    place = where(point.at)
    exact = "does not exist" if point.analytic is None else number(point.analytic)
    table = _compact_table(f"at {place}:  exact {_prime(result)} = {exact}")
    widest = max((len(number(row.value)) for row in point.numeric if row.value is not None), default=8)
    table.add_column("method", no_wrap=True)
    table.add_column("h", justify="right")
    # The value is what the table is for: it is never cut, whatever the terminal's width.
    table.add_column("numeric value", justify="right", min_width=widest, overflow="fold")
    for name in ("abs err", "rel err", "digits", "est. err"):
        table.add_column(name, justify="right")
    best = point.best
    for row in point.numeric:
        flagged = row.status == RowStatus.UNRELIABLE
        table.add_row(
            row.method,
            error(row.h),
            number(row.value) if row.value is not None else row.note,
            error(row.abs_error),
            error(row.rel_error),
            digits(row) + (" ★" if row is best else " ⚠" if flagged else ""),
            error(row.error_estimate),
            style=_BEST if row is best else None,
        )
    notes: dict[tuple[str, str], list[str]] = {}
    for row in point.numeric:
        if row.note is not None and row.value is not None:
            mark = "⚠" if row.status == RowStatus.UNRELIABLE else "note:"
            notes.setdefault((mark, row.note), []).append(row.method)
    lines = [Text(f"{mark} {', '.join(names)}: {note}", style=_NOTE) for (mark, note), names in notes.items()]
    if best is None and point.analytic is not None and any(row.value is not None for row in point.numeric):
        lines.append(Text("no row has a correct digit", style=_NOTE))
    if point.note is not None:
        lines.append(Text(f"note: {point.note}", style=_NOTE))
    return Group(table, *lines)


def vector(values: Sequence[float | None] | None, digits: int | None = None) -> str:
    """``(6.0, 8.0)``, every double in full or to ``digits`` significant digits; a dash for none."""
    if values is None:
        return "—"
    text = number if digits is None else (lambda v: "—" if v is None else f"{v:.{digits}g}")
    return "(" + ", ".join(text(v) for v in values) + ")"


def grad_view(result: GradResult) -> RenderableType:
    """The partials table, the gradient summary and, if present, the Hessian."""
    place = where(result.at)
    table = _compact_table(f"∇({result.expression}) at {place}")
    table.add_column("variable")
    table.add_column("∂f/∂variable", overflow="fold")
    table.add_column("exact", justify="right", no_wrap=True)
    table.add_column(f"numeric ({result.method})", justify="right", no_wrap=True)
    for name in ("h", "abs err", "rel err"):
        table.add_column(name, justify="right")
    for p in result.partials:
        table.add_row(*_partial_cells(p))
    summary = Table.grid(padding=(0, 2))
    summary.add_row("∇f exact", vector(result.gradient_analytic))
    summary.add_row("∇f numeric", vector(result.gradient_numeric))
    summary.add_row("‖∇f‖", number(result.norm))
    direction = vector(result.descent_direction) if result.descent_direction else "none: the gradient is zero"
    summary.add_row("−∇f/‖∇f‖", f"{direction}  (the direction of steepest descent)")
    parts: list[RenderableType] = [table, summary]
    parts.extend(Text(f"note: {p.variable}: {p.note}", style=_NOTE) for p in result.partials if p.note)
    if result.hessian is not None:
        parts.append(_hessian_view(result.hessian, [p.variable for p in result.partials]))
    return Group(*parts)


def _partial_cells(p: Partial) -> list[str]:
    return [p.variable, p.derivative, number(p.analytic), number(p.numeric), error(p.h), error(p.abs_error), error(p.rel_error)]


def _hessian_view(hessian: HessianResult, names: Sequence[str]) -> RenderableType:
    lines: list[RenderableType] = []
    if len(names) <= MAX_MATRIX_SIZE:
        grid = Table.grid(padding=(0, 3))
        grid.add_row(
            _matrix("exact", hessian.analytic, names), _matrix(f"numeric ({hessian.method})", hessian.numeric, names)
        )
        lines.append(grid)
    else:
        lines.append(Text(f"{len(names)}×{len(names)} matrix: use --json to see every entry", style="dim"))
    estimate = max((v for row in hessian.error_estimate for v in row), default=None)
    lines.append(
        Text(
            f"largest error of the numeric Hessian ({hessian.method}): {error(hessian.max_abs_error)}; "
            f"its own estimate: {error(estimate)}"
        )
    )
    lines.append(Text(f"eigenvalues: {vector(hessian.eigenvalues)}"))
    style = "bold" if hessian.critical_point.kind else ""
    lines.append(Text(f"the point is {hessian.critical_point.verdict}", style=style))
    return Panel(Group(*lines), title=Text("Hessian"), title_align="left", expand=False)


def _matrix(title: str, rows: Sequence[Sequence[float]], names: Sequence[str]) -> Table:
    table = Table(title=title, show_edge=False)
    table.add_column("")
    for name in names:
        table.add_column(name, justify="right")
    for name, row in zip(names, rows):
        table.add_row(name, *(number(v) for v in row))
    return table


def jacobian_view(result: JacobianResult) -> RenderableType:
    """The m x n Jacobian: in each cell the exact value, the numeric one and its error."""
    place = where(result.at)
    table = Table(title=f"Jacobian at {place} ({result.method} differences)", title_justify="left", show_lines=True)
    table.add_column("f")
    for name in (p.variable for p in result.entries[0]):
        table.add_column(f"∂/∂{name}", justify="right")
    for expression, row in zip(result.expressions, result.entries):
        table.add_row(expression, *(_jacobian_cell(p) for p in row))
    legend = Text("each cell: ∂fᵢ/∂xⱼ, its exact value, the numeric value, and the absolute error", style="dim")
    notes = [Text(f"note: {p.variable}: {p.note}", style=_NOTE) for row in result.entries for p in row if p.note]
    return Group(table, legend, *notes)


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
        f"gradient {kind} on f = {run.expression} from {_start(run)}\n"
        f"lr = {run.lr:g}, optimizer {run.optimizer}{params}; the update uses the {source} gradient"
    )


def _names(run: DescentResult) -> str:
    """The learned variables: ``w``, or ``(x0, x1)``."""
    return run.variables[0] if len(run.variables) == 1 else f"({', '.join(run.variables)})"


def _start(run: DescentResult) -> str:
    """``(x0, x1) = (-3.0, 4.0)``, and the variables held fixed: ``w = 0.5 with x = 2.0 held``."""
    return f"{_names(run)} = {_values(run.start)}" + (f" with {where(run.held)} held fixed" if run.held else "")


def _values(x: Sequence[float]) -> str:
    """A point's coordinates: ``1.5``, or ``(-3.0, 4.0)``."""
    return number(x[0]) if len(x) == 1 else vector(x)


def descent_view(run: DescentResult) -> RenderableType:
    """The step-by-step trace (first rows, every k-th, last rows) and how the run ended."""
    table = Table(title=_run_title(run), title_justify="left", box=box.SIMPLE_HEAD)
    for name in ("step", _names(run), "f", "∇f exact", "∇f numeric", "|diff|", "‖∇f‖", "|step|"):
        # Fold rather than cut a number that does not fit a narrow terminal.
        table.add_column(name, justify="right", overflow="fold")
    previous = None
    for row in run.trace:
        if previous is not None and row.step > previous + 1:
            table.add_row("⋮", *[""] * 7, style="dim")
        table.add_row(*_trace_cells(row))
        previous = row.step
    legend = Text("|diff|: largest difference between the exact and the numerical gradient · "
                  "|step|: length of the step that led to the row", style="dim")
    return Group(table, legend, _ending(run))


def _trace_cells(row: TraceRow) -> list[str]:
    difference = max((abs(a - b) for a, b in zip(row.grad_analytic, row.grad_numeric)), default=0.0)
    return [
        str(row.step), _stacked(row.x), _compact(row.f), _stacked(row.grad_analytic),
        _stacked(row.grad_numeric), error(difference), error(row.grad_norm), error(row.step_length),
    ]


def _stacked(values: Sequence[float]) -> str:
    """A short vector one component per line, so that a trace fits a narrow terminal."""
    if len(values) > 4:
        return vector(values, _TRACE_DIGITS)
    return "\n".join(_compact(v) for v in values)


def _compact(value: float) -> str:
    """At most 8 characters: -0.62915, 25, -1.41e8, -2.59e13, 3.2e-9."""
    if not math.isfinite(value):
        return str(value)
    value += 0.0  # -0.0 (from -2*0.0) would read as a sign to a student
    if value != 0 and not 1e-4 <= abs(value) < 1e5:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    return f"{value:.{_TRACE_DIGITS}g}"


def _ending(run: DescentResult) -> RenderableType:
    summary = Table.grid(padding=(0, 2))
    summary.add_row(Text(run.status, style=_STATUS_STYLE[run.status]), Text(run.message))
    summary.add_row(f"final {_names(run)}", _values(run.final_x))
    summary.add_row("f", number(run.final_f))
    summary.add_row("‖∇f‖", error(run.final_grad_norm))
    if run.advice:
        summary.add_row("advice", run.advice)
    if run.rates:
        summary.add_row("per step", run.rates)
    if len(run.trace) < run.steps + 1:
        summary.add_row("", Text("the table skips steps; --json or --csv hold every one", style="dim"))
    return summary


def comparison_view(comparison: DescentComparison) -> RenderableType:
    """Several runs side by side: where each ended and why."""
    first = comparison.runs[0]
    kind = "ascent" if first.ascent else "descent"
    table = Table(title=f"gradient {kind} on f = {first.expression} from {_start(first)}", title_justify="left")
    for name in ("lr", "optimizer", "status", "steps", f"final {_names(first)}", "f", "‖∇f‖"):
        table.add_column(name, justify="right" if name in ("lr", "steps", "f", "‖∇f‖") else "left")
    for run in comparison.runs:
        table.add_row(
            f"{run.lr:g}", run.optimizer, Text(run.status, style=_STATUS_STYLE[run.status]), str(run.steps),
            vector(run.final_x), number(run.final_f), error(run.final_grad_norm),
        )
    notes = [
        Text(f"lr = {run.lr:g}, {run.optimizer}: {run.message}" + (f" (per step: {run.rates})" if run.rates else ""))
        for run in comparison.runs
    ]
    advice = [Text(f"advice: {first.advice}", style="dim")] if first.advice else []
    return Group(table, *notes, *advice)


def sweep_view(result: SweepResult) -> RenderableType:
    """The error of each method against h, with a bar for its size, the best h marked."""
    place = where(result.at)
    table = Table(
        title=f"error of d{'' if result.order == 1 else _superscript(result.order)}/d{result.variable} "
        f"{result.expression} at {place} against the step h ({result.dtype}); exact value {number(result.analytic)}",
        title_justify="left",
    )
    table.add_column("h", justify="right")
    for column in result.columns:
        table.add_column(f"{column.method} error", justify="left")
    for i, h in enumerate(result.steps):
        cells = [f"{h:.0e}"]
        for column in result.columns:
            err = column.abs_errors[i]
            mark = " ★" if h == column.best_h else ""
            cells.append(Text(f"{_bar(err)} {error(err)}{mark}", style=_BEST if mark else ""))
        table.add_row(*cells)
    theory = ["theory h"] + [f"{c.theoretical_h:.1e} → {error(c.theoretical_error)}" for c in result.columns]
    table.add_row(*theory, style="dim")
    return Group(table, *(Text(line) for line in result.explanation))


def _bar(err: float | None, width: int = 12) -> str:
    """A bar as long as the error's order of magnitude above 1e-17: the V of the lesson."""
    if err is None:
        return "nan".ljust(width)
    if err == 0:
        return "".ljust(width)
    length = int(round((math.log10(err) + 17) / 19 * width))
    return ("█" * max(0, min(width, length))).ljust(width)
