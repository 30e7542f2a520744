"""Safe text -> sympy expressions, within every input limit.

sympy's own ``parse_expr`` ends in ``eval``, so a typed ``().__class__`` would run. Here
sympy's token transformations only rewrite what people type (``2x``, ``x^2``, ``sin x``)
into Python syntax; :mod:`ast` parses that text without running it; and a small builder
walks the tree, accepting only numbers, symbols, arithmetic and allow-listed functions and
bounding the size of every number it makes. Nothing typed is ever executed.
"""

from __future__ import annotations

import ast
import io
import math
import re
import tokenize
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

import mpmath
import sympy as sp
from sympy.parsing.sympy_parser import (
    auto_number,
    convert_xor,
    function_exponentiation,
    implicit_application,
    implicit_multiplication,
    stringify_expr,
)

from numdiff_cli.errors import ParseError, brief
from numdiff_cli.i18n import Message
from numdiff_cli.notes import note
from numdiff_cli.timeout import time_limit
from numdiff_cli.vocabulary import CONSTANTS, EXACT_GROWTH, FUNCTIONS, RESERVED

MAX_LENGTH = 10_000  # characters of one expression or point
MAX_NESTING = 64  # depth of brackets
MAX_TREE_DEPTH = 400  # depth of the parsed tree, a guard for Python's stack (a chain of + or * is one level)
# Operations inside one another in the expression built: x is 0 deep, sin(x) 1, sin(x + sin(x)) 3;
# a sum of many terms is one level. sympy walks a tree recursively, up to some 10 Python frames
# a level, and a derivative nests up to twice as deep as its expression: at this depth every
# command keeps over 400 of Python's 1,000 frames to spare. symbolic.derivative holds each
# expression it differentiates to the same depth.
MAX_DEPTH = 48
MAX_LITERAL_DIGITS = 100  # digits in one typed number
MAX_RESULT_DIGITS = 4_000  # digits of an exact number the parser may build (like 2**4000)
MAX_EXPONENT = MAX_RESULT_DIGITS  # largest size of the exponent of a typed number (the 300 of 1e300)
MAX_EXACT_ARGUMENT = 1_000  # largest n for factorial(n), gamma(n) computed exactly
MAX_BUILD_SECONDS = 1.5  # for sympy to build what was typed

_TRANSFORMATIONS = (
    auto_number,
    convert_xor,
    implicit_multiplication,
    implicit_application,
    function_exponentiation,
)

# Friendly spellings pasted from slides and books. A power ends where its sign does: x²3 is x^2 3.
# π is one symbol, so it stands apart from what it touches: 2πx is 2·π·x (see _pi_reading).
# A root sign is its function's name, reading as far as a function without brackets does (√x + 1 is sqrt(x) + 1).
_UNICODE = {"√": " sqrt ", "∛": " cbrt ", "π": " pi ", "−": "-", "×": "*", "·": "*", "÷": "/", "²": "^2 ", "³": "^3 "}
# π glued to a name or a number after it, or to a name before it: a product a reader may not see
# as one (2π, like 2x, is plainly one). Where the products are, to show them: between π and any of those.
_PI_GLUED = re.compile(r"(?<=[A-Za-z_π])π|π(?=[A-Za-z0-9_π])")
_PI_PRODUCTS = re.compile(r"(?<=[A-Za-z0-9_π])(?=π)|(?<=π)(?=[A-Za-z0-9_π])")
_ALLOWED = re.compile(r"[A-Za-z0-9\s+\-*/^().,_\[\]]*")
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_GLUED_VARIABLE = re.compile(r"[xyz][0-9]*")  # what sinx, expx0 glue to their function's name
_LONG_NUMBER = re.compile(rf"\d{{{MAX_LITERAL_DIGITS + 1},}}")
_CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\(")
# A function's name, a space and its argument without brackets (sin x), up to where a term ends.
_BARE_CALL = re.compile(r"(?<![\w.])([A-Za-z_]\w*)\s+(?=[^\s(+\-*/^,)])(?=([^+\-/,)]*))")
# The numbers numdiff reads: decimals with an optional exponent (12, 0.5, .5, 2., 1.5e-3).
_FLOAT_LITERAL = re.compile(r"(\d+\.?\d*|\.\d+)(?:[eE](?P<exponent>[-+]?\d+))?")


# Operators whose chains count as one level of nesting: a + b - c, a * b / c.
_CHAINS: dict[type, tuple[type, ...]] = {
    ast.Add: (ast.Add, ast.Sub), ast.Sub: (ast.Add, ast.Sub), ast.Mult: (ast.Mult, ast.Div), ast.Div: (ast.Mult, ast.Div),
}

# What the token transformations may look up: only callability is asked, nothing is run.
_TOKEN_NAMES: dict[str, object] = {
    **{name: spec[0] for name, spec in FUNCTIONS.items()},
    **CONSTANTS,
    "Integer": sp.Integer,
    "Float": sp.Float,
}

# Names a front end has defined (the REPL's ``f = x0^2 + x1^2``), each standing for its parsed
# expression. A context variable, so that only the code run inside ``defined_names`` sees them.
_DEFINED: ContextVar[Mapping[str, sp.Expr]] = ContextVar("numdiff_defined_names", default=MappingProxyType({}))


@contextmanager
def defined_names(names: Mapping[str, sp.Expr]) -> Iterator[None]:
    """Within the block, each of ``names`` read in an expression or a point stands for its
    expression, as if typed in brackets: with ``f`` for x0**2 + x1**2, ``2f`` is 2*(x0**2 + x1**2).

    The expressions are substituted as parsed trees, never as text, and count towards every
    limit of the expression they stand in. A name should be one that the parser would read
    as a variable (see :func:`parse_expression`); the caller checks that when it defines it.

    Examples
    --------
    >>> with defined_names({"f": parse_expression("x0^2 + x1^2")}):
    ...     parse_expression("2f + 1")
    2*x0**2 + 2*x1**2 + 1
    """
    token = _DEFINED.set(MappingProxyType(dict(names)))
    try:
        yield
    finally:
        _DEFINED.reset(token)




def parse_expression(text: str) -> sp.Expr:
    """Parse one real-valued expression typed by a person.

    Accepts ``x**2``, ``x^2``, ``2x``, ``sin(x)e^x``, ``ln(x)``, ``log(x, 2)``, ``pi``,
    ``E``/``e`` and the functions listed in the README; every other name is a real variable.

    Raises
    ------
    ParseError
        One sentence naming what is wrong, for any text that is not such an expression or
        that exceeds the input limits of this module.

    Examples
    --------
    >>> parse_expression("3x^2 + 2x")
    3*x**2 + 2*x
    """
    expressions = parse_expressions(text)
    if len(expressions) != 1:
        raise ParseError("expected one expression but got {length} separated by commas", length=len(expressions))
    return expressions[0]


def parse_expressions(text: str) -> tuple[sp.Expr, ...]:
    """Parse one expression or a comma-separated vector of them (``x*y, x+y`` or ``[x*y, x+y]``).

    Raises
    ------
    ParseError
        As :func:`parse_expression`.
    """
    return parse_as_typed(text)[0]


def parse_as_typed(text: str) -> tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...]]:
    """The expressions of :func:`parse_expressions`, and the parts of them as typed that sympy's
    evaluation dropped while building them: ``log(x)`` of ``exp(log(x))`` (built as ``x``),
    ``sqrt(x)`` of ``sqrt(x)^2``, ``1/x`` of ``x/x`` (built as 1). Where a dropped part is not real
    or undefined, so is the function as typed (see :mod:`numdiff_cli.domain`).

    Raises
    ------
    ParseError
        As :func:`parse_expression`.
    """
    tree = _syntax_tree(text)
    items = tree.elts if isinstance(tree, (ast.Tuple, ast.List)) else [tree]
    if not items:
        raise ParseError("the brackets hold no expression")
    builder = _Builder(text)
    # sympy evaluates constant parts as it builds them: floor(pi^10^300) would run for hours.
    with time_limit(MAX_BUILD_SECONDS, "reading the expression"):
        expressions = tuple(builder.build(item) for item in items)
    if "√" in text or "∛" in text:  # how far a root sign reaches is not plain to see: say it
        reading = ", ".join(readable(e) for e in expressions)
        note(Message("read {typed!r} as {reading}", typed=brief(text.strip()), reading=brief(reading)))
    kept = set().union(*(sp.preorder_traversal(e) for e in expressions))
    return expressions, tuple(part for part in dict.fromkeys(builder.restricted) if part not in kept)


def check_length(text: str) -> None:
    """Refuse text longer than MAX_LENGTH characters."""
    if len(text) > MAX_LENGTH:
        raise ParseError("the input is {length:,} characters long; the limit is {max_length:,}",
                         length=len(text), max_length=MAX_LENGTH)


class _Spelling:
    """Typed text and its rewrite in the parser's ASCII (π as pi, − as -), with the way back: an
    error names what was typed and where, never the rewrite."""

    def __init__(self, typed: str) -> None:
        self.typed = typed.strip()
        pieces, origins = [], []
        for index, char in enumerate(self.typed):
            piece = _UNICODE.get(char, char)
            pieces.append(piece)
            origins.extend([index] * len(piece))
        rewritten = "".join(pieces)
        self.text = rewritten.strip()  # a π at either end brings a space
        start = len(rewritten) - len(rewritten.lstrip())
        self._origins = origins[start : start + len(self.text)]

    def position(self, index: int) -> int:
        """The position (from 1) in the typed text of the character at ``index`` of the rewrite."""
        return self._origins[index] + 1

    def typed_part(self, start: int, end: int) -> str:
        """What was typed for ``text[start:end]``."""
        return self.typed[self._origins[start] : self._origins[end - 1] + 1] if end > start else ""

    def quoted(self) -> str:
        """The typed text, shortened for a sentence."""
        return brief(self.typed)


def _syntax_tree(typed: str) -> ast.expr:
    """Check the raw text, rewrite human notation, and parse it as a Python expression tree."""
    check_length(typed)
    spelling = _Spelling(typed)
    text = spelling.text
    if not text:
        raise ParseError("the expression is empty")
    if _ALLOWED.fullmatch(text) is None:
        position, char = next((i, c) for i, c in enumerate(text) if not _ALLOWED.fullmatch(c))
        raise ParseError("unexpected character {char!r} at position {position} in {text!r}",
                         char=char, position=spelling.position(position), text=spelling.quoted())
    _check_brackets(spelling)
    if match := _LONG_NUMBER.search(text):
        raise ParseError("a number in the input has {length} digits; the limit is {max_literal_digits}",
                         length=len(match.group()), max_literal_digits=MAX_LITERAL_DIGITS)
    for literal, index in _number_literals(text):
        _check_number(literal, spelling.position(index))  # rewrites make no digits but the 2 of ², itself a number
    for match in _CALL.finditer(text):
        name = match.group(1)
        if name in _DEFINED.get():
            raise ParseError(
                "{name!r} at position {position} is a name for an expression, not a function: "
                "write {name} alone, or {name}*(...) for a product",
                name=name,
                position=spelling.position(match.start()),
            )
        if name not in FUNCTIONS:
            raise ParseError(
                "unknown function {name!r} at position {start}; for a product write {name}*(...), and see "
                "'numdiff --help' for the functions", name=name, start=spelling.position(match.start())
            )
    _check_bare_arguments(spelling)
    try:
        code = stringify_expr(text, {}, dict(_TOKEN_NAMES), _TRANSFORMATIONS)
        tree = ast.parse(code, mode="eval").body
    except (RecursionError, MemoryError):
        raise ParseError("the expression is too long or too deeply nested to parse") from None
    except (SyntaxError, tokenize.TokenError, ValueError, TypeError, IndexError):
        raise ParseError("{text!r} is not a valid expression", text=spelling.quoted()) from None
    if reading := _pi_reading(spelling.typed):
        note(Message("read {typed!r} as {reading}", typed=spelling.quoted(), reading=brief(reading)))
    return tree


def _pi_reading(typed: str) -> str | None:
    """``2·π·x`` for ``2πx``: the typed text with its products with π shown, where π is glued to a
    name (``πx``, ``xπ``) or to a number after it (``π2``); None where every product reads plainly
    (``2π``, ``π/4``, ``π(x + 1)``)."""
    return _PI_PRODUCTS.sub("·", typed) if _PI_GLUED.search(typed) else None


def _check_bare_arguments(spelling: _Spelling) -> None:
    """Refuse a function without brackets whose argument is more than one factor: sympy reads
    ``sin x cos x`` and ``sin x * cos x`` as sin(x*cos(x)), where a reader sees sin(x)·cos(x)
    (``sin x``, ``sin 2x`` and ``sin x + 1`` stay as they read)."""
    text = spelling.text
    for match in _BARE_CALL.finditer(text):
        name, argument = match.group(1), match.group(2).strip()
        first = argument.split()[0].partition("*")[0]
        if name in FUNCTIONS and argument != first and first not in FUNCTIONS:  # sin sin x: checked at the inner sin
            start = match.start(2) + len(match.group(2)) - len(match.group(2).lstrip())
            raise ParseError(
                "in {text!r}, {name} without brackets would take all of {argument!r}; write the brackets: "
                "{name}({first}) or {name}({argument})",
                text=spelling.quoted(), name=name, argument=spelling.typed_part(start, start + len(argument)),
                first=spelling.typed_part(start, start + len(first)),
            )


def _check_brackets(spelling: _Spelling) -> None:
    pairs = {")": "(", "]": "["}
    stack: list[tuple[str, int]] = []
    for i, char in enumerate(spelling.text):
        if char in "([":
            stack.append((char, i))
            if len(stack) > MAX_NESTING:
                raise ParseError("brackets are nested more than {max_nesting} deep", max_nesting=MAX_NESTING)
        elif char in pairs:
            if not stack or stack[-1][0] != pairs[char]:
                raise ParseError("unmatched {char!r} at position {i} in {text!r}",
                                 char=char, i=spelling.position(i), text=spelling.quoted())
            stack.pop()
    if stack:
        char, i = stack[-1]
        raise ParseError("the {char!r} at position {i} is never closed in {text!r}",
                         char=char, i=spelling.position(i), text=spelling.quoted())


def _number_literals(text: str) -> Iterator[tuple[str, int]]:
    """Each number in ``text``, with its index, as the parser's tokenizer will see it.

    The tokenizer splits what is no single number into pieces that would each be read: 007
    into 00 and 7, 1..2 into 1. and .2, x.5 into x and .5. Pieces that touch are one literal
    here: a number directly after a number, or starting with a point directly after a name or
    a closing bracket.
    """
    starts = [0]
    for line in text.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    spans: list[list[int]] = []
    previous, previous_begin = None, 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            begin = starts[token.start[0] - 1] + token.start[1]
            if token.type == tokenize.NUMBER:
                end = starts[token.end[0] - 1] + token.end[1]
                touching = previous is not None and previous.end == token.start
                if touching and previous.type == tokenize.NUMBER:
                    spans[-1][1] = end
                elif touching and token.string.startswith(".") and (
                    previous.type == tokenize.NAME or previous.string == ")"
                ):
                    spans.append([previous_begin, end])
                else:
                    spans.append([begin, end])
            previous, previous_begin = token, begin
    except (tokenize.TokenError, SyntaxError):
        pass  # the parser refuses the text for the same reason
    for begin, end in spans:
        yield text[begin:end], begin


def _check_number(literal: str, position: int) -> None:
    """Refuse a number that is not a plain decimal, starts with a zero digit, or has an exponent
    beyond MAX_EXPONENT (its exact value would have more digits than any exact number may)."""
    where = Message("at position {position}", position=position)
    if literal[-1] in "jJ":
        raise ParseError("{literal!r} {where}: complex numbers are not supported (numdiff works with real numbers)",
                         literal=literal, where=where)
    match = _FLOAT_LITERAL.fullmatch(literal)
    if match is None:
        raise ParseError(
            "{literal!r} {where} is not a number numdiff reads: write decimal numbers such as 12, 0.5 "
            "or 1.5e-3, and a product with *", literal=brief(literal, 30), where=where
        )
    if re.match(r"0\d", literal):
        meant = literal.lstrip("0")
        meant = meant if meant[:1].isdigit() else "0" + meant
        raise ParseError(
            "{literal!r} {where} has a leading zero, which numdiff does not guess at: did you mean "
            "{meant}?", literal=literal, where=where, meant=meant
        )
    exponent = match.group("exponent")
    if exponent is not None and abs(int(exponent)) > MAX_EXPONENT:
        raise ParseError(
            "the number {literal!r} {where} has the exponent {exponent}; the limit is "
            "±{max_exponent:,} (an exact number has at most {max_result_digits:,} digits)",
            literal=brief(literal, 30), where=where, exponent=brief(exponent, 30), max_exponent=MAX_EXPONENT,
            max_result_digits=MAX_RESULT_DIGITS,
        )


def _log10_abs(number: sp.Number) -> float:
    """log10 of |number| without overflowing on huge exact integers."""
    if number.is_zero:
        return -math.inf
    if number.is_Rational:
        return math.log10(abs(number.p)) - math.log10(number.q)
    return float(mpmath.log10(abs(mpmath.mpf(str(number)))))


class _Builder:
    """Turns a checked syntax tree into a sympy expression, one allowed node at a time."""

    def __init__(self, text: str) -> None:
        self._text = brief(text.strip())
        self._symbols: dict[str, sp.Symbol] = {}
        self._depths: dict[sp.Basic, int] = {}
        # Every part built that is defined on less than all reals (a function, a power, 1/b of a/b),
        # in the order built: sympy's evaluation may drop it from the whole (exp(log(x)) is x).
        self.restricted: list[sp.Expr] = []

    def build(self, node: ast.expr, depth: int = 0) -> sp.Expr:
        if depth > MAX_TREE_DEPTH:
            raise ParseError("the expression is nested more than {max_tree_depth} levels deep",
                             max_tree_depth=MAX_TREE_DEPTH)
        match node:
            case ast.BinOp(op=op) if type(op) in _CHAINS:
                return self._chain(node, depth)
            case ast.BinOp(left=left, op=op, right=right):
                a, b = self.build(left, depth + 1), self.build(right, depth + 1)
                return self._guarded(lambda: self._operate(op, a, b))
            case ast.UnaryOp(op=ast.USub(), operand=operand):
                return self._checked(-self.build(operand, depth + 1))
            case ast.UnaryOp(op=ast.UAdd(), operand=operand):
                return self.build(operand, depth + 1)
            case ast.Call(func=ast.Name(id="Integer"), args=[ast.Constant(value=int(value))], keywords=[]):
                return sp.Integer(value)
            case ast.Call(func=ast.Name(id="Float"), args=[ast.Constant(value=str(value))], keywords=[]) if (
                _FLOAT_LITERAL.fullmatch(value)
            ):
                return sp.Float(value)
            case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if all(
                not isinstance(a, ast.Starred) for a in args
            ):
                return self._call(name, [self.build(a, depth + 1) for a in args])
            case ast.Name(id=name):
                return self._name(name)
            case ast.Tuple() | ast.List():
                raise ParseError("a vector of expressions may only stand at the top level in {text!r}",
                                 text=self._text)
        raise ParseError("{node} is not allowed in an expression ({text!r})",
                         node=_describe(node), text=self._text)

    def _chain(self, node: ast.BinOp, depth: int) -> sp.Expr:
        """A chain of sums and differences (or of products and quotients), ``a + b - c + ...``, as a
        person counts it: one level deep, however long. Python's parser nests it one level a term
        to the left (a sum of 1,000 terms would be 1,000 deep), and sympy adds two terms at a time in
        time that grows with the sum: the chain is built as one sum (or product) of all its terms."""
        sum_chain = type(node.op) in (ast.Add, ast.Sub)
        operands: list[tuple[ast.operator | None, ast.expr]] = []
        first: ast.expr = node
        while isinstance(first, ast.BinOp) and type(first.op) in _CHAINS[type(node.op)]:
            operands.append((first.op, first.right))
            first = first.left
        operands.append((None, first))
        terms = []
        for op, operand in reversed(operands):
            term = self.build(operand, depth + 1)
            if isinstance(op, ast.Sub):
                term = -term
            elif isinstance(op, ast.Div):
                term = self._restricts(sp.Pow(term, -1))
            terms.append(term)
        return self._guarded(lambda: sp.Add(*terms) if sum_chain else sp.Mul(*terms))

    def _guarded(self, make: Callable[[], sp.Expr]) -> sp.Expr:
        """The value ``make`` builds, checked; an arithmetic failure of sympy's is the user's constant."""
        try:
            return self._checked(make())
        except (ArithmeticError, ValueError, RecursionError, MemoryError):  # sympy evaluating 1e300**E
            raise ParseError("a constant in {text!r} is too large or undefined", text=self._text) from None

    def _operate(self, op: ast.operator, a: sp.Expr, b: sp.Expr) -> sp.Expr:
        match op:
            case ast.Pow():
                self._check_power(a, b)
                result = self._restricts(a**b)
            case _:
                raise ParseError("the operator {op} is not allowed in {text!r}",
                                 op=_describe(op), text=self._text)
        return result

    def _check_power(self, base: sp.Expr, exponent: sp.Expr) -> None:
        """Refuse a power of two numbers whose exact value would be enormous (9**9**9**9)."""
        if not (base.is_Number and exponent.is_Number):
            return
        magnitude = abs(_log10_abs(base))
        if magnitude == 0 or magnitude == math.inf or exponent.is_zero:
            return
        log_digits = _log10_abs(exponent) + math.log10(magnitude)
        if log_digits > math.log10(MAX_RESULT_DIGITS):
            raise ParseError(
                "the power {base}**{exponent} in {text!r} is too large to compute (about "
                "10^{log_digits:.0f} digits; the limit is {max_result_digits:,})",
                base=base, exponent=brief(str(exponent), 30), text=self._text, log_digits=log_digits,
                max_result_digits=MAX_RESULT_DIGITS,
            )

    def _checked(self, value: sp.Expr) -> sp.Expr:
        """``value``, refused if it is nested too deep, a huge exact number, infinite, undefined
        or complex."""
        if nesting_depth(value, self._depths) > MAX_DEPTH:
            raise ParseError(
                "{text!r} nests operations more than {max_depth} deep (each function, power, product or "
                "sum inside another is one level)", text=self._text, max_depth=MAX_DEPTH
            )
        if value.is_Rational and max(abs(value.p), value.q).bit_length() > MAX_RESULT_DIGITS * 3.33:
            raise ParseError("a number in {text!r} has more than {max_result_digits:,} digits",
                             text=self._text, max_result_digits=MAX_RESULT_DIGITS)
        if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise ParseError("{text!r} divides by zero or has an infinite or undefined constant",
                             text=self._text)
        if value.has(sp.I):
            raise ParseError("{text!r} has a constant that is not real (numdiff works with real numbers)",
                             text=self._text)
        if value.is_number and not value.is_Number:
            # A constant like pi^(1e300) must have a finite value; evalf raising is caught by the caller.
            number = value.evalf(15)
            if number.is_Number and not (number.is_finite and abs(number) < sp.Float(10) ** MAX_RESULT_DIGITS):
                raise ParseError("a constant in {text!r} has more than {max_result_digits:,} digits",
                                 text=self._text, max_result_digits=MAX_RESULT_DIGITS)
        return value

    def _restricts(self, part: sp.Expr) -> sp.Expr:
        """``part``, kept among the parts to check where it has variables in it."""
        if part.free_symbols:
            self.restricted.append(part)
        return part

    def _call(self, name: str, args: list[sp.Expr]) -> sp.Expr:
        if name not in FUNCTIONS:
            raise ParseError("unknown function {name!r} in {text!r}; see 'numdiff --help' for the functions",
                             name=name, text=self._text)
        function, arities = FUNCTIONS[name]
        if (arities is None and not args) or (arities is not None and len(args) not in arities):
            expected = "one or more" if arities is None else " or ".join(map(str, arities))
            if expected == "1":
                raise ParseError("{name} takes 1 argument, not {count}", name=name, count=len(args))
            raise ParseError("{name} takes {expected} arguments, not {count}", name=name, expected=expected,
                             count=len(args))
        if function in EXACT_GROWTH and args[0].is_Number and abs(args[0]) > MAX_EXACT_ARGUMENT:
            raise ParseError(
                "{name}({args}) is too large to compute exactly (the limit is {max_exact_argument})",
                name=name, args=brief(str(args[0]), 30), max_exact_argument=MAX_EXACT_ARGUMENT
            )
        if name in _REAL_ROOTS and (name == "cbrt" or (args[1].is_Integer and args[1] % 2 == 1)):
            function = _real_root
        try:
            return self._restricts(self._checked(function(*args)))
        except (TypeError, ValueError, ArithmeticError):
            # sympy refuses some constant arguments outright, such as Heaviside(I) or max(I).
            raise ParseError("{name} is undefined for the constant arguments in {text!r}",
                             name=name, text=self._text) from None
        except (AttributeError, NotImplementedError):  # sympy's own bug: acosh(sec(pi - sech(x)))
            raise ParseError("sympy cannot build {name}(...) in {text!r}", name=name, text=self._text) from None
        except (RecursionError, MemoryError):  # mpmath for floor(pi^(10^300)): pi to 10^300 digits
            raise ParseError("{name} of a constant in {text!r} is too large to compute",
                             name=name, text=self._text) from None

    def _name(self, name: str) -> sp.Expr:
        if name in CONSTANTS:
            return CONSTANTS[name]
        if (defined := _DEFINED.get().get(name)) is not None:
            return defined
        if name in RESERVED:
            raise ParseError("{name!r} in {text!r}: {reserved}",
                             name=name, text=self._text, reserved=RESERVED[name])
        if name in FUNCTIONS:
            raise ParseError("{name} is a function: write {name}(...) with its argument in brackets", name=name)
        if not _IDENTIFIER.fullmatch(name):
            raise ParseError("{name!r} is not allowed as a variable name (use letters, digits and _)", name=name)
        glued = _glued_call(name)
        if glued:
            why = Message("a product needs * or a space") if "*" in glued else Message("a function's argument goes in brackets")
            raise ParseError("{name!r} reads as one variable: did you mean {glued}? ({why})", name=name, glued=glued, why=why)
        return self._symbols.setdefault(name, sp.Symbol(name, real=True))


# cbrt(x) and root(x, n) for odd n are the real roots a person means (cbrt(-8) = -2), not sympy's
# principal ones, which are complex for a negative x; x^(1/3) typed as a power stays principal.
_REAL_ROOTS = frozenset({"cbrt", "root"})


def _real_root(radicand: sp.Expr, index: sp.Expr | int = 3) -> sp.Expr:
    """The real ``index``-th root of ``radicand`` (an odd index): sign(x)·|x|^(1/n), -2 for (-8, 3)."""
    return sp.sign(radicand) * sp.Abs(radicand) ** (sp.Integer(1) / index)


_FLOAT_EXPONENT = re.compile(r"(?<=\d)(?:\.0)?e\+?(?=-?\d)")


def readable(expr: sp.Basic) -> str:
    """``expr`` as a sentence writes it: sympy's text, with a number outside 1e-6..1e16 written as
    a person types it (``1e400*x``, ``1.5e-7``), never as its 400 digits."""
    return _FLOAT_EXPONENT.sub("e", sp.sstr(expr, min=-6, max=16, full_prec=False))


def nesting_depth(expr: sp.Basic, known: dict[sp.Basic, int] | None = None) -> int:
    """How many operations deep ``expr`` is: 0 for a number or a symbol, 1 for sin(x), 3 for
    sin(x + sin(x)). Walked without recursion, so any depth can be measured; ``known`` keeps
    the depths of parts measured before, so that building a tree part by part walks it once.
    """
    depths = {} if known is None else known
    stack = [expr]
    while stack:
        node = stack[-1]
        if node in depths:
            stack.pop()
            continue
        pending = [a for a in node.args if a not in depths]
        if pending:
            stack.extend(pending)
            continue
        depths[node] = 1 + max((depths[a] for a in node.args), default=-1)
        stack.pop()
    return depths[expr]


def _glued_call(name: str) -> str | None:
    """``sin(x)`` for ``sinx``: a function's name glued to x, y or z (with digits), as people write
    sin x on paper; ``x*e`` for ``xe`` and ``pi*x`` for ``pix``: a constant glued to one, as in
    xe^x; None for any other name (``cost``, ``expected``, ``pie`` stay variables)."""
    for function in sorted(FUNCTIONS, key=len, reverse=True):
        rest = name[len(function) :]
        if len(function) > 1 and name.startswith(function) and _GLUED_VARIABLE.fullmatch(rest):
            return f"{function}({rest})"
    for constant in sorted(CONSTANTS, key=len, reverse=True):
        before, after = name[: -len(constant)], name[len(constant) :]
        if name.endswith(constant) and _GLUED_VARIABLE.fullmatch(before):
            return f"{before}*{constant}"
        if name.startswith(constant) and _GLUED_VARIABLE.fullmatch(after):
            return f"{constant}*{after}"
    return None


def _describe(node: ast.AST) -> str:
    """A person's word for a syntax node that is refused."""
    words: Mapping[type, str] = {
        ast.Attribute: "attribute access (a dot after a name)",
        ast.Subscript: "indexing with [ ]",
        ast.Lambda: "lambda",
        ast.Compare: "a comparison",
        ast.BoolOp: "and/or",
        ast.IfExp: "if/else",
        ast.Constant: "a literal such as text in quotes",
        ast.Call: "a call of that form",
        ast.Dict: "a dictionary",
        ast.Set: "a set",
        ast.Starred: "a starred argument",
        ast.MatMult: "@",
        ast.FloorDiv: "//",
        ast.Mod: "%",
        ast.BitXor: "^ in that position",
    }
    return words.get(type(node), type(node).__name__)
