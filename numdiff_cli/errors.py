"""The one exception family of numdiff and the exit codes it maps to.

Every error a user can cause is a :class:`NumdiffError`; a front end is the one place that
turns it into a sentence and an exit code. Anything else that escapes is a bug.

A core error that is about one input names that input by its parameter name (``start``,
``lr``); each front end words it in its own terms (``--from``, ``--lr``) through
:meth:`NumdiffError.worded`, so no core ever names a command-line option.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from enum import IntEnum

from numdiff_cli.i18n import Message, _, translate


def brief(text: object, limit: int = 60) -> str:
    """``text`` as a string of at most ``limit`` characters, for a one-sentence message."""
    text = str(text)
    return text if len(text) <= limit else text[: limit - 3] + "..."


class ExitCode(IntEnum):
    """Process exit codes, documented in the README."""

    OK = 0
    MATH = 1  # the maths failed: undefined at the point, no derivative, overflow
    USAGE = 2  # the input was wrong: bad option, bad expression, rejected input
    INTERRUPTED = 130  # Ctrl-C: 128 + SIGINT, the shell's convention


class NumdiffError(Exception):
    """Base of every error numdiff reports to a user; its message is one sentence.

    ``message`` is the sentence as it stands; or, with ``parameter`` or ``values``, a
    :meth:`str.format` template whose fields are parameter names (``{start}``, or
    ``{parameter}`` for the one the error is about), filled by :meth:`worded`, and the keys of
    ``values``, filled with those values as they are. User text travels only in ``values``, so
    nothing typed is ever read as a template. The template is the message's msgid: it is
    translated (:mod:`numdiff_cli.i18n`) before the values are put in.

    Examples
    --------
    >>> error = UsageError("{parameter} {text!r} gives 1 value", parameter="start", text="1")
    >>> str(error), error.worded(lambda name: "--from")
    ("start '1' gives 1 value", "--from '1' gives 1 value")
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: str, *, parameter: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.parameter = parameter
        self.values = values

    def worded(self, name: Callable[[str], str] = str) -> str:
        """The sentence, each parameter called ``name(parameter)`` (by default, as itself)."""
        template = self.args[0]
        if isinstance(template, Message) or (self.parameter is None and not self.values):
            return translate(template) or ""
        fields = {field for _text, field, _spec, _conv in string.Formatter().parse(template) if field}
        names = {f: name(self.parameter if f == "parameter" else f) for f in fields if f not in self.values}
        values = {key: translate(v) if isinstance(v, Message) else v for key, v in self.values.items()}
        try:
            return _(template).format(**names, **values)
        except (KeyError, IndexError, ValueError):  # a translation that does not fit: the English sentence
            return template.format(**names, **values)

    def __str__(self) -> str:
        return self.worded()


class ParseError(NumdiffError):
    """The text is not an expression numdiff accepts (syntax, names, limits)."""


class UsageError(NumdiffError):
    """An input value is wrong (a step h <= 0, an unknown variable, a wrong count)."""


class MathError(NumdiffError):
    """The maths fails at the point: undefined, not real, no derivative, overflow."""

    exit_code = ExitCode.MATH


class CodeError(NumdiffError):
    """The code being checked (``check --code``) could not be run: a syntax error, an exception on
    import, no such function, past the time limit. The code failed, so the check did."""

    exit_code = ExitCode.MATH


class LimitError(NumdiffError):
    """The input asks for more work than numdiff allows (a symbolic step ran out of time)."""


class Interrupted(NumdiffError):
    """The user pressed Ctrl-C."""

    exit_code = ExitCode.INTERRUPTED
