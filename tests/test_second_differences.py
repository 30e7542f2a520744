"""The numerical Hessian against the exact one: accuracy, convergence order, honest estimates."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from numdiff_cli.errors import UsageError
from numdiff_cli.second_differences import DEFAULT_METHOD, HESSIAN_METHODS, numeric_hessian

_SUITE = Path(__file__).parent.parent / "benchmarks" / "hessian_suite.py"
_spec = importlib.util.spec_from_file_location("hessian_suite", _SUITE)
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)

BUILT = {case: suite.build(case) for case in suite.CASES}
IDS = [f"{c.expression[:30]}@{','.join(c.at)}" for c in suite.CASES]
ORDERS = {"forward": 1, "backward": 1, "central": 2, "five-point": 4, "complex-step": 4}


def test_the_suite_is_large_enough():
    assert len(suite.CASES) >= 30


@pytest.mark.parametrize("case", suite.CASES, ids=IDS)
def test_default_hessian_within_1e_11(case):
    f, x, exact = BUILT[case]
    result = numeric_hessian(f, x)
    assert result.method == DEFAULT_METHOD
    assert suite.relative_error(result.matrix, exact) <= 1e-11


# The worst error of each method over the suite at its balanced step, with a margin of 3 to 10
# (benchmarks/hessian_accuracy.py): large |x| makes a balanced step scaled to |x| coarse.
CEILINGS = {"complex-step": 1e-6, "five-point": 1e-4, "central": 1e-4, "forward": 2e-3, "backward": 2e-3}


@pytest.mark.parametrize("case", suite.CASES, ids=IDS)
@pytest.mark.parametrize("method", list(CEILINGS))
def test_fixed_step_hessian_within_its_ceiling(case, method):
    f, x, exact = BUILT[case]
    assert suite.relative_error(numeric_hessian(f, x, method=method).matrix, exact) <= CEILINGS[method]


@pytest.mark.parametrize("case", suite.CASES, ids=IDS)
@pytest.mark.parametrize("method", HESSIAN_METHODS)
def test_error_estimate_never_understates_the_true_error_tenfold(case, method):
    f, x, exact = BUILT[case]
    for h in (None, 1e-3):
        result = numeric_hessian(f, x, method=method, h=h)
        error = np.abs(result.matrix - exact)
        assert np.all(error <= 10 * result.error_estimate), (h, error, result.error_estimate)


@pytest.mark.parametrize("method", HESSIAN_METHODS)
def test_matrix_is_symmetric(method):
    f, x, _ = BUILT[suite.CASES[0]]
    matrix = numeric_hessian(f, x, method=method).matrix
    assert np.array_equal(matrix, matrix.T)


@pytest.mark.parametrize("method", list(ORDERS))
def test_fixed_step_convergence_order(method):
    # Smooth, every third and fifth derivative nonzero: the leading error term is present.
    def f(x0, x1):
        return np.exp(0.7 * x0) * np.sin(x1 + 0.3 * x0)

    x = np.array([0.4, 0.9])
    a, b = 0.7, 0.3
    # f = exp(a x0) sin(x1 + b x0); each derivative multiplies by a + ib (x0) or i (x1).
    value = np.exp(a * x[0] + 1j * (x[1] + b * x[0]))
    exact = np.array([[(a + 1j * b) ** 2, (a + 1j * b) * 1j], [(a + 1j * b) * 1j, -1]]) * value
    exact = exact.imag
    steps = np.array([0.2, 0.1, 0.05, 0.025]) if method != "five-point" else np.array([0.4, 0.2, 0.1, 0.05])
    errors = [np.max(np.abs(numeric_hessian(f, x, method=method, h=h).matrix - exact)) for h in steps]
    slope = np.polyfit(np.log(steps), np.log(errors), 1)[0]
    assert abs(slope - ORDERS[method]) <= 0.3, (errors, slope)


@pytest.mark.parametrize("method", HESSIAN_METHODS)
def test_one_call_of_f(method):
    calls = []

    def f(x0, x1, x2):
        calls.append(np.shape(x0))
        return np.sin(x0) * x1 + x2**2

    numeric_hessian(f, np.array([1.0, 2.0, 3.0]), method=method)
    assert len(calls) == 1


@pytest.mark.parametrize("method", HESSIAN_METHODS)
def test_float32_evaluates_in_float32_with_an_honest_estimate(method):
    seen = set()

    def f(x0, x1):
        seen.add(np.asarray(x0).dtype)
        return np.cos(x0 * x1)

    _, x, exact = BUILT[suite.CASES[0]]
    result = numeric_hessian(f, x, method=method, dtype=np.float32)
    assert seen == {np.dtype(np.complex64 if method == "complex-step" else np.float32)}
    assert np.all(np.abs(result.matrix - exact) <= 10 * result.error_estimate)


@pytest.mark.parametrize("method", ["forward", "central", "five-point"])
def test_step_is_honoured(method):
    f, x, _ = BUILT[suite.CASES[0]]
    assert np.array_equal(numeric_hessian(f, x, method=method, h=1e-3).steps, [1e-3, 1e-3])
    balanced = numeric_hessian(f, x, method=method).steps
    assert np.array_equal(numeric_hessian(f, x, method=method, h="auto").steps, balanced)
    assert not np.array_equal(balanced, [1e-3, 1e-3])


def test_richardson_chooses_its_own_steps():
    f, x, _ = BUILT[suite.CASES[0]]
    assert numeric_hessian(f, x, method="richardson", h=1e-3).steps is None


@pytest.mark.parametrize("method", ["backward", "central", "five-point", "complex-step"])
def test_entries_that_need_values_outside_the_domain_are_nan(method):
    def f(x0, x1):
        return np.log(x0) * x1

    with np.errstate(all="ignore"):
        result = numeric_hessian(f, np.array([1e-3, 2.0]), method=method, h=0.01)
    # Every difference along x0 reaches below 0, where log is not real; along x1 alone none does.
    assert np.isnan(result.matrix[0, 0]) and np.isnan(result.matrix[0, 1]) and np.isnan(result.matrix[1, 0])
    assert np.isnan(result.error_estimate[0, 0])
    assert result.matrix[1, 1] == pytest.approx(0.0, abs=1e-6)


def test_richardson_near_a_domain_edge_takes_steps_that_stay_inside():
    def f(x0, x1):
        return np.log(x0) * x1

    with np.errstate(all="ignore"):
        result = numeric_hessian(f, np.array([1e-3, 2.0]))
    exact = np.array([[-2e6, 1e3], [1e3, 0.0]])
    assert np.allclose(result.matrix, exact, rtol=1e-10, atol=1e-9)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "simpson"}, "unknown Hessian method 'simpson'"),
        ({"h": -1.0}, "must be a positive number"),
        ({"h": "big"}, "must be a positive number or 'auto'"),
        ({"x": np.array([1.0, np.inf])}, "finite numbers"),
        ({"x": np.ones((2, 2))}, "vector"),
    ],
)
def test_bad_input_is_refused_in_a_sentence(kwargs, message):
    arguments = {"x": np.array([1.0, 2.0]), **kwargs}
    with pytest.raises(UsageError, match=message):
        numeric_hessian(lambda a, b: a * b, **arguments)


SIXTH = [  # (f, point): entire functions at ordinary points
    ("sin(x)", 0.7),
    ("cos(x)", 1.3),
    ("exp(x)", 1.0),
    ("exp(x)", 2.0),
    ("sinh(x)", 1.0),
    ("cosh(x)", 0.4),
    ("sin(x)*exp(x)", 1.0),
    ("cos(x)*exp(-x)", 0.9),
    ("sin(3*x)", 0.3),
    ("cos(x)**2", 2.0),
    ("sin(x) + cos(2*x)", 2.2),
    ("exp(x/2)*x**2", 1.7),
    ("x**3*sin(x)", 1.1),
    ("cos(x)", 30.0),
]
# Derivatives that grow fast (a singularity at 0, or exp of a square): numdifftools reaches
# 2.5e-9 and 2.4e-6 here.
SIXTH_HARDER = [("x**x", 1.5), ("exp(-x**2)", 0.6)]


def sixth(expression, at):
    import sympy as sp

    from numdiff_cli.methods import METHODS

    x = sp.Symbol("x")
    expr = sp.sympify(expression, locals={"x": x})
    exact = float(sp.diff(expr, x, 6).evalf(30, subs={x: sp.Float(at)}))
    f = sp.lambdify([x], expr, "numpy")
    (estimate,) = METHODS["richardson"].estimate(f, np.array([[at]]), np.ones((1, 1)), 6, np.array([np.nan]))
    return estimate, exact


@pytest.mark.parametrize(("expression", "at"), SIXTH)
def test_richardson_sixth_derivative_within_1e_9(expression, at):
    estimate, exact = sixth(expression, at)
    assert abs(estimate.value - exact) <= 1e-9 * abs(exact)
    assert abs(estimate.value - exact) <= 10 * estimate.error_estimate


@pytest.mark.parametrize(("expression", "at"), SIXTH_HARDER)
def test_richardson_sixth_derivative_of_fast_growing_functions_within_3e_9(expression, at):
    estimate, exact = sixth(expression, at)
    assert abs(estimate.value - exact) <= 3e-9 * abs(exact)
    assert abs(estimate.value - exact) <= 10 * estimate.error_estimate
