"""Descent and ascent: closed forms, the lecture's three learning rates, every status."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from numdiff_cli.descent import compare, descend, learning_rate_advice
from numdiff_cli.errors import UsageError
from numdiff_cli.objective import Objective
from numdiff_cli.problem import build

x0, x1, x, y = sp.symbols("x0 x1 x y", real=True)
LECTURE = x0**2 + x1**2
START = {x0: sp.Integer(-3), x1: sp.Integer(4)}


def descend_at(expr, start, **options):
    """The descend core on ``expr`` from ``start`` (a dict keyed by symbol, or text)."""
    return descend(build(expr, start, parameter="start"), **options)


def compare_at(expr, start, **options):
    return compare(build(expr, start, parameter="start"), **options)


def test_lecture_lr_01_to_the_last_digit():
    run = descend_at(LECTURE, START, lr=0.1, steps=100)
    # The lecture prints [-6.11110793e-10  8.14814391e-10] for its numerical_gradient loop.
    assert run.final_x == (-6.111107928998789e-10, 8.148143905314271e-10)
    assert run.status == "converged" and run.critical_point.kind == "minimum"


def test_lecture_lr_10_diverges_and_the_vanished_step_is_named():
    run = descend_at(LECTURE, START, lr=10, steps=100)
    assert run.final_x == (-25898374737328.363, -1295248616896.5398)  # the lecture's figure
    assert run.status == "diverged" and "too large" in run.message and "x + h == x" in run.message
    assert run.steps == 100  # carried to the requested number of steps
    assert "diverges along it" in run.warning


def test_lecture_lr_tiny_stalls():
    run = descend_at(LECTURE, START, lr=1e-10, steps=100)
    assert run.final_x == (-2.999999939999995, 3.9999999199999934)
    assert run.status == "stalled" and "too small" in run.message


@pytest.mark.parametrize("lr", [0.05, 0.3, 0.7])
def test_quadratic_matches_the_closed_form(lr):
    # f = a x^2 + b y^2 with the exact gradient: x_k = (1 - 2 a lr)^k x_0.
    a, b = 1.5, 0.25
    run = descend_at(a * x**2 + b * y**2, {x: sp.Integer(2), y: sp.Integer(-1)}, lr=lr, steps=30, gradient="analytic", keep_all=True)
    for row in run.trace:
        expected = (2 * (1 - 2 * a * lr) ** row.step, -1 * (1 - 2 * b * lr) ** row.step)
        np.testing.assert_allclose(row.x, expected, rtol=1e-12, atol=1e-300)


def test_ascent_climbs_to_a_maximum():
    run = descend_at(-(x - 1) ** 2 - (y + 2) ** 2, {x: sp.Integer(0), y: sp.Integer(0)}, lr=0.1, steps=200, ascent=True)
    np.testing.assert_allclose(run.final_x, (1, -2), atol=1e-8)
    assert run.status == "converged" and run.critical_point.kind == "maximum"


def test_descent_to_a_saddle_point_says_so():
    run = descend_at(x**2 - y**2, {x: sp.Integer(1), y: sp.Integer(0)}, lr=0.1, steps=100)
    assert run.status == "converged" and run.critical_point.kind == "saddle point"
    assert "saddle point" in run.message


def test_tolerance_stops_early_and_is_converged():
    run = descend_at(LECTURE, START, lr=0.1, steps=1000, tol=1e-6)
    assert run.status == "converged" and run.steps < 100 and run.final_grad_norm < 1e-6


def test_max_steps_when_still_on_the_way():
    run = descend_at(LECTURE, START, lr=0.01, steps=10)
    assert run.status == "max_steps" and "still on the way" in run.message


def test_non_finite_values_diverge_and_name_the_step():
    run = descend_at(sp.exp(x**2), {x: sp.Integer(2)}, lr=1.0, steps=50, gradient="analytic")
    assert run.status == "diverged" and "at step 1 f grew past what a double can hold" in run.message
    assert run.steps < 50


def test_numeric_gradient_that_vanished_is_not_a_minimum():
    # Starting at |x| = 1e13, x + h == x for h = 1e-4: the numerical gradient is exactly 0.
    run = descend_at(x**2, {x: sp.Float(1e13)}, lr=1e-20, steps=5)
    assert run.status == "stalled" and "not a minimum" in run.message


def test_learning_rate_advice_on_a_quadratic():
    advice = learning_rate_advice(np.array([2.0, 8.0]), 0.3, "sgd", ascent=False)
    assert "2/λmax = 0.25" in advice.text and "|1 − lr·λmax| = 1.4, so plain gradient descent diverges" in advice.warning
    assert advice.rates == "|1 − 0.3·2| = 0.4, |1 − 0.3·8| = 1.4"
    assert learning_rate_advice(np.array([2.0, 8.0]), 0.2, "sgd", ascent=False).warning is None
    concave = learning_rate_advice(np.array([-2.0]), 0.2, "sgd", ascent=False)
    assert "runs off at any lr" in concave.text and concave.warning is None
    assert concave.rates == "|1 − 0.2·(-2)| = 1.4"
    # The advice is right: just below the limit converges, just above diverges.
    f, start = x**2 + 4 * y**2, {x: sp.Integer(1), y: sp.Integer(1)}
    assert descend_at(f, start, lr=0.24, steps=300, gradient="analytic").status == "converged"
    assert descend_at(f, start, lr=0.26, steps=300, gradient="analytic").status == "diverged"


def test_trace_keeps_head_every_kth_and_tail_unless_all_asked():
    run = descend_at(LECTURE, START, lr=0.1, steps=100)
    assert [r.step for r in run.trace] == [0, 1, 2, 3, 4, *range(10, 100, 10), 95, 96, 97, 98, 99, 100]
    assert len(descend_at(LECTURE, START, lr=0.1, steps=100, keep_all=True).trace) == 101
    assert [r.step for r in descend_at(LECTURE, START, lr=0.1, steps=30, every=15).trace][-3:] == [28, 29, 30]


def test_trace_rows_carry_both_gradients():
    row = descend_at(LECTURE, START, lr=0.1, steps=1).trace[0]
    assert row.grad_analytic == (-6.0, 8.0) and row.grad_numeric == row.grad == (-6.00000000000378, 7.999999999999119)


def test_compare_runs_each_optimizer_at_its_learning_rate():
    planned = [("sgd", 0.1), ("sgd", 10.0), ("adam", 0.1), ("adam", 10.0)]
    runs = compare_at(LECTURE, START, runs=planned, steps=50).runs
    assert [(r.optimizer, r.lr) for r in runs] == planned


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"lr": 0.0}, "^lr must be a positive number"),
    ({"lr": -1.0}, "^lr must be a positive number"),
    ({"steps": 0}, "^steps must be a whole number from 1 to"),
    ({"gradient": "exact"}, "^gradient must be one of"),
    ({"tol": -1.0}, "^tol must be a positive number"),
    ({"every": 0}, "^every must be a whole number of at least 1"),
    ({"h": 0.0}, "positive number"),
    ({"optimizer": "magic"}, "unknown optimizer"),
])
def test_bad_settings(kwargs, message):
    with pytest.raises(UsageError, match=message):
        descend_at(LECTURE, START, **kwargs)


def test_start_where_f_is_undefined_is_a_math_error():
    from numdiff_cli.errors import MathError

    with pytest.raises(MathError, match=r"log\(x\) is not real at x = -1"):
        descend_at(sp.log(x), {x: sp.Integer(-1)})


@pytest.mark.parametrize(
    ("start", "gradient", "message"),
    [
        # The stencil reaches x < 0, but the exact gradient exists: say how to start anyway.
        ("1e-5", "numeric", r"numerical gradient .* is not finite at the start x = 1e-05: .* a smaller h, or gradient analytic"),
        ("0", "analytic", r"the gradient is not finite at the start x = 0: f has no real derivative there"),
    ],
)
def test_a_gradient_that_is_not_finite_at_the_start_is_a_math_error(start, gradient, message):
    from numdiff_cli.errors import MathError

    with pytest.raises(MathError, match=message):
        descend_at(sp.sqrt(x), {x: sp.Float(start)}, gradient=gradient)


def test_an_iterate_on_a_pole_is_nan_not_a_crash():
    f, g = Objective.compile(build(1 / x, 1)).exact(np.array([0.0]))
    assert np.isnan(f) and np.isnan(g).all()


def test_an_iterate_where_f_is_complex_is_nan_not_its_real_part():
    # In Python floats (-0.5)**(1/3) is complex, and so is csc of it: where f is not real the
    # iterate's value is nan, never the real part of a complex number.
    f, g = Objective.compile(build(3 / sp.sqrt(sp.csc(sp.cbrt(x))), 1)).exact(np.array([-0.5]))
    assert np.isnan(f) and np.isnan(g).all()


def test_start_by_name_keeps_the_natural_variable_order():
    run = descend_at(LECTURE, "x1=4,x0=-3", steps=1)
    assert run.variables == ("x0", "x1") and run.start == (-3.0, 4.0)


def test_learning_rate_exactly_at_the_limit_bounces():
    assert "bounces along it without getting closer" in learning_rate_advice(np.array([2.0]), 1.0, "sgd", ascent=False).warning


def test_results_hold_python_floats():
    run = descend_at(LECTURE, START, steps=3)
    assert type(run.final_f) is float and all(type(row.f) is float for row in run.trace)


@pytest.mark.parametrize(("gradient", "rtol"), [("numeric", 1e-6), ("analytic", 1e-12)])
def test_complex_constants_in_compiled_code_give_real_iterates(gradient, rtol):
    # sympy's printer writes cosh(pi) inside sec as cos(1j*pi): the iterates stay real, and are
    # those of real arithmetic, with ∂f/∂x = 1 - x·sec(u)·tan(u) for u = x²/2 - cosh(π), ∂f/∂y = 1
    # (central differences with h = 1e-4 are off by about 1e-7 here, within rtol).
    from numdiff_cli.parsing import parse_expression

    expr = parse_expression("2 - sec(x^2/2 - cosh(pi)) + x + y")
    start = {x: sp.Rational(1, 2), y: sp.Rational(-1, 2)}
    run = descend_at(expr, start, steps=3, gradient=gradient, keep_all=True)
    expected, (a, b) = [], (0.5, -0.5)
    for _ in range(4):
        expected.append((a, b))
        u = a * a / 2 - math.cosh(math.pi)
        a, b = a - 0.1 * (1 - a * math.tan(u) / math.cos(u)), b - 0.1
    assert all(type(v) is float for row in run.trace for v in row.x)
    np.testing.assert_allclose([row.x for row in run.trace], expected, rtol=rtol)


@pytest.mark.parametrize("start", [0, 1e-9])
def test_a_maximum_where_the_formulas_are_0_over_0_is_named_a_maximum(start):
    # sinc' = cos(x)/x - sin(x)/x**2 is 0/0 at 0 and cancels near it: compiled, it is nan at 0
    # and sinc'' has the wrong sign near 0, so only exact values can name the point.
    run = descend_at(sp.sinc(x), {x: sp.Float(start)}, gradient="analytic", steps=3)
    assert run.status == "converged" and run.critical_point.kind == "maximum"
    assert all(np.isfinite(row.grad_analytic).all() for row in run.trace)


def test_a_run_that_went_far_gives_no_overflow_warnings():
    # Five steps of lr 0.1 on x^(2 pi) send x past 1e100, where the squares in a norm overflow:
    # a run that far out is diverged, said in words, with no numpy warning.
    import warnings

    from numdiff_cli.parsing import parse_expression

    expr = parse_expression("relu((x^2)^pi * sigmoid(-1) - (0.5 x1 - 1e-8))")
    x_, x1_ = sorted(expr.free_symbols, key=str)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = descend_at(expr, {x_: sp.Integer(-3), x1_: sp.Integer(4)}, steps=5)
    assert run.status == "diverged"


def test_exact_hessian_where_sympy_slips_on_its_fast_path():
    # sympy's numeric fast path fails on this Hessian at (0, 0); it is evaluated exactly instead.
    # Near (0, 0), u = x1²·x and sec(u) = 1 + u²/2 + ..., so f = sin(1) + O(x1⁴x²): the gradient
    # and the whole Hessian vanish, and the point is a degenerate critical point.
    from numdiff_cli.parsing import parse_expression

    expr = parse_expression("sinc(sec(x1*x1*min(x, 3)))")
    x_, x1_ = sorted(expr.free_symbols, key=str)
    run = descend_at(expr, {x_: sp.Integer(0), x1_: sp.Integer(0)}, steps=3)
    assert run.trace[0].f == math.sin(1) and run.trace[0].grad_analytic == (0.0, 0.0)
    assert run.status == "converged" and run.final_x == (0.0, 0.0) and run.critical_point.kind == "degenerate"


def test_a_hessian_too_costly_at_the_end_leaves_the_kind_of_point_open():
    # After lr 10, x0 is near -1.7e8 and the exact Hessian holds numbers of millions of digits:
    # its evaluation has a budget (EXACT_SECONDS) below the limit of a symbolic step, and when
    # the budget runs out the run keeps its result and leaves the kind of point open.
    from numdiff_cli.objective import EXACT_SECONDS
    from numdiff_cli.parsing import parse_expression
    from numdiff_cli.symbolic import SYMBOLIC_SECONDS

    expr = parse_expression("(x^2)^x0")
    x_, x0_ = sorted(expr.free_symbols, key=str)
    run = descend_at(expr, {x_: sp.Integer(1), x0_: sp.Integer(2)}, lr=10, steps=5)
    assert EXACT_SECONDS < SYMBOLIC_SECONDS and run.critical_point is not None and run.critical_point.kind is None


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])  # the float loop and the array loop
@pytest.mark.parametrize("gradient", ["analytic", "numeric"])
def test_a_formula_that_overflows_is_not_called_a_missing_derivative(optimizer, gradient):
    # ∇ sqrt(x² + y²) = (x, y)/sqrt(x² + y²) is (1, 1e-300) at (1e300, 1): f has a real derivative. On
    # arrays x*x overflows silently: f = inf and the gradient (0, 0), which must not start a run.
    from numdiff_cli.errors import MathError

    with pytest.raises(MathError, match="formula overflows double precision at the start") as error:
        descend_at(
            sp.sqrt(x**2 + y**2), {x: sp.Float(1e300), y: sp.Integer(1)}, gradient=gradient, optimizer=optimizer,
            steps=3,
        )
    assert "no real derivative" not in str(error.value) and "undefined" not in str(error.value)


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_loop_runs_without_the_garbage_collector_and_gives_it_back_however_it_ends(enabled_before, monkeypatch):
    """A streamed run's full collections scanned sympy's objects every few thousand steps: the loop
    runs with the collector off, and leaves it as it found it, after a finished run or one cut short."""
    import gc

    from numdiff_cli import descent

    monkeypatch.setattr(descent, "PROGRESS_EVERY", 5)
    seen: list[bool] = []

    def stop(_: int) -> None:
        seen.append(gc.isenabled())
        raise KeyboardInterrupt

    (gc.enable if enabled_before else gc.disable)()
    try:
        descend_at("x^2 + y^2", "1,2", steps=20)
        assert gc.isenabled() == enabled_before
        with pytest.raises(KeyboardInterrupt):
            descend_at("x^2 + y^2", "1,2", steps=20, progress=stop)
        assert seen == [False]
        assert gc.isenabled() == enabled_before
    finally:
        gc.enable()
