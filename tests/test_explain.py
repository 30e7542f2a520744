"""`diff --explain`: every figure against a stencil worked by hand, and the sentences against cases
whose truth is known in closed form."""

from __future__ import annotations

import json
import math
from decimal import Decimal

import numpy as np
import pytest

import numdiff_cli as nd
from numdiff_cli import api, richardson
from numdiff_cli.explanation import digits_lost, stencil_formula
from numdiff_cli.methods import STENCILS
from numdiff_cli.results.explain import Verdict

EPS = float(np.finfo(float).eps)


def _explained(expression, at, method, **options):
    (point,) = api.explain(expression, at, methods=[method], **options).points
    (explanation,) = point.methods
    return explanation


def _diff_value(expression, at, method, **options):
    (point,) = nd.diff(expression, at=at, methods=method, **options).points
    return point.numeric[0].value


def test_forward_on_x_squared_is_the_hand_computed_stencil():
    e = _explained("x^2", 3, "forward", h=1e-4)
    h = 1e-4
    plus = 3.0 + h
    assert [t.point for t in e.terms] == [plus, 3.0]
    assert [t.value for t in e.terms] == [plus * plus, 9.0] == [9.000600010000001, 9.0]
    assert e.step_taken == plus - 3.0 and not e.step_lost
    (d,) = e.differences
    assert (d.minuend, d.subtrahend, d.value) == (plus * plus, 9.0, plus * plus - 9.0)
    assert d.value == pytest.approx(6.0001e-4, rel=1e-11)
    assert d.digits_lost == 4  # 9.0006… − 9.0000… = 0.0006…: four leading places cancel
    assert e.total == d.value and e.denominator == h
    assert e.value == d.value / h == _diff_value("x^2", 3, "forward", h=1e-4)
    assert e.error == pytest.approx(e.value - 6.0, abs=1e-20)
    # h/2·f″(x) = h/2·2 = h, at the double h: exactly 1e-4 once rounded to a double
    assert e.truncation.formula == "h/2·f″(x)" and e.truncation.coefficient == "1/2"
    assert e.truncation.derivative_value == 2.0 and e.truncation.value == 1e-4
    assert e.rounding.value == EPS * (plus * plus) / h
    assert e.halving.steps == (h, h / 2, h / 4)
    assert e.halving.values[1] == ((3.0 + h / 2) ** 2 - 9.0) / (h / 2)
    assert all(order == pytest.approx(1.0, abs=0.01) for order in e.halving.orders)
    assert e.verdict is Verdict.TRUNCATION
    assert any("error ∝ h)" in sentence and "as the formula's order 1 predicts" in sentence for sentence in e.summary)


def test_central_on_a_cubic_has_exactly_the_truncation_term_h_squared():
    # ((x+h)³ − (x−h)³) / 2h = 3x² + h²: the error is h²/6·f‴ = h² exactly, no higher term
    e = _explained("x^3", 2, "central", h=1e-3)
    assert e.formula == "(f(x+h) − f(x−h)) / 2h" and e.denominator == 2e-3
    assert e.truncation.formula == "h²/6·f‴(x)" and e.truncation.value == pytest.approx(1e-3**2, rel=1e-15)
    assert abs(e.error - 1e-6) <= 2 * e.rounding.value  # the rest is rounding, within its estimate
    assert e.verdict is Verdict.TRUNCATION
    assert all(order == pytest.approx(2.0, abs=0.01) for order in e.halving.orders)


def test_central_on_a_quadratic_has_no_truncation_error_so_rounding_sets_it():
    e = _explained("x^2", 3, "central")
    assert e.value == 6.000000000012662 == _diff_value("x^2", 3, "central")
    assert e.truncation.derivative_value == 0 and e.truncation.value == 0
    assert e.verdict is Verdict.ROUNDING
    assert any(s.startswith("f‴(x) = 0, so this formula has no truncation error") for s in e.summary)


def test_five_point_on_x_to_the_fifth_errs_by_minus_h4_over_30_times_f5():
    # f⁽⁵⁾ = 120 and f⁽⁷⁾ = 0: the error is −h⁴/30·120 = −4h⁴ exactly
    e = _explained("x^5", 1, "five-point", h=1e-2)
    assert e.offsets == (2, 1, -1, -2) and e.weights == (-1, 8, -8, 1) and e.divisor == 12
    assert e.truncation.formula == "−h⁴/30·f⁽⁵⁾(x)" and e.truncation.value == pytest.approx(-4e-8, rel=1e-14)
    assert abs(e.error + 4e-8) <= 2 * e.rounding.value
    assert e.value == _diff_value("x^5", 1, "five-point", h=1e-2)


def test_a_second_derivative_explains_its_own_stencil():
    # (f(x+h) − 2f(x) + f(x−h)) / h² on x⁴ errs by h²/12·f⁽⁴⁾ = 2h² exactly
    e = _explained("x^4", 1, "central", order=2, h=1e-2)
    assert e.formula == "(f(x+h) − 2f(x) + f(x−h)) / h²"
    assert e.truncation.formula == "h²/12·f⁽⁴⁾(x)" and e.truncation.value == pytest.approx(2e-4, rel=1e-14)
    assert abs(e.error - 2e-4) <= 2 * e.rounding.value
    assert e.value == _diff_value("x^4", 1, "central", order=2, h=1e-2)


def test_the_lectures_h_1e_50_loses_the_step_and_says_that_is_why_it_gives_0():
    e = _explained("0.01x^2 + 0.1x", 5, "forward", h=1e-50)
    assert e.step_taken == 0.0 and e.step_lost and e.verdict is Verdict.STEP_LOST
    assert [t.point for t in e.terms] == [5.0, 5.0] and e.terms[0].value == e.terms[1].value
    (d,) = e.differences
    assert d.value == 0.0 and d.digits_lost == d.of == 16
    assert e.value == 0.0 == _diff_value("0.01x^2 + 0.1x", 5, "forward", h=1e-50)
    assert e.error == pytest.approx(-0.2, abs=1e-15)
    assert e.halving.orders == (0.0, 0.0)
    text = " ".join(e.summary)
    assert "(x + h) − x = 0" in text and "This is why h = 1e-50 gives 0.0." in text
    gap = float(np.spacing(5.0))
    assert f"half the gap of {gap:.1e}" in text


@pytest.mark.parametrize(
    ("a", "b", "lost"),
    [(9.00060001, 9.0, 4), (1.0, 0.999, 3), (100.0, 99.0, 2), (0.75, 0.75, 16), (1.0, -1.0, 0), (3.0, 1.0, 0),
     (1.0 + 2**-52, 1.0, 16), (0.7500020001, 0.75, 5)],
)
def test_digits_lost_are_the_places_the_subtraction_empties(a, b, lost):
    assert digits_lost(a, b, 16) == lost


def test_digits_lost_of_a_value_that_is_not_finite_is_unknown():
    assert digits_lost(math.inf, 1.0, 16) is None


@pytest.mark.parametrize(
    ("expression", "at", "method", "h"),
    [("sin(x)", 1, "forward", 1e-4), ("sin(x)", 1, "five-point", 1e-3), ("exp(x)/x", 0.5, "backward", 1e-5),
     ("log(x)", 7, "central", "auto"), ("x^3", "pi/4", "five-point", None)],
)
def test_the_explained_arithmetic_is_the_diff_tables_value(expression, at, method, h):
    e = _explained(expression, at, method, h=h)
    assert e.value == _diff_value(expression, at, method, h=h)
    assert e.total / e.denominator == e.value
    running = 0.0
    for d in e.differences:
        assert d.term == d.weight * d.value  # a negative weight is shown as its size times the reversed difference
        running += d.term
    assert running == e.total  # the shown terms, summed in order, are the sum divided


def test_the_stencil_formula_is_written_as_a_person_would():
    assert stencil_formula(STENCILS["forward"].stencil(1)) == "(f(x+h) − f(x)) / h"
    assert stencil_formula(STENCILS["backward"].stencil(1)) == "(f(x) − f(x−h)) / h"


def test_complex_step_is_one_complex_evaluation_divided_by_h():
    e = _explained("sin(x)", 1, "complex-step")
    assert e.kind == "complex_step" and e.h == 1e-200
    assert e.value_real == math.sin(1.0) and e.value == e.value_imag / 1e-200 == _diff_value("sin(x)", 1, "complex-step")
    assert e.truncation.formula == "−h²/6·f‴(x)" and e.truncation.exact.startswith("9.00503843113566")  # cos(1)/6·1e-400
    assert any("no digit cancels" in s for s in e.summary)


def test_complex_step_on_abs_is_skipped_with_the_reason():
    e = _explained("abs(x)", 1, "complex-step")
    assert e.kind == "skipped" and e.reason == "not_complex_analytic"


def test_richardsons_tableau_holds_the_answer_and_starts_from_a_central_difference():
    e = _explained("sin(x)", 1, "richardson")
    assert e.value == _diff_value("sin(x)", 1, "richardson")
    first = e.rows[0]
    assert first.central == (math.sin(1 + first.h) - math.sin(1 - first.h)) / (2 * first.h)
    assert e.rows[1].h == first.h / 1.6
    # T[1][1] = (c²·T[1][0] − T[0][0]) / (c² − 1)
    c2 = 1.6**2
    assert e.rows[1].extrapolated == (e.rows[1].central * c2 - first.central) / (c2 - 1)
    assert e.chosen is not None and f"T[{e.chosen}][{e.column}]" in e.summary[2]


@pytest.mark.parametrize(("expression", "at"), [("sin(x)", 1), ("exp(x)", 2), ("sin(1/x)", 0.01), ("x^3", 1)])
def test_richardson_explanation_stars_the_entry_it_answers_with_and_its_sentence_agrees(run, expression, at):
    e = _explained(expression, at, "richardson")
    row, j = e.chosen, e.column
    table = richardson.tableau(np.array([r.central for r in e.rows]))  # the same doubles, from the shown column 0
    # the answer is the entry of least error estimate among the row's entries of its value (at sin(x) = 1,
    # T[5][4] and T[5][5] are the same double; T[5][5] is the one the method took)
    same = [k for k in range(1, row + 1) if table[row][k] == e.value]
    estimates = {k: max(abs(table[row][k] - table[row][k - 1]), abs(table[row][k] - table[row - 1][k - 1]),
                        e.rows[row].rounding) for k in same}
    assert j == min(same, key=lambda k: (estimates[k], k)) and e.rows[row].entry == e.value
    # the shown columns are the answer's and its neighbours', and its estimate is made of them
    c2j = math.prod([1.6**2] * j)  # c^(2j), formed as the tableau forms it
    assert e.value == (c2j * e.rows[row].neighbour - e.rows[row - 1].neighbour) / (c2j - 1)
    distance = max(abs(e.value - e.rows[row].neighbour), abs(e.value - e.rows[row - 1].neighbour))
    assert e.distance == distance and e.rows[row].entry_estimate == max(distance, e.rounding)
    assert e.error_estimate >= e.rows[row].entry_estimate
    sentence = e.summary[2]
    assert f"is T[{row}][{j}], the entry with the least error estimate" in sentence
    assert f"its neighbours T[{row}][{j - 1}] and T[{row - 1}][{j - 1}]" in sentence
    assert f"{e.error_estimate:.1e}" in sentence
    assert f"{distance:.1e}" in sentence or f"{e.rounding:.1e}" in sentence
    # one star, on the answer's row, in the column headed T[i][j]
    out = run("diff", expression, "--at", str(at), "-m", "richardson", "--explain").stdout
    starred = [line for line in out.splitlines() if "★" in line]
    assert len(starred) == 1 and f"{repr(e.value)} ★" in starred[0]
    assert starred[0].strip("│ ").startswith(f"{row} ") and f"T[i][{j}]" in out and f"T[{row}][{j}] = " in out


def test_cli_explains_the_lecture_case_in_a_table(run):
    result = run("diff", "0.01x^2 + 0.1x", "--at", "5", "-m", "forward", "--h", "1e-50", "--explain")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # prose folded where the terminal wrapped it
    assert "(x + h) − x = 0.0: ⚠ x + h == x" in out
    assert "This is why h = 1e-50 gives 0.0." in out and "all digits cancel (of 16)" in out


def test_cli_marks_the_cancelled_digits_under_aligned_columns(run):
    out = run("diff", "x^2", "--at", "3", "-m", "forward", "--explain").stdout
    lines = [line.strip("│ ") for line in out.splitlines()]
    at = lines.index("4 digits cancel (of 16)") if "4 digits cancel (of 16)" in lines else next(
        i for i, line in enumerate(lines) if line.endswith("4 digits cancel (of 16)"))
    a, b, marks, result = (line.removeprefix("difference").strip() for line in lines[at + 1 : at + 5])
    difference = (3.0 + 1e-4) ** 2 - 9.0
    assert (a, b, result) == ("9.000600010000001", "− 9.000000000000000", f"= {Decimal(repr(difference)):f}")
    # the four places 9.000 that the subtraction empties, in the column of each digit
    assert marks == "^ ^^^" and lines[at + 3].index("^") == lines[at + 1].index("9")


def test_cli_json_has_the_documented_keys(run):
    result = run("diff", "x^2", "--at", "3", "-m", "forward", "-m", "richardson", "-m", "complex-step", "--explain",
                 "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"expression", "variable", "order", "derivative", "dtype", "points"}
    forward, richardson, complex_step = data["points"][0]["methods"]
    assert set(forward) == {"method", "kind", "formula", "h", "step_taken", "step_lost", "stencil", "terms",
                            "differences", "sum", "denominator", "value", "error", "truncation", "rounding",
                            "halving", "verdict", "summary"}
    assert forward["differences"][0]["digits_lost"] == 4 and forward["truncation"]["value"] == 1e-4
    assert richardson["kind"] == "richardson" and {"rows", "chosen_row", "chosen_column"} <= set(richardson)
    assert complex_step["kind"] == "complex_step" and complex_step["f_real"] == 9.0


@pytest.mark.parametrize("extra", [["--csv"], ["--sweep"], ["--precision", "30"]])
def test_explain_refuses_what_it_cannot_show_in_one_sentence(run, extra):
    result = run("diff", "x^2", "--at", "3", "--explain", *extra)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--explain" in result.stderr


@pytest.mark.parametrize("width", [50, 80, 120])
def test_the_view_fits_the_width_without_cutting_a_number(width):
    from rich.console import Console

    console = Console(width=width, record=True, color_system=None)
    result = api.explain("sin(x)", 1, methods=["five-point", "richardson", "complex-step"])
    console.print(result)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= width
    five_point, richardson, _ = result.points[0].methods
    shown = [m.value for m in result.points[0].methods] + [t.value for t in five_point.terms]
    shown += list(five_point.halving.values) + [row.central for row in richardson.rows]
    for value in shown:
        assert repr(value) in text, (value, width)


@pytest.mark.parametrize(("at", "heading", "sentence"), [
    # central, h = 0.5: (a+0.5)² − (a−0.5)² = 2a; at 5: 30.25 − 20.25 = 10 keeps the tens place: nothing cancels
    ("5", "no digit cancels (of 16)", "no digit cancels"),
    # at 3: 12.25 − 6.25 = 6: the tens place empties, one digit
    ("3", "1 digit cancels (of 16)", "cancels the leading digit (its place marked ^)"),
])
def test_one_or_no_cancelled_digit_is_worded_in_the_singular_not_1_digits(run, at, heading, sentence):
    out = " ".join(run("diff", "x^2", "--at", at, "-m", "central", "--h", "0.5", "--explain").stdout.split())
    assert heading in out and sentence in out and "1 digits" not in out and "0 digits" not in out
