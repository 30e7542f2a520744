"""How typed things read back: x = 1e400 was written with its 400 digits, √x was an 'unexpected
character', --steps 1e6 'not a valid int', x^(1/3) at -8 refused without saying what is real."""

from __future__ import annotations

import json

import pytest


def test_1e400_was_written_with_its_400_digits(run):
    point = run("diff", "x^2", "--at", "1e400")
    assert (point.exit_code, point.stderr) == (2, "error: --at gives x = 1e400, too large for float64\n")
    product = run("diff", "x*1e400", "--at", "1")
    assert product.exit_code == 1
    assert product.stderr == "error: 1e400*x overflows double precision at x = 1 (its value is about 1.0e+400)\n"


@pytest.mark.parametrize(
    ("typed", "reading", "slope"),
    [("√x", "sqrt(x)", 1 / 4), ("√(x+5)", "sqrt(x + 5)", 1 / 6), ("2√x+1", "2*sqrt(x) + 1", 1 / 2), ("∛(2x)", None, 1 / 6)],
)
def test_root_sign_was_an_unexpected_character(run, typed, reading, slope):
    result = run("diff", typed, "--at", "4", "-m", "central", "--json")
    assert result.exit_code == 0, result.output
    if reading:
        assert result.stderr == f"note: read {typed!r} as {reading}\n"
    assert json.loads(result.stdout)["points"][0]["analytic"] == pytest.approx(slope, rel=1e-15)  # at x = 4


def test_x_to_the_third_at_minus_8_names_the_real_cube_root(run):
    result = run("diff", "x^(1/3)", "--at", "-8")
    assert result.exit_code == 1
    assert result.stderr == ("error: x**(1/3) is not real at x = -8; cbrt(x) is the real cube root, root(x, n) "
                             "the real n-th root for an odd n\n")


def test_steps_1e6_was_not_a_valid_int(run):
    result = run("descend", "x^2", "--from", "1", "--lr", "0.25", "--steps", "1e1", "--every", "5e0", "--grad", "analytic", "--json")
    assert result.exit_code == 0, result.output
    final = json.loads(result.stdout)["final"]
    assert final["steps"] == 10 and final["x"] == [0.5**10]  # x ← x − 0.25·2x halves x each step
    refused = run("descend", "x^2", "--steps", "1.5e0")
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: Invalid value for '--steps': '1.5e0' is not a whole number")
