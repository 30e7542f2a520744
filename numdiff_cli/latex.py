"""Formulas as LaTeX math, by sympy's printer: a derivative, a gradient's partials, a function.

Each function takes sympy objects (parsed by the safe parser) and returns math-mode text
without delimiters, ready for ``\\[ … \\]`` or ``$ … $``.
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp


def derivative(expr: sp.Expr, variable: sp.Symbol, result: sp.Expr, order: int = 1) -> str:
    r"""``\frac{d}{d x} x^{2} = 2 x``; ∂ where ``expr`` has other variables (a partial derivative).

    >>> x = sp.Symbol("x")
    >>> derivative(x**2, x, 2 * x)
    '\\frac{d}{d x} x^{2} = 2 x'
    """
    return f"{sp.latex(sp.Derivative(expr, (variable, order)))} = {sp.latex(result)}"


def function(expr: sp.Expr, variables: Sequence[sp.Symbol], name: str = "f") -> str:
    r"""``f{\left(x_{0},x_{1} \right)} = x_{0}^{2} + x_{1}^{2}``: the function with its arguments."""
    return f"{sp.latex(sp.Function(name)(*variables))} = {sp.latex(expr)}" if variables else f"{name} = {sp.latex(expr)}"
