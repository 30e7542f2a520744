"""Machine-readable outcomes: the codes that stand beside every sentence a result carries.

A program reads these (JSON writes their values) and never has to parse prose. Codes are
only ever added, never renamed: the README lists them.
"""

from __future__ import annotations

from enum import StrEnum


class RowStatus(StrEnum):
    """How far one numeric value can be trusted."""

    OK = "ok"  # a value whose own error estimate is small
    UNRELIABLE = "unreliable"  # a value, but its own error estimate (or the maths) says not to trust it
    SKIPPED = "skipped"  # the method does not apply here; no value
    NOT_FINITE = "not_finite"  # the method was tried and gave no finite value


class Reason(StrEnum):
    """Why a row is not ``ok``, or why a point has no exact derivative."""

    LARGE_ERROR_ESTIMATE = "large_error_estimate"  # the method's own estimate exceeds 0.1 % of the value
    CONTRADICTED = "contradicted"  # a fixed step disagrees with richardson or the complex step beyond both estimates
    NO_ERROR_ESTIMATE = "no_error_estimate"  # the method could not estimate its own error
    X_PLUS_H_EQUALS_X = "x_plus_h_equals_x"  # the step vanished in floating point: (x + h) - x == 0
    SAME_VALUES = "same_values"  # x moved, but f did not: every value of the stencil is the same double
    STEP_UNDERFLOWS = "step_underflows"  # h itself is 0 in the chosen dtype
    UNDEFINED_WITHIN_STEP = "undefined_within_step"  # f is undefined or overflows within a step of x
    NO_DERIVATIVE = "no_derivative"  # a corner or a jump: the exact derivative does not exist
    NOT_COMPLEX_ANALYTIC = "not_complex_analytic"  # abs, floor, max…: the complex step cannot pass
    REAL_ONLY_FUNCTION = "real_only_function"  # erf, gamma…: evaluated for real numbers only
    FIRST_DERIVATIVE_ONLY = "first_derivative_only"  # no longer given: the complex step reaches every order
    DOUBLE_PRECISION_ONLY = "double_precision_only"  # the method runs in float64 only


class RunStatus(StrEnum):
    """How a descent run ended."""

    CONVERGED = "converged"  # the gradient is zero (or below tol) at the end
    MAX_STEPS = "max_steps"  # still on the way when the steps ran out
    DIVERGED = "diverged"  # the learning rate is too large: f got worse, or the iterates flew apart
    STALLED = "stalled"  # x barely moved: the learning rate is too small, or x + h == x
    OSCILLATING = "oscillating"  # bouncing between two sides without getting closer
    UNBOUNDED = "unbounded"  # f keeps improving without end: no minimum (maximum) along the path


class RateRegion(StrEnum):
    """Where a learning rate lies against the curvature λmax (plain gradient descent's rule)."""

    TOO_SMALL = "too_small"  # below 1/λmax: no direction overshoots; slow where λ is small
    RIGHT = "right"  # from 1/λmax to below 2/λmax: converges, the best fixed rate 2/(λmin+λmax) is here
    TOO_LARGE = "too_large"  # 2/λmax or above: the most curved direction bounces or diverges
