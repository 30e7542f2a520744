"""The lecture's lesson on step size: the error of a finite difference against h.

Too large a step drowns in truncation error (the Taylor terms the formula leaves out, ~h^p);
too small a step in rounding error (~eps |f| / h^n, as f(x+h) and f(x) agree in ever more
leading digits); at h = 1e-50, x + h == x and the difference is exactly 0.
"""

from __future__ import annotations

import math

import numpy as np

from numdiff_cli import symbolic
from numdiff_cli.accuracy import balance_root, errors_against
from numdiff_cli.errors import MathError
from numdiff_cli.finite import Stencil, check_order
from numdiff_cli.i18n import Listing, Message
from numdiff_cli.methods import STENCILS
from numdiff_cli.problem import Problem
from numdiff_cli.results.diff import SweepColumn, SweepResult

STEPS = tuple(10.0**-k for k in range(1, 17)) + (1e-50,)
SWEEP_METHODS = ("forward", "central", "five-point")


def sweep(problem: Problem, *, order: int = 1, steps: tuple[float, ...] = STEPS) -> SweepResult:
    """The error of forward, central and five-point differences for each of ``steps`` (by default
    h = 1e-1 .. 1e-16 and 1e-50, largest first), at ``problem``'s first point, in its variable and dtype.

    Raises
    ------
    UsageError
        For an order outside 1..6.
    MathError
        Where the derivative does not exist at the point.
    """
    order = check_order(order)
    kind, variable, variables, doubles = problem.kind, problem.wrt[0], problem.variables, problem.points[0]
    exact, reason = symbolic.derivative_value(problem.expr, variable, doubles, order=order)
    if exact is None:
        raise MathError("there is no exact derivative to measure errors against: {reason}", reason=reason)
    function = problem.function()
    m = len(steps)
    x = np.repeat(np.array([[doubles[v] for v in variables]]), m, axis=0)
    direction = np.repeat(np.array([[float(v == variable) for v in variables]]), m, axis=0)
    columns = []
    for name in SWEEP_METHODS:
        method = STENCILS[name]
        estimates = method.estimate(function, x, direction, order, np.array(steps), kind)
        values = tuple(e.value if math.isfinite(e.value) else None for e in estimates)
        errors = tuple(None if v is None else errors_against(v, exact)[0] for v in values)
        theory_h = float(method.balanced_step(order, x[:1], kind)[0])
        (at_theory,) = method.estimate(function, x[:1], direction[:1], order, np.array([theory_h]), kind)
        finite_errors = [(e, h) for e, h in zip(errors, steps) if e is not None]
        columns.append(
            SweepColumn(
                method=name,
                accuracy=method.stencil(order).accuracy,
                values=values,
                abs_errors=errors,
                best_h=min(finite_errors)[1] if finite_errors else None,
                theoretical_h=theory_h,
                theoretical_error=errors_against(at_theory.value, exact)[0] if math.isfinite(at_theory.value) else None,
                truncation_constant=_truncation_constant(problem, method.stencil(order)),
            )
        )
    return SweepResult(
        expression=str(problem.expr),
        variable=variable.name,
        order=order,
        dtype=problem.dtype,
        at={v.name: value for v, value in doubles.items()},
        analytic=float(exact),
        steps=steps,
        columns=tuple(columns),
        explanation=_explanation(order, kind, doubles[variable], float(problem.values[0][0]), float(exact), columns, steps),
        value=float(problem.values[0][0]),
        epsilon=float(np.finfo(kind).eps),
    )


def _truncation_constant(problem: Problem, stencil: Stencil) -> float | None:
    """C in the truncation error C·h^p: |c·f^(n+p)(x)| with c the stencil's first Taylor term left
    over (n the order, p the accuracy); None where that derivative has no finite value there."""
    try:
        higher, _ = symbolic.derivative_value(
            problem.expr, problem.wrt[0], problem.points[0], order=stencil.order + stencil.accuracy
        )
    except MathError:
        return None
    return None if higher is None else abs(float(stencil.truncation_coefficient) * float(higher))


def _explanation(
    order: int, kind: type, x: float, f: float, slope: float, columns: list[SweepColumn], steps: tuple[float, ...]
) -> tuple[str, ...]:
    eps = float(np.finfo(kind).eps)
    name = np.dtype(kind).name
    accuracies = Listing(", ", [Message("{p} for {method}", p=c.accuracy, method=c.method) for c in columns])
    best = ", ".join(f"{c.method} {c.best_h:.0e}" for c in columns if c.best_h is not None)
    theory = Listing(", ", [Message("{root}·scale = {h:.1e} for {method}", root=balance_root(c.accuracy + order),
                                    h=c.theoretical_h, method=c.method) for c in columns])
    lines = [
        Message("For h above the best h the error falls as h shrinks: truncation error, the Taylor terms the "
                "formula leaves out, is about C·h^p (p = {accuracies}).", accuracies=accuracies),
        Message("Below it the error grows again as h shrinks: f(x+h) and f(x) agree in more and more leading "
                "digits, so their difference keeps fewer correct ones; this rounding error is about "
                "ε·|f|/h{power} with ε = {eps:.1e} in {dtype}.", power="" if order == 1 else f"^{order}", eps=eps,
                dtype=name),
        Message("Best h here: {best}. Theory balances the two at {theory}, where scale = max(1, |x|); "
                "the theory row shows that h and the error measured there.", best=best, theory=theory),
    ]
    # best at the largest step and right there to rounding: the formula has no truncation error for f
    largest = steps[0]
    exact = [
        c.method for c in columns
        if c.best_h == largest and c.abs_errors[0] is not None and c.abs_errors[0] <= 1e-10 * max(1.0, abs(slope))
    ]
    if exact:
        lines.append(Message(
            "{methods} {verb} best at the largest h shown: the Taylor terms the formula leaves out are 0 for this f "
            "(a polynomial of low degree), so there is no truncation error to balance and only rounding grows as "
            "h shrinks.", methods=" and ".join(exact), verb=Message("is") if len(exact) == 1 else Message("are"),
        ))
    spacing = float(np.spacing(kind(x)))
    if kind(1e-50) == 0:
        lines.append(Message(
            "In {dtype}, h = 1e-50 is itself 0 (smaller than the least {dtype}, {least:.1e}), so the formula "
            "divides 0 by 0.", dtype=name, least=float(np.finfo(kind).smallest_subnormal),
        ))
    elif x:
        lines.append(Message(
            "At h = 1e-50, x + h == x in {dtype} (neighbouring numbers near x = {x:g} are {spacing:.1e} apart), "
            "so f(x+h) - f(x) is exactly 0 and every method returns 0.", dtype=name, x=x, spacing=spacing,
        ))
    elif slope and 1e-50 in steps and all(c.values[steps.index(1e-50)] == 0 for c in columns):
        # x moved, f did not: each stencil's values are one double, so every difference is exactly 0
        lines.append(Message(
            "At x = 0, x + 1e-50 is a number of its own, but h = 1e-50 is too small to change f at this size of f "
            "(|f| ≈ {f:.3g}): every value of each formula is the same {dtype}, so every method returns 0.",
            f=abs(f), dtype=name,
        ))
    else:
        lines.append(Message("At x = 0, x + 1e-50 is a number of its own, so even h = 1e-50 works here; try x ≠ 0."))
    if f == 0 and order == 1:
        lines.append(Message("(Here f(x) = 0, so the rounding error is smaller than usual.)"))
    return tuple(lines)
