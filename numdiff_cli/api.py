"""numdiff as a library: one function per command, what the user typed in, a result out.

The command line, and any other front end, calls these same functions, so a notebook sees
the numbers, codes and sentences the terminal shows. Text goes through the safe parser;
nothing typed is ever run. Each result is a frozen object with ``to_dict()`` (the JSON),
``to_rows()`` (the CSV) and a rich rendering (the table), also in Jupyter.

Examples
--------
>>> import numdiff_cli as nd
>>> nd.diff("x**2", at=3, methods="central").points[0].numeric[0].value
6.000000000012662
>>> nd.grad("x0**2 + x1**2", at=(3, 4)).gradient_analytic
(6.0, 8.0)
>>> nd.descend(lr=0.1).status.value
'converged'
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, TypeVar

from numdiff_cli import lecture
from numdiff_cli.errors import UsageError

# Each function loads its own command's core: a diff need not pay for descent's modules.
if TYPE_CHECKING:
    from numdiff_cli.descent import TraceWriter
    from numdiff_cli.finite import Step
    from numdiff_cli.problem import PointLike
    from numdiff_cli.results.descend import DescentComparison, DescentResult
    from numdiff_cli.results.diff import DiffResult, SweepResult
    from numdiff_cli.results.grad import GradResult, JacobianResult


_Command = TypeVar("_Command", bound=Callable[..., object])
_WATCHERS: ContextVar[tuple[Callable[[object], None], ...]] = ContextVar("numdiff_result_watchers", default=())


@contextmanager
def watching(callback: Callable[[object], None]) -> Iterator[None]:
    """Within the block, ``callback`` receives each result that a command function returns, as
    it returns it: a front end that runs the command line learns the result it showed (the
    REPL keeps the last one's value as ``_``)."""
    token = _WATCHERS.set((*_WATCHERS.get(), callback))
    try:
        yield
    finally:
        _WATCHERS.reset(token)


def _watched(command: _Command) -> _Command:
    """``command``, passing each result it returns to the callbacks of :func:`watching`."""

    @functools.wraps(command)
    def run(*args: object, **kwargs: object) -> object:
        result = command(*args, **kwargs)
        for callback in _WATCHERS.get():
            callback(result)
        return result

    return run  # type: ignore[return-value]


def _numbers(value: object, parameter: str) -> list[float]:
    """One number or a non-empty sequence of them, as a list.

    Raises
    ------
    UsageError
        Naming ``parameter``, for anything else.
    """
    import numbers

    values = [value] if isinstance(value, (numbers.Real, str)) else value
    try:
        values = list(values)  # type: ignore[call-overload]
    except TypeError:
        values = [value]
    if not values or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in values):
        raise UsageError("{parameter} takes a number or a list of numbers, not {value!r}", parameter=parameter, value=value)
    return [float(v) for v in values]


@_watched
def diff(
    expression: str,
    at: PointLike | list[PointLike],
    *,
    wrt: str | None = None,
    order: int = 1,
    methods: str | Sequence[str] | None = None,
    h: Step = None,
    dtype: str = "float64",
    precision: int | None = None,
) -> DiffResult:
    """The ``order``-th derivative of ``expression`` at ``at``: exact, and by each numerical method.

    ``at`` is one point (``3``, ``"pi/4"``, ``(2, 3)``, ``{"x": 2, "y": 3}``) or a list of
    points. ``wrt`` is needed where there are several variables; ``methods`` defaults to
    all; ``h`` is a step, ``"auto"`` or None for the lecture's; ``precision`` computes the
    fixed-step methods with that many decimal digits.

    Raises
    ------
    NumdiffError
        A ``ParseError``, ``UsageError`` or ``MathError`` naming what is wrong.
    """
    from numdiff_cli import compare, problem

    chosen = [methods] if isinstance(methods, str) else methods
    return compare.differentiate(
        problem.build(expression, at, wrt=wrt, dtype=dtype, several_points=True, one_variable=True),
        order=order,
        methods=compare.DEFAULT_METHODS if chosen is None else chosen,
        h=h,
        digits=precision,
    )


@_watched
def sweep(expression: str, at: PointLike, *, wrt: str | None = None, order: int = 1, dtype: str = "float64") -> SweepResult:
    """The error of forward, central and five-point differences against the step h, at one point.

    Raises
    ------
    NumdiffError
        As :func:`diff`.
    """
    from numdiff_cli import problem, step_sweep

    built = problem.build(expression, at, wrt=wrt, dtype=dtype, one_variable=True)
    return step_sweep.sweep(built, order=order)


@_watched
def grad(
    expression: str | Sequence[str],
    at: PointLike,
    *,
    wrt: str | Sequence[str] | None = None,
    hessian: bool = False,
    method: str | None = None,
    h: Step = None,
) -> GradResult | JacobianResult:
    """The gradient of ``expression`` at ``at`` (and with ``hessian`` its Hessian), exact and numeric;
    several comma-separated functions give their Jacobian.

    ``wrt`` limits it to some variables (comma-separated text or a sequence of names).
    ``method`` defaults to the lecture's central difference for the partials and to the most
    accurate method that applies for the Hessian (Richardson extrapolation up to 20 variables);
    a method given is used for both.

    Raises
    ------
    NumdiffError
        As :func:`diff`; a ``UsageError`` for ``hessian`` with several functions.
    """
    from numdiff_cli import gradient, problem

    built = problem.build(expression, at, wrt=wrt, several_functions=True)
    if len(built.expressions) == 1:
        return gradient.gradient(built, method=method, h=h, hessian=hessian)
    if hessian:
        raise UsageError("{hessian} needs a single expression, not a vector of them", parameter="hessian")
    return gradient.jacobian(built, method=method, h=h)


@_watched
def descend(
    expression: str | None = None,
    start: PointLike | None = None,
    *,
    wrt: str | Sequence[str] | None = None,
    lr: float | Sequence[float] = lecture.LEARNING_RATE,
    optimizer: str | Sequence[str] = "sgd",
    steps: int = lecture.STEPS,
    ascent: bool = False,
    gradient: str = "numeric",
    h: float = lecture.STEP,
    tol: float | None = None,
    every: int | None = None,
    keep_all: bool = False,
    progress: Callable[[int], None] | None = None,
    writer: TraceWriter | None = None,
    **hyperparameters: float | None,
) -> DescentResult | DescentComparison:
    """Gradient descent (or ``ascent``) on ``expression`` from ``start``, step by step.

    With no expression, the lecture's: f = x0² + x1² from (-3, 4). ``wrt`` names the variables
    to learn (default all); the others are held at their values in ``start``, as the data of a
    loss function (``descend("(w*x - y)^2", {"w": 0.5, "x": 2, "y": 3}, wrt="w")``). Several learning rates or
    optimizers give a comparison of one run each. ``hyperparameters`` set the optimizer's
    (``momentum``, ``beta1``, ``beta2``, ``alpha``, ``eps``); the trace keeps every step with
    ``keep_all``, else the first and last rows and every ``every``-th; a ``writer`` takes every
    step as it is made instead (see :mod:`numdiff_cli.stream`).

    Raises
    ------
    NumdiffError
        As :func:`diff`, naming ``start`` where the point is wrong.
    """
    from numdiff_cli import descent, problem
    from numdiff_cli.optimizers import OPTIMIZERS

    known = {key for spec in OPTIMIZERS.values() for key in spec.defaults}
    unknown = sorted(set(hyperparameters) - known)
    if unknown:
        raise UsageError(
            "no optimizer has the hyperparameter {names}; they are {known}",
            parameter="optimizer",
            names=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
    if expression is None:
        expression, start = lecture.FUNCTION, lecture.START if start is None else start
    built = problem.build(expression, start, wrt=wrt, parameter="start")
    lrs = _numbers(lr, "lr")
    names = [optimizer] if isinstance(optimizer, str) else optimizer
    if not isinstance(names, Sequence) or not names or not all(isinstance(n, str) for n in names):
        raise UsageError("{optimizer} takes an optimizer's name or a list of them, not {value!r}", parameter="optimizer",
                         value=optimizer)
    options = dict(
        steps=steps, params=hyperparameters, gradient=gradient, h=h, tol=tol, ascent=ascent,
        keep_all=keep_all, every=every, progress=progress, writer=writer,
    )
    if len(lrs) == 1 and len(names) == 1:
        return descent.descend(built, lr=lrs[0], optimizer=names[0], **options)
    return descent.compare(built, lrs=lrs, optimizer_names=names, **options)
