"""Random formulas from the whole vocabulary through the CLI: always an answer or a sentence."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from numdiff_cli.cli import app
from numdiff_cli.vocabulary import FUNCTIONS

ATOMS = ["x", "y", "0", "1", "2", "-1", "0.5", "1e-300", "1e300", "pi", "e", "x^2", "1/0", "(-1)^(1/2)"]


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


formulas = st.recursive(
    st.sampled_from(ATOMS),
    lambda inner: st.one_of(
        st.builds(_call, st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, min_size=1, max_size=2)),
        st.builds(lambda a, op, b: f"({a}){op}({b})", inner, st.sampled_from("+-*/^"), inner),
    ),
    max_leaves=8,
)
commands = st.one_of(
    st.builds(lambda f, at: ["diff", f, "--at", at, "--wrt", "x"], formulas, st.sampled_from(["1", "0", "-2", "x=1,y=2"])),
    st.builds(lambda f, at: ["grad", f, "--at", at], formulas, st.sampled_from(["1,2", "0,0", "x=1,y=-1"])),
)


@settings(max_examples=150, deadline=None)
@given(commands)
def test_any_formula_gets_a_result_or_one_sentence(command):
    result = CliRunner().invoke(app, command, env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
    assert result.exit_code in (0, 1, 2)
    if result.exit_code:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


# The hardened classes (issue #14), each as a generator: what must be refused in one sentence,
# and what must give the same numbers as the plain spelling.
misread_numbers = st.one_of(
    st.builds(lambda n: f"0{n}", st.integers(0, 999)),  # leading zeros
    st.builds(lambda a, b, c: f"{a}.{b}.{c}", st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
    st.builds(lambda a, b: f"{a}..{b}", st.integers(0, 99), st.integers(0, 99)),
    st.builds(lambda p, n: f"0{p}{n}", st.sampled_from("xbo"), st.integers(0, 1)),
    st.builds(lambda a, b: f"{a}_{b}", st.integers(1, 99), st.integers(0, 999)),
)
huge_exponents = st.builds(
    lambda m, sign, e: f"{m}e{sign}{e}", st.sampled_from(["1", "2.5", ".1"]), st.sampled_from(["", "-", "+"]),
    st.integers(4_001, 10**30),
)
refused = st.one_of(
    st.builds(lambda f, n: ["diff", f"({f})*{n}", "--at", "1", "--wrt", "x"], formulas, misread_numbers),
    st.builds(lambda f, n: ["grad", f"{f} + {n}*y", "--at", "1,2"], formulas, huge_exponents),
    st.builds(lambda n: ["diff", "x^2", "--at", n], huge_exponents | misread_numbers),
    st.builds(lambda f, at: ["grad", f"{f} + x*y", "--at", at], formulas, st.sampled_from(["x=1,x=2,y=3", "y=1,y=2"])),
    st.builds(lambda f, n: ["diff", "sin(x+" * n + f + ")" * n, "--at", "1"], formulas, st.integers(25, 30)),
)


@settings(max_examples=40, deadline=None)
@given(refused)
def test_a_misread_number_a_huge_exponent_a_repeated_name_or_deep_nesting_is_one_sentence(command):
    result = CliRunner().invoke(app, command, env={"NO_COLOR": "1"})
    assert result.exit_code == 2, (command, result.output, result.exception)
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert result.stdout == ""


PRINTED_NAMES = ["reduce", "maximum", "minimum", "polygamma", "DiracDelta", "select", "where", "amax", "mpf"]
# Formulas defined near x = 1.5, y = 2 whose compiled code calls reduce, maximum, Heaviside, polygamma, ...
smooth_formulas = st.recursive(
    st.sampled_from(["x", "y", "2", "0.5", "x^2", "pi"]),
    lambda inner: st.one_of(
        st.builds(lambda f, a: f"{f}({a})", st.sampled_from(["sin", "exp", "gamma", "erf", "relu", "abs"]), inner),
        st.builds(lambda f, a, b: f"{f}({a}, {b})", st.sampled_from(["max", "min", "atan2"]), inner, inner),
        st.builds(lambda a, op, b: f"({a}){op}({b})", inner, st.sampled_from("+-*"), inner),
    ),
    max_leaves=6,
)


@settings(max_examples=30, deadline=None)
@given(smooth_formulas, st.sampled_from(PRINTED_NAMES))
def test_a_variable_named_like_generated_code_gives_the_numbers_x_gives(formula, name):
    def numbers(variable: str) -> tuple[int, list]:
        expression = re.sub(r"\bx\b", variable, f"({formula}) + x + y")
        command = ["diff", expression, "--at", f"{variable}=1.5,y=2", "--wrt", variable, "-m", "central", "--json"]
        result = CliRunner().invoke(app, command)
        if result.exit_code:
            return result.exit_code, []
        return 0, [(p["analytic"], [r["value"] for r in p["numeric"]]) for p in json.loads(result.stdout)["points"]]

    assert numbers(name) == numbers("x")


markup = st.builds(
    lambda before, tag, after: f"{before}[{tag}]{after}",
    st.sampled_from(["", "x", "x+", "sin("]),
    st.sampled_from(["/", "bold", "/bold", "link=https://example.org", "red on white", "x, [y]", ""]),
    st.sampled_from(["", "x", ")", "[/]"]),
)


@settings(max_examples=40, deadline=None)
@given(markup, st.sampled_from(["expression", "at", "wrt", "option"]))
def test_text_like_markup_is_echoed_as_typed_wherever_it_goes(text, where):
    command = {
        "expression": ["diff", text, "--at", "1"],
        "at": ["diff", "x", "--at", text],
        "wrt": ["grad", "x*y", "--at", "1,2", "--wrt", text],
        "option": ["diff", "x", "--at", "1", f"--{text}"],
    }[where]
    result = CliRunner().invoke(app, command, env={"NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
    assert "\x1b]8;" not in result.stdout + result.stderr  # never a terminal hyperlink
    if result.exit_code:  # square brackets group like round ones, so some of these are expressions
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr


@pytest.mark.parametrize(
    ("command", "echo"),
    [
        (["diff", "x", "--at", "[/]"], "'[/]'"),
        (["diff", "x", "--at", "1", "--[/]"], "--[/]"),
        (["grad", "x*y", "--at", "1,2", "--wrt", "[x, [y]]"], "'[x'"),
        (["diff", "[link=https://example.org]x[/link]", "--at", "1"], "'[link=https://example.org]x[/link]'"),
    ],
)
def test_markup_in_what_was_typed_is_echoed_as_typed(command, echo):
    result = CliRunner().invoke(app, command, env={"NO_COLOR": "1"})
    assert result.exit_code == 2 and echo in result.stderr, result.stderr
