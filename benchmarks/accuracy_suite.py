"""The accuracy suite: functions with known derivatives at ordinary and hard points.

Shared by ``benchmarks/accuracy.py`` (run by hand) and ``tests/test_accuracy.py``.
Each case is (expression as typed, point, derivative order, kind); kind is ``ordinary`` for
a smooth function at an ordinary point and ``hard`` for a pole, a domain edge, fast
oscillation, or large or small |x|.
"""

from __future__ import annotations

from typing import NamedTuple


class Case(NamedTuple):
    expression: str
    at: float
    order: int
    kind: str


ORDINARY = [
    Case("sin(x)", 0.7, 1, "ordinary"),
    Case("cos(x)", 1.3, 1, "ordinary"),
    Case("exp(x)", 2.0, 1, "ordinary"),
    Case("log(x)", 3.0, 1, "ordinary"),
    Case("sqrt(x)", 5.0, 1, "ordinary"),
    Case("atan(x)", 0.5, 1, "ordinary"),
    Case("tanh(x)", 0.3, 1, "ordinary"),
    Case("x^3 - 2x", 1.5, 1, "ordinary"),
    Case("1/(1+x^2)", 0.8, 1, "ordinary"),
    Case("exp(-x^2)", 0.6, 1, "ordinary"),
    Case("sin(x)e^x", 1.0, 1, "ordinary"),
    Case("x^x", 1.5, 1, "ordinary"),
    Case("log(1+x^2)", 2.0, 1, "ordinary"),
    Case("sigmoid(x)", 0.5, 1, "ordinary"),
    Case("sinh(x)", 1.0, 1, "ordinary"),
    Case("asin(x)", 0.3, 1, "ordinary"),
    Case("cbrt(x)", 2.0, 1, "ordinary"),
    Case("x^5", 1.2, 1, "ordinary"),
    Case("cos(x)^2", 2.0, 1, "ordinary"),
    Case("0.01x^2 + 0.1x", 5.0, 1, "ordinary"),
    Case("sin(x)", 0.7, 2, "ordinary"),
    Case("exp(x)", 1.0, 2, "ordinary"),
    Case("log(x)", 2.0, 2, "ordinary"),
    Case("x^4", 1.5, 2, "ordinary"),
    Case("1/(1+x^2)", 0.5, 2, "ordinary"),
    Case("sin(x)", 1.0, 3, "ordinary"),
    Case("exp(x)", 0.5, 3, "ordinary"),
    Case("x^5", 1.1, 3, "ordinary"),
]
HARD = [
    Case("1/x", 1e-3, 1, "hard"),
    Case("sin(1/x)", 0.02, 1, "hard"),
    Case("sqrt(x)", 1e-3, 1, "hard"),
    Case("x^2", 1e8, 1, "hard"),
    Case("log(x)", 1e-6, 1, "hard"),
    Case("exp(x)", 50.0, 1, "hard"),
    Case("sin(100x)", 0.3, 1, "hard"),
    Case("x^2", 1e-8, 1, "hard"),
    Case("tan(x)", 1.57, 1, "hard"),
    Case("1/(x-1)", 1.001, 1, "hard"),
]
CASES = ORDINARY + HARD

# Sixth derivatives at ordinary points (issue 15): entire functions, and functions with a
# singularity or a pole at a distance of about 1 to 5, where a sixth difference loses most digits
# to rounding before its truncation error is small. Printed by accuracy.py apart from CASES.
SIXTH = [
    Case(expression, at, 6, "entire" if entire else "singular")
    for expression, at, entire in [
        ("sin(x)", 0.7, True), ("exp(x)", 2.0, True), ("sin(x)e^x", 1.0, True), ("cos(x)^2", 2.0, True),
        ("x^3 sin(x)", 1.1, True), ("cos(x)", 30.0, True),
        ("x^x", 1.5, False), ("exp(-x^2)", 0.6, False), ("log(x)", 2.0, False), ("log(x)", 3.0, False),
        ("tanh(x)", 0.3, False), ("sigmoid(x)", 0.5, False), ("1/(1+x^2)", 0.5, False), ("1/(1+x^2)", 0.8, False),
        ("atan(x)", 0.5, False), ("sqrt(x)", 5.0, False), ("log(1+x^2)", 2.0, False),
    ]
]
