"""The sentences of ``numdiff diff --explain`` for a fixed-step stencil: what happened to the step,
how many digits cancelled, what sets the error, and what halving h showed. Every sentence is
made from the numbers beside it, and says only what they show."""

from __future__ import annotations

import dataclasses

import numpy as np

from numdiff_cli.i18n import Message
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


def _step_sentence(e: StencilExplanation, dtype: str, x: float, v: str) -> Message | None:
    if e.step_lost:
        gap = float(np.spacing(np.dtype(dtype).type(x)))
        every = all(term.point == x for term in e.terms)
        points = Message("every point of the stencil is {v} itself", v=v) if every else Message(
            "{v} + h is {v} itself", v=v)
        return Message(
            "{v} + h == {v} in {dtype}: h = {h:g} is less than half the gap of {gap:.1e} between the numbers nearest "
            "{v} = {x!r}, so the step actually taken is ({v} + h) − {v} = 0, {points}, and the differences are "
            "exactly 0: the result is {total!r} / {denominator:g} = {value!r}. This is why h = {h:g} gives {value!r}.",
            v=v, dtype=dtype, h=e.h, gap=gap, x=x, points=points, total=e.total, denominator=e.denominator,
            value=e.value,
        )
    if e.step_taken != e.h:
        return Message(
            "{v} + h is rounded to the nearest {dtype}, {rounded!r}, so the step actually taken, ({v} + h) − {v} = "
            "{taken!r}, is not exactly h = {h!r} (off by {off:.1e} of h); the formula still divides by h.",
            v=v, dtype=dtype, rounded=x + e.step_taken, taken=e.step_taken, h=e.h,
            off=abs(e.step_taken - e.h) / e.h,
        )
    return None


def _cancellation_sentence(e: StencilExplanation, dtype: str, v: str) -> Message | None:
    known = [d for d in e.differences if d.digits_lost is not None]
    if not known:
        return None
    worst = max(known, key=lambda d: d.digits_lost)
    pair = f"{point_name(worst.minuend_offset, v)} − {point_name(worst.subtrahend_offset, v)}"
    if worst.digits_lost >= worst.of:
        return Message("In {pair} the two values are the same {dtype}: every digit cancels, and the difference is "
                       "exactly 0.", pair=pair, dtype=dtype)
    if worst.digits_lost == 0:
        return Message("In {pair} the two values differ in their leading digit: no digit cancels, and the difference "
                       "keeps all {of} significant digits a {dtype} holds.", pair=pair, of=worst.of, dtype=dtype)
    # counted by place, not by matching text: 0.84152 − 0.84147 loses 4 places to the borrow though "841" alone agree
    if worst.digits_lost == 1:
        return Message("{pair} cancels the leading digit (its place marked ^): the difference is about 10 times "
                       "smaller than the values, so it keeps about {kept} of the {of} significant digits a {dtype} "
                       "holds.", pair=pair, kept=worst.of - 1, of=worst.of, dtype=dtype)
    return Message("{pair} cancels {lost} leading digits (their places marked ^): the difference is about 10^{lost} "
                   "times smaller than the values, so it keeps about {kept} of the {of} significant digits a {dtype} "
                   "holds.", pair=pair, lost=worst.digits_lost,
                   kept=worst.of - worst.digits_lost, of=worst.of, dtype=dtype)


def _verdict_sentence(e: StencilExplanation, v: str) -> Message | None:
    t, r = e.truncation, e.rounding
    rounding = Message("the rounding estimate ε·|f|/h{power} = {value:.1e}", power=power(e.order), value=r.value)
    if e.verdict is Verdict.NOT_FINITE:
        return Message("A value of the stencil is not finite: f is undefined or overflows within a step of {v}.", v=v)
    if e.verdict is Verdict.STEP_LOST:
        truncation = "" if t.value is None else Message("the truncation term {formula} = {value:.1e} and ",
                                                         formula=t.formula, value=t.value)
        lost = "" if e.error is None else Message(
            "; the error is the whole derivative with its sign turned, {error!r}", error=e.error)
        return Message("With no step taken, neither estimate applies: {truncation}{rounding} describe a step of h "
                       "that was never made{lost}.", truncation=truncation, rounding=rounding, lost=lost)
    derivative = f"{derivative_name(t.derivative_order)}({v})"
    if t.value is None:
        return Message("sympy cannot evaluate {derivative}, so the truncation term is unknown; {rounding}.",
                       derivative=derivative, rounding=rounding)
    error = "" if e.error is None else Message(" (the actual error is {error:.2e})", error=e.error)
    if e.verdict is Verdict.TRUNCATION and e.error is not None and abs(e.error - t.value) <= AGREES * abs(t.value):
        share = abs(e.error - t.value) / abs(t.value)
        return Message(
            "The truncation term {formula} = {value:.3g} outweighs {rounding}, and the actual error, {error:.3g}, is "
            "this term to within {share:.1%}: the formula itself sets the error, which shrinks like h{power} as h "
            "does, until rounding takes over.",
            formula=t.formula, value=t.value, rounding=rounding, error=e.error, share=max(share, 0.001),
            power=power(e.accuracy),
        )
    if e.verdict is Verdict.TRUNCATION:
        return Message(
            "The truncation term {formula} = {value:.3g} outweighs {rounding}: the formula itself, not rounding, sets "
            "the error{error}; once h is small enough for this leading term to dominate, the error shrinks like "
            "h{power}, until rounding takes over.",
            formula=t.formula, value=t.value, rounding=rounding, error=error, power=power(e.accuracy),
        )
    if t.derivative_value == 0:
        return Message("{derivative} = 0, so this formula has no truncation error of order h{power} here; rounding "
                       "sets the error{error}: {rounding}.", derivative=derivative, power=power(e.accuracy),
                       error=error, rounding=rounding)
    return Message(
        "The rounding estimate ε·|f|/h{power} = {rounding:.1e} outweighs the truncation term {formula} = {value:.1e}: "
        "the digits lost to cancellation set the error{error}, which grows as h shrinks; a larger h does better.",
        power=power(e.order), rounding=r.value, formula=t.formula, value=t.value, error=error,
    )


def _order_sentence(e: StencilExplanation) -> Message:
    errors, orders, p = e.halving.abs_errors, e.halving.orders, e.accuracy
    if e.step_lost and len(set(e.halving.values)) == 1:
        return Message("Halving h changes nothing: the step is lost each time, and the result stays {value!r}.",
                       value=e.value)
    if any(o is None for o in orders):
        return Message("Halving h: an error of exactly 0 (or none known) leaves no order to observe.")
    values = {"trail": " → ".join(f"{err:.2e}" for err in errors), "first": orders[0], "second": orders[1], "p": p}
    if all(abs(o - p) <= ORDER_AGREES for o in orders):
        return Message("Halving h, the error goes {trail}: an observed order of {first:.2f}, then {second:.2f}, as "
                       "the formula's order {p} predicts (error ∝ h{power}).", power=power(p), **values)
    if min(orders) < p - ORDER_AGREES and errors[0] <= ROUNDING_BOUND * e.rounding.value:
        return Message("Halving h, the error goes {trail}: an observed order of {first:.2f}, then {second:.2f}, not "
                       "the formula's order {p}: rounding, not truncation, sets the error at these steps.", **values)
    if min(orders) < p - ORDER_AGREES:
        return Message(
            "Halving h, the error goes {trail}: an observed order of {first:.2f}, then {second:.2f}, not the "
            "formula's order {p}, though the error is far above rounding: h is too large for the leading term to "
            "dominate (f varies fast, or a pole or a domain edge is within the stencil).", **values)
    return Message("Halving h, the error goes {trail}: an observed order of {first:.2f}, then {second:.2f}, above the "
                   "formula's order {p}: its leading truncation term is unusually small here.", **values)


def power(n: int) -> str:
    return "" if n == 1 else superscript(n)


def derivative_name(k: int) -> str:
    return "f" + ("′″‴"[k - 1] if k <= 3 else f"⁽{superscript(k)}⁾")


def superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


