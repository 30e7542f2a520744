"""`numdiff grad` as a user runs it."""

from __future__ import annotations

import csv
import io
import json

import pytest


def test_table_shows_partials_gradient_norm_and_descent_direction(run):
    result = run("grad", "x0**2+x1**2", "--at", "3,4")
    assert result.exit_code == 0, result.output
    for text in ("2*x0", "6.00000000000378", "7.999999999999119", "‖∇f‖", "10.0", "(-0.6, -0.8)", "steepest descent"):
        assert text in result.stdout


def test_at_by_name_and_wrt(run):
    data = json.loads(run("grad", "x0^2+x1^2+x2^2", "--at", "x2=1,x1=4,x0=3", "--wrt", "x0,x2", "--json").stdout)
    assert data["variables"] == ["x0", "x1", "x2"] and data["at"] == {"x0": 3.0, "x1": 4.0, "x2": 1.0}
    assert [p["variable"] for p in data["partials"]] == ["x0", "x2"]
    assert data["gradient"]["analytic"] == [6.0, 2.0]


def test_json_keys(run):
    data = json.loads(run("grad", "x^2 - y^2", "--at", "0,0", "--hessian", "--json").stdout)
    assert {"expression", "variables", "at", "partials", "gradient", "norm", "hessian"} <= set(data)
    assert set(data["partials"][0]) >= {"variable", "derivative", "analytic", "numeric", "abs_error", "rel_error"}
    assert data["hessian"]["critical_point"] == "saddle point"
    assert data["hessian"]["analytic"] == [[2.0, 0.0], [0.0, -2.0]]


def test_hessian_table_says_saddle_point(run):
    result = run("grad", "x**2 - y**2", "--at", "0,0", "--hessian")
    assert result.exit_code == 0, result.output
    assert "saddle point" in result.stdout and "eigenvalues: (-2.0, 2.0)" in result.stdout


def test_jacobian_with_or_without_brackets(run):
    for text in ("x*y, x+y, sin(x)", "[x*y, x+y, sin(x)]"):
        data = json.loads(run("grad", text, "--at", "1,2", "--json").stdout)
        assert data["jacobian"]["analytic"][0] == [2.0, 1.0]
    assert "∂/∂x" in run("grad", "x*y, x+y", "--at", "1,2").stdout


def test_csv_one_row_per_partial(run):
    rows = list(csv.DictReader(io.StringIO(run("grad", "x*y", "--at", "2,3", "--csv").stdout)))
    assert [(r["variable"], r["analytic"]) for r in rows] == [("x", "3.0"), ("y", "2.0")]


def test_method_and_step(run):
    data = json.loads(run("grad", "x^3", "--at", "1", "-m", "forward", "--h", "1e-3", "--json").stdout)
    assert data["method"] == "forward" and data["partials"][0]["h"] == 1e-3
    assert abs(data["partials"][0]["numeric"] - 3.003001) < 1e-9


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["log(x0) + x1", "--at", "-1,2"], 1, "log(x0) is not real at (x0, x1) = (-1, 2)"),
        (["abs(x) + y", "--at", "0,1"], 1, "∂/∂x cannot be computed at x = 0.0, y = 1.0"),
        (["x0^2+x1^2", "--at", "3"], 2, "gives 1 value but the expression has 2 variables (x0, x1)"),
        (["x0^2+x1^2", "--at", "x0=3,x2=1"], 2, "'x2', which is not a variable of the expression (x0, x1)"),
        (["x0^2+x1^2", "--at", "3,4", "--wrt", "y"], 2, "--wrt names 'y', which is not a variable"),
        (["x*y, x+y", "--at", "1,2", "--hessian"], 2, "--hessian needs a single expression"),
        (["x^2", "--at", "1", "--h", "0"], 2, "positive number"),
        (["x^2"], 2, "give the point with --at (the variables are x)"),
    ],
)
def test_errors(run, args, code, message):
    result = run("grad", *args)
    assert result.exit_code == code and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and message in result.stderr


def test_heaviside_of_a_complicated_argument_compiles(run):
    # Heaviside compiles to numpy's heaviside whatever its argument, with no conditions to solve.
    # Near x0 = 1, tan(x0) > 0, so acsch(tan(x0)) > 0 and its sign is 1: f = H(1) = 1 is flat there.
    result = run("grad", "heaviside(sign(acsch(tan(x0))))", "--at", "1", "--json")
    assert result.exit_code == 0, result.output
    partial = json.loads(result.stdout)["partials"][0]
    assert partial["analytic"] == 0.0 and partial["numeric"] == 0.0


def test_a_variable_named_twice_in_wrt_is_refused(run):
    result = run("grad", "x0^2 + x1^2", "--at", "3,4", "--wrt", "x0,x1,x0")
    assert result.exit_code == 2 and result.stderr == "error: --wrt names x0 more than once\n"


@pytest.mark.parametrize("columns", ["60", "80"])
def test_a_short_derivative_is_never_wrapped_between_its_terms(columns):
    """Columns give way first: 'y*cos(x*y) +' over a lone 'y' read as two formulas."""
    from typer.testing import CliRunner

    from numdiff_cli.cli import app

    out = CliRunner().invoke(app, ["grad", "x*y + sin(x*y)", "--at", "1,2"], env={"NO_COLOR": "1", "COLUMNS": columns})
    rows = [line for line in out.stdout.splitlines() if line.strip().startswith(("x ", "y "))]
    assert len(rows) == 2 and all(len(line) <= int(columns) for line in out.stdout.splitlines())
    assert columns == "60" or ("y*cos(x*y) + y" in rows[0] and "x*cos(x*y) + x" in rows[1])


def test_a_step_lost_to_rounding_is_flagged_in_each_partial_it_zeroes(run):
    # the lecture's h = 1e-50 in grad: 3 + 1e-50 == 3, so each central difference is exactly 0, but the
    # partials read status ok with no note
    done = run("grad", "x*y", "--at", "3,2", "--h", "1e-50", "--json")
    assert done.exit_code == 0, done.output  # the user's h, shown with its note: not maths that failed
    partials = json.loads(done.stdout)["partials"]
    for partial, exact, name, at in zip(partials, (2.0, 3.0), "xy", (3, 2)):  # ∇(x*y) = (y, x)
        assert partial["numeric"] == 0.0 and partial["analytic"] == exact
        assert (partial["status"], partial["reason"]) == ("unreliable", "x_plus_h_equals_x")
        # each note names its own variable (the y partial's said "x + h == x ... near x = 2")
        assert partial["note"].startswith(f"{name} + h == {name} in float64 (h = 1.0e-50")
        assert f"near {name} = {at}" in partial["note"]
    # at x = 0, 0 + 1e-50 is a number of its own: the step along x works, ∂f/∂x = y = 2 exactly
    at_zero = json.loads(run("grad", "x*y", "--at", "0,2", "--h", "1e-50", "--json").stdout)["partials"][0]
    assert at_zero["status"] == "ok" and at_zero["numeric"] == 2.0


def test_a_jacobians_note_shared_by_its_rows_is_shown_once(run):
    # h = 1e-50 loses the step in both functions' partials alike: each note was printed once per row
    out = run("grad", "x*y, x+y", "--at", "1,2", "--h", "1e-50").stdout
    notes = [line for line in out.splitlines() if line.startswith("⚠")]  # an unreliable entry's note, as in diff
    assert [line.split(":")[0] for line in notes] == ["⚠ x", "⚠ y"], out
