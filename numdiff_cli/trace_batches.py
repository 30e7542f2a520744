"""The rows of a descent's trace, a batch of steps at a time: a streamed run's :data:`BATCH`, a
table's one step (so that a row holds the same numbers whether the run is streamed or shown).

A streamed run (``descend --json``) shows both gradients at every step, though only one drives
it. The other is computed here for a whole batch of steps just before their rows are written,
not at each step: the lecture's central differences for B steps are one call of the compiled f
on the B·(2n + 1) points x ± h e_i, instead of B calls on 2n + 1 points. numpy's functions round
an element alike in an array of any length or stride, and the sums and differences are the same
IEEE operations element by element, so each row holds, to the last bit, what the per-step
evaluator (:meth:`Objective.numeric`) gives.

The exact gradient of a numerically driven run is likewise one call of its compiled formulas
on the batch's points. On arrays a power rounds as numpy rounds it (``a**2`` is ``a*a``), where
the loop's Python floats take the C library's ``pow``, which differs in the last bit now and
then: so the table's rows take this gradient from here too. Where a formula overflows,
divides by zero or is undefined on the way, that point's gradient is the one the float loop of an
analytically driven run takes (:meth:`Objective.exact_floats`): a Python float's ``**`` raises
there, where an array's would give an inf whose reciprocal is a silent 0.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from numdiff_cli.objective import Objective
from numdiff_cli.results.descend import RowValues

BATCH = 512  # steps gathered before their other gradient is computed and their rows written

Vector = Any  # an np.ndarray, or a list of floats in the float loop
Step = tuple[int, Vector, Vector, float, Vector]  # k, x, the previous x, f, the gradient that drove the step
Others = Callable[[np.ndarray], Sequence[Any]]  # the points of B steps, (B, n) -> B other gradients


def rows(gradient: str, steps: Sequence[Step], others: Sequence[Vector | None]) -> list[RowValues]:
    """The trace rows' values (see :data:`RowValues`) of steps of a run driven by the ``gradient``
    (``"analytic"`` or ``"numeric"``), ``others[i]`` the gradient that did not drive step i (None
    where the rows do not show it). Call within ``np.errstate``: a diverging run overflows here
    too, and inf is its answer."""
    hypot, dist = math.hypot, math.dist
    driving = [step[4] for step in steps]
    analytic, numeric = (driving, others) if gradient == "analytic" else (others, driving)
    # One comprehension for the whole batch: a streamed run makes a row at every step.
    # math.dist(x, previous) is math.hypot of the differences, computed the same way.
    return [
        {
            "step": k, "x": x, "f": f, "grad": g, "grad_analytic": exact, "grad_numeric": central,
            "grad_norm": hypot(*g), "step_length": dist(x, previous) if k else None,
        }
        for (k, x, previous, f, g), exact, central in zip(steps, analytic, numeric)
    ]


def others(objective: Objective, gradient: str, h: float, shown: bool) -> Others:
    """The gradient that does not drive a run driven by ``gradient``, at the (B, n) points of a batch
    of steps: the central differences with step ``h``, or the exact gradient; Nones where the rows do
    not show it (not ``shown``)."""
    if not shown:
        return lambda points: [None] * len(points)
    return exact_gradients(objective) if gradient == "numeric" else central_differences(objective, h)


def exact_gradients(objective: Objective) -> Others:
    """(B, n) points -> their exact gradients, B lists of n floats: the compiled formulas on the
    batch's points at once, each point's as it is alone. A point where any value on the way
    overflows, divides by zero or is undefined has the gradient :meth:`Objective.exact_floats` gives
    (nan where f has no real gradient; the exact value where a formula is 0/0 though f is smooth)."""
    both, one_at_a_time = objective.value_and_gradient, objective.exact_floats

    def gradients(points: np.ndarray) -> list[list[float]]:
        try:
            with np.errstate(over="raise", divide="raise", invalid="raise"):
                # A constant partial comes back as one number: as wide as the batch, as floats.
                values = np.broadcast_arrays(points[:, 0], *both(*points.T)[1:])[1:]
            return np.stack(values, axis=-1).astype(float).tolist()
        except (ArithmeticError, TypeError, ValueError):  # FloatingPointError is an ArithmeticError
            if len(points) == 1:
                return [list(one_at_a_time(points[0].tolist())[1])]
            return [g for x in points for g in gradients(x[None])]  # the points that do not raise alone

    return gradients


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

    def add(self, step: Step) -> None:
        """Gather a step; write the batch once it is full."""
        self.steps.append(step)
        if len(self.steps) >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the steps gathered so far (a run cut short writes them before it stops)."""
        steps, self.steps = self.steps, []
        if not steps:
            return
        with np.errstate(all="ignore"):
            self.write(rows(self.gradient, steps, self.other(_points([step[1] for step in steps]))))


def _points(xs: list[Vector]) -> np.ndarray:
    """The (B, n) array of B iterates, each a list of floats (the float loop's) or an array."""
    if isinstance(xs[0], list):  # read as one stream of floats: twice as fast as from B small lists
        return np.fromiter(itertools.chain.from_iterable(xs), float, count=len(xs) * len(xs[0])).reshape(len(xs), -1)
    return np.array(xs, dtype=float)
