"""Each of grad's partials carries its method's own error estimate and the verdict diff gives the same
partial (same method, same h): a gradient check never reads ok beside a wrong partial."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import numdiff_cli as nd
from numdiff_cli.problem import build
from numdiff_cli.results.codes import Reason, RowStatus

# (expression, point): the tryout's two partials that central at h = 1e-4 gets wrong
WRONG = [
    ("x^2+y^2", "1e8,1", "y"),  # (1e16 + (1 ± h)²) rounds away y's change: 10000.0 for an exact 2.0
    ("sin(1e6*x)*y", "1,1", "x"),  # h = 1e-4 is 100 periods of sin(1e6·x): -4743 for an exact 936752
]
# smooth functions at ordinary points, where central's halving estimate is about its truncation error
SMOOTH = [
    ("x0^2+x1^2", (3, 4)),
    ("sin(x)*exp(y)", (0.7, 0.3)),
    ("log(1+x^2)*cos(y) + x*y^3", (2, -1.5)),
    ("exp(-x^2-y^2)*(x+z)", (0.4, -0.2, 1.1)),
    ("atan(x/y) + sqrt(x*y)", (1.3, 2.1)),
    ("x^3*y - y^2*tanh(x)", (-1.2, 0.9)),
]


@pytest.mark.parametrize(("expression", "at", "wrong"), WRONG)
def test_a_wrong_partial_is_unreliable_by_its_own_estimate_in_json(run, expression, at, wrong):
    shown = run("grad", expression, "--at", at, "--json")
    assert shown.exit_code == 0  # an unreliable row is still an answer, as in diff
    partials = {p["variable"]: p for p in json.loads(shown.stdout)["partials"]}
    bad, good = partials[wrong], next(p for name, p in partials.items() if name != wrong)
    assert bad["abs_error"] > abs(bad["analytic"])  # wrong: not one correct digit
    assert (bad["status"], bad["reason"]) == ("unreliable", "large_error_estimate")
    assert bad["error_estimate"] > 1e-3 * abs(bad["numeric"])  # the rule the status states
    assert (good["status"], good["reason"], good["note"]) == ("ok", None, None)
    assert good["error_estimate"] >= good["abs_error"]


@pytest.mark.parametrize(("expression", "at", "wrong"), WRONG)
def test_the_table_marks_the_wrong_partial_and_says_why(run, expression, at, wrong):
    table = run("grad", expression, "--at", at).stdout
    rows = {line.split()[0]: line for line in table.splitlines() if line.startswith(" ") and "e-" in line}
    assert "⚠" in rows[wrong] and all("⚠" not in line for name, line in rows.items() if name != wrong)
    assert f"⚠ {wrong}: unreliable by its own error estimate (more than 0.1% of the value)" in " ".join(table.split())
    assert "est. err" in table


@pytest.mark.parametrize(("expression", "at", "wrong"), WRONG)
def test_grad_judges_each_partial_as_diff_judges_it(expression, at, wrong):
    for method, h in (("central", None), ("forward", 1e-6), ("five-point", 1e-3), ("richardson", None)):
        partials = nd.grad(expression, at=at, method=method, h=h).partials
        for p in partials:
            (row,) = nd.diff(expression, at=at, wrt=p.variable, methods=[method], h=h).points[0].numeric
            assert (p.numeric, p.error_estimate) == (row.value, row.error_estimate), (method, p.variable)
            assert (p.status, p.reason, p.note) == (row.status, row.reason, row.note), (method, p.variable)


def test_the_lectures_example_stays_ok_with_an_estimate_above_its_error():
    for p in nd.grad("x0^2+x1^2", at=(3, 4)).partials:
        assert (p.status, p.reason, p.note) == (RowStatus.OK, None, None)
        assert p.error_estimate >= p.abs_error > 0


@pytest.mark.parametrize(("expression", "at"), SMOOTH)
@pytest.mark.parametrize("method", ["central", "forward", "five-point"])
def test_at_ordinary_points_every_estimate_is_at_least_half_the_true_error(expression, at, method):
    for p in nd.grad(expression, at=at, method=method).partials:
        assert p.status is RowStatus.OK, (p.variable, p.note)
        assert p.error_estimate >= p.abs_error / 2, p.variable


@pytest.mark.parametrize(("expression", "at"), SMOOTH)
def test_the_partial_is_bit_for_bit_the_lectures_central_difference(expression, at):
    problem = build(expression, at)
    f, x, h = problem.function(), np.array(at, dtype=float), 1e-4
    for i, p in enumerate(nd.grad(expression, at=at).partials):
        e = np.eye(len(x))[i]
        lecture = (float(f(*(x + h * e))) - float(f(*(x - h * e)))) / (2 * h)
        assert p.numeric == lecture and p.h == h


def test_a_step_lost_to_rounding_keeps_its_own_reason():
    # x + 1e-20 == x at x = 1: the lecture's failure, named as such rather than as a large estimate
    p = nd.grad("x*y", at=(1, 2), h=1e-20).partials[0]
    assert (p.status, p.reason, p.numeric) == (RowStatus.UNRELIABLE, Reason.X_PLUS_H_EQUALS_X, 0.0)
    assert math.isfinite(p.error_estimate)


def test_a_jacobian_entry_is_judged_as_the_same_partial_of_its_function(run):
    shown = json.loads(run("grad", "sin(1e6*x)*y, x+y", "--at", "1,1", "--json").stdout)["jacobian"]
    alone = json.loads(run("grad", "sin(1e6*x)*y", "--at", "1,1", "--json").stdout)["partials"]
    assert shown["status"] == [[p["status"] for p in alone], ["ok", "ok"]]
    assert shown["error_estimate"][0] == [p["error_estimate"] for p in alone]
    table = run("grad", "sin(1e6*x)*y, x+y", "--at", "1,1").stdout
    assert "-4743.390916192514 ⚠" in table and table.count("⚠") == 2  # the cell and its note
