"""`numdiff diff` as a user runs it: every option, every error path, no traceback."""

from __future__ import annotations

import csv
import io
import json

import pytest


def test_table_shows_derivative_exact_value_and_every_method(run):
    result = run("diff", "x**2", "--at", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("2*x", "exact f′ = 6.0", "forward", "backward", "central", "five-point", "richardson ★", "complex-step", "abs error", "digits"):
        assert text in out
    assert "\x1b[" not in out  # no colour when not a terminal / NO_COLOR


def test_lecture_values_appear_to_the_last_digit(run):
    result = run("diff", "0.01x^2 + 0.1x", "--at", "5", "--at", "10", "--method", "central")
    assert "0.1999999999990898" in result.stdout and "0.2999999999986347" in result.stdout


def test_json_has_the_documented_keys(run):
    result = run("diff", "x^2*y", "--at", "x=2,y=3", "--wrt", "y", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"expression", "variable", "order", "derivative", "dtype", "precision", "points"}
    assert data["variable"] == "y" and data["derivative"] == "x**2"
    point = data["points"][0]
    assert point["at"] == {"x": 2.0, "y": 3.0} and point["analytic"] == 4.0
    assert set(point["numeric"][0]) == {"method", "h", "value", "abs_error", "rel_error", "error_estimate", "note"}


def test_csv_has_one_row_per_point_and_method(run):
    result = run("diff", "sin(x)", "--at", "pi/4", "--at", "1", "-m", "central", "-m", "five-point", "--csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [(r["at"], r["method"]) for r in rows] == [
        ("x=0.7853981633974483", "central"),
        ("x=0.7853981633974483", "five-point"),
        ("x=1.0", "central"),
        ("x=1.0", "five-point"),
    ]


def test_step_option_and_the_lesson_of_a_tiny_step(run):
    data = json.loads(run("diff", "0.01x^2+0.1x", "--at", "5", "-m", "forward", "--h", "1e-50", "--json").stdout)
    row = data["points"][0]["numeric"][0]
    assert row["h"] == 1e-50 and row["value"] == 0.0 and row["abs_error"] == 0.2


def test_auto_step_and_order(run):
    data = json.loads(run("diff", "x^4", "--at", "1", "--order", "2", "--h", "auto", "-m", "central", "--json").stdout)
    row = data["points"][0]["numeric"][0]
    assert data["derivative"] == "12*x**2" and 1e-5 < row["h"] < 1e-3 and row["rel_error"] < 1e-7


def test_no_derivative_prints_the_table_then_fails_with_exit_1(run):
    result = run("diff", "abs(x)", "--at", "0")
    assert result.exit_code == 1
    assert "does not exist" in result.stdout and "backward" in result.stdout
    assert "corner at x = 0" in result.stderr


def test_expression_with_no_variable(run):
    data = json.loads(run("diff", "5", "--at", "2", "--json").stdout)
    assert data["derivative"] == "0" and data["points"][0]["analytic"] == 0.0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["log(x)", "--at", "-1"], 1, "log(x) is not real at x = -1"),
        (["1/x", "--at", "0"], 1, "1/x is undefined at x = 0"),
        (["exp(x)", "--at", "1000"], 1, "overflows double precision"),
        (["x^2"], 2, "Missing option '--at'"),
        (["x^2", "--at", "abc"], 2, "contains the variable abc"),
        (["x^2", "--at", "1", "--wrt", "y"], 2, "--wrt 'y' is not a variable of the expression (x)"),
        (["x*y", "--at", "1,2"], 2, "choose one with --wrt"),
        (["x*y", "--at", "1", "--wrt", "x"], 2, "gives 1 value but the expression has 2 variables (x, y)"),
        (["x^2", "--at", "1", "--h", "0"], 2, "the step h must be a positive number"),
        (["x^2", "--at", "1", "--h", "-1e-3"], 2, "the step h must be a positive number"),
        (["x^2", "--at", "1", "--h", "tiny"], 2, "--h must be a positive number or 'auto'"),
        (["x^2", "--at", "1", "--order", "9"], 2, "--order must be between 1 and 6"),
        (["x^2", "--at", "1", "--order", "two"], 2, "Invalid value for '--order'"),
        (["x^2", "--at", "1", "-m", "magic"], 2, "'magic' is not one of"),
        (["x^2", "--at", "1", "--json", "--csv"], 2, "choose one of --json and --csv"),
        (["x^2", "--at", "1", "--bogus"], 2, "No such option: --bogus"),
        (["-x^2", "--at", "1"], 2, "write it with a space first"),
        (["x.__class__", "--at", "1"], 2, "attribute access"),
        (["9**9**9**9", "--at", "1"], 2, "too large to compute"),
    ],
)
def test_errors_are_one_sentence_with_the_documented_exit_code(run, args, code, message):
    result = run("diff", *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_debug_shows_the_traceback_of_an_error(run):
    result = run("--debug", "diff", "1/x", "--at", "0")
    assert result.exit_code != 0 and result.exception is not None


def test_version_and_help(run):
    from numdiff_cli import __version__

    assert run("--version").stdout.strip() == f"numdiff {__version__}"
    help_text = run("diff", "--help").stdout
    for option in ("--at", "--wrt", "--order", "--method", "--h", "--json", "--csv"):
        assert option in help_text
