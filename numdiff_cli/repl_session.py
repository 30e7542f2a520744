"""What one line typed at numdiff's prompt does: a numdiff command, run through the command line
itself, or one of the prompt's own words (a name's definition, ``vars``, ``del``, ``help``, ``quit``).

A :class:`Session` holds what the lines share: the names defined (``f = x0^2 + x1^2``), the
value of the last result (``_``) and each command's time budget. :meth:`Session.run` runs a
line and returns its exit code, as ``numdiff`` with those words would: the same typer app, the
same options, tables, sentences and codes. Any front end that takes numdiff commands line by
line (the REPL, the tour) runs them here.
"""

from __future__ import annotations

import math
import re
import shlex
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import typer

from numdiff_cli import api, cli, output
from numdiff_cli.command_line import GLOBAL_ANYWHERE, option_name
from numdiff_cli.errors import ExitCode, NumdiffError, UsageError
from numdiff_cli.i18n import N_, Message, _, translate

if TYPE_CHECKING:
    import sympy as sp

# ``name = expression``; a first word starting with a dash is an option (--timeout=5), not a name.
_DEFINITION = re.compile(r"\s*(?P<name>[^\s=\-][^\s=]*)\s*=(?!=)(?P<expression>.*)", re.S)
_CALL_FORM = re.compile(r"(?P<name>\w+)\(.*\)")  # f(x) = ..., as written on paper
# The results that give _ no value, in words.
_KINDS = {
    "SweepResult": N_("a sweep"), "JacobianResult": N_("a Jacobian"), "DescentComparison": N_("a comparison of descents")
}
QUIT = ("quit", "exit")
WORDS = ("help", "vars", "del", *QUIT)  # the prompt's own words; every other first word is a command


@dataclass(frozen=True)
class LastValue:
    """What ``_`` holds: the last result's value, or None with the reason in ``what``."""

    values: tuple[float, ...] | None
    what: Message  # "grad's exact gradient", or why there is no value

    def text(self) -> str:
        """The values as a point is typed: ``6.0,8.0``."""
        from numdiff_cli.results import number

        return ",".join(number(v) for v in self.values or ())


def last_value(result: object) -> LastValue:
    """The value ``_`` takes after ``result``: diff's recommended value (one per point), grad's
    gradient (exact where it exists, else numerical), descend's final x; no value for other
    results (a sweep, a Jacobian, a comparison of descents), nor where it is not finite."""
    from numdiff_cli.results.descend import DescentResult
    from numdiff_cli.results.diff import DiffResult
    from numdiff_cli.results.grad import GradResult

    values: tuple[float | None, ...] | None
    match result:
        case DiffResult(points=points):
            rows = [point.recommendation for point in points]
            values = None if None in rows else tuple(row.value for row in rows if row is not None)
            several = len(points) > 1
            what = Message("diff's recommended values, one per point") if several else Message("diff's recommended value")
            if values is None:
                return LastValue(None, Message("the last diff recommended no value"))
        case GradResult(gradient_analytic=exact, gradient_numeric=numeric):
            usable = exact is not None and all(v is not None and math.isfinite(v) for v in exact)
            values, what = (exact, Message("grad's exact gradient")) if usable else (numeric, Message("grad's numerical gradient"))
        case DescentResult(final_x=final):
            values, what = final, Message("descend's final x")
        case _:
            kind = Message(_KINDS.get(type(result).__name__, "a result"))
            return LastValue(None, Message("the last result, {kind}, has no single value", kind=kind))
    if not all(v is not None and math.isfinite(v) for v in values):
        return LastValue(None, Message("{what} is not finite", what=what))
    return LastValue(tuple(float(v) for v in values if v is not None), what)


class Session:
    """The state a sequence of lines shares, and the running of each line.

    ``timeout`` is each command's budget in seconds (0: none); ``debug`` shows tracebacks;
    ``lang`` is the language of every command's tables and messages (None: the locale's);
    ``echo`` prints each definition as the parser read it (on a terminal: a script's output
    holds only its results). ``finished`` turns true once a line says ``quit`` or ``exit``.
    """

    def __init__(
        self, *, timeout: float = cli.TIMEOUT, debug: bool = False, lang: str | None = None, echo: bool = False
    ) -> None:
        self.timeout = timeout
        self.debug = debug
        self.lang = lang
        self.echo = echo
        self.names: dict[str, sp.Expr] = {}
        self.last: LastValue | None = None
        self.finished = False
        self.group: Any = typer.main.get_command(cli.app)
        self._context = typer.Context(self.group, info_name="numdiff")

    def commands(self) -> dict[str, Any]:
        """The numdiff commands a line may start with, by name (the click commands)."""
        names = self.group.list_commands(self._context)
        return {name: self.group.get_command(self._context, name) for name in names}

    def run(self, line: str) -> int:
        """Run one line; return its exit code (0 ok, 1 the maths failed, 2 usage, 130 Ctrl-C).

        Every error, the prompt's own included, is printed as its one sentence on stderr and
        becomes the code; nothing escapes but a bug, which is reported and the session goes on.
        """
        try:
            return self._run(line)
        except NumdiffError as exc:  # the prompt's own, or the app's under --debug (which lets them through)
            if self.debug:
                traceback.print_exc()
            return output.report_error(exc.worded(option_name), exc.exit_code)
        except KeyboardInterrupt:  # outside the command itself (its own Ctrl-C is reported by the app)
            return output.report_error(_("interrupted"), ExitCode.INTERRUPTED)
        except Exception as exc:  # a bug: the session and its names survive it, as in Python's REPL
            if self.debug:
                traceback.print_exc()
            message = _("numdiff failed (a bug, please report it): {kind}: {error}").format(kind=type(exc).__name__, error=exc)
            return output.report_error(message if self.debug else message + _("; --debug shows where"), ExitCode.MATH)

    def _run(self, line: str) -> int:
        definition = _DEFINITION.fullmatch(line)
        if definition:
            return self._define(definition["name"], definition["expression"])
        try:
            words = shlex.split(line, comments=True)
        except ValueError as exc:  # No closing quotation
            raise UsageError("the line cannot be split into words: {reason}", reason=str(exc).lower()) from None
        if words[:1] == ["numdiff"]:  # typed out of habit, or pasted from the README
            words = words[1:]
        if not words:
            return ExitCode.OK
        match words:
            case ["help", *topic]:
                return self._help(topic)
            case ["vars", *rest]:
                _no_arguments("vars", rest)
                return self._vars()
            case ["del", *names]:
                return self._forget(names)
            case [word, *rest] if word in QUIT:
                _no_arguments(word, rest)
                self.finished = True
                return ExitCode.OK
            case ["repl", *_]:
                raise UsageError("this is numdiff's prompt already; type help for what it takes")
            case [word, *_] if (name := word.partition("(")[0]) in self.names:
                raise UsageError("{name} is a name, not a command: use it in one, such as  diff {name} --at 1", name=name)
        return self.command(words)

    def command(self, words: list[str]) -> int:
        """Run ``numdiff WORDS`` under this session's budget, names and ``_``; return its exit code."""
        words = [self._expand(word) for word in words]
        head = command_index(self.group, words)
        if head < len(words) and (command := self.commands().get(words[head])) is not None:
            words = [*words[: head + 1], *one_expression(command, words[head + 1 :])]
        with api.watching(self._keep), self._names_in_force():
            return self.group.main([*self._options(words), *words], prog_name="numdiff", standalone_mode=False)

    def _options(self, words: list[str]) -> list[str]:
        """The session's global options that the line does not give itself (a line's own win)."""
        given = {word.partition("=")[0] for word in words if word.startswith("--")}
        options = {"--timeout": [repr(self.timeout)]}
        if self.lang:
            options["--lang"] = [self.lang]
        if self.debug:
            options["--debug"] = []
        return [word for name, values in options.items() if name not in given for word in (name, *values)]

    def _names_in_force(self) -> Any:
        from contextlib import nullcontext

        if not self.names:  # no names, no need to load the parser (and sympy) for a --help
            return nullcontext()
        from numdiff_cli import parsing

        return parsing.defined_names(self.names)

    def _keep(self, result: object) -> None:
        self.last = last_value(result)

    def _expand(self, word: str) -> str:
        """``_`` (or ``--from=_``) as the last value typed out: ``6.0,8.0``."""
        if word != "_" and not (word.startswith("-") and word.endswith("=_")):
            return word
        if self.last is None:
            raise UsageError("_ has no value yet: it holds the value of the last diff, grad or descend")
        if self.last.values is None:
            raise UsageError("_ has no value: {what}", what=self.last.what)
        return word[:-1] + self.last.text()

    def _define(self, name: str, text: str) -> int:
        from numdiff_cli import parsing, symbolic

        self._check_name(name, text)
        try:
            expression = " ".join(shlex.split(text, comments=True))
        except ValueError as exc:
            raise UsageError("the line cannot be split into words: {reason}", reason=str(exc).lower()) from None
        if not expression:
            raise UsageError("give {name} an expression: {name} = x0^2 + x1^2", name=name)
        with parsing.defined_names(self.names):
            value = parsing.parse_expression(expression)
        if name in {symbol.name for symbol in value.free_symbols}:
            raise UsageError("{name} is not defined yet, so it cannot stand in its own definition", name=name)
        self.names[name] = value
        if self.echo:
            typer.echo(f"{name} = {symbolic.text(value)}")
        if not value.free_symbols:  # x = 3 meant as a point would silently turn every x into 3
            output.warn(Message("{name} is now the number {value}: an expression that uses {name} gets {value}, so "
                                "{name} is no longer a variable there (del {name} undoes it)",
                                name=name, value=symbolic.text(value)))
        return ExitCode.OK

    def _check_name(self, name: str, text: str) -> None:
        """Refuse a name the parser would not read as a variable, or that is a word of the prompt."""
        from numdiff_cli import parsing, vocabulary

        if name == "_":
            raise UsageError("_ holds the last result's value; choose another name")
        if call := _CALL_FORM.fullmatch(name):
            raise UsageError(
                "write the name alone: {name} = {expression} (its variables are the names in it)",
                name=call["name"],
                expression=text.strip(),
            )
        if name in WORDS or name in self.commands():
            raise UsageError("{name!r} is a command; choose another name", name=name)
        if name in vocabulary.FUNCTIONS:
            raise UsageError("{name!r} is a function; choose another name", name=name)
        if name in vocabulary.CONSTANTS or name in vocabulary.RESERVED:
            raise UsageError("{name!r} is a constant; choose another name", name=name)
        read = parsing.parse_expression(name)  # a name the parser refuses (sinx, x.y) says why
        if not read.is_Symbol:  # 2, x+y
            raise UsageError("{name!r} cannot be a name: use letters, digits and _, starting with a letter", name=name)

    def _vars(self) -> int:
        lines = [f"{name} = {value}" for name, value in self.names.items()]
        if self.last is not None:
            value = self.last.text() if self.last.values is not None else _("(no value)")
            lines.append(f"_ = {value}   ({translate(self.last.what)})")
        typer.echo("\n".join(lines) if lines else _("no names yet: define one with  f = x0^2 + x1^2"))
        return ExitCode.OK

    def _forget(self, names: list[str]) -> int:
        if not names:
            raise UsageError("del takes the names to forget: del f")
        unknown = [name for name in names if name not in self.names and name != "_"]
        if unknown:
            raise UsageError("{names} is not defined (vars lists the names)", names=", ".join(unknown))
        for name in names:
            if name == "_":
                self.last = None
            else:
                del self.names[name]
        return ExitCode.OK

    def _help(self, topic: list[str]) -> int:
        from numdiff_cli.repl_help import help_text

        if not topic or topic[0] in WORDS or topic[0] in ("_", "names", "repl"):
            typer.echo(help_text(self))
            return ExitCode.OK
        if topic[0] not in self.commands():
            raise UsageError("no command {name!r}; help lists them", name=topic[0])
        return self.command([topic[0], "--help"])


def command_index(group: Any, words: list[str]) -> int:
    """Where the command's name is in ``words``: after the global options and their values
    (``--timeout 5 diff ...`` gives 2); ``len(words)`` where there is none."""
    valued = {name for p in group.params if p.param_type_name == "option" and not p.is_flag for name in p.opts}
    index = 0
    while index < len(words) and words[index].startswith("-"):
        index += 2 if words[index] in valued else 1
    return min(index, len(words))


def one_expression(command: Any, words: list[str]) -> list[str]:
    """``words`` with those of the command's one argument joined by spaces, so that an expression
    needs no quotes at the prompt: ``diff x^2 + 1 --at 3`` is ``diff "x^2 + 1" --at 3``.

    A word is an option's if it starts with ``--``, is a short option of the command (``-m``,
    ``-n2``) or follows an option that takes a value; the others are the expression's, which
    may start with a minus sign (``-x^2 + 1``). A command with other than one argument, or a
    line with ``--``, is left as it is.
    """
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    if len(arguments) != 1 or arguments[0].nargs != 1 or "--" in words:
        return words
    options = [p for p in command.params if p.param_type_name == "option"]
    short = {name for p in options for name in (*p.opts, *p.secondary_opts) if not name.startswith("--")}
    valued = {name for p in options if not p.is_flag for name in p.opts} | set(GLOBAL_ANYWHERE)
    option_words: list[str] = []
    expression: list[str] = []
    value_next = False
    for word in words:
        is_option = value_next or word.startswith("--") or word[:2] in short
        (option_words if is_option else expression).append(word)
        value_next = not value_next and word in valued
    return [" ".join(expression), *option_words] if len(expression) > 1 else words


def _no_arguments(word: str, rest: list[str]) -> None:
    if rest:
        raise UsageError("{word} takes nothing after it, not {rest!r}", word=word, rest=" ".join(rest))
