"""How a descent run ended, judged from what its iterates did: a status and a sentence.

The rules, for a run that minimises (ascent mirrors them, better meaning larger):
- ``converged``: the exact gradient at the end is zero (relative to f's and x's size), or
  below ``tol``.
- ``diverged``: f got worse than at the start by far, or the iterates bounce from side to
  side ever farther out (the gradient flips sign every step and grows), or the values stopped
  being finite while f was getting worse: the learning rate is too large.
- ``unbounded``: f got better than at the start by far and the gradient does not shrink, or
  f is linear along the path (the Hessian 0 at both ends, the gradient steady): the function
  has no minimum along this path; no learning rate is to blame.
- ``oscillating``: the gradient flips sign every step and keeps its size: the iterates bounce
  between two sides without getting closer (for a quadratic, lr exactly 2/λ).
- ``stalled``: x barely moved although the gradient is not zero: the learning rate is too
  small (or the numerical gradient vanished because x + h == x).
- ``max_steps``: none of these: still on the way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from numdiff_cli.curvature import GRADIENT_TOLERANCE, classify, zero_gradient_scale
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.grad import CriticalPoint

DIVERGENCE_FACTOR = 1e3  # f worse (or better) than at the start by this much, relative to 1 + |f0|, is far
STALL_DISTANCE = 1e-6  # moving less than this (relative to 1 + |x0|) in a whole run is a stall
STEADY = 1e-3  # a gradient whose size changes by less than this share per step keeps its size

Verdict = tuple[RunStatus, str, CriticalPoint | None]


@dataclass(frozen=True)
class Path:
    """What a finished run did. ``tail`` holds (f, gradient) of the last few iterates, oldest
    first; ``first_worse`` is the first step where f was worse than at the start."""

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


def judge(path: Path, objective: Objective, lr: float, *, tol: float | None, gradient: str, h: float, warned: bool) -> Verdict:
    """The status of a finished run, a sentence saying why, and the kind of point it ended on.

    ``warned`` says that the learning rate is above 2/λmax at the start, so that an
    unbounded run does not read as if the learning rate were fine.
    """
    goal = "maximum" if path.ascent else "minimum"
    if path.nonfinite_at is not None:
        return _not_finite(path, lr, goal)
    vanished = gradient == "numeric" and bool(np.any(path.x + h == path.x))
    if path.gain(path.f) < -path.far:
        return _worse(path, lr, h if vanished else None)
    # math.hypot: a run that went far has huge entries, and numpy's norm warns as it overflows.
    exact_norm = math.hypot(*objective.precise_gradient(path.x))
    scale = zero_gradient_scale(path.f, path.x.tolist())
    threshold = tol if tol is not None else GRADIENT_TOLERANCE * scale
    if exact_norm <= threshold or (path.norm <= threshold and not vanished):
        critical = classify(0.0, objective.eigenvalues(path.x).tolist(), scale=scale)
        where = f"at step {path.steps}" if path.stopped_early else f"after {path.steps} steps"
        return RunStatus.CONVERGED, f"converged {where} to {critical.verdict}", critical
    if path.norm <= threshold:  # and vanished
        lost = f"x + h == x at a coordinate of size {np.max(np.abs(path.x)):.3g} (h = {h:g})"
        if path.gain(path.f) > path.far:
            return RunStatus.UNBOUNDED, (
                f"f went from {path.f0:.4g} to {path.f:.4g} as x ran off, until {lost} and the numerical gradient "
                f"became 0: f has no {goal} along this path, and this is not the learning rate's fault"
            ), None
        return RunStatus.STALLED, (
            f"the numerical gradient is 0 only because {lost}; the exact gradient there has norm "
            f"{exact_norm:.3g}, so this is not a {goal}"
        ), None
    flips, rate = path.swing()
    if path.gain(path.f) > path.far and rate >= 1 - STEADY:
        return _unbounded(path, goal, warned)
    if flips and rate > 1 + STEADY and path.gain(path.f) < 0:
        return RunStatus.DIVERGED, (
            f"x bounces from side to side, farther out each time (‖∇f‖ grows by {rate:.4g}× per step, f went from "
            f"{path.f0:.4g} to {path.f:.4g}): the learning rate {lr:g} is too large, each step overshoots"
        ), None
    if flips and abs(rate - 1) <= STEADY:
        return RunStatus.OSCILLATING, (
            f"x bounces between two sides without getting closer: the gradient changes sign every step and "
            f"keeps its size (‖∇f‖ = {path.norm:.3g}); the learning rate {lr:g} is at the edge of stability"
        ), None
    if not flips and abs(rate - 1) <= STEADY and path.gain(path.f) > 0 and _flat(objective, path):
        return RunStatus.UNBOUNDED, (
            f"f went from {path.f0 + 0.0:.4g} to {path.f:.4g} at a steady rate: the gradient keeps its size "
            f"(‖∇f‖ = {path.norm:.3g}) and the Hessian is 0 at the start and the end, so nothing slows the "
            f"{'climb' if path.ascent else 'fall'}: f has no {goal} along this path, and this is not the learning rate's fault"
        ), None
    moved = math.hypot(*(path.x - path.x0))
    if moved <= STALL_DISTANCE * (1 + math.hypot(*path.x0)):
        return RunStatus.STALLED, (
            f"x moved only {moved:.3g} in {path.steps} steps although ‖∇f‖ = {path.norm:.3g}: "
            f"the learning rate {lr:g} is too small"
        ), None
    bouncing = f", bouncing from side to side as it closes in ({rate:.4g}× per step)" if flips else ""
    return RunStatus.MAX_STEPS, (
        f"stopped after {path.steps} steps with ‖∇f‖ = {path.norm:.3g}, still on the way to a critical point"
        f"{bouncing}: more steps, or another learning rate, would get closer"
    ), None


def _flat(objective: Objective, path: Path) -> bool:
    """True where the exact Hessian is 0 at the end and at the start: f is linear there, and a
    gradient that keeps its size on the way never leads to a critical point."""
    return bool(np.all(objective.eigenvalues(path.x) == 0) and np.all(objective.eigenvalues(path.x0) == 0))


def _not_finite(path: Path, lr: float, goal: str) -> Verdict:
    last = path.tail[-2][0] if len(path.tail) >= 2 else path.f0
    if math.isfinite(last) and path.gain(last) > path.far:
        return RunStatus.UNBOUNDED, (
            f"f went from {path.f0:.4g} to {last:.4g} and on past what a double can hold at step {path.nonfinite_at}: "
            f"f has no {goal} along this path, and this is not the learning rate's fault"
        ), None
    if math.isnan(path.f):
        return RunStatus.DIVERGED, (
            f"step {path.nonfinite_at} landed where f is undefined (f was {last:.4g} at step {path.nonfinite_at - 1}): "
            f"the learning rate {lr:g} is too large for the domain of f here"
        ), None
    return RunStatus.DIVERGED, (
        f"the values stopped being finite at step {path.nonfinite_at} (f = {path.f:.4g} after {last:.4g} at step "
        f"{path.nonfinite_at - 1}): the learning rate {lr:g} is too large"
    ), None


def _worse(path: Path, lr: float, lost_h: float | None) -> Verdict:
    """Diverged: f far worse than at the start; ``lost_h`` is the numerical gradient's step
    where it is lost in x + h by the end."""
    since = "" if path.first_worse is None else f", worse than at the start from step {path.first_worse} on"
    lost = (
        ""
        if lost_h is None
        else f"; by then a coordinate is {np.max(np.abs(path.x)):.3g}, where x + h == x in double precision for h = {lost_h:g}, "
        "so the numerical gradient is meaningless there (not a minimum)"
    )
    return RunStatus.DIVERGED, (
        f"f went from {path.f0:.4g} to {path.f:.4g}{since}: the learning rate {lr:g} is too large, "
        f"each step overshoots and lands farther from where the gradient is zero{lost}"
    ), None


def _unbounded(path: Path, goal: str, warned: bool) -> Verdict:
    also = (
        "; the learning rate is also above 2/λmax, so the directions that curve the other way diverge too"
        if warned
        else ", and this is not the learning rate's fault"
    )
    return RunStatus.UNBOUNDED, (
        f"f went from {path.f0:.4g} to {path.f:.4g} and keeps {'rising' if path.ascent else 'falling'} as x runs off "
        f"(‖x‖ ≈ {math.hypot(*path.x):.3g}): f has no {goal} along this path{also}"
    ), None


@dataclass(frozen=True)
class Advice:
    """What the Hessian at the start says about the learning rate: the rule in general
    (``text``), the factors for this learning rate (``rates``) and a ``warning``."""

    text: str | None = None
    rates: str | None = None
    warning: str | None = None


def learning_rate_advice(eigenvalues: np.ndarray, lr: float, optimizer: str, ascent: bool) -> Advice:
    """Advice on the learning rate from the Hessian's eigenvalues at the start.

    Plain gradient descent on a quadratic, x <- x - lr·g, multiplies the distance to the
    minimum along each eigen-direction of the Hessian by 1 - lr·λ per step: it closes in
    where |1 - lr·λ| < 1, bounces without getting closer where it is -1, and runs away where
    it is above 1 (lr > 2/λ, or λ < 0 at any lr). Ascent is descent on -f.
    """
    curvature = np.sort(-eigenvalues if ascent else eigenvalues)
    if not len(curvature) or not np.all(np.isfinite(curvature)):
        return Advice()
    kind, sign = ("ascent", "+") if ascent else ("descent", "−")
    shown = np.unique(np.round(curvature, 12))
    lambdas = ", ".join(f"{float(v):.4g}" for v in (eigenvalues if not ascent else -curvature)[:6])
    largest = float(curvature[-1])
    text = (
        f"the Hessian's eigenvalues at the start are λ = {lambdas}; plain gradient {kind} multiplies the distance "
        f"along each eigen-direction by |1 {sign} lr·λ| per step (exact for a quadratic): below 1 it closes in, "
        "at 1 it bounces or stands still, above 1 it runs away"
    )
    text += (
        f"; stable for lr < 2/λmax = {2 / largest:.4g}"
        + ("" if curvature[0] >= 0 else ", but where λ < 0 (a saddle) it runs off at any lr")
        if largest > 0
        else "; f is flat to second order at the start, so this rule cannot tell"
        if largest == 0
        else f"; every direction curves away from a {'maximum' if ascent else 'minimum'}, so it runs off at any lr"
    )
    if optimizer != "sgd":
        return Advice(text=text + f" ({optimizer} follows other rules)")
    # shown: the curvature that descent sees, -λ for ascent; written with f's own λ, whose sign the formula carries
    rates = ", ".join(
        f"|1 {sign} {lr:g}·{_signed(-float(v) if ascent else float(v))}| = {_factor(abs(1 - lr * float(v)))}"
        for v in (shown if len(shown) <= 3 else shown[[0, -1]])
    )
    return Advice(text=text, rates=rates, warning=_warning(lr, largest, kind, sign))


def _signed(value: float) -> str:
    """An eigenvalue in a formula: ``2``, or ``(-2)``."""
    return f"{value:.4g}" if value >= 0 else f"({value:.4g})"


def _factor(value: float) -> str:
    """A factor in 4 digits, or as many as it takes to tell it from 1."""
    text = f"{value:.4g}"
    return f"{value:.15g}" if float(text) == 1 and value != 1 else text


def _warning(lr: float, largest: float, kind: str, sign: str) -> str | None:
    if largest <= 0 or lr < 2 / largest:
        return None
    factor = _factor(abs(1 - lr * largest))
    fate = "diverges along it" if lr > 2 / largest else "bounces along it without getting closer"
    return (
        f"lr = {lr:g} is {'above' if lr > 2 / largest else 'exactly'} 2/λmax = {2 / largest:.4g} at the start: "
        f"along the most curved direction |1 {sign} lr·λmax| = {factor}, so plain gradient {kind} {fate}"
    )
