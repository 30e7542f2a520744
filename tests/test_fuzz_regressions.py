"""Cases the fuzzers found, each by name: a right answer or one sentence, never a traceback."""

from __future__ import annotations

import json
import math

import pytest
import sympy as sp

from numdiff_cli import huge_arguments
from numdiff_cli.errors import MathError


def one_sentence(result, code: int = 1) -> str:
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == code, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    return result.stderr


def test_atan2_of_x_and_csc_x_at_its_pole_is_undefined_in_words(run):
    # csc(0) is complex infinity, so atan2(0, zoo) has no value; sympy compares a nan on the way.
    for extra in ([], ["--h", "1e300"]):
        message = one_sentence(run("diff", "atan2(x, csc(x))", "--at", "0", *extra))
        assert "atan2(x, csc(x)) is undefined at x = 0" in message


def test_atan2_of_coth_sec_descends_with_adam_or_says_why(run):
    result = run(
        "descend", "-atan2(coth(sec(-y)), sec(erfc(pi+x)))", "--from", "[-pi,1e8]", "--wrt", "y",
        "--optimizer", "adam", "--json",
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    if result.exit_code:
        one_sentence(result)
    else:
        assert json.loads(result.stdout)["optimizer"] == "adam"


@pytest.mark.parametrize("expression", ["log(sinh(x^4e9))", "tanh(x^4e9)", "1/cosh(x^4e9)"])
def test_log_sinh_x_to_the_4e9_is_refused_before_mpmath_allocates_its_argument(run, expression):
    # x^4e9 at 1e5 is 10^(2e10): mpmath's sinh would shift a 1 by 6.6e10 bits in one C call.
    message = one_sentence(run("diff", expression, "--at", "1e5"))
    assert "argument there is about 10^(2e+10), beyond what numdiff evaluates" in message


def test_a_hyperbolic_argument_of_a_million_digits_is_named_and_a_large_double_is_not():
    x = sp.Symbol("x")
    with sp.evaluate(False):
        huge = sp.tanh(sp.Integer(10) ** (10**6) * x).xreplace({x: sp.Integer(1)})
        ordinary = sp.tanh(sp.Float(1e300))
    with pytest.raises(MathError, match=r"tanh's argument there is about 10\^\(1e\+06\)"):
        huge_arguments.check(huge, what="f", where="x = 1")
    huge_arguments.check(ordinary, what="f", where="x = 1")  # 1e300 has 997 bits: evaluated as usual


def test_tanh_of_x_to_the_40_at_1e5_is_no_garbage_exact_value(run):
    # f' = 40x^39 (1 - tanh(x^40)^2) at 1e5: 1 - tanh(1e200)^2 cancels beyond any precision evalf
    # tries, and it returned a Float of one bit that printed as 6.5e32. That is said, not shown.
    message = one_sentence(run("diff", "tanh(x^40)", "--at", "1e5"))
    assert "sympy cannot evaluate the derivative" in message and "its terms cancel beyond 30 digits" in message


def test_tanh_of_a_moderate_argument_keeps_its_exact_derivative(run):
    result = run("diff", "tanh(x)", "--at", "30", "--json")
    assert result.exit_code == 0, result.output
    exact = 4 / (math.exp(30) + math.exp(-30)) ** 2  # sech(30)^2
    assert json.loads(result.stdout)["points"][0]["analytic"] == pytest.approx(exact, rel=1e-14)


@pytest.mark.parametrize(("start", "ascent", "sign"), [("0", False, -1), ("0", True, 1), ("2", False, -1)])
def test_descend_x_from_0_is_unbounded_not_on_the_way(run, start, ascent, sign):
    # f = x is linear: every step of lr 0.1 moves f by lr·|f'|² = 0.1, and there is no critical point.
    result = run("descend", "x", "--from", start, "--json", *(["--ascent"] if ascent else []))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "unbounded", data["message"]
    assert data["final"]["f"] == pytest.approx(float(start) + sign * 100 * 0.1)
    assert "the Hessian is 0 at the start and the end" in data["message"]
    assert "not the learning rate's fault" in data["message"]


def test_descend_on_a_plane_in_two_variables_is_unbounded(run):
    data = json.loads(run("descend", "x + 2*y", "--from", "1,1", "--lr", "0.01", "--json").stdout)
    assert data["status"] == "unbounded" and data["final"]["f"] == pytest.approx(3 - 100 * 0.01 * 5)


def test_a_slow_bowl_with_a_steady_gradient_is_not_called_linear(run):
    # x² with lr 1e-4: the gradient shrinks by only 2e-4 a step, but the Hessian is 2, not 0.
    data = json.loads(run("descend", "x^2", "--from", "1", "--lr", "1e-4", "--json").stdout)
    assert data["status"] == "max_steps", data["message"]


def test_sin_of_an_integer_beyond_int64_is_its_exact_value_in_the_compiled_code(run):
    # sin(123456789012345678901) = 0.14216693329245797: the integer rounded to a double first
    # would give sin(1.2345678901234568e20) = 0.2438..., and as a Python int numpy refuses it.
    data = json.loads(run("descend", "sin(123456789012345678901)+x", "--from", "1", "--steps", "1", "--json").stdout)
    assert data["trace"][0]["f"] == pytest.approx(1.14216693329245797, rel=1e-15)
    assert data["trace"][0]["grad"] == [pytest.approx(1.0, rel=1e-9)]
