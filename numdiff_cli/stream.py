"""JSON and CSV of descents written as the runs go, so that a trace of any length takes
bounded memory: each step is written when it is made, never kept.

The JSON is the result's own ``to_dict()`` with ``trace`` first (the other keys are known
only when a run is over); the CSV has the rows of ``to_rows()``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from numdiff_cli.output import OutputError

if TYPE_CHECKING:
    from numdiff_cli.results.descend import DescentResult, TraceRow


class JsonTrace:
    """One JSON object per run, as ``descend --json`` prints them; a list where ``several``."""

    def __init__(self, out: TextIO, several: bool) -> None:
        self.out, self.several, self.runs = out, several, 0

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[TraceRow], None]:
        opening = ("[\n" if self.runs == 0 else ",\n") if self.several else ""
        self.out.write(opening + '{\n  "trace": [')
        separator = "\n    "

        def keep(row: TraceRow) -> None:
            nonlocal separator
            self.out.write(separator + json.dumps(row.to_dict(), allow_nan=False))
            separator = ",\n    "

        return keep

    def finished(self, result: DescentResult) -> None:
        rest = result.to_dict()
        del rest["trace"]
        self.out.write("\n  ],\n" + json.dumps(rest, indent=2, allow_nan=False)[2:])
        self.runs += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.several else "\n")


class CsvTrace:
    """One CSV row per step of every run, under one header."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.writer = out, None

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[TraceRow], None]:
        from numdiff_cli.results.descend import flat_row

        variables = tuple(variables)

        def keep(row: TraceRow) -> None:
            flat = flat_row(lr, optimizer, variables, row)
            if self.writer is None:
                self.writer = csv.DictWriter(self.out, fieldnames=list(flat), lineterminator="\n")
                self.writer.writeheader()
            self.writer.writerow(flat)

        return keep

    def finished(self, result: DescentResult) -> None:
        """Nothing to add: a CSV row is a step."""

    def close(self) -> None:
        """Nothing to close."""


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
        yield writer
        writer.close()
        sys.stdout.flush()
    except OSError as exc:
        raise OutputError("could not write the output: {value}", value=exc.strerror or exc) from None
