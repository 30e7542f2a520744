"""Views of ``numdiff check``: a claimed derivative judged, and a student's code judged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.i18n import C_, N_, Message, _, translate
from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import NOTE, SHORT_DIGITS, below, compact_table, dropped, error, shortened, significant
from numdiff_cli.results import number
from numdiff_cli.results import where as point_text
from numdiff_cli.results.check import PointStatus, Severity, Verdict

if TYPE_CHECKING:
    from numdiff_cli.results.check import ClaimResult, CodeResult, FunctionCheck

_STYLE = {Verdict.RIGHT: "bold green", Verdict.WRONG: "bold red", Verdict.PARTLY_RIGHT: "bold yellow"}
# "right" is said otherwise of a learning rate: the claim's words have their context ("claim")
_STATUS = {
    PointStatus.RIGHT: "right",
    PointStatus.WRONG: "wrong",
    PointStatus.NO_DERIVATIVE: "no f′ here",
    PointStatus.CLAIM_UNDEFINED: "claim undefined",
    PointStatus.DERIVATIVE_UNDEFINED: "f′ undefined",
}
_VERDICT = {Verdict.RIGHT: "right", Verdict.WRONG: "wrong", Verdict.PARTLY_RIGHT: "partly right"}
_KIND = {"numerical_diff": N_("numerical diff"), "numerical_gradient": N_("numerical gradient"),
         "gradient_descent": N_("gradient descent")}
_SEVERITY = {Severity.BUG: N_("bug: "), Severity.CAVEAT: N_("caveat: ")}
_DROPS = ("abs err",)


def claim_view(result: ClaimResult) -> RenderableType:
    """f, the claim and the true derivative; the verdict with its hints; the table of points."""
    one = len(result.components) == 1
    heading = Table.grid(padding=(0, 1))
    heading.add_row(Text("f =", style="bold"), Text(result.expression))
    for c in result.components:
        prime = "f′" if one and len(result.variables) <= 1 else f"∂f/∂{c.variable}"
        heading.add_row(Text(_("claim {prime} =").format(prime=prime), style="bold"), Text(c.claim))
        heading.add_row(Text(_("true {prime} =").format(prime=prime), style="bold"), Text(c.derivative))
    parts: list[RenderableType] = [Panel(heading, title=Text(_("check")), title_align="left", expand=False)]
    verdict, colon, rest = (translate(result.message) or "").partition(":")
    parts.append(Text.assemble((verdict, _STYLE[result.verdict]), colon + rest))
    for c in result.components:
        parts.extend(Text(_("hint: {hint}").format(hint=translate(h.message)), style=NOTE) for h in c.hints)
    parts.extend(Text(_("note: {note}").format(note=translate(n)), style=NOTE) for n in result.notes)
    if result.points:
        parts.append(_points_table(result))
    return Group(*parts)


def _points_table(result: ClaimResult) -> RenderableType:
    one = len(result.components) == 1
    title = (
        _("at random points of the domain (seed {seed})").format(seed=result.seed)
        if result.seed is not None
        else _("at the points asked")
    )
    names = [N_("point"), *([] if one else [N_("∂f/∂")]), N_("claim"), N_("true"), N_("abs err"), ""]

    def layout(drop: Sequence[str], edge: bool, digits: int | None = None):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(title, edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                table.add_column(_(names[i]) if names[i] else "", justify="right" if names[i] in ("claim", "true", "abs err") else "left")
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
                        _verdict_word(_STATUS[point.status]) if first else "",
                    ]
                    table.add_row(*(row[i] for i in shown))
            if fitted(table, console, width, last) is None:
                return None
            said = [shortened(N_("claim and true values"), digits)] if digits else []
            return below(table, *([dropped(drop)] if drop else []), *said)

        return draw

    layouts = [layout(_DROPS[:k], edge) for k in range(len(_DROPS) + 1) for edge in (True, False)]
    layouts.append(layout(_DROPS, False, SHORT_DIGITS))
    notes = [Text(_("note: {note}").format(note=f"{point_text(p.at)}: {translate(p.note)}"), style=NOTE)
             for p in result.points if p.note]
    return Group(Fit(*layouts), *notes)


def _verdict_word(word: str) -> str:
    """A verdict or a point's status in the chosen language."""
    words = {"right": C_("claim", "right"), "wrong": C_("claim", "wrong"), "partly right": C_("claim", "partly right"),
             "no f′ here": C_("claim", "no f′ here"), "claim undefined": C_("claim", "claim undefined"),
             "f′ undefined": C_("claim", "f′ undefined")}
    return words[word]


def code_view(result: CodeResult) -> RenderableType:
    """Each function found in the file: its verdict, what is wrong with it, and every call made."""
    parts: list[RenderableType] = []
    for function in result.functions:
        parts.extend(_function_view(result.file, function))
    return Group(*parts)


def _function_view(file: str, function: FunctionCheck) -> list[RenderableType]:
    kind = _(_KIND[function.kind]) if function.kind in _KIND else function.kind
    head = Text.assemble(
        (f"{function.name}", "bold"),
        _(" in {file} ({kind}): ").format(file=file, kind=kind),
        (_verdict_word(_VERDICT[function.verdict]), _STYLE[function.verdict]),
    )
    lines: list[RenderableType] = [head, Text(translate(function.summary) or "")]
    for d in function.diagnoses:
        style = "red" if d.severity is Severity.BUG else NOTE
        lines.append(Text.assemble((_(_SEVERITY[d.severity]), f"bold {style}"), (translate(d.message) or "", style)))
    words = (N_("returned"), N_("exact"), N_("abs err"))  # the other columns are named as in Python
    names = ["f", "x" if function.kind != "gradient_descent" else "init_x, lr, step_num", *words, ""]

    def layout(drop: Sequence[str], edge: bool):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(_("the calls of {function}").format(function=function.name), edge)
            shown = [i for i, name in enumerate(names) if name not in drop]
            for i in shown:
                header = C_("exact answer", "exact") if names[i] == "exact" else _(names[i]) if names[i] in words else names[i]
                table.add_column(header, justify="right" if names[i] == "abs err" else "left")
            for p in function.probes:
                returned = (translate(p.returned) if isinstance(p.returned, Message) else p.returned) if p.error is None else (
                    p.error.partition(":")[0])
                row = [p.function, p.call, returned, p.exact, error(p.abs_error), "ok" if p.passed else "✗"]
                table.add_row(*(row[i] for i in shown))
            if fitted(table, console, width, last) is None:
                return None
            return below(table, *([dropped(drop)] if drop else []))

        return draw

    drops = ("abs err", "exact")
    lines.append(Fit(*(layout(drops[:k], edge) for k in range(len(drops) + 1) for edge in (True, False))))
    return lines
