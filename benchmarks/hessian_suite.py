"""The Hessian suite: functions of 2 and 3 variables with exact Hessians, and how to score them.

Shared by ``benchmarks/hessian_accuracy.py`` (run by hand) and
``tests/test_second_differences.py``. The cases are of the kind numdifftools is judged on:
products and compositions of trig, exp and polynomials, points up to |x| = 70, and points
where entries of the Hessian are 0 or nearly so (sin(x)sin(y) at (2π, 2π)).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import sympy as sp

ZERO_ROW = 1e-8  # see relative_error


class Case(NamedTuple):
    expression: str  # sympy syntax in x0, x1 (and x2)
    at: tuple[str, ...]  # coordinates, sympy syntax, rounded to the nearest doubles


ROSENBROCK = "(1 - x0)**2 + 100*(x1 - x0**2)**2 + (1 - x1)**2 + 100*(x2 - x1**2)**2"
CASES = [
    Case("cos(x0*x1)", ("3", "5")),
    Case("sin(x0)*sin(x1)", ("2*pi", "2*pi")),
    Case(ROSENBROCK, ("1.2", "0.8", "-0.5")),
    Case(ROSENBROCK, ("1", "1", "1")),
    Case(ROSENBROCK, ("-1.2", "1", "0.5")),
    Case("exp(x0)*x1**2", ("70", "1.5")),
    Case("exp(x0*x1)", ("0.5", "-1.2")),
    Case("x0**3*x1 - 2*x0*x1**2", ("1.5", "-2")),
    Case("sin(x0)*exp(x1)", ("1.1", "0.3")),
    Case("cos(x0) + x0*x1 + cos(x1)", ("pi/2", "pi/2")),
    Case("x0**2*x1**2", ("0", "1")),
    Case("exp(-(x0**2 + x1**2))", ("0.5", "0.8")),
    Case("log(1 + x0**2 + x1**2)", ("1", "2")),
    Case("sin(x0 + x1**2)", ("70", "0.3")),
    Case("cos(x0)*x1**3", ("-70", "2")),
    Case("atan(x1/x0)", ("3", "4")),
    Case("sqrt(x0**2 + x1**2)", ("3", "4")),
    Case("tanh(x0*x1)", ("0.4", "1.3")),
    Case("cosh(x0)*sin(x1)", ("2", "3")),
    Case("1/(1 + x0**2 + x1**2)", ("0.7", "-0.4")),
    Case("sin(x0)*cos(x1)", ("pi", "pi/2")),
    Case("exp(x0)*cos(x1)", ("2", "pi/2")),
    Case("x0**2*sin(x1)", ("65", "1")),
    Case("cos(x0*x1)", ("70", "0.01")),
    Case("(1.5 - x0 + x0*x1)**2 + (2.25 - x0 + x0*x1**2)**2 + (2.625 - x0 + x0*x1**3)**2", ("3", "0.5")),
    Case("(x0**2 + x1 - 11)**2 + (x0 + x1**2 - 7)**2", ("3", "2")),
    Case("sin(x0)**2 + cos(x1)**2", ("pi/4", "1")),
    Case("log(x0)*x1", ("2", "3")),
    Case("x0*exp(-x1)*sin(x2)", ("1.5", "0.5", "2")),
    Case("sin(x0*x1*x2)", ("1", "2", "0.5")),
    Case("exp(x0 + x1 + x2)", ("1", "-0.5", "2")),
    Case("x0**4 + x1**4 + x2**4 - 3*x0*x1*x2", ("1", "1", "1")),
    Case("exp(x0*x1*x2)/(1 + x2**2)", ("0.3", "0.7", "1.1")),
    Case("x0*x1*x2", ("70", "-50", "30")),
    Case("(x0 - x1)**3 + x2**2", ("2", "1", "-3")),
    Case("sin(x0)*sin(x1)*sin(x2)", ("pi", "pi/2", "1")),
]


def build(case: Case) -> tuple[object, np.ndarray, np.ndarray]:
    """The numpy function, the point as doubles and the exact Hessian there (30 digits)."""
    expr = sp.sympify(case.expression)
    variables = sp.symbols(f"x0:{len(case.at)}")
    point = np.array([float(sp.sympify(c).evalf(30)) for c in case.at])
    exact_point = {v: sp.Float(p, 30) for v, p in zip(variables, point)}  # the double, exactly
    hessian = sp.hessian(expr, variables)
    exact = np.array([[float(e.evalf(30, subs=exact_point)) for e in row] for row in hessian.tolist()])
    return sp.lambdify(variables, expr, "numpy"), point, exact


def relative_error(numeric: np.ndarray, exact: np.ndarray) -> float:
    """The largest error of an entry relative to the entry, or to its row and column if larger.

    An entry that is 0 (or nearly, as sin(x)sin(y) at (2π, 2π)) has no relative error of its
    own; it is measured against the largest entry of its row and column, the curvature the
    differences along those two variables also see. A row whose entries are all below
    ``ZERO_ROW`` times the largest of the matrix is a row of zeros (the rounding of f alone
    exceeds it), measured against the largest entry of the matrix. NaN counts as an error of 1.
    """
    if not np.all(np.isfinite(numeric)):
        return 1.0
    largest = np.max(np.abs(exact))
    rows = np.max(np.abs(exact), axis=1)
    rows = np.where(rows > ZERO_ROW * largest, rows, largest)
    scale = np.maximum(np.abs(exact), np.maximum.outer(rows, rows))
    return float(np.max(np.abs(numeric - exact) / scale))
