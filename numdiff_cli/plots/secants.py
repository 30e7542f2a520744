"""The picture of ``diff --plot``: f around x, the tangent of the exact slope, and the forward
and central secants at the chosen h; as a .gif, h shrinking from large to 1e-16.

Every slope drawn is a value of the diff (or sweep) result: the tangent's is the exact
derivative, each secant's the method's number. The animation shows the lecture in one picture:
the secants close in on the tangent as h shrinks, then, once rounding wins, tilt at random.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from numdiff_cli.plots import textplot
from numdiff_cli.plots.libraries import pyplot
from numdiff_cli.plots.step_errors import COLOURS, power
from numdiff_cli.results import where

if TYPE_CHECKING:
    from pathlib import Path

    from numdiff_cli.results.secants import Secant, SecantPicture

TANGENT = "tab:red"
FRAME_MS = 350  # each frame's time on screen
HOLD = 6  # the first and last frames stay this many times longer: the start, and the noise at the end
GIF_DPI = 72
THROUGH = {"forward": "x, x+h", "central": "x−h, x+h"}
POINT_MARKERS = {"forward": ("s", 8), "central": ("o", 5)}  # central's smaller dot sits on forward's square at x+h
TERMINAL_MARKS = {"curve": "·", "tangent": "t", "forward": "f", "central": "c"}


def line(x0: float, y0: float, slope: float, xs: tuple[float, float]) -> tuple[list[float], list[float]]:
    """The line through (x0, y0) with ``slope``, at the two ``xs``."""
    return list(xs), [y0 + slope * (x - x0) for x in xs]


def y_limits(picture: SecantPicture) -> tuple[float, float]:
    """The y range: f over the window; where a pole (1/x near 0) would flatten the rest, f over
    the middle half of the window, around the point and the secants' points."""
    low, high = _range(picture, 1.0)
    middle_low, middle_high = _range(picture, 0.5)
    if high - low > 4 * (middle_high - middle_low) > 0:
        low, high = middle_low, middle_high
    pad = 0.08 * (high - low) or max(1.0, abs(picture.value)) * 0.1
    return low - pad, high + pad


def _range(picture: SecantPicture, part: float) -> tuple[float, float]:
    """The least and greatest f in the middle ``part`` of the window, at the point and where the
    secants (of the animation's first frame too) meet f."""
    half = part * (picture.curve_x[-1] - picture.curve_x[0]) / 2
    ys = [y for x, y in zip(picture.curve_x, picture.curve_y) if y is not None and abs(x - picture.x) <= half]
    secants = picture.secants + (picture.frames[0] if picture.frames else ())
    ys += [y for secant in secants for _, y in secant.points if y is not None] + [picture.value]
    return min(ys), max(ys)


def curve(picture: SecantPicture, low: float, high: float) -> list[float]:
    """f for drawing: NaN (a gap) where undefined or far outside [low, high], so the two
    branches of a pole are not joined by a vertical line."""
    far = 10 * (high - low)
    return [math.nan if y is None or not low - far <= y <= high + far else y for y in picture.curve_y]


def _label(secant: Secant) -> str:
    slope = "no value" if secant.slope is None else f"slope {secant.slope:.6g}"
    error = "" if secant.error is None else f", error {_error(secant.error)}"
    return f"{secant.method} secant through {THROUGH[secant.method]}, h = {_step(secant.h)}: {slope}{error}"


def _error(error: float) -> str:
    return "0" if error == 0 else f"{error:.1e}"


def _step(h: float) -> str:
    """0.5 or 1e-8: a step as people write it."""
    return f"{h:g}" if h >= 1e-3 else power(h) if math.isclose(float(f"{h:.0e}"), h) else f"{h:.2g}"


def apart_note(picture: SecantPicture) -> str | None:
    """Where every secant's h is too small to show beside the tangent at the picture's scale, what
    --h would show them apart (a quarter of the width drawn); else None."""
    width = picture.curve_x[-1] - picture.curve_x[0]
    steps = [secant.h for secant in picture.secants]
    if not steps or max(steps) >= 0.01 * width:
        return None
    return f"at h = {_step(max(steps))} the secants lie on the tangent at this scale: --h {width / 4:.2g} shows them apart"


def _title(picture: SecantPicture) -> str:
    result = picture.diff
    return f"Tangent and secants of f = {result.expression} at {where(picture.diff.points[0].at)}"


def _axes(picture: SecantPicture) -> Any:
    """A figure with f, its point and the tangent drawn; returns (figure, axes)."""
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9, 5.6), layout="constrained")
    xs = (picture.curve_x[0], picture.curve_x[-1])
    ax.set_xlim(*xs)
    low, high = y_limits(picture)
    ax.set_ylim(low, high)
    ax.plot(picture.curve_x, curve(picture, low, high), color="black", lw=2, label=f"f({picture.diff.variable})", gid="f")
    if picture.slope is not None:
        ax.plot(*line(picture.x, picture.value, picture.slope, xs), color=TANGENT, lw=1.6, ls="--", gid="tangent",
                label=f"tangent, exact slope f′ = {picture.slope:.6g}")
    else:  # the key says why there is none
        ax.plot([], [], color=TANGENT, lw=1.6, ls="--", label="no tangent: f′ does not exist here")
    ax.plot([picture.x], [picture.value], "o", color="black", ms=6, gid="point")
    ax.set_xlabel(picture.diff.variable)
    ax.set_ylabel(f"f({picture.diff.variable})")
    ax.set_title(_title(picture), fontsize=11)
    ax.grid(True, alpha=0.3)
    return fig, ax


def _draw_secant(ax: Any, secant: Secant, xs: tuple[float, float], label: str | None = None) -> list[Any]:
    """The secant as a line through its first point with the method's slope, and its points;
    labelled with its step, slope and error unless ``label`` says otherwise."""
    (x0, y0), *_ = secant.points
    if secant.slope is None or y0 is None:
        return []
    colour = COLOURS[secant.method]
    drawn = ax.plot(*line(x0, y0, secant.slope, xs), color=colour, lw=1.4, gid=secant.method,
                    label=label or _label(secant))
    points = [(x, y) for x, y in secant.points if y is not None]
    marker, size = POINT_MARKERS[secant.method]
    drawn += ax.plot([x for x, _ in points], [y for _, y in points], marker, color=colour, ms=size, mec="white",
                     ls="none", gid=f"{secant.method} points")
    return drawn


def figure(picture: SecantPicture) -> Any:
    """The matplotlib Figure: f, the tangent, and each secant at the result's step."""
    fig, ax = _axes(picture)
    xs = (picture.curve_x[0], picture.curve_x[-1])
    for secant in picture.secants:
        _draw_secant(ax, secant, xs)
    ax.legend(loc="best", fontsize=9, framealpha=0.9, title=apart_note(picture), title_fontsize=9)
    return fig


def animation(picture: SecantPicture, path: Path) -> None:
    """Write the .gif: one frame per step of the picture's sweep, largest h first, h and each
    slope's error written on the frame; the first and last frames stay longer.

    What stays (f, the tangent, the key, the axes) is drawn once; each frame draws only its
    secants and caption over it and goes to Pillow (matplotlib's own dependency). matplotlib's
    animation writer would lay out and draw the whole figure three times a frame, ten times slower."""
    from matplotlib.lines import Line2D
    from PIL import Image

    fig, ax = _axes(picture)
    fig.set_dpi(GIF_DPI)
    xs = (picture.curve_x[0], picture.curve_x[-1])
    methods = [secant.method for secant in picture.frames[0]]
    keys = [Line2D([], [], color=COLOURS[m], label=f"{m} secant through {THROUGH[m]}") for m in methods]
    legend = ax.legend(handles=[*ax.get_lines()[:2], *keys], loc="lower right", fontsize=9, framealpha=0.9)
    caption = ax.text(0.02, 0.97, "", transform=ax.transAxes, va="top", ha="left", family="monospace", fontsize=9,
                      bbox={"boxstyle": "round", "fc": "white", "ec": "0.6", "alpha": 0.95})
    frames = []
    try:
        fig.canvas.draw()
        background = fig.canvas.copy_from_bbox(fig.bbox)
        for secants in picture.frames:
            fig.canvas.restore_region(background)
            drawn = [artist for secant in secants for artist in _draw_secant(ax, secant, xs)]
            caption.set_text(_caption(picture.x, secants))
            for artist in (*drawn, legend, caption):  # the key and caption over the lines, as in a full draw
                ax.draw_artist(artist)
            frames.append(Image.frombuffer("RGBA", fig.canvas.get_width_height(), fig.canvas.buffer_rgba()).convert("RGB"))
            for artist in drawn:
                artist.remove()
    finally:
        pyplot().close(fig)
    # One palette for all frames, made from all of them, so no colour shifts or goes missing.
    strip = Image.new("RGB", (frames[0].width, frames[0].height * len(frames)))
    for i, frame in enumerate(frames):
        strip.paste(frame, (0, i * frame.height))
    palette = strip.quantize(colors=64, method=Image.Quantize.FASTOCTREE)  # octree keeps the thin lines' colours
    images = [frame.quantize(palette=palette, dither=Image.Dither.NONE) for frame in frames]
    durations = [FRAME_MS] * len(images)
    durations[0] = durations[-1] = FRAME_MS * HOLD
    images[0].save(path, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)


def _caption(x: float, secants: tuple[Secant, ...]) -> str:
    h = secants[0].h
    lines = [f"h = {_step(h)}" + ("   (x + h == x in floating point)" if x + h == x else "")]
    for secant in secants:
        error = "no value" if secant.error is None else _error(secant.error)
        lines.append(f"{secant.method:>8} slope error {error}")
    return "\n".join(lines)


def terminal(picture: SecantPicture, columns: int, *, coloured: bool) -> str:
    """f, the tangent and the secants in text, ``columns`` wide, each with its own mark."""
    fig = textplot.new_figure(columns)
    fig.legend(False)  # the key goes below, where it hides nothing
    xs = (picture.curve_x[0], picture.curve_x[-1])
    low, high = y_limits(picture)
    fig.ruler(0).lim(*xs)
    fig.ruler(1).lim(low, high)
    for run in _runs(picture, low, high):  # each stretch where f is defined and in the box, joined up
        fig.draw(fig.signal([x for x, _ in run], [y for _, y in run], marker=TERMINAL_MARKS["curve"]).lines())
    key = [f"{TERMINAL_MARKS['curve']} f"]
    if picture.slope is not None:
        fig.draw(fig.signal(*_clipped(picture.x, picture.value, picture.slope, xs, low, high),
                            marker=TERMINAL_MARKS["tangent"]).lines())
        key.append(f"t tangent (slope {picture.slope:.6g})")
    for secant in picture.secants:
        (x0, y0), *_ = secant.points
        if secant.slope is None or y0 is None:
            continue
        mark = TERMINAL_MARKS[secant.method]
        fig.draw(fig.signal(*_clipped(x0, y0, secant.slope, xs, low, high), marker=mark).lines())
        key.append(f"{mark} {_label(secant)}")
    if note := apart_note(picture):
        key.append(note)
    fig.title(_title(picture))
    fig.label(picture.diff.variable, 0)
    return textplot.below(textplot.text(fig, coloured=coloured), key, columns)


def _runs(picture: SecantPicture, low: float, high: float) -> list[list[tuple[float, float]]]:
    """The stretches of the curve where f is defined and within [low, high]."""
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(picture.curve_x, picture.curve_y):
        if y is not None and low <= y <= high:
            runs[-1].append((x, y))
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _clipped(x0: float, y0: float, slope: float, xs: tuple[float, float], low: float, high: float):
    """The part of a line inside the box (plotext draws what lies outside over the frame)."""
    if slope == 0:
        return list(xs), [y0, y0]
    ends = sorted([xs[0], xs[1], x0 + (low - y0) / slope, x0 + (high - y0) / slope])
    left, right = max(xs[0], ends[1]), min(xs[1], ends[2])
    return line(x0, y0, slope, (left, right))
