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
  to no critical point at all (exp(x) falling toward 0 as x runs off to −∞).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np

from numdiff_cli import runoff
from numdiff_cli.curvature import GRADIENT_TOLERANCE, classify_near, zero_gradient_scale
from numdiff_cli.errors import brief
from numdiff_cli.i18n import Message
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.grad import CriticalPoint
from numdiff_cli.symbolic import text

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


def judge(path: Path, objective: Objective, lr: float, *, tol: float | None, gradient: str, h: float, warned: bool) -> Verdict:
    """The status of a finished run, a sentence saying why, and the kind of point it ended on.

    ``warned`` says that the learning rate is above 2/λmax at the start, so that an
    unbounded run does not read as if the learning rate were fine.
    """
    goal = Message("maximum") if path.ascent else Message("minimum")
    if path.nonfinite_at is not None:
        return _not_finite(path, objective, lr, goal)
    # The numerical gradient is lost where x + h == x, or where f(x + h) and f(x - h) round to one
    # double (f's size dwarfs the change over h): a run driven by it then freezes, far from a critical point.
    vanished = gradient == "numeric" and (path.frozen_at is not None or bool(np.any(path.x + h == path.x)))
    # math.hypot: a run that went far has huge entries, and numpy's norm warns as it overflows.
    exact = objective.precise_gradient(path.x)
    exact_norm = math.hypot(*exact)
    frozen = None if path.frozen_at is None else _frozen(path, h, exact_norm)
    if path.gain(path.f) < -path.far:
        return _worse(path, lr, h if vanished else None, frozen, goal)
    scale = zero_gradient_scale(path.f, path.x.tolist())
    threshold = tol if tol is not None else GRADIENT_TOLERANCE * scale
    if (exact_norm <= threshold and not (frozen and _short_of(path, objective, exact_norm))) or (
            path.norm <= threshold and not vanished):
        critical = classify_near(path.x, exact, objective.hessian(path.x), objective.hessian, scale=scale, reached=True)
        where = Message("at step {steps}", steps=path.steps) if path.stopped_early else Message(
            "after {steps} steps", steps=path.steps)
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
        return _unbounded(path, goal, warned)
    if flips and rate > 1 + STEADY and path.gain(path.f) < 0:
        return RunStatus.DIVERGED, Message(
            "{x} bounces from side to side, farther out each time (‖∇f‖ grows by {rate:.4g}× per step, f went "
            "from {f0:.4g} to {f:.4g}): the learning rate {lr:g} is too large, each step overshoots",
            x=path.name, rate=rate, f0=path.f0, f=path.f, lr=lr,
        ), None
    if flips and abs(rate - 1) <= STEADY:
        return _oscillating(path, objective, lr)
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
    if (nowhere := _no_critical_point(path, objective, exact, lr, goal)) or (
            not flips and (nowhere := _nothing_ahead(path, objective, exact, lr, goal))):
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


def _no_critical_point(path: Path, objective: Objective, exact: np.ndarray, lr: float, goal: str) -> Verdict | None:
    """Still on the move, on a function with no critical point at all: a partial derivative ∂f/∂v
    keeps one sign everywhere (sympy proves it, :func:`runoff.signed_partial`), so every run, of
    any optimizer, moves v one way for ever. Unbounded where f is linear in v (x + y²); else
    the run ends short of nothing, and the look along v says how f levels off (exp(x) + y²)."""
    signed = runoff.signed_partial(objective)
    if signed is None:
        return None
    v = objective.variables[signed.index]
    rising = signed.sign > 0
    end = "−∞" if rising != path.ascent else "+∞"  # descent moves v against its partial's sign
    values = dict(v=v, partial=brief(text(signed.partial)), sign=Message("positive") if rising else Message("negative"),
                  end=end, goal=goal)
    if signed.linear:
        return RunStatus.UNBOUNDED, Message(
            "f went from {f0:.4g} to {f:.4g} as {v} moved toward {end}: ∂f/∂{v} = {partial} is {sign} everywhere "
            "and does not depend on {v}, so f is linear in {v} and {moving} without end that way: f has no {goal}, "
            "and this is not the learning rate's fault", f0=path.f0 + 0.0, f=path.f,
            moving=Message("rises") if path.ascent else Message("falls"), **values,
        ), None
    along = np.zeros_like(exact)
    along[signed.index] = exact[signed.index]
    horizon = runoff.ahead(objective, path.x, along, step=lr * abs(exact[signed.index]), ascent=path.ascent)
    seen = "" if horizon is None else Message(" ({seen})", seen=_horizon_words(horizon, f"{v} → {end}", path.ascent))
    return RunStatus.MAX_STEPS, Message(
        "stopped after {steps} steps with ‖∇f‖ = {norm:.3g}, but no critical point lies ahead, nor anywhere: "
        "∂f/∂{v} = {partial} is {sign} everywhere, so ∇f is never 0{seen}; {v} keeps moving toward {end}, "
        "so more steps, or another learning rate, will not reach a {goal}",
        steps=path.steps, norm=path.norm, seen=seen, **values,
    ), None


def _horizon_words(horizon: runoff.Horizon, way: str, ascent: bool) -> Message:
    """What f does along ``way`` as far as the look ahead saw it: levelling off, or still moving."""
    if horizon.levelled:
        return Message("f levels off toward its {bound}: it is {f:.4g} at a distance of {distance:.3g} along {way}, "
                       "and flat in double precision beyond", bound=Message("supremum") if ascent else
                       Message("infimum"), f=horizon.f, distance=horizon.distance, way=way)
    return Message("f is {f:.4g} at a distance of {distance:.3g} along {way}, and still {moving} there",
                   f=horizon.f, distance=horizon.distance, way=way,
                   moving=Message("rising") if ascent else Message("falling"))


def _nothing_ahead(path: Path, objective: Objective, exact: np.ndarray, lr: float, goal: str) -> Verdict | None:
    """Still on the move, but toward no critical point: over the last steps f improved at every
    one and the gradient kept its direction, and along the way the run moves f's slope never
    turns (see :mod:`runoff`; its look starts a step's length, lr·‖∇f‖, away)."""
    values = [f for f, _ in path.tail]
    gradients = [g for _, g in path.tail]
    steady = all(float(a @ b) > 0 for a, b in zip(gradients, gradients[1:]))
    improving = all(path.gain(b) > path.gain(a) for a, b in zip(values, values[1:]))
    if len(path.tail) < 3 or not (steady and improving):
        return None
    horizon = runoff.ahead(objective, path.x, exact, step=lr * path.norm, ascent=path.ascent)
    if horizon is None:
        return None
    way = "∇f" if path.ascent else "−∇f"  # the way the run moves
    seen = _horizon_words(horizon, way, path.ascent)
    return RunStatus.MAX_STEPS, Message(
        "stopped after {steps} steps with ‖∇f‖ = {norm:.3g}, but no critical point lies ahead: along {way} the slope "
        "of f never changes sign ({seen}); {x} keeps moving that way while the gradient shrinks only as f flattens, "
        "so more steps, or another learning rate, will not reach a {goal}",
        steps=path.steps, norm=path.norm, way=way, seen=seen, x=path.name, goal=goal,
    ), None


def _oscillating(path: Path, objective: Objective, lr: float) -> Verdict:
    """Bouncing between two sides with a gradient of steady size: at the edge of stability where
    lr·λ = 2 along a direction at the end (a quadratic at lr = 2/λ), else a two-step cycle that a
    smaller learning rate would shrink (x⁴ at lr 0.5 from 1, |x|, sqrt(1 + x²) at lr 5)."""
    curvature = -objective.eigenvalues(path.x) if path.ascent else objective.eigenvalues(path.x)
    bounce = Message("{x} bounces between two sides without getting closer: the gradient changes sign every step and "
                     "keeps its size (‖∇f‖ = {norm:.3g})", x=path.name, norm=path.norm)
    if np.any(np.abs(lr * curvature - 2) <= 2 * STEADY):
        return RunStatus.OSCILLATING, Message("{bounce}; the learning rate {lr:g} is at the edge of stability",
                                              bounce=bounce, lr=lr), None
    return RunStatus.OSCILLATING, Message(
        "{bounce}: each step of the learning rate {lr:g} overshoots by as much as the last, a cycle of two points "
        "that a smaller learning rate would shrink", bounce=bounce, lr=lr,
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


def _not_finite(path: Path, objective: Objective, lr: float, goal: str) -> Verdict:
    last = path.tail[-2][0] if len(path.tail) >= 2 else path.f0
    if math.isfinite(last) and path.gain(last) > path.far:
        return RunStatus.UNBOUNDED, Message(
            "f went from {f0:.4g} to {last:.4g} and on past what a double can hold at step {step}: "
            "f has no {goal} along this path, and this is not the learning rate's fault",
            f0=path.f0, last=last, step=path.nonfinite_at, goal=goal,
        ), None
    with np.errstate(all="ignore"):  # f on arrays: inf where it overflows (x² at 1e155), nan where undefined
        undefined = np.all(np.isfinite(path.x)) and math.isnan(float(objective.value(*path.x)))
    if math.isnan(path.f) and undefined:
        return RunStatus.DIVERGED, Message(
            "step {step} landed where f is undefined (f was {last:.4g} at step {before}): "
            "the learning rate {lr:g} is too large for the domain of f here",
            step=path.nonfinite_at, last=last, before=path.nonfinite_at - 1, lr=lr,
        ), None
    if math.isnan(path.f) or path.f == math.inf:  # defined there, but past 1.8e308 (x·x), or its formula overflowed on the way
        return RunStatus.DIVERGED, Message(
            "at step {step} f grew past what a double can hold (it was {last:.4g} at step {before}): the learning "
            "rate {lr:g} is too large", step=path.nonfinite_at, last=last, before=path.nonfinite_at - 1, lr=lr,
        ), None
    return RunStatus.DIVERGED, Message(
        "the values stopped being finite at step {step} (f = {f:.4g} after {last:.4g} at step {before}): "
        "the learning rate {lr:g} is too large", step=path.nonfinite_at, f=path.f, last=last,
        before=path.nonfinite_at - 1, lr=lr,
    ), None


def _frozen(path: Path, h: float, exact_norm: float) -> Message:
    """Why x stood still from ``path.frozen_at`` on: the numerical gradient there is exactly 0, the
    exact one (norm ``exact_norm``) is not."""
    coordinate = float(np.max(np.abs(path.x)))
    lost = (
        Message(" (x + h == x itself at a coordinate of size {size:.3g}, h = {h:g})", size=coordinate, h=h)
        if np.any(path.x + h == path.x)
        else Message(" (f = {f:.4g} there, h = {h:g})", f=path.f, h=h)
    )
    return Message(
        "from step {step} on the numerical gradient is exactly 0, as f(x + h) and f(x − h) are the same double "
        "in every direction{lost}, so {x} froze there, though the exact gradient has norm {norm:.3g}",
        step=path.frozen_at, lost=lost, x=path.name, norm=exact_norm,
    )


def _worse(path: Path, lr: float, lost_h: float | None, frozen: Message | None, goal: str) -> Verdict:
    """Diverged: f far worse than at the start; ``lost_h`` is the numerical gradient's step
    where it is lost in x + h by the end, ``frozen`` why x stood still at the end."""
    since = "" if path.first_worse is None else Message(
        ", worse than at the start from step {step} on", step=path.first_worse)
    lost = "" if lost_h is None else Message(
        "; by then a coordinate is {size:.3g}, where x + h == x in double precision for h = {h:g}, "
        "so the numerical gradient is meaningless there (not a minimum)", size=np.max(np.abs(path.x)), h=lost_h,
    )
    if frozen is not None:
        lost = Message("; then, {frozen}: this is not a {goal}", frozen=frozen, goal=goal)
    return RunStatus.DIVERGED, Message(
        "f went from {f0:.4g} to {f:.4g}{since}: the learning rate {lr:g} is too large, "
        "each step overshoots and lands farther from where the gradient is zero{lost}",
        f0=path.f0, f=path.f, since=since, lr=lr, lost=lost,
    ), None


def _unbounded(path: Path, goal: str, warned: bool) -> Verdict:
    also = (
        Message("; the learning rate is also above 2/λmax, so the directions that curve the other way diverge too")
        if warned
        else Message(", and this is not the learning rate's fault")
    )
    return RunStatus.UNBOUNDED, Message(
        "f went from {f0:.4g} to {f:.4g} and keeps {moving} as {x} runs off (‖{x}‖ ≈ {size:.3g}): "
        "f has no {goal} along this path{also}", f0=path.f0, f=path.f, x=path.name,
        moving=Message("rising") if path.ascent else Message("falling"), size=math.hypot(*path.x), goal=goal, also=also,
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
    kind, sign = (Message("ascent"), "+") if ascent else (Message("descent"), "−")
    shown = np.unique(np.round(curvature, 12))
    lambdas = ", ".join(f"{float(v):.4g}" for v in (eigenvalues if not ascent else -curvature)[:6])
    largest = float(curvature[-1])
    # the most curved direction for the run: f's largest λ on descent, its most negative on ascent
    most = "|λmin|" if ascent else "λmax"
    if largest > 0 and curvature[0] >= 0:
        stability = Message("; stable for lr < 2/{most} = {limit:.4g}", limit=2 / largest, most=most)
    elif largest > 0:
        stability = Message(
            "; stable for lr < 2/{most} = {limit:.4g}, but where the curvature turns the other way (a saddle) it runs "
            "off at any lr", limit=2 / largest, most=most)
    elif largest == 0:
        stability = Message("; f is flat to second order at the start, so this rule cannot tell")
    else:
        stability = Message("; every direction curves away from a {goal}, so it runs off at any lr",
                            goal=Message("maximum") if ascent else Message("minimum"))
    text = Message(
        "the Hessian's eigenvalues at the start are λ = {lambdas}; plain gradient {kind} multiplies the distance "
        "along each eigen-direction by |1 {sign} lr·λ| per step (exact for a quadratic): below 1 it closes in, "
        "at 1 it bounces or stands still, above 1 it runs away{stability}",
        lambdas=lambdas, kind=kind, sign=sign, stability=stability,
    )
    if optimizer != "sgd":
        return Advice(text=Message("{advice} ({optimizer} follows other rules)", advice=text, optimizer=optimizer))
    # shown: the curvature that descent sees, -λ for ascent; written with f's own λ, whose sign the formula carries
    rates = ", ".join(
        f"|1 {sign} {lr:g}·{_signed(-float(v) if ascent else float(v))}| = {_factor(lr, float(v))}"
        for v in (shown if len(shown) <= 3 else shown[[0, -1]])
    )
    return Advice(text=text, rates=rates, warning=_warning(lr, largest, kind, sign, ascent))


def _signed(value: float) -> str:
    """An eigenvalue in a formula: ``2``, or ``(-2)``."""
    return f"{value:.4g}" if value >= 0 else f"({value:.4g})"


def _product(lr: float, curvature: float) -> Decimal:
    """lr·λ of the two doubles, to 60 digits: it may lie beyond the largest double, or be too
    small for 1 − lr·λ to differ from 1 in double precision, and the advice says what it is."""
    with localcontext() as context:
        context.prec = 60
        return Decimal(lr) * Decimal(curvature)


def _factor(lr: float, curvature: float) -> str:
    """|1 − lr·λ| in 4 digits, or as many as it takes to tell it from 1, or as 1 − δ where no
    double near 1 can (lr·λ = 2e-320); beyond the largest double in 4 digits all the same."""
    product = _product(lr, curvature)
    with localcontext() as context:
        context.prec = 60
        factor = abs(1 - product)
        # |1 − p| = 1 + δ: δ = −p for p ≤ 1, p − 2 beyond (its distance from the bounce at p = 2)
        change = -product if product <= 1 else product - 2
    if factor > Decimal(sys.float_info.max):
        return _decimal_text(factor)
    value = float(factor)
    for written in (f"{value:.4g}", f"{value:.15g}"):
        if float(written) != 1 or change == 0:
            return written
    return f"1 {'−' if change < 0 else '+'} {_decimal_text(abs(change))}"


def _decimal_text(value: Decimal) -> str:
    """A positive number, perhaps beyond the doubles (2e+308, 1e-330), in 4 significant digits
    written as ``:.4g`` writes a double."""
    mantissa, exponent = f"{value:.3e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{float(mantissa) * 10 ** int(exponent):.4g}" if -5 <= int(exponent) < 4 else f"{mantissa}e{int(exponent):+03d}"


def _warning(lr: float, largest: float, kind: str, sign: str, ascent: bool) -> str | None:
    """The warning where lr·λmax reaches 2, from the exact product: above it plain gradient descent
    diverges along the most curved direction, at it it bounces; where lr is 2/λmax as a double but
    lr·λmax falls short of 2 by rounding, it closes in by only that shortfall per step."""
    if largest <= 0:
        return None
    product = _product(lr, largest)
    if product < 2 and lr < 2 / largest:
        return None
    most, extreme = ("|λmin|", "λmin") if ascent else ("λmax", "λmax")  # f's own λ, whose sign the formula carries
    values = dict(lr=lr, limit=2 / largest, sign=sign, factor=_factor(lr, largest), kind=kind, most=most,
                  extreme=extreme)
    if product > Decimal(sys.float_info.max):
        return Message("lr = {lr:g} is above 2/{most} = {limit:.4g} at the start: along the most curved direction "
                       "|1 {sign} lr·{extreme}| = {factor}, more than the largest double ({largest:.4g}), so each step "
                       "multiplies the distance along it by more than a double can hold: plain gradient {kind} "
                       "diverges along it at once", largest=sys.float_info.max, **values)
    if product > 2:
        return Message("lr = {lr:g} is above 2/{most} = {limit:.4g} at the start: along the most curved direction "
                       "|1 {sign} lr·{extreme}| = {factor}, so plain gradient {kind} diverges along it", **values)
    if product == 2:
        return Message("lr = {lr:g} is exactly 2/{most} = {limit:.4g} at the start: along the most curved direction "
                       "|1 {sign} lr·{extreme}| = {factor}, so plain gradient {kind} bounces along it without "
                       "getting closer", **values)
    return Message("lr = {lr:g} is 2/{most} = {limit:.4g} at the start as nearly as a double can be: along the most "
                   "curved direction |1 {sign} lr·{extreme}| = {factor}, so plain gradient {kind} bounces along it, "
                   "getting closer by a share of only {shortfall} per step", shortfall=_decimal_text(2 - product),
                   **values)
