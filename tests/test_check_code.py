"""numdiff check --code: the lecture's own code passes; each usual bug, one small file each in
tests/data/check, is named in the verdict; a file that cannot run is one sentence and exit 1."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

import numdiff_cli as nd
from numdiff_cli import code_check, code_runner, parsing, points, symbolic
from numdiff_cli.results.check import Finding, Severity, Verdict

DATA = Path(__file__).parent / "data" / "check"


def findings(result, name: str) -> dict[Finding, object]:
    (function,) = [f for f in result.functions if f.name == name]
    return {d.finding: d for d in function.diagnoses}


def test_the_lecture_code_is_right_with_its_caveats_named():
    result = nd.check(code=str(DATA / "lecture.py"))
    assert result.right and [f.name for f in result.functions] == ["numerical_diff", "numerical_gradient",
                                                                  "gradient_descent"]
    diff, grad, descent = result.functions
    assert diff.summary == "central difference, h ≈ 0.0001; 8 of 8 calls right (to 1e-06 relative error)."
    # the count is of every row shown; the two wrong ones are the caveats' inputs
    assert grad.summary == ("central difference, h ≈ 0.0001; 6 of 8 calls right (to 1e-06 relative error); wrong only "
                            "on inputs the lecture never passes.")
    assert {d.severity for f in result.functions for d in f.diagnoses} == {Severity.CAVEAT}
    # the lecture's figures, to the last digit
    assert diff.probes[0].returned == "0.1999999999990898" and grad.probes[0].returned == "[6.00000000000378, 7.999999999999119]"
    assert set(findings(result, "numerical_gradient")) == {Finding.INTEGER_TRUNCATION, Finding.BATCH_AS_FLAT_VECTOR}
    assert set(findings(result, "gradient_descent")) == {Finding.MODIFIES_INPUT, Finding.INTEGER_TRUNCATION}
    strict = nd.check(code=str(DATA / "lecture.py:numerical_gradient"), strict=True)
    assert not strict.right  # the caveats count as bugs


@pytest.mark.parametrize(
    ("file", "function", "finding", "words"),
    [
        ("forward.py", "numerical_gradient", Finding.FORWARD_DIFFERENCE, "off by exactly +h·f″/2 (h = 0.0001)"),
        ("tiny_h.py", "numerical_diff", Finding.STEP_TOO_SMALL, "x + h == x in floating point"),
        ("not_restored.py", "numerical_gradient", Finding.NOT_RESTORED, "the caller's x is [2.9999, 3.9999]"),
        ("modifies_x.py", "numerical_gradient", Finding.MODIFIES_INPUT, "the caller's x is [3.0000000000000004, 4.0]"),
        ("descent_bugs.py", "gradient_descent", Finding.STEP_COUNT, "it takes 8 steps, not step_num = 7"),
        ("descent_bugs.py", "gradient_ascent_by_mistake", Finding.ASCENT, "x ← x + lr·∇f"),
    ],
)
def test_each_bug_is_named_and_fails_the_check(file, function, finding, words):
    result = nd.check(code=f"{DATA / file}:{function}")
    found = findings(result, function)
    assert finding in found and words in found[finding].message, found
    assert found[finding].severity is Severity.BUG and not result.right


@pytest.mark.parametrize(
    ("file", "finding", "words"),
    [
        ("integer.py", Finding.INTEGER_TRUNCATION, "returns [25000.0, 35000.0], not [6.0, 8.0]"),
        ("flat_batch.py", Finding.BATCH_AS_FLAT_VECTOR, "calls f with the whole array"),
    ],
)
def test_inputs_the_lecture_never_passes_are_named_as_caveats(file, finding, words):
    result = nd.check(code=str(DATA / file))
    found = findings(result, "numerical_gradient")
    assert finding in found and words in found[finding].message and found[finding].severity is Severity.CAVEAT
    assert result.right


CAVEAT_OF = {"integer": {Finding.INTEGER_TRUNCATION}, "batch": {Finding.BATCH_AS_FLAT_VECTOR, Finding.NO_BATCH}}


@pytest.mark.parametrize("target", ["lecture.py", "forward.py", "tiny_h.py", "not_restored.py", "modifies_x.py",
                                    "integer.py", "flat_batch.py", "descent_bugs.py",
                                    "descent_bugs.py:gradient_ascent_by_mistake"])
def test_the_count_is_of_the_rows_shown_and_every_wrong_row_is_explained(target):
    for function in nd.check(code=str(DATA / target)).functions:
        right, rows = sum(p.passed for p in function.probes), len(function.probes)
        assert f" {right} of {rows} " in f" {function.summary}", function.summary
        bugs = {d.finding for d in function.diagnoses if d.severity is Severity.BUG}
        caveats = {d.finding for d in function.diagnoses if d.severity is Severity.CAVEAT}
        for probe in function.probes:
            if probe.passed:
                continue
            # a wrong row on an input the lecture never passes has its caveat, or fails as the float call does
            # (a bug's); any other wrong row is a bug's
            assert (CAVEAT_OF.get(probe.case, set()) & caveats) or bugs, (target, function.name, probe)
        only_caveats = not bugs and right < rows
        assert function.summary.endswith("wrong only on inputs the lecture never passes.") == only_caveats


def test_x_not_restored_is_one_bug_that_explains_the_wrong_call():
    # f = x0² + x0·x1 + 3x1² at (1, 2): ∂f/∂x0 = 2x0 + x1 = 4 at x, and ∂f/∂x1 = x0 + 6x1 is taken with x0 left
    # at 1 − h: 0.9999 + 12 = 12.9999, not 13
    (function,) = nd.check(code=str(DATA / "not_restored.py")).functions
    assert [d.finding for d in function.diagnoses if d.severity is Severity.BUG] == [Finding.NOT_RESTORED]
    (wrong,) = [p for p in function.probes if not p.passed and p.case not in CAVEAT_OF]
    assert wrong.call == "np.array([1.0, 2.0])"
    returned = json.loads(wrong.returned)
    assert returned == pytest.approx([4.0, 12.9999], abs=1e-9)
    (bug,) = [d for d in function.diagnoses if d.severity is Severity.BUG]
    assert f"numerical_gradient(f, np.array([1.0, 2.0])) returns {wrong.returned}, each partial exact where" in bug.message


def test_an_integer_start_that_ends_as_the_float_start_is_the_bugs_row_not_a_caveat():
    # gradient_ascent_by_mistake converts init_x to floats: from [-3, 4] it climbs exactly as from [-3.0, 4.0]
    (function,) = nd.check(code=f"{DATA / 'descent_bugs.py'}:gradient_ascent_by_mistake").functions
    assert function.summary.startswith("0 of 3 runs right")
    assert [(d.finding, d.severity) for d in function.diagnoses] == [(Finding.ASCENT, Severity.BUG)]
    floats, _, integers = function.probes
    assert integers.case == "integer" and integers.returned == floats.returned


def test_an_integer_array_is_a_caveat_even_where_the_float_call_is_wrong_too():
    # forward difference on [3, 4] as integers: 3 + h is stored as 3, so f(x + h) − f(x) = 0 and the gradient is [0, 0]
    found = findings(nd.check(code=str(DATA / "forward.py")), "numerical_gradient")
    assert "returns [0.0, 0.0], not [6.0, 8.0]: an integer array cannot hold x ± h" in \
        found[Finding.INTEGER_TRUNCATION].message
    assert Finding.BATCH_AS_FLAT_VECTOR in found and found[Finding.FORWARD_DIFFERENCE].severity is Severity.BUG


def test_a_gradient_that_takes_batches_row_by_row_has_no_batch_caveat(tmp_path):
    file = tmp_path / "rows.py"
    file.write_text((DATA / "lecture.py").read_text().replace("def numerical_gradient(f, x):", (
        "def numerical_gradient(f, x):\n"
        "    if x.ndim == 2:\n"
        "        return np.array([numerical_gradient(f, row) for row in x])\n"
        "    x = x.astype(float)\n"
    ), 1))
    result = nd.check(code=f"{file}:numerical_gradient")
    assert result.right and findings(result, "numerical_gradient") == {}


def test_the_files_code_runs_in_another_process(tmp_path):
    record = tmp_path / "pid"
    file = tmp_path / "spy.py"
    file.write_text(f"import os\nopen({str(record)!r}, 'w').write(str(os.getpid()))\n"
                    "def numerical_diff(f, x):\n    return (f(x + 1e-4) - f(x - 1e-4)) / 2e-4\n")
    assert nd.check(code=str(file)).right
    assert int(record.read_text()) != os.getpid()


def test_the_battery_functions_are_their_expressions():
    for key, function in code_runner.FUNCTIONS.items():
        f = parsing.parse_expression(key)
        variables = points.ordered_variables([f])
        compiled = symbolic.compile_function(f, variables)
        at = np.array([0.7, -1.3])[: len(variables)]
        argument = at if len(variables) > 1 else at[0]
        assert function(argument) == pytest.approx(float(compiled(*at)), rel=1e-14), key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("def numerical_gradient(f, x:\n", "bad.py has a syntax error on line 1"),
        ("raise ValueError('boom')\n", "bad.py raised ValueError: boom (line 1: raise ValueError('boom')) while being imported"),
        ("def helper(a):\n    return a\n", "bad.py defines none of numerical_diff, numerical_gradient, gradient_descent "
                                          "(it defines helper); name the function as bad.py:FUNCTION"),
    ],
)
def test_a_file_that_cannot_run_is_one_sentence_and_exit_1(run, tmp_path, text, message):
    file = tmp_path / "bad.py"
    file.write_text(text)
    done = run("check", "--code", str(file))
    assert done.exit_code == 1 and done.stdout == ""
    assert done.stderr.startswith(f"error: {message}") and done.stderr.count("\n") == 1, done.stderr


def test_no_such_function_and_no_such_file(run):
    done = run("check", "--code", f"{DATA / 'lecture.py'}:gradient")
    assert done.exit_code == 1
    assert done.stderr == "error: lecture.py has no function gradient (it defines gradient_descent, numerical_diff, " \
                          "numerical_gradient)\n"
    done = run("check", "--code", "no_such_file.py")
    assert done.exit_code == 2 and done.stderr == "error: --code names no_such_file.py, which is not a file\n"
    assert run("check", "x^2", "--claim", "2x", "--code", str(DATA / "lecture.py")).exit_code == 2


@pytest.mark.parametrize("where", ["before", "after"])
def test_an_endless_loop_is_stopped_by_the_time_limit(run, where):
    """--timeout is global, and may stand after the command as the README writes it."""
    args = ["check", "--code", str(DATA / "endless.py")]
    done = run(*(["--timeout", "2", *args] if where == "before" else [*args, "--timeout", "2"]))
    assert done.exit_code == 1
    assert done.stderr == "error: endless.py was stopped after 2 s, the time limit (an endless loop?); --timeout sets " \
                          "another\n"


def test_exit_codes_and_json(run):
    assert run("check", "--code", str(DATA / "lecture.py")).exit_code == 0
    done = run("check", "--code", str(DATA / "forward.py"), "--json")
    assert done.exit_code == 1
    data = json.loads(done.stdout)
    assert data["verdict"] == "wrong" and data["file"] == "forward.py"
    (function,) = data["functions"]
    assert function["kind"] == "numerical_gradient" and function["diagnoses"][0]["finding"] == "forward_difference"
    assert function["probes"][0]["arguments"] == "np.array([3.0, 4.0])"


def test_help_says_the_code_runs_in_a_separate_process(run):
    assert "separate Python process" in run("check", "--help").stdout


def test_the_battery_has_a_call_for_each_pattern():
    roles = {kind: {call.role for call in calls} for kind, calls in code_check.BATTERY.items()}
    assert {"quadratic", "cubic", "linear"} <= roles["numerical_diff"]
    assert {"quadratic", "cubic", "linear", "integer", "batch"} <= roles["numerical_gradient"]
    assert {"steps", "integer"} <= roles["gradient_descent"]


def test_a_large_step_is_named_only_where_its_truncation_error_fails(tmp_path):
    file = tmp_path / "large.py"
    file.write_text("def numerical_diff(f, x):\n    h = 0.1\n    return (f(x + h) - f(x - h)) / (2 * h)\n")
    found = findings(nd.check(code=str(file)), "numerical_diff")
    assert "h ≈ 0.1 is too large" in found[Finding.STEP_TOO_LARGE].message
    # x[idx] not restored fails a call too, but the step is the lecture's: no step is blamed
    assert Finding.STEP_TOO_LARGE not in findings(nd.check(code=str(DATA / "not_restored.py")), "numerical_gradient")


@pytest.mark.parametrize(
    ("body", "returned"),
    [("return None", "None"), ("return 1j", "a complex128, not real numbers"),
     ("return [1, 2, 3]", "[1.0, 2.0, 3.0] (not the shape of [6.0, 8.0])"), ("return x", "[3.0, 4.0]")],
)
def test_whatever_the_function_returns_is_judged_never_a_traceback(tmp_path, body, returned):
    file = tmp_path / "odd.py"
    file.write_text(f"def numerical_gradient(f, x):\n    {body}\n\ndef gradient_descent(f, init_x, lr, steps):\n    {body}\n")
    result = nd.check(code=str(file))
    assert not result.right and all(f.verdict is Verdict.WRONG for f in result.functions)
    wrong = findings(result, "numerical_gradient")[Finding.WRONG_VALUES]
    assert wrong.message.startswith(f"numerical_gradient(f, np.array([3.0, 4.0])) returned {returned} for f = ")


def test_zeros_are_blamed_on_h_only_where_f_was_called_at_x_alone(tmp_path):
    file = tmp_path / "zero.py"
    file.write_text("def numerical_diff(f, x):\n    return 0.0\n")
    assert set(findings(nd.check(code=str(file)), "numerical_diff")) == {Finding.WRONG_VALUES}


def test_rounding_names_the_step_the_code_took(tmp_path):
    file = tmp_path / "small.py"
    file.write_text("def numerical_diff(f, x):\n    h = 1e-13\n    return (f(x + h) - f(x - h)) / (2 * h)\n")
    found = findings(nd.check(code=str(file)), "numerical_diff")
    assert found[Finding.STEP_TOO_SMALL].message.startswith("its h ≈ 1e-13 is too small")


def test_the_working_directory_is_not_on_the_path_as_with_python_file(tmp_path, monkeypatch):
    (tmp_path / "numpy.py").write_text("raise RuntimeError('a numpy.py where numdiff is run from')\n")
    monkeypatch.chdir(tmp_path)
    assert nd.check(code=str(DATA / "lecture.py:numerical_diff")).right


def test_the_files_own_folder_is_on_the_path(tmp_path):
    (tmp_path / "helper.py").write_text("h = 1e-4\n")
    file = tmp_path / "uses_helper.py"
    file.write_text("from helper import h\n\ndef numerical_diff(f, x):\n    return (f(x + h) - f(x - h)) / (2 * h)\n")
    assert nd.check(code=str(file)).right


@pytest.mark.parametrize("timeout", ["0", "1e7"])
def test_no_time_limit_for_the_code_is_no_overflow(run, timeout):
    # --timeout 0 (no limit) or a limit beyond poll's 24 days raised OverflowError: timeout is too large
    done = run("--timeout", "0", "check", "--code", f"{DATA / 'lecture.py'}:numerical_diff", "--timeout", timeout)
    assert done.exit_code == 0, done.output
    assert "8 of 8 calls right" in done.stdout
