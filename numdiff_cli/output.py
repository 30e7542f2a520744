"""Where results and messages go: stdout for results, stderr for errors, warnings, progress.

The output format (table, JSON or CSV) is chosen here; how a result looks is ``render``'s
business. Colour is rich's choice: none when not a terminal or when NO_COLOR is set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

import typer

from numdiff_cli.errors import ExitCode, NumdiffError
from numdiff_cli.i18n import _, translate

PROGRESS_FROM = 200_000  # steps from which a run on a terminal shows a progress bar
PIPED_WIDTH = 120  # columns of piped output when COLUMNS is not set


class OutputError(NumdiffError):
    """The result could not be written."""

    exit_code = ExitCode.MATH


class ReaderGone(OutputError):
    """The output's reader closed it before the end (``numdiff … | head``): the command ends with
    :class:`OutputError`'s exit code, and says nothing, there being no one to tell who asked."""


def unwritable(exc: OSError) -> OutputError:
    """The error for ``exc``, raised writing stdout: the reason in a sentence (a full disk), or
    :class:`ReaderGone` for a pipe whose reader is gone, after which stdout writes to nothing (so
    that Python's own flush at exit does not report the same pipe again)."""
    if isinstance(exc, BrokenPipeError):
        with suppress(OSError, ValueError):  # a stdout with no file behind it (a test's) has nothing to flush at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ReaderGone("the output's reader closed it")
    return OutputError("could not write the output: {value}", value=exc.strerror or exc)


def emit(result: Any, *, json_out: bool, csv_out: bool, text: str | None = None) -> None:
    """Print one result as a table, JSON or CSV, to stdout; or ``text`` made from it (an export).

    Raises
    ------
    OutputError
        Where stdout is closed or cannot be written (a full disk).
    """
    if sys.stdout is None:
        raise OutputError("could not write the output: standard output is closed")
    try:
        if text is not None:
            typer.echo(text, nl=False)
        elif json_out:
            typer.echo(to_json(result.to_dict()))
        elif csv_out:
            typer.echo(to_csv(result.to_rows()), nl=False)
        else:
            # Loaded only for a table: a script asking for JSON or CSV need not wait for rich.
            from numdiff_cli import render

            _stdout().print(render.view(result))
        sys.stdout.flush()  # a full disk shows here, not at exit after the exit code is chosen
    except OSError as exc:
        raise unwritable(exc) from None


_ASCII = {  # the symbols numdiff prints, for a stream that cannot encode them
    "′": "'", "∂": "d", "∇": "grad ", "★": "*", "⚠": "!", "‖": "||", "≈": "~", "π": "pi", "λ": "lambda",
    "−": "-", "·": "*", "→": "->", "²": "^2", "³": "^3", "⋮": ":", "—": "-", "…": "...", "₁": "1", "₂": "2",
    "√": "sqrt", "∛": "cbrt", "ε": "eps", "μ": "mu", "α": "alpha", "β": "beta", "×": "x", "≤": "<=", "←": "<-",
    "ᵢ": "i", "ⱼ": "j", "⁽": "(", "⁾": ")", "█": "#", "″": "''", "‴": "'''", "∝": "~",
    "ⁿ": "^n", "⁻": "^-", "ᵘ": "^u", "σ": "sigma", "±": "+-", "≠": "!=",
    **{chr(0x2460 + k): f"({k + 1})" for k in range(20)},  # ① ... ⑳
    **{chr(0x2070 + d) if d not in (1, 2, 3) else "¹²³"[d - 1]: f"^{d}" for d in range(10)},
}


def ascii_symbol(char: str) -> str:
    """The ASCII stand-in of one of numdiff's symbols (``∇`` is ``grad``), ``?`` for any other character."""
    return _ASCII.get(char, "?")


def _ascii_fallback(error: UnicodeError) -> tuple[str, int]:
    text = error.object[error.start : error.end]  # type: ignore[attr-defined]
    return "".join(_ASCII.get(char, "?") for char in text), error.end  # type: ignore[attr-defined]


def plain_where_needed() -> None:
    """Let stdout and stderr write numdiff's symbols in ASCII where their encoding lacks them
    (PYTHONIOENCODING=ascii, a C locale), instead of failing."""
    import codecs

    codecs.register_error("numdiff_ascii", _ascii_fallback)
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            try:
                "′∂∇★".encode(stream.encoding)
            except (UnicodeEncodeError, LookupError):
                stream.reconfigure(errors="numdiff_ascii")


def to_json(data: Any) -> str:
    """Standard JSON (no NaN or Infinity), indented for reading."""
    import json  # here, not at the top: a table needs neither json nor csv, and start-up counts

    return json.dumps(data, indent=2, allow_nan=False)


def to_csv(rows: Sequence[dict[str, Any]]) -> str:
    """CSV with a header row; None becomes an empty field."""
    import csv
    import io

    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


def report_error(message: str, code: int) -> int:
    """Print ``error: message`` on stderr; return ``code`` for the exit status."""
    _say(_("error:"), "bold red", message)
    return int(code)


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr, in the chosen language."""
    _say(_("warning:"), "bold yellow", translate(message) or "")


def _say(label: str, style: str, message: str) -> None:
    """``label message`` on stderr: the message as typed (brackets in it are not markup); one line
    when piped, for a log or grep; wrapped between words on a terminal, never inside a number."""
    from rich.text import Text

    console = _stderr()
    console.print(Text.assemble((label, style), " ", message), soft_wrap=not console.is_terminal)


@contextmanager
def notes_shown() -> Iterator[None]:
    """Within the block, each :class:`numdiff_cli.notes.Note` given is printed as ``note: ...`` on stderr,
    in the chosen language, when it is given and once however often (an expression is read more than
    once in a command); other warnings are shown as Python shows them."""
    import warnings

    from numdiff_cli.notes import Note

    shown: set[str] = set()
    with warnings.catch_warnings():
        python_shows = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *where: Any, **more: Any) -> None:
            if not issubclass(category, Note):
                python_shows(message, category, *where, **more)
                return
            sentence = message.args[0] if isinstance(message, Warning) else message
            if sentence not in shown:
                shown.add(sentence)
                _say(_("note:"), "bold cyan", translate(sentence) or "")

        warnings.showwarning = show
        warnings.simplefilter("always", Note)
        yield


@contextmanager
def progress(total_steps: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for long runs on a terminal; None (no bar) when piped.

    The callback takes the number of steps done since its last call.
    """
    console = _stderr()
    if total_steps < PROGRESS_FROM or not console.is_terminal:
        yield None
        return
    from rich.progress import Progress

    # rich would route stdout through the bar's console (stderr) while it runs: right for a table on
    # the same terminal, but output redirected to a file must reach the file.
    with Progress(console=console, transient=True, redirect_stdout=sys.stdout.isatty(), redirect_stderr=False) as bar:
        task = bar.add_task(_("descending"), total=total_steps)
        yield lambda steps: bar.advance(task, steps)


def _stdout() -> Any:
    from rich.console import Console

    # emoji=False: results never contain :codes:, and the emoji table costs start-up time
    # (Panel titles are Text for the same reason: a plain string is read as markup with emoji).
    console = Console(highlight=False, emoji=False)
    if console.is_terminal:
        return console
    # Piped output with no COLUMNS to follow (a file, a CI log) gets room for whole rows; with
    # COLUMNS set, rich already honours it, as on a terminal.
    width = None if os.environ.get("COLUMNS", "").isdigit() else max(console.width, PIPED_WIDTH)
    return Console(highlight=False, emoji=False, width=width, file=text_out())


def text_width() -> int:
    """Columns that drawn text on stdout takes, tables and terminal plots alike, so a picture is as wide as
    the table above it: on a terminal its width (``COLUMNS`` where set); piped, ``COLUMNS`` where set, else
    at least ``PIPED_WIDTH``."""
    return int(_stdout().width)


def text_out() -> Any:
    """Standard output for drawn text (a table, a terminal plot): piped, each line without the spaces
    that pad it to the width (:class:`TrimmedLines`); on a terminal, as it is."""
    return sys.stdout if sys.stdout.isatty() else TrimmedLines(sys.stdout)


class TrimmedLines:
    """A text stream that writes each line without the spaces rich pads it with to the console's
    width: on a terminal they show as nothing, but piped they weigh on a file, a diff or
    ``cat -A``. Rich has no option for it (a Table pads every cell). Everything else is the
    stream's own (``isatty``, ``encoding``)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._open_line = ""  # the text after the last newline: its end may still be padding

    def write(self, text: str) -> int:
        *lines, self._open_line = (self._open_line + text).split("\n")
        if lines:
            self._stream.write("".join(line.rstrip(" ") + "\n" for line in lines))
        return len(text)

    def flush(self) -> None:
        self._stream.write(self._open_line)  # a line left open (a prompt) is written as it stands
        self._open_line = ""
        self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def results_console() -> Any:
    """The console results are printed on (stdout), for a front end that prints prose beside them."""
    return _stdout()


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)
