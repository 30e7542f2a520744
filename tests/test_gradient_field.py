"""The data of grad --plot: −∇f on a grid, right for functions that are not separable."""

from __future__ import annotations

import math

import numpy as np
import pytest

import numdiff_cli as nd
from numdiff_cli.errors import UsageError
from numdiff_cli.gradient_field import ARROWS, parse_box

# −∇f in closed form, written out here rather than taken from sympy
EXACT = {
    "x*y": lambda x, y: (-y, -x),
    "sin(x0*x1)": lambda x, y: (-y * np.cos(x * y), -x * np.cos(x * y)),
    "x0^2 + x1^2": lambda x, y: (-2 * x, -2 * y),
}


@pytest.mark.parametrize("expression", EXACT)
def test_every_arrow_is_minus_the_gradient_at_its_own_point(expression):
    field = nd.grad(expression, at=(1, 2), field=True, box="-3:3,-2:4").field
    x, y = np.meshgrid(field.arrow_x, field.arrow_y)
    u, v = EXACT[expression](x, y)
    scale = 1 + np.hypot(u, v)
    assert np.max(np.abs(np.array(field.arrows_numeric[0]) - u) / scale) < 1e-6
    assert np.max(np.abs(np.array(field.arrows_numeric[1]) - v) / scale) < 1e-6
    np.testing.assert_allclose(field.arrows_exact, (u, v), atol=1e-12)
    assert field.arrow_x[0] == -3 and field.arrow_x[-1] == 3 and field.arrow_y[0] == -2 and len(field.arrow_y) == ARROWS


def test_contour_values_are_f_on_the_grid_and_undefined_where_f_is():
    field = nd.grad("log(x) + y^2", at=(1, 1), field=True, box="-1:1,-1:1").field
    values = np.array(field.values)
    x, y = np.meshgrid(field.x, field.y)
    defined = x > 0
    np.testing.assert_allclose(values[defined], np.log(x[defined]) + y[defined] ** 2, rtol=1e-12)
    assert np.all(np.isnan(values[x < 0]))
    assert np.all(np.isnan(np.array(field.arrows_numeric[0])[:, 0]))  # the left edge, x = -1: no gradient


def test_with_three_variables_the_first_two_are_drawn_and_the_rest_held():
    result = nd.grad("x*y*z", at=(1, 2, 3), field=True, box="-1:1,0:2")
    field = result.field
    assert field.variables == ("x", "y") and field.held == {"z": 3.0}
    x, y = np.meshgrid(field.arrow_x, field.arrow_y)
    np.testing.assert_allclose(field.arrows_exact, (-3 * y, -3 * x), atol=1e-12)
    chosen = nd.grad("x*y*z", at=(1, 2, 3), wrt="z,x", field=True).field
    assert chosen.variables == ("z", "x") and chosen.held == {"y": 2.0}
    assert "field" in result.to_dict() and "field" not in nd.grad("x*y", at=(1, 2)).to_dict()


def test_the_default_box_is_a_square_around_the_point_that_holds_the_origin():
    assert parse_box(None, (3, 4)) == ((-2, 8), (-1, 9))  # ‖(3, 4)‖ = 5 on each side
    assert parse_box(None, (1, 2)) == ((-1.5, 3.5), (-0.5, 4.5))  # √5 rounded up to 2.5
    assert parse_box(None, (0, 0)) == ((-1, 1), (-1, 1))
    assert parse_box("-pi:pi", (0, 0)) == ((-math.pi, math.pi),) * 2
    assert parse_box("0:1,2:3", (0, 2)) == ((0, 1), (2, 3))
    assert parse_box(((0, 1), (2, 3)), (1, 3)) == ((0, 1), (2, 3))


@pytest.mark.parametrize(
    ("box", "sentence"),
    [
        ("1:0", "box needs LO < HI, finite, not 1:0"),
        ("-1:-1", "box needs LO < HI, finite, not -1:-1"),
        ("0:1,2", "box takes LO:HI for both variables or XLO:XHI,YLO:YHI"),
        ("0:1,2:3,4:5", "box takes LO:HI"),
        ("a:b", "box takes LO:HI"),
        ("5:10", r"box 5:10 leaves out the point \(1 there\), which the picture marks"),
        ("1e300:1e308", "leaves out the point"),  # f there overflows: the picture would be empty
        ("-1e308:1e308", "is too wide or too narrow for a grid of doubles"),
        ("1:1.0000000000000002", "is too wide or too narrow for a grid of doubles"),
    ],
)
def test_a_bad_box_is_one_sentence(box, sentence):
    with pytest.raises(UsageError, match=sentence):
        nd.grad("x*y", at=(1, 2), field=True, box=box)


def test_one_variable_or_several_functions_have_no_field():
    with pytest.raises(UsageError, match="field draws the gradient field of a function of two or more variables"):
        nd.grad("x^2", at=1, field=True)
    with pytest.raises(UsageError, match="field needs a single expression"):
        nd.grad("x*y, x+y", at=(1, 2), field=True)
