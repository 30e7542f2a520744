"""The view of ``numdiff descend --lr-sweep``: one row per learning rate, the marks 1/λmax and
2/λmax between the rows where they fall, and what the regions mean."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.text import Text

from numdiff_cli.i18n import N_, _
from numdiff_cli.layout import Fit, fitted
from numdiff_cli.render import below, compact_table, dropped, error, vector
from numdiff_cli.render_descent import STATUS_STYLE, compact
from numdiff_cli.render_unbroken import Unbroken
from numdiff_cli.results import number

if TYPE_CHECKING:
    from numdiff_cli.results.rate_sweep import RateSweep

_DIGITS = 5  # a learning rate and f to 5 significant digits (--json has every digit)
REGION_WORDS = {"too_small": N_("too small"), "right": N_("right"), "too_large": N_("too large")}  # the picture's: English
_COLUMNS = (N_("lr"), N_("region"), N_("status"), N_("steps"), N_("f"), N_("‖x − x*‖"))
_REGION_STYLE = {"too_small": "magenta", "right": "green", "too_large": "red"}
_SOURCES = {
    "quadratic": N_("f is a quadratic with a definite Hessian A, so x* = −A⁻¹b exactly"),
    "converged": N_("where the runs that converged all ended"),
}


def sweep_view(sweep: RateSweep) -> RenderableType:
    """The table of runs, with the marks between the rows and the legend under it."""
    names = sweep.variables[0] if len(sweep.variables) == 1 else f"({', '.join(sweep.variables)})"
    start = sweep.start[0] if len(sweep.start) == 1 else vector(sweep.start)
    title = (_("gradient ascent on f = {expression} from {names} = {start}, optimizer {optimizer}, {steps} steps, at "
               "{count} learning rates") if sweep.ascent else _(
        "gradient descent on f = {expression} from {names} = {start}, optimizer {optimizer}, {steps} steps, at "
        "{count} learning rates")).format(expression=sweep.expression, names=names, start=start,
                                          optimizer=sweep.optimizer, steps=sweep.steps, count=len(sweep.rows))
    goal = _("maximum") if sweep.ascent else _("minimum")

    def layout(edge: bool, drop: tuple[str, ...]):
        def draw(console: Console, width: int, last: bool) -> RenderableType | None:
            table = compact_table("", edge)  # the title goes above: at the table's width it broke inside (1.0, 1.0)
            shown = [name for name in _COLUMNS if name not in drop]
            for name in shown:
                table.add_column(_(name), justify="left" if name in ("region", "status") else "right", no_wrap=True)
            for cells in _rows(sweep):
                table.add_row(*(cells.get(name, "") for name in shown), style=cells.get("style"))
            if fitted(table, console, width, last) is None:
                return None
            return below(table, *([dropped(drop)] if drop else []))

        return draw

    fit = Fit(*(layout(edge, drop) for drop in ((), ("steps",)) for edge in (True, False)))
    return Group(Unbroken(title), fit, *_notes(sweep, goal))


def _rows(sweep: RateSweep) -> list[dict[str, RenderableType]]:
    """The cells of each run by column, and a row for each mark where it falls between them."""
    marks = list(zip(sweep.marks or (), ("1/λmax", "2/λmax")))
    rows: list[dict[str, RenderableType]] = []
    for row in sweep.rows:
        while marks and marks[0][0] <= row.lr:
            rows.append(_mark(*marks.pop(0)))
        rows.append({
            "lr": f"{row.lr:.{_DIGITS}g}",
            "region": "—" if row.region is None else Text(_(REGION_WORDS[row.region]), style=_REGION_STYLE[row.region]),
            "status": Text(_(row.status), style=STATUS_STYLE[row.status]), "steps": str(row.steps),
            "f": compact(row.final_f), "‖x − x*‖": error(row.distance),
        })
    return rows + [_mark(*mark) for mark in marks]  # marks above the largest rate


def _mark(value: float, name: str) -> dict[str, RenderableType]:
    return {"lr": f"{value:.{_DIGITS}g}", "region": f"── {name}", "style": "dim"}


def _notes(sweep: RateSweep, goal: str) -> list[Text]:
    """Where the minimum and λmax come from, what the regions mean, and the closest run."""
    notes = []
    if sweep.minimum is None:
        notes.append(Text(_("no {goal} is known for certain, so no distance is shown (f is not a quadratic with a "
                            "definite Hessian, and no two runs converged to one {goal})").format(goal=goal), style="dim"))
    else:
        where = number(sweep.minimum[0]) if len(sweep.minimum) == 1 else vector(sweep.minimum)
        notes.append(Text(_("the {goal} x* = {where}: {source}").format(goal=goal, where=where,
                                                                          source=_(_SOURCES[sweep.minimum_source]))))
        closest = min((row for row in sweep.rows if row.distance is not None), key=lambda row: row.distance,
                      default=None)
        if closest is not None:
            notes.append(Text(_("closest to it after {steps} steps: lr = {lr} (‖x − x*‖ = {distance})").format(
                steps=sweep.steps, lr=f"{closest.lr:.{_DIGITS}g}", distance=error(closest.distance))))
    if sweep.lambda_max is None:
        notes.append(Text(_("the Hessian has no positive curvature here, so there are no marks 1/λmax and 2/λmax")))
        return notes
    one, two = sweep.marks
    where = _("at the {goal}").format(goal=goal) if sweep.lambda_max_at == "minimum" else _("at the start")
    rule = _("λmax = {lambda_max} {where}; plain gradient descent multiplies the distance along the most curved "
             "direction by |1 − lr·λmax| per step: too small below 1/λmax = {one} (no direction overshoots, and the "
             "smaller lr the slower), right up to 2/λmax = {two} (it overshoots but closes in), too large from there "
             "on (it bounces or runs away)")
    if sweep.optimizer != "sgd":
        rule += _("; {optimizer} follows other rules, so its rows have no region")
    notes.append(Text(rule.format(lambda_max=f"{sweep.lambda_max:.{_DIGITS}g}", where=where, one=f"{one:.{_DIGITS}g}",
                                  two=f"{two:.{_DIGITS}g}", optimizer=sweep.optimizer), style="dim"))
    return notes
