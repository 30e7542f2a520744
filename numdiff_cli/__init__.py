"""numdiff: analytic and numerical derivatives side by side.

The public core API is importable from here (``from numdiff_cli import differentiate``),
but it is loaded lazily so that ``numdiff --help`` and shell completion never pay for
importing sympy or numpy.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> module that defines it. Resolved on first access (PEP 562).
_PUBLIC = {
    "NumdiffError": "errors",
    "ExitCode": "errors",
    "parse_expression": "parsing",
    "parse_expressions": "parsing",
    "parse_point": "points",
    "differentiate": "compare",
    "jacobian": "gradient",
    "descend": "descent",
    "METHODS": "methods",
    "OPTIMIZERS": "optimizers",
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'numdiff_cli' has no attribute {name!r}")
    return getattr(importlib.import_module(f"numdiff_cli.{module}"), name)
