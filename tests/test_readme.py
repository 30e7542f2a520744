"""The README's console and Python examples are the app's real output; a test fails when they drift.

Refresh them with: python tests/test_readme.py
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from numdiff_cli.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"
EXAMPLE = re.compile(r"```console\n\$ numdiff (?P<args>[^\n]*)\n(?P<output>.*?)```", re.S)


def run(args: str) -> str:
    """What ``numdiff ARGS`` prints, stderr first, piped (no colour, 120 columns), lines stripped."""
    result = CliRunner().invoke(app, shlex.split(args), env={"NO_COLOR": "1", "COLUMNS": "120"})
    text = result.stderr + result.stdout
    return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def examples() -> list[tuple[str, str]]:
    return [(m.group("args"), m.group("output")) for m in EXAMPLE.finditer(README.read_text())]


@pytest.mark.parametrize(("args", "output"), examples(), ids=[args for args, _ in examples()])
def test_readme_example_is_what_the_app_prints(args, output):
    assert run(args) == output, "README.md is stale: run python tests/test_readme.py"


def test_every_console_block_is_an_example_that_runs():
    # A console block the pattern misses would be skipped by the test above, not checked.
    blocks = README.read_text().count("```console\n")
    assert blocks >= 1 and len(examples()) == blocks


def test_readme_python_session_runs_as_shown():
    import doctest

    sessions = re.findall(r"```pycon\n(.*?)```", README.read_text(), re.S)
    assert sessions, "README.md has no Python example"
    for number, session in enumerate(sessions):
        test = doctest.DocTestParser().get_doctest(session, {}, f"README session {number}", str(README), 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        runner.run(test)
        assert runner.summarize(verbose=False).failed == 0


def update() -> None:
    text = README.read_text()
    text = EXAMPLE.sub(lambda m: f"```console\n$ numdiff {m.group('args')}\n{run(m.group('args'))}```", text)
    README.write_text(text)


if __name__ == "__main__":
    update()
    sys.exit(0)
