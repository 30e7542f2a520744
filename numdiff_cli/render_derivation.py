"""The view of ``--derivation``: the derivative as a tree of rules, folded below ``depth``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text
from rich.tree import Tree

from numdiff_cli.render_diff import _operator, _prime
from numdiff_cli.results.derivation import Rule

if TYPE_CHECKING:
    from numdiff_cli.results.derivation import Derivation, Step

_SIMPLE = re.compile(r"[\w.]+(\*\*[\w.]+)?")  # a name or number, or one to a power: x, 2.5, x**2
_CALL = re.compile(r"\w+(\(.*\))")  # a function applied: sin(x**2)
ASSEMBLED_MOST = 160  # characters of a step's rule with its parts put in that the tree shows (--json has all)
RULE = "cyan"
FORMULA = "dim"
REFERENCE = "magenta"

# How each rule is named beside its step.
NAMES: dict[Rule, str] = {
    Rule.CONSTANT: "constant rule",
    Rule.VARIABLE: "variable rule",
    Rule.POWER: "power rule",
    Rule.ROOT: "root rule",
    Rule.SUM: "sum rule",
    Rule.DIFFERENCE: "difference rule",
    Rule.CONSTANT_MULTIPLE: "constant multiple rule",
    Rule.PRODUCT: "product rule",
    Rule.QUOTIENT: "quotient rule",
    Rule.CHAIN: "chain rule",
    Rule.EXPONENTIAL: "exponential rule",
    Rule.LOGARITHM: "logarithm rule",
    Rule.TRIGONOMETRIC: "trigonometric rule",
    Rule.INVERSE_TRIGONOMETRIC: "inverse trigonometric rule",
    Rule.HYPERBOLIC: "hyperbolic rule",
    Rule.INVERSE_HYPERBOLIC: "inverse hyperbolic rule",
    Rule.ABSOLUTE_VALUE: "absolute value rule",
    Rule.GENERAL_POWER: "logarithmic differentiation",
    Rule.SIGMOID: "sigmoid rule",
    Rule.RELU: "relu rule",
    Rule.SOFTPLUS: "softplus rule",
    Rule.SYMPY: "by sympy",
}


def mark(label: int) -> str:
    """①, ②, … ⑳, then (21), (22), …"""
    return chr(0x2460 + label - 1) if label <= 20 else f"({label})"


def derivation_view(derivation: Derivation, *, beside_table: bool = False) -> RenderableType:
    """Each tree of steps, then the derivative simplified and, where sympy writes it otherwise, its form.

    ``beside_table`` says the table that follows shows sympy's form as f′.
    """
    shown = _shown_labels(derivation)
    prime = _prime(derivation)
    steps = " (one tree for each derivative taken)" if derivation.order > 1 else ""
    parts: list[RenderableType] = [Text(f"{prime}, rule by rule{steps}:", style="bold")]
    parts.extend(_tree(tree, derivation, shown) for tree in derivation.trees)
    parts.append(Text.assemble((f"{prime} = ", "bold"), derivation.derivative))
    if derivation.sympy_form != derivation.derivative:
        said = f"the table's {prime} is the same derivative as sympy writes it" if beside_table else "sympy writes it"
        parts.append(Text(f"{said}: {derivation.sympy_form}", style=FORMULA))
    return Group(*parts, Text("")) if beside_table else Group(*parts)


def _tree(root: Step, derivation: Derivation, shown: set[int]) -> Tree:
    tree = Tree(_line(root, derivation, shown), guide_style="dim")
    _grow(tree, root, derivation, shown, 1)
    return tree


def _grow(branch: Tree, step: Step, derivation: Derivation, shown: set[int], level: int) -> None:
    if not step.children:
        return
    if level > derivation.depth:
        hidden = step.size - 1
        more = "step" if hidden == 1 else "steps"
        branch.add(Text(f"… {hidden} more {more} (--depth {_depth_showing(step, level)} shows them)", style=FORMULA))
        return
    for child in step.children:
        _grow(branch.add(_line(child, derivation, shown)), child, derivation, shown, level + 1)


def _depth_showing(step: Step, level: int) -> int:
    """The --depth that unfolds every step below ``step``, which sits at ``level``."""

    def height(s: Step) -> int:
        return 1 + max((height(c) for c in s.children), default=0)

    return level + height(step) - 2


def _line(step: Step, derivation: Derivation, shown: set[int]) -> Text:
    """``① d/dx sin(x**2) = 2*x*cos(x**2)  chain rule`` and, under it, the rule in general and its names."""
    d = _operator(step.variable, 1, derivation.partial and step.variable == derivation.variable)
    text = Text()
    if step.label is not None:
        text.append(f"{mark(step.label)} ", style=REFERENCE)
    text.append(f"{d} {_grouped(step.expression)} = ")
    if step.assembled not in (None, step.result) and len(step.assembled) <= ASSEMBLED_MOST and step.see is None:
        text.append(f"{step.assembled} = ")
    text.append(step.result)
    text.append(f"  {NAMES[step.rule]}", style=RULE)
    if step.see is not None:
        where = f"see {mark(step.see)}" if step.see in shown else "derived above, in a folded step"
        text.append(f" ({where})", style=REFERENCE)
        return text
    details = [step.formula] if step.formula else []
    details += [f"{name} = {value}" for name, value in step.where]
    if details:
        text.append("\n" + ", ".join(details), style=FORMULA)
    return text


def _grouped(expression: str) -> str:
    """``expression`` in brackets where ``d/dx`` would otherwise apply to its first term only:
    ``d/dx (x**2 + 1)``, but ``d/dx x**2`` and ``d/dx sin(x)``."""
    if _SIMPLE.fullmatch(expression):
        return expression
    call = _CALL.fullmatch(expression)
    if call and _closes_at_end(call.group(1)):
        return expression
    return f"({expression})"


def _closes_at_end(text: str) -> bool:
    """Whether the bracket opening ``text`` closes at its last character only."""
    depth = 0
    for i, char in enumerate(text):
        depth += (char == "(") - (char == ")")
        if depth == 0:
            return i == len(text) - 1
    return False


def _shown_labels(derivation: Derivation) -> set[int]:
    """The labels of the steps the folded trees still show."""
    labels: set[int] = set()

    def visit(step: Step, level: int) -> None:  # level: 0 for a tree's root
        if step.label is not None:
            labels.add(step.label)
        if level < derivation.depth:
            for child in step.children:
                visit(child, level + 1)

    for tree in derivation.trees:
        visit(tree, 0)
    return labels
