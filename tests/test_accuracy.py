"""Accuracy over the benchmark suite: honest error estimates, hard points, the 1e-14 target."""

from __future__ import annotations

import importlib.util
import math
import statistics
from pathlib import Path

import pytest

from numdiff_cli import api
from numdiff_cli.accuracy import reliability
from numdiff_cli.finite import Estimate
from numdiff_cli.methods import METHODS

_spec = importlib.util.spec_from_file_location("accuracy_suite", Path(__file__).parent.parent / "benchmarks" / "accuracy_suite.py")
suite = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(suite)


def rows(case, h):
    result = api.diff(case.expression, case.at, order=case.order, h=h)
    return result.points[0].numeric


@pytest.mark.parametrize("h", [None, "auto"])
@pytest.mark.parametrize("case", suite.CASES, ids=lambda c: f"{c.expression}@{c.at:g}^{c.order}")
def test_error_estimate_never_understates_the_true_error_tenfold(case, h):
    for row in rows(case, h):
        if row.value is None:
            assert row.note  # skipped or not finite, said in words
            continue
        assert row.error_estimate is not None
        assert row.error_estimate * 10 >= row.abs_error, (row.method, row.abs_error, row.error_estimate)


@pytest.mark.parametrize("case", suite.HARD, ids=lambda c: f"{c.expression}@{c.at:g}")
def test_hard_points_have_no_nan_and_no_silent_wrong_value(case):
    by_method = {row.method: row for row in rows(case, None)}
    assert by_method["richardson"].rel_error < 1e-10
    for row in by_method.values():
        # A value is a finite number or absent, and an absent one says why.
        assert (row.value is None and row.note) or math.isfinite(row.value), row.method
        # A value that is off by more than 0.1% carries a warning in words.
        if row.value is not None and row.rel_error > 1e-3:
            assert row.note and "unreliable" in row.note, row.method


def test_best_method_reaches_1e_14_median_on_smooth_functions():
    errors = [rows(case, "auto") for case in suite.ORDINARY]
    medians = {
        name: statistics.median(next(r.rel_error for r in case_rows if r.method == name) for case_rows in errors)
        for name in ("richardson",)
    }
    assert medians["richardson"] <= 1e-14
    assert len(suite.CASES) >= 30 and set(METHODS) >= {"richardson", "complex-step"}


def _advice(note: str) -> str:
    """What a warning tells the user to try: the words after its last semicolon."""
    return note.rsplit(";", 1)[1]


@pytest.mark.parametrize("h", [None, "auto"])
def test_unreliable_richardson_is_not_advised_to_try_richardson(h):
    # d/dx 1/x = -1/x² = -1e18 at 1e-9: the pole at 0 lies within every method's reach there.
    result = api.diff("1/x", 1e-9, methods=["richardson", "central"], h=h)
    rows = {row.method: row for row in result.points[0].numeric}
    assert float(result.points[0].analytic) == pytest.approx(-1e18, rel=1e-15)
    for method, row in rows.items():
        assert row.reason == "large_error_estimate", method
        assert method not in _advice(row.note), row.note
    assert "complex-step" in _advice(rows["richardson"].note)
    # A fixed step is advised the balanced one only where it did not take it already.
    assert ("h = auto" in _advice(rows["central"].note)) is (h is None)


@pytest.mark.parametrize("method", ["forward", "central", "five-point", "richardson", "complex-step"])
def test_each_method_is_advised_something_other_than_itself(method):
    status, reason, note = reliability(Estimate(value=1.0, h=1e-4, error_estimate=0.5), method)
    assert (status, reason) == ("unreliable", "large_error_estimate")
    advice = _advice(note)
    assert "try" in advice and method not in advice


def test_a_float32_row_is_not_advised_richardson_which_does_not_run_in_float32():
    # x² at 1e-40 in float32, h = 1e-4: forward's truncation h·f″/2 = 1e-4 dwarfs f′ = 2e-40
    rows = {r.method: r for r in api.diff("x^2", 1e-40, methods=["forward", "richardson"], dtype="float32").points[0].numeric}
    assert rows["richardson"].status == "skipped"
    assert rows["forward"].reason == "large_error_estimate"
    assert "--dtype float64" in _advice(rows["forward"].note) and "try richardson" not in rows["forward"].note
