"""The geometry of the tangent-and-secants picture: f on a grid around the point, and where
each secant meets f. Slopes are taken from the results the tables show, never computed again.

A forward difference at step h is the slope of the chord from (x, f(x)) to (x+h, f(x+h)); a
central one the chord from (x-h, f(x-h)) to (x+h, f(x+h)): both are drawn as those chords.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from numdiff_cli.errors import UsageError
from numdiff_cli.problem import Problem
from numdiff_cli.results.diff import DiffResult, SweepResult
from numdiff_cli.results.secants import Secant, SecantPicture

DRAWN = ("forward", "central")  # the secants the picture shows
OFFSETS = {"forward": (0, 1), "central": (-1, 1)}  # where each evaluates f, in steps h from x
SAMPLES = 401
Curve = Callable[[np.ndarray], np.ndarray]  # f of the differentiation variable, NaN outside its domain
# The animation's steps: from the point's scale down to 1e-16, two a decade (33 frames).
ANIMATION_POWERS = tuple(-k / 2 for k in range(33))


def animation_steps(problem: Problem) -> tuple[float, ...]:
    """The steps of the animation at ``problem``'s point, largest first: scale·10^0 .. scale·10^-16,
    with scale = max(1, |x|) as for the step that balances the errors."""
    scale = max(1.0, abs(problem.points[0][problem.wrt[0]]))
    return tuple(scale * 10.0**p for p in ANIMATION_POWERS)


def picture(problem: Problem, result: DiffResult, sweep: SweepResult | None = None) -> SecantPicture:
    """The picture of ``result`` (one point, first derivative, with forward and central rows),
    and, with ``sweep``, one frame of secants per step of the sweep.

    Raises
    ------
    UsageError
        Naming ``plot``, for several points or a derivative of order above 1.
    """
    if len(result.points) != 1 or result.order != 1:
        raise UsageError("{parameter} draws the tangent and secants of a first derivative at one point",
                         parameter="plot")
    point = result.points[0]
    x = point.at[result.variable]
    f = _along(problem)
    rows = {row.method: row for row in point.numeric if row.method in DRAWN}
    steps = [row.h for row in rows.values() if row.h] + ([sweep.steps[0]] if sweep else [])
    half = max([1.5 * h for h in steps] + [0.5 * max(1.0, abs(x))])
    grid = np.linspace(x - half, x + half, SAMPLES)
    secants = tuple(_secant(f, x, m, row.h, row.value, row.abs_error) for m, row in rows.items() if row.h)
    frames = ()
    if sweep is not None:
        columns = [c for c in sweep.columns if c.method in DRAWN]
        frames = tuple(
            tuple(_secant(f, x, c.method, h, c.values[i], c.abs_errors[i]) for c in columns)
            for i, h in enumerate(sweep.steps)
        )
    return SecantPicture(
        diff=result,
        x=x,
        value=float(problem.values[0][0]),
        slope=point.analytic,
        curve_x=tuple(grid.tolist()),
        curve_y=tuple(_defined(f(grid))),
        secants=secants,
        sweep=sweep,
        frames=frames,
    )


def _along(problem: Problem) -> Curve:
    """f as a function of the differentiation variable alone, the others held at the point."""
    function, variable, point = problem.function(), problem.wrt[0], problem.points[0]

    def f(xs: np.ndarray) -> np.ndarray:
        coordinates = [xs if v == variable else np.full_like(xs, point[v]) for v in problem.variables]
        with np.errstate(all="ignore"):  # outside f's domain: nan, left out of the picture
            return np.asarray(function(*coordinates), dtype=float) * np.ones_like(xs)

    return f


def _defined(values: np.ndarray) -> list[float | None]:
    return [float(v) if math.isfinite(v) else None for v in values]


def _secant(f: Curve, x: float, method: str, h: float, slope: float | None, error: float | None) -> Secant:
    xs = np.array([x + k * h for k in OFFSETS[method]])
    return Secant(method=method, h=h, slope=slope, error=error, points=tuple(zip(xs.tolist(), _defined(f(xs)))))
