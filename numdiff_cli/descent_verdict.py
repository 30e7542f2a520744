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
- ``max_steps``: none of these: still on the way; or, where f improved at every last step, the
  gradient kept its direction and f's slope ahead never changes sign (:mod:`runoff`), on the way
  to no critical point at all (exp(x) falling toward 0 as x runs off to −∞); or a partial
  derivative keeps its sign everywhere, so f has no critical point at all (exp(x) + y²; where f is
  linear in that variable, x + y², ``unbounded``).

This module holds the order of the checks; the sentences of runs that went wrong are in
:mod:`verdict_sentences`, those toward no critical point in :mod:`runoff_verdicts`, what a run did
in :mod:`descent_path`, the advice on the learning rate in :mod:`learning_rate_advice`.
"""

from __future__ import annotations

import math

import numpy as np

from numdiff_cli import runoff_verdicts
from numdiff_cli import verdict_sentences as sentences
from numdiff_cli.curvature import GRADIENT_TOLERANCE, classify_near, zero_gradient_scale
from numdiff_cli.descent_path import STALL_DISTANCE, STEADY, Path, Verdict
from numdiff_cli.i18n import Message
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RunStatus


def judge(path: Path, objective: Objective, lr: float, *, tol: float | None, gradient: str, h: float, warned: bool) -> Verdict:
    """The status of a finished run, a sentence saying why, and the kind of point it ended on.

    ``warned`` says that the learning rate is above 2/λmax at the start, so that an
    unbounded run does not read as if the learning rate were fine.
    """
    goal = Message("maximum") if path.ascent else Message("minimum")
    if path.nonfinite_at is not None:
        return sentences.not_finite(path, objective, lr, goal)
    # The numerical gradient is lost where x + h == x, or where f(x + h) and f(x - h) round to one
    # double (f's size dwarfs the change over h): a run driven by it then freezes, far from a critical point.
    vanished = gradient == "numeric" and (path.frozen_at is not None or bool(np.any(path.x + h == path.x)))
    # math.hypot: a run that went far has huge entries, and numpy's norm warns as it overflows.
    exact = objective.precise_gradient(path.x)
    exact_norm = math.hypot(*exact)
    frozen = None if path.frozen_at is None else sentences.frozen(path, h, exact_norm)
    if path.gain(path.f) < -path.far:
        return sentences.worse(path, lr, h if vanished else None, frozen, goal)
    scale = zero_gradient_scale(path.f, path.x.tolist())
    threshold = tol if tol is not None else GRADIENT_TOLERANCE * scale
    if (exact_norm <= threshold and not (frozen and _short_of(path, objective, exact_norm))) or (
            path.norm <= threshold and not vanished):
        critical = classify_near(path.x, exact, objective.hessian(path.x), objective.hessian, scale=scale, reached=True)
        where = _where_converged(path)
        return RunStatus.CONVERGED, Message("converged {where} to {verdict}", where=where, verdict=critical.verdict), critical
    if path.norm <= threshold:  # and vanished
        lost = Message("x + h == x at a coordinate of size {size:.3g} (h = {h:g})", size=np.max(np.abs(path.x)), h=h)
        if path.gain(path.f) > path.far and frozen is not None:
            return RunStatus.UNBOUNDED, Message(
                "f went from {f0:.4g} to {f:.4g} as {x} ran off; {frozen}: f has no {goal} along this path, and this "
                "is not the learning rate's fault", f0=path.f0, f=path.f, x=path.name, frozen=frozen, goal=goal,
            ), None
        if path.gain(path.f) > path.far:
            return RunStatus.UNBOUNDED, Message(
                "f went from {f0:.4g} to {f:.4g} as {x} ran off, until {lost} and the numerical gradient "
                "became 0: f has no {goal} along this path, and this is not the learning rate's fault",
                f0=path.f0, f=path.f, x=path.name, lost=lost, goal=goal,
            ), None
        if frozen is not None:
            return RunStatus.STALLED, Message("{frozen}: this is not a {goal}", frozen=frozen, goal=goal), None
        return RunStatus.STALLED, Message(
            "the numerical gradient is 0 only because {lost}; the exact gradient there has norm "
            "{norm:.3g}, so this is not a {goal}", lost=lost, norm=exact_norm, goal=goal,
        ), None
    flips, rate = path.swing()
    if path.gain(path.f) > path.far and rate >= 1 - STEADY:
        return sentences.unbounded(path, goal, warned)
    if flips and rate > 1 + STEADY and path.gain(path.f) < 0:
        return RunStatus.DIVERGED, Message(
            "{x} bounces from side to side, farther out each time (‖∇f‖ grows by {rate:.4g}× per step, f went "
            "from {f0:.4g} to {f:.4g}): the learning rate {lr:g} is too large, each step overshoots",
            x=path.name, rate=rate, f0=path.f0, f=path.f, lr=lr,
        ), None
    if flips and abs(rate - 1) <= STEADY:
        return sentences.oscillating(path, objective, lr)
    if not flips and abs(rate - 1) <= STEADY and path.gain(path.f) > 0 and _flat(objective, path):
        return RunStatus.UNBOUNDED, Message(
            "f went from {f0:.4g} to {f:.4g} at a steady rate: the gradient keeps its size (‖∇f‖ = {norm:.3g}) and "
            "the Hessian is 0 at the start and the end, so nothing slows the {motion}: f has no {goal} along this "
            "path, and this is not the learning rate's fault", f0=path.f0 + 0.0, f=path.f, norm=path.norm,
            motion=Message("climb") if path.ascent else Message("fall"), goal=goal,
        ), None
    moved = math.hypot(*(path.x - path.x0))
    if moved <= STALL_DISTANCE * (1 + math.hypot(*path.x0)):
        return RunStatus.STALLED, Message(
            "{x} moved only {moved:.3g} in {steps} steps although ‖∇f‖ = {norm:.3g}: the learning rate {lr:g} is too "
            "small", x=path.name, moved=moved, steps=path.steps, norm=path.norm, lr=lr,
        ), None
    if (nowhere := runoff_verdicts.no_critical_point(path, objective, exact, lr, goal, warned=warned)) or (
            not flips and (nowhere := runoff_verdicts.nothing_ahead(path, objective, exact, lr, goal))):
        return nowhere
    if flips:
        return RunStatus.MAX_STEPS, Message(
            "stopped after {steps} steps with ‖∇f‖ = {norm:.3g}, still on the way to a critical point, bouncing "
            "from side to side as it closes in ({rate:.4g}× per step): more steps, or another learning rate, would "
            "get closer", steps=path.steps, norm=path.norm, rate=rate,
        ), None
    return RunStatus.MAX_STEPS, Message(
        "stopped after {steps} steps with ‖∇f‖ = {norm:.3g}, still on the way to a critical point: more steps, or "
        "another learning rate, would get closer", steps=path.steps, norm=path.norm,
    ), None



def _short_of(path: Path, objective: Objective, exact_norm: float) -> bool:
    """True where x stands measurably short of the critical point: by at least ‖∇f‖/max|λ| (the
    Newton step's length, or less), more than a stall's distance. A gradient tiny beside f's size
    (x² + 1e30 at x = 1) then is not a critical point reached; one at x ≈ 1e-15 of x² + 1 is."""
    largest = float(np.max(np.abs(objective.eigenvalues(path.x)), initial=0.0))
    return not exact_norm <= largest * STALL_DISTANCE * (1 + math.hypot(*path.x))


def _flat(objective: Objective, path: Path) -> bool:
    """True where the exact Hessian is 0 at the end and at the start: f is linear there, and a
    gradient that keeps its size on the way never leads to a critical point."""
    return bool(np.all(objective.eigenvalues(path.x) == 0) and np.all(objective.eigenvalues(path.x0) == 0))


def _where_converged(path: Path) -> Message:
    """When a converged run got there: the step where it stopped at the tolerance, or, where the
    gradient driving it was exactly 0 over its last steps, the first of them (the steps after it
    changed nothing the gradient could: lr 0.5 on x² lands at step 1), else after all its steps."""
    if path.stopped_early:
        return Message("at step {steps}", steps=path.steps)
    if path.zero_from == 0:
        return Message("at its start (the gradient driving the run is exactly 0 there, so x never moved)")
    if path.zero_from is not None and path.zero_from < path.steps:
        return Message(
            "at step {step} (from there on the gradient driving the run is exactly 0; it ran to step {steps})",
            step=path.zero_from, steps=path.steps,
        )
    return Message("after {steps} steps", steps=path.steps)
