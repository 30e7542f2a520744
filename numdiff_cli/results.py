"""Frozen result types every command returns, and their plain-data forms.

One result feeds the rich table, ``--json`` (``to_dict``) and ``--csv`` (``to_rows``).
Non-finite numbers become ``None`` (JSON ``null``) so the JSON is always standard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


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
            "h": _finite(self.h),
            "value": _finite(self.value),
            "abs_error": _finite(self.abs_error),
            "rel_error": _finite(self.rel_error),
            "error_estimate": _finite(self.error_estimate),
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
            "analytic": _finite(self.analytic),
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
            "points": [point.to_dict() for point in self.points],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per point and method, for CSV."""
        return [
            {
                "expression": self.expression,
                "variable": self.variable,
                "order": self.order,
                "at": ";".join(f"{k}={v!r}" for k, v in point.at.items()),
                "analytic": _finite(point.analytic),
                **row.to_dict(),
            }
            for point in self.points
            for row in point.numeric
        ]
