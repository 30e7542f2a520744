"""The sentences of ``numdiff diff --explain`` for a fixed-step stencil: what happened to the step,
how many digits cancelled, what sets the error, and what halving h showed. Every sentence is
made from the numbers beside it, and says only what they show."""

from __future__ import annotations

import dataclasses

import numpy as np

from numdiff_cli.results.explain import StencilExplanation, Verdict, point_name

ORDER_AGREES = 0.3  # an observed order within this of the formula's is "as predicted"
ROUNDING_BOUND = 10  # an error within this many rounding estimates can be rounding
AGREES = 0.1  # an error within this share of the truncation term is that term


def with_summary(e: StencilExplanation, dtype: str, x: float, v: str) -> StencilExplanation:
    """The explanation with its sentences: the step, the cancellation, what sets the error, the
    order; ``v`` is the variable's name (x in the textbook)."""
    return dataclasses.replace(e, summary=tuple(filter(None, (
        _step_sentence(e, dtype, x, v), _cancellation_sentence(e, dtype, v), _verdict_sentence(e, v),
        _order_sentence(e),
    ))))


def _step_sentence(e: StencilExplanation, dtype: str, x: float, v: str) -> str | None:
    if e.step_lost:
        gap = float(np.spacing(np.dtype(dtype).type(x)))
        every = all(term.point == x for term in e.terms)
        points = f"every point of the stencil is {v} itself" if every else f"{v} + h is {v} itself"
        return (f"{v} + h == {v} in {dtype}: h = {e.h:g} is less than half the gap of {gap:.1e} between the numbers "
                f"nearest {v} = {x!r}, so the step actually taken is ({v} + h) − {v} = 0, {points}, and the "
                f"differences are exactly 0: the result is {e.total!r} / {e.denominator:g} = {e.value!r}. This is why "
                f"h = {e.h:g} gives {e.value!r}.")
    if e.step_taken != e.h:
        return (f"{v} + h is rounded to the nearest {dtype}, {x + e.step_taken!r}, so the step actually taken, "
                f"({v} + h) − {v} = {e.step_taken!r}, is not exactly h = {e.h!r} (off by "
                f"{abs(e.step_taken - e.h) / e.h:.1e} of h); the formula still divides by h.")
    return None


def _cancellation_sentence(e: StencilExplanation, dtype: str, v: str) -> str | None:
    known = [d for d in e.differences if d.digits_lost is not None]
    if not known:
        return None
    worst = max(known, key=lambda d: d.digits_lost)
    pair = f"{point_name(worst.minuend_offset, v)} − {point_name(worst.subtrahend_offset, v)}"
    if worst.digits_lost >= worst.of:
        return f"In {pair} the two values are the same {dtype}: every digit cancels, and the difference is exactly 0."
    if worst.digits_lost == 0:
        return (f"In {pair} the two values differ in their leading digit: no digit cancels, and the difference "
                f"keeps all {worst.of} significant digits a {dtype} holds.")
    return (f"{pair} cancels the leading {worst.digits_lost} digits of the two values (marked ^): the difference "
            f"keeps about {worst.of - worst.digits_lost} of the {worst.of} significant digits a {dtype} holds.")


def _verdict_sentence(e: StencilExplanation, v: str) -> str | None:
    t, r = e.truncation, e.rounding
    rounding = f"the rounding estimate ε·|f|/h{power(e.order)} = {r.value:.1e}"
    error = "" if e.error is None else f" (the actual error is {e.error:.2e})"
    if e.verdict is Verdict.NOT_FINITE:
        return f"A value of the stencil is not finite: f is undefined or overflows within a step of {v}."
    if e.verdict is Verdict.STEP_LOST:
        truncation = "" if t.value is None else f"the truncation term {t.formula} = {t.value:.1e} and "
        lost = "" if e.error is None else f"; the error is the whole derivative with its sign turned, {e.error!r}"
        return (f"With no step taken, neither estimate applies: {truncation}{rounding} describe a step of h that was "
                f"never made{lost}.")
    derivative = f"{derivative_name(t.derivative_order)}({v})"
    if t.value is None:
        return f"sympy cannot evaluate {derivative}, so the truncation term is unknown; {rounding}."
    if e.verdict is Verdict.TRUNCATION and e.error is not None and abs(e.error - t.value) <= AGREES * abs(t.value):
        share = abs(e.error - t.value) / abs(t.value)
        return (f"The truncation term {t.formula} = {t.value:.3g} outweighs {rounding}, and the actual error, "
                f"{e.error:.3g}, is this term to within {max(share, 0.001):.1%}: the formula itself sets the error, "
                f"which shrinks like h{power(e.accuracy)} as h does, until rounding takes over.")
    if e.verdict is Verdict.TRUNCATION:
        return (f"The truncation term {t.formula} = {t.value:.3g} outweighs {rounding}: the formula itself, not "
                f"rounding, sets the error{error}; once h is small enough for this leading term to dominate, the "
                f"error shrinks like h{power(e.accuracy)}, until rounding takes over.")
    if t.derivative_value == 0:
        return (f"{derivative} = 0, so this formula has no truncation error of order h{power(e.accuracy)} here; "
                f"rounding sets the error{error}: {rounding}.")
    return (f"{rounding[0].upper()}{rounding[1:]} outweighs the truncation term {t.formula} = {t.value:.1e}: the "
            f"digits lost to cancellation set the error{error}, which grows as h shrinks; a larger h does better.")


def _order_sentence(e: StencilExplanation) -> str:
    errors, orders, p = e.halving.abs_errors, e.halving.orders, e.accuracy
    if e.step_lost and len(set(e.halving.values)) == 1:
        return f"Halving h changes nothing: the step is lost each time, and the result stays {e.value!r}."
    if any(o is None for o in orders):
        return "Halving h: an error of exactly 0 (or none known) leaves no order to observe."
    trail = " → ".join(f"{err:.2e}" for err in errors)
    observed = f"Halving h, the error goes {trail}: an observed order of {orders[0]:.2f}, then {orders[1]:.2f}"
    if all(abs(o - p) <= ORDER_AGREES for o in orders):
        return f"{observed}, as the formula's order {p} predicts (error ∝ h{power(p)})."
    if min(orders) < p - ORDER_AGREES and errors[0] <= ROUNDING_BOUND * e.rounding.value:
        return f"{observed}, not the formula's order {p}: rounding, not truncation, sets the error at these steps."
    if min(orders) < p - ORDER_AGREES:
        return (f"{observed}, not the formula's order {p}, though the error is far above rounding: h is too large "
                "for the leading term to dominate (f varies fast, or a pole or a domain edge is within the stencil).")
    return f"{observed}, above the formula's order {p}: its leading truncation term is unusually small here."


def power(n: int) -> str:
    return "" if n == 1 else superscript(n)


def derivative_name(k: int) -> str:
    return "f" + ("′″‴"[k - 1] if k <= 3 else f"⁽{superscript(k)}⁾")


def superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


