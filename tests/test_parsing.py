"""Parsing what people type, and refusing everything else quickly and in words."""

from __future__ import annotations

import re
import time
from unittest.mock import patch

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numdiff_cli import symbolic
from numdiff_cli.errors import LimitError, MathError, ParseError, UsageError
from numdiff_cli.parsing import MAX_DEPTH, MAX_EXPONENT, nesting_depth, parse_expression, parse_expressions
from numdiff_cli.points import natural_key, ordered_variables, parse_constant, parse_point

x, y, x0, x1 = sp.symbols("x y x0 x1", real=True)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x**2", x**2),
        ("x^2", x**2),
        ("2x", 2 * x),
        ("3x^2 + 2x", 3 * x**2 + 2 * x),
        ("e^x", sp.exp(x)),
        ("exp(x)", sp.exp(x)),
        ("ln(x)", sp.log(x)),
        ("log(x, 2)", sp.log(x) / sp.log(2)),
        ("sqrt(x)", sp.sqrt(x)),
        ("abs(x)", sp.Abs(x)),
        ("sin(x)e^x", sp.sin(x) * sp.exp(x)),
        ("sin(x) + cos(x) + tan(x)", sp.sin(x) + sp.cos(x) + sp.tan(x)),
        ("asin(x) + arccos(x) + atan(x)", sp.asin(x) + sp.acos(x) + sp.atan(x)),
        ("sinh(x) + cosh(x) + tanh(x)", sp.sinh(x) + sp.cosh(x) + sp.tanh(x)),
        ("pi", sp.pi),
        ("E", sp.E),
        ("x0*x0 + 4.0**2.0", x0**2 + sp.Float(16)),
        ("sqrt(x0^2+x1^2)", sp.sqrt(x0**2 + x1**2)),
        ("2(x+1)", 2 * (x + 1)),
        ("(x+1)(x-1)", (x + 1) * (x - 1)),
        ("x y", x * y),
        ("2 π x²", 2 * sp.pi * x**2),
        ("x²3", 3 * x**2),
        ("x³y", x**3 * y),
        ("sigmoid(x)", 1 / (1 + sp.exp(-x))),
    ],
)
def test_accepts_what_people_type(text, expected):
    assert sp.simplify(parse_expression(text) - expected) == 0


def test_variables_are_real_so_abs_differentiates_to_sign():
    assert sp.diff(parse_expression("abs(x)"), x) == sp.sign(x)


def test_vector_of_expressions_with_or_without_brackets():
    assert parse_expressions("x*y, x+y, sin(x)") == (x * y, x + y, sp.sin(x))
    assert parse_expressions("[x*y, x+y]") == (x * y, x + y)


def test_one_expression_required_where_one_is_expected():
    with pytest.raises(ParseError, match="expected one expression but got 2"):
        parse_expression("x, y")


HOSTILE = [
    ("().__class__.__bases__[0].__subclasses__()", "not allowed|not a valid"),
    ("x.__class__", "attribute access"),
    ("__import__('os').system('true')", "unexpected character"),
    ("lambda: 1", "unexpected character"),
    ("x[0]", "indexing"),
    ("'text'", "unexpected character"),
    ("exec(x)", "unknown function 'exec'"),
    ("eval(x)", "unknown function 'eval'"),
    ("open(x)", "unknown function 'open'"),
    ("getattr(x, y)", "unknown function 'getattr'"),
    ("Symbol(x)", "unknown function 'Symbol'"),
    ("Integer(5)", "unknown function 'Integer'"),
    ("_x + 1", "not allowed as a variable name"),
    ("x if x else 1", "not a valid expression"),
    ("x // 2", "not allowed"),
    ("x % 2", "unexpected character"),
    ("9**9**9**9", "too large to compute"),
    ("(10**100)**(10**100)", "too large to compute"),
    ("2**100000", "too large to compute"),
    ("factorial(10**9)", "too large to compute exactly"),
    ("gamma(10**6)", "too large to compute exactly"),
    ("(" * 4000 + "x" + ")" * 4000, "nested more than"),
    ("(" * 3000 + "x", "nested more than"),
    ("x" * 1_000_000, "the limit is 10,000"),
    ("+".join(["x"] * 3000), "too long or too deeply nested|nested more than"),
    ("**".join(["2"] * 3000), "too long or too deeply nested|nested more than|too large"),
    ("1" * 500, "has 500 digits"),
    ("2j", "complex numbers"),
    ("x*2.5J", "complex numbers"),
    ("oo", "infinity"),
    ("", "empty"),
    ("x +", "not a valid expression"),
    ("(x", "never closed"),
    ("x)", "unmatched"),
    ("sin", "is a function"),
    ("sin(x, y)", "takes 1 argument"),
    ("foo(x)", "unknown function 'foo'"),
    ("x == 1", "unexpected character"),
    ("x; y", "unexpected character"),
    ("x\ny", "not a valid expression"),
    ("[[x]]", "top level"),
    ("arccosh(sec(pi - sech(x)))", "sympy cannot build|not real|undefined"),
    ("floor(pi^(10^300))", "took longer than|too large|more than 4,000 digits"),
    ("ceiling(exp(10^100))", "took longer than|too large|more than 4,000 digits"),
    ("pi^(1e300) * x", "more than 4,000 digits"),
]


@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=[t[:30] for t, _ in HOSTILE])
def test_hostile_input_is_refused_fast_in_one_sentence(text, message):
    start = time.perf_counter()
    with pytest.raises((ParseError, LimitError), match=message) as info:
        parse_expressions(text)
    assert time.perf_counter() - start < 2.5
    assert info.value.exit_code == 2
    assert "\n" not in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_random_text_parses_or_is_refused_in_words(text):
    start = time.perf_counter()
    try:
        result = parse_expressions(text)
    except (ParseError, LimitError) as error:
        assert str(error)
    else:
        assert all(isinstance(e, sp.Expr) for e in result)
    assert time.perf_counter() - start < 2.5


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="x2^*+-/().,e sinlogpq[]_9", max_size=40))
def test_random_formula_like_text_parses_or_is_refused_in_words(text):
    try:
        parse_expressions(text)
    except (ParseError, LimitError) as error:
        assert str(error)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("007*x", "'007' at position 1 has a leading zero.*did you mean 7\\?"),
        ("x*012", "'012' at position 3 has a leading zero.*did you mean 12\\?"),
        ("00", "did you mean 0\\?"),
        ("007.5 + x", "did you mean 7.5\\?"),
        ("00.5x", "did you mean 0.5\\?"),
        ("1..2*x", "'1..2' at position 1 is not a number numdiff reads"),
        ("1.2.3*x", "'1.2.3' at position 1 is not a number"),
        ("1.2e3.4", "'1.2e3.4' at position 1 is not a number"),
        ("0x41*x", "'0x41' at position 1 is not a number"),
        ("x*0b11", "'0b11' at position 3 is not a number"),
        ("x*0o7", "'0o7' at position 3 is not a number"),
        ("x*1_000", "'1_000' at position 3 is not a number"),
        ("x.5", "'x.5' at position 1 is not a number"),
        ("sin(x).5", "'\\).5' at position 6 is not a number"),
    ],
)
def test_a_number_that_is_not_a_plain_decimal_is_refused_not_misread(text, message):
    with pytest.raises(ParseError, match=message):
        parse_expressions(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0), ("0.0", 0), ("0.5", 0.5), (".5", 0.5), ("2.", 2), ("1e05", 1e5), ("1E+3", 1e3), ("0e7", 0), ("10", 10)],
)
def test_plain_decimal_numbers_are_read_as_written(text, value):
    assert float(parse_expression(text)) == value


plain_numbers = st.builds(
    lambda whole, fraction, exponent: f"{whole}{fraction}{exponent}",
    st.integers(0, 10**6).map(str),
    st.sampled_from(["", "."]) | st.integers(0, 999).map(lambda n: f".{n}"),
    st.sampled_from([""]) | st.integers(-MAX_EXPONENT, MAX_EXPONENT).map(lambda n: f"e{n:+d}"),
)
misread_numbers = st.one_of(
    st.builds(lambda a, b: f"{a}.{b}", plain_numbers.filter(lambda n: "." in n and "e" not in n), st.integers(0, 99)),
    st.builds(lambda zeros, n: "0" * zeros + str(n), st.integers(1, 3), st.integers(0, 10**6)),
    st.builds(lambda prefix, n: f"0{prefix}{n}", st.sampled_from("xXbBoO"), st.integers(0, 1)),
    st.builds(lambda a, b: f"{a}_{b}", st.integers(1, 999), st.integers(0, 999)),
)


@settings(max_examples=200, deadline=None)
@given(plain_numbers)
def test_any_plain_decimal_is_the_number_it_says(literal):
    assert sp.Float(parse_expression(literal)) == sp.Float(literal)


@settings(max_examples=200, deadline=None)
@given(misread_numbers, st.sampled_from(["{}*x", "x*{}", "sin({})", "{} + y"]))
def test_no_malformed_number_is_read_as_another(literal, template):
    with pytest.raises(ParseError, match="not a number numdiff reads|leading zero|not a valid expression"):
        parse_expressions(template.format(literal))


@pytest.mark.parametrize(
    "text",
    ["x*1e99999999999999999", "x*1e9999999", "1e999999", "x*1e-9999999", "2^1e5000", "1.5E+4001*x", "sin(0.1e-4001)"],
)
def test_a_number_with_a_huge_exponent_is_refused_at_once_by_its_size(text):
    start = time.perf_counter()
    with pytest.raises(ParseError, match=f"has the exponent .*; the limit is ±{MAX_EXPONENT:,}"):
        parse_expressions(text)
    assert time.perf_counter() - start < 2


@settings(max_examples=100, deadline=None)
@given(st.integers(MAX_EXPONENT + 1, 10**99), st.sampled_from(["", "-", "+"]), st.sampled_from(["1e", "2.5E", ".1e"]))
def test_every_exponent_beyond_the_limit_is_refused_fast(exponent, sign, mantissa):
    start = time.perf_counter()
    with pytest.raises(ParseError, match="has the exponent"):
        parse_constant(f"{mantissa}{sign}{exponent}")
    assert time.perf_counter() - start < 2


def test_exponents_up_to_the_limit_are_numbers():
    assert parse_constant(f"1e{MAX_EXPONENT}") == sp.Float(f"1e{MAX_EXPONENT}")
    assert parse_constant(f"1e-{MAX_EXPONENT}") == sp.Float(f"1e-{MAX_EXPONENT}")


def _chain(opening: str, levels: int, inner: str = "x") -> str:
    """``opening`` nested ``levels`` times around ``inner``: sin(x+sin(x+x))."""
    return opening * levels + inner + ")" * levels


LEVELS = MAX_DEPTH // 2  # of a chain that nests two operations a level, like sin(x + ...)
TOO_DEEP = [
    _chain("sin(x+", LEVELS + 1),
    _chain("1+x*(", LEVELS + 1),
    _chain("1/(1+", LEVELS + 1),
    _chain("exp(-", LEVELS + 1),
    _chain("sigmoid(", MAX_DEPTH // 4 + 1),  # 1/(1 + exp(-a)) is 4 levels
    "^".join(["x"] * (MAX_DEPTH + 2)),  # no brackets at all
    "sin " * (MAX_DEPTH + 1) + "x",
]


@pytest.mark.parametrize("text", TOO_DEEP, ids=[t[:12] for t in TOO_DEEP])
def test_an_expression_nested_beyond_the_limit_is_refused_at_once(text):
    start = time.perf_counter()
    with pytest.raises(ParseError, match=f"nests operations more than {MAX_DEPTH} deep"):
        parse_expressions(text)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    "text",
    [
        _chain("sin(x+", LEVELS),
        _chain("1/(1+", LEVELS),
        _chain("sin(", MAX_DEPTH),
        "^".join(["x"] * (MAX_DEPTH + 1)),
        "sin " * MAX_DEPTH + "x",
    ],
)
def test_an_expression_nested_to_the_limit_is_read(text):
    assert nesting_depth(parse_expression(text)) == MAX_DEPTH


def test_nesting_depth_counts_operations_inside_one_another():
    assert [nesting_depth(parse_expression(t)) for t in ("x", "2", "sin(x)", "sin(x + sin(x))", "x+y+z+w")] == [
        0, 0, 1, 3, 1
    ]


def test_a_derivative_too_deep_to_differentiate_again_is_refused_in_a_sentence():
    expr = parse_expression("^".join(["x"] * 40))  # each derivative nests u' about twice as deep
    first = symbolic.derivative(expr, x)
    assert nesting_depth(first) > MAX_DEPTH
    with pytest.raises(LimitError, match=f"derivative 1 of x\\*\\*.* is nested {nesting_depth(first)} operations deep"):
        symbolic.derivative(expr, x, 2)


WRAPPERS = [
    "sin({})", "x+{}", "({})^2", "{}^x", "x^({})", "sqrt(1+{})", "sigmoid({})", "log(2+{})", "max(x, {})",
    "abs({}-1)", "1/(1+{})", "exp(-{})", "atan2(x, {})", "erf({})", "floor({})", "2*{}+y", "tanh(x*{})",
]


@settings(max_examples=10, deadline=None)
@given(st.lists(st.sampled_from(WRAPPERS), min_size=10, max_size=40))
def test_any_nesting_is_read_and_differentiated_or_refused_in_words(wrappers):
    text = "x"
    for wrapper in wrappers:
        text = wrapper.format(text)
    try:
        expr = parse_expression(text)
    except (ParseError, LimitError) as error:
        assert re.search("nests operations|brackets are nested|took longer than|too large|undefined", str(error))
        return
    assert nesting_depth(expr) <= MAX_DEPTH
    try:
        with patch.object(symbolic, "SYMBOLIC_SECONDS", 1.0):  # a sentence in time is as good as a result
            str(symbolic.derivative(expr, x))
    except (LimitError, MathError) as error:
        assert "\n" not in str(error)


def test_variables_in_natural_order():
    expr = parse_expression("x10 + x2 + x1 + b + a + x0")
    assert [v.name for v in ordered_variables([expr])] == ["a", "b", "x0", "x1", "x2", "x10"]
    assert natural_key("x2") < natural_key("x10")


@pytest.mark.parametrize(("text", "value"), [("3", 3), ("-3", -3), ("1e-3", 0.001), ("pi/4", sp.pi / 4)])
def test_constants(text, value):
    assert sp.simplify(parse_constant(text) - value) == 0


@pytest.mark.parametrize(
    ("text", "message"),
    [("y", "contains the variable y"), ("log(-1)", "not real"), ("1/0", "divides by zero"), ("sqrt(-4)", "not real")],
)
def test_bad_constants(text, message):
    with pytest.raises(ParseError, match=message):
        parse_constant(text)


def test_point_in_order_or_by_name():
    assert parse_point("3,4", (x0, x1)) == {x0: 3, x1: 4}
    assert parse_point("x1=4, x0=3", (x0, x1)) == {x0: 3, x1: 4}
    assert parse_point("atan2(1, 1), 2", (x0, x1))[x0] == sp.pi / 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("3", r"gives 1 value but the expression has 2 variables \(x0, x1\)"),
        ("3,4,5", "gives 3 values"),
        ("x=3,x1=4", r"names 'x', which is not a variable of the expression \(x0, x1\)"),
        ("x1=4", "gives no value for x0"),
        ("3,x1=4", "mixes named and unnamed"),
        ("x0=1,x0=2,x1=3", r"gives x0 more than once; give each of \(x0, x1\) once"),
        ("x1=4, x0=3, x1 = 4", "gives x1 more than once"),
        ("x0=1,x1=2,x1=2,x0=1", "gives x1 more than once"),
    ],
)
def test_bad_points_name_the_variables(text, message):
    with pytest.raises(UsageError, match=message):
        parse_point(text, (x0, x1))


@pytest.mark.parametrize(
    ("text", "meant"),
    [("sinx", "sin(x)"), ("sinx^2 + cosx", "sin(x)"), ("expx", "exp(x)"), ("lnx0", "ln(x0)"), ("2*sinhy", "sinh(y)")],
)
def test_a_function_glued_to_its_variable_is_not_a_new_variable(text, meant):
    with pytest.raises(ParseError, match=rf"reads as one variable: did you mean {re.escape(meant)}\?"):
        parse_expression(text)


@pytest.mark.parametrize("name", ["cost", "expected", "logits", "sine", "x0", "signal"])
def test_names_that_only_begin_like_a_function_stay_variables(name):
    assert parse_expression(name) == sp.Symbol(name, real=True)


@pytest.mark.parametrize(
    ("text", "meant"),
    [("xe^x", "x*e"), ("2xe^x", "x*e"), ("x0e^(-x0)", "x0*e"), ("pix", "pi*x"), ("xpi", "x*pi"), ("ex", "e*x"),
     ("ye^y + x", "y*e"), ("xE", "x*E")],
)
def test_xe_to_the_x_is_not_a_new_variable_xe(text, meant):
    with pytest.raises(ParseError, match=rf"reads as one variable: did you mean {re.escape(meant)}\? \(a product needs"):
        parse_expression(text)


def test_x_times_e_to_the_x_with_a_space_or_a_star_is_the_product():
    x = sp.Symbol("x", real=True)
    assert parse_expression("x e^x") == parse_expression("x*e^x") == x * sp.exp(x)


@pytest.mark.parametrize("name", ["pie", "epsilon", "exe", "xe1", "pixel", "ee"])
def test_names_that_only_hold_a_constant_stay_variables(name):
    assert parse_expression(name) == sp.Symbol(name, real=True)


@pytest.mark.parametrize(
    ("text", "argument", "first"),
    [("sin x cos x", "x cos x", "x"), ("sin x * cos x", "x * cos x", "x"), ("sqrt x * 2", "x * 2", "x")],
)
def test_a_function_without_brackets_over_several_factors_is_refused(text, argument, first):
    # sympy read sin x * cos x as sin(x*cos(x)) and sqrt x * 2 as sqrt(2x), where a reader sees a product
    name = text.split()[0]
    with pytest.raises(ParseError, match=re.escape(
            f"{name} without brackets would take all of {argument!r}; write the brackets: {name}({first}) or "
            f"{name}({argument})")):
        parse_expression(text)


@pytest.mark.parametrize(("text", "read"), [("sin x", "sin(x)"), ("sin 2x", "sin(2*x)"), ("sin x + 1", "sin(x) + 1"),
                                            ("sin x/2", "sin(x)/2"), ("2 sin x", "2*sin(x)"), ("x sin x", "x*sin(x)")])
def test_a_function_without_brackets_over_one_factor_reads_as_written(text, read):
    assert parse_expression(text) == parse_expression(read)
