"""The common slips of differentiating by hand, and which of them explains a wrong claim exactly.

A slip is one rule applied wrongly at one place in f: the chain rule without its inner
factor, the power rule without lowering the exponent, half a product rule, a lost sign.
Each slip gives the derivative a student would have written had they made only that slip;
a hint is stated only where that derivative *is* the claim, proved by sympy (a numeric
screen at the sample points first keeps the proofs few).

The slipped derivative of f with the rule at a node N replaced: by the chain rule,
f′ = ∂f/∂x (N held) + ∂f/∂N · N′, so putting ``slip`` for N′ gives f′ − ∂f/∂N·(N′ − slip),
exact for every occurrence of N at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import symbolic
from numdiff_cli.errors import LimitError
from numdiff_cli.i18n import Message
from numdiff_cli.results.check import Hint, Slip
from numdiff_cli.symbolic import EXACT_DIGITS
from numdiff_cli.timeout import remaining, time_limit

PROOF_SECONDS = 2.0  # to prove one candidate equal to the claim
HINT_SECONDS = 6.0  # for all the hints of one claim
MAX_NODES = 40  # sub-expressions of f tried as the place of a slip
SAME = 1e-9  # relative agreement at every sample point that earns a proof
SHORT_FRACTION = 1000  # a constant factor p/q with |p|, q up to this is shown as the fraction
FACTOR_DIGITS = 17  # significant digits of a constant factor shown as a decimal: every digit a double has
NEAR_ONE = 1e-2  # a factor within this of 1 is shown with its relative error too


def rational(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each typed decimal as the exact fraction it was typed as (0.1 -> 1/10), so
    0.3*x**2 is the derivative of 0.1*x**3 exactly, as the person who typed them meant."""
    return expr.xreplace({f: sp.Rational(str(f)) for f in expr.atoms(sp.Float)})


def proved_equal(a: sp.Expr, b: sp.Expr, seconds: float = PROOF_SECONDS) -> bool:
    """True where sympy simplifies ``a − b`` to 0 within ``seconds``; False where it cannot (or
    where they differ)."""
    try:
        with time_limit(seconds, "simplifying"):
            return sp.simplify(rational(a) - rational(b)) == 0
    except LimitError:
        return False


def agree(values: np.ndarray, claim: np.ndarray) -> bool:
    """True where ``values`` and ``claim`` agree at three or more sample points and differ at none."""
    both = np.isfinite(values) & np.isfinite(claim)
    if both.sum() < 3 or (np.isfinite(values) != np.isfinite(claim)).any():
        return False
    gap = np.abs(values[both] - claim[both])
    return bool((gap <= SAME * (1 + np.abs(claim[both]))).all())


def values_at(
    exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol], at: Mapping[sp.Symbol, np.ndarray]
) -> list[np.ndarray]:
    """Each expression at the points ``at`` (one array per variable), as real doubles: nan where it is
    undefined or not real."""
    args = [np.asarray(at[v], dtype=float) for v in variables]
    shape = args[0].shape if args else ()
    with np.errstate(all="ignore"):
        computed = symbolic.compile_many(list(exprs), variables)(*args)
        return [np.broadcast_to(symbolic.real_values(np.asarray(c, dtype=complex)), shape).astype(float) for c in computed]


def hints(
    f: sp.Expr,
    variable: sp.Symbol,
    truth: sp.Expr,
    claim: sp.Expr,
    variables: Sequence[sp.Symbol],
    samples: Mapping[sp.Symbol, np.ndarray],
) -> tuple[Hint, ...]:
    """The slips that turn ``truth`` (= ∂f/∂variable) into ``claim`` exactly, most specific first.

    ``samples`` holds points where f, ``truth`` and ``claim`` are finite, one array per variable.
    """
    candidates = list(_node_slips(f, variable, truth)) + list(_global_slips(f, variable, truth, claim))
    if not candidates:
        return ()
    found: dict[str, Hint] = {}
    try:
        # the hints are extras: they take at most half of what is left of the command's budget
        with time_limit(min(HINT_SECONDS, max(remaining() / 2, 0.1)), "looking for a slip that explains the claim"):
            claim_values, *values = values_at([claim, *(c[2] for c in candidates)], variables, samples)
            for (slip, message, slipped), value in zip(candidates, values):
                if message not in found and agree(value, claim_values) and proved_equal(slipped, claim):
                    found[message] = Hint(slip, message)
    except LimitError:
        pass  # the hints found in time are exact; the search is only cut short
    return tuple(found.values())


Candidate = tuple[Slip, str, sp.Expr]


def _d(variable: sp.Symbol) -> str:
    return f"d/d{variable}"


def _global_slips(f: sp.Expr, variable: sp.Symbol, truth: sp.Expr, claim: sp.Expr) -> Iterator[Candidate]:
    """Slips of the whole answer: a sign, a constant factor, f itself, an antiderivative, f″, a
    constant term kept, a term left out."""
    d = _d(variable)
    if truth != 0:
        yield Slip.SIGN, Message("sign: the claim is −f′ (f′ = {truth})", truth=truth), -truth
        ratio = _constant_ratio(truth, claim)
        if ratio is not None:
            yield Slip.CONSTANT_FACTOR, _factor_message(ratio), truth / ratio
    yield Slip.FUNCTION_ITSELF, Message("the claim is f itself, not its derivative"), f
    # claim == claim − (claim′ − f) exactly where claim′ == f
    yield (
        Slip.ANTIDERIVATIVE,
        Message("the claim is an antiderivative of f ({d} of it is f): integrated instead of differentiated", d=d),
        claim - sp.diff(claim, variable) + f,
    )
    second = sp.diff(truth, variable)
    yield Slip.SECOND_DERIVATIVE, Message("the claim is the second derivative {second}, not f′", second=second), second
    terms = sp.Add.make_args(f)
    for term in terms:
        if not term.has(variable):
            yield (
                Slip.CONSTANT_TERM_KEPT,
                Message("the term {term} of f does not depend on {variable}: its derivative is 0, not {term}",
                        term=term, variable=variable),
                truth + term,
            )
        elif len(terms) > 1:
            yield (
                Slip.MISSING_TERM,
                Message("the derivative of the term {term} is missing: {d} {term} = {derivative}", term=term, d=d,
                        derivative=sp.diff(term, variable)),
                truth - sp.diff(term, variable),
            )


def _constant_ratio(truth: sp.Expr, claim: sp.Expr) -> sp.Expr | None:
    """truth / claim where sympy finds it a number other than 0 and ±1, else None."""
    if claim == 0:
        return None
    try:
        with time_limit(PROOF_SECONDS, "dividing f′ by the claim"):
            ratio = sp.simplify(rational(truth) / rational(claim))
    except LimitError:
        return None
    return ratio if ratio.is_number and ratio.is_real and ratio not in (0, 1, -1) else None


def _factor_message(ratio: sp.Expr) -> Message:
    """The constant factor f′ / claim = ``ratio`` in the words that read best: a short fraction or
    a constant as it stands (f′ = 2 × the claim, f′ = log(2) × the claim); any other fraction as the
    decimal the claim is of f′ (20000000/20000001 for a claim of 2.0000001·x: the claim is
    1.00000005 × f′), with its relative error where it is near 1."""
    if not ratio.is_Rational or max(abs(ratio.p), ratio.q) <= SHORT_FRACTION:
        return Message("a constant factor: f′ = {ratio} × the claim", ratio=ratio)
    inverse = 1 / ratio
    with mpmath.workdps(EXACT_DIGITS):
        factor = mpmath.nstr(mpmath.mpf(inverse.p) / inverse.q, FACTOR_DIGITS)
    off = abs(float(inverse - 1))
    if off < NEAR_ONE:
        return Message("a constant factor: the claim is {factor} × f′, off by {off:.1e} of f′ everywhere", factor=factor,
                       off=off)
    return Message("a constant factor: the claim is {factor} × f′", factor=factor)


def _nodes(f: sp.Expr, variable: sp.Symbol) -> list[sp.Expr]:
    """The distinct sub-expressions of f that hold ``variable`` and are more than it, outermost first."""
    seen: dict[sp.Expr, None] = {}
    for node in sp.preorder_traversal(f):
        if node != variable and node.has(variable) and not node.is_Add:
            seen.setdefault(node)
        if len(seen) >= MAX_NODES:
            break
    return list(seen)


def _node_slips(f: sp.Expr, variable: sp.Symbol, truth: sp.Expr) -> Iterator[Candidate]:
    """Slips of one rule at one node of f: chain, power, exponential, product, quotient, sign."""
    d = _d(variable)
    for node in _nodes(f, variable):
        hole = sp.Dummy("N", real=True)
        outer = sp.diff(f.xreplace({node: hole}), hole)
        if outer.has(sp.Derivative):  # f is not differentiable through this node in closed form
            continue
        outer = outer.xreplace({hole: node})
        right = sp.diff(node, variable)

        def slipped(wrong: sp.Expr, *, outer: sp.Expr = outer, right: sp.Expr = right) -> sp.Expr:
            return truth - outer * (right - wrong)

        for slip, message, wrong in _rule_slips(node, variable, d):
            yield slip, message, slipped(wrong)


def _rule_slips(node: sp.Expr, variable: sp.Symbol, d: str) -> Iterator[tuple[Slip, str, sp.Expr]]:
    """For one node, each wrong derivative a slip gives, and the sentence naming the slip."""
    right = sp.diff(node, variable)
    if isinstance(node, sp.Function) and len(node.args) == 1:
        (inner,) = node.args
        s = sp.Dummy("u", real=True)
        outer = sp.diff(node.func(s), s)
        if outer.has(sp.Derivative):  # no closed form for this function's derivative: no slip to name
            return
        outer = outer.xreplace({s: inner})
        if inner != variable:
            yield (
                Slip.CHAIN_RULE,
                Message("chain rule: {d} {node} = {right}; the inner derivative {d} {inner} = {derivative} is missing",
                        d=d, node=node, right=right, inner=inner, derivative=sp.diff(inner, variable)),
                outer,
            )
        yield Slip.RULE_SIGN, Message("sign: {d} {node} = {right}, not {wrong}", d=d, node=node, right=right,
                                        wrong=-right), -right
        if node.func is sp.exp:  # e^u differentiated as if u were a fixed exponent, as 2^x is below
            yield _power_rule_on_exponential(node, sp.E, inner, variable, d)
    elif node.is_Pow:
        base, exponent = node.args
        inner = sp.diff(base, variable)
        if exponent.is_number and base.has(variable):
            yield (
                Slip.POWER_RULE_EXPONENT,
                Message("power rule: {d} {node} = {right}, the exponent lowered by one, not {wrong}", d=d, node=node,
                        right=right, wrong=exponent * node * inner),
                exponent * node * inner,
            )
            if exponent not in (1, -1):
                yield (
                    Slip.POWER_RULE_FACTOR,
                    Message("power rule: {d} {node} = {right}; the factor {exponent} is missing", d=d, node=node,
                            right=right, exponent=exponent),
                    base ** (exponent - 1) * inner,
                )
            if base != variable:
                yield (
                    Slip.CHAIN_RULE,
                    Message("chain rule: {d} {node} = {right}; the inner derivative {d} {inner} = {derivative} is "
                            "missing", d=d, node=node, right=right, inner=base, derivative=inner),
                    exponent * base ** (exponent - 1),
                )
        elif base.is_number and exponent.has(variable):
            yield _power_rule_on_exponential(node, base, exponent, variable, d)
    numerator, denominator = sp.fraction(node)
    if denominator.has(variable) and numerator.has(variable):
        u, v = numerator, denominator
        du, dv = sp.diff(u, variable), sp.diff(v, variable)
        yield (
            Slip.QUOTIENT_RULE_SIGN,
            Message("quotient rule: d(u/v) = (u′v − uv′)/v², with a minus (u = {u}, v = {v})", u=u, v=v),
            (du * v + u * dv) / v**2,
        )
        yield Slip.QUOTIENT_RULE_DERIVATIVES, Message("quotient rule: d(u/v) is not u′/v′ (u = {u}, v = {v})", u=u,
                                                            v=v), du / dv
    elif node.is_Mul:
        factors = [a for a in node.args if a.has(variable)]
        if len(factors) >= 2:
            u = factors[0]
            v = node / u
            du, dv = sp.diff(u, variable), sp.diff(v, variable)
            rule = Message("product rule: d(uv) = u′v + uv′ with u = {u}, v = {v}", u=u, v=v)
            yield Slip.PRODUCT_RULE_HALF, Message("{rule}; the term uv′ = {term} is missing", rule=rule, term=u * dv), du * v
            yield Slip.PRODUCT_RULE_HALF, Message("{rule}; the term u′v = {term} is missing", rule=rule, term=du * v), u * dv
            yield Slip.PRODUCT_RULE_DERIVATIVES, Message("{rule}, not u′v′ = {wrong}", rule=rule, wrong=du * dv), du * dv


def _power_rule_on_exponential(
    node: sp.Expr, base: sp.Expr, exponent: sp.Expr, variable: sp.Symbol, d: str
) -> tuple[Slip, str, sp.Expr]:
    """``node`` = base^exponent (2^x, or e^x written exp(x)) differentiated by the power rule:
    u·base^(u − 1)·u′ instead of base^u·ln(base)·u′."""
    wrong = exponent * base ** (exponent - 1) * sp.diff(exponent, variable)
    return (
        Slip.POWER_RULE_ON_EXPONENTIAL,
        Message("{node} is an exponential, not a power: {d} {node} = {right}, not {wrong}", node=node, d=d,
                right=sp.diff(node, variable), wrong=wrong),
        wrong,
    )
