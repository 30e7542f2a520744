"""A run still moving when its steps ran out: toward a critical point, or toward none.

Truth in closed form: a·exp(b·x) (a, b ≠ 0) and softplus have no critical point, their slopes
never 0; a·(x − c)²ᵏ has its minimum at c, which a slow run is still closing in on.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from numdiff_cli.descent import descend
from numdiff_cli.objective import Objective
from numdiff_cli.problem import build
from numdiff_cli.runoff import ahead

NOTHING_AHEAD = "no critical point lies ahead"
ON_THE_WAY = "still on the way to a critical point"


@pytest.mark.parametrize(("text", "start"), [("exp(x)", 0), ("log(1+exp(-x))", 0), ("exp(x)", 3), ("1/x", 3)])
def test_descend_exp_is_not_still_on_the_way_to_a_critical_point(text, start):
    run = descend(build(text, start))
    assert run.status == "max_steps" and NOTHING_AHEAD in run.message and ON_THE_WAY not in run.message
    assert "will not reach a minimum" in run.message and "levels off toward its infimum" in run.message


def test_an_ascent_with_nothing_ahead_says_so_with_its_own_words():
    run = descend(build("log(x)", 5), ascent=True)  # log has no maximum: f rises ever more slowly, without bound
    assert run.status == "max_steps" and NOTHING_AHEAD in run.message and "along ∇f" in run.message
    assert "still rising there" in run.message and "will not reach a maximum" in run.message


@pytest.mark.parametrize(
    ("text", "start", "lr"), [("x^4", 1, 0.1), ("x^2/1000", 1, 0.01), ("(x - 100)^4", 0, 1e-8), ("x^2 + 10y^2", (3, 1), 1e-3)]
)
def test_slow_convergence_to_a_true_minimum_is_still_on_the_way(text, start, lr):
    run = descend(build(text, start), lr=lr)
    assert run.status == "max_steps" and ON_THE_WAY in run.message and NOTHING_AHEAD not in run.message


nonzero = st.floats(0.1, 10).flatmap(lambda v: st.sampled_from([-v, v]))


@settings(max_examples=20, deadline=None)
@given(a=st.floats(0.1, 10), b=nonzero, start=st.floats(-3, 3), shift=st.floats(-5, 5))
def test_an_exponential_never_has_a_critical_point_ahead(a, b, start, shift):
    # f = a·exp(b·x) + shift: f′ = a·b·exp(b·x) is never 0. A learning rate with lr·f″ = 0.1 at the start,
    # where the gradient is not yet flat enough to count as zero: each step shrinks it by about 1 − 0.1.
    assume(abs(a * b * math.exp(b * start)) >= 1e-3)
    lr = 0.1 / (a * b * b * math.exp(b * start))
    run = descend(build(f"{a!r}*exp({b!r}*x) + {shift!r}", start), lr=lr)
    assert run.status == "max_steps" and NOTHING_AHEAD in run.message


@settings(max_examples=20, deadline=None)
@given(a=st.floats(0.1, 10), centre=st.floats(-50, 50), start=st.floats(-50, 50), power=st.sampled_from([2, 4, 6]),
       pace=st.floats(1e-4, 1e-2))
def test_a_slow_run_to_a_true_minimum_never_says_nothing_is_ahead(a, centre, start, power, pace):
    # f = a·(x − c)ⁿ, n even: its minimum is c; lr·f″ = pace at the start, so the run is slow.
    curvature = a * power * (power - 1) * abs(start - centre) ** (power - 2)
    if curvature == 0:
        return
    run = descend(build(f"{a!r}*(x - {centre!r})^{power}", start), lr=pace / curvature)
    assert NOTHING_AHEAD not in run.message


def test_the_look_ahead_finds_the_minimum_past_a_slow_run_and_none_past_exp():
    def look(text, at, *, ascent=False):
        objective = Objective.compile(build(text, at))
        x = np.array([float(at)])
        return ahead(objective, x, objective.exact(x)[1], step=1e-3, ascent=ascent)

    assert look("x^4", 0.1) is None and look("x^2/1000", 1) is None  # the slope turns at 0
    horizon = look("exp(x)", -2)
    assert horizon.levelled and 0 <= horizon.f < 1e-300  # exp(-2 - t) underflows: flat to doubles beyond
    assert not look("log(x)", 5, ascent=True).levelled  # log's slope 1/x is still seen at 1e300
