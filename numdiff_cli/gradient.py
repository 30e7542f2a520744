"""The core of ``numdiff grad``: partials, the gradient, the Hessian and the Jacobian.

Every numerical gradient is one vectorised call of the compiled function on 2n points (and
their h/2 twins for the error estimate), never a Python loop over variables.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from numdiff_cli import curvature, finite, rule_by_rule, symbolic
from numdiff_cli.accuracy import NOT_FINITE, errors_against, lost_difference, reliability
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.gradient_field import BoxLike, gradient_field
from numdiff_cli.methods import STENCILS, Method
from numdiff_cli.methods import method as find_method
from numdiff_cli.problem import Problem
from numdiff_cli.results.codes import Reason, RowStatus
from numdiff_cli.results.derivation import DEFAULT_DEPTH
from numdiff_cli.results.grad import GradResult, HessianResult, JacobianResult, Partial

PARTIALS_METHOD = "central"  # the lecture's
# Richardson's Hessian evaluates f at about 500 n² points (0.2 s and 60 MiB at n = 20, n³ memory):
# the default up to RICHARDSON_DEFAULT variables, allowed up to RICHARDSON_MOST.
RICHARDSON_DEFAULT, RICHARDSON_MOST = 20, 50


def gradient(
    problem: Problem,
    *,
    method: str | None = None,
    h: finite.Step = None,
    hessian: bool = False,
    field: bool = False,
    box: BoxLike = None,
    derivation: bool = False,
    depth: int = DEFAULT_DEPTH,
) -> GradResult:
    """The gradient of ``problem``'s function at its point over its ``wrt`` variables, exact and numeric.

    The partials use ``method`` (the lecture's central difference by default), and so does the
    Hessian where ``method`` is given; by default the Hessian uses the most accurate method,
    Richardson extrapolation. ``h`` is the fixed-step methods' step for both. With ``field``,
    also f and −∇f (by the partials' method) over ``box`` in the first two ``wrt`` variables
    (see :func:`numdiff_cli.gradient_field.gradient_field`), for a plot. With ``derivation``
    each partial holds its derivative worked out rule by rule, shown ``depth`` levels deep.

    Raises
    ------
    UsageError
        For an unknown method, a bad step, or a function with no variables.
    MathError
        Where the Hessian is asked where a partial derivative does not exist. A missing
        partial is otherwise a note on its row.

    Examples
    --------
    >>> from numdiff_cli.problem import build
    >>> result = gradient(build("x0**2 + x1**2", (3, 4)))
    >>> result.gradient_analytic, result.gradient_numeric
    ((6.0, 8.0), (6.00000000000378, 7.999999999999119))
    """
    name = method or PARTIALS_METHOD
    partials = _partials(problem, 0, _validate(problem, name, h), h)
    if derivation:
        several = len(problem.variables) > 1
        partials = tuple(
            replace(p, derivation=rule_by_rule.derivation(problem.expr, v, partial=several, sympy_form=d, depth=depth))
            for p, v, d in zip(partials, problem.wrt, problem.gradient())
        )
    exact = tuple(p.analytic for p in partials)
    analytic = None if any(v is None for v in exact) else exact
    norm = None if analytic is None else math.hypot(*analytic)
    direction = tuple(-g / norm for g in analytic) if analytic and norm else None
    point = problem.points[0]
    return GradResult(
        expression=str(problem.expr),
        variables=tuple(v.name for v in problem.variables),
        at={v.name: value for v, value in point.items()},
        typed=problem.typed[0],
        method=name,
        partials=partials,
        gradient_analytic=analytic,
        gradient_numeric=tuple(p.numeric for p in partials),
        norm=norm,
        descent_direction=direction,
        hessian=_hessian(problem, partials, norm, method or _hessian_method(problem), h) if hessian else None,
        field=gradient_field(problem, box=box, method=name, h=h) if field else None,
    )


def jacobian(problem: Problem, *, method: str | None = None, h: finite.Step = None) -> JacobianResult:
    """The Jacobian of ``problem``'s functions at its point: one row of partials per function.

    Raises
    ------
    UsageError, MathError
        As :func:`gradient`.
    """
    method = method or PARTIALS_METHOD
    numeric_method = _validate(problem, method, h)
    return JacobianResult(
        expressions=tuple(str(e) for e in problem.expressions),
        variables=tuple(v.name for v in problem.variables),
        at={v.name: value for v, value in problem.points[0].items()},
        method=method,
        entries=tuple(_partials(problem, i, numeric_method, h) for i in range(len(problem.expressions))),
    )


def _validate(problem: Problem, name: str, h: finite.Step) -> Method:
    """The method called ``name``, checked to apply to every function; the step checked."""
    finite.check_step(h)
    if not problem.variables:
        raise UsageError("the expression has no variables, so it has no gradient")
    chosen = find_method(name)
    if name == "complex-step":
        obstacle = next(filter(None, (symbolic.complex_step_obstacle(e) for e in problem.expressions)), None)
        if obstacle:
            raise UsageError("{method} complex-step does not apply here: {why}", parameter="method", why=obstacle[1])
    return chosen


def _partials(problem: Problem, index: int, method: Method, h: finite.Step) -> tuple[Partial, ...]:
    """The partials of ``expressions[index]`` over ``wrt``, exact and by ``method``."""
    variables, chosen, point = problem.variables, problem.wrt, problem.points[0]
    x = np.array([point[v] for v in variables])
    rows = np.repeat(x[None], len(chosen), axis=0)
    directions = np.array([[float(v == w) for v in variables] for w in chosen])
    estimates = method.estimate(problem.function(index), rows, directions, 1, method.step(1, rows, h))
    partials = []
    for variable, derivative, estimate, direction in zip(chosen, problem.gradient(index), estimates, directions):
        exact, note = symbolic.derivative_value(problem.expressions[index], variable, point, known=derivative)
        value = estimate.value if math.isfinite(estimate.value) else None
        abs_error, rel_error = errors_against(value, exact) if value is not None else (None, None)
        if value is None:
            status, reason = RowStatus.NOT_FINITE, Reason.UNDEFINED_WITHIN_STEP
        elif note is not None:
            status, reason = RowStatus.UNRELIABLE, Reason.NO_DERIVATIVE
        else:
            # diff's verdict on the same partial: the step lost, f unchanged over it, or its own estimate large
            lost = method.name in STENCILS and lost_difference(
                STENCILS[method.name], 1, problem.function(index), x, direction, estimate, exact, kind=problem.kind,
                dtype=problem.dtype, names=[v.name for v in variables], derivative=f"∂f/∂{variable.name}",
            )
            status, reason, note = lost or reliability(
                estimate, method.name, auto_step=h == finite.AUTO, double=problem.dtype == "float64")
        partials.append(
            Partial(
                variable=variable.name,
                derivative=str(derivative),
                analytic=None if exact is None else float(exact),
                numeric=value,
                h=estimate.h,
                abs_error=abs_error,
                rel_error=rel_error,
                error_estimate=estimate.error_estimate if value is not None else None,
                note=note or (None if value is not None else NOT_FINITE),
                status=status,
                reason=reason,
            )
        )
    return tuple(partials)


def _hessian_method(problem: Problem) -> str:
    """The most accurate Hessian method that applies: richardson, then complex-step, then five-point."""
    if len(problem.wrt) <= RICHARDSON_DEFAULT:
        return "richardson"
    return "five-point" if symbolic.complex_step_obstacle(problem.expr) else "complex-step"


def _hessian(
    problem: Problem, partials: tuple[Partial, ...], norm: float | None, method: str, h: finite.Step
) -> HessianResult:
    missing = next((p.note for p in partials if p.analytic is None), None)
    if missing:
        raise MathError("there is no Hessian where a partial derivative does not exist: {missing}",
                        missing=missing)
    if method == "richardson" and len(problem.wrt) > RICHARDSON_MOST:
        raise UsageError(
            "{method} richardson takes a Hessian of at most {most} variables, not {n}; five-point or "
            "complex-step take any number",
            parameter="method",
            most=RICHARDSON_MOST,
            n=len(problem.wrt),
        )
    point = problem.points[0]
    exact = curvature.exact_hessian(problem.gradient(), problem.wrt, point)
    estimate = curvature.numeric_hessian_over(
        problem.function(), problem.variables, problem.wrt, point, method=method, h=h
    )
    numeric = estimate.matrix
    eigenvalues = np.linalg.eigvalsh(exact)
    scale = curvature.zero_gradient_scale(float(problem.values[0][0]), point.values())
    x = np.array([point[v] for v in problem.wrt])

    def hessian_at(moved: np.ndarray) -> np.ndarray:
        return curvature.exact_hessian(problem.gradient(), problem.wrt, {**point, **dict(zip(problem.wrt, moved.tolist()))})

    return HessianResult(
        method=method,
        analytic=tuple(map(tuple, exact.tolist())),
        numeric=tuple(map(tuple, numeric.tolist())),
        error_estimate=tuple(map(tuple, estimate.error_estimate.tolist())),
        max_abs_error=float(np.max(np.abs(numeric - exact))),
        eigenvalues=tuple(eigenvalues.tolist()),
        critical_point=curvature.classify_near(
            x, np.array([p.analytic for p in partials]), exact, hessian_at, scale=scale),
    )
