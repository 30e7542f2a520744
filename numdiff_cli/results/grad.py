"""The results of ``numdiff grad``: partials, the gradient, the Hessian and the Jacobian."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from numdiff_cli.i18n import Message
from numdiff_cli.results import Displayed, at_text, finite_or_none, matrix_or_none, vector_or_none, where
from numdiff_cli.results.codes import Reason, RowStatus
from numdiff_cli.results.field import GradientField

if TYPE_CHECKING:
    from numdiff_cli.results.derivation import Derivation


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
    error_estimate: float | None = None  # the method's own estimate of abs_error, made without the exact value
    note: str | None = None
    status: RowStatus = RowStatus.OK
    reason: Reason | None = None
    derivation: Derivation | None = None  # the partial derivative rule by rule, where asked for

    def to_dict(self) -> dict[str, Any]:
        return {
            "variable": self.variable,
            "derivative": self.derivative,
            "analytic": finite_or_none(self.analytic),
            "numeric": finite_or_none(self.numeric),
            "h": self.h,
            "abs_error": finite_or_none(self.abs_error),
            "rel_error": finite_or_none(self.rel_error),
            "error_estimate": finite_or_none(self.error_estimate),
            "note": self.note,
            "status": self.status.value,
            "reason": None if self.reason is None else self.reason.value,
            **({} if self.derivation is None else {"derivation": self.derivation.to_dict()}),
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
    """The matrix of second partials, exact and numeric (by ``method``, with its own per-entry
    ``error_estimate``), its eigenvalues and the verdict."""

    method: str
    analytic: tuple[tuple[float, ...], ...]
    numeric: tuple[tuple[float, ...], ...]
    error_estimate: tuple[tuple[float, ...], ...]
    max_abs_error: float
    eigenvalues: tuple[float, ...]
    critical_point: CriticalPoint

    def to_dict(self) -> dict[str, Any]:
        return {
            "analytic": matrix_or_none(self.analytic),
            "numeric": matrix_or_none(self.numeric),
            "method": self.method,
            "error_estimate": matrix_or_none(self.error_estimate),
            "max_abs_error": finite_or_none(self.max_abs_error),
            "eigenvalues": vector_or_none(self.eigenvalues),
            "critical_point": self.critical_point.kind,
            "verdict": self.critical_point.verdict,
        }


@dataclass(frozen=True)
class GradResult(Displayed):
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
    typed: dict[str, str] = field(default_factory=dict)  # coordinates typed as constants (pi/4), as text
    field: GradientField | None = None  # f and −∇f over a box of two variables, where a plot asks for them

    @property
    def failure(self) -> str | None:
        """Which partial derivatives fail at the point, if any (each row's note says why)."""
        return _failure(self.partials, self.at)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "expression": self.expression,
            "variables": list(self.variables),
            "at": self.at,
            "at_typed": self.typed,
            "method": self.method,
            "partials": [p.to_dict() for p in self.partials],
            "gradient": {"analytic": vector_or_none(self.gradient_analytic), "numeric": vector_or_none(self.gradient_numeric)},
            "norm": finite_or_none(self.norm),
            "descent_direction": vector_or_none(self.descent_direction),
        }
        if self.hessian is not None:
            data["hessian"] = self.hessian.to_dict()
        if self.field is not None:
            data["field"] = self.field.to_dict()
        return data

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per partial derivative, for CSV."""
        return [{"expression": self.expression, "at": at_text(self.at), **p.to_dict()} for p in self.partials]


@dataclass(frozen=True)
class JacobianResult(Displayed):
    """``numdiff grad`` of several expressions: the m x n matrix of partials, exact and numeric."""

    expressions: tuple[str, ...]
    variables: tuple[str, ...]
    at: dict[str, float]
    method: str
    entries: tuple[tuple[Partial, ...], ...]  # entries[i][j] = d expressions[i] / d variables[j]

    @property
    def failure(self) -> str | None:
        """Which partial derivatives fail at the point, if any (each entry's note says why)."""
        return _failure([p for row in self.entries for p in row], self.at)

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
                "error_estimate": [[finite_or_none(p.error_estimate) for p in row] for row in self.entries],
                "status": [[p.status.value for p in row] for row in self.entries],
            },
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per function and variable, for CSV."""
        return [
            {"expression": expression, "at": at_text(self.at), **p.to_dict()}
            for expression, row in zip(self.expressions, self.entries)
            for p in row
        ]


def _failure(partials: list[Partial] | tuple[Partial, ...], at: dict[str, float]) -> str | None:
    # a step lost to rounding (x + h == x) is the user's choice of h, shown with its note, not maths that failed
    failed = [p for p in partials if (p.status is RowStatus.NOT_FINITE or p.reason is Reason.NO_DERIVATIVE) and p.note]
    if not failed:
        return None
    names = ", ".join(dict.fromkeys(f"∂/∂{p.variable}" for p in failed))
    return Message("{names} cannot be computed at {where} (the output's note says why)", names=names, where=where(at))
