"""numdiff check EXPR --claim D: right, wrong (each slip's hint where it is exactly the slip, none
where no slip explains the claim) and partly right claims, their exit codes and JSON."""

from __future__ import annotations

import json

import pytest
import sympy

import numdiff_cli as nd
from numdiff_cli.results.check import PointStatus, Slip, Verdict


def slips(result) -> set[str]:
    return {h.slip.value for c in result.components for h in c.hints}


@pytest.mark.parametrize(
    ("f", "claim"),
    [("sin(x^2)", "2x cos(x^2)"), ("x^3", "3x^2"), ("sigmoid(x)", "sigmoid(x)*(1 - sigmoid(x))"),
     ("0.1x^3", "0.3x^2"), ("x^2 + y^2", "[2x, 2y]"), ("log(x)", "1/x")],
)
def test_a_right_claim_is_right_and_proved(f, claim):
    result = nd.check(f, claim)
    assert result.verdict is Verdict.RIGHT and result.proof.value == "symbolic", result.message
    assert all(p.status is PointStatus.RIGHT for p in result.points)
    assert all(c.hints == () and c.difference is None for c in result.components)


@pytest.mark.parametrize(
    ("f", "claim", "slip", "words"),
    [
        ("sin(x^2)", "cos(x^2)", Slip.CHAIN_RULE, "the inner derivative d/dx x**2 = 2*x is missing"),
        ("x + exp(3x)", "1 + exp(3x)", Slip.CHAIN_RULE, "d/dx 3*x = 3 is missing"),
        ("x^2 - 3x", "3 - 2x", Slip.SIGN, "the claim is −f′"),
        ("5x^2", "5x", Slip.CONSTANT_FACTOR, "f′ = 2 × the claim"),
        ("x^3", "3x^3", Slip.POWER_RULE_EXPONENT, "d/dx x**3 = 3*x**2"),
        ("x^4 + x", "x^3 + 1", Slip.POWER_RULE_FACTOR, "the factor 4 is missing"),
        ("2^x", "x*2^(x-1)", Slip.POWER_RULE_ON_EXPONENTIAL, "2**x is an exponential, not a power"),
        # e^x is exp(x), a function to sympy, not a power: the same slip, the same hint
        ("e^x", "x*e^(x-1)", Slip.POWER_RULE_ON_EXPONENTIAL, "d/dx exp(x) = exp(x), not x*exp(x - 1)"),
        ("e^(2x)", "4x*e^(2x-1)", Slip.POWER_RULE_ON_EXPONENTIAL, "d/dx exp(2*x) = 2*exp(2*x), not 4*x*exp(2*x - 1)"),
        ("x*sin(x)", "sin(x)", Slip.PRODUCT_RULE_HALF, "the term uv′ = x*cos(x) is missing"),
        ("x*sin(x)", "cos(x)", Slip.PRODUCT_RULE_DERIVATIVES, "not u′v′ = cos(x)"),
        ("x/(x+1)", "(2x+1)/(x+1)^2", Slip.QUOTIENT_RULE_SIGN, "with a minus"),
        ("x^2 + cos(x)", "2x + sin(x)", Slip.RULE_SIGN, "d/dx cos(x) = -sin(x), not sin(x)"),
        ("x^2 + 1", "x^2 + 1", Slip.FUNCTION_ITSELF, "the claim is f itself"),
        ("x^2", "x^3/3", Slip.ANTIDERIVATIVE, "an antiderivative of f"),
        ("x^3", "6x", Slip.SECOND_DERIVATIVE, "the second derivative 6*x"),
        ("x^2 + 5", "2x + 5", Slip.CONSTANT_TERM_KEPT, "the term 5 of f does not depend on x"),
        ("x^2 + sin(x)", "2x", Slip.MISSING_TERM, "the derivative of the term sin(x) is missing"),
    ],
)
def test_a_slip_is_named_where_it_explains_the_claim_exactly(f, claim, slip, words):
    result = nd.check(f, claim)
    assert result.verdict is Verdict.WRONG
    hints = [h for c in result.components for h in c.hints if h.slip is slip]
    assert hints and any(words in h.message for h in hints), [h.message for c in result.components for h in c.hints]


@pytest.mark.parametrize(("f", "claim"), [("sin(x)", "cos(x) + 1"), ("x^3", "3x^2 + x"), ("exp(x)", "x*exp(x)")])
def test_no_hint_where_no_slip_explains_the_claim(f, claim):
    result = nd.check(f, claim)
    assert result.verdict is Verdict.WRONG and slips(result) == set()


def test_the_difference_is_simplified_and_every_random_point_is_wrong():
    result = nd.check("sin(x)", "cos(x) + 1")
    assert result.components[0].difference == "-1"
    assert result.message == "wrong: f′ − claim = -1"
    assert result.points and all(p.status is PointStatus.WRONG for p in result.points)
    assert all(abs(p.abs_error[0] - 1) < 1e-12 for p in result.points)  # |cos x − (cos x + 1)| = 1


@pytest.mark.parametrize("offset", ["1e-9", "1e-13", "1e-20"])
def test_a_claim_off_by_a_tiny_constant_is_wrong_not_right_by_sampling(offset):
    result = nd.check("x^2", f"2*x + {offset}")
    assert result.verdict is Verdict.WRONG and result.components[0].difference == str(-sympy.Rational(offset))


def test_a_claim_off_by_a_factor_below_the_screens_tolerance_is_wrong_not_right_by_sampling():
    # 2.00000000000001·x − 2x = x/10^14: within the screen's 1e-9 at every sample, yet 0 at none but x = 0
    result = nd.check("x^2", "2.00000000000001*x")
    assert result.verdict is Verdict.WRONG and result.components[0].difference == "-x/100000000000000"
    assert result.notes == ()


def test_an_identity_sympy_cannot_simplify_stays_right_at_the_exact_sample_values():
    # acosh(cosh(x))′ = sinh(x)/|sinh(x)| = sign(x) for x ≠ 0, which sympy leaves unsimplified
    result = nd.check("acosh(cosh(x))", "sign(x)")
    assert result.verdict is Verdict.RIGHT and result.proof.value == "numeric"
    assert "which is 0 at every sample point" in result.notes[0]


def test_a_gradient_in_the_wrong_order_is_named_once():
    result = nd.check("x^2 + 3y^2", "[6y, 2x]")
    assert [h.slip for c in result.components for h in c.hints] == [Slip.SWAPPED_COMPONENTS]


def test_a_partial_in_the_wrong_variable_is_named():
    result = nd.check("x^2*y", "x^2", wrt="x")
    assert Slip.WRONG_VARIABLE.value in slips(result)
    assert any("the claim is ∂f/∂y, not ∂f/∂x" in h.message for h in result.components[0].hints)


@pytest.mark.parametrize(("f", "claim"), [("abs(x)", "1"), ("x^2", "2*sqrt(x^2)"), ("x*abs(x)", "2x")])
def test_a_claim_right_for_positive_x_only_is_partly_right(f, claim):
    result = nd.check(f, claim)
    assert result.verdict is Verdict.PARTLY_RIGHT
    assert result.message == "partly right: right for x > 0, wrong for x < 0"
    assert {(r.where, r.verdict) for r in result.regions} == {("x > 0", Verdict.RIGHT), ("x < 0", Verdict.WRONG)}
    # the table agrees: right exactly at the positive points
    assert all((p.status is PointStatus.RIGHT) == (p.at["x"] > 0) for p in result.points)


def test_a_region_away_from_zero_is_found():
    result = nd.check("abs(x - 1)", "-1")
    assert result.message == "partly right: right for x < 1, wrong for x > 1"


def test_x_over_abs_x_is_right_and_says_where_it_is_undefined():
    result = nd.check("abs(x)", "x/abs(x)")
    assert result.verdict is Verdict.RIGHT and result.notes == ("the claim is undefined where x = 0",)
    assert result.message == "right: f′ − claim simplifies to 0 wherever the claim is defined"


def test_at_points_and_a_point_without_derivative():
    result = nd.check("abs(x)", "sign(x)", at=[0, 2])
    assert result.seed is None
    corner, right = result.points
    assert corner.status is PointStatus.NO_DERIVATIVE and "corner" in corner.note
    assert right.status is PointStatus.RIGHT and right.exact == (1.0,)


def test_a_wrong_formula_right_at_the_point_asked_says_so():
    result = nd.check("x^2", "2", at=1)
    assert result.verdict is Verdict.WRONG and result.points[0].status is PointStatus.RIGHT
    assert result.message.endswith("though it gives the right value at the points asked")


def test_random_points_are_seeded_and_reproducible():
    first, again, other = nd.check("x^2", "2x"), nd.check("x^2", "2x"), nd.check("x^2", "2x", seed=7)
    assert first.seed == 0 and [p.at for p in first.points] == [p.at for p in again.points]
    assert [p.at for p in first.points] != [p.at for p in other.points]


def test_random_points_lie_where_f_and_the_claim_are_finite():
    result = nd.check("log(x)", "1/x")
    assert len(result.points) == 8 and all(p.at["x"] > 0 for p in result.points)


def test_exit_codes_right_wrong_partly_and_usage(run):
    assert run("check", "x^2", "--claim", "2x").exit_code == 0
    assert run("check", "sin(x^2)", "--claim", "cos(x^2)").exit_code == 1
    assert run("check", "abs(x)", "--claim", "1").exit_code == 1
    done = run("check", "x^2", "--claim", "2y")
    assert done.exit_code == 2 and done.stderr == "error: --claim uses y, which f does not have (its variables: x)\n"
    done = run("check", "x^2 + y^2", "--claim", "[2x, 2y, 1]")
    assert done.exit_code == 2 and "--claim should hold one derivative per variable (x, y), not 3" in done.stderr
    assert run("check", "x^2").exit_code == 2
    done = run("check", "x^2*y", "--claim", "2xy")
    assert done.exit_code == 2 and done.stderr == (
        "error: f has the variables x, y: name the variable of the claimed partial derivative with --wrt, or claim "
        "the whole gradient as [∂f/∂x, ∂f/∂y]\n"
    )


def test_the_table_and_json(run):
    done = run("check", "sin(x^2)", "--claim", "cos(x^2)", "--at", "1")
    assert done.exit_code == 1
    assert "wrong: f′ − claim = (2*x - 1)*cos(x**2)" in done.stdout
    assert "hint: chain rule: d/dx sin(x**2) = 2*x*cos(x**2)" in done.stdout
    data = json.loads(run("check", "sin(x^2)", "--claim", "cos(x^2)", "--at", "1", "--json").stdout)
    assert data["verdict"] == "wrong" and data["components"][0]["hints"][0]["slip"] == "chain_rule"
    point = data["points"][0]
    assert point["at"] == {"x": 1.0} and point["status"] == "wrong"
    assert point["exact"][0] == pytest.approx(2 * 0.5403023058681398) and point["claim"][0] == pytest.approx(0.5403023058681398)


def test_the_table_exports_to_markdown_and_latex(run):
    done = run("check", "sin(x^2)", "--claim", "cos(x^2)", "--at", "1", "--format", "markdown")
    assert done.exit_code == 1  # still the verdict's exit code
    lines = done.stdout.splitlines()
    assert lines[0] == "**check (wrong) of a claimed derivative of** `sin(x**2)`"
    header = next(i for i, line in enumerate(lines) if line.startswith("| at"))
    cells = [c.strip() for c in lines[header + 2].strip("|").split("|")]
    assert cells[0] == "`x=1.0`" and cells[-1] == "wrong"
    assert float(cells[2]) == pytest.approx(2 * 0.5403023058681398)  # the exact 2x·cos(x²) at 1
    latex = run("check", "x^2 + y^2", "--claim", "[2x, 2y]", "--at", "1,2", "--format", "latex").stdout
    assert "\\[ \\frac{\\partial}{\\partial x} \\left(x^{2} + y^{2}\\right) = 2 x \\]" in latex
    assert latex.count(" \\\\\n") == 3 and "\\begin{tabular}" in latex  # the header and one row per partial


@pytest.mark.parametrize(
    ("claim", "words", "factor"),
    [
        ("2.0000001*x", "the claim is 1.00000005 × f′, off by 5.0e-08 of f′ everywhere", 1.00000005),
        ("1.9999999*x", "the claim is 0.99999995 × f′, off by 5.0e-08 of f′ everywhere", 0.99999995),
        ("x*1.23456", "the claim is 0.61728 × f′", 0.61728),
    ],
)
def test_a_constant_factor_that_is_no_short_fraction_is_worded_as_a_decimal(claim, words, factor):
    # f = x², f′ = 2x: the claim c·x is c/2 × f′ (2.0000001/2 = 1.00000005), not f′ = 20000000/20000001 × it
    result = nd.check("x^2", claim)
    (hint,) = [h for c in result.components for h in c.hints if h.slip is Slip.CONSTANT_FACTOR]
    assert words in hint.message and "/" not in hint.message, hint.message
    for p in result.points:  # the sentence agrees with the table: claim = factor × true at every point
        assert p.claim[0] == pytest.approx(factor * p.exact[0], rel=1e-12)


def test_a_short_fraction_stays_a_fraction():
    result = nd.check("x^2", "3x")  # f′ = 2x = 2/3 × the claim
    assert [h.message for c in result.components for h in c.hints] == ["a constant factor: f′ = 2/3 × the claim"]


@pytest.mark.parametrize("claim", ["", "   "])
def test_an_empty_claim_is_named_as_the_claim_not_the_expression(run, claim):
    # it said "the expression is empty", though the expression x was given
    done = run("check", "x", "--claim", claim)
    assert done.exit_code == 2 and done.stderr == "error: --claim is empty: give the derivative to check\n"
