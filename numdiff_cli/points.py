"""Variables in their natural order, and the points where they are evaluated (``--at``)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import sympy as sp

from numdiff_cli.errors import ParseError, UsageError, brief
from numdiff_cli.i18n import Message
from numdiff_cli.parsing import MAX_BUILD_SECONDS, check_length, parse_expression, readable
from numdiff_cli.timeout import time_limit


def parse_constant(text: str) -> sp.Expr:
    """Parse a constant real number such as ``3``, ``-1e-3`` or ``pi/4`` (exact, unevaluated).

    Raises
    ------
    ParseError
        If the text is not an expression, has a variable in it, or is not a finite real number.
    """
    value = parse_expression(text)
    if value.free_symbols:
        names = ", ".join(sorted(str(s) for s in value.free_symbols))
        raise ParseError("{text!r} should be a number but contains the variable {names}",
                         text=text.strip(), names=names)
    try:
        with time_limit(MAX_BUILD_SECONDS, Message("evaluating {what}", what=brief(text.strip()))):
            number = value.evalf(30)
    except (RecursionError, MemoryError, ArithmeticError, ValueError):
        raise ParseError("{text!r} is too large to evaluate", text=text.strip()) from None
    if not (number.is_real and number.is_finite):
        raise ParseError("{text!r} is not a finite real number", text=text.strip())
    return value


def ordered_variables(expressions: Iterable[sp.Expr]) -> tuple[sp.Symbol, ...]:
    """The free symbols of ``expressions`` in natural order: x0, x1, ..., x9, x10, then a, b, ..."""
    symbols: set[sp.Symbol] = set()
    for expression in expressions:
        symbols |= expression.free_symbols
    return tuple(sorted(symbols, key=lambda s: natural_key(s.name)))


def variable(name: str) -> sp.Symbol:
    """The real symbol called ``name``, as expressions make it.

    Raises
    ------
    ParseError
        If ``name`` is not a valid variable name (a constant or function name included).
    """
    expr = parse_expression(name)
    if not isinstance(expr, sp.Symbol):
        raise ParseError("{name!r} is not a variable name", name=name)
    return expr


def choose_variable(expr: sp.Expr, wrt: str | None) -> sp.Symbol:
    """The variable to differentiate ``expr`` by: ``wrt``, or the only one there is.

    A constant expression is differentiated by ``wrt`` or by x.

    Raises
    ------
    UsageError
        If there are several variables and ``wrt`` is None, or ``wrt`` is not one of them.
    """
    variables = ordered_variables([expr])
    names = ", ".join(v.name for v in variables)
    if not variables:  # x itself, not parsed: at the repl's prompt x may be a name (x = 3) of a number
        return variable(wrt) if wrt else sp.Symbol("x", real=True)
    if wrt is None:
        if len(variables) > 1:
            raise UsageError(
                "the expression has the variables {names}: choose one with {wrt}, or see them all as a gradient",
                parameter="wrt",
                names=names,
            )
        return variables[0]
    return choose_variables(variables, [wrt])[0]


def choose_variables(variables: Sequence[sp.Symbol], names: Sequence[str] | None) -> tuple[sp.Symbol, ...]:
    """The variables called ``names``, in that order; all of ``variables`` where ``names`` is None.

    Raises
    ------
    UsageError
        If a name is not one of ``variables`` (the sentence lists them), or comes twice.
    """
    if names is None:
        return tuple(variables)
    by_name = {v.name: v for v in variables}
    twice = [name for name in dict.fromkeys(names) if names.count(name) > 1]
    if twice:
        raise UsageError("{wrt} names {twice} more than once", parameter="wrt", twice=", ".join(twice))
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise UsageError(
            "{wrt} names {unknown}, which is not a variable of the expression ({names})",
            parameter="wrt",
            unknown=", ".join(repr(name) for name in unknown),
            names=", ".join(by_name),
        )
    return tuple(by_name[name] for name in names)


def natural_key(name: str) -> tuple[object, ...]:
    """Sort key that orders digit runs by value, so x2 comes before x10."""
    return tuple(int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name))


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Split at ``separator`` where it is outside every bracket: ``atan2(1,2),3`` gives two parts."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def parse_point(text: str, variables: Sequence[sp.Symbol], parameter: str = "at") -> dict[sp.Symbol, sp.Expr]:
    """Parse a point: values in variable order (``3,4``) or by name (``x1=4,x0=3``).

    Returns exact sympy numbers keyed by symbol, one for every variable. Errors name the
    point as ``parameter``.

    Raises
    ------
    UsageError
        For a wrong number of values, an unknown, missing or repeated name, or a mix of both
        forms; the sentence lists the variables.
    ParseError
        For a value that is not a finite real constant.
    """
    check_length(text)
    if not variables and not text.strip():
        return {}  # a constant needs no point
    items = [item.strip() for item in split_top_level(text)]
    listing = ", ".join(v.name for v in variables)

    def refuse(problem: Message) -> UsageError:
        return UsageError("{parameter} {text!r} {problem}", parameter=parameter, text=text, problem=problem)

    if not all(items):
        raise refuse(Message("has an empty value; give one for each of ({listing})", listing=listing))
    named = ["=" in item for item in items]
    if any(named) and not all(named):
        raise refuse(Message("mixes named and unnamed values; use one form for ({listing})", listing=listing))
    if not any(named):
        if len(items) != len(variables):
            raise refuse(Message(
                "gives {count} but the expression has {size} ({listing})",
                count=Message("1 value") if len(items) == 1 else Message("{n} values", n=len(items)),
                size=Message("1 variable") if len(variables) == 1 else Message("{n} variables", n=len(variables)),
                listing=listing,
            ))
        return {v: parse_constant(item) for v, item in zip(variables, items)}
    by_name = {v.name: v for v in variables}
    point: dict[sp.Symbol, sp.Expr] = {}
    for item in items:
        name, _, value = (part.strip() for part in item.partition("="))
        if not value:  # else the parser's "the expression is empty" blames the expression
            raise refuse(Message("gives no value after {name}=; give one for each of ({listing})", name=name,
                                 listing=listing))
        if name not in by_name:
            raise refuse(Message("names {name!r}, which is not a variable of the expression ({listing})", name=name,
                                 listing=listing))
        if by_name[name] in point:
            raise refuse(Message("gives {name} more than once; give each of ({listing}) once", name=name,
                                 listing=listing))
        point[by_name[name]] = parse_constant(value)
    missing = [v.name for v in variables if v not in point]
    if missing:
        raise refuse(Message("gives no value for {missing} (variables: {listing})", missing=", ".join(missing),
                             listing=listing))
    return {v: point[v] for v in variables}


def to_doubles(
    point: Mapping[sp.Symbol, sp.Expr], variables: Sequence[sp.Symbol], dtype: type = np.float64, parameter: str = "at"
) -> dict[sp.Symbol, float]:
    """The point rounded to the nearest numbers of ``dtype`` (as Python floats), in variable order.

    Raises
    ------
    UsageError
        For a coordinate beyond the range of ``dtype``, or so close to 0 that it would be 0 in it
        (the point would silently be another one), naming the point as ``parameter``.
    """
    values = {}
    with np.errstate(over="ignore", under="ignore"):
        for v in variables:
            exact = sp.N(point[v], 30)
            value = float(dtype(float(exact)))
            if not math.isfinite(value):
                raise UsageError(
                    "{parameter} gives {name} = {value}, too large for {dtype}",
                    parameter=parameter,
                    name=v.name,
                    value=brief(readable(point[v]), 30),
                    dtype=np.dtype(dtype).name,
                )
            if value == 0 and not exact.is_zero:  # is_zero: a typed -0.0 is 0 (sympy's != says it is not)
                raise UsageError(
                    "{parameter} gives {name} = {value}, closer to 0 than the smallest {dtype} ({tiny:.1e}): it "
                    "would be 0; type 0 if you mean 0",
                    parameter=parameter,
                    name=v.name,
                    value=brief(readable(point[v]), 30),
                    dtype=np.dtype(dtype).name,
                    tiny=float(np.finfo(dtype).smallest_subnormal),
                )
            values[v] = value
    return values
