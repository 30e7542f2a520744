"""Notes: what the core tells a person that is no error, such as how it read what was typed.

A note is a Python warning of the category :class:`Note`, so that a program using numdiff from
Python sees it the standard way (and may filter it), and a front end shows it as it chooses: the
command line prints each note once, as ``note: ...`` on stderr (:func:`numdiff_cli.output.notes_shown`).
Loaded with the command line: it imports nothing but the standard library.
"""

from __future__ import annotations

import sys
import warnings


class Note(UserWarning):
    """A sentence for the person who typed the input; its one argument is the sentence (a
    :class:`numdiff_cli.i18n.Message` where it is to be translated)."""


def note(sentence: str) -> None:
    """Tell ``sentence`` to whoever reads the notes (see the module's docstring)."""
    # Python shows a warning at a line of code: the first outside numdiff, where the input was given.
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_globals.get("__name__", "").partition(".")[0] == "numdiff_cli":
        frame, level = frame.f_back, level + 1
    warnings.warn(Note(sentence), stacklevel=level)
