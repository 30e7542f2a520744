"""How far a numeric derivative can be trusted: its error against the exact value, and the
verdict of its own error estimate. Shared by every command that shows numeric rows."""

from __future__ import annotations

import math

import mpmath

from numdiff_cli.complex_step import ComplexStepMethod
from numdiff_cli.finite import Estimate
from numdiff_cli.i18n import Message
from numdiff_cli.results.codes import Reason, RowStatus
from numdiff_cli.richardson import RichardsonMethod

UNRELIABLE = 1e-3  # a row whose own error estimate exceeds this share of its value is flagged
# ... unless the estimate is below this absolute error (numpy.isclose has an atol for the same
# reason): where the derivative is 0, as for x**2 at 0, any estimate is a large share of it.
NEGLIGIBLE = 1e-10
RICHARDSON, COMPLEX_STEP = RichardsonMethod.name, ComplexStepMethod.name
NOT_FINITE = Message("not finite: the function is undefined or overflows within a step of the point")


def errors_against(value: float, exact: mpmath.mpf | None) -> tuple[float | None, float | None]:
    """Absolute and relative error of ``value``; None where there is no exact value (or it is 0)."""
    if exact is None:
        return None, None
    difference = abs(mpmath.mpf(value) - exact)
    return float(difference), (float(difference / abs(exact)) if exact != 0 else None)


def reliability(estimate: Estimate, method: str, *, auto: bool = False) -> tuple[RowStatus, Reason | None, str | None]:
    """The status of ``method``'s finite estimate by its own error estimate, its reason code and a
    warning in words (None where it is ``ok``); ``auto`` says that a fixed-step method already
    took the balanced step (h = auto). The warning's advice names only what this row did not try."""
    if estimate.error_estimate is None or not math.isfinite(estimate.error_estimate):
        return RowStatus.UNRELIABLE, Reason.NO_ERROR_ESTIMATE, Message(
            "unreliable: the method could not estimate its own error here")
    if estimate.error_estimate <= UNRELIABLE * abs(estimate.value) + NEGLIGIBLE:
        return RowStatus.OK, None, None
    return RowStatus.UNRELIABLE, Reason.LARGE_ERROR_ESTIMATE, Message(
        "unreliable by its own error estimate (more than {share:.1%} of the value): the step is too "
        "large for f here, a pole, a domain edge or fast oscillation is within its reach, or rounding "
        "swamps it; {advice}", share=UNRELIABLE, advice=_advice(method, auto),
    )


def _advice(method: str, auto: bool) -> str:
    """What to try instead of ``method``: another step, or a method that works differently."""
    if method == RICHARDSON:  # its step is adaptive already: only a method without a step's trade-off is left
        return Message("try complex-step where f allows it, or --sweep to see how the error changes with h")
    if method == COMPLEX_STEP:
        return Message("try richardson")
    if auto:
        return Message("try richardson or complex-step")
    return Message("try h = auto or richardson")
