"""`numdiff descend` as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest


def test_default_is_the_lectures_demo(run):
    result = run("descend", "--lr", "0.1")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "x0**2 + x1**2 from (x0, x1) = (-3.0, 4.0)" in out and "converged" in out and "local minimum" in out
    assert "(-6.111107928998789e-10, 8.148143905314271e-10)" in out
    assert "⋮" in out and "2/λmax = 1" in out


def test_three_learning_rates_side_by_side(run):
    result = run("descend", "--lr", "0.1,10,1e-10")
    assert result.exit_code == 0, result.output
    for text in ("converged", "diverged", "stalled", "too large", "too small"):
        assert text in result.stdout
    assert "warning: lr = 10 is above 2/λmax" in result.stderr


def test_json_holds_every_step_with_documented_keys(run):
    data = json.loads(run("descend", "--lr", "0.1", "--steps", "30", "--json").stdout)
    assert {"expression", "variables", "lr", "optimizer", "start", "status", "trace", "final"} <= set(data)
    assert [row["step"] for row in data["trace"]] == list(range(31))
    assert set(data["trace"][0]) >= {"step", "x", "f", "grad"}
    assert set(data["final"]) == {"x", "f", "grad_norm", "steps"} and data["final"]["steps"] == 30


def test_json_list_for_several_runs(run):
    data = json.loads(run("descend", "--lr", "0.1,10", "--optimizer", "sgd,momentum", "--steps", "20", "--json").stdout)
    assert [(d["optimizer"], d["lr"]) for d in data] == [("sgd", 0.1), ("sgd", 10.0), ("momentum", 0.1), ("momentum", 10.0)]


def test_csv_trace(run):
    rows = list(csv.DictReader(io.StringIO(run("descend", "--steps", "3", "--csv").stdout)))
    assert [r["step"] for r in rows] == ["0", "1", "2", "3"]
    assert rows[0]["x0"] == "-3.0" and rows[0]["grad_x1"] == "7.999999999999119"


def test_expression_from_ascent_analytic_and_optimizer_options(run):
    args = ["descend", "1 - (x-1)^2 - y^2", "--from", "0,1", "--ascent", "--grad", "analytic", "--steps", "300",
            "--optimizer", "adam", "--beta1", "0.8", "--lr", "0.05", "--json"]
    data = json.loads(run(*args).stdout)
    assert data["ascent"] and data["gradient"] == "analytic" and data["hyperparameters"]["beta1"] == 0.8
    assert abs(data["final"]["x"][0] - 1) < 1e-2


def test_saddle_point_is_named(run):
    result = run("descend", "x^2 - y^2", "--from", "1,0")
    assert "saddle point" in result.stdout


def test_tol_and_every(run):
    data = json.loads(run("descend", "--tol", "1e-3", "--steps", "1000", "--json").stdout)
    assert data["status"] == "converged" and data["final"]["steps"] < 100
    table = run("descend", "--steps", "40", "--every", "20").stdout
    shown = [int(m) for m in re.findall(r"^\s+(\d+)\s", table, re.M)]
    assert 20 in shown and 10 not in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lr", "0"], "--lr must be a positive number"),
        (["--lr", "-0.1"], "--lr must be a positive number"),
        (["--lr", "fast"], "--lr takes numbers separated by commas"),
        (["--steps", "0"], "--steps must be between 1"),
        (["--from", "1,2,3"], "--from '1,2,3' gives 3 values but the expression has 2 variables (x0, x1)"),
            (["x^2+y^2", "--from", "1"], "--from '1' gives 1 value but the expression has 2 variables (x, y)"),
        (["x^2 + y^2"], "give the point with --from (the variables are x, y)"),
        (["--optimizer", "lbfgs"], "unknown optimizer 'lbfgs'"),
        (["--grad", "exact"], "Invalid value for '--grad'"),
        (["--momentum", "1.5", "--optimizer", "momentum"], "--momentum must be at least 0 and below 1"),
        (["--tol", "-1"], "--tol must be a positive number"),
    ],
)
def test_bad_input_is_exit_2_in_one_sentence(run, args, message):
    result = run("descend", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_no_progress_bar_when_piped(run):
    result = run("descend", "--steps", "300000", "--lr", "1e-9", "--grad", "analytic")
    assert result.exit_code == 0 and "descending" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [(["log(x)", "--from", "-1"], "log(x) is not real at x = -1"), (["1/x", "--from", "0"], "1/x is undefined at x = 0")])
def test_start_outside_the_domain_is_exit_1(run, args, message):
    result = run("descend", *args)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["abs(x)+y", "--from", "1,1", "--grad", "analytic"],
        ["gamma(x)+y", "--from", "1,2"],
        ["exp(x*y)", "--from", "3,4"],
        ["sqrt(x^2+y^2)", "--from", "1e300,1", "--grad", "analytic"],
        ["2 - sec(x^2/2 - cosh(pi)) + x + y", "--from", "0.5,-0.5"],  # printed as cos(1j*pi)
        ["acsc(0^y*(x^2 + e^e)/x^2) + x + y", "--from", "0.5,-0.5"],  # log(0) in the gradient
    ],
)
def test_awkward_descents_end_in_words_not_tracebacks(run, args):
    """Found by fuzzing: derivatives numpy lacks (DiracDelta, polygamma), overflow in the Hessian."""
    result = run("descend", *args, "--steps", "30")
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_a_loss_function_learns_only_its_wrt_variables(run):
    # (w·x − y)² with x = 2, y = 3 held: the minimum is w = y/x = 1.5, and f″ = 2x² = 8 in w.
    result = run("descend", "(w*x - y)^2", "--from", "w=0.5,x=2,y=3", "--wrt", "w", "--json")
    data = json.loads(result.stdout)
    assert data["variables"] == ["w"] and data["held"] == {"x": 2.0, "y": 3.0}
    assert data["status"] == "converged" and abs(data["final"]["x"][0] - 1.5) < 1e-12
    assert "λ = 8" in data["advice"] and data["rates"] == "|1 − 0.1·8| = 0.2"
    table = run("descend", "(w*x - y)^2", "--from", "w=0.5,x=2,y=3", "--wrt", "w").stdout
    assert "from w = 0.5 with x = 2.0, y = 3.0 held fixed" in table and "final w" in table
    wrong = run("descend", "(w*x - y)^2", "--from", "w=0.5,x=2,y=3", "--wrt", "v")
    assert wrong.exit_code == 2 and "--wrt names 'v', which is not a variable" in wrong.stderr
