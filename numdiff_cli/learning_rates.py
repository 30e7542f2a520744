"""A learning-rate sweep: the rates, the minimum the runs are measured against, and the marks
1/λmax and 2/λmax that say where a rate is too small, right or too large.

Plain gradient descent on a quadratic with Hessian A moves x_k = x* + (I - lr·A)^k (x0 - x*):
along an eigen-direction of curvature λ the distance is multiplied by 1 - lr·λ per step. Below
lr = 1/λmax every factor is in [0, 1): the iterates close in from one side, slowly where
lr·λ is small. From 1/λmax to 2/λmax the most curved direction overshoots but still closes in
(the best fixed rate, 2/(λmin + λmax), lies here). At 2/λmax and above it bounces or runs away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import sympy as sp

from numdiff_cli.curvature import exact_hessian
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RateRegion
from numdiff_cli.results.descend import DescentResult
from numdiff_cli.results.rate_sweep import RateRow, RateSweep

DEFAULT_COUNT = 13  # rates in a sweep unless told: four per decade over 1e-3 .. 1
MAX_COUNT = 50  # as many runs as a comparison of learning rates holds
AGREE = 1e-6  # converged runs whose end points differ by less than this (relative) reached one minimum

Spec = str | Sequence[float]


def rates(spec: Spec) -> np.ndarray:
    """The learning rates of ``spec``: ``"LO:HI"`` or ``"LO:HI:N"`` (text) or ``(LO, HI[, N])``,
    N rates (default 13) log-spaced from LO to HI, both included.

    Raises
    ------
    UsageError
        Naming ``lr_sweep``, for anything but 0 < LO < HI, finite, and N a whole number from 2 to 50.

    Examples
    --------
    >>> rates("0.01:1:3").tolist()
    [0.01, 0.1, 1.0]
    """
    parts = spec.split(":") if isinstance(spec, str) else list(spec)
    try:
        if len(parts) not in (2, 3):
            raise ValueError
        low, high = float(parts[0]), float(parts[1])
        count = float(parts[2] if len(parts) == 3 else DEFAULT_COUNT)
    except (TypeError, ValueError):
        raise UsageError(
            "{lr_sweep} takes LO:HI or LO:HI:N (N learning rates log-spaced from LO to HI), not {value!r}",
            parameter="lr_sweep", value=spec,
        ) from None
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low < high):
        raise UsageError(
            "{lr_sweep} needs 0 < LO < HI, finite, not LO = {low:g} and HI = {high:g}", parameter="lr_sweep",
            low=low, high=high,
        )
    if not (count.is_integer() and 2 <= count <= MAX_COUNT):
        raise UsageError(
            "{lr_sweep} runs N = 2 to {most} learning rates, not {value:g}", parameter="lr_sweep", most=MAX_COUNT,
            value=count,
        )
    return np.geomspace(low, high, int(count))


def summarise(runs: Sequence[DescentResult], objective: Objective, *, steps: int) -> RateSweep:
    """The sweep of ``runs`` (one per learning rate, same start and optimizer): each run's
    distance to the minimum and its region against λmax."""
    first = runs[0]
    ascent = first.ascent
    minimum, source = _quadratic_minimum(objective, ascent), "quadratic"
    if minimum is None:
        minimum, source = _agreed_minimum(runs), "converged"
    at = "start" if minimum is None else "minimum"
    curvature = _largest_curvature(objective, np.array(first.start if minimum is None else minimum), ascent)
    rows = tuple(
        RateRow(
            lr=run.lr, status=run.status, message=run.message, steps=run.steps, final_x=run.final_x,
            final_f=run.final_f, grad_norm=run.final_grad_norm,
            distance=None if minimum is None else _distance(run.final_x, minimum),
            region=region(run.lr, curvature) if first.optimizer == "sgd" else None,
        )
        for run in runs
    )
    return RateSweep(
        expression=first.expression, variables=first.variables, optimizer=first.optimizer,
        hyperparameters=first.hyperparameters, gradient=first.gradient, h=first.h, ascent=ascent,
        start=first.start, steps=steps, rows=rows, held=first.held,
        minimum=None if minimum is None else tuple(minimum), minimum_source=None if minimum is None else source,
        lambda_max=curvature, lambda_max_at=at,
    )


def region(lr: float, lambda_max: float | None) -> RateRegion | None:
    """Where ``lr`` lies against 1/λmax and 2/λmax; None without a positive λmax."""
    if lambda_max is None:
        return None
    if lr * lambda_max < 1:
        return RateRegion.TOO_SMALL
    return RateRegion.RIGHT if lr * lambda_max < 2 else RateRegion.TOO_LARGE


def _quadratic_minimum(objective: Objective, ascent: bool) -> tuple[float, ...] | None:
    """x* = -A⁻¹b where f = ½xᵀAx + bᵀx + c with A definite (positive, or negative for ascent);
    None for any other f."""
    try:
        linear = all(sp.Poly(g, *objective.symbols).total_degree() <= 1 for g in objective.gradient)
    except sp.PolynomialError:  # not a polynomial: sin, exp, 1/x ...
        return None
    if not linear:
        return None
    origin = dict.fromkeys(objective.symbols, 0.0)
    try:
        hessian = exact_hessian(objective.gradient, objective.symbols, origin)
    except MathError:
        return None
    b = np.array([float(g.xreplace(origin)) for g in objective.gradient])
    eigenvalues = np.linalg.eigvalsh(-hessian if ascent else hessian)
    if not eigenvalues[0] > 0:  # semi-definite or indefinite: no unique minimum
        return None
    return tuple((np.linalg.solve(hessian, -b) + 0.0).tolist())  # + 0.0: no -0.0 to read as a sign


def _agreed_minimum(runs: Sequence[DescentResult]) -> tuple[float, ...] | None:
    """The point where the runs that converged to a minimum (maximum for ascent) ended, if they
    all ended at one; else None."""
    goal = "maximum" if runs[0].ascent else "minimum"
    ends = [np.array(run.final_x) for run in runs if run.critical_point and run.critical_point.kind == goal]
    if not ends:
        return None
    best = ends[0]
    if any(np.linalg.norm(end - best) > AGREE * (1 + np.linalg.norm(best)) for end in ends):
        return None
    return tuple(best.tolist())


def _largest_curvature(objective: Objective, x: np.ndarray, ascent: bool) -> float | None:
    """λmax of the Hessian of f (of -f for ascent) at ``x``; None where it is not positive and finite."""
    eigenvalues = objective.eigenvalues(x)
    largest = float(np.max(-eigenvalues if ascent else eigenvalues))
    return largest if math.isfinite(largest) and largest > 0 else None


def _distance(x: Sequence[float], minimum: Sequence[float]) -> float:
    with np.errstate(all="ignore"):
        return math.hypot(*(a - b for a, b in zip(x, minimum)))
