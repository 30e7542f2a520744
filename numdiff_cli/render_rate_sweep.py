"""The view of ``numdiff descend --lr-sweep``: one row per learning rate, the marks 1/λmax and
2/λmax between the rows where they fall, and what the regions mean."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.text import Text

from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import below, compact_table, dropped, error, vector
from numdiff_cli.render_descent import STATUS_STYLE, compact
from numdiff_cli.results import number

if TYPE_CHECKING:
    from numdiff_cli.results.rate_sweep import RateSweep

_DIGITS = 5  # a learning rate and f to 5 significant digits (--json has every digit)
REGION_WORDS = {"too_small": "too small", "right": "right", "too_large": "too large"}
_COLUMNS = ("lr", "region", "status", "steps", "f", "‖x − x*‖")
_REGION_STYLE = {"too_small": "magenta", "right": "green", "too_large": "red"}
_SOURCES = {
    "quadratic": "f is a quadratic with a definite Hessian A, so x* = −A⁻¹b exactly",
    "converged": "where the runs that converged all ended",
}


def sweep_view(sweep: RateSweep) -> RenderableType:
    """The table of runs, with the marks between the rows and the legend under it."""
    kind = "ascent" if sweep.ascent else "descent"
    names = sweep.variables[0] if len(sweep.variables) == 1 else f"({', '.join(sweep.variables)})"
    start = sweep.start[0] if len(sweep.start) == 1 else vector(sweep.start)
    title = (
        f"gradient {kind} on f = {sweep.expression} from {names} = {start}, optimizer {sweep.optimizer}, "
        f"{sweep.steps} steps, at {len(sweep.rows)} learning rates"
    )
    goal = "maximum" if sweep.ascent else "minimum"

    def layout(edge: bool, drop: tuple[str, ...]):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table(title, edge)
            shown = [name for name in _COLUMNS if name not in drop]
            for name in shown:
                table.add_column(name, justify="left" if name in ("region", "status") else "right", no_wrap=True)
            for cells in _rows(sweep):
                table.add_row(*(cells.get(name, "") for name in shown), style=cells.get("style"))
            if fitted(table, console, width, last) is None:
                return None
            return below(table, *([dropped(drop)] if drop else []))

        return draw

    fit = Fit(*(layout(edge, drop) for drop in ((), ("steps",)) for edge in (True, False)))
    return Group(fit, *_notes(sweep, goal))


def _rows(sweep: RateSweep) -> list[dict[str, RenderableType]]:
    """The cells of each run by column, and a row for each mark where it falls between them."""
    marks = list(zip(sweep.marks or (), ("1/λmax", "2/λmax")))
    rows: list[dict[str, RenderableType]] = []
    for row in sweep.rows:
        while marks and marks[0][0] <= row.lr:
            rows.append(_mark(*marks.pop(0)))
        rows.append({
            "lr": f"{row.lr:.{_DIGITS}g}",
            "region": "—" if row.region is None else Text(REGION_WORDS[row.region], style=_REGION_STYLE[row.region]),
            "status": Text(row.status, style=STATUS_STYLE[row.status]), "steps": str(row.steps),
            "f": compact(row.final_f), "‖x − x*‖": error(row.distance),
        })
    return rows + [_mark(*mark) for mark in marks]  # marks above the largest rate


def _mark(value: float, name: str) -> dict[str, RenderableType]:
    return {"lr": f"{value:.{_DIGITS}g}", "region": f"── {name}", "style": "dim"}


def _notes(sweep: RateSweep, goal: str) -> list[Text]:
    """Where the minimum and λmax come from, what the regions mean, and the closest run."""
    notes = []
    if sweep.minimum is None:
        notes.append(Text(f"no {goal} is known for certain, so no distance is shown (f is not a quadratic with a "
                          f"definite Hessian, and no two runs converged to one {goal})", style="dim"))
    else:
        where = number(sweep.minimum[0]) if len(sweep.minimum) == 1 else vector(sweep.minimum)
        notes.append(Text(f"the {goal} x* = {where}: {_SOURCES[sweep.minimum_source]}"))
        closest = min((row for row in sweep.rows if row.distance is not None), key=lambda row: row.distance,
                      default=None)
        if closest is not None:
            notes.append(Text(f"closest to it after {sweep.steps} steps: lr = {closest.lr:.{_DIGITS}g} "
                              f"(‖x − x*‖ = {error(closest.distance)})"))
    if sweep.lambda_max is None:
        notes.append(Text("the Hessian has no positive curvature here, so there are no marks 1/λmax and 2/λmax"))
        return notes
    one, two = sweep.marks
    where = f"at the {goal}" if sweep.lambda_max_at == "minimum" else "at the start"
    notes.append(Text(
        f"λmax = {sweep.lambda_max:.{_DIGITS}g} {where}; plain gradient descent multiplies the distance "
        f"along the most curved direction by |1 − lr·λmax| per step: too small below 1/λmax = "
        f"{one:.{_DIGITS}g} (no direction overshoots, and the smaller lr the slower), right up to "
        f"2/λmax = {two:.{_DIGITS}g} (it overshoots but closes in), too large from there on (it bounces "
        "or runs away)" + ("" if sweep.optimizer == "sgd" else f"; {sweep.optimizer} follows other rules, so its "
                           "rows have no region"),
        style="dim",
    ))
    return notes
