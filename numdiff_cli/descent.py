"""Gradient descent and ascent: the loop, how a run ended, and learning-rate advice.

The expression and its gradient are compiled once (:class:`~numdiff_cli.objective.Objective`);
each step is a few numpy operations. The Hessian at the start and the end (learning-rate
advice, the kind of point reached) is exact, from 30-digit values. Not converging is a result (a status and a sentence), never an error.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from numdiff_cli import finite, optimizers, symbolic
from numdiff_cli.curvature import GRADIENT_TOLERANCE, classify, zero_gradient_scale
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.lecture import LEARNING_RATE, STEPS
from numdiff_cli.objective import Objective
from numdiff_cli.problem import Problem
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.descend import DescentComparison, DescentResult, TraceRow
from numdiff_cli.results.grad import CriticalPoint

MAX_STEPS = 10_000_000
HEAD_ROWS = TAIL_ROWS = 5  # rows kept at each end of a long trace shown as a table
DIVERGENCE_FACTOR = 1e3  # f worse than at the start by this much (relative to 1 + |f0|) is divergence
STALL_DISTANCE = 1e-6  # moving less than this (relative to 1 + |x0|) in a whole run is a stall
GRADIENTS = ("numeric", "analytic")
PROGRESS_EVERY = 65_536  # steps between two calls of the progress callback


@dataclass(frozen=True)
class Settings:
    """What a run does besides its learning rate and optimizer (see :func:`descend`)."""

    steps: int = STEPS
    params: Mapping[str, float | None] | None = None
    gradient: str = "numeric"
    h: float = finite.DEFAULT_STEP
    tol: float | None = None
    ascent: bool = False
    keep_all: bool = False
    every: int | None = None
    progress: Callable[[int], None] | None = None


def descend(
    problem: Problem,
    *,
    lr: float = LEARNING_RATE,
    optimizer: str = "sgd",
    steps: int = STEPS,
    params: Mapping[str, float | None] | None = None,
    gradient: str = "numeric",
    h: float = finite.DEFAULT_STEP,
    tol: float | None = None,
    ascent: bool = False,
    keep_all: bool = False,
    every: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> DescentResult:
    """Run gradient descent (or ascent) on ``problem``'s function from its point and say how it ended.

    ``gradient`` drives the update: ``numeric`` (the lecture's central difference with step
    ``h``) or ``analytic``; both are shown in the trace. ``params`` overrides the
    optimizer's hyperparameters. Every step runs unless ``tol`` is given and the gradient
    norm falls below it, or the values stop being finite. The trace keeps every step with
    ``keep_all``, else the first and last rows and every ``every``-th. ``progress`` is called
    now and then with the number of steps done since its last call.

    Raises
    ------
    UsageError
        For a learning rate, step count, step h, tolerance or optimizer setting out of range.
    MathError
        Where the gradient that drives the run is not finite at the start.

    Examples
    --------
    >>> from numdiff_cli.problem import build
    >>> run = descend(build("x0**2 + x1**2", (-3, 4)))
    >>> run.status.value, [f"{v:.3e}" for v in run.final_x]
    ('converged', ['-6.111e-10', '8.148e-10'])
    """
    settings = Settings(steps, params, gradient, h, tol, ascent, keep_all, every, progress)
    return _run(problem, Objective.compile(problem), lr, optimizer, settings)


def compare(
    problem: Problem, *, lrs: Sequence[float], optimizer_names: Sequence[str], **options: Any
) -> DescentComparison:
    """One :func:`descend` run per learning rate and optimizer (``options`` as there), to set side
    by side; f and its gradient are compiled once for them all.

    Raises
    ------
    UsageError
        As :func:`descend`.
    """
    settings = Settings(**options)
    objective = Objective.compile(problem)
    return DescentComparison(
        tuple(_run(problem, objective, lr, name, settings) for name in optimizer_names for lr in lrs)
    )


def _run(problem: Problem, objective: Objective, lr: float, optimizer: str, settings: Settings) -> DescentResult:
    """One run of ``optimizer`` at learning rate ``lr``."""
    hyperparameters = _validate(lr, optimizer, settings)
    s = settings
    x0 = np.array(list(problem.points[0].values()))
    loop = _Loop(objective, s.gradient, s.h, s.keep_all, s.every or max(1, s.steps // 10))
    loop.check_start(x0, symbolic.format_point(problem.points[0]))
    loop.run(x0, optimizers.make(optimizer, lr, hyperparameters), s.steps, s.tol, s.ascent, s.progress)
    status, message, critical = _verdict(loop, objective, x0, lr, s)
    advice, warning = learning_rate_advice(objective.eigenvalues(x0), lr, optimizer, s.ascent)
    return DescentResult(
        expression=str(problem.expr),
        variables=objective.variables,
        lr=lr,
        optimizer=optimizer,
        hyperparameters=dict(hyperparameters),
        gradient=s.gradient,
        h=s.h,
        ascent=s.ascent,
        start=tuple(x0.tolist()),
        status=status,
        message=message,
        trace=tuple(loop.rows),
        final_x=tuple(loop.x.tolist()),
        final_f=loop.f,
        final_grad_norm=loop.norm,
        steps=loop.step,
        advice=advice,
        warning=warning,
        critical_point=critical,
    )


def learning_rate_advice(
    eigenvalues: np.ndarray, lr: float, optimizer: str, ascent: bool
) -> tuple[str | None, str | None]:
    """Advice on the learning rate from the Hessian's eigenvalues at the start, and a warning.

    For plain gradient descent on a quadratic, x <- x - lr g is stable exactly when
    |1 - lr λ| < 1 for every eigenvalue λ, that is lr < 2 / λmax.
    """
    curvature = -eigenvalues if ascent else eigenvalues
    largest = float(np.max(curvature)) if len(curvature) else 0.0
    if not math.isfinite(largest) or largest <= 0:
        return None, None
    limit = 2 / largest
    advice = (
        f"largest stable learning rate for plain gradient {'ascent' if ascent else 'descent'} here: "
        f"2/λmax = {limit:.4g} (λmax = {largest:.4g} at the start; exact for a quadratic)"
    )
    warning = None
    if optimizer == "sgd" and lr >= limit:
        fate = "will diverge" if lr > limit else "will oscillate without converging"
        warning = (
            f"lr = {lr:g} is {'above' if lr > limit else 'exactly'} 2/λmax = {limit:.4g} at the start: "
            f"plain gradient {'ascent' if ascent else 'descent'} {fate} on a quadratic like this one"
        )
    return advice, warning


def _validate(lr: float, optimizer: str, s: Settings) -> Mapping[str, float]:
    """The optimizer's hyperparameters, once every setting is checked."""
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError("{lr} must be a positive number, not {value:g}", parameter="lr", value=lr)
    if not 1 <= s.steps <= MAX_STEPS:
        raise UsageError("{steps} must be between 1 and {most:,}, not {value}", parameter="steps", most=MAX_STEPS, value=s.steps)
    if s.gradient not in GRADIENTS:
        raise UsageError(
            "{gradient} must be one of {names}, not {value!r}", parameter="gradient", names=", ".join(GRADIENTS), value=s.gradient
        )
    finite.check_step(s.h)
    if s.tol is not None and not (math.isfinite(s.tol) and s.tol > 0):
        raise UsageError("{tol} must be a positive number, not {value:g}", parameter="tol", value=s.tol)
    if s.every is not None and s.every < 1:
        raise UsageError("{every} must be at least 1, not {value}", parameter="every", value=s.every)
    return optimizers.hyperparameters(optimizer, s.params or {})


class _Loop:
    """The state of one run: the iterate, the kept rows, and what was seen on the way."""

    def __init__(self, objective: Objective, gradient: str, h: float, keep_all: bool, every: int) -> None:
        self.objective, self.gradient, self.h = objective, gradient, h
        self.keep_all, self.every = keep_all, every
        self.rows: list[TraceRow] = []
        # The last few steps, unrendered: a run may stop early, so the tail is known only at the end.
        self.recent: deque[tuple[int, np.ndarray, np.ndarray, float, np.ndarray]] = deque(maxlen=TAIL_ROWS)
        self.x = np.zeros(len(objective.variables))
        self.step = 0
        self.f = self.f0 = self.norm = math.nan
        self.nonfinite_at: int | None = None
        self.worse_at: int | None = None  # first step where f was much worse than at the start
        self.converged_early = False

    def check_start(self, x0: np.ndarray, where: str) -> None:
        """Raise MathError where the gradient that drives the run is not finite at ``x0``."""
        with np.errstate(all="ignore"):
            g = self._evaluator(self.gradient)(x0)[1]
        if np.all(np.isfinite(g)):
            return
        if self.gradient == "numeric":
            with np.errstate(all="ignore"):
                exact_exists = np.all(np.isfinite(self.objective.exact(x0)[1]))
            raise MathError(
                "the numerical gradient (central differences, h = {step:g}) is not finite at the start {where}: "
                + (
                    "f is undefined within h of it; a smaller {h}, or {gradient} analytic, can start there"
                    if exact_exists
                    else "f is undefined within h of it, or has no real derivative there; no step can be taken"
                ),
                parameter="h",
                step=self.h,
                where=where,
            )
        raise MathError(
            f"the gradient is not finite at the start {where}: f has no real derivative there; no step can be taken"
        )

    def run(
        self,
        x: np.ndarray,
        update: optimizers.Step,
        steps: int,
        tol: float | None,
        ascent: bool,
        progress: Callable[[int], None] | None,
    ) -> None:
        evaluate = self._evaluator(self.gradient)
        keep_all, every, rows, recent = self.keep_all, self.every, self.rows, self.recent
        previous = x
        f0 = f = norm = math.nan
        k = 0
        # The hot loop: locals only, a few numpy operations a step, errors in words at the end.
        with np.errstate(all="ignore"):
            for k in range(steps + 1):
                f, g = evaluate(x)
                if k == 0:
                    f0 = f
                if keep_all or k < HEAD_ROWS or k % every == 0:
                    rows.append(self._row(k, x, previous, f, g))
                else:
                    recent.append((k, x, previous, f, g))
                norm = math.sqrt(g @ g)
                if not (math.isfinite(f) and math.isfinite(norm)):
                    self.nonfinite_at = k
                    break
                if self.worse_at is None and _far_the_wrong_way(f, f0, ascent):
                    self.worse_at = k
                if (tol is not None and norm < tol) or k == steps:
                    self.converged_early = k < steps
                    break
                if progress is not None and k and k % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
                previous, x = x, x - update(-g if ascent else g)
        self.x, self.f, self.norm, self.step, self.f0 = x, float(f), norm, k, float(f0)
        kept = {row.step for row in self.rows}
        tail = [self._row(*entry) for entry in self.recent if entry[0] not in kept]
        self.rows = sorted([*self.rows, *tail], key=lambda row: row.step)

    def _evaluator(self, gradient: str) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        """x -> (f(x), gradient) for the analytic or the numeric gradient."""
        return self.objective.exact if gradient == "analytic" else self.objective.numeric(self.h)

    def _row(self, k: int, x: np.ndarray, previous: np.ndarray, f: float, g: np.ndarray) -> TraceRow:
        """One trace row; the gradient not driving the update is computed only here."""
        with np.errstate(all="ignore"):  # a diverging run overflows here too: inf is its answer
            other = self._evaluator("numeric" if self.gradient == "analytic" else "analytic")(x)[1]
            exact, numeric = (g, other) if self.gradient == "analytic" else (other, g)
            return TraceRow(
                step=k,
                x=tuple(x.tolist()),
                f=float(f),
                grad=tuple(g.tolist()),
                grad_analytic=tuple(exact.tolist()),
                grad_numeric=tuple(numeric.tolist()),
                grad_norm=float(np.linalg.norm(g)),
                step_length=float(np.linalg.norm(x - previous)) if k else None,
            )


def _far_the_wrong_way(f: float, f0: float, ascent: bool) -> bool:
    """True where f has moved from f0 the wrong way by DIVERGENCE_FACTOR times 1 + |f0|."""
    worse = f0 - f if ascent else f - f0
    return worse > DIVERGENCE_FACTOR * (1 + abs(f0))


def _verdict(
    loop: _Loop, objective: Objective, x0: np.ndarray, lr: float, settings: Settings
) -> tuple[RunStatus, str, CriticalPoint | None]:
    """The status of a finished run, a sentence saying why, and the kind of point it ended on."""
    tol, ascent, gradient, h = settings.tol, settings.ascent, settings.gradient, settings.h
    direction = "ascent" if ascent else "descent"
    if loop.nonfinite_at is not None:
        return RunStatus.DIVERGED, (
            f"the values stopped being finite at step {loop.nonfinite_at} (f = {loop.f:.4g}): "
            f"the learning rate {lr:g} is too large, or the step landed where f is undefined"
        ), None
    vanished = gradient == "numeric" and bool(np.any(loop.x + h == loop.x))
    vanish_note = (
        f"; by then |x| ≈ {np.max(np.abs(loop.x)):.3g}, where x + h == x in double precision for h = {h:g}, "
        "so the numerical gradient is meaningless there (not a minimum)"
        if vanished
        else ""
    )
    if loop.worse_at is not None and _far_the_wrong_way(loop.f, loop.f0, ascent):
        return RunStatus.DIVERGED, (
            f"f went from {loop.f0:.4g} to {loop.f:.4g}, first moving far the wrong way at step {loop.worse_at}: "
            f"the learning rate {lr:g} is too large{vanish_note}"
        ), None
    # math.hypot: a run that went far has huge entries, and numpy's norm warns as it overflows.
    exact_norm = math.hypot(*objective.precise_gradient(loop.x))
    scale = zero_gradient_scale(loop.f, loop.x.tolist())
    threshold = tol if tol is not None else GRADIENT_TOLERANCE * scale
    if exact_norm <= threshold or (loop.norm <= threshold and not vanished):
        critical = classify(0.0, objective.eigenvalues(loop.x).tolist(), scale=scale)
        where = f"at step {loop.step}" if loop.converged_early else f"after {loop.step} steps"
        return RunStatus.CONVERGED, f"converged {where} to {critical.verdict}", critical
    if loop.norm <= threshold and vanished:
        return RunStatus.STALLED, (
            f"the numerical gradient is 0 only because x + h == x at |x| ≈ {np.max(np.abs(loop.x)):.3g} "
            f"(h = {h:g}); the exact gradient there has norm {exact_norm:.3g}, so this is not a {'maximum' if ascent else 'minimum'}"
        ), None
    moved = math.hypot(*(loop.x - x0))
    if moved <= STALL_DISTANCE * (1 + math.hypot(*x0)):
        return RunStatus.STALLED, (
            f"x moved only {moved:.3g} in {loop.step} steps although ‖∇f‖ = {loop.norm:.3g}: "
            f"the learning rate {lr:g} is too small"
        ), None
    return RunStatus.MAX_STEPS, (
        f"stopped after {loop.step} steps with ‖∇f‖ = {loop.norm:.3g}, still on the way to a critical point: "
        f"more steps, or another learning rate, would get closer (gradient {direction})"
    ), None

