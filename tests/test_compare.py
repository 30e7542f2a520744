"""The diff core: exact values, notes where no derivative exists, errors in words."""

from __future__ import annotations

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numdiff_cli.compare import differentiate
from numdiff_cli.errors import LimitError, MathError, UsageError
from numdiff_cli.parsing import parse_expression
from numdiff_cli.problem import build
from numdiff_cli.symbolic import exact_value
from numdiff_cli.timeout import time_limit

x, y = sp.symbols("x y", real=True)


def at(value, symbol=x):
    return [{symbol: sp.sympify(value)}]


def differentiate_at(expr, variable, points, *, dtype="float64", **options):
    """The diff core on ``expr`` in ``variable`` at ``points`` (dicts keyed by symbol)."""
    problem = build(expr, list(points), wrt=variable.name, dtype=dtype, several_points=True, one_variable=True)
    return differentiate(problem, **options)


def test_rows_for_every_default_method_with_errors_against_exact():
    result = differentiate_at(x**2, x, at(3))
    point = result.points[0]
    assert result.derivative == "2*x" and point.analytic == 6.0
    assert [r.method for r in point.numeric] == [
        "forward", "backward", "central", "five-point", "richardson", "complex-step"
    ]
    for row in point.numeric:
        assert row.abs_error == pytest.approx(abs(row.value - 6.0), rel=1e-6, abs=1e-300)
        assert row.rel_error == pytest.approx(row.abs_error / 6.0)
    assert point.best.method in {"richardson", "complex-step"}


def test_exact_value_is_evaluated_without_cancellation():
    # (1 - cos x) / x^2 has derivative ~ -x/12 near 0; a float formula would cancel badly.
    expr = (1 - sp.cos(x)) / x**2
    point = differentiate_at(expr, x, at("1e-5")).points[0]
    assert point.analytic == pytest.approx(-1e-5 / 12, rel=1e-9)


def test_exact_value_is_at_the_double_nearest_the_point():
    value = exact_value(sp.sin(x), {x: float(sp.pi)}, what="sin(x)")
    assert float(value) == pytest.approx(1.2246467991473532e-16, rel=1e-15)


def test_typed_decimals_count_as_the_exact_doubles_the_code_evaluates():
    # The lecture's function at 10: 0.02*x + 0.1 in 53-bit arithmetic is 0.30000000000000004, but
    # the doubles 0.01 and 0.1 taken exactly give 0.30000000000000000971..., nearest double 0.3.
    point = differentiate_at(parse_expression("0.01x^2 + 0.1x"), x, at(10)).points[0]
    assert point.analytic == 0.3


def test_what_evalf_leaves_standing_is_evaluated_exactly():
    # 0**0 is 1 to sympy, so Heaviside(log(y**x)) at (0, 0) is Heaviside(0) = 1/2, a number,
    # though evalf leaves the expression standing: what evalf leaves is evaluated exactly.
    assert exact_value(sp.Heaviside(sp.log(y**x)), {x: 0.0, y: 0.0}, what="f") == 0.5


def test_a_decimal_exponent_is_evaluated_without_sympy_finding_roots():
    # A Float exponent stays a Float: as the exact rational p / 2**78, x**1e-8 is a root of
    # degree 2**78, which sympy cannot evaluate within the time limit.
    value = exact_value(sp.sinh(sp.sech(x ** sp.Float(1e-8))), {x: 2.0}, what="f")
    assert float(value) == pytest.approx(math.sinh(1 / math.cosh(2.0**1e-8)), rel=1e-15)


def test_a_float_beyond_double_range_stays_a_float_in_exact_values():
    # As an exact rational, 1e-43429448 would have 144 million bits.
    value = exact_value(sp.Float(10) ** -43429448 + x, {x: 1.0}, what="f")
    assert value == 1


def test_exact_values_do_not_grow_exact_rationals_where_numbers_are_large():
    # Exact arithmetic would raise a 53-bit rational to the 10^6th power and hit the time limit.
    point = differentiate_at(parse_expression("1.0000001^x"), x, at("1e6"), methods=["central"]).points[0]
    assert point.analytic == pytest.approx(1.0000001**1e6 * math.log(1.0000001), rel=1e-12)


def test_partial_derivative_with_the_other_variable_held():
    result = differentiate_at(x**2 * y, y, [{x: sp.Integer(2), y: sp.Integer(3)}])
    assert result.points[0].analytic == 4.0 and result.points[0].at == {"x": 2.0, "y": 3.0}


def test_higher_order_uses_a_balanced_step():
    # Truncation C·h^p and rounding ε/h^4 balance near h = ε^(1/(p + 4)); five-point's stencil
    # for the 4th derivative has p = 4, so h = (2^-52)^(1/8) = 2^-6.5 at |x| <= 1, not the 1e-4
    # of first derivatives (whose rounding error ε/h^4 would be about 1).
    from numdiff_cli.methods import METHODS

    assert METHODS["five-point"].stencil(4).accuracy == 4
    point = differentiate_at(sp.sin(x), x, at(1), order=4, methods=["five-point"]).points[0]
    assert point.analytic == pytest.approx(math.sin(1))
    (row,) = point.numeric
    assert row.h == pytest.approx(2**-6.5, rel=1e-12) and row.rel_error < 1e-8


@pytest.mark.parametrize(("text", "value", "message"), [
    ("log(x)", "-1", r"log\(x\) is not real at x = -1"),
    ("1/x", "0", r"1/x is undefined at x = 0"),
    ("exp(x)", "1000", r"exp\(x\) overflows double precision at x = 1000 \(its value is about 1.97e\+434\)"),
    # A value too large to write out has its size given from its logarithm.
    ("factorial(exp(x))", "1e5", r"overflows double precision at x = 100000 \(its value is about 10\^\(1.22e\+43434\)\)"),
    ("sqrt(x)", "0", r"the derivative 1/\(2\*sqrt\(x\)\) is undefined at x = 0"),
    # 1 - x**2 is exactly 0 at x = ±1: the denominators are evaluated exactly, not in floats.
    ("acos(x)", "1", r"the derivative -1/sqrt\(1 - x\*\*2\) is undefined at x = 1"),
    ("sqrt(1 - x^2)", "-1", r"the derivative -x/sqrt\(1 - x\*\*2\) is undefined at x = -1"),
    ("log(x - 1)", "1", r"log\(x - 1\) is undefined at x = 1"),
    ("cbrt(tan(1e8/x - 1))", "0", r"is undefined at x = 0"),  # 1e8/0 is complex infinity (zoo)
    ("cos((coth(x) - acos(e))/(cos(1e8)*x))", "0", r"is undefined at x = 0"),  # cos(zoo) is undefined too
])
def test_math_failures_in_words(text, value, message):
    with pytest.raises(MathError, match=message):
        differentiate_at(parse_expression(text), x, at(value))


@pytest.mark.parametrize("text", ["floor(x)", "ceiling(x)"])
def test_floor_and_ceiling_have_no_derivative_where_they_jump(text):
    # At an integer the one-sided limits of floor and ceiling differ by 1.
    point = differentiate_at(parse_expression(text), x, at(1)).points[0]
    assert point.analytic is None and "jumps at x = 1" in point.note


def test_x_plus_a_constant_built_from_a_huge_integer_has_slope_1():
    # ceiling(1e300 + pi) = 10**300 + 4, whose square root is about 1e150: f = x + acoth(~1e150), f' = 1.
    expr = parse_expression("acoth(sqrt(ceiling(1e300 + pi))) + x")
    point = differentiate_at(expr, x, at(1), methods=["central", "complex-step"]).points[0]
    assert point.analytic == 1.0
    assert [row.value for row in point.numeric] == [pytest.approx(1.0, rel=1e-9)] * 2


def test_no_derivative_is_a_note_and_numeric_rows_still_show():
    point = differentiate_at(sp.Abs(x), x, at(0)).points[0]
    assert point.analytic is None and "corner at x = 0" in point.note
    assert {r.method: r.value for r in point.numeric}["forward"] == 1.0
    assert all(r.abs_error is None for r in point.numeric)


def test_a_derivative_that_exists_at_a_kink_of_abs_is_kept():
    point = differentiate_at(x * sp.Abs(x), x, at(0)).points[0]
    assert point.note is None and point.analytic == 0.0


@pytest.mark.parametrize(("order", "expected"), [(1, 0.0), (2, -1 / 3)])
def test_a_formula_that_is_0_over_0_where_f_is_smooth_takes_its_limit(order, expected):
    # sympy's sinc' is cos(x)/x - sin(x)/x**2: 0/0 at 0, where sinc is smooth.
    point = differentiate_at(sp.sinc(x), x, at(0), order=order).points[0]
    assert point.note is None and point.analytic == pytest.approx(expected, abs=1e-15)


def test_a_function_undefined_at_the_point_is_not_rescued_by_a_limit():
    with pytest.raises(MathError, match=r"sin\(x\)/x is undefined at x = 0"):
        differentiate_at(sp.sin(x) / x, x, at(0))


def test_rows_are_flagged_by_their_own_estimate_but_not_for_a_negligible_one():
    # At a zero derivative every estimate is a large share of the value; only real error counts.
    rows = {r.method: r for r in differentiate_at(x**2, x, at(0)).points[0].numeric}
    assert "unreliable" in rows["forward"].note and "unreliable" in rows["backward"].note
    assert rows["central"].note is None and rows["five-point"].note is None and rows["richardson"].note is None
    # An exact 0 has all its digits right; a nonzero value against 0 has no relative measure.
    assert rows["central"].correct_digits == 16 and rows["forward"].correct_digits is None


@pytest.mark.parametrize(
    ("text", "point", "order"),
    [
        ("asin(sin(x))", "1e4", 1),  # steps of thousands span periods of this triangle wave
        ("sec(x)*sigmoid(x)", "1e4", 4),
        ("x - gamma(x^2)", "1e-8", 1),  # steps of 0.5 cross the pole of gamma(x^2) at 0
    ],
)
def test_richardson_is_never_silently_wrong_where_its_step_families_disagree(text, point, order):
    # Here the steps scaled to |x| and those scaled to 1 give contradicting values: richardson
    # is then right or says it is unreliable, and its error estimate covers its true error.
    result = differentiate_at(parse_expression(text), x, at(point), order=order, methods=["richardson"])
    (row,) = result.points[0].numeric
    exact = result.points[0].analytic
    assert row.value == pytest.approx(exact, rel=1e-6) or "unreliable" in row.note
    assert row.error_estimate >= abs(row.value - exact)


def test_non_finite_numeric_row_is_named():
    # log(x) at 1e-5 with h = 1e-4: the backward point x - h is outside the domain.
    point = differentiate_at(sp.log(x), x, at("1e-5"), methods=["backward"]).points[0]
    assert point.numeric[0].value is None and "not finite" in point.numeric[0].note


def test_a_method_with_no_finite_step_shows_none_not_nan():
    # At the domain's edge every step of richardson's tableau of central differences fails.
    (row,) = differentiate_at((x - 1) ** sp.Rational(3, 2), x, at(1), methods=["richardson"]).points[0].numeric
    assert row.value is None and row.h is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"order": 0}, "a whole number from 1 to 6"),
    ({"order": 7}, "a whole number from 1 to 6"),
    ({"h": 0.0}, "positive number"),
    ({"h": -1e-3}, "positive number"),
    ({"h": math.inf}, "positive number"),
    ({"h": "big"}, "positive number or 'auto'"),
    ({"methods": ["magic"]}, "unknown method 'magic'; choose from forward"),
    ({"methods": []}, "at least one method"),
])
def test_bad_options(kwargs, message):
    with pytest.raises(UsageError, match=message):
        differentiate_at(x**2, x, at(1), **kwargs)


def test_symbolic_work_has_a_time_limit():
    with pytest.raises(LimitError, match="took longer than 0.1 s"), time_limit(0.1, "waiting"):
        while True:
            pass


# Random smooth expressions: the five-point value agrees with the exact derivative.
_leaves = st.sampled_from([x, x, sp.Integer(2), sp.Rational(1, 3), sp.pi])
_unary = st.sampled_from([sp.sin, sp.cos, sp.atan, sp.tanh, lambda e: sp.exp(e / 4), lambda e: e**2, lambda e: sp.sqrt(1 + e**2)])
_binary = st.sampled_from([lambda a, b: a + b, lambda a, b: a * b, lambda a, b: a - b])
smooth = st.recursive(
    _leaves,
    lambda inner: st.one_of(st.builds(lambda f, a: f(a), _unary, inner), st.builds(lambda f, a, b: f(a, b), _binary, inner, inner)),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None)
@given(smooth, st.floats(-1.5, 1.5))
def test_five_point_agrees_with_exact_on_smooth_expressions(expr, point):
    if x not in expr.free_symbols:
        expr = expr + x
    result = differentiate_at(expr, x, [{x: sp.Float(point)}], methods=["five-point"], h="auto")
    row = result.points[0].numeric[0]
    # Rounding in f itself (about eps * |f| in each of the stencil's values, weights summing to 1.5 / h)
    # is a floor no step can beat: x + exp(pi**4/4) has |f| ~ 4e10 and cannot be differentiated to 1e-7.
    rounding_floor = 10 * 2.2e-16 * abs(float(expr.subs(x, point))) * 1.5 / row.h
    assert row.abs_error <= 1e-7 * (1 + abs(result.points[0].analytic)) + rounding_floor


def test_a_budget_that_runs_out_inside_a_step_names_both():
    budget = r"^the command ran past its 0.2 s budget while waiting; timeout sets"
    with pytest.raises(LimitError, match=budget), time_limit(0.2, "the command", budget=True), time_limit(5, "waiting"):
        while True:
            pass
    step = r"^waiting took longer than 0.1 s"
    with pytest.raises(LimitError, match=step), time_limit(5, "the command", budget=True), time_limit(0.1, "waiting"):
        while True:
            pass
