"""What a finished descent run did, as the verdict reads it: where it started and ended, the last
few iterates, when it first got worse or froze; and the thresholds a verdict measures it by."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.grad import CriticalPoint

DIVERGENCE_FACTOR = 1e3  # f worse (or better) than at the start by this much, relative to 1 + |f0|, is far
STALL_DISTANCE = 1e-6  # moving less than this (relative to 1 + |x0|) in a whole run is a stall
STEADY = 1e-3  # a gradient whose size changes by less than this share per step keeps its size
ROUNDING = 16  # f(x ± h) that differ by at most this many ε·|f| differ by rounding only

Verdict = tuple[RunStatus, str, CriticalPoint | None]


@dataclass(frozen=True)
class Path:
    """What a finished run did. ``tail`` holds (f, gradient) of the last few iterates, oldest
    first; ``first_worse`` is the first step where f was worse than at the start; ``frozen_at``
    the step from which the numerical gradient driving the run was exactly 0 and x stood still."""

    x0: np.ndarray
    x: np.ndarray
    f0: float
    f: float
    norm: float
    steps: int
    stopped_early: bool
    nonfinite_at: int | None
    first_worse: int | None
    tail: tuple[tuple[float, np.ndarray], ...]
    ascent: bool
    frozen_at: int | None = None  # from this step on the numerical gradient was exactly 0 and x stood still, lost
    zero_from: int | None = None  # from this step on the gradient driving the run was exactly 0 (None: not at the end)
    name: str = "x"  # the iterate in a sentence: x, or the learned variables where others are held as data

    def gain(self, f: float) -> float:
        """How much better than at the start ``f`` is (lower for descent, higher for ascent)."""
        return (f - self.f0) if self.ascent else (self.f0 - f)

    @property
    def far(self) -> float:
        return DIVERGENCE_FACTOR * (1 + abs(self.f0))

    def swing(self) -> tuple[bool, float]:
        """Whether the gradient flipped sign at every step of the tail, and by what factor its
        size changed per step there (1 where it cannot tell)."""
        gradients = [g for _, g in self.tail]
        if len(gradients) < 3 or not all(np.all(np.isfinite(g)) for g in gradients):
            return False, 1.0
        flips = all(float(a @ b) < 0 for a, b in zip(gradients, gradients[1:]))
        first, last = math.hypot(*gradients[0]), math.hypot(*gradients[-1])
        if first == 0 or last == 0:
            return flips, 1.0
        return flips, (last / first) ** (1 / (len(gradients) - 1))


def lost_in_rounding(x: np.ndarray, f: float, exact: np.ndarray, h: float) -> bool:
    """True where the central difference at ``x`` cannot show the exact gradient ``exact``: along a
    direction where it is not 0, x + h == x, or f changes over 2h by no more than its rounding
    (f(x ± h) differ by 2h·|∂f/∂xᵢ|, under ``ROUNDING``·ε·|f|). A numerical gradient that is
    exactly 0 there is lost; one that is 0 by its truncation error (h²f‴/6) near a critical point is not.
    """
    rounded = 2 * h * np.abs(exact) <= ROUNDING * np.finfo(float).eps * abs(f)
    return bool(np.any(((x + h == x) | rounded) & (exact != 0)))

