"""The arithmetic of one descent step, on numpy arrays or on Python floats.

A step of plain gradient descent on a function of two variables is a handful of additions
and multiplications: numpy pays about a microsecond for each operation on an array that
small, a Python float a few tens of nanoseconds. So for plain gradient descent (``sgd``) on up
to :data:`FLOAT_VARIABLES` variables the loop holds x and the gradient as lists of floats;
otherwise, or for the optimizers with state, as arrays.

Both give the same numbers to the last bit: the compiled f and gradient are the same numpy
code, called with floats instead of arrays (numpy's functions round a scalar as they round an
array's element), and each update is the same IEEE operation, x - lr·g, element by element.
Where a float operation raises instead of giving inf or nan (a Python float's ``**``
overflowing), the step is evaluated on arrays, as the numpy loop would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from numdiff_cli import optimizers
from numdiff_cli.objective import Objective

FLOAT_VARIABLES = 4  # learned variables up to which plain gradient descent loops on Python floats

Vector = Any  # an np.ndarray, or a list of floats in the float loop
Evaluate = Callable[[Vector], tuple[float, Vector]]


@dataclass(frozen=True)
class Arithmetic:
    """How a loop evaluates f and the driving gradient at x (``evaluate``), takes a step
    (``advance(x, g)``, the new x), and squares a gradient's norm (``squared``)."""

    evaluate: Evaluate
    advance: Callable[[Vector, Vector], Vector]
    squared: Callable[[Vector], float]
    start: Callable[[np.ndarray], Vector]
    floats: bool


def choose(
    objective: Objective, gradient: str, h: float, optimizer: str, lr: float, update: optimizers.Step, ascent: bool
) -> Arithmetic:
    """Float arithmetic for plain gradient descent on a few variables, array arithmetic otherwise."""
    arrays = evaluator(objective, gradient, h)
    if optimizer != "sgd" or len(objective.variables) > FLOAT_VARIABLES:
        def advance(x: np.ndarray, g: np.ndarray) -> np.ndarray:
            return x - update(-g if ascent else g)

        return Arithmetic(arrays, advance, lambda g: g @ g, lambda x: x, floats=False)

    # The array loop's x - lr·(-g) for ascent, x - lr·g for descent, one element at a time.
    def descend(x: Sequence[float], g: Sequence[float]) -> list[float]:
        return [xi - lr * gi for xi, gi in zip(x, g)]

    def ascend(x: Sequence[float], g: Sequence[float]) -> list[float]:
        return [xi - lr * -gi for xi, gi in zip(x, g)]

    def squared(g: Sequence[float]) -> float:
        return sum([gi * gi for gi in g])

    on_floats = objective.exact_floats if gradient == "analytic" else _numeric_floats(objective, h, arrays)
    return Arithmetic(on_floats, ascend if ascent else descend, squared, np.ndarray.tolist, floats=True)


def evaluator(objective: Objective, gradient: str, h: float) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
    """x -> (f(x), gradient) on arrays, for the analytic or the numeric gradient."""
    return objective.exact if gradient == "analytic" else objective.numeric(h)


def _numeric_floats(objective: Objective, h: float, arrays: Evaluate) -> Evaluate:
    """The lecture's central differences, (f(x + h e_i) - f(x - h e_i)) / 2h, on floats.

    The array version evaluates f at x + offsets, whose zero offsets are +0.0 in the rows of
    x and x + h e_i and -0.0 in the rows of x - h e_i: the same sums here, so that even a
    coordinate of -0.0 reaches f as it does there.
    """
    value, n, two_h = objective.value_of_floats, len(objective.variables), 2 * h

    def evaluate(x: list[float]) -> tuple[float, Vector]:
        try:
            plus = [v + 0.0 for v in x]
            f = value(*plus)
            g = []
            for i in range(n):
                xi = x[i]
                plus[i] = xi + h
                up = value(*plus)
                plus[i] = xi + 0.0
                minus = list(x)
                minus[i] = xi - h
                g.append((up - value(*minus)) / two_h)
        except (ArithmeticError, TypeError, ValueError):  # a float's ** overflowing, say: as on arrays
            return arrays(np.array(x))
        return f, g

    return evaluate
