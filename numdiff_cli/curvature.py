"""Second derivatives: the exact and numeric Hessian at a point, and what kind of point it is.

Shared by ``grad --hessian`` (the matrix and its verdict) and ``descend`` (learning-rate
advice and the kind of point a run ends on).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import sympy as sp

from numdiff_cli import finite, symbolic
from numdiff_cli.i18n import Message
from numdiff_cli.results.grad import CriticalPoint
from numdiff_cli.second_differences import HessianEstimate, numeric_hessian

GRADIENT_TOLERANCE = 1e-8  # a gradient this small, relative to zero_gradient_scale, counts as zero
EIGENVALUE_TOLERANCE = 1e-8  # an eigenvalue this small (relative to the largest) counts as zero


def zero_gradient_scale(f: float, x: Sequence[float]) -> float:
    """The size a gradient is measured against, (1 + |f|) / (1 + ‖x‖): the slope f would have
    if it changed by its own size over the point's distance from the origin."""
    return (1 + abs(f)) / (1 + math.hypot(*x))


def classify(gradient_norm: float, eigenvalues: Sequence[float], *, scale: float = 1.0) -> CriticalPoint:
    """The second-derivative test: what kind of point has this gradient norm and these eigenvalues.

    The gradient counts as zero at or below ``GRADIENT_TOLERANCE * scale`` (see
    :func:`zero_gradient_scale`). An eigenvalue counts as zero relative to the largest one,
    so the verdict does not depend on the units of f: 1e-12·(x² + y²) has a minimum at 0.
    """
    if not all(math.isfinite(e) for e in eigenvalues):
        return CriticalPoint(
            None,
            Message("a point where the Hessian is not finite (or could not be evaluated in time), "
                    "so the second-derivative test cannot tell"),
        )
    largest = max((abs(e) for e in eigenvalues), default=0.0)
    zero = EIGENVALUE_TOLERANCE * largest
    positive = sum(e > zero for e in eigenvalues)
    negative = sum(e < -zero for e in eigenvalues)
    if negative == 0 and positive == len(eigenvalues):
        shape = Message("positive definite: f curves upward in every direction")
    elif positive == 0 and negative == len(eigenvalues):
        shape = Message("negative definite: f curves downward in every direction")
    elif positive and negative:
        shape = Message("indefinite: f curves upward in some directions and downward in others")
    else:
        shape = Message("singular: f is flat to second order in some direction")
    if gradient_norm > GRADIENT_TOLERANCE * scale:
        return CriticalPoint(None, Message("not a critical point (‖∇f‖ = {norm:.6g}); the Hessian is {shape}",
                                           norm=gradient_norm, shape=shape))
    if shape.startswith("positive"):
        return CriticalPoint("minimum", Message("a local minimum: the gradient is zero and the Hessian is {shape}",
                                                shape=shape))
    if shape.startswith("negative"):
        return CriticalPoint("maximum", Message("a local maximum: the gradient is zero and the Hessian is {shape}",
                                                shape=shape))
    if shape.startswith("indefinite"):
        return CriticalPoint("saddle point", Message("a saddle point: the gradient is zero and the Hessian is {shape}",
                                                     shape=shape))
    return CriticalPoint(
        "degenerate",
        Message("a degenerate critical point: the gradient is zero but the Hessian is {shape}, "
                "so the second-derivative test cannot tell a minimum, maximum or saddle apart", shape=shape),
    )


def exact_hessian(
    gradient: Sequence[sp.Expr], variables: Sequence[sp.Symbol], point: Mapping[sp.Symbol, float]
) -> np.ndarray:
    """The Hessian over ``variables`` at ``point``, from the first derivatives ``gradient``.

    Each entry is exact to 30 digits; one whose formula is 0/0 there takes its limit.

    Raises
    ------
    MathError
        Where an entry is undefined, not real or not finite at the point.
    """
    matrix = symbolic.hessian(gradient, variables)
    n = len(variables)
    # symbolic.hessian differentiated entry (r, c) last in the later of the two variables.
    return np.array([[_second_derivative(matrix[r][c], variables[max(r, c)], point) for c in range(n)] for r in range(n)])


def _second_derivative(entry: sp.Expr, last: sp.Symbol, point: Mapping[sp.Symbol, float]) -> float:
    """The exact value of ``entry``, the derivative whose last step was in ``last``."""
    if entry.is_zero:  # most entries of a large, sparse Hessian: skip the 30-digit evaluation
        return 0.0
    return float(symbolic.exact_value(entry, point, what=Message("the second derivative {f}", f=str(entry)), limit_in=last))


def numeric_hessian_over(
    function: finite.NumericFunction,
    variables: Sequence[sp.Symbol],
    chosen: Sequence[sp.Symbol],
    point: Mapping[sp.Symbol, float],
    *,
    method: str,
    h: finite.Step = None,
) -> HessianEstimate:
    """The numerical Hessian of ``function`` (of ``variables``) over the ``chosen`` ones by
    ``method``, the others held at the point, with an error estimate per entry."""
    index = {v: i for i, v in enumerate(chosen)}

    def restricted(*coordinates: np.ndarray) -> np.ndarray:
        return function(*(coordinates[index[v]] if v in index else point[v] for v in variables))

    return numeric_hessian(restricted, np.array([point[v] for v in chosen]), method=method, h=h)
