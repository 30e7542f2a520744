"""Tab completion at numdiff's prompt: commands, their options and option values, functions,
constants and the names defined in the session.

Commands, options and values come from the click commands themselves (the shell's completion
reads the same), so a new command or option completes with no change here. Inside an
expression the word being typed is completed as a function, constant or defined name.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer
from prompt_toolkit.completion import CompleteEvent, Completion
from prompt_toolkit.completion import Completer as BaseCompleter
from prompt_toolkit.document import Document

from numdiff_cli.command_line import GLOBAL_ANYWHERE
from numdiff_cli.repl_session import WORDS, Session, command_index

_FRAGMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")  # the name being typed at the end of an expression
_POINT_OPTIONS = ("--at", "--from")


@dataclass(frozen=True)
class Candidate:
    """One completion: ``text`` replaces the last ``replaces`` characters before the cursor."""

    text: str
    replaces: int
    meta: str = ""


def candidates(session: Session, before: str) -> list[Candidate]:
    """What may complete the line ``before`` the cursor, in the order to offer it."""
    words = _words(before)
    current = "" if not before or before[-1].isspace() else words.pop()
    if words[:1] == ["numdiff"]:
        words.pop(0)
    commands = session.commands()
    global_options = [p for p in session.group.params if p.param_type_name == "option" and not p.hidden]
    start = command_index(session.group, words)  # global options may come first: --timeout 5 diff ...
    if start and start == len(words) and _takes_value(global_options, words[-1]):
        return _choices(session.group, _option(global_options, words[-1]), current)  # --lang ko, --timeout 5
    words = words[start:]
    if not words:
        if current.startswith("-"):
            return _options(global_options, current, [])
        first = [Candidate(name, len(current), _short_help(command)) for name, command in commands.items() if name != "repl"]
        first += [Candidate(word, len(current), "prompt") for word in WORDS]
        return [c for c in first if c.text.startswith(current)]
    name, typed = words[0], words[1:]
    if name == "help":
        return [Candidate(n, len(current), "") for n in (*commands, *WORDS) if n.startswith(current)]
    if name == "del":
        return [Candidate(n, len(current), "name") for n in (*session.names, "_") if n.startswith(current)]
    if name not in commands:
        return _expression(session, current)
    command = commands[name]
    anywhere = [p for p in global_options if set(p.opts) & set(GLOBAL_ANYWHERE)]  # --lang after the command
    options = [p for p in command.params if p.param_type_name == "option" and not p.hidden] + anywhere
    if typed and (option := _option(options, typed[-1])) is not None and not option.is_flag:
        return _values(session, command, option, current)
    if current.startswith("-"):
        return _options(options, current, typed)
    return _expression(session, current)


class Completer(BaseCompleter):
    """prompt_toolkit's side of :func:`candidates`."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterator[Completion]:
        for candidate in candidates(self._session, document.text_before_cursor):
            yield Completion(candidate.text, start_position=-candidate.replaces, display_meta=candidate.meta)


def _words(text: str) -> list[str]:
    """The words of a line being typed; an open quotation is read as if closed."""
    lexer = shlex.shlex(text, posix=True)
    lexer.whitespace_split = True
    lexer.commenters = ""  # a # being typed is a word like any other here
    words: list[str] = []
    try:
        words.extend(lexer)
    except ValueError:  # No closing quotation: the word typed so far is the rest of the line
        words.append(lexer.token)
    return words


def _option(options: Iterable[Any], word: str) -> Any:
    return next((p for p in options if word in (*p.opts, *p.secondary_opts)), None)


def _takes_value(options: Iterable[Any], word: str) -> bool:
    option = _option(options, word)
    return option is not None and not option.is_flag


def _options(options: list[Any], current: str, typed: list[str]) -> list[Candidate]:
    """The options starting with ``current``; one given already is left out unless it repeats."""
    found = []
    for option in options:
        if not option.multiple and any(word in (*option.opts, *option.secondary_opts) for word in typed):
            continue
        found += [Candidate(name, len(current), option.help or "") for name in (*option.opts, *option.secondary_opts)]
    return [c for c in found if c.text.startswith(current) and c.text.startswith("--")]


def _values(session: Session, command: Any, option: Any, current: str) -> list[Candidate]:
    """An option's values: its choices or its own completion (--optimizer sgd,ad), else for a
    point ``_`` and the words of an expression."""
    offered = _choices(command, option, current)
    if offered or option.type.name == "choice":
        return offered
    if option.opts[0] in _POINT_OPTIONS and "_".startswith(current) and session.last and session.last.values:
        return [Candidate("_", len(current), session.last.what)]
    if "FILE" in f"{option.metavar} {option.help}":  # --plot FILE|term, --code FILE.py
        words = [w for w in (option.metavar or "").split("|") if w.islower() and w.startswith(current)]
        return [Candidate(word, len(current), "") for word in words] + _paths(current)
    return _expression(session, current)


def _choices(command: Any, option: Any, current: str) -> list[Candidate]:
    """The values click offers for ``option``: its choices, or its own completion's."""
    items = option.shell_complete(typer.Context(command, info_name=command.name), current)
    # A file or directory item asks the shell to complete a path itself: there is none to offer here.
    return [Candidate(item.value, len(current), item.help or "") for item in items if item.type == "plain"]


def _paths(current: str) -> list[Candidate]:
    """The files and folders whose path starts with ``current``; a folder's ends with ``/``.
    Hidden ones only once a dot is typed."""
    folder, slash, stem = current.rpartition("/")
    try:
        entries = sorted(Path(folder + slash or ".").expanduser().iterdir())
    except OSError:
        return []
    shown = [e for e in entries if e.name.startswith(stem) and (stem.startswith(".") or not e.name.startswith("."))]
    return [Candidate(e.name + "/" * e.is_dir(), len(stem), "folder" if e.is_dir() else "file") for e in shown]


def _expression(session: Session, current: str) -> list[Candidate]:
    """The function, constant or defined name that the expression's last word may become."""
    match = _FRAGMENT.search(current)
    if match is None:
        return []
    from numdiff_cli.vocabulary import CONSTANTS, FUNCTIONS  # loads sympy: here, once the prompt is up

    fragment = match.group()
    found = [Candidate(name, len(fragment), f"= {value}") for name, value in session.names.items()]
    found += [Candidate(name, len(fragment), "constant") for name in CONSTANTS if name != "e"]
    found += [Candidate(name + "(", len(fragment), "function") for name in FUNCTIONS]
    return [c for c in found if c.text.startswith(fragment)]


def _short_help(command: Any) -> str:
    return command.get_short_help_str(limit=50)
