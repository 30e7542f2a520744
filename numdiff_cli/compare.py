"""The core of ``numdiff diff``: one derivative, exact and numerical, side by side."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import finite, symbolic
from numdiff_cli.errors import UsageError
from numdiff_cli.parsing import ordered_variables
from numdiff_cli.results import DiffResult, NumericRow, PointResult

DEFAULT_METHODS = ("forward", "backward", "central", "five-point")
NOT_FINITE = "not finite: the function is undefined or overflows within a step of the point"


def differentiate(
    expr: sp.Expr,
    variable: sp.Symbol,
    points: Sequence[Mapping[sp.Symbol, sp.Expr]],
    *,
    order: int = 1,
    methods: Sequence[str] = DEFAULT_METHODS,
    h: finite.Step = None,
) -> DiffResult:
    """The ``order``-th derivative of ``expr`` in ``variable`` at each point, exact and numeric.

    Each point gives a value for every variable of ``expr``; it is rounded to the nearest
    doubles, and the exact value is the derivative at those doubles (30 digits).

    Raises
    ------
    UsageError
        For an order outside 1..6, an unknown method, or a step that is not positive.
    MathError
        Where the expression itself is undefined, not real or overflows at a point. A
        derivative that does not exist at a point is not raised: the point carries a note.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> result = differentiate(x**2, x, [{x: sp.Integer(3)}], methods=["central"])
    >>> result.points[0].analytic, result.points[0].numeric[0].value
    (6.0, 6.000000000012662)
    """
    chosen = _validate(order, methods, h)
    variables = ordered_variables([expr]) or (variable,)
    exact = symbolic.derivative(expr, variable, order)
    function = symbolic.compile_function(expr, variables)
    results = tuple(
        _at_point(expr, exact, variable, variables, function, point_to_doubles(point, variables), order, chosen, h)
        for point in points
    )
    return DiffResult(
        expression=str(expr),
        variable=variable.name,
        order=order,
        derivative=str(exact),
        points=results,
    )


def _validate(order: int, methods: Sequence[str], h: Step) -> list[finite.StencilMethod]:
    if not 1 <= order <= finite.MAX_ORDER:
        raise UsageError(f"--order must be between 1 and {finite.MAX_ORDER}, not {order}")
    finite.check_step(h)
    if not methods:
        raise UsageError("choose at least one method")
    return [finite.method(name) for name in dict.fromkeys(methods)]


def point_to_doubles(point: Mapping[sp.Symbol, sp.Expr], variables: Sequence[sp.Symbol]) -> dict[sp.Symbol, float]:
    """The point rounded to the nearest doubles, in variable order.

    Raises
    ------
    UsageError
        For a coordinate beyond the range of doubles.
    """
    values = {}
    for v in variables:
        value = float(sp.N(point[v], 30))
        if not math.isfinite(value):
            raise UsageError(f"{v} = {point[v]} is too large for double precision")
        values[v] = value
    return values


def _at_point(
    expr: sp.Expr,
    exact: sp.Expr,
    variable: sp.Symbol,
    variables: Sequence[sp.Symbol],
    function: finite.NumericFunction,
    point: dict[sp.Symbol, float],
    order: int,
    methods: Sequence[finite.StencilMethod],
    h: finite.Step,
) -> PointResult:
    symbolic.exact_value(expr, point, what=str(expr))  # raises where f itself is undefined
    analytic, note = symbolic.derivative_value(expr, variable, point, order=order, known=exact)
    x = np.array([[point[v] for v in variables]])
    direction = np.array([[float(v == variable) for v in variables]])
    rows = tuple(_row(m, function, x, direction, order, h, analytic) for m in methods)
    return PointResult(
        at={v.name: value for v, value in point.items()},
        analytic=None if analytic is None else float(analytic),
        numeric=rows,
        note=note,
    )


def _row(
    method: finite.StencilMethod,
    function: finite.NumericFunction,
    x: np.ndarray,
    direction: np.ndarray,
    order: int,
    h: finite.Step,
    analytic: mpmath.mpf | None,
) -> NumericRow:
    (estimate,) = method.estimate(function, x, direction, order, method.step(order, x, h))
    if not math.isfinite(estimate.value):
        return NumericRow(method.name, estimate.h, None, None, None, None, note=NOT_FINITE)
    abs_error, rel_error = errors_against(estimate.value, analytic)
    return NumericRow(method.name, estimate.h, estimate.value, abs_error, rel_error, estimate.error_estimate)


def errors_against(value: float, exact: mpmath.mpf | None) -> tuple[float | None, float | None]:
    """Absolute and relative error of ``value``; None where there is no exact value (or it is 0)."""
    if exact is None:
        return None, None
    difference = abs(mpmath.mpf(value) - exact)
    return float(difference), (float(difference / abs(exact)) if exact != 0 else None)
