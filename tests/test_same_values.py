"""A finite difference that is exactly 0 because f did not change over the step (x moved, f(x+h)
and f(x−h) are the same double) says so, in grad and diff alike, and is never marked ok or ★;
the notes write a step h as the tables do (1.2e4, not 1.2e+04)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import numdiff_cli as nd
from numdiff_cli.results.codes import Reason, RowStatus

EPS = float(np.finfo(float).eps)


def _row(result, method):
    return next(r for r in result.points[0].numeric if r.method == method)


def test_grad_names_f_unchanged_over_the_step_where_x_plus_h_is_not_x():
    # f = x*y + y² at (0, 2): 0 ± 1e-50 are numbers of their own, but f(±1e-50, 2) = 4 ± 2e-50 rounds to 4
    # (half an ulp of 4 is 4.4e-16), so the central difference along x is exactly 0 beside ∂f/∂x = y = 2
    x, y = nd.grad("x*y + y^2", at=(0, 2), h=1e-50).partials
    assert (x.numeric, x.analytic) == (0.0, 2.0)
    assert (x.status, x.reason) == (RowStatus.UNRELIABLE, Reason.SAME_VALUES)
    assert x.note.startswith("f(x+h), f(x−h) are the same float64, so their difference is exactly 0: h = 1.0e-50")
    # the least step that changes f: ε·|f|/|∂f/∂x| = ε·4/2; the balanced one ∛ε·max(1, |x|, |y|) = 2∛ε
    assert f"ε·|f|/|∂f/∂x| = {EPS * 4 / 2:.1e}" in x.note
    assert f"{2 * EPS ** (1 / 3):.1e}" == "1.2e-05" and "∛ε·max(1, |x|, |y|) = 1.2e-5 balances" in x.note
    assert y.reason is Reason.X_PLUS_H_EQUALS_X  # 2 + 1e-50 == 2: the step itself was lost


@pytest.mark.parametrize(("method", "terms"), [("central", "f(x+h), f(x−h)"), ("forward", "f(x+h), f(x)"),
                                               ("five-point", "f(x+2h), f(x+h), f(x−h), f(x−2h)")])
def test_diff_names_f_unchanged_over_the_step_as_grad_does(run, method, terms):
    # f = 2x + 4 at 0: f(±1e-50) = 4, so every stencil value is 4 and the difference is exactly 0 beside f′ = 2
    row = _row(nd.diff("2*x + 4", at=0, h=1e-50, methods=[method]), method)
    assert (row.value, row.status, row.reason) == (0.0, RowStatus.UNRELIABLE, Reason.SAME_VALUES)
    assert row.note.startswith(f"{terms} are the same float64, so their difference is exactly 0")
    assert f"ε·|f|/|f′| = {EPS * 4 / 2:.1e}" in row.note
    shown = run("diff", "2*x + 4", "--at", "0", "--h", "1e-50", "-m", method)
    assert shown.exit_code == 0, shown.output
    line = next(s for s in shown.stdout.splitlines() if s.startswith(f" {method}"))
    assert "0 ⚠" in line and "★" not in line  # flagged, never "closest"
    assert f"⚠ {method}: {terms} are the same float64" in shown.stdout


def test_a_step_lost_in_x_itself_is_still_named_as_such():
    # 1 ± 1e-17 == 1: x did not move, so the x + h == x note, not the f-unchanged one
    row = _row(nd.diff("x^2", at=1, h=1e-17, methods=["central"]), "central")
    assert (row.value, row.reason) == (0.0, Reason.X_PLUS_H_EQUALS_X)


@pytest.mark.parametrize(("expression", "at"), [("x*y + y^2", (0, 2)), ("2*x + 4", 0), ("x^2", 1)])
@pytest.mark.parametrize("method", ["central", "forward"])
def test_a_step_that_changes_f_gives_no_such_note(expression, at, method):
    # h = 1e-5 changes f by about 1e-5·|f′|, far above half an ulp of f: an ordinary ok row
    row = _row(nd.diff(expression, at=at, wrt="x", h=1e-5, methods=[method]), method)
    assert row.status is RowStatus.OK and row.reason is None and row.note is None
    assert row.value == pytest.approx(2.0, rel=1e-4)  # ∂f/∂x is 2 at each of these points


def test_no_note_where_the_exact_derivative_is_0_and_0_is_right():
    # x² at 0 with h = 1e-200: f(±h) = 1e-400 underflows to 0 = f(0), and ∂f/∂x = 0: nothing went wrong
    # (no same_values note; its own error estimate, eps·|f|/h ≈ 1e184, is as large as diff finds it)
    x = nd.grad("x^2 + y", at=(0, 1), h=1e-200).partials[0]
    row = _row(nd.diff("x^2 + y", at=(0, 1), wrt="x", h=1e-200, methods=["central"]), "central")
    assert (x.numeric, x.analytic, x.reason) == (0.0, 0.0, row.reason)
    assert x.reason is not Reason.SAME_VALUES and (x.status, x.error_estimate) == (row.status, row.error_estimate)


@given(a=st.integers(1, 9), b=st.integers(-1000, 1000).filter(bool), x=st.floats(-1e3, 1e3, allow_subnormal=False),
       k=st.integers(1, 60))
def test_the_note_appears_exactly_where_f_x_plus_h_and_f_x_minus_h_are_one_double(a, b, x, k):
    # f = a·x + b·y at (x, 1): ∂f/∂x = a is never 0, so the note is due exactly where the two values
    # the central difference takes, a(x ± h) + b, round to the same double while x ± h do not
    h = 10.0**-k
    partial = nd.grad(f"{a}*x + {b}*y", at=(x, 1), h=h).partials[0]
    moved = (x + h) - x != 0
    same = a * (x + h) + b == a * (x - h) + b
    assert (partial.reason is Reason.SAME_VALUES) == (moved and same)
    assert (partial.numeric == 0) == (same or not moved)
    # where x and f both moved, the row's own error estimate decides, as diff's does for the same partial
    row = _row(nd.diff(f"{a}*x + {b}*y", at=(x, 1), wrt="x", h=h, methods=["central"]), "central")
    assert (partial.status, partial.reason) == (row.status, row.reason)
    assert partial.status is not RowStatus.OK or (moved and not same)


def test_notes_write_the_step_as_the_table_does(run):
    # sin at 1e8, third derivative: the fixed steps (scaled to |x|) are contradicted by the complex step
    shown = run("diff", "sin(x)", "--at", "1e8", "--order", "3", "--json")
    rows = json.loads(shown.stdout)["points"][0]["numeric"]
    table = run("diff", "sin(x)", "--at", "1e8", "--order", "3").stdout
    checked = 0
    for row in rows:
        if row["reason"] != "contradicted":
            continue
        cell = next(line.split()[1] for line in table.splitlines() if line.startswith(f" {row['method']} "))
        assert re.fullmatch(r"\d\.\de\d+", cell)  # 1.2e4: no "+", no leading 0 in the exponent
        assert f"the step h = {cell} is too large" in row["note"]
        checked += 1
    assert checked >= 3
    lost = run("grad", "x*y", "--at", "3,2", "--h", "1e-4", "--json")  # 1e-4 is not lost: ok rows
    assert all(p["note"] is None for p in json.loads(lost.stdout)["partials"])
    note = _row(nd.diff("floor(x)", at=1e300, methods=["central"]), "central").note
    assert note.startswith("x + h == x in float64 (h = 1.0e-4 is below half the gap")


def test_the_sweep_says_h_1e_50_fails_at_0_where_f_does_not_change():
    # at x = 0, 0 + 1e-50 is a number of its own; for sin it works (f(±h) = ±h), for 2x + 4 f stays 4
    def said(expression):
        return next(line for line in nd.sweep(expression, at=0).explanation if line.startswith("At x = 0"))

    unchanged = said("2*x + 4")
    assert unchanged.startswith("At x = 0, x + 1e-50 is a number of its own, but h = 1e-50 is too small to change f")
    assert "(|f| ≈ 4)" in unchanged and "every method returns 0" in unchanged
    assert "works here" in said("sin(x)")
