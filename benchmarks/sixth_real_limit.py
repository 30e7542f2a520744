"""How close real-valued differences can come to a sixth derivative.

First, for each sixth-derivative case of the accuracy suite, the true error (against sympy) of
central stencils of 7, 9, 11 and 13 points over 400 steps from 1e-3 to 2, and of every entry of
richardson's tableaux (all its starting steps), keeping the least: an oracle that knows the exact
value (and so also picks the luckiest rounding). Beside it, richardson's own answer and the
complex step's (values on a circle in the complex plane).

Second, Ridders' rule (the entry whose neighbours agree best, no exact value) on other tableaux:
base stencils of 7, 9 and 11 points, step ratios 1.2 to 1.5, two sets of starting steps; how
many of the cases each configuration gets within 1e-9, and its worst error.
Run by hand: python benchmarks/sixth_real_limit.py
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from accuracy import exact  # noqa: E402
from accuracy_suite import SIXTH  # noqa: E402

from numdiff_cli import finite, richardson, symbolic  # noqa: E402
from numdiff_cli.compare import differentiate  # noqa: E402
from numdiff_cli.parsing import parse_expression  # noqa: E402
from numdiff_cli.problem import build  # noqa: E402

ORDER = 6
STEPS = np.geomspace(1e-3, 2.0, 400)
REACHES = (3, 4, 5, 6)  # central stencils of 2·reach + 1 points: accuracy 2, 4, 6, 8


def best_stencil(f: finite.NumericFunction, x: float, truth: float, reach: int) -> tuple[float, float]:
    """The least relative error of the central (2·reach + 1)-point stencil over STEPS, and its step."""
    s = finite.stencil(tuple(range(reach, -reach - 1, -1)), ORDER)
    points = finite.stencil_points(s, np.array([[x]]), np.array([[1.0]]), STEPS[None])
    values, _ = finite.combine(s, finite.evaluate(f, points), STEPS[None])
    errors = np.abs(values[0] - truth) / abs(truth)
    errors[~np.isfinite(errors)] = np.inf
    return float(errors.min()), float(STEPS[errors.argmin()])


def best_tableau(f: finite.NumericFunction, x: float, truth: float) -> float:
    """The least relative error of any entry of richardson's tableaux at x."""
    s = finite.stencil(tuple(range(3, -4, -1)), ORDER)
    xs, direction = np.array([[x]]), np.array([[1.0]])
    shrink, steps = richardson.step_grid(xs, direction, ORDER)
    first, _ = finite.combine(s, finite.evaluate(f, finite.stencil_points(s, xs, direction, steps)), steps)
    entries = [v for start in first[0] for row in richardson.tableau(start, shrink) for v in row]
    errors = np.abs(np.array(entries) - truth) / abs(truth)
    return float(np.nanmin(errors))


def main() -> None:
    print(f"{'6th derivative':14s} {'at':>4s} | " + " ".join(f"{2 * r + 1:>2d}-point (h)      " for r in REACHES)
          + f"| {'tableau':>8s} | {'richardson':>10s} {'complex-step':>12s}")
    for case in SIXTH:
        expr = parse_expression(case.expression)
        f = symbolic.compile_function(expr, list(expr.free_symbols))
        truth = exact(case)
        stencils = [best_stencil(f, case.at, truth, r) for r in REACHES]
        rows = differentiate(build(case.expression, case.at), order=ORDER, methods=["richardson", "complex-step"])
        ours = [abs(row.value - truth) / abs(truth) for row in rows.points[0].numeric]
        print(f"{case.expression:14s} {case.at:4g} | " + " ".join(f"{e:8.1e} ({h:6.3f})  " for e, h in stencils)
              + f"| {best_tableau(f, case.at, truth):8.1e} | {ours[0]:10.1e} {ours[1]:12.1e}")
    print("relative errors; n-point (h): the least error of that central stencil over 400 steps 1e-3..2 and the")
    print("step giving it; tableau: the least error of any entry of richardson's tableaux. Both know the exact")
    print("value: no choice of step or entry made without it can do better with real-valued differences.")


RIDDERS_ROWS = 14
START_SETS = {"richardson's": richardson.HIGH_START_FRACTIONS, "larger": (2.0, 1.0, 0.5, 0.25, 0.1, 0.05, 5e-3)}


def ridders(first: np.ndarray, rounding: np.ndarray, ratio: float, accuracy: int) -> tuple[float, float]:
    """Ridders' tableau on differences of the given ``accuracy`` (h^accuracy, then every second power
    above): the entry of least disagreement with its neighbours, and that disagreement."""
    best, error, previous = np.nan, np.inf, None
    for i, d in enumerate(first):
        row = [d]
        for j in range(1, i + 1):
            factor = ratio ** (accuracy + 2 * (j - 1))
            entry = (row[j - 1] * factor - previous[j - 1]) / (factor - 1)
            estimate = max(abs(entry - row[j - 1]), abs(entry - previous[j - 1]), rounding[i])
            if np.isfinite(entry) and estimate < error:
                best, error = entry, estimate
            row.append(entry)
        if previous is not None and abs(row[i] - previous[i - 1]) >= richardson.SAFE * error:
            break
        previous = row
    return best, error


def by_ridders(f: finite.NumericFunction, x: float, reach: int, ratio: float, fractions: tuple[float, ...]) -> float:
    """Ridders' answer over starts scaled to 1 and to |x| (within 3/4 |x|), the least estimate winning."""
    s = finite.stencil(tuple(range(reach, -reach - 1, -1)), ORDER)
    xs, direction = np.array([[x]]), np.array([[1.0]])
    starts = np.array([*fractions, *(fraction * abs(x) * 0.75 / reach for fraction in fractions)])
    steps = starts[None, :, None] / ratio ** np.arange(RIDDERS_ROWS)
    first, rounding = finite.combine(s, finite.evaluate(f, finite.stencil_points(s, xs, direction, steps)), steps)
    answers = [ridders(first[0, k], rounding[0, k], ratio, s.accuracy) for k in range(len(starts))]
    return min(answers, key=lambda answer: answer[1])[0]


def configurations() -> None:
    cases = []
    for case in SIXTH:
        expr = parse_expression(case.expression)
        cases.append((case, symbolic.compile_function(expr, list(expr.free_symbols)), exact(case)))
    print(f"\n{'Ridders on':>10s} {'ratio':>5s} {'starts':>12s} | {'median':>8s} {'worst':>8s} {'within 1e-9':>11s}")
    for reach, ratio, starts in itertools.product(REACHES[:3], (1.2, 1.3, 1.5), START_SETS):
        with np.errstate(all="ignore"):
            errors = np.array([abs(by_ridders(f, c.at, reach, ratio, START_SETS[starts]) - truth) / abs(truth)
                               for c, f, truth in cases])
        print(f"{2 * reach + 1:>4d}-point {ratio:5.1f} {starts:>12s} | {np.median(errors):8.1e} {errors.max():8.1e} "
              f"{int((errors <= 1e-9).sum()):>5d} of {len(cases)}")
    print("relative errors of Ridders' rule (no exact value) on central differences of 7 to 11 points.")


if __name__ == "__main__":
    main()
    configurations()
