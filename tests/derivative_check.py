"""A fast test of whether two derivatives are the same function: values at a few points first,
sympy's simplify only where the points cannot tell."""

from __future__ import annotations

import cmath

import sympy as sp

from numdiff_cli.rule_table import written_out

# Spread over both signs and past 1, so that each function's domain (sqrt(1 - x^2), acosh(x),
# log(log(x))) holds at least three of them. A second variable takes the next point along.
POINTS = (0.31, 0.77, 1.43, 2.6, 3.7, -0.55, -1.9, -3.1)
ENOUGH = 3  # points at which the values must agree


def _value(expr: sp.Expr, subs: dict[sp.Symbol, float]) -> complex | None:
    try:
        value = complex(expr.xreplace({s: sp.Float(v, 30) for s, v in subs.items()}).evalf(25))
    except (TypeError, ValueError, ZeroDivisionError):  # zoo, nan, or left symbolic (DiracDelta at 0)
        return None
    return value if cmath.isfinite(value) else None


def agree_at_points(function: sp.Expr, ours: sp.Expr, theirs: sp.Expr) -> bool | None:
    """Whether ``ours`` and ``theirs``, derivatives of ``function``, agree where ``function`` is
    real and finite; None where fewer than :data:`ENOUGH` points are such."""
    ours = written_out(ours)
    symbols = sorted(function.free_symbols | ours.free_symbols | theirs.free_symbols, key=str)
    checked = 0
    for i in range(len(POINTS)):
        subs = {s: POINTS[(i + k) % len(POINTS)] for k, s in enumerate(symbols)}
        value = _value(function, subs)
        expected = _value(theirs, subs)
        if value is None or abs(value.imag) > 1e-12 * (1 + abs(value)) or expected is None:
            continue  # outside f's domain, or on a pole of f′
        got = _value(ours, subs)
        if got is None or abs(got - expected) > 1e-12 * (1 + abs(expected)):
            return False
        checked += 1
    return True if checked >= ENOUGH else None


def same_derivative(function: sp.Expr, ours: sp.Expr, theirs: sp.Expr) -> bool:
    """Whether ``ours`` equals ``theirs``: at points, or where they cannot tell, by simplify."""
    verdict = agree_at_points(function, ours, theirs)
    if verdict is not None:
        return verdict
    return sp.simplify(written_out(ours) - theirs) == 0
