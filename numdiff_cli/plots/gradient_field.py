"""The picture of ``grad --plot``: contour lines of f, the field of −∇f as arrows, and −∇f at the
point highlighted, over the box the result's field holds (two variables; any others held).

Arrow lengths follow ‖∇f‖ up to the 90th percentile of the field; longer arrows are shortened
to that length (keeping their direction), so one steep corner cannot shrink every other arrow
to a dot. Directions are exact: arrows are drawn in data coordinates (``angles="xy"``).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np

from numdiff_cli.errors import UsageError
from numdiff_cli.plots import textplot
from numdiff_cli.plots.coordinate_axes import coordinate_box
from numdiff_cli.plots.libraries import pyplot
from numdiff_cli.results import number

if TYPE_CHECKING:
    from numdiff_cli.results.field import GradientField
    from numdiff_cli.results.grad import GradResult

LONGEST = 0.9  # the longest arrow, as a share of the distance between two arrows
CAP = 90  # percentile of ‖∇f‖ above which an arrow is shortened
LEVELS = 14  # contour lines
HIGHLIGHT = 2.0  # the arrow at the point, in distances between two arrows
FIELD_GREY, POINT_RED = "0.35", "crimson"


def contour_levels(values: np.ndarray, count: int = LEVELS) -> np.ndarray:
    """Levels at evenly spaced quantiles of the defined values of f, so lines spread over the box
    whether f is a gentle bowl or grows like exp."""
    defined = values[np.isfinite(values)]
    if defined.size == 0:
        return np.array([])
    levels = np.unique(np.quantile(defined, np.linspace(0.02, 0.98, count)))
    return levels if levels.size >= 2 else np.array([])


def scaled(u: np.ndarray, v: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray, float]:
    """The arrows (u, v) as drawn, in data units, and the factor from ‖∇f‖ to length below the cap.

    ``spacing`` is the distance between two arrows: the longest drawn is ``LONGEST`` of it."""
    length = np.hypot(u, v)
    positive = length[np.isfinite(length) & (length > 0)]
    cap = float(np.percentile(positive, CAP)) if positive.size else 1.0
    factor = LONGEST * spacing / cap
    with np.errstate(all="ignore"):
        shrink = np.where(length > cap, cap / length, 1.0)
    return u * factor * shrink, v * factor * shrink, factor


def _field(result: GradResult) -> GradientField:
    if result.field is None:
        raise UsageError("{parameter} needs the gradient field: ask for it with field=True", parameter="plot")
    return result.field


def point_arrow(result: GradResult) -> tuple[tuple[float, float], tuple[float, float]]:
    """The point in the two drawn variables and −∇f there (its components in them, numeric)."""
    field = _field(result)
    index = [p.variable for p in result.partials]
    point = tuple(result.at[name] for name in field.variables)
    gradient = tuple(-result.partials[index.index(name)].numeric for name in field.variables)
    return point, gradient  # type: ignore[return-value]


def title(result: GradResult) -> str:
    field = _field(result)
    held = ", ".join(f"{name} = {number(value)}" for name, value in field.held.items())
    drawn = " and ".join(field.variables)
    return f"−∇f and contour lines of f = {result.expression}" + (f"\n{drawn} drawn, {held} held fixed" if held else "")


def figure(result: GradResult) -> Any:
    """The matplotlib Figure: contours (gid ``contours``), the field (``field``), the point
    (``point``) and −∇f there (``gradient at the point``)."""
    field = _field(result)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.6, 6.4), layout="constrained")
    values = np.array(field.values, dtype=float)
    levels = contour_levels(values)
    if levels.size:
        lines = ax.contour(field.x, field.y, values, levels=levels, cmap="viridis", linewidths=1.1)
        lines.set_gid("contours")
        fig.colorbar(lines, ax=ax, label="f", shrink=0.85)
    spacing = min(field.arrow_x[1] - field.arrow_x[0], field.arrow_y[1] - field.arrow_y[0])
    u, v, _ = scaled(np.array(field.arrows_numeric[0]), np.array(field.arrows_numeric[1]), spacing)
    grid_x, grid_y = np.meshgrid(field.arrow_x, field.arrow_y)
    ax.quiver(grid_x, grid_y, u, v, angles="xy", scale_units="xy", scale=1, color=FIELD_GREY, width=0.0035,
              gid="field", label="−∇f (numerical, per grid point)")
    (px, py), (gx, gy) = point_arrow(result)
    length = math.hypot(gx, gy)
    reach = HIGHLIGHT * spacing / length if length else 0.0  # its direction, drawn long enough to see
    ax.quiver([px], [py], [gx * reach], [gy * reach], angles="xy", scale_units="xy", scale=1, color=POINT_RED,
              width=0.008, zorder=4, gid="gradient at the point", clip_on=False,
              label=f"−∇f at the point = ({gx:.4g}, {gy:.4g}), its direction")
    ax.plot([px], [py], "o", color=POINT_RED, ms=7, mec="white", zorder=5, gid="point", clip_on=False,
            label=f"the point ({number(px)}, {number(py)})")
    coordinate_box(ax, field.box, field.variables)
    ax.set_title(title(result), fontsize=11)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), ncols=2, fontsize=8.5, frameon=False)
    fig.text(0.01, 0.0, f"arrow length ∝ ‖∇f‖ up to its {CAP}th percentile in the box; longer arrows shortened",
             fontsize=7.5, color="0.4", va="bottom")
    return fig


def terminal(result: GradResult, columns: int, *, coloured: bool) -> str:
    """The picture in text, ``columns`` wide: contour crossings as dots, arrows as short lines with
    a head, the point and its −∇f marked; the key below."""
    field = _field(result)
    fig = textplot.new_figure(columns)
    fig.legend(False)
    values = np.array(field.values, dtype=float)
    xs, ys = crossings(np.array(field.x), np.array(field.y), values, contour_levels(values, 8))
    if xs:
        fig.draw(fig.signal(xs, ys, marker="·"))
    every = 2  # half the arrows: a terminal cell is coarse
    arrow_x, arrow_y = field.arrow_x[::every], field.arrow_y[::every]
    spacing = min(arrow_x[1] - arrow_x[0], arrow_y[1] - arrow_y[0])
    full_u = np.array(field.arrows_numeric[0])[::every, ::every]
    u, v, _ = scaled(full_u, np.array(field.arrows_numeric[1])[::every, ::every], spacing)
    heads_x, heads_y = [], []
    for i, y in enumerate(arrow_y):
        for j, x in enumerate(arrow_x):
            if np.isfinite(u[i, j]) and np.isfinite(v[i, j]):
                fig.draw(fig.segment([x, x + u[i, j]], [y, y + v[i, j]], marker="braille"))
                heads_x.append(x + u[i, j])
                heads_y.append(y + v[i, j])
    if heads_x:
        fig.draw(fig.signal(heads_x, heads_y, marker="•"))
    (px, py), (gx, gy) = point_arrow(result)
    length = math.hypot(gx, gy)
    if length:
        reach = HIGHLIGHT * spacing / length
        fig.draw(fig.segment([px, px + gx * reach], [py, py + gy * reach], marker="█"))
    fig.draw(fig.signal([px], [py], marker="@"))
    (x_low, x_high), (y_low, y_high) = field.box
    fig.ruler(0).lim(x_low, x_high)
    fig.ruler(1).lim(y_low, y_high)
    fig.title(title(result).replace("\n", "; "))
    fig.label(field.variables[0], 0)
    fig.label(field.variables[1], 1)
    key = ["· contour lines of f", "─• −∇f (length ∝ ‖∇f‖, capped)", f"@ the point ({number(px)}, {number(py)})",
           f"█ −∇f there = ({gx:.4g}, {gy:.4g})"]
    return "\n".join([textplot.text(fig, coloured=coloured), *key_lines(key, columns)])


def crossings(x: np.ndarray, y: np.ndarray, values: np.ndarray, levels: np.ndarray) -> tuple[list[float], list[float]]:
    """Points where f crosses a level between two neighbours of the grid (a contour line, as dots)."""
    xs: list[float] = []
    ys: list[float] = []
    step = max(1, len(x) // 60)  # about 60 samples a side is as fine as a terminal shows
    x, y, values = x[::step], y[::step], values[::step, ::step]
    for level in levels:
        above = values > level
        across = above[:, 1:] != above[:, :-1]  # between columns j and j + 1
        rows, cols = np.nonzero(across & np.isfinite(values[:, 1:]) & np.isfinite(values[:, :-1]))
        xs += ((x[cols] + x[cols + 1]) / 2).tolist()
        ys += y[rows].tolist()
        across = above[1:, :] != above[:-1, :]
        rows, cols = np.nonzero(across & np.isfinite(values[1:, :]) & np.isfinite(values[:-1, :]))
        xs += x[cols].tolist()
        ys += ((y[rows] + y[rows + 1]) / 2).tolist()
    return xs, ys


def key_lines(entries: list[str], columns: int) -> list[str]:
    """A key below a terminal plot: its entries, three spaces apart, in lines of at most ``columns``."""
    lines, line = [], ""
    for entry in entries:
        if line and len(line) + 3 + len(entry) > columns:
            lines.append(line)
            line = entry
        else:
            line = f"{line}   {entry}" if line else entry
    return [*lines, line] if line else lines
