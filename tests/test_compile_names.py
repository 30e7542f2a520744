"""Every name a variable may have works in compiled code, whatever numpy or the printer call theirs."""

from __future__ import annotations

import builtins
import json
import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numdiff_cli import symbolic
from numdiff_cli.errors import ParseError
from numdiff_cli.parsing import parse_expression


def _variable_names(candidates: object) -> list[str]:
    """The candidates that an expression reads as a variable of that name."""
    names = []
    for name in sorted(set(candidates)):  # type: ignore[call-overload]
        try:
            expr = parse_expression(name)
        except ParseError:
            continue
        if isinstance(expr, sp.Symbol) and expr.name == name:
            names.append(name)
    return names


# Names the generated code calls or may call: numpy's, the extras', Python's and math's.
NAMES = _variable_names([*dir(np), *symbolic._NUMPY_EXTRAS, *dir(builtins), *dir(math), "reduce", "mpf"])
# The names that numpy's printer writes for max, min, heaviside, gamma and their derivatives.
PRINTED = ["reduce", "maximum", "minimum", "DiracDelta", "polygamma", "amax", "select", "where", "mpf"]


def test_the_names_include_those_the_printer_writes():
    assert set(PRINTED) <= set(NAMES) and len(NAMES) > 500


def _check_compiled(name: str) -> None:
    # f = name² twice over, through max and min, and a jump away from the point: f' = 12 at 3.
    v = sp.Symbol(name, real=True)
    f = parse_expression(f"max({name}, 1)^2 + min({name}, 5)^2 + heaviside({name} - 4)")
    df = symbolic.derivative(f, v)
    assert symbolic.compile_function(f, [v])(np.float64(3)) == 18
    assert symbolic.compile_function(df, [v])(np.float64(3)) == 12
    assert [float(value) for value in symbolic.compile_many([f, df], [v])(np.float64(3))] == [18, 12]
    dgamma = symbolic.derivative(parse_expression(f"gamma({name})"), v)  # gamma(v)*polygamma(0, v)
    assert symbolic.compile_function(dgamma, [v])(np.float64(3)) == pytest.approx(2 * (1.5 - float(sp.EulerGamma)))


@pytest.mark.parametrize("name", PRINTED)
def test_a_variable_named_like_printed_code_computes_right(name):
    _check_compiled(name)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(NAMES))
def test_any_variable_name_computes_right(name):
    _check_compiled(name)


@pytest.mark.parametrize("name", PRINTED)
def test_diff_and_descend_with_such_a_variable(run, name):
    result = run("diff", f"max({name}, 1)^2", "--at", "3", "-m", "central", "-m", "richardson", "--json")
    assert result.exit_code == 0, result.output
    point = json.loads(result.stdout)["points"][0]
    assert point["analytic"] == 6
    assert [row["value"] for row in point["numeric"]] == [pytest.approx(6, rel=1e-10)] * 2
    descend = ["descend", f"max({name}, 1)^2 + y^2", "--from", "3,1", "--steps", "1", "--lr", "0.5"]
    result = run(*descend, "--grad", "analytic", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["trace"][-1]["x"][0] == 0  # 3 - 0.5 * 6


def test_arbitrary_precision_compiles_under_private_names_too(run):
    # mpmath's namespace has mpf; a variable called mpf must not hide it
    data = json.loads(run("diff", "max(mpf,1)^2", "--at", "3", "--precision", "30", "-m", "central", "--json").stdout)
    assert data["points"][0]["numeric"][0]["value"] == pytest.approx(6.0, rel=1e-20)
