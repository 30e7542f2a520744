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


NOWHERE = "no critical point lies ahead, nor anywhere"
signed = st.floats(0.2, 3).flatmap(lambda v: st.sampled_from([-v, v]))


@settings(max_examples=15, deadline=None)
@given(a=signed, b=st.floats(0.1, 10), c=st.floats(-5, 5), ascent=st.booleans())
def test_exp_plus_a_bowl_is_not_still_on_the_way_to_a_critical_point(a, b, c, ascent):
    # f = exp(a·x) + b·(y − c)²: ∂f/∂x = a·exp(a·x) never 0, so no critical point exists while y closes in on c
    # (the straight look-ahead saw a turn far out, where the squared fall in y outgrew exp). Ascent climbs −f.
    sign = -1 if ascent else 1
    lr = 0.1 / max(2 * b, a * a)  # lr·λ ≤ 0.1 at the start (0, 0) in both directions
    run = descend(build(f"{sign}*(exp({a!r}*x) + {b!r}*(y - {c!r})^2)", (0, 0)), lr=lr, ascent=ascent)
    assert run.status == "max_steps" and NOWHERE in run.message and ON_THE_WAY not in run.message, run.message
    toward = "−∞" if a > 0 else "+∞"
    assert f"x keeps moving toward {toward}" in run.message
    assert math.copysign(1, run.final_x[0]) == -math.copysign(1, a)  # x went that way


@pytest.mark.parametrize("steps", [100, 2000])
@pytest.mark.parametrize("text", ["exp(x) + y^2", "log(1 + exp(x)) + y^2"])
def test_exp_or_softplus_plus_y_squared_never_reaches_a_minimum(text, steps):
    run = descend(build(text, (0, 1)), steps=steps)
    assert run.status == "max_steps" and NOWHERE in run.message and "levels off toward its infimum" in run.message
    assert "is positive everywhere" in run.message and "will not reach a minimum" in run.message


@settings(max_examples=10, deadline=None)
@given(a=signed, b=st.floats(0.1, 10), c=st.floats(-5, 5), steps=st.sampled_from([100, 2000]))
def test_a_function_linear_in_one_variable_is_unbounded_not_on_the_way(a, b, c, steps):
    # f = a·x + b·(y − c)²: f → −∞ as a·x → −∞, a different status from exp's levelling off.
    run = descend(build(f"{a!r}*x + {b!r}*(y - {c!r})^2", (0, 0)), lr=0.1 / (2 * b), steps=steps)
    assert run.status == "unbounded" and "f is linear in x" in run.message and "not the learning rate's fault" in run.message
    assert run.final_f < run.trace[0].f


@settings(max_examples=15, deadline=None)
@given(a=st.floats(0.2, 3), c=st.floats(-5, 5), b=st.floats(0.1, 10), pace=st.floats(1e-5, 1e-3))
def test_a_slow_run_to_a_true_minimum_in_two_variables_is_still_on_the_way(a, c, b, pace):
    # f = cosh(a·(x − c)) + b·y², written with exp: its minimum is (c, 0), whose partials are 0 there: no sign proof.
    lr = pace / max(a * a * math.cosh(a * c), 2 * b)
    run = descend(build(f"exp({a!r}*(x - {c!r})) + exp(-{a!r}*(x - {c!r})) + {b!r}*y^2", (0, 1)), lr=lr)
    assert NOTHING_AHEAD not in run.message
    assert run.status in ("max_steps", "converged"), run.message


def test_a_linear_run_off_with_lr_above_the_limit_shares_the_blame():
    # f = 10x + 20y²: λ = 40 along y, lr·λ = 2.002 > 2, so y bounces ever wider (by 1.002 a step) while x runs off.
    run = descend(build("10*x + 20*y^2", (0, 1)), lr=0.05005)
    assert run.status == "unbounded" and "f is linear in x" in run.message and "diverges along it" in run.warning
    assert "the learning rate is also above 2/λmax" in run.message and "not the learning rate's fault" not in run.message
