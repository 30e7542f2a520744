"""How far a numeric derivative can be trusted: its error against the exact value, and the
verdict of its own error estimate. Shared by every command that shows numeric rows."""

from __future__ import annotations

import math
from collections.abc import Sequence

import mpmath
import numpy as np

from numdiff_cli import finite
from numdiff_cli.finite import Estimate, NumericFunction, StencilMethod
from numdiff_cli.i18n import Listing, Message
from numdiff_cli.results import error
from numdiff_cli.results.codes import Reason, RowStatus
from numdiff_cli.results.explain import point_name

UNRELIABLE = 1e-3  # a row whose own error estimate exceeds this share of its value is flagged
# ... unless the estimate is below this absolute error (numpy.isclose has an atol for the same
# reason): where the derivative is 0, as for x**2 at 0, any estimate is a large share of it.
NEGLIGIBLE = 1e-10
NOT_FINITE = Message("not finite: the function is undefined or overflows within a step of the point")


def errors_against(value: float, exact: mpmath.mpf | None) -> tuple[float | None, float | None]:
    """Absolute and relative error of ``value``; None where there is no exact value (or it is 0
    as a double: below the smallest one, as exp(-800) is, the exact value shown is 0.0)."""
    if exact is None:
        return None, None
    difference = abs(mpmath.mpf(value) - exact)
    return float(difference), (float(difference / abs(exact)) if float(exact) != 0 else None)


def vanished_step(x: float, h: float, kind: type, dtype: str, name: str = "x") -> tuple[RowStatus, Reason, Message] | None:
    """The lecture's failure, where it happened: the step h is lost when added to the coordinate x of
    the variable ``name`` in ``kind`` (``dtype``), so every value of a fixed-step stencil is f(x)
    and the difference is exactly 0."""
    x, h = kind(x), kind(h)
    if (x + h) - x != 0:
        return None
    return RowStatus.UNRELIABLE, Reason.X_PLUS_H_EQUALS_X, Message(
        "{name} + h == {name} in {dtype} (h = {h} is below half the gap between neighbouring numbers near "
        "{name} = {x:g}), so f({name}+h) - f({name}) is exactly 0 and the formula gives 0",
        name=name, dtype=dtype, h=error(float(h)), x=float(x),
    )


def lost_difference(
    method: StencilMethod,
    order: int,
    f: NumericFunction,
    x: np.ndarray,
    direction: np.ndarray,
    estimate: Estimate,
    exact: mpmath.mpf | None,
    *,
    kind: type,
    dtype: str,
    names: Sequence[str],
    derivative: str,
) -> tuple[RowStatus, Reason, Message] | None:
    """Why ``method``'s ``estimate`` is exactly 0 where the step, not f, is the cause: the status,
    its code and the note, or None.

    Either the step is lost when added to the coordinate (x + h == x, :func:`vanished_step`), or it
    moves the coordinate but every value of the stencil is the same double of ``kind``: f changes
    by less than half the gap between the doubles near f(x), so the difference is exactly 0. The
    second is said only where ``exact`` (the derivative, called ``derivative`` in the note, such as
    f′ or ∂f/∂x) is not 0, as a double: where it is, 0 is the right answer. ``x`` is the point
    (shape (n,)), its variables called ``names``, and ``direction`` the unit vector (shape (n,)) of
    the variable differentiated by.
    """
    axis = int(np.argmax(direction))
    name = names[axis]
    lost = vanished_step(float(x[axis]), estimate.h, kind, dtype, name)
    if lost or estimate.value != 0 or exact is None or float(exact) == 0:
        return lost
    stencil = method.stencil(order)
    points = finite.stencil_points(stencil, x[None], direction[None], np.array([estimate.h], dtype=kind))
    values = finite.evaluate(f, points)[:, 0]
    if not np.isfinite(values).all() or (values != values[0]).any():
        return None
    size = abs(float(values[0]))
    # The stencil's values first differ where the change they sum, about hⁿ·|f⁽ⁿ⁾|, reaches an ulp of f, ε·|f|.
    least = (float(np.finfo(kind).eps) * size / abs(float(exact))) ** (1 / order)
    balanced = float(method.balanced_step(order, x[None], kind)[0])
    formula = f"ε·|f|/|{derivative}|" if order == 1 else f"(ε·|f|/|{derivative}|)^(1/{order})"
    clauses = [Message(
        "{terms} are the same {dtype}, so their difference is exactly 0: h = {h} is too small to change f at "
        "this size of f (|f| ≈ {f:.3g})",
        terms=", ".join(point_name(o, name) for o in stencil.offsets), dtype=dtype, h=error(estimate.h), f=size,
    )]
    if least > estimate.h:
        clauses.append(Message("a step changes f only above about {formula} = {least}", formula=formula,
                               least=error(least)))
    if balanced > max(least, estimate.h):
        clauses.append(Message(
            "{root}·{scale} = {balanced} balances truncation and rounding (h = auto)",
            root=balance_root(stencil.accuracy + order), scale=_scale_text(names), balanced=error(balanced),
        ))
    return RowStatus.UNRELIABLE, Reason.SAME_VALUES, Listing("; ", clauses)


def _scale_text(names: Sequence[str]) -> str:
    """The scale a step is measured against, max(1, |x|, |y|), as a formula: the point's largest coordinate."""
    shown = [f"|{n}|" for n in names] if len(names) <= 4 else [f"|{names[0]}|", "…", f"|{names[-1]}|"]
    return f"max(1, {', '.join(shown)})"


def balance_root(k: int) -> str:
    """ε^(1/k), the balanced step's size relative to its scale, in the usual notation: √ε, ∛ε, ε^(1/4).

    A method whose truncation error shrinks like hᵖ, for a derivative of order n, balances it
    with rounding (ε/hⁿ) at h = ε^(1/(p+n)) times the point's scale.
    """
    return {2: "√ε", 3: "∛ε"}.get(k, f"ε^(1/{k})")


def reliability(
    estimate: Estimate, method: str, auto_step: bool = False, double: bool = True
) -> tuple[RowStatus, Reason | None, str | None]:
    """The status of ``method``'s finite estimate by its own error estimate, its reason code and a
    warning in words (None where it is ``ok``); ``auto_step``: its step was h = auto already;
    ``double``: it ran in float64 (elsewhere richardson and complex-step do not run, so they are not advised)."""
    if estimate.error_estimate is None or not math.isfinite(estimate.error_estimate):
        return RowStatus.UNRELIABLE, Reason.NO_ERROR_ESTIMATE, Message(
            "unreliable: the method could not estimate its own error here")
    if estimate.error_estimate <= UNRELIABLE * abs(estimate.value) + NEGLIGIBLE:
        return RowStatus.OK, None, None
    advice = _LARGE_ESTIMATE.get(method, _LARGE_ESTIMATE["auto" if auto_step else None] if double else _SINGLE)
    return RowStatus.UNRELIABLE, Reason.LARGE_ERROR_ESTIMATE, advice


# Why a row's own estimate is large, and what to try instead: the searching methods choose their
# own steps, so "try h = auto or richardson" would send richardson to itself (and h = auto to itself).
_LARGE_ESTIMATE = {
    None: Message(
        "unreliable by its own error estimate (more than {share:.1%} of the value): the step is too "
        "large for f here, a pole, a domain edge or fast oscillation is within its reach, or rounding "
        "swamps it; try h = auto or richardson", share=UNRELIABLE,
    ),
    "auto": Message(
        "unreliable by its own error estimate (more than {share:.1%} of the value): a pole, a domain edge or "
        "fast oscillation is within reach of even the balanced step, or rounding swamps it; try richardson or "
        "complex-step", share=UNRELIABLE,
    ),
    "richardson": Message(
        "unreliable by its own error estimate (more than {share:.1%} of the value): its extrapolations "
        "from different starting steps do not agree, as where a pole, a domain edge or fast oscillation "
        "is within their reach, or where rounding swamps them; try complex-step where f allows it, or --sweep "
        "to see how the error changes with h", share=UNRELIABLE,
    ),
    "complex-step": Message(
        "unreliable by its own error estimate (more than {share:.1%} of the value): f has a singularity "
        "in the complex plane close to x, or rounding swamps the values it sums; try richardson", share=UNRELIABLE,
    ),
}
_SINGLE = Message(
    "unreliable by its own error estimate (more than {share:.1%} of the value): the step is too large for f "
    "here, a pole, a domain edge or fast oscillation is within its reach, or single precision's rounding swamps "
    "it; try --dtype float64, where richardson and complex-step run too", share=UNRELIABLE,
)
