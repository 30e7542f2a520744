"""The numerical Hessian: second partials by every method, each entry with its error estimate.

A pure partial ∂²f/∂xᵢ² is the method's 1-D second-derivative stencil along xᵢ. A mixed
partial ∂²f/∂xᵢ∂xⱼ applies the method's 1-D first-derivative stencil along xⱼ, then along xᵢ
(the tensor product of the two stencils), so its truncation error shrinks like the first
derivative's, h**p, and its rounding error grows like eps |f| / (hᵢ hⱼ). Every value of ``f``
a method needs is computed in one vectorised call.

``richardson`` extrapolates the central second and cross differences to h -> 0 with Ridders'
tableau (as numdifftools does for its Hessian): both have errors in even powers of the step
when every step shrinks by the same factor. ``complex-step`` differentiates once by the
complex step, Im f(x + i t eᵢ) / t = ∂f/∂xᵢ with no cancellation, and once by a five-point
difference along xⱼ; it assumes f is complex-analytic (the caller checks
``symbolic.complex_step_obstacle`` first, as for first derivatives), and gives nan where the
real steps leave f's real domain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numdiff_cli.errors import UsageError
from numdiff_cli.finite import (
    AUTO,
    NumericFunction,
    Stencil,
    StencilMethod,
    Step,
    check_step,
    combine,
    evaluate,
    halving_error,
    stencil_points,
)
from numdiff_cli.methods import STENCILS
from numdiff_cli.richardson import ROWS, SHRINK, START_FRACTIONS, extrapolate

# Most accurate first; the first is the default (see benchmarks/hessian_accuracy.py).
HESSIAN_METHODS = ("richardson", "complex-step", "five-point", "central", "forward", "backward")
DEFAULT_METHOD = HESSIAN_METHODS[0]
HALVINGS = 3  # fixed-step methods evaluate at h, h/2 and h/4 for their error estimate


@dataclass(frozen=True)
class HessianEstimate:
    """A numerical Hessian with a per-entry error estimate made without the exact answer.

    ``matrix`` and ``error_estimate`` have shape (n, n) and are symmetric; an entry is nan
    where a value of ``f`` it needs is not finite. ``steps`` holds the step along each
    variable for the fixed-step methods (the real step for ``complex-step``), and is None for
    ``richardson``, which chooses its steps per entry.
    """

    matrix: np.ndarray
    error_estimate: np.ndarray
    method: str
    steps: np.ndarray | None


def numeric_hessian(
    f: NumericFunction, x: np.ndarray, *, method: str = DEFAULT_METHOD, h: Step = None, dtype: type = np.float64
) -> HessianEstimate:
    """The Hessian of ``f`` at ``x`` by ``method``, with an error estimate for each entry.

    Parameters
    ----------
    f
        ``f(x0, x1, ...)``, broadcasting over arrays of coordinates.
    x
        The point, shape (n,).
    method
        One of :data:`HESSIAN_METHODS`. ``richardson`` (the default, the most accurate) picks
        its own steps and ignores ``h``.
    h
        The step of the fixed-step methods (for ``complex-step``, of its real difference): a
        positive number for every variable, or ``"auto"`` or None for the step balancing
        truncation and rounding error on each variable's scale max(1, |xᵢ|).
    dtype
        The floating-point type ``f`` is evaluated in (its complex counterpart for
        ``complex-step``).

    Raises
    ------
    UsageError
        For an unknown method, a step that is not positive, or a point that is not a finite
        vector.

    Examples
    --------
    >>> import numpy as np
    >>> H = numeric_hessian(lambda x, y: x**2 * y, np.array([1.0, 2.0]))
    >>> np.round(H.matrix, 10).tolist()
    [[4.0, 2.0], [2.0, 0.0]]
    """
    x = _validate(x, method, h)
    if method == "richardson":
        return _richardson(f, x, dtype)
    if method == "complex-step":
        return _complex_step(f, x, h, dtype)
    return _fixed_step(f, x, STENCILS[method], h, dtype)


def _validate(x: np.ndarray, method: str, h: Step) -> np.ndarray:
    if method not in HESSIAN_METHODS:
        raise UsageError("unknown Hessian method {method!r}; choose from {hessian_methods}",
                         method=method, hessian_methods=', '.join(HESSIAN_METHODS))
    check_step(h)
    point = np.asarray(x, dtype=float)
    if point.ndim != 1 or point.size == 0 or not np.all(np.isfinite(point)):
        raise UsageError("the point must be a non-empty vector of finite numbers, not {x!r}", x=x)
    return point


def _fixed_step(f: NumericFunction, x: np.ndarray, m: StencilMethod, h: Step, dtype: type) -> HessianEstimate:
    """Stencil ``m`` at h, h/2 and h/4 on every variable, all in one call of ``f``."""
    steps = m.step(2, x[:, None], h, dtype).astype(dtype)  # (n,)
    levels = (steps[:, None] / 2.0 ** np.arange(HALVINGS)).astype(dtype)  # (n, halvings)
    pure, first = m.stencil(2), m.stencil(1)
    rows, cols = np.triu_indices(len(x), 1)
    values = _evaluate_parts(
        f, [_line_points(pure, x, levels), _cross_points(first, x, levels[rows], levels[cols], rows, cols)]
    )
    diagonal, diagonal_rounding = combine(pure, values[0], levels)
    mixed, mixed_rounding = _cross(first, values[1], levels[rows], levels[cols])
    matrix = _assemble(diagonal[:, 0], mixed[:, 0], rows, cols)
    error = _assemble(
        halving_error(diagonal.T, diagonal_rounding.T, pure.accuracy),
        halving_error(mixed.T, mixed_rounding.T, first.accuracy),
        rows,
        cols,
    )
    return _result(matrix, error, m.name, steps)


def _complex_step(f: NumericFunction, x: np.ndarray, h: Step, dtype: type) -> HessianEstimate:
    """Gᵢⱼ = five-point difference along xⱼ of Im f(x + i t eᵢ) / t; the Hessian is (G + Gᵀ) / 2.

    The complex step gives ∂f/∂xᵢ to rounding, so only the real step s along xⱼ has a
    truncation error (~ s⁴ ∂⁵f/∂xᵢ∂xⱼ⁴ / 30); it is balanced against eps |∂f/∂xᵢ| / s. G and
    Gᵀ estimate the same matrix, so half their difference is part of the error estimate.
    """
    five_point = STENCILS["five-point"]
    first = five_point.stencil(1)
    steps = five_point.step(1, x[:, None], AUTO if h is None else h, dtype).astype(dtype)  # (n,)
    levels = (steps[None, :] / 2.0 ** np.arange(HALVINGS)[:, None]).astype(dtype)  # (halvings, n)
    # t ∂f/∂xᵢ must stay a normal number while t² is far below rounding: 1e-200 in float64.
    t = float(np.finfo(dtype).tiny) ** 0.65
    n = len(x)
    eye = np.eye(n)
    shifts = np.array(first.offsets, dtype)[:, None, None] * levels[None]  # (offsets, halvings, n)
    # points[o, k, i, j] = x + i t eᵢ + offset_o levels[k, j] eⱼ; i = n is the real point itself
    imaginary = np.vstack([eye, np.zeros(n)])
    points = (x + 1j * t * imaginary[:, None, :] + shifts[:, :, None, :, None] * eye[None, :, :]).astype(
        np.result_type(dtype, np.complex64)
    )
    values = evaluate(f, points)
    # Beyond f's real domain the complex extension runs on (log of a negative number has an
    # imaginary part π): a point counts only where f is real and finite there.
    real = np.isfinite(values[:, :, n]) & (values[:, :, n].imag == 0)
    # gradients[o, k, i, j] = ∂f/∂xᵢ at x + offset_o levels[k, j] eⱼ
    gradients = np.where(real[:, :, None, :], values[:, :, :n].imag / t, np.nan)
    derivative, rounding = combine(first, gradients, levels[:, None, :])  # (halvings, n, n)
    g = derivative[0]
    error = halving_error(derivative, rounding, first.accuracy)
    with np.errstate(invalid="ignore"):
        error = np.maximum.reduce([error, error.T, np.abs(g - g.T) / 2])
    return _result((g + g.T) / 2, error, "complex-step", steps)


def _richardson(f: NumericFunction, x: np.ndarray, dtype: type) -> HessianEstimate:
    """Ridders' tableau on central second and cross differences, from several starting steps.

    As for 1-D derivatives (richardson.py), half of the starting steps are fractions of 1 and
    half fractions of the size of the point along the entry's variables; each start shrinks
    by ``SHRINK`` over ``ROWS`` rows, and an entry's result is the best over all starts.
    """
    n = len(x)
    rows, cols = np.triu_indices(n, 1)
    size = np.abs(x)
    pure_steps = _tableau_steps(size, size, dtype)  # (n, starts, ROWS)
    pair_size = np.maximum(size[rows], size[cols])
    row_steps = _tableau_steps(size[rows], pair_size, dtype)
    col_steps = _tableau_steps(size[cols], pair_size, dtype)
    pure, first = STENCILS["central"].stencil(2), STENCILS["central"].stencil(1)
    values = _evaluate_parts(
        f, [_line_points(pure, x, pure_steps), _cross_points(first, x, row_steps, col_steps, rows, cols)]
    )
    second, second_rounding = combine(pure, values[0], pure_steps)
    cross, cross_rounding = _cross(first, values[1], row_steps, col_steps)
    diagonal, diagonal_error, _ = extrapolate(second, second_rounding, pure_steps)
    mixed, mixed_error, _ = extrapolate(cross, cross_rounding, row_steps)
    matrix = _assemble(diagonal, mixed, rows, cols)
    error = _assemble(diagonal_error, mixed_error, rows, cols)
    return _result(matrix, error, "richardson", None)


def _tableau_steps(own: np.ndarray, family: np.ndarray, dtype: type) -> np.ndarray:
    """Starting steps, as fractions of 1 and of ``family`` (the size of the point along an
    entry's variables), each shrinking over the rows; shape (len(own), starts, ROWS).

    A start of 0 (at x = 0) becomes nan and drops out. Each step is rounded so that the
    coordinate ``own`` moves by exactly that much: otherwise the step taken is not the step
    divided by.
    """
    fractions = np.array(START_FRACTIONS)
    of_one = np.broadcast_to(fractions, (len(own), len(fractions)))
    starts = np.concatenate([of_one, np.outer(family, fractions)], axis=1)
    steps = (np.where(starts > 0, starts, np.nan)[..., None] / SHRINK ** np.arange(ROWS)).astype(dtype)
    size = own.astype(dtype)[:, None, None]
    return (size + steps) - size


def _line_points(s: Stencil, x: np.ndarray, steps: np.ndarray) -> np.ndarray:
    """x + o hᵢ eᵢ for the offsets o of ``s`` and the steps hᵢ = ``steps[i, ...]`` of variable i.

    Shape (offsets, *steps.shape, n).
    """
    n = len(x)
    return stencil_points(s, np.tile(x, (n, 1)), np.eye(n), steps)


def _cross_points(
    s: Stencil, x: np.ndarray, row_steps: np.ndarray, col_steps: np.ndarray, rows: np.ndarray, cols: np.ndarray
) -> np.ndarray:
    """x + a hᵢ eᵢ + b hⱼ eⱼ for offsets a, b of ``s`` and each pair (i, j) = (rows[p], cols[p]).

    The steps have shape (pairs, ...); the result (offsets, offsets, *row_steps.shape, n).
    """
    n = len(x)
    along_rows = stencil_points(s, np.tile(x, (len(rows), 1)), np.eye(n)[rows], row_steps)
    along_cols = stencil_points(s, np.zeros((len(cols), n)), np.eye(n)[cols], col_steps)
    return along_rows[:, None] + along_cols[None, :]


def _cross(
    s: Stencil, values: np.ndarray, row_steps: np.ndarray, col_steps: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Stencil ``s`` along xⱼ, then along xᵢ, on ``values`` from :func:`_cross_points`.

    Returns the mixed partials and their rounding bound: the outer stencil's own, plus the
    inner stencils' bounds carried through the outer weights.
    """
    inner, inner_rounding = combine(s, np.swapaxes(values, 0, 1), col_steps)
    outer, outer_rounding = combine(s, inner, row_steps)
    with np.errstate(all="ignore"):
        carried = sum(abs(w) * r for w, r in zip(s.weights, inner_rounding)) / (s.divisor * row_steps**s.order)
    return outer, outer_rounding + carried


def _evaluate_parts(f: NumericFunction, parts: list[np.ndarray]) -> list[np.ndarray]:
    """``f`` at the points of every part (shape (..., n)) in one call, split back into parts."""
    n = parts[0].shape[-1]
    values = evaluate(f, np.concatenate([p.reshape(-1, n) for p in parts]))
    bounds = np.cumsum([p.size // n for p in parts])[:-1]
    return [v.reshape(p.shape[:-1]) for v, p in zip(np.split(values, bounds), parts)]


def _assemble(diagonal: np.ndarray, mixed: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The symmetric matrix with ``diagonal`` and, at (rows[p], cols[p]) and its mirror, ``mixed[p]``."""
    matrix = np.diag(diagonal)
    matrix[rows, cols] = mixed
    matrix[cols, rows] = mixed
    return matrix


def _result(matrix: np.ndarray, error: np.ndarray, method: str, steps: np.ndarray | None) -> HessianEstimate:
    """The estimate, with nan for the value and the error of every entry that is not finite."""
    known = np.isfinite(matrix)
    return HessianEstimate(np.where(known, matrix, np.nan), np.where(known, error, np.nan), method, steps)
