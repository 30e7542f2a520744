"""The picture of ``descend --lr-sweep --plot``: how far each learning rate got, on log axes,
with 1/λmax and 2/λmax marked and the regions "too small", "right" and "too large" shaded.

The y axis is the distance to the minimum where the result knows the minimum, else f at the
end (or its gap to the lowest f reached, where f is not positive). A run that ran off to
infinity has no finite value: it is drawn at the top edge with an upward triangle.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

from numdiff_cli.plots import textplot
from numdiff_cli.plots.gradient_field import key_lines
from numdiff_cli.plots.libraries import pyplot
from numdiff_cli.render_rate_sweep import REGION_WORDS

if TYPE_CHECKING:
    from numdiff_cli.results.rate_sweep import RateSweep

STATUS_COLOURS = {"converged": "tab:green", "max_steps": "tab:orange", "diverged": "tab:red", "stalled": "tab:purple",
                  "oscillating": "tab:pink", "unbounded": "darkred"}
STATUS_MARKS = {"converged": "c", "max_steps": "m", "diverged": "d", "stalled": "s", "oscillating": "o",
                "unbounded": "u"}
RUNAWAY = ("diverged", "unbounded")
HEADROOM = 1e4  # how far above the other runs a run that ran away is still drawn on the scale
REGION_COLOURS = {"too_small": "tab:blue", "right": "tab:green", "too_large": "tab:red"}


def measure(sweep: RateSweep) -> tuple[list[float | None], str]:
    """Each rate's value on the y axis, and the axis label: ‖x − x*‖, else f at the end, else its
    gap to the lowest f reached. None where that is not finite or not positive, or where a run that
    ran away went more than ``HEADROOM`` times beyond every run that did not (drawn off the scale)."""
    goal = "maximum" if sweep.ascent else "minimum"
    if sweep.minimum is not None:
        values = [row.distance for row in sweep.rows]
        text = f"distance to the {goal} ‖x − x*‖ after {sweep.steps} steps (log scale)"
    else:
        finals = [row.final_f for row in sweep.rows]
        finite = [f for f in finals if math.isfinite(f)]
        if finite and min(finite) > 0 and not sweep.ascent:
            values, text = finals, f"f after {sweep.steps} steps (log scale)"
        else:
            best = (max if sweep.ascent else min)(finite, default=0.0)
            values = [abs(f - best) for f in finals]
            text = f"|f − f_best| after {sweep.steps} steps (log scale), f_best = {best:.6g}"
    values = [v if v is not None and math.isfinite(v) and v > 0 else None for v in values]
    calm = [v for row, v in zip(sweep.rows, values) if v is not None and row.status not in RUNAWAY]
    if calm:  # a run that ran away goes off the scale rather than flattening the others
        ceiling = max(calm) * HEADROOM
        values = [None if v is not None and v > ceiling else v for v in values]
    return values, text


def limits(values: list[float]) -> tuple[float, float]:
    """The y axis: the values with room above them (a quarter of the axis) for the names of the
    regions and the marks."""
    if not values:
        return 0.1, 10.0
    bottom, top = math.log10(min(values)), math.log10(max(values))
    span = max(top - bottom, 1.0)
    return 10 ** (bottom - 0.06 * span - 0.2), 10 ** (top + 0.4 * span + 0.3)


def title(sweep: RateSweep) -> str:
    start = ", ".join(f"{v:g}" for v in sweep.start)
    return (f"{'ascent' if sweep.ascent else 'descent'} on f = {sweep.expression} from ({start}), {sweep.optimizer}, "
            f"{len(sweep.rows)} learning rates")


def figure(sweep: RateSweep) -> Any:
    """The matplotlib Figure: the rates (gid ``rates``, one gid per status), runs off the scale
    (``off scale``), the marks (``1/λmax``, ``2/λmax``) and the regions (``region <name>``)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9.5, 5.6), layout="constrained")
    ax.set_xscale("log")
    ax.set_yscale("log")
    rates = [row.lr for row in sweep.rows]
    values, label = measure(sweep)
    shown = [v for v in values if v is not None]
    low, high = limits(shown)
    ax.set_ylim(low, high)
    ax.set_xlim(rates[0] / 1.6, rates[-1] * 1.6)
    ax.plot([r for r, v in zip(rates, values) if v is not None], shown, "-", color="0.6", lw=1, gid="rates")
    for status, colour in STATUS_COLOURS.items():
        points = [(row.lr, v) for row, v in zip(sweep.rows, values) if row.status == status and v is not None]
        if points:
            ax.plot(*zip(*points), "o", color=colour, ms=7, mec="black", mew=0.5, label=status, gid=status, zorder=3)
    off = [row.lr for row, v in zip(sweep.rows, values) if v is None]
    if off:
        edge = high / (high / low) ** 0.015  # at the top, above the names of the regions
        ax.plot(off, [edge] * len(off), "^", color="tab:red", ms=9, zorder=4, gid="off scale",
                label="off the scale (ran away)")
    _marks(ax, sweep)
    ax.set_xlabel("learning rate lr (log scale)")
    ax.set_ylabel(label)
    ax.set_title(title(sweep), fontsize=11)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, frameon=False, title="status")
    return fig


def _marks(ax: Any, sweep: RateSweep) -> None:
    """1/λmax and 2/λmax as lines, the regions between them shaded and named."""
    if sweep.marks is None:
        ax.text(0.5, 0.02, "no positive curvature: no marks 1/λmax, 2/λmax", transform=ax.transAxes, ha="center",
                fontsize=9, color="0.35")
        return
    one, two = sweep.marks
    left, right = ax.get_xlim()
    spans = {"too_small": (left, one), "right": (one, two), "too_large": (two, right)}
    where = "at the minimum" if sweep.lambda_max_at == "minimum" else "at the start"
    for name, (start, end) in spans.items():
        if end <= start:
            continue
        ax.axvspan(start, end, color=REGION_COLOURS[name], alpha=0.07, lw=0, gid=f"region {name}")
        middle = math.sqrt(max(start, left) * min(end, right))
        if sweep.optimizer == "sgd" and left < middle < right:
            ax.text(middle, 0.95, REGION_WORDS[name], transform=ax.get_xaxis_transform(), ha="center", va="top",
                    fontsize=10, color=REGION_COLOURS[name], fontweight="bold")
    for value, name in ((one, "1/λmax"), (two, "2/λmax")):
        ax.axvline(value, color="0.2", ls="--", lw=1.2, gid=name)
        ax.text(value, 0.88, f"{name} = {value:.4g} ", transform=ax.get_xaxis_transform(), rotation=90,
                ha="right", va="top", fontsize=8.5, color="0.2")
    ax.text(0.99, -0.13, f"λmax = {sweep.lambda_max:.4g} {where}"
            + ("" if sweep.optimizer == "sgd" else f"; the regions are plain gradient descent's, not {sweep.optimizer}'s"),
            transform=ax.transAxes, ha="right", va="top", fontsize=8.5, color="0.35")


def terminal(sweep: RateSweep, columns: int, *, coloured: bool) -> str:
    """The rates on log axes in text, ``columns`` wide: each status its letter, the marks as
    vertical lines, the key and the regions below."""
    fig = textplot.new_figure(columns)
    fig.legend(False)
    rates = [row.lr for row in sweep.rows]
    values, label = measure(sweep)
    shown = [v for v in values if v is not None] or [1.0]
    low, high = min(shown), max(shown)
    textplot.log_axis(fig, 0, rates[0], rates[-1])
    textplot.log_axis(fig, 1, low, high)
    top = math.ceil(math.log10(high))  # the top of the log axis
    if sweep.marks is not None:
        for value, name in zip(sweep.marks, ("1/λ", "2/λ")):
            if rates[0] <= value <= rates[-1]:
                fig.draw(fig.segment([math.log10(value)] * 2, [math.log10(low), top], marker="│"))
                fig.draw(fig.text(math.log10(value), math.log10(low), name))
    for status, mark in STATUS_MARKS.items():
        points = [(math.log10(row.lr), math.log10(v)) for row, v in zip(sweep.rows, values)
                  if row.status == status and v is not None]
        if points:
            fig.draw(fig.signal(*map(list, zip(*points)), marker=mark))
    off = [math.log10(row.lr) for row, v in zip(sweep.rows, values) if v is None]
    if off:
        fig.draw(fig.signal(off, [top] * len(off), marker="^"))
    fig.title(title(sweep))
    fig.label("learning rate", 0)
    drawn = {row.status for row, v in zip(sweep.rows, values) if v is not None}
    key = [f"{mark} {status}" for status, mark in STATUS_MARKS.items() if status in drawn]
    key += ["^ off the scale"] if off else []
    lines = [textplot.text(fig, coloured=coloured), *textwrap.wrap(f"y: {label}", columns), *key_lines(key, columns)]
    if sweep.marks is not None:
        one, two = sweep.marks
        lines += key_lines([f"too small: lr < 1/λmax = {one:.4g}", f"right: up to 2/λmax = {two:.4g}",
                            "too large: above"], columns)
    return "\n".join(lines)

