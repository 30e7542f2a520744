"""The result of ``--derivation``: a derivative worked out rule by rule, as a tree of steps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from numdiff_cli.results import Displayed

DEFAULT_DEPTH = 6  # levels of the tree shown before it folds (--depth)


class Rule(StrEnum):
    """The rule one step applies. Codes are only ever added, never renamed: the README lists them."""

    CONSTANT = "constant"  # (c)′ = 0, also for a variable held fixed in a partial derivative
    VARIABLE = "variable"  # (x)′ = 1
    POWER = "power"  # (xⁿ)′ = n·xⁿ⁻¹
    ROOT = "root"  # (√x)′ = 1/(2√x), any n-th root
    SUM = "sum"  # (u + v)′ = u′ + v′
    DIFFERENCE = "difference"  # a sum with a term subtracted: (u − v)′ = u′ − v′
    CONSTANT_MULTIPLE = "constant_multiple"  # (c·u)′ = c·u′
    PRODUCT = "product"  # (u·v)′ = u′·v + u·v′
    QUOTIENT = "quotient"  # (u/v)′ = (u′·v − u·v′)/v²
    CHAIN = "chain"  # (f(u))′ = f′(u)·u′
    EXPONENTIAL = "exponential"  # (eˣ)′ = eˣ, (aˣ)′ = aˣ·ln(a)
    LOGARITHM = "logarithm"  # (ln x)′ = 1/x
    TRIGONOMETRIC = "trigonometric"
    INVERSE_TRIGONOMETRIC = "inverse_trigonometric"
    HYPERBOLIC = "hyperbolic"
    INVERSE_HYPERBOLIC = "inverse_hyperbolic"
    ABSOLUTE_VALUE = "absolute_value"  # |x|′ = sign(x), away from 0
    GENERAL_POWER = "general_power"  # f^g by logarithmic differentiation
    SIGMOID = "sigmoid"  # σ′ = σ·(1 − σ)
    RELU = "relu"  # relu′ = Heaviside
    SOFTPLUS = "softplus"  # softplus′ = σ
    SYMPY = "sympy"  # no rule of numdiff's covers this step: sympy's derivative, marked so


@dataclass(frozen=True)
class Step:
    """One step: the ``rule`` applied to ``expression`` (differentiated by ``variable``) gives ``result``.

    ``formula`` states the rule in general (``(u·v)′ = u′·v + u·v′``), where it is more than
    the step itself; ``assembled`` is that formula with this step's parts put in, before they
    are multiplied out (``cos(x**2)*(2*x)``); ``where`` binds the rule's letters here (``u = x**2``); ``children`` are the
    steps the rule calls for, in the order they are shown. A step derived again later has a
    ``label``; the repeat says ``see`` that label instead of repeating its children.
    """

    rule: Rule
    expression: str
    variable: str
    result: str
    formula: str | None = None
    where: tuple[tuple[str, str], ...] = ()
    children: tuple[Step, ...] = ()
    label: int | None = None
    see: int | None = None
    assembled: str | None = None

    @property
    def size(self) -> int:
        """The steps in this part of the tree, itself included."""
        return 1 + sum(child.size for child in self.children)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule.value,
            "expression": self.expression,
            "variable": self.variable,
            "result": self.result,
            "formula": self.formula,
            "assembled": self.assembled,
            "where": dict(self.where),
            "label": self.label,
            "see": self.see,
            "children": [child.to_dict() for child in self.children],
        }


@dataclass(frozen=True)
class Derivation(Displayed):
    """The ``order``-th derivative of ``expression`` in ``variable``, one tree of steps per order.

    Tree k differentiates the result of tree k − 1 (the first, the expression). ``derivative``
    is the last result simplified; ``sympy_form`` is the same derivative as sympy writes it,
    which the table shows. The trees show ``depth`` levels and fold below (the JSON has all).
    """

    expression: str
    variable: str
    order: int
    partial: bool
    trees: tuple[Step, ...]
    derivative: str
    sympy_form: str
    depth: int = DEFAULT_DEPTH

    failure = None  # a derivation either is made or raises

    @property
    def by_sympy(self) -> bool:
        """Whether some step is sympy's, where no rule of numdiff's applies."""

        def any_sympy(step: Step) -> bool:
            return step.rule == Rule.SYMPY or any(any_sympy(child) for child in step.children)

        return any(any_sympy(tree) for tree in self.trees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variable": self.variable,
            "order": self.order,
            "steps": [tree.to_dict() for tree in self.trees],
            "derivative": self.derivative,
            "sympy_form": self.sympy_form,
        }
