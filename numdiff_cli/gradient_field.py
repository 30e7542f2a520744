"""−∇f over a box of two variables, and f there: the data of ``grad --plot``.

Each arrow is the numerical gradient at its own grid point, one variable moved by h at a time
while every other coordinate stays at that point's value. (Differentiating the flattened grid
as one long vector, as a well-known textbook script does, moves every grid point at once: it
gives ∂f/∂x0 + ∂f/∂x1-like mixtures and is right only for a separable f such as x0² + x1².)
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy as sp

from numdiff_cli import finite, symbolic
from numdiff_cli.errors import ParseError, UsageError
from numdiff_cli.methods import method as find_method
from numdiff_cli.points import parse_constant, split_top_level
from numdiff_cli.problem import Problem
from numdiff_cli.results.field import GradientField

ARROWS = 17  # arrows per side: odd, so that the middle one stands on the point of a default box
CONTOUR = 121  # values of f per side for the contour lines

Box = tuple[tuple[float, float], tuple[float, float]]
BoxLike = str | Sequence[Sequence[float]] | Sequence[float] | None


def gradient_field(problem: Problem, *, box: BoxLike = None, method: str = "central", h: finite.Step = None) -> GradientField:
    """f and −∇f over ``box`` in the first two variables of ``problem.wrt``, the others held at the point.

    ``box`` is ``"LO:HI"`` (both variables), ``"XLO:XHI,YLO:YHI"`` or pairs of numbers; by
    default a square centred on the point, as far out on each side as the point is from the
    origin (at least 1, rounded up to 1, 2, 2.5 or 5 times a power of ten), so the origin is
    always in it.

    Raises
    ------
    UsageError
        For fewer than two variables, or a box that is not LO < HI, finite, for each variable.
    """
    if len(problem.wrt) < 2:
        raise UsageError(
            "{field} draws the gradient field of a function of two or more variables; for one variable, "
            "diff --plot draws f and its tangent", parameter="field",
        )
    point = problem.points[0]
    drawn = problem.wrt[:2]
    centre = [point[v] for v in drawn]
    (x_low, x_high), (y_low, y_high) = parse_box(box, centre)
    fine = np.linspace(x_low, x_high, CONTOUR), np.linspace(y_low, y_high, CONTOUR)
    coarse = np.linspace(x_low, x_high, ARROWS), np.linspace(y_low, y_high, ARROWS)
    with np.errstate(all="ignore"):
        values = _on_grid(problem.function(), problem, drawn, *fine)
        numeric = _numeric_arrows(problem, drawn, *coarse, method, h)
        exact = tuple(-_on_grid(_compiled(problem.derivative(v), problem), problem, drawn, *coarse) for v in drawn)
    return GradientField(
        variables=(drawn[0].name, drawn[1].name),
        held={v.name: value for v, value in point.items() if v not in drawn},
        box=((x_low, x_high), (y_low, y_high)),
        x=tuple(fine[0].tolist()), y=tuple(fine[1].tolist()), values=_grid(values),
        arrow_x=tuple(coarse[0].tolist()), arrow_y=tuple(coarse[1].tolist()),
        arrows_numeric=(_grid(numeric[0]), _grid(numeric[1])), arrows_exact=(_grid(exact[0]), _grid(exact[1])),
        method=method,
    )


def parse_box(box: BoxLike, centre: Sequence[float]) -> Box:
    """The box of ``box`` (see :func:`gradient_field`), or the default one around ``centre``.

    Raises
    ------
    UsageError
        Naming ``box``, for anything but two ranges LO < HI of finite numbers (one stands for both).
    """
    if box is None:
        reach = _round_up(max(1.0, math.hypot(*centre)))
        return tuple((c - reach, c + reach) for c in centre)  # type: ignore[return-value]
    try:
        ranges = [part.split(":") for part in split_top_level(box)] if isinstance(box, str) else list(box)
        if ranges and not isinstance(ranges[0], (str, Sequence)):  # (LO, HI) given as numbers
            ranges = [ranges]
        ranges = ranges * 2 if len(ranges) == 1 else ranges
        if len(ranges) != 2 or any(len(r) != 2 for r in ranges):
            raise ValueError
        limits = [tuple(_number(v) for v in r) for r in ranges]
    except (TypeError, ValueError, ParseError):
        raise UsageError(
            "{box} takes LO:HI for both variables or XLO:XHI,YLO:YHI, not {value!r}", parameter="box", value=box
        ) from None
    for (low, high), c in zip(limits, centre):
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise UsageError("{box} needs LO < HI, finite, not {low:g}:{high:g}", parameter="box", low=low, high=high)
        # a grid of distinct, finite doubles: not wider than a double holds, not finer than their spacing
        if not math.isfinite(high - low) or high - low < 1e3 * np.spacing(max(abs(low), abs(high))):
            raise UsageError("{box} {low:g}:{high:g} is too wide or too narrow for a grid of doubles",
                             parameter="box", low=low, high=high)
        if not low <= c <= high:  # the picture is of the point: it must be in it
            raise UsageError("{box} {low:g}:{high:g} leaves out the point ({value:g} there), which the picture marks",
                             parameter="box", low=low, high=high, value=c)
    return tuple(limits)  # type: ignore[return-value]


def _round_up(value: float) -> float:
    """The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least ``value`` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value * (1 - 1e-12))


def _number(value: object) -> float:
    """A bound: a number, or a constant as text (``-pi``)."""
    return float(parse_constant(value)) if isinstance(value, str) else float(value)  # type: ignore[arg-type]


def _compiled(expr: sp.Expr, problem: Problem) -> symbolic.Function:
    return symbolic.compile_function(expr, problem.variables)


def _points(problem: Problem, drawn: Sequence[sp.Symbol], xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
    """Every grid point as a full point of ``problem``, shape (len(ys), len(xs), n): the two drawn
    coordinates from the grid, the others from the problem's point."""
    grid_x, grid_y = np.meshgrid(xs, ys)
    full = np.broadcast_to(np.array([problem.points[0][v] for v in problem.variables]), (*grid_x.shape, len(problem.variables))).copy()
    full[..., problem.variables.index(drawn[0])] = grid_x
    full[..., problem.variables.index(drawn[1])] = grid_y
    return full


def _on_grid(function: symbolic.Function, problem: Problem, drawn: Sequence[sp.Symbol], xs: np.ndarray,
             ys: np.ndarray) -> np.ndarray:
    """``function`` of all variables at every grid point; nan where it is undefined or not finite."""
    values = finite.evaluate(function, _points(problem, drawn, xs, ys))
    return np.where(np.isfinite(values), values, np.nan)


def _numeric_arrows(problem: Problem, drawn: Sequence[sp.Symbol], xs: np.ndarray, ys: np.ndarray, method: str,
                    h: finite.Step) -> tuple[np.ndarray, np.ndarray]:
    """−∂f/∂x and −∂f/∂y at every grid point by ``method``, each point differentiated on its own."""
    chosen = find_method(method)
    points = _points(problem, drawn, xs, ys).reshape(-1, len(problem.variables))
    arrows = []
    for v in drawn:
        direction = np.zeros_like(points)
        direction[:, problem.variables.index(v)] = 1.0
        estimates = chosen.estimate(problem.function(), points, direction, 1, chosen.step(1, points, h))
        arrows.append(-np.array([e.value for e in estimates]).reshape(len(ys), len(xs)))
    return arrows[0], arrows[1]


def _grid(values: np.ndarray) -> tuple[tuple[float, ...], ...]:
    return tuple(tuple(row) for row in np.where(np.isfinite(values), values, np.nan).tolist())
