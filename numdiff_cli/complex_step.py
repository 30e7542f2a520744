"""The complex-step derivative: f'(x) = Im f(x + ih) / h, with no subtraction to cancel.

For a function that is complex-analytic, f(x + ih) = f(x) + ih f'(x) - h² f''(x)/2 + ...,
so the imaginary part divided by h is f'(x) with an error of order h²; with h = 1e-200 that
error is far below rounding, and no two nearby values are subtracted. It gives first
derivatives only, and only where the expression is complex-analytic (not abs, floor, max).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numdiff_cli.finite import Estimate, NumericFunction, Step, evaluate

STEP = 1e-200
CHECK_STEP = 1e-100  # a second step whose answer must agree, for the error estimate


@dataclass(frozen=True)
class ComplexStepMethod:
    name: str = "complex-step"
    summary: str = "Im f(x + ih) / h with h = 1e-200: no cancellation (first derivatives, analytic f)"

    def step(self, order: int, x: np.ndarray, h: Step, dtype: type = np.float64) -> np.ndarray:
        """Always the method's own tiny step; ``h`` is ignored."""
        return np.full(np.shape(x)[:-1], STEP)

    def estimate(
        self,
        f: NumericFunction,
        x: np.ndarray,
        directions: np.ndarray,
        order: int,
        h: np.ndarray,
        dtype: type = np.float64,
    ) -> list[Estimate]:
        """First derivatives at ``x`` (shape (m, n)) along ``directions``, in one call of ``f``.

        Raises
        ------
        ValueError
            For an order other than 1 (callers check :func:`obstacle` first).
        """
        if order != 1:
            raise ValueError("the complex step gives first derivatives only")
        steps = np.array([STEP, CHECK_STEP])
        derivatives = complex_values(f, x, directions, steps).imag / steps[:, None]
        value, check = derivatives
        error = np.maximum(np.abs(value - check), 4 * np.finfo(float).eps * np.abs(value))
        return [Estimate(float(v), STEP, float(e)) for v, e in zip(value, error)]


def complex_values(f: NumericFunction, x: np.ndarray, directions: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """f(x + i·h·direction) for each step h of ``steps`` and row of ``x`` (shape (m, n)): shape (len(steps), m)."""
    return evaluate(f, x[None].astype(complex) + 1j * steps[:, None, None] * directions[None])
