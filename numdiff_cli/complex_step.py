"""The complex-step derivative: f'(x) = Im f(x + ih) / h, with no subtraction to cancel.

For a function that is complex-analytic, f(x + ih) = f(x) + ih f'(x) - h² f''(x)/2 + ...,
so the imaginary part divided by h is f'(x) with an error of order h²; with h = 1e-200 that
error is far below rounding, and no two nearby values are subtracted. Higher derivatives come
from values on a circle around x in the complex plane (:mod:`numdiff_cli.contour`), again with
no cancellation. Either way only where the expression is complex-analytic (not abs, floor, max).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numdiff_cli.contour import contour_derivatives
from numdiff_cli.finite import Estimate, NumericFunction, Step, evaluate, ulp_floor

STEP = 1e-200
CHECK_STEP = 1e-100  # a second step whose answer must agree, for the error estimate


@dataclass(frozen=True)
class ComplexStepMethod:
    name: str = "complex-step"
    summary: str = "Im f(x + ih) / h with h = 1e-200, higher orders on a circle around x: no cancellation (analytic f)"

    def step(self, order: int, x: np.ndarray, h: Step, dtype: type = np.float64) -> np.ndarray:
        """The method's own step (the tiny h, or for higher orders a radius it chooses); ``h`` is ignored."""
        return np.full(np.shape(x)[:-1], STEP if order == 1 else np.nan)

    def estimate(
        self,
        f: NumericFunction,
        x: np.ndarray,
        directions: np.ndarray,
        order: int,
        h: np.ndarray,
        dtype: type = np.float64,
    ) -> list[Estimate]:
        """Derivatives at ``x`` (shape (m, n)) along ``directions``, in one call of ``f``.

        For ``order`` 1 the complex step, its estimate the disagreement with a second step; above,
        the contour derivative, whose Estimate's ``h`` is the radius of the circle it came from.
        Callers check ``symbolic.complex_step_obstacle`` first.
        """
        if order > 1:
            values, errors, radii = contour_derivatives(f, x, directions, order)
            return [Estimate(float(v), float(r), float(e)) for v, e, r in zip(values, errors, radii)]
        steps = np.array([STEP, CHECK_STEP])
        derivatives = complex_values(f, x, directions, steps).imag / steps[:, None]
        value, check = derivatives
        error = np.maximum(np.abs(value - check), ulp_floor(value))
        return [Estimate(float(v), STEP, float(e)) for v, e in zip(value, error)]


def complex_values(f: NumericFunction, x: np.ndarray, directions: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """f(x + i·h·direction) for each step h of ``steps`` and row of ``x`` (shape (m, n)): shape (len(steps), m)."""
    return evaluate(f, x[None].astype(complex) + 1j * steps[:, None, None] * directions[None])
