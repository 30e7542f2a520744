"""The derivation rule by rule: each rule on a small case, agreement with sympy on a corpus and on
random expression trees, the fallback to sympy, references to repeated steps, the final form."""

from __future__ import annotations

import pytest
import sympy as sp
from derivative_check import agree_at_points, same_derivative
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from numdiff_cli import symbolic
from numdiff_cli.errors import ParseError, UsageError
from numdiff_cli.parsing import parse_expression
from numdiff_cli.results.derivation import Rule, Step
from numdiff_cli.rule_by_rule import derivation, derive, tidy
from numdiff_cli.rule_table import recognise, sigmoid, written_out

x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
R = Rule

# text, root rule, its children's rules, the derivative as a person writes it (typed, then parsed)
RULES = [
    ("7", R.CONSTANT, [], "0"),
    ("x", R.VARIABLE, [], "1"),
    ("x^5", R.POWER, [], "5x^4"),
    ("x^-2", R.POWER, [], "-2/x^3"),
    ("x^2.5", R.POWER, [], "2.5x^1.5"),
    ("sqrt(x)", R.ROOT, [], "1/(2sqrt(x))"),
    ("x^(1/3)", R.ROOT, [], "1/(3x^(2/3))"),  # the principal root; cbrt(x) is the real one, sign(x)·|x|^(1/3)
    ("x^2 + sin(x)", R.SUM, [R.POWER, R.TRIGONOMETRIC], "2x + cos(x)"),
    ("x^2 - sin(x) + 3", R.DIFFERENCE, [R.POWER, R.TRIGONOMETRIC, R.CONSTANT], "2x - cos(x)"),
    ("3x^2", R.CONSTANT_MULTIPLE, [R.POWER], "6x"),
    ("-x", R.CONSTANT_MULTIPLE, [R.VARIABLE], "-1"),
    ("x sin(x)", R.PRODUCT, [R.VARIABLE, R.TRIGONOMETRIC], "sin(x) + x cos(x)"),
    ("x sin(x) exp(x)", R.PRODUCT, [R.VARIABLE, R.EXPONENTIAL, R.TRIGONOMETRIC], "exp(x)(sin(x) + x cos(x) + x sin(x))"),
    ("2x sin(x)", R.CONSTANT_MULTIPLE, [R.PRODUCT], "2 sin(x) + 2x cos(x)"),  # the constant first
    ("sin(x)/x", R.QUOTIENT, [R.TRIGONOMETRIC, R.VARIABLE], "(x cos(x) - sin(x))/x^2"),
    ("x/(1 + x^2)", R.QUOTIENT, [R.VARIABLE, R.SUM], "(1 - x^2)/(1 + x^2)^2"),
    ("1/(1 + x^2)", R.CHAIN, [R.POWER, R.SUM], "-2x/(1 + x^2)^2"),  # no numerator: a power
    ("sin(x^2)", R.CHAIN, [R.TRIGONOMETRIC, R.POWER], "2x cos(x^2)"),
    ("exp(x)", R.EXPONENTIAL, [], "exp(x)"),
    ("2^x", R.EXPONENTIAL, [], "2^x ln(2)"),
    ("2^(x^2)", R.CHAIN, [R.EXPONENTIAL, R.POWER], "2x 2^(x^2) ln(2)"),
    ("ln(x)", R.LOGARITHM, [], "1/x"),
    ("log(x, 2)", R.CONSTANT_MULTIPLE, [R.LOGARITHM], "1/(x ln(2))"),
    *((f"{name}(x)", R.TRIGONOMETRIC, [], d) for name, d in [
        ("sin", "cos(x)"), ("cos", "-sin(x)"), ("tan", "1 + tan(x)^2"), ("cot", "-1 - cot(x)^2"),
        ("sec", "sec(x) tan(x)"), ("csc", "-csc(x) cot(x)"),
    ]),
    *((f"{name}(x)", R.INVERSE_TRIGONOMETRIC, [], d) for name, d in [
        ("asin", "1/sqrt(1 - x^2)"), ("acos", "-1/sqrt(1 - x^2)"), ("atan", "1/(1 + x^2)"),
        ("acot", "-1/(1 + x^2)"), ("asec", "1/(x^2 sqrt(1 - 1/x^2))"), ("acsc", "-1/(x^2 sqrt(1 - 1/x^2))"),
    ]),
    *((f"{name}(x)", R.HYPERBOLIC, [], d) for name, d in [
        ("sinh", "cosh(x)"), ("cosh", "sinh(x)"), ("tanh", "1 - tanh(x)^2"), ("coth", "1 - coth(x)^2"),
        ("sech", "-sech(x) tanh(x)"), ("csch", "-csch(x) coth(x)"),
    ]),
    *((f"{name}(x)", R.INVERSE_HYPERBOLIC, [], d) for name, d in [
        ("asinh", "1/sqrt(x^2 + 1)"), ("acosh", "1/sqrt(x^2 - 1)"), ("atanh", "1/(1 - x^2)"),
        ("acoth", "1/(1 - x^2)"), ("asech", "-1/(x sqrt(1 - x^2))"), ("acsch", "-1/(x^2 sqrt(1 + 1/x^2))"),
    ]),
    ("abs(x)", R.ABSOLUTE_VALUE, [], "sign(x)"),
    ("x^x", R.GENERAL_POWER, [R.PRODUCT], "x^x (ln(x) + 1)"),
    ("sin(x)^cos(x)", R.GENERAL_POWER, [R.PRODUCT], "sin(x)^cos(x) (cos(x)^2/sin(x) - sin(x) ln(sin(x)))"),
    ("sigmoid(x)", R.SIGMOID, [], "exp(-x)/(1 + exp(-x))^2"),
    ("relu(x)", R.RELU, [], "heaviside(x)"),
    ("softplus(x)", R.SOFTPLUS, [], "sigmoid(x)"),
    ("erf(x)", R.SYMPY, [], "2 exp(-x^2)/sqrt(pi)"),
    ("erf(x^2)", R.CHAIN, [R.SYMPY, R.POWER], "4x exp(-x^4)/sqrt(pi)"),
    ("max(x, x^2)", R.SYMPY, [], "2x heaviside(x^2 - x) + heaviside(x - x^2)"),
]


@pytest.mark.parametrize(("text", "rule", "children", "expected"), RULES, ids=[r[0] for r in RULES])
def test_each_rule_on_a_small_case(text, rule, children, expected):
    expr = parse_expression(text)
    step, result = derive(recognise(expr), x)
    assert step.rule == rule
    assert [child.rule for child in step.children] == children
    assert same_derivative(expr, result, parse_expression(expected))


def test_the_chain_rule_names_the_inner_function_and_differentiates_the_outer_one_in_it():
    step, _ = derive(parse_expression("sin(x^2)"), x)
    outer, inner = step.children
    assert step.where == (("u", "x**2"),) and step.formula == "(f(u))′ = f′(u)·u′"
    assert (outer.expression, outer.variable, outer.result) == ("sin(u)", "u", "cos(u)")
    assert (inner.expression, inner.variable, inner.result) == ("x**2", "x", "2*x")


@pytest.mark.parametrize(
    ("text", "assembled", "result"),
    [
        ("sin(x^2)", "cos(x**2)*(2*x)", "2*x*cos(x**2)"),
        ("sin(x)/x", "(cos(x)*x - sin(x)*1)/x**2", "(x*cos(x) - sin(x))/x**2"),
        ("x*log(x)", "1*log(x) + x*(1/x)", "log(x) + 1"),
        ("3x^2 - cos(x)", "6*x - (-sin(x))", "6*x + sin(x)"),
        ("x^x", "x**x*(log(x) + 1)", "x**x*(log(x) + 1)"),
    ],
)
def test_a_step_shows_its_rule_with_the_parts_put_in_before_its_result(text, assembled, result):
    step, _ = derive(parse_expression(text), x)
    assert (step.assembled, step.result) == (assembled, result)


def test_the_chain_letter_is_one_the_expression_does_not_use():
    step, _ = derive(parse_expression("sin(u^2 + v)"), sp.Symbol("u", real=True))
    assert step.where == (("w", "u**2 + v"),) and step.children[0].expression == "sin(w)"


def test_a_quotient_names_numerator_and_denominator_and_a_difference_its_signs():
    step, _ = derive(parse_expression("x*exp(-x^2)/(1+x^2)"), x)
    assert step.where == (("u", "x*exp(-x**2)"), ("v", "x**2 + 1"))
    difference, _ = derive(parse_expression("-x^2 + x - 1"), x)
    assert difference.formula == "(−u + v − w)′ = −u′ + v′ − w′"
    assert [c.expression for c in difference.children] == ["x**2", "x", "1"]  # the terms, signs taken out


def test_a_variable_held_constant_says_so():
    step, _ = derive(parse_expression("x^2 y + y^3"), x)
    constant = step.children[1]
    assert (constant.rule, constant.expression, constant.formula) == (R.CONSTANT, "y**3", "y held constant")
    assert step.children[0].rule == R.CONSTANT_MULTIPLE and step.children[0].where == (("c", "y"),)


def test_a_step_sympy_takes_is_marked_and_says_which_function():
    done = derivation(parse_expression("erf(x)*x"), x)
    sympy_step = done.trees[0].children[1]
    assert sympy_step.rule == R.SYMPY and "no rule for erf" in sympy_step.formula
    assert done.by_sympy and not derivation(parse_expression("sin(x)*x"), x).by_sympy


def test_the_absolute_value_rule_is_for_real_insides_only():
    assert derive(parse_expression("abs(x^2 - 1)"), x)[0].rule == R.CHAIN
    step, result = derive(parse_expression("abs(log(x))"), x)  # real for x < 0 too, as sqrt(log|x|² + π²)
    assert step.rule == R.SYMPY and "needs a real u" in step.formula
    assert result == symbolic.derivative(parse_expression("abs(log(x))"), x)


def test_a_repeated_sub_derivation_is_labelled_once_and_referred_to():
    step, _ = derive(parse_expression("exp(sin(x^2))*sin(x^2) + cos(sin(x^2))"), x)

    def walk(s: Step):
        yield s
        for child in s.children:
            yield from walk(child)

    steps = [s for s in walk(step) if s.expression == "sin(x**2)"]
    assert [(s.label, s.see, len(s.children)) for s in steps] == [(1, None, 2), (None, 1, 0), (None, 1, 0)]
    assert all(s.label is None for s in walk(step) if s.expression != "sin(x**2)")  # a leaf is just repeated


def test_the_trees_of_one_derivation_never_share_a_number():
    done = derivation(parse_expression("exp(sin(x^2))*sin(x^2)"), x, order=2)

    def labels(step: Step) -> list[int]:
        return [step.label] * (step.label is not None) + [n for c in step.children for n in labels(c)]

    first, second = (labels(tree) for tree in done.trees)
    assert first == [1] and second and min(second) == 2


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("sigmoid(x)", "(1 - sigmoid(x))*sigmoid(x)"),  # σ(1 − σ), not exp(-x)/(1 + exp(-x))**2
        ("sigmoid(x)^2", "2*(1 - sigmoid(x))*sigmoid(x)**2"),  # sympy writes σ² as (1 + e⁻ˣ)⁻²
        ("tanh(x)", "1 - tanh(x)**2"),  # not 1/cosh(x)**2
        ("tanh(x)^2", "2*(1 - tanh(x)**2)*tanh(x)"),
        ("exp(x)", "exp(x)"),
        ("softplus(2x)", "2*sigmoid(2*x)"),
        ("x*exp(-x^2)/(1+x^2)", "(-2*x**4 - 3*x**2 + 1)*exp(-x**2)/(x**2 + 1)**2"),  # one fraction
        ("exp(x) sin(x)", "(sin(x) + cos(x))*exp(x)"),
    ],
)
def test_the_final_derivative_is_in_its_recognisable_form(text, shown):
    expr = parse_expression(text)
    done = derivation(expr, x)
    assert done.derivative == shown
    assert same_derivative(expr, parse_expression(done.derivative), sp.diff(expr, x))  # reads back as typed


def test_recognised_names_are_written_out_again():
    expr = parse_expression("sigmoid(x) + softplus(x^2) * relu(x - 1) + 1/(1 + exp(x))")
    named = recognise(expr)
    assert named.atoms(sigmoid) == {sigmoid(x)}  # 1/(1 + e^x) is σ(−x): not named
    assert written_out(named) == expr


def test_higher_orders_differentiate_the_previous_result():
    expr = parse_expression("sin(x)^3")
    done = derivation(expr, x, order=2)
    assert [tree.expression for tree in done.trees] == ["sin(x)**3", "3*sin(x)**2*cos(x)"]
    assert same_derivative(expr, parse_expression(done.derivative), sp.diff(expr, x, 2))


def test_the_depth_is_a_whole_number_of_levels():
    with pytest.raises(UsageError, match="depth must be a whole number of levels, 1 or more, not 0"):
        derivation(x**2, x, depth=0)


CORPUS = [
    # polynomials, roots and powers
    "3x^4 - 2x^3 + x - 7", "(x + 1)^5", "(2x - 3)^-3", "x^(3/2)", "sqrt(x^2 + 1)", "cbrt(1 - x)",
    "root(x^2 + 3, 4)", "1/sqrt(x)", "x^2 (x - 1)^3", "(x^2 + 1)^(1/3) / x", "0.01x^2 + 0.1x", "x^pi",
    # quotients
    "(x^2 + 1)/(x - 2)", "x/(x + 1)^2", "(1 - x)/(1 + x)", "sin(x)/(1 + cos(x))", "exp(x)/(1 + exp(x))",
    "1/(x (1 + x))", "x^2/sqrt(1 - x^2)", "(x + 2)/(x^2 - 1)/(x + 3)", "3/(x^2 + 1)", "log(x)/x",
    # exponentials and logarithms
    "exp(-x^2)", "x exp(-x)", "exp(sin(x))", "2^x", "10^(x^2)", "pi^x", "e^(2x) - e^(-x)", "log(x^2 + 1)",
    "log(log(x))", "log10(x)", "log2(x^3)", "log(x, 3)", "x log(x) - x", "log(abs(x))", "exp(exp(x))",
    "log(1 + exp(x))", "log(sin(x))",
    # trigonometric and inverse
    "sin(x) cos(x)", "tan(x)^2", "sec(x)^2 - tan(x)^2", "cot(3x)", "csc(x^2)", "sin(cos(x))",
    "cos(x)^3 sin(x)^2", "asin(x^2)", "acos(2x)", "atan(1/x)", "acot(x^2)", "asec(x^2 + 1)", "acsc(x + 3)",
    "atan(x)/x", "sin(x)^2 + cos(x)^2", "x sin(1/x)", "atan2(x, 2)",
    # hyperbolic and inverse
    "sinh(x) cosh(x)", "tanh(x)^3", "coth(x^2)", "sech(x)^2", "csch(2x)", "asinh(x^2)", "acosh(x + 2)",
    "atanh(x/4)", "acoth(x + 3)", "asech(x/2)", "acsch(x^2)", "tanh(sinh(x))",
    # abs, general powers
    "abs(x^2 - 1)", "abs(sin(x))", "x abs(x)", "x^x", "x^(x^2)", "(x^2 + 1)^x", "x^sin(x)", "sin(x)^x",
    "(1 + 1/x)^x", "x^(1/x)",
    # the tool's own functions
    "sigmoid(x)", "sigmoid(2x + 1)", "sigmoid(x)^2", "x sigmoid(x)", "relu(x)", "relu(x^2 - 1)",
    "softplus(x)", "softplus(-x^2)", "relu(sin(x)) + softplus(x)", "sigmoid(sigmoid(x))", "tanh(x) sigmoid(x)",
    "log(sigmoid(x))",
    # special functions and pieces: sympy at that node
    "erf(x)", "erf(x) x", "erfc(2x)", "gamma(x + 1)", "sinc(x)", "max(x, x^2)", "min(sin(x), cos(x))",
    "floor(x) x", "sign(x) x^2", "heaviside(x - 1) x", "factorial(x)", "exp(erf(x))",
    # combinations
    "x exp(-x^2)/(1 + x^2)", "sin(x^2) exp(-x) / (x^2 + 1)", "sqrt(x) log(x) / (1 + x)", "x^3 tanh(x) - cosh(x)/x",
    "exp(sin(x^2)) sin(x^2) + cos(sin(x^2))", "(sin(x) + cos(x))^4", "atan(exp(x)) - log(cosh(x))",
    "exp(x) (x^2 - 2x + 2)", "sin(x) sin(2x) sin(3x)", "1/(1 + exp(-3x)) - x/2",
]


@pytest.mark.parametrize("text", CORPUS)
def test_the_derivation_agrees_with_sympy(text):
    expr = parse_expression(text)
    _, result = derive(recognise(expr), x)
    truth = symbolic.derivative(expr, x)  # as the table shows it
    assert same_derivative(expr, result, truth)
    assert same_derivative(expr, tidy(result), truth)  # the last line's form
    for step in _steps(derive(recognise(expr), x)[0]):  # each step's rule, written out, is its result
        if step.assembled is not None and step.variable == "x" and _readable(step.result):
            result = parse_expression(step.result)
            assert agree_at_points(result, parse_expression(step.assembled), result) is not False, step


def _steps(step: Step):
    yield step
    for child in step.children:
        yield from _steps(child)


def _readable(text: str) -> bool:
    """Whether the parser reads ``text`` (a result may hold sympy's DiracDelta or polygamma)."""
    try:
        parse_expression(text)
    except ParseError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "wrt"), [("x^2 y + sin(x y)", "x"), ("x^2 y + sin(x y)", "y"), ("exp(x/y) + y^x", "y"), ("x^y", "x")]
)
def test_partials_agree_with_sympy(text, wrt):
    expr = parse_expression(text)
    variable = x if wrt == "x" else y
    _, result = derive(recognise(expr), variable)
    assert same_derivative(expr, result, sp.diff(expr, variable))


def test_the_corpus_is_large_and_covers_every_rule():
    assert len(CORPUS) >= 100

    def rules(step: Step) -> set[Rule]:
        return {step.rule}.union(*(rules(c) for c in step.children))

    seen = set().union(*(rules(derive(recognise(parse_expression(t)), x)[0]) for t in CORPUS))
    assert seen == set(Rule)


def test_the_agreement_check_can_fail():
    expr = parse_expression("sin(x^2)")
    assert agree_at_points(expr, parse_expression("x cos(x^2)"), sp.diff(expr, x)) is False  # a factor 2 lost
    assert not same_derivative(expr, parse_expression("2 cos(x^2)"), sp.diff(expr, x))


# Random expression trees: functions, arithmetic and the tool's own functions, written as the parser does.
_UNARY = [
    sp.sin, sp.cos, sp.tan, sp.exp, sp.log, sp.sqrt, sp.Abs, sp.atan, sp.asinh, sp.tanh, sp.cosh, sp.erf,
    lambda u: 1 / (1 + sp.exp(-u)), lambda u: sp.log(1 + sp.exp(u)), lambda u: sp.Max(0, u),
    lambda u: u**2, lambda u: u**-1, lambda u: -u, lambda u: u**sp.Rational(1, 3),
]
_BINARY = [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b, lambda a, b: a**b,
]
_LEAVES = st.sampled_from([x, x, x, sp.Integer(2), sp.Integer(-3), sp.Rational(1, 2), sp.pi, sp.Float(0.25)])
_TREES = st.recursive(
    _LEAVES,
    lambda inner: st.one_of(
        st.builds(lambda f, a: f(a), st.sampled_from(_UNARY), inner),
        st.builds(lambda f, a, b: f(a, b), st.sampled_from(_BINARY), inner, inner),
    ),
    max_leaves=6,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(_TREES)
def test_random_trees_agree_with_sympy(expr):
    assume(expr.is_finite is not False and not expr.has(sp.zoo, sp.nan, sp.oo, sp.I))
    _, result = derive(recognise(expr), x)
    verdict = agree_at_points(expr, result, sp.diff(expr, x))
    assume(verdict is not None)  # f real at too few of the points to tell
    assert verdict, (expr, result)
