"""The complex step beyond first derivatives: the contour derivative against exact derivatives of
orders 2..8, its error estimate, the circle it keeps, and where it does not apply."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import numdiff_cli as nd
from numdiff_cli import symbolic
from numdiff_cli.contour import contour_derivatives
from numdiff_cli.explanation import explain
from numdiff_cli.parsing import parse_expression
from numdiff_cli.problem import build
from numdiff_cli.results.codes import Reason, RowStatus
from numdiff_cli.results.explain import WalkEnd

_spec = importlib.util.spec_from_file_location("accuracy_suite", Path(__file__).parent.parent / "benchmarks" / "accuracy_suite.py")
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)

ENTIRE = [("sin(x)", 0.7), ("exp(x)", 2.0), ("cos(x)^2", 2.0), ("x^3 sin(x)", 1.1), ("exp(-x^2)", 0.6), ("cos(x)", 30.0),
          ("sin(x)e^x", -1.0), ("sin(100x)", 0.3)]
HALF_PI = math.pi / 2
# (expression, point, distance from the point to the nearest singularity or branch point of f)
SINGULAR = [
    ("log(x)", 2.0, 2.0), ("1/(1+x^2)", 0.5, math.hypot(0.5, 1)), ("atan(x)", 0.8, math.hypot(0.8, 1)),
    ("tanh(x)", 0.3, math.hypot(0.3, HALF_PI)), ("sqrt(x)", 5.0, 5.0), ("x^x", 1.5, 1.5), ("1/x", 1e-3, 1e-3),
    ("tan(x)", 1.5, HALF_PI - 1.5), ("sigmoid(x)", -0.5, math.hypot(0.5, math.pi)), ("log(1+x^2)", 2.0, math.hypot(2, 1)),
    ("1/(x-1)", 1.001, 1e-3), ("log(x)", 1e-6, 1e-6),
]
ORDERS = range(2, 9)


def exact(expression: str, at: float, order: int) -> float:
    expr = parse_expression(expression)
    (x,) = expr.free_symbols
    return float(sp.diff(expr, x, order).evalf(30, subs={x: sp.Float(at, 30)}))


def contour(expression: str, at: float, order: int) -> tuple[float, float, float]:
    expr = parse_expression(expression)
    f = symbolic.compile_function(expr, sorted(expr.free_symbols, key=str))
    value, error, radius = contour_derivatives(f, np.array([[at]]), np.array([[1.0]]), order)
    return float(value[0]), float(error[0]), float(radius[0])


CORPUS = [(e, at, n) for e, at in ENTIRE for n in ORDERS] + [(e, at, n) for e, at, _ in SINGULAR for n in ORDERS]


@pytest.mark.parametrize(("expression", "at", "order"), CORPUS, ids=lambda v: str(v))
def test_the_contour_derivative_is_within_1e_11_and_its_estimate_never_understates_tenfold(expression, at, order):
    truth = exact(expression, at, order)
    value, estimate, _ = contour(expression, at, order)
    assert abs(value - truth) <= 1e-11 * abs(truth)
    assert estimate * 10 >= abs(value - truth)
    assert estimate <= 1e-10 * abs(truth)  # and it is small enough to be recommended


@pytest.mark.parametrize(("expression", "at", "distance"), SINGULAR, ids=lambda v: str(v))
def test_the_circle_it_keeps_stays_inside_the_nearest_singularity(expression, at, distance):
    for order in (2, 6):
        assert contour(expression, at, order)[2] < distance


def test_rows_are_independent_when_computed_together():
    expr = parse_expression("log(x)")
    f = symbolic.compile_function(expr, list(expr.free_symbols))
    x = np.array([[2.0], [1e-3], [50.0]])
    together = contour_derivatives(f, x, np.ones_like(x), 4)
    for i, row in enumerate(x):
        alone = contour_derivatives(f, row[None], np.ones((1, 1)), 4)
        assert [a[0] for a in alone] == [t[i] for t in together]


def test_diff_recommends_it_for_sixth_derivatives_within_1e_9_at_ordinary_points():
    for case in suite.SIXTH:
        point = nd.diff(case.expression, case.at, order=6).points[0]
        assert point.recommended == "complex-step", case
        assert point.recommendation.rel_error <= 1e-9, case


def test_the_first_derivative_is_still_the_complex_step_of_1e_200():
    (row,) = nd.diff("sin(x)", 1, methods="complex-step").points[0].numeric
    assert row.h == 1e-200 and row.value == math.cos(1.0)


@pytest.mark.parametrize(("expression", "reason"), [("abs(x) + x^3", Reason.NOT_COMPLEX_ANALYTIC),
                                                    ("erf(x)", Reason.REAL_ONLY_FUNCTION)])
def test_it_is_refused_where_f_is_not_complex_analytic(expression, reason):
    (row,) = nd.diff(expression, 0.5, order=4, methods="complex-step").points[0].numeric
    assert row.value is None and (row.status, row.reason) == (RowStatus.SKIPPED, reason)


def test_its_row_shows_the_radius_as_its_step_and_the_explanation_the_same_number():
    problem = build("1/(1+x^2)", 0.8)
    (row,) = nd.diff("1/(1+x^2)", 0.8, order=6, methods="complex-step").points[0].numeric
    (e,) = explain(problem, order=6, methods=["complex-step"]).points[0].methods
    assert e.kind == "contour" and e.value == row.value and e.error_estimate == row.error_estimate
    assert e.circles[e.chosen].radius == row.h < math.hypot(0.8, 1)
    # past the poles at ±i the circles converge to another value: the walk ends on a contradiction
    assert e.ended is WalkEnd.CONTRADICTS and e.circles[e.end].radius > math.hypot(0.8, 1)
    assert abs(e.error) == row.abs_error


def test_an_entire_function_uses_circles_up_to_the_largest():
    (e,) = explain(build("exp(x)", 1.0), order=3, methods=["complex-step"]).points[0].methods
    assert e.ended is WalkEnd.LAST and e.end is None  # the largest, 16·max(1, |x|), lies beyond those shown
    assert "Every circle up to the largest, r = 16, agrees with it." in e.summary[-1]


@pytest.mark.parametrize(("expression", "at"), [("exp(x)", 700.0), ("exp(x)", -700.0), ("x^3", 1e-300),
                                                ("sin(x)", 1e8), ("exp(1/x)", 0.1)])
def test_far_from_1_its_estimate_stays_honest(expression, at):
    # n!/rⁿ overflows on the smallest circles (x^3 at 1e-300) and f near the largest (exp at 700):
    # neither may end the walk; at 1e8 a circle's points round to 1e-8, which the estimate must see.
    truth = exact(expression, at, 3)
    value, estimate, _ = contour(expression, at, 3)
    assert abs(value - truth) <= 1e-8 * abs(truth) and abs(value - truth) <= 10 * estimate


def test_the_row_says_what_its_h_is():
    (row,) = nd.diff("sin(x)", 1, order=2, methods="complex-step").points[0].numeric
    assert row.note == "its h is the radius of the circle around x in the complex plane that its values lie on"
    (given,) = nd.diff("sin(x)", 1, order=2, methods="complex-step", h=0.1).points[0].numeric
    assert given.note == "h = 0.1 is not used: the method chooses its own step"
