"""Gradient-based optimizers with the update rules of the common deep-learning frameworks.

Each optimizer is made fresh for a run by :func:`make` and then called once per step with
the gradient; it returns the step to subtract from x (descent). The rules and default
hyperparameters follow PyTorch's ``torch.optim`` (SGD with and without momentum and
Nesterov, Adagrad, RMSprop, Adam), so a trace here matches a trace there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from numdiff_cli.errors import UsageError

Step = Callable[[np.ndarray], np.ndarray]  # gradient -> the step to subtract from x


@dataclass(frozen=True)
class OptimizerSpec:
    """A named update rule and its default hyperparameters."""

    name: str
    rule: str  # the update rule in words, shown in help and results
    defaults: Mapping[str, float]
    factory: Callable[..., Step]


def _sgd(lr: float) -> Step:
    # x <- x - lr * g
    return lambda g: lr * g


def _momentum(lr: float, momentum: float, nesterov: bool = False) -> Step:
    # PyTorch: b <- momentum * b + g (b = g on the first step); x <- x - lr * b,
    # and with Nesterov x <- x - lr * (g + momentum * b).
    buffer: np.ndarray | None = None

    def step(g: np.ndarray) -> np.ndarray:
        nonlocal buffer
        buffer = g.copy() if buffer is None else momentum * buffer + g
        return lr * (g + momentum * buffer if nesterov else buffer)

    return step


def _nesterov(lr: float, momentum: float) -> Step:
    return _momentum(lr, momentum, nesterov=True)


def _adagrad(lr: float, eps: float) -> Step:
    # s <- s + g^2; x <- x - lr * g / (sqrt(s) + eps)
    total: np.ndarray | float = 0.0

    def step(g: np.ndarray) -> np.ndarray:
        nonlocal total
        total = total + g * g
        return lr * g / (np.sqrt(total) + eps)

    return step


def _rmsprop(lr: float, alpha: float, eps: float) -> Step:
    # s <- alpha * s + (1 - alpha) * g^2; x <- x - lr * g / (sqrt(s) + eps)
    average: np.ndarray | float = 0.0

    def step(g: np.ndarray) -> np.ndarray:
        nonlocal average
        average = alpha * average + (1 - alpha) * g * g
        return lr * g / (np.sqrt(average) + eps)

    return step


def _adam(lr: float, beta1: float, beta2: float, eps: float) -> Step:
    # m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2; with bias corrections
    # m^ = m / (1 - b1^t), v^ = v / (1 - b2^t):  x <- x - lr * m^ / (sqrt(v^) + eps)
    m: np.ndarray | float = 0.0
    v: np.ndarray | float = 0.0
    t = 0

    def step(g: np.ndarray) -> np.ndarray:
        nonlocal m, v, t
        t += 1
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        return (lr / (1 - beta1**t)) * m / (np.sqrt(v) / np.sqrt(1 - beta2**t) + eps)

    return step


OPTIMIZERS: dict[str, OptimizerSpec] = {
    spec.name: spec
    for spec in (
        OptimizerSpec("sgd", "x ← x − lr·g", {}, _sgd),
        OptimizerSpec("momentum", "b ← μ·b + g; x ← x − lr·b", {"momentum": 0.9}, _momentum),
        OptimizerSpec("nesterov", "b ← μ·b + g; x ← x − lr·(g + μ·b)", {"momentum": 0.9}, _nesterov),
        OptimizerSpec("adagrad", "s ← s + g²; x ← x − lr·g/(√s + ε)", {"eps": 1e-10}, _adagrad),
        OptimizerSpec("rmsprop", "s ← α·s + (1−α)·g²; x ← x − lr·g/(√s + ε)", {"alpha": 0.99, "eps": 1e-8}, _rmsprop),
        OptimizerSpec(
            "adam",
            "m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; x ← x − lr·m̂/(√v̂ + ε)",
            {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8},
            _adam,
        ),
    )
}


def hyperparameters(name: str, overrides: Mapping[str, float | None]) -> Mapping[str, float]:
    """The hyperparameters ``name`` uses: its defaults, with the given values in their place.

    Values for hyperparameters the optimizer does not have are ignored; None means default.

    Raises
    ------
    UsageError
        For an unknown optimizer or a value out of range (momentum, alpha and betas in
        [0, 1), eps > 0).
    """
    spec = spec_of(name)
    chosen = {key: overrides.get(key) if overrides.get(key) is not None else value for key, value in spec.defaults.items()}
    for key, value in chosen.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError("{parameter} must be a number, not {value!r}", parameter=key, value=value)
        if key == "eps" and not value > 0:
            raise UsageError("{eps} must be positive, not {value:g}", parameter="eps", value=value)
        if key != "eps" and not 0 <= value < 1:
            raise UsageError(
                "{parameter} must be at least 0 and below 1, not {value:g}", parameter=key, value=value
            )
    return MappingProxyType(chosen)


def make(name: str, lr: float, params: Mapping[str, float]) -> Step:
    """A fresh optimizer (its own state) for one run."""
    return spec_of(name).factory(lr, **params)


def spec_of(name: str) -> OptimizerSpec:
    """The optimizer called ``name``.

    Raises
    ------
    UsageError
        Listing the optimizers, if there is none of that name.
    """
    if name not in OPTIMIZERS:
        raise UsageError("unknown optimizer {name!r}; choose from {optimizers}",
                         name=name, optimizers=', '.join(OPTIMIZERS))
    return OPTIMIZERS[name]
