"""Piped tables end each line where its text ends: the spaces rich pads a line with to the
console's width are dropped, and nothing else changes."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

import numdiff_cli as nd
from numdiff_cli import render
from numdiff_cli.output import TrimmedLines


@pytest.mark.parametrize(
    ("args", "result"),
    [
        (["diff", "x^2", "--at", "3"], lambda: nd.diff("x^2", at=3)),
        (["grad", "x0^2 + x1^2", "--at", "3,4"], lambda: nd.grad("x0^2 + x1^2", at="3,4")),
    ],
)
def test_piped_table_lines_have_no_trailing_spaces_and_are_the_terminals_otherwise(run, args, result):
    piped = run(*args)
    assert piped.exit_code == 0, piped.output
    lines = piped.stdout.splitlines()
    assert lines and not [line for line in lines if line.endswith(" ")]
    padded = io.StringIO()  # the same view at the same width, as rich pads it
    Console(file=padded, width=160, highlight=False, emoji=False, no_color=True).print(render.view(result()))
    assert any(line.endswith(" ") for line in padded.getvalue().splitlines())
    assert lines == [line.rstrip(" ") for line in padded.getvalue().splitlines()]


def test_trimmed_lines_strips_each_line_however_the_text_is_split():
    out = io.StringIO()
    stream = TrimmedLines(out)
    for chunk in ["ab  ", " \ncd", "  ", "\n  e", "f  \n", "prompt> "]:
        stream.write(chunk)
    assert out.getvalue() == "ab\ncd\n  ef\n"
    stream.flush()  # a line left open is written as it stands
    assert out.getvalue() == "ab\ncd\n  ef\nprompt> "


def test_a_piped_terminal_plot_has_no_trailing_spaces(run):
    # plotext pads every row of its canvas to the figure's width
    piped = run("diff", "x^2", "--at", "3", "--plot", "term")
    assert piped.exit_code == 0, piped.output
    lines = piped.stdout.splitlines()
    assert any("Tangent and secants of f = x**2" in line for line in lines)
    assert not [line for line in lines if line.endswith(" ")]


def test_a_reader_that_closes_the_pipe_early_ends_the_command_without_a_word(tmp_path):
    """`numdiff descend --json | head -1` printed 'error: could not write the output: Broken pipe'
    after the line head wanted: a reader gone is the end of the output, exit code 1, not a word."""
    import shlex
    import subprocess
    import sys

    errors = tmp_path / "stderr"
    command = shlex.join([sys.executable, "-m", "numdiff_cli", "--timeout", "0", "descend", "--steps", "300000", "--json"])
    script = f"{command} 2>{shlex.quote(str(errors))} | head -1; exit ${{PIPESTATUS[0]}}"
    ran = subprocess.run(["bash", "-c", script], capture_output=True, text=True, timeout=120)
    assert ran.stdout == "{\n"
    assert ran.returncode == 1
    assert errors.read_text() == ""
