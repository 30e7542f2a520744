"""Finite-difference stencils, their convergence orders, and the lecture's exact values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from numdiff_cli.finite import stencil
from numdiff_cli.methods import FIXED_STEP, METHODS

ONE = np.array([[1.0]])


def numeric(name, f, x, order=1, h=1e-4):
    (estimate,) = METHODS[name].estimate(f, np.array([[x]]), ONE, order, np.array([h]))
    return estimate


@pytest.mark.parametrize(
    ("offsets", "order", "weights", "divisor", "accuracy"),
    [
        ((1, 0), 1, (1, -1), 1, 1),
        ((1, 0, -1), 1, (1, -1), 2, 2),  # the 0 weight is dropped
        ((1, 0, -1), 2, (1, -2, 1), 1, 2),
        ((2, 1, 0, -1, -2), 1, (-1, 8, -8, 1), 12, 4),
        ((2, 1, 0, -1, -2), 2, (-1, 16, -30, 16, -1), 12, 4),
        ((2, 1, 0, -1, -2), 4, (1, -4, 6, -4, 1), 1, 2),
    ],
)
def test_textbook_stencils(offsets, order, weights, divisor, accuracy):
    s = stencil(offsets, order)
    assert s.weights == weights and s.divisor == divisor and s.accuracy == accuracy


def test_too_few_points_for_the_order():
    with pytest.raises(ValueError, match="cannot give a derivative of order 2"):
        stencil((1, 0), 2)


def test_lecture_central_difference_to_the_last_digit():
    # The lecture's function_1 and numerical_diff print exactly these doubles.
    def f(x):
        return 0.01 * x**2 + 0.1 * x

    assert numeric("central", f, 5.0).value == 0.1999999999990898
    assert numeric("central", f, 10.0).value == 0.2999999999986347
    # Partial derivatives of x0^2 + x1^2 at (3, 4), one variable held fixed.
    assert numeric("central", lambda t: t * t + 4.0**2.0, 3.0).value == 6.00000000000378
    assert numeric("central", lambda t: 3.0**2.0 + t * t, 4.0).value == 7.999999999999119


@pytest.mark.parametrize("name", FIXED_STEP)
@pytest.mark.parametrize("order", [1, 2, 3])
def test_step_below_the_spacing_of_doubles_gives_exactly_zero(name, order):
    # x + h == x: every value is f(x), and the weights sum to 0.
    assert numeric(name, np.sin, 1.0, order=order, h=1e-50).value == 0.0


@pytest.mark.parametrize("name", FIXED_STEP)
@pytest.mark.parametrize("order", [1, 2, 3, 4])
def test_convergence_order_is_the_stencils_accuracy(name, order):
    """The slope of log(error) against log(h) matches the stencil's accuracy within 0.2."""
    x0 = 0.7
    exact = [math.sin, math.cos, lambda t: -math.sin(t), lambda t: -math.cos(t), math.sin][order](x0)
    accuracy = METHODS[name].stencil(order).accuracy
    # Steps large enough that rounding error stays far below truncation error.
    hs = np.geomspace(0.2, 0.05, 5) if accuracy >= 4 or order >= 3 else np.geomspace(0.05, 0.005, 5)
    errors = [abs(numeric(name, np.sin, x0, order, h).value - exact) for h in hs]
    slope = np.polyfit(np.log(hs), np.log(errors), 1)[0]
    assert abs(slope - accuracy) < 0.2, (name, order, slope, accuracy)


@pytest.mark.parametrize("name", FIXED_STEP)
@pytest.mark.parametrize(
    ("f", "df", "x"),
    [(np.sin, np.cos, 0.7), (np.exp, np.exp, 2.0), (np.log, lambda t: 1 / t, 3.0), (np.sqrt, lambda t: 0.5 / np.sqrt(t), 5.0)],
)
@pytest.mark.parametrize("h", [1e-1, 1e-4, 1e-8, 1e-12])
def test_error_estimate_does_not_understate_the_true_error(name, f, df, x, h):
    estimate = numeric(name, f, x, h=h)
    true_error = abs(estimate.value - df(x))
    assert estimate.error_estimate * 10 >= true_error


def test_several_points_and_directions_in_one_call():
    calls = []

    def f(a, b):
        calls.append(a.shape)
        return a**2 * b

    x = np.array([[1.0, 2.0], [1.0, 2.0]])
    directions = np.eye(2)
    dx, dy = METHODS["central"].estimate(f, x, directions, 1, np.array([1e-4, 1e-4]))
    assert len(calls) == 1
    assert dx.value == pytest.approx(4.0, rel=1e-8) and dy.value == pytest.approx(1.0, rel=1e-8)


@pytest.mark.parametrize(("name", "gain"), [("central", 100), ("five-point", 1000)])
def test_tuned_step_adapts_to_fast_oscillation(name, gain):
    """sin(100x) needs a step 100 times finer than one scaled to |x| alone."""
    from numdiff_cli.methods import STENCILS

    method, x = STENCILS[name], np.array([[0.3]])
    f, exact = (lambda t: np.sin(100 * t)), 100 * math.cos(30.0)
    balanced = method.balanced_step(1, x)
    tuned = method.tuned_step(f, x, ONE, 1, balanced)
    assert tuned[0] < balanced[0] / 10 and (0.3 + tuned[0]) - 0.3 == tuned[0]
    error_balanced = abs(numeric(name, f, 0.3, h=balanced[0]).value - exact)
    error_tuned = abs(numeric(name, f, 0.3, h=tuned[0]).value - exact)
    assert error_tuned * gain < error_balanced


@pytest.mark.parametrize("x", [math.pi, 2 * math.pi, 3 * math.pi, 9.161, 9.832])
def test_five_point_at_a_zero_of_sin_is_not_unreliable_by_an_estimate_the_size_of_its_value(x):
    """sin at π with h = 1e-4: five-point's error (2e-12) is the rounding of the points x ± h
    themselves (π + 1e-4 is no double), which the values' own rounding (a few ulps of |f| ≈ 1e-4)
    missed: the halvings looked out of their regime, and the estimate became the value, 1.0."""
    import numdiff_cli as nd

    (row,) = [r for r in nd.diff("sin(x)", at=x, methods=["five-point"]).points[0].numeric]
    error = abs(row.value - math.cos(x))
    assert row.status.value == "ok"
    assert error <= row.error_estimate <= 100 * max(error, 1e-15)


@pytest.mark.parametrize(("expression", "derivative"), [("sin(x)", math.cos), ("exp(x)", math.exp), ("log(x)", lambda x: 1 / x)])
def test_fixed_step_estimates_cover_their_errors_and_flag_only_what_is_wrong(expression, derivative):
    """Over [0.1, 10] (points where x ± h are doubles and where they are not): each fixed-step row's
    own estimate is at least half its true error, and a row is unreliable only where its true
    error is beyond the 0.1% the verdict names."""
    import numdiff_cli as nd

    for x in np.linspace(0.1, 10, 25):
        for row in nd.diff(expression, at=float(x)).points[0].numeric:
            if row.method not in FIXED_STEP:
                continue
            error = abs(row.value - derivative(x))
            assert error <= 2 * row.error_estimate + 1e-15, (x, row.method)
            if row.status.value == "unreliable":
                assert error > 1e-3 * abs(derivative(x)) / 2, (x, row.method)
