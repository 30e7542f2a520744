"""The float loop of plain gradient descent gives the array loop's numbers to the last bit."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from numdiff_cli import descent_arithmetic, symbolic
from numdiff_cli.descent import descend
from numdiff_cli.problem import build

x, y, z = sp.symbols("x y z", real=True)

RUNS = [  # (f, start, options): powers of every kind, functions, ascent, a tolerance
    (x**2 + y**2, (-3, 4), {}),
    (x**3 + y**4 - x * y + z**2, (1, 2, 0.5), {"tol": 1e-6}),
    (sp.sin(x) * sp.cos(y) + sp.Float(0.1) * x**2, (1, 2), {"ascent": True}),
    (sp.exp(x / 3) + sp.log(1 + y**2), (-1, 3), {"lr": 0.3}),
    (sp.sqrt(x**2 + y**2 + 1) + 1 / (2 + x**2) + x ** sp.Rational(1, 3) * 0, (0.5, 3), {}),
    ((x + 2) ** sp.Float(1.5) + y ** (-sp.Float(1.0)) + 2**x, (1, 2), {"lr": 0.01}),
    (x**2 + y**2, (-3, 4), {"lr": 10}),  # diverges: overflow on the way
]


def trace(expr, start, arithmetic_variables, monkeypatch, **options):
    monkeypatch.setattr(descent_arithmetic, "FLOAT_VARIABLES", arithmetic_variables)
    variables = sorted(expr.free_symbols, key=str)
    run = descend(build(expr, dict(zip(variables, map(sp.Float, start))), parameter="start"), keep_all=True, **options)
    return run.trace, run.final_x, run.final_grad_norm, run.status


@pytest.mark.parametrize("gradient", ["numeric", "analytic"])
@pytest.mark.parametrize(("expr", "start", "options"), RUNS, ids=[str(r[0])[:30] for r in RUNS])
def test_the_float_loop_gives_the_array_loops_numbers_to_the_last_bit(expr, start, options, gradient, monkeypatch):
    steps = {"steps": 60, "gradient": gradient, **options}
    floats = trace(expr, start, 4, monkeypatch, **steps)
    arrays = trace(expr, start, 0, monkeypatch, **steps)
    assert floats == arrays


@pytest.mark.parametrize(
    "expr",
    [x**2, x**3, x ** sp.Float(2.0), x ** -sp.Float(1.0), 1 / x, x ** sp.Float(0.5), sp.sqrt(x), 1 / sp.sqrt(x),
     x ** sp.Rational(1, 3), x ** sp.Float(-0.5), x**y, 2**x, (x + y) ** 2 * 3 - x**2],
    ids=str,
)
def test_powers_compiled_for_floats_round_as_numpy_rounds_arrays(expr):
    values = np.random.default_rng(1).uniform(0.01, 30, (2, 4000))
    on_arrays = symbolic.compile_function(expr, [x, y])(*values)
    on_floats = symbolic.compile_function(expr, [x, y], floats=True)
    assert [float(on_floats(a, b)) for a, b in values.T.tolist()] == on_arrays.tolist()


def test_the_float_loop_is_taken_only_for_plain_descent_on_a_few_variables():
    from numdiff_cli.objective import Objective

    objective = Objective.compile(build(x**2 + y**2, (1, 2)))
    choose = descent_arithmetic.choose
    assert choose(objective, "numeric", 1e-4, "sgd", 0.1, lambda g: g, False).floats
    assert not choose(objective, "numeric", 1e-4, "adam", 0.1, lambda g: g, False).floats
