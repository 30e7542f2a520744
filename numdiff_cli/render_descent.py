"""Views of ``numdiff descend``: one run step by step, several runs side by side."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from numdiff_cli.i18n import N_, _, translate
from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import PROSE, SHORT_DIGITS, below, compact_table, dropped, error, shortened, significant, vector
from numdiff_cli.render_unbroken import unbroken_title
from numdiff_cli.results import number
from numdiff_cli.results import where as point_text

if TYPE_CHECKING:
    from numdiff_cli.results.descend import DescentComparison, DescentResult, TraceRow

_TRACE_DIGITS = 5  # a trace number shows up to 5 significant digits in 8 characters, to fit 80 columns
STATUS_STYLE = {
    "converged": "bold green", "max_steps": "bold yellow", "diverged": "bold red", "stalled": "bold magenta",
    "oscillating": "bold magenta", "unbounded": "bold red",
}
# The statuses as a table shows them, by their codes (JSON keeps the codes).
_STATUS_WORDS = (N_("converged"), N_("max_steps"), N_("diverged"), N_("stalled"), N_("oscillating"), N_("unbounded"))


def _run_title(run: DescentResult) -> str:
    params = "".join(f", {k} = {v:g}" for k, v in run.hyperparameters.items())
    source = _("numeric (central, h = {h:g})").format(h=run.h) if run.gradient == "numeric" else _("analytic")
    settings = _("lr = {lr:g}, optimizer {optimizer}{params}; the update uses the {source} gradient")
    return _heading(run) + "\n" + settings.format(lr=run.lr, optimizer=run.optimizer, params=params, source=source)


def _heading(run: DescentResult) -> str:
    """``gradient descent on f = … from …``."""
    heading = _("gradient ascent on f = {expression} from {start}") if run.ascent else _(
        "gradient descent on f = {expression} from {start}")
    return heading.format(expression=run.expression, start=_start(run))


def _names(run: DescentResult) -> str:
    """The learned variables: ``w``, or ``(x0, x1)``."""
    return run.variables[0] if len(run.variables) == 1 else f"({', '.join(run.variables)})"


def _start(run: DescentResult) -> str:
    """``(x0, x1) = (-3.0, 4.0)``, and the variables held fixed: ``w = 0.5 with x = 2.0 held fixed``."""
    start = f"{_names(run)} = {_values(run.start)}"
    return _("{start} with {held} held fixed").format(start=start, held=point_text(run.held)) if run.held else start


def _values(x: Sequence[float]) -> str:
    """A point's coordinates: ``1.5``, or ``(-3.0, 4.0)``."""
    return number(x[0]) if len(x) == 1 else vector(x)


def descent_view(run: DescentResult) -> RenderableType:
    """The step-by-step trace (first rows, every k-th, last rows) and how the run ended."""
    names = (N_("step"), "x", "f(x)", N_("∇f exact"), N_("∇f numeric"), N_("|diff|"), N_("‖∇f‖"), N_("|step|"))
    rows = [_trace_cells(row) for row in run.trace]
    gaps = {i for i in range(1, len(run.trace)) if run.trace[i].step > run.trace[i - 1].step + 1}
    # dropped in this order: the step length, the difference, then the gradient that did not drive the update
    drops = ("|step|", "|diff|", "∇f exact" if run.gradient == "numeric" else "∇f numeric")
    legend = {
        "|diff|": _("|diff|: largest difference between the exact and the numerical gradient"),
        "|step|": _("|step|: length of the step that led to the row"),
        "": _("numbers to at most {digits} significant digits (--json has every digit)").format(digits=_TRACE_DIGITS),
    }

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = unbroken_title(Table(title=_run_title(run), title_justify="left", box=box.SIMPLE_HEAD, pad_edge=edge,
                                         collapse_padding=not edge))
            shown = [i for i, name in enumerate(names) if name not in drop]
            headers = {"x": _names(run), "f(x)": "f"}  # the learned variables by name
            for i in shown:
                # a vector of more than 4 components is one line that wraps between them
                table.add_column(headers.get(names[i]) or _(names[i]), justify="right",
                                 no_wrap=names[i] not in ("x", "∇f exact", "∇f numeric"))
            for i, row in enumerate(rows):
                if i in gaps:
                    table.add_row("⋮", *[""] * (len(shown) - 1), style="dim")
                table.add_row(*(row[j] for j in shown))
            if fitted(table, console, width, last) is None:
                return None
            words = [text for name, text in legend.items() if name not in drop]
            notes = [Text(" · ".join(words), style="dim"), *([dropped(drop)] if drop else [])]
            return Group(table, *notes, _ending(run))

        return draw

    layouts = [layout(drops[:k], edge) for k in range(len(drops) + 1) for edge in (True, False)]
    return Fit(*layouts)


def _trace_cells(row: TraceRow) -> list[str]:
    return [
        str(row.step), _stacked(row.x), compact(row.f), _stacked(row.grad_analytic),
        _stacked(row.grad_numeric), error(row.grad_difference), error(row.grad_norm), error(row.step_length),
    ]


def _stacked(values: Sequence[float]) -> str:
    """A short vector one component per line, so that a trace fits a narrow terminal; a longer one
    in brackets, to wrap between its components. Each in at most 8 characters."""
    if len(values) > 4:
        return "(" + ", ".join(compact(v) for v in values) + ")"
    return "\n".join(compact(v) for v in values)


def compact(value: float) -> str:
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
    summary.add_column()
    summary.add_column(overflow=PROSE)
    summary.add_row(Text(_(run.status), style=STATUS_STYLE[run.status]), Text(translate(run.message)))
    summary.add_row(_("final {names}").format(names=_names(run)), _values(run.final_x))
    summary.add_row("f", number(run.final_f))
    summary.add_row("‖∇f‖", error(run.final_grad_norm))
    if run.advice:
        summary.add_row(_("advice"), translate(run.advice))
    if run.rates:
        summary.add_row(_("per step"), run.rates)
    if len(run.trace) < run.steps + 1:
        summary.add_row("", Text(_("the table skips steps; --json or --csv hold every one"), style="dim"))
    return summary


def comparison_view(comparison: DescentComparison) -> RenderableType:
    """Several runs side by side: where each ended and why."""
    first = comparison.runs[0]
    title = _heading(first)
    # Where a narrow table puts the optimizer: in the title if every run shares it, else under the lr.
    narrow = "title" if len({run.optimizer for run in comparison.runs}) == 1 else "under lr"

    def layout(stack: bool, optimizer: str, heavy: bool | None, digits: int | None, drop: Sequence[str] = ()):
        """``optimizer``: in a ``column``, the ``title`` or ``under lr``; ``stack``: final x one component a
        line; ``heavy``: a box around every cell, else a rule under the header, None without a blank edge."""

        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            heading = _("{title}, optimizer {optimizer}").format(title=title, optimizer=first.optimizer) \
                if optimizer == "title" else title
            table = unbroken_title(
                Table(title=heading, title_justify="left") if heavy else compact_table(heading, heavy is False))
            lr = N_("lr, optimizer") if optimizer == "under lr" else N_("lr")
            names = [lr, N_("optimizer"), N_("status"), N_("steps"), "final x", "f(x)", N_("‖∇f‖")]
            shown = [n for n in names if n not in drop and (n != "optimizer" or optimizer == "column")]
            headers = {"final x": _("final {names}").format(names=_names(first)), "f(x)": "f"}
            for name in shown:
                table.add_column(headers.get(name) or _(name),
                                 justify="left" if name in ("optimizer", "status", "final x") else "right",
                                 no_wrap=name != "final x" or not stack)
            value = number if digits is None else (lambda v: significant(v, digits))
            for run in comparison.runs:
                x = [value(v) for v in run.final_x]
                cells = {
                    lr: f"{run.lr:g}\n{run.optimizer}" if optimizer == "under lr" else f"{run.lr:g}",
                    "optimizer": run.optimizer,
                    "status": Text(_(run.status), style=STATUS_STYLE[run.status]), "steps": str(run.steps),
                    # stacked, one component a line; else the whole vector on one line
                    "final x": "\n".join(x) if stack else "(" + ", ".join(x) + ")",
                    "f(x)": value(run.final_f), "‖∇f‖": error(run.final_grad_norm),
                }
                table.add_row(*(cells[name] for name in shown))
            if fitted(table, console, width, last) is None:
                return None
            notes = [*([shortened(N_("final x and f(x)"), digits)] if digits else []), *([dropped(drop)] if drop else [])]
            return below(table, *notes)

        return draw

    layouts = [layout(False, "column", True, None), layout(True, "column", True, None)]
    layouts.append(layout(True, narrow, True, None))
    for digits in (None, SHORT_DIGITS):
        layouts += [layout(True, where, heavy, digits) for heavy in (False, None) for where in ("column", narrow)]
    layouts += [layout(True, narrow, None, SHORT_DIGITS, drop) for drop in (("steps",), ("steps", "‖∇f‖"))]
    notes = [
        Text((_("lr = {lr:g}, {optimizer}: {message} (per step: {rates})") if run.rates else _(
            "lr = {lr:g}, {optimizer}: {message}")).format(lr=run.lr, optimizer=run.optimizer,
                                                            message=translate(run.message), rates=run.rates))
        for run in comparison.runs
    ]
    advice = [Text(_("advice: {advice}").format(advice=translate(first.advice)), style="dim")] if first.advice else []
    return Group(Fit(*layouts), *notes, *advice)
