"""f and its gradient for an iteration: compiled once for the many steps, exact for the few
points that decide a verdict (the start, the end, a formula that is 0/0 on the way)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import sympy as sp

from numdiff_cli import symbolic
from numdiff_cli.curvature import exact_hessian
from numdiff_cli.errors import LimitError, MathError
from numdiff_cli.problem import Problem
from numdiff_cli.timeout import time_limit

EXACT_SECONDS = 3.0  # for the exact gradient or Hessian at one point (start, end, a 0/0 formula)


@dataclass(frozen=True)
class Objective:
    """f and its exact gradient compiled once for the steps; the symbolic gradient and Hessian
    for the few places that need exact values (the start, the end, a formula that is 0/0)."""

    symbols: tuple[sp.Symbol, ...]
    gradient: tuple[sp.Expr, ...]
    value: Callable[..., np.ndarray]
    value_and_gradient: Callable[..., list]
    value_of_floats: Callable[..., float]  # f for Python floats, rounding as ``value`` does on arrays
    _precise: dict[tuple[float, ...], np.ndarray] = field(default_factory=dict)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.symbols)

    @classmethod
    def compile(cls, problem: Problem) -> Objective:
        """f of ``problem`` and its gradient, as functions of the variables it learns (``wrt``);
        the others are held at the point's values (the data of a loss function)."""
        learned = problem.wrt
        held = {v: sp.Float(value) for v, value in problem.points[0].items() if v not in learned}
        expr = problem.expr.xreplace(held)
        gradient = tuple(g.xreplace(held) for g in problem.gradient())
        return cls(
            symbols=learned,
            gradient=gradient,
            value=symbolic.compile_function(expr, learned, fast=True),
            value_of_floats=symbolic.compile_function(expr, learned, fast=True, floats=True),
            # A constant partial as a float: an integer one would be Python's int 3 in each row.
            value_and_gradient=symbolic.compile_many([expr, *(sp.Float(g) if g.is_Integer else g for g in gradient)], learned),
        )

    def exact(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        """f(x) and the exact gradient; nan where f is undefined at x."""
        f, g = self.exact_floats(x.tolist())
        return f, np.asarray(g, dtype=float)

    def exact_floats(self, x: list[float]) -> tuple[float, list[float] | np.ndarray]:
        """:meth:`exact` for x as a list of floats, the gradient a list where it is finite."""
        try:
            # Python floats are several times faster here than numpy scalars, but a Python
            # float to a fractional power is complex where numpy's would be nan ((-0.5)**(1/3)).
            values = self.value_and_gradient(*x)
            total = sum(values)
            if isinstance(total, complex):  # f or a partial is not real here
                raise ValueError
            f, *g = values
            f = float(f)
        except (ArithmeticError, ValueError, TypeError):
            return math.nan, np.full(len(x), math.nan)
        # A finite sum has finite terms: only otherwise is each one looked at.
        if not math.isfinite(total) and math.isfinite(f) and not all(map(math.isfinite, g)):
            # A formula that is 0/0 where f is smooth (sinc' at 0) has an exact value all the same.
            return f, self.precise_gradient(np.array(x))
        return f, g

    def precise_gradient(self, x: np.ndarray) -> np.ndarray:
        """The exact gradient at x to 30 digits, taking limits where a formula is 0/0; nan where
        it is undefined or takes longer than EXACT_SECONDS. Kept per point: a run that stands
        still asks for it at every step."""
        key = tuple(x.tolist())
        if key not in self._precise:
            point = dict(zip(self.symbols, key))
            try:
                with time_limit(EXACT_SECONDS, "evaluating the gradient"):
                    self._precise[key] = np.array(
                        [self._precise_value(g, v, point) for g, v in zip(self.gradient, self.symbols)]
                    )
            except LimitError:
                self._precise[key] = np.full(len(key), math.nan)
        return self._precise[key]

    @staticmethod
    def _precise_value(expr: sp.Expr, variable: sp.Symbol, point: dict[sp.Symbol, float]) -> float:
        try:
            return float(symbolic.exact_value(expr, point, what=str(expr), limit_in=variable))
        except MathError:
            return math.nan

    def numeric(self, h: float) -> Callable[[np.ndarray], tuple[float, np.ndarray]]:
        """x -> f(x) and the lecture's central-difference gradient, (f(x+h) - f(x-h)) / 2h.

        All 2n + 1 values come from one call of the compiled function; the closure binds
        everything it needs, since it runs once per step of a descent.
        """
        n = len(self.variables)
        eye = np.eye(n) * h
        offsets = np.vstack([np.zeros(n), eye, -eye])  # x, x + h e_i, x - h e_i
        value, plus, minus, two_h = self.value, slice(1, n + 1), slice(n + 1, None), 2 * h

        def evaluate(x: np.ndarray) -> tuple[float, np.ndarray]:
            try:
                values = value(*(x + offsets).T)
            except (ArithmeticError, TypeError, ValueError):  # Python-int constants beyond floats, say
                return math.nan, np.full(n, math.nan)
            return values[0], (values[plus] - values[minus]) / two_h

        return evaluate

    def eigenvalues(self, x: np.ndarray) -> np.ndarray:
        """The exact Hessian's eigenvalues at x; nan where the Hessian is not finite there, or
        takes longer than EXACT_SECONDS to evaluate (see :meth:`hessian`)."""
        matrix = self.hessian(x)
        return np.linalg.eigvalsh(matrix) if np.all(np.isfinite(matrix)) else np.full(len(x), math.nan)

    def hessian(self, x: np.ndarray) -> np.ndarray:
        """The exact Hessian at x; nan where it is not finite there, or takes longer than
        EXACT_SECONDS to evaluate.

        The entries are 30-digit values, not compiled formulas: near a point where a formula is
        0/0 a compiled one cancels, and its sign, which decides the kind of point, is noise. Where
        the entries are too large to evaluate in time, the kind of point is left open rather than
        the run lost.
        """
        point = dict(zip(self.symbols, x.tolist()))
        try:
            with time_limit(EXACT_SECONDS, "evaluating the Hessian"):
                return exact_hessian(self.gradient, self.symbols, point)
        except (MathError, LimitError):
            return np.full((len(x), len(x)), math.nan)
