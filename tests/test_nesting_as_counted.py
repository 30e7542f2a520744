"""Nesting is counted as a person counts it: x^1 + x^2 + ... + x^401 was refused as 'nested more than
400 levels deep' (Python's parser nests a chain one level a term); a chain of + or * is one level,
while the README's limits on real nesting (48 operations, 64 brackets) still hold."""

from __future__ import annotations

import json

import sympy as sp

from numdiff_cli.parsing import MAX_DEPTH, MAX_NESTING, parse_expression


def test_sum_of_401_powers_was_refused_as_400_levels_deep(run):
    typed = "+".join(f"x^{i}" for i in range(1, 402))
    result = run("diff", typed, "--at", "1", "-m", "central", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["points"][0]["analytic"] == 401 * 402 // 2  # sum of i·1^(i-1)


def test_a_1000_term_sum_and_product_are_one_level_each():
    x = sp.Symbol("x", real=True)
    total = parse_expression("-".join(f"{i}x^{i}" for i in range(1, 1001)))  # 9,000 characters
    assert total == 2 * x - sum(i * x**i for i in range(1, 1001))  # 1x - 2x^2 - ... reads term by term
    product = parse_expression("*".join(f"(x+{i})" for i in range(1, 1001)) + "/(x+1)/x")
    assert product == sp.Mul(*(x + i for i in range(2, 1001))) / x


def test_49_nested_functions_are_refused_with_the_documented_sentence(run):
    typed = "sin(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1)
    result = run("diff", typed, "--at", "1")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: 'sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(sin(s...' nests operations more than 48 deep "
        "(each function, power, product or sum inside another is one level)\n"
    )
    assert run("diff", "sin(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH, "--at", "1", "--json").exit_code == 0


def test_deep_brackets_and_alternating_chains_are_still_refused(run):
    brackets = run("diff", "(" * (MAX_NESTING + 1) + "x" + ")" * (MAX_NESTING + 1), "--at", "1")
    assert (brackets.exit_code, brackets.stderr) == (2, "error: brackets are nested more than 64 deep\n")
    towers = run("diff", "1/(1+" * 50 + "x" + ")" * 50, "--at", "1")  # a sum inside a quotient: two levels each time
    assert towers.exit_code == 2 and "nests operations more than 48 deep" in towers.stderr
