"""What the tangent-and-secants picture of ``numdiff diff --plot`` draws: the diff result itself,
and the values of f the picture needs around the point (never a second derivative)."""

from __future__ import annotations

from dataclasses import dataclass

from numdiff_cli.results.diff import DiffResult, SweepResult


@dataclass(frozen=True)
class Secant:
    """One finite difference as a line: its ``slope`` is the method's value in the diff result
    (or a sweep's, for an animation frame), through the ``points`` (x, f(x)) it evaluates f at."""

    method: str
    h: float
    slope: float | None
    error: float | None
    points: tuple[tuple[float, float | None], ...]


@dataclass(frozen=True)
class SecantPicture:
    """f near ``x`` (``curve_x``, ``curve_y``; None where f is undefined), the exact slope there
    and each secant; ``frames`` holds the secants at each step of the animation, from the
    ``sweep`` result they were measured in (None for a still picture)."""

    diff: DiffResult
    x: float
    value: float
    slope: float | None
    curve_x: tuple[float, ...]
    curve_y: tuple[float | None, ...]
    secants: tuple[Secant, ...]
    sweep: SweepResult | None = None
    frames: tuple[tuple[Secant, ...], ...] = ()
