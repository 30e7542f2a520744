"""Every row and run carries a code beside its sentence, and the code agrees with the numbers."""

from __future__ import annotations

import json

import pytest

import numdiff_cli as nd
from numdiff_cli.results.codes import Reason, RowStatus, RunStatus


def _row(result, method):
    return next(row for row in result.points[0].numeric if row.method == method)


@pytest.mark.parametrize(
    ("call", "method", "status", "reason"),
    [
        (lambda: nd.diff("sin(x)", at=1), "central", RowStatus.OK, None),
        (lambda: nd.diff("abs(x) + x", at=1), "complex-step", RowStatus.SKIPPED, Reason.NOT_COMPLEX_ANALYTIC),
        (lambda: nd.diff("erf(x)", at=1), "complex-step", RowStatus.SKIPPED, Reason.REAL_ONLY_FUNCTION),
        (lambda: nd.diff("sin(x)", at=1, dtype="float32"), "richardson", RowStatus.SKIPPED, Reason.DOUBLE_PRECISION_ONLY),
        (lambda: nd.diff("log(x)", at=1e-5, methods="backward"), "backward", RowStatus.NOT_FINITE, Reason.UNDEFINED_WITHIN_STEP),
        (lambda: nd.diff("sin(x)", at=1, h=1e-50, dtype="float32", methods="central"), "central",
         RowStatus.NOT_FINITE, Reason.STEP_UNDERFLOWS),
        (lambda: nd.diff("0.01x^2 + 0.1x", at=5, h=1e-50, methods="forward"), "forward",
         RowStatus.UNRELIABLE, Reason.X_PLUS_H_EQUALS_X),
        (lambda: nd.diff("sin(x)", at=1, h=0.5, methods="forward"), "forward",
         RowStatus.UNRELIABLE, Reason.LARGE_ERROR_ESTIMATE),
    ],
)
def test_a_row_has_the_code_of_what_happened(call, method, status, reason):
    row = _row(call(), method)
    assert (row.status, row.reason) == (status, reason)
    assert (row.value is not None) == (status in (RowStatus.OK, RowStatus.UNRELIABLE))
    assert (row.note is None) == (status is RowStatus.OK)


def test_x_plus_h_equals_x_only_where_the_step_is_really_lost():
    # At x = 0, x + 1e-50 is a number of its own: the step works and the row is ok.
    assert _row(nd.diff("sin(x)", at=0, h=1e-50, methods="central"), "central").status is RowStatus.OK
    lost = _row(nd.diff("sin(x)", at=1, h=1e-50, methods="central"), "central")
    assert lost.value == 0.0 and "x + h == x" in lost.note


def test_a_point_without_a_derivative_and_its_partials_say_no_derivative():
    point = nd.diff("abs(x)", at=0).points[0]
    assert point.analytic is None and point.reason is Reason.NO_DERIVATIVE and "corner" in point.note
    partials = nd.grad("abs(x) + y", at=(0, 1)).partials
    assert [(p.status, p.reason) for p in partials] == [
        (RowStatus.UNRELIABLE, Reason.NO_DERIVATIVE), (RowStatus.OK, None)
    ]


@pytest.mark.parametrize(("lr", "status"), [(0.1, RunStatus.CONVERGED), (10, RunStatus.DIVERGED), (1e-10, RunStatus.STALLED)])
def test_a_run_has_a_status_code(lr, status):
    assert nd.descend(lr=lr).status is status


def test_json_carries_the_codes_as_strings(run):
    data = json.loads(run("diff", "abs(x)+x", "--at", "1", "-m", "central", "-m", "complex-step", "--json").stdout)
    rows = data["points"][0]["numeric"]
    assert [(r["status"], r["reason"]) for r in rows] == [("ok", None), ("skipped", "not_complex_analytic")]
    partial = json.loads(run("grad", "abs(x)+y", "--at", "0,1", "--json").stdout)["partials"][0]
    assert (partial["status"], partial["reason"]) == ("unreliable", "no_derivative")
    assert json.loads(run("descend", "--lr", "10", "--json").stdout)["status"] == "diverged"


def test_no_row_is_marked_closest_without_a_correct_digit(run):
    point = nd.diff("0.01x^2 + 0.1x", at=5, h=1e-50, methods="forward").points[0]
    assert point.best is None and point.numeric[0].value == 0.0
    out = run("diff", "0.01x^2 + 0.1x", "--at", "5", "-m", "forward", "--h", "1e-50").stdout
    assert "★" not in out.split("★ closest")[0] and "no row has a correct digit" in out
    assert "x + h == x in float64" in out


def test_at_a_kink_every_value_is_flagged_however_small_its_estimate():
    rows = nd.diff("relu(x)", at=0).points[0].numeric
    central = next(r for r in rows if r.method == "central")
    assert central.value == 0.5 and central.error_estimate < 1e-15  # the average of the slopes 0 and 1
    assert {(r.status, r.reason) for r in rows if r.value is not None} == {(RowStatus.UNRELIABLE, Reason.NO_DERIVATIVE)}


def test_a_step_the_method_does_not_use_is_said_in_its_note():
    rows = {r.method: r for r in nd.diff("x^2", at=1, h=1e-3).points[0].numeric}
    for name in ("richardson", "complex-step"):
        assert rows[name].note == "h = 0.001 is not used: the method chooses its own step"
        assert rows[name].status is RowStatus.OK
    assert rows["central"].h == 1e-3 and rows["central"].note is None


def test_the_recommended_row_is_chosen_by_the_estimates_alone():
    first = nd.diff("sin(x)", at=1).points[0]
    assert first.recommended == "complex-step" and first.recommendation.value == first.analytic
    # higher orders too, by the contour; where the complex step cannot pass, the extrapolation is the best left
    assert nd.diff("sin(x)", at=1, order=3).points[0].recommended == "complex-step"
    assert nd.diff("abs(x) + sin(x)", at=1, order=3).points[0].recommended == "richardson"
    # at a corner no row is ok, so none is recommended
    assert nd.diff("abs(x)", at=0).points[0].recommended is None


@pytest.mark.parametrize(("expression", "at", "order"), [("sin(x)", 1e8, 3), ("sin(x)", 1e6, 3), ("cos(x)", 1e10, 2)])
def test_a_fixed_step_too_large_for_fast_oscillation_is_contradicted_not_recommended(expression, at, order):
    # the step scaled to |x| spans many periods; its halvings agree on a value near 0 with a tiny estimate
    point = nd.diff(expression, at=at, order=order).points[0]
    contradicted = [row for row in point.numeric if row.reason is Reason.CONTRADICTED]
    assert contradicted
    for row in contradicted:
        assert row.status is RowStatus.UNRELIABLE and row.abs_error > 100 * row.error_estimate
    assert point.recommended not in {row.method for row in contradicted}
    assert point.recommendation.rel_error < 1e-6


@pytest.mark.parametrize(("expression", "at"), [("x^2", 3), ("sin(x)", 1), ("exp(x)", 2), ("log(x)", 0.5), ("x^3", 1e8)])
def test_fixed_steps_agreeing_with_the_searching_methods_are_not_contradicted(expression, at):
    for order in (1, 2, 3):
        assert all(row.reason is not Reason.CONTRADICTED for row in nd.diff(expression, at=at, order=order).points[0].numeric)


def test_the_recommendation_does_not_look_at_the_exact_value(monkeypatch):
    from numdiff_cli import compare

    rows = nd.diff("exp(x)", at=2).points[0].numeric
    blind = [row.__class__(**{**row.__dict__, "abs_error": None, "rel_error": None}) for row in rows]
    assert compare.recommend(blind) == compare.recommend(rows)


def test_json_names_the_recommended_value(run):
    point = json.loads(run("diff", "x^2", "--at", "3", "--json").stdout)["points"][0]
    assert point["recommended"]["method"] in {r["method"] for r in point["numeric"]}
    assert point["recommended"]["value"] == 6.0 and point["recommended"]["error_estimate"] < 1e-13
