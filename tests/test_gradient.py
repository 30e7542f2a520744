"""The grad core: partials, gradient, Hessian, Jacobian and the second-derivative test."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from numdiff_cli import symbolic
from numdiff_cli.curvature import classify
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.gradient import gradient, jacobian
from numdiff_cli.parsing import parse_expression
from numdiff_cli.problem import build

x, y, z, x0, x1 = sp.symbols("x y z x0 x1", real=True)


def gradient_at(expr, point, *, wrt=None, **options):
    """The grad core on ``expr`` at ``point`` (a dict keyed by symbol, or text)."""
    problem = build(expr, point, wrt=None if wrt is None else [v.name for v in wrt])
    return gradient(problem, **options)


def jacobian_at(exprs, point, **options):
    return jacobian(build(exprs, point, several_functions=True), **options)


def test_the_lectures_partials_come_out_exactly_as_its_central_difference():
    result = gradient_at(x0**2 + x1**2, {x0: sp.Integer(3), x1: sp.Integer(4)})
    assert result.gradient_analytic == (6.0, 8.0)
    assert result.gradient_numeric == (6.00000000000378, 7.999999999999119)
    assert result.norm == 10.0 and result.descent_direction == (-0.6, -0.8)
    assert [p.derivative for p in result.partials] == ["2*x0", "2*x1"]


def test_partials_match_sympy_exactly():
    expr = sp.sin(x * y) + sp.exp(z) * x**2
    point = {x: sp.Rational(1, 2), y: sp.Integer(2), z: sp.Rational(-1, 3)}
    result = gradient_at(expr, point)
    for p, v in zip(result.partials, (x, y, z)):
        exact = float(sp.diff(expr, v).subs(point))
        assert p.analytic == pytest.approx(exact, rel=1e-15)
        assert p.numeric == pytest.approx(exact, rel=1e-7)
        assert p.abs_error == pytest.approx(abs(p.numeric - exact), rel=1e-6, abs=1e-18)


def test_wrt_restricts_the_partials():
    result = gradient_at(x**2 + y**2 + z**2, {x: 1, y: 2, z: 3}, wrt=[x, z])
    assert [p.variable for p in result.partials] == ["x", "z"] and result.gradient_analytic == (2.0, 6.0)


def test_hessian_exact_numeric_and_eigenvalues():
    expr = x**2 * y + sp.sin(x * y)
    result = gradient_at(expr, {x: sp.Integer(1), y: sp.Integer(2)}, hessian=True).hessian
    exact = np.array([[float(sp.diff(expr, a, b).subs({x: 1, y: 2})) for b in (x, y)] for a in (x, y)])
    np.testing.assert_allclose(result.analytic, exact, rtol=1e-14)
    np.testing.assert_allclose(result.numeric, exact, rtol=1e-5)
    np.testing.assert_allclose(result.eigenvalues, np.linalg.eigvalsh(exact), rtol=1e-12)
    assert result.max_abs_error < 1e-5
    assert result.critical_point.kind is None and "not a critical point" in result.critical_point.verdict


def test_partials_and_hessian_where_their_formulas_are_0_over_0():
    # sinc(x*y) ~ 1 - (x*y)^2/6: at (1, 0) the gradient is 0 and f_yy = -1/3, though each
    # formula sympy gives is 0/0 along y = 0.
    result = gradient_at(sp.sinc(x * y), {x: sp.Integer(1), y: sp.Integer(0)}, hessian=True)
    assert [p.analytic for p in result.partials] == [0.0, 0.0]
    np.testing.assert_allclose(result.hessian.analytic, [[0, 0], [0, -1 / 3]], atol=1e-15)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("x^2 + y^2", "minimum"),
        ("-x^2 - 3y^2", "maximum"),
        ("x^2 - y^2", "saddle point"),
        ("x^4 + y^4", "degenerate"),
        ("x^3", "degenerate"),
    ],
)
def test_critical_points_are_classified(text, kind):
    expr = parse_expression(text)
    variables = sorted(expr.free_symbols, key=str)
    result = gradient_at(expr, {v: sp.Integer(0) for v in variables}, hessian=True)
    assert result.hessian.critical_point.kind == kind


def test_classify_away_from_a_critical_point_still_describes_the_curvature():
    verdict = classify(5.0, [2.0, -1.0])
    assert verdict.kind is None and "indefinite" in verdict.verdict


def test_jacobian_of_a_vector_of_expressions():
    result = jacobian_at([x * y, x + y, sp.sin(x)], {x: sp.Integer(1), y: sp.Integer(2)})
    analytic = [[p.analytic for p in row] for row in result.entries]
    assert analytic == [[2.0, 1.0], [1.0, 1.0], [math.cos(1.0), 0.0]]
    for row in result.entries:
        for p in row:
            assert p.abs_error < 1e-8


def test_numerical_gradient_is_one_vectorised_call():
    calls = []
    n = 100
    variables = sp.symbols(f"x0:{n}", real=True)
    expr = sum(v**2 for v in variables)
    original = symbolic.compile_function

    def counting(e, vs):
        f = original(e, vs)

        def wrapped(*args):
            calls.append(np.shape(args[0]))
            return f(*args)

        return wrapped

    symbolic.compile_function = counting
    try:
        gradient_at(expr, {v: sp.Integer(1) for v in variables})
    finally:
        symbolic.compile_function = original
    assert len(calls) == 1 and calls[0] == (2, 3 * n)  # x ± h along each axis, and the h/2, h/4 twins


def test_errors_in_words():
    with pytest.raises(MathError, match=r"log\(x0\) is not real at \(x0, x1\) = \(-1, 2\)"):
        gradient_at(parse_expression("log(x0) + x1"), "-1,2")
    with pytest.raises(UsageError, match=r"^wrt names 'z', which is not a variable of the expression \(x, y\)"):
        gradient_at(x * y, {x: 1, y: 2}, wrt=[z])
    with pytest.raises(UsageError, match="no variables"):
        gradient_at(sp.Integer(3), {})


def test_a_partial_that_does_not_exist_is_a_note_and_blocks_the_hessian():
    result = gradient_at(sp.Abs(x) + y, {x: sp.Integer(0), y: sp.Integer(1)})
    assert result.partials[0].analytic is None and "corner" in result.partials[0].note
    assert result.failure.startswith("∂/∂x cannot be computed at x = 0.0, y = 1.0")
    assert result.gradient_analytic is None and result.norm is None
    with pytest.raises(MathError, match="no Hessian where a partial derivative does not exist"):
        gradient_at(sp.Abs(x) + y, {x: sp.Integer(0), y: sp.Integer(1)}, hessian=True)


def test_classify_with_a_non_finite_hessian_says_it_cannot_tell():
    verdict = classify(0.0, [float("nan"), 1.0])
    assert verdict.kind is None and "cannot tell" in verdict.verdict


def test_the_hessian_defaults_to_richardson_and_honours_a_method_given():
    problem = build("cos(x0*x1)", (3, 5))
    default = gradient(problem, hessian=True).hessian
    exact = np.array(default.analytic)
    assert default.method == "richardson"
    assert np.max(np.abs(np.array(default.numeric) - exact)) <= 1e-11 * np.max(np.abs(exact))
    central = gradient(problem, hessian=True, method="central").hessian
    assert central.method == "central" and central.max_abs_error > 100 * default.max_abs_error
    # each entry's own estimate does not understate its true error tenfold
    for result in (default, central):
        errors = np.abs(np.array(result.numeric) - exact)
        assert np.all(errors <= 10 * np.array(result.error_estimate) + 1e-15)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1e-12*(x^2 + 3y^2)", "minimum"),  # eigenvalues 2e-12 and 6e-12: definite, however small
        ("-1e-12*(x^2 + 3y^2)", "maximum"),
        ("1e-12*(x^2 - 3y^2)", "saddle point"),
        ("x^2 + y^4", "degenerate"),  # truly singular: 0 is an eigenvalue
    ],
)
def test_the_kind_of_point_does_not_depend_on_the_scale_of_f(text, kind):
    assert gradient(build(text, (0, 0)), hessian=True).hessian.critical_point.kind == kind


def test_a_large_hessian_defaults_to_a_cheaper_method_and_says_which():
    n = 25
    text = " + ".join(f"(x{i} - {i})^2*x{i + 1}^2" for i in range(n))
    assert gradient(build(text, [1] * (n + 1)), hessian=True).hessian.method == "complex-step"
    with_abs = gradient(build(text + " + abs(x0)", [1] * (n + 1)), hessian=True).hessian
    assert with_abs.method == "five-point"
    many = " + ".join(f"x{i}^2" for i in range(51))
    with pytest.raises(UsageError, match="^method richardson takes a Hessian of at most 50 variables, not 51"):
        gradient(build(many, [1] * 51), hessian=True, method="richardson")
