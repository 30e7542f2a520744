"""π as typed: 2πx is read as 2·π·x with a note saying so, and no message names the parser's
rewrite of π ('pix', 'x+2pi)'), only what was typed or the reading chosen."""

from __future__ import annotations

import json
import math
import warnings

import pytest
import sympy as sp

from numdiff_cli.notes import Note
from numdiff_cli.parsing import parse_expression


@pytest.mark.parametrize(
    ("typed", "note", "derivative", "exact"),
    [
        ("2πx", "note: read '2πx' as 2·π·x", "2*pi", 2 * math.pi),
        ("πx", "note: read 'πx' as π·x", "pi", math.pi),
        ("xπ", "note: read 'xπ' as x·π", "pi", math.pi),
        ("sin(2πx)", "note: read 'sin(2πx)' as sin(2·π·x)", "2*pi*cos(2*pi*x)", 2 * math.pi),  # 2π·cos(2π) at x = 1
    ],
)
def test_2πx_was_refused_as_pix_which_was_never_typed(run, typed, note, derivative, exact):
    result = run("diff", typed, "--at", "1", "-m", "central", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == note + "\n"  # once, though the command reads the expression more than once
    data = json.loads(result.stdout)
    assert data["derivative"] == derivative
    assert data["points"][0]["analytic"] == pytest.approx(exact, rel=1e-15)


def test_2pix_typed_in_ascii_is_refused_naming_what_was_typed(run):
    result = run("diff", "2pix", "--at", "1")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == "error: 'pix' reads as one variable: did you mean pi*x? (a product needs * or a space)\n"


@pytest.mark.parametrize("typed", ["2π", "π/4 + x", "π(x + 1)", "x^π", "2π*x", "2 π x", "sin(2π x)"])
def test_a_product_that_reads_plainly_gets_no_note(run, typed):
    result = run("diff", typed, "--at", "1", "--json")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_the_note_is_in_korean_with_lang_ko(run):
    result = run("--lang", "ko", "diff", "2πx", "--at", "1", "--json")
    assert result.stderr == "참고: '2πx'을(를) 2·π·x(으)로 읽었습니다\n"


@pytest.mark.parametrize("at", ["pi/4", "π/4"])
def test_pi_over_4_as_a_point_is_still_echoed_as_π_over_4(run, at):
    result = run("diff", "sin(x)", "--at", at, "-m", "central")
    assert result.exit_code == 0, result.output
    assert f"at x = π/4 ≈ {math.pi / 4!r}:" in result.stdout and result.stderr == ""


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        ("x+2π)", "error: unmatched ')' at position 5 in 'x+2π)'"),
        ("(x+π", "error: the '(' at position 1 is never closed in '(x+π'"),
        ("2πx$", "error: unexpected character '$' at position 4 in '2πx$'"),
        ("π−x²+y)", "error: unmatched ')' at position 7 in 'π−x²+y)'"),  # − and ² are rewritten too
        ("2πfoo(x)", "error: unknown function 'foo' at position 3; for a product write foo*(...), and see "
                     "'numdiff --help' for the functions"),
        ("sinπx", "error: in 'sinπx', sin without brackets would take all of 'πx'; write the brackets: sin(π) or "
                  "sin(πx)"),
        ("π 007", "error: '007' at position 3 has a leading zero, which numdiff does not guess at: did you mean 7?"),
    ],
)
def test_an_error_quotes_what_was_typed_and_where(run, typed, sentence):
    result = run("diff", typed, "--at", "1")
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == sentence + "\n"
    assert "pi" not in result.stderr.replace("'numdiff --help'", "")  # never the rewrite of π


def test_from_python_the_reading_is_a_warning_at_the_callers_line():
    with pytest.warns(Note, match=r"^read '2πx' as 2·π·x$") as caught:
        assert parse_expression("2πx") == 2 * sp.pi * sp.Symbol("x", real=True)
    assert [w.filename for w in caught] == [__file__]
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no note where there is nothing to say
        assert parse_expression("2π") == 2 * sp.pi
