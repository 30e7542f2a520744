"""Where results and messages go: stdout for results, stderr for errors, warnings, progress.

The output format (table, JSON or CSV) is chosen here; how a result looks is ``render``'s
business. Colour is rich's choice: none when not a terminal or when NO_COLOR is set.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

PROGRESS_FROM = 200_000  # steps from which a run on a terminal shows a progress bar


def emit(result: Any, *, json_out: bool, csv_out: bool) -> None:
    """Print one result as a table, JSON or CSV, to stdout."""
    from numdiff_cli import render

    if json_out:
        typer.echo(render.to_json(result.to_dict()))
    elif csv_out:
        typer.echo(render.to_csv(result.to_rows()), nl=False)
    else:
        _stdout().print(render.view(result))


def report_error(message: str, code: int) -> int:
    """Print ``error: message`` on stderr; return ``code`` for the exit status."""
    _stderr().print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    return int(code)


def warn(message: str) -> None:
    """Print ``warning: message`` on stderr."""
    _stderr().print(f"[bold yellow]warning:[/] {message}", markup=True, soft_wrap=True)


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

    with Progress(console=console, transient=True) as bar:
        task = bar.add_task("descending", total=total_steps)
        yield lambda steps: bar.advance(task, steps)


def _stdout() -> Any:
    from rich.console import Console

    # emoji=False: results never contain :codes:, and the emoji table costs start-up time
    # (Panel titles are Text for the same reason: a plain string is read as markup with emoji).
    console = Console(highlight=False, emoji=False)
    if not console.is_terminal:
        # Piped output keeps whole table rows rather than wrapping them at 80 columns.
        console = Console(highlight=False, emoji=False, width=max(console.width, 120))
    return console


def _stderr() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)
