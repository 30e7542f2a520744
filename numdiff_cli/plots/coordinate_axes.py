"""Axes whose two directions are both coordinates of f (a map of x0 against x1): one unit is the
same length across and up, so that circles stay circles and a gradient meets its contour at a
right angle, as it does in the maths."""

from __future__ import annotations

from typing import Any

# Boxes whose sides differ by more than this factor keep the figure's own shape: drawn at equal
# scale, they would be a thin strip with nothing readable in it.
MOST_STRETCHED = 4.0


def coordinate_box(ax: Any, box: tuple[tuple[float, float], tuple[float, float]], variables: tuple[str, ...]) -> bool:
    """Show ``box`` ((x_low, x_high), (y_low, y_high)) on ``ax``, its axes named by ``variables``;
    one unit is as long across as up wherever the sides differ by at most :data:`MOST_STRETCHED`
    (the box stays exactly as given; the panel shrinks to fit). Returns whether it is so."""
    (x_low, x_high), (y_low, y_high) = box
    ax.set_xlim(x_low, x_high)
    ax.set_ylim(y_low, y_high)
    ax.set_xlabel(variables[0])
    ax.set_ylabel(variables[1])
    equal = 1 / MOST_STRETCHED <= (y_high - y_low) / (x_high - x_low) <= MOST_STRETCHED
    if equal:
        ax.set_aspect("equal", adjustable="box")
    return equal
