"""Derivatives of any order from values on a circle in the complex plane (Lyness & Moler 1967).

For f analytic on and inside the circle |z - x| = r, Cauchy's formula gives the Taylor
coefficients a_k = f⁽ᵏ⁾(x)/k!, and the trapezoidal rule on M equally spaced points
z_j = x + r ωʲ, ω = e^(2πi/M), turns it into a discrete Fourier transform:

    c_k = (1/M) Σ_j f(z_j) ω^(−jk) = a_k rᵏ + a_(k+M) r^(k+M) + ...,   f⁽ⁿ⁾(x) ≈ n! c_n / rⁿ.

Nothing is subtracted from a nearby value, so rounding is about ε·max|f| in every c_k and
ε·max|f|·n!/rⁿ in the derivative, with r a sizeable fraction of the distance to the nearest
singularity instead of a step squeezed by cancellation; the aliasing terms fall like (r/R)^M.

The error estimate reads the coefficients themselves (Fornberg 1981): for an f analytic
inside the circle the last quarter of the spectrum, c_k for k in [3M/4, M), holds Taylor terms
far beyond a_n rⁿ's aliasing, plus the rounding noise that every c_k carries; a singularity
inside the circle puts its Laurent terms exactly there (c_(M−1) ≈ residue / r), and a branch cut
crossing it a slowly decaying spectrum. Many radii are tried at once; walking outwards from the
smallest, the value of least error estimate is kept, and the walk ends at the first circle whose
value contradicts it or where f is not finite: past a singularity every circle converges to
the same wrong value (the residue's share does not depend on r), often with a small estimate.
"""

from __future__ import annotations

import math

import numpy as np

from numdiff_cli.finite import NumericFunction, evaluate, ulp_floor

POINTS = 64  # M, values on each circle; the aliasing of c_n starts at a_(n+M)
# Radii halve from 16·max(1, |x|), which suits entire functions (their best radius grows with
# n), down to 2⁻²⁰ of min(1, |x|): a singularity is often at 0, |x| away, and may be 1e-6 closer.
LARGEST = 16.0
SMALLEST = 2.0**-20
RESOLVED = 2.0**10  # no circle below this many ulps of x: in doubles, x + r ωʲ would not trace it
AGREE = 3.0  # two values further apart than this many times their error estimates contradict


def contour_derivatives(
    f: NumericFunction, x: np.ndarray, directions: np.ndarray, order: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``order``-th derivative of ``f`` at each row of ``x`` (shape (m, n)) along ``directions``.

    ``f`` must accept complex arrays and be analytic near x (callers check
    ``symbolic.complex_step_obstacle``). Returns the values, their error estimates and the radii
    they came from, each of shape (m,); nan values (and radii) where no circle gave finite values.

    Examples
    --------
    >>> value, error, radius = contour_derivatives(np.exp, np.array([[0.0]]), np.array([[1.0]]), 6)
    >>> print(f"{value[0]:.15f} at r = {radius[0]:g}, error estimate below 1e-12:", bool(error[0] < 1e-12))
    0.999999999999999 at r = 8, error estimate below 1e-12: True
    """
    radii = circle_radii(np.max(np.abs(x * directions), axis=-1))
    values, errors = on_circles(f, x, directions, order, radii)
    chosen, _ = walk(values, errors)
    rows = np.arange(len(x))
    found = chosen >= 0
    value = np.where(found, values[rows, chosen], np.nan)
    radius = np.where(found, radii[rows, chosen], np.nan)
    error = np.where(found, np.maximum(errors[rows, chosen], ulp_floor(value)), np.inf)
    return value, error, radius


def circle_radii(size: np.ndarray) -> np.ndarray:
    """Halving radii for points of size |x| (shape (m,)), ascending: shape (m, R), R the same for every row."""
    top = LARGEST * np.maximum(1.0, size)
    bottom = np.maximum(SMALLEST * np.where((size > 0) & (size < 1), size, 1.0), RESOLVED * np.finfo(float).eps * size)
    count = int(np.max(np.ceil(np.log2(top / bottom)))) + 1
    return top[:, None] * 2.0 ** -np.arange(count - 1, -1, -1)


def on_circles(
    f: NumericFunction, x: np.ndarray, directions: np.ndarray, order: int, radii: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """n! c_n / rⁿ and its error estimate for every radius of ``radii`` (shape (m, R)), in one call of ``f``.

    The estimate is n!/rⁿ times the largest of: the coefficients in the last quarter of the
    spectrum (aliasing and rounding noise, see the module's note), the imaginary part of c_n (for
    a real f it is rounding only) and ε·max|f| on the circle. It is nan where f is not finite on
    the circle; values and estimates may be inf where n!/rⁿ overflows (the smallest circles at large n).
    """
    roots = np.exp(2j * np.pi * np.arange(POINTS) / POINTS)
    along = radii[..., None] * roots  # (m, R, M): the offsets r ωʲ
    points = x[:, None, None, :].astype(complex) + along[..., None] * directions[:, None, None, :]
    samples = evaluate(f, points)
    with np.errstate(all="ignore"):
        spectrum = np.fft.fft(samples, axis=-1) / POINTS  # numpy's sign convention: Σ f_j ω^(−jk)
        scale = math.factorial(order) / radii**order
        noise = np.maximum.reduce([
            np.max(np.abs(spectrum[..., 3 * POINTS // 4:]), axis=-1),
            np.abs(spectrum[..., order].imag),
            np.finfo(float).eps * np.max(np.abs(samples), axis=-1),
        ])
        finite = np.all(np.isfinite(samples), axis=-1)
        # Where n!/rⁿ overflows, 0·∞ is no estimate (inf), not a sign that f is undefined (nan).
        return spectrum[..., order].real * scale, np.where(finite, np.nan_to_num(noise * scale, nan=np.inf), np.nan)


def walk(values: np.ndarray, errors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``values`` and ``errors`` (shape (m, R), radii ascending along axis 1): the index of
    the value of least error, and the index of the circle where the walk ended (R if none did), a
    circle where f is not finite (a nan estimate) or whose value contradicts the best before it. The chosen
    index is -1 where no circle counted."""
    m, count = values.shape
    best, error = np.full(m, np.nan), np.full(m, np.inf)
    chosen, end = np.full(m, -1), np.full(m, count)
    going = np.ones(m, bool)
    with np.errstate(all="ignore"):
        for k in range(count):
            value, estimate = values[:, k], errors[:, k]
            contradicts = np.isfinite(error) & (np.abs(value - best) > AGREE * (estimate + error))
            stops = going & (np.isnan(estimate) | contradicts)
            end = np.where(stops, k, end)
            going &= ~stops
            better = going & np.isfinite(value) & (estimate < error)
            best, error, chosen = np.where(better, value, best), np.where(better, estimate, error), np.where(better, k, chosen)
    return chosen, end
