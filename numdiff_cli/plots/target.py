"""What ``--plot TARGET`` means: ``term`` draws in the terminal, a path ending .png, .svg or
.pdf (or .gif, for a picture that moves) writes a file there.

Checked before any work is done, so a typo in the path costs no computation.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from numdiff_cli.errors import UsageError
from numdiff_cli.i18n import Message

TERMINAL = "term"
STILL_FORMATS = (".png", ".svg", ".pdf")
ANIMATED_FORMAT = ".gif"


@dataclass(frozen=True)
class PlotTarget:
    """Where a picture goes: the terminal (``path`` None) or a file of format ``suffix``."""

    path: Path | None = None

    @property
    def terminal(self) -> bool:
        return self.path is None

    @property
    def suffix(self) -> str:
        """The file's format as its lower-case extension (``.png``); empty for the terminal."""
        return "" if self.path is None else self.path.suffix.lower()

    @property
    def animated(self) -> bool:
        return self.suffix == ANIMATED_FORMAT


def parse_target(text: str, *, animated: bool = False) -> PlotTarget:
    """The target ``text`` names; ``animated`` where the picture can also be a .gif.

    Raises
    ------
    UsageError
        Naming ``--plot``: an unknown extension, a directory that does not exist or cannot be
        written, or a path that is a directory.
    """
    if text.strip().lower() == TERMINAL:
        return PlotTarget()
    path = Path(text).expanduser()
    formats = STILL_FORMATS + ((ANIMATED_FORMAT,) if animated else ())
    if path.suffix.lower() not in formats:
        what = Message("a {suffix} file", suffix=path.suffix) if path.suffix else Message("a file without an extension")
        raise UsageError(
            "{parameter} takes 'term' or a file ending {formats}, not {what} ({text!r})",
            parameter="plot", formats=", ".join(formats[:-1]) + " or " + formats[-1], what=what, text=text,
        )
    folder = path.parent
    if path.is_dir():
        raise UsageError("{parameter} names a directory, {text!r}, not a file", parameter="plot", text=text)
    if not folder.is_dir():
        raise UsageError("{parameter}: there is no directory {folder!r} to write into", parameter="plot",
                         folder=str(folder))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError("{parameter}: {text!r} cannot be written (permission denied)", parameter="plot", text=text)
    return PlotTarget(path)
