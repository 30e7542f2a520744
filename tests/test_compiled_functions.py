"""Functions compiled to numpy: sec, csc, cot, their hyperbolic and inverse kin as numpy's reciprocals,
not through the rewrites sympy's printer would choose (coth through exp, which is inf/inf far out);
functions numpy lacks are nan at their poles, never an exception."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

import numdiff_cli as nd
from numdiff_cli import symbolic
from numdiff_cli.parsing import parse_expression

# name, its value at v as mpmath computes it, points where it is real (the hyperbolics far out too)
CASES = [
    ("sec", mpmath.sec, [1.0, -2.5, 40.0]),
    ("csc", mpmath.csc, [1.0, -2.5, 40.0]),
    ("cot", mpmath.cot, [1.0, -2.5, 40.0]),
    ("sech", mpmath.sech, [1.0, -2.5, 800.0, -800.0]),
    ("csch", mpmath.csch, [1.0, -2.5, 800.0, -800.0]),
    ("coth", mpmath.coth, [1.0, -2.5, 800.0, -800.0]),
    ("asec", mpmath.asec, [2.0, -3.0, 1e200]),
    ("acsc", mpmath.acsc, [2.0, -3.0, 1e200]),
    ("acot", mpmath.acot, [2.0, -3.0, 1e200]),
    ("asech", mpmath.asech, [0.5, 1e-200]),
    ("acsch", mpmath.acsch, [2.0, -3.0, 1e200]),
    ("acoth", mpmath.acoth, [2.0, -3.0, 1e200]),
]


@pytest.mark.parametrize(("name", "exact", "points"), CASES)
def test_each_reciprocal_function_compiles_to_its_value_everywhere_it_is_a_double(name, exact, points):
    f = parse_expression(f"{name}(x)")
    (x,) = f.free_symbols
    with np.errstate(over="ignore"):  # cosh(800) is inf: its reciprocal is the 0 it should be
        values = symbolic.compile_function(f, [x])(np.array(points))
    assert values == pytest.approx([float(exact(p)) for p in points], rel=1e-14, abs=1e-300)


def test_coth_of_a_held_variable_far_out_gives_a_numeric_partial_not_nan():
    # f = y·coth(x) at (800, 2): ∂f/∂y = coth(800) = 1 to every digit of a double
    result = nd.grad("coth(x)*y", at="800,2", wrt="y")
    (partial,) = result.partials
    assert partial.analytic == 1.0 and partial.numeric == pytest.approx(1.0, rel=1e-10)


def test_the_complex_step_goes_through_the_reciprocals():
    # d/dx sec(x) = sec(x)·tan(x), which the complex step gets to rounding
    result = nd.diff("sec(x)", at=1, methods=["complex-step"])
    (row,) = result.points[0].numeric
    assert row.value == pytest.approx(float(sp.sec(1) * sp.tan(1)), rel=1e-15)


def test_polygamma_is_nan_at_a_pole_not_an_exception():
    # f = gamma(x): f′ = gamma(x)·polygamma(0, x), and polygamma(0, x) has poles at 0, −1, −2, …; ψ(1) = −γ
    x = sp.Symbol("x", real=True)
    values = symbolic.compile_function(sp.polygamma(0, x), [x])(np.array([-2.0, 0.0, 1.0]))
    assert np.isnan(values[:2]).all() and values[2] == pytest.approx(-float(sp.EulerGamma), rel=1e-15)
