"""The core of ``numdiff diff --explain``: the arithmetic of a numerical derivative, step by step.

A fixed-step stencil is evaluated exactly as ``diff`` evaluates it (the same points, the same
order of operations, so the same double), and every intermediate number is kept: the points,
the values, each subtraction and how many digits it cancelled, the sum, the division. Beside
them stand the exact figures that explain the error: the leading truncation term of the
formula (its coefficient from the stencil's Taylor expansion, evaluated by sympy), the
rounding estimate ε·|f|/h^n, and the order observed when h is halved. Richardson's tableau
(:mod:`~numdiff_cli.explanation_richardson`) and the complex step are explained in their own terms.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, localcontext
from fractions import Fraction

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import complex_step, explanation_richardson, finite, symbolic
from numdiff_cli import explanation_words as words
from numdiff_cli.contour_explanation import explain_contour
from numdiff_cli.errors import NumdiffError, UsageError
from numdiff_cli.i18n import Message
from numdiff_cli.methods import STENCILS, Method, method
from numdiff_cli.problem import Problem
from numdiff_cli.results.explain import (
    ComplexStepExplanation,
    Difference,
    ExplainedPoint,
    ExplainResult,
    Explanation,
    Halving,
    Rounding,
    Skipped,
    StencilExplanation,
    Term,
    Truncation,
    Verdict,
    point_name,
)

DEFAULT_METHODS = ("central",)  # the lecture's method, explained unless others are named
HALVINGS = 3  # h, h/2, h/4: two halvings give the observed order twice


def explain(
    problem: Problem, *, order: int = 1, methods: Sequence[str] = DEFAULT_METHODS, h: finite.Step = None
) -> ExplainResult:
    """How each of ``methods`` computes the ``order``-th derivative of ``problem``'s function, at each point.

    Raises
    ------
    UsageError
        For an order outside 1..6, an unknown method or a step that is not positive.
    MathError
        Where sympy cannot differentiate.

    Examples
    --------
    >>> from numdiff_cli.problem import build
    >>> step = explain(build("x**2", 3), methods=["forward"]).points[0].methods[0]
    >>> [term.value for term in step.terms], step.differences[0].digits_lost, step.truncation.value
    ([9.000600010000001, 9.0], 4, 0.0001)
    """
    order = finite.check_order(order)
    finite.check_step(h)
    if not methods:
        raise UsageError("{methods} must name at least one method", parameter="methods")
    chosen = tuple(method(name) for name in dict.fromkeys(methods))
    variable = problem.wrt[0]
    exact = problem.derivative(variable, order)
    points = []
    for point, typed in zip(problem.points, problem.typed):
        analytic, note = symbolic.derivative_value(problem.expr, variable, point, order=order, known=exact)
        explained = tuple(_explain_method(problem, m, point, order, h, analytic) for m in chosen)
        points.append(ExplainedPoint({v.name: x for v, x in point.items()}, None if analytic is None else float(analytic),
                                     explained, note, typed))
    return ExplainResult(symbolic.text(problem.expr), variable.name, order, symbolic.text(exact), problem.dtype,
                         tuple(points))


def _explain_method(
    problem: Problem, chosen: Method, point: dict[sp.Symbol, float], order: int, h: finite.Step, analytic: mpmath.mpf | None
) -> Explanation:
    variable = problem.wrt[0]
    x = np.array([[point[v] for v in problem.variables]])
    direction = np.array([[float(v == variable) for v in problem.variables]])
    if chosen.name == "complex-step":
        obstacle = symbolic.complex_step_obstacle(problem.expr)
        if obstacle:
            return Skipped(chosen.name, obstacle[0].value, obstacle[1])
    if chosen.name not in STENCILS and problem.dtype != "float64":
        return Skipped(chosen.name, "double_precision_only", Message("{method} runs in double precision only",
                                                                           method=chosen.name))
    if chosen.name == "complex-step" and order > 1:
        e = explain_contour(problem.function(), x, direction, order, variable.name)
        return dataclasses.replace(e, error=_error(e.value, analytic))
    if chosen.name == "complex-step":
        return _complex_step(problem, point, x, direction, analytic)
    if chosen.name == "richardson":
        tableau = explanation_richardson.explain_tableau(problem, x, direction, order)
        return replace(tableau, error=_error(tableau.value, analytic))
    stencil_method = STENCILS[chosen.name]
    step = stencil_method.step(order, x, h, problem.kind)
    if h == finite.AUTO:
        step = stencil_method.tuned_step(problem.function(), x, direction, order, step, problem.kind)
    return _stencil(problem, stencil_method, point, x, direction, order, step, analytic)


def digits_lost(a: float, b: float, of: int) -> int | None:
    """How many leading decimal digits the subtraction ``a - b`` cancels: the places from the
    leading digit of the larger of |a| and |b| down to just above the leading digit of the
    difference (the columns where a − b, written out, has zeros), computed exactly; ``of`` (all)
    where a == b, 0 where the difference is as large as they are; None where either is not finite.

    >>> digits_lost(9.00060001, 9.0, 16), digits_lost(1.0, 0.999, 16), digits_lost(0.75, 0.75, 16)
    (4, 3, 16)
    """
    if not (math.isfinite(a) and math.isfinite(b)):
        return None
    if a == b:
        return of
    # Decimal(float) is the double's exact value; adjusted() is the exponent of its leading digit.
    larger = max(Decimal(a).copy_abs(), Decimal(b).copy_abs())
    with localcontext() as exact:
        exact.prec = 1100  # more digits than any double's exact value holds: the difference is not rounded
        difference = Decimal(a) - Decimal(b)
    return max(0, min(of, larger.adjusted() - difference.adjusted()))


def significant_digits(kind: type) -> int:
    """Decimal digits a float of numpy type ``kind`` holds: 16 for float64, 7 for float32."""
    return math.ceil(np.finfo(kind).nmant * math.log10(2))


def _stencil(
    problem: Problem, stencil_method: finite.StencilMethod, point: dict[sp.Symbol, float], x: np.ndarray,
    direction: np.ndarray, order: int, step: np.ndarray, analytic: mpmath.mpf | None,
) -> StencilExplanation:
    s, kind = stencil_method.stencil(order), problem.kind
    index = problem.variables.index(problem.wrt[0])
    # As finite._halvings: the step and its halvings, in the dtype, through the same functions.
    steps = np.concatenate([step / 2**k for k in range(HALVINGS)]).astype(kind)
    points = finite.stencil_points(s, np.tile(x, (HALVINGS, 1)), np.tile(direction, (HALVINGS, 1)), steps)
    values = finite.evaluate(problem.function(), points)
    derivatives, _ = finite.combine(s, values, steps)
    h, first = steps[0], values[:, 0]
    terms = tuple(Term(o, w, float(p), float(v)) for o, w, p, v in zip(s.offsets, s.weights, points[:, 0, index], first))
    differences, total = _differences(s, first, significant_digits(kind))
    denominator = kind(s.divisor) * h**order
    value = float(derivatives[0])
    x0 = kind(point[problem.wrt[0]])
    taken = float((x0 + h) - x0)
    truncation = _truncation(problem, point, order, s.accuracy, _leading_coefficient(s), float(h))
    f_max = float(np.max(np.abs(first)))
    rounding = Rounding(float(np.finfo(kind).eps), f_max, float(np.finfo(kind).eps) * f_max / float(h) ** order)
    errors = tuple(_error(float(d), analytic) for d in derivatives)
    halving = Halving(tuple(float(v) for v in steps), tuple(float(d) for d in derivatives),
                      tuple(None if e is None else abs(e) for e in errors), _orders(errors))
    verdict = _verdict(taken, first, truncation, rounding)
    explanation = StencilExplanation(
        stencil_method.name, stencil_formula(s, problem.wrt[0].name), order, s.accuracy, s.offsets, s.weights, s.divisor, float(h), taken, terms, differences,
        total, float(denominator), value, errors[0], truncation, rounding, halving, verdict, (),
    )
    return words.with_summary(explanation, problem.dtype, float(x0), problem.wrt[0].name)


def _differences(s: finite.Stencil, values: np.ndarray, of: int) -> tuple[tuple[Difference, ...], float]:
    """Each value minus the value nearest x, times its weight, summed in offset order, as
    :func:`finite.combine` does. A negative weight is shown as its size times the reversed
    subtraction, the same double: a − b = −(b − a) exactly in floating point."""
    nearest = min(range(len(s.offsets)), key=lambda i: abs(s.offsets[i]))
    shown, total = [], None
    for i, (o, w) in enumerate(zip(s.offsets, s.weights)):
        d = values[i] - values[nearest]
        contribution = w * d
        total = contribution if total is None else total + contribution
        if i == nearest:
            continue
        a, b, (oa, ob) = (values[i], values[nearest], (o, s.offsets[nearest])) if w > 0 else (
            values[nearest], values[i], (s.offsets[nearest], o))
        shown.append(Difference(oa, ob, float(a), float(b), float(a - b), abs(w), float(contribution),
                                digits_lost(float(a), float(b), of), of))
    return tuple(shown), float(total)


def stencil_formula(s: finite.Stencil, v: str = "x") -> str:
    """The estimate as a person writes it, terms in offset order, in the variable ``v``.

    >>> stencil_formula(STENCILS["five-point"].stencil(1))
    '(−f(x+2h) + 8f(x+h) − 8f(x−h) + f(x−2h)) / 12h'
    """
    terms = []
    for o, w in zip(s.offsets, s.weights):
        size = "" if abs(w) == 1 else str(abs(w))
        sign = ("−" if w < 0 else "") if not terms else (" − " if w < 0 else " + ")
        terms.append(f"{sign}{size}{point_name(o, v)}")
    divisor = "" if s.divisor == 1 else str(s.divisor)
    return f"({''.join(terms)}) / {divisor}h{words.power(s.order)}"


def _leading_coefficient(s: finite.Stencil) -> Fraction:
    """C in D(h) − f^(n)(x) = C·h^p·f^(n+p)(x) + …: the first Taylor term the weights do not cancel."""
    k = s.order + s.accuracy
    return sum((Fraction(w * o**k, math.factorial(k)) for o, w in zip(s.offsets, s.weights)), Fraction(0)) / s.divisor


def _truncation(
    problem: Problem, point: dict[sp.Symbol, float], order: int, power: int, coefficient: Fraction, h: float
) -> Truncation:
    """The leading truncation term at the double h, exactly: sympy's f^(order+power)(x) times C·h^power."""
    k = order + power
    sign = "−" if coefficient < 0 else ""
    numerator = "" if abs(coefficient.numerator) == 1 else str(abs(coefficient.numerator))
    h_power = "h" + words.power(power)
    formula = f"{sign}{numerator}{h_power}/{coefficient.denominator}·{words.derivative_name(k)}({problem.wrt[0].name})"
    try:
        derivative = symbolic.exact_value(problem.derivative(problem.wrt[0], k), point, what=words.derivative_name(k))
    except NumdiffError:  # undefined at x, or beyond what sympy can evaluate: the term is unknown
        return Truncation(formula, str(coefficient), power, k, None, None, None)
    exact = mpmath.mpf(coefficient.numerator) / coefficient.denominator * mpmath.mpf(h) ** power * derivative
    return Truncation(formula, str(coefficient), power, k, float(derivative), float(exact), mpmath.nstr(exact, 17))


def _error(value: float, analytic: mpmath.mpf | None) -> float | None:
    """value − exact, signed; None without an exact value or a finite value."""
    if analytic is None or not math.isfinite(value):
        return None
    return float(mpmath.mpf(value) - analytic)


def _orders(errors: Sequence[float | None]) -> tuple[float | None, ...]:
    """log2(|e(h)| / |e(h/2)|) for each halving; None where an error is missing or 0."""
    return tuple(
        math.log2(abs(a) / abs(b)) if a and b else None for a, b in zip(errors, errors[1:])
    )


def _verdict(taken: float, values: np.ndarray, truncation: Truncation, rounding: Rounding) -> Verdict:
    if not np.all(np.isfinite(values)):
        return Verdict.NOT_FINITE
    if taken == 0:
        return Verdict.STEP_LOST
    if truncation.value is not None and abs(truncation.value) > rounding.value:
        return Verdict.TRUNCATION
    return Verdict.ROUNDING


def _complex_step(
    problem: Problem, point: dict[sp.Symbol, float], x: np.ndarray, direction: np.ndarray, analytic: mpmath.mpf | None
) -> ComplexStepExplanation:
    steps = np.array([complex_step.STEP, complex_step.CHECK_STEP])
    values = complex_step.complex_values(problem.function(), x, direction, steps)[:, 0]
    value, check = (values.imag / steps).tolist()  # as the method divides: Im f(x + ih) / h
    truncation = _truncation(problem, point, 1, 2, Fraction(-1, 6), complex_step.STEP)
    eps = float(np.finfo(float).eps)
    rounding = Rounding(eps, abs(value), eps * abs(value))
    x0 = point[problem.wrt[0]]
    f = complex(values[0])
    agree = Message("the same double") if value == check else Message(
        "a difference of {difference:.1e}, its error estimate", difference=abs(value - check))
    summary = (
        Message("One evaluation at the complex point {v} + ih = {x!r} + {h:g}i gives f = {real!r} + {imag!r}i, and "
                "Im f / h = {imag!r} / {h:g} = {value!r}.", v=problem.wrt[0].name, x=x0, h=complex_step.STEP,
                real=f.real, imag=f.imag, value=value),
        Message("No two nearby values are subtracted, so no digit cancels, and h can be as small as 1e-200: the "
                "truncation term {formula} = {exact} is far below the rounding of the result (ε·|f′| = "
                "{rounding:.1e}).", formula=truncation.formula, exact=truncation.exact, rounding=rounding.value),
        Message("The same at h = {h:g} gives {check!r}: {agree}.", h=complex_step.CHECK_STEP, check=check, agree=agree),
    )
    return ComplexStepExplanation("complex-step", complex_step.STEP, x0, float(f.real), float(f.imag), value,
                                  complex_step.CHECK_STEP, check, _error(value, analytic), truncation, rounding, summary)
