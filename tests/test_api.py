"""numdiff as a Python library: the same results, codes, errors and tables as the command line."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console

import numdiff_cli as nd
from numdiff_cli.errors import UsageError


def _table(result: object) -> str:
    """What a rich console (a notebook's, say) shows for ``result``."""
    console = Console(file=io.StringIO(), record=True, width=160, no_color=True, highlight=False, emoji=False)
    console.print(result)
    return console.export_text()


@pytest.mark.parametrize(
    ("cli", "call"),
    [
        (["diff", "sin(x)", "--at", "1", "--at", "pi/4"], lambda: nd.diff("sin(x)", at=[1, "pi/4"])),
        (["diff", "x^3", "--at", "2", "--sweep"], lambda: nd.sweep("x^3", at=2)),
        (["grad", "x0^2+x1^2", "--at", "3,4", "--hessian"], lambda: nd.grad("x0^2+x1^2", at=(3, 4), hessian=True)),
        (["grad", "x*y, x+y", "--at", "1,2"], lambda: nd.grad("x*y, x+y", at={"x": 1, "y": 2})),
        (["descend", "--lr", "0.1"], lambda: nd.descend(lr=0.1)),
        (["descend", "--lr", "0.1,10"], lambda: nd.descend(lr=[0.1, 10])),
    ],
)
def test_a_result_displays_as_the_table_the_cli_prints(run, cli, call):
    table = _table(call())
    # piped, the command line drops the spaces that pad each line to the width; nothing else differs
    assert [line.rstrip(" ") for line in table.splitlines()] == run(*cli).stdout.splitlines()
    # The same table, not the same emptiness: each shows the function it is about.
    assert any(name in table for name in ("sin(x)", "x**3", "x0**2 + x1**2", "x*y"))


def test_a_result_is_the_json_the_cli_prints(run):
    result = nd.grad("x0^2 + x1^2", at="x1=4, x0=3")
    assert result.to_dict() == json.loads(run("grad", "x0^2+x1^2", "--at", "3,4", "--json").stdout)


def test_the_lecture_runs_from_python_with_its_defaults():
    run = nd.descend()
    assert run.expression == "x0**2 + x1**2" and run.start == (-3.0, 4.0) and run.steps == 100
    assert run.status is nd.RunStatus.CONVERGED and run.to_dict()["status"] == "converged"


def test_jupyter_gets_the_table_as_text_and_html():
    bundle = nd.diff("x^2", at=3, methods="central")._repr_mimebundle_()
    assert "exact f′ = 6.0" in bundle["text/plain"] and "<pre" in bundle["text/html"]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nd.descend("x^2 + y^2", start=1), r"^start '1' gives 1 value but the expression has 2 variables"),
        (lambda: nd.descend("x^2 + y^2"), r"^give the point with start \(the variables are x, y\)"),
        (lambda: nd.descend(lr=0), r"^lr must be a positive number"),
        (lambda: nd.descend(momentum=0.5, betta=0.1), r"^no optimizer has the hyperparameter betta"),
        (lambda: nd.diff("x^2", at=float("nan")), r"^at takes finite numbers, not nan"),
        (lambda: nd.diff("x*y", at=(1, 2)), r"choose one with wrt"),
        (lambda: nd.grad("x*y", at=(1, 2), wrt="z"), r"^wrt names 'z', which is not a variable"),
        (lambda: nd.grad("x, y", at=(1, 2), hessian=True), r"^hessian needs a single expression"),
    ],
)
def test_errors_name_the_python_parameter(call, message):
    with pytest.raises(UsageError, match=message):
        call()


def test_points_come_as_numbers_text_tuples_or_names():
    at = [{"x": 2, "y": 3}, "x=2,y=3", (2, 3), "2, 3", (2.0, "3")]
    values = {nd.grad("x^2*y", at=point).gradient_analytic for point in at}
    assert values == {(12.0, 4.0)}
    assert [p.at for p in nd.diff("x^2", at=[1, 2.5]).points] == [{"x": 1.0}, {"x": 2.5}]


@pytest.mark.parametrize("typed", ["(3,4)", "[3, 4]", "3 4", " ( 3 , 4 ) ", "x1=4, x0=3", "[3 4]", "(3 4)", "[3. 4.]"])
def test_points_as_the_lecture_writes_them(typed):
    assert nd.grad("x0^2 + x1^2", at=typed).at == {"x0": 3.0, "x1": 4.0}


def test_spaces_in_a_one_variable_point_are_a_product():
    assert nd.diff("x", at="2 pi").points[0].at == {"x": 2 * 3.141592653589793}


def test_a_point_typed_as_a_constant_is_echoed_as_typed(run):
    point = nd.diff("sin(x)", at="pi/4").points[0]
    assert point.typed == {"x": "π/4"} and point.at == {"x": 0.7853981633974483}
    assert nd.diff("sin(x)", at="0.5").points[0].typed == {}  # a plain number is shown as it is
    out = run("grad", "y*sin(x)", "--at", "pi/4, 2").stdout
    assert "at x = π/4 ≈ 0.7853981633974483, y = 2.0" in out


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: nd.descend(lr="0.1"), r"^lr takes a number or a list of numbers, not '0.1'"),
        (lambda: nd.descend(lr=[]), r"^lr takes a number or a list of numbers"),
        (lambda: nd.descend(optimizer=[]), r"^optimizer takes an optimizer's name or a list of them"),
        (lambda: nd.descend(steps=1.5), r"^steps must be a whole number from 1 to 10,000,000, not 1.5"),
        (lambda: nd.diff("x^2", at=[]), r"^at holds no point"),
        (lambda: nd.diff("x^2", at=1, order=1.5), r"^order must be a whole number from 1 to 6, not 1.5"),
        (lambda: nd.diff(None, at=1), r"^expression takes text, not None"),
        (lambda: nd.diff("x", at=object()), r"^at takes numbers, not <object"),
        (lambda: nd.grad("x*y", at=(1 + 2j, 1)), r"^at takes numbers, not \(1\+2j\)"),
        (lambda: nd.grad("x*y", at=(1, 2), wrt=3), r"^wrt takes variable names, not 3"),
        (lambda: nd.descend(optimizer=None), r"^optimizer takes an optimizer's name"),
        (lambda: nd.descend(h=None), r"^h must be a positive number, not None"),
        (lambda: nd.descend(tol="x"), r"^tol must be a positive number, not 'x'"),
        (lambda: nd.descend(optimizer="momentum", momentum="a"), r"^momentum must be a number, not 'a'"),
    ],
)
def test_python_values_of_the_wrong_kind_are_usage_errors(call, message):
    with pytest.raises(UsageError, match=message):
        call()


def test_a_number_is_an_expression_too():
    assert nd.diff(3, at=1).points[0].analytic == 0.0


def test_numpy_scalars_and_arrays_are_points():
    import numpy as np

    assert nd.diff("x^2", at=np.array(3.0)).points[0].at == {"x": 3.0}
    assert nd.grad("x*y", at=np.array([1.0, 2.0])).at == {"x": 1.0, "y": 2.0}
    with pytest.raises(UsageError, match="^at takes numbers, not True"):
        nd.diff("x", at=np.True_)
