"""The core of ``numdiff diff``: one derivative, exact and numerical, side by side."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import finite, precision, rule_by_rule, symbolic
from numdiff_cli.accuracy import NEGLIGIBLE, NOT_FINITE, errors_against, lost_difference, reliability
from numdiff_cli.errors import UsageError
from numdiff_cli.explanation_words import derivative_name
from numdiff_cli.i18n import Message
from numdiff_cli.methods import FIXED_STEP, METHODS, STENCILS, Method, method
from numdiff_cli.problem import Problem
from numdiff_cli.results import error
from numdiff_cli.results.codes import Reason, RowStatus
from numdiff_cli.results.derivation import DEFAULT_DEPTH
from numdiff_cli.results.diff import DiffResult, NumericRow, PointResult

DEFAULT_METHODS = tuple(METHODS)
MAX_PRECISION = 1000  # digits for precision
AUTO_SHRINK = 30  # times h = auto may halve its step to stay inside the domain
CONTRADICTION = 3.0  # two rows further apart than this many times their error estimates contradict


@dataclass(frozen=True)
class _Setup:
    """What every point of one ``diff`` shares."""

    problem: Problem
    exact: sp.Expr
    order: int
    methods: tuple[Method, ...]
    h: finite.Step
    digits: int | None
    complex_obstacle: tuple[Reason, str] | None

    @property
    def variable(self) -> sp.Symbol:
        return self.problem.wrt[0]


def differentiate(
    problem: Problem,
    *,
    order: int = 1,
    methods: Sequence[str] = DEFAULT_METHODS,
    h: finite.Step = None,
    digits: int | None = None,
    derivation: bool = False,
    depth: int = DEFAULT_DEPTH,
) -> DiffResult:
    """The ``order``-th derivative of ``problem``'s function in its variable, exact and numeric,
    at each of its points.

    The exact value is the derivative at the point's doubles (30 digits). With ``digits``
    the fixed-step methods compute in that many decimal digits (mpmath). With ``derivation``
    the result holds the derivative worked out rule by rule, its trees shown ``depth`` levels deep.

    Raises
    ------
    UsageError
        For an order outside 1..6, an unknown method, a step that is not positive, or
        ``digits`` outside 15..1000 or with float32.
    MathError
        Where sympy cannot differentiate. A derivative that does not exist at a point is not
        raised: the point carries a note.

    Examples
    --------
    >>> from numdiff_cli.problem import build
    >>> result = differentiate(build("x**2", 3), methods=["central"])
    >>> result.points[0].analytic, result.points[0].numeric[0].value
    (6.0, 6.000000000012662)
    """
    order = finite.check_order(order)
    chosen = _validate(order, methods, h, problem.dtype, digits)
    variable = problem.wrt[0]
    exact = problem.derivative(variable, order)
    setup = _Setup(problem, exact, order, chosen, h, digits, symbolic.complex_step_obstacle(problem.expr))
    several = len(problem.variables) > 1
    worked = (
        rule_by_rule.derivation(problem.expr, variable, order=order, partial=several, sympy_form=exact, depth=depth)
        if derivation
        else None
    )
    return DiffResult(
        expression=symbolic.text(problem.expr),
        variable=variable.name,
        order=order,
        derivative=symbolic.text(exact),
        points=tuple(_at_point(setup, point, typed) for point, typed in zip(problem.points, problem.typed)),
        dtype=problem.dtype,
        digits=digits,
        derivation=worked,
    )


def _validate(order: int, methods: Sequence[str], h: finite.Step, dtype: str, digits: int | None) -> tuple[Method, ...]:
    finite.check_step(h)
    if not methods:
        raise UsageError("{methods} must name at least one method", parameter="methods")
    if digits is not None and (isinstance(digits, bool) or not isinstance(digits, int) or not 15 <= digits <= MAX_PRECISION):
        raise UsageError(
            "{precision} must be between 15 and {most} digits, not {value}",
            parameter="precision",
            most=MAX_PRECISION,
            value=digits,
        )
    if digits is not None and dtype != "float64":
        raise UsageError("choose one of {precision} and {dtype}", parameter="precision")
    return tuple(method(name) for name in dict.fromkeys(methods))


def _at_point(setup: _Setup, point: dict[sp.Symbol, float], typed: dict[str, str]) -> PointResult:
    problem, variable = setup.problem, setup.variable
    digits = max(symbolic.EXACT_DIGITS, (setup.digits or 0) + 10)
    analytic, note = symbolic.derivative_value(
        problem.expr, variable, point, order=setup.order, known=setup.exact, digits=digits
    )
    x = np.array([[point[v] for v in problem.variables]])
    direction = np.array([[float(v == variable) for v in problem.variables]])
    rows = cross_checked(tuple(_row(setup, m, x, direction, analytic, point, note is not None) for m in setup.methods))
    return PointResult(
        at={v.name: value for v, value in point.items()},
        typed=typed,
        analytic=None if analytic is None else float(analytic),
        numeric=rows,
        note=note,
        reason=None if note is None else Reason.NO_DERIVATIVE,
        recommended=recommend(rows),
    )


def cross_checked(rows: tuple[NumericRow, ...]) -> tuple[NumericRow, ...]:
    """``rows``, with each ok fixed-step row that contradicts an ok richardson or complex-step row
    marked unreliable (reason ``contradicted``).

    A fixed step is scaled to |x| and checked only by halving it twice, so a function that varies
    on a far smaller scale (sin at 1e8, h = 6e5) gives a wrong value whose halvings agree; the
    searching methods try steps of every scale. Two values further apart than CONTRADICTION times
    their estimates cannot both be right, and the searching method's is the one to trust.
    """
    searching = [row for row in rows if row.method not in FIXED_STEP and _trusted(row)]

    def contradiction(row: NumericRow) -> NumericRow | None:
        if row.method not in FIXED_STEP or not _trusted(row):
            return None
        return next((other for other in searching if _contradict(row, other)), None)

    return tuple(
        row if (other := contradiction(row)) is None else replace(
            row,
            status=RowStatus.UNRELIABLE,
            reason=Reason.CONTRADICTED,
            note=Message(
                "unreliable: {method} gives {value:.10g}, far outside this row's error estimate: the step "
                "h = {h} is too large for how fast f varies here; trust {method}",
                method=other.method, value=other.value, h=error(row.h),
            ),
        )
        for row in rows
    )


def _trusted(row: NumericRow) -> bool:
    return row.status is RowStatus.OK and row.value is not None and row.error_estimate is not None


def _contradict(row: NumericRow, other: NumericRow) -> bool:
    """Whether two finite rows are further apart than CONTRADICTION times their error estimates."""
    gap = abs(row.value - other.value)
    return gap > CONTRADICTION * (row.error_estimate + other.error_estimate)


def recommend(rows: Sequence[NumericRow]) -> str | None:
    """The method to use: of the rows their own estimates call ok, the one whose estimate is the
    smallest share of its value (never the exact value: a user has none); None if no row is ok."""
    trusted = [row for row in rows if row.status is RowStatus.OK and row.error_estimate is not None]
    if not trusted:
        return None
    return min(trusted, key=lambda row: row.error_estimate / max(abs(row.value), NEGLIGIBLE)).method


def _row(
    setup: _Setup,
    chosen: Method,
    x: np.ndarray,
    direction: np.ndarray,
    analytic: mpmath.mpf | None,
    point: dict[sp.Symbol, float],
    no_derivative: bool,
) -> NumericRow:
    skip = _skip_reason(setup, chosen)
    if skip:
        reason, sentence = skip
        note = Message("skipped: {why}", why=sentence)
        return NumericRow(chosen.name, None, None, None, None, None, note, RowStatus.SKIPPED, reason)
    problem = setup.problem
    if setup.digits is not None:
        estimate = precision.estimate(
            problem.expr, problem.variables, setup.variable, point, STENCILS[chosen.name], setup.order, setup.h,
            setup.digits,
        )
    else:
        estimate = _estimate(setup, chosen, x, direction)
    if not math.isfinite(estimate.value):
        reason, note = Reason.UNDEFINED_WITHIN_STEP, NOT_FINITE
        if estimate.h == 0:
            reason = Reason.STEP_UNDERFLOWS
            note = Message("h is 0 in {dtype} (too small to represent), so the formula divides 0 by 0",
                           dtype=problem.dtype)
        h = estimate.h if math.isfinite(estimate.h) else None  # richardson has no step when every one failed
        return NumericRow(chosen.name, h, None, None, None, None, note, RowStatus.NOT_FINITE, reason)
    abs_error, rel_error = errors_against(estimate.value, analytic)
    status, reason, note = (
        _vanished(setup, chosen, x, direction, estimate, analytic)
        or _nowhere(analytic, no_derivative)
        or reliability(estimate, chosen.name, auto_step=setup.h == finite.AUTO, double=problem.dtype == "float64")
    )
    if note is None and setup.h not in (None, finite.AUTO) and chosen.name not in STENCILS:
        note = Message("h = {h:g} is not used: the method chooses its own step", h=setup.h)
    if note is None and chosen.name == "complex-step" and setup.order > 1:
        note = Message("its h is the radius of the circle around {v} in the complex plane that its values lie on",
                       v=setup.variable.name)
    return NumericRow(
        chosen.name, estimate.h, float(estimate.value), abs_error, rel_error, estimate.error_estimate,
        note, status, reason,
    )


def _skip_reason(setup: _Setup, chosen: Method) -> tuple[Reason, str] | None:
    if chosen.name == "complex-step" and setup.complex_obstacle:
        return setup.complex_obstacle
    if chosen.name not in STENCILS and (setup.digits is not None or setup.problem.dtype != "float64"):
        return Reason.DOUBLE_PRECISION_ONLY, Message("{method} runs in double precision only", method=chosen.name)
    return None


def _nowhere(analytic: mpmath.mpf | None, no_derivative: bool) -> tuple[RowStatus, Reason, str] | None:
    """Where f has no derivative, a finite difference approximates nothing, however small its
    own error estimate (central gives the average of the one-sided slopes)."""
    if not no_derivative:
        return None
    return RowStatus.UNRELIABLE, Reason.NO_DERIVATIVE, Message(
        "f has no derivative here, so this value approximates none")


def _vanished(
    setup: _Setup, chosen: Method, x: np.ndarray, direction: np.ndarray, estimate: finite.Estimate,
    analytic: mpmath.mpf | None,
) -> tuple[RowStatus, Reason, str] | None:
    """The lecture's failure, where it happened: the step is lost when added to x, or f does not
    change over it, so every value of the stencil is the same and the difference is exactly 0."""
    if chosen.name not in STENCILS or setup.digits is not None:
        return None
    problem = setup.problem
    return lost_difference(
        STENCILS[chosen.name], setup.order, problem.function(), x[0], direction[0], estimate, analytic,
        kind=problem.kind, dtype=problem.dtype, names=[v.name for v in problem.variables], derivative=_derivative_name(setup),
    )


def _derivative_name(setup: _Setup) -> str:
    """f′, f″ …; ∂f/∂y for a first derivative of a function of several variables."""
    several = len(setup.problem.variables) > 1
    return f"∂f/∂{setup.variable.name}" if several and setup.order == 1 else derivative_name(setup.order)


def _estimate(setup: _Setup, chosen: Method, x: np.ndarray, direction: np.ndarray) -> finite.Estimate:
    """One estimate. With h = auto the step is tuned to f at the point, then halved until the
    stencil stays where f is defined."""
    function, kind = setup.problem.function(), setup.problem.kind
    step = chosen.step(setup.order, x, setup.h, kind)
    if setup.h == finite.AUTO and chosen.name in STENCILS:
        step = STENCILS[chosen.name].tuned_step(function, x, direction, setup.order, step, kind)
    for _ in range(AUTO_SHRINK if setup.h == finite.AUTO else 1):
        (estimate,) = chosen.estimate(function, x, direction, setup.order, step, kind)
        if math.isfinite(estimate.value):
            break
        step = step / 2
    return estimate
