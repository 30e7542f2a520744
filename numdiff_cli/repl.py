"""numdiff's prompt: ``numdiff repl``, and plain ``numdiff`` on a terminal.

On a terminal (standard input and output both one) it is interactive: a prompt with the
history of earlier sessions, Ctrl-R search and Tab completion (prompt_toolkit, imported only
here), while the maths libraries load in the background as the first line is typed. Anywhere
else it reads one command per line and prints each result, with no prompt or banner, for
scripts. Each line runs through :class:`numdiff_cli.repl_session.Session`.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer

from numdiff_cli import __version__, output
from numdiff_cli.errors import ExitCode
from numdiff_cli.i18n import Message, _
from numdiff_cli.repl_session import Session

PROMPT = "numdiff> "


def run(*, timeout: float, debug: bool, lang: str | None = None, plain: bool = False) -> int:
    """Run the prompt until quit, exit or the end of input; return the session's exit code.

    ``timeout``, ``debug`` and ``lang`` are the global options, which apply to every command.

    ``plain`` is true for ``numdiff`` typed with no arguments: its banner says how to reach the
    command line's help. A piped session's code is that of its last failing line, else 0.
    """
    if all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout)):
        return interactive(Session(timeout=timeout, debug=debug, lang=lang, echo=True), banner=_banner(plain))
    return run_lines(Session(timeout=timeout, debug=debug, lang=lang), sys.stdin or ())  # a closed input has no lines


def run_lines(session: Session, lines: Iterable[str]) -> int:
    """Run each line in turn, as a script: 0 if every one succeeded, else the code of the last
    that failed. Ctrl-C (exit code 130) or ``quit`` ends the script there."""
    failed = ExitCode.OK
    for line in lines:
        code = session.run(line)
        _collect_from_now()
        failed = code or failed
        if code == ExitCode.INTERRUPTED or session.finished:
            break
    return int(failed)


def interactive(session: Session, *, banner: str) -> int:
    """The prompt on a terminal, until quit, exit or Ctrl-D; the session's code is 0."""
    warming = threading.Thread(target=_warm, name="numdiff-warm-up")
    warming.start()
    from prompt_toolkit import PromptSession

    from numdiff_cli.repl_completion import Completer

    prompt: Any = PromptSession(history=_history(), completer=Completer(session), complete_while_typing=False)
    typer.echo(banner)
    while not session.finished:
        try:
            line = prompt.prompt(PROMPT)
        except KeyboardInterrupt:  # Ctrl-C clears the line
            continue
        except EOFError:  # Ctrl-D
            break
        try:
            warming.join()  # a first line typed faster than the libraries load waits for them here
        except KeyboardInterrupt:  # the line is dropped, the prompt stays
            continue
        session.run(line)
    return ExitCode.OK


def history_path() -> Path:
    """Where the prompt keeps its history: ``$XDG_STATE_HOME/numdiff/history``, by default
    ``~/.local/state/numdiff/history`` (the XDG base directories; a relative path is ignored)."""
    state = os.environ.get("XDG_STATE_HOME", "")
    base = Path(state) if os.path.isabs(state) else Path.home() / ".local" / "state"
    return base / "numdiff" / "history"


def _history() -> Any:
    """The history file, or one in memory (with a warning) where it cannot be written."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory

    path = history_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a"):
            pass
    except OSError as exc:
        output.warn(
            Message("the history is kept for this session only: cannot write {path} ({reason})", path=path,
                    reason=exc.strerror or exc)
        )
        return InMemoryHistory()
    return FileHistory(str(path))


def _banner(plain: bool) -> str:
    """One line: what to type first, and how to leave or (for plain ``numdiff``) where the help went."""
    last = _("numdiff --help: usage") if plain else _("Ctrl-D quits")
    return _("numdiff {version} prompt · try: diff x^2 --at 3 · help · {last}").format(version=__version__, last=last)


def _warm() -> None:
    """Load and run each command's code once, so that the first answer comes as fast as the rest."""
    try:
        import io

        from rich.console import Console

        from numdiff_cli import api, render

        console = Console(file=io.StringIO(), force_terminal=True, width=80)  # rich's drawing, warmed too
        for result in (api.diff("x^3", at=2), api.grad("x0^2 + x1^2", at=(3, 4)), api.descend(steps=2)):
            console.print(render.view(result))
    except Exception:  # a warm-up only: the first command meets the same fault and reports it
        pass
    _collect_from_now()


def _collect_from_now() -> None:
    """Turn the cyclic collector back on, once the libraries are loaded.

    ``numdiff`` runs with it off (see ``cli.main``): a one-off command makes next to no cyclic
    garbage, but a session makes some with every command. The million objects of the imports
    are frozen first, so that no collection walks them again.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
