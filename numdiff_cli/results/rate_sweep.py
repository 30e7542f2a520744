"""The result of ``numdiff descend --lr-sweep``: one descent per learning rate, summed up."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from numdiff_cli.results import Displayed, finite_or_none, vector_or_none
from numdiff_cli.results.codes import RateRegion, RunStatus


@dataclass(frozen=True)
class RateRow:
    """How the descent at one learning rate ended: its status, f and x at the end, and how far
    that is from the minimum (None where no minimum is known)."""

    lr: float
    status: RunStatus
    message: str
    steps: int
    final_x: tuple[float, ...]
    final_f: float
    grad_norm: float
    distance: float | None
    region: RateRegion | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "lr": self.lr,
            "region": None if self.region is None else self.region.value,
            "status": RunStatus(self.status).value,
            "steps": self.steps,
            "final_x": vector_or_none(self.final_x),
            "final_f": finite_or_none(self.final_f),
            "grad_norm": finite_or_none(self.grad_norm),
            "distance": finite_or_none(self.distance),
            "message": self.message,
        }


@dataclass(frozen=True)
class RateSweep(Displayed):
    """``numdiff descend --lr-sweep``: the same descent at learning rates log-spaced from ``low`` to ``high``.

    ``minimum`` is the point each run's ``distance`` is measured to, found as ``minimum_source``
    says: ``quadratic`` (f is a quadratic whose Hessian is definite: the exact minimiser
    x* = -A⁻¹b) or ``converged`` (the point the converged runs agree on); None where neither
    gives one. ``lambda_max`` is the largest curvature there (``lambda_max_at`` is
    ``minimum``), else at the start; None where it is not positive. Its marks 1/λmax and
    2/λmax bound the regions of plain gradient descent (``optimizer`` sgd); other optimizers
    follow other rules, and their rows have no region.
    """

    expression: str
    variables: tuple[str, ...]
    optimizer: str
    hyperparameters: dict[str, float]
    gradient: str
    h: float
    ascent: bool
    start: tuple[float, ...]
    steps: int
    rows: tuple[RateRow, ...]
    minimum: tuple[float, ...] | None
    minimum_source: str | None
    lambda_max: float | None
    lambda_max_at: str
    held: dict[str, float] = field(default_factory=dict)

    failure = None  # a run that diverged is a result

    @property
    def marks(self) -> tuple[float, float] | None:
        """1/λmax and 2/λmax, where λmax is positive."""
        return None if self.lambda_max is None else (1 / self.lambda_max, 2 / self.lambda_max)

    def to_dict(self) -> dict[str, Any]:
        marks = self.marks
        return {
            "expression": self.expression,
            "variables": list(self.variables),
            "optimizer": self.optimizer,
            "hyperparameters": self.hyperparameters,
            "gradient": self.gradient,
            "h": self.h,
            "ascent": self.ascent,
            "start": vector_or_none(self.start),
            "held": self.held,
            "steps": self.steps,
            "lr_sweep": {"low": self.rows[0].lr, "high": self.rows[-1].lr, "count": len(self.rows)},
            "minimum": None if self.minimum is None else {"x": vector_or_none(self.minimum), "source": self.minimum_source},
            "lambda_max": self.lambda_max,
            "lambda_max_at": self.lambda_max_at,
            "marks": None if marks is None else {"one_over_lambda_max": marks[0], "two_over_lambda_max": marks[1]},
            "rates": [row.to_dict() for row in self.rows],
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per learning rate, for CSV."""
        rows = []
        for row in self.rows:
            flat = row.to_dict()
            del flat["final_x"], flat["message"]
            flat.update({name: finite_or_none(v) for name, v in zip(self.variables, row.final_x)})
            rows.append(flat)
        return rows
