"""Frozen result types every command returns, and their plain-data forms.

One result feeds the rich table, ``--json`` (``to_dict``) and ``--csv`` (``to_rows``).
Non-finite numbers become ``None`` (JSON ``null``) so the JSON is always standard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


def finite_or_none(value: float | None) -> float | None:
    """``value``, or None where it is missing or not finite (JSON has no NaN)."""
    return value if value is not None and math.isfinite(value) else None


def _at_text(at: dict[str, float]) -> str:
    """A point as one CSV field: ``x0=3.0;x1=4.0``."""
    return ";".join(f"{name}={value!r}" for name, value in at.items())


@dataclass(frozen=True)
class NumericRow:
    """One numerical method's value at one point, with its error against the exact value.

    ``abs_error`` and ``rel_error`` are None where there is no exact value (or it is 0, for
    ``rel_error``); ``error_estimate`` is the method's own estimate, made without it.
    """

    method: str
    h: float | None
    value: float | None
    abs_error: float | None
    rel_error: float | None
    error_estimate: float | None
    note: str | None = None

    @property
    def correct_digits(self) -> float | None:
        """Significant digits that agree with the exact value (at most 16, for a double)."""
        if self.rel_error is None:
            return None
        return 16.0 if self.rel_error == 0 else max(0.0, min(16.0, -math.log10(self.rel_error)))

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "h": finite_or_none(self.h),
            "value": finite_or_none(self.value),
            "abs_error": finite_or_none(self.abs_error),
            "rel_error": finite_or_none(self.rel_error),
            "error_estimate": finite_or_none(self.error_estimate),
            "note": self.note,
        }


@dataclass(frozen=True)
class PointResult:
    """The exact derivative at one point (None where it does not exist) and the numeric rows."""

    at: dict[str, float]
    analytic: float | None
    numeric: tuple[NumericRow, ...]
    note: str | None = None

    @property
    def best(self) -> NumericRow | None:
        """The row closest to the exact value, if there is one."""
        rows = [r for r in self.numeric if r.abs_error is not None]
        return min(rows, key=lambda r: r.abs_error, default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "analytic": finite_or_none(self.analytic),
            "numeric": [row.to_dict() for row in self.numeric],
            "note": self.note,
        }


@dataclass(frozen=True)
class DiffResult:
    """``numdiff diff``: a derivative of one expression, exact and numerical, at several points."""

    expression: str
    variable: str
    order: int
    derivative: str
    points: tuple[PointResult, ...]
    dtype: str = "float64"
    digits: int | None = None  # decimal digits of an arbitrary-precision evaluation

    @property
    def failure(self) -> str | None:
        """The first point's reason why the derivative does not exist there, if any."""
        return next((p.note for p in self.points if p.note), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variable": self.variable,
            "order": self.order,
            "derivative": self.derivative,
            "dtype": self.dtype,
            "precision": self.digits,
            "points": [point.to_dict() for point in self.points],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per point and method, for CSV."""
        return [
            {
                "expression": self.expression,
                "variable": self.variable,
                "order": self.order,
                "at": _at_text(point.at),
                "analytic": finite_or_none(point.analytic),
                **row.to_dict(),
            }
            for point in self.points
            for row in point.numeric
        ]


def vector_or_none(values: tuple[float, ...] | None) -> list[float | None] | None:
    """A vector for JSON, each entry as :func:`finite_or_none`."""
    return None if values is None else [finite_or_none(v) for v in values]


def _matrix(rows: tuple[tuple[float, ...], ...]) -> list[list[float | None]]:
    return [[finite_or_none(v) for v in row] for row in rows]


@dataclass(frozen=True)
class Partial:
    """One partial derivative at the point: exact (None where it does not exist) and numeric."""

    variable: str
    derivative: str
    analytic: float | None
    numeric: float | None
    h: float
    abs_error: float | None
    rel_error: float | None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": self.variable,
            "derivative": self.derivative,
            "analytic": finite_or_none(self.analytic),
            "numeric": finite_or_none(self.numeric),
            "h": self.h,
            "abs_error": finite_or_none(self.abs_error),
            "rel_error": finite_or_none(self.rel_error),
            "note": self.note,
        }


@dataclass(frozen=True)
class CriticalPoint:
    """What the second-derivative test says at a point.

    ``kind`` is ``minimum``, ``maximum``, ``saddle point`` or ``degenerate`` at a critical
    point (zero gradient), and None elsewhere; ``verdict`` says it in a sentence.
    """

    kind: str | None
    verdict: str


@dataclass(frozen=True)
class HessianResult:
    """The matrix of second partials, exact and numeric, its eigenvalues and the verdict."""

    analytic: tuple[tuple[float, ...], ...]
    numeric: tuple[tuple[float, ...], ...]
    max_abs_error: float
    eigenvalues: tuple[float, ...]
    critical_point: CriticalPoint

    def to_dict(self) -> dict[str, Any]:
        return {
            "analytic": _matrix(self.analytic),
            "numeric": _matrix(self.numeric),
            "max_abs_error": finite_or_none(self.max_abs_error),
            "eigenvalues": vector_or_none(self.eigenvalues),
            "critical_point": self.critical_point.kind,
            "verdict": self.critical_point.verdict,
        }


@dataclass(frozen=True)
class GradResult:
    """``numdiff grad``: the partials, the gradient, its norm and, if asked, the Hessian.

    The gradient, norm and descent direction are None where a partial does not exist.
    """

    expression: str
    variables: tuple[str, ...]
    at: dict[str, float]
    method: str
    partials: tuple[Partial, ...]
    gradient_analytic: tuple[float, ...] | None
    gradient_numeric: tuple[float, ...]
    norm: float | None
    descent_direction: tuple[float, ...] | None
    hessian: HessianResult | None = None

    @property
    def failure(self) -> str | None:
        """The first reason a partial derivative does not exist at the point, if any."""
        return next((p.note for p in self.partials if p.note), None)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "expression": self.expression,
            "variables": list(self.variables),
            "at": self.at,
            "method": self.method,
            "partials": [p.to_dict() for p in self.partials],
            "gradient": {"analytic": vector_or_none(self.gradient_analytic), "numeric": vector_or_none(self.gradient_numeric)},
            "norm": finite_or_none(self.norm),
            "descent_direction": vector_or_none(self.descent_direction),
        }
        if self.hessian is not None:
            data["hessian"] = self.hessian.to_dict()
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per partial derivative, for CSV."""
        return [{"expression": self.expression, "at": _at_text(self.at), **p.to_dict()} for p in self.partials]


@dataclass(frozen=True)
class JacobianResult:
    """``numdiff grad`` of several expressions: the m x n matrix of partials, exact and numeric."""

    expressions: tuple[str, ...]
    variables: tuple[str, ...]
    at: dict[str, float]
    method: str
    entries: tuple[tuple[Partial, ...], ...]  # entries[i][j] = d expressions[i] / d variables[j]

    @property
    def failure(self) -> str | None:
        return next((p.note for row in self.entries for p in row if p.note), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": list(self.expressions),
            "variables": list(self.variables),
            "at": self.at,
            "method": self.method,
            "jacobian": {
                "derivatives": [[p.derivative for p in row] for row in self.entries],
                "analytic": [[finite_or_none(p.analytic) for p in row] for row in self.entries],
                "numeric": [[finite_or_none(p.numeric) for p in row] for row in self.entries],
                "abs_error": [[finite_or_none(p.abs_error) for p in row] for row in self.entries],
            },
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per function and variable, for CSV."""
        return [
            {"expression": expression, "at": _at_text(self.at), **p.to_dict()}
            for expression, row in zip(self.expressions, self.entries)
            for p in row
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

    def to_dict(self) -> dict[str, Any]:
        return {
            "values": vector_or_none(self.values),
            "abs_errors": vector_or_none(self.abs_errors),
            "best_h": self.best_h,
            "theoretical_h": self.theoretical_h,
            "theoretical_error": finite_or_none(self.theoretical_error),
        }


@dataclass(frozen=True)
class SweepResult:
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

    failure = None  # a sweep is only made where the derivative exists

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variable": self.variable,
            "order": self.order,
            "dtype": self.dtype,
            "at": self.at,
            "analytic": self.analytic,
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
