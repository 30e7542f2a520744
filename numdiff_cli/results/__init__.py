"""Frozen result types every command returns, and their plain-data forms.

One result feeds the rich table (``__rich__``, also in a notebook), ``--json``
(``to_dict``) and ``--csv`` (``to_rows``). Non-finite numbers become ``None`` (JSON
``null``) so the JSON is always standard. The results of each command live in a module of
their own, so a command loads only its own; rich loads only when a result is displayed.
"""

from __future__ import annotations

import math
from typing import Any


class Displayed:
    """A result that displays as the command line's table in any rich console and in Jupyter."""

    def __rich__(self) -> Any:
        from numdiff_cli import render

        return render.view(self)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, str]:
        """Jupyter's display hook: rich's own rendering of ``__rich__``, as text and HTML."""
        from rich.jupyter import JupyterMixin

        return JupyterMixin._repr_mimebundle_(self, include, exclude, **kwargs)  # type: ignore[arg-type]


def finite_or_none(value: float | None) -> float | None:
    """``value``, or None where it is missing or not finite (JSON has no NaN)."""
    return value if value is not None and math.isfinite(value) else None


def number(value: float | None) -> str:
    """The shortest text that reads back as the same double; a dash for none."""
    if value is None:
        return "—"
    value = float(value) + 0.0  # a numpy scalar's repr names its type; + 0.0 turns -0.0 into 0.0
    return repr(value) if abs(value) < 1e16 else f"{value:.17g}"


def error(value: float | None) -> str:
    """An error, a step or a length in at most 8 characters, as every table writes it: 1.3e-11, 1.0e-4,
    2.6e12, 0 (plain Python, so that a core's sentence can write a step as the table beside it does)."""
    if value is None:
        return "—"
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return str(float(value))  # nan, inf, -inf
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def where(at: dict[str, float], typed: dict[str, str] | None = None) -> str:
    """A point for a sentence or a title: ``x = 3.0, y = 4.0``; a coordinate typed as a constant
    shows it too: ``x = π/4 ≈ 0.7853981633974483``."""
    typed = typed or {}
    return ", ".join(
        f"{name} = {typed[name]} ≈ {number(value)}" if name in typed else f"{name} = {number(value)}"
        for name, value in at.items()
    )


def at_text(at: dict[str, float]) -> str:
    """A point as one CSV field: ``x0=3.0;x1=4.0``."""
    return ";".join(f"{name}={value!r}" for name, value in at.items())


def vector_or_none(values: tuple[float, ...] | None) -> list[float | None] | None:
    """A vector for JSON, each entry as :func:`finite_or_none`."""
    return None if values is None else [finite_or_none(v) for v in values]


def matrix_or_none(rows: tuple[tuple[float, ...], ...]) -> list[list[float | None]]:
    return [[finite_or_none(v) for v in row] for row in rows]
