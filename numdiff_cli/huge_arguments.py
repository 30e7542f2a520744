"""Arguments too large for mpmath's hyperbolic functions, found before they are evaluated.

mpmath's sinh, cosh and tanh (and coth, sech, csch, built on them) compute ``1 << (m - 1)`` for
an argument of m bits: for tanh(x^4e9) at x = 1e5, an argument of 6.6e10 bits, that is a
single C operation that allocates gigabytes and no time limit can interrupt. Past
:data:`MAX_BITS` bits every one of them is far beyond double range or within an ulp of its
limit, so the point is refused in words before sympy starts.
"""

from __future__ import annotations

import math

import sympy as sp

from numdiff_cli.errors import MathError

MAX_BITS = 1 << 20  # an argument below 2**(2**20), about 10^315653, is evaluated as usual
HYPERBOLIC = (sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch)


def check(numeric: sp.Expr, *, what: str, where: str) -> None:
    """Raise MathError where a hyperbolic function in ``numeric`` (an expression of numbers
    only, as substituted at a point) has an argument of more than :data:`MAX_BITS` bits.

    Innermost first, so that measuring an argument never evaluates a hyperbolic function
    that is itself too large.
    """
    for node in sp.postorder_traversal(numeric):
        bits = _bits(node.args[0]) if isinstance(node, HYPERBOLIC) else 0
        if bits > MAX_BITS:
            raise MathError(
                "{what} cannot be evaluated at {where}: {function}'s argument there is about 10^({exponent:.3g}), "
                "beyond what numdiff evaluates", what=what, where=where, function=type(node).__name__,
                exponent=bits * math.log10(2),
            )


def _bits(argument: sp.Expr) -> int:
    """The size of ``argument`` in bits (its binary exponent); 0 where it is no plain number."""
    try:
        size = sp.Abs(argument).evalf(5)
    except Exception:  # noqa: BLE001 - whatever sympy cannot measure is left to the evaluation
        return 0
    if not isinstance(size, sp.Float) or not size.is_finite or size.is_zero:
        return 0
    _, _, exponent, bit_count = size._mpf_
    return exponent + bit_count
