"""Rich renderings of results for people, and CSV/JSON writers for programs. Never computes."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from numdiff_cli.results import DiffResult, NumericRow, PointResult

_BEST = "bold green"
_NOTE = "yellow"
_LEGEND = (
    "★ closest to the exact value · digits: significant digits that agree with it · "
    "est. error: the method's own error estimate, made without knowing it"
)


def number(value: float | None) -> str:
    """The shortest text that reads back as the same double; a dash for none."""
    if value is None:
        return "—"
    return repr(value) if abs(value) < 1e16 else f"{value:.17g}"


def error(value: float | None) -> str:
    """An error or step in scientific notation with three significant digits."""
    return "—" if value is None else f"{value:.2e}"


def digits(row: NumericRow) -> str:
    d = row.correct_digits
    return "—" if d is None else f"{int(d)}"


def to_json(data: Any) -> str:
    """Standard JSON (no NaN or Infinity), indented for reading."""
    return json.dumps(data, indent=2, allow_nan=False)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row; None becomes an empty field."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def diff_view(result: DiffResult) -> RenderableType:
    """The expression and its derivative, then one table per point."""
    heading = Table.grid(padding=(0, 1))
    heading.add_row(Text("f =", style="bold"), Text(result.expression))
    heading.add_row(Text(f"{_prime(result)} =", style="bold"), Text(result.derivative))
    power = "" if result.order == 1 else _superscript(result.order)
    title = f"d{power}/d{result.variable}{power}"
    parts: list[RenderableType] = [Panel(heading, title=title, title_align="left", expand=False)]
    parts.extend(_point_table(result, point) for point in result.points)
    parts.append(Text(_LEGEND, style="dim"))
    return Group(*parts)


def _prime(result: DiffResult) -> str:
    return "f" + ("′" * result.order if result.order <= 3 else f"⁽{result.order}⁾")


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _point_table(result: DiffResult, point: PointResult) -> RenderableType:
    where = ", ".join(f"{k} = {number(v)}" for k, v in point.at.items())
    exact = "does not exist" if point.analytic is None else number(point.analytic)
    table = Table(
        title=f"at {where}:  exact {_prime(result)} = {exact}",
        title_justify="left",
    )
    table.add_column("method")
    table.add_column("h", justify="right")
    table.add_column("numeric value", justify="right")
    table.add_column("abs error", justify="right")
    table.add_column("rel error", justify="right")
    table.add_column("digits", justify="right")
    table.add_column("est. error", justify="right")
    best = point.best
    for row in point.numeric:
        table.add_row(
            row.method + (" ★" if row is best else ""),
            error(row.h),
            number(row.value) if row.note is None else row.note,
            error(row.abs_error),
            error(row.rel_error),
            digits(row),
            error(row.error_estimate),
            style=_BEST if row is best else None,
        )
    if point.note is None:
        return table
    return Group(table, Text(f"note: {point.note}", style=_NOTE))
