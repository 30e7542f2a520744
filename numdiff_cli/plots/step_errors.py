"""The picture of ``diff --sweep``: the error of each method against the step h, on log–log axes.

The measured errors make a V: truncation (C·h^p, falling with h) on the right, rounding
(ε·|f|/h^n, growing as h shrinks) on the left. The theory's two lines are drawn from the
constants the sweep result carries, the best h of each method is starred, the lecture's
h = 1e-4 is marked, and h = 1e-50 (where x + h == x), far off any sensible axis, is shown as a
labelled marker at the axis's left edge.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from numdiff_cli import lecture
from numdiff_cli.plots import textplot
from numdiff_cli.plots.libraries import pyplot
from numdiff_cli.render_diff import _operator, _prime
from numdiff_cli.results import number, where

if TYPE_CHECKING:
    from numdiff_cli.results.diff import SweepColumn, SweepResult

H_MIN, H_MAX = 1e-17, 1.0  # the h axis; a step below it (the lecture's 1e-50) is drawn at its left edge
COLOURS = {"forward": "tab:blue", "central": "tab:orange", "five-point": "tab:green"}
TERMINAL_MARKS = {"forward": "f", "central": "c", "five-point": "5"}  # told apart without colour
THEORY_GREY = "0.45"


def on_axis(result: SweepResult, column: SweepColumn) -> tuple[list[float], list[float]]:
    """The steps on the h axis with a positive error, and those errors (log axes have no 0)."""
    pairs = [
        (h, e) for h, e in zip(result.steps, column.abs_errors) if H_MIN <= h <= H_MAX and e is not None and e > 0
    ]
    return [h for h, _ in pairs], [e for _, e in pairs]


def tiny_step(result: SweepResult) -> tuple[float, tuple[float | None, ...]] | None:
    """The step below the axis (1e-50) and each column's error there, if the sweep has one."""
    below = [i for i, h in enumerate(result.steps) if h < H_MIN]
    if not below:
        return None
    i = below[0]
    return result.steps[i], tuple(column.abs_errors[i] for column in result.columns)


def tiny_step_note(result: SweepResult) -> str | None:
    """What happens at h = 1e-50, in words, for the picture's label."""
    found = tiny_step(result)
    if found is None:
        return None
    h, errors = found
    x = result.at[result.variable]
    if all(e is None for e in errors):
        return f"h = {power(h)} is 0 in {result.dtype}: every formula divides 0 by 0, no value"
    if x != 0 and all(e is not None and math.isclose(e, abs(result.analytic)) for e in errors):
        derivative = _prime(result) if result.partial else f"{_prime(result)}({result.variable})"
        v = result.variable
        return f"h = {power(h)}: {v} + h == {v}, so every formula gives 0, error |{derivative}| = {abs(result.analytic):.2g}"
    shown = ", ".join(f"{c.method} {number(e) if not e else f'{e:.1e}'}" for c, e in zip(result.columns, errors))
    if x == 0:
        return f"h = {power(h)}: at x = 0, x + h is a number of its own, so it works: error {shown}"
    return f"h = {power(h)}: error {shown}"


def power(h: float) -> str:
    """A step as people write it: 1e-4, 1e-50 (3e-5 where it is not a power of ten)."""
    mantissa, exponent = f"{h:.0e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def _superscript(n: int) -> str:
    return str(n).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _title(result: SweepResult) -> str:
    operator = _operator(result.variable, result.order, result.partial)
    return f"Error against step h: {operator} of {result.expression} at {where(result.at)} ({result.dtype})"


def figure(result: SweepResult) -> Any:
    """The matplotlib Figure: measured errors, theory lines, best h, h = 1e-4 and h = 1e-50."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 5.6), layout="constrained")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(H_MIN, H_MAX)
    measured = [e for column in result.columns for e in on_axis(result, column)[1]]
    low = max(min(measured, default=1e-16) / 30, 1e-20)
    high = min(max(max(measured, default=1.0) * 30, 1.0), 1e6)
    ax.set_ylim(low, high)
    grid = [10.0 ** (k / 4) for k in range(-68, 1)]  # h from 1e-17 to 1, four points a decade
    for column in result.columns:
        colour = COLOURS.get(column.method, "black")
        hs, errors = on_axis(result, column)
        ax.plot(hs, errors, "o-", color=colour, lw=1.8, ms=4, label=f"{column.method}, measured", gid=column.method)
        p = column.accuracy
        if column.truncation_constant:
            ax.plot(grid, [column.truncation_constant * h**p for h in grid], "--", color=colour, lw=1,
                    label=f"{column.method}, truncation {column.truncation_constant:.2g}·h{_superscript(p)}",
                    gid=f"truncation {column.method}")
        elif column.truncation_constant == 0:  # nothing to draw on log axes: the key says so
            ax.plot([], [], "--", color=colour, lw=1, label=f"{column.method}, leading truncation term 0 here")
        exact = [h for h, e in zip(result.steps, column.abs_errors) if H_MIN <= h <= H_MAX and e == 0]
        if exact:  # log axes have no 0: such steps sit on the bottom edge
            ax.plot(exact, [low] * len(exact), "v", color=colour, ms=8, clip_on=False, ls="none",
                    gid=f"exact {column.method}", label=f"{column.method}, error 0 (bottom edge)")
        best = _best(result, column)
        if best is not None:
            ax.plot(*best, marker="*", ms=15, color=colour, mec="black", ls="none", gid=f"best {column.method}",
                    label=f"{column.method}, best h = {power(best[0])}")
    rounding = f"rounding ε·|f|/h{'' if result.order == 1 else _superscript(result.order)}"
    if result.value and result.epsilon:
        scale = result.epsilon * abs(result.value)
        ax.plot(grid, [scale / h**result.order for h in grid], ":", color=THEORY_GREY, lw=1.5, gid="rounding",
                label=f"{rounding}, ε = {result.epsilon:.1e}")
    elif result.value == 0:
        ax.plot([], [], ":", color=THEORY_GREY, lw=1.5, label=f"{rounding}: 0 here, as f(x) = 0")
    ax.axvline(lecture.STEP, color=THEORY_GREY, lw=1, ls="-.", gid="lecture step")
    ax.annotate(f"lecture's h = {power(lecture.STEP)}", (lecture.STEP, high), xytext=(4, -4), textcoords="offset points",
                ha="left", va="top", fontsize=9, color="0.25")
    _mark_tiny_step(ax, result, low)
    ax.set_xlabel("step h (log scale)")
    ax.set_ylabel("absolute error |numeric − exact| (log scale)")
    ax.set_title(_title(result), fontsize=11)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8.5, frameon=False)
    return fig


def _best(result: SweepResult, column: SweepColumn) -> tuple[float, float] | None:
    """(best h, its error) where the best h is on the axis with a positive error."""
    if column.best_h is None or not H_MIN <= column.best_h <= H_MAX:
        return None
    error = column.abs_errors[result.steps.index(column.best_h)]
    return None if not error else (column.best_h, error)


def _mark_tiny_step(ax: Any, result: SweepResult, low: float) -> None:
    """h = 1e-50 as a marker on the left edge at its error (or the bottom, with no value), labelled."""
    note = tiny_step_note(result)
    found = tiny_step(result)
    if note is None or found is None:
        return
    errors = [e for e in found[1] if e]
    y = max(errors) if errors else low
    ax.plot([H_MIN], [y], marker="<", ms=11, color="crimson", clip_on=False, ls="none", gid="tiny step",
            zorder=5)
    ax.annotate(f"{note}\n(h = 1e-50 lies far left of this axis)", (H_MIN, y), xytext=(14, 10 if errors else 14),
                textcoords="offset points", fontsize=9, color="crimson", va="bottom",
                bbox={"boxstyle": "round", "fc": "white", "ec": "crimson", "alpha": 0.9})


def terminal(result: SweepResult, columns: int, *, coloured: bool) -> str:
    """The measured errors against h in text, ``columns`` wide, each method with its own mark
    (readable without colour), the best h and h = 1e-4 marked, the key and h = 1e-50 below."""
    fig = textplot.new_figure(columns)
    fig.legend(False)  # plotext's box would hide the rounding branch: the key goes below instead
    measured = [e for column in result.columns for e in on_axis(result, column)[1]] or [1e-16, 1.0]
    low, high = min(measured), max(measured)
    textplot.log_axis(fig, 0, H_MIN, H_MAX)
    textplot.log_axis(fig, 1, low, high)
    fig.draw(fig.segment(textplot.logs([lecture.STEP] * 2), textplot.logs([low, high])))
    key = []
    for column in result.columns:
        mark = TERMINAL_MARKS.get(column.method, "o")
        hs, errors = on_axis(result, column)
        fig.draw(fig.signal(textplot.logs(hs), textplot.logs(errors), marker=mark).lines())
        key.append(f"{mark} {column.method}")
        best = _best(result, column)
        if best is not None:
            fig.draw(fig.text(*textplot.logs(list(best)), "*"))
    fig.title(_title(result))
    fig.label("step h", 0)
    fig.label("abs error", 1)
    key += ["* best h", f"│ the lecture's h = {power(lecture.STEP)}"]
    note = tiny_step_note(result)
    notes = [f"off the axis: {note}"] if note else []
    return textplot.below(textplot.text(fig, coloured=coloured), ["   ".join(key), *notes], columns)
