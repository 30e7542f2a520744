"""Shared fixtures: one CliRunner, and a helper that runs the app like a user would."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from numdiff_cli.cli import app


@pytest.fixture
def run():
    """Run ``numdiff ARGS...``; returns the result with separate stdout and stderr."""
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "160"})

    return invoke
