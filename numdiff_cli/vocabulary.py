"""What an expression may name: the allow-listed functions, the constants, reserved names.

Every other name is a real variable. The allow-list is the parser's only source of callables,
so nothing outside it can be reached from typed text.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp


def _sigmoid(a: sp.Expr) -> sp.Expr:
    return 1 / (1 + sp.exp(-a))


# name -> (sympy constructor, allowed argument counts; None means one or more)
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], tuple[int, ...] | None]] = {
    **{name: (getattr(sp, name), (1,)) for name in (
        "sin", "cos", "tan", "cot", "sec", "csc",
        "asin", "acos", "atan", "acot", "asec", "acsc",
        "sinh", "cosh", "tanh", "coth", "sech", "csch",
        "asinh", "acosh", "atanh", "acoth", "asech", "acsch",
        "exp", "sqrt", "cbrt", "sign", "floor", "ceiling", "erf", "erfc", "gamma",
        "factorial", "sinc", "Heaviside",
    )},
    **{"arc" + name[1:]: (getattr(sp, name), (1,)) for name in (
        "asin", "acos", "atan", "asinh", "acosh", "atanh",
    )},
    "atan2": (sp.atan2, (2,)),
    "arctan2": (sp.atan2, (2,)),
    "log": (sp.log, (1, 2)),
    "ln": (sp.log, (1,)),
    "log10": (lambda a: sp.log(a, 10), (1,)),
    "log2": (lambda a: sp.log(a, 2), (1,)),
    "root": (sp.root, (2,)),
    "abs": (sp.Abs, (1,)),
    "Abs": (sp.Abs, (1,)),
    "ceil": (sp.ceiling, (1,)),
    "heaviside": (sp.Heaviside, (1,)),
    "max": (sp.Max, None),
    "min": (sp.Min, None),
    "sigmoid": (_sigmoid, (1,)),
    "relu": (lambda a: sp.Max(0, a), (1,)),
    "softplus": (lambda a: sp.log(1 + sp.exp(a)), (1,)),
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E, "e": sp.E}
RESERVED = {
    "I": "complex numbers are not supported (numdiff works with real numbers)",
    "oo": "infinity is not a value numdiff can work with",
    "inf": "infinity is not a value numdiff can work with",
    "nan": "nan is not a value numdiff can work with",
}
# Functions whose exact value sympy computes digit by digit for an integer argument.
EXACT_GROWTH = {sp.factorial, sp.gamma}
