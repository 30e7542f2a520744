"""The result of ``numdiff diff --explain``: the arithmetic of each numerical derivative, step by step.

Every number is the double the method itself computed with (a test checks that the
explained result equals the ``diff`` table's value); the exact figures (the derivative, the
truncation term) come from sympy. Codes stand beside the sentences in ``summary``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from numdiff_cli.results import Displayed, finite_or_none, vector_or_none, where


class Verdict(StrEnum):
    """What sets a stencil's error at the step used."""

    STEP_LOST = "step_lost"  # x + h == x: every value is f(x) and the result is 0
    TRUNCATION = "truncation"  # the truncation term outweighs the rounding estimate
    ROUNDING = "rounding"  # the rounding estimate outweighs the truncation term
    NOT_FINITE = "not_finite"  # a value of the stencil is not finite


@dataclass(frozen=True)
class Term:
    """One point of the stencil: ``weight`` times f at ``point`` = x + ``offset``·h, as evaluated."""

    offset: int
    weight: int
    point: float
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {"offset": self.offset, "weight": self.weight, "point": finite_or_none(self.point),
                "value": finite_or_none(self.value)}


@dataclass(frozen=True)
class Difference:
    """``weight`` × (f(x + minuend·h) − f(x + subtrahend·h)): one subtraction of the sum.

    ``digits_lost`` is how many leading significant digits the two values share, which the
    subtraction removes (⌊log10(max(|a|, |b|) / |a − b|)⌋; all of them, ``of``, where a = b);
    None where a value is not finite.
    """

    minuend_offset: int
    subtrahend_offset: int
    minuend: float
    subtrahend: float
    value: float
    weight: int
    term: float  # weight × value, the signed contribution to the sum
    digits_lost: int | None
    of: int  # significant decimal digits the floating-point format holds

    def to_dict(self) -> dict[str, Any]:
        return {"minuend_offset": self.minuend_offset, "subtrahend_offset": self.subtrahend_offset,
                "minuend": finite_or_none(self.minuend), "subtrahend": finite_or_none(self.subtrahend),
                "value": finite_or_none(self.value), "weight": self.weight, "term": finite_or_none(self.term),
                "digits_lost": self.digits_lost, "of_digits": self.of}


@dataclass(frozen=True)
class Truncation:
    """The leading term of the formula's error, ``coefficient``·h^``power``·f^(``derivative_order``)(x),
    evaluated exactly (``exact`` as text, ``value`` as the nearest double); None values where sympy
    cannot evaluate that derivative at x."""

    formula: str
    coefficient: str
    power: int
    derivative_order: int
    derivative_value: float | None
    value: float | None
    exact: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"formula": self.formula, "coefficient": self.coefficient, "power": self.power,
                "derivative_order": self.derivative_order, "derivative_value": finite_or_none(self.derivative_value),
                "value": finite_or_none(self.value), "exact": self.exact}


@dataclass(frozen=True)
class Rounding:
    """The rounding estimate ε·|f|/h^order: ``eps`` of the dtype, ``f`` the largest |value| used."""

    eps: float
    f: float
    value: float

    def to_dict(self) -> dict[str, Any]:
        return {"eps": self.eps, "f": finite_or_none(self.f), "value": finite_or_none(self.value)}


@dataclass(frozen=True)
class Halving:
    """The same formula at h, h/2 and h/4: values, errors against the exact value, and the observed
    order log2(error(h) / error(h/2)) of each halving (None where an error is 0 or unknown)."""

    steps: tuple[float, ...]
    values: tuple[float, ...]
    abs_errors: tuple[float | None, ...]
    orders: tuple[float | None, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"h": list(self.steps), "value": vector_or_none(self.values),
                "abs_error": vector_or_none(self.abs_errors), "observed_order": vector_or_none(self.orders)}


@dataclass(frozen=True)
class StencilExplanation:
    """A fixed-step finite difference worked through: sum of weight × difference, divided by
    ``denominator`` = divisor·h^order, gives ``value``."""

    method: str
    formula: str  # the estimate as a person writes it: (f(x+h) − f(x−h)) / 2h
    order: int
    accuracy: int
    offsets: tuple[int, ...]
    weights: tuple[int, ...]
    divisor: int
    h: float
    step_taken: float  # (x + h) − x in the dtype: the step the points are really apart
    terms: tuple[Term, ...]
    differences: tuple[Difference, ...]
    total: float
    denominator: float
    value: float
    error: float | None  # value − exact
    truncation: Truncation
    rounding: Rounding
    halving: Halving
    verdict: Verdict
    summary: tuple[str, ...]
    kind: str = "stencil"

    @property
    def step_lost(self) -> bool:
        return self.step_taken == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "kind": self.kind, "formula": self.formula, "h": self.h, "step_taken": self.step_taken,
            "step_lost": self.step_lost,
            "stencil": {"offsets": list(self.offsets), "weights": list(self.weights), "divisor": self.divisor,
                        "order": self.order, "accuracy": self.accuracy},
            "terms": [t.to_dict() for t in self.terms],
            "differences": [d.to_dict() for d in self.differences],
            "sum": finite_or_none(self.total), "denominator": self.denominator, "value": finite_or_none(self.value),
            "error": finite_or_none(self.error),
            "truncation": self.truncation.to_dict(), "rounding": self.rounding.to_dict(),
            "halving": self.halving.to_dict(), "verdict": self.verdict.value, "summary": list(self.summary),
        }


@dataclass(frozen=True)
class ComplexStepExplanation:
    """f'(x) ≈ Im f(x + ih) / h: one complex evaluation, no subtraction; ``check`` the same at
    ``check_h``, whose agreement is the method's error estimate."""

    method: str
    h: float
    x: float
    value_real: float
    value_imag: float
    value: float
    check_h: float
    check: float
    error: float | None
    truncation: Truncation
    rounding: Rounding
    summary: tuple[str, ...]
    kind: str = "complex_step"

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "kind": self.kind, "h": self.h, "x": self.x,
                "f_real": finite_or_none(self.value_real), "f_imag": finite_or_none(self.value_imag),
                "value": finite_or_none(self.value), "check_h": self.check_h, "check": finite_or_none(self.check),
                "error": finite_or_none(self.error), "truncation": self.truncation.to_dict(),
                "rounding": self.rounding.to_dict(), "summary": list(self.summary)}


@dataclass(frozen=True)
class TableauRow:
    """One row of Richardson's tableau: the central difference at ``h``, the row's most
    extrapolated entry T[i][i] with its change from the row above, and the row's entries in the
    columns the answer T[r][j] is made of: ``neighbour`` T[i][j−1] and ``entry`` T[i][j] (None
    where the row is shorter), with the error estimate the method gives ``entry``: the larger of
    its distance to T[i][j−1] and T[i−1][j−1] and ``rounding``, the rounding error in the row's
    central difference."""

    row: int  # i in T[i][j]
    h: float
    central: float
    extrapolated: float
    change: float | None
    neighbour: float | None = None
    entry: float | None = None
    entry_estimate: float | None = None
    rounding: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"row": self.row, "h": self.h, "central": finite_or_none(self.central),
                "extrapolated": finite_or_none(self.extrapolated), "change": finite_or_none(self.change),
                "neighbour": finite_or_none(self.neighbour), "entry": finite_or_none(self.entry),
                "entry_estimate": finite_or_none(self.entry_estimate), "rounding": finite_or_none(self.rounding)}


@dataclass(frozen=True)
class RichardsonExplanation:
    """Ridders' tableau for the starting step the answer came from; ``chosen`` indexes the row
    whose entry is the answer (the one whose neighbours agree best)."""

    method: str
    shrink: float
    start: float
    rows: tuple[TableauRow, ...]
    chosen: int | None
    column: int | None  # the answer is T[chosen][column]
    value: float
    error_estimate: float | None
    error: float | None
    summary: tuple[str, ...]
    distance: float | None = None  # the answer's distance to its neighbours T[r][j−1] and T[r−1][j−1]
    rounding: float | None = None  # the rounding error in the answer's row
    kind: str = "richardson"

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "kind": self.kind, "shrink": self.shrink, "start": self.start,
                "rows": [r.to_dict() for r in self.rows], "chosen_row": self.chosen, "chosen_column": self.column,
                "value": finite_or_none(self.value), "error_estimate": finite_or_none(self.error_estimate),
                "distance": finite_or_none(self.distance), "rounding": finite_or_none(self.rounding),
                "error": finite_or_none(self.error), "summary": list(self.summary)}


@dataclass(frozen=True)
class Circle:
    """The contour derivative from one circle of radius ``radius`` around x, and its own error estimate."""

    radius: float
    value: float
    error_estimate: float

    def to_dict(self) -> dict[str, Any]:
        return {"radius": self.radius, "value": finite_or_none(self.value),
                "error_estimate": finite_or_none(self.error_estimate)}


class WalkEnd(StrEnum):
    """Why the contour derivative used no larger circle."""

    CONTRADICTS = "contradicts"  # its value disagrees with the best so far: a singularity lies within it
    NOT_FINITE = "not_finite"  # f is not finite somewhere on it
    LAST = "last"  # it is the largest circle tried


@dataclass(frozen=True)
class ContourExplanation:
    """f⁽ⁿ⁾(x) ≈ n!/(M rⁿ) Σⱼ f(x + r ωʲ) ω^(−jn) on circles of growing radius; ``circles`` shows
    those around ``chosen`` (an index into it), the circle the answer came from, up to ``end``,
    the one where the walk outwards ended (an index into it, None if it lies beyond those shown)."""

    method: str
    order: int
    points: int  # M, values on each circle
    circles: tuple[Circle, ...]
    chosen: int | None
    end: int | None
    ended: WalkEnd
    value: float
    error_estimate: float
    error: float | None
    summary: tuple[str, ...]
    kind: str = "contour"

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "kind": self.kind, "order": self.order, "points": self.points,
                "circles": [c.to_dict() for c in self.circles], "chosen": self.chosen, "end": self.end,
                "ended": self.ended.value, "value": finite_or_none(self.value),
                "error_estimate": finite_or_none(self.error_estimate), "error": finite_or_none(self.error),
                "summary": list(self.summary)}


@dataclass(frozen=True)
class Skipped:
    """A method that does not apply here (the complex step on abs), and why."""

    method: str
    reason: str
    note: str
    kind: str = "skipped"

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "kind": self.kind, "reason": self.reason, "note": self.note}


def point_name(offset: int, variable: str = "x") -> str:
    """``f(x)``, ``f(x+h)``, ``f(x−2h)``: the value at x + offset·h, as a person writes it."""
    if offset == 0:
        return f"f({variable})"
    size = "" if abs(offset) == 1 else str(abs(offset))
    return f"f({variable}{'+' if offset > 0 else '−'}{size}h)"


Explanation = StencilExplanation | ComplexStepExplanation | ContourExplanation | RichardsonExplanation | Skipped


@dataclass(frozen=True)
class ExplainedPoint:
    """The explanations of each chosen method at one point, beside the exact derivative there."""

    at: dict[str, float]
    analytic: float | None
    methods: tuple[Explanation, ...]
    note: str | None = None
    typed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "at_typed": self.typed, "analytic": finite_or_none(self.analytic),
                "note": self.note, "methods": [m.to_dict() for m in self.methods]}


@dataclass(frozen=True)
class ExplainResult(Displayed):
    """``numdiff diff --explain``: how each numerical derivative was computed, at each point."""

    expression: str
    variable: str
    order: int
    derivative: str
    dtype: str
    points: tuple[ExplainedPoint, ...]

    @property
    def partial(self) -> bool:
        return any(len(point.at) > 1 for point in self.points)

    @property
    def failure(self) -> str | None:
        """Where the derivative does not exist, if anywhere."""
        missing = [where(p.at) for p in self.points if p.analytic is None]
        return f"the derivative does not exist at {'; '.join(missing)} (the output's note says why)" if missing else None

    def to_dict(self) -> dict[str, Any]:
        return {"expression": self.expression, "variable": self.variable, "order": self.order,
                "derivative": self.derivative, "dtype": self.dtype, "points": [p.to_dict() for p in self.points]}
