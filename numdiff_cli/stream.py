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
from math import isfinite
from typing import TYPE_CHECKING, TextIO

from numdiff_cli.errors import NumdiffError
from numdiff_cli.output import OutputError

if TYPE_CHECKING:
    from numdiff_cli.results.descend import DescentResult, RowValues


BATCH = 512  # rows gathered before one write: a write per row costs more than the row


class JsonTrace:
    """One JSON object per run, as ``descend --json`` prints them; a list where ``several``.

    A row is written as ``json.dumps(TraceRow(*values).to_dict())`` would write it, formatted
    directly (the values are Python floats, whose repr is what json writes; null stands for a
    value that is not finite): json's encoder walking a dict per row took most of a run's time. A run cut short (the time budget, Ctrl-C) still leaves well-formed JSON: the
    rows written so far, then ``"cut_short"`` with the reason, in place of the keys a finished
    run has.
    """

    def __init__(self, out: TextIO, several: bool) -> None:
        self.out, self.several, self.runs = out, several, 0
        self.rows: list[str] = []
        self.open = False  # inside a run's trace

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[RowValues], None]:
        opening = ("[\n" if self.runs == 0 else ",\n") if self.several else ""
        self.out.write(opening + '{\n  "trace": [')
        self.open, rows, separator = True, self.rows, "\n    "

        def keep(values: RowValues) -> None:
            nonlocal separator
            step, x, f, grad, analytic, numeric, norm, length = values
            # Where every value is finite (their sum is), each is its repr; else null where not finite.
            if isfinite(f + norm + sum(x) + sum(grad) + sum(analytic) + sum(numeric) + (length or 0.0)):
                # A list of floats reprs as a JSON array; the driving gradient is one of the two
                # others, so its text is made once.
                driving = repr(list(grad))
                exact = driving if analytic is grad else repr(list(analytic))
                central = driving if numeric is grad else repr(list(numeric))
                rows.append(
                    f'{separator}{{"step": {step}, "x": {list(x)!r}, "f": {f!r}, "grad": {driving}, '
                    f'"grad_analytic": {exact}, "grad_numeric": {central}, "grad_norm": {norm!r}, '
                    f'"step_length": {"null" if length is None else repr(length)}}}'
                )
            else:
                rows.append(
                    f'{separator}{{"step": {step}, "x": [{_numbers(x)}], "f": {_number(f)}, "grad": [{_numbers(grad)}], '
                    f'"grad_analytic": [{_numbers(analytic)}], "grad_numeric": [{_numbers(numeric)}], '
                    f'"grad_norm": {_number(norm)}, "step_length": {"null" if length is None else _number(length)}}}'
                )
            separator = ",\n    "
            if len(rows) >= BATCH:
                self.flush()

        return keep

    def flush(self) -> None:
        """Write the rows gathered so far."""
        text = "".join(self.rows)
        self.rows.clear()  # before the write: a signal between the two loses rows, never repeats them
        self.out.write(text)

    def finished(self, result: DescentResult) -> None:
        self.flush()
        rest = result.to_dict()
        del rest["trace"]
        self.out.write("\n  ],\n" + json.dumps(rest, indent=2, allow_nan=False)[2:])
        self.open = False
        self.runs += 1

    def close(self) -> None:
        self.out.write("\n]\n" if self.several else "\n")

    def cut_short(self, reason: str) -> None:
        """End the output where the command stopped, as well-formed JSON."""
        self.flush()
        if self.open:
            self.out.write("\n  ],\n  " + json.dumps({"cut_short": reason})[1:-1] + "\n}")
        if self.open or self.runs:
            self.close()


def _number(value: float) -> str:
    """A number as json writes it (``repr``, which for a float json uses), or null where it is not finite."""
    return repr(value) if isfinite(value) else "null"


def _numbers(values: Sequence[float]) -> str:
    return ", ".join(map(_number, values))


class CsvTrace:
    """One CSV row per step of every run, under one header (the columns of ``flat_row``)."""

    def __init__(self, out: TextIO) -> None:
        self.out, self.writer, self.rows = out, csv.writer(out, lineterminator="\n"), []
        self.header = False

    def run(self, lr: float, optimizer: str, variables: Sequence[str]) -> Callable[[RowValues], None]:
        from numdiff_cli.results.descend import flat_columns, flat_values

        rows = self.rows
        if not self.header:
            rows.append(flat_columns(tuple(variables)))
            self.header = True

        def keep(values: RowValues) -> None:
            rows.append(flat_values(lr, optimizer, values))
            if len(rows) >= BATCH:
                self.flush()

        return keep

    def flush(self) -> None:
        """Write the rows gathered so far."""
        rows = self.rows[:]
        self.rows.clear()
        self.writer.writerows(rows)

    def finished(self, result: DescentResult) -> None:
        self.flush()

    def close(self) -> None:
        """Nothing to close."""

    def cut_short(self, reason: str) -> None:
        """Write the rows gathered so far: every line of a CSV cut short is a whole row."""
        self.flush()


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
        raise OutputError("could not write the output: {value}", value=exc.strerror or exc) from None
