"""``diff --explain`` for the complex step's higher derivatives: the circles the contour
derivative tried, the one it kept, and why it went no further."""

from __future__ import annotations

import numpy as np

from numdiff_cli import contour
from numdiff_cli.finite import NumericFunction
from numdiff_cli.i18n import Listing, Message
from numdiff_cli.results.explain import Circle, ContourExplanation, WalkEnd

SHOWN_AROUND = 3  # circles shown on each side of the chosen one (and up to where the walk ended)


def explain_contour(f: NumericFunction, x: np.ndarray, direction: np.ndarray, order: int, variable: str) -> ContourExplanation:
    """The contour derivative of ``f`` at ``x`` (shape (1, n)) along ``direction``, circle by circle, as
    ``contour.contour_derivatives`` computes it; its ``error`` is left None for the caller, who knows the exact value."""
    radii = contour.circle_radii(np.max(np.abs(x * direction), axis=-1))
    values, errors = contour.on_circles(f, x, direction, order, radii)
    (chosen,), (end,) = contour.walk(values, errors)
    radii, values, errors = radii[0], values[0], errors[0]
    count = len(radii)
    ended = WalkEnd.LAST if end == count else WalkEnd.NOT_FINITE if np.isnan(errors[end]) else WalkEnd.CONTRADICTS
    last = min(end, count - 1)
    low, high = max(0, chosen - SHOWN_AROUND), min(last, max(chosen, 0) + SHOWN_AROUND)
    circles = tuple(Circle(float(radii[k]), float(values[k]), float(errors[k])) for k in range(low, high + 1))
    (value,), (estimate,), _ = contour.contour_derivatives(f, x, direction, order)
    explained = dict(points=contour.POINTS, x=float(x[0] @ direction[0]), v=variable, order=order, value=float(value),
                     radius=float(radii[chosen]), estimate=float(estimate), end=float(radii[last]))
    summary = (
        Message("f is evaluated at {points} points z = {v} + r·ωʲ, ω = e^(2πi/{points}), on circles around {v} = {x!r} "
                "in the complex plane; the discrete Fourier transform of those values gives the Taylor coefficients "
                "c_k = f⁽ᵏ⁾({v})·rᵏ/k!, so f⁽ⁿ⁾({v}) = n!·c_n/rⁿ with n = {order}. No two nearby values are "
                "subtracted, so no digit cancels.", **explained),
        Message("A circle's error estimate is n!/rⁿ times the largest coefficient in the last quarter of its "
                "spectrum, where rounding noise and the traces of a singularity near the circle stand: it shrinks as "
                "r grows, until the circle nears a singularity of f.", **explained),
        _ending(chosen, ended, explained, float(values[last])),
    )
    return ContourExplanation("complex-step", order, contour.POINTS, circles, None if chosen < 0 else int(chosen - low),
                              int(end - low) if end <= high else None, ended, float(value), float(estimate), None,
                              summary)


def _ending(chosen: int, ended: WalkEnd, explained: dict, last_value: float) -> str:
    if chosen < 0:
        return Message("No circle gave finite values: f is not finite within r = {end:g} of {v}.", **explained)
    kept = Message("Walking outwards from the smallest circle, it keeps the value of least estimate, {value!r} at "
                   "r = {radius:g} (error estimate {estimate:.1e}); it chooses its own radius, so --h does not apply.",
                   **explained)
    if ended is WalkEnd.CONTRADICTS:
        why = Message("The circle at r = {end:g} gives {other!r}, which contradicts it: f has a singularity or a branch "
                      "cut that close to {v}, so no larger circle is used.", other=last_value, **explained)
    elif ended is WalkEnd.NOT_FINITE:
        why = Message("f is not finite on the circle at r = {end:g}, so no larger circle is used.", **explained)
    else:
        why = Message("Every circle up to the largest, r = {end:g}, agrees with it.", **explained)
    return Listing(" ", [kept, why])
