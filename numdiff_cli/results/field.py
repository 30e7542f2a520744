"""The field of −∇f over a box of two variables, and f there: what ``grad --plot`` draws."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numdiff_cli.results import vector_or_none

Grid = tuple[tuple[float, ...], ...]  # rows along the second variable (y), columns along the first (x)


@dataclass(frozen=True)
class GradientField:
    """f on a fine grid (for contour lines) and −∇f on a coarse one (for arrows), over ``box``.

    ``variables`` are the two drawn, x then y; the others are ``held`` at the point's values.
    ``values[i][j]`` is f at (``x[j]``, ``y[i]``), nan where f is undefined. ``arrows_numeric``
    holds −∇f at (``arrow_x[j]``, ``arrow_y[i]``) as ``(u, v)`` grids by ``method``, with the
    partials' step (per grid point, one variable moved at a time: right for any f, separable or not), and
    ``arrows_exact`` the same from the exact partials (nan where they are undefined).
    """

    variables: tuple[str, str]
    box: tuple[tuple[float, float], tuple[float, float]]
    x: tuple[float, ...]
    y: tuple[float, ...]
    values: Grid
    arrow_x: tuple[float, ...]
    arrow_y: tuple[float, ...]
    arrows_numeric: tuple[Grid, Grid]
    arrows_exact: tuple[Grid, Grid]
    method: str
    held: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        def grid(rows: Grid) -> list[list[float | None]]:
            return [vector_or_none(row) for row in rows]

        return {
            "variables": list(self.variables),
            "held": self.held,
            "box": [list(self.box[0]), list(self.box[1])],
            "contour": {"x": list(self.x), "y": list(self.y), "f": grid(self.values)},
            "arrows": {
                "x": list(self.arrow_x),
                "y": list(self.arrow_y),
                "method": self.method,
                "numeric": {"u": grid(self.arrows_numeric[0]), "v": grid(self.arrows_numeric[1])},
                "exact": {"u": grid(self.arrows_exact[0]), "v": grid(self.arrows_exact[1])},
            },
        }


@dataclass(frozen=True)
class Landscape:
    """f over a box around descent paths, for a picture: over ``x`` alone for one variable
    (``values[j]`` at ``x[j]``), else over ``x`` and ``y`` (``values[i][j]`` at ``x[j]``, ``y[i]``);
    nan where f is undefined. ``box`` holds the paths of the runs that did not run away, so a
    diverging path is clipped to it rather than stretching it."""

    variables: tuple[str, ...]
    box: tuple[tuple[float, float], ...]
    x: tuple[float, ...]
    y: tuple[float, ...] | None
    values: tuple[float, ...] | Grid
