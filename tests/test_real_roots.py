"""cbrt(x) and root(x, n) for odd n are the real roots: cbrt(-8) was refused as 'x**(1/3) is not
real at x = -8' (sympy's principal root), though its real value is -2 (numpy.cbrt(-8) = -2.0)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest

from numdiff_cli import problem


@pytest.mark.parametrize("typed", ["cbrt(x)", "root(x, 3)"])
@pytest.mark.parametrize("at", [-8, -1, 1, 8])
def test_cbrt_of_minus_8_was_refused_as_not_real(run, typed, at):
    cube_root = -round(abs(at) ** (1 / 3)) if at < 0 else round(at ** (1 / 3))  # -2, -1, 1, 2
    assert float(problem.build(typed, at).values[0][0]) == cube_root
    result = run("diff", typed, "--at", str(at), "--json")
    assert result.exit_code == 0, result.output
    point = json.loads(result.stdout)["points"][0]
    slope = Fraction(1, 3 * cube_root**2)  # d/dx x^(1/3) = 1/(3·x^(2/3)): 1/12 at ±8, 1/3 at ±1
    assert point["analytic"] == float(slope)
    for numeric in point["numeric"]:
        if numeric["method"] == "complex-step":  # sign(x)·|x|^(1/3) has no complex extension numdiff evaluates
            assert numeric["value"] is None
        else:
            assert numeric["value"] == pytest.approx(float(slope), rel=1e-4)


def test_odd_fifth_root_is_real_and_even_root_stays_refused(run):
    assert float(problem.build("root(x, 5)", -32).values[0][0]) == -2
    result = run("diff", "root(x, 2)", "--at", "-4")
    assert (result.exit_code, result.stderr) == (1, "error: sqrt(x) is not real at x = -4\n")
