"""The one exception family of numdiff and the exit codes it maps to.

Every error a user can cause is a :class:`NumdiffError`; ``cli.py`` is the one place that
turns it into a sentence on stderr and an exit code. Anything else that escapes is a bug.
"""

from __future__ import annotations

from enum import IntEnum


def brief(text: object, limit: int = 60) -> str:
    """``text`` as a string of at most ``limit`` characters, for a one-sentence message."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    MATH = 1  # the maths failed: undefined at the point, no derivative, overflow
    USAGE = 2  # the input was wrong: bad option, bad expression, rejected input


class NumdiffError(Exception):
    """Base of every error numdiff reports to a user; its message is one sentence."""

    exit_code: ExitCode = ExitCode.USAGE


class ParseError(NumdiffError):
    """The text is not an expression numdiff accepts (syntax, names, limits)."""


class UsageError(NumdiffError):
    """An option value is wrong (a step h <= 0, an unknown variable, a wrong count)."""


class MathError(NumdiffError):
    """The maths fails at the point: undefined, not real, no derivative, overflow."""

    exit_code = ExitCode.MATH


class LimitError(NumdiffError):
    """The input asks for more work than numdiff allows (a symbolic step ran out of time)."""
