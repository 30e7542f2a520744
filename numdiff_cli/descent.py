"""Gradient descent and ascent: the loop, how a run ended, and learning-rate advice.

The expression and its gradient are compiled once (:class:`~numdiff_cli.objective.Objective`);
each step is a few numpy operations. The Hessian at the start and the end (learning-rate
advice, the kind of point reached) is exact, from 30-digit values. Not converging is a result (a status and a sentence), never an error.
"""

from __future__ import annotations

import dataclasses
import gc
import math
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np

from numdiff_cli import descent_arithmetic, finite, landscape, learning_rates, optimizers, symbolic, trace_batches
from numdiff_cli.descent_arithmetic import Vector
from numdiff_cli.descent_path import Path, lost_in_rounding
from numdiff_cli.descent_verdict import judge
from numdiff_cli.errors import MathError, UsageError
from numdiff_cli.i18n import Message
from numdiff_cli.learning_rate_advice import learning_rate_advice
from numdiff_cli.lecture import LEARNING_RATE, STEPS
from numdiff_cli.objective import Objective
from numdiff_cli.problem import Problem
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.descend import (
    DescentComparison,
    DescentResult,
    Iterates,
    RowValues,
    TraceRow,
    trace_row,
)
from numdiff_cli.results.rate_sweep import RateSweep
from numdiff_cli.timeout import UNLIMITED, time_limit

MAX_STEPS = 10_000_000
MAX_RUNS = 50  # learning rates times optimizers in one comparison
MAX_TABLE_ROWS = 1_000  # rows a table may show; --json and --csv stream every step
HEAD_ROWS = TAIL_ROWS = 5  # rows kept at each end of a long trace shown as a table
GRADIENTS = ("numeric", "analytic")
PROGRESS_EVERY = 65_536  # steps between two calls of the progress callback
PATH_POINTS = 10_000  # iterates a run records for a picture: every step up to this many, else every k-th


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
    writer: TraceWriter | None = None
    plot: bool = False  # also record the iterates and f around them, for a picture


class TraceWriter(Protocol):
    """Where every step of each run goes as the run goes (a batch of steps at a time, see
    :mod:`~numdiff_cli.trace_batches`), instead of into the result: JSON and CSV of any length in
    bounded memory."""

    both_gradients: bool  # its rows show the gradient that does not drive the update too (else None there)

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[list[RowValues]], None]:
        """Start a run; returns what writes a batch of its steps, each as the fields of a :class:`TraceRow`."""

    def finished(self, result: DescentResult) -> None:
        """The run is over: ``result`` (whose trace is empty) says how it ended."""


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
    writer: TraceWriter | None = None,
    plot: bool = False,
) -> DescentResult:
    """Run gradient descent (or ascent) on ``problem``'s function from its point and say how it ended.

    ``gradient`` drives the update: ``numeric`` (the lecture's central difference with step
    ``h``) or ``analytic``; both are shown in the trace. ``params`` overrides the
    optimizer's hyperparameters. Every step runs unless ``tol`` is given and the gradient
    norm falls below it, or the values stop being finite. The trace keeps every step with
    ``keep_all``, else the first and last rows and every ``every``-th. ``progress`` is called
    now and then with the number of steps done since its last call. A ``writer`` takes every
    step as the run goes, and the result's trace is then empty. With ``plot`` the result also
    holds its iterates (at most about ``PATH_POINTS``) and f on a grid around them, for a picture.

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
    settings = Settings(steps, params, gradient, h, tol, ascent, keep_all, every, progress, writer, plot)
    objective = Objective.compile(problem)
    run = _run(problem, objective, lr, optimizer, settings)
    return dataclasses.replace(run, landscape=landscape.around([run], objective)) if plot else run


def compare(problem: Problem, *, runs: Sequence[tuple[str, float]], **options: Any) -> DescentComparison:
    """One :func:`descend` run per (optimizer, learning rate) of ``runs`` (``options`` as there), to
    set side by side; f and its gradient are compiled once for them all.

    Raises
    ------
    UsageError
        As :func:`descend`, or for more than ``MAX_RUNS`` runs.
    """
    if len(runs) > MAX_RUNS:
        raise UsageError(
            "{lr} and {optimizer} ask for {runs:,} runs; one comparison holds at most {most}",
            parameter="lr",
            runs=len(runs),
            most=MAX_RUNS,
        )
    settings = Settings(**options)
    objective = Objective.compile(problem)
    results = tuple(_run(problem, objective, lr, name, settings) for name, lr in runs)
    return DescentComparison(results, landscape.around(results, objective) if settings.plot else None)


def sweep(problem: Problem, *, rates: learning_rates.Spec, optimizer: str = "sgd", **options: Any) -> RateSweep:
    """One :func:`descend` run per learning rate of ``rates`` (``"LO:HI[:N]"``, N log-spaced
    rates, see :func:`learning_rates.rates`), ``options`` as there: where each run ended, how far
    from the minimum, and where its rate lies against 1/λmax and 2/λmax.

    Raises
    ------
    UsageError
        For a bad ``rates`` spec, or as :func:`descend`.

    Examples
    --------
    >>> from numdiff_cli.problem import build
    >>> runs = sweep(build("x^2", 1), rates="0.1:10:3")
    >>> [(row.lr, row.status.value, row.region.value) for row in runs.rows]
    [(0.1, 'converged', 'too_small'), (1.0, 'oscillating', 'too_large'), (10.0, 'diverged', 'too_large')]
    """
    chosen = learning_rates.rates(rates)
    settings = Settings(**options)
    objective = Objective.compile(problem)
    runs = [_run(problem, objective, float(lr), optimizer, settings) for lr in chosen]
    return learning_rates.summarise(runs, objective, steps=settings.steps)


def _run(problem: Problem, objective: Objective, lr: float, optimizer: str, settings: Settings) -> DescentResult:
    """One run of ``optimizer`` at learning rate ``lr``."""
    hyperparameters = _validate(lr, optimizer, settings)
    s = settings
    if not problem.wrt:
        raise UsageError("the expression has no variables, so there is nothing to descend along")
    x0 = np.array([problem.points[0][v] for v in problem.wrt])
    loop = _Loop(objective, s.gradient, s.h, s.keep_all or s.writer is not None, s.every or max(1, s.steps // 10))
    loop.path_every = math.ceil(s.steps / PATH_POINTS) if s.plot else 0
    loop.check_start(x0, symbolic.format_point(problem.points[0]))
    if s.writer is not None:  # only once the run can start: a refused start writes nothing
        others = trace_batches.others(objective, s.gradient, s.h, s.writer.both_gradients)
        loop.batches = trace_batches.Batches(s.writer.run(lr, optimizer, objective.variables), s.gradient, others)
    held = {v.name: value for v, value in problem.points[0].items() if v not in problem.wrt}
    # No limit of its own: the name says what ran when the command's budget runs out.
    with time_limit(UNLIMITED, Message("running {steps:,} steps of gradient ascent", steps=s.steps) if s.ascent
                    else Message("running {steps:,} steps of gradient descent", steps=s.steps)):
        update = optimizers.make(optimizer, lr, hyperparameters)
        arithmetic = descent_arithmetic.choose(objective, s.gradient, s.h, optimizer, lr, update, s.ascent)
        loop.run(x0, arithmetic, s.steps, s.tol, s.ascent, s.progress)
    advice = learning_rate_advice(objective.eigenvalues(x0), lr, optimizer, s.ascent)
    path = loop.path(x0, s.ascent)
    if held:  # a sentence names the iterate by its variables, not x: the data held fixed may be called x
        learned = objective.variables
        path = dataclasses.replace(path, name=learned[0] if len(learned) == 1 else f"({', '.join(learned)})")
    status, message, critical = judge(
        path, objective, lr, tol=s.tol, gradient=s.gradient, h=s.h, warned=advice.warning is not None
    )
    result = DescentResult(
        expression=str(problem.expr),
        variables=objective.variables,
        held=held,
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
        advice=advice.text,
        rates=advice.rates,
        warning=advice.warning,
        critical_point=critical,
        frozen_at=None if status == RunStatus.CONVERGED else path.frozen_at,
        iterates=loop.iterates() if s.plot else None,
    )
    if s.writer is not None:
        s.writer.finished(result)
    return result


def _validate(lr: float, optimizer: str, s: Settings) -> Mapping[str, float]:
    """The optimizer's hyperparameters, once every setting is checked."""
    if not (math.isfinite(lr) and lr > 0):
        raise UsageError("{lr} must be a positive number, not {value:g}", parameter="lr", value=lr)
    if isinstance(s.steps, bool) or not isinstance(s.steps, int) or not 1 <= s.steps <= MAX_STEPS:
        raise UsageError(
            "{steps} must be a whole number from 1 to {most:,}, not {value!r}", parameter="steps", most=MAX_STEPS,
            value=s.steps,
        )
    if s.gradient not in GRADIENTS:
        raise UsageError(
            "{gradient} must be one of {names}, not {value!r}", parameter="gradient", names=", ".join(GRADIENTS), value=s.gradient
        )
    if not (_real(s.h) and math.isfinite(s.h) and s.h > 0):
        raise UsageError("{h} must be a positive number, not {value!r}", parameter="h", value=s.h)
    if s.tol is not None and not (_real(s.tol) and math.isfinite(s.tol) and s.tol > 0):
        raise UsageError("{tol} must be a positive number, not {value!r}", parameter="tol", value=s.tol)
    if s.every is not None and (isinstance(s.every, bool) or not isinstance(s.every, int) or s.every < 1):
        raise UsageError("{every} must be a whole number of at least 1, not {value!r}", parameter="every", value=s.every)
    if s.every is not None and not s.keep_all and s.steps // s.every > MAX_TABLE_ROWS:
        raise UsageError(
            "{every} {value} would show {rows:,} rows; a table shows at most {most:,}: choose a larger {every}, "
            "or keep every step in the JSON or CSV",
            parameter="every",
            value=s.every,
            rows=s.steps // s.every + 1,
            most=MAX_TABLE_ROWS,
        )
    return optimizers.hyperparameters(optimizer, s.params or {})


@contextmanager
def _without_collections() -> Iterator[None]:
    """Run the loop with the garbage collector off, and on again after it (where it was on).

    Every object a step makes (floats, the lists and tuples of x and the gradient, a streamed row's
    dict) is freed by reference counting when its last reference goes: the loop makes no reference
    cycles for the collector to find, so its collections are pure cost. They are not small: a
    streamed run keeps each batch's steps alive across several collections, so they reach the oldest
    generation, and every few thousand steps a full collection scans sympy's and numpy's hundreds of
    thousands of objects with them. The rare sympy evaluation inside the loop (a formula that is 0/0
    at a point) leaves its few cycles to the collections after it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _norm(g: Vector) -> float:
    """‖g‖ as the array loop computes it, sqrt(g @ g)."""
    g = np.asarray(g, dtype=float)
    return math.sqrt(g @ g)


def _real(value: object) -> bool:
    """True for a real number (an int or a float, not a bool)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class _Loop:
    """The state of one run: the iterate, the kept rows, and what was seen on the way."""

    def __init__(self, objective: Objective, gradient: str, h: float, keep_all: bool, every: int) -> None:
        self.objective, self.gradient, self.h = objective, gradient, h
        self.keep_all, self.every = keep_all, every
        self.rows: list[TraceRow] = []
        self.batches: trace_batches.Batches | None = None  # where a streamed run's rows go, else to rows
        # The gradient that does not drive the run, for the rows shown: as a streamed run's batches have it.
        self.other = trace_batches.others(objective, gradient, h, shown=True)
        # The last few steps, unrendered: a run may stop early, so the tail is known only at the end
        # (its rows, and how the gradient behaved there, which the verdict reads).
        self.recent: deque[trace_batches.Step] = deque(maxlen=TAIL_ROWS + 1)
        self.x = np.zeros(len(objective.variables))
        self.step = 0
        self.f = self.f0 = self.norm = math.nan
        self.nonfinite_at: int | None = None
        self.first_worse: int | None = None  # first step where f was worse than at the start
        self.zero_from: int | None = None  # first step of the last stretch where the driving gradient was exactly 0
        self.converged_early = False
        self.path_every = 0  # record every k-th iterate for a picture; 0: none
        self.recorded: list[tuple[int, Vector, float]] = []

    def check_start(self, x0: np.ndarray, where: str) -> None:
        """Raise MathError where the gradient that drives the run is not finite at ``x0``."""
        with np.errstate(all="ignore"):
            f, g = descent_arithmetic.evaluator(self.objective, self.gradient, self.h)(x0)
        if not math.isfinite(f):  # f itself is finite there (the point was checked): a part of its formula is not
            raise MathError(
                "f's formula overflows double precision at the start {where} (it gives f = {f:g}), though f itself "
                "is finite there; no step can be taken in double precision", where=where, f=f,
            )
        if np.all(np.isfinite(g)):
            return
        if self.gradient == "numeric":
            with np.errstate(all="ignore"):
                exact_exists = np.all(np.isfinite(self.objective.exact(x0)[1]))
            if exact_exists:
                raise MathError(
                    "the numerical gradient (central differences, h = {step:g}) is not finite at the start {where}: "
                    "f is undefined within h of it; a smaller {h}, or {gradient} analytic, can start there",
                    parameter="h", step=self.h, where=where,
                )
            raise MathError(
                "the numerical gradient (central differences, h = {step:g}) is not finite at the start {where}: "
                "f is undefined within h of it, or has no real derivative there; no step can be taken",
                parameter="h", step=self.h, where=where,
            )
        with np.errstate(all="ignore"):
            exact = self.objective.precise_gradient(x0)
        if np.all(np.isfinite(exact)):  # x**2 overflowing inside sqrt(x**2 + y**2) at x = 1e300
            raise MathError(
                "the gradient's formula overflows double precision at the start {where}, though its exact value "
                "there is finite; no step can be taken in double precision", where=where,
            )
        raise MathError(
            "the gradient is not finite at the start {where}: f has no real derivative there; no step "
            "can be taken", where=where
        )

    def run(
        self,
        x0: np.ndarray,
        arithmetic: descent_arithmetic.Arithmetic,
        steps: int,
        tol: float | None,
        ascent: bool,
        progress: Callable[[int], None] | None,
    ) -> None:
        evaluate, advance, squared = arithmetic.evaluate, arithmetic.advance, arithmetic.squared
        keep_all, every, recent = self.keep_all, self.every, self.recent
        keep = self._keep if self.batches is None else self.batches.add
        record, path_every = self.recorded.append, self.path_every
        x = previous = arithmetic.start(x0)
        f0 = f = norm = math.nan
        k = 0
        sign = -1.0 if ascent else 1.0  # sign * (f - f0) > 0: f is worse than at the start
        first_worse, slack = None, math.inf
        zero_from = None
        # The gradient's norm decides only at the tolerance; near it, the float loop's sum of
        # squares is checked against numpy's (whose dot product may round differently).
        near = (tol * (1 - 1e-9), tol * (1 + 1e-9)) if tol is not None and arithmetic.floats else None
        # The hot loop: locals only, a few operations a step, errors in words at the end.
        with np.errstate(all="ignore"), self._flushed(), _without_collections():
            for k in range(steps + 1):
                f, g = evaluate(x)
                if k == 0:
                    f0, slack = f, 1e-12 * (1 + abs(f))  # rounding is not getting worse
                step = (k, x, previous, f, g)
                if keep_all or k < HEAD_ROWS or k % every == 0:
                    keep(step)
                recent.append(step)
                if path_every and k % path_every == 0:
                    record((k, x, f))
                norm = math.sqrt(squared(g))
                if near is not None and near[0] <= norm <= near[1]:
                    norm = _norm(g)
                if not (math.isfinite(f) and math.isfinite(norm)):
                    self.nonfinite_at = k
                    break
                if norm == 0.0:
                    if zero_from is None:
                        zero_from = k
                elif zero_from is not None:  # moving again (momentum carried x on to a slope)
                    zero_from = None
                if first_worse is None and sign * (f - f0) > slack:
                    first_worse = k
                if (tol is not None and norm < tol) or k == steps:
                    self.converged_early = k < steps
                    break
                if progress is not None and k and k % PROGRESS_EVERY == 0:
                    progress(PROGRESS_EVERY)
                previous, x = x, advance(x, g)
            if not keep_all:  # every step kept already needs no tail
                kept = {row.step for row in self.rows}
                tail = [trace_row(self._row(entry)) for entry in self.recent if entry[0] not in kept][-TAIL_ROWS:]
                self.rows = sorted([*self.rows, *tail], key=lambda row: row.step)
        if arithmetic.floats and math.isfinite(norm):
            norm = _norm(g)  # the final norm as the array loop gives it
        self.x, self.f, self.norm, self.step, self.f0 = np.array(x, dtype=float), float(f), norm, k, float(f0)
        self.first_worse, self.zero_from = first_worse, zero_from

    def iterates(self) -> Iterates:
        """The recorded iterates, the last one always among them."""
        last = self.recent[-1]
        path = self.recorded if self.recorded and self.recorded[-1][0] == last[0] else [*self.recorded, (last[0], last[1], last[3])]
        return Iterates(
            steps=tuple(k for k, _, _ in path), x=tuple(tuple(map(float, x)) for _, x, _ in path),
            f=tuple(float(f) for _, _, f in path),
        )

    def path(self, x0: np.ndarray, ascent: bool) -> Path:
        """What the finished run did, for its verdict."""
        return Path(
            x0=x0, x=self.x, f0=self.f0, f=self.f, norm=self.norm, steps=self.step, stopped_early=self.converged_early,
            nonfinite_at=self.nonfinite_at, first_worse=self.first_worse, frozen_at=self._frozen_at(),
            zero_from=self.zero_from,
            tail=tuple((float(f), np.asarray(g, dtype=float)) for _, _, _, f, g in self.recent), ascent=ascent,
        )

    def _frozen_at(self) -> int | None:
        """The step from which the numerical gradient driving the run was exactly 0 and x stood still
        (the last step moved x by nothing, or was the first with that gradient), though the exact
        gradient is not 0 and lost in rounding (see :func:`lost_in_rounding`); None otherwise."""
        if self.gradient != "numeric" or self.zero_from is None or self.nonfinite_at is not None:
            return None
        k, x, previous, _, g = self.recent[-1]
        still = (k == self.zero_from or np.array_equal(x, previous)) and not np.any(g)
        with np.errstate(all="ignore"):
            lost = still and lost_in_rounding(self.x, self.f, self.objective.precise_gradient(self.x), self.h)
        return self.zero_from if lost else None

    def _row(self, step: trace_batches.Step) -> RowValues:
        """One trace row's values, as the loop has them (see :data:`RowValues`); the gradient not driving
        the update is computed only here. Called within the loop's ``np.errstate``."""
        (row,) = trace_batches.rows(self.gradient, [step], self.other(np.array([step[1]], dtype=float)))
        return row

    def _keep(self, step: trace_batches.Step) -> None:
        """Keep a step's row in the result's trace."""
        self.rows.append(trace_row(self._row(step)))

    @contextmanager
    def _flushed(self) -> Iterator[None]:
        """Write a streamed run's last steps as the loop ends, however it ends: a run cut short (the
        time budget, Ctrl-C) still writes every step it made."""
        try:
            yield
        finally:
            if self.batches is not None:
                self.batches.flush()
