"""`numdiff descend` as a user runs it."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from unittest.mock import ANY

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
        (["--steps", "0"], "--steps must be a whole number from 1 to"),
        (["--from", "1,2,3"], "--from '1,2,3' gives 3 values but the expression has 2 variables (x0, x1)"),
        (["x^2+y^2", "--from", "1"], "--from '1' gives 1 value but the expression has 2 variables (x, y)"),
        (["x^2 + y^2"], "give the point with --from (the variables are x, y)"),
        (["--optimizer", "lbfgs"], "unknown optimizer 'lbfgs'"),
        (["--grad", "exact"], "Invalid value for '--grad'"),
        (["--momentum", "1.5", "--optimizer", "momentum"], "--momentum must be at least 0 and below 1"),
        # it ran plain sgd, the --momentum given silently unused
        (["--momentum", "0.5"], "--momentum does nothing for sgd: it is a hyperparameter of momentum, nesterov"),
        (["--optimizer", "adam", "--lr-sweep", "0.01:1", "--alpha", "0.5"], "--alpha does nothing for adam: it is a "
         "hyperparameter of rmsprop"),
        (["--tol", "-1"], "--tol must be a positive number"),
    ],
)
def test_bad_input_is_exit_2_in_one_sentence(run, args, message):
    result = run("descend", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1 and message in result.stderr
    assert result.stdout == ""


def test_no_progress_bar_when_piped(run, monkeypatch):
    """A run long enough for a bar gets none when stderr is not a terminal, and one when it is."""
    from rich.console import Console

    from numdiff_cli import api, output

    given = []
    real_descend = api.descend

    def descend(*args, progress, **kwargs):
        given.append(progress)
        return real_descend(*args, progress=progress, **kwargs)

    monkeypatch.setattr(api, "descend", descend)
    monkeypatch.setattr(output, "PROGRESS_FROM", 10)  # a bar from 10 steps, so the runs stay short
    args = ("descend", "--steps", "20")
    assert run(*args).exit_code == 0 and given == [None]
    monkeypatch.setattr(output, "_stderr", lambda: Console(stderr=True, force_terminal=True))
    assert run(*args).exit_code == 0 and given[0] is None and callable(given[1])


@pytest.mark.parametrize(("args", "message"), [(["log(x)", "--from", "-1"], "log(x) is not real at x = -1"), (["1/x", "--from", "0"], "1/x is undefined at x = 0")])
def test_start_outside_the_domain_is_exit_1(run, args, message):
    result = run("descend", *args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr == f"error: {message}\n" and result.stdout == ""


class Between:
    """Equal to any number strictly between ``low`` and ``high``."""

    def __init__(self, low: float, high: float) -> None:
        self.low, self.high = low, high

    def __eq__(self, other: object) -> bool:
        return isinstance(other, float) and self.low < other < self.high

    def __repr__(self) -> str:
        return f"Between({self.low}, {self.high})"


@pytest.mark.parametrize(
    ("args", "status", "message", "final"),
    [
        # The partials are ±1 each: y falls by lr = 0.1 a step, x reaches 0 and then hops around it;
        # f = |x| + y falls without end and its Hessian is 0 at both ends.
        (["abs(x)+y", "--from", "1,1", "--grad", "analytic"], "unbounded",
         "f went from 2 to -2 at a steady rate: the gradient keeps its size (‖∇f‖ = 1.41)",
         [pytest.approx(0.0, abs=1e-12), pytest.approx(1 - 30 * 0.1)]),
        # ∂f/∂y = 1 everywhere: f is linear in y, with no minimum, while x climbs from 1 towards 1.46163..., where
        # Γ has its minimum on x > 0.
        (["gamma(x)+y", "--from", "1,2"], "unbounded",
         "f went from 3 to ",
         [Between(1.0, 1.4616321449683623), pytest.approx(2 - 30 * 0.1, rel=1e-9)]),
        # ∇f(3, 4) = (4, 3)·e^12; one step lands where x·y ≈ 3e9 and e^(x·y) overflows.
        (["exp(x*y)", "--from", "3,4"], "diverged", "at step 1 f grew past what a double can hold (it was 1.628e+05 at step 0)",
         [pytest.approx(3 - 0.4 * math.exp(12), rel=1e-7), pytest.approx(4 - 0.3 * math.exp(12), rel=1e-7)]),
        # f(0.5, -0.5) = 2 - sec(1/8 - cosh π) ≈ -0.2021; ∂f/∂y = 1.
        (["2 - sec(x^2/2 - cosh(pi)) + x + y", "--from", "0.5,-0.5"], "diverged",
         f"f went from {2 - 1 / math.cos(0.125 - math.cosh(math.pi)):.4g} to ",
         [ANY, pytest.approx(-0.5 - 30 * 0.1, rel=1e-9)]),
    ],
    ids=["abs", "gamma", "overflow", "sec of a complex constant"],
)
def test_awkward_descents_end_in_words_not_tracebacks(run, args, status, message, final):
    result = run("descend", *args, "--steps", "30", "--json")
    assert result.exit_code == 0 and result.exception is None, result.output
    data = json.loads(result.stdout)
    assert data["status"] == status and data["message"].startswith(message)
    assert data["final"]["x"] == final


def test_a_start_where_the_gradient_is_undefined_ends_in_one_sentence(run):
    # ∂/∂y 0^y = 0^y·log(0): undefined wherever 0^y appears.
    result = run("descend", "acsc(0^y*(x^2 + e^e)/x^2) + x + y", "--from", "0.5,-0.5", "--steps", "30")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr == (
        "error: x + y + acsc(0**y*(x**2 + exp(E))/x**2) has an undefined part (such as log(0)) numdiff cannot compute\n"
    )


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


def test_an_ascent_from_a_minus_expression_finds_its_maximum(run):
    data = json.loads(run("descend", "-(x-1)^2 - (y+2)^2", "--from", "0,0", "--ascent", "--json").stdout)
    assert data["status"] == "converged" and data["critical_point"] == "maximum"
    assert data["final"]["x"] == [pytest.approx(1.0), pytest.approx(-2.0)]
    assert data["rates"] == "|1 + 0.1·(-2)| = 0.8"


def test_a_table_and_a_comparison_have_a_size_limit(run):
    rows = run("descend", "--steps", "200000", "--every", "1")
    assert rows.exit_code == 2 and "--every 1 would show 200,001 rows; a table shows at most 1,000" in rows.stderr
    runs = run("descend", "--lr", ",".join(f"0.{i:02d}" for i in range(1, 31)), "--optimizer", "sgd,adam")  # 30 rates
    assert runs.exit_code == 2 and "--lr and --optimizer ask for 60 runs; one comparison holds at most 50" in runs.stderr


def test_the_whole_command_has_a_time_budget(run):
    result = run("--timeout", "2", "descend", "--steps", "10000000")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: the command ran past its 2 s budget while running 10,000,000 steps of gradient descent; "
        "--timeout sets another\n"
    )
    assert run("--timeout", "0", "descend", "--steps", "1000").exit_code == 0  # 0: no budget


def test_json_and_csv_are_written_as_the_run_goes(run):
    """Every step reaches the output as it is made: the result itself keeps none of them."""
    from numdiff_cli import api
    from numdiff_cli.stream import JsonTrace

    out = io.StringIO()
    writer = JsonTrace(out, several=False)
    result = api.descend(steps=50, writer=writer)
    writer.close()
    data = json.loads(out.getvalue())
    assert result.trace == () and [row["step"] for row in data["trace"]] == list(range(51))
    assert data == {**json.loads(run("descend", "--steps", "50", "--json").stdout)}
    assert {k: v for k, v in data.items() if k != "trace"} == {k: v for k, v in result.to_dict().items() if k != "trace"}
    several = json.loads(run("descend", "--steps", "5", "--lr", "0.1,1", "--optimizer", "sgd,adam", "--json").stdout)
    assert [(r["lr"], r["optimizer"], len(r["trace"])) for r in several] == [
        (0.1, "sgd", 6), (1.0, "sgd", 6), (0.1, "adam", 6), (1.0, "adam", 6)
    ]
