"""Richardson extrapolation of central differences with an adaptive step (Ridders' method).

Central differences D(h) have errors in even powers of h, so from D(h) and D(h/c) the
combination (c²ᵏ D(h/c) - D(h)) / (c²ᵏ - 1) cancels the h²ᵏ term. A tableau of such
combinations over shrinking steps converges fast; the difference between neighbouring
entries estimates the error, and the entry where it is least is the answer. Several
starting steps, scaled both to 1 and to |x|, are tried at once so that a pole, a domain edge
or fast oscillation near x does not go unnoticed; the least-error result wins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numdiff_cli.finite import Estimate, NumericFunction, Step, combine, evaluate, stencil, stencil_points

SHRINK = 1.6  # each tableau row divides the step by this
ROWS = 12  # tableau rows per starting step
SAFE = 2.0  # stop a tableau once its extrapolations grow worse by this factor
START_FRACTIONS = (0.5, 0.05, 5e-3, 5e-4, 5e-5)  # starting steps, as fractions of 1 and of |x|


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
        size = np.max(np.abs(x * directions), axis=-1)  # |x| along the direction, shape (m,)
        starts = np.stack(
            [np.full_like(size, fraction) for fraction in START_FRACTIONS]
            + [fraction * size for fraction in START_FRACTIONS],
            axis=-1,
        )  # (m, c); a start of 0 (at x = 0) becomes nan and drops out
        steps = (np.where(starts > 0, starts, np.nan)[..., None] / SHRINK ** np.arange(ROWS)).astype(dtype)
        values = evaluate(f, stencil_points(s, x, directions, steps))
        first, rounding = combine(s, values, steps)  # (m, c, rows)
        value, error, chosen = _extrapolate(first, rounding, steps)
        return [Estimate(float(v), float(c), float(e)) for v, e, c in zip(value, error, chosen)]


def _central_offsets(order: int) -> tuple[int, ...]:
    reach = (order + 1) // 2
    return tuple(range(reach, -reach - 1, -1))


def _extrapolate(
    first: np.ndarray, rounding: np.ndarray, steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ridders' tableau over the last axis, for every leading index at once.

    ``first`` holds D at the shrinking steps, shape (m, c, rows). Returns, per m, the best
    value over all starts, its error estimate and the step of the entry it came from.
    """
    m, c, rows = first.shape
    best = np.full((m, c), np.nan)
    error = np.full((m, c), np.inf)
    step = np.full((m, c), np.nan)
    running = np.ones((m, c), bool)
    previous = first[..., :1].copy()  # the previous tableau row
    ratio = SHRINK**2
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
    # The start whose best entry has the least error estimate wins.
    pick = np.argmin(np.where(np.isfinite(error), error, np.inf), axis=1)
    index = np.arange(m)
    value, err, chosen = best[index, pick], error[index, pick], step[index, pick]
    # An extrapolated value is never better than a few ulps of itself.
    err = np.maximum(err, 4 * np.finfo(float).eps * np.abs(value))
    return value, err, chosen
