"""A derivative worked out rule by rule, as a student would: sum, product, quotient, chain, ...

The walk applies the rules itself to the parsed expression, node by node; sympy only does the
arithmetic that combines the pieces. Where no rule covers a node (erf, gamma, floor, a
piecewise max), that node's derivative is sympy's, marked :attr:`Rule.SYMPY`. A sub-expression
differentiated a second time is not worked out again: the repeat refers to the first.

sympy has no division or subtraction node (x/y is x·y⁻¹, x − y is x + (−1)·y), so a product
with factors to negative powers is shown by the quotient rule, a sum with negative terms by
the difference rule, and a constant factor is taken out before the product rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import sympy as sp

from numdiff_cli import symbolic
from numdiff_cli.errors import LimitError, UsageError, brief
from numdiff_cli.parsing import MAX_DEPTH, nesting_depth
from numdiff_cli.results.derivation import DEFAULT_DEPTH, Derivation, Rule, Step
from numdiff_cli.rule_table import ELEMENTARY, FORMULAS, POWER_OF_CONSTANT, recognise
from numdiff_cli.tidy import tidy
from numdiff_cli.timeout import time_limit

_Function = Callable[[sp.Expr], sp.Expr]
_LETTERS = ("u", "v", "w", "t", "s", "r", "q", "p")  # for the inner function of a chain


@dataclass(frozen=True)
class _Node:
    """A step with its expressions still sympy's; a ``repeat`` stands for an earlier step."""

    rule: Rule
    expression: sp.Expr
    variable: sp.Symbol
    result: sp.Expr
    formula: str | None = None
    where: tuple[tuple[str, sp.Expr], ...] = ()
    children: tuple[_Node, ...] = ()
    repeat: bool = False
    assembled: str | None = None  # the formula with this step's parts put in: cos(x**2)*(2*x)


def derivation(
    expr: sp.Expr,
    variable: sp.Symbol,
    *,
    order: int = 1,
    partial: bool = False,
    sympy_form: sp.Expr | None = None,
    depth: int = DEFAULT_DEPTH,
) -> Derivation:
    """The ``order``-th derivative of ``expr`` in ``variable``, rule by rule: one tree per order.

    ``sympy_form`` is the same derivative as the table shows it (sympy's, computed here when
    not given); ``partial`` says the expression has other variables, held constant;
    ``depth`` is how many levels the rendered trees show.

    Raises
    ------
    UsageError
        For a ``depth`` that is not a whole number of at least 1.
    LimitError
        Where the work takes longer than :data:`~numdiff_cli.symbolic.SYMBOLIC_SECONDS`, or an
        expression to differentiate is nested deeper than :data:`~numdiff_cli.parsing.MAX_DEPTH`.
    MathError
        Where sympy cannot differentiate a node no rule covers.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> done = derivation(sp.sin(x**2), x)
    >>> done.trees[0].rule.value, done.derivative
    ('chain', '2*x*cos(x**2)')
    """
    if isinstance(depth, bool) or not isinstance(depth, int) or depth < 1:
        raise UsageError("{depth} must be a whole number of levels, 1 or more, not {value!r}", parameter="depth", value=depth)
    if sympy_form is None:
        sympy_form = symbolic.derivative(expr, variable, order)
    trees = []
    current = recognise(expr)
    with time_limit(symbolic.SYMBOLIC_SECONDS, "working out the derivative rule by rule"):
        for taken in range(order):
            nested = nesting_depth(current)
            if nested > MAX_DEPTH:
                what = f"derivative {taken} of {brief(expr)}" if taken else brief(expr)
                raise LimitError(f"{what} is nested {nested} operations deep; the limit is {MAX_DEPTH}")
            tree, result = derive(current, variable, first_label=1 + sum(map(_labels, trees)))
            trees.append(tree)
            current = tidy(result)
    return Derivation(
        expression=symbolic.text(expr),
        variable=variable.name,
        order=order,
        partial=partial,
        trees=tuple(trees),
        derivative=symbolic.text(current),
        sympy_form=symbolic.text(sympy_form),
        depth=depth,
    )


def derive(expr: sp.Expr, variable: sp.Symbol, *, first_label: int = 1) -> tuple[Step, sp.Expr]:
    """The tree of steps that differentiates ``expr`` in ``variable``, and the derivative it gives
    (sigmoid, softplus and relu by name, as :func:`~numdiff_cli.rule_table.recognise` finds
    them; :func:`~numdiff_cli.rule_table.written_out` writes them out). The steps referred to
    again are numbered from ``first_label``, so that the trees of one derivation never share a number."""
    node = _Walker(expr, variable).derive(expr)
    return _Labeller(node, first_label).step(node), node.result


def _labels(step: Step) -> int:
    """How many steps of this tree are numbered."""
    return (step.label is not None) + sum(map(_labels, step.children))


class _Walker:
    """Applies the rules to one expression, remembering what it has differentiated."""

    def __init__(self, expr: sp.Expr, variable: sp.Symbol) -> None:
        self.x = variable
        self.seen: dict[sp.Expr, _Node] = {}
        taken = {s.name for s in expr.free_symbols}
        name = next((letter for letter in _LETTERS if letter not in taken), "u_")
        self.u = sp.Symbol(name, real=True)

    def derive(self, expr: sp.Expr) -> _Node:
        if expr in self.seen:
            first = self.seen[expr]
            return replace(first, children=(), repeat=True) if first.children else first
        node = self._apply(expr)
        self.seen[expr] = node
        return node

    def _apply(self, expr: sp.Expr) -> _Node:
        x = self.x
        if not expr.has(x):
            held = ", ".join(sorted(s.name for s in expr.free_symbols))
            return _Node(Rule.CONSTANT, expr, x, sp.S.Zero, f"{held} held constant" if held else None)
        if expr == x:
            return _Node(Rule.VARIABLE, expr, x, sp.S.One)
        if expr.is_Add:
            return self._sum(expr)
        if expr.is_Mul:
            return self._product(expr)
        if expr.is_Pow:
            return self._power(expr)
        if isinstance(expr, sp.Abs) and not expr.args[0].is_extended_real:
            # |u|′ = sign(u)·u′ holds for real u only; |log(x)| is real for x < 0 too, where it is not.
            formula = f"|u|′ = sign(u)·u′ needs a real u, and {expr.args[0]} may not be: this step is sympy's"
            return _Node(Rule.SYMPY, expr, x, symbolic.derivative(expr, x), formula)
        if type(expr) in ELEMENTARY and len(expr.args) == 1:
            rule, derivative = ELEMENTARY[type(expr)]
            return self._outer(rule, expr, expr.args[0], expr.func, derivative, FORMULAS.get(rule))
        formula = f"numdiff has no rule for {expr.func}: this step is sympy's"
        if len(expr.args) == 1:  # erf(x**2): the chain rule still applies, with sympy's erf′

            def by_sympy(u: sp.Symbol) -> sp.Expr:
                return symbolic.derivative(expr.func(u), u)

            return self._outer(Rule.SYMPY, expr, expr.args[0], expr.func, by_sympy, formula)
        return _Node(Rule.SYMPY, expr, x, symbolic.derivative(expr, x), formula)

    def _outer(
        self, rule: Rule, expr: sp.Expr, inner: sp.Expr, function: _Function, derivative: _Function, formula: str | None
    ) -> _Node:
        """``expr`` = ``function(inner)``: the function's own rule where ``inner`` is x, else the chain rule."""
        if inner == self.x:
            return _Node(rule, expr, self.x, derivative(self.x), formula)
        u = self.u
        outside = _Node(rule, function(u), u, derivative(u), formula)
        inside = self.derive(inner)
        chain = f"(f({u}))′ = f′({u})·{u}′"
        at_inner = outside.result.xreplace({u: inner})
        return _Node(
            Rule.CHAIN, expr, self.x, at_inner * inside.result, chain, ((u.name, inner),), (outside, inside),
            assembled=_times(at_inner, inside.result),
        )

    def _power(self, expr: sp.Expr) -> _Node:
        base, exponent = expr.as_base_exp()
        if not exponent.has(self.x):
            root = exponent.is_Rational and exponent.p == 1 and exponent.q > 1
            rule = Rule.ROOT if root else Rule.POWER
            formula = _root_formula(exponent.q) if root else "(uⁿ)′ = n·uⁿ⁻¹"
            return self._outer(
                rule, expr, base, lambda b: b**exponent, lambda b: exponent * b ** (exponent - 1), formula
            )
        if not base.has(self.x):
            return self._outer(
                Rule.EXPONENTIAL, expr, exponent, lambda e: base**e, lambda e: base**e * sp.log(base),
                POWER_OF_CONSTANT,
            )
        # f^g with both depending on x: ln(f^g) = g·ln f, so (f^g)′ = f^g·(g·ln f)′.
        logarithm = self.derive(exponent * sp.log(base))
        where = (("f", base), ("g", exponent))
        formula = FORMULAS[Rule.GENERAL_POWER]
        return _Node(
            Rule.GENERAL_POWER, expr, self.x, tidy(expr * logarithm.result), formula, where, (logarithm,),
            assembled=_times(expr, logarithm.result),
        )

    def _sum(self, expr: sp.Expr) -> _Node:
        terms = expr.as_ordered_terms()
        negative = [t.could_extract_minus_sign() for t in terms]
        children = tuple(self.derive(-t if minus else t) for t, minus in zip(terms, negative))
        result = sp.Add(*(-c.result if minus else c.result for c, minus in zip(children, negative)))
        rule = Rule.DIFFERENCE if any(negative) else Rule.SUM
        signed = [("- " if minus else "+ ") + _term(c.result) for c, minus in zip(children, negative)]
        assembled = " ".join(signed).removeprefix("+ ").replace("- ", "-", 1 if negative[0] else 0)
        return _Node(rule, expr, self.x, result, _sum_formula(negative), (), children, assembled=assembled)

    def _product(self, expr: sp.Expr) -> _Node:
        factors = expr.as_ordered_factors()
        constant = sp.Mul(*(f for f in factors if not f.has(self.x)))
        varying = [f for f in factors if f.has(self.x)]
        if constant != 1:
            inside = self.derive(sp.Mul(*varying))
            where = (("c", constant),)
            formula = FORMULAS[Rule.CONSTANT_MULTIPLE]
            return _Node(
                Rule.CONSTANT_MULTIPLE, expr, self.x, constant * inside.result, formula, where, (inside,),
                assembled=_times(constant, inside.result),
            )
        below = [f for f in varying if f.is_Pow and f.exp.is_Number and f.exp.is_negative]
        above = [f for f in varying if f not in below]
        if below and above:
            u, v = sp.Mul(*above), sp.Mul(*(1 / f for f in below))
            du, dv = self.derive(u), self.derive(v)
            result = tidy((du.result * v - u * dv.result) / v**2)
            assembled = f"({_times(du.result, v)} - {_times(u, dv.result)})/{_base(v)}**2"
            return _Node(
                Rule.QUOTIENT, expr, self.x, result, FORMULAS[Rule.QUOTIENT], (("u", u), ("v", v)), (du, dv),
                assembled=assembled,
            )
        children = tuple(self.derive(f) for f in varying)
        terms = [[c.result if j == i else f for j, f in enumerate(varying)] for i, c in enumerate(children)]
        return _Node(
            Rule.PRODUCT, expr, self.x, tidy(sp.Add(*(sp.Mul(*t) for t in terms))), _product_formula(len(varying)), (),
            children, assembled=" + ".join(_times(*t) for t in terms),
        )


def _factor(expr: sp.Expr) -> str:
    """``expr`` as one factor of a product written out: in brackets unless it is a name, a number,
    a function's value or a power of one (``cos(x**2)*(2*x)``, ``x*(1/x)``)."""
    return symbolic.text(expr) if _plain(expr) else f"({symbolic.text(expr)})"


def _term(expr: sp.Expr) -> str:
    """``expr`` as one term of a sum written out: in brackets where it is a sum or negative."""
    text = symbolic.text(expr)
    return f"({text})" if expr.is_Add or text.startswith("-") else text


def _times(*factors: sp.Expr) -> str:
    """The product of ``factors`` as written, before sympy multiplies it out: ``cos(x**2)*(2*x)``."""
    return "*".join(_factor(f) for f in factors)


def _base(expr: sp.Expr) -> str:
    """``expr`` as the base of a power: in brackets unless it is a name, a number or a function's value."""
    atom = expr.is_Symbol or (expr.is_Number and expr >= 0) or isinstance(expr, sp.Function)
    return symbolic.text(expr) if atom else f"({symbolic.text(expr)})"


def _plain(expr: sp.Expr) -> bool:
    """Whether ``expr`` reads as one factor without brackets: x, 2, sin(x), x**2, sin(x)**2."""
    if expr.is_Pow:  # sympy writes a base that is not one factor in brackets: (x**2 + 1)**2
        return bool(expr.exp.is_Symbol or (expr.exp.is_Number and expr.exp > 0)) and not expr.base.is_Pow
    return bool(expr.is_Symbol or (expr.is_Number and expr >= 0 and expr.is_Integer) or isinstance(expr, sp.Function))


def _root_formula(n: int) -> str:
    if n == 2:
        return "(√u)′ = 1/(2·√u)"
    return f"(u^(1/{n}))′ = (1/{n})·u^(1/{n} − 1)"


def _sum_formula(negative: list[bool]) -> str:
    """``(u − v + w)′ = u′ − v′ + w′`` for the signs of the terms; with more terms, the rule in short."""
    if len(negative) > 3:
        return "(u ± v ± …)′ = u′ ± v′ ± …: term by term"

    def signed(prime: str) -> str:
        parts = []
        for i, (letter, minus) in enumerate(zip("uvw", negative)):
            sign = ("−" if minus else "") if i == 0 else ("− " if minus else "+ ")
            parts.append(sign + letter + prime)
        return " ".join(parts)

    return f"({signed('')})′ = {signed('′')}"


def _product_formula(count: int) -> str:
    """``(u·v)′ = u′·v + u·v′``, and for three factors its three terms; with more, the rule in short."""
    if count > 3:
        return "(u·v·…)′ = u′·v·… + u·v′·… + …: each factor's derivative times the others"
    letters = "uvw"[:count]
    terms = ("·".join(f"{m}′" if j == i else m for j, m in enumerate(letters)) for i in range(count))
    return f"({'·'.join(letters)})′ = {' + '.join(terms)}"


class _Labeller:
    """Turns nodes into steps, numbering each step that a later repeat refers to (in the order shown)."""

    def __init__(self, root: _Node, first: int) -> None:
        self.first = first
        self.repeated: set[tuple[sp.Expr, sp.Symbol]] = set()
        self.labels: dict[tuple[sp.Expr, sp.Symbol], int] = {}
        stack = [root]
        while stack:
            node = stack.pop()
            if node.repeat:
                self.repeated.add((node.expression, node.variable))
            stack.extend(node.children)

    def step(self, node: _Node) -> Step:
        key = (node.expression, node.variable)
        label = see = None
        if node.repeat:
            see = self.labels[key]
        elif key in self.repeated and key not in self.labels:
            label = self.labels[key] = len(self.labels) + self.first
        return Step(
            rule=node.rule,
            expression=symbolic.text(node.expression),
            variable=node.variable.name,
            result=symbolic.text(node.result),
            formula=node.formula,
            where=tuple((name, symbolic.text(value)) for name, value in node.where),
            children=tuple(self.step(child) for child in node.children),  # after the label: numbered as shown
            label=label,
            see=see,
            assembled=node.assembled,
        )

