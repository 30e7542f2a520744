"""The rows of a streamed descent, a batch of steps at a time.

A streamed run (``descend --json``) shows both gradients at every step, though only one drives
it. The other is computed here for a whole batch of steps just before their rows are written,
not at each step: the lecture's central differences for B steps are one call of the compiled f
on the B·(2n + 1) points x ± h e_i, instead of B calls on 2n + 1 points. numpy's functions round
an element alike in an array of any length or stride, and the sums and differences are the same
IEEE operations element by element, so each row holds, to the last bit, what the per-step
evaluator (:meth:`Objective.numeric`) gives.

The exact gradient is still evaluated step by step, with Python floats, as the loop evaluates it
(:meth:`Objective.exact_floats`): on arrays the same code would round differently now and then
(``a**2`` is ``a*a`` on an array, the C library's ``pow`` on a float: about one square in 1,200
and one cube in 36 differ in the last bit). Only the gathering is shared.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numdiff_cli.objective import Objective
from numdiff_cli.results.descend import RowValues, floats

BATCH = 512  # steps gathered before their other gradient is computed and their rows written

Vector = Any  # an np.ndarray, or a list of floats in the float loop
Step = tuple[int, Vector, Vector, float, Vector]  # k, x, the previous x, f, the gradient that drove the step
Others = Callable[[np.ndarray], Sequence[Any]]  # the points of B steps, (B, n) -> B other gradients


def row_values(gradient: str, step: Step, other: Vector | None) -> RowValues:
    """A trace row's values (see :data:`RowValues`) from a step of a run driven by the ``gradient``
    (``"analytic"`` or ``"numeric"``) and ``other``, the gradient that did not drive it (None
    where the rows do not show it). Call within ``np.errstate``: a diverging run overflows here
    too, and inf is its answer."""
    k, x, previous, f, g = step
    if gradient == "analytic":
        driving = exact = floats(g)
        numeric = other
    else:
        driving = numeric = g
        exact = None if other is None else floats(other)
    # math.dist(x, previous) is math.hypot of the differences, computed the same way.
    return k, x, f, driving, exact, numeric, math.hypot(*driving), math.dist(x, previous) if k else None


def others(objective: Objective, gradient: str, h: float, shown: bool) -> Others:
    """The gradient that does not drive a run driven by ``gradient``, at the (B, n) points of a batch
    of steps: the central differences with step ``h`` at once, the exact one step by step; Nones
    where the rows do not show it (not ``shown``)."""
    if not shown:
        return lambda points: [None] * len(points)
    if gradient == "numeric":
        exact = objective.exact_floats
        # tolist: Python floats, as the loops hand them to exact_floats (numpy's would round ** as arrays do).
        return lambda points: [exact(x)[1] for x in points.tolist()]
    return central_differences(objective, h)


def central_differences(objective: Objective, h: float) -> Others:
    """(B, n) points -> their lecture's central-difference gradients, (f(x + h e_i) - f(x - h e_i)) / 2h,
    B lists of n floats, equal to the last bit to :meth:`Objective.numeric` at each point (the
    same offsets, +0.0 and -0.0 where that adds them, so a coordinate of -0.0 reaches f alike)."""
    n = len(objective.variables)
    eye = np.eye(n) * h
    offsets = np.vstack([np.zeros(n), eye, -eye])  # x, x + h e_i, x - h e_i
    value, two_h, one_at_a_time = objective.value, 2 * h, objective.numeric(h)

    def gradients(points: np.ndarray) -> list[list[float]]:
        around = (points[:, None, :] + offsets).reshape(-1, n)
        try:
            values = np.asarray(value(*around.T), dtype=float).reshape(len(points), 2 * n + 1)
        except (ArithmeticError, TypeError, ValueError):  # as the per-step evaluator has it, nan
            return [one_at_a_time(x)[1].tolist() for x in points]
        return ((values[:, 1 : n + 1] - values[:, n + 1 :]) / two_h).tolist()

    return gradients


class Batches:
    """The steps of a streamed run gathered :data:`BATCH` at a time; ``flush`` computes their other
    gradient at once and hands their rows to ``write``."""

    def __init__(self, write: Callable[[list[RowValues]], None], gradient: str, other: Others) -> None:
        self.write, self.gradient, self.other = write, gradient, other
        self.steps: list[Step] = []

    def add(self, k: int, x: Vector, previous: Vector, f: float, g: Vector) -> None:
        """Gather a step; write the batch once it is full."""
        self.steps.append((k, x, previous, f, g))
        if len(self.steps) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the steps gathered so far (a run cut short writes them before it stops)."""
        steps, self.steps = self.steps, []
        if not steps:
            return
        with np.errstate(all="ignore"):
            other = self.other(np.array([step[1] for step in steps], dtype=float))
            gradient = self.gradient
            self.write([row_values(gradient, step, g) for step, g in zip(steps, other)])
