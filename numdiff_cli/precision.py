"""Fixed-step finite differences in arbitrary precision (mpmath), for ``diff --precision``.

With 60 digits, x + 1e-50 differs from x, so even h = 1e-50 gives a good derivative: the
failure of tiny steps belongs to the floating-point format, not to the formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import mpmath
import sympy as sp

from numdiff_cli import finite, symbolic
from numdiff_cli.finite import Estimate, StencilMethod


def estimate(
    expr: sp.Expr,
    variables: Sequence[sp.Symbol],
    variable: sp.Symbol,
    point: Mapping[sp.Symbol, float],
    method: StencilMethod,
    order: int,
    h: finite.Step,
    digits: int,
) -> Estimate:
    """``method``'s derivative of ``expr`` in ``variable`` at ``point``, computed with ``digits`` digits.

    The value is an ``mpmath.mpf``; the error estimate compares the steps h and h/2 and adds
    the rounding error of ``digits`` digits, as the double-precision methods do.
    """
    function = symbolic.compile_mpmath(expr, variables)
    s = method.stencil(order)
    with mpmath.workdps(digits):
        eps = mpmath.mpf(10) ** (1 - digits)
        x = {v: mpmath.mpf(point[v]) for v in variables}
        scale = max(mpmath.mpf(1), abs(x[variable]))
        if h is None and order == 1:
            step = mpmath.mpf(finite.DEFAULT_STEP)
        elif h is None or h == finite.AUTO:
            step = eps ** (mpmath.mpf(1) / (s.accuracy + order)) * scale
        else:
            step = mpmath.mpf(h)

        def derivative(step: mpmath.mpf) -> tuple[mpmath.mpf, mpmath.mpf]:
            total = magnitude = mpmath.mpf(0)
            for offset, weight in zip(s.offsets, s.weights):
                shifted = {**x, variable: x[variable] + offset * step}
                value = _real(function, [shifted[v] for v in variables])
                total += weight * value
                magnitude += abs(weight * value)
            scale = s.divisor * step**order
            return total / scale, 2 * eps * magnitude / scale

        coarse, rounding = derivative(step)
        if not mpmath.isfinite(coarse):
            return Estimate(float("nan"), float(step), None)
        fine, _ = derivative(step / 2)
        truncation = abs(coarse - fine) * 2**s.accuracy / (2**s.accuracy - 1)
        return Estimate(coarse, float(step), float(truncation + rounding))


def _real(function: object, arguments: list[mpmath.mpf]) -> mpmath.mpf:
    """``function(*arguments)``, or nan where it is undefined or not real there."""
    try:
        value = function(*arguments)  # type: ignore[operator]
    except (ValueError, ZeroDivisionError, OverflowError):
        return mpmath.nan
    if isinstance(value, mpmath.mpc):
        return value.real if value.imag == 0 else mpmath.nan
    return mpmath.mpf(value)
