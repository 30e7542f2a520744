"""``diff --explain`` for Richardson extrapolation: the tableau as the method builds it, the entry
it answers with, and what that entry's error estimate is made of.

The tableau of the starting step the answer came from is rebuilt from the same central
differences (:func:`richardson.tableau`), so every entry is the double the method formed. The
answer is found in it by its value and step; where entries of its row are the same double
(columns that have converged), the one with the least error estimate is it, as the method chose.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from numdiff_cli import finite, richardson
from numdiff_cli.i18n import Message
from numdiff_cli.methods import STENCILS
from numdiff_cli.problem import Problem
from numdiff_cli.results.explain import RichardsonExplanation, TableauRow

SHOWN_PAST_CHOICE = 2  # tableau rows shown after the one the answer came from


def explain_tableau(problem: Problem, x: np.ndarray, direction: np.ndarray, order: int) -> RichardsonExplanation:
    """Richardson's tableau for the ``order``-th derivative of ``problem``'s function at ``x`` (shape
    (1, n)) along ``direction``, as the method builds it, up to a little past the entry it answers
    with; ``error`` is left None (the caller holds the exact value)."""
    f = problem.function()
    (estimate,) = richardson.RichardsonMethod().estimate(f, x, direction, order, np.array([np.nan]))
    s = STENCILS["central"].stencil(order)  # Richardson extrapolates the central difference
    shrink, steps = richardson.step_grid(x, direction, order)
    first, rounding = finite.combine(s, finite.evaluate(f, finite.stencil_points(s, x, direction, steps)), steps)
    answer = _answer_in_tableau(steps[0], first[0], rounding[0], shrink, estimate)
    row, column, table = answer.row, answer.column, answer.table
    shown = range(min(len(table), (row if row is not None else 0) + 1 + SHOWN_PAST_CHOICE))
    rows = tuple(
        TableauRow(i, float(steps[0, answer.start, i]), table[i][0], table[i][i],
                   None if i == 0 else abs(table[i][i] - table[i - 1][i - 1]),
                   *_in_column(table, i, column, float(rounding[0, answer.start, i])))
        for i in shown
    )
    summary = (
        Message("Richardson extrapolation (Ridders' method) starts from the central difference T[0][0] = D(h) at "
                "h = {h:g} and divides h by c = {shrink:g} from row i to row i + 1.", h=rows[0].h, shrink=shrink),
        Message("Each column combines two neighbours to cancel the next even power of h: T[i][j] = (c^(2j)·T[i][j−1] "
                "− T[i−1][j−1]) / (c^(2j) − 1); column 0 is exact for polynomials of degree {degree}, and each "
                "further column for two degrees more.", degree=order + 1),
        Message("The answer, {value!r}, is {where}. Of the {count} starting steps it tried (scaled to 1 and to |x|), "
                "this is the one it kept; it chooses its own steps, so --h does not apply.", value=estimate.value,
                where=_answer_words(answer, estimate), count=steps.shape[1]),
    )
    return RichardsonExplanation("richardson", shrink, rows[0].h, rows, row, column, estimate.value,
                                 estimate.error_estimate, None, summary, answer.distance, answer.rounding)


@dataclass(frozen=True)
class _Answer:
    """Where the method's answer stands in the tableau of one start: T[row][column] (None, None
    where no entry matches), with its distance to its two neighbours T[row][column − 1] and
    T[row − 1][column − 1] and the rounding error in the row's central difference."""

    start: int
    row: int | None
    column: int | None
    table: list[list[float]]
    distance: float | None = None
    rounding: float | None = None


def _distance(table: list[list[float]], i: int, j: int) -> float:
    """How far T[i][j] is from the two entries it was made of, T[i][j−1] and T[i−1][j−1]: the
    method's error estimate of it, before the rounding bound."""
    return max(abs(table[i][j] - table[i][j - 1]), abs(table[i][j] - table[i - 1][j - 1]))


def _in_column(
    table: list[list[float]], i: int, column: int | None, rounding: float
) -> tuple[float | None, float | None, float | None, float]:
    """Row i's entries in the columns the answer is made of, T[i][column − 1] and T[i][column] (None
    where the row is too short), the second's error estimate as the method makes it (the larger of
    its distance to its neighbours and the rounding in row i's differences), and that rounding."""
    if column is None:
        return None, None, None, rounding
    neighbour = table[i][column - 1] if i >= column - 1 else None
    if i < column:
        return neighbour, None, None, rounding
    return neighbour, table[i][column], max(_distance(table, i, column), rounding), rounding


def _answer_in_tableau(
    steps: np.ndarray, first: np.ndarray, rounding: np.ndarray, shrink: float, estimate: finite.Estimate
) -> _Answer:
    """The start, row and column of the tableau entry the method answered with (rows of ``steps``,
    ``first`` and ``rounding``, shape (c, rows), are the starts); the first start and no row where
    none matches. Entries of one row can be the same double (T[5][4] = T[5][5] once the columns
    have converged): the answer is the one with the least error estimate, as the method chose it."""
    for start in range(steps.shape[0]):
        table = richardson.tableau(first[start], shrink)
        for i, h in enumerate(steps[start]):
            if h == estimate.h and estimate.value in table[i][1:]:
                candidates = [j for j in range(1, i + 1) if table[i][j] == estimate.value]
                column = min(candidates, key=lambda j: (max(_distance(table, i, j), rounding[start, i]), j))
                return _Answer(start, i, column, table, _distance(table, i, column), float(rounding[start, i]))
    return _Answer(0, None, None, richardson.tableau(first[0], shrink))


def _answer_words(answer: _Answer, estimate: finite.Estimate) -> Message:
    """Which entry the answer is, and what its error estimate is made of, in the figures of the table."""
    row, column = answer.row, answer.column
    if row is None or column is None or answer.distance is None or answer.rounding is None:
        return Message("none of its entries is finite")
    figures = {"entry": f"T[{row}][{column}]", "left": f"T[{row}][{column - 1}]", "above": f"T[{row - 1}][{column - 1}]",
               "estimate": estimate.error_estimate, "distance": answer.distance, "rounding": answer.rounding}
    own = max(answer.distance, answer.rounding)
    if estimate.error_estimate == own and answer.distance >= answer.rounding:
        return Message("{entry}, the entry with the least error estimate: {estimate:.1e}, its distance to its "
                       "neighbours {left} and {above}, which is more than the rounding in the differences it was "
                       "built from ({rounding:.1e})", **figures)
    if estimate.error_estimate == own:
        return Message("{entry}, the entry with the least error estimate: {estimate:.1e}, the rounding in the "
                       "differences it was built from, which is more than its distance to its neighbours {left} and "
                       "{above} ({distance:.1e})", **figures)
    if estimate.error_estimate == finite.ulp_floor(estimate.value):
        return Message("{entry}, the entry with the least error estimate ({own:.1e}, the larger of its distance to its "
                       "neighbours {left} and {above} and the rounding in the differences it was built from); no "
                       "extrapolated value is trusted beyond {ulps} ulps of itself, which makes it {estimate:.1e}",
                       own=own, ulps=finite.TRUSTED_ULPS, **figures)
    return Message("{entry}, the entry with the least error estimate ({own:.1e}, the larger of its distance to its "
                   "neighbours {left} and {above} and the rounding in the differences it was built from); the best "
                   "results of the steps scaled to 1 and of those scaled to |x| are {estimate:.1e} apart, which "
                   "makes that its error estimate", own=own, **figures)
