"""Each optimizer against its update rule computed by hand for the first steps."""

from __future__ import annotations

import numpy as np
import pytest

from numdiff_cli.errors import UsageError
from numdiff_cli.optimizers import OPTIMIZERS, hyperparameters, make

G1, G2, G3 = np.array([2.0, -1.0]), np.array([1.0, 0.5]), np.array([-0.5, 3.0])


def steps(name, lr=0.1, **overrides):
    update = make(name, lr, hyperparameters(name, overrides))
    return [update(g) for g in (G1, G2, G3)]


def test_sgd():
    for got, g in zip(steps("sgd"), (G1, G2, G3)):
        np.testing.assert_array_equal(got, 0.1 * g)


def test_momentum_and_nesterov_like_pytorch():
    b1 = G1
    b2 = 0.9 * b1 + G2
    b3 = 0.9 * b2 + G3
    np.testing.assert_allclose(steps("momentum"), [0.1 * b1, 0.1 * b2, 0.1 * b3])
    np.testing.assert_allclose(
        steps("nesterov"), [0.1 * (G1 + 0.9 * b1), 0.1 * (G2 + 0.9 * b2), 0.1 * (G3 + 0.9 * b3)]
    )


def test_adagrad():
    s1 = G1**2
    s2 = s1 + G2**2
    expected = [0.1 * G1 / (np.sqrt(s1) + 1e-10), 0.1 * G2 / (np.sqrt(s2) + 1e-10)]
    np.testing.assert_allclose(steps("adagrad")[:2], expected)


def test_rmsprop():
    s1 = 0.01 * G1**2
    s2 = 0.99 * s1 + 0.01 * G2**2
    np.testing.assert_allclose(steps("rmsprop")[:2], [0.1 * G1 / (np.sqrt(s1) + 1e-8), 0.1 * G2 / (np.sqrt(s2) + 1e-8)])


def test_adam_with_bias_correction():
    m1, v1 = 0.1 * G1, 0.001 * G1**2
    m2, v2 = 0.9 * m1 + 0.1 * G2, 0.999 * v1 + 0.001 * G2**2
    first = 0.1 * (m1 / 0.1) / (np.sqrt(v1 / 0.001) + 1e-8)
    second = 0.1 * (m2 / (1 - 0.9**2)) / (np.sqrt(v2 / (1 - 0.999**2)) + 1e-8)
    np.testing.assert_allclose(steps("adam")[:2], [first, second])
    # Adam's first step has length lr in every coordinate, whatever the gradient's size.
    np.testing.assert_allclose(np.abs(first), 0.1, rtol=1e-6)


def test_overrides_and_state_is_per_run():
    np.testing.assert_allclose(steps("momentum", momentum=0.5)[1], 0.1 * (0.5 * G1 + G2))
    a, b = make("momentum", 0.1, {"momentum": 0.9}), make("momentum", 0.1, {"momentum": 0.9})
    a(G1)
    np.testing.assert_array_equal(b(G1), 0.1 * G1)


@pytest.mark.parametrize(("name", "overrides", "message"), [
    ("magic", {}, "unknown optimizer 'magic'; choose from sgd"),
    ("momentum", {"momentum": 1.0}, "^momentum must be at least 0 and below 1"),
    ("adam", {"beta2": -0.1}, "^beta2 must be at least 0 and below 1"),
    ("adam", {"eps": 0.0}, "^eps must be positive"),
])
def test_bad_settings(name, overrides, message):
    with pytest.raises(UsageError, match=message):
        hyperparameters(name, overrides)


_SYMBOLS = {"momentum": "μ", "alpha": "α", "beta1": "β₁", "beta2": "β₂", "eps": "ε"}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_has_a_rule_in_words(name):
    # A rule ends in the update of x by lr, and names exactly the hyperparameters the optimizer takes.
    spec = OPTIMIZERS[name]
    assert spec.rule.rpartition("; ")[2].startswith("x ← x − lr·")
    assert {key for key, symbol in _SYMBOLS.items() if symbol in spec.rule} == set(spec.defaults)
