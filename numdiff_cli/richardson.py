"""Richardson extrapolation of central differences with an adaptive step (Ridders' method).

Central differences D(h) have errors in even powers of h, so from D(h) and D(h/c) the
combination (c²ᵏ D(h/c) - D(h)) / (c²ᵏ - 1) cancels the h²ᵏ term. A tableau of such
combinations over shrinking steps converges fast; the difference between neighbouring
entries estimates the error, and the entry where it is least is the answer. Several
starting steps, scaled both to 1 and to |x|, are tried at once so that a pole, a domain edge
or fast oscillation near x does not go unnoticed; the least-error result wins. Where the best
of the steps scaled to 1 and the best of those scaled to |x| contradict each other (sin at
1e4 with steps of thousands, or gamma(x^2) at 1e-8 with steps across its pole at 0, each
gives a wrong value with a tiny error estimate), one of the two estimates is wrong: the
disagreement becomes the error estimate, so the row is flagged rather than silently wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numdiff_cli.finite import Estimate, NumericFunction, Step, combine, evaluate, stencil, stencil_points, ulp_floor

SHRINK = 1.6  # each tableau row divides the step by this
ROWS = 12  # tableau rows per starting step
SAFE = 2.0  # stop a tableau once its extrapolations grow worse by this factor
START_FRACTIONS = (0.5, 0.05, 5e-3, 5e-4, 5e-5)  # starting steps, as fractions of 1 and of |x|
# A k-th difference's rounding error grows like h^-k, by SHRINK^k from one row to the next:
# 17 times at k = 6, which leaves three or four usable rows, too few to cancel the truncation
# error. From order HIGH_ORDER on, rows shrink by less, from larger starting steps.
HIGH_ORDER = 4
HIGH_SHRINK = 1.3
HIGH_START_FRACTIONS = (1.0, 0.5, 0.25, 0.05, 5e-3, 5e-4, 5e-5)
CONFLICT = 3.0  # two results further apart than this many times their error estimates contradict


@dataclass(frozen=True)
class RichardsonMethod:
    """Extrapolated central differences; the step is chosen by the method, not by --h."""

    name: str = "richardson"
    summary: str = "central differences extrapolated to h -> 0 (Ridders), adaptive step"

    def step(self, order: int, x: np.ndarray, h: Step, dtype: type = np.float64) -> np.ndarray:
        """The starting steps are the method's own; ``h`` is ignored."""
        return np.full(np.shape(x)[:-1], np.nan)

    def estimate(
        self,
        f: NumericFunction,
        x: np.ndarray,
        directions: np.ndarray,
        order: int,
        h: np.ndarray,
        dtype: type = np.float64,
    ) -> list[Estimate]:
        """Derivatives at ``x`` (shape (m, n)) along ``directions``, all evaluations in one call."""
        s = stencil(_central_offsets(order), order)
        shrink, steps = step_grid(x, directions, order, dtype)
        values = evaluate(f, stencil_points(s, x, directions, steps))
        first, rounding = combine(s, values, steps)  # (m, c, rows)
        value, error, chosen = extrapolate(first, rounding, steps, shrink)
        return [Estimate(float(v), float(c), float(e)) for v, e, c in zip(value, error, chosen)]


def step_grid(x: np.ndarray, directions: np.ndarray, order: int, dtype: type = np.float64) -> tuple[float, np.ndarray]:
    """The row ratio, and the steps of every tableau: shape (m, c, ROWS) for c starting steps,
    the first half scaled to 1 and the second to |x| (nan for a start of 0, which drops out)."""
    shrink, of_one, of_size = _schedule(order)
    size = np.max(np.abs(x * directions), axis=-1)  # |x| along the direction, shape (m,)
    starts = np.stack(
        [np.full_like(size, fraction) for fraction in of_one] + [fraction * size for fraction in of_size],
        axis=-1,
    )  # (m, c)
    return shrink, (np.where(starts > 0, starts, np.nan)[..., None] / shrink ** np.arange(ROWS)).astype(dtype)


def tableau(first: np.ndarray, shrink: float = SHRINK) -> list[list[float]]:
    """The whole triangle of one start, for showing it: row i holds D(h_i) and its extrapolations
    T[i][j] = (c^2j T[i][j-1] - T[i-1][j-1]) / (c^2j - 1), c = ``shrink``, each cancelling one more
    even power of h. :func:`extrapolate` forms the same entries for every start at once."""
    rows: list[list[float]] = []
    for i, d in enumerate(first):
        row = [float(d)]
        factor = shrink**2
        for j in range(1, i + 1):
            row.append((row[j - 1] * factor - rows[i - 1][j - 1]) / (factor - 1))
            factor *= shrink**2
        rows.append(row)
    return rows


def _schedule(order: int) -> tuple[float, tuple[float, ...], tuple[float, ...]]:
    """The row ratio, and the starting steps as fractions of 1 and of |x|, for ``order``.

    From ``HIGH_ORDER`` on, the steps scaled to |x| keep the stencil within 3/4 |x| of x: a
    tableau across 0, where many functions are singular (sin(1/x)), can converge to a smooth
    wrong value with a small error estimate.
    """
    if order < HIGH_ORDER:
        return SHRINK, START_FRACTIONS, START_FRACTIONS
    reach = (order + 1) // 2
    return HIGH_SHRINK, HIGH_START_FRACTIONS, tuple(fraction * 0.75 / reach for fraction in HIGH_START_FRACTIONS)


def _central_offsets(order: int) -> tuple[int, ...]:
    reach = (order + 1) // 2
    return tuple(range(reach, -reach - 1, -1))


def extrapolate(
    first: np.ndarray, rounding: np.ndarray, steps: np.ndarray, shrink: float = SHRINK
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ridders' tableau over the last axis, for every leading index at once.

    ``first`` holds D at steps shrinking by ``shrink`` from row to row, shape (m, c, rows),
    the first half of the c starts scaled to 1 and the second half to |x|. Returns, per m,
    the best value over all starts, its error estimate and the step of the entry it came from.
    """
    m, c, rows = first.shape
    best = np.full((m, c), np.nan)
    error = np.full((m, c), np.inf)
    step = np.full((m, c), np.nan)
    running = np.ones((m, c), bool)
    previous = first[..., :1].copy()  # the previous tableau row
    ratio = shrink**2
    with np.errstate(all="ignore"):
        for i in range(1, rows):
            row = [first[..., i]]
            factor = ratio
            for j in range(1, i + 1):
                entry = (row[j - 1] * factor - previous[..., j - 1]) / (factor - 1)
                factor *= ratio
                estimate = np.maximum(np.abs(entry - row[j - 1]), np.abs(entry - previous[..., j - 1]))
                # Rounding in the differences this entry was built from bounds how good it can be.
                estimate = np.maximum(estimate, rounding[..., i])
                better = running & np.isfinite(entry) & (estimate < error)
                best = np.where(better, entry, best)
                error = np.where(better, estimate, error)
                step = np.where(better, steps[..., i], step)
                row.append(entry)
            row_array = np.stack(row, axis=-1)
            worse = np.abs(row_array[..., i] - previous[..., i - 1]) >= SAFE * error
            running &= ~worse
            previous = row_array
    index = np.arange(m)
    # The best start of each family: steps scaled to 1 (the first half), and to |x|.
    half = c // 2
    ones = np.argmin(np.where(np.isfinite(error[:, :half]), error[:, :half], np.inf), axis=1)
    sized = half + np.argmin(np.where(np.isfinite(error[:, half:]), error[:, half:], np.inf), axis=1)
    v1, e1, v2, e2 = best[index, ones], error[index, ones], best[index, sized], error[index, sized]
    with np.errstate(all="ignore"):
        disagreement = np.abs(v1 - v2)
        conflict = np.isfinite(disagreement) & (disagreement > CONFLICT * (e1 + e2))
        # Agreeing, the least error wins; contradicting, the least error relative to the value,
        # with the disagreement as its error.
        by_error = np.where(e1 <= e2, ones, sized)
        by_share = np.where(e1 / np.abs(v1) <= e2 / np.abs(v2), ones, sized)
    pick = np.where(conflict, by_share, by_error)
    value, err, chosen = best[index, pick], error[index, pick], step[index, pick]
    err = np.where(conflict, np.maximum(err, disagreement), err)
    err = np.maximum(err, ulp_floor(value))
    return value, err, chosen
