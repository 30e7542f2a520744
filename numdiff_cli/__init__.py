"""numdiff: analytic and numerical derivatives side by side.

The library is one function per command, ``diff``, ``sweep``, ``grad`` and ``descend``
(see :mod:`numdiff_cli.api`): ``import numdiff_cli as nd; nd.diff("x**2", at=3)``. Names
load lazily, so that ``numdiff --help`` and shell completion never pay for sympy or numpy.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> (module, name there). Resolved on first access (PEP 562).
_PUBLIC = {
    "diff": ("api", "diff"),
    "sweep": ("api", "sweep"),
    "grad": ("api", "grad"),
    "descend": ("api", "descend"),
    "derivation": ("api", "derivation"),
    "check": ("api", "check"),
    "Problem": ("problem", "Problem"),
    "NumdiffError": ("errors", "NumdiffError"),
    "ParseError": ("errors", "ParseError"),
    "UsageError": ("errors", "UsageError"),
    "MathError": ("errors", "MathError"),
    "LimitError": ("errors", "LimitError"),
    "ExitCode": ("errors", "ExitCode"),
    "RowStatus": ("results.codes", "RowStatus"),
    "Reason": ("results.codes", "Reason"),
    "RunStatus": ("results.codes", "RunStatus"),
    "Rule": ("results.derivation", "Rule"),
    "parse_expression": ("parsing", "parse_expression"),
    "METHODS": ("methods", "METHODS"),
    "OPTIMIZERS": ("optimizers", "OPTIMIZERS"),
}

__all__ = ["__version__", *_PUBLIC]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'numdiff_cli' has no attribute {name!r}")
    module, attribute = _PUBLIC[name]
    return getattr(importlib.import_module(f"numdiff_cli.{module}"), attribute)
