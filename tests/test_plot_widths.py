"""A terminal plot is as wide as the table above it: piped, at ``COLUMNS`` or else 120 columns; on a
terminal, at the terminal's width."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner

from numdiff_cli.cli import app

ROOT = Path(__file__).resolve().parent.parent
PICTURES = {
    "diff": ["diff", "sin(x)", "--at", "1", "--plot", "term"],  # tangent and secants
    "grad": ["grad", "x^2 + y^2", "--at", "1,2", "--plot", "term"],  # the gradient field
    "descend": ["descend", "--steps", "20", "--plot", "term"],  # the path on the contours, f along it
}
PIPED_WIDTH = 120  # the README's promise: piped without COLUMNS, tables are 120 columns wide


def frames(lines: list[str]) -> list[str]:
    """The top edges of the plots' frames (``┌───┐``): a plot spans the width it was drawn at."""
    return [line for line in lines if "┌" in line and line.rstrip().endswith("┐")]


@pytest.mark.parametrize("picture", PICTURES)
@pytest.mark.parametrize("columns", ["60", "80", "120", None], ids=["60", "80", "120", "unset"])
def test_piped_terminal_plot_was_80_columns_under_a_120_column_table(monkeypatch, picture, columns):
    # No terminal anywhere (a script, a CI job): rich would otherwise take the width of a pytest run's terminal.
    monkeypatch.setattr(os, "get_terminal_size", lambda *fd: (_ for _ in ()).throw(OSError("not a terminal")))
    result = CliRunner().invoke(app, PICTURES[picture], env={"NO_COLOR": "1", "COLUMNS": columns})
    assert result.exit_code == 0, result.output
    width = int(columns) if columns else PIPED_WIDTH
    lines = result.stdout.splitlines()
    assert frames(lines), result.stdout
    assert [cell_len(frame) for frame in frames(lines)] == [width] * len(frames(lines))
    assert max(cell_len(line) for line in lines) == width  # the table and its notes use the same width
    assert [line for line in lines if cell_len(line) > width] == []


def test_on_a_terminal_the_plot_keeps_the_terminals_width():
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "FORCE_COLOR", "TTY_COMPATIBLE")}
    child = pexpect.spawn(sys.executable, ["-m", "numdiff_cli", *PICTURES["diff"]], env={**env, "TERM": "xterm",
                          "NO_COLOR": "1"}, cwd=ROOT, dimensions=(50, 100), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    lines = child.before.replace("\r\n", "\n").splitlines()
    assert [cell_len(frame) for frame in frames(lines)] == [100], child.before
