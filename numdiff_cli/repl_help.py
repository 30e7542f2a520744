"""The text of ``help`` at numdiff's prompt: the commands it runs, names, ``_``, and its rules."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from numdiff_cli.i18n import _

if TYPE_CHECKING:
    from numdiff_cli.repl_session import Session


WIDTH = 79  # the text's lines are at most this long: it fits 80 columns


def budget(seconds: float) -> str:
    """Each command's time budget in words: ``10 s`` or ``no limit``."""
    return f"{seconds:g} s" if seconds else _("no limit")


def help_text(session: Session) -> str:
    """What a line at the prompt may say, with the commands of the app as it stands (their short
    help is typer's, in English; the rest in the chosen language, each paragraph a message whose
    lines fit 80 columns)."""
    commands = {name: command for name, command in session.commands().items() if name != "repl"}
    width = 18  # the column where every explanation starts
    listing = "\n".join(
        textwrap.fill(
            command.get_short_help_str(limit=200), WIDTH, initial_indent=f"  {name:<{width}}", subsequent_indent=" " * (width + 2)
        )
        for name, command in commands.items()
    )
    intro = _(
        "Type a numdiff command without the word numdiff: it runs as on the command\n"
        "line, with the same options, tables and error sentences. An expression needs\n"
        "no quotes here: diff x^2 + 1 --at 3."
    )
    topics = _("  help diff         a command's options (so does diff --help)")
    names = _(
        "Names:\n"
        "  f = x0^2 + x1^2   defines f, which any expression may then use:\n"
        "                    grad f --at 3,4  or  diff 2f --wrt x1 --at 3,4\n"
        "                    (f keeps the expression as it was read)\n"
        "  vars              lists the names, and _\n"
        "  del f             forgets f\n"
        "  _                 the last result's value, to use as a point (--at _,\n"
        "                    --from _): diff's recommended value, grad's gradient\n"
        "                    (exact where it exists), descend's final x"
    )
    rules = _(
        "Each command may take {budget} (numdiff --timeout N repl sets another; a\n"
        "line may start with --timeout N for itself; 0 is no limit). Ctrl-C stops a\n"
        "running command or clears the line; quit, exit or Ctrl-D leaves. Tab completes\n"
        "commands, options, methods, functions and names; the arrow keys and Ctrl-R\n"
        "search the history, kept across sessions."
    ).format(budget=budget(session.timeout))
    return f"{intro}\n\n{listing}\n\n{topics}\n\n{names}\n\n{rules}"
