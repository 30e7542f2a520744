"""Views of ``numdiff check``: a claimed derivative judged, and a student's code judged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import NOTE, SHORT_DIGITS, below, compact_table, dropped, error, shortened, significant
from numdiff_cli.results import number
from numdiff_cli.results import where as point_text
from numdiff_cli.results.check import PointStatus, Severity, Verdict

if TYPE_CHECKING:
    from numdiff_cli.results.check import ClaimResult, CodeResult, FunctionCheck

_STYLE = {Verdict.RIGHT: "bold green", Verdict.WRONG: "bold red", Verdict.PARTLY_RIGHT: "bold yellow"}
_STATUS = {
    PointStatus.RIGHT: "right",
    PointStatus.WRONG: "wrong",
    PointStatus.NO_DERIVATIVE: "no f′ here",
    PointStatus.CLAIM_UNDEFINED: "claim undefined",
}
_DROPS = ("abs err",)


def claim_view(result: ClaimResult) -> RenderableType:
    """f, the claim and the true derivative; the verdict with its hints; the table of points."""
    one = len(result.components) == 1
    heading = Table.grid(padding=(0, 1))
    heading.add_row(Text("f =", style="bold"), Text(result.expression))
    for c in result.components:
        prime = "f′" if one and len(result.variables) <= 1 else f"∂f/∂{c.variable}"
        heading.add_row(Text(f"claim {prime} =", style="bold"), Text(c.claim))
        heading.add_row(Text(f"true {prime} =", style="bold"), Text(c.derivative))
    parts: list[RenderableType] = [Panel(heading, title=Text("check"), title_align="left", expand=False)]
    verdict, _, rest = result.message.partition(":")
    parts.append(Text.assemble((verdict, _STYLE[result.verdict]), ":" + rest if rest else ""))
    for c in result.components:
        parts.extend(Text(f"hint: {h.message}", style=NOTE) for h in c.hints)
    parts.extend(Text(f"note: {n}", style=NOTE) for n in result.notes)
    if result.points:
        parts.append(_points_table(result))
    return Group(*parts)


def _points_table(result: ClaimResult) -> RenderableType:
    one = len(result.components) == 1
    title = (
        f"at random points of the domain (seed {result.seed})"
        if result.seed is not None
        else "at the points asked"
    )
    names = ["point", *([] if one else ["∂f/∂"]), "claim", "true", "abs err", ""]

    def layout(drop: Sequence[str], edge: bool, digits: int | None = None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(title, edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                table.add_column(names[i], justify="right" if names[i] in ("claim", "true", "abs err") else "left")
            value = number if digits is None else (lambda v: significant(v, digits))
            for point in result.points:
                for k, component in enumerate(result.components):
                    first = k == 0
                    row = [
                        point_text(point.at) if first else "",
                        *([] if one else [component.variable]),
                        value(point.claim[k]),
                        value(point.exact[k]),
                        error(point.abs_error[k]),
                        _STATUS[point.status] if first else "",
                    ]
                    table.add_row(*(row[i] for i in shown))
            if fitted(table, console, width, last) is None:
                return None
            said = [shortened("claim and true values", digits)] if digits else []
            return below(table, *([dropped(drop)] if drop else []), *said)

        return draw

    layouts = [layout(_DROPS[:k], edge) for k in range(len(_DROPS) + 1) for edge in (True, False)]
    layouts.append(layout(_DROPS, False, SHORT_DIGITS))
    notes = [Text(f"note: {point_text(p.at)}: {p.note}", style=NOTE) for p in result.points if p.note]
    return Group(Fit(*layouts), *notes)


def code_view(result: CodeResult) -> RenderableType:
    """Each function found in the file: its verdict, what is wrong with it, and every call made."""
    parts: list[RenderableType] = []
    for function in result.functions:
        parts.extend(_function_view(result.file, function))
    return Group(*parts)


def _function_view(file: str, function: FunctionCheck) -> list[RenderableType]:
    head = Text.assemble(
        (f"{function.name}", "bold"),
        f" in {file} ({function.kind.replace('_', ' ')}): ",
        (function.verdict.value.replace("_", " "), _STYLE[function.verdict]),
    )
    lines: list[RenderableType] = [head, Text(function.summary)]
    for d in function.diagnoses:
        style = "red" if d.severity is Severity.BUG else NOTE
        lines.append(Text.assemble((f"{d.severity.value}: ", f"bold {style}"), (d.message, style)))
    names = ["f", "x" if function.kind != "gradient_descent" else "init_x, lr, step_num", "returned", "exact",
             "abs err", ""]

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(f"the calls of {function.name}", edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                table.add_column(names[i], justify="right" if names[i] == "abs err" else "left")
            for p in function.probes:
                returned = p.returned if p.error is None else p.error.partition(":")[0]
                row = [p.function, p.call, returned, p.exact, error(p.abs_error), "ok" if p.passed else "✗"]
                table.add_row(*(row[i] for i in shown))
            if fitted(table, console, width, last) is None:
                return None
            return below(table, *([dropped(drop)] if drop else []))

        return draw

    drops = ("abs err", "exact")
    lines.append(Fit(*(layout(drops[:k], edge) for k in range(len(drops) + 1) for edge in (True, False))))
    return lines
