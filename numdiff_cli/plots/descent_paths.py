"""The picture of ``descend --plot``: where the iterates went, and f against the step.

Left, for two variables: contour lines of f with the path of each run, in its own colour; for
one variable: the curve f(x) with the iterates on it. The box is the result's landscape, which
holds every run that did not run away, so a diverging path leaves the picture at its edge
instead of flattening it. Right: f against the step on a log scale (symmetric log where f is not
positive). Everything comes from the result: the recorded iterates and f on the landscape grid.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING, Any

import numpy as np

from numdiff_cli.errors import UsageError
from numdiff_cli.plots import textplot
from numdiff_cli.plots.coordinate_axes import coordinate_box
from numdiff_cli.plots.gradient_field import contour_levels, crossings, key_lines
from numdiff_cli.plots.libraries import pyplot
from numdiff_cli.results import number
from numdiff_cli.results.codes import RunStatus

if TYPE_CHECKING:
    from numdiff_cli.results.descend import DescentComparison, DescentResult, Iterates
    from numdiff_cli.results.field import Landscape

COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive",
           "tab:cyan", "black")
TERMINAL_MARKS = "ox+*#%&$@="  # one per run, told apart without colour
TERMINAL_POINTS = 150  # iterates a terminal path draws at most
RUNAWAY = (RunStatus.DIVERGED, RunStatus.UNBOUNDED)
STYLES = ("-", "--", ":", "-.")  # the coordinates of one run, told apart


def runs_of(result: DescentResult | DescentComparison) -> tuple[DescentResult, ...]:
    return getattr(result, "runs", (result,))


def iterates(run: DescentResult) -> Iterates:
    if run.iterates is None:
        raise UsageError("{parameter} needs the iterates: ask for them with plot=True", parameter="plot")
    return run.iterates


def label(run: DescentResult, result: DescentResult | DescentComparison) -> str:
    """What tells a run apart from the others: its optimizer and/or learning rate, and its status."""
    runs = runs_of(result)
    parts = []
    if len({r.optimizer for r in runs}) > 1:
        parts.append(run.optimizer)
    if len({r.lr for r in runs}) > 1:
        parts.append(f"lr = {run.lr:g}")
    away = " (leaves the picture)" if result.landscape is not None and clipped(run, result.landscape) else ""
    return f"{', '.join(parts) or run.optimizer}: {run.status}{away}"


def title(result: DescentResult | DescentComparison) -> str:
    first = runs_of(result)[0]
    start = number(first.start[0]) if len(first.start) == 1 else "(" + ", ".join(map(number, first.start)) + ")"
    held = "".join(f", {name} = {number(value)} held" for name, value in first.held.items())
    runs = runs_of(result)
    shared = "".join(f", {text}" for text, values in ((f"lr = {first.lr:g}", {r.lr for r in runs}),
                                                     (first.optimizer, {r.optimizer for r in runs})) if len(values) == 1)
    steps = max(r.steps for r in runs)
    kind = "ascent" if first.ascent else "descent"
    return f"gradient {kind} on f = {first.expression} from {start}{held}{shared}, {steps} steps"


def finite_path(run: DescentResult) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The recorded steps, iterates (shape (k, n)) and f values, up to the first that is not finite."""
    path = iterates(run)
    x, f = np.array(path.x, dtype=float).reshape(len(path.steps), -1), np.array(path.f, dtype=float)
    finite = np.all(np.isfinite(x), axis=1) & np.isfinite(f)
    end = len(f) if finite.all() else int(np.argmin(finite))
    return list(path.steps[:end]), x[:end], f[:end]


def f_shown(result: DescentResult | DescentComparison) -> tuple[float | None, str]:
    """What the f panel draws on its log axis: f itself (offset 0) where every finite f is
    positive (f_best None), else f − f_best, its gap to the lowest f any run reached (highest,
    for ascent: f_best − f), with the axis label that says so."""
    runs = runs_of(result)
    values = np.concatenate([finite_path(run)[2] for run in runs])
    if not values.size or np.all(values > 0) and not runs[0].ascent:
        return None, "f (log scale)"
    best = float(values.max() if runs[0].ascent else values.min())
    gap = "f_best − f" if runs[0].ascent else "f − f_best"
    return best, f"{gap} (log scale), f_best = {best:.6g}, the {'highest' if runs[0].ascent else 'lowest'} f reached"


def f_axis(result: DescentResult | DescentComparison, run: DescentResult) -> tuple[list[int], np.ndarray]:
    """A run's steps and what the f panel draws for them (see :func:`f_shown`); points that a log
    axis cannot show (0, at f_best) are left out."""
    steps, _, f = finite_path(run)
    best, _ = f_shown(result)
    shown = f if best is None else (best - f if run.ascent else f - best)
    keep = shown > 0
    return [s for s, k in zip(steps, keep) if k], shown[keep]


def f_top(result: DescentResult | DescentComparison) -> float | None:
    """The top of the f axis where a run ran away: two decades above what the other runs reached,
    so a diverging run leaves the panel instead of flattening it; None where none ran away."""
    runs = runs_of(result)
    calm = [v for run in runs if RunStatus(run.status) not in RUNAWAY for v in f_axis(result, run)[1]]
    wild = [v for run in runs if RunStatus(run.status) in RUNAWAY for v in f_axis(result, run)[1]]
    if not calm or not wild or max(wild) <= max(calm) * 100:
        return None
    return max(calm) * 100


def figure(result: DescentResult | DescentComparison) -> Any:
    """The matplotlib Figure: the map (gids ``path <label>``, ``start``, ``contours`` or ``f``) and
    f against the step (gids ``f <label>``)."""
    runs = runs_of(result)
    plt = pyplot()
    landscape = result.landscape
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5.4), layout="constrained", width_ratios=(1.15, 1))
    if landscape is not None and landscape.y is not None:
        _map(left, result, landscape)
    elif landscape is not None:
        _curve(left, result, landscape)
    else:
        _coordinates(left, result)
    for i, run in enumerate(runs):
        right.plot(*f_axis(result, run), "-", color=COLOURS[i % len(COLOURS)], lw=1.6, label=label(run, result),
                   gid=f"f {label(run, result)}")
    right.set_yscale("log")
    top = f_top(result)
    if top is not None:
        right.set_ylim(top=top)
    right.set_xlabel("step")
    right.set_ylabel(f_shown(result)[1])
    right.grid(True, alpha=0.3)
    right.set_title("f against the step", fontsize=11)
    right.legend(fontsize=8.5, loc="best")
    fig.suptitle(title(result), fontsize=12)
    return fig


def _map(ax: Any, result: DescentResult | DescentComparison, landscape: Landscape) -> None:
    """Contours of f and each run's path, clipped to the landscape's box."""
    values = np.array(landscape.values, dtype=float)
    levels = contour_levels(values)
    if levels.size:
        ax.contour(landscape.x, landscape.y, values, levels=levels, colors="0.6", linewidths=0.8,
                   gid="contours")
    for i, run in enumerate(runs_of(result)):
        x = x_in_box(finite_path(run)[1], landscape)
        ax.plot(x[:, 0], x[:, 1], "o" + _line(run, landscape), color=COLOURS[i % len(COLOURS)], lw=1.4, ms=2.5,
                label=label(run, result), gid=f"path {label(run, result)}", zorder=_layer(run, landscape))
    start = runs_of(result)[0].start
    ax.plot([start[0]], [start[1]], "s", color="black", ms=7, zorder=5, gid="start", label="start")
    coordinate_box(ax, landscape.box, landscape.variables)
    ax.set_title("the path of the iterates on the contour lines of f", fontsize=11)
    ax.legend(fontsize=8.5, loc="best")


def _coordinates(ax: Any, result: DescentResult | DescentComparison) -> None:
    """Three or more variables have no map of f: each coordinate against the step instead, the
    run's colour with a line style per variable (the first four)."""
    runs = runs_of(result)
    variables = runs[0].variables[: len(STYLES)]
    for i, run in enumerate(runs):
        steps, x, _ = finite_path(run)
        for k, name in enumerate(variables):
            prefix = f"{label(run, result)}, " if len(runs) > 1 else ""
            ax.plot(steps, x[:, k], STYLES[k], color=COLOURS[i % len(COLOURS)], lw=1.4, label=prefix + name,
                    gid=f"coordinate {name} {label(run, result)}")
    calm = [finite_path(run)[1][:, : len(variables)] for run in runs if RunStatus(run.status) not in RUNAWAY]
    if calm and len(calm) < len(runs):  # a run that ran away leaves the panel instead of flattening it
        low, high = min(float(c.min()) for c in calm), max(float(c.max()) for c in calm)
        pad = 0.1 * (high - low or 1.0)
        ax.set_ylim(low - pad, high + pad)
    shown = ", ".join(variables) + ("" if len(variables) == len(runs[0].variables) else ", …")
    ax.set_title(f"{len(runs[0].variables)} variables, no map of f: the coordinates {shown} against the step",
                 fontsize=11)
    ax.set_xlabel("step")
    ax.set_ylabel("coordinate")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8.5, loc="best")


def _curve(ax: Any, result: DescentResult | DescentComparison, landscape: Landscape) -> None:
    """f(x) and each run's iterates on it, clipped to the landscape's box and f's range there."""
    values = np.array(landscape.values, dtype=float)
    ax.plot(landscape.x, values, "-", color="0.45", lw=1.5, gid="f", label="f")
    for i, run in enumerate(runs_of(result)):
        _, x, f = finite_path(run)
        x = x_in_box(x, landscape)
        f = f[: len(x)]
        ax.plot(x[:, 0], f, "o" + _line(run, landscape), color=COLOURS[i % len(COLOURS)], lw=0.8, ms=3.5,
                label=label(run, result), gid=f"path {label(run, result)}", zorder=_layer(run, landscape))
    start = runs_of(result)[0]
    ax.plot([start.start[0]], [iterates(start).f[0]], "s", color="black", ms=7, zorder=5, gid="start", label="start")
    (x_low, x_high), = landscape.box
    ax.set_xlim(x_low, x_high)
    defined = values[np.isfinite(values)]
    if defined.size:
        low, high = float(defined.min()), float(defined.max())
        pad = 0.06 * (high - low or 1.0)
        ax.set_ylim(low - pad, high + pad)
    ax.set_xlabel(landscape.variables[0])
    ax.set_ylabel("f")
    ax.set_title("the iterates on f", fontsize=11)
    ax.legend(fontsize=8.5, loc="best")


def terminal(result: DescentResult | DescentComparison, columns: int, *, coloured: bool) -> str:
    """The map (or the curve) and f against the step, one above the other, ``columns`` wide; each
    run with its own mark, the key below."""
    runs = runs_of(result)
    marks = {id(run): TERMINAL_MARKS[i % len(TERMINAL_MARKS)] for i, run in enumerate(runs)}
    parts = textwrap.wrap(title(result), columns)
    landscape = result.landscape
    if landscape is not None:
        parts.append(_terminal_map(result, landscape, columns, marks, coloured))
    fig = textplot.new_figure(columns)
    fig.legend(False)
    top = f_top(result) or math.inf
    everything = [v for run in runs for v in f_axis(result, run)[1] if v <= top]
    if everything:
        textplot.log_axis(fig, 1, min(everything), max(everything))
    for run in runs:
        steps, values = f_axis(result, run)
        below = values <= top  # a run that ran away stops at the top of the panel
        if below.any():
            shown = [s for s, b in zip(steps, below) if b]
            fig.draw(fig.signal(*_thinned(shown, textplot.logs(values[below].tolist())), marker=marks[id(run)]).lines())
    fig.title(f"against the step: {f_shown(result)[1]}")
    fig.label("step", 0)
    parts.append(textplot.text(fig, coloured=coloured))
    key = [f"{marks[id(run)]} {label(run, result)}" for run in runs]
    return "\n".join([*parts, *key_lines(key, columns)])


def _terminal_map(result: DescentResult | DescentComparison, landscape: Landscape, columns: int,
                  marks: dict[int, str], coloured: bool) -> str:
    fig = textplot.new_figure(columns)
    fig.legend(False)
    values = np.array(landscape.values, dtype=float)
    box = landscape.box
    if landscape.y is not None:
        xs, ys = crossings(np.array(landscape.x), np.array(landscape.y), values, contour_levels(values, 8))
        if xs:
            fig.draw(fig.signal(xs, ys, marker="·"))
    else:
        fig.draw(fig.signal(landscape.x, np.nan_to_num(values, nan=float(np.nanmin(values))).tolist(), marker="·"))
    for run in runs_of(result):
        _, x, f = finite_path(run)
        inside = np.all([(x[:, k] >= low) & (x[:, k] <= high) for k, (low, high) in enumerate(box)], axis=0)
        shown = len(x_in_box(x, landscape)) - (0 if inside.all() else 1)  # plotext draws no line out of the box
        along = x[:shown, 1] if landscape.y is not None else f[:shown]
        if shown:
            fig.draw(fig.signal(*_thinned(x[:shown, 0].tolist(), along.tolist()), marker=marks[id(run)]).lines())
    fig.ruler(0).lim(*box[0])
    if landscape.y is not None:
        fig.ruler(1).lim(*box[1])
    fig.title("the iterates on " + ("the contour lines of f (·)" if landscape.y is not None else "f (·)"))
    fig.label(landscape.variables[0], 0)
    fig.label(landscape.variables[1] if landscape.y is not None else "f", 1)
    return textplot.text(fig, coloured=coloured)


def _thinned(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """At most ``TERMINAL_POINTS`` of the points, evenly spread, the first and last kept."""
    if len(xs) <= TERMINAL_POINTS:
        return list(xs), list(ys)
    keep = sorted(set(np.linspace(0, len(xs) - 1, TERMINAL_POINTS).round().astype(int).tolist()))
    return [xs[i] for i in keep], [ys[i] for i in keep]


def _line(run: DescentResult, landscape: Landscape) -> str:
    """Dashed for a run that leaves the picture, solid for one that stays in it."""
    return "--" if clipped(run, landscape) else "-"


def _layer(run: DescentResult, landscape: Landscape) -> float:
    """A run that leaves the picture is drawn under the others: its long first steps cross them."""
    return 1.5 if clipped(run, landscape) else 2.5


def x_in_box(x: np.ndarray, landscape: Landscape) -> np.ndarray:
    """The iterates up to the first outside the box, that one included: the line leads out of the
    picture and stops, rather than crossing it again between far-off points."""
    outside = np.any([(x[:, k] < low) | (x[:, k] > high) for k, (low, high) in enumerate(landscape.box)], axis=0)
    return x if not outside.any() else x[: int(np.argmax(outside)) + 1]


def clipped(run: DescentResult, landscape: Landscape) -> bool:
    """Whether some iterate of ``run`` lies outside the picture's box."""
    _, x, _ = finite_path(run)
    return bool(any(np.any((x[:, k] < low) | (x[:, k] > high)) for k, (low, high) in enumerate(landscape.box)))

