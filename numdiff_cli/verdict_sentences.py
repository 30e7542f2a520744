"""The status and sentence of a run that went wrong or bounces: its values stopped being finite,
f got far worse, x froze where the numerical gradient is lost, f fell without end, or x bounces
between two sides."""

from __future__ import annotations

import math

import numpy as np

from numdiff_cli.descent_path import STEADY, Path, Verdict
from numdiff_cli.i18n import Message
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RunStatus


def oscillating(path: Path, objective: Objective, lr: float) -> Verdict:
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



def not_finite(path: Path, objective: Objective, lr: float, goal: str) -> Verdict:
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


def frozen(path: Path, h: float, exact_norm: float) -> Message:
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


def worse(path: Path, lr: float, lost_h: float | None, frozen: Message | None, goal: str) -> Verdict:
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


def blame(warned: bool) -> Message:
    """The close of an unbounded verdict: f's own fault, or the learning rate's too where it is
    above 2/λmax at the start (``warned``)."""
    if warned:
        return Message("; the learning rate is also above 2/λmax, so the directions that curve the other way diverge too")
    return Message(", and this is not the learning rate's fault")


def unbounded(path: Path, goal: str, warned: bool) -> Verdict:
    return RunStatus.UNBOUNDED, Message(
        "f went from {f0:.4g} to {f:.4g} and keeps {moving} as {x} runs off (‖{x}‖ ≈ {size:.3g}): "
        "f has no {goal} along this path{also}", f0=path.f0, f=path.f, x=path.name,
        moving=Message("rising") if path.ascent else Message("falling"), size=math.hypot(*path.x), goal=goal,
        also=blame(warned),
    ), None
