"""JSON and CSV of descents written as the runs go, so that a trace of any length takes
bounded memory: each step is written when it is made, never kept.

The JSON is the result's own ``to_dict()`` with ``trace`` first (the other keys are known
only when a run is over); the CSV has the rows of ``to_rows()``.

The rows of a trace are numbers only, written by ``orjson`` a batch at a time (the loop hands
them over :data:`~numdiff_cli.trace_batches.BATCH` steps at a time): the standard
library's encoders (json's, csv's) spend most of a long run turning floats into text one
``repr`` at a time. orjson writes each double as the shortest text that reads back as the same
double, as ``repr`` does (``1e16``, not ``1e+16``: the text may differ, the value read never),
and a value that is not finite as null, as :func:`~numdiff_cli.results.finite_or_none` has it.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TextIO

import orjson

from numdiff_cli.errors import NumdiffError
from numdiff_cli.output import OutputError, to_json, unwritable
from numdiff_cli.results.descend import flat_columns, step_cells

if TYPE_CHECKING:
    from numdiff_cli.results.descend import DescentResult, RowValues


def _dumps(rows: list[Any]) -> bytes:
    """``rows`` as orjson writes them, numpy's numbers as Python's (a loop's rows hold both)."""
    return orjson.dumps(rows, default=_plain, option=orjson.OPT_SERIALIZE_NUMPY)


def _plain(value: Any) -> Any:
    """What orjson cannot write of numpy's as Python's: a 0-d array (``np.select`` gives them)."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not a number")


class JsonTrace:
    """One JSON object per run, as ``descend --json`` prints them; a list where ``several``.

    Each row is ``trace_row(values).to_dict()`` on a line of its own. A run cut short (the time
    budget, Ctrl-C) still leaves well-formed JSON: the rows written so far, then ``"cut_short"``
    with the reason, in place of the keys a finished run has.
    """

    both_gradients = True

    def __init__(self, out: TextIO, several: bool) -> None:
        self.out, self.several, self.runs = out, several, 0
        self.open = False  # inside a run's trace
        self.before = ""  # what stands before the next batch of rows: "," after the first

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[list[RowValues]], None]:
        opening = ("[\n" if self.runs == 0 else ",\n") if self.several else ""
        self.out.write(opening + '{\n  "trace": [')
        self.open, self.before = True, ""
        return self.write

    def write(self, rows: list[RowValues]) -> None:
        """Write a batch of rows."""
        # orjson writes [{row},{row},...]; the values inside a row are numbers or lists of them, so "{"
        # opens a row and nothing else (a one-byte search, many times faster than one for "},{").
        text = _dumps(rows)[1:-1].replace(b"{", b"\n    {").decode()
        self.out.write(self.before + text)
        self.before = ","

    def finished(self, result: DescentResult) -> None:
        rest = result.to_dict()
        del rest["trace"]
        self.out.write("\n  ],\n" + to_json(rest)[2:])
        self.open = False
        self.runs += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.several else "\n")

    def cut_short(self, reason: str) -> None:
        """End the output where the command stopped, as well-formed JSON."""
        if self.open:
            self.out.write("\n  ],\n" + to_json({"cut_short": reason})[2:])
        if self.open or self.runs:
            self.close()


class CsvTrace:
    """One CSV row per step of every run, under one header (the columns of ``flat_row``)."""

    both_gradients = False  # a row has the gradient that drove the step only

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.header = False
        self.prefix = ""  # the cells before a row's numbers: its run's lr and optimizer
        self.between = b""  # what stands between two rows' numbers

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[list[RowValues]], None]:
        if not self.header:
            csv.writer(self.out, lineterminator="\n").writerow(flat_columns(tuple(variables)))
            self.header = True
        # The run's own cells, as the csv module writes them (quoted where they need it).
        cells = io.StringIO()
        csv.writer(cells, lineterminator="\n").writerow([lr, optimizer, ""])
        self.prefix = cells.getvalue()[:-1]  # "lr,optimizer,", then a row's numbers
        self.between = ("\n" + self.prefix).encode()
        return self.write

    def write(self, rows: list[RowValues]) -> None:
        """Write a batch of rows."""
        # orjson writes [[row],[row],...] of numbers: "],[" stands only between two rows, and a null (a
        # number that is not finite) becomes an empty cell, as the csv module writes None; rows without
        # one (found by a one-byte search: a number has no n) are not searched for it.
        text = _dumps([step_cells(values) for values in rows])[2:-2]
        if b"n" in text:
            text = text.replace(b"null", b"")
        self.out.write(self.prefix + text.replace(b"],[", self.between).decode() + "\n")

    def finished(self, result: DescentResult) -> None:
        """Nothing to add: the rows are written."""

    def close(self) -> None:
        """Nothing to close."""

    def cut_short(self, reason: str) -> None:
        """Nothing to add: every line of a CSV cut short is a whole row, the loop's last batch written."""


@contextmanager
def trace_writer(*, json_out: bool, several: bool) -> Iterator[JsonTrace | CsvTrace]:
    """A writer of every step to stdout, as JSON or else CSV.

    Raises
    ------
    OutputError
        Where stdout is closed or cannot be written.
    """
    if sys.stdout is None:
        raise OutputError("could not write the output: standard output is closed")
    writer = JsonTrace(sys.stdout, several) if json_out else CsvTrace(sys.stdout)
    try:
        try:
            yield writer
        except (NumdiffError, KeyboardInterrupt) as stopped:  # the time budget, Ctrl-C, a run refused
            from numdiff_cli.command_line import option_name

            # The sentence the command prints on stderr as it stops.
            writer.cut_short("interrupted" if isinstance(stopped, KeyboardInterrupt) else stopped.worded(option_name))
            sys.stdout.flush()
            raise
        writer.close()
        sys.stdout.flush()
    except OSError as exc:
        raise unwritable(exc) from None
