"""Whether a run still on the move when its steps ran out has a critical point ahead of it.

exp(x) from 0 falls toward 0 while x runs off to −∞: its gradient shrinks as f flattens, so the
run looks "still on the way", yet no number of steps reaches a minimum, since there is none.
A run closing in slowly on a true minimum (x⁴ from 1, x²/1000 at a small learning rate) looks
alike step by step. What tells them apart is ahead of the run: along the direction it moves,
f's slope turns (changes sign) past a minimum, however far; past none it never does. This
module looks along that ray, at distances growing geometrically from the run's last step out to
where double precision can still see f change.

A straight ray can see a turn that is no critical point: exp(x) + y² from (0, 1) moves along x
while y closes in on 0, and along the ray the tiny fall in y, squared, outgrows exp(x) far out.
So first, where sympy proves cheaply that one partial derivative keeps its sign at every real
point (∂f/∂x = exp(x) > 0), f has no critical point anywhere, wherever the run goes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp

from numdiff_cli.errors import LimitError
from numdiff_cli.objective import Objective
from numdiff_cli.timeout import time_limit

SIGHT = 1e300  # the farthest distance looked at along the ray
RATIO = 2**0.25  # from one distance looked at to the next: 4 per doubling, about 4,000 out to SIGHT
PROOF_SECONDS = 1.0  # for sympy to prove the signs of all the partial derivatives; unproved beyond


@dataclass(frozen=True)
class SignedPartial:
    """A partial derivative ∂f/∂v (``partial``) that keeps one ``sign`` (+1 or −1) at every real
    point, so ∇f is never 0. ``linear``: it does not depend on v, so f is linear in v."""

    index: int
    partial: sp.Expr
    sign: int
    linear: bool


def signed_partial(objective: Objective) -> SignedPartial | None:
    """The first partial derivative of ``objective`` that sympy's assumptions prove positive (or
    negative) for all real values of the variables; None where none is proved within
    ``PROOF_SECONDS`` (a proof is never a guess: 1/x, x³ and sign(x) are not proved).

    Examples
    --------
    >>> from numdiff_cli.problem import build
    >>> signed_partial(Objective.compile(build("exp(x) + y^2", (0, 1))))
    SignedPartial(index=0, partial=exp(x), sign=1, linear=False)
    """
    return _signed_partial(objective.gradient, objective.symbols)


@lru_cache(maxsize=32)  # one proof for the several runs of one function (--lr 0.1,0.01, optimizers)
def _signed_partial(gradient: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...]) -> SignedPartial | None:
    try:
        with time_limit(PROOF_SECONDS, "proving that a partial derivative keeps its sign"):
            for index, (partial, variable) in enumerate(zip(gradient, symbols)):
                sign = 1 if partial.is_positive else -1 if partial.is_negative else 0
                if sign:
                    return SignedPartial(index, partial, sign, linear=variable not in partial.free_symbols)
    except LimitError:
        pass
    return None


@dataclass(frozen=True)
class Horizon:
    """What f does along the ray ahead of a run whose slope there never turns.

    ``distance`` is the farthest point where f's slope was still seen (not 0 in double
    precision), ``f`` f's value there. ``levelled``: beyond it the slope is 0 in double
    precision as far as f was looked at (f has levelled off as far as doubles can tell), else
    the slope was still not 0 at ``SIGHT``.
    """

    distance: float
    f: float
    levelled: bool


def ahead(objective: Objective, x: np.ndarray, gradient: np.ndarray, *, step: float, ascent: bool) -> Horizon | None:
    """Look along the ray from ``x`` down ``-gradient`` (up it for ``ascent``), from ``step`` (the
    run's last step length) to ``SIGHT`` away, or to where f stops being finite (it leaves f's
    domain, or f's formula overflows): None where f's slope along it turns (a critical point lies
    ahead), is still not 0 where f stops being finite (one cannot tell), or the gradient is 0;
    else the :class:`Horizon`.

    Sampled at distances ``RATIO`` apart: a minimum narrower than the gaps far out can be missed.
    """
    size = math.hypot(*gradient)
    if not (size > 0 and math.isfinite(size)):
        return None
    direction = gradient / size if ascent else -gradient / size
    start = max(step, np.finfo(float).eps * (1 + math.hypot(*x)))
    distances = start * RATIO ** np.arange(math.ceil(math.log(SIGHT / start) / math.log(RATIO)) + 1)
    points = x + distances[:, None] * direction
    with np.errstate(all="ignore"):
        try:
            f, *partials = (np.broadcast_to(np.asarray(v, dtype=float), distances.shape)
                            for v in objective.value_and_gradient(*points.T))
        except (ArithmeticError, TypeError, ValueError):
            return None
        rate = np.stack(partials, axis=1) @ direction  # f's slope along the ray, > 0 where it climbs
    # how fast the run's goal improves along the ray: f falling (descent) or rising (ascent)
    better = rate if ascent else -rate
    seen = np.isfinite(f) & np.isfinite(better) & np.all(np.isfinite(points), axis=1)
    end = len(distances) if seen.all() else int(np.argmin(seen))  # look only up to where f stops being finite
    moving = np.flatnonzero(better[:end] > 0)
    if np.any(better[:end] < 0) or not len(moving):  # a turn, or nothing seen
        return None
    last = int(moving[-1])
    if last == end - 1 and end < len(distances):  # still moving where f stops being finite: one cannot tell
        return None
    return Horizon(float(distances[last]), float(f[last]), levelled=last + 1 < end)
