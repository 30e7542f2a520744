"""How the command line reads its words and reports errors: the group that turns every user
error into one sentence and an exit code, and commands whose expression may start with a minus.

Loaded with ``cli``, so it imports neither sympy nor numpy.
"""

# No ``from __future__ import annotations``: typer reads annotations at each start (see cli.py).

import re
import sys
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

from numdiff_cli import i18n, output
from numdiff_cli.errors import ExitCode, Interrupted, NumdiffError


class Settings:
    """Global options of this run (``--debug``, ``--timeout``)."""

    debug = False
    timeout = 0.0  # seconds --timeout gives the command (0: no limit)


class NumdiffGroup(TyperGroup):
    """Runs a command and turns every user error into one sentence and an exit code."""

    def main(self, args: list[str] | None = None, *rest: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        language = i18n.current()  # --lang holds for this command and its error sentence, not for what runs next
        try:
            arguments = _global_options_first(list(sys.argv[1:] if args is None else args))
            _use_chosen_language(arguments)
            with output.notes_shown():
                result = super().main(arguments, *rest, standalone_mode=False, **kwargs)
            code = result if isinstance(result, int) else ExitCode.OK
        except NumdiffError as exc:
            if Settings.debug:
                raise
            quiet = isinstance(exc, output.ReaderGone)
            code = exc.exit_code if quiet else output.report_error(exc.worded(option_name), exc.exit_code)
        except typer.TyperException as exc:  # typer's usage errors: bad option, missing value
            code = output.report_error(_usage_message(exc), ExitCode.USAGE)
        except typer.Abort:  # end of input where a value was awaited
            code = output.report_error("interrupted", ExitCode.INTERRUPTED)
        except OSError as exc:  # a file numdiff writes (shell completion's rc file) cannot be written
            if Settings.debug:
                raise
            where = f" {exc.filename}" if exc.filename else ""
            code = output.report_error(f"could not write{where}: {exc.strerror or exc}", ExitCode.MATH)
        i18n.restore(language)
        if standalone_mode:
            sys.exit(code)
        return code

    def invoke(self, ctx: typer.Context) -> Any:
        # Ctrl-C is caught here, where the command runs: typer would turn it into a silent exit.
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt:
            raise Interrupted("interrupted") from None


GLOBAL_ANYWHERE = ("--lang", "--timeout")  # may also stand after the command: numdiff diff x --at 1 --lang ko


def _global_options_first(args: list[str]) -> list[str]:
    """``args`` with each of :data:`GLOBAL_ANYWHERE` (and its value) moved to the front, where the
    root command reads it; nothing after ``--`` is moved."""
    front, rest, i = [], [], 0
    while i < len(args):
        token = args[i]
        if token == "--":
            rest.extend(args[i:])
            break
        name = token.partition("=")[0]
        if name in GLOBAL_ANYWHERE and ("=" in token or i + 1 < len(args)):
            taken = 1 if "=" in token else 2
            front.extend(args[i : i + taken])
            i += taken
            continue
        rest.append(token)
        i += 1
    return front + rest


def _use_chosen_language(args: list[str]) -> None:
    """Speak the language ``--lang`` chose (at the front of ``args``) already, before the command is
    looked up: an unknown command's sentence comes before the root command reads its options."""
    for i, token in enumerate(args):
        if token == "--":
            return
        name, equals, value = token.partition("=")
        if name != "--lang" or not (equals or i + 1 < len(args)):
            continue
        chosen = value if equals else args[i + 1]
        if chosen == "en" or (i18n.LOCALE_DIR / chosen).is_dir():
            i18n.use(chosen)
        return


class ExpressionCommand(TyperCommand):
    """A command whose expression may start with a minus sign: ``-x^2`` is read as the
    expression, not as an option, unless the command has a short option spelled that way."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, _expression_last(self, args))


def _expression_last(command: TyperCommand, args: list[str]) -> list[str]:
    """``args`` with a lone ``-…`` that is no option of ``command`` moved behind ``--``."""
    options = [p for p in command.params if p.param_type_name == "option"]
    names = {name for p in options for name in (*p.opts, *p.secondary_opts)}
    valued = {name for p in options if not p.is_flag for name in p.opts}
    kept, expression, after_option = [], None, False
    for token in args:
        if token == "--":
            return args
        if not after_option and not token.startswith("-"):
            return args  # the expression came already, without a minus sign
        is_expression = (
            not after_option
            and expression is None
            and token.startswith("-")
            and not token.startswith("--")
            and len(token) > 1
            and token[:2] not in names  # -m..., -n...: a short option, perhaps with its value attached
        )
        if is_expression:
            expression = token
        else:
            kept.append(token)
        after_option = not is_expression and token in valued
    return kept if expression is None else [*kept, "--", expression]


# The core's parameter names that are not their option's name with dashes.
_OPTIONS = {"start": "--from", "methods": "--method", "gradient": "--grad", "expression": "EXPRESSION", "field": "--plot",
            "box": "--range"}


def option_name(parameter: str) -> str:
    """The command-line option of a core parameter: ``start`` is ``--from``, ``lr`` is ``--lr``."""
    return _OPTIONS.get(parameter, "--" + parameter.replace("_", "-"))


def _usage_message(exc: typer.TyperException) -> str:
    message = _parser_sentence(exc).rstrip(".")
    option = getattr(exc, "option_name", None)  # set on "No such option"
    if option and not option.startswith("--"):
        message += i18n.translate(i18n.Message(
            "; if it is an expression that starts with a minus sign, write it with a space first (\" {option}...\") "
            "or as 0{option}...", option=option))
    context = getattr(exc, "ctx", None)
    if context is not None:
        message += i18n.translate(i18n.Message(" (see '{command} --help')", command=context.command_path))
    return message


def _parser_sentence(exc: typer.TyperException) -> str:
    """What typer's parser found wrong, in the chosen language where its parts are known.

    Its vendored click words errors in English f-strings, never through gettext: the common ones
    are worded again here as templates from the exception's parts, used only where the English
    comes out exactly as click's (so a new click wording falls back to click's own sentence). The
    reason inside "Invalid value" is the parameter type's own, and stays English.
    """
    english = exc.format_message()
    option, possible = getattr(exc, "option_name", None), getattr(exc, "possibilities", None)
    param = getattr(exc, "param", None)
    hint = getattr(exc, "param_hint", None)
    hint = " / ".join(map(repr, hint)) if isinstance(hint, (list, tuple)) else hint
    if hint is None and param is not None:
        hint = param.get_error_hint(exc.ctx)
    candidates = [
        i18n.Message("No such option: {option}", option=option),
        i18n.Message("No such option: {option} (Possible options: {options})", option=option,
                     options=", ".join(sorted(possible or ()))),
        i18n.Message("Missing option {hint}.", hint=hint),
        i18n.Message("Missing argument {hint}.", hint=hint),
        i18n.Message("Invalid value for {hint}: {reason}", hint=hint, reason=_reason(getattr(exc, "message", ""))),
        i18n.Message("Option {option!r} requires an argument.", option=option),
        i18n.Message("Option {option!r} does not take a value.", option=option),
        i18n.Message("Got unexpected extra argument(s) ({extra})", extra=_between(english, "Got unexpected extra argument(s) (", ")")),
        i18n.Message("No such command {name}.", name=_between(english, "No such command ", ".")),
    ]
    return next((i18n.translate(m) for m in candidates if m == english), english)


def _between(english: str, before: str, after: str) -> str:
    """The part of click's sentence between ``before`` and ``after`` (what the user typed): the
    template filled with it is compared whole with the sentence, so a different one never matches."""
    return english.removeprefix(before).removesuffix(after)


_REASONS = (  # a parameter type's reason, as typer words it
    (re.compile(r"(?P<value>.+) is not one of (?P<choices>.+)\."), i18n.N_("{value} is not one of {choices}.")),
    (re.compile(r"(?P<value>.+) is not a valid (?P<kind>\w+)\."), i18n.N_("{value} is not a valid {kind}.")),
)


def _reason(text: str) -> str:
    """Why a value was refused, as a template where typer's English is known (else as it is)."""
    for pattern, template in _REASONS:
        if (match := pattern.fullmatch(text)) and (message := i18n.Message(template, **match.groupdict())) == text:
            return message
    return text
