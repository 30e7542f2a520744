"""Analytic derivatives with sympy, their exact values, and compiled numpy versions.

Every symbolic step runs under a time limit, and every exact value is checked: a value that
is not real, not finite or beyond double precision becomes a :class:`MathError` in words.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Mapping, Sequence

import mpmath
import numpy as np
import sympy as sp

from numdiff_cli import float_code, huge_arguments
from numdiff_cli.errors import LimitError, MathError, brief
from numdiff_cli.float_code import FloatPrinter
from numdiff_cli.i18n import Message
from numdiff_cli.parsing import MAX_DEPTH, nesting_depth
from numdiff_cli.results.codes import Reason
from numdiff_cli.timeout import time_limit

SYMBOLIC_SECONDS = 10.0  # time limit of one symbolic step (differentiate, evaluate)
EXACT_DIGITS = 30  # significant digits of every exact value
LIMIT_SECONDS = 2.0  # for the limit that stands in for a formula that is 0/0 at the point
_FLOAT_MAX = mpmath.mpf(np.finfo(np.float64).max)
_FLOAT_BITS = 53  # a double's significand

def _elementwise(function: Callable[..., float]) -> Callable[..., np.ndarray]:
    """``function`` over arrays (of each of its arguments), with nan where it is undefined (a pole of
    gamma or polygamma, say)."""

    def safe(*values: float) -> float:
        try:
            return function(*values)
        except (ValueError, OverflowError, ZeroDivisionError):
            return math.nan

    return np.vectorize(safe, otypes=[float])


def _reciprocal(function: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """v -> 1 / function(v): sec from cos, coth from tanh."""
    return lambda v: 1 / function(v)


def _of_reciprocal(function: Callable[[np.ndarray], np.ndarray]) -> Callable[[np.ndarray], np.ndarray]:
    """v -> function(1 / v): asec from arccos, acoth from arctanh."""
    return lambda v: function(1 / v)


# Functions numpy lacks; lambdify would fall back to scalar-only math versions.
_NUMPY_EXTRAS = {
    "erf": _elementwise(math.erf),
    "erfc": _elementwise(math.erfc),
    "gamma": _elementwise(math.gamma),
    "factorial": _elementwise(lambda n: math.gamma(n + 1)),
    # numpy's printer writes Heaviside as a Piecewise whose conditions sympy must solve, which it
    # cannot always do; numpy.heaviside needs none. H(0) = 1/2, as in sympy.
    "Heaviside": lambda v, h0=0.5: np.heaviside(v, h0),
    # Derivatives of abs, sign, Heaviside and gamma: zero away from the jump; polygamma via mpmath.
    "DiracDelta": lambda v, *k: np.where(np.asarray(v) == 0, math.nan, 0.0),
    "polygamma": _elementwise(lambda n, v: float(mpmath.polygamma(int(n), v))),
    # numpy lacks the reciprocal functions, and sympy's printer would rewrite them through others:
    # coth(x) as (exp(x) + exp(-x))/(exp(x) - exp(-x)), which is inf/inf = nan beyond |x| ≈ 710
    # where coth(x) = ±1. Each is written here as the reciprocal of numpy's own (complex inputs
    # too, for the complex step); the inverses take the reciprocal of the argument, the real
    # branch sympy takes (acot(x) = atan(1/x)).
    **{name: _reciprocal(function) for name, function in (
        ("sec", np.cos), ("csc", np.sin), ("cot", np.tan), ("sech", np.cosh), ("csch", np.sinh), ("coth", np.tanh),
    )},
    **{name: _of_reciprocal(function) for name, function in (
        ("asec", np.arccos), ("acsc", np.arcsin), ("acot", np.arctan), ("asech", np.arccosh), ("acsch", np.arcsinh),
        ("acoth", np.arctanh),
    )},
}
# Where these have an argument of zero (or tie), the expression may have a corner or a jump.
_NONSMOOTH = (sp.Abs, sp.sign, sp.Heaviside, sp.floor, sp.ceiling, sp.Max, sp.Min)
_REAL_ONLY = (sp.erf, sp.erfc, sp.gamma, sp.factorial, sp.atan2)  # real-only numpy or math code

Function = Callable[..., np.ndarray]


def derivative(expr: sp.Expr, variable: sp.Symbol, order: int = 1) -> sp.Expr:
    """The ``order``-th derivative of ``expr`` with respect to ``variable``.

    Raises
    ------
    LimitError
        If sympy needs longer than :data:`SYMBOLIC_SECONDS`, or an expression to differentiate
        (``expr`` or a lower derivative) is nested deeper than :data:`~numdiff_cli.parsing.MAX_DEPTH`.
    MathError
        If sympy cannot differentiate the expression in closed form.
    """
    result = expr
    with time_limit(SYMBOLIC_SECONDS, "differentiating"):
        try:
            for taken in range(order):
                _check_differentiable(result, Message("derivative {n} of {f}", n=taken, f=brief(expr)) if taken else brief(expr))
                # A sum is differentiated term by term, skipping the terms without the variable:
                # for a function of n variables written out, this makes each partial O(1) in n.
                terms = result.args if result.is_Add else (result,)
                result = sp.Add(*(sp.diff(t, variable) for t in terms if t.has(variable)))
            # floor and ceiling are flat between their jumps; sympy leaves their derivative unevaluated.
            result = result.replace(
                lambda e: isinstance(e, sp.Derivative) and isinstance(e.expr, (sp.floor, sp.ceiling)),
                lambda e: sp.S.Zero,
            )
            # The chain rule through them leaves Subs(0, ...) behind: evaluate what is now evaluable.
            result = result.replace(lambda e: isinstance(e, sp.Subs), lambda e: e.doit())
        except (AttributeError, NotImplementedError, TypeError, ValueError):  # sympy's own limits
            raise MathError("sympy cannot differentiate {f} with respect to {variable}", f=brief(expr),
                            variable=str(variable)) from None
    if result.has(sp.Derivative, sp.Subs):
        raise MathError("sympy cannot differentiate {f} with respect to {variable} in closed form", f=brief(expr),
                        variable=str(variable))
    return result


def _check_differentiable(expr: sp.Expr, what: str) -> None:
    """Refuse to differentiate an expression nested deeper than the parser allows: sympy
    differentiates recursively, and a derivative can be twice as deep as its expression
    (d/dx u^x holds u' inside a product inside a sum), so each step starts within the limit."""
    nested = nesting_depth(expr)
    if nested > MAX_DEPTH:
        raise LimitError(
            "{what} is nested {nested} operations deep; numdiff differentiates expressions up to {most} deep",
            what=what, nested=nested, most=MAX_DEPTH,
        )


def hessian(gradient: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> list[list[sp.Expr]]:
    """The symmetric matrix of second derivatives, from the first derivatives ``gradient``."""
    n = len(variables)
    matrix = [[sp.S.Zero] * n for _ in range(n)]
    for i in range(n):
        for j in range(i, n):
            matrix[i][j] = matrix[j][i] = derivative(gradient[i], variables[j])
    return matrix


def format_point(point: Mapping[sp.Symbol, object]) -> str:
    """``x = 3`` for one variable, ``(x, y) = (2, 3)`` for several."""
    names = [s.name for s in point]
    values = [_short_number(v) for v in point.values()]
    if len(names) == 1:
        return f"{names[0]} = {values[0]}"
    return f"({', '.join(names)}) = ({', '.join(values)})"


def _short_number(value: object) -> str:
    return f"{value:.15g}" if isinstance(value, float) else str(value)


def exact_value(
    expr: sp.Expr,
    point: Mapping[sp.Symbol, float],
    *,
    what: str,
    digits: int = EXACT_DIGITS,
    limit_in: sp.Symbol | None = None,
) -> mpmath.mpf:
    """The value of ``expr`` at ``point``, correct to ``digits`` significant digits.

    The point is taken exactly as the doubles given, so the value is what an infinitely
    precise computation at those doubles would give. With ``limit_in``, an expression that is
    0/0 at the point (sinc's derivative ``cos(x)/x - sin(x)/x**2`` at 0) has the value of its
    two-sided limit in that variable, the others held: for a derivative of a function that is
    continuous there, that limit is the derivative.

    Raises
    ------
    MathError
        Naming ``what`` and the point when the value is not real, not finite, or too
        large for double precision.
    """
    where, what = format_point(point), what if isinstance(what, Message) else brief(what)
    # Exact rationals, not Floats: evalf reads a Float as approximate, so where the value
    # cancels to exactly zero (1 - x**2 at x = 1) it gives noise instead of 0, and a pole after
    # it (acos's slope at 1) a huge finite number; exact arithmetic sees the 0 and the pole.
    subs = {symbol: sp.Rational(value) for symbol, value in point.items()}
    with time_limit(SYMBOLIC_SECONDS, Message("evaluating {what}", what=what)):
        try:
            with sp.evaluate(False):
                huge_arguments.check(expr.xreplace(subs), what=what, where=where)
            value = _evaluate(_exact_decimals(expr, digits), subs, digits, limit_in)
        except (ArithmeticError, ValueError):  # mpmath at a pole of gamma, say
            raise MathError("{what} is undefined at {where}", what=what, where=where) from None
        except TypeError:  # sympy comparing a nan it made on the way (atan2(0, zoo) at a pole)
            raise MathError("{what} is undefined at {where}", what=what, where=where) from None
        except (RecursionError, MemoryError):  # mpmath on a number like exp(exp(1e300))
            raise MathError("{what} is too large to evaluate at {where}", what=what, where=where) from None
    if value.has(sp.zoo, sp.nan):
        raise MathError("{what} is undefined at {where}", what=what, where=where)
    if value.has(sp.oo, -sp.oo):
        raise MathError("{what} is infinite at {where}", what=what, where=where)
    if not value.is_number:
        raise MathError("sympy cannot evaluate {what} at {where}", what=what, where=where)
    real, imag = value.as_real_imag()
    if not (real.is_Number and imag.is_Number):  # something evalf left unevaluated
        raise MathError("sympy cannot evaluate {what} at {where} to a number", what=what, where=where)
    if imag != 0 and abs(imag) > 10 ** (-digits) * (1 + abs(real)):
        if _odd_root_of_negative(expr, subs):
            raise MathError("{what} is not real at {where}; cbrt(x) is the real cube root, root(x, n) the "
                            "real n-th root for an odd n",
                            what=what, where=where)
        raise MathError("{what} is not real at {where}", what=what, where=where)
    # Where terms cancel beyond what evalf can resolve (1 - tanh(u)² at u = 1e200), it returns
    # a Float holding almost no bits: that is no value, whatever number it prints.
    if real.is_Float and real != 0 and real._prec < _FLOAT_BITS:
        raise MathError("sympy cannot evaluate {what} at {where}: its terms cancel beyond {digits} digits",
                        what=what, where=where, digits=digits)
    result = mpmath.mpf(sp.Float(real, digits)._mpf_)
    if abs(result) > _FLOAT_MAX:
        raise MathError("{what} overflows double precision at {where} (its value is about {about})", what=what,
                        where=where, about=_about(result))
    return result


def _odd_root_of_negative(expr: sp.Expr, subs: Mapping[sp.Symbol, sp.Rational]) -> bool:
    """True where ``expr`` has a power b^(p/n), n odd, whose base is negative at the point: x^(1/3)
    at -8, complex as typed, where a person may have meant the real cube root."""
    return any(
        power.exp.is_Rational and power.exp.q % 2 == 1 and power.exp.q > 1 and power.base.xreplace(subs).is_negative
        for power in expr.atoms(sp.Pow)
    )


def _exact_decimals(expr: sp.Expr, digits: int) -> sp.Expr:
    """``expr`` with each Float in double range made the exact value of its double, held to
    more than ``digits`` digits.

    A typed decimal (0.01) is a sympy Float of 53 bits, and sympy computes with it at that
    precision, so its rounding would show in the 17th digit of an exact value; as the exact
    value of the double the compiled code uses, it takes part in the evaluation exactly. A
    Float, not a rational: a rational exponent with a denominator of 2**78 (x**(1e-8)) makes
    sympy's root finding too slow. A Float beyond double range (1e-43429448, folded from a
    constant) is no double: it stays.
    """
    exact = {}
    for number in expr.atoms(sp.Float):
        double = float(number)
        if math.isfinite(double) and (double != 0 or number.is_zero):
            exact[number] = sp.Float(double, digits + 10)
    return expr.xreplace(exact)


def _about(value: mpmath.mpf) -> str:
    """A number of any size in a few characters, 1.97e+434 or 10^(1.2e+173744): mpmath's nstr
    takes minutes on a number of 10^173744 digits, but its logarithm is cheap."""
    digits = mpmath.log10(abs(value))
    return mpmath.nstr(value, 3) if digits < 10_000 else f"10^({mpmath.nstr(digits, 3)})"


def complex_step_obstacle(expr: sp.Expr) -> tuple[Reason, str] | None:
    """Why the complex step cannot differentiate ``expr`` (a code and a sentence), or None if it can."""
    nonsmooth = expr.atoms(*_NONSMOOTH)
    if nonsmooth:
        return Reason.NOT_COMPLEX_ANALYTIC, Message("{f} is not complex-analytic", f=brief(sorted(nonsmooth, key=str)[0], 30))
    real_only = expr.atoms(*_REAL_ONLY)
    if real_only:
        return (
            Reason.REAL_ONLY_FUNCTION,
            Message("numdiff evaluates {f} for real numbers only", f=brief(sorted(real_only, key=str)[0], 30)),
        )
    return None


def derivative_value(
    expr: sp.Expr,
    variable: sp.Symbol,
    point: Mapping[sp.Symbol, float],
    *,
    order: int = 1,
    known: sp.Expr | None = None,
    digits: int = EXACT_DIGITS,
) -> tuple[mpmath.mpf | None, str | None]:
    """The exact ``order``-th derivative in ``variable`` at ``point``, or ``(None, reason)``.

    ``known`` may pass that symbolic derivative when it has been computed already.

    Raises
    ------
    MathError
        Where the derivative exists symbolically but is not finite or not real.
    """
    # The last differentiation step is the one that may fail to exist.
    before_last = derivative(expr, variable, order - 1) if order > 1 else expr
    reason = nonsmooth_reason(before_last, variable, point)
    if reason:
        return None, reason
    exact = known if known is not None else derivative(expr, variable, order)
    return exact_value(exact, point, what=Message("the derivative {f}", f=brief(text(exact))), digits=digits, limit_in=variable), None


def text(expr: sp.Expr) -> str:
    """``expr`` as text; a stand-in where sympy cannot print it (a Float like e^1e400 inside)."""
    try:
        return str(expr)
    except (ArithmeticError, ValueError, RecursionError):
        return "(a formula too large to print)"


def _evaluate(
    expr: sp.Expr, subs: Mapping[sp.Symbol, sp.Rational], digits: int, limit_in: sp.Symbol | None
) -> sp.Expr:
    # First numerically, on the expression as it stands: evalf with strict=True either reaches
    # full accuracy or refuses, as it does where terms cancel to exactly 0 (1 - x**2 at 1).
    # There exact arithmetic decides: sympy's own evaluation sees the 0 and the pole (zoo) or
    # 0/0 (nan) that follows. Exact arithmetic everywhere would be slow where numbers grow:
    # (1.0000001)^x at 1e6 is a rational of 53 million bits.
    try:
        with sp.evaluate(False):
            numeric = expr.xreplace(subs)
        value = numeric.evalf(digits, strict=True)
        if _finished(value):
            return value
    except LimitError:
        raise
    except Exception:
        # PrecisionExhausted where terms cancel, and any error of sympy's on an unevaluated tree
        # (a zoo inside tan, a 1 inside sec): exact evaluation decides, with the errors the
        # caller words.
        pass
    value = expr.xreplace(subs)  # one pass (subs would walk the expression once per variable)
    if value is sp.nan and limit_in is not None:
        value = _approached(expr, subs, last=limit_in)
    if value.has(sp.zoo, sp.nan):  # undefined as it stands (and evalf cannot take a zoo inside a function)
        return value
    return value.evalf(digits)


def _finished(value: sp.Expr) -> bool:
    """True where evalf gave a finite number, real or complex; not for nan, zoo or an
    expression it left standing (Heaviside(log(0**0)), which sympy's evaluation makes 1/2)."""
    if value.has(sp.zoo, sp.nan):  # zoo.as_real_imag() is no pair; oo fails is_finite below
        return False
    return all((part.is_Float or part.is_zero) and part.is_finite for part in value.as_real_imag())


def _approached(expr: sp.Expr, subs: Mapping[sp.Symbol, sp.Rational], *, last: sp.Symbol) -> sp.Expr:
    """``expr`` at the point, reached one variable at a time and ``last`` last, where each
    substitution that gives 0/0 becomes a two-sided limit; nan where sympy finds no limit.

    Holding y at 0 in y*(cos(x*y)/(x*y) - sin(x*y)/(x*y)**2) is 0/0 for every x; its limit in y
    is the partial derivative of sinc(x*y) along y = 0, whose limit in x is then the value.
    """
    value = expr
    try:
        with time_limit(LIMIT_SECONDS, "taking a limit"):
            for symbol in [*(s for s in subs if s != last), last]:
                reached = value.xreplace({symbol: subs[symbol]})
                if reached is sp.nan:
                    reached = sp.limit(value, symbol, subs[symbol], dir="+-")
                value = reached
    except (LimitError, NotImplementedError, ValueError):  # no limit, or none sympy can find in time
        return sp.nan
    # An interval (sin(1/x) at 0) or a limit left unevaluated is no value.
    return sp.nan if value.has(sp.AccumBounds, sp.Limit) else value


def nonsmooth_reason(expr: sp.Expr, variable: sp.Symbol, point: Mapping[sp.Symbol, float]) -> str | None:
    """Why ``expr`` has no derivative in ``variable`` at ``point``, or None if it has one.

    Only corners and jumps of abs, sign, Heaviside, floor, ceiling, max and min are
    looked for; the one-sided derivatives are compared at high precision.
    """
    with time_limit(SYMBOLIC_SECONDS, "looking for a corner or a jump"):
        candidates = [a for a in expr.atoms(*_NONSMOOTH) if _at_switch(a, point)]
        if not candidates:
            return None
        return _one_sided_reason(expr, variable, point)


def _one_sided_reason(expr: sp.Expr, variable: sp.Symbol, point: Mapping[sp.Symbol, float]) -> str | None:
    """Compare f and f' just left and right of the point, at 50 digits."""
    where = format_point(point)
    base = {s: sp.Float(v, 60) for s, v in point.items()}
    delta = sp.Float(1e-20, 60) * max(1, abs(base[variable]))
    _check_differentiable(expr, brief(expr))
    slope = sp.diff(expr, variable)

    def value_and_slope(offset: sp.Float) -> tuple[sp.Expr, sp.Expr]:
        subs = {**base, variable: base[variable] + offset}
        return expr.evalf(50, subs=subs), slope.evalf(50, subs=subs)

    try:
        centre = expr.evalf(50, subs=base)
        (left_value, left_slope), (right_value, right_slope) = value_and_slope(-delta), value_and_slope(delta)
    except (ArithmeticError, ValueError):
        return None  # 50 digits cannot resolve the two sides (|x| near 1e300): no verdict
    if not all(v.is_real for v in (centre, left_value, right_value)):
        return None
    tolerance = 1e-10 * (1 + abs(centre))
    try:
        jumps = bool(abs(left_value - centre) > tolerance or abs(right_value - centre) > tolerance)
    except TypeError:  # a value sympy leaves symbolic (a DiracDelta at its jump): no verdict
        return None
    if jumps:
        return Message("{f} jumps at {where}, so it has no derivative there", f=brief(expr), where=where)
    # A jump needs only values; a corner needs real slopes on both sides (floor's is unevaluated).
    if not (left_slope.is_real and right_slope.is_real):
        return None
    try:
        differ = bool(abs(left_slope - right_slope) > 1e-8 * (1 + abs(left_slope) + abs(right_slope)))
    except TypeError:  # a slope sympy leaves symbolic (a DiracDelta at its jump): no verdict
        return None
    if differ:
        return Message(
            "{f} has a corner at {where}: the slope is {left:.6g} from the left and {right:.6g} from the right, "
            "so there is no derivative", f=brief(expr), where=where, left=float(left_slope), right=float(right_slope),
        )
    return None


def _at_switch(atom: sp.Expr, point: Mapping[sp.Symbol, float]) -> bool:
    """True where a non-smooth atom switches branch at the point (its argument is 0, a tie, an integer)."""
    subs = {s: sp.Float(v, 40) for s, v in point.items()}
    try:
        if isinstance(atom, (sp.Max, sp.Min)):
            values = sorted(float(a.evalf(30, subs=subs)) for a in atom.args)
            return any(abs(b - a) <= 1e-12 * (1 + abs(a)) for a, b in zip(values, values[1:]))
        argument = atom.args[0].evalf(30, subs=subs)
        if not argument.is_real:
            return False
        if isinstance(atom, (sp.floor, sp.ceiling)):
            return abs(argument - round(argument)) <= 1e-12 * (1 + abs(argument))
        return abs(argument) <= 1e-12
    except (TypeError, ValueError, ArithmeticError):  # an argument that is not a real number there
        return False


def _in_doubles(expr: sp.Expr) -> sp.Expr:
    """``expr`` with each constant part that holds an integer beyond numpy's int64 written as
    its exact value in a double. As a Python int, numpy would make such an integer an object
    array that its functions refuse (sqrt of 10**300 + 4); and rounding the integer alone would
    change a function of it entirely (sin(123456789012345678901)), so the whole constant is
    evaluated exactly first."""
    doubles: dict[sp.Expr, sp.Expr] = {}
    walk = sp.preorder_traversal(expr)
    for node in walk:
        if node.is_number and any(abs(n) >= 2**63 for n in node.atoms(sp.Integer)):
            walk.skip()  # the outermost such constant stands for all inside it
            value = node.evalf(EXACT_DIGITS)
            if value.is_Float and value.is_finite:
                doubles[node] = value
    return expr.xreplace(doubles) if doubles else expr


def _placeholders(variables: Sequence[sp.Symbol]) -> dict[sp.Symbol, sp.Symbol]:
    """A private name for each variable in generated code: _v0, _v1, ... (zero-padded).

    The code runs among numpy's names and the printer's (maximum, reduce, polygamma, ...), so a
    variable keeping its own name could hide one of them. No typed name starts with _, and
    the placeholders sort as the variables do, so sympy orders the terms, and so the
    floating-point operations, as it would with the variables' own names.
    """
    ordered = sorted(set(variables), key=sp.default_sort_key)
    width = len(str(len(ordered)))
    return {v: sp.Symbol(f"_v{i:0{width}}", **v.assumptions0) for i, v in enumerate(ordered)}


def compile_mpmath(expr: sp.Expr, variables: Sequence[sp.Symbol]) -> Callable[..., object]:
    """``expr`` as an mpmath function of ``variables`` (in that order), for arbitrary precision;
    the variables under private names, as for numpy (:func:`_placeholders`)."""
    renamed = _placeholders(variables)
    return sp.lambdify([renamed[v] for v in variables], expr.xreplace(renamed), modules="mpmath")


def _lambdify(
    variables: Sequence[sp.Symbol],
    exprs: sp.Expr | list[sp.Expr],
    what: sp.Expr,
    cse: bool = False,
    printer: FloatPrinter | None = None,
) -> Callable[..., object]:
    """sympy's lambdify on numpy, with the variables under private names (:func:`_placeholders`).

    Raises
    ------
    MathError
        Where a constant is too large to print, or a part is undefined (log(0) in the
        derivative of 0^y, which numpy's printer cannot write).
    """
    renamed = _placeholders(variables)
    private = [_in_doubles(e.xreplace(renamed)) for e in exprs] if isinstance(exprs, list) else _in_doubles(
        exprs.xreplace(renamed)
    )
    try:
        return sp.lambdify(
            [renamed[v] for v in variables], private, modules=[_NUMPY_EXTRAS, np], cse=cse, printer=printer
        )
    except (RecursionError, MemoryError, ArithmeticError):  # printing a constant like pi**1e300
        raise MathError("{f} has a constant too large to compute with", f=brief(what)) from None
    except KeyError:  # the printer met zoo
        raise MathError("{f} has an undefined part (such as log(0)) numdiff cannot compute", f=brief(what)) from None
    except (ValueError, NotImplementedError, TypeError):  # a rewrite the printer tried failed
        raise MathError("sympy cannot write {f} as numpy code, so numdiff cannot evaluate it", f=brief(what)) from None


def _complex_inside(compiled: Callable[..., object]) -> bool:
    """True where the printer wrote a complex constant (cosh(pi) can come out as cos(1j*pi))."""
    return "1j" in inspect.getsource(compiled)


def real_values(values: object) -> np.ndarray:
    """Values as real numbers: a negligible imaginary part dropped, a real one made nan."""
    values = np.asarray(values)
    if not np.iscomplexobj(values):
        return values
    real = values.real
    return np.where(np.abs(values.imag) <= 1e-12 * np.maximum(1.0, np.abs(real)), real, np.nan)


def compile_function(
    expr: sp.Expr, variables: Sequence[sp.Symbol], *, fast: bool = False, floats: bool = False
) -> Function:
    """A numpy function of ``variables`` (in that order) that broadcasts over arrays.

    A constant expression still returns an array of the broadcast shape of its inputs; real
    inputs give real values even where the compiled code computes with complex constants.
    With ``fast``, an expression that has every variable in it and no complex constant skips
    that wrapper (for hot loops). With ``floats``, the code is for Python floats and gives, to
    the last bit, what it gives on arrays (:mod:`~numdiff_cli.float_code`).
    """
    compiled = _lambdify(variables, expr, expr, printer=float_code.printer(_NUMPY_EXTRAS) if floats else None)
    complex_inside = _complex_inside(compiled)
    if fast and expr.free_symbols >= set(variables) and not complex_inside:
        return compiled  # type: ignore[return-value]

    def function(*args: np.ndarray) -> np.ndarray:
        result = compiled(*args)
        if complex_inside and not any(np.iscomplexobj(a) for a in args):  # the complex step keeps it
            result = real_values(result)
        return np.broadcast_to(result, np.broadcast_shapes(*(np.shape(a) for a in args))) if args else result

    return function


def compile_many(exprs: Sequence[sp.Expr], variables: Sequence[sp.Symbol]) -> Callable[..., list]:
    """One numpy function returning the values of all ``exprs`` at once (shared subexpressions once)."""
    compiled = _lambdify(variables, list(exprs), exprs[0] if exprs else sp.S.Zero, cse=True)
    if not _complex_inside(compiled):
        return compiled  # type: ignore[return-value]
    return lambda *args: [real_values(v) for v in compiled(*args)]  # type: ignore[operator, union-attr]
