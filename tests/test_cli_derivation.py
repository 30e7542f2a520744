"""``diff --derivation`` and ``grad --derivation`` as a user sees them: the tree, its folding and
references, its JSON, and what it refuses."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from numdiff_cli.cli import app
from numdiff_cli.results.derivation import Rule

REPEATED = "exp(sin(x^2))*sin(x^2) + cos(sin(x^2))"  # sin(x**2) derived once, referred to twice
STEP_KEYS = {"rule", "expression", "variable", "result", "formula", "assembled", "where", "label", "see", "children"}


def numdiff(*args: str, width: int = 80):
    result = CliRunner().invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": str(width)})
    return result


def steps(step: dict):
    yield step
    for child in step["children"]:
        yield from steps(child)


def test_without_a_point_the_derivation_is_shown_alone():
    result = numdiff("diff", "sin(x^2)", "--derivation")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "f′, rule by rule:"
    assert lines[1] == "d/dx sin(x**2) = cos(x**2)*(2*x) = 2*x*cos(x**2)  chain rule"  # the rule, then the result
    assert "├── d/du sin(u) = cos(u)  trigonometric rule" in lines
    assert lines[-1] == "f′ = 2*x*cos(x**2)" and "numeric value" not in result.stdout


def test_beside_the_table_the_last_line_is_the_tables_derivative_in_its_recognisable_form():
    out = numdiff("diff", "sigmoid(x)", "--at", "0", "--derivation", width=120).stdout
    assert "d/dx sigmoid(x) = (1 - sigmoid(x))*sigmoid(x)  sigmoid rule" in out
    assert "σ(u) = 1/(1 + e⁻ᵘ), σ′ = σ·(1 − σ)" in out
    assert "f′ = (1 - sigmoid(x))*sigmoid(x)\n" in out  # σ(0)(1 − σ(0)) = 1/4: the exact value below
    assert "the table's f′ is the same derivative as sympy writes it: exp(-x)/(1 + exp(-x))**2" in out
    assert "f′ = exp(-x)/(1 + exp(-x))**2" in out and "exact f′ = 0.25" in out


def test_a_long_step_shows_its_result_without_the_rule_written_out():
    expression = "x^3*exp(-x)*sin(cos(tan(sqrt(x^2 + 1))))*atan(x^x)/(x^2 + 1)^2"
    data = json.loads(numdiff("diff", expression, "--derivation", "--json").stdout)
    root = data["steps"][0]
    assert len(root["assembled"]) > 160
    out = numdiff("diff", expression, "--derivation", width=120).stdout
    assert root["assembled"].split()[0] not in out and f" = {root['result'].split()[0]}" in out


def test_a_step_no_rule_covers_is_marked_as_sympys():
    out = numdiff("diff", "erf(x)*x", "--derivation").stdout
    assert "d/dx erf(x) = 2*exp(-x**2)/sqrt(pi)  by sympy" in out
    assert "numdiff has no rule for erf: this step is sympy's" in out


def test_a_repeated_step_is_numbered_and_referred_to():
    out = numdiff("diff", REPEATED, "--derivation", width=120).stdout
    assert out.count("① d/dx sin(x**2) = cos(x**2)*(2*x) = 2*x*cos(x**2)  chain rule\n") == 1
    assert len(re.findall(r"d/dx sin\(x\*\*2\) = 2\*x\*cos\(x\*\*2\)  chain rule \(see ①\)", out)) == 2
    assert out.count("d/du sin(u) = cos(u)") == 1  # its steps shown once


def test_the_tree_folds_past_the_depth_and_says_what_it_hides():
    folded = numdiff("diff", REPEATED, "--derivation", "--depth", "3", width=120).stdout
    assert folded.count("… 2 more steps (--depth 4 shows them)") == 1  # sin(u) and x**2 under ①
    assert "(see ①)" in folded and "d/du sin(u)" not in folded
    unfolded = numdiff("diff", REPEATED, "--derivation", "--depth", "4", width=120).stdout
    assert "more step" not in unfolded and "d/du sin(u) = cos(u)" in unfolded
    hidden = numdiff("diff", REPEATED, "--derivation", "--depth", "2", width=120).stdout
    assert "①" not in hidden and "chain rule (derived above, in a folded step)" in hidden


@pytest.mark.parametrize(
    "expression",
    ["sin(x^2)", "x^x", "sigmoid(x)", "tanh(x)^2", "x*exp(-x^2)/(1+x^2)", "erf(x)*x", "abs(x)", REPEATED,
     "sin(cos(tan(exp(log(sqrt(x^2+1))))))*x^3/(1+x^2)^2"],
)
def test_at_80_columns_every_line_fits_and_every_expression_is_whole(expression):
    result = numdiff("diff", expression, "--derivation", "--depth", "12")
    data = json.loads(numdiff("diff", expression, "--derivation", "--json").stdout)
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.stdout.splitlines()) <= 80
    # Each expression and result of the JSON is in the table whole: a line may wrap only at a space.
    text = " ".join(line.lstrip(" │├└─") for line in result.stdout.splitlines())
    for step in (s for tree in data["steps"] for s in steps(tree)):
        for field in ("expression", "result"):
            assert all(word in text for word in step[field].split()), (field, step[field])


def test_json_holds_the_whole_tree_with_stable_keys():
    data = json.loads(numdiff("diff", REPEATED, "--at", "1", "--derivation", "--depth", "1", "--json").stdout)
    derivation = data["derivation"]
    assert set(derivation) == {"expression", "variable", "order", "steps", "derivative", "sympy_form"}
    assert derivation["sympy_form"] == data["derivative"]  # the table's f′
    every = [s for tree in derivation["steps"] for s in steps(tree)]
    assert all(set(s) == STEP_KEYS and s["rule"] in set(Rule) for s in every)
    assert len(every) == 11  # not folded: --depth is for the tree drawn
    labels = {s["label"] for s in every if s["label"] is not None}
    assert labels == {1} and [s["see"] for s in every if s["see"] is not None] == [1, 1]
    chain = every[0]["children"][0]["children"][0]
    assert chain["rule"] == "chain" and chain["where"] == {"u": "sin(x**2)"}


def test_json_without_derivation_keeps_its_shape():
    data = json.loads(numdiff("diff", "x^2", "--at", "1", "--json").stdout)
    assert "derivation" not in data


def test_grad_shows_one_tree_per_partial():
    result = numdiff("grad", "x0^2 + x0*x1", "--at", "3,4", "--derivation", width=120)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "∂f/∂x0, rule by rule:" in out and "∂f/∂x1, rule by rule:" in out
    assert "∂/∂x1 x0**2 = 0  constant rule\n│   x0 held constant" in out
    assert "∂f/∂x0 = 2*x0 + x1" in out and "∂f/∂x1 = x0" in out
    data = json.loads(numdiff("grad", "x0^2 + x0*x1", "--at", "3,4", "--derivation", "--json").stdout)
    assert [p["derivation"]["derivative"] for p in data["partials"]] == ["2*x0 + x1", "x0"]


def test_higher_orders_show_a_tree_per_derivative():
    out = numdiff("diff", "sin(x)^3", "--derivation", "--order", "2", width=120).stdout
    assert out.splitlines()[0] == "f′′, rule by rule (one tree for each derivative taken):"
    assert "d/dx (sin(x)**3) = (3*sin(x)**2)*cos(x) = 3*sin(x)**2*cos(x)  chain rule" in out
    assert "\nd/dx (3*sin(x)**2*cos(x)) = 3*(" in out  # the second tree differentiates the first's result


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "x^2", "--derivation", "--csv"], "--derivation is a tree, which CSV cannot hold: use --json"),
        (["grad", "x*y", "--at", "1,2", "--derivation", "--csv"], "--derivation is a tree, which CSV cannot hold"),
        (["diff", "x^2", "--derivation", "--sweep", "--at", "1"], "choose one of --derivation and --sweep"),
        (["diff", "x^2", "--derivation", "-m", "central"], "--method, --h, --precision and --dtype need a point"),
        (["diff", "x*y", "--derivation"], "the expression has the variables x, y: choose one with --wrt"),
        (["diff", "x^2", "--derivation", "--depth", "0"], "Invalid value for '--depth'"),
        (["grad", "x, y", "--at", "1,2", "--derivation"], "--derivation needs a single expression, not a vector"),
        (["diff", "sin(x)", "--at", "1", "--depth", "6"], "--depth sets how deep the --derivation tree is drawn"),
        (["grad", "x*y", "--at", "1,2", "--depth", "2"], "--depth sets how deep the --derivation tree is drawn"),
    ],
)
def test_what_derivation_refuses_is_one_sentence(args, message):
    result = numdiff(*args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_a_stream_that_cannot_encode_the_tree_gets_it_in_ascii():
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "COLUMNS": "80"}
    command = [sys.executable, "-m", "numdiff_cli", "diff", "sigmoid(x)^2", "--derivation"]
    done = subprocess.run(command, cwd=root, env=env, capture_output=True, check=True)
    out = done.stdout.decode("ascii")
    assert "sigma(u) = 1/(1 + e^-^u), sigma' = sigma*(1 - sigma)" in out and "`-- d/dx sigmoid(x)" in out


def test_the_library_gives_the_same_derivation():
    import numdiff_cli as nd

    done = nd.derivation("sin(x^2)")
    assert done.trees[0].rule is nd.Rule.CHAIN and done.derivative == "2*x*cos(x**2)"
    assert nd.diff("x^2", at=1, derivation=True, depth=2).derivation.depth == 2
    assert nd.grad("x*y", at=(1, 2), derivation=True).partials[1].derivation.derivative == "x"
    with pytest.raises(nd.UsageError, match="expression takes text, not 5"):
        nd.derivation(5)
