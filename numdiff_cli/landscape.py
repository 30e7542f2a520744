"""f on a grid around descent paths, for a picture: the box holds every path that did not run
away, so a diverging run is clipped to it instead of flattening the picture."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from numdiff_cli import finite
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.descend import DescentResult
from numdiff_cli.results.field import Landscape

POINTS_1D = 400  # values of f along one variable
POINTS_2D = 121  # values of f per side over two variables
MARGIN = 0.12  # room around the paths, as a share of the box
RUNAWAY = (RunStatus.DIVERGED, RunStatus.UNBOUNDED)


def around(runs: Sequence[DescentResult], objective: Objective) -> Landscape | None:
    """f over a box around the paths of ``runs`` (which hold their iterates), in one or two
    variables; None for more (a map of f needs the others fixed, and every iterate moves them)."""
    n = len(objective.variables)
    if n > 2:
        return None
    box = path_box(runs)
    axes = [np.linspace(low, high, POINTS_1D if n == 1 else POINTS_2D) for low, high in box]
    grid = np.stack(np.meshgrid(*axes), axis=-1) if n == 2 else axes[0][:, None]
    values = finite.evaluate(objective.value, grid)
    values = np.where(np.isfinite(values), values, np.nan)
    return Landscape(
        variables=objective.variables,
        box=tuple(box),
        x=tuple(axes[0].tolist()),
        y=tuple(axes[1].tolist()) if n == 2 else None,
        values=tuple(values.tolist()) if n == 1 else tuple(tuple(row) for row in values.tolist()),
    )


def path_box(runs: Sequence[DescentResult]) -> list[tuple[float, float]]:
    """The box around the start and the iterates of every run that did not diverge or run off,
    with a margin; each side at least a third of the longest, and never of width 0."""
    kept = [run for run in runs if RunStatus(run.status) not in RUNAWAY and run.iterates is not None]
    points = np.array([runs[0].start, *(x for run in kept for x in run.iterates.x)], dtype=float)
    points = points[np.all(np.isfinite(points), axis=1)]
    low, high = points.min(axis=0), points.max(axis=0)
    longest = float(np.max(high - low))
    if longest == 0:  # only the start, or runs that never moved
        longest = max(1.0, math.hypot(*runs[0].start))
    half = np.maximum(high - low, longest / 3) / 2 * (1 + 2 * MARGIN)
    centre = (low + high) / 2
    return [(float(c - r), float(c + r)) for c, r in zip(centre, half)]
