"""The results of ``numdiff descend``: each run's trace and how it ended."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

from numdiff_cli.results import Displayed, finite_or_none, vector_or_none
from numdiff_cli.results.codes import RunStatus
from numdiff_cli.results.field import Landscape
from numdiff_cli.results.grad import CriticalPoint

Vector = Any  # a sequence of floats (Python's or numpy's), or a 1-D numpy array


class RowValues(TypedDict):
    """A :class:`TraceRow`'s fields as a loop makes them (``trace_row(values)`` is the row), under the
    row's JSON keys: each number as the loop has it, a Python or a numpy float, not finite ones too.
    Not converting every number at every step keeps a streamed run fast: a writer's serializer takes
    numpy's numbers as they are, and turns those that are not finite into null itself."""

    step: int
    x: Vector
    f: float
    grad: Vector
    grad_analytic: Vector | None  # None where the rows do not show the gradient that did not drive the run
    grad_numeric: Vector | None
    grad_norm: float
    step_length: float | None


@dataclass(frozen=True)
class TraceRow:
    """One step of a descent: the iterate, f, the gradient that drove the update, and both kinds."""

    step: int
    x: tuple[float, ...]
    f: float
    grad: tuple[float, ...]
    grad_analytic: tuple[float, ...]
    grad_numeric: tuple[float, ...]
    grad_norm: float
    step_length: float | None  # length of the step that led here; None at step 0

    @property
    def grad_difference(self) -> float:
        """The largest difference between a component of the exact and of the numerical gradient."""
        return max((abs(a - b) for a, b in zip(self.grad_analytic, self.grad_numeric)), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step, "x": vector_or_none(self.x), "f": finite_or_none(self.f), "grad": vector_or_none(self.grad),
            "grad_analytic": vector_or_none(self.grad_analytic), "grad_numeric": vector_or_none(self.grad_numeric),
            "grad_norm": finite_or_none(self.grad_norm), "step_length": finite_or_none(self.step_length),
        }


def trace_row(values: RowValues) -> TraceRow:
    """The row of a loop's values, every number a Python float."""
    return TraceRow(
        values["step"], floats(values["x"]), float(values["f"]), floats(values["grad"]), floats(values["grad_analytic"]),
        floats(values["grad_numeric"]), values["grad_norm"], values["step_length"],
    )


def floats(values: Vector) -> tuple[float, ...]:
    """A vector (a list, a tuple or a numpy array) as a tuple of Python floats; an array's ``tolist`` is
    many times faster than its elements one by one."""
    return tuple(map(float, values) if isinstance(values, (list, tuple)) else values.tolist())


@dataclass(frozen=True)
class Iterates:
    """The iterates a picture draws: ``x[i]`` and ``f[i]`` at step ``steps[i]``. Every step of a
    run up to ``PATH_POINTS`` steps, else every k-th (and the last), so memory stays bounded."""

    steps: tuple[int, ...]
    x: tuple[tuple[float, ...], ...]
    f: tuple[float, ...]


@dataclass(frozen=True)
class DescentResult(Displayed):
    """``numdiff descend``: one run, its trace, how it ended (``status``, ``message``) and advice.

    ``status`` says in a code what ``message`` says in words. The trace holds every step, or
    (for a table) the first and last rows and every k-th.
    """

    expression: str
    variables: tuple[str, ...]
    lr: float
    optimizer: str
    hyperparameters: dict[str, float]
    gradient: str
    h: float
    ascent: bool
    start: tuple[float, ...]
    status: RunStatus
    message: str
    trace: tuple[TraceRow, ...]
    final_x: tuple[float, ...]
    final_f: float
    final_grad_norm: float
    steps: int
    advice: str | None = None
    warning: str | None = None
    rates: str | None = None
    held: dict[str, float] = field(default_factory=dict)  # variables held fixed (not learned), by name  # the factors |1 - lr·λ| of this run's learning rate
    critical_point: CriticalPoint | None = None
    # The step from which x stood still because the numerical gradient was exactly 0 while the
    # exact one was not (x + h == x, or f(x + h) and f(x - h) rounding to one double); None otherwise.
    frozen_at: int | None = None
    iterates: Iterates | None = None  # where a picture is asked for (not in the JSON, which has the trace)
    landscape: Landscape | None = None  # f around the path, where a picture is asked for

    failure = None  # a run that diverged or stalled is a result, not a failure of the maths

    def to_dict(self) -> dict[str, Any]:
        return {
            "expression": self.expression,
            "variables": list(self.variables),
            "lr": self.lr,
            "optimizer": self.optimizer,
            "hyperparameters": self.hyperparameters,
            "gradient": self.gradient,
            "h": self.h,
            "ascent": self.ascent,
            "start": vector_or_none(self.start),
            "held": self.held,
            "status": RunStatus(self.status).value,
            "message": self.message,
            "critical_point": None if self.critical_point is None else self.critical_point.kind,
            "frozen_at": self.frozen_at,
            "advice": self.advice,
            "rates": self.rates,
            "warning": self.warning,
            "trace": [row.to_dict() for row in self.trace],
            "final": {
                "x": vector_or_none(self.final_x),
                "f": finite_or_none(self.final_f),
                "grad_norm": finite_or_none(self.final_grad_norm),
                "steps": self.steps,
            },
        }

    def to_rows(self) -> list[dict[str, Any]]:
        """One flat row per kept step, for CSV."""
        return [flat_row(self.lr, self.optimizer, self.variables, row) for row in self.trace]


def flat_row(lr: float, optimizer: str, variables: tuple[str, ...], row: TraceRow) -> dict[str, Any]:
    """One step as a CSV row: lr, optimizer, step, the coordinates, f, the gradient, its norm, the step length."""
    return dict(zip(flat_columns(variables), flat_values(lr, optimizer, vars(row))))  # type: ignore[arg-type]


def flat_columns(variables: tuple[str, ...]) -> list[str]:
    """The CSV columns of :func:`flat_row`."""
    return ["lr", "optimizer", "step", *variables, "f", *(f"grad_{name}" for name in variables), "grad_norm", "step_length"]


def flat_values(lr: float, optimizer: str, values: RowValues) -> list[Any]:
    """The cells of :func:`flat_row` from a row's values (None where a number is not finite)."""
    return [lr, optimizer, *map(finite_or_none, step_cells(values))]


def step_cells(values: RowValues) -> list[float | None]:
    """The cells of :func:`flat_row` after lr and optimizer: step, the coordinates, f, the gradient,
    its norm and the step length, as the loop made them (a number that is not finite as it is)."""
    return [values["step"], *values["x"], values["f"], *values["grad"], values["grad_norm"], values["step_length"]]


@dataclass(frozen=True)
class DescentComparison(Displayed):
    """Several descents of one function (learning rates, optimizers) to compare side by side."""

    runs: tuple[DescentResult, ...]
    landscape: Landscape | None = None  # f around the paths, where a picture is asked for

    failure = None

    def to_dict(self) -> list[dict[str, Any]]:
        return [run.to_dict() for run in self.runs]

    def to_rows(self) -> list[dict[str, Any]]:
        return [row for run in self.runs for row in run.to_rows()]
