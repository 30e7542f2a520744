"""Steps per second of `numdiff descend` against plain numpy loops of the same update.

Issue 5's target: `--steps 1000000` on a two-variable function in a few seconds, without
keeping a million trace rows. Run by hand: python benchmarks/descent_speed.py [STEPS]
"""

from __future__ import annotations

import resource
import sys
import time

import numpy as np
import sympy as sp

from numdiff_cli.descent import descend
from numdiff_cli.problem import build

x0, x1 = sp.symbols("x0 x1", real=True)
F = x0**2 + x1**2
START = {x0: sp.Integer(-3), x1: sp.Integer(4)}
LR = 1e-7  # small enough that a million steps stay finite and keep moving


def plain_analytic(steps: int) -> None:
    """The textbook loop with the gradient compiled once: x <- x - lr * grad(x)."""
    grad = sp.lambdify([x0, x1], [sp.diff(F, x0), sp.diff(F, x1)], "numpy")
    x = np.array([-3.0, 4.0])
    for _ in range(steps):
        x = x - LR * np.array(grad(*x))


def plain_numeric(steps: int) -> None:
    """The lecture's numerical_gradient and gradient_descent, verbatim in spirit."""
    f = sp.lambdify([x0, x1], F, "numpy")

    def numerical_gradient(x: np.ndarray) -> np.ndarray:
        h = 1e-4
        grad = np.zeros_like(x)
        for idx in range(x.size):
            tmp = x[idx]
            x[idx] = tmp + h
            fxh1 = f(*x)
            x[idx] = tmp - h
            fxh2 = f(*x)
            grad[idx] = (fxh1 - fxh2) / (2 * h)
            x[idx] = tmp
        return grad

    x = np.array([-3.0, 4.0])
    for _ in range(steps):
        x -= LR * numerical_gradient(x)


def timed(label: str, steps: int, run) -> None:
    start = time.perf_counter()
    run(steps)
    seconds = time.perf_counter() - start
    print(f"{label:44s} {seconds:7.2f} s  {steps / seconds:>10,.0f} steps/s")


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(f"{steps:,} steps of gradient descent on x0^2 + x1^2")
    problem = build(F, START, parameter="start")
    timed("numdiff descend --grad analytic", steps, lambda n: descend(problem, lr=LR, steps=n, gradient="analytic"))
    timed("plain numpy loop, compiled exact gradient", steps, plain_analytic)
    timed("numdiff descend --grad numeric (default)", steps, lambda n: descend(problem, lr=LR, steps=n))
    timed("plain loop, the lecture's numerical_gradient", steps, plain_numeric)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MiB (the table keeps ~20 rows, not {steps:,})")


if __name__ == "__main__":
    main()
