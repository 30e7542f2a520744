"""The text of ``help`` at numdiff's prompt: the commands it runs, names, ``_``, and its rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from numdiff_cli.i18n import N_, _

if TYPE_CHECKING:
    from numdiff_cli.repl_session import Session


WIDTH = 79  # the text's lines are at most this long: it fits 80 columns
HELP = N_("""\
Type a numdiff command without the word numdiff: it runs as on the command
line, with the same options, tables and error sentences. An expression needs
no quotes here: diff x^2 + 1 --at 3.

{listing}

  help diff         a command's options (so does diff --help)

Names:
  f = x0^2 + x1^2   defines f, which any expression may then use:
                    grad f --at 3,4  or  diff 2f --wrt x1 --at 3,4
                    (f keeps the expression as it was read)
  vars              lists the names, and _
  del f             forgets f
  _                 the last result's value, to use as a point (--at _,
                    --from _): diff's recommended value, grad's gradient
                    (exact where it exists), descend's final x

Each command may take {budget} (numdiff --timeout N repl sets another; a
line may start with --timeout N for itself; 0 is no limit). Ctrl-C stops a
running command or clears the line; quit, exit or Ctrl-D leaves. Tab completes
commands, options, methods, functions and names; the arrow keys and Ctrl-R
search the history, kept across sessions.""")


# The commands' one-line summaries (their docstrings' first sentences), marked here so that the
# catalog holds them: help at the prompt shows them translated. A test keeps them equal to the docstrings.
SUMMARIES = (
    N_("Differentiate EXPRESSION at a point: the exact value beside each numerical method."),
    N_("The gradient of EXPRESSION at a point: each partial derivative exact and numeric."),
    N_("Gradient descent (or ascent) step by step: the trace, how it ended, and why."),
    N_("A guided walk through the lecture in eight stops, each with a live result and a command to try."),
    N_("Is my answer right? Check a derivative worked out by hand, or your own gradient code."),
)


def budget(seconds: float) -> str:
    """Each command's time budget in words: ``10 s`` or ``no limit``."""
    return _("{seconds:g} s").format(seconds=seconds) if seconds else _("no limit")


def help_text(session: Session) -> str:
    """What a line at the prompt may say, with the commands of the app as it stands."""
    commands = {name: command for name, command in session.commands().items() if name != "repl"}
    width = 18  # the column where every explanation starts
    listing = "\n".join(
        _filled(_(command.get_short_help_str(limit=200)), f"  {name:<{width}}", " " * (width + 2))
        for name, command in commands.items()
    )
    return _(HELP).format(listing=listing, budget=budget(session.timeout))


def _filled(text: str, first: str, rest: str) -> str:
    """``text`` in lines of at most :data:`WIDTH` terminal columns (a Hangul syllable takes two), the
    first line after ``first``, the others after ``rest`` (both as wide as each other)."""
    lines = Text(text).wrap(Console(width=WIDTH), WIDTH - len(rest))
    return "\n".join((first if i == 0 else rest) + line.plain.rstrip() for i, line in enumerate(lines))
