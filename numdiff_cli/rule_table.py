"""The derivative of each one-argument function numdiff knows, with the rule that gives it.

The parser writes sigmoid(u), softplus(u) and relu(u) out in terms of exp, log and Max, as
sympy knows them; :func:`recognise` finds those forms again and names them, so a derivation
can say σ′ = σ·(1 − σ) instead of ``exp(-x)/(1 + exp(-x))**2``, and :func:`written_out`
turns the names back into what sympy computes with.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from numdiff_cli.results.derivation import Rule


# Lower-case class names: sympy prints a function by its class name, and these read as typed.
class sigmoid(sp.Function):
    """σ(u) = 1/(1 + e^(−u)), the logistic function."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self * (1 - self)


class softplus(sp.Function):
    """softplus(u) = ln(1 + e^u), whose derivative is σ(u)."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sigmoid(self.args[0])


class relu(sp.Function):
    """relu(u) = max(0, u), whose derivative is the step H(u) away from 0."""

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return sp.Heaviside(self.args[0])


_WRITTEN_OUT: dict[type, Callable[[sp.Expr], sp.Expr]] = {
    sigmoid: lambda u: 1 / (1 + sp.exp(-u)),
    softplus: lambda u: sp.log(1 + sp.exp(u)),
    relu: lambda u: sp.Max(0, u),
}


def recognise(expr: sp.Expr) -> sp.Expr:
    """``expr`` with 1/(1 + e^(−u)) named sigmoid(u) (and its powers), ln(1 + e^u) softplus(u) and
    max(0, u) relu(u)."""

    def named(node: sp.Expr) -> sp.Expr | None:
        # 1/(1 + e^(−u))^n is σ(u)^n (sympy writes σ(u)² so); 1/(1 + e^u) is left as it is.
        if node.is_Pow and node.exp.is_Integer and node.exp < 0 and _one_plus_exp(node.base) is not None:
            power = _one_plus_exp(node.base)
            if power.could_extract_minus_sign():
                return sigmoid(-power) ** -node.exp
        if isinstance(node, sp.log) and len(node.args) == 1 and _one_plus_exp(node.args[0]) is not None:
            return softplus(_one_plus_exp(node.args[0]))
        if isinstance(node, sp.Max) and len(node.args) == 2 and sp.S.Zero in node.args:
            return relu(next(a for a in node.args if a != 0))
        return None

    return expr.replace(lambda node: named(node) is not None, named)


def _one_plus_exp(expr: sp.Expr) -> sp.Expr | None:
    """u where ``expr`` is 1 + e^u, else None."""
    if expr.is_Add and len(expr.args) == 2 and sp.S.One in expr.args:
        other = next(a for a in expr.args if a != 1)
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def written_out(expr: sp.Expr) -> sp.Expr:
    """``expr`` with sigmoid, softplus and relu written as exp, log and Max again."""
    return expr.replace(lambda node: type(node) in _WRITTEN_OUT, lambda node: _WRITTEN_OUT[type(node)](*node.args))


# Each function of one argument: its rule and its derivative at u. The forms are sympy's own
# where sympy has one (tan′ = 1 + tan², acosh′ = 1/(√(u − 1)·√(u + 1))), so the last line of a
# derivation reads like the table's f′.
ELEMENTARY: dict[type, tuple[Rule, Callable[[sp.Expr], sp.Expr]]] = {
    sp.exp: (Rule.EXPONENTIAL, sp.exp),
    sp.log: (Rule.LOGARITHM, lambda u: 1 / u),
    sp.sin: (Rule.TRIGONOMETRIC, sp.cos),
    sp.cos: (Rule.TRIGONOMETRIC, lambda u: -sp.sin(u)),
    sp.tan: (Rule.TRIGONOMETRIC, lambda u: 1 + sp.tan(u) ** 2),
    sp.cot: (Rule.TRIGONOMETRIC, lambda u: -1 - sp.cot(u) ** 2),
    sp.sec: (Rule.TRIGONOMETRIC, lambda u: sp.sec(u) * sp.tan(u)),
    sp.csc: (Rule.TRIGONOMETRIC, lambda u: -sp.csc(u) * sp.cot(u)),
    sp.asin: (Rule.INVERSE_TRIGONOMETRIC, lambda u: 1 / sp.sqrt(1 - u**2)),
    sp.acos: (Rule.INVERSE_TRIGONOMETRIC, lambda u: -1 / sp.sqrt(1 - u**2)),
    sp.atan: (Rule.INVERSE_TRIGONOMETRIC, lambda u: 1 / (1 + u**2)),
    sp.acot: (Rule.INVERSE_TRIGONOMETRIC, lambda u: -1 / (1 + u**2)),
    sp.asec: (Rule.INVERSE_TRIGONOMETRIC, lambda u: 1 / (u**2 * sp.sqrt(1 - 1 / u**2))),
    sp.acsc: (Rule.INVERSE_TRIGONOMETRIC, lambda u: -1 / (u**2 * sp.sqrt(1 - 1 / u**2))),
    sp.sinh: (Rule.HYPERBOLIC, sp.cosh),
    sp.cosh: (Rule.HYPERBOLIC, sp.sinh),
    sp.tanh: (Rule.HYPERBOLIC, lambda u: 1 - sp.tanh(u) ** 2),
    sp.coth: (Rule.HYPERBOLIC, lambda u: 1 - sp.coth(u) ** 2),
    sp.sech: (Rule.HYPERBOLIC, lambda u: -sp.sech(u) * sp.tanh(u)),
    sp.csch: (Rule.HYPERBOLIC, lambda u: -sp.csch(u) * sp.coth(u)),
    sp.asinh: (Rule.INVERSE_HYPERBOLIC, lambda u: 1 / sp.sqrt(u**2 + 1)),
    sp.acosh: (Rule.INVERSE_HYPERBOLIC, lambda u: 1 / (sp.sqrt(u - 1) * sp.sqrt(u + 1))),
    sp.atanh: (Rule.INVERSE_HYPERBOLIC, lambda u: 1 / (1 - u**2)),
    sp.acoth: (Rule.INVERSE_HYPERBOLIC, lambda u: 1 / (1 - u**2)),
    sp.asech: (Rule.INVERSE_HYPERBOLIC, lambda u: -1 / (u * sp.sqrt(1 - u**2))),
    sp.acsch: (Rule.INVERSE_HYPERBOLIC, lambda u: -1 / (u**2 * sp.sqrt(1 + 1 / u**2))),
    sp.Abs: (Rule.ABSOLUTE_VALUE, sp.sign),
    sigmoid: (Rule.SIGMOID, lambda u: sigmoid(u) * (1 - sigmoid(u))),
    softplus: (Rule.SOFTPLUS, sigmoid),
    relu: (Rule.RELU, sp.Heaviside),
}

# The rule in general, where the step's own line is not already its statement.
FORMULAS: dict[Rule, str] = {
    Rule.CONSTANT_MULTIPLE: "(c·u)′ = c·u′",
    Rule.QUOTIENT: "(u/v)′ = (u′·v − u·v′)/v²",
    Rule.CHAIN: "(f(u))′ = f′(u)·u′",
    Rule.GENERAL_POWER: "(f^g)′ = f^g·(g·ln f)′, from ln(f^g) = g·ln f",
    Rule.ABSOLUTE_VALUE: "|u|′ = sign(u), for u ≠ 0",
    Rule.SIGMOID: "σ(u) = 1/(1 + e⁻ᵘ), σ′ = σ·(1 − σ)",
    Rule.SOFTPLUS: "softplus(u) = ln(1 + eᵘ), softplus′ = σ",
    Rule.RELU: "relu(u) = max(0, u), relu′ = 1 for u > 0, 0 for u < 0",
}
POWER_OF_CONSTANT = "(aᵘ)′ = aᵘ·ln a"  # the exponential rule for a base other than e
