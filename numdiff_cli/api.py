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

from numdiff_cli import descent_runs, lecture
from numdiff_cli.errors import UsageError
from numdiff_cli.results.derivation import DEFAULT_DEPTH

# Each function loads its own command's core: a diff need not pay for descent's modules.
if TYPE_CHECKING:
    from numdiff_cli.descent import TraceWriter
    from numdiff_cli.finite import Step
    from numdiff_cli.problem import PointLike
    from numdiff_cli.results.check import ClaimResult, CodeResult
    from numdiff_cli.results.derivation import Derivation
    from numdiff_cli.results.descend import DescentComparison, DescentResult
    from numdiff_cli.results.diff import DiffResult, SweepResult
    from numdiff_cli.results.explain import ExplainResult
    from numdiff_cli.results.grad import GradResult, JacobianResult
    from numdiff_cli.results.rate_sweep import RateSweep
    from numdiff_cli.results.secants import SecantPicture


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
    derivation: bool = False,
    depth: int = DEFAULT_DEPTH,
) -> DiffResult:
    """The ``order``-th derivative of ``expression`` at ``at``: exact, and by each numerical method.

    ``at`` is one point (``3``, ``"pi/4"``, ``(2, 3)``, ``{"x": 2, "y": 3}``) or a list of
    points. ``wrt`` is needed where there are several variables; ``methods`` defaults to
    all; ``h`` is a step, ``"auto"`` or None for the lecture's; ``precision`` computes the
    fixed-step methods with that many decimal digits; ``derivation`` adds the derivative worked
    out rule by rule (as :func:`derivation`), shown ``depth`` levels deep.

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
        derivation=derivation,
        depth=depth,
    )


def secants(
    expression: str,
    at: PointLike,
    *,
    wrt: str | None = None,
    methods: str | Sequence[str] | None = None,
    h: Step = None,
    dtype: str = "float64",
    precision: int | None = None,
    animated: bool = False,
) -> SecantPicture:
    """:func:`diff` at one point with what its picture draws: f around the point, the tangent of
    the exact slope and the forward and central secants (added to ``methods`` if missing); with
    ``animated``, also the sweep of h from the point's scale to 1e-16 that the animation shows.

    Raises
    ------
    NumdiffError
        As :func:`diff`; a ``UsageError`` for several points.
    """
    from numdiff_cli import compare, problem, secants, step_sweep

    chosen = list(compare.DEFAULT_METHODS if methods is None else [methods] if isinstance(methods, str) else methods)
    chosen += [m for m in secants.DRAWN if m not in chosen]
    built = problem.build(expression, at, wrt=wrt, dtype=dtype, one_variable=True)
    result = compare.differentiate(built, methods=chosen, h=h, digits=precision)
    frames = step_sweep.sweep(built, steps=secants.animation_steps(built)) if animated else None
    return secants.picture(built, result, frames)


def derivation(expression: str, *, wrt: str | None = None, order: int = 1, depth: int = DEFAULT_DEPTH) -> Derivation:
    """The ``order``-th derivative of ``expression`` worked out rule by rule, at no particular point.

    One tree of steps per order: at each step the rule (a :class:`~numdiff_cli.results.derivation.Rule`),
    the sub-expression it applies to and its result; the trees show ``depth`` levels and fold
    below. ``wrt`` is needed where there are several variables (the others are held constant).

    Raises
    ------
    NumdiffError
        As :func:`diff`.

    Examples
    --------
    >>> import numdiff_cli as nd
    >>> nd.derivation("sin(x^2)").derivative
    '2*x*cos(x**2)'
    """
    from numdiff_cli import finite, parsing, points
    from numdiff_cli.rule_by_rule import derivation as work_out

    if not isinstance(expression, str):
        raise UsageError("{expression} takes text, not {value!r}", parameter="expression", value=expression)
    expr = parsing.parse_expression(expression)
    variable = points.choose_variable(expr, wrt)
    several = len(points.ordered_variables([expr])) > 1
    return work_out(expr, variable, order=finite.check_order(order), partial=several, depth=depth)


def explain(
    expression: str,
    at: PointLike | list[PointLike],
    *,
    wrt: str | None = None,
    order: int = 1,
    methods: str | Sequence[str] | None = None,
    h: Step = None,
    dtype: str = "float64",
) -> ExplainResult:
    """The arithmetic of each numerical method (default: central) for the derivative :func:`diff`
    shows: the stencil, its points and values, the digits each subtraction cancels, the sum, the
    division, and the truncation, rounding and observed order that explain the error.

    Raises
    ------
    NumdiffError
        As :func:`diff`.
    """
    from numdiff_cli import explanation, problem

    chosen = [methods] if isinstance(methods, str) else methods
    return explanation.explain(
        problem.build(expression, at, wrt=wrt, dtype=dtype, several_points=True, one_variable=True),
        order=order,
        methods=explanation.DEFAULT_METHODS if chosen is None else chosen,
        h=h,
    )


LATEX_FORMULAS = ("derivative", "gradient", "function")


def latex(
    expression: str, *, wrt: str | Sequence[str] | None = None, order: int = 1, formula: str = "derivative"
) -> list[str]:
    r"""Formulas of ``expression`` as LaTeX math (sympy's printer), one per line: its ``order``-th
    derivative in ``wrt`` (``formula="derivative"``, as ``diff``), each first partial of each
    function (``"gradient"``, as ``grad``), or the function itself (``"function"``, as ``descend``).

    Raises
    ------
    NumdiffError
        As :func:`diff`; a ``UsageError`` for an unknown ``formula``.

    Examples
    --------
    >>> latex("x^2")
    ['\\frac{d}{d x} x^{2} = 2 x']
    """
    from numdiff_cli import finite, parsing, points, symbolic
    from numdiff_cli import latex as tex

    if formula not in LATEX_FORMULAS:
        raise UsageError("{formula} is one of {names}, not {value!r}", parameter="formula",
                         names=", ".join(LATEX_FORMULAS), value=formula)
    expressions = parsing.parse_expressions(expression) if formula == "gradient" else (parsing.parse_expression(expression),)
    variables = points.ordered_variables(expressions)
    if formula == "function":
        return [tex.function(expressions[0], variables)]
    if formula == "derivative":
        order = finite.check_order(order)
        if wrt is not None and not isinstance(wrt, str):
            raise UsageError("{wrt} takes one variable here", parameter="wrt")
        variable = points.choose_variable(expressions[0], wrt)
        return [tex.derivative(expressions[0], variable, symbolic.derivative(expressions[0], variable, order), order)]
    names = wrt.split(",") if isinstance(wrt, str) else wrt
    chosen = points.choose_variables(variables, None if names is None else [n.strip() for n in names])
    return [tex.derivative(e, v, symbolic.derivative(e, v)) for e in expressions for v in chosen]


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
    field: bool = False,
    box: str | Sequence[Sequence[float]] | Sequence[float] | None = None,
    derivation: bool = False,
    depth: int = DEFAULT_DEPTH,
) -> GradResult | JacobianResult:
    """The gradient of ``expression`` at ``at`` (and with ``hessian`` its Hessian), exact and numeric;
    several comma-separated functions give their Jacobian.

    ``wrt`` limits it to some variables (comma-separated text or a sequence of names).
    ``method`` defaults to the lecture's central difference for the partials and to the most
    accurate method that applies for the Hessian (Richardson extrapolation up to 20 variables);
    a method given is used for both. ``field`` adds f and −∇f over ``box`` (``"LO:HI"``,
    ``"XLO:XHI,YLO:YHI"`` or pairs of numbers; default a square around the point) in the first
    two ``wrt`` variables, the others held at the point: the data of ``grad --plot``.
    ``derivation`` adds each partial worked out rule by rule, shown ``depth`` levels deep.

    Raises
    ------
    NumdiffError
        As :func:`diff`; a ``UsageError`` for ``hessian`` with several functions.
    """
    from numdiff_cli import gradient, problem

    built = problem.build(expression, at, wrt=wrt, several_functions=True)
    if len(built.expressions) == 1:
        return gradient.gradient(
            built, method=method, h=h, hessian=hessian, field=field, box=box, derivation=derivation, depth=depth
        )
    for asked, parameter in ((hessian, "hessian"), (field, "field"), (derivation, "derivation")):
        if asked:
            raise UsageError("{parameter} needs a single expression, not a vector of them", parameter=parameter)
    return gradient.jacobian(built, method=method, h=h)


@_watched
def descend(
    expression: str | None = None,
    start: PointLike | None = None,
    *,
    wrt: str | Sequence[str] | None = None,
    lr: float | Sequence[float] | None = None,
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
    lr_sweep: str | Sequence[float] | None = None,
    plot: bool = False,
    **hyperparameters: float | None,
) -> DescentResult | DescentComparison | RateSweep:
    """Gradient descent (or ``ascent``) on ``expression`` from ``start``, step by step.

    With no expression, the lecture's: f = x0² + x1² from (-3, 4). ``wrt`` names the variables
    to learn (default all); the others are held at their values in ``start``, as the data of a
    loss function (``descend("(w*x - y)^2", {"w": 0.5, "x": 2, "y": 3}, wrt="w")``). Several learning rates or
    optimizers give a comparison of one run each; an optimizer may bring its own learning rate, ``"adam:0.3"`` or
    ``("adam", 0.3)`` (see :mod:`numdiff_cli.descent_runs`). ``hyperparameters`` set the optimizer's
    (``momentum``, ``beta1``, ``beta2``, ``alpha``, ``eps``); the trace keeps every step with
    ``keep_all``, else the first and last rows and every ``every``-th; a ``writer`` takes every
    step as it is made instead (see :mod:`numdiff_cli.stream`). ``lr`` defaults to the lecture's 0.1.

    ``lr_sweep`` (``"LO:HI"``, ``"LO:HI:N"`` or ``(LO, HI[, N])``, instead of ``lr``) runs one
    optimizer at N learning rates log-spaced from LO to HI (default 13) and sums them up: where
    each ended, how far from the minimum, and where its rate lies against 1/λmax and 2/λmax.
    ``plot`` also records what a picture draws: each run's iterates and f on a grid around them.

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
    names = [optimizer] if isinstance(optimizer, str) else optimizer
    if not isinstance(names, Sequence) or not names or not all(_optimizer_choice(n) for n in names):
        raise UsageError("{optimizer} takes an optimizer's name or a list of them, not {value!r}", parameter="optimizer",
                         value=optimizer)
    options = dict(
        steps=steps, params=hyperparameters, gradient=gradient, h=h, tol=tol, ascent=ascent,
        keep_all=keep_all, every=every, progress=progress, writer=writer, plot=plot,
    )
    if lr_sweep is not None:
        _sweep_alone(lr, names, writer)
        _hyperparameters_used(hyperparameters, names[:1])
        return descent.sweep(built, rates=lr_sweep, optimizer=names[0], **{**options, "plot": False})  # finals only
    runs = descent_runs.plan(names, None if lr is None else _numbers(lr, "lr"), lecture.LEARNING_RATE)
    _hyperparameters_used(hyperparameters, [name for name, _ in runs])
    if len(runs) == 1:
        (name, rate), = runs
        return descent.descend(built, lr=rate, optimizer=name, **options)
    return descent.compare(built, runs=runs, **options)


def _hyperparameters_used(hyperparameters: dict[str, float | None], optimizers: Sequence[str]) -> None:
    """Refuse a hyperparameter given that none of ``optimizers`` has (``--momentum`` with plain sgd
    would run plain sgd, silently)."""
    from numdiff_cli.optimizers import OPTIMIZERS, spec_of

    used = {key for name in optimizers for key in spec_of(name).defaults}
    unused = sorted(key for key, value in hyperparameters.items() if value is not None and key not in used)
    if unused:
        key = unused[0]
        raise UsageError(
            "{parameter} does nothing for {names}: it is a hyperparameter of {having}",
            parameter=key,
            names=", ".join(dict.fromkeys(optimizers)),
            having=", ".join(name for name, spec in OPTIMIZERS.items() if key in spec.defaults),
        )


def _optimizer_choice(value: object) -> bool:
    """True for an optimizer's name (``"adam"``, ``"adam:0.3"``) or a pair ``("adam", 0.3)``."""
    import numbers

    if isinstance(value, tuple):
        return len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], numbers.Real) and not isinstance(
            value[1], bool)
    return isinstance(value, str)


def _sweep_alone(lr: object, names: Sequence[str], writer: object) -> None:
    """Refuse what a learning-rate sweep cannot take: a learning rate of its own, several optimizers, a writer."""
    if lr is not None:
        raise UsageError("{lr_sweep} chooses the learning rates, so it takes no {lr}", parameter="lr_sweep")
    if len(names) > 1:
        raise UsageError("{lr_sweep} runs one optimizer, not {count}", parameter="lr_sweep", count=len(names))
    if descent_runs.pairs(names):
        raise UsageError("{lr_sweep} chooses the learning rates, so {optimizer} takes a name without one",
                         parameter="lr_sweep")
    if writer is not None:
        raise UsageError("{lr_sweep} sums up each run, so it writes no trace of every step", parameter="lr_sweep")


def check(
    expression: str | None = None,
    claim: str | Sequence[str] | None = None,
    *,
    wrt: str | Sequence[str] | None = None,
    at: PointLike | list[PointLike] | None = None,
    seed: int = 0,
    code: str | None = None,
    timeout: float | None = 10.0,
    strict: bool = False,
) -> ClaimResult | CodeResult:
    """Check a derivative worked out by hand, or a student's own numerical-differentiation code.

    With ``claim``: is it the derivative of ``expression`` (a gradient as ``"[2*x, 2*y]"`` or a
    list, in variable order; one partial with ``wrt``)? Judged symbolically, with the slips
    that explain a wrong claim, and at the points ``at`` or at random points drawn with ``seed``.

    With ``code`` (``"FILE.py"`` or ``"FILE.py:FUNCTION"``): the file's ``numerical_diff``,
    ``numerical_gradient`` or ``gradient_descent`` is run on a battery of functions in a separate
    Python process, stopped after ``timeout`` seconds (None: no limit), and its bugs named;
    ``strict`` counts caveats (inputs the lecture never passes) as bugs.

    Raises
    ------
    NumdiffError
        As :func:`diff`; a ``CodeError`` where the file cannot be run (a syntax error, an exception
        on import, no such function, past the time limit).
    """
    if code is not None:
        from numdiff_cli import code_check

        if expression is not None or claim is not None:
            raise UsageError("{code} checks a file on its own: give either {code} or an expression with {claim}",
                             parameter="code")
        return code_check.check_code(code, timeout=timeout, strict=strict)
    from numdiff_cli import claim_check, parsing, points, problem

    if expression is None or claim is None:
        raise UsageError(
            "give a function and the derivative to check (EXPRESSION {claim} D), or your own code with {code}",
            parameter="claim",
        )
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError("{seed} must be a whole number 0 or more, not {value!r}", parameter="seed", value=seed)
    if isinstance(claim, str) and not claim.strip():  # else the parser's "the expression is empty" blames f
        raise UsageError("{claim} is empty: give the derivative to check", parameter="claim")
    built = None if at is None else problem.build(expression, at, several_points=True)
    f = built.expr if built else parsing.parse_expression(expression)
    claims = parsing.parse_expressions(claim) if isinstance(claim, str) else tuple(map(parsing.parse_expression, claim))
    variables = built.variables if built else points.ordered_variables([f])
    chosen = claim_check.claimed_variables(f, claims, variables, wrt)
    return claim_check.check_claim(
        f, claims, variables or chosen, chosen, at=None if built is None else built.points, seed=seed
    )
