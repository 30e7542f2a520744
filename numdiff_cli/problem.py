"""The problem every command works on, built once from what the user typed.

A :class:`Problem` holds the parsed function (or functions, for a Jacobian), its variables
in their shown order, the ones to differentiate by, the point(s) as doubles of the chosen
dtype with the exact value of f at each, and serves compiled code and symbolic derivatives,
each made once. Every command core takes one; none parses text or rounds a point itself.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import domain, parsing, points, symbolic
from numdiff_cli.errors import ParseError, UsageError

DTYPES = {"float64": np.float64, "float32": np.float32}

Number = int | float | str
PointLike = Number | Sequence[Number] | Mapping[str, Number]


@dataclass(frozen=True)
class Problem:
    """A parsed function at one or more points.

    ``points[p]`` maps every variable to its coordinate as a double of ``dtype`` (held as a
    Python float); ``values[p][e]`` is the exact value of ``expressions[e]`` there (30
    digits). Building a Problem checks that every expression is defined at every point.
    """

    expressions: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    wrt: tuple[sp.Symbol, ...]
    points: tuple[dict[sp.Symbol, float], ...]
    values: tuple[tuple[mpmath.mpf, ...], ...]
    dtype: str = "float64"
    typed: tuple[dict[str, str], ...] = ()  # per point, the coordinates typed as constants (pi/4), as text
    _made: dict[tuple[object, ...], object] = field(default_factory=dict, repr=False, compare=False)

    @property
    def expr(self) -> sp.Expr:
        """The function, where there is one."""
        return self.expressions[0]

    @property
    def kind(self) -> type:
        """The numpy scalar type of ``dtype``."""
        return DTYPES[self.dtype]

    def function(self, index: int = 0) -> symbolic.Function:
        """``expressions[index]`` compiled to numpy over ``variables``, broadcasting over arrays."""
        return self._once(("function", index), lambda: symbolic.compile_function(self.expressions[index], self.variables))

    def derivative(self, variable: sp.Symbol, order: int = 1, index: int = 0) -> sp.Expr:
        """The symbolic ``order``-th derivative of ``expressions[index]`` in ``variable``."""
        return self._once(
            ("derivative", variable, order, index),
            lambda: symbolic.derivative(self.expressions[index], variable, order),
        )

    def gradient(self, index: int = 0) -> tuple[sp.Expr, ...]:
        """The symbolic first derivatives of ``expressions[index]`` in each variable of ``wrt``."""
        return tuple(self.derivative(v, 1, index) for v in self.wrt)

    def _once(self, key: tuple[object, ...], make: Callable[[], object]) -> object:
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]


def build(
    expression: str | sp.Expr | Sequence[str | sp.Expr],
    at: PointLike | list[PointLike] | None,
    *,
    wrt: str | Sequence[str] | None = None,
    dtype: str = "float64",
    several_points: bool = False,
    several_functions: bool = False,
    one_variable: bool = False,
    parameter: str = "at",
) -> Problem:
    """The :class:`Problem` of ``expression`` at ``at``, everything typed read by the safe parser.

    ``expression`` is text (several comma-separated functions where ``several_functions``)
    or sympy expressions. A point is a number, a constant as text (``"pi/4"``), values in
    variable order (``(3, 4)`` or ``"3,4"``) or by name (``{"x1": 4, "x0": 3}`` or
    ``"x1=4,x0=3"``); with ``several_points``, ``at`` may be a list of such points. ``wrt``
    names the variables to differentiate by (default all; with ``one_variable``, the only
    one there is). Errors about the point name it as ``parameter``.

    Raises
    ------
    ParseError
        For text that is not an expression or a constant.
    UsageError
        For a wrong point, an unknown variable or dtype.
    MathError
        Where an expression is undefined, not real or overflows at a point.

    Examples
    --------
    >>> problem = build("x0^2 + x1^2", (3, 4))
    >>> problem.variables, problem.points[0], [float(v) for v in problem.values[0]]
    ((x0, x1), {x0: 3.0, x1: 4.0}, [25.0])
    """
    if dtype not in DTYPES:
        raise UsageError("{dtype} must be one of {names}, not {value!r}", parameter="dtype", names=", ".join(DTYPES), value=dtype)
    expressions, dropped = _expressions(expression, several_functions)
    variables = points.ordered_variables(expressions)
    if one_variable:
        if wrt is not None and not isinstance(wrt, str):
            raise UsageError("{wrt} takes one variable here", parameter="wrt")
        chosen: tuple[sp.Symbol, ...] = (points.choose_variable(expressions[0], wrt),)
        variables = variables or chosen
    else:
        names = wrt.split(",") if isinstance(wrt, str) else wrt
        if names is not None and (not isinstance(names, Sequence) or not all(isinstance(n, str) for n in names)):
            raise UsageError("{wrt} takes variable names, not {value!r}", parameter="wrt", value=wrt)
        chosen = points.choose_variables(variables, None if names is None else [n.strip() for n in names])
    if at is None:
        raise UsageError(
            "give the point with {parameter} (the variables are {names})",
            parameter=parameter,
            names=", ".join(v.name for v in variables),
        )
    texts = [_as_list(_point_text(p, parameter), len(variables)) for p in (_several(at, parameter) if several_points else [at])]
    exact = [points.parse_point(text, variables, parameter) for text in texts]
    doubles = tuple(points.to_doubles(point, variables, DTYPES[dtype], parameter) for point in exact)
    for point in doubles:
        domain.check_defined(dropped, point)
    values = tuple(tuple(symbolic.exact_value(e, point, what=parsing.readable(e)) for e in expressions) for point in doubles)
    typed = tuple({v.name: _constant_text(c) for v, c in point.items() if not c.is_Number} for point in exact)
    return Problem(expressions, variables, chosen, doubles, values, dtype, typed)


def _expressions(
    expression: str | sp.Expr | Sequence[str | sp.Expr], several: bool
) -> tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...]]:
    """The expressions, and the parts of them as typed that sympy dropped building them (see
    :func:`parsing.parse_as_typed`)."""
    if isinstance(expression, sp.Expr):
        return (expression,), ()
    if isinstance(expression, numbers.Real) and not isinstance(expression, bool):
        expression = _number_text(expression, "expression")
    if not isinstance(expression, (str, Sequence)) or (not isinstance(expression, str) and not expression):
        raise UsageError("{expression} takes text, not {value!r}", parameter="expression", value=expression)
    if isinstance(expression, str):
        if several:
            return parsing.parse_as_typed(expression)
        expression = [expression]
    typed = [((e,), ()) if isinstance(e, sp.Expr) else parsing.parse_as_typed(e) for e in expression]
    parsed = tuple(e for expressions, _ in typed for e in expressions)
    if len(parsed) != len(typed):
        raise ParseError("expected one expression but got {length} separated by commas", length=len(parsed))
    if not several and len(parsed) != 1:
        raise UsageError("{expression} takes one function here, not {count}", parameter="expression", count=len(parsed))
    return parsed, tuple(part for _, dropped in typed for part in dropped)


def _several(at: PointLike | list[PointLike], parameter: str) -> list[PointLike]:
    """A list of points is several; a tuple, like a number, text or a mapping, is one."""
    if isinstance(at, list) and not at:
        raise UsageError("{parameter} holds no point", parameter=parameter)
    return list(at) if isinstance(at, list) else [at]


def _point_text(point: PointLike, parameter: str) -> str:
    """A point as the text the point parser reads, whatever form it came in.

    Raises
    ------
    UsageError
        For anything that is not a number, text, a sequence or a mapping of them.
    """
    if isinstance(point, Mapping):
        return ",".join(f"{name}={_number_text(value, parameter)}" for name, value in point.items())
    if getattr(point, "ndim", None) == 0:  # a numpy scalar or 0-d array
        point = point.item()  # type: ignore[union-attr]
    if isinstance(point, (str, numbers.Number)):
        return _number_text(point, parameter)
    try:
        values = list(point)  # type: ignore[arg-type]
    except TypeError:
        raise UsageError("{parameter} takes numbers, not {value!r}", parameter=parameter, value=point) from None
    return ",".join(_number_text(value, parameter) for value in values)


def _as_list(text: str, count: int) -> str:
    """A point as the lecture writes it, ``(3, 4)``, ``[3, 4]``, ``3 4`` or as numpy prints it,
    ``[3. 4.]``, as the list ``3, 4``.

    Brackets around a whole list with a comma are dropped; values apart by spaces alone are a
    list only where there are as many as variables (with one variable, ``2 pi`` is 2π).
    """
    stripped = text.strip()
    wrapped = _wrapped(stripped)
    inner = stripped[1:-1] if wrapped else stripped
    if wrapped and len(points.split_top_level(inner)) > 1:
        return inner
    words = inner.split()  # also inside brackets: numpy prints a point as [3. 4.]
    if count > 1 and len(words) == count and "," not in inner and "=" not in inner:
        return ", ".join(words)
    return text


def _constant_text(value: sp.Expr) -> str:
    """A typed constant as a person reads it: ``π/4``, ``sqrt(2)/2``."""
    return re.sub(r"\bpi\b", "π", str(value))


def _wrapped(text: str) -> bool:
    """True where one pair of brackets, () or [], holds the whole text."""
    if text[:1] + text[-1:] not in ("()", "[]"):
        return False
    depth = 0
    for i, char in enumerate(text):
        depth += (char in "([") - (char in ")]")
        if depth == 0:
            return i == len(text) - 1
    return False


def _number_text(value: Number, parameter: str) -> str:
    if getattr(value, "ndim", None) == 0:  # a numpy scalar
        value = value.item()  # type: ignore[union-attr]
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise UsageError("{parameter} takes numbers, not {value!r}", parameter=parameter, value=value)
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if not math.isfinite(value):
        raise UsageError("{parameter} takes finite numbers, not {value}", parameter=parameter, value=value)
    return repr(float(value))  # the shortest text of the same double, which the parser reads back exactly
