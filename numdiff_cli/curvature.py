"""Second derivatives: the exact and numeric Hessian at a point, and what kind of point it is.

Shared by ``grad --hessian`` (the matrix and its verdict) and ``descend`` (learning-rate
advice and the kind of point a run ends on).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from numdiff_cli import finite, symbolic
from numdiff_cli.errors import NumdiffError
from numdiff_cli.i18n import Message
from numdiff_cli.results.grad import CriticalPoint
from numdiff_cli.second_differences import HessianEstimate, numeric_hessian

GRADIENT_TOLERANCE = 1e-8  # a gradient this small, relative to zero_gradient_scale, counts as zero
EIGENVALUE_TOLERANCE = 1e-8  # an eigenvalue this small (relative to the largest) counts as zero
# An eigenvalue within this many times the Hessian's change over Newton's step of zero may be 0
# at the critical point itself (see Drift).
KANTOROVICH = 4


@dataclass(frozen=True)
class Drift:
    """How much the Hessian may differ between a point and the critical point it approximates.

    ``step`` is the length of Newton's step -H⁻¹∇f toward where ∇f = 0, ``change`` the 2-norm
    of the Hessian's change over it. Kantorovich's theorem: where ‖H⁻¹‖·L·step ≤ 1/2 (L the
    Hessian's rate of change) a critical point lies within 2·step, and the Hessian stays
    nonsingular on the way. L is measured over one step, not bounded, so allow it twice that:
    over 2·step the Hessian then changes by at most 4·change, and (Weyl) so does each
    eigenvalue. An eigenvalue with |λ| ≤ ``margin`` = 4·change may be 0 or of the other sign at
    the critical point. The bound is sharp: for x³ at any x ≠ 0, |λ| = 2·change exactly; a
    nondegenerate critical point has change → 0 faster than λ as the point closes in on it.
    """

    step: float
    change: float

    @property
    def margin(self) -> float:
        return KANTOROVICH * self.change


def newton_drift(
    x: np.ndarray, gradient: np.ndarray, hessian: np.ndarray, hessian_at: Callable[[np.ndarray], np.ndarray]
) -> Drift:
    """The :class:`Drift` at ``x``, where f has ``gradient`` and ``hessian``; ``hessian_at(point)``
    gives the Hessian elsewhere (it may raise a NumdiffError where f is undefined: the change
    is then infinite).

    Newton's step is taken over the eigen-directions whose eigenvalue is not 0 (relative to
    the largest); it moves x by at least one unit in the last place, since a point known to
    double precision may be that far from the critical point.
    """
    eigenvalues, vectors = np.linalg.eigh(hessian)
    largest = float(np.max(np.abs(eigenvalues), initial=0.0))
    kept = np.abs(eigenvalues) > EIGENVALUE_TOLERANCE * largest
    if not np.any(gradient) or not np.any(kept):
        return Drift(0.0, 0.0)
    along = vectors[:, kept].T @ gradient
    step = -(vectors[:, kept] @ (along / eigenvalues[kept]))
    target = x + step
    if np.array_equal(target, x):  # the step is below the point's rounding: take one ulp its way
        target = np.where(step != 0, np.nextafter(x, x + np.sign(step)), x)
    moved = math.hypot(*(target - x))
    try:
        other = hessian_at(target)
    except NumdiffError:
        return Drift(moved, math.inf)
    change = float(np.linalg.norm(other - hessian, 2)) if np.all(np.isfinite(other)) else math.inf
    return Drift(moved, change)


def zero_gradient_scale(f: float, x: Sequence[float]) -> float:
    """The size a gradient is measured against, (1 + |f|) / (1 + ‖x‖): the slope f would have
    if it changed by its own size over the point's distance from the origin."""
    return (1 + abs(f)) / (1 + math.hypot(*x))


def classify(
    gradient_norm: float, eigenvalues: Sequence[float], *, scale: float = 1.0, drift: Drift | None = None
) -> CriticalPoint:
    """The second-derivative test: what kind of point has this gradient norm and these eigenvalues.

    The gradient counts as zero at or below ``GRADIENT_TOLERANCE * scale`` (see
    :func:`zero_gradient_scale`). An eigenvalue counts as zero relative to the largest one,
    so the verdict does not depend on the units of f: 1e-12·(x² + y²) has a minimum at 0.
    At a point that only approximates the critical point, ``drift`` says how much each
    eigenvalue may differ there: one within ``drift.margin`` of zero has no sign the test can
    trust (x³ near 0 is no maximum), and the point is degenerate unless others of both signs
    make it a saddle whatever that eigenvalue is.
    """
    if not all(math.isfinite(e) for e in eigenvalues):
        return CriticalPoint(
            None,
            Message("a point where the Hessian is not finite (or could not be evaluated in time), "
                    "so the second-derivative test cannot tell"),
        )
    largest = max((abs(e) for e in eigenvalues), default=0.0)
    zero = EIGENVALUE_TOLERANCE * largest
    uncertain = 0.0 if drift is None else drift.margin
    positive = sum(e > max(zero, uncertain) for e in eigenvalues)
    negative = sum(e < -max(zero, uncertain) for e in eigenvalues)
    unsure = [e for e in eigenvalues if zero < abs(e) <= uncertain]
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
    if unsure and drift is not None and math.isinf(drift.margin):
        return CriticalPoint(None, Message(
            "a point where the Hessian is not finite a Newton step of {step:.3g} away, toward where ∇f = 0, so the "
            "second-derivative test cannot tell", step=drift.step))
    if unsure and drift is not None:
        return CriticalPoint("degenerate", Message(
            "a degenerate or nearly degenerate critical point: the Hessian's eigenvalue λ = {values} is within "
            "its uncertainty here, ±{margin:.3g} ({factor}× its change over Newton's step of {step:.3g} to where "
            "∇f = 0), so at the critical point it may be 0 or of either sign, and the second-derivative test cannot "
            "tell a minimum, maximum, saddle or inflection apart",
            values=", ".join(f"{e:.3g}" for e in unsure), margin=drift.margin, factor=KANTOROVICH, step=drift.step,
        ))
    return CriticalPoint(
        "degenerate",
        Message("a degenerate critical point: the gradient is zero but the Hessian is {shape}, "
                "so the second-derivative test cannot tell a minimum, maximum or saddle apart", shape=shape),
    )


def classify_near(
    x: np.ndarray,
    gradient: np.ndarray,
    hessian: np.ndarray,
    hessian_at: Callable[[np.ndarray], np.ndarray],
    *,
    scale: float = 1.0,
    reached: bool = False,
) -> CriticalPoint:
    """:func:`classify` at ``x``, where f has the exact ``gradient`` and ``hessian``, allowing for
    the Hessian's drift to the critical point ``x`` approximates (``hessian_at`` as for
    :func:`newton_drift`). With ``reached``, x counts as a critical point whatever its gradient
    (a descent that converged by its own tolerance)."""
    norm = 0.0 if reached else math.hypot(*gradient)
    if not np.all(np.isfinite(hessian)):
        return classify(norm, [math.nan] * len(x), scale=scale)
    eigenvalues = np.linalg.eigvalsh(hessian).tolist()
    if norm > GRADIENT_TOLERANCE * scale or not np.all(np.isfinite(gradient)):  # no drift to measure
        return classify(norm, eigenvalues, scale=scale)
    return classify(norm, eigenvalues, scale=scale, drift=newton_drift(x, gradient, hessian, hessian_at))


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
