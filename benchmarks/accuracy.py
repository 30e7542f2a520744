"""Relative error and time per derivative of every method over the accuracy suite.

With the `bench` extra installed, numdifftools and scipy.differentiate run on the same cases
(their defaults; scipy.differentiate gives first derivatives only). Run by hand:
python benchmarks/accuracy.py
"""

from __future__ import annotations

import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sympy as sp

sys.path.insert(0, str(Path(__file__).parent))
from accuracy_suite import CASES, SIXTH, Case  # noqa: E402

from numdiff_cli import symbolic  # noqa: E402
from numdiff_cli.compare import differentiate  # noqa: E402
from numdiff_cli.methods import METHODS  # noqa: E402
from numdiff_cli.parsing import parse_expression  # noqa: E402
from numdiff_cli.problem import build  # noqa: E402


def exact(case: Case) -> float:
    expr = parse_expression(case.expression)
    (x,) = expr.free_symbols
    return float(sp.diff(expr, x, case.order).evalf(30, subs={x: sp.Float(case.at, 30)}))


def ours(case: Case) -> dict[str, tuple[float | None, float]]:
    """Relative error of every method (None where it gave no value), and seconds per derivative."""
    problem = build(case.expression, case.at)
    results = {}
    start = time.perf_counter()
    point = differentiate(problem, order=case.order).points[0]  # every method, as `numdiff diff` runs
    chosen = point.recommendation
    results["recommended"] = (None if chosen is None else chosen.rel_error, time.perf_counter() - start)
    for name in METHODS:
        start = time.perf_counter()
        row = differentiate(problem, order=case.order, methods=[name], h="auto").points[0].numeric[0]
        if row.note and row.note.startswith("skipped"):
            continue  # does not apply (scipy's first derivatives only, the complex step on abs): not a failure
        results[name] = (row.rel_error if row.value is not None else None, time.perf_counter() - start)
    return results


def theirs(case: Case) -> dict[str, tuple[float | None, float]]:
    results: dict[str, tuple[float | None, float]] = {}
    expr = parse_expression(case.expression)
    (x,) = expr.free_symbols
    f = symbolic.compile_function(expr, [x])
    truth = exact(case)
    try:
        import numdifftools as nd

        start = time.perf_counter()
        with np.errstate(all="ignore"):
            value = float(nd.Derivative(f, n=case.order)(case.at))
        results["numdifftools"] = (_relative(value, truth), time.perf_counter() - start)
    except ImportError:
        pass
    try:
        from scipy.differentiate import derivative

        if case.order == 1:
            start = time.perf_counter()
            with np.errstate(all="ignore"):
                value = float(derivative(f, case.at).df)
            results["scipy.differentiate"] = (_relative(value, truth), time.perf_counter() - start)
    except ImportError:
        pass
    return results


def _relative(value: float, truth: float) -> float | None:
    return abs(value - truth) / abs(truth) if np.isfinite(value) else None


def summary(errors: list[float | None]) -> str:
    if not errors:
        return "n/a"
    missing = sum(e is None for e in errors)
    # A missing value (NaN) counts as the worst possible error, 1.
    values = sorted(1.0 if e is None else min(e, 1.0) for e in errors)
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return f"{statistics.median(values):9.1e} {p90:9.1e} {values[-1]:9.1e} {missing:5d}"


def main() -> None:
    table: dict[str, dict[str, list]] = {}
    for case in CASES:
        for name, (err, seconds) in {**ours(case), **theirs(case)}.items():
            entry = table.setdefault(name, {"ordinary": [], "hard": [], "time": []})
            entry[case.kind].append(err)
            entry["time"].append(seconds)
    print(f"{len(CASES)} cases: {sum(c.kind == 'ordinary' for c in CASES)} ordinary, {sum(c.kind == 'hard' for c in CASES)} hard")
    print(f"{'method':20s} | {'ordinary: median':>16s} {'p90':>9s} {'worst':>9s} {'NaN':>5s} | "
          f"{'hard: median':>12s} {'p90':>9s} {'worst':>9s} {'NaN':>5s} | {'ms/deriv':>8s}")
    for name, entry in table.items():
        ms = 1000 * statistics.median(entry["time"])
        print(f"{name:20s} | {summary(entry['ordinary']):>42s} | {summary(entry['hard']):>38s} | {ms:8.2f}")
    print("relative errors against sympy at 30 digits; NaN: no value (counted as error 1). numdiff's fixed-step")
    print("methods use --h auto (complex-step chooses its own step or radius); scipy.differentiate covers first")
    print("derivatives only (20 ordinary cases).")
    print("recommended: the row numdiff diff (every method, default h) recommends by the rows' own error estimates;")
    print("its time is the whole diff.")


def sixth() -> None:
    """Richardson's and the complex step's (contour) sixth derivatives beside numdifftools' (its defaults)."""
    methods = ("richardson", "complex-step")
    print(f"\n{'6th derivative':16s} {'at':>5s} | " + " | ".join(f"{name:>12s} {'est/err':>8s}" for name in methods)
          + f" | {'numdifftools':>12s} {'taylor':>12s}")
    for case in SIXTH:
        truth = exact(case)
        rows = differentiate(build(case.expression, case.at), order=6, methods=methods).points[0].numeric
        cells = []
        for row in rows:
            err = abs(row.value - truth)
            ratio = row.error_estimate / err if err else float("inf")
            cells.append(f"{err / abs(truth):12.1e} {ratio:8.1e}")
        peers = [theirs(case).get("numdifftools", (None, 0))[0], _fornberg(case, truth)]
        print(f"{case.expression:16s} {case.at:5g} | " + " | ".join(cells) + " | "
              + " ".join(f"{'n/a' if e is None else f'{e:.1e}':>12s}" for e in peers))
    print("relative errors; est/err: the method's error estimate over its true error (at least 0.1 is honest);")
    print("numdifftools: Derivative (real differences, its defaults); taylor: numdifftools.fornberg.taylor, its")
    print("contour method (the complex step's peer)")


def _fornberg(case: Case, truth: float) -> float | None:
    """numdifftools' own contour derivative (Fornberg's algorithm), if it is installed."""
    try:
        from numdifftools.fornberg import taylor
    except ImportError:
        return None
    expr = parse_expression(case.expression)
    f = symbolic.compile_function(expr, list(expr.free_symbols))
    with np.errstate(all="ignore"):
        value = float(taylor(f, case.at, n=case.order)[case.order].real) * math.factorial(case.order)
    return _relative(value, truth)


if __name__ == "__main__":
    main()
    sixth()
