"""The verdict of a run still on the move when its steps ran out, toward no critical point: f has
none at all (a partial derivative keeps its sign everywhere), or none lies ahead along the way
it moves (:mod:`runoff`)."""

from __future__ import annotations

import numpy as np

from numdiff_cli.descent_path import Path, Verdict
from numdiff_cli.errors import brief
from numdiff_cli.i18n import Message
from numdiff_cli.objective import Objective
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.runoff import Horizon, ahead, signed_partial
from numdiff_cli.symbolic import text
from numdiff_cli.verdict_sentences import blame


def no_critical_point(
    path: Path, objective: Objective, exact: np.ndarray, lr: float, goal: str, *, warned: bool
) -> Verdict | None:
    """Still on the move, on a function with no critical point at all: a partial derivative ∂f/∂v
    keeps one sign everywhere (sympy proves it, :func:`signed_partial`), so every run, of
    any optimizer, moves v one way for ever. Unbounded where f is linear in v (x + y²); else
    the run ends short of nothing, and the look along v says how f levels off (exp(x) + y²).
    ``warned``: the learning rate is above 2/λmax at the start, which shares the blame."""
    signed = signed_partial(objective)
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
            "and does not depend on {v}, so f is linear in {v} and {moving} without end that way: f has no {goal}{also}",
            f0=path.f0 + 0.0, f=path.f, also=blame(warned),
            moving=Message("rises") if path.ascent else Message("falls"), **values,
        ), None
    along = np.zeros_like(exact)
    along[signed.index] = exact[signed.index]
    horizon = ahead(objective, path.x, along, step=lr * abs(exact[signed.index]), ascent=path.ascent)
    seen = "" if horizon is None else Message(" ({seen})", seen=_horizon_words(horizon, f"{v} → {end}", path.ascent))
    return RunStatus.MAX_STEPS, Message(
        "stopped after {steps} steps with ‖∇f‖ = {norm:.3g}, but no critical point lies ahead, nor anywhere: "
        "∂f/∂{v} = {partial} is {sign} everywhere, so ∇f is never 0{seen}; {v} keeps moving toward {end}, "
        "so more steps, or another learning rate, will not reach a {goal}",
        steps=path.steps, norm=path.norm, seen=seen, **values,
    ), None


def _horizon_words(horizon: Horizon, way: str, ascent: bool) -> Message:
    """What f does along ``way`` as far as the look ahead saw it: levelling off, or still moving."""
    if horizon.levelled:
        return Message("f levels off toward its {bound}: it is {f:.4g} at a distance of {distance:.3g} along {way}, "
                       "and flat in double precision beyond", bound=Message("supremum") if ascent else
                       Message("infimum"), f=horizon.f, distance=horizon.distance, way=way)
    return Message("f is {f:.4g} at a distance of {distance:.3g} along {way}, and still {moving} there",
                   f=horizon.f, distance=horizon.distance, way=way,
                   moving=Message("rising") if ascent else Message("falling"))


def nothing_ahead(path: Path, objective: Objective, exact: np.ndarray, lr: float, goal: str) -> Verdict | None:
    """Still on the move, but toward no critical point: over the last steps f improved at every
    one and the gradient kept its direction, and along the way the run moves f's slope never
    turns (see :mod:`runoff`; its look starts a step's length, lr·‖∇f‖, away)."""
    values = [f for f, _ in path.tail]
    gradients = [g for _, g in path.tail]
    steady = all(float(a @ b) > 0 for a, b in zip(gradients, gradients[1:]))
    improving = all(path.gain(b) > path.gain(a) for a, b in zip(values, values[1:]))
    if len(path.tail) < 3 or not (steady and improving):
        return None
    horizon = ahead(objective, path.x, exact, step=lr * path.norm, ascent=path.ascent)
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
