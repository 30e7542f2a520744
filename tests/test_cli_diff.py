"""`numdiff diff` as a user runs it: every option, every error path, no traceback."""

from __future__ import annotations

import csv
import io
import json
import math
import re
import traceback

import pytest

from numdiff_cli.errors import MathError


def test_table_shows_derivative_exact_value_and_every_method(run):
    result = run("diff", "x**2", "--at", "3")
    assert result.exit_code == 0, result.output
    out = result.stdout
    for text in ("2*x", "exact f′ = 6.0", "forward", "backward", "central", "five-point", "richardson",
                 "complex-step", "abs err", "rel err", "digits", "est. err"):
        assert text in out
    richardson_row = next(line for line in out.splitlines() if line.strip().startswith("richardson"))
    assert "★" in richardson_row  # the closest row is marked
    assert "\x1b[" not in out  # no colour when not a terminal / NO_COLOR


@pytest.mark.parametrize(
    ("args", "shown", "not_shown"),
    [
        (["x^2*y", "--at", "x=2,y=3", "--wrt", "y"], ["─ ∂/∂y ─", "∂f/∂y = x**2", "exact ∂f/∂y = 4.0"], ["d/dy", "f′"]),
        (["x^2*y", "--at", "x=2,y=3", "--wrt", "x", "-n", "2"], ["─ ∂²/∂x² ─", "∂²f/∂x² = 2*y", "exact ∂²f/∂x² = 6.0"],
         ["d²/dx²", "f″"]),
        (["x^2", "--at", "3", "-n", "2"], ["─ d²/dx² ─", "f′′ = 2", "exact f′′ = 2.0"], ["∂"]),
    ],
    ids=["partial", "second partial", "one variable"],
)
def test_a_function_of_several_variables_has_partial_derivatives(run, args, shown, not_shown):
    out = run("diff", *args).stdout
    assert all(text in out for text in shown), out
    assert not any(text in out for text in not_shown), out


def test_the_sweep_of_a_partial_derivative_says_so(run):
    out = run("diff", "x^2*y", "--at", "x=2,y=3", "--wrt", "y", "--sweep").stdout
    assert "error of ∂/∂y x**2*y at x = 2.0, y = 3.0" in out


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
    assert set(point["numeric"][0]) == {
        "method", "h", "value", "abs_error", "rel_error", "error_estimate", "note", "status", "reason"
    }


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


def test_the_star_is_explained_only_where_a_row_has_one(run):
    lost = run("diff", "0.01x^2+0.1x", "--at", "5", "-m", "forward", "--h", "1e-50").stdout
    assert "★" not in lost and "no row has a correct digit" in lost and "err: error against the exact value" in lost
    assert "★ closest to the exact value" in run("diff", "x^2", "--at", "3", "-m", "central").stdout


def test_auto_step_and_order(run):
    data = json.loads(run("diff", "x^4", "--at", "1", "--order", "2", "--h", "auto", "-m", "central", "--json").stdout)
    row = data["points"][0]["numeric"][0]
    assert data["derivative"] == "12*x**2" and 1e-5 < row["h"] < 1e-3 and row["rel_error"] < 1e-7


def test_no_derivative_prints_the_table_then_fails_with_exit_1(run):
    result = run("diff", "abs(x)", "--at", "0")
    assert result.exit_code == 1
    assert "does not exist" in result.stdout and "backward" in result.stdout
    # the corner's sentence is printed once, with the table; stderr points to it
    assert result.stdout.count("corner at x = 0") == 1 and "corner" not in result.stderr
    assert result.stderr == "error: the derivative does not exist at x = 0.0 (the output's note says why)\n"


def test_expression_with_no_variable(run):
    data = json.loads(run("diff", "5", "--at", "2", "--json").stdout)
    assert data["derivative"] == "0" and data["points"][0]["analytic"] == 0.0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["log(x)", "--at", "-1"], 1, "log(x) is not real at x = -1"),
        (["1/x", "--at", "0"], 1, "1/x is undefined at x = 0"),
        (["exp(x)", "--at", "1000"], 1, "overflows double precision"),
        (["x^2"], 2, "give the point with --at (the variables are x)"),
        (["x^2", "--at", "abc"], 2, "contains the variable abc"),
        (["x^2", "--at", ""], 2, "has an empty value"),
        (["x^2", "--at", "x="], 2, "--at 'x=' gives no value after x=; give one for each of (x)"),  # was: the
        # expression is empty
        (["x^2", "--at", "1e400"], 2, "--at gives x = 1e400, too large for float64"),
        # was: silently x = 0.0
        (["x^2", "--at", "1e-400"], 2, "closer to 0 than the smallest float64 (4.9e-324): it would be 0"),
        (["x^2", "--at", "1e-50", "--dtype", "float32"], 2, "closer to 0 than the smallest float32 (1.4e-45)"),
        (["x^2", "--at", "1", "--wrt", "y"], 2, "--wrt names 'y', which is not a variable of the expression (x)"),
        (["x*y", "--at", "1,2"], 2, "choose one with --wrt, or see them all as a gradient"),
        (["x*y", "--at", "1", "--wrt", "x"], 2, "gives 1 value but the expression has 2 variables (x, y)"),
        (["x^2", "--at", "1", "--h", "0"], 2, "--h must be a positive number"),
        (["x^2", "--at", "1", "--h", "-1e-3"], 2, "--h must be a positive number"),
        (["x^2", "--at", "1", "--h", "tiny"], 2, "--h must be a positive number or 'auto'"),
        (["x^2", "--at", "1", "--order", "9"], 2, "--order must be a whole number from 1 to 6, not 9"),
        (["x^2", "--at", "1", "--order", "two"], 2, "Invalid value for '--order'"),
        (["x^2", "--at", "1", "-m", "magic"], 2, "'magic' is not one of"),
        (["x^2", "--at", "1", "--json", "--csv"], 2, "choose one of --json and --csv"),
        (["x^2", "--at", "1", "--bogus"], 2, "No such option: --bogus"),
        (["x^2", "-z", "--at", "1"], 2, "No such option: -z; if it is an expression that starts with a minus sign"),
        (["x.__class__", "--at", "1"], 2, "attribute access"),
        (["9**9**9**9", "--at", "1"], 2, "too large to compute"),
        (["[bold]x", "--at", "1"], 2, "'[bold]x' is not a valid expression"),  # echoed as typed, not as markup
    ],
)
def test_errors_are_one_sentence_with_the_documented_exit_code(run, args, code, message):
    result = run("diff", *args)
    assert result.exit_code == code and isinstance(result.exception, SystemExit), result.output
    assert message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1


def test_debug_shows_the_traceback_of_an_error(run):
    # Without --debug a core error is one sentence on stderr and a plain exit 1.
    plain = run("diff", "1/x", "--at", "0")
    assert isinstance(plain.exception, SystemExit) and plain.stderr == "error: 1/x is undefined at x = 0\n"
    # With it, the error itself escapes with its traceback, and nothing is worded on stderr.
    debug = run("--debug", "diff", "1/x", "--at", "0")
    assert isinstance(debug.exception, MathError) and debug.stderr == ""
    shown = "".join(traceback.format_exception(*debug.exc_info))
    assert shown.startswith("Traceback (most recent call last)")
    assert shown.rstrip().endswith("MathError: 1/x is undefined at x = 0")


def test_version_and_help(run):
    from numdiff_cli import __version__

    assert run("--version").stdout.strip() == f"numdiff {__version__}"
    help_text = run("diff", "--help").stdout
    # The options the help lists, each at the start of its line ("-m, --method <...>").
    listed = set(re.findall(r"^ +(?:-\w, )?(--[\w-]+)", help_text, re.M))
    assert listed >= {"--at", "--wrt", "--order", "--method", "--h", "--sweep", "--dtype", "--precision",
                      "--json", "--csv", "--help"}


def test_richardson_and_complex_step_rows(run):
    data = json.loads(run("diff", "sin(1/x)", "--at", "0.02", "-m", "richardson", "-m", "complex-step", "--json").stdout)
    rows = {r["method"]: r for r in data["points"][0]["numeric"]}
    assert rows["richardson"]["rel_error"] < 1e-11 and rows["complex-step"]["rel_error"] < 1e-14


def test_complex_step_is_skipped_in_words_where_it_does_not_apply(run):
    data = json.loads(run("diff", "abs(x) + x", "--at", "1", "-m", "complex-step", "--json").stdout)
    row = data["points"][0]["numeric"][0]
    assert row["value"] is None and row["note"] == "skipped: Abs(x) is not complex-analytic"


def test_unreliable_rows_are_flagged(run):
    result = run("diff", "1/x", "--at", "1e-3", "-m", "forward", "-m", "complex-step")
    forward_row = next(line for line in result.stdout.splitlines() if line.strip().startswith("forward"))
    assert "⚠" in forward_row and "unreliable by its own error estimate" in result.stdout


def test_sweep_marks_the_best_step_and_explains(run):
    result = run("diff", "sin(x)", "--at", "1", "--sweep")
    assert result.exit_code == 0, result.output
    out = result.stdout
    prose = " ".join(out.split())  # the explanation wraps at the width
    for text in ("1e-50", "★", "theory h", "truncation error", "rounding error", "x + h == x"):
        assert text in prose
    data = json.loads(run("diff", "sin(x)", "--at", "1", "--sweep", "--json").stdout)
    # In each method's column the one ★ is on the row of the step with the least error.
    table = [line.split("│") for line in out.splitlines()]
    rows = {cells[1].strip(): cells[2:-1] for cells in table if len(cells) > 3}  # h: the methods' cells
    for column, (name, method) in enumerate(data["methods"].items()):
        least = data["steps"][min(range(len(data["steps"])), key=lambda i: method["abs_errors"][i])]
        assert method["best_h"] == least
        assert [h for h, cells in rows.items() if "★" in cells[column]] == [f"{least:.0e}"], name
    central = data["methods"]["central"]
    assert data["steps"][-1] == 1e-50 and central["abs_errors"][-1] == pytest.approx(0.5403023058681398)
    assert 1e-7 <= central["best_h"] <= 1e-4 and 1e-6 < central["theoretical_h"] < 1e-5


def test_float32_moves_the_best_step_and_makes_1e50_zero(run):
    data = json.loads(run("diff", "sin(x)", "--at", "1", "--sweep", "--dtype", "float32", "--json").stdout)
    assert data["methods"]["central"]["best_h"] >= 1e-3
    assert data["methods"]["central"]["abs_errors"][-1] is None
    tiny = json.loads(run("diff", "x^2", "--at", "5", "-m", "central", "--h", "1e-50", "--dtype", "float32", "--json").stdout)
    assert "h is 0 in float32" in tiny["points"][0]["numeric"][0]["note"]


def test_precision_makes_a_tiny_step_work(run):
    data = json.loads(run("diff", "sin(x)", "--at", "1", "-m", "central", "--h", "1e-50", "--precision", "120", "--json").stdout)
    row = data["points"][0]["numeric"][0]
    assert data["precision"] == 120 and row["rel_error"] < 1e-30
    plain = json.loads(run("diff", "sin(x)", "--at", "1", "-m", "central", "--h", "1e-50", "--json").stdout)
    assert plain["points"][0]["numeric"][0]["value"] == 0.0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sweep", "--at", "2"], "--sweep takes one --at point"),
        (["--sweep", "-m", "central"], "--sweep takes one --at point"),
        (["--precision", "5"], "--precision must be between 15 and 1000"),
        (["--precision", "50", "--dtype", "float32"], "choose one of --precision and --dtype"),
        (["--dtype", "float16"], "Invalid value for '--dtype'"),
    ],
)
def test_precision_options_errors(run, args, message):
    result = run("diff", "sin(x)", "--at", "1", *args)
    assert result.exit_code == 2 and message in result.stderr


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("x" * 1_000_000, "the input is 1,000,000 characters long; the limit is 10,000"),
        ("(" * 5000 + "x" + ")" * 5000, "the input is 10,001 characters long; the limit is 10,000"),
        ("(" * 100 + "x" + ")" * 100, "brackets are nested more than 64 deep"),
        ("factorial(10**9)", "factorial(1000000000) is too large to compute exactly"),
        ("9**9**9**9", "the power 9**387420489 in '9**9**9**9' is too large to compute"),  # 9**9 = 387420489
        ("__import__('os').system('echo hi')", "unexpected character \"'\" at position 12"),
        ("__import__(x)", "unknown function '__import__'"),
    ],
    ids=["megabyte", "long brackets", "deep brackets", "factorial", "power tower", "import", "dunder call"],
)
def test_hostile_expressions_are_refused_fast_with_exit_2(run, expression, reason):
    import time

    start = time.perf_counter()
    result = run("diff", expression, "--at", "1")
    assert time.perf_counter() - start < 2.0
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr.startswith(f"error: {reason}") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["factorial(x)", "--at", "-3"], "factorial(x) is undefined at x = -3"),  # gamma(x + 1) has a pole at -3
        (["exp(exp(x))", "--at", "1e300"], "exp(exp(x)) is too large to evaluate at x = 1e+300"),
        (["asin(x)", "--at", "1", "--h", "1e-50"], "the derivative 1/sqrt(1 - x**2) is undefined at x = 1"),
    ],
    ids=["pole of gamma", "overflow", "edge of the domain"],
)
def test_awkward_points_where_the_maths_fails_end_in_one_sentence(run, args, message):
    result = run("diff", *args)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.output
    assert result.stderr == f"error: {message}\n" and result.stdout == ""


_GAMMA_PRIME = -2 * math.sqrt(math.pi) * (2 - 0.5772156649015329 - 2 * math.log(2))  # Γ(-1/2) ψ(-1/2)


@pytest.mark.parametrize(
    ("args", "exact", "method", "reason", "note"),
    [
        (["gamma(x)", "--at", "-0.5", "--h", "auto"], _GAMMA_PRIME,
         "complex-step", "real_only_function", "skipped: numdiff evaluates gamma(x) for real numbers only"),
        # x - h = 1e-8 - 1e-4 < 0, where the cube root is not real.
        (["x^(1/3)", "--at", "1e-8", "--precision", "40"], 1e16 ** (1 / 3) / 3,
         "central", "undefined_within_step", "not finite: the function is undefined or overflows within a step"),
        # Doubles near 1e300 are about 1e284 apart: x + 1e-4 == x. (1e300 is an integer, where floor jumps:
        # its exact value is not asserted here; see test_compare's floor test.)
        (["floor(x)", "--at", "1e300"], None,
         "central", "x_plus_h_equals_x", "x + h == x in float64 (h = 1.0e-4 is below half the gap"),
    ],
    ids=["gamma between poles", "cube root near 0", "floor at 1e300"],
)
def test_awkward_points_end_in_words_not_tracebacks(run, args, exact, method, reason, note):
    result = run("diff", *args, "--json")
    assert result.exit_code == 0 and result.exception is None and result.stderr == "", result.output
    point = json.loads(result.stdout)["points"][0]
    if exact is not None:
        assert point["analytic"] == pytest.approx(exact, rel=1e-14)
    row = next(r for r in point["numeric"] if r["method"] == method)
    assert row["reason"] == reason and row["note"].startswith(note)


@pytest.mark.parametrize(
    ("args", "derivative"),
    [
        (["diff", "-x^2", "--at", "3"], "-2*x"),
        (["diff", "--at", "3", "-x^3", "-m", "central"], "-3*x**2"),
        (["diff", "--at", "-1", "-(x - 1)^2"], "2 - 2*x"),
    ],
)
def test_an_expression_may_start_with_a_minus_sign(run, args, derivative):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["derivative"] == derivative


def test_a_minus_expression_spelled_like_a_short_option_keeps_the_hint(run):
    result = run("diff", "-m", "--at", "1")
    assert result.exit_code == 2 and "--method" in result.stderr


def test_the_sweep_says_when_a_formula_has_no_truncation_error(run):
    # f = 0.01x² + 0.1x: f‴ = 0, so central and five-point are exact up to rounding at every h
    out = " ".join(run("diff", "0.01x^2 + 0.1x", "--at", "5", "--sweep").stdout.split())
    assert "central and five-point are best at the largest h shown" in out
    assert "best at the largest h" not in run("diff", "sin(x)", "--at", "1", "--sweep").stdout


def test_a_sixth_derivative_is_written_f_with_a_superscript_order(run):
    # it read f⁽6⁾: the order in brackets but not raised; f⁽⁶⁾ of log(x) at 2 is −120/2⁶ = −1.875
    out = run("diff", "log(x)", "--at", "2", "-n", "6", "-m", "complex-step").stdout
    assert "f⁽⁶⁾ = -120/x**6" in out and "exact f⁽⁶⁾ = -1.875" in out and "f⁽6⁾" not in out


def test_a_flagged_richardson_row_is_not_told_to_try_richardson(run):
    # sin at 1e8, third derivative: richardson's starting steps scaled to 1 and to |x| = 1e8 give
    # results 0.36 apart (those scaled to |x| span many periods), so its estimate is large; its
    # note said "try h = auto or richardson", sending it to itself
    result = run("diff", "sin(x)", "--at", "1e8", "-n", "3", "-m", "richardson", "--json")
    rows = {row["method"]: row for row in json.loads(result.stdout)["points"][0]["numeric"]}
    richardson = rows["richardson"]
    assert richardson["reason"] == "large_error_estimate" and richardson["error_estimate"] > 0.1
    assert "try h = auto or richardson" not in richardson["note"]
    assert "its extrapolations from different starting steps do not agree" in richardson["note"]
    forward = json.loads(run("diff", "log(x)", "--at", "2", "-n", "6", "-m", "forward", "--json").stdout)
    assert "try h = auto or richardson" in forward["points"][0]["numeric"][0]["note"]  # a fixed step: advice stands


def test_an_exact_value_below_the_smallest_double_has_no_relative_error(run):
    # exp(-800) ≈ 3.7e-348 is 0.0 as a double: the table showed exact 0.0, abs err 0, rel err 1.0 and
    # 16 digits at once; rel_error is null where the exact value is 0, as documented
    data = json.loads(run("diff", "exp(x)", "--at", "-800", "-m", "central", "--json").stdout)
    point = data["points"][0]
    (row,) = point["numeric"]
    assert point["analytic"] == 0.0 and row["value"] == 0.0
    assert row["abs_error"] == 0.0 and row["rel_error"] is None
    subnormal = json.loads(run("diff", "exp(x)", "--at", "-745", "-m", "central", "--json").stdout)["points"][0]
    assert subnormal["analytic"] == 5e-324 and subnormal["numeric"][0]["rel_error"] == 1.0  # a double: still 1


def test_a_higher_derivative_in_float32_takes_the_step_balanced_for_float32(run):
    # the default step of a second derivative was balanced for float64 (h = 2.4e-4 at x = 2), where
    # float32 rounds f(x ± h) − 2f(x) to 0: log(x)'' at 2 came out 0.0, not −1/4
    data = json.loads(run("diff", "log(x)", "--at", "2", "-n", "2", "--dtype", "float32", "-m", "central",
                          "--json").stdout)
    (row,) = data["points"][0]["numeric"]
    assert row["h"] == pytest.approx(2 * (2.0**-23) ** 0.25, rel=1e-6)  # ε^(1/(p+n))·|x|, ε = 2⁻²³
    assert data["points"][0]["analytic"] == -0.25 and row["abs_error"] < 1e-4


def test_a_row_flagged_at_h_auto_is_not_told_to_try_h_auto(run):
    # sin at 1e8, third derivative, h = auto: central's balanced step of 100 spans 16 periods of sin;
    # its note said "try h = auto or richardson", the step it had
    data = json.loads(run("diff", "sin(x)", "--at", "1e8", "-n", "3", "--h", "auto", "-m", "central", "--json").stdout)
    (row,) = data["points"][0]["numeric"]
    assert row["reason"] == "large_error_estimate" and row["abs_error"] > 0.3  # exact −cos(1e8) = 0.363...
    assert "try h = auto" not in row["note"] and row["note"].endswith("try richardson or complex-step")
