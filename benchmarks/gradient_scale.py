"""Time `numdiff grad --hessian` on the extended Rosenbrock function written out, n = 10 .. 100.

Issue 4's target: 50 variables give the gradient and Hessian in a few seconds. Run by hand:
python benchmarks/gradient_scale.py
"""

from __future__ import annotations

import time

import numpy as np
from sympy.core.cache import clear_cache

from numdiff_cli import gradient, parsing, points, problem, symbolic
from numdiff_cli.methods import METHODS


def rosenbrock(n: int) -> str:
    """sum_{i<n-1} 100 (x_{i+1} - x_i^2)^2 + (1 - x_i)^2, as a person would type it."""
    return " + ".join(f"100*(x{i + 1} - x{i}^2)^2 + (1 - x{i})^2" for i in range(n - 1))


def timed(function, *args, **kwargs) -> tuple[object, float]:
    clear_cache()  # sympy caches derivatives: each timing starts cold
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def gradient_at(expr: object, point: str, hessian: bool = False) -> object:
    """The grad core as the command runs it: the problem built, then the gradient."""
    return gradient.gradient(problem.build(expr, point), hessian=hessian)


def evaluations_per_call(n: int) -> float:
    """Seconds for one numerical gradient (one vectorised call), to compare with n = 2."""
    expr = parsing.parse_expression(rosenbrock(n))
    variables = points.ordered_variables([expr])
    f = symbolic.compile_function(expr, variables)
    x = np.full((n, n), 0.5)
    method = METHODS["central"]
    start = time.perf_counter()
    for _ in range(20):
        method.estimate(f, x, np.eye(n), 1, np.full(n, 1e-4))
    return (time.perf_counter() - start) / 20


def main() -> None:
    print(f"{'n':>4} {'parse':>8} {'gradient':>9} {'gradient+Hessian':>17} {'one numeric gradient call':>26}")
    for n in (2, 10, 20, 30, 50, 100):
        text = rosenbrock(n)
        expr, parse_time = timed(parsing.parse_expression, text)
        point = ",".join(["0.5"] * n)
        _, grad_time = timed(gradient_at, expr, point)
        _, hessian_time = timed(gradient_at, expr, point, hessian=True)
        call = evaluations_per_call(n)
        print(f"{n:>4} {parse_time:7.3f}s {grad_time:8.3f}s {hessian_time:16.3f}s {call * 1e3:23.3f} ms")


if __name__ == "__main__":
    main()
