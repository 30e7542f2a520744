"""Printing f as numpy code to be called with Python floats, rounding as numpy's arrays do.

Called with floats, the code numpy's printer writes rounds differently from the same code
on arrays in one place: ``**``. On an array, numpy takes ``a**2`` as ``a*a``, ``a**-1.0`` as
``1/a`` and ``a**0.5`` as ``sqrt(a)``, and any other power through its own ``power`` loop; on a
float, ``**`` is the C library's ``pow``, which differs from both in the last bit now and
then. This printer writes each power as the array operation it becomes, so a loop on floats
gives the numbers the array loop gives, to the last bit.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp
from sympy.printing.numpy import NumPyPrinter


class FloatPrinter(NumPyPrinter):
    """numpy's printer, with each power written as numpy computes it on an array."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        exponent = expr.exp
        if exponent == -sp.S.Half and exponent.is_Rational:  # printed 1/numpy.sqrt(b): no ** in it
            return super()._print_Pow(expr, rational=rational)
        base = self._print(expr.base)
        if exponent == 2:
            return f"(({base})*({base}))"
        if exponent == -1:
            return f"(1/({base}))"
        if exponent == sp.S.Half:
            return f"{self._module_format('numpy.sqrt')}({base})"
        return f"{self._module_format('numpy.power')}({base}, {self._print(exponent)})"


def printer(own_functions: Iterable[str]) -> FloatPrinter:
    """A printer set up as lambdify sets up numpy's, with ``own_functions`` (names of the
    modules dictionary passed to lambdify) printed by name."""
    return FloatPrinter(
        {
            "fully_qualified_modules": False,
            "inline": True,
            "allow_unknown_functions": True,
            "user_functions": {name: name for name in own_functions},
        }
    )
