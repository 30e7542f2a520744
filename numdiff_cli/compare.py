"""The core of ``numdiff diff``: one derivative, exact and numerical, side by side."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import finite, precision, symbolic
from numdiff_cli.errors import UsageError, brief
from numdiff_cli.methods import METHODS, STENCILS, Method, method
from numdiff_cli.points import ordered_variables
from numdiff_cli.results.diff import DiffResult, NumericRow, PointResult

DEFAULT_METHODS = tuple(METHODS)
NOT_FINITE = "not finite: the function is undefined or overflows within a step of the point"
UNRELIABLE = 1e-3  # a row whose own error estimate exceeds this share of its value is flagged
# ... unless the estimate is below this absolute error (numpy.isclose has an atol for the same
# reason): where the derivative is 0, as for x**2 at 0, any estimate is a large share of it.
NEGLIGIBLE = 1e-10
DTYPES = {"float64": np.float64, "float32": np.float32}
MAX_PRECISION = 1000  # digits for --precision
AUTO_SHRINK = 30  # times --h auto may halve its step to stay inside the domain


@dataclass(frozen=True)
class _Setup:
    """What every point of one ``diff`` shares."""

    expr: sp.Expr
    exact: sp.Expr
    variable: sp.Symbol
    variables: tuple[sp.Symbol, ...]
    order: int
    methods: tuple[Method, ...]
    h: finite.Step
    dtype: type
    digits: int | None
    complex_obstacle: str | None


def differentiate(
    expr: sp.Expr,
    variable: sp.Symbol,
    points: Sequence[Mapping[sp.Symbol, sp.Expr]],
    *,
    order: int = 1,
    methods: Sequence[str] = DEFAULT_METHODS,
    h: finite.Step = None,
    dtype: str = "float64",
    digits: int | None = None,
) -> DiffResult:
    """The ``order``-th derivative of ``expr`` in ``variable`` at each point, exact and numeric.

    Each point gives a value for every variable of ``expr``; it is rounded to the nearest
    number of ``dtype``, and the exact value is the derivative there (30 digits). With
    ``digits`` the fixed-step methods compute in that many decimal digits (mpmath).

    Raises
    ------
    UsageError
        For an order outside 1..6, an unknown method or dtype, a step that is not positive,
        or ``digits`` outside 15..1000.
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
    chosen = _validate(order, methods, h, dtype, digits)
    variables = ordered_variables([expr]) or (variable,)
    exact = symbolic.derivative(expr, variable, order)
    setup = _Setup(
        expr, exact, variable, variables, order, chosen, h, DTYPES[dtype], digits,
        symbolic.complex_step_obstacle(expr, order),
    )
    function = symbolic.compile_function(expr, variables)
    results = tuple(_at_point(setup, function, point_to_doubles(point, variables, DTYPES[dtype])) for point in points)
    return DiffResult(
        expression=str(expr),
        variable=variable.name,
        order=order,
        derivative=str(exact),
        points=results,
        dtype=dtype,
        digits=digits,
    )


def _validate(order: int, methods: Sequence[str], h: finite.Step, dtype: str, digits: int | None) -> tuple[Method, ...]:
    if not 1 <= order <= finite.MAX_ORDER:
        raise UsageError(f"--order must be between 1 and {finite.MAX_ORDER}, not {order}")
    finite.check_step(h)
    if not methods:
        raise UsageError("choose at least one method")
    if dtype not in DTYPES:
        raise UsageError(f"--dtype must be one of {', '.join(DTYPES)}, not {dtype!r}")
    if digits is not None and not 15 <= digits <= MAX_PRECISION:
        raise UsageError(f"--precision must be between 15 and {MAX_PRECISION} digits, not {digits}")
    if digits is not None and dtype != "float64":
        raise UsageError("choose one of --precision and --dtype")
    return tuple(method(name) for name in dict.fromkeys(methods))


def point_to_doubles(
    point: Mapping[sp.Symbol, sp.Expr], variables: Sequence[sp.Symbol], dtype: type = np.float64
) -> dict[sp.Symbol, float]:
    """The point rounded to the nearest numbers of ``dtype`` (as Python floats), in variable order.

    Raises
    ------
    UsageError
        For a coordinate beyond the range of ``dtype``.
    """
    values = {}
    with np.errstate(over="ignore"):
        for v in variables:
            value = float(dtype(float(sp.N(point[v], 30))))
            if not math.isfinite(value):
                raise UsageError(f"{v} = {brief(point[v], 30)} is too large for {np.dtype(dtype).name}")
            values[v] = value
    return values


def _at_point(setup: _Setup, function: finite.NumericFunction, point: dict[sp.Symbol, float]) -> PointResult:
    expr, variable = setup.expr, setup.variable
    symbolic.exact_value(expr, point, what=str(expr))  # raises where f itself is undefined
    digits = max(symbolic.EXACT_DIGITS, (setup.digits or 0) + 10)
    analytic, note = symbolic.derivative_value(
        expr, variable, point, order=setup.order, known=setup.exact, digits=digits
    )
    x = np.array([[point[v] for v in setup.variables]])
    direction = np.array([[float(v == variable) for v in setup.variables]])
    rows = tuple(_row(setup, m, function, x, direction, analytic, point) for m in setup.methods)
    return PointResult(
        at={v.name: value for v, value in point.items()},
        analytic=None if analytic is None else float(analytic),
        numeric=rows,
        note=note,
    )


def _row(
    setup: _Setup,
    chosen: Method,
    function: finite.NumericFunction,
    x: np.ndarray,
    direction: np.ndarray,
    analytic: mpmath.mpf | None,
    point: dict[sp.Symbol, float],
) -> NumericRow:
    skip = _skip_reason(setup, chosen)
    if skip:
        return NumericRow(chosen.name, None, None, None, None, None, note=f"skipped: {skip}")
    if setup.digits is not None:
        estimate = precision.estimate(
            setup.expr, setup.variables, setup.variable, point, STENCILS[chosen.name], setup.order, setup.h, setup.digits
        )
    else:
        estimate = _estimate(setup, chosen, function, x, direction)
    if not math.isfinite(estimate.value):
        note = NOT_FINITE
        if estimate.h == 0:
            note = f"h is 0 in {np.dtype(setup.dtype).name} (too small to represent), so the formula divides 0 by 0"
        h = estimate.h if math.isfinite(estimate.h) else None  # richardson has no step when every one failed
        return NumericRow(chosen.name, h, None, None, None, None, note=note)
    abs_error, rel_error = errors_against(estimate.value, analytic)
    return NumericRow(
        chosen.name, estimate.h, float(estimate.value), abs_error, rel_error, estimate.error_estimate,
        note=_reliability(estimate),
    )


def _skip_reason(setup: _Setup, chosen: Method) -> str | None:
    if chosen.name == "complex-step" and setup.complex_obstacle:
        return setup.complex_obstacle
    if chosen.name not in STENCILS and (setup.digits is not None or setup.dtype is not np.float64):
        return f"{chosen.name} runs in double precision only"
    return None


def _estimate(
    setup: _Setup, chosen: Method, function: finite.NumericFunction, x: np.ndarray, direction: np.ndarray
) -> finite.Estimate:
    """One estimate. With --h auto the step is tuned to f at the point, then halved until the
    stencil stays where f is defined."""
    step = chosen.step(setup.order, x, setup.h, setup.dtype)
    if setup.h == finite.AUTO and chosen.name in STENCILS:
        step = STENCILS[chosen.name].tuned_step(function, x, direction, setup.order, step, setup.dtype)
    for _ in range(AUTO_SHRINK if setup.h == finite.AUTO else 1):
        (estimate,) = chosen.estimate(function, x, direction, setup.order, step, setup.dtype)
        if math.isfinite(estimate.value):
            break
        step = step / 2
    return estimate


def _reliability(estimate: finite.Estimate) -> str | None:
    """A warning in words where the method's own error estimate is a large share of its value."""
    if estimate.error_estimate is None or not math.isfinite(estimate.error_estimate):
        return "unreliable: the method could not estimate its own error here"
    if estimate.error_estimate <= UNRELIABLE * abs(estimate.value) + NEGLIGIBLE:
        return None
    return (
        f"unreliable by its own error estimate (more than {UNRELIABLE:.1%} of the value): the step is too "
        "large for f here, a pole, a domain edge or fast oscillation is within its reach, or rounding "
        "swamps it; try --h auto or richardson"
    )


def errors_against(value: float, exact: mpmath.mpf | None) -> tuple[float | None, float | None]:
    """Absolute and relative error of ``value``; None where there is no exact value (or it is 0)."""
    if exact is None:
        return None, None
    difference = abs(mpmath.mpf(value) - exact)
    return float(difference), (float(difference / abs(exact)) if exact != 0 else None)
