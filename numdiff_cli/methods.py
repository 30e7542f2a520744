"""The registry of numerical methods: fixed-step stencils, Richardson and the complex step.

Every method has a ``name``, a ``summary``, ``step(order, x, h)`` and
``estimate(f, x, directions, order, h, dtype)`` returning one :class:`Estimate` per row.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from numdiff_cli.complex_step import ComplexStepMethod
from numdiff_cli.errors import UsageError
from numdiff_cli.finite import Estimate, NumericFunction, StencilMethod, Step
from numdiff_cli.richardson import RichardsonMethod


class Method(Protocol):
    name: str
    summary: str

    def step(self, order: int, x: np.ndarray, h: Step, dtype: type = np.float64) -> np.ndarray: ...

    def estimate(
        self,
        f: NumericFunction,
        x: np.ndarray,
        directions: np.ndarray,
        order: int,
        h: np.ndarray,
        dtype: type = np.float64,
    ) -> list[Estimate]: ...


def _forward(order: int) -> tuple[int, ...]:
    return tuple(range(order, -1, -1))


def _backward(order: int) -> tuple[int, ...]:
    return tuple(range(0, -order - 1, -1))


def _central(order: int, extra: int = 0) -> tuple[int, ...]:
    reach = (order + 1) // 2 + extra
    return tuple(range(reach, -reach - 1, -1))


STENCILS: dict[str, StencilMethod] = {
    m.name: m
    for m in (
        StencilMethod("forward", "(f(x+h) - f(x)) / h; error shrinks like h", _forward),
        StencilMethod("backward", "(f(x) - f(x-h)) / h; error shrinks like h", _backward),
        StencilMethod("central", "(f(x+h) - f(x-h)) / 2h; error shrinks like h^2", _central),
        StencilMethod(
            "five-point",
            "(-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h; error shrinks like h^4",
            lambda order: _central(order, extra=1),
        ),
    )
}
METHODS: dict[str, Method] = {**STENCILS, "richardson": RichardsonMethod(), "complex-step": ComplexStepMethod()}
FIXED_STEP = tuple(STENCILS)


def method(name: str) -> Method:
    """The registered method called ``name``.

    Raises
    ------
    UsageError
        Listing the known methods, if there is none of that name.
    """
    if name not in METHODS:
        raise UsageError("unknown method {name!r}; choose from {methods}", name=name, methods=', '.join(METHODS))
    return METHODS[name]
