"""The results of ``numdiff diff``: a derivative at points, and the step-size sweep."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from numdiff_cli.i18n import Message
from numdiff_cli.results import Displayed, at_text, finite_or_none, vector_or_none, where
from numdiff_cli.results.codes import Reason, RowStatus

if TYPE_CHECKING:
    from numdiff_cli.results.derivation import Derivation


@dataclass(frozen=True)
class NumericRow:
    """One numerical method's value at one point, with its error against the exact value.

    ``abs_error`` and ``rel_error`` are None where there is no exact value (or it is 0, for
    ``rel_error``); ``error_estimate`` is the method's own estimate, made without it.
    ``status`` and ``reason`` say in codes what ``note`` says in words.
    """

    method: str
    h: float | None
    value: float | None
    abs_error: float | None
    rel_error: float | None
    error_estimate: float | None
    note: str | None = None
    status: RowStatus = RowStatus.OK
    reason: Reason | None = None

    @property
    def correct_digits(self) -> float | None:
        """Significant digits that agree with the exact value (at most 16, for a double); all
        16 where the value is exact, even 0; None where the exact value is 0 and it is not."""
        if self.abs_error == 0:
            return 16.0
        if self.rel_error is None:
            return None
        return max(0.0, min(16.0, -math.log10(self.rel_error)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "h": finite_or_none(self.h),
            "value": finite_or_none(self.value),
            "abs_error": finite_or_none(self.abs_error),
            "rel_error": finite_or_none(self.rel_error),
            "error_estimate": finite_or_none(self.error_estimate),
            "note": self.note,
            "status": self.status.value,
            "reason": None if self.reason is None else self.reason.value,
        }


@dataclass(frozen=True)
class PointResult:
    """The exact derivative at one point (None where it does not exist, ``reason`` says why in
    a code and ``note`` in words) and the numeric rows."""

    at: dict[str, float]
    analytic: float | None
    numeric: tuple[NumericRow, ...]
    note: str | None = None
    reason: Reason | None = None
    recommended: str | None = None  # the method whose row to use, chosen by the rows' own estimates
    typed: dict[str, str] = field(default_factory=dict)  # coordinates typed as constants (pi/4), as text

    @property
    def recommendation(self) -> NumericRow | None:
        """The recommended row, if any."""
        return next((row for row in self.numeric if row.method == self.recommended), None)

    @property
    def best(self) -> NumericRow | None:
        """The row closest to the exact value, if one has at least one correct digit."""
        rows = [r for r in self.numeric if r.abs_error is not None and (r.correct_digits or 0) >= 1]
        return min(rows, key=lambda r: r.abs_error, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "at_typed": self.typed,
            "analytic": finite_or_none(self.analytic),
            "numeric": [row.to_dict() for row in self.numeric],
            "note": self.note,
            "reason": None if self.reason is None else self.reason.value,
            "recommended": None
            if (row := self.recommendation) is None
            else {"method": row.method, "value": row.value, "error_estimate": finite_or_none(row.error_estimate)},
        }


@dataclass(frozen=True)
class DiffResult(Displayed):
    """``numdiff diff``: a derivative of one expression, exact and numerical, at several points."""

    expression: str
    variable: str
    order: int
    derivative: str
    points: tuple[PointResult, ...]
    dtype: str = "float64"
    digits: int | None = None  # decimal digits of an arbitrary-precision evaluation
    derivation: Derivation | None = None  # the derivative rule by rule, where asked for

    @property
    def partial(self) -> bool:
        """Whether f has several variables, so that its derivative is a partial one."""
        return any(len(point.at) > 1 for point in self.points)

    @property
    def failure(self) -> str | None:
        """Where the derivative does not exist, if anywhere (each point's note says why)."""
        missing = [where(p.at) for p in self.points if p.reason is not None]
        if not missing:
            return None
        return Message("the derivative does not exist at {where} (the output's note says why)", where="; ".join(missing))

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variable": self.variable,
            "order": self.order,
            "derivative": self.derivative,
            "dtype": self.dtype,
            "precision": self.digits,
            "points": [point.to_dict() for point in self.points],
            **({} if self.derivation is None else {"derivation": self.derivation.to_dict()}),
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per point and method, for CSV."""
        return [
            {
                "expression": self.expression,
                "variable": self.variable,
                "order": self.order,
                "at": at_text(point.at),
                "analytic": finite_or_none(point.analytic),
                **row.to_dict(),
            }
            for point in self.points
            for row in point.numeric
        ]


@dataclass(frozen=True)
class SweepColumn:
    """One method's value and absolute error at every step of a sweep."""

    method: str
    accuracy: int  # the truncation error shrinks like h**accuracy
    values: tuple[float | None, ...]
    abs_errors: tuple[float | None, ...]
    best_h: float | None
    theoretical_h: float
    theoretical_error: float | None
    truncation_constant: float | None = None  # C in the truncation error C·h**accuracy, from f's exact derivative

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": vector_or_none(self.values),
            "abs_errors": vector_or_none(self.abs_errors),
            "best_h": self.best_h,
            "theoretical_h": self.theoretical_h,
            "theoretical_error": finite_or_none(self.theoretical_error),
            "truncation_constant": finite_or_none(self.truncation_constant),
        }


@dataclass(frozen=True)
class SweepResult(Displayed):
    """``numdiff diff --sweep``: the error against the step h, and why it has that shape."""

    expression: str
    variable: str
    order: int
    dtype: str
    at: dict[str, float]
    analytic: float
    steps: tuple[float, ...]
    columns: tuple[SweepColumn, ...]
    explanation: tuple[str, ...]
    value: float | None = None  # f at the point, for the rounding error ε·|f|/h**order
    epsilon: float | None = None  # the machine epsilon of dtype

    failure = None  # a sweep is only made where the derivative exists

    @property
    def partial(self) -> bool:
        """Whether f has several variables, so that its derivative is a partial one."""
        return len(self.at) > 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variable": self.variable,
            "order": self.order,
            "dtype": self.dtype,
            "at": self.at,
            "analytic": self.analytic,
            "value": finite_or_none(self.value),
            "epsilon": self.epsilon,
            "steps": list(self.steps),
            "methods": {column.method: column.to_dict() for column in self.columns},
            "explanation": list(self.explanation),
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One row per step h, with each method's value and error."""
        rows = []
        for i, h in enumerate(self.steps):
            row: dict[str, Any] = {"h": h}
            for column in self.columns:
                row[f"{column.method}_value"] = finite_or_none(column.values[i])
                row[f"{column.method}_abs_error"] = finite_or_none(column.abs_errors[i])
            rows.append(row)
        return rows
