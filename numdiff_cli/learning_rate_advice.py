"""What the Hessian at the start says about the learning rate: along each eigen-direction plain
gradient descent multiplies the distance by |1 − lr·λ| per step, worked out from the exact
product of the two doubles (it may lie past the largest double, or too near 1 to show)."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from decimal import Decimal, localcontext

import numpy as np

from numdiff_cli.i18n import Message


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
