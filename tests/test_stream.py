"""descend --json and --csv written as the run goes: the result's own JSON and CSV, well-formed
even when the run is cut short."""

from __future__ import annotations

import csv
import io
import json
import math

import numpy as np
import pytest

from numdiff_cli import api, stream
from numdiff_cli.errors import LimitError


def _cell(text: str) -> int | float | str | None:
    """A CSV cell read back as a script would: empty is None, then an int, a float or the text."""
    if text == "":
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@pytest.mark.parametrize(
    ("expression", "start", "options"),
    [
        ("x0^2 + x1^2", "-3,4", {"lr": 10.0}),  # diverges: inf and nan on the way, null in the JSON
        ("exp(x*y)", "3,4", {}),  # overflows at step 1
        ("sin(x)*y^3", "1,2", {"gradient": "analytic", "optimizer": ["sgd", "adam"]}),  # floats, then arrays
        ("3*x + y^2 - z", "1e-7,-2e16,0", {"lr": [1e-3, 1e-20]}),  # constant partials; 1e-07, 1e+16: exponents
        ("a^2 + b^2 + c^2 + d^2 + v^2", "1,-1,2,-2,0", {"ascent": True}),  # five variables: the array loop
    ],
)
def test_streamed_rows_are_what_the_results_own_json_and_csv_hold(expression, start, options, monkeypatch):
    monkeypatch.setattr("numdiff_cli.trace_batches.BATCH", 7)  # batches of 7 steps, the last of them partial
    kept = api.descend(expression, start, steps=40, every=1, **options)
    runs = getattr(kept, "runs", [kept])
    several = len(runs) > 1
    out = io.StringIO()
    writer = stream.JsonTrace(out, several)
    api.descend(expression, start, steps=40, writer=writer, **options)
    writer.close()
    written = json.loads(out.getvalue())
    assert written == ([r.to_dict() for r in runs] if several else runs[0].to_dict())
    # Each row on a line of its own, which reads back as that row.
    lines = [line.strip().rstrip(",") for line in out.getvalue().splitlines() if line.strip().startswith('{"step"')]
    parsed = [json.loads(line) for line in lines]
    assert parsed == [row.to_dict() for run in runs for row in run.trace]
    # A constant partial derivative is the float 3.0, as json writes it, not the int 3 (which == 3.0).
    assert all(isinstance(value, float) for row in parsed for value in row["grad_analytic"] if value is not None)

    out = io.StringIO()
    writer = stream.CsvTrace(out)
    api.descend(expression, start, steps=40, writer=writer, **options)
    header, *cells = list(csv.reader(io.StringIO(out.getvalue())))
    rows = [row for run in runs for row in run.to_rows()]
    assert header == list(rows[0])
    assert [[_cell(text) for text in line] for line in cells] == [list(row.values()) for row in rows]
    f = header.index("f")
    assert all(isinstance(_cell(line[f]), float) for line in cells if line[f])  # 25.0, not 25


class Stop:
    """A progress callback that stops the run as the time budget would, after some steps."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def __call__(self, steps: int) -> None:
        raise self.error


@pytest.mark.parametrize("error", [LimitError("the command ran past its 1 s budget"), KeyboardInterrupt()])
@pytest.mark.parametrize("several", [False, True])
def test_json_cut_short_is_well_formed_with_the_reason(error, several, monkeypatch, capsys):
    monkeypatch.setattr("numdiff_cli.descent.PROGRESS_EVERY", 1000)
    lrs = [0.001, 0.002] if several else [0.001]
    with pytest.raises(type(error)), stream.trace_writer(json_out=True, several=several) as writer:
        api.descend(steps=5000, lr=lrs, writer=writer, progress=Stop(error))
    data = json.loads(capsys.readouterr().out)
    run = data[0] if several else data
    assert [row["step"] for row in run["trace"]] == list(range(1001))  # every step up to the stop
    assert run["cut_short"] == ("interrupted" if isinstance(error, KeyboardInterrupt) else str(error))
    assert "status" not in run  # a run cut short has no verdict


def test_csv_cut_short_ends_with_a_whole_row(monkeypatch, capsys):
    monkeypatch.setattr("numdiff_cli.descent.PROGRESS_EVERY", 1000)
    with pytest.raises(KeyboardInterrupt), stream.trace_writer(json_out=False, several=False) as writer:
        api.descend(steps=5000, lr=0.001, writer=writer, progress=Stop(KeyboardInterrupt()))
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [int(row["step"]) for row in rows] == list(range(1001))
    assert all(row["step_length"] != "" for row in rows[1:])


@pytest.mark.parametrize("fmt", ["--json", "--csv"])
def test_a_progress_bar_on_the_terminal_leaves_redirected_output_in_its_file(fmt, tmp_path):
    """stderr on a terminal draws the bar; stdout, redirected to a file, must still get every row."""
    import os
    import pty
    import subprocess
    import sys
    from pathlib import Path

    from numdiff_cli.output import PROGRESS_FROM

    steps = PROGRESS_FROM  # just enough for the bar
    primary, secondary = pty.openpty()
    target = tmp_path / "trace"
    with target.open("w") as out:
        done = subprocess.run(
            [sys.executable, "-m", "numdiff_cli", "--timeout", "0", "descend", "--steps", str(steps), fmt],
            cwd=Path(__file__).resolve().parent.parent, stdout=out, stderr=secondary, stdin=subprocess.DEVNULL,
            env={**os.environ, "TERM": "xterm", "COLUMNS": "80"}, timeout=300,
        )
    os.close(secondary)
    os.close(primary)
    assert done.returncode == 0
    text = target.read_text()
    if fmt == "--json":
        assert len(json.loads(text)["trace"]) == steps + 1
    else:
        assert len(list(csv.DictReader(io.StringIO(text)))) == steps + 1


def test_a_rows_numpy_numbers_are_written_as_the_floats_they_are():
    """The loop hands its numbers as it has them: numpy's floats, arrays (a 0-d one too), Python's."""
    values = {
        "step": 3, "x": np.array([1.5, -0.0]), "f": np.float64(2.0), "grad": [np.float64(np.inf), np.array(3.0)],
        "grad_analytic": (1.0, 2.0), "grad_numeric": np.array([np.nan, 1e16]), "grad_norm": 2.5,
        "step_length": np.float64(1e-5),
    }
    expected = {
        "step": 3, "x": [1.5, -0.0], "f": 2.0, "grad": [None, 3.0], "grad_analytic": [1.0, 2.0],
        "grad_numeric": [None, 1e16], "grad_norm": 2.5, "step_length": 1e-5,
    }
    out = io.StringIO()
    writer = stream.JsonTrace(out, several=False)
    writer.run(0.1, "sgd", ("x", "y"))([values])
    writer.cut_short("stopped")
    row = json.loads(out.getvalue())["trace"][0]
    assert row == expected and all(type(v) is float for v in [row["f"], *row["x"], *row["grad_numeric"][1:]])
    assert math.copysign(1, row["x"][1]) == -1  # -0.0 keeps its sign

    out = io.StringIO()
    writer = stream.CsvTrace(out)
    writer.run(0.1, "sgd", ("x", "y"))([values])
    writer.cut_short("stopped")
    header, cells = csv.reader(io.StringIO(out.getvalue()))
    assert dict(zip(header, map(_cell, cells))) == {
        "lr": 0.1, "optimizer": "sgd", "step": 3, "x": 1.5, "y": -0.0, "f": 2.0, "grad_x": None, "grad_y": 3.0,
        "grad_norm": 2.5, "step_length": 1e-5,
    }


# f of 1 to 4 variables with powers (squares, cubes, fractional and negative ones), exp, log, sin and sqrt:
# where numpy's own loops round one way on an array and the C library's pow another on a float.
CORPUS = [
    ("x^3 - 2x", "0.5"),
    ("exp(-x^2) * sin(3x)", "0.3"),
    ("log(x) + sqrt(x)", "2"),
    ("x^2.5 + x^(-1.5)", "1.7"),
    ("sin(x)*y^3 + exp(x*y)", "1,2"),
    ("log(x^2 + y^2) - sqrt(x*y)", "1,2"),
    ("(x - 1)^4 + 10*(y - x^2)^2 + z^(1/3)", "0.5,0.5,0.5"),
    ("exp(a)*b^2 + log(c)*sin(d) + sqrt(a*b*c*d)^3", "1,2,3,4"),
]


@pytest.mark.parametrize(("expression", "start"), CORPUS)
@pytest.mark.parametrize("gradient", ["numeric", "analytic"])
def test_a_batchs_other_gradient_is_each_points_alone_to_the_last_bit(expression, start, gradient):
    """The gradient not driving the run, computed for a batch of points at once, is what it is at each
    point alone (a table's row), bit for bit. The central differences are the loops' own (the array
    loop's and the float loop's) bit for bit; the exact gradient is the float loop's where that is not
    finite, and within rounding where it is (a power rounds on an array as numpy has it, on a float as
    the C library's pow)."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from numdiff_cli import descent_arithmetic, optimizers, trace_batches
    from numdiff_cli.objective import Objective
    from numdiff_cli.problem import build

    objective = Objective.compile(build(expression, tuple(float(v) for v in start.split(","))))
    n, h = len(objective.variables), 1e-5
    other = "analytic" if gradient == "numeric" else "numeric"
    batch = trace_batches.others(objective, gradient, h, shown=True)
    per_array = descent_arithmetic.evaluator(objective, other, h)
    per_float = descent_arithmetic.choose(objective, other, h, "sgd", 0.1, optimizers.make("sgd", 0.1, {}), False)
    assert per_float.floats
    coordinate = st.one_of(
        st.floats(-10, 10), st.sampled_from([0.0, -0.0, 1e-300, -1e-8, 700.0, 1e200]), st.floats(allow_nan=False)
    )

    def bits(g):
        return np.asarray(g, dtype=float).tobytes()

    @settings(max_examples=60, deadline=None, derandomize=True)
    @given(st.lists(st.lists(coordinate, min_size=n, max_size=n), min_size=1, max_size=20))
    def check(points):
        with np.errstate(all="ignore"):
            together = batch(np.array(points, dtype=float))
            for x, g in zip(points, together):
                assert bits(g) == bits(batch(np.array([x]))[0]), x
                loops = [np.asarray(per_array(np.array(x))[1]), np.asarray(per_float.evaluate(list(x))[1], dtype=float)]
                for alone in loops:
                    if other == "numeric":
                        assert bits(g) == bits(alone), x
                    else:
                        assert (np.isfinite(g) == np.isfinite(alone)).all(), x
                        finite = np.isfinite(alone)
                        np.testing.assert_allclose(np.asarray(g)[finite], alone[finite], rtol=1e-13, atol=1e-300)
                        assert bits(np.asarray(g)[~finite]) == bits(alone[~finite]), x

    check()
