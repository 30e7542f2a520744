"""Shared fixtures: one CliRunner, and a helper that runs the app like a user would.

Hypothesis runs derandomized by default, so a run of the suite (and CI) always tries the
same examples and cannot fail by chance; ``pytest --hypothesis-profile=explore`` draws new
random examples each run (run it by hand, a few times, after touching the core).
"""

from __future__ import annotations

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from numdiff_cli.cli import app

collect_ignore = ["data"]  # students' files for check --code: run by numdiff in a subprocess, never imported here

settings.register_profile("repeatable", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("repeatable")


@pytest.fixture
def run():
    """Run ``numdiff ARGS...``; returns the result with separate stdout and stderr."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "160"})

    return invoke
