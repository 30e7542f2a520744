"""Relative error and time per Hessian of every method over the Hessian suite.

With the `bench` extra installed, numdifftools' Hessian (its defaults) runs on the same cases.
The error of a Hessian is its largest entry's error, relative as hessian_suite.relative_error
defines it. Run by hand: python benchmarks/hessian_accuracy.py
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from hessian_suite import CASES, build, relative_error  # noqa: E402

from numdiff_cli.second_differences import DEFAULT_METHOD, HESSIAN_METHODS, numeric_hessian  # noqa: E402

REPEATS = 5  # time each Hessian as the least of this many runs


def timed(compute: Callable[[], np.ndarray]) -> tuple[np.ndarray, float]:
    """The matrix, and the least time of ``REPEATS`` runs in seconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with np.errstate(all="ignore"):
            matrix = compute()
        times.append(time.perf_counter() - start)
    return matrix, min(times)


def contenders(f: Callable[..., np.ndarray], x: np.ndarray) -> dict[str, Callable[[], np.ndarray]]:
    ours = {name: (lambda name=name: numeric_hessian(f, x, method=name).matrix) for name in HESSIAN_METHODS}
    try:
        import numdifftools as nd
    except ImportError:
        return ours
    hessian = nd.Hessian(lambda v: f(*v))
    return {**ours, "numdifftools": lambda: np.asarray(hessian(x))}


def summary(errors: list[float]) -> str:
    values = sorted(min(e, 1.0) for e in errors)
    p90 = values[min(len(values) - 1, int(0.9 * len(values)))]
    return f"{statistics.median(values):9.1e} {p90:9.1e} {values[-1]:9.1e}"


def main() -> None:
    errors: dict[str, list[float]] = {}
    seconds: dict[str, list[float]] = {}
    worst: dict[str, tuple[float, str]] = {}
    for case in CASES:
        f, x, exact = build(case)
        for name, compute in contenders(f, x).items():
            matrix, spent = timed(compute)
            error = relative_error(matrix, exact)
            errors.setdefault(name, []).append(error)
            seconds.setdefault(name, []).append(spent)
            if error >= worst.get(name, (-1.0, ""))[0]:
                worst[name] = (error, f"{case.expression[:28]} at ({', '.join(case.at)})")
    print(f"{len(CASES)} Hessians of 2 and 3 variables; default method: {DEFAULT_METHOD}")
    print(f"{'method':14s} | {'median':>9s} {'p90':>9s} {'worst':>9s} | {'ms/Hessian':>10s} | worst case")
    for name in errors:
        ms = 1000 * statistics.median(seconds[name])
        print(f"{name:14s} | {summary(errors[name])} | {ms:10.2f} | {worst[name][1]}")
    print("error: the largest |numeric - exact| over the entries, each relative to the entry or, where larger,")
    print("to the largest entry of its row and column (hessian_suite.relative_error); NaN counts as 1.")
    print("Exact: sympy at 30 digits. numdiff's fixed-step methods use their balanced step (--h auto).")


if __name__ == "__main__":
    main()
