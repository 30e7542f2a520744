"""The last line of a derivation: the derivative in a short form that keeps the forms a reader knows.

sympy's ``simplify`` would rewrite them (1 − tanh² becomes 1/cosh², σ·(1 − σ) becomes σ − σ²,
sign(u) a Piecewise); here the candidates are only the derivative as it is, with its common
factors taken out, and as one fraction with numerator and denominator factored, while the
derivatives written in their own function (1 − σ(u), 1 − tanh(u)², 1 + tan(u)², ...) are
held whole.
"""

from __future__ import annotations

import sympy as sp

from numdiff_cli.errors import LimitError
from numdiff_cli.rule_table import sigmoid
from numdiff_cli.timeout import time_limit

TIDY_SECONDS = 2.0  # for tidying; past it, the derivative is shown as derived


def tidy(expr: sp.Expr) -> sp.Expr:
    """``expr`` in the shortest of its candidate forms (the first where several are as short).

    Examples
    --------
    >>> x = sp.Symbol("x")
    >>> tidy(sp.exp(x) * sp.sin(x) + sp.exp(x) * sp.cos(x))
    (sin(x) + cos(x))*exp(x)
    >>> tidy(2 - 2 * sp.tanh(x) ** 2)
    2*(1 - tanh(x)**2)
    """
    held: dict[sp.Symbol, sp.Expr] = {}

    def hold(node: sp.Expr) -> sp.Expr:
        coefficient, form = sp.factor_terms(node).as_coeff_Mul()
        symbol = _symbol_for(form, held)
        held[symbol] = form
        return coefficient * symbol

    frozen = expr.replace(lambda node: node.is_Add and _known_form(sp.factor_terms(node).as_coeff_Mul()[1]), hold)
    candidates = [sp.factor_terms(frozen), frozen]
    if any(power.exp.is_negative for power in frozen.atoms(sp.Pow)):  # fractions to bring together
        try:
            with time_limit(TIDY_SECONDS, "simplifying the derivative"):
                numerator, denominator = sp.fraction(sp.together(frozen))
                candidates.insert(0, sp.factor(numerator) / sp.factor(denominator))
        except (LimitError, sp.PolynomialError, ValueError, TypeError):  # too slow, or not factorable
            pass
    restored = min(candidates, key=_weight).xreplace(held)
    coefficient, form = sp.factor_terms(restored).as_coeff_Mul()
    if restored.is_Add and coefficient != 1 and _known_form(form):  # sympy multiplies 2*(1 - tanh(x)**2) out
        return sp.Mul(coefficient, form, evaluate=False)
    return restored


def _symbol_for(form: sp.Expr, held: dict[sp.Symbol, sp.Expr]) -> sp.Symbol:
    """The stand-in of ``form``: the one it has already, or a new one."""
    known = next((symbol for symbol, value in held.items() if value == form), None)
    return known if known is not None else sp.Dummy(f"held{len(held)}")


def _known_form(form: sp.Expr) -> bool:
    """Whether ``form`` is 1 − σ(u), 1 − tanh(u)², 1 − coth(u)², 1 + tan(u)² or 1 + cot(u)²: the
    derivatives of σ, tanh, coth, tan and cot (up to a sign) in terms of the function itself."""
    if not (form.is_Add and len(form.args) == 2 and sp.S.One in form.args):
        return False
    other = form - 1
    minus = other.could_extract_minus_sign()
    base, power = (-other if minus else other).as_base_exp()
    if minus:
        return (isinstance(base, sigmoid) and power == 1) or (isinstance(base, (sp.tanh, sp.coth)) and power == 2)
    return isinstance(base, (sp.tan, sp.cot)) and power == 2


def _weight(expr: sp.Expr) -> int:
    """How long ``expr`` reads: its operations, each division counted twice (a fraction inside a
    fraction reads worse than a longer numerator)."""
    counts = sp.count_ops(expr, visual=True).as_coefficients_dict()  # {DIV: 2, MUL: 3, ...}
    return sum(int(n) * (2 if op.name == "DIV" else 1) for op, n in counts.items() if op.is_Symbol)
