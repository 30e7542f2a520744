"""Finite-difference methods on plain numpy functions (no sympy here).

A method estimates the ``order``-th derivative of ``f`` at ``x`` along one or more
directions from values of ``f`` a step ``h`` apart. Every method returns its value together
with its own error estimate, made without knowing the exact answer.

Stencil weights are derived exactly (rational arithmetic): for offsets ``o_i`` the weights
``w_i`` solve ``sum_i w_i o_i**k / k! = [k == order]`` for ``k = 0 .. len(o) - 1``, the
Taylor conditions that cancel every lower term. Scaled to integers, the sum
``sum_i w_i f(x + o_i h)`` is formed left to right in the order of the offsets, so the
central difference is computed exactly as the textbook writes it, (f(x+h) - f(x-h)) / 2h.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache

import numpy as np

from numdiff_cli.errors import UsageError
from numdiff_cli.lecture import STEP as DEFAULT_STEP  # first derivatives' h unless one is given

MAX_ORDER = 6
AUTO = "auto"
TRUSTED_ULPS = 4  # no derivative a method gives is trusted beyond this many ulps of itself

Step = float | str | None  # a step h, AUTO for the balanced step, None for the method's default

# f(*coordinates) -> values, broadcasting over arrays: f(x0_array, x1_array, ...)
NumericFunction = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Stencil:
    """``f^(order)(x) ~ sum_i weights[i] * f(x + offsets[i] * h) / (divisor * h**order)``."""

    offsets: tuple[int, ...]
    weights: tuple[int, ...]
    divisor: int
    order: int
    accuracy: int  # the truncation error shrinks like h**accuracy

    @property
    def truncation_coefficient(self) -> Fraction:
        """c in the leading truncation error c·f^(order+accuracy)(x)·h^accuracy: the first Taylor
        term the weights leave (1/2 for forward, 1/6 for central first derivatives)."""
        k = self.order + self.accuracy
        return sum(Fraction(o**k * w, math.factorial(k)) for o, w in zip(self.offsets, self.weights)) / self.divisor


@cache
def stencil(offsets: tuple[int, ...], order: int) -> Stencil:
    """Exact finite-difference weights for ``offsets`` (distinct integers, in summation order).

    Raises
    ------
    ValueError
        If there are not more offsets than ``order``.
    """
    n = len(offsets)
    if n <= order:
        raise ValueError(f"{n} points cannot give a derivative of order {order}")
    # Solve the Taylor conditions by Gauss-Jordan elimination over the rationals.
    rows = [
        [Fraction(o**k, math.factorial(k)) for o in offsets] + [Fraction(int(k == order))]
        for k in range(n)
    ]
    for col in range(n):
        pivot = next(r for r in range(col, n) if rows[r][col] != 0)
        rows[col], rows[pivot] = rows[pivot], rows[col]
        rows[col] = [v / rows[col][col] for v in rows[col]]
        for r in range(n):
            if r != col and rows[r][col] != 0:
                rows[r] = [a - rows[r][col] * b for a, b in zip(rows[r], rows[col])]
    weights = [row[-1] for row in rows]
    divisor = math.lcm(*(w.denominator for w in weights))
    kept = [(o, int(w * divisor)) for o, w in zip(offsets, weights) if w != 0]
    # The first Taylor term the weights do not cancel fixes the accuracy.
    k = n
    while sum(Fraction(o**k, math.factorial(k)) * w for o, w in kept) == 0:
        k += 1
    return Stencil(
        offsets=tuple(o for o, _ in kept),
        weights=tuple(w for _, w in kept),
        divisor=divisor,
        order=order,
        accuracy=k - order,
    )


@dataclass(frozen=True)
class Estimate:
    """One method's numerical derivative at one point along one direction."""

    value: float
    h: float
    error_estimate: float | None


@dataclass(frozen=True)
class StencilMethod:
    """A fixed-step finite difference whose offsets depend on the derivative order."""

    name: str
    summary: str
    offsets: Callable[[int], tuple[int, ...]]

    def stencil(self, order: int) -> Stencil:
        return stencil(self.offsets(order), order)

    def step(self, order: int, x: np.ndarray, h: Step, dtype: type = np.float64) -> np.ndarray:
        """The step for each row of ``x`` (shape (m, n)): ``h`` itself, balanced, or the default."""
        if h is None:
            return self.default_step(order, x, dtype)
        if h == AUTO:
            return self.balanced_step(order, x, dtype)
        return np.full(np.shape(x)[:-1], float(h))

    def default_step(self, order: int, x: np.ndarray, dtype: type = np.float64) -> np.ndarray:
        """The lecture's h = 1e-4 for first derivatives; the step balanced in ``dtype`` for higher ones."""
        if order == 1:
            return np.full(np.shape(x)[:-1], DEFAULT_STEP)
        return self.balanced_step(order, x, dtype)

    def balanced_step(self, order: int, x: np.ndarray, dtype: type = np.float64) -> np.ndarray:
        """The step where truncation (~h**p) and rounding (~eps/h**order) errors are about equal.

        For accuracy p the total error C h**p + eps/h**order is least near
        h = eps**(1/(p+order)): sqrt(eps) for forward, cbrt(eps) for central. Scaled by the
        point's size, and rounded so that ``x + h`` is exact in binary.
        """
        eps = np.finfo(dtype).eps
        h = eps ** (1.0 / (self.stencil(order).accuracy + order)) * _scale(x)
        return _exact_step(x, h)

    def estimate(
        self,
        f: NumericFunction,
        x: np.ndarray,
        directions: np.ndarray,
        order: int,
        h: np.ndarray,
        dtype: type = np.float64,
    ) -> list[Estimate]:
        """Derivatives of ``f`` at ``x`` (shape (m, n)) along ``directions`` (shape (m, n)).

        ``h`` has shape (m,). The error estimate compares the results at h, h/2 and h/4
        (:func:`halving_error`). All evaluations are made in one call of ``f``, every number
        in ``dtype``.
        """
        s = self.stencil(order)
        steps, derivatives, rounding = _halvings(s, f, x, directions, h, 3, dtype)
        error = halving_error(derivatives, rounding, s.accuracy)
        return [Estimate(float(d), float(step), float(e)) for d, step, e in zip(derivatives[0], steps[0], error)]

    def tuned_step(
        self,
        f: NumericFunction,
        x: np.ndarray,
        directions: np.ndarray,
        order: int,
        h: np.ndarray,
        dtype: type = np.float64,
    ) -> np.ndarray:
        """The step that balances this function's own truncation and rounding error at x.

        A pilot at h and h/2 measures the truncation constant C (error ~ C h^p) and the
        rounding constant R (error ~ R / h^order); C h^p + R / h^order is least at
        h = (order R / (p C))^(1/(p + order)). The result stays within h/10^4 .. 10 h, is h
        itself where the pilot cannot tell (no measurable truncation, or no finite values), and
        is rounded so that x + h is exact.
        """
        s = self.stencil(order)
        _, (coarse, fine), rounding = _halvings(s, f, x, directions, h, 2, dtype)
        p = s.accuracy
        with np.errstate(all="ignore"):
            truncation = np.abs(coarse - fine) * 2**p / (2**p - 1) / h**p
            rounding_constant = rounding[0] * h**order
            best = (order * rounding_constant / (p * truncation)) ** (1.0 / (p + order))
            usable = np.isfinite(best) & (best > 0)
        return _exact_step(x, np.where(usable, np.clip(best, h / 1e4, h * 10), h)).astype(dtype)


def halving_error(derivatives: np.ndarray, rounding: np.ndarray, accuracy: int) -> np.ndarray:
    """The error of ``derivatives[0]``, from the results at h, h/2 and h/4 (axis 0).

    Where the differences shrink by about 2^p (p the ``accuracy``), the truncation error is
    |D(h) - D(h/2)| * 2^p / (2^p - 1); where they do not, the step is outside the regime the
    formula assumes, and the estimate becomes the size of the values themselves. The
    rounding bound at h (``rounding[0]``) is added.
    """
    d1, d2, d4 = derivatives
    factor = 2.0**accuracy
    with np.errstate(all="ignore"):
        first, second = np.abs(d1 - d2), np.abs(d2 - d4)
        noise = 4 * rounding[2]  # rounding at h/4, the largest of the three
        ratio = first / second
        asymptotic = ((ratio >= factor / 2) & (ratio <= factor * 2)) | (second <= noise)
        largest = np.maximum.reduce([np.abs(d1), np.abs(d2), np.abs(d4)])
        return np.where(asymptotic, first * factor / (factor - 1), largest) + rounding[0]


def ulp_floor(value: np.ndarray | float) -> np.ndarray:
    """The least error estimate a derivative ``value`` can have: TRUSTED_ULPS ulps of itself (elementwise)."""
    return TRUSTED_ULPS * np.finfo(float).eps * np.abs(value)


def _scale(x: np.ndarray) -> np.ndarray:
    """max(1, |x|) for each row of x (shape (m, n)): the size a step is measured against."""
    return np.maximum(1.0, np.max(np.abs(x), axis=-1))


def _exact_step(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """``h`` rounded so that x + h is exact in binary: otherwise the step taken is not the step
    divided by."""
    scale = _scale(x)
    return (scale + h) - scale


def _halvings(
    s: Stencil, f: NumericFunction, x: np.ndarray, directions: np.ndarray, h: np.ndarray, count: int, dtype: type
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Stencil ``s`` at h, h/2, ... (``count`` steps) for each row, in one call of ``f``.

    Returns the steps, the derivatives and their rounding bounds, each of shape (count, m).
    """
    steps = np.concatenate([h / 2**k for k in range(count)]).astype(dtype)
    x, directions = np.tile(x, (count, 1)), np.tile(directions, (count, 1))
    points = stencil_points(s, x, directions, steps)
    values = evaluate(f, points)
    derivatives, rounding = combine(s, values, steps)
    rounding = rounding + _misplaced_points(s, values, points, x, directions, steps)
    shape = (count, len(h))
    return steps.reshape(shape), derivatives.reshape(shape), rounding.reshape(shape)


def _misplaced_points(
    s: Stencil, values: np.ndarray, points: np.ndarray, x: np.ndarray, directions: np.ndarray, h: np.ndarray
) -> np.ndarray:
    """The error the stencil's points bring themselves, for each of the m rows (shape (m,)).

    A point x + k·h·d is rounded to a double: where x is large beside h (sin at π with h = 1e-4),
    f is taken up to half an ulp of x away from the point the formula divides by, and each value is
    off by about |f′|·that distance: at π, 2e-16 in values whose differences are 1e-4, so
    2e-12 in a five-point derivative, which the rounding of the values alone (a few ulps of
    |f| ≈ 1e-4) puts at 1e-15. |f′| along d is read off the values' neighbouring differences. 0
    where every point is exactly where the formula has it (a step rounded to be exact, x = 0).
    ``values`` has shape (len(offsets), m), ``points`` (len(offsets), m, n), x and directions (m, n).
    """
    dtype = h.dtype
    offsets = np.array(s.offsets, dtype)
    with np.errstate(all="ignore"):
        meant = offsets[:, None, None] * h[None, :, None] * directions.astype(dtype)[None]
        off = np.sqrt(np.sum(((points - x.astype(dtype)[None]) - meant) ** 2, axis=-1))  # (k, m)
        order = np.argsort(s.offsets)
        gaps = np.diff(offsets[order])[:, None] * h[None]
        slope = np.max(np.abs(np.diff(values[order], axis=0)) / gaps, axis=0)
        weights = np.abs(np.array(s.weights, dtype))[:, None]
        return slope * np.sum(weights * off, axis=0) / (s.divisor * h**s.order)


def stencil_points(s: Stencil, x: np.ndarray, directions: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The points x + offset * h * direction, shape (len(offsets), *h.shape, n), in h's dtype.

    ``x`` and ``directions`` have shape (m, n) and ``h`` shape (m, ...) for m rows.
    """
    dtype = h.dtype
    extra = (None,) * (h.ndim - 1)
    origin = x.astype(dtype)[(slice(None), *extra)]
    along = directions.astype(dtype)[(slice(None), *extra)]
    offsets = np.array(s.offsets, dtype).reshape((-1,) + (1,) * (h.ndim + 1))
    return origin[None] + (offsets * h[None, ..., None]) * along[None]


def check_order(order: int) -> int:
    """The derivative order as an int, refused where it is not a whole number from 1 to MAX_ORDER.

    Raises
    ------
    UsageError
        Naming the order.
    """
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or not 1 <= order <= MAX_ORDER:
        raise UsageError(
            "{order} must be a whole number from 1 to {most}, not {value!r}", parameter="order", most=MAX_ORDER, value=order
        )
    return int(order)


def check_step(h: Step) -> None:
    """Refuse a step that is not a positive finite number, ``AUTO`` or None.

    Raises
    ------
    UsageError
        Naming the step.
    """
    if isinstance(h, str):
        if h != AUTO:
            raise UsageError("{h} must be a positive number or 'auto', not {value!r}", parameter="h", value=h)
    elif h is not None and not (math.isfinite(h) and h > 0):
        raise UsageError("{h} must be a positive number, not {value:g}", parameter="h", value=h)


def evaluate(f: NumericFunction, points: np.ndarray) -> np.ndarray:
    """``f`` at every point of ``points`` (shape (..., n)) in one call; shape (...), points' dtype.

    Where ``f`` raises instead of returning inf or nan (Python-float arithmetic inside the
    compiled code can overflow), every value is nan: the caller reports it in words.
    """
    with np.errstate(all="ignore"):
        try:
            values = f(*np.moveaxis(points, -1, 0))
        except (ArithmeticError, ValueError, TypeError):  # TypeError: numpy on a 300-digit integer
            return np.full(points.shape[:-1], np.nan, dtype=points.dtype)
    return np.asarray(values, dtype=points.dtype)


def combine(s: Stencil, values: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Apply stencil ``s`` to ``values`` (shape (len(offsets), m)); also the rounding error bound.

    The sum is formed term by term in offset order, of differences from the value nearest x:
    a derivative's weights sum to 0, so this changes nothing but rounding. Two-point formulas
    round exactly as written by hand, and equal values (x + h == x) give exactly 0 for every
    stencil (summed as they are, -1, 8, -8, 1 times four equal values need not cancel).
    """
    nearest = min(range(len(s.offsets)), key=lambda i: abs(s.offsets[i]))
    with np.errstate(all="ignore"):
        differences = values - values[nearest]
        total = s.weights[0] * differences[0]
        magnitude = abs(s.weights[0]) * np.abs(values[0])
        for w, v, d in zip(s.weights[1:], values[1:], differences[1:]):
            total = total + w * d
            magnitude = magnitude + abs(w) * np.abs(v)
        scale = s.divisor * h**s.order
        # Each value carries a rounding error of a few ulps, amplified by the division.
        return total / scale, 2 * np.finfo(values.dtype).eps * magnitude / scale
