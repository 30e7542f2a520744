"""Where f is defined as typed, not only as sympy built it.

sympy evaluates as it builds: ``exp(log(x))`` becomes ``x``, ``sqrt(x)^2`` becomes ``x``, ``x/x``
becomes 1, each defined where the function typed is not (log of a negative, 1/0). The parser keeps
the parts so dropped (:func:`numdiff_cli.parsing.parse_as_typed`); :func:`check_defined` refuses a
point where one of them is not real or undefined, naming that part, as the value of f itself is
refused there (``log(x) is not real at x = -1``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy as sp

from numdiff_cli.errors import MathError, brief
from numdiff_cli.i18n import Message
from numdiff_cli.parsing import readable
from numdiff_cli.symbolic import SYMBOLIC_SECONDS, format_point
from numdiff_cli.timeout import time_limit

_DIGITS = 20  # enough to tell a real value from one with an imaginary part


def check_defined(parts: Iterable[sp.Expr], point: Mapping[sp.Symbol, float]) -> None:
    """Refuse ``point`` (doubles by variable) where one of ``parts`` is undefined, infinite or not real.

    A part sympy knows to be finite and real for every real input (exp(x)) is not evaluated, so a
    dropped part too large for double precision (exp(1000) of log(exp(x))) is no error: f as typed
    is defined there.

    Raises
    ------
    MathError
        Naming the first such part and the point.
    """
    where = format_point(point)
    subs = {symbol: sp.Rational(value) for symbol, value in point.items()}
    for part in parts:
        if part.is_extended_real and part.is_finite:
            continue
        what = brief(readable(part))
        with time_limit(SYMBOLIC_SECONDS, Message("evaluating {what}", what=what)):
            try:
                value = part.xreplace(subs).evalf(_DIGITS)
            except (ArithmeticError, ValueError, TypeError):
                raise MathError("{what} is undefined at {where}", what=what, where=where) from None
            except (RecursionError, MemoryError):
                continue  # too large to evaluate, which is not undefined: f's own value is checked apart
        if value.has(sp.zoo, sp.nan):
            raise MathError("{what} is undefined at {where}", what=what, where=where)
        if value.has(sp.oo, -sp.oo):
            raise MathError("{what} is infinite at {where}", what=what, where=where)
        real, imag = value.as_real_imag()
        if imag.is_Number and imag != 0 and abs(imag) > 10 ** (-_DIGITS) * (1 + abs(real)):
            raise MathError("{what} is not real at {where}", what=what, where=where)
