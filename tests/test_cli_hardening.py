"""The README's input promises, as a user meets them: a right answer or one sentence, never a
misreading with exit code 0 and never a traceback."""

from __future__ import annotations

import time

import pytest

from numdiff_cli.parsing import MAX_DEPTH, nesting_depth, parse_expression


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("007*x", "did you mean 7?"),
        ("x*012", "did you mean 12?"),
        ("1..2*x", "'1..2' at position 1 is not a number"),
        ("1.2.3*x", "'1.2.3' at position 1 is not a number"),
        ("0x41*x", "'0x41' at position 1 is not a number"),
    ],
)
def test_diff_refuses_a_number_it_would_misread(run, expression, message):
    result = run("diff", expression, "--at", "1")
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""


def test_a_point_with_a_misread_number_is_refused(run):
    result = run("grad", "x*y", "--at", "007,1")
    assert result.exit_code == 2 and "did you mean 7?" in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        ["diff", "x*1e99999999999999999", "--at", "1"],
        ["diff", "x*1e9999999", "--at", "1"],
        ["diff", "x^2", "--at", "1e999999"],
        ["grad", "x*y", "--at", "1,1e-999999"],
        ["descend", "x^2", "--from", "1e5000"],
    ],
)
def test_a_number_with_a_huge_exponent_is_refused_at_once(run, arguments):
    start = time.perf_counter()
    result = run(*arguments)
    assert time.perf_counter() - start < 2
    assert result.exit_code == 2, result.output
    assert "the limit is ±4,000" in result.stderr and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["grad", "x*y", "--at", "x=1,x=2,y=3"],
        ["diff", "x*y", "--wrt", "x", "--at", "y=3, x=1, y=3"],
        ["descend", "x^2+y^2", "--from", "y=1,x=2,x=2"],
    ],
)
def test_a_point_that_names_a_variable_twice_is_refused(run, arguments):
    result = run(*arguments)
    assert result.exit_code == 2, result.output
    assert "more than once; give each of (x, y) once" in result.stderr and result.stderr.count("\n") == 1


DEEPEST = "sqrt(1+" * (MAX_DEPTH // 2 - 1) + "x" + ")" * (MAX_DEPTH // 2 - 1)  # nested MAX_DEPTH - 2 deep


@pytest.mark.parametrize(
    "arguments",
    [
        ["diff", f"sqrt(1+{DEEPEST})", "--at", "0.5"],
        ["grad", f"{DEEPEST} + y", "--at", "0.5,1"],
        ["descend", f"{DEEPEST} + y^2", "--from", "0.5,1", "--steps", "1"],
    ],
)
def test_an_expression_nested_to_the_limit_works_in_every_command(run, arguments):
    assert nesting_depth(parse_expression(arguments[1])) >= MAX_DEPTH - 1
    result = run(*arguments)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "arguments",
    [
        ["diff", "sin(x+" * 25 + "x" + ")" * 25, "--at", "0.5"],
        ["grad", "^".join(["x"] * 50) + "+y", "--at", "0.5,1"],
        ["descend", "sin " * 49 + "x", "--from", "0.5"],
    ],
)
def test_an_expression_nested_beyond_the_limit_is_refused_at_once(run, arguments):
    start = time.perf_counter()
    result = run(*arguments)
    assert time.perf_counter() - start < 2
    assert result.exit_code == 2, result.output
    assert f"nests operations more than {MAX_DEPTH} deep" in result.stderr and result.stderr.count("\n") == 1


def test_a_higher_derivative_of_a_deep_expression_is_refused_in_a_sentence(run):
    result = run("diff", "^".join(["x"] * 40), "--at", "0.5", "--order", "2")
    assert result.exit_code == 2, result.output
    assert "derivative 1 of x**(x**" in result.stderr and "operations deep; numdiff differentiates" in result.stderr


def test_sympy_slipping_while_clearing_the_derivative_of_floor_is_a_sentence(run):
    result = run("diff", "floor(sin(floor(" + "sin(" * 7 + "x" + ")" * 10, "--at", "1")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("error: sympy cannot differentiate floor(sin(floor(")


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["diff", "heaviside(x)^2", "--at", "0", "-n", "2"], 1, "sympy cannot evaluate the derivative"),
        (["descend", "log(ceil(1e400+x))", "--from", "1", "--steps", "1"], 1, "formula overflows double precision at the start"),
        (["descend", "5", "--from", ""], 2, "the expression has no variables, so there is nothing to descend along"),
        (["--timeout", "nan", "diff", "x^2", "--at", "3"], 2, "--timeout must be a number of seconds, not nan"),
        (["diff", "x*e^1e400", "--at", "0"], 1, "overflows double precision at x = 0"),
    ],
)
def test_fuzzed_inputs_end_in_one_sentence(run, args, code, message):
    result = run(*args)
    assert result.exit_code == code and message in result.stderr, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_an_unbounded_timeout_is_no_budget(run):
    assert run("--timeout", "inf", "diff", "x^2", "--at", "3").exit_code == 0
    assert run("--timeout", "1e300", "diff", "x^2", "--at", "3").exit_code == 0
