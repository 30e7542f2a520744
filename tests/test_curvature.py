"""The kind of critical point at a point that only approximates one: the Hessian's drift to it.

Truth in closed form: a quadratic's Hessian is constant, so its kind is the signs of its
eigenvalues wherever the gradient is small; x³, x⁴ and x³ + y² have degenerate critical points
at 0 (Hessian singular there), whatever the Hessian's sign a little way off.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from numdiff_cli.curvature import KANTOROVICH, classify_near, newton_drift
from numdiff_cli.descent import descend
from numdiff_cli.gradient import gradient
from numdiff_cli.problem import build

x, y, z = sp.symbols("x y z", real=True)


def kind_at(expr: sp.Expr, point: dict[sp.Symbol, float]) -> str | None:
    """What ``grad --hessian`` calls the point."""
    return gradient(build(expr, point), hessian=True).hessian.critical_point.kind


def expected_kind(eigenvalues: list[float]) -> str:
    if all(e > 0 for e in eigenvalues):
        return "minimum"
    if all(e < 0 for e in eigenvalues):
        return "maximum"
    return "saddle point"


magnitudes = st.floats(-3, 3).map(lambda k: 10.0**k)  # |λ| from 1e-3 to 1e3
signs = st.sampled_from([-1.0, 1.0])
# Centres with a few decimals: the point's exact values are its decimals, and its double is within
# 1e-16·|c| of them, a gradient of λ·1e-16 that counts as zero for |λ| ≤ 1e3 (not for 1e7).
centres = st.floats(-5, 5).map(lambda c: round(c, 3))
directions = st.floats(0, 2 * math.pi)


@settings(max_examples=25, deadline=None)
@given(
    l1=magnitudes, l2=magnitudes, s1=signs, s2=signs, angle=directions, scale=st.sampled_from([1.0, 1e-12]),
    p=centres, q=centres, turn=directions, cubic=st.floats(-10, 10),
)
def test_a_quadratic_near_its_critical_point_keeps_the_kind_its_eigenvalues_give(
    l1, l2, s1, s2, angle, scale, p, q, turn, cubic
):
    # f = ½ dᵀ A d, d = (x, y) − (p, q), A = R diag(λ1, λ2) Rᵀ, plus a cubic that is flat to second
    # order at (p, q) where f is not tiny-scaled: (p, q) stays a critical point with Hessian A.
    eigenvalues = [scale * s1 * l1, scale * s2 * l2]
    c, s = math.cos(angle), math.sin(angle)
    rotation = np.array([[c, -s], [s, c]])
    a = rotation @ np.diag(eigenvalues) @ rotation.T
    exact = sp.Rational  # exact coefficients: sympy expands f, and float ones would cancel to 1e-9, not 0
    dx, dy = x - exact(str(p)), y - exact(str(q))
    expr = (exact(a[0, 0]) * dx**2 + 2 * exact(a[0, 1]) * dx * dy + exact(a[1, 1]) * dy**2) / 2
    if scale == 1.0:
        expr += exact(cubic) * (dx**3 + dy**3)
    # A point off by 1e-10 / λmax (at most 1e-10): the gradient there is zero by the test's tolerance.
    off = 1e-10 / max(1.0, *map(abs, eigenvalues))
    assert kind_at(expr, {x: p + off * math.cos(turn), y: q + off * math.sin(turn)}) == expected_kind(eigenvalues)


@settings(max_examples=25, deadline=None)
@given(
    a=st.floats(0.1, 10).flatmap(lambda v: signs.map(lambda s: s * v)),
    b=st.floats(0.1, 10).flatmap(lambda v: signs.map(lambda s: s * v)),
    p=centres, q=centres, dx=st.floats(1e-9, 1e-6).flatmap(lambda v: signs.map(lambda s: s * v)),
    dy=st.floats(-1e-11, 1e-11), power=st.sampled_from([3, 4, 5]),
)
def test_x_cubed_or_quartic_near_0_is_degenerate_never_a_maximum_or_minimum(a, b, p, q, dx, dy, power):
    # a·(x − p)ⁿ + b·(y − q)², n ≥ 3: the critical point (p, q) is degenerate (f_xx = 0 there),
    # though a little way off f_xx = a·n(n−1)·dxⁿ⁻² has a sign.
    expr = a * (x - p) ** power + b * (y - q) ** 2
    assert kind_at(a * (x - p) ** power, {x: p + dx}) == "degenerate"
    assert kind_at(expr, {x: p + dx, y: q + dy}) == "degenerate"
    # whatever x's direction does, the other two curving opposite ways make a saddle
    assert kind_at(expr - abs(b) * (z - 1) ** 2 * math.copysign(1, b), {x: p + dx, y: q + dy, z: 1.0}) == "saddle point"


@settings(max_examples=50, deadline=None)
@given(
    curvature=st.floats(1e-3, 1e3).flatmap(lambda v: signs.map(lambda s: s * v)),
    cubic=st.floats(1e-3, 1e3).flatmap(lambda v: signs.map(lambda s: s * v)),
    fraction=st.floats(1e-9, 1.0),
    side=signs,
)
def test_a_nondegenerate_critical_point_with_a_cubic_term_keeps_its_kind(curvature, cubic, fraction, side):
    # ½λx² + c·x³ has a critical point at 0 with f″ = λ; at ε with |ε| ≤ |λ|/(100|c|) the
    # Hessian λ + 6cε is off by at most 6 % of λ, and Newton's step changes it by about as much:
    # 4× that is still below |λ|, so the kind is told, far from the tolerance of the gradient.
    eps = side * fraction * abs(curvature) / abs(cubic) / 100
    verdict = classify_near(
        np.array([eps]), np.array([curvature * eps + 3 * cubic * eps**2]), np.array([[curvature + 6 * cubic * eps]]),
        lambda p: np.array([[curvature + 6 * cubic * p[0]]]), reached=True,
    )
    assert verdict.kind == ("minimum" if curvature > 0 else "maximum")


@settings(max_examples=25, deadline=None)
@given(at=st.floats(1e-12, 1e3).flatmap(lambda v: signs.map(lambda s: s * v)))
def test_the_margin_is_sharp_for_x_cubed(at):
    # x³: ∇f = 3x², H = 6x, Newton's step -x/2 halves x, so the Hessian changes by 3x = |H|/2:
    # x³ sits exactly at Kantorovich's bound ‖H⁻¹‖·L·step = 1/2, whatever x.
    drift = newton_drift(np.array([at]), np.array([3 * at**2]), np.array([[6 * at]]), lambda p: np.array([[6 * p[0]]]))
    assert drift.step == pytest.approx(abs(at) / 2, rel=1e-12)
    assert drift.change == pytest.approx(3 * abs(at), rel=1e-12)
    assert drift.margin == pytest.approx(KANTOROVICH * 3 * abs(at), rel=1e-12)


def test_a_point_rounding_away_from_a_degenerate_one_is_not_called_a_minimum():
    # (x − 1)³ at the double after 1: the Newton step is below the point's rounding, so it moves one ulp.
    assert kind_at((x - 1) ** 3, {x: 1 + 2.0**-52}) == "degenerate"


def test_a_hessian_that_cannot_be_evaluated_a_newton_step_away_cannot_tell():
    def undefined(point: np.ndarray) -> np.ndarray:
        return np.full((1, 1), math.nan)

    verdict = classify_near(np.array([1e-7]), np.array([3e-14]), np.array([[6e-7]]), undefined)
    assert verdict.kind is None and "cannot tell" in verdict.verdict


def test_descend_x_cubed_from_0_is_not_a_local_maximum():
    # The central difference of x³ is 3x² + h²: the run drifts to x ≈ -1e-7, where f″ = 6x < 0,
    # but the critical point it approximates, 0, is an inflection.
    run = descend(build("x^3", 0))
    assert run.status == "converged" and run.final_x[0] < 0
    assert run.critical_point.kind == "degenerate"
    assert "maximum" not in run.message.split("cannot tell")[0]
    assert f"λ = {6 * run.final_x[0]:.3g}" in run.message


def test_descend_x_to_the_fourth_stopped_by_its_tolerance_is_degenerate():
    run = descend(build("x^4", 0.5), tol=1e-3, steps=1000)
    assert run.status == "converged" and run.final_x[0] > 0
    assert run.critical_point.kind == "degenerate"


@pytest.mark.parametrize(
    ("text", "start", "kind"),
    [("x^2", 1, "minimum"), ("x^2 + y^2", (-3, 4), "minimum"), ("-x^2", 1, "maximum"), ("x^2 - y^2", (1, 0), "saddle point")],
)
def test_descent_to_a_nondegenerate_critical_point_keeps_its_kind(text, start, kind):
    run = descend(build(text, start), ascent=kind == "maximum")
    assert run.status == "converged" and run.critical_point.kind == kind
