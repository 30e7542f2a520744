"""The core of ``numdiff grad``: partials, the gradient, the Hessian and the Jacobian.

Every numerical gradient is one vectorised call of the compiled function on 2n points (and
their h/2 twins for the error estimate), never a Python loop over variables.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import sympy as sp

from numdiff_cli import finite, symbolic
from numdiff_cli.compare import NOT_FINITE, errors_against, point_to_doubles
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.methods import STENCILS, Method
from numdiff_cli.methods import method as find_method
from numdiff_cli.points import ordered_variables
from numdiff_cli.results.grad import CriticalPoint, GradResult, HessianResult, JacobianResult, Partial

GRADIENT_TOLERANCE = 1e-8  # a gradient this small, relative to zero_gradient_scale, counts as zero
EIGENVALUE_TOLERANCE = 1e-8  # an eigenvalue this small (relative to the largest) counts as zero


def gradient(
    expr: sp.Expr,
    point: Mapping[sp.Symbol, sp.Expr],
    *,
    wrt: Sequence[sp.Symbol] | None = None,
    method: str = "central",
    h: finite.Step = None,
    hessian: bool = False,
) -> GradResult:
    """The gradient of ``expr`` at ``point`` over ``wrt`` (default: every variable), exact and numeric.

    Raises
    ------
    UsageError
        For an unknown method, a bad step, or ``wrt`` naming something that is not a variable.
    MathError
        Where ``expr`` is undefined at the point, or the Hessian is asked where a partial
        derivative does not exist. A missing partial is otherwise a note on its row.

    Examples
    --------
    >>> x0, x1 = sp.symbols("x0 x1", real=True)
    >>> result = gradient(x0**2 + x1**2, {x0: sp.Integer(3), x1: sp.Integer(4)})
    >>> result.gradient_analytic, result.gradient_numeric
    ((6.0, 8.0), (6.00000000000378, 7.999999999999119))
    """
    variables, chosen, doubles = _setup([expr], point, wrt, h)
    numeric_method = _method(method, [expr])
    value = symbolic.exact_value(expr, doubles, what=str(expr))  # raises where f is undefined
    first = [symbolic.derivative(expr, v) for v in chosen]
    partials = _partials(expr, first, variables, chosen, doubles, numeric_method, h)
    exact = tuple(p.analytic for p in partials)
    analytic = None if any(v is None for v in exact) else exact
    norm = None if analytic is None else math.hypot(*analytic)
    direction = tuple(-g / norm for g in analytic) if analytic and norm else None
    return GradResult(
        expression=str(expr),
        variables=tuple(v.name for v in variables),
        at={v.name: value for v, value in doubles.items()},
        method=method,
        partials=partials,
        gradient_analytic=analytic,
        gradient_numeric=tuple(p.numeric for p in partials),
        norm=norm,
        descent_direction=direction,
        hessian=_hessian(
            expr, first, variables, chosen, doubles, partials, norm,
            scale=zero_gradient_scale(float(value), doubles.values()),
        )
        if hessian
        else None,
    )


def jacobian(
    exprs: Sequence[sp.Expr],
    point: Mapping[sp.Symbol, sp.Expr],
    *,
    wrt: Sequence[sp.Symbol] | None = None,
    method: str = "central",
    h: finite.Step = None,
) -> JacobianResult:
    """The Jacobian of the vector ``exprs`` at ``point``: one row of partials per expression.

    Raises
    ------
    UsageError, MathError
        As :func:`gradient`.
    """
    variables, chosen, doubles = _setup(exprs, point, wrt, h)
    numeric_method = _method(method, exprs)
    for expr in exprs:
        symbolic.exact_value(expr, doubles, what=str(expr))  # raises where a component is undefined
    return JacobianResult(
        expressions=tuple(str(e) for e in exprs),
        variables=tuple(v.name for v in variables),
        at={v.name: value for v, value in doubles.items()},
        method=method,
        entries=tuple(
            _partials(e, [symbolic.derivative(e, v) for v in chosen], variables, chosen, doubles, numeric_method, h)
            for e in exprs
        ),
    )


def zero_gradient_scale(f: float, x: Sequence[float]) -> float:
    """The size a gradient is measured against, (1 + |f|) / (1 + ‖x‖): the slope f would have
    if it changed by its own size over the point's distance from the origin."""
    return (1 + abs(f)) / (1 + math.hypot(*x))


def classify(gradient_norm: float, eigenvalues: Sequence[float], *, scale: float = 1.0) -> CriticalPoint:
    """The second-derivative test: what kind of point has this gradient norm and these eigenvalues.

    The gradient counts as zero at or below ``GRADIENT_TOLERANCE * scale`` (see
    :func:`zero_gradient_scale`).
    """
    if not all(math.isfinite(e) for e in eigenvalues):
        return CriticalPoint(None, "a point where the Hessian is not finite (or could not be evaluated in time), so the second-derivative test cannot tell")
    largest = max((abs(e) for e in eigenvalues), default=0.0)
    zero = EIGENVALUE_TOLERANCE * max(1.0, largest)
    positive = sum(e > zero for e in eigenvalues)
    negative = sum(e < -zero for e in eigenvalues)
    if negative == 0 and positive == len(eigenvalues):
        shape = "positive definite: f curves upward in every direction"
    elif positive == 0 and negative == len(eigenvalues):
        shape = "negative definite: f curves downward in every direction"
    elif positive and negative:
        shape = "indefinite: f curves upward in some directions and downward in others"
    else:
        shape = "singular: f is flat to second order in some direction"
    if gradient_norm > GRADIENT_TOLERANCE * scale:
        return CriticalPoint(None, f"not a critical point (‖∇f‖ = {gradient_norm:.3g}); the Hessian is {shape}")
    if shape.startswith("positive"):
        return CriticalPoint("minimum", f"a local minimum: the gradient is zero and the Hessian is {shape}")
    if shape.startswith("negative"):
        return CriticalPoint("maximum", f"a local maximum: the gradient is zero and the Hessian is {shape}")
    if shape.startswith("indefinite"):
        return CriticalPoint("saddle point", f"a saddle point: the gradient is zero and the Hessian is {shape}")
    return CriticalPoint(
        "degenerate",
        f"a degenerate critical point: the gradient is zero but the Hessian is {shape}, "
        "so the second-derivative test cannot tell a minimum, maximum or saddle apart",
    )


def _method(name: str, exprs: Sequence[sp.Expr]) -> Method:
    """The method called ``name``, checked to apply to every expression."""
    chosen = find_method(name)
    if name == "complex-step":
        obstacle = next(filter(None, (symbolic.complex_step_obstacle(e, 1) for e in exprs)), None)
        if obstacle:
            raise UsageError(f"--method complex-step does not apply here: {obstacle}")
    return chosen


def _setup(
    exprs: Sequence[sp.Expr], point: Mapping[sp.Symbol, sp.Expr], wrt: Sequence[sp.Symbol] | None, h: finite.Step
) -> tuple[tuple[sp.Symbol, ...], tuple[sp.Symbol, ...], dict[sp.Symbol, float]]:
    """Validate; return all variables, the chosen ones, and the point as doubles."""
    finite.check_step(h)
    variables = ordered_variables(exprs)
    if not variables:
        raise UsageError("the expression has no variables, so it has no gradient")
    chosen = tuple(wrt) if wrt else variables
    unknown = [v.name for v in chosen if v not in variables]
    if unknown:
        names = ", ".join(v.name for v in variables)
        raise UsageError(f"--wrt names {', '.join(unknown)}, not a variable of the expression ({names})")
    return variables, chosen, point_to_doubles(point, variables)


def _partials(
    expr: sp.Expr,
    derivatives: Sequence[sp.Expr],
    variables: Sequence[sp.Symbol],
    chosen: Sequence[sp.Symbol],
    point: dict[sp.Symbol, float],
    method: Method,
    h: finite.Step,
) -> tuple[Partial, ...]:
    function = symbolic.compile_function(expr, variables)
    x = np.array([point[v] for v in variables])
    rows = np.repeat(x[None], len(chosen), axis=0)
    directions = np.array([[float(v == w) for v in variables] for w in chosen])
    estimates = method.estimate(function, rows, directions, 1, method.step(1, rows, h))
    partials = []
    for variable, derivative, estimate in zip(chosen, derivatives, estimates):
        exact, note = symbolic.derivative_value(expr, variable, point, known=derivative)
        value = estimate.value if math.isfinite(estimate.value) else None
        abs_error, rel_error = errors_against(value, exact) if value is not None else (None, None)
        partials.append(
            Partial(
                variable=variable.name,
                derivative=str(derivative),
                analytic=None if exact is None else float(exact),
                numeric=value,
                h=estimate.h,
                abs_error=abs_error,
                rel_error=rel_error,
                note=note or (None if value is not None else NOT_FINITE),
            )
        )
    return tuple(partials)


def _hessian(
    expr: sp.Expr,
    first: Sequence[sp.Expr],
    variables: Sequence[sp.Symbol],
    chosen: Sequence[sp.Symbol],
    point: dict[sp.Symbol, float],
    partials: Sequence[Partial],
    norm: float | None,
    *,
    scale: float,
) -> HessianResult:
    missing = next((p.note for p in partials if p.analytic is None), None)
    if missing:
        raise MathError(f"there is no Hessian where a partial derivative does not exist: {missing}")
    exact = exact_hessian(symbolic.hessian(first, chosen), chosen, point)
    numeric = _numeric_hessian(expr, variables, chosen, point)
    eigenvalues = np.linalg.eigvalsh(exact)
    return HessianResult(
        analytic=tuple(map(tuple, exact.tolist())),
        numeric=tuple(map(tuple, numeric.tolist())),
        max_abs_error=float(np.max(np.abs(numeric - exact))),
        eigenvalues=tuple(eigenvalues.tolist()),
        critical_point=classify(norm or 0.0, eigenvalues.tolist(), scale=scale),
    )


def exact_hessian(
    matrix: Sequence[Sequence[sp.Expr]], variables: Sequence[sp.Symbol], point: Mapping[sp.Symbol, float]
) -> np.ndarray:
    """The value at ``point`` of ``matrix``, the Hessian over ``variables`` from symbolic.hessian.

    Each entry is exact to 30 digits; one whose formula is 0/0 there takes its limit.

    Raises
    ------
    MathError
        Where an entry is undefined, not real or not finite at the point.
    """
    n = len(variables)
    # symbolic.hessian differentiated entry (r, c) last in the later of the two variables.
    return np.array([[_second_derivative(matrix[r][c], variables[max(r, c)], point) for c in range(n)] for r in range(n)])


def _second_derivative(entry: sp.Expr, last: sp.Symbol, point: Mapping[sp.Symbol, float]) -> float:
    """The exact value of ``entry``, the derivative whose last step was in ``last``."""
    if entry.is_zero:  # most entries of a large, sparse Hessian: skip the 30-digit evaluation
        return 0.0
    return float(symbolic.exact_value(entry, point, what=f"the second derivative {entry}", limit_in=last))


def _numeric_hessian(
    expr: sp.Expr, variables: Sequence[sp.Symbol], chosen: Sequence[sp.Symbol], point: dict[sp.Symbol, float]
) -> np.ndarray:
    """Central-difference Hessian over the chosen variables, the others held at the point."""
    function = symbolic.compile_function(expr, variables)
    index = {v: i for i, v in enumerate(chosen)}

    def restricted(*coordinates: np.ndarray) -> np.ndarray:
        return function(*(coordinates[index[v]] if v in index else point[v] for v in variables))

    x = np.array([point[v] for v in chosen])
    step = STENCILS["central"].balanced_step(2, np.abs(x)[:, None])
    return finite.hessian(restricted, x, step)
