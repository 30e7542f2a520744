"""The plotting libraries, imported only when a picture is asked for.

matplotlib is drawn headless (the Agg backend: no window, no display needed); both come with
the optional extra ``plot``, and without them asking for a picture is a usage error that says
how to install them, while everything else works as before.
"""

from __future__ import annotations

from types import ModuleType

from numdiff_cli.errors import UsageError
from numdiff_cli.i18n import Message

INSTALL_HINT = Message("install with pip install 'numdiff-cli[plot]'")


def pyplot() -> ModuleType:
    """``matplotlib.pyplot`` on the Agg backend.

    Raises
    ------
    UsageError
        Where matplotlib is not installed, with the install command.
    """
    try:
        import matplotlib
    except ImportError:
        raise UsageError("{parameter} to a file needs matplotlib: {hint}", parameter="plot", hint=INSTALL_HINT) from None
    matplotlib.use("Agg")  # before pyplot loads: never look for a display
    import matplotlib.pyplot

    return matplotlib.pyplot


def plotext() -> ModuleType:
    """The terminal plotting library.

    Raises
    ------
    UsageError
        Where plotext is not installed, with the install command.
    """
    try:
        import plotext
    except ImportError:
        raise UsageError("{parameter} term needs plotext: {hint}", parameter="plot", hint=INSTALL_HINT) from None
    return plotext


def require(terminal: bool) -> None:
    """Load the library a target needs now, so a missing one is said before any work is done."""
    if terminal:
        plotext()
    else:
        pyplot()
