"""f is defined where it is as typed, not where sympy's evaluation of it is: exp(log(x)) was built
as x and so differentiated at x = -1 (f = -1, f' = 1, exit 0), where log(x), and so f, is not real."""

from __future__ import annotations

import json

import pytest

from numdiff_cli import problem


@pytest.mark.parametrize(
    ("typed", "at", "sentence"),
    [
        ("exp(log(x))", "-1", "log(x) is not real at x = -1"),
        ("sqrt(x)^2", "-2", "sqrt(x) is not real at x = -2"),
        ("x/x", "0", "1/x is undefined at x = 0"),
        ("x*x^(-1)", "0", "1/x is undefined at x = 0"),
    ],
)
def test_exp_log_x_at_minus_1_was_differentiated_as_x(run, typed, at, sentence):
    result = run("diff", typed, "--at", at)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", f"error: {sentence}\n")


def test_grad_and_descend_refuse_such_a_point_naming_the_part(run):
    sentence = "error: log(x) is not real at (x, y) = (-1, 2)\n"
    for command in (("grad", "exp(log(x))*y", "--at", "-1,2"), ("descend", "exp(log(x))*y", "--from", "-1,2")):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, sentence)


@pytest.mark.parametrize(("typed", "at", "value", "slope"), [("exp(log(x))", "2", 2.0, 1.0), ("sqrt(x)^2", "3", 3.0, 1.0),
                                                             ("x/x", "5", 1.0, 0.0), ("log(exp(x))", "1000", 1000.0, 1.0)])
def test_where_the_typed_parts_are_defined_the_function_is_unchanged(run, typed, at, value, slope):
    result = run("diff", typed, "--at", at, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["points"][0]["analytic"] == slope
    assert float(problem.build(typed, at, one_variable=True).values[0][0]) == value
